"""Window-level entity actions: one key and a View menu item to show or hide every entity
highlight (all types, including types not seen yet), corrections with a scope that Edit ▸ Undo
takes back, and the entity page. Installed by the main window with `install(window)`."""
from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QSettings
from PySide6.QtGui import QAction, QKeySequence, QUndoCommand, QUndoStack

from core.errors import CommonplaceError

if TYPE_CHECKING:
    from ui.entities.page import EntityPageDialog
    from ui.reader.view import ReaderView

TOGGLE_KEY = "Ctrl+Shift+E"
SETTINGS_KEY = "reader/entities_visible"
SCOPE_WORDS = {"mention": "this mention", "article": "every mention in this article",
               "library": "everywhere in the library"}


class _LaneCommand(QUndoCommand):
    """An undoable library change run on the reader's write lane (never on the GUI thread):
    redo makes the change and keeps the library's undo token, undo hands the token back.
    The lane runs edits one at a time in order, so an undo always follows its redo."""

    def __init__(self, actions: EntityActions, text: str) -> None:
        super().__init__(text)
        self.a, self.token = actions, None

    def change(self):  # -> undo token; runs on the lane
        raise NotImplementedError

    def redo(self) -> None:
        def work() -> None:
            self.token = self.change()
        self.a.submit(work)

    def undo(self) -> None:
        def work() -> None:
            if self.token is not None:
                self.a.library.undo_entity_change(self.token)
                self.token = None
        self.a.submit(work)


class _CorrectCommand(_LaneCommand):
    """A correction with a scope: this mention, every mention in the article, everywhere."""

    def __init__(self, actions: EntityActions, article_id: int, action: str, start: int,
                 end: int, label: str, scope: str, name: str) -> None:
        verb = "Remove" if action == "remove" else f"Relabel {label}"
        super().__init__(actions, f"{verb} “{name}” ({SCOPE_WORDS[scope]})")
        self.args = (article_id, action, start, end, label, scope)

    def change(self):
        aid, action, start, end, label, scope = self.args
        return self.a.library.correct_entity_scoped(aid, action, start, end, label, scope=scope)


class _AliasCommand(_LaneCommand):
    """Merge a name into another (or split it off) across the library."""

    def __init__(self, actions: EntityActions, alias: str, into: str | None) -> None:
        super().__init__(actions, f"Merge “{alias}” into “{into}”" if into
                         else f"Split “{alias}” off")
        self.alias, self.into = alias, into

    def change(self):
        lib = self.a.library
        return lib.merge_entity_names(self.alias, self.into) if self.into \
            else lib.split_entity_name(self.alias)


