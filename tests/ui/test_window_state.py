"""Theme, font size, layout and reading position survive a restart; library errors degrade."""
from __future__ import annotations

import sqlite3

from PySide6.QtCore import QRect, Qt
from PySide6.QtGui import QAccessible, QPalette
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

from tests.ui.conftest import open_window
from ui.window.settings import Settings


def test_theme_switch_changes_palette_reader_and_settings(window):
    window.set_theme("dark")
    base = QApplication.palette().color(QPalette.ColorRole.Base)
    assert base.lightness() < 60
    assert window.reader.theme_name() == "dark"
    assert Settings().theme() == "dark"
    assert window.menus.theme_actions["dark"].isChecked()
    window.menus.theme_actions["sepia"].trigger()
    assert window.reader.theme_name() == "sepia"
    window.set_theme("light")
    assert QApplication.palette().color(QPalette.ColorRole.Base).lightness() > 200


def test_system_theme_follows_the_desktop(window, monkeypatch):
    import ui.theme.palette
    monkeypatch.setattr(ui.theme.palette, "system_is_dark", lambda: True)
    window.set_theme("system")
    assert window.resolved_theme == "dark"
    assert Settings().theme() == "system"


def test_font_size_keys(window):
    start = window.reader.font_size()
    QTest.keyClick(window, Qt.Key.Key_Equal, Qt.KeyboardModifier.ControlModifier)
    assert window.reader.font_size() == start + 1
    QTest.keyClick(window, Qt.Key.Key_Minus, Qt.KeyboardModifier.ControlModifier)
    QTest.keyClick(window, Qt.Key.Key_Minus, Qt.KeyboardModifier.ControlModifier)
    assert window.reader.font_size() == start - 1
    QTest.keyClick(window, Qt.Key.Key_0, Qt.KeyboardModifier.ControlModifier)
    assert window.reader.font_size() == 12


def test_state_is_restored_on_restart(qtbot, library, no_ner):
    library.close()
    w = open_window(qtbot, library.path)
    w.setGeometry(QRect(20, 40, 700, 560))  # inside the 800×800 offscreen screen
    w.set_theme("sepia")
    w.set_font_size(15)
    w.library_panel.step(+1)
    chosen = w.reader.current_article_id()
    w.notes_dock.hide()
    w.reader.set_label_visible("DATE", False)
    w.close()

    w2 = open_window(qtbot, library.path)
    assert w2.reader.hidden_labels == {"DATE"}
    assert (w2.size().width(), w2.size().height()) == (700, 560)
    assert w2.theme == "sepia" and w2.reader.theme_name() == "sepia"
    assert w2.reader.font_size() == 15
    assert w2.reader.current_article_id() == chosen
    assert w2.library_panel.current_article_id() == chosen
    assert not w2.notes_dock.isVisible()
    w2.close()


def test_scroll_position_is_remembered_per_article(window):
    s = window.settings
    aid = window.reader.current_article_id()
    s.set_scroll_position(aid, 120)
    assert s.scroll_position(aid) == 120
    s.set_scroll_position(aid, 0)
    assert s.scroll_position(aid) == 0


def test_go_menu_moves_between_articles_and_focuses_panels(window):
    first = window.reader.current_article_id()
    QTest.keyClick(window, Qt.Key.Key_Down, Qt.KeyboardModifier.AltModifier)
    assert window.reader.current_article_id() != first
    QTest.keyClick(window, Qt.Key.Key_Up, Qt.KeyboardModifier.AltModifier)
    assert window.reader.current_article_id() == first
    QTest.keyClick(window, Qt.Key.Key_1, Qt.KeyboardModifier.ControlModifier)
    assert window.library_panel.view.hasFocus()
    QTest.keyClick(window, Qt.Key.Key_2, Qt.KeyboardModifier.ControlModifier)
    focus = QApplication.focusWidget()
    assert focus is window.reader or window.reader.isAncestorOf(focus)


def _name(w: QWidget) -> str:
    """What a screen reader announces: the explicit name, else what Qt derives (button text)."""
    iface = QAccessible.queryAccessibleInterface(w)
    return (iface.text(QAccessible.Text.Name) if iface is not None else "") or w.accessibleName()


