"""Fuzzing with hypothesis: importers, query handling, anchoring, export, note preview.

Robustness, not semantics: random input never raises anything but the documented error and
never yields out-of-range offsets. `make test` runs the "ci" profile (a few dozen examples per
target, ~10 s in all); `make fuzz` sets HYPOTHESIS_PROFILE=fuzz (thousands). Every crash found
becomes an explicit regression example (@example) below.
"""
from __future__ import annotations

import os
import re
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from core import anchors
from core.errors import ImportFailed
from core.importers import load_source
from core.importers.encoding import decode_bytes
from core.library import Library
from core.models import Anchor, Document
from core.text import TextBuilder

pytestmark = pytest.mark.slow  # longer runs; still part of make test


settings.register_profile("ci", max_examples=25, deadline=None, derandomize=True,
                          suppress_health_check=list(HealthCheck))
settings.register_profile("fuzz", max_examples=3000, deadline=None,
                          suppress_health_check=list(HealthCheck))
PROFILE = settings.get_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci")
                               if os.environ.get("HYPOTHESIS_PROFILE") in ("ci", "fuzz")
                               else "ci")


def fuzz(**kw):
    return settings(PROFILE, **kw)


# -- importers ------------------------------------------------------------------------------------
HTML_BITS = ["<html>", "<body>", "<p>", "</p>", "<div>", "</div>", "<article>", "<h1>", "</h1>",
             "<script>", "</script>", "<a href='javascript:x()'>", "<a href='https://e.example/'>",
             "</a>", "<!DOCTYPE html [<!ENTITY a 'aaaa'>]>", "&a;", "&#0;", "&#xD800;", "<![CDATA[",
             "]]>", "<!--", "-->", "<?xml version='1.0' encoding='utf-16'?>", "<meta charset=utf-7>",
             "<table><tr><td>", "<ul><li>", "<blockquote>", "<pre>", "<svg>", "<math>", "\x00",
             "\ud7ff", "é", "\u202e", " ", "\n", "Harbour seals returned to the estuary. ",
             "<title>", "</title>", "<br>", "<img src=x onerror=alert(1)>", "<base href=//x>"]
MD_BITS = ["---\n", "title: x\n", "tags: [a, b]\n", "date: 2024-13-45\n", "# ", "## ", "> ", "- ",
           "1. ", "```", "[l](http://x)", "[j](javascript:x)", "<script>", "![i](http://t/p.gif)",
           "\n\n", "*", "_", "|a|b|\n|-|-|\n", "&amp;", "\\", "Seals returned. ", "\r\n", "\t",
           "&: &a [*a, *a]\n", "{{", "<div>", "\x0b"]


def _load(data: bytes, suffix: str):
    with tempfile.TemporaryDirectory() as d:
        p = Path(d) / f"fuzz{suffix}"
        p.write_bytes(data)
        try:
            doc = load_source(str(p))
        except ImportFailed as e:
            assert str(e) and "\n" not in str(e)
            return None
    assert doc.text.strip() and doc.title
    for s in [*doc.blocks, *doc.links]:
        assert 0 <= s.start < s.end <= len(doc.text)
    for link in doc.links:
        assert link.attrs["href"].split(":", 1)[0].lower() in ("http", "https", "mailto")
    return doc


@fuzz()
@given(st.binary(max_size=2000), st.one_of(st.none(), st.sampled_from(
    ["utf-8", "latin-1", "utf-16", "utf-7", "shift_jis", "bogus", "", "utf-32"])))
@example(b"\xff\xfe\x00\xd8", None)  # BOM + lone surrogate
@example(b"\xef\xbb\xbf\xc3", "utf-8")
def test_decode_bytes_only_raises_import_failed(data, declared):
    try:
        text = decode_bytes(data, declared)
    except ImportFailed:
        return
    assert isinstance(text, str)


@fuzz()
@given(st.binary(max_size=3000), st.sampled_from([".txt", ".md", ".html"]))
def test_random_bytes_through_the_front_door(data, suffix):
    _load(data, suffix)


@fuzz()
@given(st.lists(st.sampled_from(HTML_BITS), max_size=60).map("".join),
       st.sampled_from(["utf-8", "utf-16", "latin-1"]))
def test_html_soup_through_the_front_door(html, enc):
    _load(html.encode(enc, "surrogatepass" if enc.startswith("utf") else "replace"), ".html")


@fuzz()
@given(st.lists(st.one_of(st.sampled_from(MD_BITS), st.text(max_size=8)), max_size=50).map("".join),
       st.sampled_from([".md", ".txt"]))
def test_markdown_and_text_soup_through_the_front_door(text, suffix):
    _load(text.encode("utf-8", "surrogatepass"), suffix)


# -- query handling -------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def lib(tmp_path_factory):
    lib = Library(tmp_path_factory.mktemp("fuzzlib"), seed=False)
    b = TextBuilder()
    b.add_block("paragraph", "Maroš Šefčovič met Keir Starmer in Brussels on 16 May 2025 about "
                "defence, youth mobility and £150bn of procurement.")
    r = lib.add_document(Document(text=b.text, blocks=b.blocks, title="UK–EU talks",
                                  published="2025-05-16", tags=["eu"]))
    lib.annotate(r.article_id, quote="youth mobility", note="Compare *Erasmus*")
    lib.ensure_index()
    yield lib
    lib.close()


