"""Storing another app's export: articles, tags, saved dates, states and re-anchored highlights.

Each entry lands whole (article, tags, origin row, highlights) or not at all: entries share a
transaction in batches of BATCH, each under its own savepoint.
Documents (and the pictures of saved content) are made before the transaction; what is already
stored is looked up once per batch, not per row. Highlights are placed by
core.app_highlights; one that cannot be placed is stored as an orphan on its article (listed,
never dropped). Re-running an export finds every entry by URL (or title, for Readwise) and
changes nothing.
"""
from __future__ import annotations

import itertools
import re
import sqlite3
import uuid as uuidlib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from core.app_highlights import Placer, colour
from core.db import now_iso
from core.errors import CommonplaceError, ImportFailed
from core.importers.app_exports import KINDS, Entry, Highlight, read_entries
from core.importers.url import canonical_url
from core.models import Anchor, Document, ImportResult
from core.text import TextBuilder, content_hash

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


# -- documents ------------------------------------------------------------------------------------
def _document(e: Entry, kind: str, images: bool = False,
              unreachable: set[str] | None = None) -> tuple[Document, bool]:
    """(document, link_only). Content when the export has it; else a link-only entry. With
    `images`, the saved content's pictures are fetched (bounded, as for a URL import) from
    the addresses it gives, resolved against the article's URL; one that cannot be had is a
    note in doc.notes."""
    b = TextBuilder()
    collector = None
    if e.html.strip():
        from core.importers.content_images import Pictures
        from core.importers.epub import html_blocks
        pics = None
        if images and e.url:
            from urllib.parse import urljoin

            from core.importers.images import ImageCollector
            collector = ImageCollector(base_url=e.url, unreachable=unreachable)
            pics = Pictures(collector, lambda src: urljoin(e.url, src))
        try:
            html_blocks(e.html, b, pics)
        except ImportFailed:
            b, collector = TextBuilder(), None
    if not b.text.strip() and kind == "readwise" and e.highlights:
        for h in e.highlights:  # no article text in a Readwise CSV: the passages are the text
            b.add_block("quote", h.quote)
    link_only = not b.text.strip()
    if link_only:  # built directly: this path runs for every row of a 100k-row export
        return _link_only(e), True
    doc = Document(text=b.text, blocks=b.blocks, links=b.links, title=e.title or e.url or
                   "Untitled", author=e.author, site=_host(e.url), url=e.url,
                   tags=_entry_tags(e))
    if collector is not None:
        from core.importers.content_images import used
        doc.images, doc.notes = used(b, collector), list(collector.notes)
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

    from core.importers.url import _PLAIN_CANONICAL
    if len(url) < 4000 and _PLAIN_CANONICAL.fullmatch(url):
        return True
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


def _existing(store, e: Entry, doc: Document, h: str, known: dict[str, int]) -> int | None:
    """The article this entry already is: by URL (looked up for the whole batch in `known`),
    by title for Readwise, else by the text's hash (also in `known`, as "#<hash>")."""
    if e.url:
        if doc.url in known:
            return known[doc.url]
    elif e.title:
        rows = store.con.execute("SELECT id FROM articles WHERE title=? COLLATE NOCASE LIMIT 2",
                                 (e.title,)).fetchall()
        if len(rows) == 1:
            return rows[0][0]
    return known.get("#" + h)


def _store_entry(store, con, e: Entry, prepared: tuple[Document, bool, str], kind: str,
                 report: ExportReport, known: dict[str, int],
                 tag_ids: dict[str, int]) -> ImportResult:
    """Store one entry inside the caller's transaction (under a savepoint)."""
    label = f"{e.title or e.url or 'entry'} (row {e.row})"
    doc, link_only, h = prepared
    aid = _existing(store, e, doc, h, known)
    if aid is not None:  # already here: only what it lacks is added (nothing on a re-run)
        before = (report.placed, report.orphaned)
        _add_highlights(store, con, aid, store.article_text(aid), e.highlights, report)
        have = store.tags(aid)
        missing = [t for t in doc.tags if t.casefold() not in {x.casefold() for x in have}]
        if missing:
            store._set_tags(con, aid, have + missing)
            store.enqueue(con, "article", aid)
        report.present += 1
        changed = "" if (report.placed, report.orphaned) == before and not missing \
            else "; added highlights or tags"
        return ImportResult(label, "duplicate", aid, doc.title,
                            f"already in the library as #{aid}{changed}")
    aid = store.insert_article(con, doc, h, str(uuidlib.uuid4()), added=e.saved,
                               state="archive" if e.state == "archived" else "",
                               index=False, tag_ids=tag_ids)
    con.execute("INSERT INTO import_origins (article_id, app, url, state, saved, folder,"
                " fetch) VALUES (?,?,?,?,?,?,?)",
                (aid, kind, e.url, e.state, e.saved, e.folder,
                 "pending" if link_only else ""))
    _add_highlights(store, con, aid, doc.text, e.highlights, report)
    known["#" + h] = aid
    if e.url:
        known[doc.url] = aid
    report.imported += 1
    report.link_only += link_only
    note = "link only" if link_only else _notes_line(doc.notes)
    return ImportResult(label, "imported", aid, doc.title, note)


def _notes_line(notes: list[str]) -> str:
    from core.ingest import _notes_line as line
    return line(notes) if notes else ""


