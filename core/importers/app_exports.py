"""Other apps' export files → a stream of entries (no storage here; see core.app_import).

Recognised by content, not by name: Pocket CSV (`title,url,time_added,tags,status`) and the
older `ril_export.html`, Instapaper CSV (`URL,Title,Selection,Folder,Timestamp`), Netscape
bookmark files, Omnivore export zips (`metadata_*.json`, `content/*.html`, `highlights/*.md`),
Wallabag JSON and Readwise CSV. CSVs are read row by row (a 100k-row export is never loaded
whole); a malformed row becomes an entry with `error` set, so one bad row never hides the rest.
"""
from __future__ import annotations

import csv
import json
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from core.errors import ImportFailed
from core.text import clean_inline

MAX_JSON_BYTES = 200_000_000
MAX_ZIP_ENTRY = 50_000_000
MAX_ZIP_ENTRIES = 200_000
csv.field_size_limit(10_000_000)
KINDS = {"pocket-csv": "Pocket (CSV)", "pocket-html": "Pocket (ril_export.html)",
         "instapaper": "Instapaper (CSV)", "bookmarks": "browser bookmarks",
         "omnivore": "Omnivore (zip)", "wallabag": "Wallabag (JSON)",
         "readwise": "Readwise (CSV)", "opml": "OPML feed list"}


@dataclass(slots=True)
class Highlight:
    quote: str
    note: str = ""
    color: str = ""  # the app's colour name; mapped to the palette when stored
    created: str = ""
    prefix: str = ""
    suffix: str = ""


@dataclass(slots=True)
class Entry:
    """One saved item of an export. `html`/`text` hold content when the export has it."""

    row: int
    url: str = ""
    title: str = ""
    author: str = ""
    tags: list[str] = field(default_factory=list)
    folder: str = ""
    state: str = ""  # "unread" | "archived" | "" (unknown)
    saved: str = ""  # ISO 8601 UTC, when the user saved it
    html: str = ""
    text: str = ""
    highlights: list[Highlight] = field(default_factory=list)
    error: str = ""


def detect(path: str | Path) -> str | None:
    """The export kind of a file, judged by its content; None if it is not a known export."""
    p = Path(path)
    try:
        if not p.is_file():
            return None
        with p.open("rb") as fh:
            head = fh.read(8192)
    except OSError:
        return None
    if head.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(p) as zf:
                names = zf.namelist()[:MAX_ZIP_ENTRIES]
        except (zipfile.BadZipFile, OSError, ValueError):
            return None
        if any(re.search(r"(^|/)metadata_[^/]*\.json$", n) for n in names):
            return "omnivore"
        return None
    text = head.decode("utf-8", "replace").lstrip("\ufeff").lstrip()
    low = text.lower()
    if re.match(r"(<\?xml[^>]*\?>\s*)?(<!--.*?-->\s*)*<opml[\s>]", low, re.S):
        return "opml"
    if low.startswith("<!doctype netscape-bookmark-file"):
        return "bookmarks"
    if "<title>pocket export</title>" in low or (
            re.search(r"<h1>\s*(unread|read archive)\s*</h1>", low) and "time_added=" in low):
        return "pocket-html"
    if text.startswith("[") or text.startswith("{"):
        if re.search(r'"is_archived"\s*:', text) and re.search(r'"url"\s*:', text):
            return "wallabag"
        return None
    try:
        first = re.split(r"\r\n|\r|\n", text, maxsplit=1)[0]
        header = [h.strip().lower() for h in next(csv.reader([first]), [])]
    except csv.Error:
        return None
    if {"title", "url", "time_added"} <= set(header):
        return "pocket-csv"
    if {"url", "title", "selection", "folder", "timestamp"} <= set(header):
        return "instapaper"
    if {"highlight", "book title"} <= set(header):
        return "readwise"
    return None


def read_entries(path: str | Path, kind: str) -> Iterator[Entry]:
    """Entries of an export in file order; ImportFailed if the file as a whole is unreadable."""
    readers = {"pocket-csv": _pocket_csv, "instapaper": _instapaper, "readwise": _readwise,
               "pocket-html": _pocket_html, "bookmarks": _bookmarks,
               "omnivore": _omnivore, "wallabag": _wallabag}
    return readers[kind](Path(path))


