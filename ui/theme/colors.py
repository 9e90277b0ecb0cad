"""Reader themes and the colours of the reader's layers (entities, highlights, search, flash).

Layering, chosen so the layers stay distinguishable where they overlap:
- user highlights: the palette's fill (core.palette, light or dark variant) *plus* an underline
  in a saturated shade of it — entities are never underlined, so a highlight always reads as
  "mine", even where its colour is close to an entity's;
- entities: a translucent tint in the label's colour (displaCy's palette) painted *over* the
  highlights, so inside a highlight an entity shows as the two colours blended;
- search terms / find matches: an opaque amber box with dark text (they must win);
- flash: a fading accent wash over a passage the reader jumped to.
Dark theme variants are the same hues blended into the dark background so light text stays
legible (contrast checked by tests/ui/test_reader_colors.py).
"""
from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtGui import QColor


@dataclass(frozen=True, slots=True)
class Theme:
    name: str
    bg: str
    fg: str
    muted: str
    link: str
    rule: str
    selection: str
    selection_fg: str
    code_bg: str
    dark: bool
    entity_alpha: float  # how much of the label colour is blended into the background


THEMES: dict[str, Theme] = {
    "light": Theme("light", "#fdfdfc", "#1d1d1f", "#6b6b70", "#1a5fb4", "#d8d8dc", "#b3d4fc",
                   "#000000", "#f1f1f3", False, 0.55),
    "sepia": Theme("sepia", "#f6efdf", "#3b2f22", "#7a6a55", "#8a4b12", "#ddd0b4", "#e3c98f",
                   "#2a1f12", "#ece2cb", False, 0.5),
    "dark": Theme("dark", "#1c1d21", "#dcdcdc", "#9a9aa2", "#8cb4ff", "#3a3b42", "#3d5a8a",
                  "#ffffff", "#26272c", True, 0.32),
}


def theme(name: str) -> Theme:
    return THEMES.get(name, THEMES["light"])


# displaCy's default entity colours (spaCy, MIT); labels it does not list get a neutral grey.
ENTITY_COLORS: dict[str, str] = {
    "PERSON": "#aa9cfc", "ORG": "#7aecec", "GPE": "#feca74", "LOC": "#ff9561",
    "NORP": "#c887fb", "FAC": "#9cc9cc", "EVENT": "#ffeb80", "LAW": "#ff8197",
    "LANGUAGE": "#ff8197", "WORK_OF_ART": "#f0d0ff", "PRODUCT": "#bfeeb7",
    "DATE": "#bfe1d9", "TIME": "#bfe1d9", "MONEY": "#e4e7d2", "QUANTITY": "#e4e7d2",
    "ORDINAL": "#e4e7d2", "CARDINAL": "#e4e7d2", "PERCENT": "#e4e7d2",
}
FALLBACK_ENTITY = "#dddddd"

ENTITY_DESCRIPTIONS: dict[str, str] = {
    "PERSON": "People", "NORP": "Nationalities, religious or political groups",
    "FAC": "Buildings, airports, roads, bridges", "ORG": "Companies, agencies, institutions",
    "GPE": "Countries, cities, states", "LOC": "Non-political places: regions, seas, mountains",
    "PRODUCT": "Objects, vehicles, foods", "EVENT": "Named events", "WORK_OF_ART": "Titles of works",
    "LAW": "Named laws and treaties", "LANGUAGE": "Named languages", "DATE": "Dates and periods",
    "TIME": "Times of day", "PERCENT": "Percentages", "MONEY": "Monetary values",
    "QUANTITY": "Measurements", "ORDINAL": "First, second…", "CARDINAL": "Other numerals",
}

# The order labels appear in legends and menus: the ones readers care about first.
LABEL_ORDER = ["PERSON", "ORG", "GPE", "LOC", "NORP", "FAC", "EVENT", "LAW", "PRODUCT",
               "WORK_OF_ART", "LANGUAGE", "DATE", "TIME", "MONEY", "PERCENT", "QUANTITY",
               "ORDINAL", "CARDINAL"]


def label_sort_key(label: str) -> tuple[int, str]:
    return (LABEL_ORDER.index(label) if label in LABEL_ORDER else len(LABEL_ORDER), label)


def blend(fg: str | QColor, bg: str | QColor, alpha: float) -> QColor:
    """fg laid over bg at `alpha`, as an opaque colour (so contrast can be computed)."""
    f, b = QColor(fg), QColor(bg)
    return QColor.fromRgbF(f.redF() * alpha + b.redF() * (1 - alpha),
                           f.greenF() * alpha + b.greenF() * (1 - alpha),
                           f.blueF() * alpha + b.blueF() * (1 - alpha))


def entity_swatch(label: str) -> QColor:
    return QColor(ENTITY_COLORS.get(label, FALLBACK_ENTITY))


MIN_TINT_CONTRAST = 1.14  # a tint must be visibly different from the page…
MIN_TEXT_CONTRAST = 4.5  # …while body text on it stays legible (WCAG AA)


