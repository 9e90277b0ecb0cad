"""Storing another app's export: articles, tags, saved dates, states and re-anchored highlights.

Each entry lands whole (article, tags, origin row, highlights) or not at all: entries share a
transaction in batches of BATCH, each under its own savepoint.
Highlights are placed on the article's canonical text: the quote verbatim (the first occurrence
at or after the previous highlight when it repeats: exports list highlights in reading order),
then with typography and whitespace folded, then by core.anchors' fuzzy resolution; one that
cannot be placed is stored as an orphan on its article (listed, never dropped). Re-running an
export finds every entry by URL (or title, for Readwise) and changes nothing.
"""
from __future__ import annotations

import itertools
import re
import sqlite3
import unicodedata
import uuid as uuidlib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from core import anchors
from core.db import now_iso
from core.errors import CommonplaceError, ImportFailed
from core.importers.app_exports import KINDS, Entry, Highlight, read_entries
from core.importers.url import canonical_url
from core.models import Anchor, Document, ImportResult
from core.palette import DEFAULT_COLOUR, NAMES
from core.text import TextBuilder, content_hash

_COLOURS = {"yellow": "yellow", "orange": "yellow", "green": "green", "blue": "blue",
            "red": "pink", "pink": "pink", "purple": "purple", "violet": "purple"}
LINK_ONLY_NOTE = "Link only: this page has not been fetched yet."


@dataclass(slots=True)
class ExportReport:
    kind: str
    imported: int = 0
    present: int = 0
    link_only: int = 0
    placed: int = 0
    orphaned: int = 0
    failed: list[tuple[int, str]] = field(default_factory=list)

    def summary(self) -> str:
        if self.kind == "opml":
            return (f"{KINDS['opml']}: {self.imported} feeds subscribed, {self.present} "
                    f"already, {len(self.failed)} failed (`feeds refresh` fetches them)")
        links = f" ({self.link_only} link-only, queued for fetching)" if self.link_only else ""
        return (f"{KINDS.get(self.kind, self.kind)}: {self.imported} imported{links}, "
                f"{self.present} already present, {len(self.failed)} failed; highlights "
                f"{self.placed} placed, {self.orphaned} orphaned")


def colour(app_colour: str) -> str:
    """An app's highlight colour name → our palette's ("red" → "pink"); default yellow."""
    c = _COLOURS.get((app_colour or "").strip().lower(), "")
    return c if c in NAMES else DEFAULT_COLOUR


# -- placing highlights ---------------------------------------------------------------------------
_FOLD = str.maketrans({"‘": "'", "’": "'", "‚": "'", "“": '"', "”": '"', "„": '"', "–": "-",
                       "—": "-", "‐": "-", "\u00a0": " ", "…": "...", "*": None, "_": None})


def _folded(s: str) -> tuple[str, list[int]]:
    """Casefolded, typography folded, whitespace collapsed; with each char's original offset."""
    out: list[str] = []
    where: list[int] = []
    space = False
    for i, ch in enumerate(s):
        t = unicodedata.normalize("NFKC", ch).translate(_FOLD).casefold()
        if not t:
            continue
        if t.isspace():
            space = bool(out)
            continue
        if space:
            out.append(" ")
            where.append(i)
            space = False
        for c in t:
            out.append(c)
            where.append(i)
    return "".join(out), where


