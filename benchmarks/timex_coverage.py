"""Where the tagger and HeidelTime disagree on unlabelled real news, grouped into classes of expression.

No annotation is needed: a sample of Timeline17 articles (``real_corpus``: 14 collections, each article's
publication date as its document creation time), tagged by ``helpers.timeline.tag`` and by HeidelTime (news
mode). Each HeidelTime expression we do not find at all ("missed"), find with other bounds ("bounds") or find with
another value ("value"), and each of ours HeidelTime lacks ("extra"), is put in a class of expression by
:data:`CLASSES` (first matching pattern; "other" otherwise). The output is counts per class with a few examples:
a map of coverage to write rules from, not a score (HeidelTime is not gold).

    python benchmarks/timex_coverage.py --per-topic 17 --heideltime-cache /tmp/ht_t17.json [--shard 0/2]
    python benchmarks/timex_coverage.py --heideltime-cache /tmp/ht_0.json,/tmp/ht_1.json --label tagger18

HeidelTime takes 15-100 s per Timeline17 article on a busy machine (Java and TreeTagger start per call), so the
cache is filled once, in shards; the comparison itself takes seconds. Results: ``results/timex_coverage.json``,
one entry per ``--label`` (a baseline checkout's run beside this one's).

``--shard K/N`` only runs HeidelTime on every N-th document from K (to fill the cache on several cores); the
report needs the whole cache (several cache files may be given, comma-separated).
"""

from __future__ import annotations

import argparse
import collections
import json
import random
import re
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent / "src"))

import real_corpus  # noqa: E402
import tempeval3  # noqa: E402

RESULTS = HERE / "results" / "timex_coverage.json"

_MONTH = r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?"
_DAY = r"(?:mon|tues|wednes|thurs|fri|satur|sun)day"
_UNIT = r"(?:second|minute|hour|day|night|week|weekend|fortnight|month|quarter|season|year|decade|century)s?"
_NUM = r"(?:\d[\d,.]*|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|a|an|several|few|couple)"

# (class, pattern on the lower-cased expression); the first that matches names the class.
CLASSES = [
    ("clock time", r"\d{1,2}[:.]\d\d|\b(?:a\.?m|p\.?m)\b|o'clock|noon|midnight|gmt|\bet\b|\bbst\b"),
    ("time of day", r"\b(?:morning|afternoon|evening|night|tonight|overnight|dawn|dusk)\b"),
    ("weekday", _DAY),
    ("month + day (+ year)", rf"{_MONTH}\s+\d{{1,2}}\b|\b\d{{1,2}}(?:st|nd|rd|th)?\s+(?:of\s+)?{_MONTH}"),
    ("month (+ year)", rf"\b{_MONTH}\b"),
    ("numeric date", r"\d{1,4}[/-]\d{1,2}[/-]\d{1,4}"),
    ("decade / century", r"\d0'?s\b|centur|decade"),
    ("season", r"\b(?:spring|summer|autumn|fall|winter)\b"),
    ("quarter / half / fiscal", r"quarter|\bhalf\b|fiscal|\bq[1-4]\b"),
    (
        "set: every / each / -ly",
        r"\b(?:every|each|per|a (?:day|week|month|year))\b|\b(?:daily|weekly|monthly|annual|annually|yearly|hourly)\b",
    ),
    ("past/next/last/this + unit", rf"\b(?:past|next|last|this|coming|previous|recent|following)\b.*\b{_UNIT}\b"),
    ("counted duration / age", rf"\b{_NUM}[- ]+(?:more |other |full |long )?{_UNIT}\b|{_UNIT}[- ]old"),
    ("bare plural units", rf"^(?:for |in )?(?:{_UNIT})$|^(?:days|weeks|months|years|decades|hours|minutes)\b"),
    ("year", r"\b(?:19|20)\d\d\b|'\d\d"),
    ("today / yesterday / tomorrow", r"\b(?:today|yesterday|tomorrow)\b"),
    ("now / currently / present", r"\b(?:now|currently|present|nowadays|at the moment|so far)\b"),
    (
        "recently / soon / past / future",
        r"\b(?:recent|recently|soon|lately|former|formerly|future|past|once|earlier|later|previously|then)\b",
    ),
    ("unit alone", rf"\b{_UNIT}\b"),
]
_COMPILED = [(name, re.compile(p)) for name, p in CLASSES]


def expression_class(text: str) -> str:
    """The first class of :data:`CLASSES` whose pattern occurs in ``text`` (lower-cased); "other" otherwise."""
    low = text.lower()
    for name, rx in _COMPILED:
        if rx.search(low):
            return name
    return "other"


