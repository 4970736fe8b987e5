"""Tests of the temporal tagger (helpers.timeline.tag): TimeML values on the sample story, news conventions, bad
inputs, offsets, document tagging, values and durations, rule errors."""

from __future__ import annotations

import datetime as dt
import logging
import re
from pathlib import Path

import pandas as pd
import pytest

from helpers.timeline import COLUMNS, tag, tag_documents

REF = "2024-12-06"  # a Friday: the day the original sample article appeared
SAMPLE = Path(__file__).resolve().parents[1] / "data" / "sample"


def one(text, ref=REF, needle=None):
    """The single expression containing ``needle`` (or the only one)."""
    df = tag(text, ref)
    if needle is not None:
        df = df[df["text"].str.contains(needle, regex=False)]
    assert len(df) == 1, df
    return df.iloc[0]


def values(text, ref=REF):
    return list(tag(text, ref)["value"])


# ------------------------------------------------------------------------------------------ the sample story
def test_sample_expressions_against_reference():
    cases = [
        ("On Friday, the country started evacuating its military commanders.", "Friday", "DATE", "2024-12-06", ""),
        (
            "a damaging year of regional wars that began with the Oct. 7 attack on Israel by Hamas",
            "Oct. 7",
            "DATE",
            "2023-10-07",
            "",
        ),
        (
            "a key supporter of the Assad regime since the beginning of the conflict in Syria in 2011.",
            "2011",
            "DATE",
            "2011",
            "",
        ),
        ("everything it had built and fought to preserve for 40 years in Syria", "40 years", "DURATION", "P40Y", ""),
        (
            "marking the end of a partnership that has lasted over four decades.",
            "over four decades",
            "DURATION",
            "P40Y",
            "MORE_THAN",
        ),
        (
            "the bloody civil war that has ravaged Syria for nearly a decade.",
            "nearly a decade",
            "DURATION",
            "P10Y",
            "APPROX",
        ),
        (
            "marking the end of a decades-long partnership with President Bashar al-Assad",
            "decades-long",
            "DURATION",
            "PXDE",
            "",
        ),
    ]
    for text, span, typ, value, mod in cases:
        row = one(text, needle=span)
        assert row["text"] == span, (text, row["text"])
        assert (row["type"], row["value"], row["mod"]) == (typ, value, mod), (text, dict(row))
        assert text[row["start"] : row["end"]] == span


def test_sample_files_tag_the_story_expressions():
    files = sorted(SAMPLE.glob("*.txt"))
    if not files:
        pytest.skip("sample corpus not present")
    docs = pd.DataFrame({"doc_id": [f.stem for f in files], "text": [f.read_text(encoding="utf-8") for f in files]})
    out = tag_documents(docs, reference_date=REF)
    got = set(zip(out["text"], out["value"]))
    for pair in [
        ("Friday", "2024-12-06"),
        ("Oct. 7", "2023-10-07"),
        ("2011", "2011"),
        ("40 years", "P40Y"),
        ("over four decades", "P40Y"),
        ("nearly a decade", "P10Y"),
    ]:
        assert pair in got, pair
    # the contradiction the timeline module reports: "nearly a decade" against "since ... 2011" in December 2024
    assert "since" not in set(out["text"])


# ------------------------------------------------------------------------------------------ news conventions
@pytest.mark.parametrize(
    "text,value",
    [
        ("The ministers will meet on Monday.", "2024-12-09"),  # future -> next Monday
        ("The ministers met on Monday.", "2024-12-02"),  # past -> most recent Monday
        ("He said on Wednesday that talks would resume.", "2024-12-04"),  # reporting verb next to it -> past
        ("Prices fell last week.", "2024-W48"),
        ("The talks begin next week.", "2024-W50"),
        ("Rebels took the city two days ago.", "2024-12-04"),
        ("Exports rose this year.", "2024"),
        ("Growth slowed last month.", "2024-11"),
        ("Troops left yesterday.", "2024-12-05"),
        ("It was built in the 1990s.", "199X"),
        ("Output rose in the third quarter.", "2024-Q3"),
        ("The deal closed in March 2019.", "2019-03"),
        ("The vote is on Dec. 15.", "2024-12-15"),
        ("The accord was signed on Nov. 20.", "2024-11-20"),
        ("Elections will be held in January.", "2025-01"),
        ("The offensive began in early November.", "2024-11"),
        ("He arrived on June 3, 1998.", "1998-06-03"),
        ("It was signed on 7 October 2023.", "2023-10-07"),
        ("The filing is dated 2023-05-17.", "2023-05-17"),
        ("The report of 11/02/89 said so.", "1989-11-02"),
        ("Turnout was low this summer.", "2024-SU"),
        ("the winter of nineteen ninety-four", "1994-WI"),
    ],
)
def test_relative_values(text, value):
    assert value in values(text), (text, tag(text, REF).to_dict("records"))


