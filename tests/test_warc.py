"""WARC input: a crawl file written here with warcio, read by load_corpus (pages, metadata from the WARC headers,
duplicates by URL and non-pages listed, a truncated record tolerated)."""

import io

import pytest
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from helpers.corpus import load_corpus
from helpers.corpus.warc import url_doc_id

STORY = (
    "Iran began withdrawing military personnel from Syria on Friday, regional officials said, as rebels "
    "advanced toward Damascus and the government struggled to hold its lines. "
)


def _page(title: str, paragraphs: int, date: str = "") -> bytes:
    meta = f'<meta property="article:published_time" content="{date}">' if date else ""
    body = "".join(f"<p>{STORY} Paragraph {i} of the report on {title}.</p>" for i in range(paragraphs))
    return (
        f"<html><head><title>{title}</title>{meta}</head><body><nav>Home | World | Sport</nav>"
        f"<article><h1>{title}</h1>{body}</article><footer>Copyright</footer></body></html>"
    ).encode()


def _response(writer, url, payload, status="200 OK", content_type="text/html; charset=utf-8", date=None):
    http = StatusAndHeaders(status, [("Content-Type", content_type)], protocol="HTTP/1.1")
    headers = {"WARC-Date": date} if date else None
    rec = writer.create_warc_record(
        url, "response", payload=io.BytesIO(payload), http_headers=http, warc_headers_dict=headers
    )
    writer.write_record(rec)


def _crawl(path, truncate=False):
    with open(path, "wb") as fh:
        w = WARCWriter(fh, gzip=True)
        w.write_record(w.create_warcinfo_record(path.name, {"software": "test"}))
        _response(w, "https://www.example.com/news/iran-syria/", _page("Iran leaves Syria", 4, "2024-12-06"))
        get = b"GET /news/iran-syria/ HTTP/1.1\r\nHost: www.example.com\r\n\r\n"
        req = w.create_warc_record("https://www.example.com/news/iran-syria/", "request", payload=io.BytesIO(get))
        w.write_record(req)
        _response(w, "https://www.example.com/news/iran-syria", _page("Iran leaves Syria again", 4))  # same URL
        _response(w, "http://news.test/a.png", b"\x89PNG\r\n\x1a\n" + b"\0" * 50, content_type="image/png")
        _response(w, "http://news.test/old", b"", status="301 Moved Permanently")
        _response(w, "http://news.test/story?id=7#top", _page("Rebels advance", 3), date="2024-12-07T08:30:00Z")
        if truncate:
            _response(w, "http://news.test/cut", _page("Cut short", 6))
    if truncate:
        data = path.read_bytes()
        path.write_bytes(data[: len(data) - 300])  # the last record loses its end


@pytest.fixture
def crawl(tmp_path):
    folder = tmp_path / "crawl"
    folder.mkdir()
    _crawl(folder / "crawl-1.warc.gz")
    _crawl(folder / "crawl-2.warc.gz", truncate=True)  # the same pages again, then a cut record
    return folder


def test_html_responses_become_documents_with_warc_metadata(crawl):
    docs = load_corpus(crawl / "crawl-1.warc.gz")
    assert list(docs["doc_id"]) == ["example.com/news/iran-syria", "news.test/story?id=7"]
    first, second = docs.itertuples(index=False)
    assert first.url == "https://www.example.com/news/iran-syria/" and first.source == "example.com"
    assert "withdrawing military personnel" in first.text and "Home | World" not in first.text
    assert first.title == "Iran leaves Syria"
    assert str(first.published.date()) == "2024-12-06"  # the page's own date
    assert second.published.isoformat() == "2024-12-07T08:30:00+00:00"  # no page date: when it was captured
    assert second.source == "news.test"


def test_duplicates_non_pages_and_a_truncated_record_are_listed(crawl):
    docs = load_corpus(crawl)
    assert sorted(docs["doc_id"]) == ["example.com/news/iran-syria", "news.test/story?id=7"]
    reasons = docs.skipped["reason"].tolist()
    by_file = docs.skipped.groupby(docs.skipped["path"].str.rsplit("/", n=1).str[-1])["reason"].apply(list)
    assert sum("duplicate URL https://www.example.com/news/iran-syria" in r for r in reasons) == 2  # in each file
    assert any(r.startswith("2 responses that are not HTML pages (") and "image/png 1" in r for r in reasons)
    assert any("HTTP 301 1" in r for r in reasons)
    assert any(r.startswith("truncated or malformed WARC") for r in by_file["crawl-2.warc.gz"])
    assert sum("duplicate doc_id" in r for r in reasons) == 2  # crawl-2 repeats crawl-1's two pages
    assert not any(r.startswith("truncated") for r in by_file["crawl-1.warc.gz"])


@pytest.mark.parametrize("compressed", [True, False])
@pytest.mark.parametrize("where", [0.05, 0.5, 0.95])
def test_a_record_cut_short_is_listed_not_analysed(tmp_path, compressed, where):
    """However the last record is cut (in its headers, its page, or near its end), the page before it loads and
    the cut record is listed, never analysed half-read."""
    path = tmp_path / ("cut.warc.gz" if compressed else "cut.warc")
    with open(path, "wb") as fh:
        w = WARCWriter(fh, gzip=compressed)
        _response(w, "http://x.test/one", _page("One", 3))
        first_end = fh.tell()
        _response(w, "http://x.test/two", _page("Two", 8))
    data = path.read_bytes()
    path.write_bytes(data[: first_end + int((len(data) - first_end) * where)])
    docs = load_corpus(path)
    assert list(docs["doc_id"]) == ["x.test/one"]
    assert len(docs.skipped) == 1 and docs.skipped["reason"].iloc[0].startswith(("truncated record", "truncated or"))


def test_url_doc_ids():
    assert url_doc_id("https://www.Example.com/a/b/?x=1#frag") == "example.com/a/b?x=1"
    assert url_doc_id("http://example.com/") == "example.com"
    assert url_doc_id("not a url") == "not a url"
