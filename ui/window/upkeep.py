"""Background upkeep of the main window: the search index check after opening, entity
recognition, the daily backup, and rescuing note text the library would not take at closing.
A mixin of MainWindow (it uses its library, tasks, search, settings and status line).
"""
from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QMessageBox

from ui.runner import Task
from ui.window import session


class WindowUpkeep:
    # -- background upkeep: index, entities --------------------------------------------------
    def start_index_check(self) -> None:
        lib = self.library
        if lib is None:
            return
        if lib.index.needs_rebuild:
            self.search.set_search(None, "The search index is being rebuilt…")
            task = Task(session.rebuild_index, lib, label="Rebuilding search index…",
                        cancel_kw=None)
            self.tasks.start(task, lambda _: self._index_ready(), self._index_failed)
        else:
            self._index_ready()

    def _index_ready(self) -> None:
        self.search.set_search(lambda q, lib=self.library: lib.search(q, limit=30))
        if not self.readonly:
            self.start_recognition()

    def _index_failed(self, error: BaseException) -> None:
        self.search.set_search(None, f"Search is unavailable: {error}")
        self.show_message(f"The search index could not be rebuilt: {error}")

    def start_recognition(self, ids: list[int] | None = None) -> Task | None:
        if self.library is None or self.readonly:
            return None
        task = Task(session.recognise, self.library, ids, label="Recognising entities…")
        return self.tasks.start(task, self._recognised,
                                lambda e: self.show_message(f"Entity recognition unavailable: {e}"))

    def _recognised(self, count: int) -> None:
        notice = getattr(self.library, "ner_notice", "") if self.library else ""
        if count:
            self.show_message(f"Entities recognised in {count} article(s)."
                              + (f" ({notice})" if notice else ""))
            self.reload_current()
        elif notice:
            self.show_message(notice[:1].upper() + notice[1:])


    def _rescue_unsaved_notes(self, unsaved: dict[int, str]) -> None:
        """Notes the library would not take even at closing (disk full, folder gone) are
        written beside the settings file and the user is told where, rather than dropped."""
        if not unsaved:
            return
        from datetime import datetime
        folder = Path(self.settings.q.fileName()).parent / "unsaved-notes"
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / f"notes-{datetime.now():%Y%m%d-%H%M%S}.md"
        path.write_text("".join(f"## Annotation {i}\n\n{note}\n\n" for i, note in
                                unsaved.items()), encoding="utf-8")
        QMessageBox.warning(self, "Commonplace", "Some notes could not be saved to the "
                            f"library. Their text is kept in:\n{path}")

    def daily_backup(self) -> None:
        lib = self.library
        if lib is None or self.readonly:
            return
        task = Task(lib.maybe_daily_backup, label="Backing up the library…", progress_kw=None,
                    cancel_kw=None)
        self.tasks.start(task, lambda path: path and self.show_message(
            f"Daily backup written: {Path(path).name}"),
            lambda e: self.show_message(f"Daily backup failed: {e}"))