@pytest.mark.parametrize(
    "text,ref,value",
    [
        # past tense picks the previous occurrence of a month and day ...
        ("Syrian forces began shelling the city of Homs on 3 February.", "2012-07-18", "2012-02-03"),
        # ... unless that is 8+ months back and the next one is within three months
        ("Italy has won a concession allowing it to fulfil contracts until 15 November.", "2011-09-02", "2011-11-15"),
        ("The monitors left on 15 November.", "2011-12-02", "2011-11-15"),
    ],
)
def test_month_day_year_by_tense_and_distance(text, ref, value):
    assert value in set(tag(text, ref)["value"]), (text, tag(text, ref).to_dict("records"))


def test_mods_and_types():
    assert one("The offensive began in early November.")["mod"] == "START"
    assert one("It peaked in the late 1980s.")[["value", "mod"]].tolist() == ["198X", "END"]
    r = one("They talked for about three hours.")
    assert (r["type"], r["value"], r["mod"], r["text"]) == ("DURATION", "PT3H", "APPROX", "about three hours")
    r = one("The siege lasted less than a week.")
    assert (r["value"], r["mod"]) == ("P1W", "LESS_THAN")
    r = one("The group meets every week.")
    assert (r["type"], r["value"]) == ("SET", "P1W")
    r = one("Officials are now reviewing it.")
    assert (r["type"], r["value"]) == ("DATE", "PRESENT_REF")
    r = one("He left at 5 p.m. on Friday.", needle="5 p.m")
    assert (r["text"], r["type"], r["value"]) == ("5 p.m. on Friday", "TIME", "2024-12-06T17:00")
    assert one("It took two and a half years.")["value"] == "P2Y6M"
    r = one("It happened a year and a half ago.", needle="year")  # a fraction: the duration, not a date
    assert (r["text"], r["type"], r["value"]) == ("a year and a half", "DURATION", "P1Y6M")


# ------------------------------------------------------------------------------------------ bad inputs
@pytest.mark.parametrize(
    "text",
    [
        "Some 2,000 troops crossed the border.",
        "The ticket cost $2011 at the door.",
        "About 1,500 people marched.",
        "He is a 6-year-old boy.",
        "The ruling party won 1999 seats.",
        "The council passed UN resolution 2042 on Syria.",  # a numbered label
        "Under Article 2011 of the penal code.",
    ],
)
def test_numbers_that_are_not_years(text):
    df = tag(text, REF)
    assert not (df["type"] == "DATE").any(), df.to_dict("records")


@pytest.mark.parametrize(
    "text", ["It happened on February 30.", "Signed on February 30, 2023.", "Filed 2023-02-30.", "Dated 13/45/2001."]
)
def test_impossible_dates_not_tagged(text):
    df = tag(text, REF)
    assert len(df) == 0, df.to_dict("records")


def test_no_reference_date_leaves_relative_values_unresolved():
    df = tag("On Friday, after the Oct. 7 attack, prices fell last week; talks began two days ago. In 2011.", None)
    got = dict(zip(df["text"], df["value"]))
    assert got["Friday"] == "XXXX-WXX-5"
    assert got["Oct. 7"] == "XXXX-10-07"
    assert got["last week"] == "XXXX-WXX"
    assert got["two days ago"] == "XXXX-XX-XX"
    assert got["2011"] == "2011"
    res = dict(zip(df["text"], df["resolved"]))
    assert res["2011"] and not res["Friday"] and not res["Oct. 7"]


@pytest.mark.parametrize("text", ["", "   ", "word", "Это текст без дат.", "日本語のテキスト", None])
def test_degenerate_text(text):
    df = tag(text, REF)
    assert list(df.columns) == COLUMNS
    assert len(df) == 0


