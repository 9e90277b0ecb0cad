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
    assert labels == ["PERSON", "ORG", "GPE", "DATE"]  # readers' order, not alphabetical
    ix = _child(m, "PERSON", "Keir Starmer")
    assert m.index(ix.row(), 1, ix.parent()).data() == "2"
    assert m.index(labels.index("GPE"), 1).data() == "3"  # London, Brussels, Germany


def test_click_highlights_every_mention_and_steps(panel, reader, qtbot):
    ix = _child(panel.model, "PERSON", "Keir Starmer")
    rect = panel.tree.visualRect(ix)
    qtbot.mouseClick(panel.tree.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    focus = [s.cursor.selectedText() for s in reader._layers.layers["focus"]]
    assert focus == ["Keir Starmer", "Keir Starmer"]
    assert panel.position.text() == "Mention 1 of 2"
    panel.next_btn.click()
    assert panel.position.text() == "Mention 2 of 2"
    last = reader.article.text.rindex("Keir Starmer")
    c = reader.browser.textCursor()
    c.setPosition(reader.omap.to_doc(last))
    assert reader.browser.viewport().rect().contains(reader.browser.cursorRect(c))
    panel.prev_btn.click()
    assert panel.position.text() == "Mention 1 of 2"


def test_refreshes_when_article_changes(panel, reader):
    reader.show_article(None)
    assert panel.model.rowCount() == 0
    assert reader._layers.layers["focus"] == []


def test_group_entities_merges_case_variants():
    from core.models import EntitySpan
    g = group_entities([EntitySpan(0, 2, "ORG", "EU"), EntitySpan(5, 7, "ORG", "Eu"),
                        EntitySpan(9, 11, "ORG", "EU")])
    assert len(g) == 1 and g[0].entities[0].text == "EU" and len(g[0].entities[0].mentions) == 3
