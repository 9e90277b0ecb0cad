"""The backup service: a rolling daily copy, `backup --out`, and restore from a copy; owned by
the Library facade. `restore_file` is the file-level restore for a library too damaged (or
empty) to open.
Restore reads only regular files, checks the SQLite header before copying anything, caps what
it writes, and cleans up after itself; a killed restore's leftovers are swept at the next open.
"""
from __future__ import annotations

import gzip
import os
import shutil
import stat
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from core.errors import LibraryError

if TYPE_CHECKING:
    from core.storage import Store

BACKUPS_DIR = "backups"
SAFETY_KEEP = 7  # before-restore-*.sqlite.gz copies kept, like the daily ones
_SQLITE_HEADER = b"SQLite format 3\x00"
_MIN_CAP = 256 * 1024 * 1024
_RATIO_CAP = 50  # a real library compresses 3-10×; a bomb of zeros, 1000×
_DISK_MARGIN = 64 * 1024 * 1024


class BackupService:
    BACKUPS_DIR = BACKUPS_DIR
    DAILY_KEEP = 7

    def __init__(self, path: Path, store: Store, readonly: bool, reindex: Callable[[], int],
                 reopen: Callable[[], None]) -> None:
        self.path = path
        self.store = store
        self.readonly = readonly
        self.reindex = reindex
        self.reopen = reopen  # the facade opens the restored file afresh (read-write)

    def maybe_daily_backup(self, keep: int = DAILY_KEEP, today: str | None = None) -> Path | None:
        """Once a day: a gzipped, consistent copy of the database in `backups/` inside the
        library folder, keeping the newest `keep`. Returns the new file, or None when today's
        exists, the library is read-only, or it holds nothing (an emptied library must never
        rotate the good copies out). Cheap to call on a timer; safe while others write."""
        if self.readonly or self.store.count_articles() == 0:
            return None
        from datetime import date
        folder = self.path / self.BACKUPS_DIR
        dest = folder / f"library-{today or date.today().isoformat()}.sqlite.gz"
        if dest.exists():
            return None
        try:
            folder.mkdir(exist_ok=True)
        except OSError as e:
            raise LibraryError(f"cannot create {folder}: {e.strerror or e}") from e
        self.store.backup(dest, compress=True)
        _prune(folder, "library-????-??-??.sqlite.gz", keep)
        return dest

    def backup_to(self, dest: Path | str, *, force: bool = False) -> Path:
        """`backup --out`: a consistent copy at `dest`. Refuses anything but a regular file or
        a new name, refuses the live database (and its -wal/-shm), and never replaces an
        existing file unless `force`."""
        dest = Path(dest)
        live = [self.store.path, *(self.store.path.with_name(self.store.path.name + s)
                                   for s in ("-wal", "-shm"))]
        try:
            st = os.stat(dest)
        except FileNotFoundError:
            st = None
        except OSError as e:
            raise LibraryError(f"cannot write the backup {dest}: {e.strerror or e}") from e
        if st is not None:
            if not stat.S_ISREG(st.st_mode):
                raise LibraryError(f"{dest} is not a regular file; not writing a backup there")
            if any(_same(dest, p) for p in live):
                raise LibraryError(f"{dest} is the library's own database; choose another file")
            if not force:
                raise LibraryError(f"{dest} already exists; give --force to replace it")
        if dest.is_symlink():
            raise LibraryError(f"{dest} is a symbolic link; not writing a backup through it")
        return self.store.backup(dest)

    # -- restore -----------------------------------------------------------------------------
    def restore(self, source: Path | str) -> Path:
        """Replace the library with a backup (plain or gzipped SQLite). The file is validated
        first (a Commonplace library of a schema this version reads, integrity ok); the current
        database is kept as `backups/before-restore-<time>.sqlite.gz`; the swap is one SQLite
        transaction (or, for a library known to be damaged, an atomic file replacement); the
        index is rebuilt. Returns the safety copy's path."""
        from core.storage import validate_library_file
        damaged = bool(self.store.damage)
        if self.readonly and not damaged:
            raise LibraryError("the library is open read-only; it cannot be restored")
        if damaged:
            self.store.close()
            safety = restore_file(self.store.path, source)
            self.reopen()
        else:
            folder = _backups_folder(self.path)
            plain = folder / f".restore-{os.getpid()}.sqlite"
            try:
                _unpack(Path(source), plain)
                validate_library_file(plain)
                safety = self.store.backup(folder / f"before-restore-{_stamp()}.sqlite.gz",
                                           compress=True)
                self.store.replace_contents(plain)
            finally:
                plain.unlink(missing_ok=True)
            _prune(folder, "before-restore-*.sqlite.gz", SAFETY_KEEP)
        self.reindex()
        return safety


