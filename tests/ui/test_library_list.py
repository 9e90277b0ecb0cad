"""The library list: model contract, filter, sort, selection, scale."""
from __future__ import annotations

import time

from PySide6.QtCore import Qt

from core.models import ArticleSummary
from ui.library.model import DetailRole, IdRole, LibraryModel
from ui.library.panel import LibraryPanel


def summaries(n: int) -> list[ArticleSummary]:
    return [ArticleSummary(id=i, title=f"Article {i:05d} {'apple' if i % 3 == 0 else 'pear'}",
                           site=f"site{i % 7}.example", author="", url="",
                           published=f"20{10 + i % 15:02d}-01-01", added=f"2026-01-01T00:00:{i % 60:02d}",
                           updated="", notes_count=i % 4, words=100)
            for i in range(1, n + 1)]


def test_library_model_contract(qtmodeltester):
    m = LibraryModel()
    m.set_articles(summaries(50))
    qtmodeltester.check(m, force_py=True)
    m.set_filter("apple")
    m.set_sort("title")
    qtmodeltester.check(m, force_py=True)


def test_filter_and_sort(qtbot):
    panel = LibraryPanel()
    qtbot.addWidget(panel)
    panel.set_articles(summaries(30))
    m = panel.model
    assert m.rowCount() == 30
    panel.set_sort("title")
    titles = [m.index(r, 0).data() for r in range(m.rowCount())]
    assert titles == sorted(titles, key=str.casefold)
    panel.set_sort("published")
    dates = [m.index(r, 0).data(Qt.ItemDataRole.UserRole + 3) for r in range(m.rowCount())]
    assert dates == sorted(dates, reverse=True)
    panel.filter_edit.setText("APPLE site0")
    qtbot.waitUntil(lambda: m.filter_text == "apple site0")
    ids = {m.index(r, 0).data(IdRole) for r in range(m.rowCount())}
    assert ids == {i for i in range(1, 31) if i % 3 == 0 and i % 7 == 0}
    assert panel.count_label.text() == f"{len(ids)} of 30 articles"
    panel.filter_edit.setText("no such thing")
    qtbot.waitUntil(lambda: m.rowCount() == 0)
    assert panel.empty_label.isVisibleTo(panel)
    assert "No article matches" in panel.empty_label.text()


def test_selection_survives_filter_and_emits_on_user_move(qtbot):
    panel = LibraryPanel()
    qtbot.addWidget(panel)
    panel.set_articles(summaries(10))
    assert panel.select_article(6)
    panel.set_sort("title")
    assert panel.current_article_id() == 6
    with qtbot.waitSignal(panel.articleSelected) as sig:
        panel.step(+1)
    assert sig.args == [panel.current_article_id()]


def test_notes_count_updates_in_place(qtbot):
    m = LibraryModel()
    m.set_articles(summaries(5))
    row = m.row_of(2)
    with qtbot.waitSignal(m.dataChanged):
        m.set_notes_count(2, 7)
    assert "7 notes" in m.index(row, 0).data(DetailRole)


def test_twenty_thousand_rows_stay_fast(qtbot):
    panel = LibraryPanel()
    qtbot.addWidget(panel)
    panel.resize(320, 800)
    panel.show()
    rows = summaries(20000)
    t = time.perf_counter()
    panel.set_articles(rows)
    panel.set_sort("title")
    panel.model.set_filter("apple")
    panel.view.scrollToBottom()
    qtbot.wait(1)
    elapsed = time.perf_counter() - t
    assert panel.view.uniformItemSizes()
    assert elapsed < 1.0, f"20k rows took {elapsed:.2f}s"
