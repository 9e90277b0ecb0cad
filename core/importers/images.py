"""An article's images, collected at import so the reader never fetches anything.

Images come from the web (URL imports) or from disk (local HTML: relative paths only, read
from the folder of the file). Every image is bounded (bytes per image, bytes, count and time
per article) and judged by its bytes, never by its name or Content-Type: PNG, JPEG, GIF and
WebP are kept; SVG is skipped (it can carry scripts and remote loads, and the reader does not
render it); anything else is skipped. A skipped image leaves a note and never fails the import.
Kept images are named by content (sha256 + extension), so the same picture is stored once.
"""
from __future__ import annotations

import base64
import binascii
import hashlib
import struct
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

from core.errors import ImportFailed

MAX_IMAGE_BYTES = 5_000_000
MAX_ARTICLE_BYTES = 25_000_000
MAX_IMAGES = 60
MAX_PIXELS = 40_000_000  # width × height: a small file can still decode to gigabytes
# Smaller than this is an icon, an avatar, a logo strip or a tracking pixel, not a picture
# of the article.
MIN_WIDTH, MIN_HEIGHT = 100, 48
IMAGE_TIMEOUT = 10.0  # seconds per image
ARTICLE_TIMEOUT = 60.0  # seconds for all of an article's images
MIME = {"png": "image/png", "jpg": "image/jpeg", "gif": "image/gif", "webp": "image/webp"}


@dataclass(slots=True)
class StoredImage:
    name: str  # "<sha256>.<ext>"
    mime: str
    width: int
    height: int
    data: bytes


@dataclass(slots=True)
class ImageCollector:
    """Fetches or reads images for one article within its budget; see the module docstring.
    `base_url` for URL imports, `base_dir` for local files, `reader` for pictures inside an
    archive (an EPUB: it gets the resolved entry name and raises ImportFailed to skip one).
    A book has more pictures than an article: `max_images`/`max_bytes` set its budget."""

    base_url: str = ""
    base_dir: Path | None = None
    reader: Callable[[str], bytes] | None = None
    max_images: int = MAX_IMAGES
    max_bytes: int = MAX_ARTICLE_BYTES
    # Hosts that did not answer, shared by the collectors of one bulk import (an export of
    # 500 articles whose pictures sit on a dead image proxy must not wait 10 s for each).
    unreachable: set[str] | None = None
    images: dict[str, StoredImage] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    _bytes: int = 0
    _tries: int = 0
    _started: float = 0.0
    _seen: dict[str, str | None] = field(default_factory=dict)

    def add(self, src: str) -> StoredImage | None:
        """The stored image for `src` (an <img> src as written in the page), or None with a
        note saying why it was skipped."""
        src = (src or "").strip()
        if not src:
            return None
        if src in self._seen:
            name = self._seen[src]
            return self.images.get(name) if name else None
        self._seen[src] = None
        if not self._started:
            self._started = time.monotonic()
        label = _label(src)
        if self._tries >= self.max_images:
            return self._skip(label, f"more than {self.max_images} images in the article")
        if time.monotonic() - self._started > ARTICLE_TIMEOUT:
            return self._skip(label, f"the article's images took over {ARTICLE_TIMEOUT:g} s")
        self._tries += 1
        try:
            data = self._load(src)
            img = judge(data)
        except ImportFailed as e:
            return self._skip(label, str(e))
        if self._bytes + len(data) > self.max_bytes and img.name not in self.images:
            return self._skip(label, f"the article's images exceed {self.max_bytes // 10**6} MB")
        if img.name not in self.images:
            self._bytes += len(data)
            self.images[img.name] = img
        self._seen[src] = img.name
        return img

    def _skip(self, label: str, why: str) -> StoredImage | None:
        """Note why a picture was left out; always None (the picture there is none of)."""
        self.notes.append(f"image {label} skipped: {why}")
        return None

    def _load(self, src: str) -> bytes:
        if src.lower().startswith("data:"):
            return _data_url(src)
        if self.reader is not None:
            return self.reader(src)
        if self.base_dir is not None:
            return _read_local(self.base_dir, src)
        url = urljoin(self.base_url, src) if self.base_url else src
        scheme = urlsplit(url).scheme.lower()
        if scheme not in ("http", "https"):
            raise ImportFailed(f"not an http(s) address ({scheme or 'relative'})")
        from core.importers.url import fetch
        host = urlsplit(url).netloc.lower()  # host and port
        if self.unreachable is not None and host in self.unreachable:
            raise ImportFailed(f"{host} did not answer earlier in this import")
        try:
            res = fetch(url, timeout=IMAGE_TIMEOUT, max_bytes=MAX_IMAGE_BYTES, accept=None)
        except ImportFailed as e:
            if self.unreachable is not None and str(e).startswith(_UNREACHABLE):
                self.unreachable.add(host)
            raise
        return res.body


