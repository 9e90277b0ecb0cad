"""Recognisers: the built-in hybrid (shipped spaCy model + rules + consistency), any
installed spaCy pipeline (e.g. en_core_web_trf), and rules only (the fallback).

spaCy is imported on the first recognise() call, never at import time.
"""
from __future__ import annotations

import hashlib
import logging
import os
import re
import threading
from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING

from core.models import EntitySpan
from core.ner import cleanup, consistency, evidence, lists_orgs, orgs, rules

if TYPE_CHECKING:
    from spacy.language import Language

log = logging.getLogger(__name__)

LABELS: tuple[str, ...] = (
    "PERSON", "NORP", "FAC", "ORG", "GPE", "LOC", "EVENT", "LAW", "DATE", "MONEY", "PERCENT",
)
MODEL_DIR = os.path.join(rules.RESOURCES, "model")
BUILTIN_NAME = "commonplace-hybrid"
RULES_NAME = "commonplace-rules"
MISSING_NOTICE = "Entity model missing or unreadable; using rules only (fewer people and organisations found)."
_PARA_SPLIT = re.compile(r"\n+")  # every line is a block: no entity crosses a line break
_MAX_CHUNK = 20_000
# spaCy's tokenizer peels prefixes/suffixes off a whitespace-less run one at a time, which is
# quadratic in the run's length (20 KB of "[" took 31 s). No entity is that long: runs over
# _MAX_RUN characters are shown to the model as spaces (same length, so offsets hold) and are
# left to the rules, which are linear.
_MAX_RUN = 100
_LONG_RUN = re.compile(r"\S{" + str(_MAX_RUN + 1) + ",}")
# Recognition costs ~9 s of CPU per million characters; a book-length text is recognised in
# its first MAX_NER_CHARS (cut at a paragraph break) so an import finishes in seconds.
MAX_NER_CHARS = 1_000_000
# labels of other pipelines that we map onto ours (e.g. CoNLL-style models)
_LABEL_MAP = {"PER": "PERSON", "PERSON": "PERSON", "ORG": "ORG", "LOC": "LOC", "GPE": "GPE",
              "NORP": "NORP", "FAC": "FAC", "EVENT": "EVENT", "LAW": "LAW", "DATE": "DATE", "MONEY": "MONEY",
              "PERCENT": "PERCENT"}


def _chunks(text: str) -> list[tuple[int, str]]:
    """Blocks (lines) with their offsets; very long ones split at spaces."""
    out: list[tuple[int, str]] = []
    pos = 0
    for m in list(_PARA_SPLIT.finditer(text)) + [None]:
        end = m.start() if m else len(text)
        para = text[pos:end]
        start = pos
        while len(para) > _MAX_CHUNK:
            cut = para.rfind(" ", 0, _MAX_CHUNK)
            if cut <= 0:
                cut = _MAX_CHUNK
            out.append((start, para[:cut]))
            start += cut
            para = para[cut:]
        if para.strip():
            out.append((start, para))
        if m:
            pos = m.end()
    return out


