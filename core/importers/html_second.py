"""A second opinion on where the article is: readability-lxml's candidate.

Trafilatura is our main extractor (best on the Zyte benchmark), but it sometimes keeps much
less than the article (a page of short paragraphs, repeated paragraphs it takes for
boilerplate) or much more (comments, "more stories" lists). readability-lxml scores the DOM
differently; when the two disagree strongly about how much text the article has, we take
readability's version. The thresholds were chosen on the Zyte set and the Readability test
pages together (see docs/benchmarks.md): trafilatura's text is kept unless it has under 70 %
or over twice readability's words.

Readability's output is HTML; it is turned into the same small XML vocabulary trafilatura
produces (p, head, list/item, quote, code, table/row/cell, ref, hi, lb), so one
walker (core.importers.html) builds the blocks for both.
"""
from __future__ import annotations

import logging
import re

import lxml.html
from lxml import etree

SHORT_RATIO = 0.7
LONG_RATIO = 2.0
MIN_WORDS_FOR_LONG = 50
_WORD = re.compile(r"\w+")

_BLOCK = {"p": "p", "blockquote": "quote", "pre": "code", "ul": "list", "ol": "list",
          "li": "item", "table": "table", "tr": "row", "td": "cell", "th": "cell",
          "div": "div", "section": "div", "article": "div", "main": "div", "figure": "div",
          "figcaption": "caption", "dl": "div", "dd": "p", "dt": "p", "header": "div",
          "footer": "div", "aside": "div", "center": "div", "details": "div", "summary": "p",
          "caption": "caption", "address": "p", "tbody": None, "thead": None, "tfoot": None,
          "h1": "head", "h2": "head", "h3": "head", "h4": "head", "h5": "head", "h6": "head"}
_INLINE_HI = {"b", "strong", "i", "em", "u", "sup", "sub", "code", "mark", "small", "cite",
              "q", "abbr", "time", "span", "font", "s", "del", "ins", "kbd", "var", "tt",
              "label", "big"}
_DROP = {"script", "style", "noscript", "iframe", "object", "embed", "form", "button",
         "input", "select", "textarea", "svg", "nav", "template", "video", "audio",
         "canvas", "map"}


def words(el: etree._Element | None) -> int:
    return 0 if el is None else len(_WORD.findall(" ".join(el.itertext())))


def second_opinion(tree: lxml.html.HtmlElement, body: etree._Element | None,
                   url: str) -> etree._Element | None:
    """`body` (trafilatura's XML), or readability's article when their sizes disagree."""
    other = readability_body(tree, url)
    if other is None:
        return body
    mine, theirs = words(body), words(other)
    if mine < SHORT_RATIO * theirs or (mine > LONG_RATIO * theirs
                                      and theirs >= MIN_WORDS_FOR_LONG):
        return other
    return body


def readability_body(tree: lxml.html.HtmlElement, url: str) -> etree._Element | None:
    """readability-lxml's article as trafilatura-style XML, or None if it finds nothing."""
    try:
        from readability import Document
    except ImportError:  # an optional second opinion; trafilatura alone still works
        return None
    html = lxml.html.tostring(tree, encoding="unicode")
    logging.getLogger("readability.readability").setLevel(logging.ERROR)
    try:
        summary = Document(html, url=url or None).summary(html_partial=True)
        root = lxml.html.fragment_fromstring(summary, create_parent="div")
    except Exception:  # noqa: BLE001 - any failure of the second opinion: keep the first
        return None
    out = etree.Element("body")
    _convert_children(root, out, 0)
    return out if words(out) else None


def _convert_children(src: etree._Element, dst: etree._Element, depth: int) -> None:
    if src.text:
        _append_text(dst, src.text)
    for child in src:
        _convert(child, dst, depth + 1)
        if child.tail:
            _append_text(dst, child.tail)


def _append_text(dst: etree._Element, text: str) -> None:
    if len(dst):
        dst[-1].tail = (dst[-1].tail or "") + text
    else:
        dst.text = (dst.text or "") + text


def _convert(el: etree._Element, dst: etree._Element, depth: int) -> None:
    tag = el.tag.lower() if isinstance(el.tag, str) else ""
    if not tag or tag in _DROP or depth > 90:
        return
    if tag in _BLOCK:
        name = _BLOCK[tag]
        if name is None:  # tbody and friends: their rows belong to the table
            _convert_children(el, dst, depth)
            return
        if name == "caption":
            name = "p"
        node = etree.SubElement(dst, name)
        if tag in ("ol", "ul"):
            node.set("rend", tag)
        elif name == "head":
            node.set("rend", tag)
        elif tag == "th":
            node.set("role", "head")
        elif tag in ("figcaption", "caption"):
            node.set("rend", "caption")
        _convert_children(el, node, depth)
        return
    if tag == "img":  # pictures are placed afterwards by core.importers.html_images
        return
    if tag == "br":
        etree.SubElement(dst, "lb")
        return
    if tag == "a":
        node = etree.SubElement(dst, "ref")
        if el.get("href"):
            node.set("target", el.get("href"))
        _convert_children(el, node, depth)
        return
    if tag == "hr":
        return
    node = etree.SubElement(dst, "hi" if tag in _INLINE_HI else "hi")
    _convert_children(el, node, depth)
