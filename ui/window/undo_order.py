"""Ctrl+Z in the reader undoes the latest change made from there, whichever undo stack holds
it: a highlight (the notes panel's stack) or an archive, tag or read mark (the triage stack).

The order is kept from each stack's index changes: a rise is a command done (or redone), a fall
is one undone, so the newest done command of all stacks is always the last entry.
"""
from __future__ import annotations

from PySide6.QtCore import QObject
from PySide6.QtGui import QUndoStack


class UndoOrder(QObject):
    def __init__(self, parent: QObject, *stacks: QUndoStack) -> None:
        super().__init__(parent)
        self.done: list[QUndoStack] = []
        self.undone: list[QUndoStack] = []
        self._index: dict[int, int] = {}
        for s in stacks:
            self._index[id(s)] = s.index()
            self.done += [s] * s.index()
            s.indexChanged.connect(lambda i, s=s: self._moved(s, i))

    def _moved(self, stack: QUndoStack, index: int) -> None:
        delta, self._index[id(stack)] = index - self._index.get(id(stack), 0), index
        if delta > 0:
            if stack.index() == stack.count():  # a push drops that stack's redo entries
                self.undone = [s for s in self.undone if s is not stack]
            for _ in range(delta):
                self._drop_last(self.undone, stack)
                self.done.append(stack)
        for _ in range(-delta):
            self._drop_last(self.done, stack)
            self.undone.append(stack)

    @staticmethod
    def _drop_last(entries: list[QUndoStack], stack: QUndoStack) -> None:
        for i in range(len(entries) - 1, -1, -1):
            if entries[i] is stack:
                del entries[i]
                return

    def undo(self) -> None:
        for s in reversed(self.done):
            if s.canUndo():
                s.undo()
                return

    def redo(self) -> None:
        for s in reversed(self.undone):
            if s.canRedo():
                s.redo()
                return
