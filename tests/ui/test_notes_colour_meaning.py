"""Colour meanings are visible in the Notes panel: beside the swatches for the chosen
annotation, and on each card beside its colour bar (issue 15)."""
from __future__ import annotations

import pytest
from PySide6.QtCore import QSize
from PySide6.QtWidgets import QStyleOptionViewItem

from core import palette
from tests.ui.conftest import settle
from ui.notes.panel import NotesPanel
from ui.runner import allow_gui_thread_writes


@pytest.fixture
def panel(qtbot, reader, reader_lib):
    lib, _ = reader_lib
    p = NotesPanel(lib, reader)
    qtbot.addWidget(p)
    p.resize(380, 600)
    p.show()
    return p


def test_meaning_beside_the_swatches_and_on_the_card(reader, panel, reader_lib, qtbot):
    lib, aid = reader_lib
    s = reader.article.text.index("Energy")
    with allow_gui_thread_writes():  # the test's own set-up
        ann = lib.annotate(aid, start=s, end=s + 6, color="green")
    panel.load_article(aid)
    panel.select_annotation(ann.id)
    meaning = palette.colour("green").meaning
    assert meaning in panel.color_meaning.text()
    panel.set_color("pink")
    settle(qtbot, lib)
    assert palette.colour("pink").meaning in panel.color_meaning.text()
    # the card's text carries the meaning too
    delegate = panel.list.itemDelegate()
    opt = QStyleOptionViewItem()
    opt.initFrom(panel.list)
    row = panel.model.row_of(ann.id)
    doc = delegate._doc(opt, panel.model.items[row], 300)
    assert palette.colour("pink").meaning in doc.toPlainText()
    assert delegate.sizeHint(opt, panel.model.index(row)) != QSize()