class Placer:
    """Places an article's highlights in order on its text."""

    def __init__(self, text: str) -> None:
        self.text = text
        self._fold: tuple[str, list[int]] | None = None
        self.cursor = 0

    def place(self, h: Highlight) -> Anchor:
        """An anchor at the passage, or an orphan anchor (0, 0, quote) if it cannot be placed."""
        q = unicodedata.normalize("NFC", re.sub(r"\s+", " ", h.quote).strip())
        span = self._exact(q) or self._loose(q) or self._fuzzy(q, h)
        if span is None:
            return Anchor(0, 0, q, h.prefix[-anchors.CONTEXT:], h.suffix[:anchors.CONTEXT])
        self.cursor = span[0]
        return anchors.make_anchor(self.text, *span)

    def _exact(self, q: str) -> tuple[int, int] | None:
        pos = self.text.find(q, self.cursor)
        if pos < 0:
            pos = self.text.find(q)
        return (pos, pos + len(q)) if pos >= 0 and q else None

    def _loose(self, q: str) -> tuple[int, int] | None:
        if self._fold is None:
            self._fold = _folded(self.text)
        folded, where = self._fold
        fq, _ = _folded(q)
        if len(fq) < 3:
            return None
        start_f = next((i for i, w in enumerate(where) if w >= self.cursor), 0)
        pos = folded.find(fq, start_f)
        if pos < 0:
            pos = folded.find(fq)
        if pos < 0:
            return None
        return where[pos], where[pos + len(fq) - 1] + 1

    def _fuzzy(self, q: str, h: Highlight) -> tuple[int, int] | None:
        r = anchors.resolve(self.text, Anchor(self.cursor, self.cursor + len(q), q,
                                              h.prefix[-anchors.CONTEXT:],
                                              h.suffix[:anchors.CONTEXT]))
        return None if r.orphaned else (r.start, r.end)


# -- documents ------------------------------------------------------------------------------------
def _document(e: Entry, kind: str) -> tuple[Document, bool]:
    """(document, link_only). Content when the export has it; else a link-only entry."""
    b = TextBuilder()
    if e.html.strip():
        from core.importers.epub import html_blocks
        try:
            html_blocks(e.html, b)
        except ImportFailed:
            b = TextBuilder()
    if not b.text.strip() and kind == "readwise" and e.highlights:
        for h in e.highlights:  # no article text in a Readwise CSV: the passages are the text
            b.add_block("quote", h.quote)
    link_only = not b.text.strip()
    if link_only:  # built directly: this path runs for every row of a 100k-row export
        return _link_only(e), True
    doc = Document(text=b.text, blocks=b.blocks, links=b.links, title=e.title or e.url or
                   "Untitled", author=e.author, site=_host(e.url), url=e.url,
                   tags=_entry_tags(e))
    return doc, False


def _link_only(e: Entry) -> Document:
    """Placeholder text (a note and the URL as a link) until the page is fetched."""
    from core.models import Span
    from core.text import clean_inline
    url = clean_inline(e.url)
    n = len(LINK_ONLY_NOTE)
    text = f"{LINK_ONLY_NOTE}\n\n{url}"
    return Document(text=text, blocks=[Span(0, n, "paragraph"),
                                       Span(n + 2, len(text), "paragraph")],
                    links=[Span(n + 2, len(text), "link", {"href": url})],
                    title=e.title or url, site=_host(url), url=url, tags=_entry_tags(e))


def _host(url: str) -> str:
    m = re.match(r"^https?://(?:[^@/]*@)?([^/:?#]+)", url, re.I)
    return m.group(1).lower().removeprefix("www.") if m else ""


def _entry_tags(e: Entry) -> list[str]:
    return (list(e.tags) + ([e.folder] if e.folder and e.folder not in e.tags else []))[:20]


def _valid_url(url: str) -> bool:
    """http(s) with a host ("http://wiki/page" from an intranet bookmark is fine)."""
    from urllib.parse import urlsplit
    try:
        parts = urlsplit(url)
        return parts.scheme.lower() in ("http", "https") and bool(parts.hostname) \
            and len(url) < 4000 and not re.search(r"\s", url)
    except ValueError:
        return False


def _group_readwise(entries):
    """Readwise rows are highlights: gather them per (title, author), in file order."""
    groups: dict[tuple[str, str], Entry] = {}
    for e in entries:
        if e.error:
            yield e
            continue
        key = (e.title.casefold(), e.author.casefold())
        if key not in groups:
            groups[key] = e
        else:
            groups[key].highlights.extend(e.highlights)
            groups[key].tags = list(dict.fromkeys(groups[key].tags + e.tags))
    yield from groups.values()


