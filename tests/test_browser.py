"""Rendered reports opened in a real headless Chromium: headings present, screenshots taken, and corpus
text carrying script payloads is shown as text without anything running."""

import json
import re
from pathlib import Path

import pytest

from helpers.report import NOTEBOOKS

pytestmark = [pytest.mark.browser, pytest.mark.slow]

HEADINGS = {
    "01_tokenise": ["Documents", "Skipped inputs", "Removed boilerplate", "Distinctive terms"],
}


def _open(browser, path, events):
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.on("dialog", lambda d: (events.append(f"dialog: {d.message}"), d.dismiss()))
    page.on("console", lambda m: events.append(f"console: {m.text}") if "PWNED" in m.text else None)
    page.on(
        "request", lambda r: events.append(f"request: {r.url}") if not r.url.startswith(("file:", "data:")) else None
    )
    page.goto(path.as_uri(), wait_until="load")
    return page


def test_sample_report_renders(sample_run, browser, artifacts):
    out, proc = sample_run
    assert proc.returncode == 0, proc.stderr
    events: list[str] = []
    page = _open(browser, out / "index.html", events)
    page.screenshot(path=str(artifacts / "index.png"), full_page=True)
    assert page.locator("h1").first.inner_text().startswith("storytrace run")
    body = page.inner_text("body")
    assert "Run summary" in body and "Documents" in body and "Skipped inputs" in body
    for name in NOTEBOOKS:
        assert page.locator(f'a[href="{name}.html"]').count() == 1
    assert page.locator("td.ok").count() == len(NOTEBOOKS)  # each notebook's status cell says ok
    page.close()
    for name in NOTEBOOKS:
        page = _open(browser, out / f"{name}.html", events)
        page.screenshot(path=str(artifacts / f"{name}.png"), full_page=True)
        headings = [h.strip() for h in page.locator("h1, h2").all_inner_texts()]
        assert headings and headings[0], name
        for expected in HEADINGS.get(name, []):
            assert any(h.startswith(expected) for h in headings), (name, expected, headings)
        text = page.inner_text("body")
        assert "Traceback" not in text, name
        assert page.locator("img").count() >= 1, f"{name}: no chart rendered"
        broken = page.evaluate("Array.from(document.images).filter(i => !i.complete || i.naturalWidth === 0).length")
        assert broken == 0, name
        page.close()
    assert events == []  # no dialog, no network request


PAYLOADS = [
    '<script>window.__pwned = 1; console.log("PWNED script"); alert("PWNED")</script>',
    '<img src="x" onerror="window.__pwned = 2; console.log(\'PWNED img\')">',
    '<svg onload="window.__pwned = 3"></svg>',
]


@pytest.fixture(scope="module")
def hostile_run(tmp_path_factory):
    from conftest import run_cli

    corpus = tmp_path_factory.mktemp("hostile")
    story = (
        "Iran began withdrawing military personnel from Syria on Friday, officials said. "
        "Rebels advanced toward Damascus as the government struggled. "
    )
    for i, payload in enumerate(PAYLOADS):
        (corpus / f"doc{i}.txt").write_text(
            f'{payload} Headline {i}\n\n{story}{payload}\n\n"{payload}" an analyst said on Monday. {story}\n',
            encoding="utf-8",
        )
    # Dollar signs in names and titles reach chart labels: they must not be parsed as mathtext.
    (corpus / "cost$2011$.txt").write_text(
        "Budget $\\frac{1}{0}$ of $2011 and $5^{x}$\n\n" + story * 2, encoding="utf-8"
    )
    (corpus / "metadata.csv").write_text(
        "doc_id,source,url\n"
        + "".join(f'doc{i},"{p.replace(chr(34), chr(34) * 2)}",javascript:alert(1)\n' for i, p in enumerate(PAYLOADS)),
        encoding="utf-8",
    )
    out = tmp_path_factory.mktemp("runs") / "hostile"
    proc = run_cli(
        "run", "--corpus", str(corpus), "--out", str(out), "-p", "reference_date=2024-12-06", "--no-progress"
    )
    return out, proc


def test_script_payloads_in_the_corpus_do_not_run_and_are_shown(hostile_run, browser, artifacts):
    out, proc = hostile_run
    manifest = json.loads((out / "manifest.json").read_text())
    pages = ["index.html"] + [nb["html"] for nb in manifest["notebooks"] if nb["html"]]
    assert len(pages) == 1 + len(NOTEBOOKS), proc.stderr
    events: list[str] = []
    shown = {}
    for name in pages:
        page = _open(browser, out / name, events)
        if name.startswith("01"):
            page.screenshot(path=str(artifacts / "hostile_01.png"), full_page=True)
        assert page.evaluate("window.__pwned") is None, name
        injected = page.evaluate(
            """document.querySelectorAll('script, img[onerror], svg[onload], a[href^="javascript:"]').length"""
        )
        assert injected == 0, name
        text = page.inner_text("body")
        shown[name] = [p for p in PAYLOADS if p in text]
        page.close()
    # The corpus page lists every title and source: each payload shows there as the text it is.
    assert shown["01_tokenise.html"] == PAYLOADS
    assert events == [], events


@pytest.fixture(scope="module")
def large_run(tmp_path_factory, shared_dir):
    """The whole pipeline on 10,000 real news articles from ../shared (benchmarks/real_corpus.py). An existing
    run folder of that corpus can be given in STORYTRACE_LARGE_RUN (benchmarks/pipeline.py leaves one)."""
    import os
    import sys

    from conftest import ROOT, run_cli

    if os.environ.get("STORYTRACE_LARGE_RUN"):
        return Path(os.environ["STORYTRACE_LARGE_RUN"]), None

    sys.path.insert(0, str(ROOT / "benchmarks"))
    import real_corpus

    work = tmp_path_factory.mktemp("large")
    corpus = real_corpus.write_jsonl(real_corpus.build(10_000), work / "real10k.jsonl")
    out = work / "run"
    proc = run_cli("run", "--corpus", str(corpus), "--out", str(out), "--no-progress", timeout=5400)
    return out, proc


def test_the_index_of_a_10000_document_run_is_usable(large_run, browser, artifacts):
    """Findings first, every section capped, every page under 5 MB; the screenshot is for a person to look at."""
    out, proc = large_run
    assert (out / "index.html").is_file(), proc.stderr[-3000:] if proc else out
    docs = json.loads((out / "manifest.json").read_text())
    events: list[str] = []
    page = _open(browser, out / "index.html", events)
    page.screenshot(path=str(artifacts / "index_10k.png"), full_page=False)
    page.screenshot(path=str(artifacts / "index_10k_full.png"), full_page=True)
    findings = page.locator("ul.findings li").all_inner_texts()
    assert len(findings) == 6, findings
    n_docs = re.match(r"Documents: ([\d,]+) documents", findings[0])
    assert n_docs and int(n_docs.group(1).replace(",", "")) >= 9_900, findings[0]
    for anchor in ("documents", "families", "added", "key-dates", "conflicts", "framing"):
        assert page.locator(f'a[href="#{anchor}"]').count() >= 1 or "not computed" in page.inner_text("body")
        assert page.locator(f"section#{anchor}").count() == 1
    assert max(t.locator("tr").count() for t in page.locator("section table").all()) <= 16  # 15 rows + header
    page.close()
    sizes = {p.name: p.stat().st_size for p in out.glob("*.html")}
    assert sizes["index.html"] < 5_000_000 and sizes["01_tokenise.html"] < 5_000_000, sizes
    print({name: f"{size / 1e6:.1f} MB" for name, size in sizes.items()}, docs["status"])
    assert events == []
