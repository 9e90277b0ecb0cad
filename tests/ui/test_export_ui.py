"""File ▸ Export…: the dialog's choices, and the export running on a worker."""
from __future__ import annotations

from PySide6.QtWidgets import QDialog

from ui.library.exporting import ExportDialog


def test_export_current_article_writes_markdown_and_remembers_choices(window, qtbot, tmp_path):
    lib = window.library
    aid = lib.articles()[0].id
    window.reader.show_article(aid)
    text = lib.article(aid).text
    lib.annotate(aid, start=0, end=min(12, len(text)), note="A *thought*", color="yellow")
    out = tmp_path / "exported"
    task = window.exports.start(lib, [aid], "markdown", out)
    qtbot.waitUntil(lambda: window.exports.last_folder == out, timeout=10000)
    [md] = list(out.glob("*.md"))
    body = md.read_text(encoding="utf-8")
    assert "A *thought*" in body and "[!quote]" in body
    assert window.settings.export_dir() == str(out)
    assert "Exported 1 file" in window.statusBar().currentMessage()
    assert task is not None


def test_dialog_defaults_follow_settings(window, qtbot, tmp_path):
    window.settings.set_export_format("json")
    window.settings.set_export_dir(str(tmp_path / "x"))
    dlg = ExportDialog(window, window.settings, "Some title")
    qtbot.addWidget(dlg)
    whole, fmt, folder = dlg.choice()
    assert (whole, fmt, folder) == (False, "json", tmp_path / "x")
    dlg.everything.setChecked(True)
    assert dlg.choice()[0] is True
    dlg.reject()
    assert dlg.result() == QDialog.DialogCode.Rejected


def test_export_failure_is_reported_in_the_status_bar(window, qtbot, tmp_path):
    blocker = tmp_path / "file-not-folder"
    blocker.write_text("x")
    window.exports.start(window.library, None, "markdown", blocker)
    qtbot.waitUntil(lambda: "Export failed" in window.statusBar().currentMessage(),
                    timeout=10000)
