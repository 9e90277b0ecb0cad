"""The entity page: everything about one entity across the library (Library.entity_page) —
articles that mention it with snippets (newest first), the user's notes and highlights that
mention it, a small chart of mentions by published month, and the entities that appear with
it most (click one to open its page)."""
from __future__ import annotations

from PySide6.QtCore import QRectF, QSize, Qt, Signal
from PySide6.QtGui import QColor, QPainter
from PySide6.QtWidgets import (
    QDialog,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QSizePolicy,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from core.errors import CommonplaceError
from core.ner.names import display_name
from ui.runner import Task, TaskManager

IdRole = Qt.ItemDataRole.UserRole + 1


class MonthChart(QWidget):
    """Mentions per month as bars; months without mentions between two with are shown empty."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.months: list[tuple[str, int]] = []
        self.setMinimumHeight(90)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)

    def sizeHint(self) -> QSize:
        return QSize(420, 100)

    def set_months(self, counts: dict[str, int]) -> None:
        keys = sorted(k for k in counts if len(k) == 7)
        filled: list[tuple[str, int]] = []
        if keys:
            y, m = int(keys[0][:4]), int(keys[0][5:])
            while (y, m) <= (int(keys[-1][:4]), int(keys[-1][5:])) and len(filled) < 240:
                k = f"{y:04d}-{m:02d}"
                filled.append((k, counts.get(k, 0)))
                y, m = (y + 1, 1) if m == 12 else (y, m + 1)
        if counts.get(""):
            filled.append(("undated", counts[""]))
        self.months = filled
        self.setToolTip("\n".join(f"{k}: {v}" for k, v in filled if v))
        self.update()

    def paintEvent(self, _event) -> None:  # noqa: N802 - Qt override
        if not self.months:
            return
        p = QPainter(self)
        pal = self.palette()
        h = self.height() - 18
        w = min(self.width() / len(self.months), 36.0)  # one month is a bar, not a wall
        peak = max(v for _, v in self.months) or 1
        bar = QColor(pal.highlight().color())
        for i, (_k, v) in enumerate(self.months):
            bh = h * v / peak
            p.fillRect(QRectF(i * w + 1, h - bh, max(1.0, w - 2), bh), bar)
        p.setPen(pal.text().color())
        p.drawText(QRectF(0, h + 2, self.width() / 2, 16), Qt.AlignmentFlag.AlignLeft,
                   self.months[0][0])
        p.drawText(QRectF(self.width() / 2, h + 2, self.width() / 2, 16),
                   Qt.AlignmentFlag.AlignRight, self.months[-1][0])
        p.end()


class EntityPageDialog(QDialog):
    articleRequested = Signal(int)
    pageShown = Signal(str)  # the page for this name is filled in

    def __init__(self, library, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.library = library
        self.setWindowTitle("Entity")
        self.resize(560, 620)
        lay = QVBoxLayout(self)
        self.heading = QLabel(self)
        self.heading.setTextFormat(Qt.TextFormat.PlainText)
        f = self.heading.font()
        f.setPointSizeF(f.pointSizeF() * 1.4)
        f.setBold(True)
        self.heading.setFont(f)
        self.summary = QLabel(self)
        self.chart = MonthChart(self)
        self.chart.setAccessibleName("Mentions by month")
        self.tabs = QTabWidget(self)
        self.articles = QListWidget(self)
        self.articles.setWordWrap(True)
        self.articles.setAccessibleName("Articles that mention it")
        self.notes = QListWidget(self)
        self.notes.setWordWrap(True)
        self.notes.setAccessibleName("Your notes and highlights that mention it")
        self.related = QListWidget(self)
        self.related.setAccessibleName("Entities that appear with it")
        self.tabs.addTab(self.articles, "Articles")
        self.tabs.addTab(self.notes, "Notes")
        self.tabs.addTab(self.related, "Appears with")
        for w in (self.heading, self.summary, self.chart, self.tabs):
            lay.addWidget(w)
        self.articles.itemActivated.connect(lambda it: self.articleRequested.emit(it.data(IdRole)))
        self.notes.itemActivated.connect(lambda it: self.articleRequested.emit(it.data(IdRole)))
        self.related.itemActivated.connect(
            lambda it: self.show_entity(it.data(IdRole)[0], it.data(IdRole)[1]))
        self.page: dict | None = None
        self.runner = TaskManager(self, max_threads=1)  # latest page wins

    def show_entity(self, name: str, label: str = "") -> None:
        """Gather the page on a worker (it reads every article that mentions the name: up to a
        second on a big library, which the GUI thread must not spend); `pageShown` when done."""
        from core.ner.names import label_group
        kind = {"place": "place"}.get(label_group(label), label.lower()) if label else None
        self.heading.setText(name)
        self.summary.setText("Gathering everything about it…")
        task = Task(self.library.entity_page, name, kind, label=f"Entity page: {name}",
                    progress_kw=None, cancel_kw=None)
        self.runner.start(task, self._fill, lambda e: self._failed(name, e), key="page",
                          quiet=True)

    def _failed(self, name: str, error: BaseException) -> None:
        if not isinstance(error, CommonplaceError):
            raise error
        self.heading.setText(name)
        self.summary.setText(str(error))
        self.pageShown.emit(name)

    def _fill(self, page: dict) -> None:
        self.page = page
        kind = display_name(page["label"]) if page["label"] else "Entity"
        self.setWindowTitle(f"{page['name']} — {kind}")
        self.heading.setText(page["name"])
        self.summary.setText(f"{kind} · {page['total_mentions']} mentions in "
                             f"{len(page['articles'])} articles · {len(page['annotations'])} notes")
        self.chart.set_months(page["mentions_by_month"])
        self.articles.clear()
        for a in page["articles"]:
            date = (a["published"] or a["added"] or "")[:10]
            it = QListWidgetItem(f"{a['title']}  ({date}, {a['mentions']}×)\n{a['snippet']}")
            it.setData(IdRole, a["id"])
            self.articles.addItem(it)
        self.notes.clear()
        for n in page["annotations"]:
            it = QListWidgetItem(f"{n['title']}\n{(n['note'] or n['exact'])[:200]}")
            it.setData(IdRole, n["article_id"])
            self.notes.addItem(it)
        self.related.clear()
        for c in page["co_occurring"]:
            it = QListWidgetItem(f"{c['name']} — {display_name(c['label'])} "
                                 f"({c['articles']} articles)")
            it.setData(IdRole, (c["name"], c["label"]))
            self.related.addItem(it)
        self.pageShown.emit(page["name"])
