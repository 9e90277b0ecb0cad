"""Search as you type: results, stale results dropped, Enter opens the article at the match."""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from core.models import EntitySpan
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
    ctl._on_done(old, (SearchResult([_hit(aid=3), _hit(aid=2)], 2, "apple"), None), None)
    assert ctl.popup.model.hits == before  # the stale answer was ignored
    ctl._on_done(ctl.generation, (SearchResult([_hit(aid=3)], 1, "apples"), None), None)
    assert [h.article_id for h in ctl.popup.model.hits] == [3]


def test_search_waits_for_an_index_rebuild(window, qtbot):
    window.search.set_search(None, "The search index is being rebuilt…")
    window.focus_search()
    QTest.keyClicks(window.search_field, "apple")
    qtbot.waitUntil(lambda: "rebuilt" in window.search_popup.status.text(), timeout=3000)
    window.upkeep.index_ready()
    qtbot.waitUntil(lambda: window.search_popup.model.rowCount() == 1, timeout=5000)


def test_too_broad_query_says_narrow_your_query(window, qtbot):
    """Issue 16 item 6: the index's refusal is shown as the popup's status."""
    ctl = window.search
    window.focus_search()
    QTest.keyClicks(window.search_field, "*")
    notice = "query too broad: its wildcards match over 1,000 words; narrow your query"
    ctl._on_done(ctl.generation, (SearchResult([], 0, "*", notice=notice), None), None)
    assert "narrow your query" in window.search_popup.status.text()
    assert ctl.popup.model.rowCount() == 0


def test_a_newer_query_replaces_queued_older_ones(window, qtbot):
    import threading
    ctl = window.search
    started: list[str] = []
    release = threading.Event()
    real = ctl.search_fn

    def recording(q):
        started.append(q)
        if q == "apple":
            release.wait(5)  # the first search is still running while two more are asked
        return real(q)
    ctl.set_search(recording)
    window.focus_search()
    for q in ("apple", "apples", "zebra"):
        window.search_field.setText(q)
        ctl.run_now()
        if q == "apple":
            qtbot.waitUntil(lambda: started == ["apple"], timeout=5000)
    release.set()
    ctl.wait()
    assert started == ["apple", "zebra"]  # "apples" was dropped before it ran
    qtbot.waitUntil(lambda: ctl.last_result is not None and ctl.last_result.query == "zebra",
                    timeout=5000)


def test_a_query_naming_an_entity_offers_its_page_above_the_hits(qtbot, library, no_ner):
    from tests.ui.conftest import open_window
    from ui.runner import allow_gui_thread_writes
    with allow_gui_thread_writes():  # the test's own set-up: entities as recognition stores them
        for aid in library.article_ids():
            art = library.article(aid)
            if "Brussels" in art.text:
                s = art.text.index("Brussels")
                library._store.replace_entities(
                    aid, [EntitySpan(s, s + 8, "GPE", "Brussels")], "test", "1", art.content_hash)
    library.close()
    window = open_window(qtbot, library.path)
    window.focus_search()
    QTest.keyClicks(window.search_field, "brussels")
    popup = window.search_popup
    qtbot.waitUntil(lambda: popup.model.rowCount() >= 2, timeout=5000)
    entity, first = popup.model.hits[:2]
    assert (entity.kind, entity.title, entity.label) == ("entity", "Brussels", "Place")
    assert "mentioned in 1 article" in entity.snippet_html
    assert first.kind == "article" and first.title == "Defence talks resume"
    assert popup.current_row() == 1  # Enter still opens the best hit
    QTest.keyClick(window.search_field, Qt.Key.Key_Up)
    with qtbot.waitSignal(window.search.entityRequested) as sig:
        QTest.keyClick(window.search_field, Qt.Key.Key_Return)
    assert sig.args == ["Brussels", "GPE"]
    page = window.entity_actions._page
    qtbot.waitUntil(lambda: page.page is not None and page.page["name"] == "Brussels", timeout=5000)
    assert page.isVisible() and page.articles.count() == 1
    window.focus_search()
    window.search_field.clear()
    QTest.keyClicks(window.search_field, "defence fund in Brussels")  # a sentence: no entity row
    qtbot.waitUntil(lambda: popup.model.rowCount() >= 1 and "defence" in
                    window.search.last_result.query, timeout=5000)
    assert all(h.kind != "entity" for h in popup.model.hits)
    window.search_field.clear()
    QTest.keyClicks(window.search_field, "brusels")  # a typo: the corrected name is the entity
    qtbot.waitUntil(lambda: "Showing results for" in popup.status.text(), timeout=5000)
    assert popup.model.hits[0].kind == "entity" and popup.model.hits[0].title == "Brussels"
    page.close()
    window.close()
