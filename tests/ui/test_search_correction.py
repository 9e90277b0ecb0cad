"""A misspelt search says what it searched instead, and offers the query as typed."""
from __future__ import annotations

from PySide6.QtTest import QTest


def test_correction_is_shown_and_search_as_typed_quotes_the_word(window, qtbot):
    window.focus_search()
    QTest.keyClicks(window.search_field, "zebar crossings")
    popup = window.search_popup
    qtbot.waitUntil(lambda: "Showing results for" in popup.status.text(), timeout=5000)
    assert "zebra crossings" in popup.status.text()
    assert "search instead for" in popup.status.text()
    assert popup.model.hits[0].title == "Zebra crossings reviewed"
    popup.status.linkActivated.emit("as-typed")
    assert window.search_field.text() == '"zebar" crossings'
