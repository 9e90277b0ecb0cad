"""The headless command line, an adapter beside the GUI: same Library facade, `--json` gives
stable output. `main.py` is the entry point; `run(argv)` is this package's front door."""
from __future__ import annotations

import sys
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
        lib = Library(Path(args.library) if args.library else None, config=Config.from_env())
    except CommonplaceError as e:
        print(f"commonplace: {e}", file=sys.stderr)
        return EXIT_FAILED
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
    finally:
        lib.close()
