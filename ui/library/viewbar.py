"""The row above the library list: which view (Inbox, Archive, All, Trash, Has notes, with
counts) and the tag and site filters. Tag and site boxes are editable with completion, so a
library with hundreds of tags is still one keystroke away from a filter."""
from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QComboBox, QCompleter, QHBoxLayout, QWidget

VIEWS = (("inbox", "Inbox"), ("archive", "Archive"), ("all", "All"), ("trash", "Trash"),
         ("notes", "Has notes"))
ANY_TAG, ANY_SITE = "All tags", "All sites"


def _completing(box: QComboBox) -> None:
    box.setEditable(True)
    edit, c = box.lineEdit(), box.completer()
    assert edit is not None and c is not None  # an editable combo box has both
    edit.setAccessibleName(box.accessibleName() + " (type to complete)")
    box.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
    c.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
    c.setFilterMode(Qt.MatchFlag.MatchContains)
    c.setCompletionMode(QCompleter.CompletionMode.PopupCompletion)


class ViewBar(QWidget):
    """Emits `changed(view, tags, site)` when the reader picks another view or filter."""

    changed = Signal(str, tuple, str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.view_box = QComboBox(self)
        self.view_box.setAccessibleName("Library view")
        for key, label in VIEWS:
            self.view_box.addItem(label, key)
        self.view_box.setMinimumContentsLength(6)
        self.view_box.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.tag_box = QComboBox(self)
        self.tag_box.setAccessibleName("Filter by tag")
        self.site_box = QComboBox(self)
        self.site_box.setAccessibleName("Filter by site")
        for box, any_ in ((self.tag_box, ANY_TAG), (self.site_box, ANY_SITE)):
            _completing(box)
            box.addItem(any_, "")
            box.setMinimumContentsLength(5)
            box.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        lay = QHBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.addWidget(self.view_box, 2)
        lay.addWidget(self.tag_box, 2)
        lay.addWidget(self.site_box, 2)
        self._quiet = False
        self.view_box.currentIndexChanged.connect(self._emit)
        for box in (self.tag_box, self.site_box):
            box.activated.connect(self._emit)
            edit = box.lineEdit()
            assert edit is not None  # editable (see _completing)
            edit.editingFinished.connect(self._emit)

    # -- state -------------------------------------------------------------------------------
    def view(self) -> str:
        return self.view_box.currentData() or "inbox"

    def tag(self) -> str:
        return _choice(self.tag_box, ANY_TAG)

    def site(self) -> str:
        return _choice(self.site_box, ANY_SITE)

    def set_view(self, view: str) -> None:
        i = self.view_box.findData(view)
        if i >= 0 and i != self.view_box.currentIndex():
            self.view_box.setCurrentIndex(i)

    def set_tag(self, tag: str) -> None:
        self._quiet = True
        try:
            self.tag_box.setCurrentText(tag or ANY_TAG)
        finally:
            self._quiet = False
        self._emit()

    def set_counts(self, counts: dict[str, int]) -> None:
        for i, (key, label) in enumerate(VIEWS):
            n = counts.get(key)
            self.view_box.setItemText(i, f"{label} ({n:,})" if n is not None else label)

    def set_choices(self, tags: list[tuple[str, int]], sites: list[tuple[str, int]]) -> None:
        """Refill the tag and site lists (most used sites first), keeping the current pick."""
        self._quiet = True
        try:
            for box, any_, items in ((self.tag_box, ANY_TAG, tags), (self.site_box, ANY_SITE,
                                                                      sites[:500])):
                keep = box.currentText()
                box.clear()
                box.addItem(any_, "")
                for name, n in items:
                    box.addItem(f"{name} ({n})", name)
                box.setCurrentText(keep or any_)
        finally:
            self._quiet = False

    def _emit(self, *_args) -> None:
        if not self._quiet:
            tag = self.tag()
            self.changed.emit(self.view(), (tag,) if tag else (), self.site())


def _choice(box: QComboBox, any_: str) -> str:
    """The chosen name: the item's data when the text is an item's, else the typed text."""
    text = box.currentText().strip()
    if not text or text == any_:
        return ""
    i = box.findText(text, Qt.MatchFlag.MatchFixedString)
    if i >= 0:
        return box.itemData(i) or ""
    for i in range(box.count()):  # typed the bare name of an item shown as "name (n)"
        if (box.itemData(i) or "").casefold() == text.casefold():
            return box.itemData(i)
    return text
