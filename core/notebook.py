"""The notebook: every highlight and note across the library in one query, filtered by colour
or its meaning, annotation tag, article tag, date range and words; newest first or by article.

One SQL statement over annotations ⋈ articles (annotations_created serves "newest first"), so
10,000 annotations come back in a few milliseconds; anchors are not resolved here (the reader
does that when an entry is opened). Annotations of trashed articles are left out.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date

from core import palette as pal
from core.errors import CommonplaceError

ORDERS = ("newest", "article")


@dataclass(frozen=True, slots=True)
class NotebookQuery:
    colors: tuple[str, ...] = ()       # palette names; an entry matches any of them
    meaning: str = ""                  # a colour's meaning ("evidence"), matched by words
    tags: tuple[str, ...] = ()         # annotation tags (all of them)
    article_tags: tuple[str, ...] = ()  # the article's tags (all of them)
    since: str = ""                    # YYYY-MM-DD, inclusive
    until: str = ""                    # YYYY-MM-DD, inclusive
    words: str = ""                    # every word appears in the quote or the note
    article_id: int | None = None
    order: str = "newest"              # one of ORDERS


@dataclass(frozen=True, slots=True)
class NotebookEntry:
    id: int
    article_id: int
    article_title: str
    quote: str | None      # None for an article-level note
    note: str
    color: str
    meaning: str
    tags: tuple[str, ...]
    created: str
    updated: str
    start: int | None      # stored anchor offset (the reader resolves it when opened)


def _day(value: str, what: str) -> str:
    try:
        return date.fromisoformat(value.strip()).isoformat()
    except ValueError as e:
        raise CommonplaceError(f"{what} must be a date like 2026-12-01, not {value!r}") from e


def _colours_for(q: NotebookQuery, store) -> list[str] | None:
    """Colour names the query asks for, or None for no colour filter."""
    names: set[str] | None = None
    if q.colors:
        try:
            names = {pal.normalise(c) for c in q.colors}
        except ValueError as e:
            raise CommonplaceError(str(e)) from e
    if q.meaning.strip():
        want = q.meaning.strip().casefold()
        meant = {c.name for c in pal.palette(store) if want in c.meaning.casefold()
                 or want == c.name}
        if not meant:
            raise CommonplaceError(f"no colour means {q.meaning!r}; meanings are: "
                                   + ", ".join(c.meaning for c in pal.palette(store)))
        names = meant if names is None else names & meant
    return sorted(names) if names is not None else None


def _where(store, q: NotebookQuery) -> tuple[str, list]:
    if q.order not in ORDERS:
        raise CommonplaceError(f"unknown order {q.order!r}; choose one of {', '.join(ORDERS)}")
    # trashed_at lies after the article text (overflow pages): test it through the trash index
    where = ["n.article_id NOT IN (SELECT id FROM articles WHERE trashed_at IS NOT NULL)"]
    args: list = []
    colours = _colours_for(q, store)
    if colours is not None:
        where.append(f"n.color IN ({','.join('?' * len(colours))})" if colours else "0")
        args += colours
    for t in q.tags:
        where.append("EXISTS (SELECT 1 FROM json_each(n.tags) j"
                     " WHERE j.value = ? COLLATE NOCASE)")
        args.append(t.strip())
    for t in q.article_tags:
        where.append("n.article_id IN (SELECT at.article_id FROM article_tags at JOIN tags tg"
                     " ON tg.id = at.tag_id WHERE tg.name = ?)")
        args.append(t.strip())
    if q.since:
        where.append("n.created >= ?")
        args.append(_day(q.since, "--since"))
    if q.until:
        where.append("n.created < date(?, '+1 day')")
        args.append(_day(q.until, "--until"))
    for w in q.words.split():
        where.append("(instr(lower(n.note), lower(?)) > 0"
                     " OR instr(lower(coalesce(n.exact, '')), lower(?)) > 0)")
        args += [w, w]
    if q.article_id is not None:
        where.append("n.article_id = ?")
        args.append(q.article_id)
    return " AND ".join(where), args


def count(store, q: NotebookQuery) -> int:
    where, args = _where(store, q)
    return store.con.execute(f"SELECT count(*) FROM annotations n WHERE {where}",
                             args).fetchone()[0]


def query(store, q: NotebookQuery, limit: int | None = None,
          offset: int = 0) -> list[NotebookEntry]:
    """The entries matching `q`, in its order (a page of them with limit/offset: newest first
    is read straight from an index, so the first page is cheap at any size).
    CommonplaceError for a bad filter value."""
    where, args = _where(store, q)
    order = ("n.created DESC, n.id DESC" if q.order == "newest" else
             "a.title COLLATE NOCASE, a.id, n.start IS NOT NULL, n.start, n.id")
    meanings = {c.name: c.meaning for c in pal.palette(store)}
    sql = ("SELECT n.id, n.article_id, a.title, n.exact, n.note, n.color, n.tags, n.created,"
           " n.updated, n.start FROM annotations n JOIN articles a ON a.id = n.article_id"
           f" WHERE {where} ORDER BY {order}")
    if limit is not None:
        sql += " LIMIT ? OFFSET ?"
        args = [*args, int(limit), max(0, int(offset))]
    return [NotebookEntry(id=r[0], article_id=r[1], article_title=r[2], quote=r[3], note=r[4],
                          color=r[5], meaning=meanings.get(r[5], ""),
                          tags=tuple(json.loads(r[6])), created=r[7], updated=r[8], start=r[9])
            for r in store.con.execute(sql, args)]


def annotation_tags(store) -> list[str]:
    """Every annotation tag in use outside the trash (for filter completion)."""
    return [r[0] for r in store.con.execute(
        "SELECT DISTINCT j.value FROM annotations n, json_each(n.tags) j WHERE n.article_id"
        " NOT IN (SELECT id FROM articles WHERE trashed_at IS NOT NULL)"
        " ORDER BY j.value COLLATE NOCASE")]
