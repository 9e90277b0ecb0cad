"""The reader: an article's canonical text in a read-only browser, with paint layers on top.

Offsets everywhere are canonical text offsets; the OffsetMap (ui/reader_render) converts them to
document positions exactly. The view never touches storage: it asks the Library facade.
"""
from __future__ import annotations

from bisect import bisect_right

from PySide6.QtCore import QPoint, Qt, QTimer, QUrl, QVariantAnimation, Signal
from PySide6.QtGui import QDesktopServices, QKeySequence, QTextCursor  # noqa: F401 - tests patch
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from core.errors import CommonplaceError
from core.library import Library, ResolvedAnnotation
from core.models import Annotation, Article, EntitySpan
from core.ner.names import display_name
from ui.events import events_for
from ui.reader import layers as rl
from ui.reader.anchor import ScrollAnchor
from ui.reader.browser import ReaderBrowser
from ui.reader.find import FindController
from ui.reader.render import OffsetMap, RenderStyle, column_width_px, render_article
from ui.reader.widgets import FindBar, LegendBar
from ui.runner import lane_for
from ui.theme import colors as tc

MIN_PT, MAX_PT = 9, 32


class ReaderView(QWidget):
    annotationsChanged = Signal(int)      # article id
    searchEntityRequested = Signal(str)   # e.g. 'person:"Keir Starmer"'
    articleShown = Signal(int)
    entitiesChanged = Signal()
    annotationActivated = Signal(int)     # a highlight was clicked: annotation id
    annotationCreated = Signal(int, bool)  # annotation id, True when the user wants to write
    selectionChangedRange = Signal(bool)
    importLinkRequested = Signal(str)     # "Import Link into Library" on a link  # whether a passage is selected (for Re-attach)
    stepRequested = Signal(int)           # n / p: +1 next, -1 previous article of the list
    historyRequested = Signal(int)        # Ctrl+Z: -1 undo, Ctrl+Shift+Z: +1 redo

    def __init__(self, library: Library, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.library = library
        self.article: Article | None = None
        self.omap = OffsetMap()
        self._entities: list[EntitySpan] = []
        self._ent_starts: list[int] = []
        self._anns: list[ResolvedAnnotation] = []
        self.hidden_labels: set[str] = set()
        self.entities_visible = True  # View ▸ Show Entity Highlights (all types, seen or not)
        self._theme = tc.theme("light")
        self._pt = 13
        self.palette_colors = tc.highlight_palette(library)
        self._layers = rl.Layers()
        self._focus: tuple[list[tuple[int, int]], str] = ([], "")
        self._flash_range = (0, 0)
        self._flash = QVariantAnimation(self, startValue=0.55, endValue=0.0, duration=1400)
        self._flash.valueChanged.connect(self._on_flash)

        self.legend = LegendBar(self)
        self.legend.toggled.connect(self._toggle_label)
        self.notice = QLabel(self)
        self.notice.setObjectName("readerNotice")
        self.notice.setWordWrap(True)
        self.notice.hide()
        self._notice_timer = QTimer(self, singleShot=True, interval=5000)
        self._notice_timer.timeout.connect(self.notice.hide)
        self.browser = ReaderBrowser(self)
        self.browser.setAccessibleName("Article text")
        self.setFocusProxy(self.browser)  # focusing the reader gives the keys to the text
        self.anchor = ScrollAnchor(self)  # the first visible line survives re-layouts
        self.browser.anchorClicked.connect(self._open_link)
        self.browser.selectionChanged.connect(
            lambda: self.selectionChangedRange.emit(self.selection_range() is not None))
        self.find_bar = FindBar(self)
        self.find_bar.hide()
        self.finder = FindController(self)
        self.lane = lane_for(library)
        self.events = events_for(library)
        self.events.annotationsChanged.connect(self._annotations_changed)
        self.events.entitiesChanged.connect(self._entities_changed)
        # The bars over the text (the window adds the tag bar): one widget, so focus mode
        # hides them all without touching their own visibility rules.
        self.header = QWidget(self)
        self.header.setObjectName("readerHeader")
        head = QVBoxLayout(self.header)
        head.setContentsMargins(0, 0, 0, 0)
        head.setSpacing(0)
        head.addWidget(self.legend)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.setSpacing(0)
        for w in (self.header, self.browser, self.find_bar):
            lay.addWidget(w)
        # the notice floats over the top of the text (not in the layout), so showing one
        # never moves what is being read
        self.legend.hide()
        self.set_theme("light")

    # -- showing -------------------------------------------------------------------------------
    def show_article(self, article_id: int | None) -> None:
        self._flash.stop()
        self._layers.clear()
        self._focus = ([], "")
        self.finder.reset()
        if article_id is None:
            self.article = None
            self.omap = OffsetMap()
            self._entities, self._ent_starts, self._anns = [], [], []
            self.browser.clear()
            self.browser.setExtraSelections([])
            self.legend.set_counts({}, self.hidden_labels)
            self.legend.hide()
            self.anchor.clear()
            self.entitiesChanged.emit()
            return
        self.article = self.library.article(article_id)
        self.legend.show()  # one row, reserved before the entities arrive
        self._render()
        self.anchor.set(0)
        self._load_entities()
        self._load_annotations()
        if self.find_bar.isVisible():
            self.finder.query(self.find_bar.edit.text())
        self.articleShown.emit(article_id)

    def current_article_id(self) -> int | None:
        return self.article.id if self.article else None

    def _render(self) -> None:
        if self.article is None:
            return
        with self.anchor.hold():
            self.omap = render_article(self.browser.document(), self.article,
                                       RenderStyle(self._theme, self._pt), images=self._image_bytes)
            self.update_column()

    def _image_bytes(self, name: str) -> bytes | None:
        """A stored picture from the library (the reader never loads anything else)."""
        got = self.library.image(name)
        return got[1] if got else None

    def update_column(self) -> None:
        """Centre a ~68ch column; margins grow with the window, never the line length."""
        doc = self.browser.document()
        root = doc.rootFrame()
        fmt = root.frameFormat()
        avail = self.browser.viewport().width()
        side = max(24.0, (avail - column_width_px(self._pt)) / 2)
        if abs(fmt.leftMargin() - side) < 0.5 and fmt.topMargin() == 28:
            return
        fmt.setLeftMargin(side)
        fmt.setRightMargin(side)
        fmt.setTopMargin(28)
        fmt.setBottomMargin(64)
        root.setFrameFormat(fmt)

    # -- data layers ---------------------------------------------------------------------------
    def entities(self) -> list[EntitySpan]:
        return list(self._entities)

    def annotations(self) -> list[ResolvedAnnotation]:
        return list(self._anns)

    def _load_entities(self) -> None:
        assert self.article is not None
        self._entities = sorted(self.library.entities(self.article.id),
                                key=lambda e: (e.start, -e.end))
        self._ent_starts = [e.start for e in self._entities]
        counts: dict[str, int] = {}
        for e in self._entities:
            counts[e.label] = counts.get(e.label, 0) + 1
        self.legend.set_counts(counts, self.hidden_labels)
        self._paint_entities()
        self.entitiesChanged.emit()

    def _paint_entities(self) -> None:
        self._layers.layers["entities"] = rl.entity_layer(
            self.browser.document(), self.omap,
            self._entities if self.entities_visible else [], self.hidden_labels, self._theme)
        self._apply_layers()

    def mark_terms(self, terms: list[str]) -> None:
        self.finder.mark_terms(terms)

    def find_in_article(self) -> None:
        self.finder.open()

    def _annotations_changed(self, article_id: int) -> None:
        if self.article is not None and article_id == self.article.id:
            self._load_annotations()

    def _entities_changed(self, article_id: int) -> None:
        """New entities (recognition, a correction): repaint them, keeping the position."""
        if self.article is not None and article_id == self.article.id:
            self._load_entities()

    def reload_annotations(self) -> None:
        """Re-read annotations (after the notes panel changed one) and repaint highlights."""
        if self.article is not None:
            self._load_annotations()

    def _load_annotations(self) -> None:
        assert self.article is not None
        self._anns = self.library.annotations(self.article.id)
        self._layers.layers["highlights"] = rl.highlight_layer(
            self.browser.document(), self.omap, self._anns, self.palette_colors, self._theme)
        self._apply_layers()

    def _apply_layers(self) -> None:
        self.browser.setExtraSelections(self._layers.all())

    def _toggle_label(self, label: str, visible: bool) -> None:
        (self.hidden_labels.discard if visible else self.hidden_labels.add)(label)
        self._paint_entities()

    def set_label_visible(self, label: str, visible: bool) -> None:
        chip = self.legend.chips.get(label)
        if chip is not None:
            chip.setChecked(visible)  # emits toggled → _toggle_label
        else:
            self._toggle_label(label, visible)

    # -- positions -----------------------------------------------------------------------------
    def offset_at(self, viewport_pos: QPoint) -> int:
        return self.omap.to_text(self.browser.cursorForPosition(viewport_pos).position())

    def entity_at(self, offset: int) -> EntitySpan | None:
        i = bisect_right(self._ent_starts, offset) - 1
        while i >= 0 and i >= bisect_right(self._ent_starts, offset) - 8:
            e = self._entities[i]
            if e.start <= offset < e.end and e.label not in self.hidden_labels:
                return e
            i -= 1
        return None

    def annotation_at(self, offset: int) -> int | None:
        best = None
        for ra in self._anns:
            r = ra.resolution
            if r and not r.orphaned and r.start <= offset < r.end \
                    and (best is None or r.end - r.start < best[1]):
                best = (ra.annotation.id, r.end - r.start)
        return best[0] if best else None

    def selection_range(self) -> tuple[int, int] | None:
        c = self.browser.textCursor()
        if not c.hasSelection() or not self.omap.blocks:
            return None
        s, e = self.omap.to_text(c.selectionStart()), self.omap.to_text(c.selectionEnd())
        text = self.article.text if self.article else ""
        while s < e and text[s].isspace():
            s += 1
        while e > s and text[e - 1].isspace():
            e -= 1
        return (s, e) if e > s else None

    def select_range(self, start: int, end: int) -> None:
        c = self.browser.textCursor()
        c.setPosition(self.omap.to_doc(start))
        c.setPosition(self.omap.to_doc(end), QTextCursor.MoveMode.KeepAnchor)
        self.browser.setTextCursor(c)

    def tooltip_at(self, viewport_pos: QPoint) -> str:
        if self.article is None or self.browser.cursorForPosition(viewport_pos).position() \
                < self.omap.body_doc_start:
            return ""
        off = self.offset_at(viewport_pos)
        parts = []
        e = self.entity_at(off)
        if e is not None:
            parts.append(f"{display_name(e.label)} — {e.text}")
        aid = self.annotation_at(off)
        if aid is not None:
            ann = next(a.annotation for a in self._anns if a.annotation.id == aid)
            first = ann.note.strip().splitlines()[0] if ann.note.strip() else ""
            parts.append(f"Note: {first[:120]}" if first else "Highlight")
        return "\n".join(parts)

    def scroll_to_range(self, start: int, end: int, flash: bool = True) -> None:
        if not self.omap.blocks:
            return
        c = QTextCursor(self.browser.document())
        c.setPosition(self.omap.to_doc(start))
        top = self.browser.cursorRect(c).top()
        c.setPosition(self.omap.to_doc(end))
        bottom = self.browser.cursorRect(c).bottom()
        sb = self.browser.verticalScrollBar()
        vh = self.browser.viewport().height()
        height = bottom - top
        target = sb.value() + top - (vh // 4 if height < vh * 0.6 else 16)
        sb.setValue(max(0, target))
        if flash:
            self._flash_range = (start, end)
            self._flash.stop()
            self._flash.start()

    def _on_flash(self, alpha: float) -> None:
        s, e = self._flash_range
        self._layers.layers["flash"] = (rl.flash_layer(self.browser.document(), self.omap, s, e,
                                                       alpha, self._theme) if alpha > 0.01 else [])
        self._apply_layers()

    def scroll_position(self) -> int:
        """Reading position as the canonical offset of the first visible character (survives
        font-size and window-width changes, unlike a pixel value). 0 = the top."""
        if self.browser.verticalScrollBar().value() == 0 or not self.omap.blocks:
            return 0
        self.ensure_layout()
        x = int(self.browser.document().rootFrame().frameFormat().leftMargin()) + 2
        pos = self.browser.cursorForPosition(QPoint(x, 2)).position()
        return self.omap.to_text(pos) if pos >= self.omap.body_doc_start else 0

    def ensure_layout(self) -> None:
        """Finish Qt's lazy, stepwise layout of a long article now: until then the scroll
        range is short and a hit test past the laid-out part answers "the end"."""
        doc = self.browser.document()
        doc.documentLayout().blockBoundingRect(doc.lastBlock())

    def set_scroll_position(self, value: int) -> None:
        """Put the line holding canonical offset `value` at the top, and keep it there while
        the layout settles (ui/reader/anchor.py) until the user scrolls."""
        self.anchor.set(value if self.omap.blocks else 0)

    # -- look ----------------------------------------------------------------------------------
    def set_theme(self, name: str) -> None:
        self._theme = tc.theme(name)
        t = self._theme
        self.browser.setStyleSheet(
            f"QTextBrowser {{ background: {t.bg}; color: {t.fg}; border: none;"
            f" selection-background-color: {t.selection}; selection-color: {t.selection_fg}; }}")
        self.setStyleSheet(
            f"#entityLegend, FindBar {{ background: {t.code_bg}; }}"
            f" #entityLegend {{ border-bottom: 1px solid {t.rule}; }}"
            f" #entityLegend QToolButton {{ color: {t.fg}; background: {t.bg};"
            f" border: 1px solid {t.rule}; border-radius: 10px; padding: 2px 8px 2px 6px; }}"
            f" #entityLegend QToolButton:!checked {{ color: {t.muted}; background: transparent;"
            f" border-style: dashed; }}"
            f" FindBar QLabel, #legendEmpty {{ color: {t.muted}; }}"
            f" #readerNotice {{ background: #fff4c2; color: #3b2f00; padding: 6px;"
            f" border: 1px solid #d8c36a; border-radius: 4px; }}")
        self._rerender_keep_position()

    def theme_name(self) -> str:
        return self._theme.name

    def set_font_size(self, pt: int) -> None:
        self._pt = max(MIN_PT, min(MAX_PT, int(pt)))
        self._rerender_keep_position()

    def font_size(self) -> int:
        return self._pt

    def _rerender_keep_position(self) -> None:
        if self.article is None:
            return
        pos = self.anchor.offset or 0
        self._render()
        self._paint_entities()
        self._load_annotations()
        self.finder.repaint()
        self.set_scroll_position(pos)

    # -- entities panel hooks ------------------------------------------------------------------
    def focus_mentions(self, ranges: list[tuple[int, int]], label: str, index: int = 0) -> None:
        """Mark every mention of one entity and scroll to mention `index` (flashing it)."""
        self._focus = (list(ranges), label)
        self._layers.layers["focus"] = rl.focus_layer(self.browser.document(), self.omap,
                                                      ranges, label, self._theme)
        self._apply_layers()
        if ranges:
            self.scroll_to_range(*ranges[index % len(ranges)])

    def clear_focus(self) -> None:
        self._focus = ([], "")
        self._layers.layers["focus"] = []
        self._apply_layers()

    # -- actions -------------------------------------------------------------------------------
    def handle_key(self, e) -> bool:
        """Reader keys: 1–5 highlight the selection, Ctrl+Alt+N notes it, Ctrl+F finds; then
        the reading keys (ui/reader/keys.py: j/k, F7 caret, n/p)."""
        if e.matches(QKeySequence.StandardKey.Find):
            self.finder.open()
            return True
        mods = e.modifiers() & ~Qt.KeyboardModifier.KeypadModifier
        if mods == (Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.AltModifier) \
                and e.key() == Qt.Key.Key_N:
            self.add_note_to_selection()
            return True
        if mods == Qt.KeyboardModifier.NoModifier and Qt.Key.Key_1 <= e.key() <= Qt.Key.Key_9:
            i = e.key() - Qt.Key.Key_1
            if i < len(self.palette_colors) and self.selection_range():
                self.highlight_selection(self.palette_colors[i].key)
                return True
        if e.key() == Qt.Key.Key_Escape and self.find_bar.isVisible():
            self.find_bar.close_bar()
            return True
        from ui.reader.keys import handle_reading_key
        return handle_reading_key(self, e)

    def highlight_selection(self, color: str) -> None:
        self._annotate_selection(color=color, edit=False)

    def add_note_to_selection(self) -> None:
        self._annotate_selection(color="", edit=True)

    def _annotate_selection(self, color: str, edit: bool) -> None:
        """Highlight the selection on the write lane; `annotationCreated` when it is saved."""
        rng = self.selection_range()
        if self.article is None or rng is None:
            self.show_notice("Select a passage first.")
            return None
        c = self.browser.textCursor()
        c.clearSelection()
        self.browser.setTextCursor(c)

        def made(ann: Annotation) -> None:
            self.annotationsChanged.emit(ann.article_id)
            self.annotationCreated.emit(ann.id, edit)

        def failed(e: BaseException) -> None:  # read-only, disk full, busy: say so, keep going
            if not isinstance(e, CommonplaceError):
                raise e
            self.show_notice(f"Could not save the highlight: {e}")
        self.lane.submit(self.library.annotate, self.article.id, start=rng[0], end=rng[1],
                         color=color, on_result=made, on_error=failed)
        return None

    def correct_entity(self, action: str, start: int, end: int, label: str = "") -> None:
        if self.article is None:
            return

        def failed(e: BaseException) -> None:
            if not isinstance(e, (CommonplaceError, ImportError)):
                raise e
            self.show_notice(f"Could not correct the entity: {e}")
        self.lane.submit(self.library.correct_entity, self.article.id, action, start, end,
                         label, on_error=failed)

    def show_notice(self, text: str) -> None:
        self.notice.setText(text)
        self._place_notice()
        self.notice.show()
        self.notice.raise_()
        self._notice_timer.start()

    def _place_notice(self) -> None:
        """Near the bottom of the text, centred, as wide as its words (wrapping when long);
        from the view's own size, which is final when resizeEvent runs."""
        n = self.notice
        room = max(120, self.width() - 40)
        n.setFixedWidth(min(room, n.fontMetrics().horizontalAdvance(n.text()) + 24))
        n.setFixedHeight(n.heightForWidth(n.width()) if n.hasHeightForWidth() else n.sizeHint().height())
        bottom = self.height() - (self.find_bar.height() if self.find_bar.isVisible() else 0)
        n.move((self.width() - n.width()) // 2, max(0, bottom - n.height() - 16))

    def resizeEvent(self, e) -> None:
        super().resizeEvent(e)
        if not self.notice.isHidden():  # isVisible() is False while the window is re-laid out
            self._place_notice()

    def _open_link(self, url: QUrl) -> None:
        from ui.reader.links import open_in_browser
        open_in_browser(self, url.toString())
