"""The "Show all results" view: every hit, loaded lazily, filters and sort, Enter opens."""
from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from core.library import Library
from core.models import Document
from core.text import TextBuilder
from tests.index.newsgen import articles
from ui.search.results import PAGE, SearchResultsView


@pytest.fixture(scope="module")
def news(tmp_path_factory):
    lib = Library(tmp_path_factory.mktemp("viewlib"), seed=False)
    ids = []
    for a in articles(120):
        b = TextBuilder()
        b.add_block("paragraph", a["body"])
        ids.append(lib.add_document(Document(text=b.text, blocks=b.blocks, title=a["title"],
                                             published=a["published"])).article_id)
    lib.annotate(ids[0], quote="Tuesday", note="Tuesday meetings matter")
    lib.ensure_index()
    yield lib
    lib.close()


def _view(qtbot, lib, query):
    v = SearchResultsView(lambda q, limit, offset, sort: lib.search(q, limit=limit, offset=offset,
                                                                    sort=sort), query)
    qtbot.addWidget(v)
    v.show()
    _loaded(qtbot, v)
    return v


def _loaded(qtbot, v):
    """Pages are searched on a worker: wait for the one asked for."""
    qtbot.waitUntil(lambda: not v.model.loading, timeout=5000)


def test_lists_every_hit_lazily(qtbot, news):
    v = _view(qtbot, news, "tuesday")
    assert v.model.total == 121
    assert v.model.rowCount() == PAGE
    while v.model.canFetchMore():
        v.model.fetchMore()
        assert v.model.loading and not v.model.canFetchMore()  # one page in flight at a time
        _loaded(qtbot, v)
    assert v.model.rowCount() == 121
    assert len({(h.article_id, h.annotation_id) for h in v.model.hits}) == 121
    assert "121 results" in v.status.text()


def test_filters_and_sort_change_the_list(qtbot, news):
    v = _view(qtbot, news, "tuesday")
    v.kind.setCurrentIndex(2)  # Notes
    _loaded(qtbot, v)
    assert [h.label for h in v.model.hits] == ["Note"]
    v.kind.setCurrentIndex(1)  # Articles
    _loaded(qtbot, v)
    assert v.model.total == 120 and all(h.kind == "article" for h in v.model.hits)
    v.sort.setCurrentIndex(1)  # Date
    _loaded(qtbot, v)
    dates = [h.published for h in v.model.hits]
    assert dates == sorted(dates, reverse=True)
    v.use_dates.setChecked(True)
    v.date_from.setDate(v.date_from.date().fromString("2024-06-01", "yyyy-MM-dd"))
    v.date_to.setDate(v.date_to.date().fromString("2024-06-30", "yyyy-MM-dd"))
    _loaded(qtbot, v)
    assert v.model.total > 0 and all(h.published.startswith("2024-06") for h in v.model.hits)


def test_enter_opens_the_hit_and_esc_closes(qtbot, news):
    v = _view(qtbot, news, "tuesday")
    v.view.setCurrentIndex(v.model.index(2, 0))
    v.view.setFocus()
    with qtbot.waitSignal(v.openRequested) as sig:
        QTest.keyClick(v.view, Qt.Key.Key_Return)
    assert sig.args[0] is v.model.hits[2]
    v2 = _view(qtbot, news, "tuesday")
    QTest.keyClick(v2, Qt.Key.Key_Escape)
    assert not v2.isVisible()


def test_show_all_from_the_search_field(window, qtbot):
    window.focus_search()
    QTest.keyClicks(window.search_field, "record OR zebra OR defence")
    qtbot.waitUntil(lambda: window.search_popup.model.rowCount() >= 3, timeout=5000)
    QTest.keyClick(window.search_field, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    view = window.search.results_view
    assert view is not None and view.isVisible()
    _loaded(qtbot, view)
    assert view.model.rowCount() == 3
    view.view.setCurrentIndex(view.model.index(0, 0))
    view.view.setFocus()
    hit = view.model.hits[0]
    QTest.keyClick(view.view, Qt.Key.Key_Return)
    assert window.reader.current_article_id() == hit.article_id


def test_scope_chips_restrict_the_popup(window, qtbot):
    window.focus_search()
    QTest.keyClicks(window.search_field, "defence")
    popup = window.search_popup
    qtbot.waitUntil(lambda: popup.model.rowCount() > 0, timeout=5000)
    popup.chips.select(2)  # Notes: the library has none
    qtbot.waitUntil(lambda: "No matches" in popup.status.text(), timeout=5000)
    popup.chips.select(1)  # Articles
    qtbot.waitUntil(lambda: popup.model.rowCount() > 0, timeout=5000)
    assert all(h.kind == "article" for h in popup.model.hits)
    assert window.search_field.text() == "defence"


def test_a_newer_query_drops_the_page_of_an_older_one(qtbot, news):
    v = _view(qtbot, news, "tuesday")
    v.query_edit.setText("tuesday")
    v.refresh()
    v.kind.setCurrentIndex(2)  # Notes, asked before the page above arrived
    _loaded(qtbot, v)
    v.model.wait()
    qtbot.wait(50)  # any late page of the older query would arrive now
    assert [h.label for h in v.model.hits] == ["Note"] and v.model.total == 1
    assert v.status.text() == "1 result"
