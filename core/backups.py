"""The backup service: a rolling daily copy, a copy on request, and restore from a copy.
Owned by the Library facade."""
from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from core.errors import LibraryError

if TYPE_CHECKING:
    from core.storage import Store


class BackupService:
    BACKUPS_DIR = "backups"
    DAILY_KEEP = 7

    def __init__(self, path: Path, store: Store, readonly: bool,
                 reindex: Callable[[], int]) -> None:
        self.path = path
        self.store = store
        self.readonly = readonly
        self.reindex = reindex

    def backup_to(self, dest: Path | str) -> Path:
        """A consistent copy of the database (safe while others write)."""
        return self.store.backup(Path(dest))

    def maybe_daily_backup(self, keep: int = DAILY_KEEP, today: str | None = None) -> Path | None:
        """Once a day: a gzipped, consistent copy of the database in `backups/` inside the
        library folder, keeping the newest `keep`. Returns the new file, or None when today's
        exists (or the library is read-only). Cheap to call on a timer; safe while others write."""
        if self.readonly:
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
        daily = sorted(folder.glob("library-????-??-??.sqlite.gz"))
        for old in daily[:max(0, len(daily) - keep)]:
            old.unlink(missing_ok=True)
        return dest

    def restore(self, source: Path | str) -> Path:
        """Replace the library with a backup (plain or gzipped SQLite). The file is validated
        first (a Commonplace library of a schema this version reads, integrity ok); the current
        database is kept as `backups/before-restore-<time>.sqlite.gz`; the swap is one SQLite
        transaction; the index is rebuilt. Returns the safety copy's path."""
        import gzip
        import shutil
        from datetime import datetime

        from core.storage import validate_library_file
        if self.readonly:
            raise LibraryError("the library is open read-only; it cannot be restored")
        source = Path(source)
        folder = self.path / self.BACKUPS_DIR
        folder.mkdir(exist_ok=True)
        plain = folder / f".restore-{os.getpid()}.sqlite"
        try:
            try:
                with open(source, "rb") as fh:
                    gz = fh.read(2) == b"\x1f\x8b"
                if gz:
                    with gzip.open(source, "rb") as src, open(plain, "wb") as out:
                        shutil.copyfileobj(src, out, 1 << 20)
                else:
                    shutil.copyfile(source, plain)
            except (OSError, EOFError) as e:  # gzip.BadGzipFile is an OSError
                raise LibraryError(f"cannot read backup {source.name}: "
                                   f"{getattr(e, 'strerror', None) or e}") from e
            validate_library_file(plain)
            stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
            safety = self.store.backup(folder / f"before-restore-{stamp}.sqlite.gz",
                                       compress=True)
            self.store.replace_contents(plain)
        finally:
            plain.unlink(missing_ok=True)
        self.reindex()
        return safety
