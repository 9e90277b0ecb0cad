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
from collections.abc import Sequence
from pathlib import Path
from urllib.parse import quote as urlquote

import yaml

from core import palette
from core.errors import CommonplaceError

INDEX_NAME = "Commonplace index"
MANAGED_KEYS = ("title", "author", "site", "url", "published", "tags", "entities", "updated",
                "commonplace_id")
NAME_MAX_CHARS = 120
NAME_MAX_BYTES = 200  # leaves room for " (12345).md" and temp-file prefixes under 255 bytes
ENTITY_GROUPS = {"PERSON": "person", "ORG": "org", "GPE": "place", "LOC": "place",
                 "FAC": "place", "NORP": "group", "EVENT": "event", "LAW": "law",
                 "WORK_OF_ART": "work", "PRODUCT": "product"}
GROUP_ORDER = ("person", "org", "place", "group", "event", "law", "work", "product")
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


# -- Markdown helpers ----------------------------------------------------------------------------
_INLINE_SPECIAL = re.compile(r"([\\`*_\[\]<|~$^])|(==|%%)|(#(?=\S))|(&(?=#?\w+;))")


def escape_inline(text: str) -> str:
    """Plain text (article text, titles) as Markdown that renders as the same characters in
    CommonMark and Obsidian: emphasis, links, HTML, entities, Obsidian highlights (==), comments
    (%%), tags (#word) and math ($) are escaped."""
    return _INLINE_SPECIAL.sub(lambda m: "".join("\\" + c for c in m.group(0)), text)


def _escape_line_start(line: str) -> str:
    """Stop a line of plain text from starting a heading, list, quote or thematic break."""
    m = re.match(r"^(\d{1,9})([.)])(\s|$)", line)
    if m:
        return f"{m.group(1)}\\{m.group(2)}{line[m.end(2):]}"
    if re.match(r"^([-+*#>]|=+$)", line):
        return "\\" + line
    return line


def _plain_block(text: str) -> list[str]:
    """Canonical text (blocks separated by blank lines) as escaped Markdown lines."""
    out: list[str] = []
    for i, block in enumerate(text.split("\n")):
        block = block.strip()
        out.append(_escape_line_start(escape_inline(block)) if block else "")
    return out


def _callout(kind: str, title: str, lines: Sequence[str]) -> str:
    head = f"> [!{kind}]" + (f" {title}" if title else "")
    body = [("> " + ln) if ln.strip() else ">" for ln in lines]
    return "\n".join([head, *body])


def _note_lines(note: str) -> list[str]:
    """A note verbatim (it is the user's Markdown), line endings normalised. Inside a callout, a
    container, an unclosed fence or raw HTML cannot run past the callout's end."""
    return note.replace("\r\n", "\n").replace("\r", "\n").rstrip("\n").split("\n")


def block_id(uuid: str, long: bool = False) -> str:
    """Obsidian block id: `ann-` and the uuid's first 8 hex digits (all 32 if `long`, used when
    two annotations of one article would share the short form)."""
    return "ann-" + uuid.replace("-", "")[:32 if long else 8].lower()


def _text_fragment(url: str, exact: str) -> str:
    """A link that scrolls a browser to the passage (URL text fragment), for http(s) sources."""
    if not url.lower().startswith(("http://", "https://")):
        return ""
    enc = lambda s: urlquote(s, safe="")
    words = " ".join(exact.split()).split(" ")
    if len(words) > 10:
        frag = enc(" ".join(words[:5])) + "," + enc(" ".join(words[-5:]))
    else:
        frag = enc(" ".join(words))
    return url.split("#", 1)[0] + "#:~:text=" + frag


def _md_link_dest(url: str) -> str:
    return "<" + url.replace("<", "%3C").replace(">", "%3E").replace("\n", "") + ">"


