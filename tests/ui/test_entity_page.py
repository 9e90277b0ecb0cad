"""The entity page dialog, the show/hide-all entities switch and undoable scoped corrections
(issue #13), with pytest-qt."""
from __future__ import annotations

from PySide6.QtCore import QSettings

from core.models import Document
from core.text import TextBuilder
from tests.ui.conftest import settle
from tests.ui.test_reader_entities import _action, _entity_texts, _point_at
from ui.entities.actions import SETTINGS_KEY, EntityActions
from ui.entities.page import EntityPageDialog
from ui.reader.menu import build_menu
from ui.runner import allow_gui_thread_writes


def _doc(title, para, published):
    b = TextBuilder()
    b.add_block("paragraph", para)
    return Document(text=b.text, blocks=b.blocks, links=b.links, title=title, published=published)


def test_entity_page_shows_articles_notes_chart_and_companions(qtbot, reader_lib):
    lib, aid = reader_lib
    with allow_gui_thread_writes():  # the test's own set-up
        other = lib.add_document(_doc("Later talks", "Keir Starmer flew to Berlin to meet Olaf "
                                      "Scholz.", "2026-03-04")).article_id
        lib.recognise_entities([other])
        text = lib.article(aid).text
        s = text.index("Keir Starmer met")
        lib.annotate(aid, start=s, end=s + 12, note="why this meeting matters")
    dlg = EntityPageDialog(lib)
    qtbot.addWidget(dlg)
    with qtbot.waitSignal(dlg.pageShown):  # gathered on a worker
        dlg.show_entity("Keir Starmer", "PERSON")
    assert dlg.heading.text() == "Keir Starmer"
    assert dlg.articles.count() == 2
    assert dlg.articles.item(0).text().startswith("Later talks")  # newest first
    assert dlg.notes.count() == 1 and "why this meeting matters" in dlg.notes.item(0).text()
    assert dict(dlg.chart.months)["2026-01"] >= 3 and dict(dlg.chart.months)["2026-02"] == 0
    related = [dlg.related.item(i).text() for i in range(dlg.related.count())]
    assert any(r.startswith("Maroš Šefčovič — Person") for r in related)
    with qtbot.waitSignal(dlg.articleRequested) as sig:
        dlg.articles.itemActivated.emit(dlg.articles.item(1))
    assert sig.args == [aid]
    london = next(dlg.related.item(i) for i in range(dlg.related.count())
                  if dlg.related.item(i).text().startswith("London"))
    with qtbot.waitSignal(dlg.pageShown):
        dlg.related.itemActivated.emit(london)  # a companion opens its own page
    assert dlg.heading.text() == "London"


def test_show_hide_all_entities_holds_for_unseen_types(qtbot, reader):
    acts = EntityActions(reader)
    assert _entity_texts(reader)
    acts.toggle.trigger()  # off
    assert _entity_texts(reader) == []
    assert QSettings().value(SETTINGS_KEY, type=bool) is False
    reader.show_article(reader.article.id)  # a new article: every type stays off
    assert _entity_texts(reader) == []
    acts.toggle.trigger()
    assert "Keir Starmer" in _entity_texts(reader)


def test_scoped_correction_from_the_menu_is_undoable(qtbot, reader, reader_lib):
    lib, aid = reader_lib
    acts = EntityActions(reader)
    text = reader.article.text
    off = text.index("Keir Starmer")
    menu = build_menu(reader, _point_at(reader, off))
    assert _action(menu, "Open Entity Page…") is not None
    top = [a.text() for a in menu.actions()]
    assert "Remove This Mention" not in top  # removal sits in the Correct submenu
    _action(menu, "Remove Every “Keir Starmer” in This Article").trigger()
    settle(qtbot, lib)
    assert "Keir Starmer" not in [e.text for e in lib.entities(aid)]
    assert "Keir Starmer" not in _entity_texts(reader)
    acts.undo_stack.undo()
    settle(qtbot, lib)
    assert [e.text for e in lib.entities(aid)].count("Keir Starmer") == 2
    acts.undo_stack.redo()
    settle(qtbot, lib)
    assert "Keir Starmer" not in [e.text for e in lib.entities(aid)]


def test_window_wires_toggle_undo_and_panel_menu(window):
    acts = window.entity_actions
    view_menu = next(a.menu() for a in window.menuBar().actions() if a.text() == "&View")
    assert acts.toggle in view_menu.actions()
    assert acts.toggle.shortcut().toString() == "Ctrl+Shift+E"
    edit_menu = next(a.menu() for a in window.menuBar().actions() if a.text() == "&Edit")
    assert acts.undo_action in edit_menu.actions()
    from PySide6.QtCore import Qt
    assert window.entities_panel.tree.contextMenuPolicy() == Qt.ContextMenuPolicy.CustomContextMenu


def test_merge_and_split_from_the_panel_are_undoable(qtbot, reader, reader_lib):
    from ui.entities.panel import EntitiesPanel, VariantsRole
    lib, aid = reader_lib
    panel = EntitiesPanel(reader)
    qtbot.addWidget(panel)
    acts = EntityActions(reader)
    acts.merge("Brussels", "London")
    settle(qtbot, lib)
    panel.refresh()
    m = panel.model
    places = next(m.index(r, 0) for r in range(m.rowCount()) if m.index(r, 0).data() == "Places")
    rows = {m.index(r, 0, places).data(): m.index(r, 0, places).data(VariantsRole)
            for r in range(m.rowCount(places))}
    assert "Brussels" not in rows and set(rows["London"]) == {"London", "Brussels"}
    acts.undo_stack.undo()
    settle(qtbot, lib)
    panel.refresh()
    rows = [m.index(r, 0, places).data() for r in range(m.rowCount(places))]
    assert "Brussels" in rows and lib.entity_aliases() == {}