def test_rejects_non_text():
    with pytest.raises(TypeError):
        tag(12345, REF)


def test_reference_date_types_agree():
    text = "On Friday the talks ended; they resume next week."
    expected = values(text, "2024-12-06")
    for ref in (dt.date(2024, 12, 6), dt.datetime(2024, 12, 6, 15, 30), pd.Timestamp("2024-12-06", tz="UTC")):
        assert values(text, ref) == expected
    assert values(text, "not a date") == values(text, None)


def test_offsets_index_the_original_text():
    text = (
        "\u201cOn Friday\u201d \u2014 the Oct.\u00a07 attack \u2014 lasted for 40 years, since 2011."
        "\nNext line: last week."
    )
    df = tag(text, REF)
    assert df["value"].tolist() == ["2024-12-06", "2023-10-07", "P40Y", "2011", "2024-W48"]
    for r in df.itertuples():
        assert text[r.start : r.end] == r.text
        assert 0 <= r.start < r.end <= len(text)
    assert (df["start"].diff().dropna() > 0).all()  # sorted, no overlaps
    assert (df["start"].iloc[1:].to_numpy() >= df["end"].iloc[:-1].to_numpy()).all()


def test_huge_input_is_tagged_completely():
    text = "On Friday, Iran began withdrawing after a war that lasted for 40 years. " * 3000
    df = tag(text, REF)
    assert (df["value"] == "2024-12-06").sum() == 3000


# ------------------------------------------------------------------------------------------ documents
def test_tag_documents_uses_published_then_reference():
    docs = pd.DataFrame(
        {
            "doc_id": ["a", "b", "c"],
            "text": ["They met on Friday.", "They met on Friday.", "They met on Friday."],
            "published": pd.to_datetime(["2024-12-06", None, "2024-11-29"], utc=True),
        }
    )
    out = tag_documents(docs, reference_date="2024-12-13")
    assert list(out.columns) == ["doc_id"] + COLUMNS
    assert dict(zip(out["doc_id"], out["value"])) == {"a": "2024-12-06", "b": "2024-12-13", "c": "2024-11-29"}
    out2 = tag_documents(docs, reference_date=None)
    assert dict(zip(out2["doc_id"], out2["value"]))["b"] == "XXXX-WXX-5"
    assert out2.attrs["unresolved"] == 1
    assert out2["resolved"].tolist() == [True, False, True]


def test_tag_documents_tolerates_missing_columns_and_empty():
    out = tag_documents(pd.DataFrame({"doc_id": ["x"], "text": ["Talks ended in 1998."]}))
    assert out["value"].tolist() == ["1998"]
    empty = tag_documents(pd.DataFrame({"doc_id": [], "text": []}))
    assert len(empty) == 0 and list(empty.columns) == ["doc_id"] + COLUMNS
    with pytest.raises(ValueError):
        tag_documents(pd.DataFrame({"doc_id": ["x"]}))


def test_interval_of_values():
    from helpers.timeline import interval

    d = dt.date
    assert interval("2024-12-06") == (d(2024, 12, 6), d(2024, 12, 6))
    assert interval("2024-12-06T17:00") == (d(2024, 12, 6), d(2024, 12, 6))
    assert interval("2024-02") == (d(2024, 2, 1), d(2024, 2, 29))
    assert interval("2024") == (d(2024, 1, 1), d(2024, 12, 31))
    assert interval("2024-W48") == (d(2024, 11, 25), d(2024, 12, 1))
    assert interval("2024-Q3") == (d(2024, 7, 1), d(2024, 9, 30))
    assert interval("2024-WI") == (d(2024, 12, 1), d(2025, 2, 28))
    assert interval("199X") == (d(1990, 1, 1), d(1999, 12, 31))
    for v in ("XXXX-10-07", "PRESENT_REF", "P40Y", "2024-Q7", "", None):
        assert interval(v) is None


def test_tokenised_news_text():
    # Timeline17-style pre-tokenised text: spaces around punctuation
    df = tag(
        "BUCHANAN , Liberia | Sun May 15 , 2011 5:07 pm BST . Talks ended on Monday , officials said .", "2011-05-15"
    )
    got = dict(zip(df["text"], df["value"]))
    assert got["May 15 , 2011 5:07 pm"] == "2011-05-15T17:07"
    assert got["Monday"] == "2011-05-09"


