"""The Library facade: the one front door the CLI, the GUI and the tests use.

It wires the store (truth), the importers, the entity recogniser and the search index (derived).
Long operations take `progress(done, total, label)` and `cancel()` callbacks so a GUI worker can
report and stop them; none of this module knows about Qt.
"""
from __future__ import annotations

import os
import threading
import uuid as uuidlib
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from core import anchors
from core.errors import CommonplaceError, ImportFailed, LibraryError, NotFound
from core.models import (Annotation, Article, ArticleSummary, Document, EntitySpan,
                         ImportResult)
from core.storage import Store
from core.text import content_hash

Progress = Callable[[int, int, str], None]
Cancel = Callable[[], bool]

SYNC_INDEX_EVERY = 200  # parallel imports index in chunks of this many articles as they land
SEEDS_DIR = Path(__file__).resolve().parents[1] / "seeds"
DB_NAME = "library.sqlite"


def default_library_dir() -> Path:
    env = os.environ.get("COMMONPLACE_LIBRARY")
    if env:
        return Path(env).expanduser()
    import platformdirs
    return Path(platformdirs.user_data_dir("Commonplace", appauthor=False))


def _writable(folder: Path, db: Path) -> bool:
    """Whether we may write the library (os.access also sees read-only mounts)."""
    if db.exists():
        return os.access(db, os.W_OK) and os.access(folder, os.W_OK)
    return os.access(folder, os.W_OK)


@dataclass(slots=True)
class ResolvedAnnotation:
    annotation: Annotation
    resolution: anchors.Resolution | None  # None for an article-level note


