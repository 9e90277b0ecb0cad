"""HTML page → Document: trafilatura finds the article, we turn its XML into canonical text.

Imported HTML is untrusted. We parse it ourselves with a locked-down lxml parser (no network,
no huge trees, comments and processing instructions dropped, DTD internal subsets cut out so
no entity can expand) and hand trafilatura the tree, so its own loader never sees raw input.
Nothing is fetched: images, iframes and scripts are dropped, and only http/https/mailto link
targets survive.
"""
from __future__ import annotations

import copy
import re
from urllib.parse import urljoin, urlsplit

import lxml.html
from lxml import etree

from core.errors import ImportFailed
from core.models import Document
from core.text import TextBuilder, clean_inline

MAX_HTML_CHARS = 10_000_000  # bigger than any real article page; protects memory and time
MAX_DEPTH = 100  # trafilatura's output is shallow; deeper nesting is flattened to text
SAFE_SCHEMES = ("http", "https", "mailto")

# Extraction settings, tuned on the Zyte article-extraction benchmark (bench/extraction.py):
# precision mode drops more boilerplate (F1 0.963 vs 0.961 default), and falling back to the
# default mode when precision mode keeps less than half of its text recovers the pages where
# it cut real paragraphs (F1 0.966). See docs/benchmarks.md.
TRAFILATURA_OPTIONS: dict = {
    "include_comments": False,
    "include_tables": True,
    "include_images": False,
    "include_links": True,
    "include_formatting": True,
}
PRECISION_FALLBACK_RATIO = 0.5

_DOCTYPE_SUBSET = re.compile(r"<!DOCTYPE[^>\[]*\[.*?\]\s*>", re.IGNORECASE | re.DOTALL)
_ENTITY_DECL = re.compile(r"<!ENTITY[^>]*>", re.IGNORECASE)
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}")
_INLINE_BREAK = {"lb"}
_SKIP = {"graphic", "fw", "note"}


def _parser() -> lxml.html.HTMLParser:
    return lxml.html.HTMLParser(
        remove_comments=True, remove_pis=True, no_network=True, huge_tree=False,
        collect_ids=False, default_doctype=False, recover=True,
    )


def parse_html(html: str) -> lxml.html.HtmlElement:
    """Parse untrusted HTML safely; raises ImportFailed for oversized or unparseable input."""
    if len(html) > MAX_HTML_CHARS:
        raise ImportFailed(f"page too large ({len(html) // 1_000_000} MB of HTML, "
                           f"limit {MAX_HTML_CHARS // 1_000_000} MB)")
    html = _ENTITY_DECL.sub("", _DOCTYPE_SUBSET.sub("", html))
    # lxml refuses str input that carries an XML encoding declaration; we already decoded.
    html = re.sub(r"^\s*<\?xml[^>]*\?>", "", html)
    try:
        tree = lxml.html.document_fromstring(html, parser=_parser())
    except (etree.ParserError, ValueError, etree.XMLSyntaxError) as e:
        raise ImportFailed(
            f"could not parse HTML: {str(e).splitlines()[0] if str(e) else e}") from None
    if tree is None:
        raise ImportFailed("could not parse HTML")
    return tree


