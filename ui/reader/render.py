"""Build the reader's QTextDocument from an Article and map document positions ↔ text offsets.

The document is built block by block with QTextCursor: a header (title, byline, source) and
then exactly one QTextBlock per canonical block, inserted as plain text (never HTML), so
hostile text can only ever be text. The OffsetMap records where each canonical block starts in
both coordinate systems; inside a block the only difference is UTF-16 (Qt counts surrogate
pairs as two positions, Python counts code points as one), which the map corrects for.
"""
from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass
from urllib.parse import urlsplit

from PySide6.QtGui import (
    QColor,
    QFont,
    QTextBlockFormat,
    QTextCharFormat,
    QTextCursor,
    QTextDocument,
    QTextListFormat,
)

from core.models import Article
from ui.theme.colors import Theme

BODY_FAMILY = "DejaVu Serif"
SANS_FAMILY = "DejaVu Sans"
MONO_FAMILY = "DejaVu Sans Mono"
SAFE_SCHEMES = ("http", "https")


@dataclass(slots=True)
class _Block:
    text_start: int
    text_end: int
    doc_start: int
    astral: list[int]  # code-point offsets (within the block) of characters beyond the BMP


class OffsetMap:
    """Canonical text offset ↔ QTextDocument position, exact for every character."""

    def __init__(self) -> None:
        self.blocks: list[_Block] = []
        self._text_starts: list[int] = []
        self._doc_starts: list[int] = []

    def add(self, text_start: int, text: str, doc_start: int) -> None:
        astral = [i for i, ch in enumerate(text) if ord(ch) > 0xFFFF] if not text.isascii() else []
        self.blocks.append(_Block(text_start, text_start + len(text), doc_start, astral))
        self._text_starts.append(text_start)
        self._doc_starts.append(doc_start)

    @property
    def text_range(self) -> tuple[int, int]:
        return (self.blocks[0].text_start, self.blocks[-1].text_end) if self.blocks else (0, 0)

    @property
    def body_doc_start(self) -> int:
        return self.blocks[0].doc_start if self.blocks else 0

    def to_doc(self, offset: int) -> int:
        """Document position of a text offset; an offset in a block separator maps to the end
        of the preceding block (so a range never spills into the next block's first char)."""
        if not self.blocks:
            return 0
        i = max(0, bisect_right(self._text_starts, offset) - 1)
        b = self.blocks[i]
        k = min(max(offset, b.text_start), b.text_end) - b.text_start
        return b.doc_start + k + bisect_right(b.astral, k - 1)

    def to_text(self, pos: int) -> int:
        """Text offset of a document position; header positions clamp to the text's start."""
        if not self.blocks:
            return 0
        i = bisect_right(self._doc_starts, pos) - 1
        if i < 0:
            return self.blocks[0].text_start
        b = self.blocks[i]
        k = pos - b.doc_start
        for a in b.astral:  # few or none; a surrogate pair's second half maps to its first
            if a < k:
                k -= 1
            else:
                break
        return min(b.text_start + max(0, k), b.text_end)


@dataclass(slots=True)
class RenderStyle:
    theme: Theme
    font_pt: int


def _char(family: str, pt: float, color: str, *, bold: bool = False, italic: bool = False
          ) -> QTextCharFormat:
    f = QTextCharFormat()
    f.setFontFamilies([family])
    f.setFontPointSize(pt)
    f.setForeground(QColor(color))
    if bold:
        f.setFontWeight(QFont.Weight.Bold)
    f.setFontItalic(italic)
    return f


def _block_fmt(pt: float, *, top: float = 0, bottom: float = 0, line: int = 150,
               indent: float = 0) -> QTextBlockFormat:
    b = QTextBlockFormat()
    b.setLineHeight(line, QTextBlockFormat.LineHeightTypes.ProportionalHeight.value)
    b.setTopMargin(top)
    b.setBottomMargin(bottom)
    b.setLeftMargin(indent)
    return b


def safe_href(href: str) -> str | None:
    """The link only when it is http(s); anything else (javascript:, file:, data:) stays text."""
    try:
        return href if urlsplit(href).scheme.lower() in SAFE_SCHEMES else None
    except ValueError:
        return None


