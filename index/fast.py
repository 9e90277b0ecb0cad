"""A faster executor for the queries people type, on Whoosh's own postings.

Whoosh's matchers walk postings one document at a time through several layers of Python
method calls; a common word ("said": 16,000 of 20,000 articles) across the seven default
fields costs ~100 ms, and `len(results)` walks everything a second time. This module reads
each term's postings a block at a time (the block arrays are decoded in C), combines
documents with dict/set operations, scores with the same BM25F formula Whoosh uses, and
keeps only the top `limit`. The match count comes out of the same pass, exactly.

It handles Term, And, Or, AndNot/Not inside And, Phrase (slop 1) and Prefix (expanded to the
PREFIX_MAX_TERMS most frequent terms) on text/keyword/id fields; ranges and wildcards, which
Whoosh scores as constants, take their documents from Whoosh's matcher for that clause only.
Anything else (fuzzy terms, a bare NOT, `*`, terms on numeric or date fields) raises
Unsupported and the caller uses Whoosh's searcher, so behaviour never depends on this path.
"""
from __future__ import annotations

import heapq
import struct
from bisect import bisect_left
from collections.abc import Iterable
from typing import Any

from whoosh import query as Q
from whoosh.fields import ID, KEYWORD, TEXT
from whoosh.util.numeric import byte_to_length

K1, B = 1.2, 0.75  # whoosh.scoring.BM25F defaults (what the index uses)
PREFIX_MAX_TERMS = 32  # prefix expansion bound: the most frequent terms win ...
PREFIX_MAX_POSTINGS = 60_000  # ... as long as their postings add up to no more than this
_TERMINFO_DF = struct.Struct("!BfI").unpack_from  # W3TermInfo: flags, weight, doc freq
_LEN_TABLE = [byte_to_length(i) for i in range(256)]


_CONSTANT_SCORE = (Q.DateRange, Q.NumericRange, Q.TermRange, Q.Wildcard)


class Unsupported(Exception):
    """The query uses something this executor does not do; use Whoosh's searcher."""


