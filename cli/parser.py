"""The command line's grammar: every command and option, and how a usage error is reported.

Exit codes: 0 all well, 1 some items failed (or `check` found problems), 2 usage error.
"""
from __future__ import annotations

import argparse
import sys
from typing import NoReturn

from core.errors import CommonplaceError

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2


class UsageError(CommonplaceError):
    """A bad argument value found after parsing: exit code 2."""


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:  # argparse exits 2 on usage errors; keep it, but one line
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
    from cli.triage import add_commands as add_triage_commands
    from cli.triage import add_list_args
    add_list_args(sp)
    sp = add("show", "an article's text, metadata, entities and annotations")
    sp.add_argument("article", type=int, metavar="ARTICLE")
    sp = add("search", "ranked hits with snippets")
    sp.add_argument("query")
    sp.add_argument("--limit", type=int, default=10)
    sp.add_argument("--offset", type=int, default=0, help="skip this many hits (paging)")
    sp.add_argument("--sort", choices=["relevance", "date"], default="relevance")
    sp = add("entities", "an article's entity spans")
    sp.add_argument("article", type=int, metavar="ARTICLE")
    sp = add("correct", "correct an entity: remove, relabel or add a span")
    sp.add_argument("article", type=int, metavar="ARTICLE")
    sp.add_argument("action", choices=["remove", "relabel", "add"])
    sp.add_argument("--start", type=int, required=True)
    sp.add_argument("--end", type=int, required=True)
    sp.add_argument("--label", default="")
    sp.add_argument("--scope", choices=["mention", "article", "library"], default="mention",
                    help="this mention, every mention in the article, or a library-wide rule")
    sp = add("entity", "one entity across the library: articles, notes, months, companions")
    sp.add_argument("name")
    sp.add_argument("--type", default=None, help="person, org, place, norp, event, date, ...")
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
    sp.add_argument("--all-articles", action="store_true",
                    help="whole library: every article, not only those with annotations")
    sp.add_argument("--entity-notes", action="store_true",
                    help="Markdown: entities as [[links]] to notes in an Entities/ folder")
    sp = add("reindex", "rebuild the search index from the store")
    sp.add_argument("--force", action="store_true",
                    help="rebuild even if the library has no articles but the index has some")
    add("check", "integrity of store and index; exit 1 if anything is wrong")
    sp = add("backup", "write a consistent copy of the library database")
    sp.add_argument("--out", required=True, metavar="FILE")
    sp.add_argument("--force", action="store_true", help="replace FILE if it exists")
    sp = add("restore", "replace the library with a backup (the current one is kept in "
             "backups/)")
    sp.add_argument("--from", dest="source", required=True, metavar="FILE")
    from cli.formats import add_commands
    add_commands(add)  # feeds, fetch-links
    add_triage_commands(add)  # delete, archive, read, tag, tags, notebook, empty-trash...
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
