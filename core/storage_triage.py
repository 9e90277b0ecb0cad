"""Rows for triage: reading states, the trash, reading progress, article tags and the library
list's queries. A part the triage service owns, over the `Store` it is given (its connection,
write transaction and index outbox); kept apart so storage.py stays readable. All SQL for these
features lives here.

The list is answered in two steps so it stays fast at any size: `list_ids` returns the ordered
ids of a view (index-backed, no per-row work), and `summaries_for` fills only the rows shown.
"""
from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from core.db import now_iso
from core.errors import CommonplaceError, NotFound
from core.image_store import prune
from core.models import ArticleSummary

if TYPE_CHECKING:
    from core.storage import Store

VIEWS = ("inbox", "archive", "all", "trash", "notes")
SORTS = ("added", "published", "title", "progress")
_TAG_SEP = "\x1f"

SUMMARY_COLS = """a.id, a.title, a.site, a.author, a.url, a.published, a.added, a.updated,
 a.words, (SELECT count(*) FROM annotations n WHERE n.article_id = a.id),
 a.state, a.trashed_at, a.read_at, a.progress,
 (SELECT group_concat(t.name, char(31)) FROM article_tags at JOIN tags t ON t.id = at.tag_id
  WHERE at.article_id = a.id)"""


def summary_from_row(r: Sequence) -> ArticleSummary:
    return ArticleSummary(id=r[0], title=r[1], site=r[2], author=r[3], url=r[4], published=r[5],
                          added=r[6], updated=r[7], words=r[8], notes_count=r[9], state=r[10],
                          trashed_at=r[11], read_at=r[12], progress=r[13],
                          tags=sorted(r[14].split(_TAG_SEP), key=str.casefold) if r[14] else [])


@dataclass(frozen=True, slots=True)
class ListQuery:
    """Which articles the library list shows, and in what order."""

    view: str = "all"                  # one of VIEWS
    tags: tuple[str, ...] = ()         # every one of these article tags
    site: str = ""                     # this site (or, for local files, this author)
    order: str = "added"               # one of SORTS
    words: str = ""                    # words in the title, site or author (any case)
    feed: int = 0                      # only articles this feed brought (its feed_items)

    def check(self) -> None:
        if self.view not in VIEWS:
            raise CommonplaceError(f"unknown view {self.view!r}; choose one of {', '.join(VIEWS)}")
        if self.order not in SORTS:
            raise CommonplaceError(f"unknown sort {self.order!r}; choose one of "
                                   f"{', '.join(SORTS)}")


@dataclass(frozen=True, slots=True)
class ArticleState:
    """What a triage action changes on one article; enough to put it back."""

    id: int
    state: str
    trashed_at: str | None
    read_at: str | None


# must match the expression of the index articles_live_published (migration 1002)
PUBLISHED_OR_ADDED = "coalesce(nullif(a.published, ''), substr(a.added, 1, 10))"
_VIEW_SQL = {
    "inbox": "a.trashed_at IS NULL AND a.state = 'inbox'",
    "archive": "a.trashed_at IS NULL AND a.state = 'archive'",
    "all": "a.trashed_at IS NULL",
    "trash": "a.trashed_at IS NOT NULL",
    "notes": "a.trashed_at IS NULL AND a.id IN (SELECT article_id FROM annotations)",
}
# Live views (outside the trash) are read from the partial index for their sort, which holds
# `state` too, so no article row (whose later columns sit past the text) is read. The ORDER BY
# follows the index's columns exactly, so SQLite needs no sorting step.
_ORDER_SQL = {
    "added": ("articles_live_added", "a.added DESC, a.state DESC, a.id DESC"),
    "published": ("articles_live_published", f"{PUBLISHED_OR_ADDED} DESC, a.state DESC,"
                                             " a.id DESC"),
    "title": ("articles_live_title", "a.title COLLATE NOCASE, a.state, a.id"),
    "progress": ("articles_live_progress", "a.progress DESC, a.added DESC, a.state DESC,"
                                           " a.id DESC"),
}


