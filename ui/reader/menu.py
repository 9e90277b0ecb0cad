"""The reader's context menu: highlight/note a selection, act on an entity, correct entities."""
from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QPoint
from PySide6.QtGui import QColor, QKeySequence
from PySide6.QtWidgets import QMenu

from ui.reader.widgets import swatch_icon
from ui.theme.colors import ENTITY_DESCRIPTIONS, LABEL_ORDER, entity_swatch

if TYPE_CHECKING:
    from ui.reader.view import ReaderView

# Mirrors index/schema.ENTITY_FIELDS (ui may not import index): label → search field.
SEARCH_FIELDS = {"PERSON": "person", "ORG": "org", "GPE": "place", "LOC": "place",
                 "FAC": "place", "NORP": "norp", "EVENT": "event", "MONEY": "money",
                 "DATE": "date", "PERCENT": "percent"}
CORRECTION_LABELS = ["PERSON", "ORG", "GPE", "LOC", "NORP", "FAC", "EVENT", "LAW", "PRODUCT",
                     "WORK_OF_ART", "DATE", "MONEY"]


def entity_query(label: str, text: str) -> str:
    """'person:"Keir Starmer"'; labels without a field search the words as a phrase."""
    phrase = '"' + text.replace('"', " ").strip() + '"'
    field = SEARCH_FIELDS.get(label)
    return f"{field}:{phrase}" if field else phrase


def _label_menu(parent: QMenu, title: str, exclude: str, on_pick) -> QMenu:
    sub = parent.addMenu(title)
    for lab in sorted(CORRECTION_LABELS, key=LABEL_ORDER.index):
        if lab == exclude:
            continue
        a = sub.addAction(swatch_icon(entity_swatch(lab)), f"{lab} — {ENTITY_DESCRIPTIONS[lab]}")
        a.triggered.connect(lambda _=False, lab=lab: on_pick(lab))
    return sub


def build_menu(view: ReaderView, pos: QPoint) -> QMenu:
    menu = QMenu(view.browser)
    rng = view.selection_range()
    in_body = view.browser.cursorForPosition(pos).position() >= view.omap.body_doc_start
    off = view.offset_at(pos) if in_body else -1
    if rng is not None:
        sub = menu.addMenu("Highlight")
        for i, c in enumerate(view.palette_colors):
            a = sub.addAction(swatch_icon(QColor(c.light), 14), c.name)
            if i < 9:
                a.setShortcut(QKeySequence(str(i + 1)))
            a.triggered.connect(lambda _=False, k=c.key: view.highlight_selection(k))
        a = menu.addAction("Add note…")
        a.setShortcut(QKeySequence("Ctrl+Alt+N"))
        a.triggered.connect(view.add_note_to_selection)
        s, e = rng
        _label_menu(menu, "Mark as entity", "",
                    lambda lab: view.correct_entity("add", s, e, lab))
        menu.addSeparator()
        menu.addAction("Copy", view.browser.copy)
    ent = view.entity_at(off) if off >= 0 else None
    if ent is not None:
        if not menu.isEmpty():
            menu.addSeparator()
        head = menu.addAction(f"{ent.label} — {ent.text}")
        head.setEnabled(False)
        q = entity_query(ent.label, ent.text)
        menu.addAction("Search the library for this entity",
                       lambda: view.searchEntityRequested.emit(q))
        menu.addAction("Remove this entity",
                       lambda: view.correct_entity("remove", ent.start, ent.end))
        _label_menu(menu, "Relabel as", ent.label,
                    lambda lab: view.correct_entity("relabel", ent.start, ent.end, lab))
    ann_id = view.annotation_at(off) if off >= 0 else None
    if ann_id is not None and rng is None:
        if not menu.isEmpty():
            menu.addSeparator()
        menu.addAction("Show in notes", lambda: view.annotationActivated.emit(ann_id))
    if menu.isEmpty():
        menu.addAction("Find in article…", view.find_in_article)
        menu.addAction("Select all", view.browser.selectAll)
    return menu
