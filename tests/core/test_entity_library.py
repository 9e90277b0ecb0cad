"""Library-level entities (issue #13): scoped corrections with undo, rules that hold for new
imports, aliases (merge/split) used by entity search, and the entity page."""
from __future__ import annotations

import pytest

from core.errors import CommonplaceError
from core.library import Library
from core.models import Document, EntitySpan
from core.ner import get_recogniser, recognisers
from core.ner.corrections import Rule, apply_rules
from core.ner.names import canonical, display_name, group_mentions
from core.text import TextBuilder


def doc(title, *paras, published=""):
    b = TextBuilder()
    for p in paras:
        b.add_block("paragraph", p)
    return Document(text=b.text, blocks=b.blocks, links=b.links, title=title, published=published)


@pytest.fixture
def lib(tmp_path):
    if get_recogniser().name != recognisers.BUILTIN_NAME:
        pytest.skip("built-in entity model not present")
    lib = Library(tmp_path / "lib", seed=False)
    yield lib
    lib.close()


def add(lib, title, *paras, published=""):
    aid = lib.add_document(doc(title, *paras, published=published)).article_id
    lib.recognise_entities([aid])
    return aid


def labels_of(lib, aid, name):
    return [s.label for s in lib.entities(aid) if s.text == name]


# -- pure helpers ----------------------------------------------------------------------------
def test_display_names_are_plain():
    assert display_name("GPE", plural=True) == "Places"
    assert display_name("NORP", plural=True) == "Nationalities & groups"
    assert display_name("PERSON") == "Person"
    assert display_name("XYZ") == "XYZ"


def test_group_mentions_merges_surname_and_aliases():
    spans = [EntitySpan(0, 12, "PERSON", "Keir Starmer"), EntitySpan(20, 27, "PERSON", "Starmer"),
             EntitySpan(30, 32, "GPE", "UK"), EntitySpan(40, 47, "GPE", "Britain"),
             EntitySpan(50, 64, "GPE", "United Kingdom")]
    groups = group_mentions(spans)
    assert [(g.name, g.variants) for g in groups] == [
        ("Keir Starmer", ["Keir Starmer", "Starmer"]),
        ("United Kingdom", ["UK", "Britain", "United Kingdom"])]


def test_surname_shared_by_two_full_names_stays_apart():
    spans = [EntitySpan(0, 10, "PERSON", "Ed Miliband"), EntitySpan(12, 27, "PERSON", "David Miliband"),
             EntitySpan(30, 38, "PERSON", "Miliband")]
    assert [g.name for g in group_mentions(spans)] == ["Ed Miliband", "David Miliband", "Miliband"]


def test_user_alias_overrides_builtin():
    assert canonical("America") == "United States"
    assert canonical("America", {"America": "America"}) == "America"


def test_apply_rules_relabels_every_occurrence_and_removes():
    text = "Orlen rose. Orlen fell. Safe is a fund."
    spans = [EntitySpan(0, 5, "PERSON", "Orlen"), EntitySpan(24, 28, "GPE", "Safe")]
    out = apply_rules(text, spans, [Rule("Orlen", "relabel", "ORG"), Rule("Safe", "remove")])
    assert [(s.text, s.label, s.start) for s in out] == [("Orlen", "ORG", 0), ("Orlen", "ORG", 12)]


# -- scoped corrections and undo -------------------------------------------------------------
def test_scope_article_relabels_every_mention_and_undo_restores(lib):
    text = ("Veltrano Partners said on Monday it would hire. Rosa Amari joined Veltrano Partners "
            "in May, and Veltrano Partners grew.")
    aid = add(lib, "Hiring news", text)
    body = lib.article(aid).text
    start = body.index("Veltrano Partners")
    before = lib.entities(aid)
    tok = lib.correct_entity_scoped(aid, "relabel", start, start + 17, "GPE", scope="article")
    assert labels_of(lib, aid, "Veltrano Partners") == ["GPE", "GPE", "GPE"]
    lib.undo_entity_change(tok)
    assert lib.entities(aid) == before


def test_scope_mention_changes_one(lib):
    aid = add(lib, "Two mentions", "Paris voted. Later Paris rested.")
    body = lib.article(aid).text
    s = body.index("Paris")
    lib.correct_entity_scoped(aid, "relabel", s, s + 5, "PERSON", scope="mention")
    assert sorted(labels_of(lib, aid, "Paris")) == ["GPE", "PERSON"]


def test_scope_library_rule_holds_for_new_imports_and_undo(lib):
    a1 = add(lib, "Club news", "Chelsea won again on Saturday, said the manager of Chelsea.")
    body = lib.article(a1).text
    s = body.index("Chelsea")
    tok = lib.correct_entity_scoped(a1, "relabel", s, s + 7, "ORG", scope="library")
    assert set(labels_of(lib, a1, "Chelsea")) == {"ORG"}
    a2 = add(lib, "More club news", "Fans queued as Chelsea unveiled a new kit in London.")
    assert labels_of(lib, a2, "Chelsea") == ["ORG"]
    assert lib.entity_rules() == [Rule("Chelsea", "relabel", "ORG")]
    lib.undo_entity_change(tok)
    assert lib.entity_rules() == []
    assert all(s.source != "user" for s in lib.entities(a2))