# -- CSV ----------------------------------------------------------------------------------------
def _csv_rows(path: Path) -> Iterator[tuple[int, dict[str, str] | None, str]]:
    """(line number, row with lower-cased keys or None, error) — streamed."""
    try:
        fh = path.open(encoding="utf-8-sig", errors="replace", newline="")
    except OSError as e:
        raise ImportFailed(f"cannot read {path.name}: {e.strerror or e}") from None
    with fh:
        reader = csv.reader(fh)
        try:
            header = [h.strip().lower() for h in next(reader)]
        except (StopIteration, csv.Error):
            raise ImportFailed(f"{path.name}: empty or malformed CSV") from None
        while True:
            try:
                row = next(reader)
            except StopIteration:
                return
            except csv.Error as e:
                yield reader.line_num, None, f"malformed CSV row: {e}"
                continue
            if not any(c.strip() for c in row):
                continue
            if len(row) != len(header):
                yield reader.line_num, None, (f"malformed CSV row: {len(row)} fields, "
                                              f"expected {len(header)}")
                continue
            yield reader.line_num, dict(zip(header, row, strict=True)), ""


def _epoch(value: str) -> str:
    value = (value or "").strip()
    if not value:
        return ""
    try:
        if re.fullmatch(r"\d{9,13}", value):
            n = int(value)
            secs = n / 1000 if n > 10**11 else n
            return datetime.fromtimestamp(secs, UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
        dt = datetime.fromisoformat(value.replace("Z", "+00:00").replace(" ", "T", 1))
        if dt.tzinfo is None:
            dt = dt.replace(tzinfo=UTC)
        return dt.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    except (ValueError, OverflowError, OSError):
        return ""


def _tags(raw: str, sep: str) -> list[str]:
    out: list[str] = []
    for t in (raw or "").split(sep):
        t = clean_inline(t)
        if t and len(t) <= 60 and t.casefold() not in {x.casefold() for x in out}:
            out.append(t)
    return out


def _state(raw: str) -> str:
    r = (raw or "").strip().lower()
    return "archived" if r in ("archive", "archived", "read", "1", "true") else \
        "unread" if r in ("unread", "0", "false", "") else ""


def _pocket_csv(path: Path) -> Iterator[Entry]:
    for line, row, err in _csv_rows(path):
        if row is None:
            yield Entry(line, error=err)
            continue
        yield Entry(line, url=row.get("url", "").strip(), title=clean_inline(row.get("title", "")),
                    tags=_tags(row.get("tags", ""), "|"), state=_state(row.get("status", "")),
                    saved=_epoch(row.get("time_added", "")))


def _instapaper(path: Path) -> Iterator[Entry]:
    for line, row, err in _csv_rows(path):
        if row is None:
            yield Entry(line, error=err)
            continue
        folder = clean_inline(row.get("folder", ""))
        sel = clean_inline(row.get("selection", ""))
        tags = _tags(row.get("tags", "").strip("[]").replace('"', ""), ",")
        yield Entry(line, url=row.get("url", "").strip(), title=clean_inline(row.get("title", "")),
                    folder="" if folder.lower() in ("unread", "archive", "starred") else folder,
                    state="archived" if folder.lower() == "archive" else "unread",
                    tags=tags, saved=_epoch(row.get("timestamp", "")),
                    highlights=[Highlight(sel)] if sel else [])


def _readwise(path: Path) -> Iterator[Entry]:
    """One entry per highlight row; core.app_import groups them by book/article title."""
    for line, row, err in _csv_rows(path):
        if row is None:
            yield Entry(line, error=err)
            continue
        quote = (row.get("highlight") or "").strip()
        hl = Highlight(quote, note=(row.get("note") or "").strip(),
                       color=(row.get("color") or "").strip().lower(),
                       created=_epoch(row.get("highlighted at", ""))) if quote else None
        yield Entry(line, title=clean_inline(row.get("book title", "")),
                    author=clean_inline(row.get("book author", "")),
                    url=(row.get("url") or row.get("source url") or "").strip(),
                    tags=_tags(row.get("document tags", ""), ","),
                    highlights=[hl] if hl else [], error="" if hl else "row has no highlight")


# -- HTML lists -----------------------------------------------------------------------------
def _read_text(path: Path, limit: int = MAX_JSON_BYTES) -> str:
    try:
        with path.open("rb") as fh:
            data = fh.read(limit + 1)
    except OSError as e:
        raise ImportFailed(f"cannot read {path.name}: {e.strerror or e}") from None
    if len(data) > limit:
        raise ImportFailed(f"{path.name} is too large (limit {limit // 1_000_000} MB)")
    return data.decode("utf-8", "replace").lstrip("\ufeff")


_A = re.compile(r"<a\s([^>]*)>(.*?)</a>", re.I | re.S)
_ATTR = re.compile(r'([a-z_:-]+)\s*=\s*("([^"]*)"|\'([^\']*)\')', re.I)


def _attrs(raw: str) -> dict[str, str]:
    import html as htmlmod
    return {m.group(1).lower(): htmlmod.unescape(m.group(3) if m.group(3) is not None
                                                 else m.group(4) or "")
            for m in _ATTR.finditer(raw)}


def _strip_tags(s: str) -> str:
    import html as htmlmod
    return clean_inline(htmlmod.unescape(re.sub(r"<[^>]*>", " ", s)))


def _pocket_html(path: Path) -> Iterator[Entry]:
    text = _read_text(path)
    state = "unread"
    pos = 0
    heads = [(m.start(), m.group(1).lower()) for m in
             re.finditer(r"<h1>\s*([^<]*?)\s*</h1>", text, re.I)]
    for n, m in enumerate(_A.finditer(text), 1):
        while heads and heads[0][0] < m.start():
            state = "archived" if "archive" in heads.pop(0)[1] else "unread"
        a = _attrs(m.group(1))
        pos = m.end()
        yield Entry(n, url=a.get("href", "").strip(), title=_strip_tags(m.group(2)),
                    tags=_tags(a.get("tags", ""), ","), state=state,
                    saved=_epoch(a.get("time_added", "")))
    del pos


def _bookmarks(path: Path) -> Iterator[Entry]:
    """Netscape bookmark file: <H3> opens a folder for the next <DL>; folders become a path."""
    text = _read_text(path)
    token = re.compile(r"<h3[^>]*>(.*?)</h3>|<dl[^>]*>|</dl>|<a\s([^>]*)>(.*?)</a>", re.I | re.S)
    stack: list[str] = []
    pending = ""
    n = 0
    for m in token.finditer(text):
        tok = m.group(0)[:3].lower()
        if m.group(1) is not None:
            pending = _strip_tags(m.group(1))
        elif tok == "<dl":
            stack.append(pending)
            pending = ""
        elif tok == "</d":
            if stack:
                stack.pop()
        else:
            n += 1
            a = _attrs(m.group(2))
            folder = " / ".join(f for f in stack if f)
            yield Entry(n, url=a.get("href", "").strip(), title=_strip_tags(m.group(3)),
                        tags=_tags(a.get("tags", ""), ","), folder=folder,
                        saved=_epoch(a.get("add_date", "")))


# -- JSON / zip with content ------------------------------------------------------------------
def _wallabag(path: Path) -> Iterator[Entry]:
    try:
        items = json.loads(_read_text(path))
    except json.JSONDecodeError as e:
        raise ImportFailed(f"{path.name}: not valid JSON ({e.msg} at line {e.lineno})") from None
    if not isinstance(items, list):
        raise ImportFailed(f"{path.name}: expected a list of entries")
    for n, it in enumerate(items, 1):
        if not isinstance(it, dict):
            yield Entry(n, error="entry is not an object")
            continue
        tags = [t.get("label", "") if isinstance(t, dict) else str(t) for t in it.get("tags") or []]
        hls = []
        for a in it.get("annotations") or []:
            if isinstance(a, dict) and (a.get("quote") or "").strip():
                hls.append(Highlight(a["quote"].strip(), note=(a.get("text") or "").strip(),
                                     created=_epoch(str(a.get("created_at") or ""))))
        yield Entry(n, url=str(it.get("url") or "").strip(),
                    title=clean_inline(str(it.get("title") or "")),
                    author=", ".join(str(x) for x in it.get("published_by") or [] if x)[:200],
                    tags=_tags(",".join(tags), ","),
                    state="archived" if it.get("is_archived") in (1, True, "1") else "unread",
                    saved=_epoch(str(it.get("created_at") or "")),
                    html=str(it.get("content") or ""), highlights=hls)


def _omnivore(path: Path) -> Iterator[Entry]:
    try:
        zf = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError) as e:
        raise ImportFailed(f"{path.name}: not a readable zip ({e})") from None
    with zf:
        infos = {i.filename: i for i in zf.infolist()[:MAX_ZIP_ENTRIES]}
        for name, info in infos.items():  # checked before anything is stored
            if name.startswith("/") or ".." in name.replace("\\", "/").split("/"):
                raise ImportFailed(f"unsafe export: the path {name[:80]!r} escapes the archive")
            if info.file_size > MAX_ZIP_ENTRY or (info.file_size > 1_000_000 and
                                                  info.file_size > 200 * info.compress_size):
                raise ImportFailed(f"refused: {name[:60]} in the export looks like a zip bomb")

        def read(name: str) -> str | None:
            info = infos.get(name)
            if info is None:
                return None
            with zf.open(info) as fh:
                data = fh.read(MAX_ZIP_ENTRY + 1)
            if len(data) > MAX_ZIP_ENTRY:
                raise ImportFailed(f"{name[:60]} expands to too much data (zip bomb?)")
            return data.decode("utf-8", "replace")

        metas = sorted((n for n in infos if re.search(r"(^|/)metadata_[^/]*\.json$", n)),
                       key=lambda n: [int(x) if x.isdigit() else x for x in re.split(r"(\d+)", n)])
        n = 0
        for meta_name in metas:
            prefix = meta_name.rsplit("/", 1)[0] + "/" if "/" in meta_name else ""
            try:
                items = json.loads(read(meta_name) or "[]")
            except json.JSONDecodeError as e:
                raise ImportFailed(f"{meta_name}: not valid JSON ({e.msg})") from None
            for it in items if isinstance(items, list) else []:
                n += 1
                if not isinstance(it, dict):
                    yield Entry(n, error="entry is not an object")
                    continue
                slug = str(it.get("slug") or it.get("id") or "")
                html = read(f"{prefix}content/{slug}.html") or "" if slug else ""
                md = read(f"{prefix}highlights/{slug}.md") or "" if slug else ""
                labels = [x.get("name", "") if isinstance(x, dict) else str(x)
                          for x in it.get("labels") or []]
                state = str(it.get("state") or "").lower()
                yield Entry(n, url=str(it.get("url") or "").strip(),
                            title=clean_inline(str(it.get("title") or "")),
                            author=clean_inline(str(it.get("author") or "")),
                            tags=_tags(",".join(labels), ","),
                            state="archived" if state == "archived" else "unread",
                            saved=_epoch(str(it.get("savedAt") or "")), html=html,
                            highlights=omnivore_highlights(md, it.get("highlights")))


