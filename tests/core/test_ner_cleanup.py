"""Each kind of recognition error from issue #13, on texts written for these tests."""
from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from core.ner import cleanup, consistency, get_recogniser, recognisers


@pytest.fixture(scope="module")
def rec():
    r = get_recogniser()
    if r.name != recognisers.BUILTIN_NAME:
        pytest.skip("built-in entity model not present")
    return r


def labels(text, spans):
    return {(text[s.start:s.end], s.label) for s in spans}


# -- block boundaries ------------------------------------------------------------------------
def test_no_entity_runs_across_a_line_break(rec):
    text = ("Factory workers gathered outside the plant in Lyon\n"
            "Renault Trucks said on Monday that talks would continue.\n\n"
            "Protesters came from Marseille\nBordeaux and Toulouse as well.")
    spans = rec.recognise(text)
    for s in spans:
        assert "\n" not in s.text, s
    got = labels(text, spans)
    assert ("Lyon", "GPE") in got
    assert ("Marseille", "GPE") in got


def test_clip_to_blocks_cuts_at_the_first_line():
    text = "Sent from Paris\nAcme Holdings"
    assert cleanup.clip_to_blocks([(10, len(text), "GPE")], text) == [(10, 15, "GPE")]


_words = st.sampled_from(["Paris", "London", "Acme Corp", "said", "the", "Maria Lopez", "6-3",
                          "on Monday", "BBC", "we've", "_", "—", "Inc.", "in", "Chelsea", "UK"])
_sep = st.sampled_from([" ", " ", " ", "\n", "\n\n", ", ", ". "])


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.tuples(_words, _sep), min_size=1, max_size=30))
def test_property_entities_stay_in_one_block_and_match_their_text(parts):
    rec = get_recogniser()
    text = "".join(w + s for w, s in parts)
    spans = rec.recognise(text)
    blocks = cleanup.blocks(text)
    last = -1
    for sp in spans:
        assert text[sp.start:sp.end] == sp.text
        assert sp.start >= last
        last = sp.end
        assert any(bs <= sp.start and sp.end <= be for bs, be in blocks), (sp, text)


# -- numbers and scores ----------------------------------------------------------------------
def test_scores_are_not_part_of_names(rec):
    text = ("Rafael Nadal beat Tim Henman 6-3 7-5 in the second round on Tuesday.\n\n"
            "Results: Rotherham 0-2 Wolves, Arbroath 3-1 Stenhousemuir.")
    spans = rec.recognise(text)
    for s in spans:
        if s.label in ("PERSON", "ORG", "GPE", "LOC"):
            assert not any(c.isdigit() for c in s.text), s


def test_cut_numbers_splits_a_result_line():
    text = "Stockport 0-2 Hartlepool"
    assert cleanup.cut_numbers(text, 0, len(text), "ORG") == [(0, 9, "ORG"), (14, 24, "ORG")]
    text = "Henman 6-3"
    assert cleanup.cut_numbers(text, 0, len(text), "PERSON") == [(0, 6, "PERSON")]
    text = "G20"
    assert cleanup.cut_numbers(text, 0, 3, "ORG") == [(0, 3, "ORG")]


# -- fragments -------------------------------------------------------------------------------
@pytest.mark.parametrize("text,s,e,lab", [
    ("we've been here", 3, 5, "PERSON"),   # "ve"
    ("they'll come", 5, 7, "ORG"),          # "ll"
    ("a __ b", 2, 4, "ORG"),                # underscores
    ("wait — then", 5, 6, "PERSON"),        # a dash
    ("Fenwickshire", 3, 12, "GPE"),         # inside a word
    ("the day after", 0, 7, "PERSON"),      # no capital
])
def test_fragments_are_not_entities(text, s, e, lab):
    assert cleanup.is_fragment(text, s, e, lab)


def test_whole_names_are_not_fragments():
    text = "Halvorsen's firm"
    assert not cleanup.is_fragment(text, 0, 9, "ORG")


def test_contraction_tails_are_not_recognised(rec):
    text = "We've said it before: they'll win, and you're welcome to watch Ilsa Brennan's film."
    for s in rec.recognise(text):
        assert s.text.lower() not in {"ve", "ll", "re", "s"}


# -- legal suffixes --------------------------------------------------------------------------
def test_legal_suffix_extends_and_makes_an_org():
    text = "Shares in Brandvik Inc. rose."
    assert cleanup.extend_legal_suffix(text, 10, 18, "PERSON") == (10, 23, "ORG")
    text = "Tolmey Ltd said"
    assert cleanup.extend_legal_suffix(text, 0, 6, "GPE") == (0, 10, "ORG")
    text = "Orvane Corp. and others"
    assert cleanup.extend_legal_suffix(text, 0, 11, "ORG") == (0, 12, "ORG")