# -- content -------------------------------------------------------------------------------------
def _entities_by_group(spans) -> dict[str, list[str]]:
    groups: dict[str, dict[str, list]] = {}
    for e in spans:  # reading order
        g = ENTITY_GROUPS.get(e.label.upper())
        name = " ".join(e.text.split())
        if not g or not name:
            continue
        forms = groups.setdefault(g, {}).setdefault(name.casefold(), [0, {}, len(groups[g])])
        forms[0] += 1
        forms[1][name] = forms[1].get(name, 0) + 1
    out = {}
    for g in GROUP_ORDER:
        if g in groups:
            items = sorted(groups[g].values(), key=lambda v: v[2])
            # the most frequent spelling of each entity (first seen on a tie)
            out[g] = [max(v[1].items(), key=lambda kv: kv[1])[0] for v in items]
    return out


def _front_matter(art, ents: dict, updated: str) -> dict:
    fm = {"title": art.title, "author": art.author, "site": art.site, "url": art.url,
          "published": art.published, "tags": list(art.tags)}
    if ents:
        fm["entities"] = ents
    fm["updated"] = updated
    fm["commonplace_id"] = art.uuid
    return {k: v for k, v in fm.items() if v not in ("", None) or k in ("title", "tags")}


def _markers(uuid: str) -> tuple[str, str]:
    begin = (f"%% commonplace:begin {uuid} · managed by Commonplace: this part is rewritten on "
             f"export; write your own text above or below it %%")
    return begin, f"%% commonplace:end {uuid} %%"


def _colour_label(name: str, store) -> str:
    if not name:
        return ""
    c = palette.colour(name, store)
    return f"{name} · {c.meaning}" if c else name


def _tag_line(tags: Sequence[str]) -> str:
    tags = [re.sub(r"[^\w/-]+", "-", t).strip("-") for t in tags]
    return " ".join("#" + t for t in tags if t)


def _annotation_md(r, art, store, orphan: bool = False, long_id: bool = False) -> str:
    """One annotation as one callout (so one block id covers it): the passage, then the note as
    a nested callout, then its tags; an article note is a note callout."""
    ann = r.annotation
    note = _note_lines(ann.note) if ann.note.strip() else []
    tags = _tag_line(ann.tags)
    if ann.anchor is None:
        lines = note or ["(empty note)"]
        if tags:
            lines += ["", tags]
        block = _callout("note", _colour_label(ann.color, store) or "Note", lines)
    else:
        label = _colour_label(ann.color, store) or "highlight"
        if orphan:
            kind, title = "warning", f"Orphaned · {label} — passage not found in the current text"
        else:
            kind, title = "quote", label
            frag = _text_fragment(art.url, ann.anchor.exact)
            if frag:
                title += f" · [source]({_md_link_dest(frag)})"
        lines = _plain_block(ann.anchor.exact)
        if note:
            lines += ["", *_callout("note", "Note", note).split("\n")]
        if tags:
            lines += ["", tags]
        block = _callout(kind, title, lines)
    return block + "\n\n^" + block_id(ann.uuid, long_id)


def _managed_region(lib, art, resolved) -> str:
    store = lib.store
    begin, end = _markers(art.uuid)
    out = [begin, "", f"# {escape_inline(art.title) or 'Untitled'}", ""]
    meta = [escape_inline(x) for x in (art.author, art.site, art.published) if x]
    if art.url:
        meta.append(f"[Source]({_md_link_dest(art.url)})")
    if meta:
        out += [" · ".join(meta), ""]
    passages = [r for r in resolved if r.resolution is not None and not r.resolution.orphaned]
    notes = [r for r in resolved if r.resolution is None]
    orphans = [r for r in resolved if r.resolution is not None and r.resolution.orphaned]
    short = [block_id(r.annotation.uuid) for r in resolved]
    clash = {b for b in short if short.count(b) > 1}

    def md(r, orphan: bool = False) -> str:
        return _annotation_md(r, art, store, orphan, block_id(r.annotation.uuid) in clash)

    if passages:
        out += ["## Highlights", ""]
        for r in passages:
            out += [md(r), ""]
    if notes:
        out += ["## Notes", ""]
        for r in notes:
            out += [md(r), ""]
    if orphans:
        out += ["## Orphaned highlights", "",
                ("These passages were not found in the article's current text; re-attach them "
                 "in Commonplace."), ""]
        for r in orphans:
            out += [md(r, orphan=True), ""]
    if not resolved:
        out += ["_No highlights or notes yet._", ""]
    out.append(end)
    return "\n".join(out)


