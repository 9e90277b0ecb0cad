"""The reading column comes first: side panels give way to it, and focus mode hides the rest.

`PanelGuard` watches the window's width. When the reading column would drop below
`MIN_CHARS` average characters a line, it first narrows the side panels (down to their
minimum, at least `DOCK_FLOOR` px), then collapses the right-hand panels, then the library.
Panels it collapsed come back (narrow first, then at their old width) when the window grows
again; a panel the user closed stays closed, and one the user reopens is theirs again.

`FocusMode` (View ▸ Focus Mode, F11; Esc leaves) hides every panel, toolbar, the menu and
status bars and the bars over the text, and puts back exactly what was there.
"""
from __future__ import annotations

import math
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, Qt, QTimer
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QDockWidget, QMenu, QStyle, QToolBar, QWidget

from ui.reader.render import column_width_px

if TYPE_CHECKING:
    from PySide6.QtCore import QByteArray

    from ui.window.main_window import MainWindow

MIN_CHARS = 55
DOCK_FLOOR = 200     # a side panel is not made narrower than this (or its own minimum)
SIDE_MARGIN = 24     # the reader's smallest margin each side of the column (ReaderView)
SEPARATOR = 6        # the splitter handle between a dock area and the centre
FOCUS_KEY = "F11"
AREAS = (Qt.DockWidgetArea.RightDockWidgetArea, Qt.DockWidgetArea.LeftDockWidgetArea)


def reader_width_for(font_pt: int, chars: int, widget: QWidget) -> int:
    """Width the reader needs for a column of `chars` average characters of the body font."""
    column = column_width_px(font_pt) / 68 * chars  # column_width_px is 68 average characters
    bar = widget.style().pixelMetric(QStyle.PixelMetric.PM_ScrollBarExtent)
    return math.ceil(column + 2 * SIDE_MARGIN + bar + 2)


class PanelGuard(QObject):
    def __init__(self, w: MainWindow) -> None:
        super().__init__(w)
        self.w = w
        self.enabled = True
        self.collapsed: list[tuple[list[QDockWidget], QDockWidget | None]] = []  # hiding order
        self.wanted: dict[QDockWidget, int] = {}  # widths before they were narrowed
        self._passes = 0  # follow-up checks after our own change (sizes are estimates)
        self._timer = QTimer(self, singleShot=True, interval=0)
        self._timer.timeout.connect(self.check)
        w.installEventFilter(self)

    def eventFilter(self, obj: QObject, e: QEvent) -> bool:
        if obj is self.w and e.type() == QEvent.Type.Resize:
            self.schedule()
        return False

    def schedule(self) -> None:
        self._passes = 0
        self._timer.start()  # after the window's own layout has run

    def needed(self) -> int:
        return reader_width_for(self.w.font_pt, MIN_CHARS, self.w)

    def groups(self) -> list[list[QDockWidget]]:
        """Docked, visible side panels by area (right first: the library goes last)."""
        docks = [d for d in self.w.findChildren(QDockWidget, options=Qt.FindChildOption
                                                 .FindDirectChildrenOnly)
                 if not d.isHidden() and not d.isFloating()]
        return [g for a in AREAS if (g := [d for d in docks if self.w.dockWidgetArea(d) == a])]

    def check(self) -> None:
        if not self.enabled or not self.w.isVisible():
            return
        # a panel the user reopened is theirs again, not ours to bring back
        self.collapsed = [(g, top) for g, top in self.collapsed if all(d.isHidden() for d in g)]
        have = self.w.stack.width()
        need = self.needed()
        before = self._layout_key()
        if have < need:
            self._make_room(need - have)
        elif have > need:
            self._give_back(have - need)
        if self._layout_key() != before and self._passes < 2:
            self._passes += 1
            self._timer.start()  # look again once the window has laid the change out

    def _layout_key(self) -> tuple:
        return (len(self.collapsed), tuple(sorted(self.wanted.items(), key=lambda kv: id(kv[0]))))

    def _floor(self, group: list[QDockWidget]) -> int:
        return max(DOCK_FLOOR, *(d.minimumSizeHint().width() for d in group))

    def _make_room(self, deficit: int) -> None:
        groups = self.groups()
        while deficit > 0 and groups:
            slack = [(g, max(0, g[0].width() - self._floor(g))) for g in groups]
            if sum(s for _g, s in slack) >= deficit:
                docks, sizes = [], []
                for g, s in slack:
                    take = min(s, deficit)
                    deficit -= take
                    for d in g:
                        self.wanted.setdefault(d, d.width())
                        docks.append(d)
                        sizes.append(d.width() - take)
                self.w.resizeDocks(docks, sizes, Qt.Orientation.Horizontal)
                return
            g = groups.pop(0)
            top = next((d for d in g if not d.visibleRegion().isEmpty()), None)
            for d in g:
                self.wanted.setdefault(d, d.width())
                d.hide()
            self.collapsed.append((g, top))
            deficit -= g[0].width() + SEPARATOR

    def _give_back(self, surplus: int) -> None:
        while self.collapsed:
            g, top = self.collapsed[-1]
            floor = self._floor(g)
            if surplus < floor + SEPARATOR:
                return  # nothing is widened while a collapsed panel still waits for room
            self.collapsed.pop()
            for d in g:
                d.show()
            if top is not None:
                top.raise_()
            width = min(self.wanted.get(g[0], floor), surplus - SEPARATOR)
            self.w.resizeDocks(g, [width] * len(g), Qt.Orientation.Horizontal)
            surplus -= width + SEPARATOR
        docks, sizes = [], []
        for g in reversed(self.groups()):  # the library first: it was narrowed last
            want = self.wanted.get(g[0])
            if want is None or surplus <= 0:
                continue
            add = min(want - g[0].width(), surplus)
            if add > 0:
                surplus -= add
                docks += g
                sizes += [g[0].width() + add] * len(g)
            if add >= want - g[0].width():
                for d in g:
                    self.wanted.pop(d, None)
        if docks:
            self.w.resizeDocks(docks, sizes, Qt.Orientation.Horizontal)

    def shown_for_saving(self) -> list[QDockWidget]:
        """Collapsed panels, shown for a moment so the saved layout is the user's own."""
        out = [d for g, _top in self.collapsed for d in g]
        for d in out:
            d.setVisible(True)
        return out


