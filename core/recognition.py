"""The recognition service: which recogniser the library uses, running it over articles, and
the user's entity corrections. Owned by the Library facade; entities are derived data, the
corrections are the user's and outlive every re-run."""
from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, cast

from core.changes import Notices
from core.errors import CommonplaceError, NotFound
from core.models import EntitySpan
from core.text import content_hash

if TYPE_CHECKING:
    from core.ner import Recogniser
    from core.ner.corrections import Action
    from core.storage import Store

Progress = Callable[[int, int, str], None]
Cancel = Callable[[], bool]
RECOGNISE_BATCH = 16
# The recogniser's labels plus the other OntoNotes ones the reader's menu offers.
ENTITY_LABELS = frozenset({"PERSON", "NORP", "FAC", "ORG", "GPE", "LOC", "EVENT", "LAW",
                           "DATE", "MONEY", "PERCENT", "PRODUCT", "WORK_OF_ART", "LANGUAGE",
                           "TIME", "QUANTITY", "ORDINAL", "CARDINAL"})


def check_correction(text: str, action: str, start: int, end: int, label: str) -> str:
    """A correction's one check (every scope): the span lies in the text, the action and the
    label are known. Returns the label upper-cased; CommonplaceError says what is wrong."""
    if not (0 <= start < end <= len(text)):
        raise CommonplaceError(f"span {start}-{end} lies outside the article")
    if action not in ("remove", "relabel", "add"):
        raise CommonplaceError(f"unknown correction {action!r}")
    if action in ("relabel", "add") and not label:
        raise CommonplaceError(f"{action} needs a label")
    if label and label.upper() not in ENTITY_LABELS:
        raise CommonplaceError(f"unknown label {label[:40]!r}: use one of "
                               f"{', '.join(sorted(ENTITY_LABELS))}")
    return label.upper()


class RecognitionService:
    def __init__(self, store: Store, notices: Notices, default: str = "") -> None:
        self.store = store
        self.notices = notices
        self.default = default  # Config.ner_pipeline: used when the library chose none

    def pipeline(self) -> str:
        """The chosen recogniser: "" (built-in), "rules", or a spaCy pipeline name or path."""
        return self.store.get_setting("ner_pipeline")

    def set_pipeline(self, name: str) -> None:
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

    def recogniser(self) -> Recogniser:
        from core.ner import get_recogniser
        return get_recogniser(self.store.get_setting("ner_pipeline") or self.default or None)

    def recognise(self, ids: Iterable[int] | None = None, *, progress: Progress | None = None,
                  cancel: Cancel | None = None, force: bool = False) -> list[int]:
        """(Re)run recognition where the text or the recogniser version changed; returns the
        articles whose entities were stored. A recogniser that cannot load leaves articles
        without entities (and a notice), never blocks an import: entities are derived data
        and are filled in on a later run."""
        try:
            rec = self.recogniser()
        except Exception as e:  # noqa: BLE001 - a broken optional pipeline must not break it
            self.notices.set("ner", f"entity recognition unavailable: {e}")
            return []
        self.notices.set("ner", rec.notice)
        stale = set(self.store.articles_needing_entities(rec.name, rec.version))
        todo = [i for i in (ids if ids is not None else sorted(stale)) if force or i in stale]
        done: list[int] = []
        for b in range(0, len(todo), RECOGNISE_BATCH):
            if cancel and cancel():
                break
            arts = []
            for aid in todo[b:b + RECOGNISE_BATCH]:
                try:
                    arts.append(self.store.article(aid))
                except NotFound:
                    pass
            for art, spans in zip(arts, rec.recognise_many(a.text for a in arts), strict=False):
                spans = self.with_corrections(art.id, spans)
                if self.store.replace_entities(art.id, spans, rec.name, rec.version,
                                               art.content_hash):
                    done.append(art.id)
                if progress:
                    progress(len(done), len(todo), art.title)
        return done

    def store_from_worker(self, article_id: int, spans: list[EntitySpan] | None,
                          recogniser: tuple[str, str] | None, text: str) -> bool:
        """Entities an import worker process found, stored if they came from the recogniser
        this library uses now (same name and version); False → recognise here later."""
        if spans is None or recogniser is None:
            return False
        try:
            rec = self.recogniser()
        except Exception:  # noqa: BLE001 - no recogniser: the worker's spans cannot be checked
            return False
        if (rec.name, rec.version) != tuple(recogniser):
            return False
        spans = self.with_corrections(article_id, spans)
        return self.store.replace_entities(article_id, spans, rec.name, rec.version,
                                           content_hash(text))

    def _prior(self) -> dict:
        """The library's label per frequent one-word name, recomputed at most every 30 s."""
        import time

        from core.entity_library import library_labels
        cached = getattr(self, "_prior_cache", None)
        if cached is None or time.monotonic() - cached[0] > 30:
            cached = self._prior_cache = (time.monotonic(), library_labels(self.store))
        return cached[1]

    def with_corrections(self, article_id: int, spans: list[EntitySpan]) -> list[EntitySpan]:
        from core.entity_library import apply_library_prior, apply_library_rules
        from core.ner import Correction, apply_corrections
        spans = apply_library_prior(spans, self._prior())  # the library's view of a name
        spans = apply_library_rules(self.store, article_id, spans)  # library rules, then the article's
        # the column's CHECK constraint admits only the three actions
        corr = [Correction(action=cast("Action", a), start=s, end=e, label=lab, text=t)
                for a, s, e, lab, t in self.store.corrections(article_id)]
        return apply_corrections(spans, corr) if corr else spans

    def correct(self, article_id: int, action: str, start: int, end: int,
                label: str = "") -> list[EntitySpan]:
        """Record a user's correction and apply it now; it survives re-recognition."""
        text = self.store.article_text(article_id)
        label = check_correction(text, action, start, end, label)
        self.store.add_correction(article_id, action, start, end, label, text[start:end])
        run = self.store.entity_run(article_id)
        current = [s for s in self.store.entities(article_id) if s.source != "user"]
        spans = self.with_corrections(article_id, current)
        if run:
            self.store.replace_entities(article_id, spans, run[0], run[1], run[2])
        return self.store.entities(article_id)
