"""Spelling correction from the library's own vocabulary: a word of the query that occurs
nowhere in the index is replaced by the most frequent indexed word within one or two edits
(sharing its first letter, which keeps the scan to one slice of the term table)."""
from __future__ import annotations

import re

from index.query_text import Word

MIN_LEN = 4  # shorter words have too many neighbours to guess from


def _candidates(reader, fieldname: str, text: str, maxdist: int) -> list[tuple[int, int, str]]:
    """(edits, -document frequency, term) for the field's terms within maxdist edits
    (a transposition is one edit) sharing text's first letter."""
    from whoosh.support.levenshtein import damerau_levenshtein
    out = []
    n = len(text)
    for btext in reader.expand_prefix(fieldname, text[:1]):
        word = btext.decode("utf-8", "replace")
        if abs(len(word) - n) > maxdist or word == text or not word.isalpha():
            continue
        k = damerau_levenshtein(word, text)
        if k <= maxdist:
            out.append((k, -reader.doc_frequency(fieldname, word), word))
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
            cands += _candidates(reader, "notes", stem, maxdist)
        if cands:
            fixes[w.raw] = min(cands)[2]
    return fixes


def surface(stems: dict[str, str], texts: list[str], term) -> dict[str, str]:
    """{typed: word as written} for each {typed: indexed term}: the commonest spelling in
    `texts` (the corrected query's best hits) whose term is the indexed one ("declin" →
    "declined"); the term itself when none is found."""
    from collections import Counter

    from index.query_text import _TOKEN
    want = set(stems.values())
    seen: dict[str, Counter] = {t: Counter() for t in want}
    for text in texts:
        for m in _TOKEN.finditer(text):
            w = m.group().lower()
            t = term(w)
            if t in want:
                seen[t][w] += 1
    return {typed: (seen[t].most_common(1)[0][0] if seen[t] else t) for typed, t in stems.items()}


def rewrite(query: str, fixes: dict[str, str]) -> str:
    """The query text with each fixed word replaced where it was typed (case-insensitively)."""
    for bad, good in fixes.items():
        query = re.sub(rf"(?<!\w){re.escape(bad)}(?!\w)", good, query, flags=re.IGNORECASE)
    return query
