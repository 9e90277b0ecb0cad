"""Export annotations as Markdown a person would keep in an Obsidian vault, or as W3C Web
Annotation JSON. This is the front door; `export_markdown` renders one article, `export_index`
the index note, `export_entities` the entity lists and notes, `export_w3c` the JSON, and
`export_files` names and writes files. Export reads the library only through the narrow
`ExportSource` interface (core.export_source), which the Library facade implements.

Markdown: one file per article — YAML front matter, then a *managed region* between two Obsidian
comment lines (`%% commonplace:begin <article uuid> … %%` … `%% commonplace:end <article uuid> %%`)
holding the title, source and the annotations in reading order. Re-exporting rewrites only the
managed region and Commonplace's own front-matter keys; anything the user wrote outside the region
and any front-matter keys they added are kept. The output depends only on the library's data (no
export timestamp), so an unchanged article exports to the same bytes and its file is not touched.

Every passage and note is put inside a callout (a block quote), so nothing in a note — an
unclosed code fence, raw HTML, a line that looks like our markers — can leak into the rest of the
file. Each annotation carries a block id `^ann-<first 8 hex digits of its uuid>`, unique in its
file.

A whole-library export writes the articles that have annotations (all of them with
`include_all`), plus any article whose file an earlier export left in the folder (so it does not
go stale), and an index note. Files are found again by the `commonplace_id` front-matter key, so
a renamed article (or a file the user renamed) is updated where it is. Names are safe on every
OS, never leave the chosen folder, and writes are atomic (temporary file + os.replace) with the
permissions the user's umask gives a new file.
"""
from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from core.errors import NotFound
from core.export_entities import (
    EntityNote,
    entity_key,
    entity_note_body,
    pick_entities,
    wikilink,
)
from core.export_files import (  # noqa: F401 - re-exported: the export API lives here
    NAME_MAX_BYTES,
    NAME_MAX_CHARS,
    ExportError,
    atomic_write,
    inside,
    json_owner,
    markdown_owner,
    safe_filename,
)
from core.export_index import INDEX_NAME, IndexRow, render_index
from core.export_markdown import (  # noqa: F401 - re-exported: the export API lives here
    MANAGED_KEYS,
    _dump_yaml,
    _markers,
    block_id,
    escape_inline,
    export_article_markdown,
    merge_markdown,
    obsidian_tag,
    obsidian_tags,
    render_article,
    split_front_matter,
)
from core.export_source import ExportSource
from core.export_w3c import export_article_json, render_collection  # noqa: F401

ENTITY_FOLDER = "Entities"
FORMATS = ("markdown", "json")


def _folder(out_dir: Path | str) -> Path:
    try:
        Path(out_dir).mkdir(parents=True, exist_ok=True)
        folder = Path(out_dir).resolve(strict=True)
    except OSError as e:
        raise ExportError(f"cannot use export folder {out_dir}: {e.strerror or e}") from e
    if not folder.is_dir():
        raise ExportError(f"{out_dir} is not a folder")
    return folder


def _existing(folder: Path, ext: str, key: str = "commonplace_id"
              ) -> tuple[dict[str, Path], dict[str, str | None]]:
    """Files of earlier exports by the id they belong to, and every name in use (case-folded)."""
    owners: dict[str, Path] = {}
    taken: dict[str, str | None] = {}
    if not folder.is_dir():
        return owners, taken
    for p in sorted(folder.iterdir()):
        if p.suffix.lower() != ext or not p.is_file() or p.name.startswith("."):
            continue
        owner = markdown_owner(p, key) if ext == ".md" else json_owner(p)
        taken[p.stem.casefold()] = owner
        if owner and owner not in owners:
            owners[owner] = p
    return owners, taken


def _claim(folder: Path, ext: str, owner: str, wanted: str, alt: str,
           owners: dict[str, Path], taken: dict[str, str | None]) -> Path:
    """The file for `owner`: the one an earlier export wrote, else a free name."""
    path = owners.get(owner)
    if path is None:
        stem = safe_filename(wanted)
        for candidate in (stem, safe_filename(f"{stem} ({alt})"), owner):
            if taken.get(candidate.casefold(), owner) == owner:
                stem = candidate
                break
        path = folder / (stem + ext)
        taken[stem.casefold()] = owner
    return inside(folder, path)


def _write_markdown(path: Path, fresh: str, region_id: str) -> None:
    if path.exists():
        existing = path.read_text(encoding="utf-8", errors="replace")
        fresh = merge_markdown(existing, fresh, region_id)
    atomic_write(path, fresh)


def export_library(src: ExportSource, out_dir: Path | str, article_ids: Iterable[int] | None = None,
                   fmt: str = "markdown", *, include_all: bool = False,
                   entity_notes: bool = False) -> list[Path]:
    """Write one file per article into `out_dir` (and, for the whole library in Markdown, an
    index note), updating earlier exports in place. `article_ids` None means the whole library:
    the articles with annotations, or every article with `include_all`. With `entity_notes`,
    entities in the front matter are links to notes in `Entities/` that link back.
    Returns the paths written or already up to date: articles in id order, then the index."""
    return _export(src, out_dir, article_ids, fmt, None, include_all, entity_notes)


