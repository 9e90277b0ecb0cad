"""Link actions in the reader: open in the browser (saying so when none starts), copy the
address, import the linked page into the library; and selections that snap to whole words."""
from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QUrl
from PySide6.QtGui import QDesktopServices, QGuiApplication, QTextCursor

from ui.reader.render import safe_href

if TYPE_CHECKING:
    from ui.reader.view import ReaderView

_JOINERS = "'’-‐"  # inside a word: "don't", "well-known"


def open_in_browser(view: ReaderView, href: str) -> bool:
    """Hand an http(s) link to the system browser; a visible notice when none can start."""
    safe = safe_href(href)
    if not safe:
        return False
    if QDesktopServices.openUrl(QUrl(safe)):
        return True
    view.show_notice(f"No web browser could be started for {safe} — use Copy Link and paste "
                     "it into a browser.")
    return False


def copy_link(view: ReaderView, href: str) -> None:
    QGuiApplication.clipboard().setText(href)
    view.show_notice(f"Copied {href}")


def import_link(view: ReaderView, href: str) -> None:
    """Ask the window to import the linked page; the open article stays open."""
    safe = safe_href(href)
    if safe:
        view.importLinkRequested.emit(safe)
        view.show_notice(f"Importing {safe} into the library…")


def _in_word(ch: str) -> bool:
    return ch.isalnum() or ch == "_"


def word_bounds(text: str, start: int, end: int) -> tuple[int, int]:
    """Widen [start, end) so it neither starts nor ends inside a word."""
    if start >= end:
        return start, end

    def inside(i: int) -> bool:  # is the boundary before text[i] inside a word?
        if i <= 0 or i >= len(text):
            return False
        a, b = text[i - 1], text[i]
        return (_in_word(a) or a in _JOINERS) and (_in_word(b) or b in _JOINERS) and (
            _in_word(a) or _in_word(b))
    while inside(start):
        start -= 1
    while inside(end):
        end += 1
    return start, end


def snap_selection(view: ReaderView) -> None:
    """After a mouse drag, extend the selection to whole words (Alt-drag keeps characters)."""
    if view.article is None or not view.omap.blocks:
        return
    c = view.browser.textCursor()
    if not c.hasSelection() or c.selectionStart() < view.omap.body_doc_start:
        return
    a, p = view.omap.to_text(c.anchor()), view.omap.to_text(c.position())
    s, e = word_bounds(view.article.text, min(a, p), max(a, p))
    if (s, e) == (min(a, p), max(a, p)):
        return
    forward = p >= a
    first, last = (s, e) if forward else (e, s)
    c.setPosition(view.omap.to_doc(first))
    c.setPosition(view.omap.to_doc(last), QTextCursor.MoveMode.KeepAnchor)
    view.browser.setTextCursor(c)
