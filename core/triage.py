"""Triage for the Library facade: inbox/archive/trash, read state, reading progress, article
tags, the library list's views and the notebook. A service the `Library` facade owns (over the
store and the facade's commit), like ingest and indexing.

Every change is one transaction, ends in a change record (`core.changes.Change`) through the
facade's commit, and returns a `TriageUndo` describing the state before it;
`Library.undo(undo)` puts that back and returns the TriageUndo that redoes it. Trash keeps the
article, its annotations and anchors untouched; only `empty_trash` deletes (and cannot be
undone — the GUI asks first).
"""
from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING

from core import notebook as nb
from core.changes import Change
from core.db import now_iso
from core.errors import CommonplaceError
from core.models import ArticleSummary
from core.storage_triage import ArticleState, ListQuery, TriageRows

if TYPE_CHECKING:
    from core.storage import Store

Commit = Callable[[Change], object]

TRASH_DAYS = 30  # trashed articles older than this are emptied when a library opens


@dataclass(slots=True)
class TriageUndo:
    """An undoable change: `label` for Edit ▸ Undo, and the prior state of what it touched."""

    label: str
    states: list[ArticleState] = field(default_factory=list)
    tags: dict[int, list[str]] = field(default_factory=dict)

    @property
    def article_ids(self) -> list[int]:
        return list(dict.fromkeys([s.id for s in self.states] + list(self.tags)))

    def __bool__(self) -> bool:
        return bool(self.states or self.tags)


def _plural(n: int, what: str = "article") -> str:
    return f"{n} {what}" + ("" if n == 1 else "s")


def _clean_tags(tags: Iterable[str]) -> list[str]:
    out = [t.strip() for t in tags if t and t.strip()]
    for t in out:
        if len(t) > 100 or any(c in t for c in "\n\r\t\x1f"):
            raise CommonplaceError(f"not a usable tag name: {t[:40]!r}")
    return list(dict.fromkeys(out))


