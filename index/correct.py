"""Spelling correction from the library's own vocabulary: a word of the query that occurs
nowhere in the index is replaced by the most frequent indexed word within one or two edits
(sharing its first letter, which keeps the scan to one slice of the term table)."""
from __future__ import annotations

import re

from index.query_text import Word

MIN_LEN = 4  # shorter words have too many neighbours to guess from
PREFIX = 1


def _candidates(fast, fieldname: str, text: str, maxdist: int) -> list[tuple[int, int, str]]:
    """(edits, -document frequency, term) for the field's terms within maxdist edits
    (a transposition is one edit) sharing text's first PREFIX letters; the term table is
    read by index.fast (Whoosh's lexicon iterator costs ~30x more)."""
    from whoosh.support.levenshtein import damerau_levenshtein
    out = []
    n = len(text)
    letters = set(text)
    for btext, df in fast._expand(fieldname, text[:PREFIX]).items():
        if abs(len(btext) - n) > maxdist + 2:  # bytes: accented letters take two
            continue
        word = btext.decode("utf-8", "replace")
        # each edit changes at most two letters of the letter set: a cheap test first
        if abs(len(word) - n) > maxdist or word == text or \
                len(letters.symmetric_difference(word)) > 2 * maxdist or not word.isalpha():
            continue
        k = damerau_levenshtein(word, text)
        if k <= maxdist:
            out.append((k, -df, word))
    return out


def correct(fast, ws: list[Word], known) -> dict[str, str]:
    """{typed word: replacement term} for content words the index does not know.
    `known(word)` says whether a typed word matches anything."""
    schema = fast.schema
    text_ana, name_ana = schema["body"].analyzer, schema["entity"].analyzer
    fixes: dict[str, str] = {}
    for w in ws:
        if w.stop or len(w.raw) < MIN_LEN or not w.raw.isalpha() or known(w):
            continue
        maxdist = 1 if len(w.raw) <= 5 else 2
        cands = []
        name = name_ana.term(w.raw)
        if name:  # names and places are indexed unstemmed
            cands += _candidates(fast, "entity", name, maxdist)
        stem = text_ana.term(w.raw)
        if stem:
            for f in ("body", "notes"):  # a title's words are nearly always in its text
                cands += _candidates(fast, f, stem, maxdist)
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
