"""Markdown note editor with a live, sanitised preview that can never fetch anything."""
from __future__ import annotations

import html

from PySide6.QtCore import Qt, QTimer, QUrl, Signal
from PySide6.QtGui import QDesktopServices, QFont
from PySide6.QtWidgets import QPlainTextEdit, QSplitter, QTextBrowser, QVBoxLayout, QWidget


def note_html(markdown_text: str) -> str:
    """Sanitised HTML for a note (core.notes_html: Markdown + nh3 allow-list, no images)."""
    try:
        from core.notes_html import note_to_html
    except ImportError:  # the core renderer is absent: escaped source is always safe
        return "<div style='white-space: pre-wrap'>" + html.escape(markdown_text) + "</div>"
    return note_to_html(markdown_text)


def is_web_url(url: QUrl) -> bool:
    return url.scheme().lower() in ("http", "https")


class SafeBrowser(QTextBrowser):
    """A QTextBrowser for untrusted HTML: loads no resources of any kind (remote images,
    file:// reads) and opens http(s) links in the system browser only when clicked."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setOpenLinks(False)
        self.setOpenExternalLinks(False)
        self.anchorClicked.connect(self._clicked)

    def loadResource(self, type_: int, name: QUrl):
        return None

    def setSource(self, *args, **kwargs) -> None:
        return

    @staticmethod
    def _clicked(url: QUrl) -> None:
        if is_web_url(url):
            QDesktopServices.openUrl(url)


class MarkdownEditor(QWidget):
    """Editor above, preview below. `edited` fires only for the user's typing, never for
    set_markdown, so loading a note does not count as a change to save."""

    edited = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.editor = QPlainTextEdit(self)
        self.editor.setPlaceholderText("Write a note… (Markdown: **bold**, *italic*, - lists, "
                                       "[links](https://…))")
        self.editor.setTabChangesFocus(True)
        self.editor.setAccessibleName("Note editor (Markdown)")
        mono = QFont("DejaVu Sans Mono")
        mono.setPointSizeF(max(8.0, self.font().pointSizeF() - 0.5))
        self.editor.setFont(mono)
        self.preview = SafeBrowser(self)
        self.preview.setObjectName("notePreview")
        self.preview.setAccessibleName("Note preview")
        self.preview.setPlaceholderText("Preview")
        split = QSplitter(Qt.Orientation.Vertical, self)
        split.addWidget(self.editor)
        split.addWidget(self.preview)
        split.setChildrenCollapsible(False)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.addWidget(split)
        self._loading = False
        self._preview_timer = QTimer(self, singleShot=True, interval=120,
                                     timeout=self._update_preview)
        self.editor.textChanged.connect(self._changed)

    def set_markdown(self, text: str) -> None:
        self._loading = True
        try:
            self.editor.setPlainText(text)
        finally:
            self._loading = False
        self._update_preview()

    def markdown(self) -> str:
        return self.editor.toPlainText()

    def _changed(self) -> None:
        self._preview_timer.start()
        if not self._loading:
            self.edited.emit(self.editor.toPlainText())

    def _update_preview(self) -> None:
        self.preview.setHtml(note_html(self.editor.toPlainText()))
