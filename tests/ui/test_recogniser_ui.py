"""Choosing the entity recogniser from the window."""
from __future__ import annotations

from ui.entities.recogniser import OTHER, RULES, RecogniserDialog


def test_dialog_offers_builtin_rules_installed_and_other(window, qtbot):
    dlg = RecogniserDialog(window, "", ["en_core_web_sm"])
    qtbot.addWidget(dlg)
    data = [dlg.choice.itemData(i) for i in range(dlg.choice.count())]
    assert data == ["", RULES, "en_core_web_sm", OTHER]
    assert dlg.selected() == "" and not dlg.other.isEnabled()
    dlg.choice.setCurrentIndex(3)
    dlg.other.setText("/pipelines/mine")
    assert dlg.other.isEnabled() and dlg.selected() == "/pipelines/mine"
    again = RecogniserDialog(window, "/pipelines/mine", [])
    qtbot.addWidget(again)
    assert again.selected() == "/pipelines/mine"


def test_choosing_rules_is_stored_and_recognition_restarts(window, qtbot, monkeypatch):
    started = []
    monkeypatch.setattr(window.recognisers, "recognise_all", lambda: started.append(1))
    window.recognisers.choose(window.library, "rules")
    qtbot.waitUntil(lambda: started == [1], timeout=10000)
    assert window.library.ner_pipeline() == "rules"


def test_a_pipeline_that_does_not_load_is_refused(window, qtbot):
    window.recognisers.choose(window.library, "no_such_spacy_pipeline_xyz")
    qtbot.waitUntil(lambda: "Recogniser not changed" in window.statusBar().currentMessage(),
                    timeout=20000)
    assert window.library.ner_pipeline() == ""
