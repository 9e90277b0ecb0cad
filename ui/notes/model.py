"""The notes panel's list: annotations in reading order, painted as cards (colour bar, quote,
note, tags, an orphan warning). Card text is escaped before it becomes HTML."""
from __future__ import annotations

import html
import re

from PySide6.QtCore import QAbstractListModel, QModelIndex, QPersistentModelIndex, QRectF, QSize, Qt
from PySide6.QtGui import QAbstractTextDocumentLayout, QColor, QPainter, QPalette, QTextDocument
from PySide6.QtWidgets import QStyle, QStyledItemDelegate, QStyleOptionViewItem

from core.library import ResolvedAnnotation
from ui.theme.colors import HighlightColor, highlight_swatch

AnnRole = Qt.ItemDataRole.UserRole + 1
IdRole = Qt.ItemDataRole.UserRole + 2
ORPHAN_TEXT = "Orphaned — the passage is gone. Select text in the article and click Re-attach."
QUOTE_CHARS = 280


def kind_of(ra: ResolvedAnnotation) -> str:
    a = ra.annotation
    if a.anchor is None:
        return "Article note"
    return "Note" if a.note.strip() else "Highlight"


def status_of(ra: ResolvedAnnotation) -> str:
    r = ra.resolution
    return r.status if r is not None else ""


class NotesModel(QAbstractListModel):
    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.items: list[ResolvedAnnotation] = []

    def set_items(self, items: list[ResolvedAnnotation]) -> None:
        self.beginResetModel()
        self.items = list(items)
        self.endResetModel()

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.items)

    def data(self, index: QModelIndex | QPersistentModelIndex,
             role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or not (0 <= index.row() < len(self.items)):
            return None
        ra = self.items[index.row()]
        a = ra.annotation
        if role == Qt.ItemDataRole.DisplayRole:
            return a.anchor.exact if a.anchor else (a.note.strip() or "Article note")
        if role == AnnRole:
            return ra
        if role == IdRole:
            return a.id
        if role == Qt.ItemDataRole.ToolTipRole:
            return ORPHAN_TEXT if status_of(ra) == "orphaned" else None
        if role == Qt.ItemDataRole.AccessibleTextRole:
            return f"{kind_of(ra)}: {a.anchor.exact if a.anchor else ''} {a.note}"
        return None

    def row_of(self, annotation_id: int) -> int:
        for i, ra in enumerate(self.items):
            if ra.annotation.id == annotation_id:
                return i
        return -1

    def replace(self, ra: ResolvedAnnotation) -> None:
        row = self.row_of(ra.annotation.id)
        if row >= 0:
            self.items[row] = ra
            ix = self.index(row)
            self.dataChanged.emit(ix, ix)


_MD_LINK = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")
_MD_MARK = re.compile(r"(\*\*|__|(?<!\w)[*_](?=\S)|(?<=\S)[*_](?!\w)|`)")


def plain_note(md: str) -> str:
    """A card shows the note's words, not its Markdown punctuation."""
    md = _MD_LINK.sub(r"\1", md)
    md = re.sub(r"^\s{0,3}#{1,6}\s+", "", md, flags=re.MULTILINE)
    return _MD_MARK.sub("", md)


def _first_lines(md: str, n: int = 4) -> str:
    lines = [ln.strip() for ln in plain_note(md).strip().splitlines() if ln.strip()]
    out = "\n".join(lines[:n])
    return out + (" …" if len(lines) > n else "")


class NoteCardDelegate(QStyledItemDelegate):
    """Paints a card; the HTML is built only from escaped text (no markup from the user)."""

    def __init__(self, palette_colors: list[HighlightColor], parent=None) -> None:
        super().__init__(parent)
        self.palette_colors = palette_colors

    def _doc(self, option: QStyleOptionViewItem, ra: ResolvedAnnotation, width: float
             ) -> QTextDocument:
        a = ra.annotation
        muted = option.palette.color(QPalette.ColorRole.PlaceholderText).name()
        st = status_of(ra)
        head = kind_of(ra)
        badge = ""
        if st == "orphaned":
            badge = (" &nbsp;<span style='color:#c62828; font-weight:bold'>⚠ "
                     f"{html.escape(ORPHAN_TEXT)}</span>")
        elif st in ("moved", "fuzzy"):
            badge = f" &nbsp;<span>· {'moved' if st == 'moved' else 'approximate match'}</span>"
        parts = [f"<div style='color:{muted}; font-size:small'>{head}{badge}</div>"]
        if a.anchor is not None:
            q = a.anchor.exact if len(a.anchor.exact) <= QUOTE_CHARS else \
                a.anchor.exact[:QUOTE_CHARS].rstrip() + "…"
            parts.append(f"<div style='font-family:\"DejaVu Serif\"; font-style:italic'>"
                         f"“{html.escape(q)}”</div>")
        if a.note.strip():
            note = html.escape(_first_lines(a.note)).replace("\n", "<br>")
            parts.append(f"<div style='margin-top:4px'>{note}</div>")
        if a.tags:
            tags = " ".join("#" + html.escape(t) for t in a.tags)
            parts.append(f"<div style='color:{muted}; font-size:small'>{tags}</div>")
        doc = QTextDocument()
        doc.setDocumentMargin(0)
        doc.setDefaultFont(option.font)
        doc.setHtml("".join(parts))
        doc.setTextWidth(width)
        return doc

    def sizeHint(self, option: QStyleOptionViewItem, index: QModelIndex) -> QSize:
        ra = index.data(AnnRole)
        width = max(120, option.rect.width() or 280) - 28
        doc = self._doc(option, ra, width)
        return QSize(int(width) + 28, int(doc.size().height()) + 18)

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: QModelIndex) -> None:
        ra: ResolvedAnnotation = index.data(AnnRole)
        r = option.rect
        selected = bool(option.state & QStyle.StateFlag.State_Selected)
        painter.save()
        pal = option.palette
        bg = pal.color(QPalette.ColorRole.Highlight) if selected else pal.color(
            QPalette.ColorRole.Base)
        if selected:
            bg = QColor(bg)
            bg.setAlphaF(0.25)
        painter.fillRect(r, pal.color(QPalette.ColorRole.Base))
        painter.fillRect(r, bg)
        a = ra.annotation
        if status_of(ra) == "orphaned":
            bar = QColor("#c62828")
        elif a.color:
            bar = highlight_swatch(a.color, self.palette_colors)
        else:
            bar = pal.color(QPalette.ColorRole.Mid)
        painter.fillRect(r.x() + 6, r.y() + 6, 5, r.height() - 12, bar)
        painter.setPen(pal.color(QPalette.ColorRole.Midlight))
        painter.drawLine(r.bottomLeft(), r.bottomRight())
        doc = self._doc(option, ra, r.width() - 28)
        painter.translate(r.x() + 20, r.y() + 9)
        ctx = QAbstractTextDocumentLayout.PaintContext()
        ctx.palette.setColor(QPalette.ColorRole.Text, pal.color(QPalette.ColorRole.Text))
        ctx.clip = QRectF(0, 0, r.width() - 28, r.height() - 9)
        doc.documentLayout().draw(painter, ctx)
        painter.restore()
