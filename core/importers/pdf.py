"""PDF → Document with pypdfium2 (PDFium): lines from the text layer, then paragraphs and headings.

PDFium gives every character with its box; PDFium itself marks line ends. We rebuild the
structure a reader needs: lines grouped into paragraphs by vertical gaps, indents and short last
lines; headings by a larger size or bold weight than the body; a page break always ends a block;
hyphens at line ends joined; lines that repeat in the top or bottom margin of many pages
(running headers, footers) and lone page numbers dropped. Work is bounded: page and character
caps, and PDFium (C, fuzzed by Chromium) does the parsing, so hostile files fail fast.
"""
from __future__ import annotations

import ctypes
import re
import threading
from collections import Counter
from dataclasses import dataclass

from core.errors import ImportFailed
from core.models import Document
from core.text import TextBuilder, clean_inline

MAX_PAGES = 3000
MAX_CHARS = 8_000_000  # characters in the text layer; a 3000-page book has about 6M
MARGIN = 0.1  # top/bottom fraction of a page where running headers and footers live
_LOCK = threading.Lock()  # PDFium is not thread-safe
_HYPHENS = ("-", "\u00ad", "\u2010", "\x02", "\ufffe")  # PDFium marks soft ones \x02/\ufffe
_PAGE_NO = re.compile(r"^(page\s+)?(\d{1,4}|[ivxlc]{1,7})(\s*(of|/)\s*\d{1,4})?$", re.I)
_JUNK_TITLE = re.compile(r"^(untitled|microsoft (word|powerpoint)|document\d*$|slide ?\d*$)"
                         r"|\.(docx?|pdf|tex|dvi|indd|qxd|rtf)$|^\W*$", re.I)


@dataclass(slots=True)
class _Line:
    text: str
    x0: float
    x1: float
    top: float
    bottom: float
    size: float
    bold: bool
    page: int
    mono: bool = False


def parse_pdf(data: bytes, *, name: str = "") -> Document:
    """Read a PDF's text layer into a Document. ImportFailed (one line) for encrypted,
    broken, oversized or text-less (scanned) PDFs."""
    if b"%PDF-" not in data[:1024]:
        raise ImportFailed("not a PDF file (no %PDF header)")
    import pypdfium2 as pdfium
    with _LOCK:
        try:
            pdf = pdfium.PdfDocument(data)
        except pdfium.PdfiumError as e:
            msg = str(e).lower()
            if "password" in msg or "security" in msg:
                raise ImportFailed("this PDF is password-protected (encrypted): "
                                   "save an unprotected copy and import that") from None
            raise ImportFailed(f"broken PDF: {str(e).splitlines()[0] if str(e) else e}") from None
        try:
            meta = _metadata(pdf)
            lines, heights = _read_lines(pdf)
        finally:
            pdf.close()
    if not any(ln.text.strip() for ln in lines):
        raise ImportFailed("this PDF has no text layer (a scanned document?): "
                           "run it through OCR first, e.g. ocrmypdf")
    lines = _drop_running_lines(lines, heights)
    doc = _structure(lines)
    title = meta.get("title", "")
    if not title or _JUNK_TITLE.search(title):
        title = _first_page_title(lines) or title
    doc.title = title or ""
    doc.author = meta.get("author", "") or _first_page_byline(lines)
    _drop_title_block(doc)
    if not doc.text.strip():
        raise ImportFailed("no article text found in this PDF")
    return doc


def _metadata(pdf) -> dict[str, str]:
    try:
        raw = pdf.get_metadata_dict(skip_empty=True)
    except Exception:  # noqa: BLE001 - metadata is optional; a broken Info dict is not fatal
        return {}
    return {"title": clean_inline(raw.get("Title", ""))[:300],
            "author": clean_inline(raw.get("Author", ""))[:200]}


