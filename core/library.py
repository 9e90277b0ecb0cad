"""The Library facade: the one front door the CLI, the GUI and the tests use.

It owns the store (truth, private) and the services that work on it — ingest, indexing,
recognition, backups — and delegates to them (composition, not mixins). Every mutation ends
in `_commit(change)`: the one place that syncs the search index's outbox and publishes the
change record to subscribers (the GUI turns records into app events). Long operations take
`progress(done, total, label)` and `cancel()` callbacks; none of this module knows about Qt.
"""
from __future__ import annotations

import os
import threading
import uuid as uuidlib
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Self

from core import anchors, palette
from core.backups import BackupService
from core.changes import (
    Change,
    ChangeBus,
    Notices,
    Subscriber,
    annotation_changed,
    articles_changed,
    entities_changed,
)
from core.config import Config, default_library_dir
from core.entity_library import EntityService
from core.errors import CommonplaceError, LibraryError
from core.indexing import IndexService
from core.ingest import IngestService
from core.library_files import damage_seen, refuse_unsafe_file
from core.models import Annotation, Article, ArticleSummary, Document, EntitySpan, ImportResult
from core.palette import Colour
from core.recognition import RecognitionService
from core.storage import Store
from core.triage import TriageService, TriageUndo

if TYPE_CHECKING:
    from core import notebook as nb
    from core.app_import import ExportReport
    from core.entity_library import UndoToken
    from core.feeds import Feed
    from core.link_fetch import FetchReport
    from core.ner import Recogniser
    from core.ner.corrections import Rule
    from index import SearchResult

Progress = Callable[[int, int, str], None]
Cancel = Callable[[], bool]

SEEDS_DIR = Path(__file__).resolve().parents[1] / "seeds"
DB_NAME = "library.sqlite"