def export_annotations(src: ExportSource, out_dir: Path | str, annotation_ids: Iterable[int],
                       fmt: str = "markdown", *, entity_notes: bool = False) -> list[Path]:
    """Export a selection (e.g. the notebook's): each article with a chosen annotation gets its
    file, holding only the chosen annotations — the same writer and files as a library export,
    so a later library export fills them in again. Unknown ids fail before anything is written."""
    chosen: dict[int, set[int]] = {}
    for ann_id in annotation_ids:
        ann = src.annotation(ann_id)
        chosen.setdefault(ann.article_id, set()).add(ann.id)
    return _export(src, out_dir, sorted(chosen), fmt, chosen, False, entity_notes)


def _export(src: ExportSource, out_dir: Path | str, article_ids: Iterable[int] | None, fmt: str,
            only: dict[int, set[int]] | None, include_all: bool,
            entity_notes: bool) -> list[Path]:
    if fmt not in FORMATS:
        raise ExportError(f"unknown export format {fmt!r}; use markdown or json")
    ext = ".md" if fmt == "markdown" else ".json"
    whole = article_ids is None
    uuids = src.article_uuids()
    known = set(uuids.values())
    if article_ids is not None:
        ids = sorted(set(article_ids))
        missing = [i for i in ids if i not in known]
        if missing:  # before anything is written
            raise NotFound(f"no article with id {missing[0]}")
    folder = _folder(out_dir)
    owners, taken = _existing(folder, ext)
    if whole:
        chosen = set(src.article_ids() if include_all else src.annotated_article_ids())
        chosen |= {uuids[u] for u in owners if u in uuids}  # keep earlier files current
        ids = sorted(chosen)
    if ext == ".md":
        taken.setdefault(INDEX_NAME.casefold(), "index")
    colours = {c.name: c for c in src.palette()}
    ent_dir = folder / ENTITY_FOLDER
    if entity_notes and ext == ".md" and (ent_dir.exists() or ent_dir.is_symlink()):
        inside(folder, ent_dir)  # refuse a link out of the folder before writing anything
    ent_owners, ent_taken = _existing(ent_dir, ".md", "commonplace_entity") \
        if entity_notes and ext == ".md" else ({}, {})
    ent_stems: dict[str, str] = {}
    ent_notes: dict[str, EntityNote] = {}

    def ent_link(key: str, name: str) -> str:
        if key not in ent_stems:
            stem = safe_filename(name)
            for candidate in (stem, f"{stem} (2)", f"{stem} (3)", safe_filename(key)):
                if ent_taken.get(candidate.casefold(), key) == key:
                    stem = candidate
                    break
            ent_stems[key] = ent_owners[key].stem if key in ent_owners else stem
            ent_taken[ent_stems[key].casefold()] = key
        return wikilink(ent_stems[key], name, ENTITY_FOLDER)

    written: list[Path] = []
    rows: list[IndexRow] = []
    try:
        for aid in ids:
            art = src.article(aid)
            resolved = src.annotations(aid)
            if only is not None:
                resolved = [r for r in resolved if r.annotation.id in only.get(aid, ())]
            path = _claim(folder, ext, art.uuid, art.title, str(aid), owners, taken)
            if ext == ".json":
                atomic_write(path, render_collection(art, resolved, colours))
                written.append(path)
                continue
            spans = src.entities(aid)
            links = None
            if entity_notes:
                links = {}
                for items in pick_entities(spans).values():
                    for e in items:
                        k = entity_key(e.name)
                        links[k] = ent_link(k, e.name)
                        note = ent_notes.setdefault(k, EntityNote(e.name))
                        note.groups[e.group] += e.mentions
                        note.articles.append((path.stem, art.title, e.mentions))
            _write_markdown(path, render_article(art, resolved, spans, colours, links), art.uuid)
            from core.export_images import copy_attachments
            copy_attachments(src, art, path.parent)
            written.append(path)
            rows.append(IndexRow(path.stem, art.title, art.site, art.published or art.added,
                                 sum(1 for r in resolved if r.annotation.anchor is not None),
                                 sum(1 for r in resolved if r.annotation.note.strip())))
        if ent_notes:
            ent_dir.mkdir(exist_ok=True)
            ent_folder = inside(folder, ent_dir)  # not a link out of the export folder
            for key in sorted(ent_notes):
                written.append(_write_entity_note(ent_folder, ent_stems[key], key,
                                                  ent_notes[key]))
        if whole and ext == ".md":
            ipath = inside(folder, folder / (INDEX_NAME + ".md"))
            _write_markdown(ipath, render_index(rows), "index")
            written.append(ipath)
    except OSError as e:
        raise ExportError(f"export failed: {e.strerror or e} ({getattr(e, 'filename', '')})") \
            from e
    return written


def _write_entity_note(folder: Path, stem: str, key: str, note: EntityNote) -> Path:
    path = inside(folder, folder / (stem + ".md"))
    begin, end = _markers("entity")
    fm = {"title": note.name, "type": note.group, "commonplace_entity": key}
    body = "\n".join(entity_note_body(note, wikilink, begin, end))
    _write_markdown(path, f"---\n{_dump_yaml(fm)}---\n\n{body}\n", "entity")
    return path