def test_legal_suffixes_kept_in_recognition(rec):
    text = ("Halvard Systems Inc. agreed to buy Pellworth Corp. for $2bn, and Greymoor Ltd "
            "said it would sell its stake.")
    got = labels(text, rec.recognise(text))
    assert ("Pellworth Corp.", "ORG") in got
    assert ("Greymoor Ltd", "ORG") in got
    assert any(t.endswith("Inc.") and lab == "ORG" for t, lab in got), got


# -- headings in capitals --------------------------------------------------------------------
def test_caps_heading_gets_no_model_entities(rec):
    text = "NORWAY STUNS BRAZIL IN OSLO\n\nNorway beat Brazil 2-1 in Oslo on Sunday."
    spans = rec.recognise(text)
    heading_end = text.index("\n")
    assert all(s.start > heading_end for s in spans), spans
    assert ("Oslo", "GPE") in labels(text, spans)


def test_caps_block_detection():
    assert cleanup.is_caps_block("FRANCE WINS")
    assert not cleanup.is_caps_block("France wins")
    assert not cleanup.is_caps_block("NATO")  # one word: an acronym, not a heading


# -- common words ----------------------------------------------------------------------------
def test_common_word_is_not_a_place():
    common = frozenset({"secured", "online", "man"})
    assert cleanup.common_word_place("Secured loans", 0, 7, "GPE", common, False)
    assert not cleanup.common_word_place("Secured loans", 0, 7, "GPE", common, True)
    assert not cleanup.common_word_place("Oslo grew", 0, 4, "GPE", common, False)


def test_common_words_not_tagged_in_text(rec):
    text = ("Online sales grew fast. Man's hunger for gadgets is endless, the report said. "
            "Secured lenders were repaid first.")
    got = labels(text, rec.recognise(text))
    for word in ("Online", "Man", "Secured"):
        assert not any(t == word and lab in ("GPE", "LOC", "PERSON") for t, lab in got), got


# -- consistency weighs evidence ------------------------------------------------------------
def test_consistency_does_not_copy_a_first_guess():
    text = ("Veltra said profits rose. Shares in Veltra fell. Veltra's shares slid. "
            "Veltra plans job cuts.")
    occ = [i for i in range(len(text)) if text.startswith("Veltra", i)]
    spans = [(occ[0], occ[0] + 6, "PERSON"), (occ[1], occ[1] + 6, "ORG"),
             (occ[2], occ[2] + 6, "ORG"), (occ[3], occ[3] + 6, "PERSON")]
    out = consistency.harmonise(text, spans)
    assert {lab for _, _, lab in out} == {"ORG"}, out


def test_consistency_keeps_a_mention_with_its_own_evidence():
    text = "Mr Harland spoke. Harland Corp said. Harland left."
    spans = [(3, 10, "PERSON"), (18, 25, "ORG"), (37, 44, "ORG")]
    out = dict(((s, e), lab) for s, e, lab in consistency.harmonise(text, spans))
    assert out[(3, 10)] == "PERSON"  # "Mr" is evidence the vote cannot overturn


def test_one_company_in_seven_mentions_is_not_all_person(rec):
    text = ("Korvalis, the Norwegian shipping group, said on Monday it would cut 300 jobs.\n\n"
            "Shares in Korvalis fell 4% in Oslo. Korvalis's chief executive, Ingrid Falk, "
            "said the cuts were painful. Korvalis has struggled since 2022.\n\n"
            "Analysts said Korvalis could sell its tanker arm. Korvalis declined to comment. "
            "A spokesman for Korvalis said talks continued.")
    spans = rec.recognise(text)
    kor = [s.label for s in spans if s.text == "Korvalis"]
    assert len(kor) == 7 and kor.count("ORG") >= 6, kor


# -- sports clubs ----------------------------------------------------------------------------
def test_clubs_in_a_sports_report_are_organisations(rec):
    text = ("Chelsea moved eight points clear at the top of the Premiership after a 2-0 win over "
            "Everton at Stamford Bridge.\n\nThe Everton manager said his side had played well "
            "in the first half, but Chelsea scored twice after the break. The league leaders "
            "face Liverpool in the Cup next week, and the striker expects another tight match.")
    got = labels(text, rec.recognise(text))
    assert ("Chelsea", "ORG") in got
    assert ("Everton", "ORG") in got
    assert ("Liverpool", "ORG") in got
    assert ("Chelsea", "PERSON") not in got