def test_library_remove_rule(lib):
    a1 = add(lib, "Fund", "Britain wants to join Safe. The Safe fund is large, and Safe grows.")
    body = lib.article(a1).text
    lib.correct_entity_scoped(a1, "relabel", body.index("Safe"), body.index("Safe") + 4, "ORG",
                              scope="article")
    tok = lib.correct_entity_scoped(a1, "remove", body.index("Britain"), body.index("Britain") + 7,
                                    scope="library")
    assert labels_of(lib, a1, "Britain") == []
    lib.undo_entity_change(tok)
    assert labels_of(lib, a1, "Britain") == ["GPE"]


def test_bad_scope_and_span_change_nothing(lib):
    aid = add(lib, "Short", "Oslo is cold.")
    before = lib.entities(aid)
    with pytest.raises(CommonplaceError):
        lib.correct_entity_scoped(aid, "relabel", 0, 4, "ORG", scope="galaxy")
    with pytest.raises(CommonplaceError):
        lib.correct_entity_scoped(aid, "relabel", 0, 999, "ORG", scope="article")
    for scope in ("article", "library"):  # the label is checked in every scope
        with pytest.raises(CommonplaceError, match="unknown label"):
            lib.correct_entity_scoped(aid, "relabel", 0, 4, "CITY", scope=scope)
    assert lib.entities(aid) == before and lib.entity_rules() == []


# -- aliases and entity search ---------------------------------------------------------------
def test_place_search_finds_aliases(lib):
    aid = add(lib, "Trade", "The UK signed a trade deal with Norway on Tuesday.")
    hits = lib.search("place:britain")
    assert aid in {h.article_id for h in hits.hits}


def test_merge_and_split_round_trip(lib):
    aid = add(lib, "Talks", "Ministers from Westmark met in Oslo. Westmark wants a deal.")
    other = add(lib, "More", "Officials from the Westmark Republic arrived.")
    assert aid not in {h.article_id for h in lib.search("place:vestland").hits}
    tok = lib.merge_entity_names("Westmark", "Vestland")
    assert lib.entity_aliases() == {"Westmark": "Vestland"}
    lib.sync_index()
    found = {h.article_id for h in lib.search("place:vestland").hits}
    assert aid in found
    lib.undo_entity_change(tok)
    lib.sync_index()
    assert lib.entity_aliases() == {}
    assert aid not in {h.article_id for h in lib.search("place:vestland").hits}
    lib.split_entity_name("America")
    assert canonical("America", lib.entity_aliases()) == "America"
    _ = other


# -- entity page -----------------------------------------------------------------------------
def test_entity_page(lib):
    a1 = add(lib, "Budget row", "Keir Starmer defended the budget in London. Starmer said "
             "Rachel Reeves had his support.", published="2025-03-02")
    a2 = add(lib, "Summit", "Starmer met Emmanuel Macron in Paris. Keir Starmer and Rachel "
             "Reeves later flew home.", published="2025-04-10")
    add(lib, "Unrelated", "Oslo hosted a chess event on Sunday.", published="2025-04-11")
    t2 = lib.article(a2).text
    lib.annotate(a2, start=t2.index("Starmer met"), end=t2.index("Starmer met") + 11,
                 note="first meeting")
    page = lib.entity_page("Keir Starmer", "person")
    assert page["name"] == "Keir Starmer" and page["label"] == "PERSON"
    assert [a["id"] for a in page["articles"]] == [a2, a1]  # newest first
    assert page["articles"][0]["mentions"] == 2
    assert "Starmer" in page["articles"][0]["snippet"]
    assert page["mentions_by_month"] == {"2025-03": 2, "2025-04": 2}
    assert [n["note"] for n in page["annotations"]] == ["first meeting"]
    co = {c["name"]: c["articles"] for c in page["co_occurring"]}
    assert co["Rachel Reeves"] == 2
    assert "Oslo" not in co
    # the short form opens the same page, with the same articles
    short = lib.entity_page("starmer")
    assert short["name"] == "Keir Starmer" and short["articles"] == page["articles"]
    with pytest.raises(CommonplaceError):
        lib.entity_page("Keir Starmer", "planet")


def test_library_label_is_evidence_for_a_lone_mention(lib):
    from core.entity_library import apply_library_prior, library_labels
    table = {"Veltra": ("ORG", 0.9), "Rosa": ("PERSON", 0.6)}
    spans = [EntitySpan(0, 6, "PERSON", "Veltra"), EntitySpan(10, 14, "GPE", "Rosa")]
    out = apply_library_prior(spans, table)
    assert [s.label for s in out] == ["ORG", "GPE"]  # Rosa: the library is not sure enough
    many = [EntitySpan(i * 10, i * 10 + 6, "PERSON", "Veltra") for i in range(3)]
    assert {s.label for s in apply_library_prior(many, table)} == {"PERSON"}  # own evidence
    user = [EntitySpan(0, 6, "PERSON", "Veltra", "user")]
    assert apply_library_prior(user, table) == user  # the user's word wins
    # end to end: a library that knows Korvalis as an organisation
    for i in range(4):
        add(lib, f"Shipping {i}", f"Shares in Korvalis fell on day {i}. Korvalis, the shipping "
            f"group, said costs rose. Analysts at Korvalis were cautious.")
    assert library_labels(lib._store).get("Korvalis", ("", 0))[0] == "ORG"
