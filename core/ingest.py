"""The ingest service: the one import road for the CLI and the GUI.

Phases, the same for every caller: (1) load — read, decode, extract, and (for big imports)
recognise entities — in worker processes, or in-process for a handful of sources; (2) store
each document in order (one writer) and publish a change record per batch, so a window lists
new articles while the rest is still loading; (3) recognise, in batches, the articles the
workers did not; (4) bring the index up to date. One progress callback and one cancel cover
all phases.
"""
from __future__ import annotations

import uuid as uuidlib
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from core import anchors
from core.changes import Change, articles_changed, entities_changed
from core.errors import CommonplaceError, ImportFailed
from core.models import Article, Document, ImportResult
from core.text import content_hash

if TYPE_CHECKING:
    from core.app_import import ExportReport
    from core.indexing import IndexService
    from core.recognition import RecognitionService
    from core.storage import Store

Progress = Callable[[int, int, str], None]
Cancel = Callable[[], bool]
Commit = Callable[[Change], object]  # its return value (the Library's: the Change) is unused
ExportImporter = Callable[[str, str, "Progress | None", "Cancel | None"],
                          "tuple[list[ImportResult], ExportReport]"]
STORE_BATCH = 50  # articles stored between change records (and index syncs, throttled by
                 # IndexService.bulk); a kill loses no article: the outbox holds the rest


