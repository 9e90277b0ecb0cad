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
from typing import Self

from core import anchors
from core.backups import Backups
from core.errors import CommonplaceError, ImportFailed, LibraryError, NotFound
from core.library_index import IndexUpkeep
from core.models import Annotation, Article, ArticleSummary, Document, EntitySpan, ImportResult
from core.storage import Store
from core.text import content_hash
from core.triage import Triage

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


def _import_tags(raw: Sequence[str], expanded: Sequence[str], tags: Sequence[str],
                 tag_folders: bool) -> dict[str, list[str]]:
    """Tags for each expanded source: the given ones plus, with tag_folders, the names of
    the folders between the imported folder and the file."""
    tags = [t.strip() for t in tags if t.strip()]
    roots = []
    if tag_folders:
        for r in raw:
            p = Path(r.strip()).expanduser()
            if p.is_dir():
                roots += [p, p.resolve()]
    out: dict[str, list[str]] = {}
    for src in expanded:
        found = list(tags)
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


@dataclass(slots=True)
class ResolvedAnnotation:
    annotation: Annotation
    resolution: anchors.Resolution | None  # None for an article-level note


class Library(Triage, IndexUpkeep, Backups):
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
        if not self.readonly:
            self._auto_empty_trash()

    def close(self) -> None:
        self.index.close()
        self.store.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    # -- import ------------------------------------------------------------------------------
    def import_sources(self, sources: Sequence[str], *, progress: Progress | None = None,
                       cancel: Cancel | None = None, recognise: bool = True,
                       tags: Sequence[str] = (), tag_folders: bool = False
                       ) -> list[ImportResult]:
        """Import files, folders and URLs. Each source succeeds or fails alone; a failure
        stores nothing. Returns one result per expanded source. `tags` go on every article;
        `tag_folders` also tags each file with the folders between the imported folder and
        it (bbc/sport/001.txt imported as bbc → "sport"). Articles already in the library
        get these tags added."""
        from core.importers import expand_sources
        from core.pipeline import Loaded, load_batch, load_parallel, workers_for
        results: list[ImportResult] = []
        expanded = expand_sources(sources)
        extra = _import_tags(sources, [src for src, err in expanded if not err], tags,
                             tag_folders)
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
                if extra.get(src):
                    item.doc.tags = list(dict.fromkeys([*item.doc.tags, *extra[src]]))
                res = self.add_document(item.doc, source=src)
                if res.status == "duplicate" and extra.get(src):
                    self.tag_articles([res.article_id], add=extra[src])
            except CommonplaceError as e:
                res = ImportResult(src, "failed", error=str(e))
            except Exception as e:  # noqa: BLE001 - an importer bug must not abort the batch
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
        except Exception:  # noqa: BLE001 - no recogniser: the worker's spans cannot be checked
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
                where = " (in the trash)" if self.store.is_trashed(dup) else ""
                return ImportResult(source, "duplicate", dup, existing.title,
                                    f"already in the library as #{dup}{where}")
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
    def ner_pipeline(self) -> str:
        """The chosen recogniser: "" (built-in), "rules", or a spaCy pipeline name or path."""
        return self.store.get_setting("ner_pipeline")

    def set_ner_pipeline(self, name: str) -> None:
        """Choose the recogniser; every article is re-recognised on the next run because the
        recogniser's name/version no longer matches what produced its entities. A pipeline
        that cannot load is refused here, so the choice never leaves the library without one."""
        from core.ner import get_recogniser
        name = name.strip()
        if name and name not in ("builtin", "rules"):
            rec = get_recogniser(name)
            rec.recognise("Commonplace checks that the pipeline loads.")  # loads it lazily
            if rec.notice:
                raise CommonplaceError(rec.notice.split("; using rules only")[0])
        self.store.set_setting("ner_pipeline", name)

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
        except Exception as e:  # noqa: BLE001 - a broken optional pipeline must not break it
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
            for art, spans in zip(arts, rec.recognise_many(a.text for a in arts), strict=False):
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
        self.sync_index(wait=False)
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
        """Delete for good, at once (the reader's Delete moves to the trash: `trash`)."""
        self.store.delete_article(article_id)
        self.sync_index(wait=False)

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
        self.sync_index(wait=False)
        return self.store.annotation(aid)

    def update_annotation(self, annotation_id: int, **changes) -> Annotation:
        self.store.update_annotation(annotation_id, **changes)
        self.sync_index(wait=False)
        return self.store.annotation(annotation_id)

    def reattach(self, annotation_id: int, start: int, end: int) -> Annotation:
        ann = self.store.annotation(annotation_id)
        text = self.store.article_text(ann.article_id)
        return self.update_annotation(annotation_id, anchor=anchors.make_anchor(text, start, end))

    def delete_annotation(self, annotation_id: int) -> Annotation:
        """Returns the deleted annotation so the caller can offer undo (restore_annotation)."""
        ann = self.store.delete_annotation(annotation_id)
        self.sync_index(wait=False)
        return ann

    def restore_annotation(self, ann: Annotation) -> Annotation:
        self.store.restore_annotation(ann)
        self.sync_index(wait=False)
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
