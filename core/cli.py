"""The headless command line. Same Library facade as the GUI; `--json` gives stable output.

Exit codes: 0 all well, 1 some items failed (or `check` found problems), 2 usage error.
"""
from __future__ import annotations

import argparse
import html
import json
import sys
from collections.abc import Sequence
from dataclasses import asdict
from pathlib import Path

from core import cli_triage
from core.errors import CommonplaceError, NotFound

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2


class _Parser(argparse.ArgumentParser):
    def error(self, message: str):  # argparse exits 2 on usage errors; keep it, but one line
        self.print_usage(sys.stderr)
        print(f"commonplace: {message}", file=sys.stderr)
        raise SystemExit(EXIT_USAGE)


def build_parser() -> argparse.ArgumentParser:
    p = _Parser(prog="commonplace", description="Commonplace: a local-first reader's notebook.")
    p.add_argument("--library", metavar="DIR", help="library folder (default: platform data "
                   "folder, or $COMMONPLACE_LIBRARY)")
    p.add_argument("--json", action="store_true", help="machine-readable output")
    p.add_argument("--ner-pipeline", metavar="NAME", help="use an installed spaCy pipeline "
                   "(e.g. en_core_web_trf) instead of the built-in recogniser; remembered")
    sub = p.add_subparsers(dest="command", parser_class=_Parser)

    def add(name: str, help_: str) -> argparse.ArgumentParser:
        sp = sub.add_parser(name, help=help_)
        sp.add_argument("--json", action="store_true", default=argparse.SUPPRESS)
        return sp

    sp = add("import", "import files, folders and http(s) URLs")
    sp.add_argument("sources", nargs="+", metavar="SOURCE")
    sp.add_argument("--no-entities", action="store_true",
                    help="skip entity recognition now (the window fills them in later)")
    sp.add_argument("--tag", action="append", default=[], metavar="T",
                    help="tag every imported article (repeat for several)")
    sp.add_argument("--tag-folders", action="store_true",
                    help="tag each file with its folder names below the imported folder")
    sp = add("list", "list the articles")
    sp.add_argument("--sort", choices=["added", "published", "title", "progress"],
                    default="added")
    cli_triage.add_list_args(sp)
    sp = add("show", "an article's text, metadata, entities and annotations")
    sp.add_argument("article", type=int, metavar="ARTICLE")
    sp = add("search", "ranked hits with snippets")
    sp.add_argument("query")
    sp.add_argument("--limit", type=int, default=10)
    sp = add("entities", "an article's entity spans")
    sp.add_argument("article", type=int, metavar="ARTICLE")
    sp = add("correct", "correct an entity: remove, relabel or add a span")
    sp.add_argument("article", type=int, metavar="ARTICLE")
    sp.add_argument("action", choices=["remove", "relabel", "add"])
    sp.add_argument("--start", type=int, required=True)
    sp.add_argument("--end", type=int, required=True)
    sp.add_argument("--label", default="")
    sp = add("annotate", "highlight a passage, optionally with a Markdown note")
    sp.add_argument("article", type=int, metavar="ARTICLE")
    sp.add_argument("--quote", help="the passage, exactly as in the article (omit for an "
                    "article-level note)")
    sp.add_argument("--occurrence", type=int, default=1)
    sp.add_argument("--start", type=int, help="passage by character offsets (with --end)")
    sp.add_argument("--end", type=int)
    _note_args(sp)
    sp = add("notes", "annotations, resolved against the current text")
    sp.add_argument("article", type=int, metavar="ARTICLE")
    sp = add("edit-note", "change an annotation's note, colour or tags")
    sp.add_argument("annotation", type=int, metavar="ANNOTATION")
    _note_args(sp, editing=True)
    sp = add("delete-note", "delete an annotation (highlight or note)")
    sp.add_argument("annotation", type=int, metavar="ANNOTATION")
    sp = add("export", "export annotations to Markdown (or W3C JSON)")
    sp.add_argument("articles", nargs="*", type=int, metavar="ARTICLE")
    sp.add_argument("--out", required=True, metavar="DIR")
    sp.add_argument("--format", choices=["markdown", "json"], default="markdown")
    add("reindex", "rebuild the search index from the store")
    add("check", "integrity of store and index; exit 1 if anything is wrong")
    sp = add("backup", "write a consistent copy of the library database")
    sp.add_argument("--out", required=True, metavar="FILE")
    sp = add("restore", "replace the library with a backup (the current one is kept in "
             "backups/)")
    sp.add_argument("--from", dest="source", required=True, metavar="FILE")
    cli_triage.add_parsers(add)
    return p


