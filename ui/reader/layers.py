"""The reader's paint layers as QTextEdit.ExtraSelections (see ui/theme_colors for the looks).

Extra selections only paint; they never touch the document, so layers can overlap, be toggled
and rebuilt without re-laying out the text. Order is paint order: later layers draw on top.
"""
from __future__ import annotations

from collections.abc import Iterable

from PySide6.QtGui import QColor, QTextCharFormat, QTextCursor, QTextDocument
from PySide6.QtWidgets import QTextEdit

from core.library import ResolvedAnnotation
from core.models import EntitySpan
from ui.reader.render import OffsetMap
from ui.theme import colors as tc

ORDER = ("highlights", "entities", "focus", "search", "find", "flash")


class Layers:
    def __init__(self) -> None:
        self.layers: dict[str, list[QTextEdit.ExtraSelection]] = {k: [] for k in ORDER}

    def all(self) -> list[QTextEdit.ExtraSelection]:
        out: list[QTextEdit.ExtraSelection] = []
        for k in ORDER:
            out.extend(self.layers[k])
        return out

    def clear(self) -> None:
        for k in ORDER:
            self.layers[k] = []


def _sel(doc: QTextDocument, omap: OffsetMap, start: int, end: int, fmt: QTextCharFormat
         ) -> QTextEdit.ExtraSelection:
    s = QTextEdit.ExtraSelection()
    c = QTextCursor(doc)
    c.setPosition(omap.to_doc(start))
    c.setPosition(omap.to_doc(end), QTextCursor.MoveMode.KeepAnchor)
    s.cursor = c
    s.format = fmt
    return s


def _bg(color: QColor, fg: str | None = None) -> QTextCharFormat:
    f = QTextCharFormat()
    f.setBackground(color)
    if fg:
        f.setForeground(QColor(fg))
    return f


def entity_layer(doc: QTextDocument, omap: OffsetMap, spans: Iterable[EntitySpan],
                 hidden: set[str], t: tc.Theme) -> list[QTextEdit.ExtraSelection]:
    fmts: dict[str, QTextCharFormat] = {}
    out = []
    for e in spans:
        if e.label in hidden:
            continue
        f = fmts.get(e.label)
        if f is None:
            f = fmts[e.label] = _bg(tc.entity_tint(e.label, t))
        out.append(_sel(doc, omap, e.start, e.end, f))
    return out


def highlight_layer(doc: QTextDocument, omap: OffsetMap, anns: Iterable[ResolvedAnnotation],
                    palette: list[tc.HighlightColor], t: tc.Theme
                    ) -> list[QTextEdit.ExtraSelection]:
    out = []
    for ra in anns:
        r = ra.resolution
        if r is None or r.orphaned or r.end <= r.start:
            continue
        f = QTextCharFormat()
        if ra.annotation.color:
            f.setBackground(tc.highlight_background(ra.annotation.color, palette, t))
            f.setUnderlineStyle(QTextCharFormat.UnderlineStyle.SingleUnderline)
            f.setUnderlineColor(tc.highlight_underline(ra.annotation.color, palette, t))
        else:  # a passage note without a colour: a dashed underline in the link colour
            f.setUnderlineStyle(QTextCharFormat.UnderlineStyle.DashUnderline)
            f.setUnderlineColor(QColor(t.link))
        f.setProperty(QTextCharFormat.Property.UserProperty, ra.annotation.id)
        out.append(_sel(doc, omap, r.start, r.end, f))
    return out


def focus_layer(doc: QTextDocument, omap: OffsetMap, ranges: Iterable[tuple[int, int]],
                label: str, t: tc.Theme) -> list[QTextEdit.ExtraSelection]:
    """Every mention of the entity chosen in the entities panel, in full strength."""
    c = tc.entity_swatch(label)
    f = _bg(tc.blend(c, t.bg, 0.65) if t.dark else c, "#ffffff" if t.dark else "#000000")
    f.setUnderlineStyle(QTextCharFormat.UnderlineStyle.SingleUnderline)
    f.setUnderlineColor(QColor(t.fg))
    return [_sel(doc, omap, s, e, f) for s, e in ranges]


def match_layer(doc: QTextDocument, omap: OffsetMap, ranges: list[tuple[int, int]],
                current: int, t: tc.Theme) -> list[QTextEdit.ExtraSelection]:
    normal = _bg(QColor(tc.SEARCH_BG[t.name]), "#000000")
    cur = _bg(QColor(tc.SEARCH_CURRENT_BG[t.name]), "#000000")
    return [_sel(doc, omap, s, e, cur if i == current else normal)
            for i, (s, e) in enumerate(ranges)]


def flash_layer(doc: QTextDocument, omap: OffsetMap, start: int, end: int, alpha: float,
                t: tc.Theme) -> list[QTextEdit.ExtraSelection]:
    c = QColor(tc.FLASH[t.name])
    c.setAlphaF(max(0.0, min(1.0, alpha)))
    return [_sel(doc, omap, start, end, _bg(c))]
