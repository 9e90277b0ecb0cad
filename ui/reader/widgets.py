"""Small widgets around the reader: the entity legend (one row of chips, "+N" for the rest)
and the find bar."""
from __future__ import annotations

from PySide6.QtCore import QEvent, QSize, Qt, Signal
from PySide6.QtGui import QColor, QIcon, QKeySequence, QPainter, QPixmap, QShortcut
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMenu,
    QSizePolicy,
    QToolButton,
    QWidget,
)

from core.ner.names import display_name
from ui.theme.colors import ENTITY_DESCRIPTIONS, entity_swatch, label_sort_key


def swatch_icon(color: QColor, size: int = 12, hollow: bool = False) -> QIcon:
    pm = QPixmap(size, size)
    pm.fill(Qt.GlobalColor.transparent)
    p = QPainter(pm)
    p.setRenderHint(QPainter.RenderHint.Antialiasing)
    p.setPen(color.darker(140))
    if not hollow:
        p.setBrush(color)
    p.drawRoundedRect(0, 0, size - 1, size - 1, 3, 3)  # (0.5 was truncated to 0 by PySide)
    p.end()
    return QIcon(pm)


class LegendBar(QWidget):
    """One checkable chip per entity label present: swatch, label, mention count.

    Always exactly one row of a fixed height while an article is shown (empty: a muted note),
    so chips that arrive seconds after the text (recognition after an import) never push the
    text down; chips that do not fit the width go behind a "+N" button with a menu."""

    toggled = Signal(str, bool)  # label, visible
    MARGIN, SPACING = 8, 4

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("entityLegend")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground)
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Fixed)
        self.chips: dict[str, QToolButton] = {}
        self.overflow: list[str] = []  # labels behind the "+N" button, in chip order
        self._probe = self._chip("Xg 0")  # measures a chip's height when there are none
        self._probe.hide()
        self.empty = QLabel("No entities marked in this article", self)
        self.empty.setObjectName("legendEmpty")
        self.more = QToolButton(self)
        self.more.setObjectName("legendMore")
        self.more.setAccessibleName("More entity types")
        self.more.setToolTip("Entity types that do not fit on this line")
        self.more.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.more_menu = QMenu(self.more)
        self.more_menu.aboutToShow.connect(self._fill_more)
        self.more.setMenu(self.more_menu)
        self.more.hide()

    def _chip(self, text: str) -> QToolButton:
        b = QToolButton(self)
        b.setCheckable(True)
        b.setAutoRaise(True)
        b.setText(text)
        b.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        b.setIcon(swatch_icon(QColor("#888888")))
        return b

    def set_counts(self, counts: dict[str, int], hidden: set[str]) -> None:
        for chip in self.chips.values():
            chip.hide()  # deleteLater runs later; a visible stale chip would overlap new ones
            chip.deleteLater()
        self.chips = {}
        for label in sorted(counts, key=label_sort_key):
            name = display_name(label, plural=True).replace("&", "&&")  # not a mnemonic
            b = self._chip(f"{name} {counts[label]}")
            b.setChecked(label not in hidden)
            b.setToolTip(f"{ENTITY_DESCRIPTIONS.get(label, label)} — click to show or hide")
            b.setAccessibleName(f"Show {display_name(label, plural=True)}")
            b.setIcon(swatch_icon(entity_swatch(label), hollow=label in hidden))
            b.toggled.connect(lambda on, lab=label: self._chip_toggled(lab, on))
            self.chips[label] = b
        self._place()

    def sizeHint(self) -> QSize:
        h = max(self._probe.sizeHint().height(), self.more.sizeHint().height())
        return QSize(200, h + 2 * self.SPACING)

    def minimumSizeHint(self) -> QSize:
        return QSize(0, self.sizeHint().height())

    def changeEvent(self, e: QEvent) -> None:
        super().changeEvent(e)
        if e.type() in (QEvent.Type.StyleChange, QEvent.Type.FontChange):
            self.updateGeometry()  # a new style sheet changes the chips' height
            self._place()

    def resizeEvent(self, e) -> None:
        super().resizeEvent(e)
        self._place()

    def _place(self) -> None:
        """One row, left to right; what does not fit (leaving room for "+N") overflows."""
        labels = list(self.chips)
        self.empty.setVisible(not labels)
        right = self.width() - self.MARGIN
        widths = [self.chips[lab].sizeHint().width() for lab in labels]
        fits_all = self.MARGIN + sum(widths) + self.SPACING * max(0, len(widths) - 1) <= right
        if not fits_all:
            self.more.setText(f"+{len(labels)}")  # widest it gets: room for the final text
            right -= self.more.sizeHint().width() + self.SPACING
        x, self.overflow = self.MARGIN, []
        for lab, w in zip(labels, widths, strict=True):
            chip = self.chips[lab]
            if self.overflow or (not fits_all and x + w > right):
                self.overflow.append(lab)
                chip.hide()
                continue
            self._put(chip, x)
            x += w + self.SPACING
        if not labels:
            self._put(self.empty, x)
        self.more.setVisible(bool(self.overflow))
        if self.overflow:
            self.more.setText(f"+{len(self.overflow)}")
            self._put(self.more, x)

    def _put(self, w: QWidget, x: int) -> None:
        hint = w.sizeHint()
        w.setGeometry(x, max(0, (self.height() - hint.height()) // 2), hint.width(),
                      hint.height())
        w.show()

    def _fill_more(self) -> None:
        self.more_menu.clear()
        for lab in self.overflow:
            chip = self.chips[lab]
            a = self.more_menu.addAction(chip.icon(), chip.text())
            a.setCheckable(True)
            a.setChecked(chip.isChecked())
            a.setToolTip(chip.toolTip())
            a.toggled.connect(chip.setChecked)

    def _chip_toggled(self, label: str, on: bool) -> None:
        self.chips[label].setIcon(swatch_icon(entity_swatch(label), hollow=not on))
        self.toggled.emit(label, on)


class FindBar(QWidget):
    """Find in the article: Enter / Shift+Enter step, Esc closes."""

    queryChanged = Signal(str)
    step = Signal(int)  # +1 next, -1 previous
    closed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground)
        lay = QHBoxLayout(self)
        lay.setContentsMargins(8, 4, 8, 4)
        self.edit = QLineEdit(self)
        self.edit.setPlaceholderText("Find in article")
        self.edit.setClearButtonEnabled(True)
        self.count = QLabel(self)
        self.count.setMinimumWidth(70)
        prev_b, next_b, close_b = QToolButton(self), QToolButton(self), QToolButton(self)
        prev_b.setText("▲")
        prev_b.setToolTip("Previous match (Shift+Enter)")
        next_b.setText("▼")
        next_b.setToolTip("Next match (Enter)")
        close_b.setText("✕")
        close_b.setToolTip("Close (Esc)")
        for w in (self.edit, self.count, prev_b, next_b, close_b):
            lay.addWidget(w)
        self.edit.textChanged.connect(self.queryChanged)
        self.edit.returnPressed.connect(lambda: self.step.emit(1))
        prev_b.clicked.connect(lambda: self.step.emit(-1))
        next_b.clicked.connect(lambda: self.step.emit(1))
        close_b.clicked.connect(self.close_bar)
        esc = QShortcut(QKeySequence(Qt.Key.Key_Escape), self)
        esc.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        esc.activated.connect(self.close_bar)
        for seq, direction in ((QKeySequence.StandardKey.FindNext, 1),
                               (QKeySequence.StandardKey.FindPrevious, -1)):
            sc = QShortcut(seq, self)
            sc.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            sc.activated.connect(lambda d=direction: self.step.emit(d))
        self.edit.installEventFilter(self)

    def eventFilter(self, obj, ev) -> bool:
        if (ev.type() == QEvent.Type.KeyPress and ev.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)
                and ev.modifiers() & Qt.KeyboardModifier.ShiftModifier):
            self.step.emit(-1)
            return True
        return super().eventFilter(obj, ev)

    def open_bar(self, text: str = "") -> None:
        self.show()
        if text:
            self.edit.setText(text)
        self.edit.setFocus()
        self.edit.selectAll()

    def close_bar(self) -> None:
        self.hide()
        self.closed.emit()

    def set_count(self, current: int, total: int) -> None:
        if not self.edit.text():
            self.count.setText("")
        else:
            self.count.setText(f"{current} of {total}" if total else "No matches")