def _note_args(sp: argparse.ArgumentParser, editing: bool = False) -> None:
    from core.palette import NAMES
    sp.add_argument("--note", default=None, help="Markdown note text")
    sp.add_argument("--note-file", metavar="FILE", help="read the note from FILE ('-': stdin)")
    sp.add_argument("--color", default=None, help=f"one of {', '.join(NAMES)}"
                    + (" ('' for none)" if editing else ""))
    sp.add_argument("--tag", action="append", default=None,
                    help="a tag (repeat for several)" + ("; replaces the tags" if editing else ""))
    if editing:
        sp.add_argument("--clear-tags", action="store_true")


def _note_changes(args) -> dict:
    """note/color/tags given on the command line; CommonplaceError for bad values."""
    from core.palette import normalise
    changes: dict = {}
    if args.note is not None and args.note_file:
        raise _Usage("give --note or --note-file, not both")
    if args.note_file:
        try:
            raw = sys.stdin.buffer.read() if args.note_file == "-" else \
                Path(args.note_file).read_bytes()
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
            raise _Usage(str(e)) from e
    if args.tag is not None:
        changes["tags"] = [t.strip() for t in args.tag if t.strip()]
    if getattr(args, "clear_tags", False):
        changes["tags"] = []
    return changes


_Usage = cli_triage.Usage

def _emit(args, data, text: str) -> None:
    if args.json:
        print(json.dumps(data, ensure_ascii=False, indent=2))
    elif text:
        print(text)


def _plain_snippet(snippet_html: str) -> str:
    """Terminal form of a snippet: matched terms in bold on a terminal, **term** otherwise."""
    on, off = ("\033[1m", "\033[0m") if sys.stdout.isatty() else ("**", "**")
    return html.unescape(snippet_html.replace("<mark>", on).replace("</mark>", off))


def _ent(e) -> dict:
    return {"start": e.start, "end": e.end, "label": e.label, "text": e.text, "source": e.source}


def _ann(r) -> dict:
    a = r.annotation
    d = {"id": a.id, "uuid": a.uuid, "article_id": a.article_id, "color": a.color,
         "note": a.note, "tags": a.tags, "created": a.created, "updated": a.updated,
         "quote": a.anchor.exact if a.anchor else None, "start": None, "end": None,
         "status": "article-note" if a.anchor is None else r.resolution.status}
    if r.resolution and not r.resolution.orphaned:
        d["start"], d["end"] = r.resolution.start, r.resolution.end
    return d