class EntityActions(QObject):
    def __init__(self, reader: ReaderView, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.reader = reader
        self.library = reader.library
        self.undo_stack = QUndoStack(self)
        self.undo_action = self.undo_stack.createUndoAction(self, "&Undo Entity Correction")
        self.redo_action = self.undo_stack.createRedoAction(self, "&Redo Entity Correction")
        self.settings = QSettings()
        self.toggle = QAction("Show &Entity Highlights", self, checkable=True)
        self.toggle.setShortcut(QKeySequence(TOGGLE_KEY))
        self.toggle.setStatusTip("Show or hide every entity highlight (all types)")
        visible = self.settings.value(SETTINGS_KEY, True, type=bool)
        self.toggle.setChecked(bool(visible))
        self.toggle.toggled.connect(self.set_visible)
        reader.entities_visible = bool(visible)
        setattr(reader, "entity_actions", self)  # the reader's context menu finds us here  # noqa: B010
        self._page: EntityPageDialog | None = None

    def set_visible(self, on: bool) -> None:
        """Every entity highlight on or off; remembered, and it holds for types not seen yet."""
        self.reader.entities_visible = on
        self.settings.setValue(SETTINGS_KEY, on)
        if self.toggle.isChecked() != on:
            self.toggle.setChecked(on)
        self.reader.legend.setEnabled(on)
        if self.reader.article is not None:
            self.reader._paint_entities()

    def submit(self, work) -> None:
        """Run a library write on the reader's write lane; the view reloads its entities from
        the library's change record, and a bad correction becomes a notice."""
        def failed(e: BaseException) -> None:
            if not isinstance(e, CommonplaceError):
                raise e
            self.reader.show_notice(f"Could not correct the entity: {e}")
        self.reader.lane.submit(work, on_result=lambda _v: self.refresh(), on_error=failed)

    def correct(self, action: str, start: int, end: int, label: str = "",
                scope: str = "mention") -> None:
        """Apply a correction with a scope through the undo stack (Edit ▸ Undo)."""
        if self.reader.article is None:
            return
        name = self.reader.article.text[start:end]
        self.undo_stack.push(_CorrectCommand(self, self.reader.article.id, action, start, end,
                                             label, scope, name))

    def merge(self, alias: str, into: str) -> None:
        """``alias`` stands for ``into`` everywhere (entity page, panel rows, entity search)."""
        if alias.strip() and into.strip() and alias.strip() != into.strip():
            self.undo_stack.push(_AliasCommand(self, alias.strip(), into.strip()))

    def split(self, alias: str) -> None:
        self.undo_stack.push(_AliasCommand(self, alias, None))

    def refresh(self) -> None:
        if self.reader.article is not None:
            self.reader._load_entities()

    def open_page(self, name: str, label: str = "") -> None:
        from ui.entities.page import EntityPageDialog
        page = self._page
        if page is None:
            page = self._page = EntityPageDialog(self.library, self.reader.window())
            page.articleRequested.connect(self._open_article)
        page.show_entity(name, label)
        page.show()
        page.raise_()

    def _open_article(self, article_id: int) -> None:
        w = self.reader.window()
        opener = getattr(w, "show_article", None)
        (opener or self.reader.show_article)(article_id)


def _panel_menu(acts: EntityActions, tree, pos) -> None:
    """The Entities panel's context menu: the entity page and a search for the row."""
    from PySide6.QtWidgets import QMenu

    from ui.entities.panel import LabelRole, VariantsRole
    ix = tree.indexAt(pos)
    if not ix.isValid() or not ix.parent().isValid():
        return
    name, label = str(ix.siblingAtColumn(0).data()), ix.data(LabelRole) or ""
    menu = QMenu(tree)
    menu.addAction("Open Entity Page…", lambda: acts.open_page(name, label))
    menu.addAction(f"Merge “{name}” into Another Name…", lambda: _ask_merge(acts, tree, name))
    variants = ix.data(VariantsRole) or []
    if len(variants) > 1:
        sub = menu.addMenu("Split Off")
        for v in variants:
            if v != name:
                sub.addAction(v, partial(acts.split, v))
    menu.exec(tree.viewport().mapToGlobal(pos))


def _ask_merge(acts: EntityActions, parent, name: str) -> None:
    from PySide6.QtWidgets import QInputDialog
    into, ok = QInputDialog.getText(parent, "Merge Names",
                                    f"“{name}” is another name for:")
    if ok:
        acts.merge(name, into)


def install(window) -> EntityActions:
    """Wire the actions into the window: View menu (toggle), Edit menu (undo/redo), and the
    Entities panel's context menu (Open Entity Page…)."""
    from PySide6.QtCore import Qt
    acts = EntityActions(window.reader, window)
    tree = getattr(getattr(window, "entities_panel", None), "tree", None)
    if tree is not None:
        tree.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        tree.customContextMenuRequested.connect(lambda pos: _panel_menu(acts, tree, pos))
    bar = window.menuBar()
    menus = {a.text().replace("&", ""): a.menu() for a in bar.actions() if a.menu()}
    view = menus.get("View")
    if view is not None:
        view.insertAction(view.actions()[0] if view.actions() else None, acts.toggle)
    window.addAction(acts.toggle)  # the key works with the menu bar hidden too
    edit = menus.get("Edit")
    if edit is not None:
        first = edit.actions()[0] if edit.actions() else None
        edit.insertActions(first, [acts.undo_action, acts.redo_action])
        edit.insertSeparator(first)
    return acts
