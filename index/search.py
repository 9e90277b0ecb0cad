"""Index maintenance and search on Whoosh, returning plain dataclasses.

The index lives in one folder with a VERSION file beside the segments. Anything wrong with it
(missing, other version, unreadable) reports `needs_rebuild`; the library then rebuilds from the
store into a fresh folder and swaps it in, so a broken index is never half-repaired.
"""
from __future__ import annotations

import shutil
import threading
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from index.fast import FastSearcher

# Whoosh (and index.schema/fast/snippets, which use it) is imported where it is used, not here:
# the GUI imports this module for SearchHit/SearchResult before its window shows, and Whoosh
# costs ~60 ms to import; the library opens the index on a worker thread.
from index.searching import (
    DEFAULT_FIELDS,
    FIELD_BOOSTS,
    QueryEngine,
    SearchHit,
    SearchResult,
    Texts,
    parse_query,
)

__all__ = ["DEFAULT_FIELDS", "FIELD_BOOSTS", "IndexDoc", "SearchHit", "SearchIndex",
           "SearchResult"]


class ParallelBuildFailed(RuntimeError):
    """A multi-process rebuild did not produce a complete index; nothing was swapped in."""


def rebuild_procs(documents: int) -> int:
    """Processes worth using for a full rebuild of this many documents."""
    import os
    if documents < PARALLEL_REBUILD_MIN:
        return 1
    return max(1, min(os.cpu_count() or 1, 4))


PARALLEL_REBUILD_MIN = 3000  # below this, starting processes costs more than it saves


@dataclass(slots=True)
class IndexDoc:
    """What the store hands the index for one article or one annotation."""

    kind: str  # "article" | "annotation"
    article_id: int
    annotation_id: int = 0
    title: str = ""
    body: str = ""  # article text, or the annotation's quoted passage
    notes: str = ""
    author: str = ""
    site: str = ""
    tags: Sequence[str] = ()
    entities: Sequence[tuple[str, str]] = ()  # (label, text)
    published: str = ""
    added: str = ""
    color: str = ""


def _key(kind: str, article_id: int, annotation_id: int = 0) -> str:
    return f"n:{annotation_id}" if kind == "annotation" else f"a:{article_id}"


def _date(s: str) -> datetime | None:
    if not s:
        return None
    try:
        return datetime.fromisoformat(s.replace("Z", "+00:00")[:19])
    except ValueError:
        return None


class IndexBusy(RuntimeError):
    """Another process holds the index for writing; the caller leaves its work for later."""