def test_city_outside_sport_stays_a_place(rec):
    text = "Dock workers in Liverpool voted to strike over pay, the union said on Friday."
    assert ("Liverpool", "GPE") in labels(text, rec.recognise(text))


def test_dates_need_a_date_word():
    text = "the last 16 of the competition"
    assert cleanup.fix_date(text, 9, 14) is None
    assert cleanup.fix_date("three years of war", 0, 14) == (0, 11)


def test_newswire_amounts_and_relative_dates():
    from core.ner import rules

    text = ("Ostrava Steel raised 120 mln stg and 40 mln dlrs; its margin was 4.5 pct, as much as "
            "12% in places, over the next three years, a five-year plan set at the weekend.")
    got = {(text[s:e], lab) for s, e, lab in rules.pattern_spans(text)}
    for want in [("120 mln stg", "MONEY"), ("40 mln dlrs", "MONEY"), ("4.5 pct", "PERCENT"),
                 ("as much as 12%", "PERCENT"), ("the next three years", "DATE"),
                 ("five-year", "DATE"), ("the weekend", "DATE")]:
        assert want in got, (want, got)


def test_bracket_ends_a_name():
    text = "the Northern Growers Union(NGU) met"
    assert cleanup.tidy(text, [(4, 30, "ORG")]) == [(4, 26, "ORG")]


def test_article_about_clubs_without_match_words(rec):
    text = ("Kitmaker Brontex lost its deals with Arsenal and Celtic, but said on Thursday that "
            "a new agreement with Chelsea would lift profits.")
    got = labels(text, rec.recognise(text))
    assert ("Chelsea", "ORG") in got and ("Arsenal", "ORG") in got


def test_borough_is_not_the_club(rec):
    text = ("The former member for Kensington and Chelsea, a Conservative MP, has retired, "
            "after the defender of the seat lost a vote.")
    got = labels(text, rec.recognise(text))
    assert ("Chelsea", "ORG") not in got


def test_weak_one_word_guesses_yield_to_evidence():
    # "Brenvik" is not a known place: three model GPE guesses lose to the head of an ORG
    # ("Brenvik & Sons") written in the same article
    text = "Brenvik & Sons won. Brenvik rose. Brenvik fell. Brenvik paid."
    spans = [(0, 14, "ORG"), (20, 27, "GPE"), (34, 41, "GPE"), (48, 55, "GPE")]
    out = consistency.harmonise(text, spans)
    assert [lab for s, e, lab in out if text[s:e] == "Brenvik"] == ["ORG"] * 3
    # a given name the lists do not know as a place is a person
    text = "Gloria slept. Gloria cried. Gloria ate."
    out = consistency.harmonise(text, [(0, 6, "GPE"), (14, 20, "PERSON"), (28, 34, "GPE")])
    assert {lab for _, _, lab in out} == {"PERSON"}


def test_curated_names_outrank_a_person_guess():
    from core.ner import rules
    text = "The Lib Dems said so."
    assert rules.merge(text, [(4, 12, "PERSON")], [], rules.gazetteer_spans(text)) == [(4, 12, "ORG")]


def test_and_co_suffix():
    text = "arranged by Harlow Pemberton and Co Ltd for them"
    assert cleanup.extend_legal_suffix(text, 12, 28, "PERSON") == (12, 39, "ORG")


def test_common_abbreviations_and_counts_are_not_names():
    assert cleanup.is_fragment("his IQ rose", 4, 6, "GPE")
    assert cleanup.is_fragment("Mark Hale, QC, said", 11, 13, "ORG")
    assert cleanup.is_fragment("new PSPs", 4, 8, "ORG")
    assert not cleanup.is_fragment("the BBC said", 4, 7, "ORG")
    text = "200,000 Zorbs shipped"
    assert cleanup.cut_numbers(text, 0, 13, "ORG") == [(8, 13, "ORG")]


def test_appositive_and_preceding_kind_words_are_org_evidence():
    text = "a report by UK think-tank Larvik. The Larvik report said. Larvik warned."
    occ = [i for i in range(len(text)) if text.startswith("Larvik", i)]
    out = consistency.harmonise(text, [(o, o + 6, "PERSON") for o in occ])
    assert {lab for _, _, lab in out} == {"ORG"}
    text = "Pell said it would go. Pell is a writer. Mr Pell agreed."
    occ = [i for i in range(len(text)) if text.startswith("Pell", i)]
    out = consistency.harmonise(text, [(o, o + 4, "PERSON") for o in occ])
    assert {lab for _, _, lab in out} == {"PERSON"}  # "said it would" is no company cue
