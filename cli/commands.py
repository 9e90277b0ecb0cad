"""One typed function per CLI command. Each takes the open Library and the parsed arguments
and returns an Output; the mapping from command names to functions is COMMANDS.

The user's word for an annotation on the command line is "note" (`edit-note`, `delete-note`,
`notes`); the core's is Annotation. This module is the one place the two meet.
"""
from __future__ import annotations

import sys
from argparse import Namespace
from collections.abc import Callable
from dataclasses import asdict
from pathlib import Path
from typing import Any

from cli import triage
from cli.output import (
    Output,
    annotation_json,
    article_json,
    entity_json,
    plain_snippet,
)
from cli.parser import EXIT_FAILED, EXIT_OK, UsageError
from core.errors import CommonplaceError
from core.library import Library, ResolvedAnnotation
from core.ner.names import display_name

Command = Callable[[Library, Namespace], Output]


def _annotation_changes(args: Namespace) -> dict[str, Any]:
    """note/color/tags given on the command line; CommonplaceError for bad values."""
    from core.palette import normalise
    changes: dict[str, Any] = {}
    if args.note is not None and args.note_file:
        raise UsageError("give --note or --note-file, not both")
    if args.note_file:
        try:
            raw = _read_note_file(args.note_file)
            changes["note"] = raw.decode("utf-8")
        except OSError as e:
            raise CommonplaceError(f"cannot read {args.note_file}: {e.strerror}") from e
        except UnicodeDecodeError as e:
            raise CommonplaceError(f"{args.note_file} is not UTF-8 text") from e
    elif args.note is not None:
        changes["note"] = args.note
    if args.color is not None:
        try:
            changes["color"] = normalise(args.color)
        except ValueError as e:
            raise UsageError(str(e)) from e
    if args.tag is not None:
        changes["tags"] = [t.strip() for t in args.tag if t.strip()]
    if getattr(args, "clear_tags", False):
        changes["tags"] = []
    return changes


MAX_NOTE_BYTES = 10_000_000


def _read_note_file(name: str) -> bytes:
    """A regular file or '-' (stdin), at most MAX_NOTE_BYTES: /dev/zero or a FIFO must not
    read until memory runs out or block forever."""
    import os
    import stat
    if name == "-":
        raw = sys.stdin.buffer.read(MAX_NOTE_BYTES + 1)
    else:
        if not stat.S_ISREG(os.stat(name).st_mode):
            raise CommonplaceError(f"{name} is not a regular file")
        with open(name, "rb") as fh:
            raw = fh.read(MAX_NOTE_BYTES + 1)
    if len(raw) > MAX_NOTE_BYTES:
        raise CommonplaceError(f"{name}: note too long (limit {MAX_NOTE_BYTES // 1_000_000} MB)")
    return raw


def _resolved(lib: Library, article_id: int, annotation_id: int) -> ResolvedAnnotation:
    return next(r for r in lib.annotations(article_id) if r.annotation.id == annotation_id)


def _print_progress(i: int, n: int, label: str) -> None:
    print(f"\r[{i}/{n}] {label[-60:]:<60}", end="", file=sys.stderr, flush=True)


def import_(lib: Library, args: Namespace) -> Output:
    show_progress = not args.json and sys.stderr.isatty()
    if show_progress:
        results = lib.import_sources(args.sources, progress=_print_progress,
                                     recognise=not args.no_entities, tags=args.tag,
                                     tag_folders=args.tag_folders)
    else:  # --json or not a terminal: a line now and then, never silence
        from core.progress import Heartbeat
        with Heartbeat(sys.stderr) as beat:
            results = lib.import_sources(args.sources, progress=beat,
                                         recognise=not args.no_entities, tags=args.tag,
                                         tag_folders=args.tag_folders)
    if show_progress:
        print(file=sys.stderr)
    lines = []
    for r in results:
        if r.status == "failed":
            lines.append(f"failed     {r.source}: {r.error}")
        elif r.status == "duplicate":
            lines.append(f"duplicate  {r.source}: {r.error}")
        else:
            extra = f" ({r.error})" if r.error else ""
            lines.append(f"{r.status:<10} #{r.article_id} {r.title}{extra}")
    counts = {s: sum(r.status == s for r in results)
              for s in ("imported", "updated", "duplicate", "failed")}
    lines.append(", ".join(f"{v} {k}" for k, v in counts.items()))
    reports = [asdict(rep) | {"summary": rep.summary()} for rep in lib.export_reports]
    lines += [rep["summary"] for rep in reports]
    return Output({"results": [asdict(r) for r in results], "counts": counts,
                   "exports": reports},
                  "\n".join(lines), EXIT_FAILED if counts["failed"] else EXIT_OK)


