"""Answering a query: QueryEngine, which SearchIndex makes for each search (index.search has
the index's upkeep and hands the engine its searchers).

Plain text goes to index.plain (every word optional, coordination, proximity, notes first);
explicit syntax to Whoosh's parser and index.fast. Scopes (`in:notes`, `color:`, `tag:`)
restrict either. When a plain query has words the library does not know, they are corrected
from the index's vocabulary and the corrected query is searched.

Whoosh is imported where it is used: the GUI imports this module for SearchHit/SearchResult
before its window shows.
"""
from __future__ import annotations

import html
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from index.fast import FastSearcher
    from index.query_text import Scopes, Word

DEFAULT_FIELDS = ["title", "body", "notes", "author", "site", "tags", "entity"]
FIELD_BOOSTS = {"title": 3.0, "notes": 1.5, "entity": 1.2}
NAME_FIELDS = ("author", "site", "entity", "person", "org", "place", "norp", "event", "money",
               "date", "percent", "law", "product", "work")
_WORD = re.compile(r"\w+", re.UNICODE)
_WS = re.compile(r"\s+")


@dataclass(slots=True)
class SearchHit:
    kind: str  # "article" | "annotation"
    article_id: int
    annotation_id: int | None
    score: float
    title: str
    snippet_html: str
    site: str = ""
    published: str = ""
    matched_terms: list[str] = field(default_factory=list)
    label: str = "Article"  # "Article" | "Note" | "Highlight"


@dataclass(slots=True)
class SearchResult:
    hits: list[SearchHit]
    total: int
    query: str
    fallback: bool = False  # True when the query was malformed and searched as plain terms
    corrected: str = ""  # the query searched instead of `query` (spelling), or ""
    suggestion: str = ""  # what to offer instead: the query as typed when corrected
    offset: int = 0
    notice: str = ""  # why nothing was searched ("query too broad … narrow your query")


TermsOf = Callable[[int, str | None], set[str]]  # (docnum, field or None) -> terms matched
Ranked = list[tuple[int, float]]  # (docnum, score), best first
Found = tuple[Ranked, int, TermsOf, bool]  # (top, total, terms_of, fell back to plain words)
Texts = Callable[[str, int], dict[str, str]]


def _no_terms(d: int, f: str | None) -> set[str]:
    return set()


def parse_query(schema: Any, query: str) -> tuple[Any, bool]:
    """Whoosh syntax; anything malformed degrades to plain terms. Returns (query, fallback).
    Bare stop words and word-final punctuation are dropped first."""
    from whoosh.qparser import MultifieldParser, OrGroup
    from whoosh.qparser.dateparse import DateParserPlugin

    from index.query_text import tidy_explicit
    parser = MultifieldParser(DEFAULT_FIELDS, schema, fieldboosts=FIELD_BOOSTS)
    parser.add_plugin(DateParserPlugin(free=False))
    tidy = tidy_explicit(query)
    try:
        q = parser.parse(tidy)
        if _is_malformed(q, tidy):
            raise ValueError("malformed")
        return q, False
    except Exception:
        words = _WORD.findall(query)
        if not words:
            return None, True
        plain = MultifieldParser(DEFAULT_FIELDS, schema, fieldboosts=FIELD_BOOSTS,
                                 group=OrGroup.factory(0.9))
        # lowercased so AND/OR/NOT in the words are not operators
        return plain.parse(" ".join(w.lower() for w in words)), True