@pytest.mark.parametrize(
    "text,span,typ,value",
    [
        ("They will meet on Christmas Day.", "Christmas Day", "DATE", "2024-12-25"),
        ("Turkeys sold out before Thanksgiving.", "Thanksgiving", "DATE", "2024-11-28"),
        ("Trading resumes the week of March 6, 2000.", "the week of March 6, 2000", "DATE", "2000-W10"),
        ("The airline adds 700 seats a week.", "a week", "SET", "P1W"),
        ("Shelling began at 06:15 GMT.", "06:15 GMT", "TIME", "2024-12-06T06:15"),
        ("Profit rose in the year ended Sept. 30.", "the year", "DURATION", "P1Y"),
        ("Sales fell in the first half of next year.", "the first half of next year", "DATE", "2025-H1"),
        ("It was the Atlanta bombing of nineteen ninety-six.", "nineteen ninety-six", "DATE", "1996"),
        ("The plan was agreed a decade ago.", "a decade ago", "DATE", "2014"),
    ],
)
def test_more_expressions(text, span, typ, value):
    row = one(text, needle=span.split()[-1])
    assert (row["text"], row["type"], row["value"]) == (span, typ, value), dict(row)


def test_fractions_and_ages_are_not_durations():
    assert len(tag("Iraq imports about three-quarters of its food.", REF)) == 0
    assert len(tag("More than a quarter of the market went.", REF)) == 0
    assert len(tag("The 52-year-old minister and a 6-month-old baby.", REF)) == 0


def test_anaphoric_days_use_the_last_full_date():
    df = tag(
        "He was shot on Oct. 23, 1998. Earlier that day, his family sent a fax. The previous Monday he had moved.",
        "1998-10-26",
    )
    got = dict(zip(df["text"], zip(df["value"], df["mod"])))
    assert got["Earlier that day"] == ("1998-10-23", "START")
    assert got["The previous Monday"] == ("1998-10-19", "")
    assert tag("They left that day.", "1998-10-26")["value"].tolist() == ["XXXX-XX-XX"]  # no anchor: unresolved


def test_duration_years():
    from helpers.timeline import duration_years

    assert duration_years("P40Y") == 40
    assert duration_years("P4DE") == 40
    assert duration_years("P1DE") == 10
    assert duration_years("P1Y6M") == pytest.approx(1.5)
    assert duration_years("PT24H") == pytest.approx(1 / 365.25)
    for v in ("PXY", "PXDE", "2011", "PRESENT_REF", "P", "", None):
        assert duration_years(v) is None


def test_durations_parse_once_for_tagger_and_timeline():
    from helpers.timeline import parse_duration

    assert parse_duration("PXDE") == (20.0, True, False)  # vague: at least two decades
    assert parse_duration("P2Q") == (0.5, False, False)
    assert parse_duration("PT2H30M").clock and not parse_duration("P1Y6M").clock
    for v in ("2011", "PRESENT_REF", "P", "", None):
        assert parse_duration(v) is None


@pytest.mark.parametrize(
    "kind,value,resolved",
    [
        ("DATE", "2024-12-06", True),
        ("DATE", "199X", True),
        ("DATE", "PRESENT_REF", True),
        ("DATE", "XXXX-10-07", False),
        ("DATE", "2024-XX-XX", False),
        ("TIME", "XXXX-WXX-5T17:00", False),
        ("DURATION", "PXY", True),
        ("SET", "P1W", True),
        ("DATE", "", False),
    ],
)
def test_one_definition_of_resolved(kind, value, resolved):
    from helpers.timeline import is_resolved

    assert is_resolved(kind, value) is resolved


def test_a_weekday_plural_after_a_part_of_day_is_a_set():
    # "noon Mondays" used to raise KeyError inside a rule
    r = one("The market opens at noon Mondays.")
    assert (r["text"], r["type"], r["value"]) == ("Mondays", "SET", "XXXX-WXX-1")


