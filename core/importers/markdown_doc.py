"""Markdown articles (.md, text/markdown pages, Obsidian/Zotero-style clippings) → Document.

markdown-it-py (CommonMark) gives a token stream with inline link tokens, so blocks and link
spans come straight from the parse instead of re-parsing rendered HTML. Optional YAML front
matter supplies metadata; it is read with safe_load and only scalar values (or lists of
scalars for tags/authors) are used, so YAML alias bombs are never expanded into strings.
"""
from __future__ import annotations

import datetime as dt
import re
from typing import Any

import yaml

from core.importers.html import _safe_url
from core.importers.plain import title_from_name
from core.models import Document
from core.text import TextBuilder, clean_inline

MAX_FRONT_MATTER = 64 * 1024
_FRONT_MATTER = re.compile(r"\A---[ \t]*\n(.*?\n)?(?:---|\.\.\.)[ \t]*(?:\n|\Z)", re.DOTALL)
_SCALAR = (str, int, float, dt.date)
_DATE_FORMATS = ("%Y-%m-%d", "%d %B %Y", "%B %d, %Y", "%d %b %Y", "%b %d, %Y", "%Y/%m/%d")


def parse_markdown(text: str, *, name: str = "") -> Document:
    """Build a Document from Markdown with optional front matter (title, author, site/source,
    url, published/date, tags, language). Title: front matter, else a leading H1 (which is then
    not repeated in the body), else the file name."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").lstrip("\ufeff")
    meta, body = split_front_matter(text)
    doc = _render(body, meta.get("url", ""), meta.get("title", ""))
    doc.author = meta.get("author", "")
    doc.site = meta.get("site", "")
    doc.url = meta.get("url", "")
    doc.published = meta.get("published", "")
    doc.language = meta.get("language", "")
    doc.tags = meta.get("tags", [])
    if not doc.title:
        doc.title = title_from_name(name)
    return doc


def split_front_matter(text: str) -> tuple[dict[str, Any], str]:
    """(normalised metadata, body). Malformed or oversized front matter is left out rather than
    failing the import: the article is what the user wants, the metadata is a bonus."""
    m = _FRONT_MATTER.match(text)
    if not m:
        return {}, text
    body = text[m.end():]
    raw = m.group(1) or ""
    if len(raw) > MAX_FRONT_MATTER:
        return {}, body
    try:
        data = yaml.safe_load(raw)
    except yaml.YAMLError:
        return {}, body
    return (_normalise_meta(data) if isinstance(data, dict) else {}), body


def _normalise_meta(data: dict) -> dict[str, Any]:
    data = {str(k).strip().lower(): v for k, v in data.items() if isinstance(k, str)}

    def first(*keys: str) -> Any:
        for k in keys:
            if data.get(k) not in (None, "", []):
                return data[k]
        return None

    out: dict[str, Any] = {}
    out["title"] = _scalar(first("title"))
    out["author"] = ", ".join(_scalar_list(first("author", "authors", "creator", "by")))
    source = _scalar(first("source"))
    url = _scalar(first("url", "source_url", "link", "canonical"))
    if not url and re.match(r"https?://", source):
        url, source = source, ""
    out["url"] = _safe_url(url, "") if re.match(r"https?://", url) else ""
    out["site"] = _scalar(first("site", "site_name", "sitename", "publisher", "website")) or source
    out["published"] = _iso_date(first("published", "date", "created", "date_published"))
    out["language"] = _scalar(first("language", "lang")).split("-")[0].lower()
    tags: list[str] = []
    for t in _scalar_list(first("tags", "tag", "keywords", "categories")):
        t = t.lstrip("#")
        if t and t.casefold() not in {x.casefold() for x in tags}:
            tags.append(t)
    out["tags"] = tags
    return out


def _scalar(v: Any) -> str:
    if isinstance(v, bool) or not isinstance(v, _SCALAR):
        return ""
    return clean_inline(str(v))[:500]


def _scalar_list(v: Any) -> list[str]:
    if isinstance(v, str):
        items: list[Any] = v.split(",") if "," in v else [v]
    elif isinstance(v, list):
        items = v[:100]
    else:
        items = [v]
    return [s for s in (_scalar(i) for i in items) if s]


def _iso_date(v: Any) -> str:
    if isinstance(v, dt.date):  # YAML turns 2024-05-01 into a date (datetime is a subclass)
        return v.isoformat()[:10]
    s = _scalar(v)
    m = re.match(r"(\d{4}-\d{2}-\d{2})", s)
    s = m.group(1) if m else s
    for fmt in _DATE_FORMATS:
        try:
            return dt.datetime.strptime(s, fmt).date().isoformat()
        except ValueError:
            continue
    return ""


# --- body ---------------------------------------------------------------------------------------

def _render(body: str, base: str, title: str) -> Document:
    """Walk markdown-it tokens; containers (quote, list item, table row) decide a block's kind."""
    from markdown_it import MarkdownIt

    md = MarkdownIt("commonmark", {"html": True}).enable("table")
    # Parse every link as a link so its words read normally; _safe_url then keeps only
    # http/https/mailto targets (markdown-it would leave "[x](javascript:...)" as raw text).
    # (markdown-it, like its JS original, is customised by replacing validateLink per instance)
    md.validateLink = lambda url: True  # type: ignore[method-assign]
    b = TextBuilder()
    stack: list[str] = []
    heading_level = 0
    row: list[tuple[str, str | None]] | None = None
    for tok in md.parse(body):
        t = tok.type
        if t.endswith("_open") and t not in ("paragraph_open", "heading_open"):
            stack.append(t[:-5])
        elif t.endswith("_close") and t not in ("paragraph_close", "heading_close") and stack:
            stack.pop()
        if t == "heading_open":
            heading_level = int(tok.tag[1:]) if tok.tag[1:].isdigit() else 2
        elif t == "heading_close":
            heading_level = 0
        elif t == "tr_open":
            row = []
        elif t == "tr_close":
            if row:
                b.add_block("paragraph", row)
            row = None
        elif t == "inline":
            segs = _inline_segments(tok.children or [], base)
            if row is not None:
                if row:
                    row.append((" | ", None))
                row.extend(segs)
            elif heading_level:
                plain = clean_inline("".join(s for s, _ in segs))
                if heading_level == 1 and not b.blocks and (not title or plain.casefold()
                                                               == title.casefold()):
                    title = title or plain  # the leading H1 is the title, not body text
                    continue
                b.add_block("heading", segs, {"level": heading_level})
            else:
                b.add_block(_container_kind(stack), segs)
        elif t in ("fence", "code_block"):
            b.add_block("code", tok.content)
        elif t == "html_block":
            b.add_block(_container_kind(stack), _html_text(tok.content))
    return Document(text=b.text, blocks=b.blocks, links=b.links, title=clean_inline(title))


