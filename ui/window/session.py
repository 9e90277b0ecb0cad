"""Opening a library and the background jobs that follow it, as plain functions for workers.

These run on pool threads and touch only the Library facade. They live apart from the window
so their failure handling (newer schema → refuse; unwritable → read-only; a broken first-run
seed import → open without the sample) can be read, and tested, without any widgets.
"""
from __future__ import annotations

import logging
from dataclasses import dataclass, field
from pathlib import Path

from core.errors import CommonplaceError, LibraryError
from core.library import DB_NAME, Library, default_library_dir
from core.models import ArticleSummary

log = logging.getLogger(__name__)


@dataclass(slots=True)
class OpenOutcome:
    library: Library | None
    summaries: list[ArticleSummary] = field(default_factory=list)
    readonly: bool = False
    problem: str = ""  # a user-facing reason when something went wrong ("" = all well)
    notice: str = ""  # something worth a status line, not a dialog


def library_dir(path: str | Path | None) -> Path:
    return Path(path).expanduser() if path else default_library_dir()


def is_first_run(path: str | Path | None) -> bool:
    return not (library_dir(path) / DB_NAME).exists()


def open_library(path: str | Path | None) -> OpenOutcome:
    """Open read-write (seeding a new library); fall back to read-only, then to nothing."""
    where = library_dir(path)
    try:
        lib = Library(where)
    except LibraryError as e:
        try:
            lib = Library(where, seed=False, readonly=True)
        except CommonplaceError:
            return OpenOutcome(None, problem=str(e))
        return OpenOutcome(lib, readonly=True, problem=str(e))
    except Exception as e:  # the first-run sample import failed (importer/recogniser missing)
        log.warning("seeding failed: %s", e, exc_info=True)
        lib = Library(where, seed=False)
        return OpenOutcome(lib, notice=f"The sample article could not be imported ({e}).")
    if getattr(lib, "readonly", False):  # the core fell back to read-only by itself
        return OpenOutcome(lib, readonly=True,
                           problem=getattr(lib, "readonly_notice", "") or "opened read-only")
    return OpenOutcome(lib)  # the list reads its rows lazily from the library


def recognise(library: Library, ids: list[int] | None = None, *, progress=None,
              cancel=None) -> int:
    """Entity recognition for stale articles (all, or `ids`); the index learns the entities."""
    n = library.recognise_entities(ids, progress=progress, cancel=cancel)
    if n:
        library.sync_index()
    return n


def rebuild_index(library: Library, *, progress=None) -> int:
    """Rebuild only if still needed (a search may have rebuilt it meanwhile)."""
    n = library.reindex(progress=progress, only_if_needed=True)
    if n < 0:
        library.sync_index()
        return 0
    return n


def notes_count(library: Library, article_id: int) -> int:
    return library.summary(article_id).notes_count
