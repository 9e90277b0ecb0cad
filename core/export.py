"""Export annotations as Markdown a person would keep (Obsidian-friendly) or W3C Web Annotation JSON.

Markdown: one file per article — YAML front matter, then a *managed region* between two Obsidian
comment lines (`%% commonplace:begin <article uuid> … %%` … `%% commonplace:end <article uuid> %%`)
holding the title, source and the annotations in reading order. Re-exporting rewrites only the
managed region and Commonplace's own front-matter keys; anything the user wrote outside the region
and any front-matter keys they added are kept. The output depends only on the library's data (no
export timestamp), so an unchanged article exports to the same bytes and its file is not touched.

Every passage and note is put inside a callout (a block quote), so nothing in a note — an
unclosed code fence, raw HTML, a line that looks like our markers — can leak into the rest of the
file. Each annotation carries a stable Obsidian block id `^ann-<first 8 hex digits of its uuid>`.

Files are found again by the `commonplace_id` front-matter key, so a renamed article (or a file
the user renamed) is updated where it is. Names are safe on every OS, never leave the chosen
folder, and writes are atomic (temporary file + os.replace).
"""
from __future__ import annotations

import json
import os
import re
import tempfile
import unicodedata
from pathlib import Path
from urllib.parse import quote as urlquote

from core import palette
from core.errors import CommonplaceError
from core.export_markdown import (  # noqa: F401 - re-exported: the export API lives here
    MANAGED_KEYS,
    _dump_yaml,
    _markers,
    block_id,
    escape_inline,
    export_article_markdown,
    merge_markdown,
    split_front_matter,
)

INDEX_NAME = "Commonplace index"
NAME_MAX_CHARS = 120
NAME_MAX_BYTES = 200  # leaves room for " (12345).md" and temp-file prefixes under 255 bytes
_WINDOWS_RESERVED = {"CON", "PRN", "AUX", "NUL", *(f"COM{i}" for i in range(10)),
                     *(f"LPT{i}" for i in range(10)), "COM¹", "COM²", "COM³", "LPT¹", "LPT²",
                     "LPT³", "CONIN$", "CONOUT$"}


class ExportError(CommonplaceError):
    """An export could not be written (unsafe target, unknown format, disk error)."""


# -- file names ----------------------------------------------------------------------------------
_UNSAFE = re.compile(r'[\x00-\x1f\x7f-\x9f/\\:*?"<>|#^\[\]]+')


def safe_filename(title: str, fallback: str = "Untitled") -> str:
    """A file-name stem safe on Windows, macOS and Linux and in Obsidian links: no separators
    or reserved characters, no control characters, no leading/trailing dots or spaces, no
    reserved device names, at most NAME_MAX_CHARS characters and NAME_MAX_BYTES UTF-8 bytes."""
    s = unicodedata.normalize("NFC", title or "")
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


def _inside(folder: Path, target: Path) -> Path:
    """`target` resolved, if it lies directly in `folder` (resolved); else ExportError."""
    resolved = target.resolve()
    if resolved.parent != folder:
        raise ExportError(f"refusing to write {target.name!r}: it resolves outside {folder}")
    return resolved


