"""Importing by drag and drop and pasting; failures listed in the problems dock."""
from __future__ import annotations

from PySide6.QtCore import QMimeData, QPoint, QPointF, Qt, QUrl
from PySide6.QtGui import QDragEnterEvent, QDropEvent, QGuiApplication
from PySide6.QtWidgets import QApplication

from ui.library.importing import sources_from_mime, urls_in_text


def _drop(window, mime: QMimeData) -> QDropEvent:
    pos = QPoint(window.width() // 2, window.height() // 2)
    enter = QDragEnterEvent(pos, Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton,
                            Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(window, enter)
    assert enter.isAccepted()
    drop = QDropEvent(QPointF(pos), Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton,
                      Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(window, drop)
    return drop


def test_sources_from_mime():
    m = QMimeData()
    m.setUrls([QUrl.fromLocalFile("/tmp/a.txt"), QUrl("https://example.com/x"),
               QUrl("ftp://nope/")])
    assert sources_from_mime(m) == ["/tmp/a.txt", "https://example.com/x"]
    t = QMimeData()
    t.setText("see https://example.com/a, and http://b.example/c.")
    assert sources_from_mime(t) == ["https://example.com/a", "http://b.example/c"]
    assert urls_in_text("nothing here") == []


def test_drop_a_text_file_imports_and_offers_to_open_it(window, qtbot, tmp_path):
    """Issue 12: an import does not take the reader away; the status bar offers "Open"."""
    f = tmp_path / "dropped.txt"
    f.write_text("Lighthouse keepers return\n\nThe last lighthouse keeper in Cornwall "
                 "retired this spring after forty years.\n", encoding="utf-8")
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(f))])
    before = window.library_panel.model.total_count()
    drop = _drop(window, mime)
    assert drop.isAccepted()
    reading = window.reader.current_article_id()
    qtbot.waitUntil(lambda: window.library_panel.model.total_count() == before + 1, timeout=10000)
    qtbot.waitUntil(lambda: window.live._open_btn is not None, timeout=5000)
    assert window.reader.current_article_id() == reading  # the reader stayed put
    assert not window.windowTitle().startswith("Lighthouse keepers")
    qtbot.mouseClick(window.live._open_btn, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.windowTitle().startswith("Lighthouse keepers"), timeout=5000)
    assert window.library_panel.current_article_id() == window.reader.current_article_id()
    assert not window.imports.problems.isVisible()


def test_failures_are_listed_not_shown_in_dialogs(window, qtbot, tmp_path):
    bad = tmp_path / "empty.txt"
    bad.write_text("   \n", encoding="utf-8")
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(bad)), QUrl.fromLocalFile(str(tmp_path / "missing.md"))])
    _drop(window, mime)
    dock = window.imports.problems
    qtbot.waitUntil(lambda: dock.list.count() == 2, timeout=10000)
    assert dock.isVisible()
    lines = [dock.list.item(i).text() for i in range(2)]
    assert any(line.startswith(str(bad) + ": ") for line in lines)
    assert QApplication.activeModalWidget() is None
    dock.clear()
    assert not dock.isVisible()


def test_paste_without_a_link_only_says_so(window, qtbot):
    QGuiApplication.clipboard().setText("just words")
    window.library_panel.view.setFocus()
    assert window.imports.paste_url() is False
    assert "no web link" in window.statusBar().currentMessage()


def test_drops_are_refused_in_a_read_only_library(window):
    window.imports.set_enabled(False)
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile("/tmp/a.txt")])
    assert not window.imports.accepts(mime)


def test_drop_an_epub_with_pictures_and_an_export(window, qtbot, tmp_path):
    """Dropped files take the same road as File ▸ Import: a book (with its pictures) and
    another app's export (recognised by content) in one drop."""
    from tests.core.app_export_fixtures import omnivore_zip
    from tests.core.test_epub_images import make_book
    book = make_book(tmp_path / "harbours.epub")
    export = omnivore_zip(tmp_path / "omnivore-export.zip")
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(book)), QUrl.fromLocalFile(str(export))])
    lib = window.library
    before = len(lib.article_ids())
    assert _drop(window, mime).isAccepted()
    qtbot.waitUntil(lambda: len(lib.article_ids()) == before + 2 and not window.tasks.busy(),
                    timeout=15000)
    titles = {a.title: a.id for a in lib.articles()}
    art = lib.article(titles["Harbours"])
    assert sum(b.kind == "image" for b in art.blocks) == 3
    assert "energy" in lib.article(titles["Tidal power 0"]).tags
