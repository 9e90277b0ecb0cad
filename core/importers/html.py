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
from core.importers import html_images, html_lists, html_tables
from core.importers.html_meta import (
    clean_byline,
    declared_dates,
    page_byline,
    pick_title,
    read_meta,
    trim_title,
)
from core.importers.html_second import second_opinion
from core.importers.images import ImageCollector
from core.models import Document
from core.text import TextBuilder, clean_inline

MAX_HTML_CHARS = 5_000_000  # bigger than any real article page; protects memory and time
# Extraction costs ~80 µs per element: 60,000 elements (a very long real page has ~20,000)
# is about five seconds; a page of a million tiny elements is refused at once.
MAX_HTML_ELEMENTS = 60_000
MAX_DEPTH = 100  # trafilatura's output is shallow; deeper nesting is flattened to text
SAFE_SCHEMES = ("http", "https", "mailto")

# Extraction settings, tuned on the Zyte article-extraction benchmark (bench/extraction.py):
# precision mode drops more boilerplate (F1 0.963 vs 0.961 default), and falling back to the
# default mode when precision mode keeps less than half of its text recovers the pages where
# it cut real paragraphs (F1 0.966). See docs/benchmarks.md.
TRAFILATURA_OPTIONS: dict = {
    "include_comments": False,
    "include_tables": True,
    "include_images": False,  # pictures are placed by html_images (this option changes text)
    "include_links": True,
    "include_formatting": True,
    # we read result.body; "python" output also renders it to Markdown text, which trafilatura
    # does in quadratic time on runs of adjacent inline elements (62,500 <b>s: 50 s)
    "output_format": "xml",
}
PRECISION_FALLBACK_RATIO = 0.5

_DOCTYPE_OPEN = re.compile(r"<!DOCTYPE", re.IGNORECASE)
_ENTITY_OPEN = re.compile(r"<!ENTITY", re.IGNORECASE)
_SUBSET_CLOSE = re.compile(r"\]\s*>")
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
    html = _strip_entity_decls(_strip_doctype_subsets(html))
    # lxml refuses str input that carries an XML encoding declaration; we already decoded.
    html = re.sub(r"^\s*<\?xml[^>]*\?>", "", html)
    try:
        tree = lxml.html.document_fromstring(html, parser=_parser())
    except (etree.ParserError, ValueError, etree.XMLSyntaxError) as e:
        raise ImportFailed(
            f"could not parse HTML: {str(e).splitlines()[0] if str(e) else e}") from None
    if tree is None:
        raise ImportFailed("could not parse HTML")
    count = sum(1 for _ in tree.iter())
    if count > MAX_HTML_ELEMENTS:
        raise ImportFailed(f"page too large ({count:,} HTML elements, limit "
                           f"{MAX_HTML_ELEMENTS:,})")
    for tpl in list(tree.iter("template")):  # inert markup for scripts, never shown text
        tpl.drop_tree()
    return tree


def _strip_doctype_subsets(html: str) -> str:
    """Remove `<!DOCTYPE x [ ... ]>` internal subsets (where entities are declared) in one
    left-to-right pass. A regex with `.*?` restarted at every `<!DOCTYPE` was quadratic on
    `'<!DOCTYPE a [' * 20000`; here every search starts where the last one stopped."""
    out: list[str] = []
    pos = 0
    while (m := _DOCTYPE_OPEN.search(html, pos)) is not None:
        gt = html.find(">", m.end())
        br = html.find("[", m.end())
        if br < 0 or (0 <= gt < br):
            if gt < 0:
                break
            # no subset for this opener, nor for any other before the ">"
            out.append(html[pos:gt + 1])
            pos = gt + 1
            continue
        close = _SUBSET_CLOSE.search(html, br + 1)
        if close is None:
            break  # no subset is ever closed after this point
        out.append(html[pos:m.start()])
        pos = close.end()
    out.append(html[pos:])
    return "".join(out)


