"""EPUB → Document: chapters in spine order, each parsed by the sanitising HTML parser.

An EPUB is a zip of XHTML chapters listed by a package (OPF) file. The archive is untrusted:
we never extract it to disk, refuse entries whose names escape it, cap the entry count and the
bytes actually decompressed (a zip bomb's headers can lie), read XML without DTDs, entities or
network, and refuse DRM-protected books (encryption.xml beyond font obfuscation, rights.xml,
Readium LCP licences) rather than import scrambled bytes. Books have no boilerplate to strip, so
chapters skip trafilatura: the sanitised tree (core.importers.html.parse_html) is walked
directly, keeping headings, paragraphs, quotes, lists and code.
"""
from __future__ import annotations

import functools
import io
import posixpath
import re
import zipfile
from urllib.parse import unquote, urlsplit

from lxml import etree

from core.errors import ImportFailed
from core.importers import content_images
from core.importers.content_images import PICTURE_TAGS, Pictures
from core.importers.encoding import decode_bytes
from core.importers.html import _language, _safe_url, parse_html
from core.importers.images import MAX_IMAGE_BYTES, ImageCollector
from core.models import Document
from core.text import TextBuilder, clean_inline

MAX_ENTRIES = 10_000
MAX_TOTAL_BYTES = 300_000_000  # decompressed, over everything we read
MAX_ENTRY_BYTES = 50_000_000
MAX_RATIO = 200  # compressed → decompressed, for entries over 1 MB
MAX_DEPTH = 200
# A book's pictures: each within the article bound (core.importers.images), more of them.
BOOK_MAX_IMAGES = 300
BOOK_MAX_IMAGE_BYTES = 60_000_000
_FONT_OBFUSCATION = ("http://www.idpf.org/2008/embedding", "http://ns.adobe.com/pdf/enc#RC")
_NS = {"c": "urn:oasis:names:tc:opendocument:xmlns:container",
       "opf": "http://www.idpf.org/2007/opf", "dc": "http://purl.org/dc/elements/1.1/",
       "enc": "http://www.w3.org/2001/04/xmlenc#"}
_HTML_TYPES = ("application/xhtml+xml", "text/html", "application/x-dtbook+xml")
_BLOCKS = {"p": "paragraph", "div": None, "section": None, "article": None, "body": None,
           "main": None, "blockquote": "quote", "li": "list_item", "pre": "code",
           "h1": "heading", "h2": "heading", "h3": "heading", "h4": "heading", "h5": "heading",
           "h6": "heading", "ul": None, "ol": None, "dl": None, "dd": "paragraph",
           "dt": "paragraph", "table": None, "tbody": None, "thead": None, "tr": "paragraph",
           "figure": None, "figcaption": "paragraph", "aside": None, "header": None,
           "footer": None, "hr": None, "br": None}
_SKIP = {"script", "style", "head", "nav", "svg", "math", "img", "object", "iframe", "video",
         "audio", "form", "input", "button", "template", "noscript"}


class _Archive:
    """Bounded reads from the zip; refuses escaping names and zip bombs up front."""

    def __init__(self, data: bytes) -> None:
        try:
            self.zf = zipfile.ZipFile(io.BytesIO(data))
            infos = self.zf.infolist()
        except (zipfile.BadZipFile, ValueError, OSError) as e:
            raise ImportFailed(f"not an EPUB (not a readable zip archive: {e})") from None
        if len(infos) > MAX_ENTRIES:
            raise ImportFailed(f"too many files in the EPUB ({len(infos)}; limit {MAX_ENTRIES})")
        self.names = {}
        for info in infos:
            name = info.filename
            parts = name.replace("\\", "/").split("/")
            if name.startswith(("/", "\\")) or ".." in parts or re.match(r"^[A-Za-z]:", name):
                raise ImportFailed(f"unsafe EPUB: the path {name[:80]!r} escapes the archive")
            if info.file_size > 1_000_000 and info.file_size > MAX_RATIO * max(
                    info.compress_size, 1):
                raise ImportFailed("refused: the EPUB looks like a zip bomb "
                                   f"({name[:60]} expands {info.file_size // max(info.compress_size, 1)}×)")
            self.names[name] = info
        self.read_total = 0

    def has(self, name: str) -> bool:
        return name in self.names

    def read(self, name: str) -> bytes:
        info = self.names.get(name)
        if info is None:
            raise ImportFailed(f"broken EPUB: {name[:80]} is listed but missing")
        return self._bounded(info, MAX_ENTRY_BYTES, f"broken EPUB: cannot read {name[:60]}",
                             "refused: the EPUB expands to too much data (zip bomb?)")

    def _bounded(self, info: zipfile.ZipInfo, cap: int, unreadable: str, too_much: str) -> bytes:
        """An entry's bytes, never more than `cap` or what the book's budget has left: the
        header's size can lie, so reading stops one byte past the bound."""
        limit = min(cap, MAX_TOTAL_BYTES - self.read_total)
        try:
            with self.zf.open(info) as fh:
                data = fh.read(limit + 1)
        except (zipfile.BadZipFile, OSError, EOFError, RuntimeError, ValueError) as e:
            raise ImportFailed(f"{unreadable}: {e}") from None
        if len(data) > limit:
            raise ImportFailed(too_much)
        self.read_total += len(data)
        return data

    def read_image(self, name: str) -> bytes:
        """A picture's bytes, bounded like a download; ImportFailed (a note, never the book's
        failure) for a path outside the archive, a missing entry or an oversized one."""
        if "://" in name or name.startswith("//"):
            raise ImportFailed("a web address (a book's pictures are read from the book only)")
        if name == ".." or name.startswith(("../", "/")):
            raise ImportFailed("its path escapes the archive")
        info = self.names.get(name)
        if info is None:
            raise ImportFailed("missing from the EPUB")
        if info.file_size > MAX_IMAGE_BYTES:
            raise ImportFailed(f"too large (over {MAX_IMAGE_BYTES // 10**6} MB)")
        return self._bounded(info, MAX_IMAGE_BYTES, "unreadable",
                             "too large (the archive's sizes are wrong)")


