"""Undoable annotation edits of the Notes panel (QUndoStack commands). The writes go through
the panel's write lane; the panel and the reader refresh from the app events."""
from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtGui import QUndoCommand

from core.errors import NotFound
from core.library import Library
from core.models import Annotation

if TYPE_CHECKING:
    from ui.notes.panel import NotesPanel


class CreateCommand(QUndoCommand):
    """A highlight or note made in the reader; undo removes it, redo brings it back. The
    writes go through the write lane; the panel and reader refresh from the app events."""

    def __init__(self, panel: NotesPanel, annotation_id: int) -> None:
        super().__init__("Add highlight")
        self.panel, self.annotation_id = panel, annotation_id
        self.removed: Annotation | None = None
        self._first = True

    def redo(self) -> None:
        if self._first:  # already made by the reader when pushed
            self._first = False
            return
        if self.removed is not None:
            removed = self.removed
            self.panel.write(self.panel.library.restore_annotation, removed,
                             then=lambda _a: self.panel.reselect(removed.article_id, removed.id))

    def undo(self) -> None:
        self.panel.flush()

        def gone(ann: Annotation | None) -> None:
            self.removed = ann
        self.panel.write(delete_if_present, self.panel.library, self.annotation_id, then=gone)


class DeleteCommand(QUndoCommand):
    def __init__(self, panel: NotesPanel, annotation_id: int) -> None:
        super().__init__("Delete annotation")
        self.panel, self.annotation_id = panel, annotation_id
        self.deleted: Annotation | None = None

    def redo(self) -> None:
        def gone(ann: Annotation | None) -> None:
            self.deleted = ann
        self.panel.write(delete_if_present, self.panel.library, self.annotation_id, then=gone)

    def undo(self) -> None:
        if self.deleted is not None:
            deleted = self.deleted
            self.panel.write(self.panel.library.restore_annotation, deleted,
                             then=lambda _a: self.panel.reselect(deleted.article_id, deleted.id))


def delete_if_present(library: Library, annotation_id: int) -> Annotation | None:
    try:
        return library.delete_annotation(annotation_id)
    except NotFound:
        return None