def _atomic_write(path: Path, data: str) -> bool:
    """Write `data` to `path` atomically; False (and nothing touched) if it already holds it."""
    raw = data.encode("utf-8")
    try:
        if path.is_file() and path.read_bytes() == raw:
            return False
    except OSError:
        pass
    fd, tmp = tempfile.mkstemp(prefix=".commonplace-", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(raw)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise
    return True


def _owner_of(path: Path) -> str | None:
    """The article uuid a Markdown file belongs to: its front matter's commonplace_id, else the
    uuid in a managed-region marker (a user may have mangled the front matter)."""
    try:
        with open(path, encoding="utf-8", errors="replace") as f:
            text = f.read(1 << 20)
    except OSError:
        return None
    fm, body = split_front_matter(text)
    if fm is not None:
        m = re.search(r"^commonplace_id:\s*['\"]?([0-9a-fA-F-]{36})['\"]?\s*$", fm, re.MULTILINE)
        if m:
            return m.group(1).lower()
    m = re.search(r"^%% commonplace:begin ([0-9a-f-]{36})\b", body, re.MULTILINE)
    return m.group(1) if m else None


def _json_owner(path: Path) -> str | None:
    try:
        with open(path, encoding="utf-8") as f:
            data = json.load(f)
        ident = data.get("id", "") if isinstance(data, dict) else ""
    except (OSError, ValueError):
        return None
    return ident[len("urn:uuid:"):] if isinstance(ident, str) and ident.startswith("urn:uuid:") \
        else None


# -- W3C Web Annotation JSON ---------------------------------------------------------------------
def _w3c_annotation(r, art) -> dict:
    ann = r.annotation
    source = art.url or f"urn:uuid:{art.uuid}"
    bodies = []
    if ann.note:
        bodies.append({"type": "TextualBody", "value": ann.note, "format": "text/markdown",
                       "purpose": "commenting"})
    bodies += [{"type": "TextualBody", "value": t, "purpose": "tagging"} for t in ann.tags]
    d: dict = {"id": f"urn:uuid:{ann.uuid}", "type": "Annotation",
               "motivation": "commenting" if ann.note else "highlighting",
               "created": ann.created, "modified": ann.updated}
    if bodies:
        d["body"] = bodies[0] if len(bodies) == 1 else bodies
    if ann.anchor is None:
        d["target"] = source
        return d
    a = ann.anchor
    selectors = [{"type": "TextQuoteSelector", "exact": a.exact, "prefix": a.prefix,
                  "suffix": a.suffix}]
    if not r.resolution.orphaned:
        selectors.append({"type": "TextPositionSelector", "start": r.resolution.start,
                          "end": r.resolution.end})
    target = {"source": source, "selector": selectors}
    if ann.color:
        target["styleClass"] = ann.color
    d["target"] = target
    if r.resolution.orphaned:
        d["commonplace:orphaned"] = True
    return d


def export_article_json(lib, article_id: int) -> str:
    art = lib.article(article_id)
    resolved = lib.annotations(article_id)
    items = [_w3c_annotation(r, art) for r in resolved]
    colours = sorted({r.annotation.color for r in resolved if r.annotation.color})
    doc: dict = {"@context": "http://www.w3.org/ns/anno.jsonld",
                 "id": f"urn:uuid:{art.uuid}", "type": "AnnotationCollection",
                 "label": art.title, "total": len(items)}
    if colours:
        css = " ".join(f".{c} {{ background-color: {col.light} }}"
                       for c in colours if (col := palette.colour(c)))
        if css:
            doc["stylesheet"] = {"type": "CssStylesheet", "value": css}
    doc["first"] = {"type": "AnnotationPage", "startIndex": 0, "items": items}
    return json.dumps(doc, ensure_ascii=False, indent=2) + "\n"


# -- the front door ------------------------------------------------------------------------------
def export_library(lib, out_dir: Path, article_ids: list[int] | None = None,
                   fmt: str = "markdown") -> list[Path]:
    """Write one file per article (and, for the whole library in Markdown, an index file) into
    `out_dir`, updating earlier exports in place. Returns the files' paths (written or already
    up to date), articles first in id order, then the index."""
    if fmt not in ("markdown", "json"):
        raise ExportError(f"unknown export format {fmt!r}; use markdown or json")
    ext = ".md" if fmt == "markdown" else ".json"
    try:
        Path(out_dir).mkdir(parents=True, exist_ok=True)
        folder = Path(out_dir).resolve(strict=True)
    except OSError as e:
        raise ExportError(f"cannot use export folder {out_dir}: {e.strerror or e}") from e
    if not folder.is_dir():
        raise ExportError(f"{out_dir} is not a folder")
    whole = article_ids is None
    ids = sorted(set(lib.article_ids() if article_ids is None else article_ids))
    for aid in ids:
        lib.summary(aid)  # NotFound before anything is written

    # Files from earlier exports, by the article they belong to; names in use (case-folded).
    owners: dict[str, Path] = {}
    taken: dict[str, str | None] = {}
    for p in sorted(folder.iterdir()):
        if p.suffix.lower() != ext or not p.is_file() or p.name.startswith("."):
            continue
        owner = _owner_of(p) if ext == ".md" else _json_owner(p)
        taken[p.stem.casefold()] = owner
        if owner and owner not in owners:
            owners[owner] = p
    if ext == ".md":
        taken.setdefault(INDEX_NAME.casefold(), None)

    written: list[Path] = []
    index_rows = []
    try:
        for aid in ids:
            art = lib.article(aid)
            path = owners.get(art.uuid)
            if path is None:
                stem = safe_filename(art.title)
                if stem.casefold() in taken and taken[stem.casefold()] != art.uuid:
                    stem = safe_filename(f"{stem} ({aid})")
                    if stem.casefold() in taken and taken[stem.casefold()] != art.uuid:
                        stem = f"{art.uuid}"
                path = folder / (stem + ext)
                taken[stem.casefold()] = art.uuid
            path = _inside(folder, path)
            if ext == ".md":
                fresh = export_article_markdown(lib, aid)
                if path.exists():
                    existing = path.read_text(encoding="utf-8", errors="replace")
                    data = merge_markdown(existing, fresh, art.uuid)
                else:
                    data = fresh
            else:
                data = export_article_json(lib, aid)
            _atomic_write(path, data)
            written.append(path)
            index_rows.append((art, path))
        if whole and ext == ".md":
            ipath = _inside(folder, folder / (INDEX_NAME + ".md"))
            fresh = _index_markdown(lib, index_rows)
            data = merge_markdown(ipath.read_text(encoding="utf-8", errors="replace"), fresh,
                                  "index") if ipath.exists() else fresh
            _atomic_write(ipath, data)
            written.append(ipath)
    except OSError as e:
        raise ExportError(f"export failed: {e.strerror or e} ({getattr(e, 'filename', '')})") \
            from e
    return written


def _index_markdown(lib, rows) -> str:
    begin, end = _markers("index")
    lines = [begin, "", "# Commonplace index", ""]
    rows = sorted(rows, key=lambda r: (r[0].title.casefold(), r[0].id))
    for art, path in rows:
        anns = lib.annotations(art.id)
        n_pass = sum(1 for r in anns if r.annotation.anchor is not None)
        n_notes = sum(1 for r in anns if r.annotation.note.strip())
        bits = [x for x in (art.site, art.published) if x]
        counts = f"{n_pass} highlight{'s' * (n_pass != 1)}, {n_notes} note{'s' * (n_notes != 1)}"
        link = f"[{escape_inline(art.title) or 'Untitled'}]({urlquote(path.name)})"
        lines.append(f"- {link} — " + " · ".join([*map(escape_inline, bits), counts]))
    if not rows:
        lines.append("_No articles._")
    lines += ["", end]
    fm = {"title": "Commonplace index", "articles": len(rows)}
    return f"---\n{_dump_yaml(fm)}---\n\n" + "\n".join(lines) + "\n"
