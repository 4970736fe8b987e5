"""A real-news corpus of any size up to ~13,800 documents, from the development data in ``../shared``.

    python benchmarks/real_corpus.py --size 10000 --out /tmp/real10k.jsonl

Sources (all real articles; long and short): Timeline17 (13 topics: ``shared/benchmarks/timeline17`` and
``shared/corpora/t17-syria``, with publication dates), AllSides/NeuS headline + lead snippets, DUC 2004 newswire,
ECB+ topics 1-35, and the BBC originals with their LLM rewrites (``rewrites/l2r_news.jsonl``). A corpus of
``size`` documents takes the same share of every source (so 1,000 / 3,000 / 10,000 grow alike), in a fixed
order: the same size gives the same documents on every machine. Timeline17's pre-tokenised text ("`` quote ''",
" ," …) is detokenised so that it reads as scraped news does.

Rows: ``doc_id``, ``title``, ``text``, ``source``, ``published`` (ISO date where known), ``label`` (the story or
collection label of the source set, for benchmarks that need one) and ``set`` (which source). Used by the
pipeline, framing, timeline and families benchmarks; it is data for measuring speed and scale, not labels for
accuracy (each accuracy benchmark reads its own labelled set).
"""

from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
from pathlib import Path

SHARED = Path(__file__).resolve().parents[2] / "shared"
BENCH = SHARED / "benchmarks"
_DETOK = [(re.compile(r" ``|`` "), ' "'), (re.compile(r" ''|'' "), '" '), (re.compile(r" ([,.;:!?%)])"), r"\1")]
_DETOK += [(re.compile(r"\( "), "("), (re.compile(r" (n't|'s|'re|'ve|'ll|'d|'m)\b"), r"\1")]
_BRACKETS = {"-LRB-": "(", "-RRB-": ")", "-LSB-": "[", "-RSB-": "]", "-LCB-": "{", "-RCB-": "}"}


def missing() -> bool:
    """True (after saying so) when the development data the real-news corpus is built from is not beside the
    checkout: a benchmark then skips."""
    if BENCH.is_dir():
        return False
    print(f"skipped: {BENCH} not found (the real-news corpus needs ../shared beside the checkout)")
    return True


def detokenise(text: str) -> str:
    """Timeline17's Penn-style tokenised text as ordinary prose (quotes, punctuation and clitics rejoined)."""
    for token, bracket in _BRACKETS.items():
        text = text.replace(token, bracket)
    for rx, rep in _DETOK:
        text = rx.sub(rep, text)
    return text.strip()


def _timeline17() -> list[dict]:
    rows = []
    folders = sorted((BENCH / "timeline17").glob("*/InputDocs")) + sorted(
        (SHARED / "corpora" / "t17-syria").glob("*/InputDocs")
    )
    for inputs in folders:
        topic = inputs.parent.name
        for path in sorted(inputs.glob("*/*.txt")):
            text = detokenise(path.read_text(encoding="utf-8", errors="replace"))
            if not text:
                continue
            rows.append(
                {
                    "doc_id": f"t17/{topic}/{path.parent.name}/{path.stem}",
                    "title": "",
                    "text": text,
                    "source": topic.rsplit("_", 1)[-1],
                    "published": path.parent.name,
                    "label": topic,
                    "set": "timeline17",
                }
            )
    return rows


def _jsonl(name: str, label: str, set_name: str, text_field: str = "full_text") -> list[dict]:
    path = BENCH / name
    rows = []
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            r = json.loads(line)
            text = r.get(text_field) or r.get("text") or ""
            if not text.strip():
                continue
            rows.append(
                {
                    "doc_id": f"{set_name}/{r['doc_id']}",
                    "title": r.get("title", "") if text_field != "full_text" else "",
                    "text": text,
                    "source": set_name,
                    "published": "",
                    "label": str(r.get(label, "")),
                    "set": set_name,
                }
            )
    return rows


def sources() -> dict[str, list[dict]]:
    """Every source's documents, in a fixed order."""
    return {
        "timeline17": _timeline17(),
        "allsides": _jsonl("stories/neus_allsides_dev.jsonl", "story_id", "allsides"),
        "duc": _jsonl("stories/duc2004.jsonl", "cluster", "duc"),
        "ecb": _jsonl("stories/ecbplus_dev.jsonl", "subtopic", "ecb"),
        "rewrites": _jsonl("rewrites/l2r_news.jsonl", "story_id", "rewrites", text_field="text"),
    }


def build(size: int) -> list[dict]:
    """``size`` documents: the same share of every source, spread evenly over each source's order."""
    if not BENCH.is_dir():
        raise FileNotFoundError(f"{BENCH} not found: the real-news corpus needs ../shared beside the checkout")
    by_source = sources()
    total = sum(len(v) for v in by_source.values())
    size = min(size, total)
    rows: list[dict] = []
    for docs in by_source.values():
        k = round(size * len(docs) / total)
        step = len(docs) / k if k else 0
        rows.extend(docs[int(i * step)] for i in range(k))
    return rows[:size]


def write_jsonl(rows: list[dict], out: Path) -> Path:
    out.parent.mkdir(parents=True, exist_ok=True)
    with open(out, "w", encoding="utf-8") as fh:
        for r in rows:
            fh.write(json.dumps(r, ensure_ascii=False) + "\n")
    return out


def loaded_run(size: int, work: Path) -> tuple[Path, Path]:
    """The corpus of ``size`` documents written to ``work`` and loaded into a run folder's document cache (in a
    child process, as a notebook would, so that a timed run after it reads the documents and pays nothing for
    loading): ``(corpus, run_dir)``."""
    corpus = write_jsonl(build(size), work / f"real{size}.jsonl")
    run_dir = work / f"run{size}"
    code = "import sys; from helpers.report import load_documents; load_documents(sys.argv[1], sys.argv[2])"
    subprocess.run([sys.executable, "-c", code, str(corpus), str(run_dir)], check=True)
    return corpus, run_dir


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--size", type=int, default=10_000)
    ap.add_argument("--out", type=Path, required=True)
    args = ap.parse_args(argv)
    try:
        rows = build(args.size)
    except FileNotFoundError as exc:
        print(f"skipped: {exc}")
        return 0
    write_jsonl(rows, args.out)
    counts: dict[str, int] = {}
    for r in rows:
        counts[r["set"]] = counts.get(r["set"], 0) + 1
    print(f"{len(rows)} documents -> {args.out} ({', '.join(f'{k} {v}' for k, v in counts.items())})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