def entity_tint(label: str, t: Theme) -> QColor:
    """The label's tint as a translucent colour: on the page it equals entity_background();
    over a user highlight it blends, so an entity stays visible inside a highlight.
    Pale swatches (MONEY, DATE) vanish on sepia, so the swatch is deepened until the tint
    stands out, never so far that text on it becomes hard to read."""
    swatch, alpha = entity_swatch(label), t.entity_alpha
    for _ in range(12):
        if contrast(blend(swatch, t.bg, alpha), QColor(t.bg)) >= MIN_TINT_CONTRAST:
            break
        nxt_swatch = swatch if t.dark else swatch.darker(108)
        nxt_alpha = min(0.6, alpha + 0.04) if t.dark else alpha
        if contrast(blend(nxt_swatch, t.bg, nxt_alpha), QColor(t.fg)) < MIN_TEXT_CONTRAST:
            break
        swatch, alpha = nxt_swatch, nxt_alpha
    c = QColor(swatch)
    c.setAlphaF(alpha)
    return c


def entity_background(label: str, t: Theme) -> QColor:
    """The tint as it looks on the page (opaque), for contrast checks."""
    tint = entity_tint(label, t)
    return blend(QColor(tint.red(), tint.green(), tint.blue()), t.bg, tint.alphaF())


def _luminance(c: QColor) -> float:
    def lin(v: float) -> float:
        return v / 12.92 if v <= 0.03928 else ((v + 0.055) / 1.055) ** 2.4
    return 0.2126 * lin(c.redF()) + 0.7152 * lin(c.greenF()) + 0.0722 * lin(c.blueF())


def contrast(a: QColor, b: QColor) -> float:
    la, lb = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


# -- user highlight colours ------------------------------------------------------------------
# core/palette.py owns the palette (names, light/dark fills, renamable meanings); this trivial
# fallback is only for a core without it.
_FALLBACK_PALETTE = [("yellow", "Yellow", "#fff3a3", "#6b5f1c"),
                     ("green", "Green", "#c9f2c1", "#2f5d2c"),
                     ("blue", "Blue", "#c7e3ff", "#24476b"),
                     ("pink", "Pink", "#ffd0e3", "#6e2f4a"),
                     ("purple", "Purple", "#e3d4ff", "#4b3a73")]


@dataclass(frozen=True, slots=True)
class HighlightColor:
    key: str      # what Annotation.color stores
    name: str     # what menus show (a meaning, when the user named it)
    light: str
    dark: str


def highlight_palette(library=None) -> list[HighlightColor]:
    """The ordered highlight colours (keys 1–5 pick them) from core.palette, with the user's
    renamed meanings; a trivial fallback keeps reading possible without it."""
    try:
        from core import palette as core_palette
    except ImportError:
        return [HighlightColor(*c) for c in _FALLBACK_PALETTE]
    getter = getattr(library, "palette", None)
    if callable(getter):
        colours = getter()
    else:  # core.palette reads renamed meanings from the library's settings
        colours = core_palette.palette(getattr(library, "store", None))
    return [HighlightColor(c.name, f"{c.name.capitalize()} — {c.meaning}" if c.meaning
                           else c.name.capitalize(), c.light, c.dark) for c in colours]


def _find(color: str, palette: list[HighlightColor]) -> HighlightColor:
    for c in palette:
        if color in (c.key, c.light, c.dark):
            return c
    if QColor.isValidColorName(color or ""):
        hx = QColor(color).name()
        return HighlightColor(hx, hx, hx, QColor(hx).darker(250).name())
    return palette[0] if palette else HighlightColor(*_FALLBACK_PALETTE[0])


def highlight_hex(color: str, palette: list[HighlightColor]) -> str:
    """The light hex for a stored colour (a palette key or a literal #hex)."""
    return _find(color, palette).light


def highlight_swatch(color: str, palette: list[HighlightColor]) -> QColor:
    """A saturated version of the colour for small marks (card bars, swatches): pastel
    fills vanish at 5 px wide."""
    c = QColor(_find(color, palette).light)
    h, s, v, _ = c.getHsvF()
    return QColor.fromHsvF(max(h, 0.0), min(1.0, max(s, 0.55)), min(v, 0.85))


def highlight_background(color: str, palette: list[HighlightColor], t: Theme) -> QColor:
    """The theme's fill for the colour (the entity layer is painted over it, translucent)."""
    hc = _find(color, palette)
    return QColor(hc.dark if t.dark else hc.light)


def highlight_underline(color: str, palette: list[HighlightColor], t: Theme) -> QColor:
    sw = highlight_swatch(color, palette)
    return sw.lighter(150) if t.dark else sw.darker(115)


SEARCH_BG = {"light": "#ffb347", "sepia": "#f2a33a", "dark": "#c77d1a"}
SEARCH_CURRENT_BG = {"light": "#ff7b00", "sepia": "#e06a00", "dark": "#ff9a2e"}
FLASH = {"light": "#4c8dff", "sepia": "#c0782a", "dark": "#6ea0ff"}
