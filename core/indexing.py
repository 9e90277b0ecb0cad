"""The indexing service: search, and upkeep of the index as derived data, kept in step with
the store through its outbox and rebuilt from the store whenever it is missing, outdated or
damaged. Owned by the Library facade; nothing here knows about Qt.

Reads (`search`) never write: a missing or outdated index answers what it has and says so in
`needs_rebuild`; the caller that owns the library (the CLI's command, the GUI's upkeep
controller) calls `ensure()` on a worker.
"""
from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

from core.changes import Notices
from core.entity_library import index_entities
from core.errors import LibraryError, NotFound

if TYPE_CHECKING:
    from core.storage import Store
    from index import IndexDoc, SearchIndex, SearchResult

Progress = Callable[[int, int, str], None]
BULK_SYNC_S = 45.0  # a bulk load's articles reach search at least this often (each commit
# writes and merges segments: at 10 s the BBC import spent twice as long in the index)


class IndexService:
    """Owns the SearchIndex and the in-process index lock (one index writer per process;
    `SearchIndex.exclusive()` serialises writers across processes)."""

    def __init__(self, store: Store, index: SearchIndex, notices: Notices) -> None:
        self.store = store
        self.index = index
        self.notices = notices
        self._index_lock = threading.Lock()
        self.last_check_repaired = False
        self.isolated = False  # full rebuilds in a child process (the GUI sets it)
        self._bulk = threading.local()  # this thread is loading many articles (see bulk())
        self._last_applied = 0.0

    @contextmanager
    def bulk(self, interval: float | None = None) -> Iterator[None]:
        """A bulk load on this thread: its syncs reach the index at most every `interval`
        seconds (each Whoosh commit writes and merges segments, so one commit per 50
        articles made a BBC-sized import spend most of its time in the index). The outbox
        keeps what waits, so nothing is lost; the caller syncs at the end."""
        self._bulk.interval = BULK_SYNC_S if interval is None else interval
        try:
            yield
        finally:
            self._bulk.interval = 0.0

    @property
    def index_notice(self) -> str:
        return self.notices.get("index")

    @index_notice.setter
    def index_notice(self, text: str) -> None:
        self.notices.set("index", text)

    @property
    def needs_rebuild(self) -> bool:
        return bool(self.index.needs_rebuild)

    # -- search ------------------------------------------------------------------------------
    def _texts(self, kind: str, item_id: int) -> dict[str, str]:
        try:
            if kind == "annotation":
                ann = self.store.annotation(item_id)
                return {"notes": ann.note, "body": ann.anchor.exact if ann.anchor else ""}
            return {"body": self.store.article_text(item_id)}
        except NotFound:
            return {}

    def search(self, query: str, limit: int = 20, kinds: Sequence[str] | None = None,
               offset: int = 0, sort: str = "relevance") -> SearchResult:
        """Ranked hits offset..offset+limit (sort "relevance" or "date", newest first); never
        raises for a malformed query and never writes (a stale index answers what it holds
        until `ensure()` runs on a worker)."""
        return self.index.search(query, limit=limit, texts=self._texts, kinds=kinds,
                                 offset=offset, sort=sort, colours=self._colour_names)

    def _colour_names(self, word: str) -> list[str]:
        """`color:` value → palette names: a colour's name or (part of) its meaning."""
        from core.palette import palette
        w = word.strip().lower().replace("-", " ")
        cols = palette(self.store)
        exact = [c.name for c in cols if w in (c.name, c.meaning.lower())]
        return exact or [c.name for c in cols if w and w in c.meaning.lower()] or [w]

    # -- index maintenance -------------------------------------------------------------------
    def _index_doc(self, kind: str, item_id: int) -> IndexDoc:
        from index import IndexDoc
        if kind == "annotation":
            ann = self.store.annotation(item_id)
            s = self.store.summary(ann.article_id)
            if s.trashed_at:  # the index holds live articles only: trashed ones leave search
                raise NotFound(f"article {s.id} is in the trash")
            return IndexDoc("annotation", ann.article_id, ann.id, title=s.title,
                            body=ann.anchor.exact if ann.anchor else "", notes=ann.note,
                            tags=ann.tags, added=ann.created, color=ann.color or "")
        if self.store.is_trashed(item_id):
            raise NotFound(f"article {item_id} is in the trash")
        a = self.store.article(item_id)
        ents = index_entities(self.store, [(e.label, e.text) for e in self.store.entities(item_id)])
        return IndexDoc("article", a.id, 0, title=a.title, body=a.text, author=a.author,
                        site=a.site, tags=a.tags, entities=ents, published=a.published,
                        added=a.added)

    def _all_index_docs(self) -> Iterator[IndexDoc]:
        for aid in self.store.article_ids():
            yield self._index_doc("article", aid)
        for nid in self.store.all_annotation_ids():
            yield self._index_doc("annotation", nid)

    def ensure(self) -> None:
        """Rebuild a missing/outdated/damaged index from the store; then drain the outbox.
        Never raises: a full disk or read-only folder leaves a notice (and, if need be, an
        in-memory index) so reading and searching go on."""
        if self.index.needs_rebuild:
            try:
                self.reindex(only_if_needed=True)
            except Exception as e:  # noqa: BLE001 - searching must survive a broken index dir
                self.index_notice = f"search index could not be rebuilt on disk ({e})"
                try:
                    with self._index_lock:
                        self.index.rebuild_in_memory(self._all_index_docs())
                except Exception as e2:  # noqa: BLE001
                    self.index_notice += f"; search unavailable ({type(e2).__name__})"
        else:
            self.sync()

    def _lost_store_guard(self, force: bool) -> None:
        """Never rebuild an index from a store that has lost all its articles without being
        asked: the index may hold the last copy of their text (an emptied database)."""
        if force or self.store.count_articles():
            return
        try:
            held = 0 if self.index.needs_rebuild else self.index.doc_count()
        except Exception:  # noqa: BLE001 - an unreadable index holds nothing we can save
            held = 0
        if held:
            raise LibraryError(
                f"the library has no articles but its search index holds {held} documents: "
                f"not rebuilding it; restore from {self.store.path.parent / 'backups'} "
                "(or run reindex --force to empty the index)")

    def reindex(self, progress: Progress | None = None, *, only_if_needed: bool = False,
                force: bool = False) -> int:
        """Rebuild the index from the store. Writers to the store are not held up: the outbox
        is snapshotted first and only the entries in the snapshot are cleared after the swap,
        so a change made during the rebuild stays queued and is applied by the next sync.
        Other processes' index writes wait on the index lock meanwhile (their outbox entries
        stay). With only_if_needed, a caller queued behind another rebuild returns -1."""
        from index import IndexBusy
        total = self.store.count_articles()
        prog = (lambda k: progress(k, total, "indexing")) if progress else None
        with self._index_lock:
            if only_if_needed and not self.index.needs_rebuild:
                return -1
            self._lost_store_guard(force)
            if self.store.readonly:  # the folder is not ours to write: search from memory
                return self.index.rebuild_in_memory(self._all_index_docs())
            try:
                with self.index.exclusive(timeout=None):
                    snapshot = self.store.pending_snapshot()
                    n = self._rebuild(total, prog)
                    self._clear_quietly(snapshot)
            except OSError as e:
                raise LibraryError(f"the search index could not be rebuilt: "
                                   f"{e.strerror or e}") from e
            except IndexBusy as e:  # pragma: no cover - timeout=None waits
                raise LibraryError(str(e)) from e
            return n

    def _rebuild(self, total: int, prog: Callable[[int], None] | None) -> int:
        """Full rebuild, on several processes for a big library (falling back to one). With
        `isolated`, the whole build runs in a child process: a window's GUI thread shares
        this process's GIL, and an in-process build stalled it for hundreds of milliseconds."""
        from index.search import ParallelBuildFailed, rebuild_procs
        procs = rebuild_procs(total)
        if self.isolated:
            return self._rebuild_in_child(procs, prog)
        if procs > 1:
            try:
                return self.index.rebuild(self._all_index_docs(), prog, procs=procs)
            except ParallelBuildFailed as e:
                self.index_notice = f"parallel index rebuild failed ({e}); rebuilt in one process"
        return self.index.rebuild(self._all_index_docs(), prog)

    def _rebuild_in_child(self, procs: int, prog: Callable[[int], None] | None) -> int:
        """Run `SearchIndex.rebuild` in a spawned process reading the store read-only, then
        reopen the swapped-in folder here. The caller holds the index locks throughout."""
        import multiprocessing as mp
        ctx = mp.get_context("spawn")
        receiver, sender = ctx.Pipe(duplex=False)
        child = ctx.Process(target=_rebuild_child, name="commonplace-index-rebuild",
                            args=(str(self.store.path), str(self.index.path), procs, sender))
        child.start()
        sender.close()
        result: tuple[str, object] = ("error", "the rebuild process ended without a result")
        try:
            while True:
                if receiver.poll(0.2):
                    try:
                        kind, value = receiver.recv()
                    except EOFError:
                        break
                    if kind == "progress" and prog is not None and isinstance(value, int):
                        prog(value)
                    elif kind in ("done", "error"):
                        result = (kind, value)
                        break
                elif not child.is_alive():
                    break
        finally:
            child.join()
            receiver.close()
            self.index.reopen()
        if result[0] == "error":
            raise OSError(f"index rebuild failed: {result[1]}")
        return int(result[1])  # type: ignore[call-overload]

    def _clear_quietly(self, snapshot: list[tuple[str, int, int]]) -> None:
        """Clear indexed outbox entries; if the store is busy they stay and are simply
        re-applied later (indexing is idempotent)."""
        try:
            self.store.clear_pending(snapshot)
        except LibraryError:
            pass

    def _apply_pending(self, con: Any = None) -> int:
        """Outbox → index, under `index.exclusive()`: snapshot, read the items, write, clear
        what was written (inside `con`'s transaction when given, as check does). Raises if the
        index cannot be written (the outbox keeps it all)."""
        snapshot = self.store.pending_snapshot()
        if not snapshot:
            return 0
        ups: list[IndexDoc] = []
        dels: list[tuple[str, int]] = []
        for kind, item_id, _seq in snapshot:
            try:
                ups.append(self._index_doc(kind, item_id))
            except NotFound:
                dels.append((kind, item_id))
        self.index.apply(ups, dels)
        if con is not None:
            self.store.clear_pending(snapshot, con)
        else:
            self._clear_quietly(snapshot)
        return len(snapshot)

    def sync(self, wait: bool = True) -> None:
        """Apply the store's outbox to the index. The store's write lock is not held (saves in
        other windows go on); the index lock serialises index writers across processes, and
        sequence numbers make sure a change made meanwhile is never cleared unindexed.
        On any failure (index busy, disk full) the outbox keeps its entries for later.

        `wait=False` is for the calls that follow a user's edit (often on the GUI thread): if
        a rebuild or a big import holds the index here or in another process, return at once
        and leave the entry queued; the next search or sync applies it."""
        if self.index.needs_rebuild or self.store.readonly:
            return
        interval = getattr(self._bulk, "interval", 0.0)
        if not wait and interval and time.monotonic() - self._last_applied < interval:
            return  # a bulk load: the next sync after the interval (or the final one) takes it
        if not self._index_lock.acquire(blocking=wait):
            return
        try:
            if not self.store.pending_index(1):
                return
            try:
                with self.index.exclusive(timeout=5.0 if wait else 0.2):
                    self._apply_pending()
                self._last_applied = time.monotonic()
            except Exception as e:  # noqa: BLE001 - the store has the change; index catches up
                self.index_notice = f"search index not updated yet ({type(e).__name__})"
        finally:
            self._index_lock.release()

    # -- health ------------------------------------------------------------------------------
    def check(self, repair: bool = True) -> list[str]:
        """Problems with the store or index. The index is repaired (rebuilt) when asked.
        `last_check_repaired` says whether the index needed work (rebuild or outbox)."""
        problems = self.store.integrity_problems()
        self.last_check_repaired = False
        if self.store.damage:  # a damaged store: report it, touch nothing (index included)
            return problems
        if not problems and self.store.damage_mark.exists():
            try:  # the file is sound again (replaced by hand): the next open may write
                self.store.damage_mark.unlink()
            except OSError:
                pass
        if self.store.readonly:
            expect = self._expected_keys()
            if self.index.needs_rebuild or self.index.keys() != expect:
                if repair:
                    self.reindex()
                    self.last_check_repaired = True
                if self.index.keys() != expect:
                    problems.append("search index does not match the store")
            return problems
        # Index lock first, then the store's write lock (the order every index writer uses):
        # with both held, nothing can change either side mid-comparison.
        with self._index_lock, self.index.exclusive(timeout=None), self.store.write() as con:
            expect = self._expected_keys()
            index_bad = self.index.needs_rebuild
            if not index_bad:
                try:
                    self.last_check_repaired = self._apply_pending(con) > 0
                    index_bad = self.index.keys() != expect
                except Exception:  # noqa: BLE001 - an unwritable index is a damaged one
                    index_bad = True
            if index_bad and not expect:
                try:
                    self._lost_store_guard(False)
                except LibraryError as e:
                    return problems + [str(e)]
            if index_bad:
                if repair:
                    self.last_check_repaired = True
                    try:
                        self.index.rebuild(self._all_index_docs())
                    except OSError as e:
                        problems.append(f"search index could not be rebuilt: {e.strerror or e}")
                        return problems
                    self.store.clear_pending(None, con)
                    if self.index.keys() != expect:
                        problems.append("search index does not match the store after rebuilding")
                else:
                    problems.append("search index does not match the store")
        return problems

    def _expected_keys(self) -> set[str]:
        return ({f"a:{i}" for i in self.store.article_ids()}
                | {f"n:{i}" for i in self.store.all_annotation_ids()})


def _rebuild_child(db: str, index_dir: str, procs: int, conn: Any) -> None:
    """In the rebuild process: documents from the store (read-only) into a fresh index."""
    from pathlib import Path

    from core.storage import Store
    from index import SearchIndex
    store = Store(Path(db), readonly=True)
    try:
        svc = IndexService(store, SearchIndex(Path(index_dir)), Notices())
        n = svc.index.rebuild(svc._all_index_docs(), lambda k: conn.send(("progress", k)),
                              procs=procs)
        conn.send(("done", n))
    except BaseException as e:  # noqa: BLE001 - reported to the parent, which raises it
        conn.send(("error", f"{type(e).__name__}: {e}"))
    finally:
        store.close()
        conn.close()