class Library:
    """Open (creating if needed) the library in `path`. Seeds an empty new library."""

    def __init__(self, path: Path | str | None = None, *, seed: bool = True,
                 readonly: bool = False) -> None:
        self.path = Path(path) if path else default_library_dir()
        self.readonly_notice = ""
        if not readonly:
            try:
                self.path.mkdir(parents=True, exist_ok=True)
            except OSError as e:
                raise LibraryError(f"cannot create library folder {self.path}: {e.strerror}") from e
        db = self.path / DB_NAME
        if not readonly and not _writable(self.path, db):
            readonly = True  # a read-only folder or file: open it for reading rather than fail
            self.readonly_notice = ("the library folder is read-only: opened read-only, "
                                    "changes cannot be saved")
        try:
            self.store = Store(db, readonly=readonly)
        except LibraryError as e:
            if readonly or "read-only" not in str(e):
                raise
            self.store = Store(db, readonly=True)  # writable by the mode bits, yet refused
            self.readonly_notice = f"opened read-only: {e}"
        self.readonly = readonly or bool(self.readonly_notice)
        from index import SearchIndex
        self.index = SearchIndex(self.path / "index")
        self._index_lock = threading.Lock()
        self.index_notice = ""
        self.last_check_repaired = False
        self.ner_notice = ""
        if seed and not self.readonly and self.store.get_setting("seeded") == "" \
                and self.store.count_articles() == 0:
            self.import_sources([str(SEEDS_DIR)], recognise=True)
            self.store.set_setting("seeded", "1")

    def close(self) -> None:
        self.index.close()
        self.store.close()

    def __enter__(self) -> Library:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    # -- import ------------------------------------------------------------------------------
    def import_sources(self, sources: Sequence[str], *, progress: Progress | None = None,
                       cancel: Cancel | None = None, recognise: bool = True) -> list[ImportResult]:
        """Import files, folders and URLs. Each source succeeds or fails alone; a failure
        stores nothing. Returns one result per expanded source."""
        from core.importers import expand_sources
        from core.pipeline import Loaded, load_batch, load_parallel, workers_for
        results: list[ImportResult] = []
        expanded = expand_sources(sources)
        total = len(expanded)
        new_ids: list[int] = []  # imported/updated without entities yet
        todo = [src for src, err in expanded if not err]
        pipeline = (self.store.get_setting("ner_pipeline") or "") if recognise else None
        workers = workers_for(len(todo))
        if workers:  # extraction + recognition in worker processes, storing here in order
            loaded = load_parallel(todo, pipeline, workers, cancel)
            # index while the workers recognise: this thread would otherwise wait for them
            self.ensure_index()
            index_every = SYNC_INDEX_EVERY
        else:
            index_every = 0
        if not workers:  # few sources: in-process; recognition afterwards, in batches
            loaded = (x for src in todo for x in load_batch([src], None))
        stored = 0
        for i, (src, err) in enumerate(expanded):
            if cancel and cancel():
                break
            if progress:
                progress(i, total, src)
            if err:
                results.append(ImportResult(src, "failed", error=err))
                continue
            item: Loaded | None = next(loaded, None)
            if item is None:  # cancelled inside the pipeline
                break
            if item.doc is None:
                results.append(ImportResult(src, "failed", error=item.error))
                continue
            try:
                res = self.add_document(item.doc, source=src)
            except CommonplaceError as e:
                res = ImportResult(src, "failed", error=str(e))
            except Exception as e:  # an importer bug must not abort the batch
                res = ImportResult(src, "failed", error=f"{type(e).__name__}: {e}")
            results.append(res)
            if res.status in ("imported", "updated") and res.article_id:
                if not (recognise and self._store_recognised(res.article_id, item)):
                    new_ids.append(res.article_id)
                stored += 1
                if index_every and stored % index_every == 0:
                    self.sync_index()
        if hasattr(loaded, "close"):
            loaded.close()
        if progress:
            progress(total, total, "")
        if recognise and new_ids:
            self.recognise_entities(new_ids, cancel=cancel)
        self.ensure_index()
        return results

    def _store_recognised(self, article_id: int, item) -> bool:
        """Entities a worker process found, stored if they came from the recogniser this
        library uses now (same name and version); False → recognise here later."""
        if item.spans is None or item.recogniser is None:
            return False
        try:
            rec = self.recogniser()
        except Exception:
            return False
        if (rec.name, rec.version) != tuple(item.recogniser):
            return False
        spans = self._with_corrections(article_id, item.spans)
        return self.store.replace_entities(article_id, spans, rec.name, rec.version,
                                           content_hash(item.doc.text))

    def add_document(self, doc: Document, source: str = "") -> ImportResult:
        if not doc.text.strip():
            raise ImportFailed("no article text found")
        h = content_hash(doc.text)
        dup = self.store.find_duplicate(h, doc.url)
        if dup is not None:
            existing = self.store.article(dup)
            if existing.content_hash == h:
                return ImportResult(source, "duplicate", dup, existing.title,
                                    f"already in the library as #{dup}")
            return self._update_text(existing, doc, h, source)
        with self.store.write() as con:
            aid = self.store.insert_article(con, doc, h, str(uuidlib.uuid4()))
        return ImportResult(source, "imported", aid, doc.title)

    def _update_text(self, old: Article, doc: Document, h: str, source: str) -> ImportResult:
        """Same URL, new text: replace the text and re-anchor every annotation in one
        transaction, so a crash leaves either the old article or the new one, never a mix."""
        moved, orphaned = 0, 0
        with self.store.write() as con:
            self.store.replace_article_text(con, old.id, doc, h)
            for ann in self.store.annotations(old.id):
                if ann.anchor is None:
                    continue
                r = anchors.resolve(doc.text, ann.anchor)
                if r.orphaned:
                    orphaned += 1
                    continue
                new = anchors.make_anchor(doc.text, r.start, r.end)
                if new != ann.anchor:  # moved, or its context changed: store the fresh anchor
                    moved += (r.start, r.end) != (ann.anchor.start, ann.anchor.end)
                    self.store.update_annotation(ann.id, anchor=new, con=con, touch=False)
        msg = f"updated to a new version; {moved} annotation(s) moved, {orphaned} orphaned"
        return ImportResult(source, "updated", old.id, doc.title, msg)

    # -- entities ----------------------------------------------------------------------------
    def recogniser(self):
        from core.ner import get_recogniser
        return get_recogniser(self.store.get_setting("ner_pipeline") or None)

    def recognise_entities(self, ids: Iterable[int] | None = None, *,
                           progress: Progress | None = None, cancel: Cancel | None = None,
                           force: bool = False) -> int:
        """(Re)run recognition where the text or the recogniser version changed. Returns count.
        A recogniser that cannot load leaves articles without entities (and a notice), never
        blocks an import: entities are derived data and are filled in on a later run."""
        try:
            rec = self.recogniser()
        except Exception as e:  # a broken optional pipeline must not break the library
            self.ner_notice = f"entity recognition unavailable: {e}"
            return 0
        self.ner_notice = rec.notice
        stale = set(self.store.articles_needing_entities(rec.name, rec.version))
        todo = [i for i in (ids if ids is not None else sorted(stale)) if force or i in stale]
        done = 0
        batch = 16
        for b in range(0, len(todo), batch):
            if cancel and cancel():
                break
            chunk = todo[b:b + batch]
            arts = []
            for aid in chunk:
                try:
                    arts.append(self.store.article(aid))
                except NotFound:
                    pass
            for art, spans in zip(arts, rec.recognise_many(a.text for a in arts)):
                spans = self._with_corrections(art.id, spans)
                if self.store.replace_entities(art.id, spans, rec.name, rec.version,
                                               art.content_hash):
                    done += 1
                if progress:
                    progress(done, len(todo), art.title)
        return done

    def _with_corrections(self, article_id: int, spans: list[EntitySpan]) -> list[EntitySpan]:
        from core.ner import Correction, apply_corrections
        corr = [Correction(action=a, start=s, end=e, label=lab, text=t)
                for a, s, e, lab, t in self.store.corrections(article_id)]
        return apply_corrections(spans, corr) if corr else spans

    def entities(self, article_id: int) -> list[EntitySpan]:
        self.store.summary(article_id)
        return self.store.entities(article_id)

    def correct_entity(self, article_id: int, action: str, start: int, end: int,
                       label: str = "") -> list[EntitySpan]:
        """Record a user's correction and apply it now; it survives re-recognition."""
        text = self.store.article_text(article_id)
        if not (0 <= start < end <= len(text)):
            raise CommonplaceError(f"span {start}-{end} lies outside the article")
        if action not in ("remove", "relabel", "add"):
            raise CommonplaceError(f"unknown correction {action!r}")
        if action in ("relabel", "add") and not label:
            raise CommonplaceError(f"{action} needs a label")
        self.store.add_correction(article_id, action, start, end, label.upper(),
                                  text[start:end])
        run = self.store.entity_run(article_id)
        current = [s for s in self.store.entities(article_id) if s.source != "user"]
        spans = self._with_corrections(article_id, current)
        if run:
            self.store.replace_entities(article_id, spans, run[0], run[1], run[2])
        self.sync_index()
        return self.store.entities(article_id)

    # -- reading -----------------------------------------------------------------------------
    def articles(self, order: str = "added") -> list[ArticleSummary]:
        return self.store.summaries(order)

    def summary(self, article_id: int) -> ArticleSummary:
        """One library-list row (cheap: used to refresh a notes count in place)."""
        return self.store.summary(article_id)

    def article(self, article_id: int) -> Article:
        return self.store.article(article_id)

    def delete_article(self, article_id: int) -> None:
        self.store.delete_article(article_id)
        self.sync_index()

    # -- annotations -------------------------------------------------------------------------
    def annotate(self, article_id: int, *, start: int | None = None, end: int | None = None,
                 quote: str | None = None, occurrence: int = 1, note: str = "",
                 color: str = "", tags: Sequence[str] = ()) -> Annotation:
        """A highlight/passage note (by offsets or by quote) or, with neither, an article note."""
        text = self.store.article_text(article_id)
        anchor = None
        if quote is not None:
            try:
                start, end = anchors.find_quote(text, quote, occurrence)
            except ValueError as e:
                raise CommonplaceError(str(e)) from e
        if start is not None and end is not None:
            try:
                anchor = anchors.make_anchor(text, start, end)
            except ValueError as e:
                raise CommonplaceError(str(e)) from e
        aid = self.store.insert_annotation(article_id, anchor, color, note, tags,
                                           str(uuidlib.uuid4()))
        self.sync_index()
        return self.store.annotation(aid)

    def update_annotation(self, annotation_id: int, **changes) -> Annotation:
        self.store.update_annotation(annotation_id, **changes)
        self.sync_index()
        return self.store.annotation(annotation_id)

    def reattach(self, annotation_id: int, start: int, end: int) -> Annotation:
        ann = self.store.annotation(annotation_id)
        text = self.store.article_text(ann.article_id)
        return self.update_annotation(annotation_id, anchor=anchors.make_anchor(text, start, end))

    def delete_annotation(self, annotation_id: int) -> Annotation:
        """Returns the deleted annotation so the caller can offer undo (restore_annotation)."""
        ann = self.store.delete_annotation(annotation_id)
        self.sync_index()
        return ann

    def restore_annotation(self, ann: Annotation) -> Annotation:
        self.store.restore_annotation(ann)
        self.sync_index()
        return self.store.annotation(ann.id)

    def annotations(self, article_id: int) -> list[ResolvedAnnotation]:
        """The article's annotations resolved against its current text, in reading order;
        orphans last."""
        text = self.store.article_text(article_id)
        out = []
        for ann in self.store.annotations(article_id):
            res = anchors.resolve(text, ann.anchor) if ann.anchor else None
            out.append(ResolvedAnnotation(ann, res))
        # passages in reading order, then article notes, then orphans
        out.sort(key=lambda r: (1 if r.resolution is None else 2 if r.resolution.orphaned else 0,
                                r.resolution.start if r.resolution else 0, r.annotation.id))
        return out

    # -- search ------------------------------------------------------------------------------
    def _texts(self, kind: str, item_id: int) -> dict[str, str]:
        try:
            if kind == "annotation":
                ann = self.store.annotation(item_id)
                return {"notes": ann.note, "body": ann.anchor.exact if ann.anchor else ""}
            return {"body": self.store.article_text(item_id)}
        except NotFound:
            return {}

    def search(self, query: str, limit: int = 20, kinds: Sequence[str] | None = None):
        """Ranked hits (index.SearchResult); never raises for a malformed query."""
        self.ensure_index()
        return self.index.search(query, limit=limit, texts=self._texts, kinds=kinds)

    # -- index maintenance -------------------------------------------------------------------
    def _index_doc(self, kind: str, item_id: int):
        from index import IndexDoc
        if kind == "annotation":
            ann = self.store.annotation(item_id)
            s = self.store.summary(ann.article_id)
            return IndexDoc("annotation", ann.article_id, ann.id, title=s.title,
                            body=ann.anchor.exact if ann.anchor else "", notes=ann.note,
                            tags=ann.tags, added=ann.created)
        a = self.store.article(item_id)
        ents = [(e.label, e.text) for e in self.store.entities(item_id)]
        return IndexDoc("article", a.id, 0, title=a.title, body=a.text, author=a.author,
                        site=a.site, tags=a.tags, entities=ents, published=a.published,
                        added=a.added)

    def _all_index_docs(self):
        for aid in self.store.article_ids():
            yield self._index_doc("article", aid)
        for nid in self.store.all_annotation_ids():
            yield self._index_doc("annotation", nid)

    def ensure_index(self) -> None:
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
            self.sync_index()

    def reindex(self, progress: Progress | None = None, *, only_if_needed: bool = False) -> int:
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

    def _rebuild(self, total: int, prog) -> int:
        """Full rebuild, on several processes for a big library (falling back to one)."""
        from index.search import ParallelBuildFailed, rebuild_procs
        procs = rebuild_procs(total)
        if procs > 1:
            try:
                return self.index.rebuild(self._all_index_docs(), prog, procs=procs)
            except ParallelBuildFailed as e:
                self.index_notice = f"parallel index rebuild failed ({e}); rebuilt in one process"
        return self.index.rebuild(self._all_index_docs(), prog)

    def _clear_quietly(self, snapshot) -> None:
        """Clear indexed outbox entries; if the store is busy they stay and are simply
        re-applied later (indexing is idempotent)."""
        try:
            self.store.clear_pending(snapshot)
        except LibraryError:
            pass

    def _apply_pending(self, con=None) -> int:
        """Outbox → index, under `index.exclusive()`: snapshot, read the items, write, clear
        what was written (inside `con`'s transaction when given, as check does). Raises if the
        index cannot be written (the outbox keeps it all)."""
        snapshot = self.store.pending_snapshot()
        if not snapshot:
            return 0
        ups, dels = [], []
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

    def sync_index(self) -> None:
        """Apply the store's outbox to the index. The store's write lock is not held (saves in
        other windows go on); the index lock serialises index writers across processes, and
        sequence numbers make sure a change made meanwhile is never cleared unindexed.
        On any failure (index busy, disk full) the outbox keeps its entries for later."""
        if self.index.needs_rebuild or self.store.readonly:
            return
        with self._index_lock:
            if not self.store.pending_index(1):
                return
            try:
                with self.index.exclusive(timeout=5.0):
                    self._apply_pending()
            except Exception as e:  # noqa: BLE001 - the store has the change; index catches up
                self.index_notice = f"search index not updated yet ({type(e).__name__})"

    # -- backups -----------------------------------------------------------------------------
    BACKUPS_DIR = "backups"
    DAILY_KEEP = 7

    def maybe_daily_backup(self, keep: int = DAILY_KEEP, today: str | None = None) -> Path | None:
        """Once a day: a gzipped, consistent copy of the database in `backups/` inside the
        library folder, keeping the newest `keep`. Returns the new file, or None when today's
        exists (or the library is read-only). Cheap to call on a timer; safe while others write."""
        if self.readonly:
            return None
        from datetime import date
        folder = self.path / self.BACKUPS_DIR
        dest = folder / f"library-{today or date.today().isoformat()}.sqlite.gz"
        if dest.exists():
            return None
        try:
            folder.mkdir(exist_ok=True)
        except OSError as e:
            raise LibraryError(f"cannot create {folder}: {e.strerror or e}") from e
        self.store.backup(dest, compress=True)
        daily = sorted(folder.glob("library-????-??-??.sqlite.gz"))
        for old in daily[:max(0, len(daily) - keep)]:
            old.unlink(missing_ok=True)
        return dest

    def restore(self, source: Path | str) -> Path:
        """Replace the library with a backup (plain or gzipped SQLite). The file is validated
        first (a Commonplace library of a schema this version reads, integrity ok); the current
        database is kept as `backups/before-restore-<time>.sqlite.gz`; the swap is one SQLite
        transaction; the index is rebuilt. Returns the safety copy's path."""
        import gzip
        import shutil
        from datetime import datetime
        from core.storage import validate_library_file
        if self.readonly:
            raise LibraryError("the library is open read-only; it cannot be restored")
        source = Path(source)
        folder = self.path / self.BACKUPS_DIR
        folder.mkdir(exist_ok=True)
        plain = folder / f".restore-{os.getpid()}.sqlite"
        try:
            try:
                with open(source, "rb") as fh:
                    gz = fh.read(2) == b"\x1f\x8b"
                if gz:
                    with gzip.open(source, "rb") as src, open(plain, "wb") as out:
                        shutil.copyfileobj(src, out, 1 << 20)
                else:
                    shutil.copyfile(source, plain)
            except (OSError, EOFError) as e:  # gzip.BadGzipFile is an OSError
                raise LibraryError(f"cannot read backup {source.name}: "
                                   f"{getattr(e, 'strerror', None) or e}") from e
            validate_library_file(plain)
            stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
            safety = self.store.backup(folder / f"before-restore-{stamp}.sqlite.gz",
                                       compress=True)
            self.store.replace_contents(plain)
        finally:
            plain.unlink(missing_ok=True)
        self.reindex()
        return safety

    # -- health ------------------------------------------------------------------------------
    def check(self, repair: bool = True) -> list[str]:
        """Problems with the store or index. The index is repaired (rebuilt) when asked.
        `last_check_repaired` says whether the index needed work (rebuild or outbox)."""
        problems = self.store.integrity_problems()
        self.last_check_repaired = False
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