def _strip_entity_decls(html: str) -> str:
    """Remove `<!ENTITY ...>` declarations, in one pass (the regex was quadratic on an
    unterminated run of `<!ENTITY`)."""
    out: list[str] = []
    pos = 0
    while (m := _ENTITY_OPEN.search(html, pos)) is not None:
        gt = html.find(">", m.end())
        if gt < 0:
            break
        out.append(html[pos:m.start()])
        pos = gt + 1
    out.append(html[pos:])
    return "".join(out)


def extract_html(html: str, url: str = "", images: ImageCollector | None = None) -> Document:
    """Extract the main article of an HTML page with its structure and metadata.

    `url` is where the page came from (used to resolve relative links and as a fallback for
    the site name). `images` fetches or reads the article's pictures (None: keep only their
    captions). Raises ImportFailed("no article text found") when nothing readable is left.
    """
    import trafilatura

    tree = parse_html(html)
    declared_titles = _declared_titles(tree)
    meta = read_meta(tree)
    in_page_byline = page_byline(tree)
    own_dates = declared_dates(tree)
    captions = html_images.captions_of(tree)
    image_anchors = html_images.image_anchors(tree)
    source_items = html_lists.list_items(tree)
    dates = {"original_date": True, "extensive_search": False}  # no dates guessed from prose
    try:
        result = trafilatura.bare_extraction(copy.deepcopy(tree), url=url or None,
                                             with_metadata=True, favor_precision=True,
                                             date_extraction_params=dates,
                                             **TRAFILATURA_OPTIONS)
        fallback_tree = copy.deepcopy(tree)
        recall = trafilatura.bare_extraction(tree, url=url or None, with_metadata=True,
                                             date_extraction_params=dates,
                                             **TRAFILATURA_OPTIONS)
    except RecursionError:
        raise ImportFailed("page is too deeply nested to read") from None
    # without as_dict=True both are Documents (or None); trafilatura's annotation allows a dict
    assert not isinstance(result, dict) and not isinstance(recall, dict)
    if recall is not None and recall.body is not None and (
            result is None or result.body is None
            or len(_text_of(result)) < PRECISION_FALLBACK_RATIO * len(_text_of(recall))):
        result = recall
    body = result.body if result is not None else None
    body = second_opinion(fallback_tree, body, url)
    if body is None:
        raise ImportFailed("no article text found")

    canonical = _safe_url(result.url or "", url) if result is not None and result.url else ""
    base = url or canonical
    site = (meta.site or clean_inline(getattr(result, "sitename", "") or "") or _host(url)
            or _host(canonical))
    author = (clean_byline(meta.byline) or in_page_byline
              or clean_byline(getattr(result, "author", "") or "", found_in_text=True))
    found = clean_inline(getattr(result, "title", "") or "")
    title = pick_title([*meta.titles, _choose_title(found, declared_titles[-1:], ""),
                        _first_heading(body)], site)
    title = trim_title(title, site, author, _host(url) or _host(canonical))
    _drop_title_heading(body, title)
    html_lists.restore_lists(body, source_items)
    placed = html_images.place_images(body, image_anchors, images)
    html_images.drop_caption_copies(body, captions, placed)
    html_images.adopt_list_captions(body, captions)
    builder = TextBuilder()
    token = html_images.begin(captions, base)
    try:
        _walk_children(body, "paragraph", builder, base, 0)
    finally:
        html_images.end(token)
    if not builder.text.replace(html_images.OBJECT_REPLACEMENT, "").strip():
        raise ImportFailed("no article text found")
    date = getattr(result, "date", "") or ""
    return Document(
        text=builder.text,
        blocks=builder.blocks,
        links=builder.links,
        title=title,
        author=author,
        site=site,
        url=canonical or url,
        published=meta.published or (date[:10] if date[:10] in own_dates else ""),
        language=_language(getattr(result, "language", "") or tree.get("lang") or ""),
        tags=_tags(getattr(result, "categories", None), getattr(result, "tags", None)),
        images=dict(images.images) if images is not None else {},
        notes=list(images.notes) if images is not None else [],
    )


