"""Markdown → safe HTML for note previews.

Python-Markdown renders; nh3 (ammonia) sanitises with an allow-list: no scripts or styles, no
event handlers or style attributes, no images, iframes, objects or forms (a preview must never
load anything remote), and links only to http, https and mailto (no relative or protocol-relative
URLs). The result is fit for a QTextBrowser or a web view with remote loading off.
"""
from __future__ import annotations

import re

import markdown
import nh3

ALLOWED_TAGS = {
    "p", "br", "hr", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "pre", "code", "em",
    "strong", "b", "i", "u", "s", "del", "ins", "sub", "sup", "mark", "kbd", "ul", "ol", "li",
    "dl", "dt", "dd", "table", "thead", "tbody", "tr", "th", "td", "a", "span", "abbr",
}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "abbr": {"title"}, "th": {"align"},
                      "td": {"align"}, "ol": {"start"}}
URL_SCHEMES = {"http", "https", "mailto"}
_EXTENSIONS = ["fenced_code", "tables", "sane_lists", "nl2br"]


def _filter(tag: str, attr: str, value: str) -> str | None:
    if tag == "a" and attr == "href":
        v = value.strip()
        low = v.lower()
        if not low.startswith(("http://", "https://", "mailto:")):
            return None  # relative, protocol-relative, javascript:, data: … dropped
        return v
    return value


def sanitise_html(html: str) -> str:
    return nh3.clean(html, tags=ALLOWED_TAGS, attributes=ALLOWED_ATTRIBUTES,
                     url_schemes=URL_SCHEMES, attribute_filter=_filter, strip_comments=True,
                     link_rel="noopener noreferrer nofollow")


MAX_INDENT = 64  # columns: 16 levels of 4-space lists; deeper ones are shown at that depth
MAX_QUOTE_DEPTH = 16
_DEEP_INDENT = re.compile(r"^[ \t]{" + str(MAX_INDENT + 1) + ",}", re.M)
_QUOTE_RUN = re.compile(r"^((?:[ \t]{0,3}>){" + str(MAX_QUOTE_DEPTH) + r"})(?:[ \t]{0,3}>)+",
                        re.M)


def _flatten(text: str) -> str:
    """Python-Markdown's work grows with nesting depth on every keystroke (a list 800 deep:
    15 s, or a RecursionError); structure past these depths is flattened, the text kept."""
    text = _QUOTE_RUN.sub(r"\1", text)
    return _DEEP_INDENT.sub(lambda m: " " * min(MAX_INDENT, len(m.group().expandtabs(4))), text)


def note_to_html(text: str) -> str:
    """A note's Markdown as sanitised HTML (raw HTML in the note is sanitised too)."""
    if not text.strip():
        return ""
    try:
        html = markdown.markdown(_flatten(text), extensions=_EXTENSIONS, output_format="html")
    except RecursionError:  # a list or quote nested hundreds deep: show the text as typed
        import html as _html
        paras = (p.strip() for p in text.replace("\r\n", "\n").split("\n\n"))
        html = "".join(f"<p>{_html.escape(p).replace(chr(10), '<br>')}</p>" for p in paras if p)
    return sanitise_html(html)