class SearchIndex:
    """One Whoosh index folder. Thread-safe: one writer at a time, a shared searcher refreshed
    after each commit (opening a searcher per query roughly doubles latency); a search and a
    searcher swap never overlap, so a commit cannot close a searcher that is in use."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self._ix: Any | None = None  # a Whoosh index (Whoosh is untyped)
        self._searcher: Any | None = None  # a Whoosh searcher over self._ix
        self._fast: FastSearcher | None = None  # over self._searcher
        self._lock = threading.RLock()  # searcher state: held while searching and swapping
        self._write_lock = threading.Lock()  # one in-process writer
        self.needs_rebuild = False
        self.problem = ""
        self.in_memory = False
        self._open()

    # -- lifecycle ---------------------------------------------------------------------------
    def _open(self, verify: bool = True) -> None:
        from whoosh import index as windex

        from index.schema import SCHEMA_VERSION
        version_file = self.path / "VERSION"
        try:
            if not self.path.exists() or not windex.exists_in(str(self.path)):
                self.needs_rebuild, self.problem = True, "the search index is missing"
                return
            if not version_file.exists() or version_file.read_text().strip() != SCHEMA_VERSION:
                self.needs_rebuild, self.problem = True, "the search index is from another version"
                return
            ix = windex.open_dir(str(self.path))
            if verify:
                with ix.searcher() as s:  # touch every segment so corruption shows up now
                    s.doc_count()
                    list(s.lexicon("kind"))
            self._ix = ix
            self.needs_rebuild, self.problem = False, ""
        except Exception as e:  # any damage: Whoosh raises many kinds; all mean "rebuild"
            self._ix = None
            self.needs_rebuild, self.problem = True, f"the search index is damaged ({type(e).__name__})"

    @contextmanager
    def exclusive(self, timeout: float | None = 5.0) -> Iterator[None]:
        """Hold the library's index for writing across processes (an OS file lock beside the
        index folder, so it outlives rebuild swaps and dies with a killed process). Whoever
        reads the outbox, writes the index and clears the outbox does all three under it, so
        two processes never interleave a stale write after a fresh one. None waits forever."""
        from whoosh.util.filelock import FileLock, try_for
        lock = FileLock(str(self.path.with_name(self.path.name + ".lock")))
        got = lock.acquire(blocking=True) if timeout is None else \
            try_for(lock.acquire, timeout=timeout, delay=0.05)
        if not got:
            raise IndexBusy("the search index is being written by another Commonplace process")
        try:
            yield
        finally:
            lock.release()

    def close(self) -> None:
        with self._lock:
            if self._searcher is not None:
                self._searcher.close()
                self._searcher = None
            if self._ix is not None:
                self._ix.close()
                self._ix = None

    def reopen(self) -> None:
        """Open the folder afresh (another process rebuilt, checked and swapped it in; the
        segments are not touched again here: on a window's worker thread that cost the GUI
        thread tens of milliseconds of the GIL)."""
        with self._lock:
            self.close()
            self.in_memory = False
            self._open(verify=False)

    def rebuild(self, docs: Iterable[IndexDoc], progress: Callable[[int], None] | None = None,
                procs: int = 1) -> int:
        """Build a complete index in a sibling folder, then swap it in. With procs > 1 the
        documents are analysed and written by that many spawned processes (one segment each);
        if that goes wrong, ParallelBuildFailed is raised with nothing swapped in, and the
        caller can run it again with procs=1."""
        tmp = self.path.with_name(self.path.name + ".building")
        shutil.rmtree(tmp, ignore_errors=True)
        tmp.mkdir(parents=True)
        from whoosh import index as windex

        from index.schema import SCHEMA_VERSION, build_schema
        ix = windex.create_in(str(tmp), build_schema())
        n = 0
        if procs > 1:
            from index.parallel import SpawnMpWriter
            w = SpawnMpWriter(ix, procs=procs, limitmb=128, batchsize=100)
        else:
            w = ix.writer(limitmb=256)
        try:
            for d in docs:
                w.add_document(**self._fields(d))
                n += 1
                if progress and n % 200 == 0:
                    progress(n)
            w.commit()
            if procs > 1:
                with ix.searcher() as s:
                    built = s.doc_count_all()
                if built != n:
                    raise ParallelBuildFailed(f"{built} of {n} documents indexed")
        except BaseException as e:
            try:
                w.cancel()
            except Exception:  # already committed (the count check failed)
                pass
            ix.close()
            shutil.rmtree(tmp, ignore_errors=True)
            if procs > 1 and not isinstance(e, (ParallelBuildFailed, KeyboardInterrupt)):
                raise ParallelBuildFailed(f"{type(e).__name__}: {e}") from e
            raise
        ix.close()
        (tmp / "VERSION").write_text(SCHEMA_VERSION)
        with self._lock:
            self.close()
            old = self.path.with_name(self.path.name + ".old")
            shutil.rmtree(old, ignore_errors=True)
            if self.path.exists():
                self.path.rename(old)
            tmp.rename(self.path)
            shutil.rmtree(old, ignore_errors=True)
            self.in_memory = False
            self._open()
        return n

    def rebuild_in_memory(self, docs: Iterable[IndexDoc]) -> int:
        """A throw-away index in RAM, for a library whose folder cannot be written (read-only
        mode, full disk): searching still works this session; nothing touches the disk."""
        from whoosh.filedb.filestore import RamStorage

        from index.schema import build_schema
        ix = RamStorage().create_index(build_schema())
        n = 0
        w = ix.writer()
        for d in docs:
            w.add_document(**self._fields(d))
            n += 1
        w.commit()
        with self._lock:
            self.close()
            self._ix = ix
            self.in_memory = True
            self.needs_rebuild, self.problem = False, ""
        return n

    # -- writing -----------------------------------------------------------------------------
    @staticmethod
    def _fields(d: IndexDoc) -> dict:
        from index.schema import ENTITY_FIELDS
        f: dict = dict(key=_key(d.kind, d.article_id, d.annotation_id), kind=d.kind,
                       article_id=d.article_id, annotation_id=d.annotation_id, title=d.title,
                       body=d.body, notes=d.notes, author=d.author, site=d.site,
                       tags=",".join(d.tags))
        by_field: dict[str, list[str]] = {}
        for label, text in d.entities:
            fname = ENTITY_FIELDS.get(label)
            if fname:
                by_field.setdefault(fname, []).append(text)
        for fname, texts in by_field.items():
            f[fname] = "\n".join(texts)
        if d.entities:
            f["entity"] = "\n".join(t for _, t in d.entities)
        if d.color:
            f["color"] = d.color
        for name in ("published", "added"):
            dt = _date(getattr(d, name))
            if dt:
                f[name] = dt
        return f

    def apply(self, upserts: Iterable[IndexDoc], deletes: Iterable[tuple[str, int]],
              timeout: float = 5.0) -> None:
        """Add/replace and delete documents in one commit. Raises on lock timeout; the caller
        keeps its outbox entries and retries later."""
        if self._ix is None:
            raise RuntimeError(self.problem or "index not open")
        with self._write_lock:
            w = self._ix.writer(timeout=timeout)
            try:
                for kind, item_id in deletes:
                    w.delete_by_term("key", _key(kind, item_id, item_id))
                for d in upserts:
                    w.update_document(**self._fields(d))
                w.commit()
            except BaseException:
                w.cancel()
                raise
            with self._lock:  # waits for a search in progress to finish with the old searcher
                self._reopen_searcher()

    def _reopen_searcher(self) -> None:
        # Searcher.refresh() in whoosh-reloaded can hand back the stale reader; reopen instead.
        if self._searcher is not None:
            self._searcher.close()
            self._searcher = None
            self._fast = None

    # -- reading -----------------------------------------------------------------------------
    def parse(self, query: str) -> tuple[Any, bool]:
        """Whoosh syntax; anything malformed degrades to plain terms. Returns (query, fallback).
        Bare stop words and word-final punctuation are dropped first."""
        if self._ix is None:
            raise RuntimeError(self.problem or "index not open")
        return parse_query(self._ix.schema, query)

    def search(self, query: str, limit: int = 20,
               texts: Texts | None = None,
               kinds: Sequence[str] | None = None, offset: int = 0, sort: str = "relevance",
               colours: Callable[[str], list[str]] | None = None) -> SearchResult:
        """Ranked hits offset..offset+limit with HTML snippets (matched terms in <mark>).
        `texts(kind, id)` supplies field texts for snippets (bodies are not stored);
        `colours(word)` maps a `color:` value (a colour or its meaning) to colour names.
        sort="date" orders every hit newest first."""
        if self._ix is None or not query.strip():
            return SearchResult([], 0, query)
        with self._lock:
            if self._ix is None:  # swapped out by a rebuild meanwhile
                return SearchResult([], 0, query)
            s, fast = self._get_searchers()
            engine = QueryEngine(s, fast, self._ix.schema)
            return engine.search(query, max(0, limit), texts, kinds, max(0, offset), sort,
                                 colours)

    def _get_searcher(self) -> Any:
        return self._get_searchers()[0]

    def _get_searchers(self) -> tuple[Any, FastSearcher | None]:
        """The shared Whoosh searcher and its FastSearcher, reopened after a commit here or in
        another process."""
        with self._lock:
            if self._searcher is not None and not self._searcher.up_to_date():
                self._reopen_searcher()  # another process committed
            if self._searcher is None:
                assert self._ix is not None, "callers check that the index is open"
                self._searcher = self._ix.searcher()
                try:
                    from index.fast import FastSearcher
                    self._fast = FastSearcher(self._searcher)
                except Exception:  # an index layout the fast path does not know: use Whoosh's
                    self._fast = None
            return self._searcher, self._fast

    def keys(self) -> set[str]:
        if self._ix is None:
            return set()
        with self._lock:
            s = self._get_searcher()
            return {f["key"] for f in s.all_stored_fields()}

    def doc_count(self) -> int:
        return 0 if self._ix is None else self._get_searcher().doc_count()

    def all_documents_query(self):
        from whoosh.query import Every
        return Every()
