"""Small widgets around the reader: the entity legend (chips that wrap) and the find bar."""
from __future__ import annotations

from PySide6.QtCore import QPoint, QRect, QSize, Qt, Signal
from PySide6.QtGui import QColor, QIcon, QKeySequence, QPainter, QPixmap, QShortcut
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QLayout,
    QLayoutItem,
    QLineEdit,
    QToolButton,
    QWidget,
)

from ui.theme.colors import ENTITY_DESCRIPTIONS, entity_swatch, label_sort_key


class FlowLayout(QLayout):
    """Lays items out left to right, wrapping to new rows (Qt's flow layout example)."""

    def __init__(self, parent: QWidget | None = None, spacing: int = 6) -> None:
        super().__init__(parent)
        self._items: list[QLayoutItem] = []
        self.setSpacing(spacing)

    def addItem(self, item: QLayoutItem) -> None:
        self._items.append(item)

    def count(self) -> int:
        return len(self._items)

    def itemAt(self, i: int) -> QLayoutItem | None:
        return self._items[i] if 0 <= i < len(self._items) else None

    def takeAt(self, i: int) -> QLayoutItem | None:
        return self._items.pop(i) if 0 <= i < len(self._items) else None

    def expandingDirections(self) -> Qt.Orientation:
        return Qt.Orientation(0)

    def hasHeightForWidth(self) -> bool:
        return True

    def heightForWidth(self, width: int) -> int:
        return self._do_layout(QRect(0, 0, width, 0), test=True)

    def setGeometry(self, rect: QRect) -> None:
        super().setGeometry(rect)
        self._do_layout(rect, test=False)

    def sizeHint(self) -> QSize:
        return self.minimumSize()

    def minimumSize(self) -> QSize:
        size = QSize()
        for it in self._items:
            size = size.expandedTo(it.minimumSize())
        m = self.contentsMargins()
        return size + QSize(m.left() + m.right(), m.top() + m.bottom())

    def _do_layout(self, rect: QRect, test: bool) -> int:
        m = self.contentsMargins()
        r = rect.adjusted(m.left(), m.top(), -m.right(), -m.bottom())
        x, y, line_h, sp = r.x(), r.y(), 0, self.spacing()
        for it in self._items:
            hint = it.sizeHint()
            if x + hint.width() > r.right() and line_h > 0:
                x, y, line_h = r.x(), y + line_h + sp, 0
            if not test:
                it.setGeometry(QRect(QPoint(x, y), hint))
            x += hint.width() + sp
            line_h = max(line_h, hint.height())
        return y + line_h - rect.y() + m.bottom()


def swatch_icon(color: QColor, size: int = 12, hollow: bool = False) -> QIcon:
    pm = QPixmap(size, size)
    pm.fill(Qt.GlobalColor.transparent)
    p = QPainter(pm)
    p.setRenderHint(QPainter.RenderHint.Antialiasing)
    p.setPen(color.darker(140))
    if not hollow:
        p.setBrush(color)
    p.drawRoundedRect(0.5, 0.5, size - 1, size - 1, 3, 3)
    p.end()
    return QIcon(pm)


class LegendBar(QWidget):
    """One checkable chip per entity label present: swatch, label, mention count."""

    toggled = Signal(str, bool)  # label, visible

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("entityLegend")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground)
        self._flow = FlowLayout(self, spacing=4)
        self._flow.setContentsMargins(8, 4, 8, 4)
        self.chips: dict[str, QToolButton] = {}

    def set_counts(self, counts: dict[str, int], hidden: set[str]) -> None:
        for chip in self.chips.values():
            self._flow.removeWidget(chip)
            chip.hide()  # deleteLater runs later; a visible stale chip would overlap new ones
            chip.deleteLater()
        self.chips = {}
        for label in sorted(counts, key=label_sort_key):
            b = QToolButton(self)
            b.setCheckable(True)
            b.setChecked(label not in hidden)
            b.setAutoRaise(True)
            b.setText(f"{label} {counts[label]}")
            b.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
            b.setToolTip(f"{ENTITY_DESCRIPTIONS.get(label, label)} — click to show or hide")
            b.setAccessibleName(f"Show {label} entities")
            b.setIcon(swatch_icon(entity_swatch(label), hollow=label in hidden))
            b.toggled.connect(lambda on, lab=label: self._chip_toggled(lab, on))
            self._flow.addWidget(b)
            self.chips[label] = b
        self.setVisible(bool(counts))
        self.updateGeometry()

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
        for seq in (QKeySequence.StandardKey.FindNext,):
            QShortcut(seq, self, context=Qt.ShortcutContext.WidgetWithChildrenShortcut,
                      activated=lambda: self.step.emit(1))
        for seq in (QKeySequence.StandardKey.FindPrevious,):
            QShortcut(seq, self, context=Qt.ShortcutContext.WidgetWithChildrenShortcut,
                      activated=lambda: self.step.emit(-1))
        self.edit.installEventFilter(self)

    def eventFilter(self, obj, ev) -> bool:
        from PySide6.QtCore import QEvent
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