def _xml(data: bytes, what: str) -> etree._Element:
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False,
                             huge_tree=False, remove_comments=True, remove_pis=True)
    try:
        root = etree.fromstring(data, parser=parser)
    except etree.XMLSyntaxError as e:
        raise ImportFailed(f"broken EPUB: {what} is not valid XML ({e})") from None
    if root is None:
        raise ImportFailed(f"broken EPUB: {what} is empty")
    return root


def _check_drm(arc: _Archive) -> None:
    if arc.has("META-INF/rights.xml") or arc.has("META-INF/license.lcpl"):
        raise ImportFailed("this EPUB is DRM-protected: it can only be read in the app it "
                           "was bought for")
    if arc.has("META-INF/encryption.xml"):
        root = _xml(arc.read("META-INF/encryption.xml"), "encryption.xml")
        algos = root.xpath("//enc:EncryptionMethod/@Algorithm", namespaces=_NS)
        if any(a not in _FONT_OBFUSCATION for a in algos) or not algos and len(root):
            raise ImportFailed("this EPUB is DRM-protected (its chapters are encrypted): it "
                               "can only be read in the app it was bought for")


def parse_epub(data: bytes, *, name: str = "", images: bool = False) -> Document:
    """Read an EPUB 2/3 into one Document: chapters in spine order, metadata from the OPF.
    With `images`, the chapters' pictures are read from the archive into doc.images (a
    missing, escaping or oversized one is a note in doc.notes)."""
    arc = _Archive(data)
    _check_drm(arc)
    if not arc.has("META-INF/container.xml"):
        raise ImportFailed("not an EPUB (no META-INF/container.xml)")
    container = _xml(arc.read("META-INF/container.xml"), "container.xml")
    paths = container.xpath("//c:rootfile/@full-path", namespaces=_NS)
    if not paths:
        raise ImportFailed("broken EPUB: container.xml names no package file")
    opf_path = str(paths[0])
    opf = _xml(arc.read(opf_path), opf_path)
    base = posixpath.dirname(opf_path)
    meta = _metadata(opf)
    manifest = {}
    for item in opf.xpath("//opf:manifest/opf:item", namespaces=_NS):
        manifest[item.get("id")] = (item.get("href") or "", item.get("media-type") or "")
    builder = TextBuilder()
    collector = ImageCollector(reader=arc.read_image, max_images=BOOK_MAX_IMAGES,
                               max_bytes=BOOK_MAX_IMAGE_BYTES) if images else None
    for ref in opf.xpath("//opf:spine/opf:itemref", namespaces=_NS):
        href, mtype = manifest.get(ref.get("idref"), ("", ""))
        if not href or (mtype and mtype not in _HTML_TYPES) or ref.get("linear") == "no":
            continue
        path = posixpath.normpath(posixpath.join(base, unquote(href.split("#")[0])))
        if path.startswith("../") or not arc.has(path):
            continue
        html = decode_bytes(arc.read(path), None, name=path)
        pics = None if collector is None else Pictures(
            collector, functools.partial(_inside, posixpath.dirname(path)))
        _chapter(parse_html(html), builder, pics)
    if not builder.text.strip():
        raise ImportFailed("no readable text in this EPUB")
    return Document(text=builder.text, blocks=builder.blocks, links=builder.links,
                    title=meta["title"], author=meta["author"], language=meta["language"],
                    published=meta["published"], tags=meta["tags"],
                    images=content_images.used(builder, collector) if collector else {},
                    notes=list(collector.notes) if collector else [])