def _unnamed_focusable(root: QWidget) -> list[str]:
    out = []
    for w in [root, *root.findChildren(QWidget)]:
        if w.isVisibleTo(root.window()) and w.focusPolicy() != Qt.FocusPolicy.NoFocus \
                and not _name(w) and not w.inherits("QScrollBar") \
                and not w.inherits("QTabBar") and not w.inherits("QMenuBar"):
            chain, p = [], w
            while p is not None and p is not root.window():
                chain.append(type(p).__name__)
                p = p.parentWidget()
            out.append("<".join(chain))
    return out


def test_every_focusable_widget_in_the_shell_has_an_accessible_name(window):
    """Every part of the window a keyboard user can reach: shell, reader, notes, entities."""
    window.imports.problems.show()
    window.search_popup.show()
    roots = [window.library_dock, window.toolbar, window.statusBar(), window.search_popup,
             window.imports.problems, window.centralWidget(), window.notes_dock,
             window.entities_dock]
    window.notes_dock.show()
    window.notes_dock.raise_()
    missing = [m for r in roots for m in _unnamed_focusable(r)]
    assert not missing, missing
    assert all(d.accessibleName() for d in (window.library_dock, window.entities_dock,
                                            window.notes_dock))


def test_newer_schema_gives_a_dialog_and_the_window_stays_up(qtbot, tmp_path, no_ner):
    d = tmp_path / "future"
    d.mkdir()
    con = sqlite3.connect(d / "library.sqlite")
    con.execute("PRAGMA user_version = 99000")
    con.close()
    w = open_window(qtbot, d)
    assert w.library is None
    box = w.findChild(QMessageBox)
    assert box is not None and box.isVisible()
    assert "newer Commonplace" in box.informativeText()
    assert not w.imports.act_files.isEnabled()
    box.close()
    w.close()


def test_read_only_library_opens_read_only(qtbot, library, no_ner, monkeypatch):
    from core.errors import LibraryError
    from ui.window import session
    real = session.Library

    def fake(path, seed=True, readonly=False):
        if not readonly:
            raise LibraryError("the library folder is read-only")
        return real(path, seed=seed, readonly=True)
    monkeypatch.setattr(session, "Library", fake)
    library.close()
    w = open_window(qtbot, library.path)
    assert w.readonly and w.library is not None
    assert w.library_panel.model.total_count() == 3
    assert not w.imports.act_files.isEnabled()
    assert w.status_label.text() == "Read-only"
    w.findChild(QMessageBox).close()
    assert w.notes_panel.md.editor.isReadOnly() and not w.notes_panel.add_note_btn.isEnabled()
    w.reader.select_range(0, 5)
    assert w.reader.highlight_selection("yellow") is None  # refused with a notice, no raise
    assert "Could not save" in w.reader.notice.text()
    w.close()


def test_missing_index_is_rebuilt_in_the_background(qtbot, library, no_ner):
    import shutil
    library.close()
    shutil.rmtree(library.path / "index")
    w = open_window(qtbot, library.path)
    qtbot.waitUntil(lambda: not w.search.unavailable and w.search.search_fn is not None,
                    timeout=10000)
    assert w.library.search("zebra").hits
    w.close()


def test_a_library_the_core_opened_read_only_is_shown_read_only(qtbot, library, no_ner,
                                                                monkeypatch):
    from ui.window import session
    real = session.Library
    monkeypatch.setattr(session, "Library",
                        lambda path, seed=True, readonly=False: real(path, seed=False,
                                                                     readonly=True))
    library.close()
    w = open_window(qtbot, library.path)
    assert w.readonly and w.status_label.text() == "Read-only"
    assert "read-only" in w.findChild(QMessageBox).text()
    w.findChild(QMessageBox).close()
    w.close()


def test_daily_backup_runs_from_the_window(window, qtbot):
    backups = window.library.path / "backups"
    window.daily_backup()
    qtbot.waitUntil(lambda: backups.exists() and any(backups.glob("library-*.sqlite.gz")),
                    timeout=10000)
    assert window.backup_timer.isActive()
