"""A cost limit for search: wildcard, prefix, fuzzy, regex and range terms expand to every
matching word in the index, and each expanded word's postings are read. `*a*` over a few
thousand articles expands to most of the vocabulary (seconds of CPU, with the window's later
searches queued behind it). We count the expansion first, stopping at the budget, and refuse
with a message the user can act on instead of running it.
"""
from __future__ import annotations

from itertools import islice

MAX_EXPANDED_TERMS = 1000  # all multi-term parts of one query together
NARROW = "query too broad: its wildcards match over {limit:,} words; narrow your query"


def too_costly(q, reader, limit: int = MAX_EXPANDED_TERMS) -> str:
    """"" if the query's expansions fit in `limit` words, else a one-line reason."""
    from whoosh.query import Every, MultiTerm
    left = limit
    for leaf in _leaves(q):
        try:
            if isinstance(leaf, MultiTerm):
                words = leaf._btexts(reader)  # lazily: stops reading at the budget
            elif isinstance(leaf, Every) and leaf.fieldname:  # "field:*" reads every word's
                words = reader.lexicon(leaf.fieldname)     # postings in that field
            else:
                continue
            left -= sum(1 for _ in islice(words, left + 1))
        except Exception:  # noqa: BLE001 - a term Whoosh cannot expand costs nothing here
            continue
        if left < 0:
            return NARROW.format(limit=limit)
    return ""


def _leaves(q):
    try:
        return list(q.leaves()) if not q.is_leaf() else [q]
    except Exception:  # noqa: BLE001
        return []