def _read_lines(pdf) -> tuple[list[_Line], list[float]]:
    """Every text line of every page, top to bottom in PDFium's order; and page heights."""
    n_pages = len(pdf)
    if n_pages == 0:
        raise ImportFailed("this PDF has no pages")
    if n_pages > MAX_PAGES:
        raise ImportFailed(f"too many pages ({n_pages}; limit {MAX_PAGES})")
    lines: list[_Line] = []
    heights: list[float] = []
    total = 0
    import pypdfium2 as pdfium
    for pno in range(n_pages):
        try:
            page = pdf[pno]
        except pdfium.PdfiumError:  # one unreadable page: keep the others
            heights.append(0.0)
            continue
        try:
            heights.append(page.get_height())
            tp = page.get_textpage()
            try:
                total += _page_lines(tp.raw, pno, lines)
                if total > MAX_CHARS:
                    raise ImportFailed(f"too much text (over {MAX_CHARS:,} characters)")
            finally:
                tp.close()
        finally:
            page.close()
    return [ln for ln in lines if ln.text], heights


class _Boxes:
    """Loose character boxes (font ascent to descent), fetched lazily: a handful per line."""

    def __init__(self, tp) -> None:
        import pypdfium2.raw as raw
        self.tp, self.raw = tp, raw
        self.rect = raw.FS_RECTF()
        self.ref = ctypes.byref(self.rect)

    def __call__(self, i: int) -> tuple[float, float, float, float]:
        self.raw.FPDFText_GetLooseCharBox(self.tp, i, self.ref)
        r = self.rect
        return r.left, r.right, r.bottom, r.top


def _page_text(tp, n: int) -> str:
    """The page's characters, one str character per PDFium character index."""
    import pypdfium2.raw as raw
    buf = (ctypes.c_ushort * (n + 1))()
    got = raw.FPDFText_GetText(tp, 0, n, buf)
    text = bytes(buf)[:max(got - 1, 0) * 2].decode("utf-16-le", "replace")
    if len(text) != n:  # astral characters (surrogate pairs) shift indices: go one by one
        text = "".join(chr(u) if 0 < (u := raw.FPDFText_GetUnicode(tp, i)) < 0x110000 else " "
                       for i in range(n))
    return text


_LINE_BREAK = re.compile(r"\r\n|\r|\n")


def _page_lines(tp, pno: int, out: list[_Line]) -> int:
    """Append the page's lines to `out`; returns its character count."""
    import pypdfium2.raw as raw
    n = max(raw.FPDFText_CountChars(tp), 0)
    if n == 0:
        return 0
    if n > MAX_CHARS:
        raise ImportFailed(f"too much text (over {MAX_CHARS:,} characters)")
    text = _page_text(tp, n)
    box = _Boxes(tp)
    pos = 0
    for m in [*_LINE_BREAK.finditer(text), None]:
        end = m.start() if m else n
        seg = text[pos:end]
        i0 = pos + len(seg) - len(seg.lstrip())
        i1 = pos + len(seg.rstrip()) - 1
        if i1 >= i0:
            for a, b in _visual_lines(box, text, i0, i1):
                out.append(_make_line(tp, text, box, a, b, pno))
        pos = m.end() if m else n
    return n


def _visual_lines(box: _Boxes, text: str, i0: int, i1: int) -> list[tuple[int, int]]:
    """PDFium joins a line ending in a hyphen with the next; split such runs where a character
    sits on another baseline (checked only when the run's ends are not on one line)."""
    _, _, b0, t0 = box(i0)
    _, _, b1, t1 = box(i1)
    mid0, mid1 = (b0 + t0) / 2, (b1 + t1) / 2
    if b0 <= mid1 <= t0 and b1 <= mid0 <= t1:
        return [(i0, i1)]
    runs: list[tuple[int, int]] = []
    start, lo, hi = i0, b0, t0
    for i in range(i0 + 1, i1 + 1):
        if text[i].isspace():
            continue
        _, _, b, t = box(i)
        mid = (b + t) / 2
        if not (lo <= mid <= hi):
            runs.append((start, i - 1))
            start, lo, hi = i, b, t
    runs.append((start, i1))
    return runs


