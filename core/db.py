"""The SQLite file itself: per-thread connections, the one-writer transaction, migrations,
backups and integrity checks. `core.storage.Store` adds the rows on top; all SQL stays in these
two modules.

Connections are per thread (sqlite3 objects must not cross threads); writes take an in-process
lock plus `BEGIN IMMEDIATE`, so two processes on one library queue up rather than corrupt it.
"""
from __future__ import annotations

import gzip
import os
import shutil
import sqlite3
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import quote

from core.dbguard import GuardedConnection
from core.errors import LibraryDamaged, LibraryError
from core.migrations import MIGRATIONS, SCHEMA_MAJOR

DAMAGE_SUFFIX = ".damaged"  # library.sqlite.damaged: the reason, written when damage is seen


def now_iso() -> str:
    return datetime.now(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


_write_guard: Callable[[], None] | None = None


def set_write_guard(guard: Callable[[], None] | None) -> None:
    """Install a check run before every write transaction (the GUI uses it in debug mode and
    in tests to make a write on its own thread raise). None removes it."""
    global _write_guard
    _write_guard = guard


class Database:
    """One library database file: connections, transactions, schema, backups, checks."""

    def __init__(self, path: Path, *, readonly: bool = False) -> None:
        self.path = Path(path)
        self.readonly = readonly
        self._local = threading.local()
        self._write_lock = threading.RLock()
        self._all: list[sqlite3.Connection] = []
        self.damage = ""  # SQLite's reason once the file was seen to be corrupt
        self._verified = readonly
        self._opened = False
        self._own_lock = threading.Lock()
        self._own_commits: set[int] = set()
        self._migrate()
        self._opened = True

    # -- connections -------------------------------------------------------------------------
    def _connect(self) -> sqlite3.Connection:
        con: GuardedConnection
        if self.readonly:
            con = self._connect_readonly()
        else:
            con = sqlite3.connect(self.path, timeout=10, isolation_level=None,
                                  check_same_thread=False, factory=GuardedConnection)
        con.on_damage = self._on_damage
        con.execute("PRAGMA foreign_keys = ON")
        con.execute("PRAGMA busy_timeout = 10000")
        if not self.readonly:
            con.execute("PRAGMA journal_mode = WAL")
            con.execute("PRAGMA synchronous = NORMAL")
        return con

    def _connect_readonly(self) -> GuardedConnection:
        """mode=ro; in a read-only folder a WAL library without its -shm file cannot be opened
        that way (SQLite must create the -shm), so fall back to immutable=1: nobody can be
        writing to a folder that nobody may write to."""
        if not self.path.exists():
            raise sqlite3.OperationalError(f"unable to open database file (no {self.path.name})")
        base = f"file:{quote(str(self.path))}?mode=ro"
        for uri in (base, base + "&immutable=1"):
            con = sqlite3.connect(uri, uri=True, timeout=10, isolation_level=None,
                                  check_same_thread=False, factory=GuardedConnection)
            try:
                sqlite3.Connection.execute(con, "SELECT count(*) FROM sqlite_master").fetchone()
                return con
            except sqlite3.OperationalError:
                con.close()
                if uri != base:
                    raise
        raise AssertionError("unreachable")

    @property
    def con(self) -> sqlite3.Connection:
        con = getattr(self._local, "con", None)
        if con is None:
            try:
                con = self._connect()
            except sqlite3.Error as e:
                raise LibraryError(f"cannot open library {self.path}: {_friendly(e)}") from e
            self._local.con = con
            self._all.append(con)
        return con

    def close(self) -> None:
        for con in self._all:
            try:
                con.close()
            except sqlite3.Error:
                pass
        self._all.clear()
        self._local = threading.local()

    # -- damage ------------------------------------------------------------------------------
    @property
    def damage_mark(self) -> Path:
        return self.path.with_name(self.path.name + DAMAGE_SUFFIX)

    def _on_damage(self, reason: str) -> str:
        """Called (from any query) when SQLite reports corruption: no more writes from this
        process, and a mark beside the file so the next open is read-only too."""
        if not self._opened and "not a database" in reason:
            return f"{self.path} is not a Commonplace library ({reason})"
        self.damage = self.damage or reason
        try:
            self.damage_mark.write_text(reason + "\n", encoding="utf-8")
        except OSError:
            pass  # a read-only folder: this process still refuses to write
        return self.damage_message()

    def damage_message(self) -> str:
        return damage_message(self.path, self.damage or "corrupt")

    def verify(self) -> bool:
        """SQLite's quick_check (reads every page once; ~0.5 s per 700 MB). Marks the library
        damaged and returns False if it fails. Run before the first write of a session."""
        try:
            rows = [r[0] for r in self.con.execute("PRAGMA quick_check")]
        except LibraryDamaged:
            return False
        self._verified = True
        if rows != ["ok"]:
            self._on_damage(_one_line(rows[0]) if rows else "quick_check failed")
            return False
        return True

    @contextmanager
    def write(self) -> Iterator[sqlite3.Connection]:
        """One write transaction: all of it lands or none of it does. Never into a file known
        (or, on the session's first write, found) to be damaged."""
        if self.damage:
            raise LibraryDamaged(self.damage_message())
        if self.readonly:
            raise LibraryError("the library is open read-only; changes cannot be saved")
        if _write_guard is not None:
            _write_guard()
        if not self._verified and not self.verify():
            raise LibraryDamaged(self.damage_message())
        with self._write_lock:
            con = self.con
            try:
                con.execute("BEGIN IMMEDIATE")
            except sqlite3.OperationalError as e:
                raise LibraryError(_friendly(e)) from e
            n = None
            changes = con.total_changes
            try:
                yield con
                if con.total_changes != changes:  # a transaction that changed nothing stays so
                    n = self._count_commit(con)
                con.execute("COMMIT")
            except BaseException as e:
                if n is not None:
                    self._own_commits.discard(n)
                try:
                    con.execute("ROLLBACK")
                except sqlite3.Error:
                    pass
                if isinstance(e, sqlite3.OperationalError):
                    raise LibraryError(_friendly(e)) from e
                raise

    def _count_commit(self, con: sqlite3.Connection) -> int | None:
        """Bump the library's commit counter inside the transaction and remember the number
        as ours (before COMMIT, so a watcher never sees it before we know it)."""
        row = con.execute("UPDATE commit_counter SET n = n + 1 WHERE id = 1 RETURNING n").fetchone()
        if row is None:
            return None
        n = int(row[0])
        with self._own_lock:
            self._own_commits.add(n)
            if len(self._own_commits) > 4096:  # only recent numbers are ever asked about
                self._own_commits = {x for x in self._own_commits if x > n - 2048}
        return n

    def only_own_commits(self, after: int, upto: int) -> bool:
        """True when every commit numbered after..upto was made by this Database (so a
        watcher that saw the file change has nothing new to show)."""
        if upto <= after:
            return False  # the file changed without the counter: a writer that doesn't count
        with self._own_lock:
            return all(n in self._own_commits for n in range(after + 1, upto + 1))

    # -- schema ------------------------------------------------------------------------------
    def _migrate(self) -> None:
        try:
            version = self.con.execute("PRAGMA user_version").fetchone()[0]
        except LibraryError as e:
            if isinstance(e, LibraryDamaged) and "not a database" in str(e.__cause__ or ""):
                raise LibraryError(f"{self.path} is not a Commonplace library "
                                   f"({e.__cause__})") from e
            if "not a database" not in str(e):
                raise  # read-only, locked, missing, damaged: say that, not "not a library"
            raise LibraryError(f"{self.path} is not a Commonplace library ({e})") from e
        except sqlite3.DatabaseError as e:
            raise LibraryError(f"{self.path} is not a Commonplace library ({e})") from e
        self._check_version(version)
        if not [v for v, _ in MIGRATIONS if v > version]:
            return
        if self.readonly:
            raise LibraryError("the library needs an upgrade but is read-only")
        with _migration_lock(self.path):  # a second process waits here, then finds no work
            version = self.con.execute("PRAGMA user_version").fetchone()[0]
            self._check_version(version)
            pending = [(v, sql) for v, sql in MIGRATIONS if v > version]
            if not pending:
                return
            if version > 0:
                if not self.verify():  # never migrate (or back up over) a damaged file
                    raise LibraryDamaged(self.damage_message())
                self.backup(self.path.with_name(f"{self.path.name}.before-v{pending[0][0]}.bak"))
            con = self.con
            con.execute("BEGIN IMMEDIATE")
            try:
                for v, sql in pending:
                    if callable(sql):
                        sql(con)
                    else:
                        for stmt in _split_sql(sql):
                            con.execute(stmt)
                    con.execute(f"PRAGMA user_version = {int(v)}")
                con.execute("COMMIT")
            except BaseException as e:
                try:
                    con.execute("ROLLBACK")
                except (sqlite3.Error, LibraryError):
                    pass
                if isinstance(e, sqlite3.Error):
                    raise LibraryError(f"the library could not be upgraded: {_friendly(e)}") from e
                raise

    def _check_version(self, version: int) -> None:
        if version // 1000 > SCHEMA_MAJOR:
            raise LibraryError(
                f"this library was written by a newer Commonplace (schema {version // 1000}.x); "
                f"this version understands {SCHEMA_MAJOR}.x — please upgrade Commonplace")

    @property
    def version(self) -> int:
        return self.con.execute("PRAGMA user_version").fetchone()[0]

    def backup(self, dest: Path, *, compress: bool = False) -> Path:
        """A consistent copy via SQLite's backup API (safe while others read or write): a
        standalone single file (journal mode DELETE), gzip-compressed if asked, written to a
        temporary name, synced and renamed, so `dest` is complete or absent."""
        dest = Path(dest)
        tmp = dest.with_name(f".{dest.name}.{os.getpid()}.tmp")
        ztmp = tmp.with_name(tmp.name + ".gz")
        try:
            tmp.unlink(missing_ok=True)
            target = sqlite3.connect(tmp)
            try:
                self.con.backup(target)
                target.execute("PRAGMA journal_mode = DELETE")
            finally:
                target.close()
            if compress:
                with open(tmp, "rb") as src, gzip.open(ztmp, "wb", compresslevel=6) as out:
                    shutil.copyfileobj(src, out, 1 << 20)
                tmp.unlink()
                tmp = ztmp
            with open(tmp, "rb+") as fh:
                os.fsync(fh.fileno())
            os.replace(tmp, dest)
        except (OSError, sqlite3.Error) as e:
            for t in (tmp, ztmp):
                try:
                    t.unlink(missing_ok=True)
                except OSError:
                    pass
            why = (e.strerror or str(e)) if isinstance(e, OSError) else _friendly(e)
            raise LibraryError(f"could not write the backup {dest}: {why}") from e
        return dest

    def replace_contents(self, source: Path) -> None:
        """Make this library's database a copy of `source` (a validated library file) through
        the backup API: one write transaction, so every connection — in this process or
        another — sees the old library or the new one, never a mix."""
        src = sqlite3.connect(f"file:{quote(str(source))}?mode=ro", uri=True)
        try:
            ps_src = src.execute("PRAGMA page_size").fetchone()[0]
            ps_dst = self.con.execute("PRAGMA page_size").fetchone()[0]
            if ps_src != ps_dst:  # WAL databases cannot change page size
                raise LibraryError(f"cannot restore: page size {ps_src} differs from the "
                                   f"library's {ps_dst}")
            with self._write_lock:
                src.backup(self.con)
        except sqlite3.Error as e:
            raise LibraryError(f"restore failed, the library is unchanged: {_friendly(e)}") from e
        finally:
            src.close()
        self._migrate()  # an older minor version is brought up to date

    # -- checks ------------------------------------------------------------------------------
    def integrity_problems(self) -> list[str]:
        """SQLite's integrity_check and our own invariants. A failing integrity check marks
        the library damaged (read-only from now on) and says how to restore."""
        problems = []
        try:
            r = self.con.execute("PRAGMA integrity_check").fetchall()
        except LibraryDamaged as e:
            return [f"sqlite: {self.damage or e}", str(e)]
        if [x[0] for x in r] != ["ok"]:
            problems += [f"sqlite: {x[0]}" for x in r[:10]]
            self._on_damage(_one_line(r[0][0]))
            return problems + [self.damage_message()]
        self._verified = True
        try:
            fk = self.con.execute("PRAGMA foreign_key_check").fetchall()
            bad = self.con.execute(
                "SELECT e.id FROM entities e JOIN articles a ON a.id=e.article_id"
                " WHERE e.end > length(a.text) OR e.start < 0 OR e.start >= e.end LIMIT 5"
            ).fetchall()
        except LibraryDamaged as e:
            return [f"sqlite: {self.damage or e}", str(e)]
        problems += [f"foreign key: {row}" for row in fk[:10]]
        problems += [f"entity {row[0]} lies outside its article's text" for row in bad]
        return problems


def validate_library_file(path: Path) -> int:
    """Check that `path` is a sound Commonplace library this version can open; returns its
    schema version, or raises LibraryError saying what is wrong."""
    path = Path(path)
    try:
        with open(path, "rb") as fh:
            head = fh.read(16)
    except OSError as e:
        raise LibraryError(f"cannot read {path}: {e.strerror or e}") from e
    if head != b"SQLite format 3\x00":
        raise LibraryError(f"{path.name} is not a Commonplace library (not an SQLite file)")
    try:
        con = sqlite3.connect(f"file:{quote(str(path))}?mode=ro", uri=True)
    except sqlite3.Error as e:
        raise LibraryError(f"cannot open {path.name}: {_friendly(e)}") from e
    try:
        version = con.execute("PRAGMA user_version").fetchone()[0]
        tables = {r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        if version == 0 or not {"articles", "annotations", "index_queue"} <= tables:
            raise LibraryError(f"{path.name} is not a Commonplace library")
        if version // 1000 != SCHEMA_MAJOR:
            raise LibraryError(f"{path.name} is a Commonplace library of schema {version // 1000}.x;"
                               f" this version reads {SCHEMA_MAJOR}.x")
        ok = [r[0] for r in con.execute("PRAGMA integrity_check")]
        if ok != ["ok"]:
            raise LibraryError(f"{path.name} is damaged ({ok[0]})")
        # Sound pages can still hold undecodable text: read every row the app will read.
        for table in ("articles", "annotations", "entities", "tags", "settings"):
            if table in tables:
                for _ in con.execute(f"SELECT * FROM {table}"):
                    pass
        return version
    except sqlite3.OperationalError as e:
        raise LibraryError(f"{path.name} is damaged ({_one_line(str(e))})") from e
    except sqlite3.DatabaseError as e:
        raise LibraryError(f"{path.name} is not a usable library: {e}") from e
    except UnicodeDecodeError:  # garbled text, also in the schema once it spans pages
        raise LibraryError(f"{path.name} is damaged (text that is not UTF-8)") from None
    finally:
        con.close()


def damage_message(db_path: Path, reason: str) -> str:
    """One line: what is wrong and how to get the library back."""
    backups = Path(db_path).parent / "backups"
    found = sorted(backups.glob("*.sqlite*")) if backups.is_dir() else []
    newest = max(found, key=lambda p: p.stat().st_mtime).name if found else ""
    how = (f"restore a backup from {backups} (e.g. commonplace restore --from "
           f"{backups / newest})" if newest else f"restore a backup (none found in {backups})")
    return f"the library database is damaged ({reason}): opened read-only; {how}"


@contextmanager
def _migration_lock(db_path: Path) -> Iterator[None]:
    """An exclusive, cross-process lock held while the schema is checked and migrated
    (flock on a small file beside the database; released by the OS if the process dies)."""
    try:
        import fcntl
    except ImportError:  # pragma: no cover - Windows: SQLite's write lock alone
        yield
        return
    lock = db_path.with_name(f".{db_path.name}.migrate-lock")
    try:
        fd = os.open(lock, os.O_RDWR | os.O_CREAT, 0o644)
    except OSError as e:
        raise LibraryError(f"cannot upgrade the library: {e.strerror or e}") from e
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)


def _one_line(s: str) -> str:
    return (s.splitlines() or [""])[0][:120]


def _split_sql(script: str) -> list[str]:
    return [s.strip() for s in script.split(";") if s.strip() and not
            all(ln.strip().startswith("--") or not ln.strip() for ln in s.strip().splitlines())]


def _friendly(e: sqlite3.Error) -> str:
    msg = str(e)
    if "readonly" in msg or "read-only" in msg:
        return "the library folder is read-only; changes cannot be saved"
    if "disk is full" in msg or "full" in msg:
        return "the disk is full; the change was not saved (nothing already saved was lost)"
    if "locked" in msg or "busy" in msg:
        return "the library is busy in another Commonplace window or command; try again"
    return f"database error: {msg}"
