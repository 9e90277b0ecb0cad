"""The importers' front door: what the Library, the CLI and the GUI workers call.

    for source, error in expand_sources(paths_and_urls):
        if error: report(source, error); continue
        doc = load_source(source)          # Document, or raises ImportFailed

Everything here is Qt-free and touches no storage. Bad input of any kind surfaces as
core.errors.ImportFailed with a one-line message; unexpected parser exceptions are wrapped,
so a worker thread can treat ImportFailed as "this one failed, carry on".
"""
from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import NamedTuple
from urllib.parse import unquote, urlsplit

from core.errors import ImportFailed
from core.importers.encoding import decode_bytes, sniff_meta_charset
from core.importers.html import extract_html
from core.importers.images import ImageCollector
from core.importers.markdown_doc import parse_markdown
from core.importers.plain import parse_plain, title_from_name
from core.importers.url import FetchResult, canonical_url, fetch
from core.models import Document
from core.text import clean_inline

__all__ = ["EXTENSIONS", "MAX_FILE_BYTES", "Source", "canonical_url", "expand_sources",
           "fetch", "is_url", "load_source"]

EXTENSIONS = {".txt": "text", ".md": "markdown", ".markdown": "markdown",
              ".html": "html", ".htm": "html", ".pdf": "pdf", ".epub": "epub"}
BINARY_KINDS = ("pdf", "epub")  # parsed from bytes, not decoded as text
MAX_FILE_BYTES = 50_000_000
# What the pipeline (parse, store, index, entities) gets through in seconds, not minutes:
# 8 million characters is eight long books; larger texts are refused with a clear reason.
MAX_TEXT_CHARS = 8_000_000
_URL_SCHEMES = ("http://", "https://")


class Source(NamedTuple):
    """One entry of an expanded import request: a file path or URL, or an error about it."""

    source: str
    error: str | None = None


def is_url(source: str) -> bool:
    return source.strip().lower().startswith(_URL_SCHEMES)


def expand_sources(sources: Iterable[str]) -> list[Source]:
    """Files, folders (recursively, importable extensions only, hidden entries skipped, sorted)
    and URLs → a flat list in request order, duplicates removed. Problems come back as entries
    with `error` set, so one bad argument never hides the others."""
    out: list[Source] = []
    seen: set[str] = set()

    def add(entry: Source) -> None:
        if entry.error or entry.source not in seen:
            seen.add(entry.source)
            out.append(entry)

    for raw in sources:
        src = raw.strip()
        if not src:
            continue
        if is_url(src):
            add(Source(src))
            continue
        if src.lower().startswith("file://"):
            src = unquote(urlsplit(src).path)
        elif "://" in src:
            add(Source(src, f"unsupported URL scheme {src.split('://', 1)[0]}: "
                             "only http and https"))
            continue
        path = Path(src).expanduser()
        if path.is_dir():
            denied: list[str] = []
            files = _walk(path, denied)
            for d in denied:  # an unreadable folder is reported, never skipped in silence
                add(Source(d, f"permission denied: {_printable(d)}"))
            if not files and not denied:
                add(Source(src, f"no articles found in {src} (looked for .txt, .md, .html, "
                                ".pdf, .epub)"))
            for f in files:
                add(Source(str(f)))
        elif path.is_file():
            add(Source(str(path.resolve())))
        elif path.exists():
            add(Source(src, f"not a regular file: {src}"))
        else:
            add(Source(src, f"no such file or folder: {src}"))
    return out


def _walk(folder: Path, denied: list[str] | None = None) -> list[Path]:
    """Importable files under folder in sorted path order; symlinked folders are not
    followed (no cycles), hidden files and folders (".git", ".obsidian") are skipped.
    Folders that cannot be read are added to `denied`."""
    found: list[Path] = []

    def onerror(e: OSError) -> None:
        if denied is not None and isinstance(e, PermissionError):
            denied.append(str(e.filename or folder))
    for root, dirs, files in os.walk(folder, followlinks=False, onerror=onerror):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(files):
            if not name.startswith(".") and Path(name).suffix.lower() in EXTENSIONS:
                p = Path(root, name)
                if p.is_file():
                    found.append(p.resolve())
    return sorted(found, key=lambda p: [s.casefold() for s in p.parts])


