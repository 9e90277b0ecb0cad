"""Images inside an extracted article: one "image" block per picture, captions kept as text.

An image block's text is its caption (a <figcaption>, which readers read), or U+FFFC (the
object replacement character) when it has none, so every offset stays a character offset
into the canonical text and a highlight can never split a picture. The block's attrs carry
the stored file's content address ("image"), its pixel size, alt text and original address.
A picture is only placed when its file was stored: with image storing off (or when a
picture is skipped) the text is exactly what the extractor kept, caption copies included.
"""
from __future__ import annotations

from contextvars import ContextVar
from dataclasses import dataclass
from urllib.parse import urljoin

from lxml import etree

from core.importers.images import ImageCollector
from core.text import TextBuilder, clean_inline

OBJECT_REPLACEMENT = "\ufffc"


@dataclass(slots=True)
class _Context:
    captions: dict[str, str]
    base: str


_CONTEXT: ContextVar[_Context | None] = ContextVar("html_images", default=None)


def captions_of(tree: etree._Element) -> dict[str, str]:
    """<img> src → the <figcaption> of the figure around it."""
    out: dict[str, str] = {}
    for fig in tree.iter("figure"):
        cap = next(fig.iter("figcaption"), None)
        text = clean_inline(" ".join(cap.itertext())) if cap is not None else ""
        if not text:
            continue
        srcs = [s for s in (image_src(img) for img in fig.iter("img")) if s]
        if srcs:  # a figure of several pictures: the caption goes under the last
            out.setdefault(srcs[-1], text)
    return out


_SOURCE_BLOCKS = {"p", "h1", "h2", "h3", "h4", "h5", "h6", "li", "blockquote", "pre", "dd"}
_OUTPUT_BLOCKS = ("p", "head", "item", "quote", "code")
_LAZY = ("data-src", "data-original", "data-lazy-src", "data-url")
MAX_CANDIDATES = 200


def _key(el: etree._Element) -> str:
    return clean_inline(" ".join(el.itertext()))[:80].casefold()


def image_src(img: etree._Element) -> str:
    """The picture an <img> shows: its src, or a lazy-loading attribute when src is a
    placeholder (empty or an inline data: image)."""
    src = (img.get("src") or "").strip()
    if not src or src.lower().startswith("data:"):
        for attr in _LAZY:
            lazy = (img.get(attr) or "").strip()
            if lazy and not lazy.lower().startswith("data:"):
                return lazy
    return src


def image_anchors(tree: etree._Element) -> list[tuple[str, str, str, str]]:
    """Every <img> of the page with the text blocks around it: (previous block's key, next
    block's key, src, alt). The extractor's output has no images of its own (asking it for
    them changes which text it keeps); we put pictures back beside the text they sat next
    to, and pictures beside no kept text (logos, ads, navigation) stay out."""
    seq: list[tuple] = []
    for el in tree.iter():
        tag = el.tag if isinstance(el.tag, str) else ""
        if tag in _SOURCE_BLOCKS:
            key = _key(el)
            if key:
                seq.append(("text", key))
        elif tag == "img":
            src = image_src(el)
            if src:
                seq.append(("img", src, el.get("alt") or ""))
    following: list[str] = [""] * len(seq)  # the next text block's key after each entry
    nxt = ""
    for i in range(len(seq) - 1, -1, -1):
        following[i] = nxt
        if seq[i][0] == "text":
            nxt = seq[i][1]
    out: list[tuple[str, str, str, str]] = []
    prev = ""
    for i, item in enumerate(seq):
        if item[0] == "text":
            prev = item[1]
            continue
        out.append((prev, following[i], item[1], item[2]))
        if len(out) >= MAX_CANDIDATES:
            break
    return out