BATCH = 200  # entries per transaction; each entry has its own savepoint


def _known(con, urls: list[str], hashes: list[str]) -> dict[str, int]:
    """Articles already stored under these URLs or text hashes (two queries for a batch,
    not two per row): {url: id, "#<hash>": id}, the oldest article when several match."""
    out: dict[str, int] = {}
    queries = (("SELECT url, min(id) FROM articles WHERE url <> '' AND url IN ({})"
                " GROUP BY url", urls, ""),
               ("SELECT content_hash, id FROM articles WHERE content_hash IN ({})", hashes, "#"))
    for sql, keys, prefix in queries:
        keys = [k for k in dict.fromkeys(keys) if k]
        for i in range(0, len(keys), 500):
            part = keys[i:i + 500]
            for key, aid in con.execute(sql.format(",".join("?" * len(part))), part):
                out[prefix + key] = aid
    return out


def _prepare(store, batch: list[Entry], kind: str, seen: set[str], images: bool,
             name: str, results: list[ImportResult], report: ExportReport, *,
             progress: Callable | None = None, cancel: Callable | None = None,
             offset: int = 0, unreachable: set[str] | None = None) -> list:
    """Outside any transaction: canonical URLs, duplicate rows, bad rows, and the documents
    (fetching pictures takes time and must not hold the library's write lock). Pictures are
    only fetched for entries whose URL is not in the library yet; while they are, progress
    is reported per entry and a cancel stops the batch there (the rest is left for a re-run,
    which imports it with its pictures)."""
    for e in batch:
        e.url = canonical_url(e.url) if e.url else ""
    present = _known(store.con, [e.url for e in batch], []) if images else {}
    out = []
    for i, e in enumerate(batch):
        fetching = images and bool(e.html) and e.url not in present
        if fetching and cancel and cancel():
            break
        if fetching and progress:
            progress(offset + i, offset + len(batch) + 1, f"{name}: row {e.row}")
        key = e.url
        if key and key in seen:  # the same item twice in one export
            report.present += 1
            results.append(ImportResult(f"{name} row {e.row}", "duplicate", None,
                                        e.title, "duplicate row in the export"))
            continue
        seen.add(key)
        try:
            if e.error:
                raise ImportFailed(e.error)
            if e.url and not _valid_url(e.url):
                raise ImportFailed(f"not a usable http(s) URL: {e.url[:80]!r}")
            if not e.url and not (kind == "readwise" and e.title):
                raise ImportFailed("no URL")
            doc, link_only = _document(e, kind, fetching, unreachable)
        except Exception as err:  # noqa: BLE001 - one bad entry must not abort the export
            why = str(err) if isinstance(err, CommonplaceError) else f"{type(err).__name__}: {err}"
            report.failed.append((e.row, why))
            results.append(ImportResult(f"{name} row {e.row}", "failed", error=why))
            continue
        out.append((e, doc, link_only, content_hash(doc.text), len(results)))
        results.append(ImportResult(f"{name} row {e.row}", "failed", error="not stored"))
    return out


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
    from core.image_store import SETTING_KEY
    results: list[ImportResult] = []
    entries = read_entries(path, kind)
    if kind == "readwise":
        entries = _group_readwise(entries)
    entries = iter(entries)
    seen: set[str] = set()
    name = Path(path).name
    store = lib._store
    images = store.get_setting(SETTING_KEY) != "0"
    done = 0
    tag_ids: dict[str, int] = {}  # tag name → id within one batch (cleared on a rollback)
    unreachable: set[str] = set()  # picture hosts that did not answer: not asked again
    while not (cancel and cancel()):
        batch = list(itertools.islice(entries, BATCH))
        if not batch:
            break
        ready = _prepare(store, batch, kind, seen, images, name, results, report,
                         progress=progress, cancel=cancel, offset=done,
                         unreachable=unreachable)
        done += len(batch)
        if progress:
            progress(done, done + 1, f"{name}: row {batch[-1].row}")
        with store.write() as con:
            tag_ids.clear()  # ids are only trusted inside the transaction that read them
            known = _known(con, [r[1].url for r in ready if r[1].url], [r[3] for r in ready])
            stored: list[int] = []
            for e, doc, link_only, h, slot in ready:
                res = _one(store, con, e, (doc, link_only, h), kind, report, name, known,
                           tag_ids)
                results[slot] = res
                if res.status == "imported" and res.article_id is not None:
                    stored.append(res.article_id)
            store.enqueue_many(con, "article", stored)
        if len(batch) < BATCH:
            break
    return results, report


def _one(store, con, e: Entry, prepared: tuple[Document, bool, str], kind: str,
         report: ExportReport, name: str, known: dict[str, int],
         tag_ids: dict[str, int]) -> ImportResult:
    snap = (report.imported, report.present, report.link_only, report.placed, report.orphaned)
    con.execute("SAVEPOINT entry")
    try:
        res = _store_entry(store, con, e, prepared, kind, report, known, tag_ids)
        con.execute("RELEASE entry")
        return res
    except sqlite3.OperationalError:
        raise  # disk full, locked...: the whole batch rolls back and the caller hears of it
    except Exception as err:  # noqa: BLE001 - one bad entry must not abort the export
        con.execute("ROLLBACK TO entry")
        con.execute("RELEASE entry")
        tag_ids.clear()  # a tag this entry made is gone with it
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