def load_source(source: str, *, timeout: float = 15, images: bool = True,
                cancel: Callable[[], bool] | None = None) -> Document:
    """Import one file path or http(s) URL into a Document (not stored). With `images`, an
    HTML article's pictures are fetched (URL) or read from beside the file (local) into
    doc.images; a picture that cannot be had is noted in doc.notes, never an error.
    `timeout` is the URL fetch's one deadline; `cancel()` turning true aborts a fetch in
    progress.

    Raises ImportFailed for anything that is not a readable article: unsupported type, too
    large, empty, binary, unreachable URL, no article text."""
    try:
        if is_url(source):
            return _load_url(source.strip(), timeout, images, cancel)
        return _load_file(source, images)
    except ImportFailed:
        raise
    except RecursionError:
        raise ImportFailed("document is too deeply nested to read") from None
    except MemoryError:
        raise ImportFailed("document is too large to read") from None
    except Exception as e:
        raise ImportFailed(f"could not read {_label(source)}: {type(e).__name__}: "
                           f"{_one_line(str(e))}") from e


def _load_file(source: str, images: bool = False) -> Document:
    path = Path(source).expanduser()
    kind = EXTENSIONS.get(path.suffix.lower())
    if kind is None:
        suffix = path.suffix.lower() or "(no extension)"
        raise ImportFailed(f"unsupported file type {suffix}")
    try:
        size = path.stat().st_size
        if not path.is_file():
            raise ImportFailed(f"not a regular file: {path.name}")
        if size > MAX_FILE_BYTES:
            raise ImportFailed(f"too large: {_mb(size)} (limit {_mb(MAX_FILE_BYTES)})")
        with path.open("rb") as fh:  # read at most the cap, even if the file grew since stat
            data = fh.read(MAX_FILE_BYTES + 1)
    except FileNotFoundError:
        raise ImportFailed(f"no such file: {path}") from None
    except PermissionError:
        raise ImportFailed(f"permission denied: {path}") from None
    except IsADirectoryError:
        raise ImportFailed(f"not a regular file: {path.name}") from None
    except OSError as e:
        raise ImportFailed(f"cannot read {path.name}: {e.strerror or e}") from None
    if len(data) > MAX_FILE_BYTES:
        raise ImportFailed(f"too large: over {_mb(MAX_FILE_BYTES)}")
    if not data.strip():
        raise ImportFailed("empty file")
    if kind in BINARY_KINDS:
        doc = _parse_binary(kind, data, name=path.name, images=images)
        doc.source_path = str(path.resolve())
        return doc
    declared = sniff_meta_charset(data) if kind == "html" else None
    text = decode_bytes(data, declared, name=_printable(path.name))
    doc = _parse(kind, text, name=_printable(path.name), url="",
                 images=ImageCollector(base_dir=path.parent) if images else None)
    doc.source_path = _printable(str(path.resolve()))
    doc.url = canonical_url(doc.url) if doc.url else ""
    return doc


def _load_url(url: str, timeout: float, images: bool = False,
              cancel: Callable[[], bool] | None = None) -> Document:
    res: FetchResult = fetch(url, timeout=timeout, cancel=cancel)
    if not res.body.strip():
        raise ImportFailed("empty page")
    binary = {"application/pdf": "pdf", "application/epub+zip": "epub"}.get(res.content_type)
    if binary or (not res.content_type and EXTENSIONS.get(
            Path(urlsplit(res.final_url).path).suffix.lower()) in BINARY_KINDS):
        kind = binary or EXTENSIONS[Path(urlsplit(res.final_url).path).suffix.lower()]
        doc = _parse_binary(kind, res.body, name=Path(urlsplit(res.final_url).path).name,
                            images=images)
        doc.url = canonical_url(res.final_url)
        doc.site = (urlsplit(res.final_url).hostname or "").removeprefix("www.")
        return doc
    kind = {"text/plain": "text", "text/markdown": "markdown",
            "text/x-markdown": "markdown"}.get(res.content_type, "html")
    if not res.content_type:  # no header: go by the URL's extension, else assume HTML
        kind = EXTENSIONS.get(Path(urlsplit(res.final_url).path).suffix.lower(), "html")
    if kind != "html" and _looks_like_html(res.body):  # a page mislabelled as text
        kind = "html"
    declared = res.charset or (sniff_meta_charset(res.body) if kind == "html" else None)
    text = decode_bytes(res.body, declared, name=_label(res.final_url))
    doc = _parse(kind, text, name=urlsplit(res.final_url).path, url=res.final_url,
                 images=ImageCollector(base_url=res.final_url) if images else None)
    doc.url = canonical_url(_trusted_canonical(doc.url, res.final_url))
    if not doc.site:
        doc.site = (urlsplit(res.final_url).hostname or "").removeprefix("www.")
    return doc


