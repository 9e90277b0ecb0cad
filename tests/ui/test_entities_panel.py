"""Entities panel: grouped model (qtmodeltester), click marks every mention, Next/Prev steps."""
from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from ui.entities.panel import EntitiesPanel, EntityTreeModel, group_entities


@pytest.fixture
def panel(qtbot, reader):
    p = EntitiesPanel(reader)
    qtbot.addWidget(p)
    p.show()
    return p


def _child(model, label: str, text: str):
    for r in range(model.rowCount()):
        top = model.index(r, 0)
        if top.data() == label:
            for c in range(model.rowCount(top)):
                ix = model.index(c, 0, top)
                if ix.data() == text:
                    return ix
    raise AssertionError(f"{label}/{text} not in the tree")


def test_model_contract(qtmodeltester, reader):
    m = EntityTreeModel()
    m.set_entities(reader.entities())
    qtmodeltester.check(m, force_py=True)


def test_grouped_by_type_with_counts(panel):
    m = panel.model
    labels = [m.index(r, 0).data() for r in range(m.rowCount())]
    # readers' order, not alphabetical, in plain words
    assert labels == ["People", "Organisations", "Places", "Dates"]
    ix = _child(m, "People", "Keir Starmer")
    assert m.index(ix.row(), 1, ix.parent()).data() == "3"  # with "Starmer", merged in
    assert m.index(labels.index("Places"), 1).data() == "3"  # London, Brussels, Germany


def test_click_highlights_every_mention_and_steps(panel, reader, qtbot):
    ix = _child(panel.model, "People", "Keir Starmer")
    rect = panel.tree.visualRect(ix)
    qtbot.mouseClick(panel.tree.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    focus = [s.cursor.selectedText() for s in reader._layers.layers["focus"]]
    assert focus == ["Keir Starmer", "Starmer", "Keir Starmer"]  # the surname joins the name
    assert panel.position.text() == "Mention 1 of 3"
    panel.next_btn.click()
    panel.next_btn.click()
    assert panel.position.text() == "Mention 3 of 3"
    last = reader.article.text.rindex("Keir Starmer")
    c = reader.browser.textCursor()
    c.setPosition(reader.omap.to_doc(last))
    assert reader.browser.viewport().rect().contains(reader.browser.cursorRect(c))
    panel.prev_btn.click()
    assert panel.position.text() == "Mention 2 of 3"


def test_refreshes_when_article_changes(panel, reader):
    reader.show_article(None)
    assert panel.model.rowCount() == 0
    assert reader._layers.layers["focus"] == []


def test_group_entities_merges_case_variants():
    from core.models import EntitySpan
    g = group_entities([EntitySpan(0, 2, "ORG", "EU"), EntitySpan(5, 7, "ORG", "Eu"),
                        EntitySpan(9, 11, "ORG", "EU")])
    assert len(g) == 1 and g[0].entities[0].text == "EU" and len(g[0].entities[0].mentions) == 3


def test_group_entities_one_row_per_entity_with_variants():
    from core.models import EntitySpan
    g = group_entities([EntitySpan(0, 12, "PERSON", "Keir Starmer"),
                        EntitySpan(20, 27, "PERSON", "Starmer"),
                        EntitySpan(30, 32, "GPE", "UK"), EntitySpan(40, 47, "GPE", "Britain"),
                        EntitySpan(50, 52, "GPE", "UK")])
    people, places = g
    assert [(e.text, len(e.mentions)) for e in people.entities] == [("Keir Starmer", 2)]
    assert [(e.text, e.variants) for e in places.entities] == [("UK", ["UK", "Britain"])]
    g = group_entities([EntitySpan(0, 7, "GPE", "Britain"), EntitySpan(9, 11, "GPE", "UK")],
                       {"Britain": "Britain"})  # the user split Britain off
    assert len(g[0].entities) == 2