def render_article(doc: QTextDocument, article: Article, style: RenderStyle) -> OffsetMap:
    """Fill `doc` with the article; returns the offset map for the body blocks."""
    t, pt = style.theme, float(style.font_pt)
    doc.clear()
    doc.setUndoRedoEnabled(False)
    body_font = QFont(BODY_FAMILY)
    body_font.setPointSizeF(pt)
    doc.setDefaultFont(body_font)
    cur = QTextCursor(doc)
    cur.beginEditBlock()
    first = True

    def new_block(bf: QTextBlockFormat, cf: QTextCharFormat) -> None:
        nonlocal first
        if first:
            cur.setBlockFormat(bf)
            cur.setBlockCharFormat(cf)
            first = False
        else:
            cur.insertBlock(bf, cf)

    # header: title, byline, source link (not part of the canonical text)
    new_block(_block_fmt(pt, bottom=pt * 0.5, line=120),
              _char(BODY_FAMILY, pt * 1.75, t.fg, bold=True))
    cur.insertText(article.title or "Untitled")
    byline = " · ".join(x for x in (article.author, article.site, article.published) if x)
    if byline:
        new_block(_block_fmt(pt, bottom=pt * 0.2, line=130), _char(SANS_FAMILY, pt * 0.8, t.muted))
        cur.insertText(byline)
    href = safe_href(article.url) if article.url else None
    if article.url:
        meta = _char(SANS_FAMILY, pt * 0.8, t.muted)
        new_block(_block_fmt(pt, line=130), meta)
        if href:
            link = _char(SANS_FAMILY, pt * 0.8, t.link)
            link.setAnchor(True)
            link.setAnchorHref(href)
            link.setToolTip(href)
            cur.insertText(_short_url(href), link)
        else:
            cur.insertText(article.url, meta)
    # the rule under the header: an empty block one pixel high with the rule colour as its
    # background (a ruler property would take the widget palette's colour, not the theme's)
    rule = QTextBlockFormat()
    rule.setLineHeight(1, QTextBlockFormat.LineHeightTypes.FixedHeight.value)
    rule.setTopMargin(pt * 0.7)
    rule.setBottomMargin(pt * 1.6)
    rule.setBackground(QColor(t.rule))
    new_block(rule, _char(SANS_FAMILY, 1, t.muted))

    omap = OffsetMap()
    links = sorted(article.links, key=lambda s: s.start)
    li = 0
    current_list = None
    for blk in article.blocks:
        kind = blk.kind
        text = article.text[blk.start:blk.end]
        bf, cf = _formats(kind, blk.attrs, pt, t)
        new_block(bf, cf)
        if kind == "list_item":
            if current_list is None:
                lf = QTextListFormat()
                ordered = bool(blk.attrs.get("ordered"))
                lf.setStyle(QTextListFormat.Style.ListDecimal if ordered
                            else QTextListFormat.Style.ListDisc)
                lf.setIndent(1)
                current_list = cur.createList(lf)
            else:
                current_list.add(cur.block())
        else:
            current_list = None
        omap.add(blk.start, text, cur.position())
        # inline links inside this block: plain text runs with anchor formats in between
        pos = blk.start
        while li < len(links) and links[li].start < blk.end:
            ln = links[li]
            li += 1
            s, e = max(ln.start, pos), min(ln.end, blk.end)
            if s < pos or e <= s:
                continue
            if s > pos:
                cur.insertText(article.text[pos:s], cf)
            h = safe_href(ln.attrs.get("href", ""))
            if h:
                lf_ = QTextCharFormat(cf)
                lf_.setAnchor(True)
                lf_.setAnchorHref(h)
                lf_.setForeground(QColor(t.link))
                lf_.setUnderlineStyle(QTextCharFormat.UnderlineStyle.SingleUnderline)
                lf_.setUnderlineColor(QColor(t.link))
                lf_.setToolTip(h)
                cur.insertText(article.text[s:e], lf_)
            else:
                cur.insertText(article.text[s:e], cf)
            pos = e
        if pos < blk.end:
            cur.insertText(article.text[pos:blk.end], cf)
    cur.endEditBlock()
    return omap


def _formats(kind: str, attrs: dict, pt: float, t: Theme) -> tuple[QTextBlockFormat,
                                                                   QTextCharFormat]:
    if kind == "heading":
        level = int(attrs.get("level", 2) or 2)
        scale = {1: 1.45, 2: 1.3, 3: 1.15}.get(level, 1.05)
        return (_block_fmt(pt, top=pt * 0.9, bottom=pt * 0.5, line=125),
                _char(BODY_FAMILY, pt * scale, t.fg, bold=True))
    if kind == "quote":
        bf = _block_fmt(pt, bottom=pt * 0.9, indent=pt * 1.6)
        return bf, _char(BODY_FAMILY, pt, t.muted, italic=True)
    if kind == "list_item":
        return _block_fmt(pt, bottom=pt * 0.35), _char(BODY_FAMILY, pt, t.fg)
    if kind == "code":
        bf = _block_fmt(pt * 0.9, bottom=pt * 0.9, line=135)
        bf.setBackground(QColor(t.code_bg))
        bf.setNonBreakableLines(False)
        return bf, _char(MONO_FAMILY, pt * 0.85, t.fg)
    return _block_fmt(pt, bottom=pt * 0.9), _char(BODY_FAMILY, pt, t.fg)


def _short_url(url: str) -> str:
    parts = urlsplit(url)
    path = parts.path if len(parts.path) <= 40 else parts.path[:39] + "…"
    return (parts.netloc + path).removeprefix("www.")


def column_width_px(font_pt: int) -> float:
    """Width of a ~68-character column of body text: a comfortable line length."""
    from PySide6.QtGui import QFontMetricsF
    f = QFont(BODY_FAMILY)
    f.setPointSizeF(font_pt)
    return QFontMetricsF(f).averageCharWidth() * 68