_UNREACHABLE = ("could not reach", "timed out fetching", "connection to")  # url.fetch's words


def _label(src: str) -> str:
    if src.lower().startswith("data:"):
        return "(inline data)"
    name = unquote(urlsplit(src).path.rsplit("/", 1)[-1]) or src
    return name[:60]


def _data_url(src: str) -> bytes:
    head, _, payload = src.partition(",")
    if len(payload) > MAX_IMAGE_BYTES * 4 // 3 + 4:
        raise ImportFailed(f"too large (over {MAX_IMAGE_BYTES // 10**6} MB)")
    if ";base64" not in head.lower():
        raise ImportFailed("inline image is not base64")
    try:
        return base64.b64decode(payload, validate=False)
    except (binascii.Error, ValueError):
        raise ImportFailed("inline image is not valid base64") from None


def _read_local(base_dir: Path, src: str) -> bytes:
    """A relative path from a local HTML file; absolute paths, file:// and web addresses are
    not followed (opening a saved page must not read arbitrary files or go online)."""
    parts = urlsplit(src)
    if parts.scheme or parts.netloc or src.startswith(("/", "\\")):
        raise ImportFailed("not a relative path (local pages only load images beside them)")
    path = (base_dir / unquote(parts.path)).resolve()
    try:
        if not path.is_file():
            raise ImportFailed("file not found")
        if path.stat().st_size > MAX_IMAGE_BYTES:
            raise ImportFailed(f"too large (over {MAX_IMAGE_BYTES // 10**6} MB)")
        with path.open("rb") as fh:
            return fh.read(MAX_IMAGE_BYTES + 1)
    except OSError as e:
        raise ImportFailed(f"cannot read: {e.strerror or e}") from None


def judge(data: bytes) -> StoredImage:
    """Decide the type from the bytes and read the size from the header; raises ImportFailed
    for anything that is not a sane PNG, JPEG, GIF or WebP."""
    if len(data) > MAX_IMAGE_BYTES:
        raise ImportFailed(f"too large (over {MAX_IMAGE_BYTES // 10**6} MB)")
    ext = sniff(data)
    if ext is None:
        head = data[:256].lstrip().lower()
        if head.startswith((b"<svg", b"<?xml")) and b"<svg" in data[:2048].lower():
            raise ImportFailed("SVG is not stored (it can run scripts and load remote content)")
        raise ImportFailed("not a PNG, JPEG, GIF or WebP image")
    size = dimensions(ext, data)
    if size is None:
        raise ImportFailed(f"damaged {ext.upper()} header")
    w, h = size
    if w <= 0 or h <= 0 or w * h > MAX_PIXELS:
        raise ImportFailed(f"unreasonable size {w}×{h} pixels")
    if w < MIN_WIDTH or h < MIN_HEIGHT:
        raise ImportFailed(f"{w}×{h} pixels is an icon, logo or tracking pixel, not a picture")
    name = f"{hashlib.sha256(data).hexdigest()}.{ext}"
    return StoredImage(name, MIME[ext], w, h, data)


def sniff(data: bytes) -> str | None:
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if data.startswith(b"\xff\xd8\xff"):
        return "jpg"
    if data[:6] in (b"GIF87a", b"GIF89a"):
        return "gif"
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "webp"
    return None


def dimensions(ext: str, data: bytes) -> tuple[int, int] | None:
    """Pixel size from the file header (no decoding), or None if the header is damaged."""
    try:
        if ext == "png":
            if data[12:16] != b"IHDR":
                return None
            return struct.unpack(">II", data[16:24])
        if ext == "gif":
            return struct.unpack("<HH", data[6:10])
        if ext == "webp":
            chunk = data[12:16]
            if chunk == b"VP8 ":
                w, h = struct.unpack("<HH", data[26:30])
                return w & 0x3FFF, h & 0x3FFF
            if chunk == b"VP8L":
                b = data[21:25]
                w = 1 + (((b[1] & 0x3F) << 8) | b[0])
                h = 1 + (((b[3] & 0xF) << 10) | (b[2] << 2) | ((b[1] & 0xC0) >> 6))
                return w, h
            if chunk == b"VP8X":
                w = 1 + int.from_bytes(data[24:27], "little")
                h = 1 + int.from_bytes(data[27:30], "little")
                return w, h
            return None
        if ext == "jpg":
            i = 2
            while i + 9 < len(data):
                if data[i] != 0xFF:
                    return None
                marker = data[i + 1]
                if marker in (0xD8, 0x01) or 0xD0 <= marker <= 0xD7:
                    i += 2
                    continue
                length = struct.unpack(">H", data[i + 2:i + 4])[0]
                if 0xC0 <= marker <= 0xCF and marker not in (0xC4, 0xC8, 0xCC):
                    h, w = struct.unpack(">HH", data[i + 5:i + 9])
                    return w, h
                i += 2 + length
            return None
    except (struct.error, IndexError):
        return None
    return None
