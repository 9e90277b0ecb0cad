"""Markdown → safe HTML for note previews.

Python-Markdown renders; nh3 (ammonia) sanitises with an allow-list: no scripts or styles, no
event handlers or style attributes, no images, iframes, objects or forms (a preview must never
load anything remote), and links only to http, https and mailto (no relative or protocol-relative
URLs). The result is fit for a QTextBrowser or a web view with remote loading off.
"""
from __future__ import annotations

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


def note_to_html(text: str) -> str:
    """A note's Markdown as sanitised HTML (raw HTML in the note is sanitised too)."""
    if not text.strip():
        return ""
    html = markdown.markdown(text, extensions=_EXTENSIONS, output_format="html")
    return sanitise_html(html)
