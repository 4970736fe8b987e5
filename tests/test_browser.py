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


ID_COLUMNS = re.compile(r"^(doc_id|family_id|event_id|parent|child|doc_[ab12]|group_[ab]|compared_with)$")


def _scaled_run(sample_out: Path, dest: Path, n_docs: int = 10_000) -> Path:
    """The sample run's tables repeated until they describe ``n_docs`` documents (ids made distinct per copy),
    with the sample's manifest: the front page is built from these by the real ``write_index``."""
    import math
    import shutil

    import pandas as pd

    from helpers.report.index import write_index

    shutil.copytree(sample_out, dest)
    docs = pd.read_csv(dest / "tables" / "documents.csv")
    copies = math.ceil(n_docs / len(docs))
    for path in (dest / "tables").glob("*.csv"):
        table = pd.read_csv(path, dtype=str, keep_default_na=False)
        if table.empty:
            continue
        parts = []
        for i in range(copies):
            part = table.copy()
            for col in part.columns:
                if ID_COLUMNS.search(col):
                    part[col] = part[col].where(part[col] == "", part[col] + f"~{i}")
            parts.append(part)
        pd.concat(parts, ignore_index=True).to_csv(path, index=False)
    manifest = json.loads((dest / "manifest.json").read_text())
    write_index(dest, manifest)
    return dest


@pytest.fixture(scope="module")
def large_run(tmp_path_factory, sample_run):
    """A 10,000-document run folder. By default the sample run's tables repeated to 10,000 documents (the front
    page is built from tables, so this tests its caps in seconds); a real run folder of 10,000 articles can be
    given in STORYTRACE_LARGE_RUN (``benchmarks/pipeline.py --work DIR`` leaves them in DIR), which also checks the
    notebooks' page sizes."""
    import os

    if os.environ.get("STORYTRACE_LARGE_RUN"):
        return Path(os.environ["STORYTRACE_LARGE_RUN"]), True
    out, proc = sample_run
    assert proc.returncode == 0, proc.stderr
    return _scaled_run(out, tmp_path_factory.mktemp("large") / "run"), False


def test_the_index_of_a_10000_document_run_is_usable(large_run, browser, artifacts):
    """Findings first, every section capped, every page under 5 MB; the screenshot is for a person to look at."""
    out, real = large_run
    assert (out / "index.html").is_file(), out
    docs = json.loads((out / "manifest.json").read_text())
    events: list[str] = []
    page = _open(browser, out / "index.html", events)
    page.screenshot(path=str(artifacts / "index_10k.png"), full_page=False)
    page.screenshot(path=str(artifacts / "index_10k_full.png"), full_page=True)
    findings = page.locator("ul.findings li").all_inner_texts()
    assert len(findings) == 6, findings
    assert "origin ?" not in findings[1] and "not computed" not in " ".join(findings), findings
    n_docs = re.match(r"Documents: ([\d,]+) documents", findings[0])
    assert n_docs and int(n_docs.group(1).replace(",", "")) >= 9_900, findings[0]
    for anchor in ("documents", "families", "added", "key-dates", "conflicts", "framing"):
        assert page.locator(f"section#{anchor}").count() == 1
        assert page.locator(f'ul.findings a[href="#{anchor}"]').count() == 1, anchor
    assert max(t.locator("tr").count() for t in page.locator("section table").all()) <= 16  # 15 rows + header
    page.close()
    sizes = {p.name: p.stat().st_size for p in out.glob("*.html")}
    assert sizes["index.html"] < 5_000_000, sizes
    if real:
        assert sizes["01_tokenise.html"] < 5_000_000, sizes
    print({name: f"{size / 1e6:.1f} MB" for name, size in sizes.items()}, docs["status"])
    assert events == []
