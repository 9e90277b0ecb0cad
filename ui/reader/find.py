"""Search-term marking and the find bar, as a mixin of ReaderView (kept apart for size)."""
from __future__ import annotations

from ui.reader import layers as rl
from ui.reader.text_match import FoldedText


class FindMixin:
    """Needs from the view: article, omap, browser, find_bar, _layers, _theme, _find, _find_i,
    _folded, _focus, _apply_layers, scroll_to_range."""

    def _folded_text(self) -> FoldedText:
        if self._folded is None:
            self._folded = FoldedText(self.article.text if self.article else "")
        return self._folded

    def mark_terms(self, terms: list[str]) -> None:
        ranges = self._folded_text().find_terms(terms) if self.article else []
        self._layers.layers["search"] = rl.match_layer(self.browser.document(), self.omap, ranges,
                                                       -1, self._theme)
        self._search_ranges = ranges
        self._apply_layers()
        if ranges:
            self.scroll_to_range(*ranges[0], flash=False)

    def find_in_article(self) -> None:
        c = self.browser.textCursor()
        seed = c.selectedText() if c.hasSelection() and len(c.selectedText()) < 60 else ""
        self.find_bar.open_bar(seed)

    def _find_query(self, q: str) -> None:
        self._find = self._folded_text().find_all(q) if self.article and q else []
        self._find_i = 0 if self._find else -1
        self._repaint_find(scroll=True)

    def _find_step(self, d: int) -> None:
        if self._find:
            self._find_i = (self._find_i + d) % len(self._find)
            self._repaint_find(scroll=True)

    def _find_closed(self) -> None:
        self._find, self._find_i = [], -1
        self._repaint_find(scroll=False)
        self.browser.setFocus()

    def _repaint_find(self, scroll: bool) -> None:
        self._layers.layers["find"] = rl.match_layer(self.browser.document(), self.omap,
                                                     self._find, self._find_i, self._theme)
        self._apply_layers()
        self.find_bar.set_count(self._find_i + 1, len(self._find))
        if scroll and self._find:
            self.scroll_to_range(*self._find[self._find_i], flash=False)

    def _repaint_matches(self) -> None:
        doc = self.browser.document()
        self._layers.layers["search"] = rl.match_layer(
            doc, self.omap, self._search_ranges, -1, self._theme)
        self._layers.layers["focus"] = rl.focus_layer(doc, self.omap, *self._focus, self._theme)
        self._repaint_find(scroll=False)
