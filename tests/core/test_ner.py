"""Entity recognition: spans and labels, consistency, corrections, fallback, offline."""
from __future__ import annotations

import socket
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from core.models import EntitySpan
from core.ner import (
    LABELS,
    Correction,
    apply_corrections,
    consistency,
    get_recogniser,
    recognisers,
    rules,
)

ROOT = Path(__file__).resolve().parents[2]
SEED = ROOT / "seeds" / "uk-eu-defence-talks.txt"


def ents(spans):
    return {(s.text, s.label) for s in spans}


def check_offsets(text, spans, source):
    last_end = -1
    for s in spans:
        assert text[s.start:s.end] == s.text
        assert s.start >= last_end, "spans must be sorted and non-overlapping"
        assert s.label in LABELS
        assert s.source == source
        last_end = s.end


@pytest.fixture(scope="module")
def rec():
    r = get_recogniser()
    if r.name != recognisers.BUILTIN_NAME:
        pytest.skip("built-in entity model not present")
    return r


def test_import_is_cheap():
    code = "import sys, core.ner; print('spacy' in sys.modules, 'PySide6' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         cwd=ROOT, check=True).stdout.split()
    assert out == ["False", "False"]


def test_sentences_spans_and_labels(rec):
    text = ("Keir Starmer met Ursula von der Leyen in Brussels on Friday.\n\n"
            "The European Commission offered the UK a €150bn fund, about 15% more than "
            "NATO had asked for in November 2025.")
    spans = rec.recognise(text)
    check_offsets(text, spans, rec.name)
    got = ents(spans)
    for want in [("Keir Starmer", "PERSON"), ("Ursula von der Leyen", "PERSON"),
                 ("Brussels", "GPE"), ("Friday", "DATE"), ("European Commission", "ORG"),
                 ("UK", "GPE"), ("€150bn", "MONEY"), ("about 15%", "PERCENT"),
                 ("NATO", "ORG"), ("November 2025", "DATE")]:
        assert want in got, (want, got)


def test_offsets_with_paragraphs_and_unicode(rec):
    text = "Šefčovič visited London.\n\nMaroš Šefčovič met Rachel Reeves in Washington."
    spans = rec.recognise(text)
    check_offsets(text, spans, rec.name)
    got = ents(spans)
    assert ("Maroš Šefčovič", "PERSON") in got
    assert ("Šefčovič", "PERSON") in got  # consistency: the bare surname, before the full name too
    assert ("Washington", "GPE") in got


def test_recognise_many_matches_recognise(rec):
    texts = ["Angela Merkel spoke in Berlin on Monday.", "", "Apple paid $3bn to the EU."]
    many = list(rec.recognise_many(texts))
    assert many == [rec.recognise(t) for t in texts]
    assert many[1] == []


def test_consistency_surname_and_label_vote():
    text = "Keir Starmer spoke. Later Starmer said Starmer was ready."
    spans = [(0, 12, "PERSON"), (26, 33, "ORG")]
    out = consistency.harmonise(text, spans)
    assert (26, 33, "PERSON") in out  # relabelled
    assert (39, 46, "PERSON") in out  # added
    text2 = "Safe was agreed. Britain wants Safe. Safe is a fund."
    out2 = consistency.harmonise(text2, [(0, 4, "ORG"), (31, 35, "ORG"), (37, 41, "GPE")])
    assert {lab for s, e, lab in out2} == {"ORG"}


def test_consistency_skips_common_words():
    text = "Secure is the fund. Keep it secure. Secure talks."
    out = consistency.harmonise(text, [(0, 6, "ORG")])
    assert out == [(0, 6, "ORG")]


def test_seed_article_strict_f1(rec):
    sys.path.insert(0, str(ROOT))
    from tests.core import ner_gold

    text = ner_gold.seed_text(str(SEED))
    gold = {(s, e, "GPE" if lab == "LOC" else lab) for s, e, lab in ner_gold.locate(text, ner_gold.SEED_GOLD)}
    pred = {(s.start, s.end, "GPE" if s.label == "LOC" else s.label) for s in rec.recognise(text)}
    tp = len(gold & pred)
    f1 = 2 * tp / (len(gold) + len(pred))
    assert f1 >= 0.90, f1


# ---------------------------------------------------------------- corrections
def test_corrections_remove_relabel_add():
    model = [EntitySpan(0, 4, "GPE", "Safe", "m"), EntitySpan(16, 23, "GPE", "Britain", "m"),
             EntitySpan(27, 32, "GPE", "Paris", "m")]
    corr = [Correction("relabel", 0, 4, "ORG", "Safe"),
            Correction("remove", 27, 32, "GPE", "Paris"),
            Correction("add", 6, 11, "EVENT", "talks")]
    out = apply_corrections(model, corr)
    assert [(s.text, s.label, s.source) for s in out] == [
        ("Safe", "ORG", "user"), ("talks", "EVENT", "user"), ("Britain", "GPE", "m")]


