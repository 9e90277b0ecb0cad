"""Pictures inside already-extracted HTML: EPUB chapters and the saved content of another
app's export (Omnivore, Wallabag).

Those pages skip trafilatura (core.importers.epub walks the sanitised tree itself), so their
<img> elements, and the SVG <image> wrappers books use for covers, are placed here, in reading
order, as "image" blocks of the same shape html_images makes for web pages: the caption (a
<figcaption>) or U+FFFC as the block's text, the stored file's content address in attrs. The
bytes come through the one ImageCollector (same per-image and per-article bounds, same type
sniffing); where they come from is the caller's `resolve` (a path inside the EPUB, an address
joined to the article's URL). A picture that cannot be had is a note, never a failure, and
with image storing off (no collector) nothing changes from the text-only import.
"""
from __future__ import annotations

from collections.abc import Callable
from contextvars import ContextVar
from dataclasses import dataclass, field

from lxml import etree

from core.importers.html_images import OBJECT_REPLACEMENT, image_src
from core.importers.images import ImageCollector
from core.text import TextBuilder, clean_inline

PICTURE_TAGS = ("img", "svg")


@dataclass(slots=True)
class Pictures:
    """One chapter's (or one saved page's) pictures: where they come from and their captions."""

    collector: ImageCollector
    resolve: Callable[[str], str]  # src as written → the key the collector loads
    captions: dict = field(default_factory=dict)  # picture element → its figure's caption
    consumed: set = field(default_factory=set)  # figcaptions now shown under their picture
    pending: list = field(default_factory=list)  # met inside inline markup: after the block


_CURRENT: ContextVar[Pictures | None] = ContextVar("content_images", default=None)


def current() -> Pictures | None:
    return _CURRENT.get()


def begin(pics: Pictures | None):
    return _CURRENT.set(pics)


def end(token) -> None:
    _CURRENT.reset(token)


def _local(el) -> str:
    return el.tag.lower().rsplit("}", 1)[-1] if isinstance(el.tag, str) else ""


def picture_src(el: etree._Element) -> str:
    """The file an <img> (its src, or a lazy-loading attribute) or an <svg> wrapper (the
    href of its first <image>) shows; "" if none."""
    tag = _local(el)
    if tag == "img":
        return image_src(el)
    if tag == "svg":
        for child in el.iter():
            if _local(child) == "image":
                for key, value in child.attrib.items():
                    if str(key).lower().rsplit("}", 1)[-1].rsplit(":", 1)[-1] == "href":
                        return (value or "").strip()
    return ""


def _alt(el: etree._Element) -> str:
    if _local(el) == "svg":  # an SVG wrapper's accessible name is its <title>
        title = next((c for c in el.iter() if _local(c) == "title"), None)
        return clean_inline(" ".join(title.itertext()))[:300] if title is not None else ""
    return clean_inline(el.get("alt") or "")[:300]


def prepare(tree: etree._Element, pics: Pictures) -> None:
    """Find each <figure>'s caption and its last picture; when that picture can be stored,
    the caption moves under it (and its <figcaption> is not repeated as a paragraph)."""
    for fig in tree.iter():
        if _local(fig) != "figure":
            continue
        cap = next((c for c in fig.iter() if _local(c) == "figcaption"), None)
        text = clean_inline(" ".join(cap.itertext())) if cap is not None else ""
        shown = [el for el in fig.iter() if _local(el) in PICTURE_TAGS and picture_src(el)]
        if not text or not shown:
            continue
        last = shown[-1]
        if pics.collector.add(pics.resolve(picture_src(last))) is not None:
            pics.captions[last] = text
            pics.consumed.add(cap)


def place(el: etree._Element, b: TextBuilder, pics: Pictures) -> None:
    """An image block for `el` if its picture is (or can be) stored; else nothing."""
    src = picture_src(el)
    if not src:
        return
    img = pics.collector.add(pics.resolve(src))
    if img is None:
        return
    b.add_block("image", pics.captions.get(el) or OBJECT_REPLACEMENT,
                {"alt": _alt(el), "image": img.name, "width": img.width, "height": img.height})


def used(b: TextBuilder, collector: ImageCollector) -> dict:
    """The collector's pictures that a block shows (one loaded for a figure that was then
    not walked, inside a skipped element, is not stored)."""
    names = {s.attrs.get("image") for s in b.blocks if s.kind == "image"}
    return {k: v for k, v in collector.images.items() if k in names}
