"""The reader's context menu: highlight/note a selection, act on an entity, correct entities."""
from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING

from PySide6.QtCore import QPoint
from PySide6.QtGui import QColor, QKeySequence
from PySide6.QtWidgets import QMenu

from core.ner.names import display_name
from core.search import entity_query
from ui.reader.render import safe_href
from ui.reader.widgets import swatch_icon
from ui.theme.colors import ENTITY_DESCRIPTIONS, LABEL_ORDER, entity_swatch

if TYPE_CHECKING:
    from ui.reader.view import ReaderView

CORRECTION_LABELS = ["PERSON", "ORG", "GPE", "LOC", "NORP", "FAC", "EVENT", "LAW", "PRODUCT",
                     "WORK_OF_ART", "DATE", "MONEY"]


def _label_menu(parent: QMenu, title: str, exclude: str, on_pick) -> QMenu:
    sub = parent.addMenu(title)
    for lab in sorted(CORRECTION_LABELS, key=LABEL_ORDER.index):
        if lab == exclude:
            continue
        a = sub.addAction(swatch_icon(entity_swatch(lab)),
                          f"{display_name(lab)} — {ENTITY_DESCRIPTIONS[lab]}")
        a.triggered.connect(lambda _=False, lab=lab: on_pick(lab))
    return sub


def _correct(view: ReaderView, action: str, start: int, end: int, label: str = "",
             scope: str = "mention") -> None:
    """Through the window's undoable entity actions when installed, else this mention only."""
    acts = getattr(view, "entity_actions", None)
    if acts is not None:
        acts.correct(action, start, end, label, scope)
    elif scope == "mention":
        view.correct_entity(action, start, end, label)


def _correct_menu(menu: QMenu, view: ReaderView, ent) -> None:
    """Corrections live one level down, each with its scope spelled out, so Remove is never
    one slip away from Search; every one is undoable (Edit ▸ Undo Entity Correction)."""
    sub = menu.addMenu("Correct")
    name = ent.text if len(ent.text) <= 30 else ent.text[:29] + "…"
    scopes = [("mention", "This Mention"), ("article", f"Every “{name}” in This Article"),
              ("library", f"“{name}” Everywhere (a Rule)")]
    has_scopes = getattr(view, "entity_actions", None) is not None
    for scope, words in scopes if has_scopes else scopes[:1]:
        _label_menu(sub, f"Relabel {words} as", ent.label,
                    partial(_relabel, view, ent.start, ent.end, scope))
    sub.addSeparator()
    for scope, words in scopes if has_scopes else scopes[:1]:
        sub.addAction(f"Remove {words}", partial(_correct, view, "remove", ent.start, ent.end, "",
                                                 scope))


def _relabel(view: ReaderView, start: int, end: int, scope: str, label: str) -> None:
    _correct(view, "relabel", start, end, label, scope)


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
                    lambda lab: _correct(view, "add", s, e, lab))
        menu.addSeparator()
        menu.addAction("Copy", view.browser.copy)
    ent = view.entity_at(off) if off >= 0 else None
    if ent is not None:
        if not menu.isEmpty():
            menu.addSeparator()
        head = menu.addAction(f"{display_name(ent.label)} — {ent.text}")
        head.setEnabled(False)
        q = entity_query(ent.label, ent.text)
        acts = getattr(view, "entity_actions", None)
        if acts is not None:
            menu.addAction("Open Entity Page…", lambda: acts.open_page(ent.text, ent.label))
        menu.addAction("Search the library for this entity",
                       lambda: view.searchEntityRequested.emit(q))
        menu.addSeparator()
        _correct_menu(menu, view, ent)
    href = safe_href(view.browser.anchorAt(pos))
    if href:
        from ui.reader import links
        if not menu.isEmpty():
            menu.addSeparator()
        menu.addAction("Open Link in Browser", lambda: links.open_in_browser(view, href))
        menu.addAction("Copy Link", lambda: links.copy_link(view, href))
        menu.addAction("Import Link into Library", lambda: links.import_link(view, href))
    ann_id = view.annotation_at(off) if off >= 0 else None
    if ann_id is not None and rng is None:
        if not menu.isEmpty():
            menu.addSeparator()
        menu.addAction("Show in notes", lambda: view.annotationActivated.emit(ann_id))
    if menu.isEmpty():
        menu.addAction("Find in article…", view.find_in_article)
        menu.addAction("Select all", view.browser.selectAll)
    return menu