def _dump_yaml(data: dict) -> str:
    return yaml.safe_dump(data, sort_keys=False, allow_unicode=True, default_flow_style=False,
                          width=100000)


def _article_parts(lib, article_id: int):
    art = lib.article(article_id)
    resolved = lib.annotations(article_id)
    # reading order: passages by position (orphans and article notes are listed separately)
    ents = _entities_by_group(lib.store.entities(article_id))
    updated = max((r.annotation.updated for r in resolved), default=art.updated)
    return art, _front_matter(art, ents, updated), _managed_region(lib, art, resolved)


def export_article_markdown(lib, article_id: int) -> str:
    """The Markdown file for one article, as written to an empty folder."""
    _, fm, region = _article_parts(lib, article_id)
    return f"---\n{_dump_yaml(fm)}---\n\n{region}\n"


# -- merging with a file the user may have edited --------------------------------------------
_FM = re.compile(r"\A---[ \t]*\n(.*?\n)?(?:---|\.\.\.)[ \t]*(?:\n|\Z)", re.DOTALL)


def split_front_matter(text: str) -> tuple[str | None, str]:
    m = _FM.match(text)
    if not m:
        return None, text
    return (m.group(1) or ""), text[m.end():]


def _find_region(body: str, uuid: str) -> tuple[int, int] | None:
    """(start, end) of the last begin-marker line … the first end-marker line after it."""
    begin_pre, _ = _markers(uuid)
    begin_key = begin_pre.split(" · ")[0]
    end_line = _markers(uuid)[1]
    lines = body.split("\n")
    offsets, pos = [], 0
    for ln in lines:
        offsets.append(pos)
        pos += len(ln) + 1
    begin_idx = None
    for i, ln in enumerate(lines):
        s = ln.strip()
        if s.startswith(begin_key) and s.endswith("%%"):
            begin_idx = i
    if begin_idx is None:
        return None
    for j in range(begin_idx + 1, len(lines)):
        if lines[j].strip() == end_line:
            return offsets[begin_idx], offsets[j] + len(lines[j])
    return None


def merge_markdown(existing: str, fresh: str, uuid: str) -> str:
    """`fresh` (a freshly exported file) merged into `existing`: our front-matter keys and the
    managed region replaced, the user's keys and text kept. Without a recognisable region the
    whole existing body is kept and the region appended, so nothing the user wrote is lost."""
    existing = existing.replace("\r\n", "\n")
    new_fm_text, new_body = split_front_matter(fresh)
    new_fm = yaml.safe_load(new_fm_text or "") or {}
    old_fm_text, old_body = split_front_matter(existing)
    kept_raw = ""
    fm = dict(new_fm)
    ours = set(MANAGED_KEYS) | set(new_fm)
    if old_fm_text is not None:
        try:
            old = yaml.safe_load(old_fm_text)
        except yaml.YAMLError:
            old = None
            kept_raw = old_fm_text
        if isinstance(old, dict):
            for k, v in old.items():
                if k not in ours:
                    fm[k] = v
        elif old is not None and not kept_raw:
            kept_raw = old_fm_text
    region = new_body.strip("\n")
    span = _find_region(old_body, uuid)
    if span is not None:
        body = old_body[:span[0]] + region + old_body[span[1]:]
    else:
        body = old_body.rstrip("\n")
        body = (body + "\n\n" if body.strip() else "") + region + "\n"
    if kept_raw:  # unreadable front matter: keep its text where the user can see it
        body = "```yaml\n" + kept_raw.rstrip("\n") + "\n```\n\n" + body
    if not body.startswith("\n"):
        body = "\n" + body
    return f"---\n{_dump_yaml(fm)}---\n{body}"


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
        css = " ".join(f".{c} {{ background-color: {palette.colour(c).light} }}"
                       for c in colours if palette.colour(c))
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
    ids = sorted(set(lib.store.article_ids() if whole else article_ids))
    for aid in ids:
        lib.store.summary(aid)  # NotFound before anything is written

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
