"""Reader themes and the colours of the reader's layers (entities, highlights, search, flash).

Layering, chosen so the layers stay distinguishable where they overlap:
- entities: a soft background tint in the label's colour (displaCy's palette), no underline;
- user highlights: painted over entities as a stronger translucent wash *plus* an underline in
  the highlight's deep colour, so an entity inside a highlight keeps its tint and the highlight
  still reads as "mine";
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


def entity_background(label: str, t: Theme) -> QColor:
    """The label's tint for this theme. Pale swatches (MONEY, DATE) vanish on sepia, so the
    swatch is deepened until the tint stands out; it never goes so far that text suffers."""
    swatch, alpha = entity_swatch(label), t.entity_alpha
    c = blend(swatch, t.bg, alpha)
    for _ in range(12):
        if contrast(c, QColor(t.bg)) >= MIN_TINT_CONTRAST:
            break
        if t.dark:
            alpha = min(0.6, alpha + 0.04)
        else:
            swatch = swatch.darker(108)
        nxt = blend(swatch, t.bg, alpha)
        if contrast(nxt, QColor(t.fg)) < MIN_TEXT_CONTRAST:
            break
        c = nxt
    return c


def _luminance(c: QColor) -> float:
    def lin(v: float) -> float:
        return v / 12.92 if v <= 0.03928 else ((v + 0.055) / 1.055) ** 2.4
    return 0.2126 * lin(c.redF()) + 0.7152 * lin(c.greenF()) + 0.0722 * lin(c.blueF())


def contrast(a: QColor, b: QColor) -> float:
    la, lb = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


# -- user highlight colours ------------------------------------------------------------------
# core/palette.py (another engineer's) owns the real palette with renamable meanings; until it
# exists this trivial fallback keeps the reader usable.
_FALLBACK_PALETTE = [("yellow", "Yellow", "#ffd400", "#8a7300"),
                     ("green", "Green", "#5fb236", "#3c6e22"),
                     ("blue", "Blue", "#2ea8e5", "#1d6a91"),
                     ("pink", "Pink", "#ff6ea9", "#9a3d63"),
                     ("purple", "Purple", "#a28ae5", "#5f4f8f")]


@dataclass(frozen=True, slots=True)
class HighlightColor:
    key: str      # what Annotation.color stores
    name: str     # what menus show (a meaning, when the user named it)
    light: str
    dark: str


def highlight_palette(library=None) -> list[HighlightColor]:
    """The ordered highlight colours (1–5 keys pick them), from core.palette when present."""
    try:
        from core import palette  # type: ignore[attr-defined]
    except ImportError:
        palette = None
    if palette is not None:
        try:
            return _from_core_palette(palette, library)
        except Exception:  # noqa: BLE001,S110 — a half-finished palette must not break reading
            pass
    return [HighlightColor(*c) for c in _FALLBACK_PALETTE]


def _from_core_palette(palette, library) -> list[HighlightColor]:
    getter = getattr(palette, "colors", None) or palette.palette
    try:
        items = getter(library)
    except TypeError:
        items = getter()
    out = []
    for c in items:
        key = getattr(c, "key", None) or getattr(c, "id", None) or c.name
        name = getattr(c, "meaning", None) or getattr(c, "label", None) or getattr(c, "name", key)
        light = getattr(c, "light", None) or getattr(c, "hex", None)
        dark = getattr(c, "dark", None) or light
        out.append(HighlightColor(str(key), str(name), str(light), str(dark)))
    if not out:
        raise ValueError("empty palette")
    return out


def highlight_hex(color: str, palette: list[HighlightColor]) -> str:
    """The light hex for a stored colour (a palette key or a literal #hex); yellow by default."""
    for c in palette:
        if color in (c.key, c.light):
            return c.light
    if QColor.isValidColorName(color or ""):
        return QColor(color).name()
    return palette[0].light if palette else "#ffd400"


def highlight_background(hex_: str, t: Theme) -> QColor:
    """Translucent wash; over an entity tint the two blend and the entity stays visible."""
    c = QColor(hex_)
    c.setAlphaF(0.40 if t.dark else 0.50)
    return c


def highlight_underline(hex_: str, t: Theme) -> QColor:
    c = QColor(hex_)
    return c.lighter(130) if t.dark else c.darker(160)


SEARCH_BG = {"light": "#ffb347", "sepia": "#f2a33a", "dark": "#c77d1a"}
SEARCH_CURRENT_BG = {"light": "#ff7b00", "sepia": "#e06a00", "dark": "#ff9a2e"}
FLASH = {"light": "#4c8dff", "sepia": "#c0782a", "dark": "#6ea0ff"}
