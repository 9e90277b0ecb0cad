"""Scroll anchoring: the first visible line of text stays at the top through re-layouts.

A pixel scroll value means different text after anything re-flows the document: the window or
a side panel changes width, the bars above the text change height, or Qt's lazy layout of a
long article extends the scroll range after a position was set (the value was clamped to the
range known so far, landing about a paragraph early). So the reader keeps the canonical text
offset of its first visible line and re-applies it whenever the range or the width changes;
the user's own scrolling re-captures it.
"""
from __future__ import annotations

from contextlib import contextmanager
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject
from PySide6.QtGui import QTextCursor

if TYPE_CHECKING:
    from collections.abc import Iterator

    from ui.reader.view import ReaderView


class ScrollAnchor(QObject):
    def __init__(self, view: ReaderView) -> None:
        super().__init__(view)
        self.view = view
        self.offset: int | None = None  # canonical offset kept at the top; None = the top
        self._quiet = False  # our own scrolling (or a re-render) is not the user's
        sb = view.browser.verticalScrollBar()
        sb.rangeChanged.connect(self._range_changed)
        sb.valueChanged.connect(self._moved)

    def set(self, offset: int) -> None:
        self.offset = offset if offset > 0 else None
        if self.offset is None:
            with self.hold():
                self.view.browser.verticalScrollBar().setValue(0)
        self.apply()

    def clear(self) -> None:
        self.offset = None

    @contextmanager
    def hold(self) -> Iterator[None]:
        """Scrolling inside (re-rendering the document) does not move the anchor."""
        was, self._quiet = self._quiet, True
        try:
            yield
        finally:
            self._quiet = was

    def apply(self) -> None:
        """Scroll so the line holding the anchor starts at the top of the viewport."""
        v = self.view
        if self.offset is None or not v.omap.blocks:
            return
        sb = v.browser.verticalScrollBar()
        with self.hold():
            v.ensure_layout()  # the whole scroll range, not the part laid out so far
            c = QTextCursor(v.browser.document())
            c.setPosition(min(v.omap.to_doc(self.offset), v.browser.document().characterCount() - 1))
            sb.setValue(sb.value() + v.browser.cursorRect(c).top())

    def _range_changed(self, _lo: int, _hi: int) -> None:
        if not self._quiet:
            self.apply()

    def _moved(self, _value: int) -> None:
        if not self._quiet:
            self.offset = self.view.scroll_position() or None
