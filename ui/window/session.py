"""Opening a library and the background jobs that follow it, as plain functions for workers.

These run on pool threads and touch only the Library facade. They live apart from the window
so their failure handling (newer schema → refuse; unwritable → read-only; a broken first-run
seed import → open without the sample) can be read, and tested, without any widgets.
"""
from __future__ import annotations

import logging
from dataclasses import dataclass, field, replace
from pathlib import Path

from core.config import Config
from core.errors import CommonplaceError
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
    """Open the library (core decides the read-only and unseeded fallbacks); nothing on
    failure, with the reason."""
    # A window's rebuilds run in a child process: the GUI thread shares this one's GIL.
    config = replace(Config.from_env(), isolated_rebuilds=True)
    try:
        lib = Library.open(library_dir(path), config=config)
    except CommonplaceError as e:
        return OpenOutcome(None, problem=str(e))
    if lib.readonly:
        return OpenOutcome(lib, readonly=True,
                           problem=lib.readonly_notice or "opened read-only")
    # the list reads its rows lazily from the library
    return OpenOutcome(lib, notice=lib.notices.get("seed"))


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
