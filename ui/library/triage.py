"""Triage from the window: archive (E), move to the trash (Delete), restore, mark read/unread,
tag, rename a tag, empty the trash — on every selected article, each undoable from
Edit ▸ Undo (or Ctrl+Z in the list or the reader).

The core does the work (`Library.archive`, `trash`, … each one transaction returning a
`TriageUndo`); this module turns each into a QUndoCommand. Every write runs on the library's
write lane (never the GUI thread), in order, so an undo queued right after its action still
finds what the action recorded. Keys are scoped to the library list and the reader, so typing
in a text field or the notes editor never archives anything.
"""
from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtGui import QAction, QKeySequence, QUndoCommand, QUndoStack
from PySide6.QtWidgets import QInputDialog, QMenu, QMessageBox, QWidget

from core.errors import CommonplaceError
from ui.runner import lane_for

if TYPE_CHECKING:
    from core.triage import TriageUndo
    from ui.window.main_window import MainWindow

SCOPE = Qt.ShortcutContext.WidgetWithChildrenShortcut


class ChangeCommand(QUndoCommand):
    """The first redo() runs `do` (which returns a TriageUndo); later undo/redo swap it. Each
    step runs on the write lane; the lane keeps them in order, and the step itself stores what
    the next one needs, so undo/redo never wait for the GUI thread."""

    def __init__(self, ctl: TriageController, do: Callable[[], TriageUndo]) -> None:
        super().__init__()
        self.ctl, self.do = ctl, do
        self.change: TriageUndo | None = None
        self.failed = False
        self._ran = False
        self.setText("Article change")  # until the lane says what it was

    def _step(self, first: bool) -> TriageUndo:  # on the write lane
        if first:
            self.change = self.do()
        elif self.change is None:
            raise CommonplaceError("nothing to undo")
        else:
            self.change = self.ctl.library.undo(self.change)
        return self.change

    def _submit(self, first: bool, verb: str) -> None:
        lib = self.ctl.library
        if lib is None:
            return

        def done(change: TriageUndo) -> None:
            if first and change.label:
                self.setText(change.label)
                if self.ctl.stack.undoText() == change.label:  # still the latest: say so
                    self.ctl.undo_action.setText(f"&Undo {change.label}")
                self.ctl.message.emit(change.label)
            self.ctl.changed.emit(change.article_ids)

        def failed(e: BaseException) -> None:
            if not isinstance(e, CommonplaceError):
                raise e
            if first:
                self.failed = True
                self.setObsolete(True)
            self.ctl.message.emit(f"{verb}{e}")
        lane_for(lib).submit(self._step, first, on_result=done, on_error=failed)

    def redo(self) -> None:
        first, self._ran = not self._ran, True
        self._submit(first, "")

    def undo(self) -> None:
        self._submit(False, "could not undo: ")