QUERY_BITS = ["AND", "OR", "NOT", "ANDNOT", "ANDMAYBE", '"', "(", ")", "*", "?", "title:",
              "notes:", "person:", "published:", "[", "]", "{", "}", "to", "TO", "^", "~", "~2",
              ":", "-", "+", "'", "\\", "/", "sefcovic", "starmer", "2025", "19000101",
              "published:[2024-01-01 to 2024-12-31]", "*:*", "\x00", "\u202e", "é", " "]


@fuzz()
@given(st.one_of(st.text(max_size=60),
                 st.lists(st.sampled_from(QUERY_BITS), max_size=12).map(" ".join),
                 st.lists(st.sampled_from(QUERY_BITS), max_size=12).map("".join)),
       st.integers(-5, 50))
@example("published:[2025 to", 10)
@example("*" * 50, 1)
@example("title:(", 0)
def test_search_never_raises(lib, q, limit):
    res = lib.search(q, limit=max(limit, 1))
    assert isinstance(res.hits, list) and res.total >= len(res.hits) >= 0
    for h in res.hits:
        assert "<script" not in h.snippet_html.lower()


# -- anchoring ------------------------------------------------------------------------------------
ANCHOR_TEXT = st.text(alphabet=st.sampled_from("ab c\n\u0301é🙂"), max_size=200)


@fuzz()
@given(ANCHOR_TEXT, st.integers(-10**6, 10**6), st.integers(-10**6, 10**6),
       st.text(max_size=40), st.text(max_size=40), st.text(max_size=40))
@example("", 0, 0, "", "", "")
@example("abc", 2, 1, "", "", "")
@example("abc", -1, 5, "abc", "", "")
def test_resolve_never_raises_and_stays_in_bounds(text, start, end, exact, prefix, suffix):
    r = anchors.resolve(text, Anchor(start, end, exact, prefix, suffix))
    assert r.status in ("exact", "moved", "fuzzy", "orphaned")
    if not r.orphaned:
        assert 0 <= r.start <= r.end <= len(text)


@fuzz()
@given(ANCHOR_TEXT, st.integers(-5, 210), st.integers(-5, 210))
def test_make_anchor_raises_only_value_error(text, start, end):
    try:
        a = anchors.make_anchor(text, start, end)
    except ValueError:
        return
    assert text[a.start:a.end] == a.exact


# -- export and note preview ------------------------------------------------------------------------
_RESERVED = re.compile(r"^(con|prn|aux|nul|com\d|lpt\d)$", re.IGNORECASE)


@fuzz()
@given(st.text(max_size=300))
@example("CON.txt")
@example(". . .")
@example("\u0000/..")
def test_safe_filename(title):
    export = pytest.importorskip("core.export")
    name = export.safe_filename(title)
    assert name and len(name.encode("utf-8")) <= 255
    assert not re.search(r'[/\\:*?"<>|\x00-\x1f]', name)
    assert not _RESERVED.match(name.split(".")[0].strip())
    assert name not in (".", "..") and not name.endswith((".", " "))


@fuzz()
@given(st.text(max_size=80), st.text(max_size=300), st.text(max_size=300))
def test_export_article_never_raises(tmp_path_factory, title, body, note):
    export = pytest.importorskip("core.export")
    b = TextBuilder()
    b.add_block("paragraph", body or "x")
    if not b.text.strip():
        return
    out = tmp_path_factory.mktemp("exp")
    with Library(out / "lib", seed=False) as lib:
        r = lib.add_document(Document(text=b.text, blocks=b.blocks, title=title))
        lib.annotate(r.article_id, start=0, end=min(3, len(b.text)), note=note)
        for fmt in ("markdown", "json"):
            for p in export.export_library(lib, out / "x", fmt=fmt):
                assert p.parent == (out / "x").resolve()
        again = export.export_library(lib, out / "x")  # re-export merges, never duplicates
        assert len(again) == 2


@fuzz()
@given(st.text(max_size=300), st.text(max_size=300))
def test_merge_markdown_never_raises(existing, fresh):
    export = pytest.importorskip("core.export")
    assert isinstance(export.merge_markdown(existing, fresh, "u-1"), str)


class _Tags(__import__("html.parser").parser.HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.found: list[tuple[str, list[tuple[str, str | None]]]] = []

    def handle_starttag(self, tag, attrs):
        self.found.append((tag, attrs))


@fuzz()
@given(st.lists(st.one_of(st.sampled_from(MD_BITS + HTML_BITS), st.text(max_size=6)),
                max_size=40).map("".join))
@example("\\[j](javascript:x)")  # "javascript:" as visible text is fine (was a false alarm)
def test_note_preview_is_always_sanitised(md):
    notes_html = pytest.importorskip("core.notes_html")
    parser = _Tags()
    parser.feed(notes_html.note_to_html(md))
    for tag, attrs in parser.found:
        assert tag in notes_html.ALLOWED_TAGS, tag
        for name, value in attrs:
            assert not name.startswith("on") and name not in ("src", "style", "srcset"), name
            if name == "href":
                assert (value or "").strip().lower().startswith(
                    ("http://", "https://", "mailto:")), value