def show(lib: Library, args: Namespace) -> Output:
    a = lib.article(args.article)
    ents = lib.entities(a.id)
    anns = lib.annotations(a.id)
    meta = " · ".join(x for x in (a.author, a.site, a.published, a.url) if x)
    return Output(article_json(a, ents, anns), f"# {a.title}\n{meta}\n\n{a.text}\n\n"
                  f"[{len(ents)} entities, {len(anns)} annotations]")


def search(lib: Library, args: Namespace) -> Output:
    if args.limit < 0 or args.offset < 0:
        raise UsageError("--limit and --offset must be 0 or more")
    lib.ensure_index()  # reads never write: bring a stale index up to date first
    res = lib.search(args.query, limit=args.limit, offset=args.offset, sort=args.sort)
    hits: list[dict[str, Any]] = [{"article_id": h.article_id, "annotation_id": h.annotation_id, "kind": h.kind,
             "label": h.label, "title": h.title, "score": round(h.score, 4),
             "published": h.published, "snippet": h.snippet_html} for h in res.hits]
    text = "\n".join(f"#{h['article_id']}  {h['score']:.2f}  "
                     f"{'' if h['kind'] == 'article' else '[' + h['label'].lower() + '] '}"
                     f"{h['title']}\n    {plain_snippet(h['snippet'])}"
                     for h in hits) or "no matches"
    entity = lib.entity_lookup(res.corrected or args.query) if not args.offset else None
    if entity:  # the query names an entity: say where its page is
        n = entity["articles"]
        text = (f"entity: {entity['name']} ({display_name(entity['label'])}, {n} article"
                f"{'s' if n != 1 else ''}); its page: main.py entity \"{entity['name']}\"\n") + text
    if res.fallback:
        text = "(query not understood as syntax; searched for its words)\n" + text
    if res.corrected:
        text = (f"Showing results for {res.corrected} (search instead for "
                f"{res.suggestion})\n") + text
    if res.notice:  # "query too broad … narrow your query"
        text = f"commonplace: {res.notice}"
    return Output({"query": args.query, "total": res.total, "offset": args.offset,
                   "fallback": res.fallback, "corrected": res.corrected or None,
                   "suggestion": res.suggestion or None, "hits": hits,
                   "notice": res.notice, "entity": entity},
                  text, EXIT_FAILED if res.notice else EXIT_OK)


def entities(lib: Library, args: Namespace) -> Output:
    ents = lib.entities(args.article)
    return Output([entity_json(e) for e in ents],
                  "\n".join(f"{e.start:>6}-{e.end:<6} {e.label:<8} {e.text}"
                            + ("  (user)" if e.source == "user" else "") for e in ents))


def correct(lib: Library, args: Namespace) -> Output:
    if args.scope != "mention":
        lib.correct_entity_scoped(args.article, args.action, args.start, args.end, args.label,
                                  scope=args.scope)
        ents = lib.entities(args.article)
        return Output([entity_json(e) for e in ents],
                      f"recorded ({args.scope}); {len(ents)} entities now")
    ents = lib.correct_entity(args.article, args.action, args.start, args.end, args.label)
    return Output([entity_json(e) for e in ents], f"recorded; {len(ents)} entities now")


def entity(lib: Library, args: Namespace) -> Output:
    from cli.entity_page import entity_text
    page = lib.entity_page(args.name, args.type)
    return Output(page, entity_text(page))


