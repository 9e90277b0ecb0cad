"""Commonplace entry point: no sub-command opens the window; a sub-command runs headless."""
from __future__ import annotations

import os
import sys


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    from cli import build_parser, run
    args, _ = build_parser().parse_known_args(argv)
    if args.command is None:
        from ui.app import run_gui
        return run_gui(args.library,
                       exit_when_ready=os.environ.get("COMMONPLACE_BENCH_EXIT_AFTER_SHOW") == "1")
    try:
        return run(argv)
    except BrokenPipeError:  # output piped into `head` and the like
        sys.stderr.close()
        return 0


if __name__ == "__main__":
    sys.exit(main())
