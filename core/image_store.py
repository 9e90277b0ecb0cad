"""Article images in the library database: content-addressed rows, one copy per picture.

Images live in the library's SQLite file (table `images`, keyed by "<sha256>.<ext>") rather
than as loose files: they are written in the same transaction as their article (an import
lands whole or not at all), every backup and restore carries them, and a picture shared by
several articles is stored once (`article_images` records who uses what; a picture no
article uses any more is deleted with the last one).
"""
from __future__ import annotations

import sqlite3
from collections.abc import Iterable

SETTING_KEY = "store_images"  # "0": imports keep captions but store no pictures


def save_images(con: sqlite3.Connection, article_id: int, images: Iterable) -> None:
    """Store `images` (StoredImage) for an article, replacing the article's previous set."""
    con.execute("DELETE FROM article_images WHERE article_id=?", (article_id,))
    for img in images:
        con.execute("INSERT OR IGNORE INTO images (name, mime, width, height, data)"
                    " VALUES (?,?,?,?,?)", (img.name, img.mime, img.width, img.height,
                                            sqlite3.Binary(img.data)))
        con.execute("INSERT OR IGNORE INTO article_images (article_id, name) VALUES (?,?)",
                    (article_id, img.name))
    prune(con)


def prune(con: sqlite3.Connection) -> None:
    """Delete pictures no article refers to (after a delete or a new version)."""
    con.execute("DELETE FROM images WHERE name NOT IN (SELECT name FROM article_images)")


def load_image(con: sqlite3.Connection, name: str) -> tuple[str, bytes] | None:
    """(mime, bytes) of a stored picture, or None."""
    row = con.execute("SELECT mime, data FROM images WHERE name=?", (name,)).fetchone()
    return (row[0], bytes(row[1])) if row else None
