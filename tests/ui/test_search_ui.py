"""Search as you type: results, stale results dropped, Enter opens the article at the match."""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from index.search import SearchHit, SearchResult
from ui.search.popup import SearchResultsModel, terms_for


def _hit(kind="article", aid=1, snippet="a <mark>Šefčovič</mark> b"):
    return SearchHit(kind=kind, article_id=aid, annotation_id=None if kind == "article" else 9,
                     score=1.0, title="T", snippet_html=snippet)


def test_results_model_contract(qtmodeltester):
    m = SearchResultsModel()
    m.set_hits([_hit(), _hit("annotation", 2)])
    qtmodeltester.check(m, force_py=True)


def test_terms_come_from_the_snippet_marks_then_the_query():
    assert terms_for(_hit(), "sefcovic") == ["Šefčovič"]
    assert terms_for(_hit(snippet="no marks"), 'title:apple AND "zebra crossing" OR x*') == \
        ["apple", "zebra crossing", "x"]


def test_typing_shows_results_and_enter_opens_at_the_match(window, qtbot):
    marked: list[list[str]] = []
    window.reader.mark_terms = lambda terms: marked.append(list(terms))
    QTest.keyClick(window, Qt.Key.Key_K, Qt.KeyboardModifier.ControlModifier)
    assert window.search_field.hasFocus()
    QTest.keyClicks(window.search_field, "sefcovic")
    popup = window.search_popup
    qtbot.waitUntil(lambda: popup.model.rowCount() > 0, timeout=5000)
    assert popup.isVisible()
    hit = popup.model.hits[0]
    assert hit.title == "Defence talks resume"
    assert "<mark>" in hit.snippet_html
    assert "match" in popup.status.text()
    QTest.keyClick(window.search_field, Qt.Key.Key_Return)
    assert not popup.isVisible()
    assert window.reader.current_article_id() == hit.article_id
    assert window.library_panel.current_article_id() == hit.article_id
    assert marked == [["Šefčovič"]]


def test_enter_before_results_arrive_opens_the_first_hit(window, qtbot):
    window.focus_search()
    QTest.keyClicks(window.search_field, "apple")
    QTest.keyClick(window.search_field, Qt.Key.Key_Return)  # inside the debounce
    qtbot.waitUntil(lambda: window.reader.current_article_id() is not None
                    and window.windowTitle().startswith("Apple harvest"), timeout=5000)


def test_arrow_keys_move_through_results(window, qtbot):
    window.focus_search()
    QTest.keyClicks(window.search_field, "record OR zebra OR defence")
    popup = window.search_popup
    qtbot.waitUntil(lambda: popup.model.rowCount() >= 3, timeout=5000)
    assert popup.current_row() == 0
    QTest.keyClick(window.search_field, Qt.Key.Key_Down)
    QTest.keyClick(window.search_field, Qt.Key.Key_Down)
    assert popup.current_row() == 2
    QTest.keyClick(window.search_field, Qt.Key.Key_Up)
    assert popup.current_row() == 1
    QTest.keyClick(window.search_field, Qt.Key.Key_Escape)
    assert not popup.isVisible()


def test_stale_results_are_dropped(window, qtbot):
    ctl = window.search
    window.focus_search()
    QTest.keyClicks(window.search_field, "apple")
    qtbot.waitUntil(lambda: ctl.popup.model.rowCount() == 1, timeout=5000)
    before = list(ctl.popup.model.hits)
    old = ctl.generation
    QTest.keyClicks(window.search_field, "s")  # a newer generation, still in its debounce
    ctl._on_done(old, SearchResult([_hit(aid=3), _hit(aid=2)], 2, "apple"), None)
    assert ctl.popup.model.hits == before  # the stale answer was ignored
    ctl._on_done(ctl.generation, SearchResult([_hit(aid=3)], 1, "apples"), None)
    assert [h.article_id for h in ctl.popup.model.hits] == [3]


def test_search_waits_for_an_index_rebuild(window, qtbot):
    window.search.set_search(None, "The search index is being rebuilt…")
    window.focus_search()
    QTest.keyClicks(window.search_field, "apple")
    qtbot.waitUntil(lambda: "rebuilt" in window.search_popup.status.text(), timeout=3000)
    window._index_ready()
    qtbot.waitUntil(lambda: window.search_popup.model.rowCount() == 1, timeout=5000)
