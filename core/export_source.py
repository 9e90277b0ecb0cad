"""The narrow read interface export needs, so export depends on what it reads rather than on the
store: the Library facade implements it (and a test or the notebook may pass anything else that
does). Everything here is read-only."""
from __future__ import annotations

from typing import Protocol, runtime_checkable

from core.models import Annotation, Article, EntitySpan
from core.palette import Colour


@runtime_checkable
class ExportSource(Protocol):
    """Read methods export calls; `annotations` returns objects with `.annotation` (an
    Annotation) and `.resolution` (an anchors.Resolution, or None for an article note)."""

    def article_ids(self) -> list[int]:
        """Every article's id, ascending."""
        ...

    def article_uuids(self) -> dict[str, int]:
        """Every article's uuid → its id."""
        ...

    def annotated_article_ids(self) -> list[int]:
        """Ids of the articles that have at least one annotation, ascending."""
        ...

    def article(self, article_id: int) -> Article: ...

    def annotations(self, article_id: int) -> list: ...

    def annotation(self, annotation_id: int) -> Annotation: ...

    def entities(self, article_id: int) -> list[EntitySpan]: ...

    def palette(self) -> list[Colour]:
        """The highlight colours with the user's meanings."""
        ...

    def image(self, name: str) -> tuple[str, bytes] | None:
        """(mime, bytes) of an article image stored in the library."""
        ...