def test_year_flip_months_are_settings():
    from helpers.timeline import TaggerParams

    # past tense, but October 2023 is ten months back and October 2024 two months ahead: the tagger flips
    text = "The monitors arrived in October."
    assert tag(text, "2024-08-15")["value"].tolist() == ["2024-10"]
    strict = TaggerParams(month_against_tense_min=11)  # flip only from eleven months back
    assert tag(text, "2024-08-15", params=strict)["value"].tolist() == ["2023-10"]
    assert tag(text, "2024-09-15", params=strict)["value"].tolist() == ["2024-10"]


# ------------------------------------------------------------------------------------------ rule errors
def _broken_rule(name="exploding_rule", deferred=False):
    """A rule that raises on "Friday" (at once, or when its deferred value is read)."""
    from helpers.timeline.rules import Found, Rule, Trigger

    def boom(said):
        raise RuntimeError("deferred boom")

    def resolve(m, ctx):
        if deferred:
            return Found("DATE", boom)
        raise ZeroDivisionError("boom")

    return Rule(name, re.compile(r"\bFriday\b"), Trigger.on_words({"friday"}, 0, 0), 9, resolve)


@pytest.mark.parametrize("deferred", [False, True])
def test_an_exception_inside_a_rule_is_logged_counted_and_the_rest_tagged(monkeypatch, caplog, deferred):
    from helpers.timeline import RULE_ERRORS, tagger

    monkeypatch.setattr(tagger, "RULES", (*tagger.RULES, _broken_rule(deferred=deferred)))
    RULE_ERRORS.reset()
    with caplog.at_level(logging.ERROR, logger="helpers.timeline.tagger"):
        df = tag("Talks ended on Friday after 40 years.", REF)
    assert RULE_ERRORS.counts == {"exploding_rule": 1}
    assert any("exploding_rule" in r.getMessage() for r in caplog.records)
    if deferred:  # the broken rule's candidate (higher priority) won "Friday", so Friday is left out
        assert df["value"].tolist() == ["P40Y"]
    else:  # the weekday rule still tags Friday
        assert df["value"].tolist() == ["2024-12-06", "P40Y"]
    assert "1 expressions left out" in RULE_ERRORS.summary() and "exploding_rule 1" in RULE_ERRORS.summary()
    RULE_ERRORS.reset()
    assert RULE_ERRORS.total == 0


def test_named_dates_file_errors_are_loud():
    from helpers.timeline.named_dates import NAMED_DATES, parse_named_dates

    assert [d.day.isoformat() for d in NAMED_DATES] == ["2023-10-07", "2001-09-11", "2021-01-06"]
    good = parse_named_dates("# comment\n2023-10-07\tOct\\.? 7 attack\n", "x.txt")
    assert good[0].day == dt.date(2023, 10, 7) and good[0].pattern.match("oct. 7 attack")
    with pytest.raises(ValueError, match="x.txt, line 2"):
        parse_named_dates("2023-10-07\tok\n2023-13-01\tbad month\n", "x.txt")
    with pytest.raises(ValueError, match="line 1"):
        parse_named_dates("2023-10-07\t(unclosed\n", "x.txt")


# ------------------------------------------------------------------------------------------ coverage classes (issue 16)
def spans(text, ref=REF, **settings):
    """(text, type, value) of every expression."""
    from helpers.timeline import TaggerParams

    df = tag(text, ref, TaggerParams(**settings)) if settings else tag(text, ref)
    return [(r.text, r.type, r.value) for r in df.itertuples()]


