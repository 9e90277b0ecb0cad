"""extract_html: structure, metadata, and hostile or broken input."""
from __future__ import annotations

import time
from pathlib import Path

import pytest

from core.errors import ImportFailed
from core.importers.html import MAX_HTML_CHARS, extract_html, parse_html

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "importers"
PARA = ("This paragraph is long enough to count as article text for the extractor, and it talks "
        "about harbour seals, estuaries and the volunteers who count them every week. ")


def _doc(name: str, url: str = ""):
    return extract_html((FIXTURES / name).read_text(encoding="utf-8"), url)


def test_article_structure_and_metadata():
    d = _doc("article.html", "https://www.coastgazette.example/news/seals-return")
    assert d.title == "Harbour seals return to the estuary"  # " | The Coast Gazette" dropped
    assert d.author == "Jane Marlow"
    assert d.site == "The Coast Gazette"
    assert d.published == "2024-03-14"
    assert d.language == "en"
    assert d.url.startswith("https://www.coastgazette.example/news/seals-return")
    kinds = [b.kind for b in d.blocks]
    assert kinds.count("list_item") == 3 and "quote" in kinds and "heading" in kinds
    assert not d.text.startswith(d.title)  # the H1 repeating the title is not body text
    assert "Privacy" not in d.text and "Home" not in d.text  # boilerplate gone
    assert "£40m" in d.text
    heading = next(b for b in d.blocks if b.kind == "heading")
    assert d.text[heading.start:heading.end] == "What changed" and heading.attrs["level"] == 2


def test_links_are_spans_with_absolute_hrefs():
    d = _doc("article.html", "https://www.coastgazette.example/news/seals-return")
    links = {d.text[s.start:s.end]: s.attrs["href"] for s in d.links}
    assert links["North Devon Wildlife Trust"] == "https://wildlife.example/trust"
    assert links["trust's website"] == "https://www.coastgazette.example/report"


def test_hostile_page_keeps_text_and_only_safe_links():
    d = _doc("hostile.html")
    assert "first paragraph" in d.text and "third paragraph" in d.text
    for bad in ("alert", "document.cookie", "evil.example", "tracker.example", "background"):
        assert bad not in d.text
    hrefs = [s.attrs["href"] for s in d.links]
    assert hrefs == ["https://good.example/page", "mailto:editor@news.example"]
    assert "lollol" not in d.text  # internal DTD entities are never expanded


def test_relative_links_without_base_are_dropped():
    html = f"<html><body><article><p>{PARA}<a href='/x'>rel</a> <a href='#f'>frag</a></p>" \
           f"<p>{PARA}</p></article></body></html>"
    assert extract_html(html).links == []


def test_billion_laughs_does_not_expand():
    lol = '<!ENTITY a "' + "x" * 100 + '">' + "".join(
        f'<!ENTITY {chr(98 + i)} "' + f"&{chr(97 + i)};" * 10 + '">' for i in range(8))
    html = f"<!DOCTYPE html [{lol}]><html><body><p>{PARA}&i;</p><p>{PARA}</p></body></html>"
    start = time.monotonic()
    d = extract_html(html)
    assert time.monotonic() - start < 5
    assert len(d.text) < 2000


def test_deeply_nested_input_is_handled():
    html = "<html><body>" + "<div>" * 20000 + f"<p>{PARA}</p>" + "</div>" * 20000 + "</body></html>"
    try:
        d = extract_html(html)
    except ImportFailed as e:  # refusing is fine; crashing with RecursionError is not
        assert str(e)
    else:
        assert d.text is not None


def test_oversized_html_is_refused_before_parsing():
    with pytest.raises(ImportFailed, match="too large"):
        parse_html("<p>" + "x" * (MAX_HTML_CHARS + 1))


@pytest.mark.parametrize("html", [
    "", "   ", "<html></html>", "<html><body><script>var x = 1;</script></body></html>",
    "<html><body><img src='https://tracker.example/a.png'></body></html>",
])
def test_no_article_text(html):
    with pytest.raises(ImportFailed, match="no article text found|could not parse"):
        extract_html(html)


@pytest.mark.parametrize("html", [
    "<<<>>>&&&", "<html><body><nav><a href='/'>Home</a></nav></body></html>", "\x00<p>\ud800",
    "<html><body><table><tr><td>a<td>b</table></body></html>", "<svg><foreignObject><p>x",
])
def test_junk_gives_a_well_formed_document_or_a_one_line_failure(html):
    try:
        d = extract_html(html)
    except ImportFailed as e:
        assert str(e).strip() and "\n" not in str(e) and "Traceback" not in str(e)
        return
    assert d.text.strip()
    assert "\x00" not in d.text and not any(0xD800 <= ord(c) <= 0xDFFF for c in d.text)
    end = 0
    for blk in d.blocks:  # blocks in order, inside the text, never overlapping
        assert end <= blk.start < blk.end <= len(d.text)
        end = blk.end
    assert all(0 <= k.start < k.end <= len(d.text) for k in d.links)


def test_broken_html_still_extracts():
    html = f"<html><head><title>Broken</title><body><div><p>{PARA}<p>{PARA}<b>unclosed <i>tags"
    d = extract_html(html)
    assert "harbour seals" in d.text


def test_xml_declaration_in_str_input():
    html = f'<?xml version="1.0" encoding="utf-8"?><html><body><p>{PARA}</p><p>{PARA}</p>' \
           "</body></html>"
    assert "harbour seals" in extract_html(html).text
