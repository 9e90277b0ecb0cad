"""Reading from the keyboard: paging and line keys for the read-only text, caret browsing
(F7, as in browsers) so Shift+arrows can select, and `n` / `p` for the next / previous article.

The browser is read-only, so Qt already pages on Space and PageUp/Down once it has focus; these
keys add what it lacks (j/k, Ctrl+Home/End, n/p) and the caret that keyboard selection needs.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QAbstractSlider

if TYPE_CHECKING:
    from PySide6.QtGui import QKeyEvent
    from PySide6.QtWidgets import QTextBrowser

    from ui.reader.view import ReaderView

TIF = Qt.TextInteractionFlag
READING = TIF.TextSelectableByMouse | TIF.LinksAccessibleByMouse | TIF.LinksAccessibleByKeyboard
CARET = READING | TIF.TextSelectableByKeyboard
SA = QAbstractSlider.SliderAction
_SCROLL = {Qt.Key.Key_J: SA.SliderSingleStepAdd, Qt.Key.Key_K: SA.SliderSingleStepSub}
_ENDS = {Qt.Key.Key_Home: SA.SliderToMinimum, Qt.Key.Key_End: SA.SliderToMaximum}


def caret_on(browser: QTextBrowser) -> bool:
    return bool(browser.textInteractionFlags() & TIF.TextSelectableByKeyboard)


def set_caret(browser: QTextBrowser, on: bool) -> None:
    """Show a text cursor (caret browsing) at the top of what is on screen, or hide it."""
    if on == caret_on(browser):
        return
    browser.setTextInteractionFlags(CARET if on else READING)
    if on:
        c = browser.cursorForPosition(QPoint(2, 2))
        if browser.verticalScrollBar().value() == 0:
            c.setPosition(0)
        browser.setTextCursor(c)
        browser.ensureCursorVisible()


def toggle_caret(view: ReaderView) -> None:
    b = view.browser
    set_caret(b, not caret_on(b))
    view.show_notice("Caret browsing on: Shift+arrows select, 1–5 highlight (F7 turns it off)."
                     if caret_on(b) else "Caret browsing off.")


def handle_reading_key(view: ReaderView, e: QKeyEvent) -> bool:
    """Ctrl+Z/Ctrl+Shift+Z, j/k line steps, Ctrl+Home/End (Home/End without a caret), F7,
    n/p; True if handled."""
    b = view.browser
    for seq, step in ((QKeySequence.StandardKey.Undo, -1), (QKeySequence.StandardKey.Redo, 1)):
        if e.matches(seq):
            view.historyRequested.emit(step)
            return True
    mods = e.modifiers() & ~Qt.KeyboardModifier.KeypadModifier
    key = e.key()
    if key == Qt.Key.Key_F7 and mods == Qt.KeyboardModifier.NoModifier:
        toggle_caret(view)  # in the window, View ▸ Caret Browsing takes F7 first
        return True
    if mods == Qt.KeyboardModifier.NoModifier and key in _SCROLL:
        b.verticalScrollBar().triggerAction(_SCROLL[Qt.Key(key)])
        return True
    if key in _ENDS and (mods == Qt.KeyboardModifier.ControlModifier
                         or (mods == Qt.KeyboardModifier.NoModifier and not caret_on(b))):
        if caret_on(b):
            return False  # Qt moves the caret to the start or end, scrolling with it
        b.verticalScrollBar().triggerAction(_ENDS[Qt.Key(key)])
        return True
    if mods == Qt.KeyboardModifier.NoModifier and key in (Qt.Key.Key_N, Qt.Key.Key_P):
        view.stepRequested.emit(+1 if key == Qt.Key.Key_N else -1)
        return True
    return False