# -- storing --------------------------------------------------------------------------------------
def _insert_annotation(store, con, article_id: int, a: Anchor, h: Highlight) -> None:
    ts = now_iso()
    cur = con.execute(
        "INSERT INTO annotations (uuid, article_id, start, end, exact, prefix, suffix, color,"
        " note, tags, created, updated) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
        (str(uuidlib.uuid4()), article_id, a.start, a.end, a.exact, a.prefix, a.suffix,
         colour(h.color), h.note, "[]", h.created or ts, ts))
    store.enqueue(con, "annotation", cur.lastrowid)


def _add_highlights(store, con, article_id: int, text: str, hls: list[Highlight],
                    report: ExportReport) -> None:
    if not hls:
        return
    have = {(a.anchor.exact if a.anchor else "", a.note) for a in store.annotations(article_id)}
    placer = Placer(text)
    for h in hls:
        anchor = placer.place(h)
        if (anchor.exact, h.note) in have:
            continue
        have.add((anchor.exact, h.note))
        _insert_annotation(store, con, article_id, anchor, h)
        if anchor.end > anchor.start:
            report.placed += 1
        else:
            report.orphaned += 1


def _existing(store, e: Entry, doc: Document) -> int | None:
    if e.url:
        row = store.con.execute("SELECT id FROM articles WHERE url=? AND url <> ''"
                                " ORDER BY id LIMIT 1", (doc.url,)).fetchone()
        if row:
            return row[0]
    elif e.title:
        rows = store.con.execute("SELECT id FROM articles WHERE title=? COLLATE NOCASE LIMIT 2",
                                 (e.title,)).fetchall()
        if len(rows) == 1:
            return rows[0][0]
    return store.find_duplicate(content_hash(doc.text), "")


def _store_entry(store, con, e: Entry, kind: str, report: ExportReport) -> ImportResult:
    """Store one entry inside the caller's transaction (under a savepoint)."""
    label = f"{e.title or e.url or 'entry'} (row {e.row})"
    if e.error:
        raise ImportFailed(e.error)
    if e.url and not _valid_url(e.url):
        raise ImportFailed(f"not a usable http(s) URL: {e.url[:80]!r}")
    if not e.url and not (kind == "readwise" and e.title):
        raise ImportFailed("no URL")
    doc, link_only = _document(e, kind)
    h = content_hash(doc.text)
    aid = _existing(store, e, doc)
    if aid is not None:  # already here: only what it lacks is added (nothing on a re-run)
        before = (report.placed, report.orphaned)
        _add_highlights(store, con, aid, store.article_text(aid), e.highlights, report)
        missing = [t for t in doc.tags if t.casefold() not in
                   {x.casefold() for x in store.tags(aid)}]
        if missing:
            store._set_tags(con, aid, store.tags(aid) + missing)
            store.enqueue(con, "article", aid)
        report.present += 1
        changed = "" if (report.placed, report.orphaned) == before and not missing \
            else "; added highlights or tags"
        return ImportResult(label, "duplicate", aid, doc.title,
                            f"already in the library as #{aid}{changed}")
    aid = store.insert_article(con, doc, h, str(uuidlib.uuid4()))
    if e.saved:
        con.execute("UPDATE articles SET added=? WHERE id=?", (e.saved, aid))
    if e.state == "archived":  # the app's archive is ours (reading states, migration 1002)
        con.execute("UPDATE articles SET state='archive' WHERE id=?", (aid,))
    con.execute("INSERT INTO import_origins (article_id, app, url, state, saved, folder,"
                " fetch) VALUES (?,?,?,?,?,?,?)",
                (aid, kind, e.url, e.state, e.saved, e.folder,
                 "pending" if link_only else ""))
    _add_highlights(store, con, aid, doc.text, e.highlights, report)
    report.imported += 1
    report.link_only += link_only
    return ImportResult(label, "imported", aid, doc.title, "link only" if link_only else "")


BATCH = 200  # entries per transaction; each entry has its own savepoint


