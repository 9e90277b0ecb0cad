"""Property tests for canonical-text normalisation (core.text) as the importers rely on it."""
from __future__ import annotations

import itertools
import unicodedata

from hypothesis import example, given, settings
from hypothesis import strategies as st

from core.text import BLOCK_SEP, TextBuilder, blocks_from_plain, clean_inline

# Text that exercises the edges: whitespace of every kind, controls, combining marks, BOM.
_edge_chars = st.sampled_from(list(" \t\n\r\x0b\x0c\x00\x01\x1f\x7f\ufeff\u00a0\u2003\u0301\u0308"
                                   "e\u00e9E\u212b\u1e9b\u0323"))
messy_text = st.text(st.one_of(st.characters(codec="utf-8"), _edge_chars), max_size=60)
# Without combining marks a link's own text must come back unchanged after normalisation.
plain_word_text = st.text(st.sampled_from(list("ab Ééz\u00a0\t\n.,“”-")), max_size=30)
href = st.one_of(st.none(), st.just("https://example.org/x"))
block = st.tuples(st.sampled_from(["heading", "paragraph", "quote", "list_item", "code", "bogus"]),
                  st.lists(st.tuples(messy_text, href), max_size=5))


def _check_invariants(text: str, blocks, links) -> None:
    assert unicodedata.is_normalized("NFC", text)
    assert "\n\n\n" not in text
    assert text == text.strip()
    assert not any(unicodedata.category(c) == "Cc" and c != "\n" for c in text)
    for a, b in itertools.pairwise(blocks):
        assert b.start == a.end + len(BLOCK_SEP)
        assert text[a.end:b.start] == BLOCK_SEP
    if blocks:
        assert blocks[0].start == 0 and blocks[-1].end == len(text)
    for s in blocks:
        seg = text[s.start:s.end]
        assert seg and seg == seg.strip() and "\n" not in seg
    for link in links:
        assert 0 <= link.start < link.end <= len(text)
        inside = [b for b in blocks if b.start <= link.start and link.end <= b.end]
        assert inside, "a link never crosses a block boundary"
        assert text[link.start:link.end] == text[link.start:link.end].strip()


@given(messy_text)
def test_clean_inline_idempotent_nfc_single_spaced(s):
    c = clean_inline(s)
    assert clean_inline(c) == c
    assert unicodedata.is_normalized("NFC", c)
    assert c == c.strip() and "  " not in c and "\n" not in c and "\t" not in c
    assert not any(unicodedata.category(ch) == "Cc" for ch in c)


@given(st.lists(block, max_size=6))
@example([("paragraph", [("cafe", None), ("\u0301 au lait", "https://example.org/x")])])
@example([("paragraph", [("\u0301", "https://example.org/x"), ("x", None)])])
@settings(max_examples=300)
def test_builder_invariants(blocks):
    b = TextBuilder()
    for kind, segs in blocks:
        b.add_block(kind, segs)
    _check_invariants(b.text, b.blocks, b.links)
    assert all(s.kind in ("heading", "paragraph", "quote", "list_item", "code") for s in b.blocks)


@given(st.lists(st.lists(st.tuples(plain_word_text, href), max_size=5), max_size=5))
def test_builder_link_text_matches_its_segment(blocks):
    b = TextBuilder()
    expected = []
    for segs in blocks:
        b.add_block("paragraph", segs)
        expected += [clean_inline(t) for t, h in segs if h and clean_inline(t)]
    assert [b.text[s.start:s.end] for s in b.links] == expected
    assert all(s.attrs["href"] == "https://example.org/x" for s in b.links)


@given(st.lists(block, max_size=6))
def test_builder_is_idempotent(blocks):
    """Feeding the canonical text back block by block reproduces it exactly."""
    first = TextBuilder()
    for kind, segs in blocks:
        first.add_block(kind, segs)
    again = TextBuilder()
    for s in first.blocks:
        again.add_block(s.kind, first.text[s.start:s.end])
    assert again.text == first.text
    assert [(s.start, s.end, s.kind) for s in again.blocks] == \
        [(s.start, s.end, s.kind) for s in first.blocks]


@given(messy_text)
def test_blocks_from_plain_invariants(s):
    b = blocks_from_plain(s)
    _check_invariants(b.text, b.blocks, b.links)
    again = blocks_from_plain(b.text)
    assert again.text == b.text
