"""The Notebook: every highlight and note across the library, newest first or by article,
filtered by colour (or its meaning), annotation tag, article tag, dates and words. A click (or
Enter) opens the article at the passage; Export writes the articles of the shown (or selected)
entries in the export format. Shown in the central area in place of the reader."""
from __future__ import annotations

from PySide6.QtCore import QRect, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QColor, QFontMetrics, QPainter, QPalette, QTextDocument
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListView,
    QPushButton,
    QSizePolicy,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QVBoxLayout,
    QWidget,
)

from core import palette as pal
from core.errors import CommonplaceError
from core.notebook import NotebookQuery
from ui.library.viewbar import _completing
from ui.notebook.model import EntryRole, NotebookModel

ANY_COLOUR, ANY_TAG, ANY_ARTICLE_TAG = "Any colour", "Any note tag", "Any article tag"


class EntryDelegate(QStyledItemDelegate):
    """Colour bar; article · date · meaning; the quote (two lines); the note, rendered."""

    PAD, LINES = 6, 5

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self._docs: dict[tuple[int, str], QTextDocument] = {}

    def sizeHint(self, option: QStyleOptionViewItem, index) -> QSize:
        return QSize(300, QFontMetrics(option.font).height() * self.LINES + 2 * self.PAD)

    def _note_doc(self, e, width: int, font) -> QTextDocument:
        key = (e.id, e.updated)
        doc = self._docs.get(key)
        if doc is None:
            if len(self._docs) > 500:
                self._docs.clear()
            doc = QTextDocument()
            doc.setDefaultFont(font)
            doc.setMarkdown(e.note)  # Qt's own Markdown: no network, no HTML from the note
            self._docs[key] = doc
        doc.setTextWidth(width)
        return doc

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index) -> None:
        e = index.data(EntryRole)
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        opt.text = ""
        style = opt.widget.style() if opt.widget else None
        if style:
            style.drawControl(QStyle.ControlElement.CE_ItemViewItem, opt, painter, opt.widget)
        if e is None:
            return
        selected = bool(opt.state & QStyle.StateFlag.State_Selected)
        fg = opt.palette.color(QPalette.ColorRole.HighlightedText if selected
                               else QPalette.ColorRole.Text)
        muted = opt.palette.color(QPalette.ColorRole.HighlightedText if selected
                                  else QPalette.ColorRole.PlaceholderText)
        colours = {c.name: c.light for c in pal.DEFAULT_PALETTE}
        r = opt.rect.adjusted(self.PAD, self.PAD, -self.PAD, -self.PAD)
        painter.save()
        painter.fillRect(QRect(r.left(), r.top(), 5, r.height()),
                         QColor(colours.get(e.color, "#bbbbbb")))
        r = r.adjusted(12, 0, 0, 0)
        fm = QFontMetrics(opt.font)
        lh = fm.height()
        meta = " · ".join(x for x in (e.article_title or "(untitled)", e.created[:10],
                                      e.meaning, " ".join(f"#{t}" for t in e.tags)) if x)
        small = opt.font
        painter.setFont(small)
        painter.setPen(muted)
        painter.drawText(QRect(r.left(), r.top(), r.width(), lh), Qt.AlignmentFlag.AlignLeft,
                         fm.elidedText(meta, Qt.TextElideMode.ElideRight, r.width()))
        quote = f"“{' '.join(e.quote.split())}”" if e.quote is not None else "Article note"
        qf = opt.font
        qf.setItalic(e.quote is not None)
        painter.setFont(qf)
        painter.setPen(fg)
        qr = QRect(r.left(), r.top() + lh, r.width(), 2 * lh)
        text = QFontMetrics(qf).elidedText(quote, Qt.TextElideMode.ElideRight, r.width() * 2 - 20)
        painter.drawText(qr, Qt.TextFlag.TextWordWrap | Qt.AlignmentFlag.AlignLeft, text)
        if e.note:
            nr = QRect(r.left(), r.top() + 3 * lh, r.width(), 2 * lh)
            doc = self._note_doc(e, nr.width(), opt.font)
            painter.translate(nr.topLeft())
            painter.setClipRect(QRect(0, 0, nr.width(), nr.height()))
            doc.drawContents(painter)
        painter.restore()


