"""CLI commands for triage, tags, the list's views and the notebook (issue 12). Kept apart from
core/cli.py so the move to a top-level cli/ package can take this file as it is.

`add_parsers(add)` registers the commands; `dispatch(lib, args, emit)` runs one and returns an
exit code, or None when the command is not one of these.
"""
from __future__ import annotations

import argparse
from collections.abc import Callable

from core.errors import CommonplaceError


class Usage(CommonplaceError):
    """A bad argument value found after parsing: exit code 2."""


VIEW_CHOICES = ["inbox", "archive", "trash", "all", "notes"]


def add_parsers(add: Callable[[str, str], argparse.ArgumentParser]) -> None:
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


def _row(s) -> dict:
    return {"id": s.id, "title": s.title, "site": s.site, "author": s.author, "url": s.url,
            "published": s.published, "added": s.added, "updated": s.updated,
            "notes": s.notes_count, "words": s.words, "reading_minutes": s.reading_minutes,
            "state": s.state, "status": s.status, "trashed_at": s.trashed_at,
            "read_at": s.read_at, "progress": s.progress, "tags": s.tags}


def run_list(lib, args, emit) -> int:
    rows = lib.summaries(lib.list_ids(args.state, tags=args.tag, site=args.site,
                                      order=args.sort))
    emit(args, [_row(r) for r in rows],
         "\n".join(f"{r.id:>6}  {r.published or r.added[:10]:<10}  "
                   f"{(r.site or r.author or '-')[:18]:<18}  {r.reading_minutes:>3} min "
                   f"{r.progress:>3}%  {r.title}"
                   + (f"  [{', '.join(r.tags)}]" if r.tags else "") for r in rows))
    return 0


def _states_out(lib, change, verb: str) -> tuple[dict, str]:
    rows = lib.summaries([s.id for s in change.states]) if change.states else []
    return ({"changed": [s.id for s in change.states], "articles": [_row(r) for r in rows]},
            f"{verb} {len(change.states)} article(s)"
            + "".join(f"\n  #{r.id} {r.title}" for r in rows))


def dispatch(lib, args, emit) -> int | None:
    cmd = args.command
    actions = {"delete": (lib.trash, "moved to the trash:"),
               "undelete": (lib.undelete, "restored:"),
               "archive": (lib.archive, "archived:"),
               "unarchive": (lib.unarchive, "moved to the inbox:"),
               "read": (lambda ids: lib.mark_read(ids, True), "marked read:"),
               "unread": (lambda ids: lib.mark_read(ids, False), "marked unread:")}
    if cmd in actions:
        fn, verb = actions[cmd]
        data, text = _states_out(lib, fn(args.articles), verb)
        emit(args, data, text)
        return 0
    if cmd == "tag":
        if not args.add and not args.remove:
            raise Usage("nothing to do: give --add TAG and/or --remove TAG")
        change = lib.tag_articles(args.articles, add=args.add, remove=args.remove)
        rows = lib.summaries(args.articles)
        emit(args, {"changed": sorted(change.tags), "articles": [
            {"id": r.id, "title": r.title, "tags": r.tags} for r in rows]},
            "\n".join(f"#{r.id} [{', '.join(r.tags)}] {r.title}" for r in rows))
        return 0
    if cmd == "tags":
        if args.rename and (args.merge or args.into):
            raise Usage("give --rename or --merge/--into, not both")
        if args.rename or args.merge:
            if args.merge and not args.into:
                raise Usage("--merge needs --into TAG")
            change = (lib.rename_tag(*args.rename) if args.rename
                      else lib.merge_tags(args.merge, args.into))
            emit(args, {"changed": sorted(change.tags), "label": change.label},
                 f"{change.label} on {len(change.tags)} article(s)")
            return 0
        tags = lib.all_tags()
        emit(args, [{"tag": t, "articles": n} for t, n in tags],
             "\n".join(f"{n:>6}  {t}" for t, n in tags) or "no tags")
        return 0
    if cmd == "notebook":
        entries = lib.notebook(colors=tuple(args.color), meaning=args.meaning,
                               tags=tuple(args.tag), article_tags=tuple(args.article_tag),
                               since=args.since, until=args.until, words=args.words,
                               order="article" if args.by_article else "newest")
        emit(args, [{"id": e.id, "article_id": e.article_id, "article": e.article_title,
                     "quote": e.quote, "note": e.note, "color": e.color, "meaning": e.meaning,
                     "tags": list(e.tags), "created": e.created, "updated": e.updated}
                    for e in entries],
             "\n".join(f"#{e.id} {e.created[:10]} {e.color or '-'}"
                       f"{' (' + e.meaning + ')' if e.meaning else ''}  {e.article_title}\n"
                       f"    {('“' + e.quote[:100] + '”') if e.quote else '(article note)'}"
                       + (f"\n    {e.note}" if e.note else "") for e in entries)
             or "no highlights or notes")
        return 0
    if cmd == "empty-trash":
        n = lib.empty_trash(args.older_than)
        emit(args, {"deleted": n}, f"deleted {n} article(s) for good")
        return 0
    return None
