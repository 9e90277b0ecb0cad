"""Fetching the pages of link-only entries (Pocket, Instapaper, bookmarks give URLs only).

The queue is the `import_origins.fetch = 'pending'` rows, so it survives a restart: whatever
was not fetched is fetched by the next run. Requests are spaced by `delay` seconds (a bounded,
configurable rate; COMMONPLACE_FETCH_DELAY overrides the default), and a run can be cancelled
between pages. A page that cannot be fetched keeps its link-only entry (title and URL, never
lost); after MAX_ATTEMPTS tries it is marked failed with the reason. A fetched page replaces
the placeholder text in one transaction, and the entry's highlights are placed on the new text.
"""
from __future__ import annotations

import os
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from core.app_import import LINK_ONLY_NOTE, Placer
from core.errors import CommonplaceError
from core.importers.app_exports import Highlight
from core.text import content_hash

MAX_ATTEMPTS = 3
DEFAULT_DELAY = 1.0  # seconds between two requests


@dataclass(slots=True)
class FetchReport:
    fetched: int = 0
    failed: list[tuple[int, str, str]] = field(default_factory=list)  # (article, url, why)
    left: int = 0  # still pending (cancelled, limited, or to be retried)

    def summary(self) -> str:
        return (f"fetched {self.fetched}, failed {len(self.failed)}, "
                f"{self.left} still queued")


def default_delay() -> float:
    try:
        return max(0.0, float(os.environ.get("COMMONPLACE_FETCH_DELAY", DEFAULT_DELAY)))
    except ValueError:
        return DEFAULT_DELAY


def pending_count(store) -> int:
    return store.con.execute(
        "SELECT count(*) FROM import_origins WHERE fetch='pending'").fetchone()[0]


def fetch_pending(lib, *, delay: float | None = None, limit: int | None = None,
                  timeout: float = 15, progress: Callable | None = None,
                  cancel: Callable | None = None, recognise: bool = True) -> FetchReport:
    """Fetch queued link-only entries, oldest first; see the module docstring."""
    from core.importers import load_source
    delay = default_delay() if delay is None else max(0.0, delay)
    store = lib._store
    rows = store.con.execute(
        "SELECT article_id, url FROM import_origins WHERE fetch='pending' ORDER BY article_id"
        + (" LIMIT ?" if limit else ""), (limit,) if limit else ()).fetchall()
    report = FetchReport()
    done_ids: list[int] = []
    last = 0.0
    for i, (aid, url) in enumerate(rows):
        if cancel and cancel():
            break
        if progress:
            progress(i, len(rows), url)
        wait = last + delay - time.monotonic()
        if wait > 0:
            time.sleep(wait)
        last = time.monotonic()
        try:
            doc = load_source(url, timeout=timeout)
            _replace(lib, aid, doc)
            report.fetched += 1
            done_ids.append(aid)
        except CommonplaceError as e:
            _failed(store, aid, url, str(e), report)
        except Exception as e:  # noqa: BLE001 - one bad page must not stop the queue
            _failed(store, aid, url, f"{type(e).__name__}: {e}", report)
    if progress:
        progress(len(rows), len(rows), "")
    report.left = pending_count(store)
    if done_ids:
        if recognise:
            lib.recognise_entities(done_ids, cancel=cancel)
        lib.sync_index(wait=False)
    return report


def _failed(store, aid: int, url: str, why: str, report: FetchReport) -> None:
    with store.write() as con:
        con.execute("UPDATE import_origins SET attempts = attempts + 1, fetch_error = ?,"
                    " fetch = CASE WHEN attempts + 1 >= ? THEN 'failed' ELSE 'pending' END"
                    " WHERE article_id = ?", (why[:300], MAX_ATTEMPTS, aid))
    report.failed.append((aid, url, why))


def _replace(lib, aid: int, doc) -> None:
    """The fetched page replaces the placeholder; the export's title and tags are kept."""
    store = lib._store
    h = content_hash(doc.text)
    with store.write() as con:
        old = store.article(aid)
        if not old.text.startswith(LINK_ONLY_NOTE):  # the user or an import replaced it
            con.execute("UPDATE import_origins SET fetch='done' WHERE article_id=?", (aid,))
            return
        other = store.find_duplicate(h, "")
        if other is not None and other != aid:
            raise CommonplaceError(f"the page is already in the library as #{other}")
        if old.title and old.title != old.url:
            doc.title = old.title
        store.replace_article_text(con, aid, doc, h)
        placer = Placer(doc.text)
        for ann in store.annotations(aid):
            if ann.anchor is None:
                continue
            new = placer.place(Highlight(ann.anchor.exact, prefix=ann.anchor.prefix,
                                         suffix=ann.anchor.suffix))
            if new != ann.anchor:
                store.update_annotation(ann.id, anchor=new, con=con, touch=False)
        con.execute("UPDATE import_origins SET fetch='done', fetch_error='' WHERE article_id=?",
                    (aid,))
