"""Turning SQLite's low-level failures into one-line library errors, wherever they surface.

A damaged page is found by whichever query reads it first: a `list`, a search, a save. The
guarded connection and cursor classes catch SQLite's corruption codes on every execute and
fetch, tell the owning Database (which marks the library damaged and stops writing to it) and
raise `LibraryDamaged` with the way out (restore from backups/). I/O errors (a deleted `-wal`,
a file that vanished) become a one-line `LibraryError` instead of a traceback.
"""
from __future__ import annotations

import sqlite3
from collections.abc import Callable

from core.errors import LibraryDamaged, LibraryError

_CORRUPT, _NOTADB, _IOERR, _CANTOPEN = 11, 26, 10, 14


def is_damage(e: BaseException) -> bool:
    """SQLITE_CORRUPT / SQLITE_NOTADB (any extended code)."""
    code = getattr(e, "sqlite_errorcode", None)
    if code is not None:
        return code & 0xFF in (_CORRUPT, _NOTADB)
    msg = str(e)
    return "malformed" in msg or "not a database" in msg


def _translate(con: sqlite3.Connection, e: sqlite3.Error) -> BaseException:
    if is_damage(e):
        hook: Callable[[str], str] | None = getattr(con, "on_damage", None)
        reason = _one_line(str(e))
        return LibraryDamaged(hook(reason) if hook else f"the library database is damaged "
                              f"({reason})")
    code = getattr(e, "sqlite_errorcode", 0) or 0
    if code & 0xFF in (_IOERR, _CANTOPEN):
        return LibraryError(f"the library database could not be read or written "
                            f"({_one_line(str(e))}); nothing was changed")
    return e


class GuardedCursor(sqlite3.Cursor):
    def execute(self, *args):
        try:
            return super().execute(*args)
        except sqlite3.DatabaseError as e:
            raise _translate(self.connection, e) from e

    def executemany(self, *args):
        try:
            return super().executemany(*args)
        except sqlite3.DatabaseError as e:
            raise _translate(self.connection, e) from e

    def fetchone(self):
        try:
            return super().fetchone()
        except sqlite3.DatabaseError as e:
            raise _translate(self.connection, e) from e

    def fetchmany(self, *args):
        try:
            return super().fetchmany(*args)
        except sqlite3.DatabaseError as e:
            raise _translate(self.connection, e) from e

    def fetchall(self):
        try:
            return super().fetchall()
        except sqlite3.DatabaseError as e:
            raise _translate(self.connection, e) from e

    def __next__(self):
        try:
            return super().__next__()
        except sqlite3.DatabaseError as e:
            raise _translate(self.connection, e) from e


class GuardedConnection(sqlite3.Connection):
    """sqlite3.Connection whose execute() and cursors translate damage and I/O errors.
    `on_damage(reason) -> message` is set by the owning Database."""

    on_damage: Callable[[str], str] | None = None

    def cursor(self, factory=GuardedCursor):
        return super().cursor(factory)

    def execute(self, *args):
        return self.cursor().execute(*args)

    def executemany(self, *args):
        return self.cursor().executemany(*args)


def _one_line(s: str) -> str:
    return (s.splitlines() or [""])[0][:160]
