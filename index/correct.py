"""Spelling correction from the library's own vocabulary: a word of the query that occurs
nowhere in the index is replaced by the most frequent indexed word within one or two edits
(sharing its first letter, which keeps the scan to one slice of the term table)."""
from __future__ import annotations

import re

from index.query_text import Word

MIN_LEN = 4  # shorter words have too many neighbours to guess from


def _candidates(reader, fieldname: str, text: str, maxdist: int) -> list[tuple[int, int, str]]:
    from whoosh.support.levenshtein import distance
    out = []
    for word in reader.terms_within(fieldname, text, maxdist, prefix=1):
        if word == text or not word.isalpha():
            continue
        out.append((distance(word, text), -reader.doc_frequency(fieldname, word), word))
    return out


def correct(searcher, ws: list[Word], known) -> dict[str, str]:
    """{typed word: replacement} for content words the index does not know. `known(word)`
    says whether a typed word matches anything."""
    reader = searcher.reader()
    schema = searcher.schema
    text_ana, name_ana = schema["body"].analyzer, schema["entity"].analyzer
    fixes: dict[str, str] = {}
    for w in ws:
        if w.stop or len(w.raw) < MIN_LEN or not w.raw.isalpha() or known(w):
            continue
        maxdist = 1 if len(w.raw) <= 5 else 2
        cands = []
        name = name_ana.term(w.raw)
        if name:  # names and places are indexed unstemmed: the best spelling to show
            cands += _candidates(reader, "entity", name, maxdist)
        stem = text_ana.term(w.raw)
        if stem:
            cands += _candidates(reader, "body", stem, maxdist)
            cands += _candidates(reader, "title", stem, maxdist)
        if cands:
            fixes[w.raw] = min(cands)[2]
    return fixes


def rewrite(query: str, fixes: dict[str, str]) -> str:
    """The query text with each fixed word replaced where it was typed (case-insensitively)."""
    for bad, good in fixes.items():
        query = re.sub(rf"(?<!\w){re.escape(bad)}(?!\w)", good, query, flags=re.IGNORECASE)
    return query