def extract_html(html: str, url: str = "") -> Document:
    """Extract the main article of an HTML page with its structure and metadata.

    `url` is where the page came from (used to resolve relative links and as a fallback for
    the site name). Raises ImportFailed("no article text found") when nothing readable is left.
    """
    import trafilatura

    tree = parse_html(html)
    declared_titles = _declared_titles(tree)
    try:
        result = trafilatura.bare_extraction(copy.deepcopy(tree), url=url or None,
                                             with_metadata=True, favor_precision=True,
                                             **TRAFILATURA_OPTIONS)
        recall = trafilatura.bare_extraction(tree, url=url or None, with_metadata=True,
                                             **TRAFILATURA_OPTIONS)
    except RecursionError:
        raise ImportFailed("page is too deeply nested to read") from None
    # without as_dict=True both are Documents (or None); trafilatura's annotation allows a dict
    assert not isinstance(result, dict) and not isinstance(recall, dict)
    if recall is not None and recall.body is not None and (
            result is None or result.body is None
            or len(_text_of(result)) < PRECISION_FALLBACK_RATIO * len(_text_of(recall))):
        result = recall
    if result is None or result.body is None:
        raise ImportFailed("no article text found")

    canonical = _safe_url(result.url or "", url) if result.url else ""
    base = url or canonical
    site = clean_inline(result.sitename or "") or _host(url) or _host(canonical)
    title = _choose_title(clean_inline(result.title or ""), declared_titles, site)
    _drop_title_heading(result.body, title)
    builder = TextBuilder()
    _walk_children(result.body, "paragraph", builder, base, 0)
    if not builder.text.strip():
        raise ImportFailed("no article text found")
    return Document(
        text=builder.text,
        blocks=builder.blocks,
        links=builder.links,
        title=title,
        author=clean_inline(result.author or ""),
        site=site,
        url=canonical or url,
        published=(result.date or "")[:10] if _ISO_DATE.match(result.date or "") else "",
        language=_language(result.language or tree.get("lang") or ""),
        tags=_tags(result.categories, result.tags),
    )


def _drop_title_heading(body: etree._Element, title: str) -> None:
    """The reader shows the title above the text; a leading heading repeating it goes."""
    first = body[0] if len(body) else None
    if (first is not None and first.tag == "head" and title and not (body.text or "").strip()
            and clean_inline(" ".join(first.itertext())).casefold() == title.casefold()):
        if (first.tail or "").strip():
            body.text = (body.text or "") + first.tail
        body.remove(first)


def _text_of(result) -> str:
    return " ".join(result.body.itertext()).strip()


# --- turning trafilatura's XML into blocks -----------------------------------------------------

def _walk_children(el: etree._Element, kind: str, b: TextBuilder, base: str, depth: int,
                   attrs: dict | None = None) -> None:
    """Emit el's content as blocks of `kind`; block-level children start blocks of their own."""
    segs: list[tuple[str, str | None]] = []

    def flush() -> None:
        if segs:
            b.add_block(kind, list(segs), attrs)
            segs.clear()

    if el.text:
        segs.append((el.text, None))
    for child in el:
        tag = child.tag if isinstance(child.tag, str) else ""
        if tag in _BLOCK_HANDLERS and depth < MAX_DEPTH:
            flush()
            _BLOCK_HANDLERS[tag](child, kind, b, base, depth + 1)
        elif tag in _BLOCK_HANDLERS:  # too deep: keep the words, lose the structure
            segs.append((" " + " ".join(child.itertext()) + " ", None))
        else:
            _inline(child, segs, base, None)
        if child.tail:
            segs.append((child.tail, None))
    flush()


def _inline(el: etree._Element, segs: list[tuple[str, str | None]], base: str,
            href: str | None) -> None:
    tag = el.tag if isinstance(el.tag, str) else ""
    if tag in _SKIP:
        return
    if tag in _INLINE_BREAK:
        segs.append((" ", None))
        return
    if tag == "ref":
        href = _safe_url(el.get("target") or "", base) or href
    if el.text:
        segs.append((el.text, href))
    for child in el:
        _inline(child, segs, base, href)
        if child.tail:
            segs.append((child.tail, href))


def _p(el: etree._Element, kind: str, b: TextBuilder, base: str, depth: int) -> None:
    # A paragraph inside a quote or list item keeps that kind.
    _walk_children(el, kind if kind in ("quote", "list_item") else "paragraph", b, base, depth)


def _head(el: etree._Element, kind: str, b: TextBuilder, base: str, depth: int) -> None:
    m = re.search(r"\d", el.get("rend") or "")
    _walk_children(el, "heading", b, base, depth, {"level": int(m.group()) if m else 2})


def _quote(el: etree._Element, kind: str, b: TextBuilder, base: str, depth: int) -> None:
    _walk_children(el, "quote", b, base, depth)