@pytest.mark.parametrize(
    "text,expected",
    [
        # bare plural units: a vague count of the unit
        ("The talks went on for days.", [("days", "DURATION", "PXD")]),
        ("After weeks of talks, they agreed.", [("weeks", "DURATION", "PXW")]),
        ("Minutes later, the bomb exploded.", [("Minutes", "DURATION", "PTXM")]),
        ("Years ago it was different.", [("Years ago", "DATE", "PAST_REF")]),
        ("In the first days after the war, and a matter of weeks.", []),
        # "Now" opening a sentence, not the discourse marker "Now, ..."
        ("Now the committee must decide.", [("Now", "DATE", "PRESENT_REF")]),
        ("Now, he says, it is over.", []),
        # clock-style durations
        ("He won the marathon in 2:03:38, a record.", [("2:03:38", "DURATION", "PT2H3M38S")]),
        ("The bell rang at 10:15:00 sharp.", []),
        # apostrophe and two-digit years
        ("The class of '98 met in '99.", [("'98", "DATE", "1998"), ("'99", "DATE", "1999")]),
        ("The summer of '69 was hot.", [("The summer of '69", "DATE", "1969-SU")]),
        ("the 1998-99 season", [("1998", "DATE", "1998"), ("99", "DATE", "1999")]),
        ("the 1998-10-12 report", [("1998-10-12", "DATE", "1998-10-12")]),
        # periods of the current year
        ("Sales slowed earlier in the year.", [("earlier in the year", "DATE", "2024")]),
        ("He said at the time that he was ready.", [("the time", "DATE", "PAST_REF")]),
        ("At the time of the attack he slept.", []),
        # sets
        ("The festival is held each season.", [("each season", "SET", "P1Y")]),
        ("They meet twice a year.", [("twice a year", "SET", "P1Y")]),
        ("It happens every few years.", [("every few years", "SET", "PXY")]),
        # decades and centuries with their article
        ("It was big in the 90s and the early 80s.", [("the 90s", "DATE", "199X"), ("the early 80s", "DATE", "198X")]),
        ("She is in her 90s.", []),
        ("the nineteen seventies", [("the nineteen seventies", "DATE", "197X")]),
        ("in the seventeenth century", [("the seventeenth century", "DATE", "16XX")]),
        # counted decades in years (TimeBank, TempEval-3)
        (
            "It lasted a decade, then two decades.",
            [("a decade", "DURATION", "P10Y"), ("two decades", "DURATION", "P20Y")],
        ),
        ("It began a decade ago.", [("a decade ago", "DATE", "2014")]),
        ("for decades", [("decades", "DURATION", "PXDE")]),
        # coordinations sharing a unit, month or year
        (
            "He faces between 12 and 18 months in prison.",
            [("12", "DURATION", "P12M"), ("18 months", "DURATION", "P18M")],
        ),
        ("The summit is on April 24 and 25.", [("April 24", "DATE", "2025-04-24"), ("25", "DATE", "2025-04-25")]),
        ("It ran on Nov. 19-20.", [("Nov. 19", "DATE", "2024-11-19"), ("20", "DATE", "2024-11-20")]),
        ("The festival ran 3 to 6 May 2023.", [("3", "DATE", "2023-05-03"), ("6 May 2023", "DATE", "2023-05-06")]),
        (
            "Talks on September 14 and 18, 2010.",
            [("September 14", "DATE", "2010-09-14"), ("18, 2010", "DATE", "2010-09-18")],
        ),
        ("It rained in May and June 2011.", [("May", "DATE", "2011-05"), ("June 2011", "DATE", "2011-06")]),
        ("It costs $12 and 18 cents.", []),
        # evaluative articles belong to the expression
        ("It took a mere 24 hours.", [("a mere 24 hours", "DURATION", "PT24H")]),
        ("It took only 24 hours.", [("24 hours", "DURATION", "PT24H")]),
        # weeks of a month
        ("in the first week of March 2024", [("the first week of March 2024", "DATE", "2024-W09")]),
        ("Prices peaked in mid-March.", [("mid-March", "DATE", "2025-03")]),  # 9 months back, 3 ahead
        ("Prices peaked in mid-September.", [("mid-September", "DATE", "2024-09")]),
    ],
)
def test_coverage_classes(text, expected):
    assert spans(text) == expected


def test_decades_in_their_own_unit_when_asked():
    text = "It lasted over four decades, then a decade; it began a decade ago."
    assert [v for _, _, v in spans(text, decades_as_years=False)] == ["P4DE", "P1DE", "201X"]
    assert [v for _, _, v in spans(text)] == ["P40Y", "P10Y", "2014"]


@pytest.mark.parametrize(
    "text,expected",
    [
        ("It has been tough in recent quarters.", [("recent quarters", "DURATION", "PXQ")]),
        ("They turned a profit after several quarters of losses.", [("several quarters", "DURATION", "PXQ")]),
        ("It bodes ill for coming quarters.", [("coming quarters", "DATE", "FUTURE_REF")]),
        ("Investors will sell in the weeks ahead.", [("the weeks ahead", "DURATION", "PXW")]),
        ("Over the years many patients died.", [("the years", "DURATION", "PXY")]),
        ("In the near term, margins will shrink.", [("the near term", "DATE", "FUTURE_REF")]),
        ("It has ruled for almost a hundred years.", [("almost a hundred years", "DURATION", "P100Y")]),
        ("They own a quarter of the market and three quarters of its debt.", []),
    ],
)
def test_vague_business_periods(text, expected):
    assert spans(text) == expected


