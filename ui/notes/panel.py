"""Notes panel: the article's annotations in reading order, and an editor for the chosen one.

Notes save as they are typed (debounced 500 ms) and whenever the selection, the article or the
application changes, so a crash loses at most the last half second of typing. Deleting is
undoable (QUndoStack: Ctrl+Z while the panel has focus, or the exported undo action).
"""
from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QItemSelectionModel, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QColor, QKeySequence, QShortcut, QUndoCommand, QUndoStack
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListView,
    QPushButton,
    QSplitter,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from core.errors import CommonplaceError, NotFound
from core.library import Library
from core.models import Annotation
from ui.notes.editor import MarkdownEditor
from ui.notes.model import ORPHAN_TEXT, AnnRole, NoteCardDelegate, NotesModel, status_of
from ui.reader.view import ReaderView
from ui.reader.widgets import swatch_icon

SAVE_DELAY_MS = 500


class _CreateCommand(QUndoCommand):
    """A highlight or note made in the reader; undo removes it, redo brings it back."""

    def __init__(self, panel: NotesPanel, annotation_id: int) -> None:
        super().__init__("Add highlight")
        self.panel, self.annotation_id = panel, annotation_id
        self.removed: Annotation | None = None
        self._first = True

    def redo(self) -> None:
        if self._first:  # already made by the reader when pushed
            self._first = False
            return
        if self.removed is not None:
            self.panel.library.restore_annotation(self.removed)
            self.panel._after_change(self.removed.article_id, select=self.removed.id)

    def undo(self) -> None:
        self.panel.flush()
        try:
            self.removed = self.panel.library.delete_annotation(self.annotation_id)
        except NotFound:
            return
        self.panel._after_change(self.removed.article_id)


class _DeleteCommand(QUndoCommand):
    def __init__(self, panel: NotesPanel, annotation_id: int) -> None:
        super().__init__("Delete annotation")
        self.panel, self.annotation_id = panel, annotation_id
        self.deleted: Annotation | None = None

    def redo(self) -> None:
        self.deleted = self.panel.library.delete_annotation(self.annotation_id)
        self.panel._after_change(self.deleted.article_id)

    def undo(self) -> None:
        if self.deleted is not None:
            self.panel.library.restore_annotation(self.deleted)
            self.panel._after_change(self.deleted.article_id, select=self.deleted.id)


RETRY_DELAY_MS = 3000