def _parse_binary(kind: str, data: bytes, *, name: str, images: bool = False) -> Document:
    if kind == "pdf":
        from core.importers.pdf import parse_pdf
        doc = parse_pdf(data, name=name)
    else:
        from core.importers.epub import parse_epub
        doc = parse_epub(data, name=name, images=images)
    if not doc.title:
        doc.title = title_from_name(name) or "Untitled"
    return doc


def _parse(kind: str, text: str, *, name: str, url: str,
           images: ImageCollector | None = None) -> Document:
    if not text.strip():
        raise ImportFailed("empty file")
    if kind != "html" and len(text) > MAX_TEXT_CHARS:  # HTML: markup is capped by the parser
        raise ImportFailed(_too_long(len(text)))
    doc = _parse_kind(kind, text, name=name, url=url, images=images)
    doc.title = clean_inline(doc.title)  # no bidi overrides or controls, whatever the importer
    if len(doc.text) > MAX_TEXT_CHARS:
        raise ImportFailed(_too_long(len(doc.text)))
    return doc


_HTML_START = re.compile(rb"\A(?:\xef\xbb\xbf)?\s*(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html[\s>])",
                         re.IGNORECASE | re.DOTALL)


def _looks_like_html(body: bytes) -> bool:
    """A body that opens with an HTML doctype or <html> tag (the WHATWG sniffing rule)."""
    return _HTML_START.match(body[:1024]) is not None


def _printable(name: str) -> str:
    """A file name as text: bytes that are not UTF-8 (kept by Python as lone surrogates,
    which SQLite and JSON refuse) become U+FFFD."""
    return name.encode("utf-8", "surrogateescape").decode("utf-8", "replace")


def _too_long(n: int) -> str:
    return (f"too long: {n / 1_000_000:.1f} million characters of text "
            f"(limit {MAX_TEXT_CHARS / 1_000_000:g} million)")


def _parse_kind(kind: str, text: str, *, name: str, url: str,
                images: ImageCollector | None = None) -> Document:
    if kind == "html":
        doc = extract_html(text, url, images)
        if not doc.title:  # a page without <title> or headline: name it after the file
            doc.title = title_from_name(name) or "Untitled"
        return doc
    doc = parse_markdown(text, name=name) if kind == "markdown" else parse_plain(text, name=name)
    if not doc.text:
        raise ImportFailed("no article text found")
    if not doc.title:
        doc.title = title_from_name(name)
    return doc


def _trusted_canonical(claimed: str, fetched: str) -> str:
    """A page's rel=canonical is only believed when it stays on the fetched site (same last two
    host labels, or three for "co.uk"-style suffixes); otherwise any page could pose as another
    site's article and be de-duplicated against it."""
    if not claimed or claimed == fetched:
        return fetched
    a = (urlsplit(claimed).hostname or "").lower()
    b = (urlsplit(fetched).hostname or "").lower()
    return claimed if a and _site_key(a) == _site_key(b) else fetched


def _site_key(host: str) -> str:
    labels = host.split(".")
    n = 3 if len(labels) >= 3 and len(labels[-2]) <= 3 and len(labels[-1]) == 2 else 2
    return ".".join(labels[-n:])


def _label(source: str) -> str:
    return (urlsplit(source).hostname or source) if is_url(source) else Path(source).name


def _one_line(s: str) -> str:
    return (s.strip().splitlines() or [""])[0][:200]


def _mb(n: int) -> str:
    return f"{n / 1_000_000:.0f} MB"
