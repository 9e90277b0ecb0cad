"""Entities panel: the article's entities grouped by type, with mention counts.

Clicking an entity marks every mention in the reader and scrolls to the first; Next/Prev step
through them. The tree is a real QAbstractItemModel (two levels: label → entity).
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from PySide6.QtCore import QAbstractItemModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtWidgets import (
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QToolButton,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from core.models import EntitySpan
from ui.reader.view import ReaderView
from ui.reader.widgets import swatch_icon
from ui.theme.colors import ENTITY_DESCRIPTIONS, entity_swatch, label_sort_key

Index = QModelIndex | QPersistentModelIndex
RangesRole = Qt.ItemDataRole.UserRole + 1
LabelRole = Qt.ItemDataRole.UserRole + 2


@dataclass(slots=True)
class EntityGroup:
    label: str
    text: str  # the most frequent surface form
    mentions: list[tuple[int, int]] = field(default_factory=list)


@dataclass(slots=True)
class LabelGroup:
    label: str
    entities: list[EntityGroup]

    @property
    def mentions(self) -> list[tuple[int, int]]:
        return sorted(m for e in self.entities for m in e.mentions)


def group_entities(spans: list[EntitySpan]) -> list[LabelGroup]:
    """Mentions grouped by (label, case-folded text); groups by mentions, most first."""
    by_key: dict[tuple[str, str], list[EntitySpan]] = {}
    for s in spans:
        by_key.setdefault((s.label, " ".join(s.text.split()).casefold()), []).append(s)
    labels: dict[str, list[EntityGroup]] = {}
    for (label, _), ss in by_key.items():
        text = Counter(s.text for s in ss).most_common(1)[0][0]
        labels.setdefault(label, []).append(
            EntityGroup(label, text, sorted((s.start, s.end) for s in ss)))
    return [LabelGroup(lab, sorted(g, key=lambda e: (-len(e.mentions), e.text.casefold())))
            for lab, g in sorted(labels.items(), key=lambda kv: label_sort_key(kv[0]))]


class EntityTreeModel(QAbstractItemModel):
    """Top level: labels (internal id 0); children: entities (internal id = label row + 1)."""

    HEADERS = ("Entity", "Mentions")

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.groups: list[LabelGroup] = []

    def set_entities(self, spans: list[EntitySpan]) -> None:
        self.beginResetModel()
        self.groups = group_entities(spans)
        self.endResetModel()

    def index(self, row: int, column: int, parent: Index = QModelIndex()) -> QModelIndex:  # noqa: B008
        if not self.hasIndex(row, column, parent):
            return QModelIndex()
        if not parent.isValid():
            return self.createIndex(row, column, 0)
        return self.createIndex(row, column, parent.row() + 1)

    def parent(self, child: Index = QModelIndex()) -> QModelIndex:  # type: ignore[override]  # noqa: B008
        if not child.isValid() or child.internalId() == 0:
            return QModelIndex()
        return self.createIndex(child.internalId() - 1, 0, 0)

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        if not parent.isValid():
            return len(self.groups)
        if parent.internalId() == 0 and parent.column() == 0:
            return len(self.groups[parent.row()].entities)
        return 0

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 2

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole):
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole \
                and 0 <= section < 2:
            return self.HEADERS[section]
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        if index.internalId() == 0:
            g = self.groups[index.row()]
            mentions = sum(len(e.mentions) for e in g.entities)
            if role == Qt.ItemDataRole.DisplayRole:
                return g.label if index.column() == 0 else str(mentions)
            if role == Qt.ItemDataRole.DecorationRole and index.column() == 0:
                return swatch_icon(entity_swatch(g.label), 12)
            if role == Qt.ItemDataRole.ToolTipRole:
                return ENTITY_DESCRIPTIONS.get(g.label, g.label)
            if role == Qt.ItemDataRole.TextAlignmentRole and index.column() == 1:
                return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            if role == RangesRole:
                return g.mentions
            if role == LabelRole:
                return g.label
            return None
        e = self.groups[index.internalId() - 1].entities[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return e.text if index.column() == 0 else str(len(e.mentions))
        if role == Qt.ItemDataRole.ToolTipRole:
            return f"{e.label} — {e.text}: {len(e.mentions)} mention(s)"
        if role == Qt.ItemDataRole.TextAlignmentRole and index.column() == 1:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == RangesRole:
            return list(e.mentions)
        if role == LabelRole:
            return e.label
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable


class EntitiesPanel(QWidget):
    def __init__(self, reader: ReaderView, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.reader = reader
        self.model = EntityTreeModel(self)
        self.tree = QTreeView(self)
        self.tree.setModel(self.model)
        self.tree.setUniformRowHeights(True)
        self.tree.setAlternatingRowColors(False)
        self.tree.setAccessibleName("Entities in this article")
        self.view = self.tree  # what the main window focuses (focus_dock)
        hdr = self.tree.header()
        hdr.setStretchLastSection(False)
        hdr.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        hdr.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        self.prev_btn, self.next_btn = QToolButton(self), QToolButton(self)
        self.prev_btn.setText("◀ Prev")
        self.next_btn.setText("Next ▶")
        self.prev_btn.setToolTip("Previous mention")
        self.next_btn.setToolTip("Next mention")
        self.position = QLabel(self)
        self.empty = QLabel("No entities recognised in this article.", self)
        self.empty.setWordWrap(True)
        row = QHBoxLayout()
        row.addWidget(self.prev_btn)
        row.addWidget(self.next_btn)
        row.addWidget(self.position, 1)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(6, 6, 6, 6)
        lay.addWidget(self.empty)
        lay.addWidget(self.tree, 1)
        lay.addLayout(row)
        self._ranges: list[tuple[int, int]] = []
        self._label = ""
        self._i = 0
        self.tree.clicked.connect(self._activate)
        self.tree.activated.connect(self._activate)
        self.prev_btn.clicked.connect(lambda: self.step(-1))
        self.next_btn.clicked.connect(lambda: self.step(1))
        reader.entitiesChanged.connect(self.refresh)
        self.refresh()

    def refresh(self) -> None:
        self.model.set_entities(self.reader.entities())
        self.tree.expandAll()
        self._ranges, self._i = [], 0
        self.reader.clear_focus()
        self.empty.setVisible(self.reader.current_article_id() is not None
                              and not self.model.groups)
        self._update_position()

    def _activate(self, ix: QModelIndex) -> None:
        self._ranges = ix.data(RangesRole) or []
        self._label = ix.data(LabelRole) or ""
        self._i = 0
        self.reader.focus_mentions(self._ranges, self._label, 0)
        self._update_position()

    def step(self, d: int) -> None:
        if not self._ranges:
            return
        self._i = (self._i + d) % len(self._ranges)
        self.reader.scroll_to_range(*self._ranges[self._i])
        self._update_position()

    def _update_position(self) -> None:
        n = len(self._ranges)
        self.position.setText(f"Mention {self._i + 1} of {n}" if n else "")
        self.prev_btn.setEnabled(n > 1)
        self.next_btn.setEnabled(n > 1)