def import_export(lib, path: str, kind: str, *, progress: Callable | None = None,
                  cancel: Callable | None = None) -> tuple[list[ImportResult], ExportReport]:
    """Import every entry of an export file; one result per entry, and the report.
    Entries are stored in batches of BATCH per transaction for speed; a failing entry is
    rolled back to its savepoint alone."""
    report = ExportReport(kind)
    if kind == "opml":
        from core.feeds import add_opml
        subscribed = add_opml(lib, path)
        report.imported = sum(r.status == "imported" for r in subscribed)
        report.present = sum(r.status == "duplicate" for r in subscribed)
        report.failed = [(i, r.error) for i, r in enumerate(subscribed, 1)
                         if r.status == "failed"]
        return subscribed, report
    results: list[ImportResult] = []
    entries = read_entries(path, kind)
    if kind == "readwise":
        entries = _group_readwise(entries)
    entries = iter(entries)
    seen: set[str] = set()
    name = Path(path).name
    store = lib._store
    i = 0
    exhausted = False
    while not exhausted and not (cancel and cancel()):
        with store.write() as con:
            n = 0
            for e in itertools.islice(entries, BATCH):
                n += 1
                i += 1
                if progress and i % 50 == 0:
                    progress(i, i + 1, f"{name}: row {e.row}")
                key = e.url = canonical_url(e.url) if e.url else ""
                if key and key in seen:  # the same item twice in one export
                    report.present += 1
                    results.append(ImportResult(f"{name} row {e.row}", "duplicate", None,
                                                e.title, "duplicate row in the export"))
                    continue
                seen.add(key)
                results.append(_one(store, con, e, kind, report, name))
            exhausted = n < BATCH
    return results, report


def _one(store, con, e: Entry, kind: str, report: ExportReport, name: str) -> ImportResult:
    snap = (report.imported, report.present, report.link_only, report.placed, report.orphaned)
    con.execute("SAVEPOINT entry")
    try:
        res = _store_entry(store, con, e, kind, report)
        con.execute("RELEASE entry")
        return res
    except sqlite3.OperationalError:
        raise  # disk full, locked...: the whole batch rolls back and the caller hears of it
    except Exception as err:  # noqa: BLE001 - one bad entry must not abort the export
        con.execute("ROLLBACK TO entry")
        con.execute("RELEASE entry")
        (report.imported, report.present, report.link_only, report.placed,
         report.orphaned) = snap
        why = str(err) if isinstance(err, CommonplaceError) else f"{type(err).__name__}: {err}"
        report.failed.append((e.row, why))
        return ImportResult(f"{name} row {e.row}", "failed", error=why)


def pending_fetches(store, limit: int = 1000) -> list[tuple[int, str]]:
    return store.con.execute("SELECT article_id, url FROM import_origins WHERE fetch='pending'"
                             " ORDER BY article_id LIMIT ?", (limit,)).fetchall()


def origin(store, article_id: int) -> dict | None:
    """What the export said about an article: app, state, saved date, folder, fetch status."""
    r = store.con.execute("SELECT app, url, state, saved, folder, fetch, attempts, fetch_error"
                          " FROM import_origins WHERE article_id=?", (article_id,)).fetchone()
    keys = ("app", "url", "state", "saved", "folder", "fetch", "attempts", "fetch_error")
    return dict(zip(keys, r, strict=True)) if r else None


def split_exports(expanded: list) -> tuple[list, list[tuple[str, str]]]:
    """Expanded import sources → (ordinary sources, [(path, export kind)]), by content."""
    from core.importers import is_url
    from core.importers.app_exports import detect
    rest, exports = [], []
    for item in expanded:
        src, err = item
        if not err and not is_url(src) and Path(src).suffix.lower() in EXPORT_SUFFIXES:
            kind = detect(src)
            if kind:
                exports.append((src, kind))
                continue
        rest.append(item)
    return rest, exports


EXPORT_SUFFIXES = (".csv", ".json", ".zip", ".html", ".htm", ".txt", ".opml", ".xml", "")
