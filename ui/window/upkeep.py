"""Background upkeep of an open library, as a controller the main window owns: the search
index check after opening, entity recognition, the hourly daily-backup check, and rescuing
note text the library would not take at closing. Everything heavy runs on the TaskManager."""
from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QMessageBox, QWidget

from ui.runner import Task, TaskManager
from ui.window import session

if TYPE_CHECKING:
    from core.library import Library
    from ui.search.popup import SearchController


class UpkeepController(QObject):
    def __init__(self, parent: QWidget, tasks: TaskManager, search: SearchController,
                 library: Callable[[], Library | None], readonly: Callable[[], bool],
                 message: Callable[[str], None]) -> None:
        super().__init__(parent)
        self.parent_widget = parent
        self.tasks, self.search, self.message = tasks, search, message
        self._library, self._readonly = library, readonly

    # -- index ---------------------------------------------------------------------------------
    def start_index_check(self) -> None:
        lib = self._library()
        if lib is None:
            return
        if lib.index_needs_rebuild():
            self.search.set_search(None, "The search index is being rebuilt…")
            task = Task(session.rebuild_index, lib, label="Rebuilding search index…",
                        cancel_kw=None)
            self.tasks.start(task, lambda _: self.index_ready(), self.index_failed)
        else:
            self.index_ready()

    def index_ready(self) -> None:
        lib = self._library()
        if lib is None:
            return
        self.search.set_search(lambda q: lib.search(q, limit=30), entity_fn=lib.entity_lookup)
        if not self._readonly():
            self.start_recognition()

    def index_failed(self, error: BaseException) -> None:
        self.search.set_search(None, f"Search is unavailable: {error}")
        self.message(f"The search index could not be rebuilt: {error}")

    # -- entities ------------------------------------------------------------------------------
    def start_recognition(self, ids: list[int] | None = None) -> Task | None:
        lib = self._library()
        if lib is None or self._readonly():
            return None
        task = Task(session.recognise, lib, ids, label="Recognising entities…")
        return self.tasks.start(task, self._recognised,
                                lambda e: self.message(f"Entity recognition unavailable: {e}"))

    def _recognised(self, count: int) -> None:
        lib = self._library()
        notice = lib.ner_notice if lib is not None else ""
        if count:  # the reader repaints from the entitiesChanged events
            self.message(f"Entities recognised in {count} article(s)."
                         + (f" ({notice})" if notice else ""))
        elif notice:
            self.message(notice[:1].upper() + notice[1:])

    # -- backups and rescue --------------------------------------------------------------------
    def daily_backup(self) -> None:
        lib = self._library()
        if lib is None or self._readonly():
            return
        task = Task(lib.maybe_daily_backup, label="Backing up the library…", progress_kw=None,
                    cancel_kw=None)
        self.tasks.start(task, lambda path: path and self.message(
            f"Daily backup written: {Path(path).name}"),
            lambda e: self.message(f"Daily backup failed: {e}"))

    def rescue_unsaved_notes(self, unsaved: dict[int, str], settings_file: str) -> None:
        """Notes the library would not take even at closing (disk full, folder gone) are
        written beside the settings file and the user is told where, rather than dropped."""
        if not unsaved:
            return
        from datetime import datetime
        folder = Path(settings_file).parent / "unsaved-notes"
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / f"notes-{datetime.now():%Y%m%d-%H%M%S}.md"
        path.write_text("".join(f"## Annotation {i}\n\n{note}\n\n" for i, note in
                                unsaved.items()), encoding="utf-8")
        QMessageBox.warning(self.parent_widget, "Commonplace", "Some notes could not be saved "
                            f"to the library. Their text is kept in:\n{path}")
