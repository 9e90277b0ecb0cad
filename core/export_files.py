"""Files for export: safe names, atomic writes with the user's usual permissions, and finding the
file an earlier export wrote for an article (by its id, so renamed files are updated in place)."""
from __future__ import annotations

import html
import json
import os
import re
import tempfile
import threading
import unicodedata
from pathlib import Path

import yaml

from core.errors import CommonplaceError
from core.export_markdown import split_front_matter

NAME_MAX_CHARS = 120
NAME_MAX_BYTES = 200  # leaves room for " (12345).md" and temp-file prefixes under 255 bytes
_WINDOWS_RESERVED = {"CON", "PRN", "AUX", "NUL", *(f"COM{i}" for i in range(10)),
                     *(f"LPT{i}" for i in range(10)), "COM¹", "COM²", "COM³", "LPT¹", "LPT²",
                     "LPT³", "CONIN$", "CONOUT$"}


class ExportError(CommonplaceError):
    """An export could not be written (unsafe target, unknown format, disk error)."""


_UNSAFE = re.compile(r'[\x00-\x1f\x7f-\x9f/\\:*?"<>|#^\[\]]+')


def safe_filename(title: str, fallback: str = "Untitled") -> str:
    """A file-name stem safe on Windows, macOS and Linux and in Obsidian links: HTML entities
    decoded (titles scraped from pages carry `&#163;`), no separators or reserved characters,
    no control characters, no leading/trailing dots or spaces, no reserved device names, at most
    NAME_MAX_CHARS characters and NAME_MAX_BYTES UTF-8 bytes."""
    s = unicodedata.normalize("NFC", html.unescape(title or ""))
    # Format characters (bidi overrides like U+202E, zero-width joiners) can make "exe.md"
    # display as "dm.exe"; a file name has no use for them.
    s = "".join(ch for ch in s if unicodedata.category(ch) != "Cf")
    s = _UNSAFE.sub(" - ", s)
    s = re.sub(r"\s+", " ", s)
    s = re.sub(r"(\s*-\s*){2,}", " - ", s)
    s = s.strip(" .-\u00a0")
    if len(s) > NAME_MAX_CHARS:
        cut = s[:NAME_MAX_CHARS]
        space = cut.rfind(" ")
        s = cut[:space] if space > NAME_MAX_CHARS // 2 else cut
    while len(s.encode("utf-8")) > NAME_MAX_BYTES:
        s = s[:-1]
    s = s.rstrip(" .-")
    if not s:
        s = fallback
    if s.split(".")[0].strip().upper() in _WINDOWS_RESERVED:
        s = "_" + s
    return s


def inside(folder: Path, target: Path) -> Path:
    """`target` resolved, if it lies directly in `folder` (resolved); else ExportError."""
    resolved = target.resolve()
    if resolved.parent != folder:
        raise ExportError(f"refusing to write {target.name!r}: it resolves outside {folder}")
    return resolved


_umask_lock = threading.Lock()


def current_umask() -> int:
    """The process umask, read without changing it where the OS allows (Linux /proc), else by
    the set-and-restore idiom under a lock."""
    try:
        with open("/proc/self/status", encoding="ascii") as f:
            for line in f:
                if line.startswith("Umask:"):
                    return int(line.split()[1], 8)
    except (OSError, ValueError):
        pass
    with _umask_lock:
        old = os.umask(0o022)
        os.umask(old)
    return old


def new_file_mode() -> int:
    """The mode a plain `open(path, "w")` would give a new file (0644 under the usual umask)."""
    return 0o666 & ~current_umask()


def atomic_write(path: Path, data: str, mode: int | None = None) -> bool:
    """Write `data` to `path`; False (and nothing touched) if it already holds it.

    A new file is created exclusively (never through a symlink or over a file that appeared
    meanwhile) with the permissions the umask gives (or `mode`). An existing file is replaced
    atomically — temporary file, fsync, os.replace — since it may hold the user's own text; it
    keeps its permissions (a temporary file alone would be readable by its owner only)."""
    raw = data.encode("utf-8")
    try:
        st = path.stat()
    except OSError:
        st = None
    if st is None:
        flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0)
        fd = os.open(path, flags, 0o666 if mode is None else mode)  # the umask applies
        try:
            with os.fdopen(fd, "wb") as f:
                f.write(raw)
        except BaseException:
            try:
                os.unlink(path)
            except OSError:
                pass
            raise
        return True
    if path.is_file() and st.st_size == len(raw) and path.read_bytes() == raw:
        return False
    keep = st.st_mode & 0o7777
    if keep == 0o600:  # what every export before 2026-12 left by mistake (mkstemp's mode)
        keep = mode if mode is not None else new_file_mode()
    fd, tmp = tempfile.mkstemp(prefix=".commonplace-", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(raw)
            f.flush()
            if hasattr(os, "fchmod"):
                os.fchmod(f.fileno(), keep)
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise
    return True


def markdown_owner(path: Path, key: str = "commonplace_id") -> str | None:
    """Who a Markdown file belongs to: its front matter's `key`, else the id in a managed-region
    marker (a user may have mangled the front matter)."""
    try:
        with open(path, encoding="utf-8", errors="replace") as f:
            text = f.read(1 << 20)
    except OSError:
        return None
    fm, body = split_front_matter(text)
    if fm is not None and key == "commonplace_id":  # a uuid: a regex is enough, and fast
        m = re.search(r"^commonplace_id:\s*['\"]?([0-9a-fA-F-]{36})['\"]?\s*$", fm, re.MULTILINE)
        if m:
            return m.group(1).lower()
    elif fm is not None:
        try:
            data = yaml.safe_load(fm)
        except yaml.YAMLError:
            data = None
        if isinstance(data, dict) and isinstance(data.get(key), str):
            return data[key]
    m = re.search(r"^%% commonplace:begin (\S+)", body, re.MULTILINE)
    return m.group(1).lower() if m else None


def json_owner(path: Path) -> str | None:
    try:
        with open(path, encoding="utf-8") as f:
            data = json.load(f)
        ident = data.get("id", "") if isinstance(data, dict) else ""
    except (OSError, ValueError):
        return None
    return ident[len("urn:uuid:"):] if isinstance(ident, str) and ident.startswith("urn:uuid:") \
        else None
