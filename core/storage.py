"""The rows of a library: articles, entities, corrections, annotations, the index outbox and
settings. One SQLite file per library (WAL, foreign keys, one writer at a time); the file-level
machinery — connections, migrations, backups, checks — is `core.db.Database`.
"""
from __future__ import annotations

import json
import sqlite3
from collections.abc import Sequence

from core.db import Database, now_iso, validate_library_file
from core.errors import NotFound
from core.image_store import load_image, prune, save_images
from core.models import Anchor, Annotation, Article, ArticleSummary, Document, EntitySpan, Span
from core.storage_triage import SUMMARY_COLS, summary_from_row

__all__ = ["Store", "now_iso", "validate_library_file"]


def _spans_json(spans: Sequence[Span]) -> str:
    return json.dumps([[s.start, s.end, s.kind, s.attrs] if s.attrs else [s.start, s.end, s.kind]
                       for s in spans], ensure_ascii=False, separators=(",", ":"))


def _spans_load(raw: str) -> list[Span]:
    return [Span(r[0], r[1], r[2], r[3] if len(r) > 3 else {}) for r in json.loads(raw)]


_SUMMARY_SQL = f"SELECT {SUMMARY_COLS} FROM articles a"


class Store(Database):
    """The front door to the SQLite file. Methods are small transactions; callers never see SQL."""

    # -- articles ----------------------------------------------------------------------------
    def find_duplicate(self, content_hash: str, url: str) -> int | None:
        row = self.con.execute("SELECT id FROM articles WHERE content_hash = ?",
                               (content_hash,)).fetchone()
        if row is None and url:
            row = self.con.execute("SELECT id FROM articles WHERE url = ? ORDER BY id LIMIT 1",
                                   (url,)).fetchone()
        return row[0] if row else None

    def insert_article(self, con: sqlite3.Connection, doc: Document, content_hash: str,
                       uuid: str, *, added: str = "", state: str = "",
                       index: bool = True, tag_ids: dict[str, int] | None = None) -> int:
        """A new article. `added` (another app's saved date) and `state` ("archive") are set
        in the same INSERT; `index=False` leaves queueing it to the caller (enqueue_many);
        `tag_ids` caches tag ids across a bulk import (see _set_tags)."""
        ts = now_iso()
        cur = con.execute(
            "INSERT INTO articles (uuid, title, author, site, url, published, added, updated,"
            " content_hash, language, source_path, text, blocks, links, words, state)"
            " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
            (uuid, doc.title, doc.author, doc.site, doc.url, doc.published, added or ts, ts,
             content_hash, doc.language, doc.source_path, doc.text, _spans_json(doc.blocks),
             _spans_json(doc.links), len(doc.text.split()), state or "inbox"))
        aid = cur.lastrowid
        assert aid is not None  # set by the INSERT above
        self._set_tags(con, aid, doc.tags, fresh=True, tag_ids=tag_ids)
        if doc.images:  # a new article has no pictures to replace or prune
            save_images(con, aid, doc.images.values())
        if index:
            self.enqueue(con, "article", aid)
        return aid

    def replace_article_text(self, con: sqlite3.Connection, article_id: int, doc: Document,
                             content_hash: str) -> None:
        """A changed version of an article (same URL, new text); annotations are re-anchored
        by the caller in the same transaction."""
        con.execute(
            "UPDATE articles SET title=?, author=?, site=?, published=?, updated=?, content_hash=?,"
            " language=?, text=?, blocks=?, links=?, words=? WHERE id=?",
            (doc.title, doc.author, doc.site, doc.published, now_iso(), content_hash,
             doc.language, doc.text, _spans_json(doc.blocks), _spans_json(doc.links),
             len(doc.text.split()), article_id))
        con.execute("DELETE FROM entities WHERE article_id=?", (article_id,))
        con.execute("DELETE FROM entity_runs WHERE article_id=?", (article_id,))
        save_images(con, article_id, doc.images.values())
        self.enqueue(con, "article", article_id)

    def _set_tags(self, con: sqlite3.Connection, article_id: int, tags: Sequence[str], *,
                  fresh: bool = False, tag_ids: dict[str, int] | None = None) -> None:
        """Replace an article's tags (`fresh`: a new article, which has none yet). A bulk
        import passes `tag_ids` (name → id, valid inside its transaction; the caller clears
        it when it rolls back) so a tag used by 5,000 rows is looked up once."""
        if not fresh:
            con.execute("DELETE FROM article_tags WHERE article_id=?", (article_id,))
        for t in dict.fromkeys(t.strip() for t in tags if t.strip()):
            tid = tag_ids.get(t) if tag_ids is not None else None
            if tid is None:
                con.execute("INSERT OR IGNORE INTO tags(name) VALUES (?)", (t,))
                tid = con.execute("SELECT id FROM tags WHERE name=?", (t,)).fetchone()[0]
                if tag_ids is not None:
                    tag_ids[t] = tid
            con.execute("INSERT OR IGNORE INTO article_tags VALUES (?,?)", (article_id, tid))

    def set_tags(self, article_id: int, tags: Sequence[str]) -> None:
        with self.write() as con:
            self._require_article(con, article_id)
            self._set_tags(con, article_id, tags)
            con.execute("UPDATE articles SET updated=? WHERE id=?", (now_iso(), article_id))
            self.enqueue(con, "article", article_id)

    def delete_article(self, article_id: int) -> None:
        with self.write() as con:
            self._require_article(con, article_id)
            ann = [r[0] for r in con.execute("SELECT id FROM annotations WHERE article_id=?",
                                             (article_id,))]
            con.execute("DELETE FROM articles WHERE id=?", (article_id,))
            prune(con)
            self.enqueue(con, "article", article_id)
            for a in ann:
                self.enqueue(con, "annotation", a)

    def is_trashed(self, article_id: int) -> bool:
        r = self.con.execute("SELECT trashed_at FROM articles WHERE id=?",
                             (article_id,)).fetchone()
        if r is None:
            raise NotFound(f"no article with id {article_id}")
        return r[0] is not None

    def _require_article(self, con: sqlite3.Connection, article_id: int) -> None:
        if con.execute("SELECT 1 FROM articles WHERE id=?", (article_id,)).fetchone() is None:
            raise NotFound(f"no article with id {article_id}")

    def article_ids(self, include_trashed: bool = False) -> list[int]:
        """Ids in order; trashed articles only when asked (they leave search and export)."""
        # trashed_at sits past the text (overflow pages): test it through the trash index
        where = "" if include_trashed else \
            " WHERE id NOT IN (SELECT id FROM articles WHERE trashed_at IS NOT NULL)"
        return [r[0] for r in self.con.execute(f"SELECT id FROM articles{where} ORDER BY id")]

    def imported_files(self) -> dict[str, tuple[int, str, str]]:
        """source_path → (article id, updated, title) for articles imported from files."""
        return {r[0]: (r[1], r[2], r[3]) for r in self.con.execute(
            "SELECT source_path, id, updated, title FROM articles WHERE source_path <> ''")}

    def count_articles(self) -> int:
        return self.con.execute("SELECT count(*) FROM articles").fetchone()[0]

    def summaries(self, order: str = "added") -> list[ArticleSummary]:
        """Every article outside the trash (small libraries, tests, the CLI's plain list)."""
        col = {"added": "a.added DESC, a.id DESC", "published": "a.published DESC, a.id DESC",
               "title": "a.title COLLATE NOCASE, a.id", "progress": "a.progress DESC, a.id DESC"
               }.get(order, "a.added DESC, a.id DESC")
        return [summary_from_row(r) for r in self.con.execute(
            _SUMMARY_SQL + " WHERE a.id NOT IN (SELECT id FROM articles WHERE trashed_at IS NOT"
            f" NULL) ORDER BY {col}")]

    def summary(self, article_id: int) -> ArticleSummary:
        r = self.con.execute(_SUMMARY_SQL + " WHERE a.id=?", (article_id,)).fetchone()
        if r is None:
            raise NotFound(f"no article with id {article_id}")
        return summary_from_row(r)

    def article(self, article_id: int) -> Article:
        r = self.con.execute(
            "SELECT id, uuid, title, author, site, url, published, added, updated, content_hash,"
            " language, text, blocks, links FROM articles WHERE id=?", (article_id,)).fetchone()
        if r is None:
            raise NotFound(f"no article with id {article_id}")
        return Article(id=r[0], uuid=r[1], title=r[2], author=r[3], site=r[4], url=r[5],
                       published=r[6], added=r[7], updated=r[8], content_hash=r[9],
                       language=r[10], tags=self.tags(article_id), text=r[11],
                       blocks=_spans_load(r[12]), links=_spans_load(r[13]))

    def image(self, name: str) -> tuple[str, bytes] | None:
        """(mime, bytes) of a stored article image, or None."""
        return load_image(self.con, name)

    def article_text(self, article_id: int) -> str:
        r = self.con.execute("SELECT text FROM articles WHERE id=?", (article_id,)).fetchone()
        if r is None:
            raise NotFound(f"no article with id {article_id}")
        return r[0]

    def tags(self, article_id: int) -> list[str]:
        return [r[0] for r in self.con.execute(
            "SELECT t.name FROM tags t JOIN article_tags at ON at.tag_id=t.id"
            " WHERE at.article_id=? ORDER BY t.name", (article_id,))]

    # -- entities ----------------------------------------------------------------------------
    def entities(self, article_id: int) -> list[EntitySpan]:
        return [EntitySpan(*r) for r in self.con.execute(
            "SELECT start, end, label, text, source FROM entities WHERE article_id=?"
            " ORDER BY start, end", (article_id,))]

    def entity_run(self, article_id: int) -> tuple[str, str, str] | None:
        r = self.con.execute("SELECT recogniser, version, text_hash FROM entity_runs"
                             " WHERE article_id=?", (article_id,)).fetchone()
        return (r[0], r[1], r[2]) if r else None

    def articles_needing_entities(self, recogniser: str, version: str) -> list[int]:
        return [r[0] for r in self.con.execute(
            "SELECT a.id FROM articles a LEFT JOIN entity_runs r ON r.article_id=a.id"
            " WHERE r.article_id IS NULL OR r.recogniser<>? OR r.version<>?"
            " OR r.text_hash<>a.content_hash ORDER BY a.id", (recogniser, version))]

    def replace_entities(self, article_id: int, spans: Sequence[EntitySpan], recogniser: str,
                         version: str, text_hash: str) -> bool:
        """Store a recogniser's output, unless the text changed meanwhile (then False)."""
        with self.write() as con:
            r = con.execute("SELECT content_hash FROM articles WHERE id=?",
                            (article_id,)).fetchone()
            if r is None or r[0] != text_hash:
                return False
            con.execute("DELETE FROM entities WHERE article_id=?", (article_id,))
            con.executemany(
                "INSERT INTO entities (article_id, start, end, label, text, source, key)"
                " VALUES (?,?,?,?,?,?,?)",
                [(article_id, s.start, s.end, s.label, s.text, s.source, s.text.casefold())
                 for s in spans])
            con.execute("INSERT OR REPLACE INTO entity_runs VALUES (?,?,?,?,?)",
                        (article_id, recogniser, version, text_hash, now_iso()))
            self.enqueue(con, "article", article_id)
            return True

    def corrections(self, article_id: int) -> list[tuple[str, int, int, str, str]]:
        return [tuple(r) for r in self.con.execute(
            "SELECT action, start, end, label, text FROM entity_corrections WHERE article_id=?"
            " ORDER BY id", (article_id,))]

    def add_correction(self, article_id: int, action: str, start: int, end: int, label: str,
                       text: str) -> None:
        with self.write() as con:
            self._require_article(con, article_id)
            con.execute("DELETE FROM entity_corrections WHERE article_id=? AND start=? AND end=?",
                        (article_id, start, end))
            con.execute("INSERT INTO entity_corrections (article_id, action, start, end, label,"
                        " text, created) VALUES (?,?,?,?,?,?,?)",
                        (article_id, action, start, end, label, text, now_iso()))
            self.enqueue(con, "article", article_id)

    # -- annotations -------------------------------------------------------------------------
    @staticmethod
    def _ann(r: tuple) -> Annotation:
        anchor = Anchor(r[3], r[4], r[5], r[6], r[7]) if r[5] is not None else None
        return Annotation(id=r[0], uuid=r[1], article_id=r[2], anchor=anchor, color=r[8],
                          note=r[9], tags=json.loads(r[10]), created=r[11], updated=r[12])

    _ANN_COLS = ("id, uuid, article_id, start, end, exact, prefix, suffix, color, note, tags,"
                 " created, updated")

    def annotations(self, article_id: int) -> list[Annotation]:
        return [self._ann(r) for r in self.con.execute(
            f"SELECT {self._ANN_COLS} FROM annotations WHERE article_id=?"
            " ORDER BY start IS NOT NULL, start, id", (article_id,))]

    def annotation(self, annotation_id: int) -> Annotation:
        r = self.con.execute(f"SELECT {self._ANN_COLS} FROM annotations WHERE id=?",
                             (annotation_id,)).fetchone()
        if r is None:
            raise NotFound(f"no annotation with id {annotation_id}")
        return self._ann(r)

    def article_uuids(self) -> dict[str, int]:
        return {r[0]: r[1] for r in self.con.execute("SELECT uuid, id FROM articles")}

    def annotated_article_ids(self) -> list[int]:
        return [r[0] for r in self.con.execute(
            "SELECT DISTINCT article_id FROM annotations WHERE article_id NOT IN"
            " (SELECT id FROM articles WHERE trashed_at IS NOT NULL) ORDER BY article_id")]

    def all_annotation_ids(self) -> list[int]:
        """Annotations of articles outside the trash."""
        return [r[0] for r in self.con.execute(
            "SELECT id FROM annotations WHERE article_id NOT IN"
            " (SELECT id FROM articles WHERE trashed_at IS NOT NULL) ORDER BY id")]

    def insert_annotation(self, article_id: int, anchor: Anchor | None, color: str, note: str,
                          tags: Sequence[str], uuid: str) -> int:
        ts = now_iso()
        with self.write() as con:
            self._require_article(con, article_id)
            a = anchor
            cur = con.execute(
                "INSERT INTO annotations (uuid, article_id, start, end, exact, prefix, suffix,"
                " color, note, tags, created, updated) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
                (uuid, article_id, a.start if a else None, a.end if a else None,
                 a.exact if a else None, a.prefix if a else "", a.suffix if a else "", color,
                 note, json.dumps(list(tags), ensure_ascii=False), ts, ts))
            assert cur.lastrowid is not None  # set by the INSERT above
            self.enqueue(con, "annotation", cur.lastrowid)
            return cur.lastrowid

    def update_annotation(self, annotation_id: int, *, note: str | None = None,
                          color: str | None = None, tags: Sequence[str] | None = None,
                          anchor: Anchor | None = None, con: sqlite3.Connection | None = None,
                          touch: bool = True) -> None:
        sets: list[str] = []
        args: list[object] = []
        if note is not None:
            sets.append("note=?")
            args.append(note)
        if color is not None:
            sets.append("color=?")
            args.append(color)
        if tags is not None:
            sets.append("tags=?")
            args.append(json.dumps(list(tags), ensure_ascii=False))
        if anchor is not None:
            sets.append("start=?, end=?, exact=?, prefix=?, suffix=?")
            args += [anchor.start, anchor.end, anchor.exact, anchor.prefix, anchor.suffix]
        if touch:
            sets.append("updated=?")
            args.append(now_iso())
        if not sets:
            return

        def run(c: sqlite3.Connection) -> None:
            cur = c.execute(f"UPDATE annotations SET {', '.join(sets)} WHERE id=?",
                            (*args, annotation_id))
            if cur.rowcount == 0:
                raise NotFound(f"no annotation with id {annotation_id}")
            self.enqueue(c, "annotation", annotation_id)

        if con is not None:
            run(con)
        else:
            with self.write() as c:
                run(c)

    def delete_annotation(self, annotation_id: int) -> Annotation:
        with self.write() as con:
            ann = self.annotation(annotation_id)
            con.execute("DELETE FROM annotations WHERE id=?", (annotation_id,))
            self.enqueue(con, "annotation", annotation_id)
            return ann

    def restore_annotation(self, ann: Annotation) -> int:
        """Undo of a delete: the same row back, id and uuid included."""
        with self.write() as con:
            a = ann.anchor
            con.execute(
                "INSERT INTO annotations (id, uuid, article_id, start, end, exact, prefix, suffix,"
                " color, note, tags, created, updated) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)",
                (ann.id, ann.uuid, ann.article_id, a.start if a else None, a.end if a else None,
                 a.exact if a else None, a.prefix if a else "", a.suffix if a else "",
                 ann.color, ann.note, json.dumps(ann.tags, ensure_ascii=False), ann.created,
                 now_iso()))
            self.enqueue(con, "annotation", ann.id)
            return ann.id

    # -- index outbox ------------------------------------------------------------------------
    @staticmethod
    def enqueue(con: sqlite3.Connection, kind: str, item_id: int) -> None:
        con.execute("UPDATE counters SET value = value + 1 WHERE name = 'index_queue'")
        con.execute("INSERT INTO index_queue (kind, id, seq) VALUES"
                    " (?, ?, (SELECT value FROM counters WHERE name = 'index_queue'))"
                    " ON CONFLICT (kind, id) DO UPDATE SET seq = excluded.seq", (kind, item_id))

    @staticmethod
    def enqueue_many(con: sqlite3.Connection, kind: str, ids: Sequence[int]) -> None:
        """Queue many items for the index under one sequence number (one transaction's)."""
        if not ids:
            return
        con.execute("UPDATE counters SET value = value + 1 WHERE name = 'index_queue'")
        seq = con.execute("SELECT value FROM counters WHERE name = 'index_queue'").fetchone()[0]
        con.executemany("INSERT INTO index_queue (kind, id, seq) VALUES (?, ?, ?)"
                        " ON CONFLICT (kind, id) DO UPDATE SET seq = excluded.seq",
                        [(kind, i, seq) for i in ids])

    def pending_index(self, limit: int = 100000) -> list[tuple[str, int]]:
        return [(r[0], r[1]) for r in self.con.execute(
            "SELECT kind, id FROM index_queue ORDER BY seq LIMIT ?", (limit,))]

    def pending_snapshot(self) -> list[tuple[str, int, int]]:
        """The outbox with each entry's sequence number, to clear exactly what was indexed."""
        return [(r[0], r[1], r[2]) for r in self.con.execute(
            "SELECT kind, id, seq FROM index_queue ORDER BY seq")]

    def clear_pending(self, items: Sequence[tuple[str, int, int]] | None,
                      con: sqlite3.Connection | None = None) -> None:
        """Drop outbox entries the index now has. Only an entry whose sequence number is
        unchanged goes: one changed since the snapshot stays for the next sync. `items=None`
        empties the outbox (only under the write lock, after a rebuild nothing could race)."""
        if self.readonly or items == []:
            return
        if con is None:
            with self.write() as c:
                self.clear_pending(items, c)
            return
        if items is None:
            con.execute("DELETE FROM index_queue")
        else:
            con.executemany("DELETE FROM index_queue WHERE kind=? AND id=? AND seq=?", items)

    # -- settings ----------------------------------------------------------------------------
    def get_setting(self, key: str, default: str = "") -> str:
        r = self.con.execute("SELECT value FROM settings WHERE key=?", (key,)).fetchone()
        return r[0] if r else default

    def set_setting(self, key: str, value: str) -> None:
        with self.write() as con:
            con.execute("INSERT OR REPLACE INTO settings VALUES (?,?)", (key, value))