class QueryEngine:
    """Answers one query over an open Whoosh searcher `s` and its FastSearcher (`fast`; None
    when the index layout needs Whoosh's own path). SearchIndex makes one per search while it
    holds its lock, handing it the searchers and the index's schema (for the query parser),
    so a searcher swap cannot happen underneath it."""

    def __init__(self, s: Any, fast: FastSearcher | None, schema: Any) -> None:
        self.s, self.fast, self.schema = s, fast, schema

    def parse(self, query: str) -> tuple[Any, bool]:
        return parse_query(self.schema, query)

    # -- the query ---------------------------------------------------------------------------
    def search(self, query: str, limit: int, texts: Texts | None, kinds: Sequence[str] | None,
               offset: int, sort: str, colours: Callable[[str], list[str]] | None
               ) -> SearchResult:
        """SearchIndex.search's answer, for limit and offset already at least 0."""
        from index.query_text import is_explicit, split_scopes, words
        s, fast = self.s, self.fast
        text, scopes = split_scopes(query)
        allowed = self._allowed(kinds, scopes, colours)
        want = limit + offset if sort == "relevance" else 10**9
        fallback, corrected, suggestion = False, "", ""
        found: Found | None
        if text.strip() and not text.strip(" *?"):  # only wildcards: every word there is
            from index.cost import MAX_EXPANDED_TERMS, NARROW
            return SearchResult([], 0, query, notice=NARROW.format(limit=MAX_EXPANDED_TERMS))
        if not text and scopes:
            scoped = sorted(allowed or ())
            found = ([(d, 1.0) for d in scoped], len(scoped), _no_terms, False)
            sort = "date" if sort == "relevance" else sort
        elif is_explicit(text, set(s.schema.names())):
            from index.cost import too_costly
            parsed, _ = self.parse(text)
            why = too_costly(parsed, s.reader()) if parsed is not None else ""
            if why:  # wildcards expanding to most of the vocabulary: refuse, say why
                return SearchResult([], 0, query, notice=why)
            found = self._explicit(text, want, allowed)
            if found is None:
                return SearchResult([], 0, query, True)
            fallback = found[3]
        else:
            ws = words(text)
            found = self._plain(ws, want, allowed)
            if fast is not None and any(not w.stop for w in ws):
                fixes = self._correct(fast, ws)
                if fixes:
                    from index.correct import rewrite, surface
                    again = self._plain(words(rewrite(text, fixes)), want, allowed)
                    if again[1]:
                        shown = surface(fixes, self._texts_of(again[0][:3], texts),
                                        s.schema["body"].analyzer.term)
                        found, corrected, suggestion = again, rewrite(text, shown), text
            if not found[1] and ws:  # nothing for the content words: any word at all
                from whoosh import query as Q
                ana = s.schema["body"].analyzer
                terms = {ana.term(w.raw) for w in ws} - {None}
                found = self._query(Q.Or([Q.Term(f, t) for t in sorted(terms)
                                          for f in ("title", "body", "notes")]),
                                    want, allowed, "")
        docs, total, terms_of = found[0], found[1], found[2]
        if sort == "date":
            keys = None
            if fast is not None:
                try:
                    keys = fast.sort_keys("published")
                except Exception:  # an unusual index layout: Whoosh's own sort below
                    keys = None
            if keys is None:
                from whoosh.query import Every
                got = s.search(Every(), limit=None, sortedby="published",
                               reverse=True, filter={d for d, _ in docs})
                order = {hit.docnum: i for i, hit in enumerate(got)}
                docs = sorted(docs, key=lambda ds: order.get(ds[0], len(order)))
            else:
                by = keys
                docs = sorted(docs, key=lambda ds: (by[ds[0]], -ds[0]), reverse=True)
        hits = [self._hit(d, sc, texts, terms_of) for d, sc in docs[offset:offset + limit]]
        return SearchResult(hits, total, query, fallback, corrected, suggestion, offset)

    def _allowed(self, kinds: Sequence[str] | None, scopes: Scopes,
                 colours: Callable[[str], list[str]] | None) -> set[int] | None:
        """Documents the kinds and scopes allow (None: all)."""
        if not kinds and not scopes:
            return None
        s, fast = self.s, self.fast
        out: set[int] | None = None

        def docs_with(fname: str, texts: list[str]) -> set[int]:
            got: set[int] = set()
            for t in texts:
                if fast is not None:
                    got.update(fast.postings(fname, t))
                else:
                    from whoosh.query import Term
                    got.update(s.docs_for_query(Term(fname, t)))
            return got

        def narrow(docs: set[int]) -> None:
            nonlocal out
            out = docs if out is None else out & docs
        if kinds:
            narrow(docs_with("kind", list(kinds)))
        if scopes.kinds and scopes.kinds != {"article", "note", "highlight"}:
            got = docs_with("kind", ["article"]) if "article" in scopes.kinds else set()
            if scopes.kinds & {"note", "highlight"}:
                anns = docs_with("kind", ["annotation"])
                noted = {d for d in anns if self._has_note(fast, d)}
                if "note" in scopes.kinds:
                    got |= noted
                if "highlight" in scopes.kinds:
                    got |= anns - noted
            narrow(got)
        for c in scopes.colours:
            names = colours(c) if colours else [c]
            narrow(docs_with("color", names))
        for t in scopes.tags:
            narrow(docs_with("tags", [t]))
        return out

    def _has_note(self, fast: FastSearcher | None, d: int) -> bool:
        if fast is not None:
            return fast.field_lengths("notes")[d] > 0
        return self.s.doc_field_length(d, "notes", 0) > 0

    def _query(self, q: Any, want: int, allowed: set[int] | None, text: str,
               use_fast: bool = True) -> Found:
        """Through index.fast when it can, else Whoosh's searcher (use_fast=False: Whoosh's
        searcher only)."""
        from index.fast import Unsupported
        fast = self.fast if use_fast else None
        if fast is not None:
            try:
                top, total, leaves = fast.search(q, want, allowed)
                return top, total, _terms_of(leaves), False
            except Unsupported:
                pass
            except Exception:  # a bug in the fast path must not cost the user a search
                pass
        found = self.whoosh_search(q, want, allowed, text)
        return found if found is not None else ([], 0, _no_terms, True)

    def _explicit(self, text: str, want: int, allowed: set[int] | None) -> Found | None:
        """Syntax without AND/OR/NOT: the quoted, field and wildcard pieces are required and
        the bare words rank the documents that have them, as plain text does (documents with
        none of the bare words follow). With operators: Whoosh's meaning, words ANDed."""
        from index.query_text import split_explicit, words
        required, bare = split_explicit(text)
        ws = words(bare)
        if required and any(not w.stop for w in ws):
            q, fallback = self.parse(required)
            if q is None or fallback:
                q, fallback = self.parse(text)
                return None if q is None else self._query(q, want, allowed, text)
            req = self._query(q, 10**9, allowed, required)
            if self.fast is not None and req[1]:
                sub = {d for d, _ in req[0]}
                top, _n, terms, _fb = self._plain(ws, want, sub)
                seen = {d for d, _ in top}
                top = top + [ds for ds in req[0] if ds[0] not in seen][:max(0, want - len(top))]
                req_terms = req[2]

                def terms_of(d: int, f: str | None) -> set[str]:
                    return terms(d, f) | req_terms(d, f)
                return top, req[1], terms_of, False
            if not req[1]:  # quotes used as emphasis in a sentence: search its words
                top, total, terms, _fb = self._plain(words(text.replace('"', " ")), want,
                                                     allowed)
                return top, total, terms, True
            return req[0][:want], req[1], req[2], req[3]
        q, fallback = self.parse(text)
        if q is None:
            return None
        found = self._query(q, want, allowed, text)
        return found[0], found[1], found[2], fallback or found[3]

    def _plain(self, ws: list[Word], want: int, allowed: set[int] | None) -> Found:
        """Plain words: index.plain ranking; only stop words: their phrase in any field."""
        from whoosh import query as Q

        from index import plain
        if not ws:
            return [], 0, _no_terms, False
        s, fast = self.s, self.fast
        if all(w.stop for w in ws):
            schema = s.schema
            phr = []
            for f in ("title", "body", "notes", "entity", "author", "site"):
                terms = [schema[f].analyzer.term(w.raw) for w in ws]
                if all(terms):
                    phr.append(Q.Phrase(f, terms) if len(terms) > 1 else Q.Term(f, terms[0]))
            return self._query(Q.Or(phr), want, allowed, " ".join(w.raw for w in ws))
        if fast is not None:
            try:
                anns = frozenset(fast.postings("kind", "annotation"))
                top, total, leaves = plain.search(fast, ws, want, 0, allowed, anns)
                return top, total, _terms_of(leaves), False
            except Exception:  # the Whoosh path below answers the same words
                pass
        qterms = []
        for cw in plain.content_words_schema(s.schema, ws):
            qterms += [Q.Term(f, t) for f, t in cw.items()]
        return self._query(Q.Or(qterms), want, allowed, "", use_fast=False)

    def _texts_of(self, docs: Ranked, texts: Texts | None) -> list[str]:
        out = []
        for d, _ in docs:
            stored = self.s.stored_fields(d)
            out.append(stored.get("title", ""))
            if texts is not None:
                kind = stored["kind"]
                # an annotation's document always stores its (non-zero) annotation id
                item = stored["annotation_id"] if kind == "annotation" else stored["article_id"]
                out.extend((texts(kind, item) or {}).values())
        return out

    def _correct(self, fast: FastSearcher, ws: list[Word]) -> dict[str, str]:
        """Corrections, or none when the index's layout does not allow them (a correction
        is a nicety: it must never cost the search)."""
        try:
            return self._corrections(fast, ws)
        except Exception:  # index.fast.Unsupported for an unusual segment, and the like
            return {}

    def _corrections(self, fast: FastSearcher, ws: list[Word]) -> dict[str, str]:
        from index.correct import correct
        schema = self.s.schema
        text_ana, name_ana = schema["body"].analyzer, schema["author"].analyzer

        def known(w: Word) -> bool:
            t, n = text_ana.term(w.raw), name_ana.term(w.raw)
            return any(fast.postings(f, t) for f in ("title", "body", "notes")) or \
                any(fast.postings(f, n) for f in ("author", "site", "entity")) or \
                bool(fast.postings("tags", w.raw))
        return correct(fast, ws, known)

    def whoosh_search(self, q: Any, limit: int, allowed: set[int] | None,
                      query: str) -> Found | None:
        """Whoosh's own searcher: for what index.fast does not do."""
        s = self.s
        fell_back = False
        kw: dict[str, Any] = dict(limit=max(limit, 1), terms=True)
        if allowed is not None:
            kw["filter"] = set(allowed)
        try:
            results = s.search(q, **kw)
        except Exception:
            q, _ = self.parse(" ".join(_WORD.findall(query)))
            if q is None:
                return None
            results = s.search(q, **kw)
            fell_back = True
        matched: dict[int, list[tuple[str, Any]]] = {}
        docs: Ranked = []
        for hit in results:
            docs.append((hit.docnum, hit.score))
            matched[hit.docnum] = list(hit.matched_terms())

        def terms_of(docnum: int, fname: str | None) -> set[str]:
            return {_term_text(t) for f, t in matched.get(docnum, ())
                    if fname is None or f == fname}
        return docs, len(results), terms_of, fell_back

    # -- hits --------------------------------------------------------------------------------
    def _hit(self, docnum: int, score: float, texts: Texts | None,
             terms_of: TermsOf) -> SearchHit:
        from index.snippets import snippet as make_snippet
        stored = self.s.stored_fields(docnum)
        kind = stored["kind"]
        aid = stored["article_id"]
        nid = stored.get("annotation_id") or None
        snippet, label = "", "Article"
        if texts is not None:
            # an annotation's document always stores its (non-zero) annotation id
            fields = texts(kind, stored["annotation_id"] if kind == "annotation" else aid) or {}
            if kind == "annotation":
                label = "Note" if (fields.get("notes") or "").strip() else "Highlight"
            for fname in ("notes", "body"):
                t = fields.get(fname, "")
                if t:
                    # A match only in title or an entity field (title:defence, person:blair)
                    # still marks those words where the text has them.
                    snippet = make_snippet(t, terms_of(docnum, fname) or terms_of(docnum, None))
                    if snippet:
                        break
            if not snippet:
                first = fields.get("notes") or fields.get("body") or ""
                snippet = html.escape(_WS.sub(" ", first[:200])) + ("…" if len(first) > 200 else "")
        elif kind == "annotation":
            label = "Note" if self._has_note(None, docnum) else "Highlight"
        pub = stored.get("published")
        return SearchHit(kind=kind, article_id=aid, annotation_id=nid, score=float(score or 0.0),
                         title=stored.get("title", ""), snippet_html=snippet,
                         site=stored.get("site", ""),
                         published=pub.date().isoformat() if pub else "",
                         matched_terms=sorted(terms_of(docnum, None)), label=label)