def sample(per_topic: int, seed: int = 16) -> list[dict]:
    """``per_topic`` articles of each Timeline17 collection (fixed seed), as tempeval3 documents without gold."""
    by_topic = collections.defaultdict(list)
    for row in real_corpus._timeline17():
        by_topic[row["label"]].append(row)
    rng = random.Random(seed)
    docs = []
    for topic in sorted(by_topic):
        for row in rng.sample(by_topic[topic], min(per_topic, len(by_topic[topic]))):
            docs.append(
                {"doc_id": row["doc_id"], "split": topic, "dct": row["published"], "text": row["text"], "gold": []}
            )
    return docs


def compare(docs: list[dict]) -> dict:
    """Disagreements of the tagger ("timex") with HeidelTime ("heideltime") per kind and class, with examples."""
    kinds = {k: collections.defaultdict(list) for k in ("missed", "bounds", "value", "extra")}
    agree = total_ht = total_ours = 0
    for d in docs:
        ours, theirs = d["timex"], d["heideltime"]
        total_ht += len(theirs)
        total_ours += len(ours)
        _, pairs = tempeval3._match(theirs, ours)
        matched_ht = {(h["start"], h["end"]) for h, _ in pairs}
        matched_ours = {(o["start"], o["end"]) for _, o in pairs}
        for h, o in pairs:
            ctx = d["text"][max(0, h["start"] - 40) : h["end"] + 40].replace("\n", " ")
            if (h["start"], h["end"]) != (o["start"], o["end"]):
                kinds["bounds"][expression_class(h["text"])].append((h["text"], o["text"], ctx))
            elif h["value"] != o["value"]:
                pair = f"{h['value']} / ours {o['value']}"
                kinds["value"][expression_class(h["text"])].append((h["text"], pair, ctx))
            else:
                agree += 1
        for h in theirs:
            if (h["start"], h["end"]) not in matched_ht:
                ctx = d["text"][max(0, h["start"] - 40) : h["end"] + 40].replace("\n", " ")
                kinds["missed"][expression_class(h["text"])].append((h["text"], h["value"], ctx))
        for o in ours:
            if (o["start"], o["end"]) not in matched_ours:
                ctx = d["text"][max(0, o["start"] - 40) : o["end"] + 40].replace("\n", " ")
                kinds["extra"][expression_class(o["text"])].append((o["text"], o["value"], ctx))
    out = {"documents": len(docs), "heideltime": total_ht, "ours": total_ours, "same_span_and_value": agree}
    for kind, classes in kinds.items():
        out[kind] = {
            name: {"count": len(rows), "examples": [list(r) for r in rows[:: max(1, len(rows) // 6)][:6]]}
            for name, rows in sorted(classes.items(), key=lambda kv: -len(kv[1]))
        }
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--per-topic", type=int, default=17)
    ap.add_argument("--heideltime-cache", default="/tmp/ht_t17.json", help="comma-separated cache files")
    ap.add_argument("--shard", default=None, help="K/N: only fill the HeidelTime cache for every N-th document")
    ap.add_argument("--label", default="this checkout", help="key of this run in the results file (kept beside others)")
    ap.add_argument("--results", type=Path, default=RESULTS)
    args = ap.parse_args()
    if real_corpus.missing():
        return 0
    docs = sample(args.per_topic)
    caches = [Path(p) for p in args.heideltime_cache.split(",")]
    if args.shard:
        k, n = (int(x) for x in args.shard.split("/"))
        tempeval3.run_heideltime(docs[k::n], caches[0])
        return 0
    merged = {}
    for cache in caches:
        merged.update(json.loads(cache.read_text()) if cache.exists() else {})
    docs = [d for d in docs if d["doc_id"] in merged]
    for d in docs:
        d["heideltime"] = tempeval3._align(d["text"], merged[d["doc_id"]][0])
    tempeval3.run_timex(docs, repeats=1)
    result = compare(docs)
    runs = json.loads(args.results.read_text()) if args.results.exists() else {}
    runs[args.label] = result
    args.results.write_text(json.dumps(runs, indent=1) + "\n")
    print(f"{result['documents']} documents; HeidelTime {result['heideltime']}, ours {result['ours']}, ")
    print(f"same span and value {result['same_span_and_value']}")
    for kind in ("missed", "bounds", "value", "extra"):
        print(f"\n== {kind}: {sum(c['count'] for c in result[kind].values())}")
        for name, c in result[kind].items():
            shown = "; ".join(f"{e[0]!r}→{e[1]!r}" for e in c["examples"][:4])
            print(f"  {c['count']:4d} {name:<32} {shown}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
