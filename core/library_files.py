"""Checks on the library's database file made before SQLite opens it: a file that is not a
regular file, an empty one beside an index and backups (its articles were lost), and the mark
left when damage was seen (the library then opens read-only until restored); and which files
of a folder import are already stored unchanged."""
from __future__ import annotations

import os
from datetime import UTC, datetime
from pathlib import Path

from core.errors import LibraryError
from core.models import ImportResult

DB_NAME = "library.sqlite"


def refuse_unsafe_file(folder: Path, db: Path) -> None:
    """A database that is not a regular file (a symlink to /dev/null, a FIFO, a folder), or an
    empty one beside an index and backups (its articles were lost, it is not a new library),
    is refused with the way out rather than taken for a new library."""
    import stat
    try:
        st = db.stat()
    except FileNotFoundError:
        return
    except OSError as e:
        raise LibraryError(f"cannot open library {db}: {e.strerror or e}") from e
    if not stat.S_ISREG(st.st_mode):
        raise LibraryError(f"{db} is not a regular file; refusing to use it as a library")
    wal = db.with_name(db.name + "-wal")  # in WAL mode a new library's pages may all be there
    has_wal = wal.is_file() and wal.stat().st_size > 0
    if st.st_size == 0 and not has_wal and ((folder / "index").exists()
                                            or (folder / "backups").exists()):
        from core.db import damage_message
        raise LibraryError(damage_message(db, f"{DB_NAME} is empty but index/ or backups/ "
                                          "exist").replace("opened read-only; ", ""))


def damage_seen(db: Path) -> str:
    """SQLite's reason for a library marked damaged earlier ("" if not marked)."""
    from core.db import DAMAGE_SUFFIX
    mark = db.with_name(db.name + DAMAGE_SUFFIX)
    try:
        reason = mark.read_text(encoding="utf-8", errors="replace").strip()[:160]
    except OSError:
        return ""
    return reason or "corrupt"


def unchanged_files(store, expanded) -> dict[str, ImportResult]:
    """Files already imported from the same path and not modified since (mtime before the
    article's last update): re-running an interrupted folder import does not parse them
    again. A file changed since is parsed and, if its text differs, imported anew."""
    known = store.imported_files() if expanded else {}
    out: dict[str, ImportResult] = {}
    for src, err in expanded:
        hit = None if err else known.get(src)
        if hit is None:
            continue
        try:
            mtime = os.stat(src).st_mtime
        except OSError:
            continue
        stamp = datetime.fromtimestamp(mtime, UTC).isoformat(timespec="milliseconds")
        if stamp.replace("+00:00", "Z") < hit[1]:
            out[src] = ImportResult(src, "duplicate", hit[0], hit[2],
                                    f"already in the library as #{hit[0]} (file unchanged)")
    return out
