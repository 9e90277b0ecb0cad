"""Property tests for anchoring.

The properties are stated for quotes that are unique in the text, since with a repeated quote
"the right place" is not defined by the text alone:

1. Edits that do not touch the passage never move its anchor off the quote: the result is the
   quote's new position or, only when neither side of its context survived, orphaned. With one
   side of the context (CONTEXT characters) intact, it is always the quote's new position.
2. Deleting the passage orphans the annotation — even when an edited copy of the passage stands
   elsewhere in a different context — and a small edit inside a passage whose context survived is
   found (fuzzily) on the edited passage.
3. Overlapping highlights survive the round trip through the store and resolve to their offsets.
"""
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from core.anchors import CONTEXT, make_anchor, resolve
from core.models import Document, Span
from core.storage import Store

SETTINGS = settings(max_examples=150, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])

LOWER = "abcdefgh"
words = st.text(LOWER, min_size=1, max_size=6)
# Prose-like texts over a small alphabet, so repeats and near-copies are common.
texts = st.lists(words, min_size=8, max_size=80).map(" ".join)
edit = st.tuples(st.integers(0, 10_000), st.integers(0, 6), st.text(LOWER + " ", max_size=8))


def unique(text: str, q: str) -> bool:
    """Exactly one occurrence, overlapping ones counted (str.count does not count those)."""
    first = text.find(q)
    return first >= 0 and text.find(q, first + 1) < 0


def apply_edits(s: str, edits) -> str:
    for pos, dele, ins in edits:
        p = pos % (len(s) + 1)
        s = s[:p] + ins + s[p + dele:]
    return s


@SETTINGS
@given(texts, st.integers(0, 10_000), st.integers(1, 40), st.lists(edit, max_size=5),
       st.lists(edit, max_size=5))
def test_edits_outside_the_passage_never_move_it_off_the_quote(text, at, length, pre_ed, post_ed):
    s = at % len(text)
    e = min(len(text), s + length)
    quote = text[s:e]
    assume(quote.strip() and unique(text, quote))
    a = make_anchor(text, s, e)
    before, after = apply_edits(text[:s], pre_ed), apply_edits(text[e:], post_ed)
    new = before + quote + after
    assume(unique(new, quote))
    r = resolve(new, a)
    where = (len(before), len(before) + len(quote))
    if r.orphaned:
        prefix_kept = new[max(0, where[0] - len(a.prefix)):where[0]] == a.prefix and \
            (a.prefix or where[0] == 0)
        suffix_kept = new[where[1]:where[1] + len(a.suffix)] == a.suffix and \
            (a.suffix or where[1] == len(new))
        assert not prefix_kept and not suffix_kept, "orphaned although its context survived"
    else:
        assert (r.start, r.end) == where


@SETTINGS
@given(texts, st.integers(0, 10_000), st.integers(1, 40), st.lists(edit, max_size=4),
       st.booleans())
def test_edits_away_from_the_context_resolve_exactly(text, at, length, edits, on_left):
    s = at % len(text)
    e = min(len(text), s + length)
    quote = text[s:e]
    assume(quote.strip() and unique(text, quote))
    a = make_anchor(text, s, e)
    left, right = text[:s], text[e:]
    if on_left:  # edit only left of the prefix
        cut = max(0, len(left) - CONTEXT)
        left = apply_edits(left[:cut], edits) + left[cut:]
    else:  # edit only right of the suffix
        right = right[:CONTEXT] + apply_edits(right[CONTEXT:], edits)
    new = left + quote + right
    assume(unique(new, quote))
    r = resolve(new, a)
    assert (r.start, r.end) == (len(left), len(left) + len(quote))
    assert r.status in ("exact", "moved")


UPPER = "KLMNOPQRSTUVWXYZ"
passages = st.lists(st.text(UPPER, min_size=2, max_size=7), min_size=3, max_size=8).map(" ".join)
digits = st.text("0123456789", min_size=CONTEXT + 4, max_size=60)


@SETTINGS
@given(texts, texts, passages, digits, digits, st.integers(0, 10_000), st.booleans(),
       st.lists(edit, max_size=4))
def test_deleting_the_passage_orphans_it_even_beside_a_near_copy(
        head, tail, passage, l2, r2, where, with_copy, edits):
    # the passage (uppercase) is unique; a copy with one letter changed may stand elsewhere,
    # but in a context of digits that shares nothing with the passage's own context
    i = where % len(passage)
    copy = passage[:i] + ("K" if passage[i] != "K" else "L") + passage[i + 1:]
    text = head + " " + passage + " " + tail + (f" {l2}{copy}{r2}" if with_copy else "")
    s = len(head) + 1
    a = make_anchor(text, s, s + len(passage))
    new = apply_edits(head, edits) + " " + " " + tail + (f" {l2}{copy}{r2}" if with_copy else "")
    assume(passage not in new)
    assert resolve(new, a).orphaned


@SETTINGS
@given(texts, texts, passages, st.integers(0, 10_000), st.sampled_from(["sub", "ins", "del"]))
def test_small_edit_inside_a_passage_with_its_context_is_found(head, tail, passage, where, kind):
    assume(len(passage) >= 16)
    text = head + " " + passage + " " + tail
    s = len(head) + 1
    a = make_anchor(text, s, s + len(passage))
    i = 1 + where % (len(passage) - 2)  # not the first or last character
    edited = {"sub": passage[:i] + "Z" + passage[i + 1:] if passage[i] != "Z"
              else passage[:i] + "Y" + passage[i + 1:],
              "ins": passage[:i] + "Z" + passage[i:],
              "del": passage[:i] + passage[i + 1:]}[kind]
    new = head + " " + edited + " " + tail
    r = resolve(new, a)
    assert not r.orphaned
    # it lands on the edited passage, give or take a character at either end
    assert abs(r.start - s) <= 1 and abs(r.end - (s + len(edited))) <= 1


ranges = st.lists(st.tuples(st.integers(0, 10_000), st.integers(1, 60)), min_size=2, max_size=8)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(texts, ranges)
def test_overlapping_highlights_survive_the_store_round_trip(tmp_path_factory, text, spans):
    store = Store(tmp_path_factory.mktemp("lib") / "library.sqlite")
    try:
        doc = Document(text=text, blocks=[Span(0, len(text), "paragraph")], title="t")
        with store.write() as con:
            aid = store.insert_article(con, doc, "h", "u-1")
        wanted = {}
        for k, (at, length) in enumerate(spans):
            s = at % len(text)
            e = min(len(text), s + length)
            nid = store.insert_annotation(aid, make_anchor(text, s, e), "yellow", f"n{k}", [],
                                          f"ann-{k}")
            wanted[nid] = (s, e)
        for ann in store.annotations(aid):
            r = resolve(store.article_text(aid), ann.anchor)
            assert (r.start, r.end, r.status) == (*wanted[ann.id], "exact")
    finally:
        store.close()
