"""CLI commands for triage, tags, the list's views and the notebook (issue 12): `delete`,
`undelete`, `archive`, `unarchive`, `read`, `unread`, `tag`, `tags`, `notebook`,
`empty-trash`, and the `list` options `--state/--tag/--site`. One typed function per command,
each returning an Output; `COMMANDS` is merged into cli.commands.COMMANDS.
"""
from __future__ import annotations

import argparse
from argparse import Namespace
from collections.abc import Callable, Iterable

from cli.output import Output, summary_json
from cli.parser import UsageError
from core.library import Library
from core.triage import TriageUndo

VIEW_CHOICES = ["inbox", "archive", "trash", "all", "notes"]


def add_commands(add: Callable[[str, str], argparse.ArgumentParser]) -> None:
    """Register the subcommands on the main parser through its `add(name, help)`."""
    for name, help_ in (("delete", "move articles to the trash (kept with their notes until "
                                   "emptied; they leave search and export)"),
                        ("undelete", "restore articles from the trash"),
                        ("archive", "move articles to the archive"),
                        ("unarchive", "move articles back to the inbox"),
                        ("read", "mark articles read"),
                        ("unread", "mark articles unread")):
        sp = add(name, help_)
        sp.add_argument("articles", nargs="+", type=int, metavar="ARTICLE")
    sp = add("tag", "add or remove article tags")
    sp.add_argument("articles", nargs="+", type=int, metavar="ARTICLE")
    sp.add_argument("--add", action="append", default=[], metavar="TAG")
    sp.add_argument("--remove", action="append", default=[], metavar="TAG")
    sp = add("tags", "list article tags, or rename/merge one library-wide")
    sp.add_argument("--rename", nargs=2, metavar=("OLD", "NEW"))
    sp.add_argument("--merge", nargs="+", metavar="TAG", help="tags to merge (with --into)")
    sp.add_argument("--into", metavar="TAG")
    sp = add("notebook", "every highlight and note across the library")
    sp.add_argument("--color", action="append", default=[], metavar="C",
                    help="a colour name (repeat for several)")
    sp.add_argument("--meaning", default="", help="a colour's meaning, e.g. evidence")
    sp.add_argument("--tag", action="append", default=[], metavar="T", help="annotation tag")
    sp.add_argument("--article-tag", action="append", default=[], metavar="T")
    sp.add_argument("--since", default="", metavar="YYYY-MM-DD")
    sp.add_argument("--until", default="", metavar="YYYY-MM-DD")
    sp.add_argument("--words", default="", help="words in the quote or the note")
    sp.add_argument("--by-article", action="store_true", help="group by article (default: "
                    "newest first)")
    sp = add("empty-trash", "delete the articles in the trash for good")
    sp.add_argument("--older-than", type=float, metavar="DAYS",
                    help="only those trashed more than DAYS ago")


def add_list_args(sp: argparse.ArgumentParser) -> None:
    sp.add_argument("--state", choices=VIEW_CHOICES, default="all",
                    help="inbox, archive, trash, all (outside the trash) or notes (has notes)")
    sp.add_argument("--tag", action="append", default=[], metavar="T",
                    help="only articles with this tag (repeat: all of them)")
    sp.add_argument("--site", default="", metavar="S", help="only this site (or author)")


def list_(lib: Library, args: Namespace) -> Output:
    rows = lib.summaries(lib.list_ids(args.state, tags=args.tag, site=args.site,
                                      order=args.sort))
    return Output([summary_json(r) for r in rows], "\n".join(
        f"{r.id:>6}  {r.published or r.added[:10]:<10}  "
        f"{(r.site or r.author or '-')[:18]:<18}  {r.reading_minutes:>3} min "
        f"{r.progress:>3}%  {r.title}" + (f"  [{', '.join(r.tags)}]" if r.tags else "")
        for r in rows))


def _states(lib: Library, undo: TriageUndo, verb: str) -> Output:
    rows = lib.summaries([s.id for s in undo.states]) if undo.states else []
    return Output({"changed": [s.id for s in undo.states],
                   "articles": [summary_json(r) for r in rows]},
                  f"{verb} {len(undo.states)} article(s)"
                  + "".join(f"\n  #{r.id} {r.title}" for r in rows))


def _action(fn: Callable[[Library, Iterable[int]], TriageUndo], verb: str
            ) -> Callable[[Library, Namespace], Output]:
    def run(lib: Library, args: Namespace) -> Output:
        return _states(lib, fn(lib, args.articles), verb)
    return run


def tag(lib: Library, args: Namespace) -> Output:
    if not args.add and not args.remove:
        raise UsageError("nothing to do: give --add TAG and/or --remove TAG")
    undo = lib.tag_articles(args.articles, add=args.add, remove=args.remove)
    rows = lib.summaries(args.articles)
    return Output({"changed": sorted(undo.tags), "articles": [
        {"id": r.id, "title": r.title, "tags": r.tags} for r in rows]},
        "\n".join(f"#{r.id} [{', '.join(r.tags)}] {r.title}" for r in rows))


def tags(lib: Library, args: Namespace) -> Output:
    if args.rename and (args.merge or args.into):
        raise UsageError("give --rename or --merge/--into, not both")
    if args.rename or args.merge:
        if args.merge and not args.into:
            raise UsageError("--merge needs --into TAG")
        undo = (lib.rename_tag(*args.rename) if args.rename
                else lib.merge_tags(args.merge, args.into))
        return Output({"changed": sorted(undo.tags), "label": undo.label},
                      f"{undo.label} on {len(undo.tags)} article(s)")
    rows = lib.all_tags()
    return Output([{"tag": t, "articles": n} for t, n in rows],
                  "\n".join(f"{n:>6}  {t}" for t, n in rows) or "no tags")


def notebook(lib: Library, args: Namespace) -> Output:
    entries = lib.notebook(colors=tuple(args.color), meaning=args.meaning,
                           tags=tuple(args.tag), article_tags=tuple(args.article_tag),
                           since=args.since, until=args.until, words=args.words,
                           order="article" if args.by_article else "newest")
    return Output([{"id": e.id, "article_id": e.article_id, "article": e.article_title,
                    "quote": e.quote, "note": e.note, "color": e.color, "meaning": e.meaning,
                    "tags": list(e.tags), "created": e.created, "updated": e.updated}
                   for e in entries],
                  "\n".join(f"#{e.id} {e.created[:10]} {e.color or '-'}"
                            f"{' (' + e.meaning + ')' if e.meaning else ''}  {e.article_title}\n"
                            f"    {('“' + e.quote[:100] + '”') if e.quote else '(article note)'}"
                            + (f"\n    {e.note}" if e.note else "") for e in entries)
                  or "no highlights or notes")


def empty_trash(lib: Library, args: Namespace) -> Output:
    n = lib.empty_trash(args.older_than)
    return Output({"deleted": n}, f"deleted {n} article(s) for good")


COMMANDS: dict[str, Callable[[Library, Namespace], Output]] = {
    "delete": _action(lambda lib, ids: lib.trash(ids), "moved to the trash:"),
    "undelete": _action(lambda lib, ids: lib.undelete(ids), "restored:"),
    "archive": _action(lambda lib, ids: lib.archive(ids), "archived:"),
    "unarchive": _action(lambda lib, ids: lib.unarchive(ids), "moved to the inbox:"),
    "read": _action(lambda lib, ids: lib.mark_read(ids, True), "marked read:"),
    "unread": _action(lambda lib, ids: lib.mark_read(ids, False), "marked unread:"),
    "tag": tag, "tags": tags, "notebook": notebook, "empty-trash": empty_trash,
}
