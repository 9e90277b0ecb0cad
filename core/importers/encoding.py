"""Bytes → str for imported files and fetched pages.

Order of trust: a byte-order mark, then a declared charset (HTTP header or <meta>) when it
decodes cleanly, then strict UTF-8, then Windows-1252 when the result reads like Western text,
and only then charset-normalizer. The cp1252 step exists because charset-normalizer guesses
wrong on short Latin-1 text (a BBC article with one "£" came back as a Cyrillic code page).
Binary input is refused up front with a message naming what it looks like.
"""
from __future__ import annotations

import codecs
import re
import unicodedata

from core.errors import ImportFailed

# (prefix, offset, what) — common binary formats a user might drop on the window by mistake.
_MAGIC: tuple[tuple[bytes, int, str], ...] = (
    (b"\x89PNG\r\n\x1a\n", 0, "PNG image"),
    (b"\xff\xd8\xff", 0, "JPEG image"),
    (b"GIF87a", 0, "GIF image"),
    (b"GIF89a", 0, "GIF image"),
    (b"WEBP", 8, "WebP image"),
    (b"II*\x00", 0, "TIFF image"),
    (b"MM\x00*", 0, "TIFF image"),
    (b"\x00\x00\x01\x00", 0, "icon"),
    (b"%PDF-", 0, "PDF document"),
    (b"PK\x03\x04", 0, "ZIP archive or Office/EPUB document"),
    (b"PK\x05\x06", 0, "ZIP archive"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", 0, "old Microsoft Office document"),
    (b"\x1f\x8b", 0, "gzip archive"),
    (b"BZh", 0, "bzip2 archive"),
    (b"\xfd7zXZ\x00", 0, "xz archive"),
    (b"7z\xbc\xaf\x27\x1c", 0, "7-Zip archive"),
    (b"Rar!\x1a\x07", 0, "RAR archive"),
    (b"\x28\xb5\x2f\xfd", 0, "zstd archive"),
    (b"SQLite format 3\x00", 0, "SQLite database"),
    (b"\x7fELF", 0, "executable"),
    (b"MZ\x90\x00", 0, "Windows executable"),
    (b"ftyp", 4, "MP4/QuickTime video"),
    (b"OggS", 0, "Ogg audio"),
    (b"fLaC", 0, "FLAC audio"),
    (b"ID3\x03", 0, "MP3 audio"),
    (b"ID3\x04", 0, "MP3 audio"),
    (b"wOFF", 0, "web font"),
    (b"wOF2", 0, "web font"),
)

_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),  # before UTF-16 LE: it starts with the same two bytes
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)

# Labels browsers treat as windows-1252 (WHATWG Encoding Standard): cp1252 is a superset that
# gives curly quotes and € where a strict ISO-8859-1 decoder would produce C1 control codes.
_CP1252_ALIASES = {"iso8859-1", "latin-1", "ascii", "cp1252", "iso8859-15"}