def restore_file(db: Path, source: Path | str) -> Path:
    """File-level restore for a library that cannot be opened (damaged, or an empty file):
    validate the copy, keep the current file's bytes as a safety copy, then atomically put
    the copy in place (removing the old -wal/-shm and the damage mark). No other process may
    have the library open."""
    from core.db import DAMAGE_SUFFIX, validate_library_file
    db = Path(db)
    folder = _backups_folder(db.parent)
    plain = db.with_name(f".restore-{os.getpid()}.sqlite")
    try:
        _unpack(Path(source), plain)
        validate_library_file(plain)
        safety = folder / f"before-restore-{_stamp()}.sqlite.gz"
        if db.is_file():
            _gzip_copy(db, safety)
        with open(plain, "rb+") as fh:
            os.fsync(fh.fileno())
        for suffix in ("-wal", "-shm"):
            db.with_name(db.name + suffix).unlink(missing_ok=True)
        os.replace(plain, db)
        db.with_name(db.name + DAMAGE_SUFFIX).unlink(missing_ok=True)
    except OSError as e:
        raise LibraryError(f"restore failed: {e.strerror or e}") from e
    finally:
        plain.unlink(missing_ok=True)
    _prune(folder, "before-restore-*.sqlite.gz", SAFETY_KEEP)
    return safety


def sweep_leftovers(library: Path) -> int:
    """Remove restore/backup temporaries left by killed processes (their PID is gone)."""
    n = 0
    for folder in (library, library / BACKUPS_DIR):
        try:
            names = list(folder.glob(".restore-*.sqlite")) + list(folder.glob(".*.tmp")) \
                + list(folder.glob(".*.tmp.gz"))
        except OSError:
            continue
        for p in names:
            pid = _pid_in(p.name)
            if pid is not None and not _alive(pid):
                try:
                    p.unlink()
                    n += 1
                except OSError:
                    pass
    return n


def _pid_in(name: str) -> int | None:
    """The writer's PID: the last all-digit part of `.restore-<pid>.sqlite` or
    `.<name>.<pid>.tmp[.gz]`."""
    digits = [p for p in name.replace("-", ".").split(".") if p.isdigit()]
    return int(digits[-1]) if digits else None


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OverflowError, OSError):
        return True
    return True


def _unpack(source: Path, plain: Path) -> None:
    """Copy `source` (plain or gzipped) to `plain`: regular files only, SQLite header checked
    before anything is written, output capped (gzip bombs, full disks)."""
    try:
        st = os.stat(source)  # never open a FIFO or a device: that can block or never end
    except OSError as e:
        raise LibraryError(f"cannot read backup {source.name}: {e.strerror or e}") from e
    if not stat.S_ISREG(st.st_mode):
        raise LibraryError(f"{source.name} is not a regular file; a backup must be one")
    try:
        free = shutil.disk_usage(plain.parent).free
    except OSError:
        free = None
    cap = max(_MIN_CAP, st.st_size * _RATIO_CAP)
    if free is not None:
        cap = min(cap, max(0, free - _DISK_MARGIN))
    try:
        with open(source, "rb") as raw:
            gz = raw.read(2) == b"\x1f\x8b"
            raw.seek(0)
            src = gzip.GzipFile(fileobj=raw) if gz else raw
            head = src.read(len(_SQLITE_HEADER))
            if head != _SQLITE_HEADER:
                raise LibraryError(f"{source.name} is not a Commonplace library "
                                   "(not an SQLite file)")
            written = len(head)
            with open(plain, "wb") as out:
                out.write(head)
                while chunk := src.read(1 << 20):
                    written += len(chunk)
                    if written > cap:
                        raise LibraryError(f"{source.name} unpacks to more than "
                                           f"{cap // 1_000_000:,} MB; not restoring it")
                    out.write(chunk)
    except LibraryError:
        plain.unlink(missing_ok=True)
        raise
    except (OSError, EOFError) as e:  # gzip.BadGzipFile is an OSError
        plain.unlink(missing_ok=True)
        raise LibraryError(f"cannot read backup {source.name}: "
                           f"{getattr(e, 'strerror', None) or e}") from e


def _gzip_copy(src: Path, dest: Path) -> None:
    tmp = dest.with_name(f".{dest.name}.{os.getpid()}.tmp.gz")
    try:
        with open(src, "rb") as fh, gzip.open(tmp, "wb", compresslevel=6) as out:
            shutil.copyfileobj(fh, out, 1 << 20)
        os.replace(tmp, dest)
    finally:
        tmp.unlink(missing_ok=True)


def _backups_folder(library: Path) -> Path:
    folder = Path(library) / BACKUPS_DIR
    try:
        folder.mkdir(exist_ok=True)
    except OSError as e:
        raise LibraryError(f"cannot create {folder}: {e.strerror or e}") from e
    return folder


def _prune(folder: Path, pattern: str, keep: int) -> None:
    files = sorted(folder.glob(pattern))
    for old in files[:max(0, len(files) - keep)]:
        old.unlink(missing_ok=True)


def _same(a: Path, b: Path) -> bool:
    try:
        return os.path.samefile(a, b)
    except OSError:
        return False


def _stamp() -> str:
    return datetime.now().strftime("%Y%m%d-%H%M%S-%f")
