"""JSON shapes and terminal text for the CLI, built from the core's dataclasses in one place.
The JSON field names are documented in the README and are a stable interface."""
from __future__ import annotations

import html
import json
import sys
from dataclasses import dataclass
from typing import Any

from core.library import ResolvedAnnotation
from core.models import Article, ArticleSummary, EntitySpan

Json = Any  # what json.dumps accepts


@dataclass(slots=True)
class Output:
    """What a command returns: its JSON form, its human form and its exit code."""

    data: Json
    text: str
    exit: int = 0

    def emit(self, as_json: bool) -> int:
        if as_json:
            out = json.dumps(self.data, ensure_ascii=False, indent=2)
            if not _utf8(out):  # a non-UTF-8 file name: \u escapes keep the output valid UTF-8
                out = json.dumps(self.data, ensure_ascii=True, indent=2)
            print(out)
        elif self.text:
            t = self.text
            print(t if _utf8(t) else t.encode("utf-8", "replace").decode("utf-8"))
        return self.exit


def _utf8(s: str) -> bool:
    try:
        s.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def plain_snippet(snippet_html: str) -> str:
    """Terminal form of a snippet: matched terms in bold on a terminal, **term** otherwise."""
    on, off = ("\033[1m", "\033[0m") if sys.stdout.isatty() else ("**", "**")
    return html.unescape(snippet_html.replace("<mark>", on).replace("</mark>", off))


def entity_json(e: EntitySpan) -> dict[str, Json]:
    return {"start": e.start, "end": e.end, "label": e.label, "text": e.text, "source": e.source}


def annotation_json(r: ResolvedAnnotation) -> dict[str, Json]:
    a = r.annotation
    status = "article-note" if a.anchor is None or r.resolution is None else r.resolution.status
    d: dict[str, Json] = {
        "id": a.id, "uuid": a.uuid, "article_id": a.article_id, "color": a.color,
        "note": a.note, "tags": a.tags, "created": a.created, "updated": a.updated,
        "quote": a.anchor.exact if a.anchor else None, "start": None, "end": None,
        "status": status}
    if r.resolution and not r.resolution.orphaned:
        d["start"], d["end"] = r.resolution.start, r.resolution.end
    return d


def summary_json(r: ArticleSummary) -> dict[str, Json]:
    return {"id": r.id, "title": r.title, "site": r.site, "author": r.author, "url": r.url,
            "published": r.published, "added": r.added, "updated": r.updated,
            "notes": r.notes_count, "words": r.words, "reading_minutes": r.reading_minutes,
            "state": r.state, "status": r.status, "trashed_at": r.trashed_at,
            "read_at": r.read_at, "progress": r.progress, "tags": r.tags}


def article_json(a: Article, ents: list[EntitySpan],
                 anns: list[ResolvedAnnotation]) -> dict[str, Json]:
    return {"id": a.id, "uuid": a.uuid, "title": a.title, "author": a.author,
            "site": a.site, "url": a.url, "published": a.published, "added": a.added,
            "updated": a.updated, "language": a.language, "tags": a.tags, "text": a.text,
            "blocks": [{"start": b.start, "end": b.end, "kind": b.kind} for b in a.blocks],
            "links": [{"start": k.start, "end": k.end, "href": k.attrs.get("href", "")}
                      for k in a.links],
            "entities": [entity_json(e) for e in ents],
            "annotations": [annotation_json(r) for r in anns]}
