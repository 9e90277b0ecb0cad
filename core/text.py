"""Canonical text: the one string every offset in Commonplace points into.

Unicode NFC, whitespace inside a block collapsed to single spaces, blocks separated by exactly
one blank line ("\\n\\n"). Importers describe blocks as inline segments; the builder records block
and link spans while it normalises, so offsets never have to be recovered by searching.
"""
from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Iterable

from core.models import Span

BLOCK_KINDS = ("heading", "paragraph", "quote", "list_item", "code", "image", "cell")
BLOCK_SEP = "\n\n"
_WS = re.compile(r"\s+")
_WS_SPLIT = re.compile(r"(\s+)")
# Characters that are never meaningful in reading text and break offsets/rendering.
# C1 controls (U+0080-U+009F) only ever appear as mojibake of cp1252 punctuation.
_CONTROL = ({c: None for c in range(0x20) if chr(c) not in "\t\n\r"}
            | {c: None for c in range(0x7F, 0xA0)} | {0xFEFF: None})


# Bidi embeddings, overrides and isolates: in a title or an author a U+202E shows the rest
# reversed (and can disguise a file name's extension). Body text keeps them (it may be RTL).
_BIDI = {c: None for c in (*range(0x202A, 0x202F), *range(0x2066, 0x206A))}


def clean_inline(s: str) -> str:
    """NFC, control characters and bidi overrides removed, whitespace runs collapsed; used for
    titles and metadata too."""
    # Controls go before NFC: removing one can bring a base letter and a combining mark together.
    return _WS.sub(" ", unicodedata.normalize("NFC", s.translate(_CONTROL).translate(_BIDI))
                   ).strip()


class TextBuilder:
    """Accumulates blocks of inline segments into canonical text with block and link spans."""

    def __init__(self) -> None:
        self._parts: list[str] = []
        self._len = 0
        self.blocks: list[Span] = []
        self.links: list[Span] = []

    def add_block(self, kind: str, segments: Iterable[tuple[str, str | None]] | str,
                  attrs: dict | None = None) -> None:
        """Add one block; segments are (text, href-or-None). Empty blocks are dropped."""
        if isinstance(segments, str):
            segments = [(segments, None)]
        if kind not in BLOCK_KINDS:
            kind = "paragraph"
        buf: list[str] = []
        blen = 0  # len("".join(buf)), kept as we go: summing per segment was quadratic
        pending_links: list[tuple[int, int, str]] = []
        pending_space = False
        for raw, href in segments:
            seg = unicodedata.normalize("NFC", raw.translate(_CONTROL))
            start = None
            for piece in _WS_SPLIT.split(seg):
                if not piece:
                    continue
                if piece.isspace():
                    pending_space = bool(buf)
                    continue
                if pending_space:
                    buf.append(" ")
                    blen += 1
                    pending_space = False
                if start is None:
                    start = blen
                buf.append(piece)
                blen += len(piece)
            if href and start is not None:
                pending_links.append((start, blen, href))
        body = "".join(buf)
        if not body:
            return
        if not unicodedata.is_normalized("NFC", body):
            # A combining mark at the start of a segment composes with the previous segment's
            # last letter; normalise the whole block and move link boundaries with it.
            body, pending_links = _nfc_with_links(body, pending_links)
        if self._parts:
            self._parts.append(BLOCK_SEP)
            self._len += len(BLOCK_SEP)
        base = self._len
        self._parts.append(body)
        self._len += len(body)
        self.blocks.append(Span(base, base + len(body), kind, dict(attrs or {})))
        for s, e, href in pending_links:
            if e > s:
                self.links.append(Span(base + s, base + e, "link", {"href": href}))

    @property
    def text(self) -> str:
        return "".join(self._parts)


def _nfc_with_links(body: str, links: list[tuple[int, int, str]]
                    ) -> tuple[str, list[tuple[int, int, str]]]:
    """NFC of the block with link offsets moved along. An offset o maps to len(NFC(body[:o])),
    computed from the nearest earlier safe point (a character that never composes with what
    precedes it: NFC is additive there), so the work is linear in the block, not per link."""
    norm = unicodedata.normalize("NFC", body)
    known: dict[int, int] = {0: 0}  # safe point → len(NFC(body[:point]))
    last = 0  # the furthest safe point computed so far

    def nfc_len_at_safe(c: int) -> int:
        nonlocal last
        if c not in known:
            known[c] = known[last] + len(unicodedata.normalize("NFC", body[last:c]))
            last = c
        return known[c]

    def remap(o: int) -> int:
        c = o  # walk back to a safe point (never behind the frontier: offsets come sorted)
        while c > last and (c >= len(body) or not _nfc_safe(body[c])):
            c -= 1
        base = nfc_len_at_safe(c) if c > last else known[last]
        c = max(c, last)
        return min(base + len(unicodedata.normalize("NFC", body[c:o])), len(norm))

    mapped = {o: remap(o) for o in sorted({o for s, e, _ in links for o in (s, e)})}
    moved = []
    for s, e, href in links:
        s, e = mapped[s], mapped[e]
        while s < e and norm[s].isspace():
            s += 1
        while e > s and norm[e - 1].isspace():
            e -= 1
        moved.append((s, e, href))
    return norm, moved


def _nfc_safe(ch: str) -> bool:
    """Characters that are never the second half of a canonical composition and never reorder:
    NFC(a + b) == NFC(a) + NFC(b) when b starts with one. Latin below the combining marks, CJK
    ideographs, kana letters and Hangul syllables cover the texts that have many links."""
    o = ord(ch)
    return (o < 0x300 or 0x3400 <= o <= 0x9FFF or 0x3041 <= o <= 0x3096
            or 0x30A1 <= o <= 0x30FA or 0xAC00 <= o <= 0xD7A3)


def blocks_from_plain(text: str) -> TextBuilder:
    """Plain text: blank lines separate paragraphs; single newlines inside one are soft wraps,
    except where every line of a chunk is short (a list or verse), where each line is a block."""
    b = TextBuilder()
    for chunk in re.split(r"\n\s*\n", text.replace("\r\n", "\n").replace("\r", "\n")):
        lines = [ln.strip() for ln in chunk.split("\n") if ln.strip()]
        if not lines:
            continue
        if len(lines) > 1 and all(_is_list_line(ln) for ln in lines):
            for ln in lines:
                b.add_block("list_item", re.sub(r"^([-*•]|\d+[.)])\s+", "", ln))
        elif len(lines) > 1 and all(len(ln) > 0 for ln in lines) and _looks_like_lines(lines):
            for ln in lines:
                b.add_block("paragraph", ln)
        else:
            b.add_block("paragraph", " ".join(lines))
    return b


def _is_list_line(line: str) -> bool:
    return bool(re.match(r"^([-*•]|\d+[.)])\s+\S", line))


def _looks_like_lines(lines: list[str]) -> bool:
    """A chunk whose lines end in sentence punctuation is one paragraph per line (news wire style);
    a chunk of hard-wrapped prose (lines ending mid-sentence) is one paragraph."""
    ends = sum(1 for ln in lines if ln[-1] in ".!?\"'”’:)")
    return ends >= max(2, len(lines) - 1)


def content_hash(text: str) -> str:
    """Dedup key: the canonical text with whitespace and case folded, so trivial re-wraps match."""
    return hashlib.sha256(_WS.sub(" ", text.casefold()).strip().encode("utf-8")).hexdigest()


def word_count(text: str) -> int:
    return len(text.split())