def _make_line(tp, text: str, box: _Boxes, i0: int, i1: int, pno: int) -> _Line:
    import pypdfium2.raw as raw
    while i1 > i0 and text[i1].isspace():
        i1 -= 1
    x0, _, b0, t0 = box(i0)
    _, x1, b1, t1 = box(i1)
    mid = (i0 + i1) // 2
    while mid > i0 and text[mid].isspace():
        mid -= 1
    _, _, bm, tm = box(mid)
    # The nominal size (Tf × the text matrix's scale) does not vary with a font's ascent and
    # descent the way box heights do; boxes stand in when a PDF sets no usable size.
    size = sorted(_nominal_size(tp, i) for i in (i0, mid, i1))[1] or \
        sorted((t0 - b0, t1 - b1, tm - bm))[1]
    fname, fixed = _font(tp, i0)
    bold = raw.FPDFText_GetFontWeight(tp, i0) >= 600 or \
        bool(re.search(r"bold|black|heavy|semibold|demi", fname, re.I))
    mono = fixed and _font(tp, i1)[1]  # inline code at a line's start is still prose
    return _Line(text[i0:i1 + 1].strip(), x0, x1, max(t0, t1, tm), min(b0, b1, bm),
                 round(size, 1), bold, pno, mono)


def _font(tp, i: int) -> tuple[str, bool]:
    """(font name, monospaced) of character i."""
    import pypdfium2.raw as raw
    buf = ctypes.create_string_buffer(128)
    flags = ctypes.c_int()
    got = raw.FPDFText_GetFontInfo(tp, i, buf, 128, ctypes.byref(flags))
    name = buf.value.decode("latin-1", "replace") if got else ""
    mono = bool(re.search(r"mono|courier|consol|typewriter|cmtt|menlo|sfmono|lmtt", name, re.I)
                or flags.value & 1)  # PDF font flag 1: FixedPitch
    return name, mono


def _nominal_size(tp, i: int) -> float:
    import math

    import pypdfium2.raw as raw
    fs = raw.FPDFText_GetFontSize(tp, i)
    m = raw.FS_MATRIX()
    if fs <= 0 or not raw.FPDFText_GetMatrix(tp, i, ctypes.byref(m)):
        return 0.0
    scale = math.sqrt(abs(m.a * m.d - m.b * m.c)) or 1.0
    return fs * scale


def _key(text: str) -> str:
    return re.sub(r"\d+", "#", text.casefold().strip())


def _drop_running_lines(lines: list[_Line], heights: list[float]) -> list[_Line]:
    """Drop page numbers and running heads/feet: lines in the top/bottom margin that repeat
    (digits ignored) on many pages, or at the same height on many pages while set apart from
    the text by a wider gap than a line's (a chapter's running head changes with the chapter
    but not its place)."""
    n_pages = len(heights)
    body = _body_size(lines)

    def in_margin(ln: _Line) -> bool:
        h = heights[ln.page] or 792.0
        return ln.bottom > h * (1 - MARGIN) or ln.top < h * MARGIN

    by_page: dict[int, list[_Line]] = {}
    for ln in lines:
        by_page.setdefault(ln.page, []).append(ln)
    apart: set[int] = set()  # lines of a group set apart from the text, all in a margin
    for page_lines in by_page.values():
        ordered = sorted(page_lines, key=lambda x: -x.top)
        group = [ordered[0]]
        for a, b in zip(ordered, [*ordered[1:], None], strict=True):
            if b is not None and a.top - b.top <= body * 2:
                group.append(b)
                continue
            if all(in_margin(x) for x in group):
                apart.update(id(x) for x in group)
            if b is not None:
                group = [b]

    def isolated(ln: _Line) -> bool:
        return id(ln) in apart

    margin = [ln for ln in lines if in_margin(ln) and ln.size < body * 1.15
              and id(ln) in apart]
    counts: Counter[str] = Counter()
    slots: Counter[int] = Counter()
    for _, key in {(ln.page, _key(ln.text)) for ln in margin}:
        counts[key] += 1
    for _, y in {(ln.page, round(ln.top / 3)) for ln in margin}:
        slots[y] += 1
    need = max(3, int(n_pages * 0.4 + 0.5))
    drop = set()
    for ln in lines:
        if not in_margin(ln):
            continue
        if not isolated(ln):  # a margin line that runs on into the text is text
            continue
        if _PAGE_NO.match(ln.text) or n_pages >= 3 and ln.size < body * 1.15 and (
                counts[_key(ln.text)] >= need or slots[round(ln.top / 3)] >= need):
            drop.add(id(ln))
    return [ln for ln in lines if id(ln) not in drop]