def _ner_extent(text: str) -> str:
    """The part of `text` that is recognised: all of it, or its first MAX_NER_CHARS up to
    the last paragraph break (offsets stay those of the full text)."""
    if len(text) <= MAX_NER_CHARS:
        return text
    cut = text.rfind("\n\n", 0, MAX_NER_CHARS)
    return text[:cut if cut > MAX_NER_CHARS // 2 else MAX_NER_CHARS]


def _mask_long_runs(chunk: str) -> str:
    """The chunk with every whitespace-less run longer than _MAX_RUN blanked (same length)."""
    return _LONG_RUN.sub(lambda m: " " * len(m.group()), chunk)


def _hash_dir(path: str) -> str:
    h = hashlib.sha256()
    for root, dirs, files in os.walk(path):
        dirs.sort()
        for f in sorted(files):
            p = os.path.join(root, f)
            h.update(os.path.relpath(p, path).encode())
            with open(p, "rb") as fh:
                for block in iter(lambda: fh.read(1 << 20), b""):
                    h.update(block)
    return h.hexdigest()[:12]


def _hash_file(path: str) -> str:
    try:
        with open(path, "rb") as fh:
            return hashlib.sha256(fh.read()).hexdigest()[:8]
    except OSError:
        return "none"


class SpacyRecogniser:
    """A recogniser backed by a spaCy pipeline; ``hybrid`` adds rules and consistency.

    ``source`` is a path to a pipeline directory or an installed package name.
    """

    def __init__(self, source: str | None, name: str, hybrid: bool = True) -> None:
        self.source = source
        self.name = name
        self.hybrid = hybrid
        self._nlp: Language | None = None
        self._loaded = False
        self._lock = threading.RLock()
        self._notice = ""
        self._version: str | None = None
        self.rules_only = source is None

    # -- identity ---------------------------------------------------------------
    @property
    def version(self) -> str:
        if self._version is None:
            parts = [self.name]
            if self.source and os.path.isdir(self.source):
                parts.append("model-" + _hash_dir(self.source))
            elif self.source:
                try:
                    from importlib.metadata import version as pkg_version

                    parts.append(self.source + "-" + pkg_version(self.source))
                except Exception:  # noqa: BLE001 - not installed: version says so
                    parts.append(self.source + "-missing")
            else:
                parts.append("no-model")
            if self.hybrid:
                parts.append("rules-" + rules.RULES_VERSION)
                parts.append("gaz-" + _hash_file(rules.GAZETTEER_PATH))
            self._version = "/".join(parts)
        return self._version

    @property
    def notice(self) -> str:
        return self._notice

    @notice.setter
    def notice(self, value: str) -> None:
        self._notice = value

    # -- loading ----------------------------------------------------------------
    def _load(self):
        if self._loaded:
            return self._nlp
        with self._lock:
            if self._loaded:
                return self._nlp
            nlp = None
            if self.source:
                try:
                    import spacy

                    exclude = ["parser", "lemmatizer", "textcat", "senter", "tagger",
                               "attribute_ruler", "morphologizer"]
                    if self.hybrid:
                        nlp = spacy.load(self.source)
                    else:
                        nlp = spacy.load(self.source, exclude=exclude)
                    if not nlp.pipe_names:
                        raise ValueError(f"pipeline {self.source!r} has no components")
                except Exception as exc:  # noqa: BLE001 - any failure means: fall back to rules
                    log.warning("entity model %r could not be loaded (%s); using rules only",
                                self.source, exc)
                    self._notice = MISSING_NOTICE if self.hybrid else (
                        f"spaCy pipeline {self.source!r} is not available ({exc}); using rules only."
                    )
                    self.hybrid = True
                    self.name = RULES_NAME
                    self._version = None
                    nlp = None
            if nlp is None:
                if not self._notice and self.source is None and not self.rules_only:
                    self._notice = MISSING_NOTICE
                    log.warning("no entity model; using rules only")
                try:
                    import spacy

                    nlp = spacy.blank("en")
                except Exception:  # noqa: BLE001
                    nlp = None
                self._has_ner = False
            else:
                self._has_ner = True
            self._nlp = nlp
            self._loaded = True
            return nlp

    # -- recognition ------------------------------------------------------------
    def recognise(self, text: str) -> list[EntitySpan]:
        return next(self.recognise_many([text]))

    def recognise_many(self, texts: Iterable[str], batch_size: int = 64) -> Iterator[list[EntitySpan]]:
        nlp = self._load()
        buffer: list[str] = []
        for text in texts:
            buffer.append(text)
            if len(buffer) >= batch_size:
                yield from self._process(nlp, buffer)
                buffer = []
        if buffer:
            yield from self._process(nlp, buffer)

    def _process(self, nlp, texts: list[str]) -> list[list[EntitySpan]]:
        texts = [_ner_extent(t) for t in texts]
        pieces: list[tuple[int, int, str]] = []  # (text index, offset, chunk)
        for i, t in enumerate(texts):
            for off, chunk in _chunks(t):
                pieces.append((i, off, chunk))
        model_spans: list[list[tuple[int, int, str]]] = [[] for _ in texts]
        if self._has_ner and nlp is not None:
            with self._lock:  # 64 blocks a batch: ~10 % faster than 256 here (cache-sized)
                docs = nlp.pipe((_mask_long_runs(c) for _, _, c in pieces), batch_size=64)
                for (i, off, _), doc in zip(pieces, docs, strict=False):
                    for ent in doc.ents:
                        lab = _LABEL_MAP.get(ent.label_)
                        if lab:
                            model_spans[i].append((off + ent.start_char, off + ent.end_char, lab))
        out = []
        for i, text in enumerate(texts):
            spans = model_spans[i]
            if self.hybrid:
                spans = self._rules(text, spans)
            else:
                spans = rules._drop_overlaps(spans)
            out.append([EntitySpan(s, e, lab, text[s:e], self.name) for s, e, lab in spans])
        return out

    def _rules(self, text: str, spans: list[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
        """Rules run block by block (a line never shares an entity with the next one), then
        consistency over the whole article, then the final clean-up."""
        lower_words = set(re.findall(r"\b[a-z][a-z-]+\b", text))
        sport = cleanup.is_sport(text)
        common = rules.common_words()
        gaz = rules.gazetteer().entries
        spans = sorted(spans)
        out: list[tuple[int, int, str]] = []
        k = 0
        for bs, be in cleanup.blocks(text):
            local = []
            while k < len(spans) and spans[k][0] < be:
                s, e, lab = spans[k]
                k += 1
                if s >= bs and e <= be:
                    local.append((s - bs, e - bs, lab))
            sub = text[bs:be]
            caps = cleanup.is_caps_block(sub)
            if caps:
                local = []  # a heading in capitals: the model's guesses there are noise
            cleaned = []
            for s, e, lab in local:
                r = rules.clean_span(sub, s, e, lab)
                if r:
                    cleaned.append((r[0], r[1], lab))
            merged = rules.merge(sub, cleaned, rules.pattern_spans(sub), rules.gazetteer_spans(sub))
            if not caps:
                merged = rules.refine(sub, merged, lower_words)
            if not self._has_ner and not caps:
                merged = rules.merge(sub, merged, [], rules.heuristic_spans(sub, merged))
            if sport:  # scores off first ("Acme Rovers 2-1"), so that a club name can match
                merged = [x for sp in merged for x in cleanup.cut_numbers(sub, *sp)]
                merged = rules.merge_clubs(sub, merged, cleanup.ground_spans(sub))
                merged = rules.merge_clubs(sub, merged, cleanup.club_spans(sub, [(0, len(sub))]))
            for s, e, lab in merged:
                if cleanup.common_word_place(sub, s, e, lab, common, (sub[s:e],) in gaz):
                    continue
                out.append((s + bs, e + bs, lab))
        out = consistency.harmonise(text, out)
        kind = evidence.article_kind(text, cleanup.sport_score(text) if sport else 0)
        out = evidence.drop_unsupported(text, out, kind)
        out = orgs.fix(text, out, tech=kind == "tech")
        out = cleanup.tidy(text, out)
        if sport:
            out = cleanup.list_people(text, sorted(out), set(lists_orgs.CITY_CLUBS) | set(lists_orgs.CLUBS))
        return rules._drop_overlaps([s for s in out if s[2] in LABELS])


def builtin() -> SpacyRecogniser:
    source = MODEL_DIR if os.path.isfile(os.path.join(MODEL_DIR, "meta.json")) else None
    rec = SpacyRecogniser(source, BUILTIN_NAME if source else RULES_NAME, hybrid=True)
    return rec


def external(pipeline: str) -> SpacyRecogniser:
    """Any installed spaCy pipeline (package name or path), used as it is (no rules)."""
    return SpacyRecogniser(pipeline, f"spacy:{os.path.basename(pipeline.rstrip('/'))}", hybrid=False)
