"""Plain data classes shared by the core, the index, the CLI and the GUI.

Every offset is a character offset into an article's canonical text (see core.text).
"""
from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True, slots=True)
class Span:
    """A typed range of the canonical text: a block (heading, paragraph, quote, list_item)
    or an inline link (kind "link", attrs {"href": ...})."""

    start: int
    end: int
    kind: str
    attrs: dict = field(default_factory=dict, compare=False, hash=False)


@dataclass(frozen=True, slots=True)
class EntitySpan:
    """A named entity: OntoNotes label; source is the recogniser's name or "user"."""

    start: int
    end: int
    label: str
    text: str
    source: str = "model"


@dataclass(slots=True)
class Document:
    """What an importer produces before it is stored: canonical text plus structure and metadata."""

    text: str
    blocks: list[Span]
    links: list[Span] = field(default_factory=list)
    title: str = ""
    author: str = ""
    site: str = ""
    url: str = ""
    published: str = ""  # ISO date (YYYY-MM-DD) or ""
    language: str = ""
    tags: list[str] = field(default_factory=list)
    source_path: str = ""
    images: dict = field(default_factory=dict)  # name → core.importers.images.StoredImage
    notes: list[str] = field(default_factory=list)  # what the import skipped (images), for the user


WORDS_PER_MINUTE = 230


@dataclass(slots=True)
class ArticleSummary:
    """One row of the library list: everything the list shows, nothing more."""

    id: int
    title: str
    site: str
    author: str
    url: str
    published: str
    added: str
    updated: str
    notes_count: int
    words: int
    state: str = "inbox"          # "inbox" | "archive"
    trashed_at: str | None = None  # set while the article is in the trash
    read_at: str | None = None     # set when marked read
    progress: int = 0              # % read, from the saved reading position
    tags: list[str] = field(default_factory=list)

    @property
    def reading_minutes(self) -> int:
        """Reading time at ~230 words a minute (at least one minute for any text)."""
        return max(1, round(self.words / WORDS_PER_MINUTE)) if self.words else 0

    @property
    def status(self) -> str:
        """One word for the reading state: trash, archive, read, in progress or new."""
        if self.trashed_at:
            return "trash"
        if self.state == "archive":
            return "archive"
        if self.read_at:
            return "read"
        return "in progress" if self.progress > 0 else "new"


@dataclass(slots=True)
class Article:
    id: int
    uuid: str
    title: str
    author: str
    site: str
    url: str
    published: str
    added: str
    updated: str
    content_hash: str
    language: str
    tags: list[str]
    text: str
    blocks: list[Span]
    links: list[Span]


@dataclass(slots=True)
class Anchor:
    """W3C Web Annotation selectors: TextPositionSelector + TextQuoteSelector."""

    start: int
    end: int
    exact: str
    prefix: str = ""
    suffix: str = ""


@dataclass(slots=True)
class Annotation:
    """A highlight (anchor, no note), a passage note (anchor + note) or an article note (no anchor)."""

    id: int
    uuid: str
    article_id: int
    anchor: Anchor | None
    color: str
    note: str
    tags: list[str]
    created: str
    updated: str


@dataclass(slots=True)
class ImportResult:
    """Outcome of one source: article_id set on success or duplicate; error set on failure."""

    source: str
    status: str  # "imported" | "duplicate" | "updated" | "failed"
    article_id: int | None = None
    title: str = ""
    error: str = ""
