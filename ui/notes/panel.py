"""Notes panel: the article's annotations in reading order, and an editor for the chosen one.

Notes save as they are typed (debounced 500 ms) and whenever the selection, the article or the
application changes, so a crash loses at most the last half second of typing. Every write goes
through the library's write lane (never the GUI thread); the panel refreshes from app events.
Deleting is undoable (QUndoStack: Ctrl+Z while the panel has focus, or the exported undo action).
"""
from __future__ import annotations

import functools
import threading

from PySide6.QtCore import QCoreApplication, QItemSelectionModel, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QColor, QKeySequence, QShortcut, QUndoStack
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
from ui.events import events_for
from ui.notes.commands import CreateCommand, DeleteCommand, delete_if_present
from ui.notes.editor import MarkdownEditor
from ui.notes.model import ORPHAN_TEXT, AnnRole, NoteCardDelegate, NotesModel, status_of
from ui.reader.view import ReaderView
from ui.reader.widgets import swatch_icon
from ui.runner import lane_for

SAVE_DELAY_MS = 500


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
        self.lane = lane_for(library)
        self.events = events_for(library)
        self._failed: dict[int, str] = {}  # note text a save refused (kept, retried)
        self._failed_lock = threading.Lock()
        self._problem = ""
        self.undo_stack = QUndoStack(self)
        self._save_timer = QTimer(self, singleShot=True, interval=SAVE_DELAY_MS)
        self._save_timer.timeout.connect(self.flush)
        top = self._build_list()
        self._build_editor()
        self._build_layout(top)
        self._build_keys()
        self._connect()
        self.load_article(reader.current_article_id())

    def _build_list(self) -> QHBoxLayout:
        reader = self.reader
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

        return top

    def _build_editor(self) -> None:
        reader = self.reader
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


    def _build_layout(self, top: QHBoxLayout) -> None:
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


    def _build_keys(self) -> None:
        self.undo_action: QAction = self.undo_stack.createUndoAction(self, "Undo")
        self.redo_action: QAction = self.undo_stack.createRedoAction(self, "Redo")
        undo = QShortcut(QKeySequence.StandardKey.Undo, self, self.undo_stack.undo)
        undo.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        redo = QShortcut(QKeySequence.StandardKey.Redo, self, self.undo_stack.redo)
        redo.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        dele = QShortcut(QKeySequence.StandardKey.Delete, self.list, self.delete_current)
        dele.setContext(Qt.ShortcutContext.WidgetShortcut)


    def _connect(self) -> None:
        reader = self.reader
        self.add_note_btn.clicked.connect(self.add_article_note)
        self.delete_btn.clicked.connect(self.delete_current)
        self.reattach_btn.clicked.connect(self.reattach_current)
        self.tags_edit.editingFinished.connect(self._save_tags)
        self.md.edited.connect(self._typed)
        self.list.selectionModel().currentChanged.connect(self._current_changed)
        self.list.clicked.connect(self._clicked)
        reader.articleShown.connect(self.load_article)
        self.events.annotationsChanged.connect(self._annotations_changed)
        reader.annotationCreated.connect(self._created)
        reader.annotationActivated.connect(lambda i: self.select_annotation(i, scroll=False))
        reader.selectionChangedRange.connect(self._update_reattach)
        app = QCoreApplication.instance()
        if app is not None:
            app.aboutToQuit.connect(self.flush)

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

    def _annotations_changed(self, article_id: int) -> None:
        if article_id == self.article_id:
            self._reload()
        self.annotationsChanged.emit(article_id)

    def reselect(self, article_id: int | None, annotation_id: int | None) -> None:
        """After a write of ours lands: show its annotation in the editor."""
        if article_id == self.article_id:
            self._reload(select=annotation_id)

    def write(self, fn, *args, then=None, **kwargs) -> None:
        """Run a library write on the write lane; `then(result)` on the GUI thread. A write
        the library refuses (read-only, disk full, busy) is reported, not raised."""
        def failed(e: BaseException) -> None:
            if isinstance(e, CommonplaceError):
                self.saveProblem.emit(f"Not saved: {e}")
                self.reader.show_notice(f"Not saved: {e}")
            else:
                raise e
        self.lane.submit(fn, *args, on_result=then, on_error=failed, **kwargs)

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
        """Notes typed but not yet stored (normally empty; non-empty while a save is failing).
        Call after `lane.wait()` to include the writes in flight."""
        with self._failed_lock:
            return {**self._failed, **self._pending}

    def _save_note(self, ann_id: int, note: str) -> bool:
        """On the write lane. A refused save keeps the text for a retry, never drops it."""
        try:
            self.library.update_annotation(ann_id, note=note)
        except NotFound:
            return True
        except CommonplaceError as e:
            with self._failed_lock:
                self._failed.setdefault(ann_id, note)
            self._problem = str(e)
            return False
        with self._failed_lock:
            if self._failed.get(ann_id) == note:
                del self._failed[ann_id]
        return True

    def flush(self) -> None:
        """Queue every pending note for writing now (timer, switching, closing, quitting)."""
        self._save_timer.stop()
        with self._failed_lock:
            retry, self._failed = self._failed, {}
        pending, self._pending = {**retry, **self._pending}, {}
        for ann_id, note in pending.items():
            self.lane.submit(self._save_note, ann_id, note,
                             on_result=functools.partial(self._saved, ann_id, note))

    def _saved(self, ann_id: int, note: str, ok: bool) -> None:
        if not ok:
            # Keep the text and try again shortly: a busy or full library must never cost
            # the user what they typed.
            if not self._save_timer.isActive():
                self._save_timer.start(RETRY_DELAY_MS)
            self.saveProblem.emit(f"Note not saved yet ({self._problem}); retrying")
            return
        if note.strip():
            self._fresh_article_notes.discard(ann_id)

    def set_color(self, key: str) -> None:
        if self._current is None:
            return
        self.flush()
        for k, b in self.color_buttons.items():
            b.setChecked(k == key)
        cur = self._current
        self.write(self.library.update_annotation, cur, color=key,
                   then=lambda _a: self.reselect(self.article_id, cur))

    def _save_tags(self) -> None:
        if self._current is None:
            return
        tags = [t.strip().lstrip("#") for t in self.tags_edit.text().split(",") if t.strip()]
        row = self.model.row_of(self._current)
        if row >= 0 and self.model.items[row].annotation.tags == tags:
            return
        cur = self._current
        self.write(self.library.update_annotation, cur, tags=tags,
                   then=lambda _a: self.reselect(self.article_id, cur))

    def set_readonly(self, readonly: bool) -> None:
        """A read-only library: notes can be read and copied, not changed."""
        self._readonly = readonly
        self.md.editor.setReadOnly(readonly)
        for w in (self.add_note_btn, self.delete_btn, self.tags_edit,
                  *self.color_buttons.values()):
            w.setEnabled(not readonly)

    def add_article_note(self) -> None:
        """A note about the whole article; the editor takes focus when it has been made."""
        if self.article_id is None:
            return
        self.flush()

        def made(ann: Annotation) -> None:
            self._fresh_article_notes.add(ann.id)
            self.reselect(ann.article_id, ann.id)
            self.md.editor.setFocus()
        self.write(self.library.annotate, self.article_id, then=made)

    def _drop_empty_article_notes(self) -> None:
        """An article note created and left empty is noise: remove it on leaving."""
        for ann_id in list(self._fresh_article_notes):
            self._fresh_article_notes.discard(ann_id)
            ann = next((r.annotation for r in self.model.items if r.annotation.id == ann_id),
                       None)
            if ann is not None and not ann.note.strip() and ann.anchor is None \
                    and not self._pending.get(ann_id, "").strip():
                self.write(delete_if_present, self.library, ann_id)

    def _created(self, ann_id: int, edit: bool) -> None:
        self.undo_stack.push(CreateCommand(self, ann_id))
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
        self.undo_stack.push(DeleteCommand(self, self._current))

    def reattach_current(self) -> None:
        rng = self.reader.selection_range()
        if self._current is None or rng is None:
            return
        cur = self._current
        self.write(self.library.reattach, cur, *rng,
                   then=lambda _a: self.reselect(self.article_id, cur))

    def hideEvent(self, e) -> None:
        self.flush()
        super().hideEvent(e)

    def closeEvent(self, e) -> None:
        self.flush()
        super().closeEvent(e)
