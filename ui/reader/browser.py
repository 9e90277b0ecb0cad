"""The reader's QTextBrowser: fetches nothing, forwards keys, menus, tooltips and clicks to
its ReaderView (which owns all state)."""
from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, Qt, QUrl
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QTextBrowser, QToolTip

if TYPE_CHECKING:
    from ui.reader.view import ReaderView


class ReaderBrowser(QTextBrowser):
    """QTextBrowser that never fetches anything and forwards input to its ReaderView."""

    def __init__(self, view: ReaderView) -> None:
        super().__init__(view)
        self.view = view
        self.setOpenLinks(False)
        self.setOpenExternalLinks(False)
        self.setFrameShape(QTextBrowser.Shape.NoFrame)
        self.setMouseTracking(True)

    def loadResource(self, type_: int, name: QUrl | str) -> None:
        """Articles are plain text, so nothing needs loading; refuse everything (no remote
        images, no file:// reads), whatever the URL."""
        return

    def setSource(self, *args, **kwargs) -> None:
        return  # the reader's content comes from the library only

    def keyPressEvent(self, e) -> None:
        if not self.view.handle_key(e):
            super().keyPressEvent(e)

    def contextMenuEvent(self, e) -> None:
        from ui.reader.menu import build_menu
        menu = build_menu(self.view, e.pos())
        menu.exec(e.globalPos())
        menu.deleteLater()

    def event(self, e) -> bool:
        if e.type() == QEvent.Type.ShortcutOverride and (
                e.matches(QKeySequence.StandardKey.Undo) or e.matches(QKeySequence.StandardKey.Redo)):
            e.accept()  # the window undoes the latest change of any stack (ui/window/undo_order)
            return True
        if e.type() == QEvent.Type.ToolTip:
            tip = self.view.tooltip_at(e.pos())
            if tip:
                QToolTip.showText(e.globalPos(), tip, self)
                return True
        return super().event(e)

    def mouseReleaseEvent(self, e) -> None:
        super().mouseReleaseEvent(e)
        pos = e.position().toPoint()
        if e.button() == Qt.MouseButton.LeftButton and self.textCursor().hasSelection() \
                and not e.modifiers() & Qt.KeyboardModifier.AltModifier:
            from ui.reader.links import snap_selection
            snap_selection(self.view)  # whole words; Alt-drag selects characters
        if e.button() == Qt.MouseButton.LeftButton and not self.textCursor().hasSelection() \
                and not self.anchorAt(pos):
            ann = self.view.annotation_at(self.view.offset_at(pos))
            if ann is not None:
                self.view.annotationActivated.emit(ann)

    def resizeEvent(self, e) -> None:
        super().resizeEvent(e)
        self.view.update_column()
        self.view.anchor.apply()  # the same first line after the text re-flows