class TriageRows:
    """Triage SQL over one store (composition: the store stays the one owner of the file)."""

    def __init__(self, store: Store) -> None:
        self._s = store

    @property
    def con(self) -> sqlite3.Connection:
        return self._s.con

    # -- the list ----------------------------------------------------------------------------
    def list_ids(self, q: ListQuery) -> list[int]:
        q.check()
        where: list[str] = [_VIEW_SQL[q.view]]
        args: list[str | int] = []
        for tag in q.tags:
            where.append("a.id IN (SELECT at.article_id FROM article_tags at JOIN tags t"
                         " ON t.id = at.tag_id WHERE t.name = ?)")
            args.append(tag)
        if q.site:
            where.append("a.id IN (SELECT id FROM articles WHERE site <> '' AND site = ?"
                         " COLLATE NOCASE UNION ALL SELECT id FROM articles WHERE site = ''"
                         " AND author = ? COLLATE NOCASE)")
            args += [q.site, q.site]
        if q.feed:
            where.append("a.id IN (SELECT article_id FROM feed_items WHERE feed_id = ?)")
            args.append(q.feed)
        for w in q.words.split():  # every word in the title, site or author
            where.append("instr(lower(a.title || ' ' || a.site || ' ' || a.author), lower(?)) > 0")
            args.append(w)
        index, order = _ORDER_SQL[q.order]
        hint = f" INDEXED BY {index}"
        if q.view == "trash":  # few rows: read them
            hint = ""
            if q.order == "added":
                order = "a.trashed_at DESC, a.id DESC"
        sql = (f"SELECT a.id FROM articles a{hint} WHERE {' AND '.join(where)}"
               f" ORDER BY {order}")
        return [r[0] for r in self.con.execute(sql, args)]

    def summaries_for(self, ids: Sequence[int]) -> list[ArticleSummary]:
        """Rows for these ids, in the same order (missing ids are skipped)."""
        found: dict[int, ArticleSummary] = {}
        for b in range(0, len(ids), 500):
            chunk = list(ids[b:b + 500])
            marks = ",".join("?" * len(chunk))
            for r in self.con.execute(f"SELECT {SUMMARY_COLS} FROM articles a"
                                      f" WHERE a.id IN ({marks})", chunk):
                found[r[0]] = summary_from_row(r)
        return [found[i] for i in ids if i in found]

    def view_counts(self) -> dict[str, int]:
        """Articles per view, from the partial indexes (no article row is read)."""
        by_state = dict(self.con.execute(
            "SELECT state, count(*) FROM articles INDEXED BY articles_live_added"
            " WHERE trashed_at IS NULL GROUP BY state").fetchall())
        trash = self.con.execute("SELECT count(*) FROM articles INDEXED BY articles_trash"
                                 " WHERE trashed_at IS NOT NULL").fetchone()[0]
        notes = self.con.execute(
            "SELECT count(DISTINCT article_id) FROM annotations WHERE article_id NOT IN"
            " (SELECT id FROM articles WHERE trashed_at IS NOT NULL)").fetchone()[0]
        inbox, archive = by_state.get("inbox", 0), by_state.get("archive", 0)
        return {"inbox": inbox, "archive": archive, "all": inbox + archive, "trash": trash,
                "notes": notes}

    def sites(self) -> list[tuple[str, int]]:
        """Sites (or, for local files, authors) of articles outside the trash, most used first."""
        return [(r[0], r[1]) for r in self.con.execute(
            "SELECT CASE WHEN site <> '' THEN site ELSE author END AS s, count(*) FROM articles"
            " WHERE id NOT IN (SELECT id FROM articles WHERE trashed_at IS NOT NULL)"
            " AND s <> '' GROUP BY s COLLATE NOCASE"
            " ORDER BY count(*) DESC, s COLLATE NOCASE")]

    # -- states ------------------------------------------------------------------------------
    def article_states(self, ids: Iterable[int]) -> list[ArticleState]:
        """Current states, in the order given; NotFound for an id that does not exist."""
        out = []
        for i in dict.fromkeys(ids):
            r = self.con.execute("SELECT id, state, trashed_at, read_at FROM articles"
                                 " WHERE id=?", (i,)).fetchone()
            if r is None:
                raise NotFound(f"no article with id {i}")
            out.append(ArticleState(*r))
        return out

    def set_article_states(self, states: Sequence[ArticleState]) -> None:
        """Write these states in one transaction. An article entering or leaving the trash is
        queued for the index (with its annotations): the index holds only live articles."""
        with self._s.write() as con:
            for s in states:
                old = con.execute("SELECT trashed_at FROM articles WHERE id=?",
                                  (s.id,)).fetchone()
                if old is None:
                    raise NotFound(f"no article with id {s.id}")
                con.execute("UPDATE articles SET state=?, trashed_at=?, read_at=? WHERE id=?",
                            (s.state, s.trashed_at, s.read_at, s.id))
                if (old[0] is None) != (s.trashed_at is None):
                    self._enqueue_whole(con, s.id)

    def _enqueue_whole(self, con: sqlite3.Connection, article_id: int) -> None:
        self._s.enqueue(con, "article", article_id)
        for (nid,) in con.execute("SELECT id FROM annotations WHERE article_id=?",
                                  (article_id,)).fetchall():
            self._s.enqueue(con, "annotation", nid)

    def set_reading(self, article_id: int, position: int, progress: int) -> None:
        with self._s.write() as con:
            cur = con.execute("UPDATE articles SET read_pos=?, progress=? WHERE id=?",
                              (max(0, position), min(100, max(0, progress)), article_id))
            if cur.rowcount == 0:
                raise NotFound(f"no article with id {article_id}")

    def reading_position(self, article_id: int) -> int:
        r = self.con.execute("SELECT read_pos FROM articles WHERE id=?", (article_id,)).fetchone()
        if r is None:
            raise NotFound(f"no article with id {article_id}")
        return r[0]

    def trashed_ids(self, before: str | None = None) -> list[int]:
        if before is None:
            return [r[0] for r in self.con.execute(
                "SELECT id FROM articles WHERE trashed_at IS NOT NULL ORDER BY id")]
        return [r[0] for r in self.con.execute(
            "SELECT id FROM articles WHERE trashed_at IS NOT NULL AND trashed_at < ?"
            " ORDER BY id", (before,))]

    def purge(self, ids: Sequence[int]) -> int:
        """Delete trashed articles for good (with their annotations), in one transaction.
        Articles not in the trash are left alone."""
        n = 0
        with self._s.write() as con:
            for i in ids:
                r = con.execute("SELECT trashed_at FROM articles WHERE id=?", (i,)).fetchone()
                if r is None or r[0] is None:
                    continue
                con.execute("DELETE FROM articles WHERE id=?", (i,))
                n += 1
            if n:
                prune(con)  # pictures no article uses any more
                con.execute("DELETE FROM tags WHERE id NOT IN (SELECT tag_id FROM article_tags)")
        return n

    # -- tags --------------------------------------------------------------------------------
    def tags_of(self, ids: Iterable[int]) -> dict[int, list[str]]:
        out = {}
        for i in dict.fromkeys(ids):
            self._s.summary(i)  # NotFound for a missing id
            out[i] = self._s.tags(i)
        return out

    def set_tags_many(self, tags: Mapping[int, Sequence[str]]) -> None:
        """Set several articles' tags in one transaction (tag edits and their undo)."""
        ts = now_iso()
        with self._s.write() as con:
            for aid, names in tags.items():
                self._s._require_article(con, aid)
                self._s._set_tags(con, aid, names)
                con.execute("UPDATE articles SET updated=? WHERE id=?", (ts, aid))
                self._s.enqueue(con, "article", aid)
            con.execute("DELETE FROM tags WHERE id NOT IN (SELECT tag_id FROM article_tags)")

    def articles_tagged(self, name: str) -> list[int]:
        return [r[0] for r in self.con.execute(
            "SELECT at.article_id FROM article_tags at JOIN tags t ON t.id = at.tag_id"
            " WHERE t.name = ? ORDER BY at.article_id", (name,))]

    def rename_tag_row(self, old: str, new: str) -> None:
        """Only the spelling of one tag's name changes (e.g. its case)."""
        with self._s.write() as con:
            con.execute("UPDATE tags SET name=? WHERE name=?", (new, old))
            for aid in self.articles_tagged(new):
                self._s.enqueue(con, "article", aid)

    def all_tags(self) -> list[tuple[str, int]]:
        """Every article tag in use, with how many articles (outside the trash) carry it."""
        return [(r[0], r[1]) for r in self.con.execute(
            "SELECT t.name, count(*) FROM tags t JOIN article_tags at ON at.tag_id = t.id"
            " WHERE at.article_id NOT IN (SELECT id FROM articles WHERE trashed_at IS NOT NULL)"
            " GROUP BY t.id ORDER BY t.name COLLATE NOCASE")]