# ----------------------------------------------------------------------------------------- anchoring classes (tagger18)
@pytest.mark.parametrize(
    "text,ref,value",
    [
        # a modal or "as soon as" points forward, even beside a past verb farther off
        ("The group might come as soon as Tuesday, according to media reports.", "2000-04-03", "2000-04-04"),
        ("The group might arrive in the city on Tuesday, officials confirmed.", "2000-04-03", "2000-04-04"),
        ("Rebels, who seized the town, would hand it over on Thursday.", "2000-04-05", "2000-04-06"),
        ("Both sides agreed talks would resume on Tuesday.", "2024-12-06", "2024-12-10"),
        # a plain past still looks back
        ("The father travelled on Thursday.", "2000-04-05", "2000-03-30"),
    ],
)
def test_modal_future_cues_anchor_weekdays_forward(text, ref, value):
    assert value in set(tag(text, ref)["value"]), (text, tag(text, ref).to_dict("records"))


@pytest.mark.parametrize(
    "text,ref,value",
    [
        # "next to" is a place, not the future
        ("Dozens died in the blast next to the embassy on Friday.", "1998-08-08", "1998-08-07"),
        # irregular past forms look back
        ("Crane holds shares bought from Sept. 14 to Thursday.", "1989-10-30", "1989-10-26"),
        ("She spent Sunday night with the protesters.", "2000-04-20", "2000-04-16TNI"),
        # a passive participle takes its auxiliary's tense
        ("The design will be finalised on Friday.", "2024-12-04", "2024-12-06"),
        ("Preliminary talks are due to be held on Sunday.", "2011-07-06", "2011-07-10"),
        # "died" is past; "due to" before a determiner or a name is a cause, not a plan
        ("A principal died on Sunday, the first death due to H1N1, officials said.", "2009-05-18", "2009-05-17"),
        # a verb conjoined after the expression opens a later clause
        ("She arrived from Singapore on Thursday to attend and planned to leave soon.", "2009-05-02", "2009-04-30"),
        ("BP collected 10,000 barrels on Sunday and hopes to capture most of the leak.", "2010-06-07", "2010-06-06"),
        # a full month name ends a sentence; the next sentence's tense does not reach back over it
        (
            "She will lead the shuttle's crew on its mission in September. Collins was the co-pilot before.",
            "1998-03-04",
            "1998-09",
        ),
        # a day before the sentence's report is the report's day, whatever the reported clause says
        ("On Friday the government confirmed it would provide more equipment next month.", "2012-08-04", "2012-08-03"),
        ("State television said late on Thursday that the cousin intends to leave.", "2011-06-17", "2011-06-16"),
        # ... but not when a verb before it sets the day's clause
        (
            "Syria will be suspended from the League on Wednesday and has said it will not attend.",
            "2011-11-15",
            "2011-11-16",
        ),
    ],
)
def test_tense_cue_classes(text, ref, value):
    assert value in set(tag(text, ref)["value"]), (text, tag(text, ref).to_dict("records"))


@pytest.mark.parametrize(
    "text,ref,value",
    [
        ("They are not going to be left alone this summer,'' said a former prisoner.", "1998-03-22", "1998-SU"),
        ("There were protests this summer.", "1998-03-22", "1998-SU"),  # said in spring: this year's summer
        ("Protests were held this summer.", "1998-10-22", "1998-SU"),  # said in autumn: the one just past
        ("Snow fell this winter.", "1999-01-20", "1998-WI"),  # under way: began last December
        ("It will be cold this winter.", "1998-10-20", "1998-WI"),
        ("Sales rose this autumn, the firm said.", "2011-05-02", "2011-FA"),
    ],
)
def test_this_season_is_the_current_years(text, ref, value):
    assert value in set(tag(text, ref)["value"]), (text, tag(text, ref).to_dict("records"))


