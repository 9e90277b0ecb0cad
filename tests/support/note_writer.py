"""Child process for crash tests: saves notes through Library in a loop and reports each save.

    python tests/support/note_writer.py LIBRARY_DIR ARTICLE_ID [--seed N] [--max N]

Protocol on stdout, one JSON object per line, flushed:
    {"ready": true}                               the library is open
    {"intent": "create"|"update", "id": ID|null, "note": NOTE}   about to save
    {"saved": ID, "note": NOTE}                   the save returned (it is committed)

A parent kills this process (SIGKILL) at random moments and then checks, in the library, that
every note whose save was reported is there byte for byte — or, for the last id, the note the
child was about to save when it died. Reusable by `make torture`-style harnesses: it depends
only on the Library facade.
"""
from __future__ import annotations

import argparse
import json
import random
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

ALPHABET = ("abcdefghijklmnopqrstuvwxyz ABCDEFGHIJKLMNOPQRSTUVWXYZ 0123456789 .,;:!?-*_#>`[]()"
            "\n\n\téèçŠšČčŽž€£—“”‘’ΩЖ中文日本語😀🎉\u200b")


def random_note(rnd: random.Random) -> str:
    n = rnd.choice([0, 1, 5, 40, 200, 2000])
    return "".join(rnd.choice(ALPHABET) for _ in range(n))


def emit(obj: dict) -> None:
    sys.stdout.write(json.dumps(obj, ensure_ascii=True) + "\n")
    sys.stdout.flush()


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("library")
    ap.add_argument("article", type=int)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--max", type=int, default=100000)
    args = ap.parse_args(argv)
    from core.library import Library
    rnd = random.Random(args.seed)
    lib = Library(Path(args.library), seed=False)
    text = lib.article_text(args.article)
    mine: list[int] = []
    emit({"ready": True})
    for _ in range(args.max):
        note = random_note(rnd)
        if mine and rnd.random() < 0.4:
            aid = rnd.choice(mine)
            emit({"intent": "update", "id": aid, "note": note})
            lib.update_annotation(aid, note=note)
        else:
            emit({"intent": "create", "id": None, "note": note})
            if rnd.random() < 0.7:
                s = rnd.randrange(0, len(text) - 1)
                e = min(len(text), s + rnd.randint(1, 80))
                ann = lib.annotate(args.article, start=s, end=e, note=note,
                                   color=rnd.choice(["", "yellow", "blue"]))
            else:
                ann = lib.annotate(args.article, note=note)
            aid = ann.id
            mine.append(aid)
        emit({"saved": aid, "note": note})
    lib.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