class TriageController(QObject):
    changed = Signal(list)     # article ids whose state or tags changed
    message = Signal(str)

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.w = window
        self.stack = QUndoStack(self)
        self.undo_action = self.stack.createUndoAction(self, "&Undo")
        self.redo_action = self.stack.createRedoAction(self, "&Redo")
        self.undo_action.setShortcut(QKeySequence.StandardKey.Undo)
        self.redo_action.setShortcut(QKeySequence.StandardKey.Redo)

        def act(text: str, slot, key: str | None = None) -> QAction:
            a = QAction(text, self)
            if key:
                a.setShortcut(QKeySequence(key))
            a.triggered.connect(slot)
            return a
        self.act_archive = act("&Archive", self.archive, "E")
        self.act_inbox = act("Move to &Inbox", self.unarchive, "Shift+E")
        self.act_trash = act("Move to &Trash", self.trash, "Del")
        self.act_restore = act("Re&store from Trash", self.restore, "Shift+Del")
        self.act_read = act("Mark &Read", lambda: self.mark(True), "Shift+R")
        self.act_unread = act("Mark &Unread", lambda: self.mark(False), "Shift+U")
        self.act_tag = act("Add &Tag…", self.ask_tag, "Shift+T")
        self.act_rename = act("Rename or &Merge Tag…", self.ask_rename)
        self.act_empty = act("&Empty Trash…", self.ask_empty_trash)
        self.keyed = [self.act_archive, self.act_inbox, self.act_trash, self.act_restore,
                      self.act_read, self.act_unread, self.act_tag, self.undo_action,
                      self.redo_action]
        for a in self.keyed:
            a.setShortcutContext(SCOPE)
        self.menu = QMenu("&Article", window)
        for item in (self.act_archive, self.act_inbox, self.act_trash, self.act_restore, None,
                     self.act_read, self.act_unread, None, self.act_tag, self.act_rename, None,
                     self.act_empty):
            if item is None:
                self.menu.addSeparator()
            else:
                self.menu.addAction(item)
        self.set_enabled(False)

    @property
    def library(self):
        return self.w.library

    def attach(self, *widgets: QWidget) -> None:
        """Make the keys work while focus is in these widgets (the list, the reader)."""
        for wdg in widgets:
            wdg.addActions(self.keyed)

    def set_enabled(self, on: bool) -> None:
        for a in self.menu.actions() + [self.undo_action, self.redo_action]:
            if not a.isSeparator():
                a.setEnabled(on)
        if on:
            self.stack.cleanChanged.emit(self.stack.isClean())  # re-evaluate undo/redo
            self.undo_action.setEnabled(self.stack.canUndo())
            self.redo_action.setEnabled(self.stack.canRedo())

    # -- actions -----------------------------------------------------------------------------
    def selected(self) -> list[int]:
        return self.w.library_panel.selected_ids()

    def run(self, fn: Callable[[list[int]], TriageUndo], ids: list[int] | None = None) -> bool:
        ids = self.selected() if ids is None else ids
        if not ids or self.library is None:
            return False
        self.stack.push(ChangeCommand(self, lambda: fn(ids)))
        return True

    def archive(self) -> bool:
        return self.run(lambda ids: self.library.archive(ids))

    def unarchive(self) -> bool:
        return self.run(lambda ids: self.library.unarchive(ids))

    def trash(self) -> bool:
        return self.run(lambda ids: self.library.trash(ids))

    def restore(self) -> bool:
        return self.run(lambda ids: self.library.undelete(ids))

    def mark(self, read: bool) -> bool:
        return self.run(lambda ids: self.library.mark_read(ids, read))

    def tag(self, ids: list[int], add: Sequence[str] = (), remove: Sequence[str] = ()) -> bool:
        return self.run(lambda i: self.library.tag_articles(i, add=add, remove=remove), ids)

    def rename_tag(self, old: str, new: str) -> bool:
        return self.run(lambda _ids: self.library.merge_tags([old], new), [0])

    # -- dialogs -----------------------------------------------------------------------------
    def ask_tag(self) -> None:
        ids = self.selected()
        if not ids or self.library is None:
            return
        names = [t for t, _n in self.library.all_tags()]
        tag, ok = QInputDialog.getItem(self.w, "Add Tag", f"Tag for {len(ids)} article(s):",
                                       names, 0, True)
        if ok and tag.strip():
            self.tag(ids, add=[tag.strip()])

    def ask_rename(self) -> None:
        if self.library is None:
            return
        names = [t for t, _n in self.library.all_tags()]
        if not names:
            self.message.emit("No article has a tag yet.")
            return
        old, ok = QInputDialog.getItem(self.w, "Rename Tag", "Tag:", names, 0, False)
        if not ok:
            return
        new, ok = QInputDialog.getText(self.w, "Rename Tag", f"New name for “{old}” (an "
                                       "existing tag's name merges the two):", text=old)
        if ok and new.strip() and new.strip() != old:
            self.rename_tag(old, new.strip())

    def ask_empty_trash(self) -> None:
        lib = self.library
        if lib is None:
            return
        n = lib.view_counts().get("trash", 0)
        if not n:
            self.message.emit("The trash is empty.")
            return
        box = QMessageBox(QMessageBox.Icon.Warning, "Empty Trash",
                          f"Delete the {n} article(s) in the trash for good, with their notes?"
                          " This cannot be undone.",
                          QMessageBox.StandardButton.Cancel, self.w)
        box.addButton("Empty Trash", QMessageBox.ButtonRole.DestructiveRole)
        box.setAccessibleName("Empty trash")
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)

        def clicked(b) -> None:
            if box.buttonRole(b) == QMessageBox.ButtonRole.DestructiveRole:
                self.empty_trash()
        box.buttonClicked.connect(clicked)
        box.open()
        self.empty_box = box

    def empty_trash(self) -> None:
        """Delete the trash for good, on the write lane (not undoable: asked first)."""
        lib = self.library
        if lib is None:
            return

        def done(n: int) -> None:
            self.message.emit(f"Deleted {n} article(s) for good.")
            self.changed.emit([])

        def failed(e: BaseException) -> None:
            if not isinstance(e, CommonplaceError):
                raise e
            self.message.emit(str(e))
        lane_for(lib).submit(lib.empty_trash, on_result=done, on_error=failed)