@pytest.mark.parametrize(
    "text,expected",
    [
        # the day (or part of it) after or before the last full date (HeidelTime's "following/previous" + unit)
        (
            "Troops entered on 3 March 2009. The next day they left.",
            [("3 March 2009", "DATE", "2009-03-03"), ("The next day", "DATE", "2009-03-04")],
        ),
        (
            "The vote was on June 4, 2009; the previous day was calm.",
            [("June 4, 2009", "DATE", "2009-06-04"), ("the previous day", "DATE", "2009-06-03")],
        ),
        (
            "He was arrested on 12 May 2010 and freed the following day.",
            [("12 May 2010", "DATE", "2010-05-12"), ("the following day", "DATE", "2010-05-13")],
        ),
        (
            "On 1 July 2008 talks ended, and late the previous day a deal was struck.",
            [("1 July 2008", "DATE", "2008-07-01"), ("late the previous day", "DATE", "2008-06-30")],
        ),
        ("On 1 July 2008 talks ended; the next morning they resumed.", [("1 July 2008", "DATE", "2008-07-01")]),
        ("The next day-long session opens soon.", []),  # not a day
        ("The next day he left.", [("The next day", "DATE", "XXXX-XX-XX")]),  # no date said before: unknown
    ],
)
def test_the_next_or_previous_day(text, expected):
    assert spans(text) == expected


@pytest.mark.parametrize(
    "text,expected",
    [
        # 24-hour clock times in four digits with a zone, as wire copy writes them
        ("The attack began at 1500 GMT.", [("1500 GMT", "TIME", "2024-12-06T15:00")]),
        ("Curfew starts at 2300 local time.", [("2300 local time", "TIME", "2024-12-06T23:00")]),
        ("Shelling resumed (0430 GMT) near the city.", [("0430 GMT", "TIME", "2024-12-06T04:30")]),
        ("from 0600 hrs GMT on Monday", [("0600 hrs GMT on Monday", "TIME", "2024-12-09T06:00")]),
        # the same moment again in another zone is not a second expression
        ("It exploded at 10:35 a.m. (0735 GMT).", [("10:35 a.m.", "TIME", "2024-12-06T10:35")]),
        # the zone "local time" with a separator (its trigger window used to end before "time")
        ("The blast was at 14.30 local time.", [("14.30 local time", "TIME", "2024-12-06T14:30")]),
        # four digits where no time is expected stay years or numbers
        ("The 2010 UTC rules changed.", [("2010", "DATE", "2010")]),
        ("He had 1500 GMT shares.", []),
    ],
)
def test_four_digit_clock_times(text, expected):
    assert spans(text) == expected


@pytest.mark.parametrize(
    "text,expected",
    [
        # a year before a word that merely ends in s, or after a preposition, is still a year
        ("The pandemic of 1918 offers clues.", [("1918", "DATE", "1918")]),
        ("Schools closed in 1918 as they did later.", [("1918", "DATE", "1918")]),
        ("Experts blamed the original 1998 virus.", [("1998", "DATE", "1998")]),
        ("After the 2008 crisis hit, banks failed.", [("2008", "DATE", "2008")]),
        # counts stay counts
        ("Some 2000 protesters marched and 1999 seats were won.", []),
        # both years of a four-digit range
        ("He served from 1998-2001.", [("1998", "DATE", "1998"), ("2001", "DATE", "2001")]),
        ("1988-1990: adviser to the minister", [("1988", "DATE", "1988"), ("1990", "DATE", "1990")]),
        ("during the 1939–1945 war", [("1939", "DATE", "1939"), ("1945", "DATE", "1945")]),
        ("They sent 1200-1600 troops.", []),
    ],
)
def test_years_beside_plurals_and_in_ranges(text, expected):
    assert spans(text) == expected


@pytest.mark.parametrize(
    "text,expected",
    [
        ("He told Britain's Sunday Times newspaper.", []),
        ("The Sunday Telegraph ran it on Sunday.", [("Sunday", "DATE", "2011-11-13")]),
        ("Ratings for Monday Night Football rose on Monday night.", [("Monday night", "DATE", "2011-11-14TNI")]),
    ],
)
def test_weekday_in_a_publication_name_is_no_date(text, expected):
    assert spans(text, "2011-11-19") == expected