def _body_size(lines: list[_Line]) -> float:
    weights: Counter[float] = Counter()
    for ln in lines:
        weights[ln.size] += len(ln.text)
    return weights.most_common(1)[0][0] if weights else 10.0


def _is_heading(block: list[_Line], body: float) -> bool:
    text = " ".join(ln.text for ln in block)
    if len(block) > 3 or len(text) > 200 or not re.search(r"\w", text) \
            or _LEADERS.search(text) or block[0].mono or _BULLET.match(text):
        return False
    if block[0].size >= body * 1.15:
        return True
    return all(ln.bold for ln in block) and not text.endswith((".", ",", ";", ":")) \
        and len(text) <= 120


_BULLET = re.compile(r"^([•◦▪▫‣∙●○■□➢►]|\* )\s*")
_LEADERS = re.compile(r"(\.\s?){4,}\s*[\divxlc]+$", re.I)


def _group(lines: list[_Line], body: float) -> list[list[_Line]]:
    """Lines → blocks: a new block at a page break, a change of size or weight, a gap wider
    than the usual line pitch, a move up (next column), an indented first line, or after a
    short line ending a sentence."""
    pitches = Counter(round(a.top - b.top) for a, b in zip(lines, lines[1:], strict=False)
                      if a.page == b.page and abs(a.size - body) < 0.5 and abs(b.size - body) < 0.5
                      and 0 < a.top - b.top < body * 3)
    pitch = pitches.most_common(1)[0][0] if pitches else body * 1.2
    right = Counter(round(ln.x1) for ln in lines if abs(ln.size - body) < 0.5)
    col_right = right.most_common(1)[0][0] if right else 0
    blocks: list[list[_Line]] = []
    for ln in lines:
        prev = blocks[-1][-1] if blocks else None
        new = prev is None or prev.page != ln.page or bool(_BULLET.match(ln.text))
        if not new and prev is not None:
            in_item = bool(_BULLET.match(blocks[-1][0].text))
            same_style = abs(ln.size - prev.size) <= max(0.6, max(ln.size, prev.size) * 0.1) and \
                ln.mono == prev.mono and \
                (ln.bold == prev.bold or ln.size < body * 1.15 and len(ln.text) > 60)
            step = prev.top - ln.top
            new = (not same_style or step < -1 or step > max(pitch * 1.35, pitch + 2)
                   or ln.mono  # code: a line is a line
                   or not in_item and ln.x0 - blocks[-1][0].x0 > body * 0.8
                   and prev.x1 >= col_right - body * 2
                   or prev.x1 < col_right - body * 4 and prev.text.endswith((".", "!", "?", ":"))
                   and len(blocks[-1]) > 1)
        if new:
            blocks.append([ln])
        else:
            blocks[-1].append(ln)
    return blocks


def _join(block: list[_Line]) -> str:
    out = ""
    for ln in block:
        t = ln.text
        if not out:
            out = t
        elif out.endswith(_HYPHENS) and len(out) > 1 and out[-2].isalpha() and t[:1].islower():
            out = out[:-1] + t  # "recog-" + "nised" → "recognised"
        else:
            if out.endswith(("\x02", "\ufffe")):
                out = out[:-1] + "-"
            out += " " + t
    return out.replace("\x02", "-").replace("\ufffe", "-").replace("\u00ad", "")


