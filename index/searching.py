"""Answering a query on SearchIndex (a mixin; index.search has the index's upkeep).

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


class Searching:
    """Needs `self._ix`, `self._lock` and `self._get_searchers()` (SearchIndex)."""

    def parse(self, query: str):
        """Whoosh syntax; anything malformed degrades to plain terms. Returns (query, fallback).
        Bare stop words and word-final punctuation are dropped first."""
        from whoosh.qparser import MultifieldParser, OrGroup
        from whoosh.qparser.dateparse import DateParserPlugin

        from index.query_text import tidy_explicit
        schema = self._ix.schema
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

    def search(self, query: str, limit: int = 20,
               texts: Callable[[str, int], dict[str, str]] | None = None,
               kinds: Sequence[str] | None = None, offset: int = 0, sort: str = "relevance",
               colours: Callable[[str], list[str]] | None = None) -> SearchResult:
        """Ranked hits offset..offset+limit with HTML snippets (matched terms in <mark>).
        `texts(kind, id)` supplies field texts for snippets (bodies are not stored);
        `colours(word)` maps a `color:` value (a colour or its meaning) to colour names.
        sort="date" orders every hit newest first."""
        if self._ix is None or not query.strip():
            return SearchResult([], 0, query)
        with self._lock:
            if self._ix is None:  # swapped out by a rebuild meanwhile
                return SearchResult([], 0, query)
            return self._search(query, max(0, limit), texts, kinds, max(0, offset), sort,
                                colours)

    # -- the query ---------------------------------------------------------------------------
    def _search(self, query, limit, texts, kinds, offset, sort, colours) -> SearchResult:
        from index.query_text import is_explicit, split_scopes, words
        s, fast = self._get_searchers()
        text, scopes = split_scopes(query)
        allowed = self._allowed(s, fast, kinds, scopes, colours)
        want = limit + offset if sort == "relevance" else 10**9
        fallback, corrected, suggestion = False, "", ""
        if text.strip() and not text.strip(" *?"):  # only wildcards: every word there is
            from index.cost import MAX_EXPANDED_TERMS, NARROW
            return SearchResult([], 0, query, notice=NARROW.format(limit=MAX_EXPANDED_TERMS))
        if not text and scopes:
            docs = sorted(allowed or ())
            found = ([(d, 1.0) for d in docs], len(docs), lambda d, f: set())
            sort = "date" if sort == "relevance" else sort
        elif is_explicit(text, set(s.schema.names())):
            from index.cost import too_costly
            parsed, _ = self.parse(text)
            why = too_costly(parsed, s.reader()) if parsed is not None else ""
            if why:  # wildcards expanding to most of the vocabulary: refuse, say why
                return SearchResult([], 0, query, notice=why)
            found = self._explicit(s, fast, text, want, allowed)
            if found is None:
                return SearchResult([], 0, query, True)
            fallback = found[3]
        else:
            ws = words(text)
            found = self._plain(s, fast, ws, want, allowed)
            if fast is not None and any(not w.stop for w in ws):
                fixes = self._correct(s, fast, ws)
                if fixes:
                    from index.correct import rewrite, surface
                    again = self._plain(s, fast, words(rewrite(text, fixes)), want, allowed)
                    if again[1]:
                        shown = surface(fixes, self._texts_of(s, again[0][:3], texts),
                                        s.schema["body"].analyzer.term)
                        found, corrected, suggestion = again, rewrite(text, shown), text
            if not found[1] and ws:  # nothing for the content words: any word at all
                from whoosh import query as Q
                ana = s.schema["body"].analyzer
                terms = {ana.term(w.raw) for w in ws} - {None}
                found = self._query(s, fast, Q.Or([Q.Term(f, t) for t in sorted(terms)
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
                got = s.search(self.all_documents_query(), limit=None, sortedby="published",
                               reverse=True, filter={d for d, _ in docs})
                order = {hit.docnum: i for i, hit in enumerate(got)}
                docs = sorted(docs, key=lambda ds: order.get(ds[0], len(order)))
            else:
                docs = sorted(docs, key=lambda ds: (keys[ds[0]], -ds[0]), reverse=True)
        hits = [self._hit(s, d, sc, texts, terms_of) for d, sc in docs[offset:offset + limit]]
        return SearchResult(hits, total, query, fallback, corrected, suggestion, offset)

    def _allowed(self, s, fast, kinds, scopes, colours) -> set[int] | None:
        """Documents the kinds and scopes allow (None: all)."""
        if not kinds and not scopes:
            return None
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
                noted = {d for d in anns if self._has_note(s, fast, d)}
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

    @staticmethod
    def _has_note(s, fast, d: int) -> bool:
        if fast is not None:
            return fast.field_lengths("notes")[d] > 0
        return s.doc_field_length(d, "notes", 0) > 0

    def _query(self, s, fast, q, want: int, allowed, text: str):
        from index.fast import Unsupported
        if fast is not None:
            try:
                top, total, leaves = fast.search(q, want, allowed)
                return top, total, _terms_of(leaves), False
            except Unsupported:
                pass
            except Exception:  # a bug in the fast path must not cost the user a search
                pass
        found = self._whoosh_search(s, q, want, allowed, text)
        return found if found is not None else ([], 0, lambda d, f: set(), True)

    def _explicit(self, s, fast, text: str, want: int, allowed):
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
                return None if q is None else self._query(s, fast, q, want, allowed, text)
            req = self._query(s, fast, q, 10**9, allowed, required)
            if fast is not None and req[1]:
                sub = {d for d, _ in req[0]}
                top, _n, terms = self._plain(s, fast, ws, want, sub)[:3]
                seen = {d for d, _ in top}
                top = top + [ds for ds in req[0] if ds[0] not in seen][:max(0, want - len(top))]

                def terms_of(d: int, f: str | None) -> set[str]:
                    return terms(d, f) | req[2](d, f)
                return top, req[1], terms_of, False
            if not req[1]:  # quotes used as emphasis in a sentence: search its words
                return self._plain(s, fast, words(text.replace('"', " ")), want, allowed)[:3] \
                    + (True,)
            return req[0][:want], req[1], req[2], req[3]
        q, fallback = self.parse(text)
        if q is None:
            return None
        found = self._query(s, fast, q, want, allowed, text)
        return found[0], found[1], found[2], fallback or found[3]

    def _plain(self, s, fast, ws, want: int, allowed):
        """Plain words: index.plain ranking; only stop words: their phrase in any field."""
        from whoosh import query as Q

        from index import plain
        if not ws:
            return [], 0, lambda d, f: set(), False
        if all(w.stop for w in ws):
            schema = s.schema
            phr = []
            for f in ("title", "body", "notes", "entity", "author", "site"):
                terms = [schema[f].analyzer.term(w.raw) for w in ws]
                if all(terms):
                    phr.append(Q.Phrase(f, terms) if len(terms) > 1 else Q.Term(f, terms[0]))
            return self._query(s, fast, Q.Or(phr), want, allowed, " ".join(w.raw for w in ws))
        if fast is not None:
            try:
                anns = frozenset(fast.postings("kind", "annotation"))
                top, total, leaves = plain.search(fast, ws, want, 0, allowed, anns)
                return top, total, _terms_of(leaves), False
            except Exception:  # the Whoosh path below answers the same words
                pass
        terms = []
        for cw in plain.content_words_schema(s.schema, ws):
            terms += [Q.Term(f, t) for f, t in cw.items()]
        return self._query(s, None, Q.Or(terms), want, allowed, "")

    @staticmethod
    def _texts_of(s, docs, texts) -> list[str]:
        out = []
        for d, _ in docs:
            stored = s.stored_fields(d)
            out.append(stored.get("title", ""))
            if texts is not None:
                kind = stored["kind"]
                item = stored.get("annotation_id") if kind == "annotation" else stored["article_id"]
                out.extend((texts(kind, item) or {}).values())
        return out

    def _correct(self, s, fast, ws) -> dict[str, str]:
        """Corrections, or none when the index's layout does not allow them (a correction
        is a nicety: it must never cost the search)."""
        try:
            return self._corrections(s, fast, ws)
        except Exception:  # index.fast.Unsupported for an unusual segment, and the like
            return {}

    def _corrections(self, s, fast, ws) -> dict[str, str]:
        from index.correct import correct
        schema = s.schema
        text_ana, name_ana = schema["body"].analyzer, schema["author"].analyzer

        def known(w) -> bool:
            t, n = text_ana.term(w.raw), name_ana.term(w.raw)
            return any(fast.postings(f, t) for f in ("title", "body", "notes")) or \
                any(fast.postings(f, n) for f in ("author", "site", "entity")) or \
                bool(fast.postings("tags", w.raw))
        return correct(fast, ws, known)

    def _whoosh_search(self, s, q, limit: int, allowed, query: str):
        """Whoosh's own searcher: for what index.fast does not do."""
        fell_back = False
        kw = dict(limit=max(limit, 1), terms=True)
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
        matched = {}
        docs = []
        for hit in results:
            docs.append((hit.docnum, hit.score))
            matched[hit.docnum] = list(hit.matched_terms())

        def terms_of(docnum: int, fname: str | None) -> set[str]:
            return {_term_text(t) for f, t in matched.get(docnum, ())
                    if fname is None or f == fname}
        return docs, len(results), terms_of, fell_back

    # -- hits --------------------------------------------------------------------------------
    def _hit(self, s, docnum: int, score: float, texts, terms_of) -> SearchHit:
        from index.snippets import snippet as make_snippet
        stored = s.stored_fields(docnum)
        kind = stored["kind"]
        aid = stored["article_id"]
        nid = stored.get("annotation_id") or None
        snippet, label = "", "Article"
        if texts is not None:
            fields = texts(kind, nid if kind == "annotation" else aid) or {}
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
            label = "Note" if self._has_note(s, None, docnum) else "Highlight"
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