def _inside(chapter_dir: str, src: str) -> str:
    """A chapter's picture reference → the archive entry it names (URL-decoded, relative to
    the chapter, "../" resolved); a result starting "../" escapes the archive (the reader
    refuses it). Remote and absolute addresses are left as they are, and refused."""
    if src.lower().startswith("data:"):
        return src
    parts = urlsplit(src)
    if parts.scheme or parts.netloc:
        return src  # not inside the book: read_image refuses it
    if not parts.path:
        return ""
    return posixpath.normpath(posixpath.join(chapter_dir, unquote(parts.path)))


def _metadata(opf: etree._Element) -> dict:
    def first(tag: str) -> str:
        vals = opf.xpath(f"//opf:metadata/dc:{tag}", namespaces=_NS)
        return clean_inline("".join(vals[0].itertext())) if vals else ""

    creators = [clean_inline("".join(c.itertext()))
                for c in opf.xpath("//opf:metadata/dc:creator", namespaces=_NS)]
    date = first("date")
    subjects = [clean_inline("".join(s.itertext()))
                for s in opf.xpath("//opf:metadata/dc:subject", namespaces=_NS)]
    return {"title": first("title")[:300], "author": ", ".join(c for c in creators if c)[:200],
            "language": _language(first("language")),
            "published": date[:10] if re.match(r"^\d{4}-\d{2}-\d{2}", date) else "",
            "tags": [s for s in subjects if s and len(s) <= 60][:10]}


def html_blocks(html: str, b: TextBuilder | None = None,
                pictures: Pictures | None = None) -> TextBuilder:
    """Already-extracted article HTML (a book chapter, an app export's saved content) →
    blocks, through the sanitising parser, without trafilatura's boilerplate removal.
    With `pictures`, its images become image blocks (core.importers.content_images)."""
    b = b if b is not None else TextBuilder()
    _chapter(parse_html(html), b, pictures)
    return b


def _chapter(tree, b: TextBuilder, pictures: Pictures | None = None) -> None:
    body = tree.find(".//body")
    root = body if body is not None else tree
    if pictures is not None:
        content_images.prepare(root, pictures)
    token = content_images.begin(pictures)
    try:
        _walk(root, "paragraph", b, 0)
    finally:
        content_images.end(token)


def _tag(el) -> str:
    return el.tag.lower().rsplit("}", 1)[-1] if isinstance(el.tag, str) else ""


def _walk(el, kind: str, b: TextBuilder, depth: int, attrs: dict | None = None) -> None:
    """Emit el's content as `kind` blocks; block-level children start blocks of their own."""
    segs: list[tuple[str, str | None]] = []

    pics = content_images.current()

    def flush() -> None:
        if segs:
            b.add_block(kind, list(segs), attrs)
            segs.clear()
        if pics is not None and pics.pending:  # pictures met inside this block's inline text
            for pic in pics.pending:
                content_images.place(pic, b, pics)
            pics.pending.clear()

    if el.text:
        segs.append((el.text, None))
    for child in el:
        tag = _tag(child)
        if pics is not None and tag in PICTURE_TAGS:
            flush()
            content_images.place(child, b, pics)
        elif tag in _SKIP or (pics is not None and child in pics.consumed):
            pass
        elif tag in _BLOCKS and depth < MAX_DEPTH:
            flush()
            if tag not in ("hr", "br"):
                own = _BLOCKS[tag]
                if own == "paragraph" and kind in ("quote", "list_item"):
                    own = kind  # a paragraph inside a quote or list item keeps that kind
                level = {"level": int(tag[1])} if own == "heading" else None
                _walk(child, own or kind, b, depth + 1, level)
        elif tag in _BLOCKS:  # too deep: keep the words, lose the structure
            segs.append((" " + " ".join(child.itertext()) + " ", None))
        else:
            _inline(child, segs, None)
        if child.tail:
            segs.append((child.tail, None))
    flush()


def _inline(el, segs: list[tuple[str, str | None]], href: str | None) -> None:
    tag = _tag(el)
    if tag in PICTURE_TAGS:
        pics = content_images.current()
        if pics is not None:
            pics.pending.append(el)
        return
    if tag in _SKIP:
        return
    if tag == "a":
        href = _safe_url(el.get("href") or "", "") or href  # in-book links are dropped
    if el.text:
        segs.append((el.text, href))
    for child in el:
        if _tag(child) in _BLOCKS:
            segs.append((" ", None))
        _inline(child, segs, href)
        if child.tail:
            segs.append((child.tail, href))