__all__ = ["Library", "ResolvedAnnotation", "default_library_dir", "DB_NAME", "SEEDS_DIR"]


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
                 readonly: bool = False, config: Config | None = None) -> None:
        self.config = config or Config.from_env()
        self.path = Path(path) if path else default_library_dir(self.config)
        self.notices = Notices()
        self._changes = ChangeBus()
        self._batching = threading.local()
        if not readonly:
            try:
                self.path.mkdir(parents=True, exist_ok=True)
            except OSError as e:
                raise LibraryError(f"cannot create library folder {self.path}: {e.strerror}") from e
        db = self.path / DB_NAME
        refuse_unsafe_file(self.path, db)
        damaged = damage_seen(db)
        if damaged and not readonly:
            from core.db import damage_message
            readonly = True  # seen damaged before: never write into it again until restored
            self.notices.set("readonly", damage_message(db, damaged))
        if not readonly and not _writable(self.path, db):
            readonly = True  # a read-only folder or file: open it for reading rather than fail
            self.notices.set("readonly", "the library folder is read-only: opened read-only, "
                                         "changes cannot be saved")
        try:
            self._store = Store(db, readonly=readonly)
        except LibraryError as e:
            if readonly or "read-only" not in str(e):
                raise
            self._store = Store(db, readonly=True)  # writable by the mode bits, yet refused
            self.notices.set("readonly", f"opened read-only: {e}")
        self.readonly = readonly or bool(self.notices.get("readonly"))
        if damaged:
            self._store.damage = self._store.damage or damaged
        if not self.readonly:
            from core.backups import sweep_leftovers
            sweep_leftovers(self.path)
        from index import SearchIndex
        self._indexing = IndexService(self._store, SearchIndex(self.path / "index"),
                                      self.notices)
        self._indexing.isolated = self.config.isolated_rebuilds
        self._recognition = RecognitionService(self._store, self.notices,
                                               self.config.ner_pipeline)
        self._ingest = IngestService(self._store, self._indexing, self._recognition,
                                     self._commit, self.config.import_workers,
                                     self.config.ner_pipeline, self._import_export)
        self._backups = BackupService(self.path, self._store, self.readonly,
                                      self._reindex_after_restore, self._reopen_store)
        self._triage = TriageService(self._store, self._commit)
        self._entities = EntityService(self._store, self._commit, self)
        # (the order matters: asking the index loads Whoosh, ~0.4 s, which opening avoids)
        if (self.readonly or self._store.count_articles() == 0) and self._indexing.needs_rebuild:
            # A new library's empty index costs nothing to make; a read-only library cannot
            # write one, so it searches from memory (built now, not on the first search).
            self._indexing.ensure()
        if seed and not self.readonly and self._store.get_setting("seeded") == "" \
                and self._store.count_articles() == 0 and not self._index_holds_documents():
            self.import_sources([str(SEEDS_DIR)], recognise=True)
            self._store.set_setting("seeded", "1")
        if not self.readonly:
            self._triage.auto_empty_trash()

    @classmethod
    def open(cls, path: Path | str | None = None, *, config: Config | None = None) -> Library:
        """Open for writing if possible (seeding a new library); a library that cannot be
        written is opened read-only with a notice saying why; a failed first-run sample
        import leaves the library open, unseeded, with a notice. The one place these
        fallbacks are decided (the CLI and the GUI both come here). Raises if it cannot be
        opened at all."""
        try:
            return cls(path, config=config)
        except LibraryError as e:
            lib = cls(path, seed=False, readonly=True, config=config)
            lib.notices.set("readonly", str(e))
            return lib
        except Exception as e:  # noqa: BLE001 - the sample import failed (importer missing)
            lib = cls(path, seed=False, config=config)
            lib.notices.set("seed", f"The sample article could not be imported ({e}).")
            return lib

    def _index_holds_documents(self) -> bool:
        """An index with documents beside an empty store is not a new library (seed nothing)."""
        try:
            index = self._indexing.index
            return not index.needs_rebuild and index.doc_count() > 0
        except Exception:  # noqa: BLE001 - unreadable: nothing to protect
            return False

    def close(self) -> None:
        self._indexing.index.close()
        self._store.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- changes -----------------------------------------------------------------------------
    def subscribe(self, fn: Subscriber) -> Callable[[], None]:
        """Call `fn(change)` after every mutation (on the mutating thread); returns unsubscribe."""
        return self._changes.subscribe(fn)

    @contextmanager
    def batch(self) -> Iterator[None]:
        """Group many mutations made on this thread (a bulk load, say): one change record
        and one index sync when the outermost batch ends, instead of one per mutation."""
        depth = getattr(self._batching, "depth", 0)
        if depth == 0:
            self._batching.change = Change()
        self._batching.depth = depth + 1
        try:
            yield
        finally:
            self._batching.depth -= 1
            if self._batching.depth == 0:
                change, self._batching.change = self._batching.change, Change()
                self._commit(change)

    def _commit(self, change: Change) -> Change:
        """The one place a mutation ends: the outbox goes to the index (without waiting for a
        rebuild another thread or process holds), then subscribers hear of it."""
        if getattr(self._batching, "depth", 0):
            self._batching.change = self._batching.change | change
            return change
        if change.index_pending:
            self._indexing.sync(wait=False)
        self._changes.publish(change)
        return change

    @property
    def readonly_notice(self) -> str:
        return self.notices.get("readonly")

    @property
    def index_notice(self) -> str:
        return self.notices.get("index")

    @property
    def ner_notice(self) -> str:
        return self.notices.get("ner")

    @property
    def last_check_repaired(self) -> bool:
        return self._indexing.last_check_repaired

    # -- import ------------------------------------------------------------------------------
    def import_sources(self, sources: Sequence[str], *, progress: Progress | None = None,
                       cancel: Cancel | None = None, recognise: bool = True,
                       tags: Sequence[str] = (), tag_folders: bool = False
                       ) -> list[ImportResult]:
        """Import files, folders and URLs (see core.ingest for the phases and the tags)."""
        return self._ingest.import_sources(sources, progress=progress, cancel=cancel,
                                           recognise=recognise, tags=tags,
                                           tag_folders=tag_folders)

    def add_document(self, doc: Document, source: str = "") -> ImportResult:
        return self._ingest.add_document(doc, source)

    @property
    def export_reports(self) -> list[ExportReport]:
        """Reports of the other apps' exports in the last import_sources call."""
        return self._ingest.export_reports

    def _import_export(self, path: str, kind: str, progress: Progress | None,
                       cancel: Cancel | None) -> tuple[list[ImportResult], ExportReport]:
        from core.app_import import import_export
        out = import_export(self, path, kind, progress=progress, cancel=cancel)
        if kind == "opml":
            self._commit(Change(feeds=True))
        return out

    # -- feeds and saved links (core/feeds.py, core/link_fetch.py) ---------------------------
    def feeds(self) -> list[Feed]:
        from core import feeds
        return feeds.feeds(self)

    def subscribe_feed(self, url: str) -> tuple[int, bool, str]:
        """Subscribe to a feed (or the feed a page names): (id, created, feed URL)."""
        from core import feeds
        out = feeds.subscribe(self, url)
        self._commit(Change(feeds=True))
        return out

    def add_opml(self, path: str | Path) -> list[ImportResult]:
        from core import feeds
        out = feeds.add_opml(self, path)
        self._commit(Change(feeds=True))
        return out

    def remove_feed(self, key: str) -> int:
        """Unsubscribe (the articles it brought stay); returns the feed id."""
        from core import feeds
        out = feeds.remove(self, key)
        self._commit(Change(feeds=True))
        return out

    def refresh_feeds(self, feed_ids: list[int] | None = None, *,
                      progress: Progress | None = None,
                      cancel: Cancel | None = None) -> dict[int, tuple[int, str]]:
        """New items of each feed → {feed id: (new items, error or "")}."""
        from core import feeds
        before = max(self._store.article_ids(), default=0)
        res = feeds.refresh(self, feed_ids, progress=progress, cancel=cancel)
        new = {i for i in self._store.article_ids() if i > before}
        # last checked, errors and counts changed even when nothing is new
        self._commit(Change(articles=frozenset(new), index_pending=bool(new), feeds=True))
        return res

    def pending_link_count(self) -> int:
        """Link-only entries (from Pocket, Instapaper, bookmarks) waiting to be fetched."""
        from core.link_fetch import pending_count
        return pending_count(self._store)

    def fetch_pending_links(self, *, delay: float | None = None, limit: int | None = None,
                            progress: Progress | None = None,
                            cancel: Cancel | None = None) -> FetchReport:
        from core.link_fetch import fetch_pending
        rep = fetch_pending(self, delay=delay, limit=limit, progress=progress, cancel=cancel)
        self._commit(Change(library=True, index_pending=True))  # placeholders replaced
        return rep

    # -- search and index --------------------------------------------------------------------
    def only_own_commits(self, after: int, upto: int) -> bool:
        """Were the library's commits numbered after..upto all made through this Library?"""
        return self._store.only_own_commits(after, upto)

    def search(self, query: str, limit: int = 20, kinds: Sequence[str] | None = None,
               offset: int = 0, sort: str = "relevance") -> SearchResult:
        """Ranked hits offset..offset+limit (sort "relevance" or "date"); never raises for a
        malformed query, never writes."""
        return self._indexing.search(query, limit, kinds, offset, sort)

    def index_needs_rebuild(self) -> bool:
        return self._indexing.needs_rebuild

    def ensure_index(self) -> None:
        """Rebuild a missing/outdated/damaged index, then apply the outbox (a worker's job)."""
        self._indexing.ensure()

    def sync_index(self, wait: bool = True) -> None:
        self._indexing.sync(wait)

    def reindex(self, progress: Progress | None = None, *, only_if_needed: bool = False,
                force: bool = False) -> int:
        """Rebuild the index; an empty store beside an index with documents is refused
        (the index may be the last copy of the texts) unless `force`."""
        n = self._indexing.reindex(progress, only_if_needed=only_if_needed, force=force)
        self._changes.publish(Change(library=True))
        return n

    def check(self, repair: bool = True) -> list[str]:
        return self._indexing.check(repair)

    def pending_index_count(self) -> int:
        return len(self._store.pending_index())

    # -- backups -----------------------------------------------------------------------------
    def backup_to(self, dest: Path | str, *, force: bool = False) -> Path:
        return self._backups.backup_to(dest, force=force)

    def maybe_daily_backup(self, keep: int = BackupService.DAILY_KEEP,
                           today: str | None = None) -> Path | None:
        return self._backups.maybe_daily_backup(keep, today)

    def restore(self, source: Path | str) -> Path:
        safety = self._backups.restore(source)
        self._changes.publish(Change(library=True))
        return safety

    def _reindex_after_restore(self) -> int:
        return self._indexing.reindex()

    def _reopen_store(self) -> None:
        """After a file-level restore of a damaged library: the new file, read-write, for
        the facade and every service."""
        self._store = Store(self._store.path)
        for service in (self._indexing, self._recognition, self._ingest, self._backups,
                        self._triage, self._entities):
            service.store = self._store
        self.readonly = self._backups.readonly = False
        self.notices.set("readonly", "")

    # -- entities ----------------------------------------------------------------------------
    def ner_pipeline(self) -> str:
        return self._recognition.pipeline()

    def set_ner_pipeline(self, name: str) -> None:
        self._recognition.set_pipeline(name)
        self._commit(Change(settings=frozenset({"ner_pipeline"})))

    def recogniser(self) -> Recogniser:
        return self._recognition.recogniser()

    def installed_recognisers(self) -> list[str]:
        """spaCy pipelines installed here (imports spaCy: call it from a worker)."""
        from core.ner import installed_pipelines
        return installed_pipelines()

    def recognise_entities(self, ids: Iterable[int] | None = None, *,
                           progress: Progress | None = None, cancel: Cancel | None = None,
                           force: bool = False) -> int:
        done = self._recognition.recognise(ids, progress=progress, cancel=cancel, force=force)
        self._commit(entities_changed(done))
        return len(done)

    def entities(self, article_id: int) -> list[EntitySpan]:
        self._store.summary(article_id)
        return self._store.entities(article_id)

    def correct_entity(self, article_id: int, action: str, start: int, end: int,
                       label: str = "") -> list[EntitySpan]:
        """Record a user's correction and apply it now; it survives re-recognition."""
        spans = self._recognition.correct(article_id, action, start, end, label)
        self._commit(entities_changed({article_id}))
        return spans

    # -- entities across the library (core/entity_library.py) --------------------------------
    def entity_rules(self) -> list[Rule]:
        return self._entities.entity_rules()

    def entity_aliases(self) -> dict[str, str]:
        return self._entities.entity_aliases()

    def correct_entity_scoped(self, article_id: int, action: str, start: int, end: int,
                              label: str = "", scope: str = "mention") -> UndoToken:
        """A correction for this mention, every mention in the article, or the library (a
        rule that also applies to new imports); returns the token that undoes it."""
        return self._entities.correct_entity_scoped(article_id, action, start, end, label,
                                                    scope)

    def remove_entity_rule(self, name: str) -> UndoToken:
        return self._entities.remove_entity_rule(name)

    def merge_entity_names(self, alias: str, into: str) -> UndoToken:
        return self._entities.merge_entity_names(alias, into)

    def split_entity_name(self, alias: str) -> UndoToken:
        return self._entities.split_entity_name(alias)

    def undo_entity_change(self, token: UndoToken) -> None:
        self._entities.undo_entity_change(token)

    def entity_groups(self, article_id: int) -> Any:
        return self._entities.entity_groups(article_id)

    def entity_lookup(self, query: str) -> dict | None:
        """The entity a search names ({"name", "label", "articles"}), or None."""
        return self._entities.entity_lookup(query)

    def entity_page(self, name: str, type_: str | None = None, *, top: int = 10,
                    snippet_chars: int = 90, _short: bool = True) -> dict:
        """Everything about one entity across the library (see EntityService.entity_page)."""
        return self._entities.entity_page(name, type_, top=top, snippet_chars=snippet_chars,
                                          _short=_short)

    # -- reading -----------------------------------------------------------------------------
    def articles(self, order: str = "added") -> list[ArticleSummary]:
        return self._store.summaries(order)

    def article_ids(self) -> list[int]:
        return self._store.article_ids()

    def summary(self, article_id: int) -> ArticleSummary:
        """One library-list row (cheap: used to refresh a notes count in place)."""
        return self._store.summary(article_id)

    def article(self, article_id: int) -> Article:
        return self._store.article(article_id)

    def article_text(self, article_id: int) -> str:
        return self._store.article_text(article_id)

    def article_uuids(self) -> dict[str, int]:
        """Every article's uuid → id (export finds the articles its earlier files belong to)."""
        return self._store.article_uuids()

    def annotated_article_ids(self) -> list[int]:
        """Articles with at least one annotation (what an export writes by default)."""
        return self._store.annotated_article_ids()

    def delete_article(self, article_id: int) -> Change:
        """Delete for good, at once (the reader's Delete moves to the trash: `trash`)."""
        self._store.delete_article(article_id)
        return self._commit(articles_changed({article_id}))

    @property
    def store_images(self) -> bool:
        """Whether imports keep article images (on unless the user turned it off)."""
        from core.image_store import SETTING_KEY
        return self._store.get_setting(SETTING_KEY) != "0"

    def set_store_images(self, on: bool) -> None:
        from core.image_store import SETTING_KEY
        self.set_setting(SETTING_KEY, "1" if on else "0")

    def image(self, name: str) -> tuple[str, bytes] | None:
        """(mime, bytes) of an article image stored in the library (never fetched)."""
        return self._store.image(name)

    def setting(self, key: str, default: str = "") -> str:
        """A library-wide setting stored with the library (not per machine)."""
        return self._store.get_setting(key, default)

    def set_setting(self, key: str, value: str) -> Change:
        self._store.set_setting(key, value)
        return self._commit(Change(settings=frozenset({key})))

    def palette(self) -> list[Colour]:
        """Highlight colours in order, with this library's renamed meanings."""
        return palette.palette(self._store)

    def set_colour_meaning(self, name: str, meaning: str) -> Change:
        palette.set_meaning(self._store, name, meaning)
        return self._commit(Change(settings=frozenset({palette.SETTING_KEY})))

    # -- annotations (highlight | passage note | article note) -------------------------------
    def annotate(self, article_id: int, *, start: int | None = None, end: int | None = None,
                 quote: str | None = None, occurrence: int = 1, note: str = "",
                 color: str = "", tags: Sequence[str] = ()) -> Annotation:
        """A highlight/passage note (by offsets or by quote) or, with neither, an article note."""
        text = self._store.article_text(article_id)
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
        aid = self._store.insert_annotation(article_id, anchor, color, note, tags,
                                            str(uuidlib.uuid4()))
        self._commit(annotation_changed(aid, article_id))
        return self._store.annotation(aid)

    def annotation(self, annotation_id: int) -> Annotation:
        return self._store.annotation(annotation_id)

    def annotation_ids(self) -> list[int]:
        return self._store.all_annotation_ids()

    def update_annotation(self, annotation_id: int, **changes: Any) -> Annotation:
        self._store.update_annotation(annotation_id, **changes)
        ann = self._store.annotation(annotation_id)
        self._commit(annotation_changed(ann.id, ann.article_id))
        return ann

    def reattach(self, annotation_id: int, start: int, end: int) -> Annotation:
        ann = self._store.annotation(annotation_id)
        text = self._store.article_text(ann.article_id)
        return self.update_annotation(annotation_id, anchor=anchors.make_anchor(text, start, end))

    def delete_annotation(self, annotation_id: int) -> Annotation:
        """Returns the deleted annotation so the caller can offer undo (restore_annotation)."""
        ann = self._store.delete_annotation(annotation_id)
        self._commit(annotation_changed(ann.id, ann.article_id))
        return ann

    def restore_annotation(self, ann: Annotation) -> Annotation:
        self._store.restore_annotation(ann)
        self._commit(annotation_changed(ann.id, ann.article_id))
        return self._store.annotation(ann.id)

    def annotations(self, article_id: int) -> list[ResolvedAnnotation]:
        """The article's annotations resolved against its current text, in reading order;
        orphans last."""
        text = self._store.article_text(article_id)
        out = []
        for ann in self._store.annotations(article_id):
            res = anchors.resolve(text, ann.anchor) if ann.anchor else None
            out.append(ResolvedAnnotation(ann, res))
        # passages in reading order, then article notes, then orphans
        out.sort(key=lambda r: (1 if r.resolution is None else 2 if r.resolution.orphaned else 0,
                                r.resolution.start if r.resolution else 0, r.annotation.id))
        return out

    # -- triage: views, reading states, trash, tags, notebook (core/triage.py) ---------------
    def list_ids(self, view: str = "all", *, tags: Sequence[str] = (), site: str = "",
                 order: str = "added", words: str = "", feed: int = 0) -> list[int]:
        """Ordered ids of a view (cheap at any size); fill rows with `summaries`. `feed`:
        only the articles that feed brought."""
        return self._triage.list_ids(view, tags=tags, site=site, order=order, words=words,
                                     feed=feed)

    def summaries(self, ids: Sequence[int]) -> list[ArticleSummary]:
        return self._triage.summaries(ids)

    def view_counts(self) -> dict[str, int]:
        return self._triage.view_counts()

    def sites(self) -> list[tuple[str, int]]:
        return self._triage.sites()

    def archive(self, ids: Iterable[int]) -> TriageUndo:
        return self._triage.archive(ids)

    def unarchive(self, ids: Iterable[int]) -> TriageUndo:
        return self._triage.unarchive(ids)

    def trash(self, ids: Iterable[int]) -> TriageUndo:
        """Move to the trash: kept whole (annotations too) until emptied; leaves search."""
        return self._triage.trash(ids)

    def undelete(self, ids: Iterable[int]) -> TriageUndo:
        return self._triage.undelete(ids)

    def mark_read(self, ids: Iterable[int], read: bool = True) -> TriageUndo:
        return self._triage.mark_read(ids, read)

    def undo(self, undo: TriageUndo) -> TriageUndo:
        """Put back what a triage action changed; returns what redoes it."""
        return self._triage.undo(undo)

    def set_reading_position(self, article_id: int, position: int,
                             read_to: int | None = None) -> int:
        return self._triage.set_reading_position(article_id, position, read_to)

    def reading_position(self, article_id: int) -> int:
        return self._triage.reading_position(article_id)

    def empty_trash(self, older_than_days: float | None = None,
                    ids: Sequence[int] | None = None) -> int:
        return self._triage.empty_trash(older_than_days, ids)

    def all_tags(self) -> list[tuple[str, int]]:
        return self._triage.all_tags()

    def tag_articles(self, ids: Iterable[int], add: Iterable[str] = (),
                     remove: Iterable[str] = ()) -> TriageUndo:
        return self._triage.tag_articles(ids, add, remove)

    def rename_tag(self, old: str, new: str) -> TriageUndo:
        return self._triage.rename_tag(old, new)

    def merge_tags(self, sources: Sequence[str], target: str) -> TriageUndo:
        return self._triage.merge_tags(sources, target)

    def notebook(self, query: nb.NotebookQuery | None = None, *, limit: int | None = None,
                 offset: int = 0, **filters: Any) -> list[nb.NotebookEntry]:
        """Every highlight and note matching the filters, or one page of them."""
        return self._triage.notebook(query, limit=limit, offset=offset, **filters)

    def notebook_count(self, query: nb.NotebookQuery | None = None, **filters: Any) -> int:
        return self._triage.notebook_count(query, **filters)

    def annotation_tags(self) -> list[str]:
        return self._triage.annotation_tags()
