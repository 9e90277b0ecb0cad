"""User corrections to recognised entities, applied on top of (re-)recognition.

A correction names a span by offsets *and* text: it applies only where
``text[start:end]`` still reads the same, so a correction never lands on different words
after the article text changed (the storage layer re-anchors or orphans those).
Pure functions, no I/O: core/storage keeps the corrections, this decides what they do.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from core.models import EntitySpan

Action = Literal["remove", "relabel", "add"]
USER_SOURCE = "user"


@dataclass(frozen=True, slots=True)
class Correction:
    """One user decision about one span.

    remove:  hide the recognised entity at [start, end) (label ignored; "" matches any).
    relabel: the entity at [start, end) has ``label`` (added if the recogniser missed it).
    add:     [start, end) is an entity with ``label`` (a missed span).
    """

    action: Action
    start: int
    end: int
    label: str
    text: str


def _overlaps(a_start: int, a_end: int, b_start: int, b_end: int) -> bool:
    return a_start < b_end and b_start < a_end


def apply_corrections(model_spans: list[EntitySpan],
                      corrections: list[Correction]) -> list[EntitySpan]:
    """Return the spans a reader sees: model spans with the user's corrections applied.

    - Matching is by offsets + text (``span.start == c.start and span.end == c.end and
      span.text == c.text``); corrections whose text does not match the span at those
      offsets are ignored for matching purposes.
    - remove: drops the matching model span(s) (with ``label`` set, only that label).
    - relabel / add: the user's span (source "user") replaces every model span that
      overlaps it, so the result stays non-overlapping; relabel of a span the model no
      longer finds still shows the user's entity (a correction outlives re-recognition).
    - Later corrections win over earlier ones for the same offsets; user spans that
      overlap each other keep the later one.
    Result: sorted by (start, end), non-overlapping.
    """
    removed: list[Correction] = []
    user: dict[tuple[int, int], EntitySpan] = {}
    order: list[tuple[int, int]] = []
    for c in corrections:
        key = (c.start, c.end)
        if c.action == "remove":
            removed.append(c)
            user.pop(key, None)
        elif c.action in ("relabel", "add"):
            if c.end <= c.start or not c.label:
                continue
            span = EntitySpan(c.start, c.end, c.label, c.text, USER_SOURCE)
            # a later user span overlapping an earlier one wins
            for k in [k for k in user if k != key and _overlaps(k[0], k[1], c.start, c.end)]:
                del user[k]
            user[key] = span
            if key in order:
                order.remove(key)
            order.append(key)
            removed = [r for r in removed if (r.start, r.end) != key]
        else:
            raise ValueError(f"unknown correction action: {c.action!r}")

    def is_removed(s: EntitySpan) -> bool:
        for r in removed:
            if (r.start, r.end) == (s.start, s.end) and r.text == s.text and (
                not r.label or r.label == s.label
            ):
                return True
        return False

    out: list[EntitySpan] = []
    user_spans = list(user.values())
    for s in model_spans:
        if is_removed(s):
            continue
        if any(_overlaps(s.start, s.end, u.start, u.end) for u in user_spans):
            continue
        out.append(s)
    out.extend(user_spans)
    out.sort(key=lambda s: (s.start, s.end))
    return out


@dataclass(frozen=True, slots=True)
class Rule:
    """A library-wide decision about a name: ``relabel`` every whole-word occurrence of
    ``name`` as ``label``, or ``remove`` every recognised span reading ``name``."""

    name: str
    action: Literal["remove", "relabel"]
    label: str = ""


def apply_rules(text: str, spans: list[EntitySpan], rules: list[Rule]) -> list[EntitySpan]:
    """Spans after the library-wide rules (before an article's own corrections, which are
    more specific and win). Relabelled occurrences become user spans and replace whatever
    overlaps them; result sorted and non-overlapping."""
    from core.ner.consistency import _occurrences

    out = list(spans)
    for r in rules:
        if not r.name:
            continue
        if r.action == "remove":
            out = [s for s in out if s.text != r.name or (r.label and s.label != r.label)]
            continue
        if not r.label:
            continue
        for a, b in _occurrences(text, r.name):
            if any(s.start == a and s.end == b and s.label == r.label and s.source == USER_SOURCE
                   for s in out):
                continue
            out = [s for s in out if not _overlaps(s.start, s.end, a, b)]
            out.append(EntitySpan(a, b, r.label, r.name, USER_SOURCE))
    out.sort(key=lambda s: (s.start, s.end))
    return out