class NotesPanel(QWidget):
    annotationsChanged = Signal(int)  # article id
    saveProblem = Signal(str)  # a note could not be saved yet (busy, disk full); it is kept

    def __init__(self, library: Library, reader: ReaderView, parent: QWidget | None = None
                 ) -> None:
        super().__init__(parent)
        self.library, self.reader = library, reader
        self.article_id: int | None = None
        self._current: int | None = None
        self._pending: dict[int, str] = {}
        self._fresh_article_notes: set[int] = set()
        self._syncing = False
        self._readonly = False
        self.undo_stack = QUndoStack(self)
        self._save_timer = QTimer(self, singleShot=True, interval=SAVE_DELAY_MS,
                                  timeout=self.flush)

        self.add_note_btn = QPushButton("Add article note", self)
        self.add_note_btn.setToolTip("A note about the whole article, not tied to a passage")
        self.count_label = QLabel(self)
        top = QHBoxLayout()
        top.addWidget(self.count_label, 1)
        top.addWidget(self.add_note_btn)

        self.model = NotesModel(self)
        self.list = QListView(self)
        self.list.setModel(self.model)
        self.list.setItemDelegate(NoteCardDelegate(reader.palette_colors, self.list))
        self.list.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.list.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.list.setResizeMode(QListView.ResizeMode.Adjust)
        self.list.setUniformItemSizes(False)
        self.list.setWordWrap(True)
        self.list.setAccessibleName("Annotations")
        self.view = self.list  # what the main window focuses (focus_dock)
        self.empty_label = QLabel("No notes yet. Select text in the article, then press 1–5 to "
                                  "highlight or Ctrl+Alt+N to add a note.", self)
        self.empty_label.setWordWrap(True)
        self.empty_label.setAlignment(Qt.AlignmentFlag.AlignCenter)

        self.editor_box = QWidget(self)
        ed = QVBoxLayout(self.editor_box)
        ed.setContentsMargins(0, 0, 0, 0)
        self.orphan_label = QLabel(ORPHAN_TEXT, self.editor_box)
        self.orphan_label.setWordWrap(True)
        self.orphan_label.setStyleSheet("color: #c62828; font-weight: bold;")
        self.reattach_btn = QPushButton("Re-attach to selection", self.editor_box)
        self.reattach_btn.setEnabled(False)
        orow = QHBoxLayout()
        orow.addWidget(self.orphan_label, 1)
        orow.addWidget(self.reattach_btn)
        crow = QHBoxLayout()
        self.color_buttons: dict[str, QToolButton] = {}
        for c in [*reader.palette_colors, None]:
            b = QToolButton(self.editor_box)
            b.setCheckable(True)
            b.setAutoRaise(True)
            if c is None:
                b.setText("∅")
                b.setToolTip("No colour")
                key = ""
            else:
                b.setIcon(swatch_icon(QColor(c.light), 16))
                b.setToolTip(c.name)
                key = c.key
            b.setAccessibleName(f"Colour: {b.toolTip()}")
            b.clicked.connect(lambda _=False, k=key: self.set_color(k))
            self.color_buttons[key] = b
            crow.addWidget(b)
        crow.addStretch(1)
        self.delete_btn = QPushButton("Delete", self.editor_box)
        self.delete_btn.setToolTip("Delete this annotation (Undo with Ctrl+Z)")
        crow.addWidget(self.delete_btn)
        self.tags_edit = QLineEdit(self.editor_box)
        self.tags_edit.setPlaceholderText("Tags, separated by commas")
        self.tags_edit.setAccessibleName("Annotation tags")
        self.md = MarkdownEditor(self.editor_box)
        ed.addLayout(orow)
        ed.addLayout(crow)
        ed.addWidget(self.tags_edit)
        ed.addWidget(self.md, 1)

        split = QSplitter(Qt.Orientation.Vertical, self)
        split.addWidget(self.list)
        split.addWidget(self.editor_box)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 2)
        split.setChildrenCollapsible(False)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(6, 6, 6, 6)
        lay.addLayout(top)
        lay.addWidget(self.empty_label)
        lay.addWidget(split, 1)

        self.undo_action: QAction = self.undo_stack.createUndoAction(self, "Undo")
        self.redo_action: QAction = self.undo_stack.createRedoAction(self, "Redo")
        undo = QShortcut(QKeySequence.StandardKey.Undo, self, self.undo_stack.undo)
        undo.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        redo = QShortcut(QKeySequence.StandardKey.Redo, self, self.undo_stack.redo)
        redo.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        dele = QShortcut(QKeySequence.StandardKey.Delete, self.list, self.delete_current)
        dele.setContext(Qt.ShortcutContext.WidgetShortcut)

        self.add_note_btn.clicked.connect(self.add_article_note)
        self.delete_btn.clicked.connect(self.delete_current)
        self.reattach_btn.clicked.connect(self.reattach_current)
        self.tags_edit.editingFinished.connect(self._save_tags)
        self.md.edited.connect(self._typed)
        self.list.selectionModel().currentChanged.connect(self._current_changed)
        self.list.clicked.connect(self._clicked)
        reader.articleShown.connect(self.load_article)
        reader.annotationsChanged.connect(lambda aid: self._reload() if aid == self.article_id
                                          else None)
        reader.annotationCreated.connect(self._created)
        reader.annotationActivated.connect(lambda i: self.select_annotation(i, scroll=False))
        reader.selectionChangedRange.connect(self._update_reattach)
        app = QCoreApplication.instance()
        if app is not None:
            app.aboutToQuit.connect(self.flush)
        self.load_article(reader.current_article_id())

    # -- loading -------------------------------------------------------------------------------
    def load_article(self, article_id: int | None) -> None:
        """Show an article's annotations; the same article again (re-shown after entity
        recognition, say) keeps the annotation being edited."""
        self.flush()
        if article_id == self.article_id and article_id is not None:
            self._reload(select=self._current)
            return
        self._drop_empty_article_notes()
        self.article_id = article_id
        self._current = None
        self._reload()

    def _reload(self, select: int | None = None) -> None:
        keep = select if select is not None else self._current
        items = self.library.annotations(self.article_id) if self.article_id else []
        self._syncing = True
        try:
            self.model.set_items(items)
        finally:
            self._syncing = False
        n = len(items)
        self.count_label.setText(f"{n} annotation{'s' if n != 1 else ''}" if n else "")
        self.empty_label.setVisible(self.article_id is not None and n == 0)
        self.add_note_btn.setEnabled(self.article_id is not None and not self._readonly)
        if keep is not None and self.model.row_of(keep) >= 0:
            self.select_annotation(keep, scroll=False)  # the editor keeps its text and cursor
        else:
            self._show_editor(None)

    def _after_change(self, article_id: int, select: int | None = None) -> None:
        if article_id == self.article_id:
            self._reload(select)
        if article_id == self.reader.current_article_id():
            self.reader.reload_annotations()
        self.annotationsChanged.emit(article_id)

    # -- selection -----------------------------------------------------------------------------
    def current_annotation_id(self) -> int | None:
        return self._current

    def select_annotation(self, annotation_id: int, scroll: bool = True) -> None:
        row = self.model.row_of(annotation_id)
        if row < 0:
            return
        ix = self.model.index(row)
        self._syncing = not scroll
        try:
            self.list.selectionModel().setCurrentIndex(
                ix, QItemSelectionModel.SelectionFlag.ClearAndSelect)
        finally:
            self._syncing = False
        self.list.scrollTo(ix)
        self._show_editor(self.model.items[row])

    def _current_changed(self, cur, _prev) -> None:
        if not cur.isValid():
            self._show_editor(None)
            return
        ra = cur.data(AnnRole)
        self._show_editor(ra)
        if not self._syncing:
            self._scroll_reader(ra)

    def _clicked(self, ix) -> None:
        self._scroll_reader(ix.data(AnnRole))

    def _scroll_reader(self, ra) -> None:
        r = ra.resolution
        if r is not None and not r.orphaned and self.reader.current_article_id() == self.article_id:
            self.reader.scroll_to_range(r.start, r.end, flash=True)

    def _show_editor(self, ra) -> None:
        """Load the editor when the chosen annotation changes; otherwise only refresh the
        controls, so a reload while typing never moves the cursor or loses a keystroke."""
        new_id = ra.annotation.id if ra is not None else None
        a = ra.annotation if ra is not None else None
        if new_id != self._current or new_id is None:
            self.flush()
            self._current = new_id
            self.md.set_markdown(a.note if a else "")
            self.tags_edit.setText(", ".join(a.tags) if a else "")
        self.editor_box.setEnabled(ra is not None)
        for key, b in self.color_buttons.items():
            b.setChecked(a is not None and a.color == key)
            b.setEnabled(a is not None and a.anchor is not None and not self._readonly)
        self.delete_btn.setEnabled(not self._readonly)
        self.tags_edit.setEnabled(not self._readonly)
        orphan = ra is not None and status_of(ra) == "orphaned"
        self.orphan_label.setVisible(orphan)
        self.reattach_btn.setVisible(orphan)
        self._update_reattach(self.reader.selection_range() is not None)

    def _update_reattach(self, has_selection: bool) -> None:
        self.reattach_btn.setEnabled(has_selection and self._current is not None)

    # -- editing -------------------------------------------------------------------------------
    def _typed(self, text: str) -> None:
        if self._current is None:
            return
        self._pending[self._current] = text
        self._save_timer.start(SAVE_DELAY_MS)

    def unsaved(self) -> dict[int, str]:
        """Notes typed but not yet stored (normally empty; non-empty while a save is failing)."""
        return dict(self._pending)

    def flush(self) -> None:
        """Write every pending note now (timer, switching, closing, quitting)."""
        self._save_timer.stop()
        pending, self._pending = self._pending, {}
        for ann_id, note in pending.items():
            try:
                self.library.update_annotation(ann_id, note=note)
            except NotFound:
                continue
            except CommonplaceError as e:
                # Keep the text and try again shortly: a busy or full library must never
                # cost the user what they typed.
                self._pending.setdefault(ann_id, note)
                self._save_timer.start(RETRY_DELAY_MS)
                self.saveProblem.emit(f"Note not saved yet ({e}); retrying")
                continue
            if note.strip():
                self._fresh_article_notes.discard(ann_id)
            row = self.model.row_of(ann_id)
            if row >= 0:
                ra = self.model.items[row]
                ra.annotation.note = note
                self.model.replace(ra)
        if pending and self.reader.current_article_id() == self.article_id:
            self.reader.reload_annotations()

    def set_color(self, key: str) -> None:
        if self._current is None:
            return
        self.flush()
        if not self._try(self.library.update_annotation, self._current, color=key):
            return
        for k, b in self.color_buttons.items():
            b.setChecked(k == key)
        self._after_change(self.article_id, select=self._current)

    def _save_tags(self) -> None:
        if self._current is None:
            return
        tags = [t.strip().lstrip("#") for t in self.tags_edit.text().split(",") if t.strip()]
        row = self.model.row_of(self._current)
        if row >= 0 and self.model.items[row].annotation.tags == tags:
            return
        if not self._try(self.library.update_annotation, self._current, tags=tags):
            return
        self._after_change(self.article_id, select=self._current)

    def _try(self, fn, *args, **kwargs):
        """A change the library refused (read-only, disk full, busy) is reported, not raised
        out of a Qt slot; returns the call's result or None."""
        try:
            return fn(*args, **kwargs)
        except CommonplaceError as e:
            self.saveProblem.emit(f"Not saved: {e}")
            self.reader.show_notice(f"Not saved: {e}")
            return None

    def set_readonly(self, readonly: bool) -> None:
        """A read-only library: notes can be read and copied, not changed."""
        self._readonly = readonly
        self.md.editor.setReadOnly(readonly)
        for w in (self.add_note_btn, self.delete_btn, self.tags_edit,
                  *self.color_buttons.values()):
            w.setEnabled(not readonly)

    def add_article_note(self) -> Annotation | None:
        if self.article_id is None:
            return None
        self.flush()
        ann = self._try(self.library.annotate, self.article_id)
        if ann is None:
            return None
        self._fresh_article_notes.add(ann.id)
        self._after_change(self.article_id, select=ann.id)
        self.md.editor.setFocus()
        return ann

    def _drop_empty_article_notes(self) -> None:
        """An article note created and left empty is noise: remove it on leaving."""
        for ann_id in list(self._fresh_article_notes):
            self._fresh_article_notes.discard(ann_id)
            ann = next((r.annotation for r in self.model.items if r.annotation.id == ann_id),
                       None)
            if ann is not None and not ann.note.strip() and ann.anchor is None:
                try:
                    self.library.delete_annotation(ann_id)
                except NotFound:
                    continue
                self.annotationsChanged.emit(ann.article_id)

    def _created(self, ann_id: int, edit: bool) -> None:
        self.undo_stack.push(_CreateCommand(self, ann_id))
        if self.reader.current_article_id() != self.article_id:
            return
        self._reload(select=ann_id)
        if edit:
            self.md.editor.setFocus()

    def delete_current(self) -> None:
        if self._current is None:
            return
        self.flush()
        self._fresh_article_notes.discard(self._current)
        self.undo_stack.push(_DeleteCommand(self, self._current))

    def reattach_current(self) -> None:
        rng = self.reader.selection_range()
        if self._current is None or rng is None:
            return
        try:
            self.library.reattach(self._current, *rng)
        except CommonplaceError as e:
            self.reader.show_notice(str(e))
            return
        self._after_change(self.article_id, select=self._current)

    def hideEvent(self, e) -> None:
        self.flush()
        super().hideEvent(e)

    def closeEvent(self, e) -> None:
        self.flush()
        super().closeEvent(e)