def test_corrections_match_offsets_and_text():
    model = [EntitySpan(0, 5, "GPE", "Paris", "m")]
    # same offsets, different text (the article changed): the removal does not apply
    assert apply_corrections(model, [Correction("remove", 0, 5, "", "Parks")]) == model
    assert apply_corrections(model, [Correction("remove", 0, 5, "", "Paris")]) == []
    # a removal restricted to another label does not apply
    assert apply_corrections(model, [Correction("remove", 0, 5, "ORG", "Paris")]) == model


def test_corrections_user_span_replaces_overlapping_model_spans():
    model = [EntitySpan(0, 8, "ORG", "Security", "m"), EntitySpan(20, 26, "GPE", "Europe", "m")]
    c = Correction("add", 0, 26, "ORG", "Security Action for Europe")
    out = apply_corrections(model, [c])
    assert [(s.text, s.label) for s in out] == [("Security Action for Europe", "ORG")]
    # later correction of the same span wins; remove after add undoes the add
    out2 = apply_corrections(model, [c, Correction("remove", 0, 26, "", "Security Action for Europe")])
    assert out2 == model


def test_corrections_survive_re_recognition(rec):
    text = "Talks on Safe resumed in Brussels, where Safe was discussed."
    first = rec.recognise(text)
    corr = [Correction("add", 9, 13, "ORG", "Safe"), Correction("relabel", 41, 45, "ORG", "Safe")]
    brussels = next(s for s in first if s.text == "Brussels")
    corr.append(Correction("remove", brussels.start, brussels.end, "", "Brussels"))
    rules.gazetteer.cache_clear()
    second = get_recogniser().recognise(text)  # re-recognition, e.g. after a version change
    shown = apply_corrections(second, corr)
    got = {(s.text, s.label, s.source) for s in shown}
    assert ("Safe", "ORG", "user") in got
    assert not any(s.text == "Brussels" for s in shown)
    assert len([s for s in shown if s.text == "Safe"]) == 2


# ---------------------------------------------------------------- fallback, offline, versions
def test_fallback_rules_only_when_model_missing(monkeypatch, tmp_path, caplog):
    monkeypatch.setattr(recognisers, "MODEL_DIR", str(tmp_path / "no-model"))
    r = recognisers.builtin()
    r.rules_only = False
    text = "The UK will pay €2bn to the EU, Mr Keir Starmer said on Friday."
    with caplog.at_level("WARNING"):
        spans = r.recognise(text)
    assert r.name == recognisers.RULES_NAME
    assert "rules only" in r.notice
    assert any("rules only" in m for m in caplog.messages)
    check_offsets(text, spans, r.name)
    got = ents(spans)
    assert {("UK", "GPE"), ("€2bn", "MONEY"), ("EU", "ORG"), ("Friday", "DATE"),
            ("Keir Starmer", "PERSON")} <= got


def test_unknown_external_pipeline_falls_back_with_notice():
    r = recognisers.external("xx_no_such_pipeline_installed")
    spans = r.recognise("The UK and the EU.")
    assert "not available" in r.notice
    assert ("UK", "GPE") in ents(spans)


def test_external_pipeline_from_directory(tmp_path):
    import spacy

    nlp = spacy.blank("en")
    ruler = nlp.add_pipe("entity_ruler")
    ruler.add_patterns([{"label": "ORG", "pattern": "Acme"}])
    nlp.to_disk(tmp_path / "my_pipeline")
    r = get_recogniser(str(tmp_path / "my_pipeline"))
    assert r.name == "spacy:my_pipeline"
    spans = r.recognise("I work at Acme.")
    assert [(s.text, s.label, s.source) for s in spans] == [("Acme", "ORG", "spacy:my_pipeline")]
    assert r.notice == ""


def test_no_network_during_recognition(monkeypatch):
    def refuse(*a, **k):
        raise AssertionError("network access attempted")

    monkeypatch.setattr(socket, "socket", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    r = recognisers.builtin()  # fresh: loads spaCy and the model under the patch
    spans = r.recognise("Emmanuel Macron visited Berlin on Tuesday.")
    assert ("Berlin", "GPE") in ents(spans)


def test_version_identifies_model_and_rules(monkeypatch):
    r = recognisers.builtin()
    v = r.version
    assert r.version == v and rules.RULES_VERSION in v
    r2 = recognisers.builtin()
    monkeypatch.setattr(rules, "RULES_VERSION", "test-changed")
    assert r2.version != v
    assert get_recogniser() is get_recogniser(None)


def test_thread_safe_lazy_load():
    r = recognisers.builtin()
    results = [None] * 4
    text = "Rachel Reeves met Peter Kyle in London on Monday."

    def work(i):
        results[i] = r.recognise(text)

    threads = [threading.Thread(target=work, args=(i,)) for i in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert all(res == results[0] for res in results)
    assert ("London", "GPE") in ents(results[0])