def place_images(body: etree._Element, anchors: list[tuple[str, str, str, str]],
                 collector: ImageCollector | None) -> set[str]:
    """Insert <graphic> elements into the extractor's XML after the block that preceded each
    picture in the page (or before the one that followed it), for the pictures `collector`
    could store. Returns the srcs placed."""
    placed: set[str] = set()
    if not anchors or collector is None:
        return placed
    index: dict[str, etree._Element] = {}
    for el in body.iter(*_OUTPUT_BLOCKS):
        index.setdefault(_key(el), el)
    for prev, nxt, src, alt in anchors:
        if src in placed or (prev not in index and nxt not in index):
            continue
        stored = collector.add(src)
        if stored is None:
            continue
        node = etree.Element("graphic", src=src, stored=stored.name, width=str(stored.width),
                             height=str(stored.height))
        if alt:
            node.set("alt", alt)
        if prev in index:
            target = _outer(index[prev], body)
            while target.getnext() is not None and target.getnext().tag == "graphic":
                target = target.getnext()  # after the pictures already placed there
            target.addnext(node)
            node.tail, target.tail = target.tail, None
        else:
            target = _outer(index[nxt], body)
            target.addprevious(node)
        placed.add(src)
    return placed


def _outer(el: etree._Element, body: etree._Element) -> etree._Element:
    """A list item's picture goes after (or before) the whole list."""
    parent = el.getparent()
    while parent is not None and parent is not body and parent.tag in ("list", "item"):
        el, parent = parent, parent.getparent()
    return el


def begin(captions: dict[str, str], base: str):
    return _CONTEXT.set(_Context(captions, base))


def end(token) -> None:
    _CONTEXT.reset(token)


def _norm(text: str) -> str:
    return clean_inline(text).rstrip(". ").casefold()


def drop_caption_copies(body: etree._Element, captions: dict[str, str],
                        placed: set[str]) -> None:
    """The extractor often keeps a figure's caption as a paragraph or list item next to the
    image ("•" items between paragraphs), or a page repeats a picture's alt text as its
    caption; the image block shows the caption, so those copies go. A copy of the alt text
    becomes the picture's caption (recorded in `captions`)."""
    wanted = {_norm(c): c for src, c in captions.items() if src in placed}
    alts = {_norm(g.get("alt") or ""): g.get("src") for g in body.iter("graphic")
            if g.get("src") in placed and len(_norm(g.get("alt") or "")) >= 12}
    if not wanted and not alts:
        return
    for el in list(body.iter("p", "item")):
        text = clean_inline(" ".join(el.itertext()))
        key = _norm(text)
        if key not in wanted and key not in alts:
            continue
        if key in alts and key not in wanted:
            captions.setdefault(alts[key] or "", text)
            wanted[key] = text
        parent = el.getparent()
        if parent is None:
            continue
        if el.tail and el.tail.strip():
            prev = el.getprevious()
            if prev is not None:
                prev.tail = (prev.tail or "") + el.tail
            else:
                parent.text = (parent.text or "") + el.tail
        parent.remove(el)
        # a list or item left empty by the removal goes too
        while parent is not None and parent.tag in ("list", "item") and not len(parent) \
                and not (parent.text or "").strip() and parent.getparent() is not None:
            grand = parent.getparent()
            grand.remove(parent)
            parent = grand


def adopt_list_captions(body: etree._Element, captions: dict[str, str]) -> None:
    """A one-item bulleted list straight after a picture (or a run of pictures) is how some
    pages set captions; it becomes the caption of the last picture instead of a "•" line."""
    for lst in list(body.iter("list")):
        prev = lst.getprevious()
        items = [c for c in lst if c.tag == "item"]
        if prev is None or prev.tag != "graphic" or len(items) != 1 or (prev.tail or "").strip():
            continue
        text = clean_inline(" ".join(lst.itertext()))
        if not text or len(text) > 400:
            continue
        src = prev.get("src") or ""
        if captions.get(src) and captions[src] != text:
            continue
        captions[src] = text
        prev.tail = lst.tail
        lst.getparent().remove(lst)


def graphic(el: etree._Element, kind: str, b: TextBuilder, base: str, depth: int) -> None:
    """Block handler for trafilatura's <graphic src alt>."""
    ctx = _CONTEXT.get()
    src = (el.get("src") or "").strip()
    if ctx is None or not src or not el.get("stored"):
        return
    caption = ctx.captions.get(src) or ""
    attrs: dict = {"alt": clean_inline(el.get("alt") or "")[:300]}
    if not src.lower().startswith("data:"):
        try:
            attrs["src"] = (urljoin(ctx.base, src) if ctx.base else src)[:2000]
        except ValueError:
            pass
    attrs.update(image=el.get("stored"), width=int(el.get("width") or 0),
                 height=int(el.get("height") or 0))
    b.add_block("image", caption or OBJECT_REPLACEMENT, attrs)
