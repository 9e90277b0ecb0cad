"""Named-entity recognition for Commonplace (Qt-free; spaCy is imported lazily).

    from core.ner import get_recogniser
    rec = get_recogniser()            # built-in: shipped model + rules + consistency
    rec.recognise(article.text)       # -> list[EntitySpan], offsets into that text
    rec.version                       # store with the entities; re-run when it changes

``get_recogniser("en_core_web_trf")`` uses any installed spaCy pipeline instead
(package name or directory); ``"rules"`` gives the rules-only recogniser. With
``pipeline=None`` means the built-in one (Config.ner_pipeline, from COMMONPLACE_NER_PIPELINE, is applied by the Library).
"""
from __future__ import annotations

import threading
from collections.abc import Iterable, Iterator
from typing import Protocol, runtime_checkable

from core.models import EntitySpan
from core.ner.corrections import Correction, apply_corrections
from core.ner.recognisers import LABELS

__all__ = [
    "BUILTIN",
    "LABELS",
    "RULES_ONLY",
    "Correction",
    "Recogniser",
    "apply_corrections",
    "get_recogniser",
    "installed_pipelines",
]

BUILTIN = "builtin"
RULES_ONLY = "rules"


@runtime_checkable
class Recogniser(Protocol):
    name: str

    @property
    def version(self) -> str: ...

    @property
    def notice(self) -> str: ...

    def recognise(self, text: str) -> list[EntitySpan]: ...

    def recognise_many(self, texts: Iterable[str]) -> Iterator[list[EntitySpan]]: ...


_cache: dict[str, Recogniser] = {}
_cache_lock = threading.Lock()


def get_recogniser(pipeline: str | None = None) -> Recogniser:
    """The recogniser for ``pipeline``: None/"builtin" → the built-in hybrid, "rules" →
    rules only, anything else → that installed spaCy pipeline (name or path). Cached per
    key; nothing heavy happens until the first recognise() call."""
    from core.ner import recognisers as _p

    key = pipeline or BUILTIN
    with _cache_lock:
        rec = _cache.get(key)
        if rec is None:
            if key in (BUILTIN, "commonplace", _p.BUILTIN_NAME):
                new = _p.builtin()
                new.rules_only = False
            elif key in (RULES_ONLY, _p.RULES_NAME):
                new = _p.SpacyRecogniser(None, _p.RULES_NAME, hybrid=True)
                new.rules_only = True
            else:
                new = _p.external(key)
            _cache[key] = rec = new
        return rec


def installed_pipelines() -> list[str]:
    """Names of spaCy pipeline packages installed in this environment (for a settings
    list); imports spaCy, so call it off the GUI thread or lazily."""
    try:
        import spacy.util

        return sorted(spacy.util.get_installed_models())
    except Exception:  # noqa: BLE001 - no spaCy: nothing to offer
        return []
