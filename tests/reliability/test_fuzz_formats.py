
"""Fuzzing the issue-17 parsers: PDF, EPUB, feeds, export detection/reading, highlight placement.
Random input raises nothing but ImportFailed, and placed anchors always quote the text."""
from __future__ import annotations

import io
import zipfile

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from core.app_import import Placer
from core.errors import ImportFailed
from core.feeds import parse_feed, parse_opml
from core.importers.app_exports import Highlight, detect, read_entries
from core.importers.epub import parse_epub
from core.importers.pdf import parse_pdf
from tests.reliability.test_fuzz import fuzz

pytestmark = pytest.mark.slow  # longer runs; still part of make test



@fuzz()
@given(st.binary(max_size=2000))
def test_pdf_random_bytes(data):
    for blob in (data, b"%PDF-1.4\n" + data):
        try:
            parse_pdf(blob)
        except ImportFailed:
            pass


@fuzz()
@given(st.dictionaries(st.sampled_from(["META-INF/container.xml", "OEBPS/content.opf",
                                        "a.xhtml", "META-INF/encryption.xml"]),
                       st.binary(max_size=400), max_size=4))
def test_epub_random_archives(files):
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        for name, body in files.items():
            zf.writestr(name, body)
    try:
        parse_epub(buf.getvalue())
    except ImportFailed:
        pass


@fuzz()
@given(st.one_of(st.binary(max_size=1500),
                 st.text(max_size=800).map(lambda t: f"<rss><channel>{t}</channel></rss>".encode()),
                 st.text(max_size=800).map(lambda t: f'<feed xmlns="http://www.w3.org/2005/Atom">'
                                                     f"<entry>{t}</entry></feed>".encode())))
def test_feed_and_opml_random(data):
    for fn in (parse_feed, parse_opml):
        try:
            fn(data)
        except ImportFailed:
            pass


@fuzz()
@given(st.binary(max_size=1500))
@example(b"\x00\r\x00")  # a bare CR in the first line once raised csv.Error from detect()
def test_export_detection_and_reading(tmp_path_factory, data):
    p = tmp_path_factory.mktemp("x") / "export"
    for head in (b"", b"title,url,time_added,tags,status\n", b"URL,Title,Selection,Folder,Timestamp\n",
                 b"<!DOCTYPE NETSCAPE-Bookmark-file-1>\n", b'[{"is_archived": 1, "url": '):
        p.write_bytes(head + data)
        kind = detect(p)
        if kind and kind != "omnivore":
            try:
                for e in read_entries(p, kind):
                    assert isinstance(e.url, str)
            except ImportFailed:
                pass


@fuzz()
@given(st.text(max_size=400), st.lists(st.text(min_size=1, max_size=60), max_size=6))
def test_placer_anchors_are_in_the_text(text, quotes):
    p = Placer(text)
    for q in quotes:
        a = p.place(Highlight(q))
        if a.end > a.start:
            assert 0 <= a.start < a.end <= len(text) and text[a.start:a.end] == a.exact
