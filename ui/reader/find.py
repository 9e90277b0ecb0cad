"""Search-term marking and the find bar (Ctrl+F) of the reader: a small controller the
ReaderView owns. It keeps the matches and paints them as layers of the view."""
from __future__ import annotations

from typing import TYPE_CHECKING

from ui.reader import layers as rl
from ui.reader.text_match import FoldedText

if TYPE_CHECKING:
    from ui.reader.view import ReaderView


class FindController:
    def __init__(self, view: ReaderView) -> None:
        self.view = view
        self.matches: list[tuple[int, int]] = []   # find-bar matches
        self.index = -1                            # the current one
        self.search_ranges: list[tuple[int, int]] = []  # terms of the search that opened it
        self._folded: FoldedText | None = None
        bar = view.find_bar
        bar.queryChanged.connect(self.query)
        bar.step.connect(self.step)
        bar.closed.connect(self.closed)

    def reset(self) -> None:
        """A new article: no matches, and the folded text is made again on demand."""
        self.matches, self.index, self.search_ranges = [], -1, []
        self._folded = None

    def _folded_text(self) -> FoldedText:
        if self._folded is None:
            art = self.view.article
            self._folded = FoldedText(art.text if art else "")
        return self._folded

    def mark_terms(self, terms: list[str]) -> None:
        v = self.view
        ranges = self._folded_text().find_terms(terms) if v.article else []
        v._layers.layers["search"] = rl.match_layer(v.browser.document(), v.omap, ranges, -1,
                                                    v._theme)
        self.search_ranges = ranges
        v._apply_layers()
        if ranges:
            v.scroll_to_range(*ranges[0], flash=False)

    def open(self) -> None:
        c = self.view.browser.textCursor()
        seed = c.selectedText() if c.hasSelection() and len(c.selectedText()) < 60 else ""
        self.view.find_bar.open_bar(seed)

    def query(self, q: str) -> None:
        self.matches = self._folded_text().find_all(q) if self.view.article and q else []
        self.index = 0 if self.matches else -1
        self._repaint_find(scroll=True)

    def step(self, d: int) -> None:
        if self.matches:
            self.index = (self.index + d) % len(self.matches)
            self._repaint_find(scroll=True)

    def closed(self) -> None:
        self.matches, self.index = [], -1
        self._repaint_find(scroll=False)
        self.view.browser.setFocus()

    def _repaint_find(self, scroll: bool) -> None:
        v = self.view
        v._layers.layers["find"] = rl.match_layer(v.browser.document(), v.omap, self.matches,
                                                  self.index, v._theme)
        v._apply_layers()
        v.find_bar.set_count(self.index + 1, len(self.matches))
        if scroll and self.matches:
            v.scroll_to_range(*self.matches[self.index], flash=False)

    def repaint(self) -> None:
        """Repaint every match layer (after a theme change or re-render)."""
        v = self.view
        doc = v.browser.document()
        v._layers.layers["search"] = rl.match_layer(doc, v.omap, self.search_ranges, -1, v._theme)
        v._layers.layers["focus"] = rl.focus_layer(doc, v.omap, *v._focus, v._theme)
        self._repaint_find(scroll=False)