class NotebookView(QWidget):
    openRequested = Signal(int, int)    # article id, annotation id
    exportRequested = Signal(list)      # article ids
    closeRequested = Signal()
    message = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName("Notebook")
        # it shares the central area with the reader: never widen the window's minimum
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Ignored)
        self.lib = None
        self.model = NotebookModel(self)
        self.colour = QComboBox(self)
        self.colour.setAccessibleName("Filter by colour")
        self.colour.addItem(ANY_COLOUR, "")
        self.tag = QComboBox(self)
        self.tag.setAccessibleName("Filter by note tag")
        self.article_tag = QComboBox(self)
        self.article_tag.setAccessibleName("Filter by article tag")
        for box, any_ in ((self.tag, ANY_TAG), (self.article_tag, ANY_ARTICLE_TAG)):
            _completing(box)
            box.addItem(any_, "")
        self.since = QLineEdit(self)
        self.since.setPlaceholderText("since YYYY-MM-DD")
        self.since.setAccessibleName("Since date")
        self.until = QLineEdit(self)
        self.until.setPlaceholderText("until YYYY-MM-DD")
        self.until.setAccessibleName("Until date")
        for edit in (self.since, self.until):
            edit.setMinimumWidth(QFontMetrics(edit.font()).horizontalAdvance("until YYYY-MM-DD_"))
        self.words = QLineEdit(self)
        self.words.setPlaceholderText("Words in quote or note")
        self.words.setAccessibleName("Filter notebook by words")
        self.words.setClearButtonEnabled(True)
        self.order = QComboBox(self)
        self.order.setAccessibleName("Notebook order")
        self.order.addItem("Newest first", "newest")
        self.order.addItem("By article", "article")
        self.export_btn = QPushButton("Export…", self)
        self.export_btn.setToolTip("Export the articles of the selected entries (or of all "
                                   "shown) with their notes")
        self.back_btn = QPushButton("Back to Reader", self)
        self.count_label = QLabel(self)
        self.count_label.setAccessibleName("Number of notebook entries")
        self.list = QListView(self)
        self.list.setAccessibleName("Notebook entries")
        self.list.setModel(self.model)
        self.list.setItemDelegate(EntryDelegate(self.list))
        self.list.setUniformItemSizes(True)
        self.list.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.list.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.list.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        title = QLabel("<b>Notebook</b>", self)
        row1 = QHBoxLayout()
        for wdg in (title, self.count_label):
            row1.addWidget(wdg)
        row1.addStretch(1)
        row1.addWidget(self.export_btn)
        row1.addWidget(self.back_btn)
        row2, row3 = QHBoxLayout(), QHBoxLayout()
        for box in (self.colour, self.tag, self.article_tag, self.order):
            row2.addWidget(box, 1)
        row3.addWidget(self.since)
        row3.addWidget(self.until)
        row3.addWidget(self.words, 1)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(8, 6, 8, 6)
        lay.addLayout(row1)
        lay.addLayout(row2)
        lay.addLayout(row3)
        lay.addWidget(self.list, 1)

        self._timer = QTimer(self, singleShot=True, interval=150)
        self._timer.timeout.connect(self.apply)
        for box in (self.colour, self.order):
            box.currentIndexChanged.connect(lambda _: self._timer.start())
        for box in (self.tag, self.article_tag):
            box.activated.connect(lambda _: self._timer.start())
            line = box.lineEdit()
            assert line is not None  # editable
            line.editingFinished.connect(self._timer.start)
        for field in (self.since, self.until, self.words):
            field.textChanged.connect(lambda _: self._timer.start())
        self.list.activated.connect(self._open)
        self.list.clicked.connect(self._open)
        self.export_btn.clicked.connect(self._export)
        self.back_btn.clicked.connect(self.closeRequested)

    # -- content -----------------------------------------------------------------------------
    def set_library(self, lib) -> None:
        """Fill the filter choices and the first page (cheap: one count, one page)."""
        self.lib = lib
        self.colour.blockSignals(True)
        self.colour.clear()
        self.colour.addItem(ANY_COLOUR, "")
        for c in lib.palette():
            self.colour.addItem(f"{c.name.title()} — {c.meaning}", c.name)
        self.colour.blockSignals(False)
        self.refresh_choices()
        self.apply()

    def refresh_choices(self) -> None:
        if self.lib is None:
            return
        for box, any_, names in ((self.tag, ANY_TAG, self.lib.annotation_tags()),
                                 (self.article_tag, ANY_ARTICLE_TAG,
                                  [t for t, _n in self.lib.all_tags()])):
            keep = box.currentText()
            box.blockSignals(True)
            box.clear()
            box.addItem(any_, "")
            for n in names:
                box.addItem(n, n)
            box.setCurrentText(keep or any_)
            box.blockSignals(False)

    def query(self) -> NotebookQuery:
        def pick(box: QComboBox, any_: str) -> tuple[str, ...]:
            t = box.currentText().strip()
            return () if not t or t == any_ else (t,)
        colour = self.colour.currentData()
        return NotebookQuery(colors=(colour,) if colour else (), tags=pick(self.tag, ANY_TAG),
                             article_tags=pick(self.article_tag, ANY_ARTICLE_TAG),
                             since=self.since.text().strip(), until=self.until.text().strip(),
                             words=self.words.text(), order=self.order.currentData())

    def apply(self) -> None:
        self._timer.stop()
        if self.lib is None:
            return
        try:
            self.model.set_query(self.lib, self.query())
        except CommonplaceError as e:
            self.message.emit(str(e))
            return
        self._count()

    def refresh(self) -> None:
        """Re-read after a change (here or in another process), keeping the rows loaded."""
        if self.lib is not None:
            self.model.refresh()
            self.refresh_choices()
            self._count()

    def _count(self) -> None:
        n = self.model.total
        self.count_label.setText(("1 highlight or note" if n == 1 else
                                  f"{n:,} highlights and notes")
                                 if n else "No highlights or notes match.")

    def _open(self, ix) -> None:
        e = ix.data(EntryRole)
        if e is not None:
            self.openRequested.emit(e.article_id, e.id)

    def _export(self) -> None:
        rows = sorted(ix.row() for ix in self.list.selectionModel().selectedIndexes())
        entries = [self.model.entry(r) for r in rows] or self.model.entries
        if self.lib is not None and not rows and len(self.model.entries) < self.model.total:
            entries = self.lib.notebook(self.model.query)  # everything shown, not one page
        ids = list(dict.fromkeys(e.article_id for e in entries if e is not None))
        if ids:
            self.exportRequested.emit(ids)