def omnivore_highlights(md: str, meta: object) -> list[Highlight]:
    """Highlights from the metadata (newer exports: quote, annotation, color, prefix/suffix)
    or else from highlights/<slug>.md: "> quote [⤴️](url)" blocks, a following plain
    paragraph being the note."""
    out: list[Highlight] = []
    if isinstance(meta, list) and meta:
        for h in meta:
            if isinstance(h, dict) and (h.get("quote") or "").strip():
                out.append(Highlight(h["quote"].strip(), note=(h.get("annotation") or "").strip(),
                                     color=str(h.get("color") or "").lower(),
                                     created=_epoch(str(h.get("createdAt") or "")),
                                     prefix=h.get("prefix") or "", suffix=h.get("suffix") or ""))
        return out
    for chunk in re.split(r"\n\s*\n(?=>)", md.strip()):
        lines = chunk.splitlines()
        quote_lines = [ln[1:].lstrip() if ln.startswith(">") else None for ln in lines]
        if not lines or quote_lines[0] is None:
            continue
        q: list[str] = []
        rest: list[str] = []
        for ln, ql in zip(lines, quote_lines, strict=True):
            (q if ql is not None and not rest else rest).append(ql if ql is not None else ln)
        quote = re.sub(r"\s*\[⤴️?\]\([^)]*\)\s*$", "", " ".join(q)).strip()
        if quote:
            out.append(Highlight(quote, note="\n".join(rest).strip()))
    return out