class TriageService:
    def __init__(self, store: Store, commit: Commit) -> None:
        self.store = store
        self.rows = TriageRows(store)
        self.commit = commit

    def _publish(self, ids: Iterable[int], index: bool = True) -> None:
        """A change record for these articles (their rows, notes counts and tags changed)."""
        touched = frozenset(ids)
        if touched:
            self.commit(Change(articles=touched, index_pending=index))

    # -- the list ----------------------------------------------------------------------------
    def list_ids(self, view: str = "all", *, tags: Sequence[str] = (), site: str = "",
                 order: str = "added", words: str = "", feed: int = 0) -> list[int]:
        """Ordered ids of a view (cheap at any size); fill rows with `summaries`."""
        return self.rows.list_ids(ListQuery(view, tuple(tags), site, order, words, feed))

    def summaries(self, ids: Sequence[int]) -> list[ArticleSummary]:
        return self.rows.summaries_for(ids)

    def view_counts(self) -> dict[str, int]:
        return self.rows.view_counts()

    def sites(self) -> list[tuple[str, int]]:
        return self.rows.sites()

    # -- states ------------------------------------------------------------------------------
    def _change_states(self, ids: Iterable[int], label: str, **new) -> TriageUndo:
        before = self.rows.article_states(ids)
        after = [replace(s, **{k: (v(s) if callable(v) else v) for k, v in new.items()})
                 for s in before]
        changed = [(b, a) for b, a in zip(before, after, strict=True) if a != b]
        self.rows.set_article_states([a for _, a in changed])
        self._publish([a.id for _, a in changed],
                      index=any((b.trashed_at is None) != (a.trashed_at is None)
                                for b, a in changed))
        return TriageUndo(label.format(n=_plural(len(changed))), [b for b, _ in changed])

    def archive(self, ids: Iterable[int]) -> TriageUndo:
        return self._change_states(ids, "Archive {n}", state="archive")

    def unarchive(self, ids: Iterable[int]) -> TriageUndo:
        """Back to the inbox (also the way out of the archive for a restored article)."""
        return self._change_states(ids, "Move {n} to Inbox", state="inbox")

    def trash(self, ids: Iterable[int]) -> TriageUndo:
        """Move to the trash: kept whole (annotations too) until emptied; leaves search."""
        ts = now_iso()
        return self._change_states(ids, "Move {n} to Trash",
                                   trashed_at=lambda s: s.trashed_at or ts)

    def undelete(self, ids: Iterable[int]) -> TriageUndo:
        """Out of the trash, back to the inbox or archive it was in."""
        return self._change_states(ids, "Restore {n}", trashed_at=None)

    def mark_read(self, ids: Iterable[int], read: bool = True) -> TriageUndo:
        ts = now_iso()
        if read:
            return self._change_states(ids, "Mark {n} Read", read_at=lambda s: s.read_at or ts)
        return self._change_states(ids, "Mark {n} Unread", read_at=None)

    def undo(self, change: TriageUndo) -> TriageUndo:
        """Put back what `change` recorded (one transaction each for states and tags);
        returns the Change that redoes it."""
        redo = TriageUndo(change.label)
        if change.states:
            redo.states = self.rows.article_states(s.id for s in change.states)
            self.rows.set_article_states(change.states)
        if change.tags:
            redo.tags = self.rows.tags_of(change.tags)
            self.rows.set_tags_many(change.tags)
        self._publish(change.article_ids)
        return redo

    # -- reading progress --------------------------------------------------------------------
    def set_reading_position(self, article_id: int, position: int,
                             read_to: int | None = None) -> int:
        """Save where the reader is (canonical offset of the first visible character) and how
        far the text has been seen (`read_to`, the last visible offset; defaults to
        `position`). Returns the % read now stored."""
        n = len(self.store.article_text(article_id))
        seen = position if read_to is None else read_to
        pct = 100 if n and seen >= n else (int(100 * max(0, seen) / n) if n else 0)
        if position <= 0 and (read_to is None or read_to <= 0):
            pct = 0
        self.rows.set_reading(article_id, position, pct)
        self._publish([article_id], index=False)
        return pct

    def reading_position(self, article_id: int) -> int:
        return self.rows.reading_position(article_id)

    # -- trash -------------------------------------------------------------------------------
    def empty_trash(self, older_than_days: float | None = None,
                    ids: Sequence[int] | None = None) -> int:
        """Delete trashed articles for good (all of them, those trashed more than
        `older_than_days` ago, or just `ids`). Returns how many went. Not undoable."""
        if ids is None:
            cutoff = None
            if older_than_days is not None:
                cutoff = (datetime.now(UTC) - timedelta(days=older_than_days)) \
                    .isoformat(timespec="milliseconds").replace("+00:00", "Z")
            ids = self.rows.trashed_ids(cutoff)
        n = self.rows.purge(ids) if ids else 0
        if n:
            self._publish(ids, index=False)
        return n

    def auto_empty_trash(self) -> None:
        """Called when a library opens: trash older than TRASH_DAYS goes. A busy library
        simply tries again next time."""
        try:
            self.empty_trash(TRASH_DAYS)
        except CommonplaceError:
            pass

    # -- tags --------------------------------------------------------------------------------
    def all_tags(self) -> list[tuple[str, int]]:
        return self.rows.all_tags()

    def tag_articles(self, ids: Iterable[int], add: Iterable[str] = (),
                     remove: Iterable[str] = ()) -> TriageUndo:
        add, remove = _clean_tags(add), {t.casefold() for t in _clean_tags(remove)}
        before = self.rows.tags_of(ids)
        after = {}
        for aid, tags in before.items():
            new = [t for t in tags if t.casefold() not in remove]
            have = {t.casefold() for t in new}
            new += [t for t in add if t.casefold() not in have]
            if new != tags:
                after[aid] = new
        if after:
            self.rows.set_tags_many(after)
            self._publish(after)
        what = " ".join([f"+{t}" for t in add] + [f"-{t}" for t in sorted(remove)])
        return TriageUndo(f"Tag {_plural(len(after))} {what}".strip(),
                      tags={a: before[a] for a in after})

    def rename_tag(self, old: str, new: str) -> TriageUndo:
        """Rename a tag on every article; renaming onto an existing tag merges the two."""
        return self.merge_tags([old], new)

    def merge_tags(self, sources: Sequence[str], target: str) -> TriageUndo:
        """Replace each source tag by `target` on every article that has one."""
        target = (_clean_tags([target]) or [""])[0]
        sources = _clean_tags(sources)
        if not target or not sources:
            raise CommonplaceError("give the tag(s) to rename and a new name")
        ids = sorted({a for s in sources for a in self.rows.articles_tagged(s)})
        if not ids:
            raise CommonplaceError(f"no article has the tag {sources[0]!r}")
        if len(sources) == 1 and sources[0].casefold() == target.casefold():
            before = self.rows.tags_of(ids)  # only the spelling changes
            self.rows.rename_tag_row(sources[0], target)
            self._publish(ids)
            return TriageUndo(f"Rename tag {sources[0]} to {target}", tags=before)
        src = {s.casefold() for s in sources}
        before = self.rows.tags_of(ids)
        after = {}
        for aid, tags in before.items():
            new = [target if t.casefold() in src else t for t in tags]
            after[aid] = list(dict.fromkeys(new))
        self.rows.set_tags_many(after)
        self._publish(after)
        verb = "Rename" if len(sources) == 1 else "Merge"
        return TriageUndo(f"{verb} tag {', '.join(sources)} to {target}", tags=before)

    # -- notebook ----------------------------------------------------------------------------
    def notebook(self, query: nb.NotebookQuery | None = None, *, limit: int | None = None,
                 offset: int = 0, **filters) -> list[nb.NotebookEntry]:
        """Every highlight and note matching the filters (see core.notebook.NotebookQuery),
        or one page of them."""
        return nb.query(self.store, query or nb.NotebookQuery(**filters), limit, offset)

    def notebook_count(self, query: nb.NotebookQuery | None = None, **filters) -> int:
        return nb.count(self.store, query or nb.NotebookQuery(**filters))

    def annotation_tags(self) -> list[str]:
        return nb.annotation_tags(self.store)
