"""Schema migrations: an ordered list, each applied in one transaction.

`PRAGMA user_version` holds MAJOR * 1000 + MINOR. Minor versions only add things an older app can
ignore; a library whose major version is newer than ours is refused rather than risked.
"""
from __future__ import annotations

import sqlite3
from collections.abc import Callable

SCHEMA_MAJOR = 1


def _entity_keys(con: sqlite3.Connection) -> None:
    """Fill entities.key (the case-folded text) for rows stored before the column existed.
    SQLite's lower() folds ASCII only, so "Šefčovič" needs Python's casefold."""
    rows = con.execute("SELECT id, text FROM entities WHERE key = ''").fetchall()
    con.executemany("UPDATE entities SET key=? WHERE id=?", [(t.casefold(), i) for i, t in rows])


# (version, sql or a function of the connection). Append only; never edit a released step.
MIGRATIONS: list[tuple[int, str | Callable[[sqlite3.Connection], None]]] = [
    (1000, """
    CREATE TABLE articles (
        id            INTEGER PRIMARY KEY,
        uuid          TEXT NOT NULL UNIQUE,
        title         TEXT NOT NULL DEFAULT '',
        author        TEXT NOT NULL DEFAULT '',
        site          TEXT NOT NULL DEFAULT '',
        url           TEXT NOT NULL DEFAULT '',
        published     TEXT NOT NULL DEFAULT '',
        added         TEXT NOT NULL,
        updated       TEXT NOT NULL,
        content_hash  TEXT NOT NULL,
        language      TEXT NOT NULL DEFAULT '',
        source_path   TEXT NOT NULL DEFAULT '',
        text          TEXT NOT NULL,
        blocks        TEXT NOT NULL DEFAULT '[]',
        links         TEXT NOT NULL DEFAULT '[]',
        words         INTEGER NOT NULL DEFAULT 0
    );
    CREATE UNIQUE INDEX articles_hash ON articles(content_hash);
    CREATE INDEX articles_url ON articles(url) WHERE url <> '';
    CREATE INDEX articles_added ON articles(added);

    CREATE TABLE tags (
        id   INTEGER PRIMARY KEY,
        name TEXT NOT NULL UNIQUE COLLATE NOCASE
    );
    CREATE TABLE article_tags (
        article_id INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
        tag_id     INTEGER NOT NULL REFERENCES tags(id) ON DELETE CASCADE,
        PRIMARY KEY (article_id, tag_id)
    );

    -- Entities are derived: replaced wholesale when the text or the recogniser version changes.
    CREATE TABLE entities (
        id         INTEGER PRIMARY KEY,
        article_id INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
        start      INTEGER NOT NULL,
        end        INTEGER NOT NULL,
        label      TEXT NOT NULL,
        text       TEXT NOT NULL,
        source     TEXT NOT NULL
    );
    CREATE INDEX entities_article ON entities(article_id, start);
    CREATE TABLE entity_runs (
        article_id INTEGER PRIMARY KEY REFERENCES articles(id) ON DELETE CASCADE,
        recogniser TEXT NOT NULL,
        version    TEXT NOT NULL,
        text_hash  TEXT NOT NULL,
        ran        TEXT NOT NULL
    );
    -- The user's corrections are data, not derived: they outlive re-recognition.
    CREATE TABLE entity_corrections (
        id         INTEGER PRIMARY KEY,
        article_id INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
        action     TEXT NOT NULL CHECK (action IN ('remove', 'relabel', 'add')),
        start      INTEGER NOT NULL,
        end        INTEGER NOT NULL,
        label      TEXT NOT NULL DEFAULT '',
        text       TEXT NOT NULL,
        created    TEXT NOT NULL
    );
    CREATE INDEX corrections_article ON entity_corrections(article_id);

    CREATE TABLE annotations (
        id         INTEGER PRIMARY KEY,
        uuid       TEXT NOT NULL UNIQUE,
        article_id INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
        start      INTEGER,
        end        INTEGER,
        exact      TEXT,
        prefix     TEXT NOT NULL DEFAULT '',
        suffix     TEXT NOT NULL DEFAULT '',
        color      TEXT NOT NULL DEFAULT '',
        note       TEXT NOT NULL DEFAULT '',
        tags       TEXT NOT NULL DEFAULT '[]',
        created    TEXT NOT NULL,
        updated    TEXT NOT NULL,
        CHECK ((start IS NULL) = (exact IS NULL))
    );
    CREATE INDEX annotations_article ON annotations(article_id, start);

    -- Transactional outbox for the search index: written in the same transaction as the change,
    -- cleared only after the index has committed, so a crash between the two is repaired on open.
    CREATE TABLE index_queue (
        kind TEXT NOT NULL CHECK (kind IN ('article', 'annotation')),
        id   INTEGER NOT NULL,
        PRIMARY KEY (kind, id)
    );

    CREATE TABLE settings (
        key   TEXT PRIMARY KEY,
        value TEXT NOT NULL
    );
    """),
    # The outbox gets a sequence number per change, so an index writer clears only the entries
    # it actually indexed: a change made meanwhile (by this or another process) bumps the
    # number and survives the clear. This lets index writes run without the store's write lock.
    (1001, """
    ALTER TABLE index_queue ADD COLUMN seq INTEGER NOT NULL DEFAULT 0;
    CREATE TABLE counters (
        name  TEXT PRIMARY KEY,
        value INTEGER NOT NULL
    );
    INSERT INTO counters VALUES ('index_queue', 0);
    """),
    # Reading states (issue 12). `state` is inbox/archive; the trash is orthogonal (trashed_at),
    # so restoring puts an article back where it was. read_pos is the canonical offset of the
    # reading position, progress the % read. The new columns sit after the article text (in
    # overflow pages), so the list's views and sorts are answered from partial covering
    # indexes that carry `state`; (tag_id, article_id) serves the tag filter.
    (1002, """
    ALTER TABLE articles ADD COLUMN state TEXT NOT NULL DEFAULT 'inbox'
        CHECK (state IN ('inbox', 'archive'));
    ALTER TABLE articles ADD COLUMN trashed_at TEXT;
    ALTER TABLE articles ADD COLUMN read_at TEXT;
    ALTER TABLE articles ADD COLUMN read_pos INTEGER NOT NULL DEFAULT 0;
    ALTER TABLE articles ADD COLUMN progress INTEGER NOT NULL DEFAULT 0;
    CREATE INDEX articles_trash ON articles(trashed_at) WHERE trashed_at IS NOT NULL;
    CREATE INDEX articles_live_added ON articles(added, state) WHERE trashed_at IS NULL;
    CREATE INDEX articles_live_published ON articles(
        coalesce(nullif(published, ''), substr(added, 1, 10)), state) WHERE trashed_at IS NULL;
    CREATE INDEX articles_live_title ON articles(title COLLATE NOCASE, state)
        WHERE trashed_at IS NULL;
    CREATE INDEX articles_live_progress ON articles(progress, added, state)
        WHERE trashed_at IS NULL;
    CREATE INDEX articles_site ON articles(site COLLATE NOCASE) WHERE site <> '';
    CREATE INDEX articles_local_author ON articles(author COLLATE NOCASE) WHERE site = '';
    CREATE INDEX article_tags_tag ON article_tags(tag_id, article_id);
    CREATE INDEX annotations_created ON annotations(created);
    """),
    # Library-wide entity decisions (issue #13): a rule relabels or removes a name in every
    # article, now and on later imports; an alias makes one name stand for another in the
    # entity page and entity search ("Britain" -> "United Kingdom"; alias = canonical splits a
    # name off a built-in group). Both are user data, like entity_corrections.
    (1003, """
    CREATE TABLE entity_rules (
        id      INTEGER PRIMARY KEY,
        name    TEXT NOT NULL UNIQUE,
        action  TEXT NOT NULL CHECK (action IN ('remove', 'relabel')),
        label   TEXT NOT NULL DEFAULT '',
        created TEXT NOT NULL
    );
    CREATE TABLE entity_aliases (
        alias     TEXT PRIMARY KEY,
        canonical TEXT NOT NULL,
        created   TEXT NOT NULL
    );
    """),
    # Article images, content-addressed ("<sha256>.<ext>"), inside the library file so they
    # are written with their article and carried by every backup (see core/image_store.py).
    (1004, """
    CREATE TABLE images (
        name   TEXT PRIMARY KEY,
        mime   TEXT NOT NULL,
        width  INTEGER NOT NULL,
        height INTEGER NOT NULL,
        data   BLOB NOT NULL
    );
    CREATE TABLE article_images (
        article_id INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
        name       TEXT NOT NULL,
        PRIMARY KEY (article_id, name)
    );
    CREATE INDEX article_images_name ON article_images(name);
    """),
    # Where an article imported from another app's export came from, with the state the app
    # had for it (reading states are another migration's; this keeps the app's own values so
    # nothing is lost), and the background-fetch queue for link-only entries (Pocket,
    # Instapaper, bookmarks export URLs only). One row per article; re-imports find it by
    # (app, url) and change nothing.
    (1005, """
    CREATE TABLE import_origins (
        article_id  INTEGER PRIMARY KEY REFERENCES articles(id) ON DELETE CASCADE,
        app         TEXT NOT NULL,
        url         TEXT NOT NULL DEFAULT '',
        state       TEXT NOT NULL DEFAULT '',
        saved       TEXT NOT NULL DEFAULT '',
        folder      TEXT NOT NULL DEFAULT '',
        fetch       TEXT NOT NULL DEFAULT '' CHECK (fetch IN ('', 'pending', 'done', 'failed')),
        attempts    INTEGER NOT NULL DEFAULT 0,
        fetch_error TEXT NOT NULL DEFAULT ''
    );
    CREATE INDEX import_origins_fetch ON import_origins(fetch) WHERE fetch = 'pending';

    -- Feed subscriptions (RSS/Atom): validators for conditional requests, the last error, and
    -- every item seen (so a refresh never adds one twice, even after its article is deleted).
    CREATE TABLE feeds (
        id            INTEGER PRIMARY KEY,
        url           TEXT NOT NULL UNIQUE,
        title         TEXT NOT NULL DEFAULT '',
        added         TEXT NOT NULL,
        etag          TEXT NOT NULL DEFAULT '',
        last_modified TEXT NOT NULL DEFAULT '',
        last_checked  TEXT NOT NULL DEFAULT '',
        last_error    TEXT NOT NULL DEFAULT ''
    );
    CREATE TABLE feed_items (
        feed_id    INTEGER NOT NULL REFERENCES feeds(id) ON DELETE CASCADE,
        guid       TEXT NOT NULL,
        article_id INTEGER REFERENCES articles(id) ON DELETE SET NULL,
        seen       TEXT NOT NULL,
        PRIMARY KEY (feed_id, guid)
    );
    """),
    # Entity names looked up across the library (the search field's entity row, the entity
    # page) by case-folded text, through an index instead of a scan.
    (1009, """
    ALTER TABLE entities ADD COLUMN key TEXT NOT NULL DEFAULT '';
    CREATE INDEX entities_key ON entities(key);
    """),
    (1010, _entity_keys),
    # Every write transaction of this app bumps the counter, so a window watching the file
    # can tell its own commits (already shown) from another process's (to re-read).
    (1011, """
    CREATE TABLE commit_counter (id INTEGER PRIMARY KEY CHECK (id = 1), n INTEGER NOT NULL);
    INSERT INTO commit_counter VALUES (1, 0);
    """),
]

CURRENT_VERSION = MIGRATIONS[-1][0]
