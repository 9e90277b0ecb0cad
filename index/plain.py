"""Ranking for plain text (no operators): what people mean when they type a few words, a
question or a headline.

Every content word is optional, so a query never comes back empty while one of its words is
in the library; the order is
  1. an annotation whose own text (note, quoted passage, tags) has every content word,
  2. documents with every content word, the exact phrase (stop words as typed) first,
  3. the rest, by score times the (IDF-weighted) share of the words they have,
and within each, BM25F (each field's length-normalised frequency weighted and added, then
saturated once; title weighted 2 on top of its index-time boost) plus a proximity bonus for
query words found next to each other in order (or near each other) in the title or text.
Proximity is computed only for the best RERANK candidates, from positions read for them.

Okapi's IDF (log(1 + (N - df + .5) / (df + .5))) is used rather than Whoosh's BM25F IDF
(1 + log(N / (df + 1))): Whoosh's gives a word in half the documents ~60 % of a rare word's
weight; Okapi's ~10 %, which is what lets a long question rank by its telling words. A word
repeated in the query weighs more (Robertson's k3 = 8).
"""
from __future__ import annotations

import heapq
import math
from bisect import bisect_left

from index.fast import K1, B, FastSearcher, _sum_merge
from index.query_text import Word

FIELD_WEIGHTS = {"title": 2.0, "body": 1.0, "notes": 1.0, "tags": 1.0, "author": 1.0,
                 "site": 1.0}
POSITION_FIELDS = ("title", "body", "notes")
OWN_FIELDS = ("notes", "body", "tags")  # an annotation's own words (its title is the article's)
RERANK = 100  # candidates that get coordination and proximity
NEAR = 8  # words this close (either order) count as near
EXACT_BONUS, NEAR_BONUS = 1.0, 0.4  # × the pair's mean IDF
K3 = 8.0
_TIER = 1e6


class ContentWord:
    __slots__ = ("raw", "pos", "terms", "docs", "own", "idf", "qtf")

    def __init__(self, raw: str, pos: int, terms: dict[str, str]) -> None:
        self.raw, self.pos, self.terms = raw, pos, terms
        self.qtf = 1  # times the word occurs in the query
        self.docs: dict[int, float] = {}
        self.own: set[int] = set()
        self.idf = 0.0


def content_words(fast: FastSearcher, ws: list[Word]) -> list[ContentWord]:
    """The query's non-stop words, each with the term it has in every plain field; a word
    repeated in the query is one word weighted by its count (a long question repeats what
    it is about)."""
    text_ana = fast.schema["body"].analyzer
    name_ana = fast.schema["author"].analyzer
    out: list[ContentWord] = []
    seen: dict[str, ContentWord] = {}
    for w in ws:
        if w.stop:
            continue
        t = text_ana.term(w.raw)
        if t is None:
            continue
        if t in seen:
            seen[t].qtf += 1
            continue
        n = name_ana.term(w.raw) or w.raw
        seen[t] = ContentWord(w.raw, w.pos, {"title": t, "body": t, "notes": t,
                                             "tags": w.raw, "author": n, "site": n})
        out.append(seen[t])
    return out


def content_words_schema(schema, ws: list[Word]) -> list[dict[str, str]]:
    """{field: term} for each content word, from the schema alone (the Whoosh fallback)."""
    text_ana, name_ana = schema["body"].analyzer, schema["author"].analyzer
    out = []
    for w in ws:
        t = None if w.stop else text_ana.term(w.raw)
        if t:
            n = name_ana.term(w.raw) or w.raw
            out.append({"title": t, "body": t, "notes": t, "tags": w.raw, "author": n, "site": n})
    return out


def search(fast: FastSearcher, ws: list[Word], limit: int, offset: int = 0,
           allowed: set[int] | None = None, annotations: set[int] | frozenset[int] = frozenset()):
    """(ranked [(docnum, score)] for offset..offset+limit, total, leaves). `allowed` limits
    the documents; `annotations` are the annotation documents (for the own-words tier)."""
    words = content_words(fast, ws)
    n_docs = max(fast.s.doc_count(), 1)
    leaves: list = []
    present: list[ContentWord] = []
    for cw in words:
        cw.docs = _bm25f(fast, cw, n_docs, leaves, bool(annotations))
        if cw.docs:
            present.append(cw)
    if not present:
        return [], 0, leaves
    scores = _sum_merge([cw.docs for cw in present])
    if allowed is not None:
        scores = {d: s for d, s in scores.items() if d in allowed}
    total = len(scores)
    if not total:
        return [], 0, leaves
    by_size = sorted(present, key=lambda cw: len(cw.docs))
    full = set(by_size[0].docs).intersection(*(cw.docs for cw in by_size[1:]))
    own_full: set[int] = set()
    if annotations:
        own_full = set(annotations).intersection(scores)
        for cw in present:
            own_full &= cw.own

    def tier(d: int) -> int:
        return 2 if d in own_full else 1 if d in full else 0

    want = offset + limit
    pool_n = max(RERANK, want)
    get = scores.__getitem__
    if allowed is not None:
        full &= scores.keys()
    # best first within each tier, a tier's documents only as far as the pool needs them
    pool = heapq.nlargest(pool_n, own_full, key=get)
    if len(pool) < pool_n:
        upper = set(pool)
        pool += heapq.nlargest(pool_n - len(pool), full - upper if upper else full, key=get)
        if len(pool) < pool_n:
            upper = set(pool) | full
            more = heapq.nlargest(pool_n + len(upper), scores, key=get)
            pool += [d for d in more if d not in upper][:pool_n - len(pool)]
    head = pool[:RERANK]
    ranked = _rerank(fast, head, present, ws, scores, tier)
    ranked.extend((d, scores[d]) for d in pool[RERANK:])
    return ranked[offset:want], total, leaves