def run(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    from core.library import Library
    try:
        lib = Library(Path(args.library) if args.library else None)
    except CommonplaceError as e:
        print(f"commonplace: {e}", file=sys.stderr)
        return EXIT_FAILED
    if lib.readonly_notice:
        print(f"commonplace: {lib.readonly_notice}", file=sys.stderr)
    try:
        if args.ner_pipeline:
            lib.set_ner_pipeline(args.ner_pipeline)
        return _dispatch(lib, args)
    except (NotFound, _Usage) as e:
        print(f"commonplace: {e}", file=sys.stderr)
        return EXIT_USAGE
    except CommonplaceError as e:
        print(f"commonplace: {e}", file=sys.stderr)
        return EXIT_FAILED
    finally:
        lib.close()


def _dispatch(lib, args) -> int:
    cmd = args.command
    if cmd == "import":
        progress = None
        if not args.json and sys.stderr.isatty():
            def progress(i, n, label):
                print(f"\r[{i}/{n}] {label[-60:]:<60}", end="", file=sys.stderr, flush=True)
        results = lib.import_sources(args.sources, progress=progress,
                                     recognise=not args.no_entities, tags=args.tag,
                                     tag_folders=args.tag_folders)
        if progress:
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
        _emit(args, {"results": [asdict(r) for r in results], "counts": counts},
              "\n".join(lines))
        return EXIT_FAILED if counts["failed"] else EXIT_OK
    if cmd == "list":
        return cli_triage.run_list(lib, args, _emit)
    if cmd == "show":
        a = lib.article(args.article)
        ents = lib.entities(a.id)
        anns = lib.annotations(a.id)
        data = {"id": a.id, "uuid": a.uuid, "title": a.title, "author": a.author,
                "site": a.site, "url": a.url, "published": a.published, "added": a.added,
                "updated": a.updated, "language": a.language, "tags": a.tags, "text": a.text,
                "blocks": [{"start": b.start, "end": b.end, "kind": b.kind} for b in a.blocks],
                "links": [{"start": k.start, "end": k.end, "href": k.attrs.get("href", "")}
                          for k in a.links],
                "entities": [_ent(e) for e in ents], "annotations": [_ann(r) for r in anns]}
        meta = " · ".join(x for x in (a.author, a.site, a.published, a.url) if x)
        _emit(args, data, f"# {a.title}\n{meta}\n\n{a.text}\n\n"
              f"[{len(ents)} entities, {len(anns)} annotations]")
        return EXIT_OK
    if cmd == "search":
        res = lib.search(args.query, limit=args.limit)
        hits = [{"article_id": h.article_id, "annotation_id": h.annotation_id, "kind": h.kind,
                 "title": h.title, "score": round(h.score, 4), "snippet": h.snippet_html}
                for h in res.hits]
        text = "\n".join(f"#{h['article_id']}  {h['score']:.2f}  "
                         f"{'[note] ' if h['kind'] == 'annotation' else ''}{h['title']}\n"
                         f"    {_plain_snippet(h['snippet'])}" for h in hits) or "no matches"
        if res.fallback:
            text = "(query not understood as syntax; searched for its words)\n" + text
        _emit(args, {"query": args.query, "total": res.total, "fallback": res.fallback,
                     "hits": hits}, text)
        return EXIT_OK
    if cmd == "entities":
        ents = lib.entities(args.article)
        _emit(args, [_ent(e) for e in ents],
              "\n".join(f"{e.start:>6}-{e.end:<6} {e.label:<8} {e.text}"
                        + ("  (user)" if e.source == "user" else "") for e in ents))
        return EXIT_OK
    if cmd == "correct":
        ents = lib.correct_entity(args.article, args.action, args.start, args.end, args.label)
        _emit(args, [_ent(e) for e in ents], f"recorded; {len(ents)} entities now")
        return EXIT_OK
    if cmd == "annotate":
        changes = _note_changes(args)
        if (args.start is None) != (args.end is None):
            raise _Usage("give both --start and --end")
        if args.quote is not None and args.start is not None:
            raise _Usage("give --quote or --start/--end, not both")
        ann = lib.annotate(args.article, quote=args.quote, occurrence=args.occurrence,
                           start=args.start, end=args.end, note=changes.get("note", ""),
                           color=changes.get("color", ""), tags=changes.get("tags", []))
        r = next(r for r in lib.annotations(ann.article_id) if r.annotation.id == ann.id)
        _emit(args, _ann(r), f"annotation #{ann.id} on article #{ann.article_id}")
        return EXIT_OK
    if cmd == "edit-note":
        changes = _note_changes(args)
        if not changes:
            raise _Usage("nothing to change: give --note, --note-file, --color or --tag")
        ann = lib.update_annotation(args.annotation, **changes)
        r = next(r for r in lib.annotations(ann.article_id) if r.annotation.id == ann.id)
        _emit(args, _ann(r), f"annotation #{ann.id} updated")
        return EXIT_OK
    if cmd == "delete-note":
        ann = lib.delete_annotation(args.annotation)
        _emit(args, {"deleted": ann.id, "article_id": ann.article_id},
              f"annotation #{ann.id} deleted")
        return EXIT_OK
    if cmd == "notes":
        rows = lib.annotations(args.article)
        _emit(args, [_ann(r) for r in rows], "\n".join(
            f"#{d['id']} [{d['status']}] {d['color'] or '-'}  "
            f"{('“' + d['quote'][:60] + '”') if d['quote'] else '(article note)'}"
            + (f"\n    {d['note']}" if d['note'] else "") for d in map(_ann, rows))
            or "no annotations")
        return EXIT_OK
    if cmd == "export":
        from core.export import export_library
        written = export_library(lib, Path(args.out), args.articles or None, fmt=args.format)
        _emit(args, {"folder": str(Path(args.out).resolve()), "format": args.format,
                     "written": [str(p) for p in written]},
              "\n".join(str(p) for p in written))
        return EXIT_OK
    if cmd == "reindex":
        n = lib.reindex()
        _emit(args, {"documents": n}, f"indexed {n} documents")
        return EXIT_OK
    if cmd == "check":
        problems = lib.check(repair=True)
        _emit(args, {"ok": not problems, "problems": problems},
              "\n".join(problems) or "ok: store and index are consistent")
        return EXIT_FAILED if problems else EXIT_OK
    if cmd == "backup":
        dest = lib.store.backup(Path(args.out))
        _emit(args, {"backup": str(dest)}, f"wrote {dest}")
        return EXIT_OK
    if cmd == "restore":
        safety = lib.restore(Path(args.source))
        n = len(lib.articles())
        _emit(args, {"restored": args.source, "previous": str(safety), "articles": n},
              f"restored {n} articles from {args.source}; the previous library is kept "
              f"in {safety}")
        return EXIT_OK
    code = cli_triage.dispatch(lib, args, _emit)
    if code is None:
        raise AssertionError(cmd)
    return code