class FastSearcher:
    """Wraps one open whoosh Searcher (the shared one; recreated when the index changes)."""

    def __init__(self, searcher) -> None:
        self.s = searcher
        leaves = searcher.leaf_searchers() if not searcher.is_atomic() else [(searcher, 0)]
        self.leaves = [(ls.reader(), off) for ls, off in leaves]
        self.schema = searcher.schema
        self._deleted = [frozenset(r.deleted_docs_set) if r.has_deletions() else None
                         for r, _ in self.leaves]
        self._lengths: dict[str, list[int]] = {}
        self._stops: dict[str, frozenset[str]] = {}  # per field, cached with this searcher
        self._sort_keys: dict[str, list[bytes]] = {}

    # -- postings ------------------------------------------------------------------------------
    def _leaf_matchers(self, fieldname: str, text: str):
        for i, (r, off) in enumerate(self.leaves):
            if (fieldname, text) not in r:
                continue
            m = r.postings(fieldname, text)
            while not hasattr(m, "_read_ids"):  # FilterMatcher (deletions) and the like
                m = getattr(m, "child", None)
                if m is None:
                    raise Unsupported("postings are not W3 blocks")
            yield m, off, self._deleted[i]

    def postings(self, fieldname: str, text: str) -> dict[int, float]:
        """{global docnum: weight} for a term, deleted documents left out. Not cached, so
        every query (and every benchmark round) pays for its own reads."""
        return self.read(fieldname, text)[0]

    def read(self, fieldname: str, text: str, values: bool = False
             ) -> tuple[dict[int, float], dict[int, bytes] | None]:
        """({docnum: weight}, {docnum: raw value bytes} or None) in one pass over the blocks;
        values (positions) stay encoded until someone asks for a document's positions."""
        out: dict[int, float] = {}
        vals: dict[int, bytes] | None = {} if values else None
        for m, off, deleted in self._leaf_matchers(fieldname, text):
            while m.is_active():
                m._read_ids()
                m._read_weights()
                ids, ws = m._ids, m._weights
                if off:
                    ids = [d + off for d in ids]
                if vals is not None:
                    m._read_values()
                    vals.update(zip(ids, m._values, strict=False))
                if deleted:
                    out.update((d, w) for d, w in zip(ids, ws, strict=False) if d - off not in deleted)
                else:
                    out.update(zip(ids, ws, strict=False))
                m._next_block()
        return out, vals

    def positions(self, fieldname: str, text: str, docs, df: int = 0) -> dict[int, list[int]]:
        """A term's positions in the given documents only: each segment's postings are
        skipped block by block to the documents wanted, and only their values decoded. When
        the documents are a good share of the term's `df`, one pass over every block is
        cheaper than skipping."""
        out: dict[int, list[int]] = {}
        decode = self.schema[fieldname].format.decoder("positions")
        if df and len(docs) * 6 > df:
            raw = self.read(fieldname, text, values=True)[1] or {}
            return {d: decode(raw[d]) for d in docs if d in raw}
        wanted = sorted(docs)
        for r, off in self.leaves:
            if (fieldname, text) not in r:
                continue
            lo = bisect_left(wanted, off)
            hi = bisect_left(wanted, off + r.doc_count_all())
            if lo == hi:
                continue
            m = r.postings(fieldname, text)
            while not hasattr(m, "_read_ids"):  # FilterMatcher (deletions) and the like
                m = getattr(m, "child", None)
                if m is None:
                    raise Unsupported("postings are not W3 blocks")
            for d in wanted[lo:hi]:
                if not m.is_active():
                    break
                m.skip_to(d - off)
                if not m.is_active():
                    break
                if m.id() == d - off:
                    out[d] = decode(m.value())
        return out

    def field_lengths(self, fieldname: str) -> list[int]:
        """Every document's length in a field, read as one byte string per segment."""
        got = self._lengths.get(fieldname)
        if got is not None:
            return got
        lengths: list[int] = []
        for r, off in self.leaves:
            n = r.doc_count_all()
            col = None
            try:
                col = r._perdoc._cached_reader(f"_{fieldname}_len", _lengths_column())
            except AttributeError:
                col = None
            if lengths and len(lengths) < off:
                lengths.extend([0] * (off - len(lengths)))
            if col is None:
                lengths.extend([0] * n)
                continue
            count = min(col._count, n)
            raw = col._dbfile.get(col._basepos, count) if count else b""
            lengths.extend(_LEN_TABLE[b] for b in raw)
            lengths.extend([0] * (n - count))
        self._lengths[fieldname] = lengths
        return lengths

    # -- scoring -------------------------------------------------------------------------------
    def term_scores(self, fieldname: str, text: str, boost: float,
                    post: dict[int, float] | None = None) -> dict[int, float]:
        if post is None:
            post = self.postings(fieldname, text)
        if not post:
            return {}
        field = self.schema[fieldname]
        if not field.scorable:
            return {d: w * boost for d, w in post.items()}
        idf = self.s.idf(fieldname, text)
        avgfl = self.s.avg_field_length(fieldname) or 1.0
        lengths = self.field_lengths(fieldname)
        k = idf * (K1 + 1) * boost
        c1 = K1 * (1 - B)
        c2 = K1 * B / avgfl
        return {d: k * tf / (tf + c1 + c2 * lengths[d]) for d, tf in post.items()}

    # -- query evaluation ----------------------------------------------------------------------
    def evaluate(self, q, leaves: list | None = None) -> dict[int, float]:
        """{docnum: score} for every matching document. `leaves` collects (field, text, docs)
        of positive terms for matched_terms and highlighting."""
        if leaves is None:
            leaves = []
        t = type(q)
        if t is Q.Term:
            self._check_field(q.fieldname)
            sc = self.term_scores(q.fieldname, q.text, q.boost)
            leaves.append((q.fieldname, q.text, sc))
            return sc
        if t is Q.Or or t is Q.DisjunctionMax:
            parts = [self.evaluate(c, leaves) for c in q.subqueries]
            if t is Q.DisjunctionMax:
                return _max_merge(parts)
            out = _sum_merge(parts)
            if q.boost != 1.0:
                out = {d: s * q.boost for d, s in out.items()}
            return out
        if t is Q.And:
            pos = [c for c in q.subqueries if type(c) is not Q.Not]
            neg = [c.query for c in q.subqueries if type(c) is Q.Not]
            if not pos:
                raise Unsupported("only negative clauses")
            parts = sorted((self.evaluate(c, leaves) for c in pos), key=len)
            out = _intersect(parts)
            for n in neg:
                if not out:
                    break
                excl = self.evaluate(n, [])
                out = {d: s for d, s in out.items() if d not in excl}
            if q.boost != 1.0:
                out = {d: s * q.boost for d, s in out.items()}
            return out
        if t is Q.AndNot:
            out = self.evaluate(q.a, leaves)
            excl = self.evaluate(q.b, [])
            return {d: s for d, s in out.items() if d not in excl}
        if t is Q.Phrase:
            return self._phrase(q, leaves)
        if t is Q.Prefix:
            return self._prefix(q, leaves)
        if t is Q.NullQuery.__class__ or q is Q.NullQuery:
            return {}
        if t in _CONSTANT_SCORE:
            # Whoosh scores these as a constant anyway: take its matching documents (its
            # matcher, for this clause only) so the rest of the query stays on this path
            if not getattr(q, "constantscore", True):
                raise Unsupported(t.__name__)
            return dict.fromkeys(self.s.docs_for_query(q), q.boost)
        raise Unsupported(t.__name__)

    def _check_field(self, fieldname: str) -> None:
        if fieldname not in self.schema or not isinstance(self.schema[fieldname],
                                                          (TEXT, KEYWORD, ID)):
            raise Unsupported(f"field {fieldname}")

    def _phrase(self, q, leaves: list) -> dict[int, float]:
        self._check_field(q.fieldname)
        if q.slop != 1 or not self.schema[q.fieldname].format.supports("positions"):
            raise Unsupported("phrase with slop or without positions")
        words = list(q.words)
        if not words:
            return {}
        if len(words) == 1:
            return self.evaluate(Q.Term(q.fieldname, words[0], boost=q.boost), leaves)
        uniq = list(dict.fromkeys(words))
        # Candidates come from the phrase's content words; stop words (indexed, with huge
        # postings) are checked last, and only in documents where the rest already matched.
        stops = self._stop_terms(q.fieldname)
        key = [w for w in uniq if w not in stops] or uniq
        got = {w: self.read(q.fieldname, w, values=True) for w in key}  # values stay raw
        read = {w: g[0] for w, g in got.items()}
        if not all(read.values()):
            return {}
        rarest = min(read.values(), key=len)
        cand = set(rarest)
        for p in read.values():
            cand.intersection_update(p)
            if not cand:
                return {}
        decode = self.schema[q.fieldname].format.decoder("positions")
        raw = {w: g[1] or {} for w, g in got.items()}  # values=True: never None
        order = sorted((i for i, w in enumerate(words) if w in read),
                       key=lambda i: len(read[words[i]]))  # rarest first: early rejections
        anchor = order[0]
        found: dict[int, set[int]] = {}
        for d in cand:
            starts = {p - anchor for p in decode(raw[words[anchor]][d])}
            for i in order[1:]:
                starts.intersection_update(p - i for p in decode(raw[words[i]][d]))
                if not starts:
                    break
            if starts:
                found[d] = starts
        for i, w in enumerate(words):
            if w in read or not found:
                continue
            at_pos = self.positions(q.fieldname, w, found, self.s.doc_frequency(q.fieldname, w))
            for d in list(found):
                st = found[d].intersection(p - i for p in at_pos.get(d, ()))
                if st:
                    found[d] = st
                else:
                    del found[d]
        if not found:
            return {}
        parts = []
        for w in key:
            post = read[w]
            parts.append(self.term_scores(q.fieldname, w, q.boost, {d: post[d] for d in found}))
        out = _sum_merge(parts)
        for w in uniq:
            leaves.append((q.fieldname, w, out))
        return out

    def _stop_terms(self, fieldname: str) -> frozenset[str]:
        got = self._stops.get(fieldname)
        if got is None:
            from index.query_text import STOP_WORDS
            ana = self.schema[fieldname].analyzer
            term = getattr(ana, "term", None)
            got = frozenset(t for t in (term(w) if term else w for w in STOP_WORDS) if t)
            self._stops[fieldname] = got
        return got

    def _expand(self, fieldname: str, prefix: str) -> dict[bytes, int]:
        """{term: document frequency} for the field's terms starting with prefix, read straight
        from each segment's term table (no TermInfo objects, no multi-segment merge)."""
        pbytes = self.schema[fieldname].to_bytes(prefix)
        dfs: dict[bytes, int] = {}
        for r, _off in self.leaves:
            terms: Any = getattr(r, "_terms", None)  # whoosh internals, duck-typed
            tindex = getattr(terms, "_tindex", None)
            if tindex is None or not hasattr(terms, "_keycoder"):
                raise Unsupported("term table layout")
            key = terms._keycoder(fieldname, pbytes)
            if fieldname not in terms._fieldmap:
                continue
            cut = len(key) - len(pbytes)
            for kb, vb in tindex.items_from(key):
                if not kb.startswith(key):
                    break
                t = kb[cut:]
                dfs[t] = dfs.get(t, 0) + _TERMINFO_DF(vb)[2]
        return dfs

    def _prefix(self, q, leaves: list) -> dict[int, float]:
        """Bounded expansion: the most frequent terms first, at most PREFIX_MAX_TERMS of them
        and at most PREFIX_MAX_POSTINGS postings in all (always at least one term). Documents
        that contain only rarer expansions of a very short prefix are not found; the count
        covers the expansions searched."""
        self._check_field(q.fieldname)
        dfs = self._expand(q.fieldname, q.text)
        stops = self._stop_terms(q.fieldname)  # indexed, but not what a prefix is typed for
        dfs = {t: df for t, df in dfs.items() if t.decode("utf-8", "replace") not in stops} \
            or dfs
        if not dfs:
            return {}
        parts: list[dict[int, float]] = []
        budget = PREFIX_MAX_POSTINGS
        for df, btext in heapq.nlargest(PREFIX_MAX_TERMS, ((df, t) for t, df in dfs.items())):
            if parts and df > budget:
                break
            budget -= df
            text = btext.decode("utf-8")
            sc = self.term_scores(q.fieldname, text, q.boost)
            leaves.append((q.fieldname, text, sc))
            parts.append(sc)
        return _sum_merge(parts)

    # -- top level -----------------------------------------------------------------------------
    def search(self, q, limit: int, only: Iterable[int] | None = None):
        """(top [(docnum, score)], total, leaves)."""
        leaves: list = []
        scores = self.evaluate(q, leaves)
        if only is not None:
            allowed = only if isinstance(only, (set, frozenset, dict)) else set(only)
            scores = {d: s for d, s in scores.items() if d in allowed}
        top = heapq.nlargest(limit, scores.items(), key=lambda kv: (kv[1], -kv[0]))
        return top, len(scores), leaves

    def sort_keys(self, fieldname: str) -> list[bytes]:
        """Every document's full-precision term in a numeric/date field (b"" if none), for
        sorting; the terms sort as the values do. Cached with this searcher."""
        got = self._sort_keys.get(fieldname)
        if got is not None:
            return got
        field = self.schema[fieldname]
        keys: list[bytes] = [b""] * self.s.doc_count_all()
        for r, off in self.leaves:
            for term in field.sortable_terms(r, fieldname):
                for d in r.postings(fieldname, term).all_ids():
                    keys[off + d] = term
        self._sort_keys[fieldname] = keys
        return keys

    def docs_with(self, fieldname: str, texts: Iterable[str]) -> set[int]:
        out: set[int] = set()
        for t in texts:
            out.update(self.postings(fieldname, t))
        return out


def _lengths_column():
    from whoosh.codec.whoosh3 import LENGTHS_COLUMN
    return LENGTHS_COLUMN


def _sum_merge(parts: list[dict[int, float]]) -> dict[int, float]:
    parts = [p for p in parts if p]
    if not parts:
        return {}
    parts.sort(key=len, reverse=True)
    out = dict(parts[0])
    for p in parts[1:]:
        get = out.get
        for d, s in p.items():
            out[d] = get(d, 0.0) + s
    return out


def _max_merge(parts: list[dict[int, float]]) -> dict[int, float]:
    out: dict[int, float] = {}
    for p in parts:
        for d, s in p.items():
            if s > out.get(d, -1.0):
                out[d] = s
    return out


def _intersect(parts: list[dict[int, float]]) -> dict[int, float]:
    """Parts sorted by size; sum of scores over documents in all of them."""
    if not parts or not parts[0]:
        return {}
    out = dict(parts[0])
    for p in parts[1:]:
        out = {d: s + p[d] for d, s in out.items() if d in p}
        if not out:
            break
    return out