def _terms_of(leaves):
    """terms_of(docnum, field or None) → the snippet terms a document matched. Terms from
    name fields (entities, author, site; unstemmed) are given as the text analyzer's terms so
    the snippet marks the mention."""
    from index.schema import text_analyzer
    ana = text_analyzer()

    def as_text(f: str, t) -> str:
        t = _term_text(t)
        if f in NAME_FIELDS:
            return " ".join(x for x in (ana.term(p) for p in t.split()) if x)
        return t

    from index.query_text import STOP_WORDS
    stops = {ana.term(w) for w in STOP_WORDS}

    def terms_of(docnum: int, fname: str | None) -> set[str]:
        out = set()
        for f, t, docs in leaves:
            if (fname is None or f == fname or (fname == "body" and f in NAME_FIELDS)) \
                    and docnum in docs:
                out.update(as_text(f, t).split())
        # stop words are marked only inside a phrase (snippets join them to their
        # neighbours), or when the query has nothing else
        return (out - stops) or out
    return terms_of


def _term_text(t) -> str:
    return t.decode("utf-8", "replace") if isinstance(t, bytes) else str(t)


def _is_malformed(q, text: str) -> bool:
    """Whoosh's parser is lenient: it turns stray syntax into ErrorQuery nodes or silently
    drops it. Treat an error node, or a query that kept none of the user's words, as malformed."""
    from whoosh.query import NullQuery
    stack = [q]
    while stack:
        node = stack.pop()
        if type(node).__name__ == "ErrorQuery" or getattr(node, "error", None):
            return True
        stack.extend(node.children() if hasattr(node, "children") else [])
    return q is NullQuery and bool(_WORD.search(text))
