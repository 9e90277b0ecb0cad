"""Entity highlights in the reader: layer, legend chips, tooltip, context menu, corrections."""
from __future__ import annotations

import pytest
from PySide6.QtGui import QColor, QTextCursor

from ui.reader.menu import build_menu, entity_query
from ui.theme import colors as tc


def _entity_texts(reader) -> list[str]:
    return [s.cursor.selectedText() for s in reader._layers.layers["entities"]]


def _point_at(reader, offset: int):
    c = QTextCursor(reader.browser.document())
    c.setPosition(reader.omap.to_doc(offset) + 1)
    return reader.browser.cursorRect(c).center()


def _action(menu, text: str):
    for a in menu.actions():
        if a.text() == text:
            return a
        if a.menu():
            found = _action(a.menu(), text)
            if found:
                return found
    return None


def test_entity_layer_covers_every_mention(reader):
    texts = _entity_texts(reader)
    assert texts.count("Keir Starmer") == 2 and "Maroš Šefčovič" in texts
    assert set(reader.legend.chips) == {"PERSON", "GPE", "ORG", "DATE"}
    assert reader.legend.chips["PERSON"].text() == "PERSON 4"


def test_toggling_a_chip_removes_that_labels_highlights(reader, qtbot):
    chip = reader.legend.chips["GPE"]
    chip.click()
    assert not chip.isChecked()
    texts = _entity_texts(reader)
    assert "London" not in texts and "Brussels" not in texts and "Keir Starmer" in texts
    chip.click()
    assert "London" in _entity_texts(reader)


def test_hover_tooltip_names_type_and_text(reader):
    text = reader.article.text
    tip = reader.tooltip_at(_point_at(reader, text.index("Keir Starmer")))
    assert tip == "PERSON — Keir Starmer"
    assert reader.tooltip_at(_point_at(reader, text.index("Filler paragraph 3"))) == ""


def test_context_menu_searches_the_library_for_the_entity(reader, qtbot):
    off = reader.article.text.index("London")
    menu = build_menu(reader, _point_at(reader, off))
    with qtbot.waitSignal(reader.searchEntityRequested) as sig:
        _action(menu, "Search the library for this entity").trigger()
    assert sig.args == ['place:"London"']
    assert entity_query("PERSON", "Keir Starmer") == 'person:"Keir Starmer"'
    assert entity_query("LAW", "Brexit Act") == '"Brexit Act"'


def test_corrections_remove_relabel_and_mark(reader, reader_lib):
    lib, aid = reader_lib
    text = reader.article.text
    off = text.index("London")
    _action(build_menu(reader, _point_at(reader, off)), "Remove this entity").trigger()
    assert "London" not in _entity_texts(reader)
    off = text.index("Brussels")
    _action(build_menu(reader, _point_at(reader, off)),
            "LOC — " + tc.ENTITY_DESCRIPTIONS["LOC"]).trigger()
    assert any(e.text == "Brussels" and e.label == "LOC" for e in lib.entities(aid))
    s = text.index("Filler")
    reader.select_range(s, s + 6)
    menu = build_menu(reader, _point_at(reader, s))
    _action(_action(menu, "Mark as entity").menu(), "ORG — " + tc.ENTITY_DESCRIPTIONS["ORG"]
            ).trigger()
    assert any(e.start == s and e.label == "ORG" for e in lib.entities(aid))
    assert "Filler" in _entity_texts(reader)


@pytest.mark.parametrize("theme", list(tc.THEMES))
def test_entity_tints_visible_and_text_legible_in_every_theme(theme):
    t = tc.theme(theme)
    for label in tc.ENTITY_COLORS:
        bg = tc.entity_background(label, t)
        assert tc.contrast(bg, QColor(t.fg)) >= 4.5, (theme, label)
        assert tc.contrast(bg, QColor(t.bg)) >= 1.1, (theme, label)


def test_highlight_stays_distinguishable_over_an_entity(reader, reader_lib):
    lib, aid = reader_lib
    text = reader.article.text
    s = text.index("Keir Starmer met")
    lib.annotate(aid, start=s, end=s + len("Keir Starmer met"), color="yellow")
    reader.reload_annotations()
    hl = reader._layers.layers["highlights"][0].format
    ent = reader._layers.layers["entities"][0].format
    assert hl.underlineStyle() != ent.underlineStyle()  # highlights are underlined, entities not
    # entities are painted after (over) highlights, translucent: inside a highlight they blend
    order = reader._layers.all()
    assert order.index(reader._layers.layers["highlights"][0]) < order.index(
        reader._layers.layers["entities"][0])
    assert 0 < ent.background().color().alphaF() < 1