def _first_heading(body: etree._Element) -> str:
    """A page without a declared title is named after its first heading."""
    for head in body.iter("head"):
        text = clean_inline(" ".join(head.itertext()))
        if text:
            return text[:300]
    return ""


def _drop_title_heading(body: etree._Element, title: str) -> None:
    """The reader shows the title above the text; a leading heading repeating it goes
    (tables and images that come before it, like a wiki infobox, do not count as text)."""
    if not title or (body.text or "").strip():
        return
    for first in body:
        if (first.tag in ("table", "graphic") or not "".join(first.itertext()).strip()) \
                and not (first.tail or "").strip():
            continue  # an infobox, a picture or an empty paragraph before the headline
        if (first.tag == "head"
                and clean_inline(" ".join(first.itertext())).casefold() == title.casefold()):
            prev = first.getprevious()
            if (first.tail or "").strip():
                if prev is not None:
                    prev.tail = (prev.tail or "") + first.tail
                else:
                    body.text = (body.text or "") + first.tail
            body.remove(first)
        return


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
    _strip_edit_links(el)
    _walk_children(el, "heading", b, base, depth, {"level": int(m.group()) if m else 2})


_EDIT_WORDS = {"edit", "edit source", "modifier", "modifier le code", "bearbeiten",
               "quelltext bearbeiten", "editar", "modifica", "编辑", "編集"}


def _strip_edit_links(el: etree._Element) -> None:
    """Wiki section headings end in "[edit]" links (MediaWiki's action=edit): not content."""
    for ref in list(el.iter("ref")):
        target = ref.get("target") or ""
        text = clean_inline(" ".join(ref.itertext())).casefold()
        if "action=edit" in target or "veaction=edit" in target or text in _EDIT_WORDS:
            parent = ref.getparent()
            if parent is None:
                continue
            prev = ref.getprevious()
            if prev is not None:
                prev.tail = (prev.tail or "") + (ref.tail or "")
            else:
                parent.text = (parent.text or "") + (ref.tail or "")
            parent.remove(ref)
    # the brackets and bars left around the removed links
    pattern = re.compile(r"\s*\[[\s|]*\]\s*$")
    last = el[-1] if len(el) else None
    if last is not None and last.tail is not None:
        last.tail = pattern.sub(" ", last.tail)
    elif el.text:
        el.text = pattern.sub(" ", el.text)


def _quote(el: etree._Element, kind: str, b: TextBuilder, base: str, depth: int) -> None:
    _walk_children(el, "quote", b, base, depth)


def _list(el: etree._Element, kind: str, b: TextBuilder, base: str, depth: int) -> None:
    attrs = {"ordered": True} if (el.get("rend") or "").lower() == "ol" else None
    for item in el:
        if item.tag == "item":
            if attrs:
                html_lists.unwrap_paragraphs(item)  # so the item's block keeps its number
            _walk_children(item, "list_item", b, base, depth + 1, attrs)
        elif isinstance(item.tag, str) and item.tag in _BLOCK_HANDLERS:
            _BLOCK_HANDLERS[item.tag](item, kind, b, base, depth + 1)


def _code(el: etree._Element, kind: str, b: TextBuilder, base: str, depth: int) -> None:
    _walk_children(el, "code", b, base, depth)


def _table(el: etree._Element, kind: str, b: TextBuilder, base: str, depth: int) -> None:
    """Data tables become cell blocks (core.importers.html_tables); a layout table's cells
    are walked as ordinary blocks."""
    if html_tables.is_layout(el):
        for cell in el.iter("cell"):
            _walk_children(cell, kind, b, base, depth)
    else:
        html_tables.emit_table(el, b, base, _inline)


def _div(el: etree._Element, kind: str, b: TextBuilder, base: str, depth: int) -> None:
    _walk_children(el, kind, b, base, depth)


_BLOCK_HANDLERS = {
    "p": _p, "head": _head, "quote": _quote, "list": _list, "item": _div, "code": _code,
    "table": _table, "div": _div, "body": _div, "section": _div,
    "graphic": html_images.graphic,
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