def annotate(lib: Library, args: Namespace) -> Output:
    changes = _annotation_changes(args)
    if (args.start is None) != (args.end is None):
        raise UsageError("give both --start and --end")
    if args.quote is not None and args.start is not None:
        raise UsageError("give --quote or --start/--end, not both")
    ann = lib.annotate(args.article, quote=args.quote, occurrence=args.occurrence,
                       start=args.start, end=args.end, note=changes.get("note", ""),
                       color=changes.get("color", ""), tags=changes.get("tags", []))
    return Output(annotation_json(_resolved(lib, ann.article_id, ann.id)),
                  f"annotation #{ann.id} on article #{ann.article_id}")


def edit_annotation(lib: Library, args: Namespace) -> Output:
    changes = _annotation_changes(args)
    if not changes:
        raise UsageError("nothing to change: give --note, --note-file, --color or --tag")
    ann = lib.update_annotation(args.annotation, **changes)
    return Output(annotation_json(_resolved(lib, ann.article_id, ann.id)),
                  f"annotation #{ann.id} updated")


def delete_annotation(lib: Library, args: Namespace) -> Output:
    ann = lib.delete_annotation(args.annotation)
    return Output({"deleted": ann.id, "article_id": ann.article_id},
                  f"annotation #{ann.id} deleted")


def list_annotations(lib: Library, args: Namespace) -> Output:
    rows = [annotation_json(r) for r in lib.annotations(args.article)]
    return Output(rows, "\n".join(
        f"#{d['id']} [{d['status']}] {d['color'] or '-'}  "
        f"{('“' + d['quote'][:60] + '”') if d['quote'] else '(article note)'}"
        + (f"\n    {d['note']}" if d['note'] else "") for d in rows) or "no annotations")


def export(lib: Library, args: Namespace) -> Output:
    from core.export import export_library
    written = export_library(lib, Path(args.out), args.articles or None, fmt=args.format,
                             include_all=args.all_articles, entity_notes=args.entity_notes)
    return Output({"folder": str(Path(args.out).resolve()), "format": args.format,
                   "written": [str(p) for p in written]}, "\n".join(str(p) for p in written))


def reindex(lib: Library, args: Namespace) -> Output:
    n = lib.reindex(force=args.force)
    return Output({"documents": n}, f"indexed {n} documents")


def check(lib: Library, args: Namespace) -> Output:
    problems = lib.check(repair=True)
    return Output({"ok": not problems, "problems": problems},
                  "\n".join(problems) or "ok: store and index are consistent",
                  EXIT_FAILED if problems else EXIT_OK)


def backup(lib: Library, args: Namespace) -> Output:
    dest = lib.backup_to(Path(args.out), force=args.force)
    return Output({"backup": str(dest)}, f"wrote {dest}")


def restore(lib: Library, args: Namespace) -> Output:
    safety = lib.restore(Path(args.source))
    n = len(lib.articles())
    return Output({"restored": args.source, "previous": str(safety), "articles": n},
                  f"restored {n} articles from {args.source}; the previous library is kept "
                  f"in {safety}")


def sources(lib: Library, args: Namespace) -> Output:
    """`feeds …` and `fetch-links` (cli/formats.py)."""
    from cli.formats import dispatch
    out: dict[str, Any] = {}

    def emit(_args: Namespace, data: Any, text: str) -> None:
        out.update(data=data, text=text)
    code = dispatch(lib, args, emit)
    return Output(out.get("data"), out.get("text", ""), EXIT_OK if code is None else code)


COMMANDS: dict[str, Command] = {
    "import": import_, "show": show, "search": search, "entities": entities,
    "correct": correct, "entity": entity, "annotate": annotate, "edit-note": edit_annotation,
    "delete-note": delete_annotation, "notes": list_annotations, "export": export,
    "reindex": reindex, "check": check, "backup": backup, "restore": restore,
    "feeds": sources, "fetch-links": sources,
    "list": triage.list_, **triage.COMMANDS,
}
