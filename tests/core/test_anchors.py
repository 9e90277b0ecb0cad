"""Anchoring: the resolution order, the refusals that keep a note off the wrong passage, speed."""
import random
import time

import pytest

from core.anchors import edit_distance, find_quote, make_anchor, resolve, similarity
from core.text import blocks_from_plain
from tests.conftest import SEED

TEXT = blocks_from_plain(SEED.read_text(encoding="utf-8")).text
QUOTE = "Germany does not want any preconditions."


def anchor_for(text, quote, occurrence=1):
    s, e = find_quote(text, quote, occurrence)
    return make_anchor(text, s, e)


def test_stored_offsets_win_when_text_is_unchanged():
    a = anchor_for(TEXT, QUOTE)
    r = resolve(TEXT, a)
    assert (r.start, r.end, r.status) == (a.start, a.end, "exact")


def test_insertion_before_moves_the_anchor_with_the_quote():
    a = anchor_for(TEXT, QUOTE)
    new = "A new opening paragraph.\n\n" + TEXT
    r = resolve(new, a)
    assert r.status == "moved" and new[r.start:r.end] == QUOTE


def test_repeated_quote_resolves_by_context():
    text = ("Alpha says the plan is good. Beta thinks otherwise. "
            "Gamma says the plan is good. Delta agrees.")
    a = anchor_for(text, "the plan is good", occurrence=2)
    shifted = "Preface. " + text
    r = resolve(shifted, a)
    assert shifted[r.start - 11:r.start] == "Gamma says " and r.status == "moved"


def test_other_copy_at_old_offsets_does_not_capture_the_anchor():
    # the quote moved right; a different copy of it now sits exactly at the stored offsets
    text = "xx ab cd ab ef gh ij kl mn op qr st uv wx yz " * 2
    a = make_anchor(text, 9, 11)  # the second "ab"
    new = "ab ab " + text
    assert new[9:11] == "ab"
    r = resolve(new, a)
    assert (r.start, r.end, r.status) == (15, 17, "moved")


def test_small_edit_inside_passage_is_found_fuzzily():
    a = anchor_for(TEXT, QUOTE)
    new = TEXT.replace("does not want", "doesn't want")
    r = resolve(new, a)
    assert r.status == "fuzzy"
    assert new[r.start:r.end] == "Germany doesn't want any preconditions."


def test_deleted_passage_is_orphaned():
    a = anchor_for(TEXT, QUOTE)
    assert resolve(TEXT.replace(QUOTE, ""), a).orphaned


def test_deleted_sentence_with_near_copy_elsewhere_in_other_context_is_orphaned():
    a = anchor_for(TEXT, QUOTE)
    new = TEXT.replace(QUOTE, "") + "\n\nUnrelated closing. Germany does not want any precondition."
    assert resolve(new, a).orphaned


def test_short_quote_is_never_placed_fuzzily():
    text = "The EU said no. Then the UK said yes."
    a = anchor_for(text, "UK said")
    assert resolve("Completely new text where UX said things.", a).orphaned


def test_short_unique_quote_without_any_context_is_orphaned_but_long_one_kept():
    short = make_anchor("aaaa EU bbbb", 5, 7)
    assert resolve("zzzzzzzz EU qqqqqqqq", short).orphaned
    long_q = "a sentence long enough to be a passage"
    text = "left side " + long_q + " right side"
    a = anchor_for(text, long_q)
    r = resolve("0123456789 " + long_q + " 9876543210", a)
    assert r.status == "moved" and r.end - r.start == len(long_q)


def test_two_equally_good_fuzzy_places_orphan():
    ctx_l, ctx_r = "Before the passage there is this. ", " After it comes that."
    q = "The committee approved the budget on Monday"
    a = anchor_for(ctx_l + q + ctx_r, q)
    edited = q.replace("Monday", "Tuesday")
    edited2 = q.replace("Monday", "Thursday")
    twice = ctx_l + edited + ctx_r + "\n\n" + ctx_l + edited2 + ctx_r
    assert resolve(twice, a).orphaned


def test_quote_at_text_edges():
    text = "Start of the text and the end of it"
    a = make_anchor(text, 0, len(text))
    assert a.prefix == "" and a.suffix == ""
    assert resolve(text, a).status == "exact"
    r = resolve("New first line.\n\n" + text, a)
    assert r.status == "moved" and r.end - r.start == len(text)


def test_empty_and_out_of_range_anchors_do_not_raise():
    a = make_anchor("abcdef", 1, 3)
    a.start, a.end = 100, 200
    assert resolve("zz abcdef", a).status == "moved"
    assert resolve("xbcx", a).orphaned  # short, and no context agrees
    assert resolve("", a).orphaned
    a.exact = ""
    assert resolve("abc", a).orphaned


def test_find_quote_errors_are_clear():
    with pytest.raises(ValueError, match="does not occur"):
        find_quote("abc", "xyz")
    with pytest.raises(ValueError, match="occurs 1 time"):
        find_quote("abc", "b", 2)
    with pytest.raises(ValueError, match="empty"):
        find_quote("abc", "  ")
    # the quote is NFC-normalised like the canonical text
    assert find_quote("Šefčovič", "S\u030cefc\u030covic\u030c") == (0, 8)


def test_edit_distance_matches_the_textbook_definition():
    def lev(a, b):
        prev = list(range(len(b) + 1))
        for i, ca in enumerate(a, 1):
            cur = [i]
            for j, cb in enumerate(b, 1):
                cur.append(min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (ca != cb)))
            prev = cur
        return prev[-1]
    rnd = random.Random(5)
    for _ in range(300):
        a = "".join(rnd.choice("abc") for _ in range(rnd.randint(0, 10)))
        b = "".join(rnd.choice("abc") for _ in range(rnd.randint(0, 10)))
        assert edit_distance(a, b) == lev(a, b)
    assert similarity("abc", "abc") == 1.0 and similarity("", "x") == 0.0


def _big_article(n=50_000, seed=3):
    rnd = random.Random(seed)
    words = TEXT.split()
    paras, size = [], 0
    while size < n:
        p = " ".join(rnd.choice(words) for _ in range(rnd.randint(40, 120)))
        paras.append(p)
        size += len(p) + 2
    return "\n\n".join(paras)[:n]


@pytest.mark.parametrize("length", [40, 400, 3000])
def test_resolving_in_a_50k_article_is_fast(length):
    big = _big_article()
    s = 31_000
    a = make_anchor(big, s, s + length)
    mid = s + length // 2
    edited = big[:500] + "A brand new sentence. " + big[500:mid] + "~~" + big[mid + 2:]
    deleted = big[:s] + big[s + length:]
    moved = "Prepended text.\n\n" + big
    t0 = time.perf_counter()
    r_fuzzy, r_gone, r_moved = resolve(edited, a), resolve(deleted, a), resolve(moved, a)
    elapsed = time.perf_counter() - t0
    assert r_fuzzy.status == "fuzzy" and abs(r_fuzzy.start - (s + 22)) <= 2
    assert r_gone.orphaned
    assert r_moved.status == "moved" and r_moved.start == s + 17
    assert elapsed < 1.0, f"three resolutions took {elapsed:.3f}s"