class IngestService:
    def __init__(self, store: Store, indexing: IndexService, recognition: RecognitionService,
                 commit: Commit, import_workers: int | None = None,
                 default_pipeline: str = "", import_export: ExportImporter | None = None
                 ) -> None:
        self.store = store
        self.import_export = import_export  # other apps' exports (core.app_import)
        self.export_reports: list[ExportReport] = []  # of the last import
        self.indexing = indexing
        self.recognition = recognition
        self.commit = commit
        self.import_workers = import_workers
        self.default_pipeline = default_pipeline

    def import_sources(self, sources: Sequence[str], *, progress: Progress | None = None,
                       cancel: Cancel | None = None, recognise: bool = True,
                       tags: Sequence[str] = (), tag_folders: bool = False
                       ) -> list[ImportResult]:
        """Import files, folders and URLs. Each source succeeds or fails alone; a failure
        stores nothing. Returns one result per expanded source. `tags` go on every article;
        `tag_folders` also tags each file with the folders between the imported folder and
        it (bbc/sport/001.txt imported as bbc → "sport"). Articles already in the library
        get these tags added."""
        from core.app_import import split_exports
        from core.importers import expand_sources
        from core.library_files import unchanged_files
        from core.loading import Loaded, load_batch, load_parallel, workers_for
        results: list[ImportResult] = []
        expanded, exports = split_exports(expand_sources(sources))  # other apps' exports
        self.export_reports = []
        total = len(expanded)
        # a re-run skips what it stored (unless it is asked to tag what is already there)
        unchanged = {} if tags or tag_folders else unchanged_files(self.store, expanded)
        todo = [src for src, err in expanded if not err and src not in unchanged]
        extra = import_tags(sources, todo, tags, tag_folders)
        pipeline = (self.store.get_setting("ner_pipeline") or self.default_pipeline) \
            if recognise else None
        from core.image_store import SETTING_KEY
        images = self.store.get_setting(SETTING_KEY) != "0"
        workers = workers_for(len(todo), self.import_workers)
        if workers:  # extraction + recognition in worker processes, storing here in order
            loaded = load_parallel(todo, pipeline, workers, cancel, images)
            self.indexing.ensure()  # index while the workers recognise
        else:  # few sources: in-process; recognition afterwards, in batches
            loaded = (x for src in todo for x in load_batch([src], None, images, cancel))
        with self.indexing.bulk():  # a few index commits, not one per STORE_BATCH
            unrecognised: list[int] = []
            batch: set[int] = set()
            recognised: set[int] = set()
            for i, (src, err) in enumerate(expanded):
                if cancel and cancel():
                    break
                if progress:
                    progress(i, total, src)
                if err:
                    results.append(ImportResult(src, "failed", error=err))
                    continue
                if src in unchanged:
                    results.append(unchanged[src])
                    continue
                item: Loaded | None = next(loaded, None)
                if item is None:  # cancelled inside the pipeline
                    break
                if item.doc is None:
                    results.append(ImportResult(src, "failed", error=item.error))
                    continue
                try:
                    if extra.get(src):
                        item.doc.tags = list(dict.fromkeys([*item.doc.tags, *extra[src]]))
                    res = self.add_document(item.doc, source=src, publish=False)
                    if res.status == "duplicate" and res.article_id and extra.get(src):
                        self.add_tags(res.article_id, extra[src])
                except CommonplaceError as e:
                    res = ImportResult(src, "failed", error=str(e))
                except Exception as e:  # noqa: BLE001 - an importer bug must not abort the batch
                    res = ImportResult(src, "failed", error=f"{type(e).__name__}: {e}")
                if item.doc.notes and res.status in ("imported", "updated"):
                    res.error = "; ".join(filter(None, [res.error, _notes_line(item.doc.notes)]))
                results.append(res)
                if res.status in ("imported", "updated") and res.article_id:
                    batch.add(res.article_id)
                    if recognise and self.recognition.store_from_worker(
                            res.article_id, item.spans, item.recogniser, item.doc.text):
                        recognised.add(res.article_id)
                    else:
                        unrecognised.append(res.article_id)
                    if len(batch) >= STORE_BATCH:
                        self.commit(articles_changed(batch) | entities_changed(recognised))
                        batch, recognised = set(), set()
            if hasattr(loaded, "close"):
                loaded.close()
            if batch:
                self.commit(articles_changed(batch) | entities_changed(recognised))
            for path, kind in exports:
                if (cancel and cancel()) or self.import_export is None:
                    break
                try:
                    got, report = self.import_export(path, kind, progress, cancel)
                except CommonplaceError as e:  # unreadable as a whole (bad JSON, zip bomb...)
                    results.append(ImportResult(path, "failed", error=str(e)))
                    continue
                results.extend(got)
                self.export_reports.append(report)
                ids = {r.article_id for r in got if r.status == "imported" and r.article_id}
                self.commit(articles_changed(ids))
                unrecognised.extend(r.article_id for r in got if r.status == "imported"
                                    and r.article_id and r.error != "link only")  # once fetched
            if progress:
                progress(total, total, "")
            if recognise and unrecognised and not (cancel and cancel()):
                done = self.recognition.recognise(unrecognised, cancel=cancel,
                                                  progress=_phase(progress, "recognising entities"))
                self.commit(entities_changed(done))
        self.indexing.ensure()
        return results

    def add_document(self, doc: Document, source: str = "", *,
                     publish: bool = True) -> ImportResult:
        if not doc.text.strip():
            raise ImportFailed("no article text found")
        h = content_hash(doc.text)
        dup = self.store.find_duplicate(h, doc.url)
        if dup is not None:
            existing = self.store.article(dup)
            if existing.content_hash == h:
                where = " (in the trash)" if self.store.is_trashed(dup) else ""
                return ImportResult(source, "duplicate", dup, existing.title,
                                    f"already in the library as #{dup}{where}")
            res = self._update_text(existing, doc, h, source)
        else:
            with self.store.write() as con:
                aid = self.store.insert_article(con, doc, h, str(uuidlib.uuid4()))
            res = ImportResult(source, "imported", aid, doc.title)
        if publish and res.article_id:
            self.commit(articles_changed({res.article_id}))
        return res

    def add_tags(self, article_id: int, tags: Sequence[str]) -> None:
        """Add import tags to an article already in the library (a re-import)."""
        have = self.store.tags(article_id)
        folded = {t.casefold() for t in have}
        new = [t for t in tags if t.casefold() not in folded]
        if new:
            self.store.set_tags(article_id, [*have, *new])
            self.commit(articles_changed({article_id}))

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


def import_tags(raw: Sequence[str], expanded: Sequence[str], tags: Sequence[str],
                tag_folders: bool) -> dict[str, list[str]]:
    """Tags for each expanded source: the given ones plus, with tag_folders, the names of
    the folders between the imported folder and the file."""
    given = [t.strip() for t in tags if t.strip()]
    roots: list[Path] = []
    if tag_folders:
        for r in raw:
            p = Path(r.strip()).expanduser()
            if p.is_dir():
                roots += [p, p.resolve()]
    out: dict[str, list[str]] = {}
    for src in expanded:
        found = list(given)
        for root in roots:
            try:
                rel = Path(src).relative_to(root)
            except ValueError:
                continue
            found += [part for part in rel.parts[:-1] if part.strip()]
            break
        if found:
            out[src] = list(dict.fromkeys(found))
    return out


def _phase(progress: Progress | None, label: str) -> Progress | None:
    if progress is None:
        return None
    return lambda done, total, _title: progress(done, total, label)


def _notes_line(notes: list[str]) -> str:
    """One line for an import's skipped images: the first reasons, then a count."""
    head = "; ".join(notes[:3])
    return head + (f"; and {len(notes) - 3} more" if len(notes) > 3 else "")