class FocusMode(QObject):
    def __init__(self, w: MainWindow, guard: PanelGuard) -> None:
        super().__init__(w)
        self.w, self.guard = w, guard
        self.active = False
        self.state: QByteArray | None = None  # the window's dock/toolbar layout before
        self._hidden: list[QWidget] = []
        self._lent: list[QAction] = []
        self.action = QAction("&Focus Mode", w, checkable=True)
        self.action.setShortcut(QKeySequence(FOCUS_KEY))
        self.action.setStatusTip("Only the text: hide the panels and bars (F11 or Esc to leave)")
        self.action.toggled.connect(self.set_active)
        w.addAction(self.action)  # the key works while the menu bar is hidden

    def set_active(self, on: bool) -> None:
        if on == self.active:
            return
        w = self.w
        if on:
            self.state = w.saveState()
            bars: list[QWidget] = [w.menuBar(), w.statusBar()]
            if w.reader is not None:
                bars.append(w.reader.header)
            targets = [*w.findChildren(QDockWidget, options=Qt.FindChildOption
                                       .FindDirectChildrenOnly),
                       *w.findChildren(QToolBar, options=Qt.FindChildOption
                                       .FindDirectChildrenOnly), *bars]
            self._hidden = [t for t in targets if not t.isHidden()]
            # a hidden menu bar's shortcuts stop working: lend them to the window meanwhile
            self._lent = [a for a in _menu_actions(w.menuBar().actions())
                          if not a.shortcut().isEmpty() and a not in w.actions()]
            w.addActions(self._lent)
            self.guard.enabled = False
            self.active = True
            for t in self._hidden:
                t.hide()
            w.focus_reader()
        else:
            self.active = False
            for a in self._lent:
                w.removeAction(a)
            for t in self._hidden:
                t.show()
            self._hidden, self._lent = [], []
            if self.state is not None:
                w.restoreState(self.state)  # tabs, sizes and order exactly as before
            self.state = None
            self.guard.enabled = True
            self.guard.schedule()
        self.action.setChecked(on)
        w.settings.set_focus_mode(on)
        if on and w.reader is not None:  # the status bar is hidden: say it over the text
            w.reader.show_notice("Focus mode: F11 or Esc brings the panels back.")
        elif w.reader is not None:
            w.reader.notice.hide()

    def adopt(self, widget: QWidget) -> None:
        """A bar made while focus mode is on (the reader's, when the library opens) hides too."""
        if self.active and not widget.isHidden():
            widget.hide()
            self._hidden.append(widget)


def _menu_actions(actions: list[QAction]) -> list[QAction]:
    out: list[QAction] = []
    for a in actions:
        m = a.menu()
        if isinstance(m, QMenu):
            out += _menu_actions(m.actions())
        elif not a.isSeparator():
            out.append(a)
    return out