def _structure(lines: list[_Line]) -> Document:
    body = _body_size(lines)
    blocks = _group(lines, body)
    head_sizes = sorted({b[0].size for b in blocks if _is_heading(b, body)
                         and b[0].size >= body * 1.15}, reverse=True)
    builder = TextBuilder()
    for block in blocks:
        text = _join(block)
        if _is_heading(block, body):
            size = block[0].size
            level = head_sizes.index(size) + 1 if size in head_sizes else len(head_sizes) + 1
            builder.add_block("heading", text, {"level": min(level, 6)})
        elif _BULLET.match(text):
            builder.add_block("list_item", _BULLET.sub("", text, count=1))
        elif all(ln.mono for ln in block):
            builder.add_block("code", text)
        else:
            builder.add_block("paragraph", text)
    return Document(text=builder.text, blocks=builder.blocks, links=builder.links)


def _first_page_title(lines: list[_Line]) -> str:
    """The largest text near the top of the first page with text, joined if it wraps."""
    first = [ln for ln in lines if ln.page == lines[0].page] if lines else []
    if not first:
        return ""
    biggest = max(ln.size for ln in first[:20])
    if biggest < _body_size(lines) * 1.15:
        return ""
    parts = []
    for ln in first[:20]:
        if ln.size == biggest:
            parts.append(ln.text)
        elif parts:
            break
    return clean_inline(_join([_Line(p, 0, 0, 0, 0, 0, False, 0) for p in parts]))[:300]


_NAME = r"[A-Z][\w'’.-]*(?: (?:[A-Z][\w'’.-]*|van|von|de|der|da|di|le|la))*"
_BYLINE = re.compile(rf"^(?:by )?{_NAME}(?:(?:, | and | & ){_NAME})*$")


def _first_page_byline(lines: list[_Line]) -> str:
    """The line right under a first-page title when it reads as names ("Ada Example and
    Bo Li"): no digits, no sentence, 2 to 12 words, at most 120 characters."""
    first = [ln for ln in lines if ln.page == lines[0].page][:20] if lines else []
    if not first:
        return ""
    biggest = max(ln.size for ln in first)
    if biggest < _body_size(lines) * 1.15:
        return ""
    i = 0
    while i < len(first) and first[i].size != biggest:
        i += 1
    while i < len(first) and first[i].size == biggest:
        i += 1
    if i >= len(first) or first[i].bold and first[i].size >= _body_size(lines) * 1.15:
        return ""  # a heading ("Introduction"), not a byline
    text = clean_inline(first[i].text)
    if not (2 <= len(text.split()) <= 12 and len(text) <= 120) or re.search(r"\d", text):
        return ""
    return re.sub(r"^by ", "", text, flags=re.I) if _BYLINE.match(text) else ""


def _drop_title_block(doc: Document) -> None:
    """The reader shows the title above the text; a first heading repeating it goes."""
    if not doc.blocks or not doc.title:
        return
    first = doc.blocks[0]
    if first.kind != "heading" or doc.text[first.start:first.end].casefold() \
            != doc.title.casefold():
        return
    if len(doc.blocks) > 1 and doc.author and doc.text[doc.blocks[1].start:doc.blocks[1].end] \
            .casefold() == doc.author.casefold():
        first = doc.blocks[1]  # the byline under the title goes with it
    rest = doc.text[first.end:].lstrip("\n")
    shift = len(doc.text) - len(rest)
    if not rest:
        return
    from core.models import Span
    doc.text = rest
    doc.blocks = [Span(b.start - shift, b.end - shift, b.kind, b.attrs) for b in doc.blocks
                  if b.start >= shift]
    doc.links = [Span(b.start - shift, b.end - shift, b.kind, b.attrs) for b in doc.links
                 if b.start >= shift]