def _field_positions(fast: FastSearcher, fieldname: str, text: str, docs) -> dict[int, list[int]]:
    if not fast.schema[fieldname].format.supports("positions"):
        return {}
    return fast.positions(fieldname, text, docs)


def _bm25f(fast: FastSearcher, cw: ContentWord, n_docs: int, leaves: list,
           track_own: bool) -> dict[int, float]:
    """BM25F for one word: its length-normalised frequencies in every field, weighted and
    added, then saturated once with one IDF (of the documents having it in any field)."""
    acc: dict[int, float] = {}
    for fname, weight in FIELD_WEIGHTS.items():
        post = fast.postings(fname, cw.terms[fname])
        if not post:
            continue
        if fast.schema[fname].scorable:
            lengths = fast.field_lengths(fname)
            c1, c2 = 1 - B, B / (fast.s.avg_field_length(fname) or 1.0)
            part = {d: weight * tf / (c1 + c2 * lengths[d]) for d, tf in post.items()}
        else:
            part = dict.fromkeys(post, weight)
        leaves.append((fname, cw.terms[fname], part))
        if track_own and fname in OWN_FIELDS:
            cw.own.update(part)
        if acc:
            get = acc.get
            for d, v in part.items():
                acc[d] = get(d, 0.0) + v
        else:
            acc = part.copy()
    if not acc:
        return {}
    df = len(acc)
    cw.idf = math.log(1.0 + (n_docs - df + 0.5) / (df + 0.5))
    k = cw.idf * (K1 + 1) * _qtf(cw.qtf)
    return {d: k * t / (t + K1) for d, t in acc.items()}


def _qtf(n: int) -> float:
    """Robertson's query-term saturation, k3 = 8: 1, 1.8, 2.5, 3 ... for 1, 2, 3, 4 uses."""
    return (K3 + 1) * n / (K3 + n)


def _rerank(fast, docs: list[int], present: list[ContentWord], ws: list[Word],
            scores: dict[int, float], tier) -> list[tuple[int, float]]:
    n = len(present)
    # coordination weighted by IDF: missing a telling word costs more than missing a
    # common one
    mass = sum(cw.idf * cw.qtf for cw in present) or 1.0
    pos = {f: {i: _field_positions(fast, f, cw.terms[f], docs) for i, cw in enumerate(present)}
           for f in POSITION_FIELDS} if n > 1 else {}
    phrase_words = [w for w in ws if not w.stop]
    keyed = []
    for d in docs:
        m = sum(cw.idf * cw.qtf for cw in present if d in cw.docs)
        s = scores[d] * (m / mass)
        exact = False
        if n > 1:
            best = 0.0
            for f in POSITION_FIELDS:
                bonus, ph = _proximity([pos[f][i].get(d) for i in range(n)], present)
                best = max(best, bonus)
                exact = exact or ph
            s += best
        keyed.append((tier(d), exact and len(phrase_words) > 1, s, -d))
    keyed.sort(reverse=True)
    return [(-k[3], k[2]) for k in keyed]


def _proximity(plists: list[list[int] | None], present: list[ContentWord]) -> tuple[float, bool]:
    """(bonus, exact phrase) for one field of one document: consecutive query words found at
    the same distance as typed (exact) or within NEAR of each other."""
    bonus = 0.0
    chain_ok = all(plists)
    for i in range(len(present) - 1):
        a, b = plists[i], plists[i + 1]
        if not a or not b:
            chain_ok = False
            continue
        gap = present[i + 1].pos - present[i].pos
        weight = (present[i].idf + present[i + 1].idf) / 2
        bset = set(b)
        if any(p + gap in bset for p in a):
            bonus += EXACT_BONUS * weight
        elif _near(a, b):
            bonus += NEAR_BONUS * weight
    phrase = False
    if chain_ok and len(plists) > 1:
        full = [p for p in plists if p]  # every list, as chain_ok says: none is None
        sets = [set(p) for p in full]
        base = present[0].pos
        phrase = any(all(p + present[k].pos - base in sets[k] for k in range(1, len(sets)))
                     for p in full[0])
    return bonus, phrase


def _near(a: list[int], b: list[int]) -> bool:
    for p in a:
        i = bisect_left(b, p - NEAR)
        if i < len(b) and b[i] <= p + NEAR:
            return True
    return False