def _list(el: etree._Element, kind: str, b: TextBuilder, base: str, depth: int) -> None:
    for item in el:
        if item.tag == "item":
            _walk_children(item, "list_item", b, base, depth + 1)
        elif isinstance(item.tag, str) and item.tag in _BLOCK_HANDLERS:
            _BLOCK_HANDLERS[item.tag](item, kind, b, base, depth + 1)


def _code(el: etree._Element, kind: str, b: TextBuilder, base: str, depth: int) -> None:
    _walk_children(el, "code", b, base, depth)


def _table(el: etree._Element, kind: str, b: TextBuilder, base: str, depth: int) -> None:
    """Each row becomes one paragraph, cells separated by " | " (the reader has no tables)."""
    for row in el.iter("row"):
        segs: list[tuple[str, str | None]] = []
        for cell in row:
            if segs:
                segs.append((" | ", None))
            cell_segs: list[tuple[str, str | None]] = []
            if cell.text:
                cell_segs.append((cell.text, None))
            for child in cell:
                _inline(child, cell_segs, base, None)
                if child.tail:
                    cell_segs.append((child.tail, None))
            segs.extend(cell_segs)
        b.add_block("paragraph", segs)


def _div(el: etree._Element, kind: str, b: TextBuilder, base: str, depth: int) -> None:
    _walk_children(el, kind, b, base, depth)


_BLOCK_HANDLERS = {
    "p": _p, "head": _head, "quote": _quote, "list": _list, "item": _div, "code": _code,
    "table": _table, "div": _div, "body": _div, "section": _div,
}


# --- metadata helpers ----------------------------------------------------------------------------

def _safe_url(href: str, base: str) -> str:
    """Absolute http/https/mailto URL, or "" (javascript:, data:, unresolvable relative...)."""
    href = href.strip()
    if not href:
        return ""
    try:
        absolute = urljoin(base, href) if base else href
        scheme = urlsplit(absolute).scheme.lower()
    except ValueError:
        return ""
    return absolute if scheme in SAFE_SCHEMES else ""


def _host(url: str) -> str:
    try:
        host = (urlsplit(url).hostname or "").lower()
    except ValueError:
        return ""
    return host.removeprefix("www.")


def _declared_titles(tree: lxml.html.HtmlElement) -> list[str]:
    """og:title / twitter:title, then <title>: what the publisher says the page is called."""
    metas = tree.xpath('//meta[@property="og:title" or @name="og:title" or '
                       '@name="twitter:title" or @property="twitter:title"]/@content')
    head = tree.findtext(".//head/title") or tree.findtext(".//title") or ""
    return [t for t in (clean_inline(str(x)) for x in [*metas[:1], head]) if t]


def _choose_title(found: str, declared: list[str], site: str) -> str:
    """Trafilatura's title when the page's own metadata contains it (it strips site suffixes
    well); otherwise the declared title. Trafilatura falls back to a lone <h1>, which on many
    sites is the logo or a section name ("Archive of Our Own beta")."""
    if not declared or (found and any(found.casefold() in d.casefold() for d in declared)):
        return _tidy_title(found or (declared[0] if declared else ""), site)
    return _tidy_title(declared[0], site)


def _tidy_title(title: str, site: str) -> str:
    """Drop a trailing " | Site" / " - Site" that repeats the site name."""
    if site:
        for sep in (" | ", " - ", " – ", " — ", " :: "):
            head, _, tail = title.rpartition(sep)
            if head and tail.strip().casefold() == site.casefold():
                return head.strip()
    return title


def _language(lang: str) -> str:
    """Primary language subtag ("en-GB" → "en"), what the NER and search analyzers key on."""
    m = re.match(r"[A-Za-z]{2,3}", lang.strip())
    return m.group().lower() if m else ""


def _tags(*groups: list[str] | None) -> list[str]:
    """Site categories and keywords, de-duplicated case-insensitively, at most ten."""
    seen: set[str] = set()
    out: list[str] = []
    for group in groups:
        for tag in group or []:
            for part in str(tag).split(","):
                t = clean_inline(part)
                if t and len(t) <= 60 and t.casefold() not in seen:
                    seen.add(t.casefold())
                    out.append(t)
    return out[:10]