def _container_kind(stack: list[str]) -> str:
    for c in reversed(stack):
        if c == "list_item":
            return "list_item"
        if c == "blockquote":
            return "quote"
    return "paragraph"


def _inline_segments(children: list, base: str) -> list[tuple[str, str | None]]:
    segs: list[tuple[str, str | None]] = []
    href: str | None = None
    for c in children:
        if c.type == "link_open":
            href = _safe_url(str(c.attrGet("href") or ""), base) or None
        elif c.type == "link_close":
            href = None
        elif c.type in ("text", "code_inline"):
            segs.append((c.content, href))
        elif c.type in ("softbreak", "hardbreak"):
            segs.append((" ", None))
        # images, raw inline HTML and emphasis markers carry no reading text
    return segs


def _html_text(fragment: str) -> str:
    """Readable text of a raw HTML block in Markdown, without script/style contents."""
    import lxml.html
    from lxml import etree

    try:
        parser = lxml.html.HTMLParser(remove_comments=True, remove_pis=True, no_network=True,
                                      huge_tree=False)
        el = lxml.html.fragment_fromstring(fragment, create_parent="div", parser=parser)
    except (etree.ParserError, ValueError):
        return ""
    for bad in el.xpath(".//script|.//style|.//template"):
        bad.drop_tree()
    return " ".join(el.itertext())