# Non-ASCII characters that make up Western European prose in cp1252.
_WESTERN = set(
    "ÀÁÂÃÄÅÆÇÈÉÊËÌÍÎÏÐÑÒÓÔÕÖØÙÚÛÜÝÞßàáâãäåæçèéêëìíîïðñòóôõöøùúûüýþÿ"
    "ŒœŠšŽžŸƒ‘’‚“”„–—…•€£¥¢©®°±§¶·«»¿¡™½¼¾ªºµ²\u00a0†‡‰‹›ˆ˜´¨¸¯"
)
_META_CHARSET = re.compile(
    rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9._:-]+)""", re.IGNORECASE)


def binary_kind(data: bytes) -> str | None:
    """The binary format the bytes look like ("PNG image"), or None."""
    for magic, offset, what in _MAGIC:
        if data[offset:offset + len(magic)] == magic:
            return what
    return None


def sniff_meta_charset(data: bytes) -> str | None:
    """The charset an HTML page declares in its first 2 KB (<meta charset> or http-equiv)."""
    m = _META_CHARSET.search(data[:2048])
    return m.group(1).decode("ascii", "ignore") if m else None


def decode_bytes(data: bytes, declared: str | None = None, *, name: str = "input") -> str:
    """Decode imported bytes to str, or raise ImportFailed if they are binary or undecodable.

    `declared` is the charset from an HTTP header or <meta>; `name` only labels error messages.
    """
    for bom, enc in _BOMS:
        if data.startswith(bom):
            try:
                return _check_text(data[len(bom):].decode(enc), name)
            except UnicodeDecodeError:
                raise ImportFailed(f"{name} is not valid {enc.upper()} text") from None
    kind = binary_kind(data)
    if kind:
        raise ImportFailed(f"{name} looks like a binary file ({kind}), not text")
    if b"\x00" in data[:65536]:
        text = _try_utf16_without_bom(data)
        if text is None:
            raise ImportFailed(f"{name} looks like a binary file, not text")
        return _check_text(text, name)
    text = _decode_declared(data, declared)
    if text is None:
        text = _decode_guess(data)
    return _check_text(text, name)


def _normalise_label(label: str | None) -> str | None:
    if not label:
        return None
    try:
        enc = codecs.lookup(label.strip().strip("\"'")).name
    except LookupError:
        return None
    return "cp1252" if enc in _CP1252_ALIASES else enc


def _decode_declared(data: bytes, declared: str | None) -> str | None:
    """Honour a declared charset when it decodes cleanly. One exception: bytes that are valid
    multi-byte UTF-8 beat a declared single-byte charset, because mislabelled UTF-8 pages are
    common and Latin-1 text that happens to be valid UTF-8 is vanishingly rare."""
    enc = _normalise_label(declared)
    if enc is None:
        return None
    if enc.startswith(("utf-16", "utf-32")) and b"\x00" not in data[:65536]:
        return None  # UTF-16/32 markup or Latin text always has NUL bytes: the label is wrong
    if enc not in ("utf-8", "utf-16", "utf-32") and not data.isascii():
        try:
            return data.decode("utf-8")
        except UnicodeDecodeError:
            pass
    try:
        return data.decode(enc)
    except (UnicodeDecodeError, LookupError):
        if enc == "cp1252":  # the five bytes cp1252 leaves undefined: fall back to Latin-1
            return data.decode("latin-1")
        return None


def _decode_guess(data: bytes) -> str:
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    western = _decode_cp1252(data)
    if western is not None and looks_western(western):
        return western
    try:
        from charset_normalizer import from_bytes
        best = from_bytes(data[:1_000_000]).best()
    except Exception:  # noqa: BLE001 - a detector crash must not stop the import
        best = None
    if best is not None:
        try:
            return data.decode(best.encoding)
        except (UnicodeDecodeError, LookupError):
            pass
    return western if western is not None else data.decode("latin-1")


def _decode_cp1252(data: bytes) -> str | None:
    try:
        return data.decode("cp1252")
    except UnicodeDecodeError:
        return None


def looks_western(text: str) -> bool:
    """Plausible Western European prose: non-ASCII letters are a minority of all letters
    (a Cyrillic or Greek code page read as cp1252 is almost all accented letters) and nearly
    every non-ASCII character is one that such prose actually uses (Polish cp1250 "ł" shows
    up as "³", which is not)."""
    non_ascii = [c for c in text if ord(c) > 127]
    if not non_ascii:
        return True
    common = sum(1 for c in non_ascii if c in _WESTERN)
    if common < 0.95 * len(non_ascii):
        return False
    letters = sum(1 for c in text if c.isalpha())
    accented = sum(1 for c in non_ascii if c.isalpha())
    return letters == 0 or accented <= 0.3 * letters


def _try_utf16_without_bom(data: bytes) -> str | None:
    """UTF-16 saved without a BOM (some Windows tools): NULs on every other byte."""
    sample = data[:4096]
    half = len(sample) // 2
    if half < 2:
        return None
    even = sample[0::2].count(0) / half
    odd = sample[1::2].count(0) / half
    if even > 0.3 and odd < 0.05:
        enc = "utf-16-be"
    elif odd > 0.3 and even < 0.05:
        enc = "utf-16-le"
    else:
        return None
    try:
        return data.decode(enc)
    except UnicodeDecodeError:
        return None


def _check_text(text: str, name: str) -> str:
    """Reject decoded text that is mostly control characters (binary that slipped through)."""
    sample = text[:65536]
    if not sample:
        return text
    controls = sum(1 for c in sample if unicodedata.category(c) == "Cc" and c not in "\t\n\r\f\v")
    if "\x00" in sample or controls > max(8, len(sample) // 100):
        raise ImportFailed(f"{name} looks like a binary file, not text")
    return text
