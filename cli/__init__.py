"""The headless command line, an adapter beside the GUI: same Library facade, `--json` gives
stable output. `main.py` is the entry point; `run(argv)` is this package's front door."""
from __future__ import annotations

import sqlite3
import sys
from argparse import Namespace
from collections.abc import Sequence
from pathlib import Path

from cli.parser import EXIT_FAILED, EXIT_OK, EXIT_USAGE, UsageError, build_parser
from core.errors import CommonplaceError, NotFound

__all__ = ["run", "build_parser", "EXIT_OK", "EXIT_FAILED", "EXIT_USAGE"]


def run(argv: Sequence[str] | None = None) -> int:
    from cli.commands import COMMANDS
    from core.config import Config
    from core.library import Library
    args = build_parser().parse_args(argv)
    try:
        lib = Library.open(Path(args.library) if args.library else None, config=Config.from_env())
    except CommonplaceError as e:
        if args.command != "restore":
            print(f"commonplace: {e}", file=sys.stderr)
            return EXIT_FAILED
        return _restore_unopenable(args, e)  # a damaged or emptied library: the way out
    if lib.readonly_notice:
        print(f"commonplace: {lib.readonly_notice}", file=sys.stderr)
    try:
        if args.ner_pipeline:
            lib.set_ner_pipeline(args.ner_pipeline)
        return COMMANDS[args.command](lib, args).emit(args.json)
    except (NotFound, UsageError) as e:
        print(f"commonplace: {e}", file=sys.stderr)
        return EXIT_USAGE
    except CommonplaceError as e:
        print(f"commonplace: {e}", file=sys.stderr)
        return EXIT_FAILED
    except OverflowError:  # an id beyond SQLite's 64-bit integers cannot name anything
        print("commonplace: no article or annotation with that id", file=sys.stderr)
        return EXIT_USAGE
    except sqlite3.Error as e:  # anything the core did not translate: still one line
        print(f"commonplace: library database error: {str(e).splitlines()[0]}", file=sys.stderr)
        return EXIT_FAILED
    finally:
        lib.close()


def _restore_unopenable(args: Namespace, why: CommonplaceError) -> int:
    """`restore` into a library that cannot be opened: replace the file, then open it."""
    from cli.output import Output
    from core.backups import restore_file
    from core.library import DB_NAME, Library, default_library_dir
    folder = Path(args.library) if args.library else default_library_dir()
    try:
        safety = restore_file(folder / DB_NAME, Path(args.source))
        with Library(folder, seed=False) as lib:
            lib.reindex()
            n = len(lib.articles())
    except CommonplaceError as e:
        print(f"commonplace: {why}", file=sys.stderr)
        print(f"commonplace: {e}", file=sys.stderr)
        return EXIT_FAILED
    return Output({"restored": args.source, "previous": str(safety), "articles": n},
                  f"restored {n} articles from {args.source}; the previous file is kept "
                  f"in {safety}").emit(args.json)
