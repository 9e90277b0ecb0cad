"""Kill harness: SIGKILL a process that is importing articles and saving notes, then check.

    python scripts/torture.py --kills 200          # what `make torture` runs
    python scripts/torture.py --child DIR SEED     # the child (started by the parent)

The child opens the library through the Library facade and loops: import a small generated
file (import_sources), add a document, annotate, change a note's text, now and then rebuild the
index. Before each note save it prints `{"op": "begin", ...}` and after the save *returned*
`{"op": "saved", ...}` (flushed). The parent kills it with SIGKILL at a random moment (start-up,
migration and index rebuilds included), then opens the library and checks:

- `Library.check(repair=True)`: SQLite integrity_check, foreign keys, index consistent with the
  store (rebuilt when not; counted as an "index repair", as is an outbox with work left in it);
- every note whose save returned before the kill is there byte for byte (a save in flight at
  the kill may have landed or not: either its old or its new text is accepted);
- search answers.

Last line: `kills: N, lost notes: N, integrity failures: N, index repairs: N`. Exit status 1 if
anything was lost or broken, or a child died on its own.
"""
from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

# Notes mix scripts, combining marks, astral characters, CRLF and Markdown so "byte for byte"
# means something.
_ALPHABET = ("abc xyz Šefčovič naïve Ωμέγα 東京 🙂 e\u0301 \r\n \t **bold** [l](http://x) "
             "<b>&amp;</b> \\ ' \" \u200b")


def _note_text(rng: random.Random) -> str:
    n = rng.randint(0, 300)
    return "".join(rng.choice(_ALPHABET) for _ in range(n))


def _article_text(rng: random.Random, k: int) -> str:
    words = ["harbour", "seal", "Brussels", "defence", "treaty", "market", "yen", "river",
             "council", "Šefčovič", "budget", "vote", "storm", "archive", "reader"]
    paras = []
    for _ in range(rng.randint(1, 4)):
        paras.append(" ".join(rng.choice(words) for _ in range(rng.randint(5, 60))) + ".")
    return f"Torture article {k} {rng.getrandbits(64):x}\n\n" + "\n\n".join(paras) + "\n"


# -- child ------------------------------------------------------------------------------------

def child(lib_dir: str, seed: int) -> None:
    from core.library import Library
    from core.models import Document
    from core.text import TextBuilder

    rng = random.Random(seed)
    out = sys.stdout

    def say(**kw) -> None:
        out.write(json.dumps(kw, ensure_ascii=True) + "\n")
        out.flush()

    lib = Library(lib_dir, seed=False)
    say(op="open")
    files = Path(lib_dir).parent / f"src-{os.getpid()}"
    files.mkdir(exist_ok=True)
    k = 0
    while True:
        k += 1
        ids = lib.store.article_ids()
        r = rng.random()
        if not ids or r < 0.12:
            f = files / f"a{k}.txt"
            f.write_text(_article_text(rng, k), encoding="utf-8")
            lib.import_sources([str(f)], recognise=False)
        elif r < 0.20:
            b = TextBuilder()
            for p in _article_text(rng, k).split("\n\n"):
                b.add_block("paragraph", p)
            lib.add_document(Document(text=b.text, blocks=b.blocks, title=f"doc {k}"))
        elif r < 0.55:
            aid = rng.choice(ids)
            text = lib.store.article_text(aid)
            note = _note_text(rng)
            start = rng.randrange(0, max(1, len(text) - 10))
            say(op="begin-new", note=note)
            ann = lib.annotate(aid, start=start, end=min(len(text), start + rng.randint(1, 10)),
                               note=note, color=rng.choice(["", "yellow", "blue"]))
            say(op="saved", id=ann.id, note=note)
        elif r < 0.97:
            nids = lib.store.all_annotation_ids()
            if not nids:
                continue
            nid = rng.choice(nids)
            note = _note_text(rng)
            say(op="begin", id=nid, note=note)
            lib.update_annotation(nid, note=note)
            say(op="saved", id=nid, note=note)
        else:
            lib.reindex()


def writer(lib_dir: str, seed: int, count: int) -> None:
    """Concurrency helper (tests/core/test_two_instances.py): `count` note saves, each note
    carrying a unique token so a test can tell whether the index holds its latest text."""
    from core.library import Library

    rng = random.Random(seed)
    lib = Library(lib_dir, seed=False)
    mine: list[int] = []
    for k in range(count):
        token = f"tok{seed}x{k}"
        note = f"{token} {_note_text(rng)[:80]}"
        if not mine or rng.random() < 0.4:
            aid = rng.choice(lib.store.article_ids())
            ann = lib.annotate(aid, note=note)
            mine.append(ann.id)
            nid = ann.id
        else:
            nid = rng.choice(mine)
            lib.update_annotation(nid, note=note)
        print(json.dumps({"op": "saved", "id": nid, "note": note}), flush=True)
    lib.close()


# -- parent -----------------------------------------------------------------------------------

def _read_log(raw: bytes, saved: dict[int, str], inflight: dict[int, str]) -> int:
    """Apply one child's log; returns how many notes it reported saved. `inflight` gets the
    text of a save that had begun but not returned when the child died."""
    inflight.clear()
    n = 0
    pending_new = False
    for line in raw.decode("utf-8", "replace").splitlines():
        try:
            ev = json.loads(line)
        except ValueError:
            continue  # a line cut by the kill
        op = ev.get("op")
        if op == "begin":
            inflight[ev["id"]] = ev["note"]
        elif op == "begin-new":
            pending_new = True
        elif op == "saved":
            saved[ev["id"]] = ev["note"]
            inflight.pop(ev["id"], None)
            pending_new = False
            n += 1
    return n


def verify(lib_dir: Path, saved: dict[int, str], inflight: dict[int, str]) -> dict:
    """Open the library after a kill; report problems, lost notes and whether the index
    needed repair. Adopts a landed in-flight save as the note's current text."""
    from core.errors import NotFound
    from core.library import Library

    res = {"problems": [], "lost": [], "repaired": False}
    try:
        lib = Library(lib_dir, seed=False)
    except Exception as e:  # noqa: BLE001 - an unopenable library is the worst failure
        res["problems"].append(f"cannot open: {type(e).__name__}: {e}")
        return res
    try:
        before = lib.index.needs_rebuild or bool(lib.store.pending_index(1))
        res["problems"] += lib.check(repair=True)
        res["repaired"] = before or lib.last_check_repaired
        for nid, note in saved.items():
            try:
                got = lib.store.annotation(nid).note
            except NotFound:
                res["lost"].append((nid, "missing"))
                continue
            if got == note:
                continue
            if nid in inflight and got == inflight[nid]:
                saved[nid] = got  # the save in flight landed: that is the note's text now
                continue
            res["lost"].append((nid, f"{note[:30]!r} became {got[:30]!r}"))
        lib.search("torture harbour")
        if lib.index.needs_rebuild:
            res["problems"].append("index still needs a rebuild after check")
    except Exception as e:  # noqa: BLE001
        res["problems"].append(f"check raised {type(e).__name__}: {e}")
    finally:
        lib.close()
    return res


def run(kills: int, lib_dir: Path | None = None, seed: int = 0, window: float = 0.8,
        verbose: bool = False, log=print) -> dict:
    rng = random.Random(seed)
    own = lib_dir is None
    base = Path(tempfile.mkdtemp(prefix="cp-torture-")) if own else Path(lib_dir).parent
    lib = (base / "library") if own else Path(lib_dir)
    saved: dict[int, str] = {}
    inflight: dict[int, str] = {}
    totals = {"kills": 0, "lost": 0, "integrity": 0, "repairs": 0, "child_errors": 0,
              "saves": 0}
    env = dict(os.environ, PYTHONHASHSEED="0")
    try:
        for i in range(kills):
            p = subprocess.Popen([sys.executable, str(Path(__file__).resolve()), "--child",
                                  str(lib), str(rng.getrandbits(32))],
                                 stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env,
                                 cwd=str(ROOT))
            # Kill at a random moment: most during the write loop (timed from the child's
            # "open", so a loaded machine's slow start-up does not turn every kill into a
            # start-up kill), some during start-up.
            head = b""
            if rng.random() < 0.8:
                head = p.stdout.readline()  # {"op": "open"}, or b"" if the child died
            time.sleep(rng.uniform(0.0, window))
            died = p.poll() is not None
            if not died:
                p.send_signal(signal.SIGKILL)
            out, err = p.communicate()
            out = head + out
            if died:
                totals["child_errors"] += 1
                log(f"kill {i}: child exited by itself ({p.returncode}): "
                    f"{err.decode(errors='replace')[-600:]}")
            totals["kills"] += 1
            totals["saves"] += _read_log(out, saved, inflight)
            r = verify(lib, saved, inflight)
            totals["repairs"] += r["repaired"]
            if r["problems"]:
                totals["integrity"] += 1
                log(f"kill {i}: integrity: {r['problems']}")
            if r["lost"]:
                totals["lost"] += len(r["lost"])
                log(f"kill {i}: lost notes: {r['lost'][:5]}")
                for nid, _ in r["lost"]:
                    saved.pop(nid, None)  # count each loss once
            if verbose:
                log(f"kill {i}: {len(saved)} notes tracked, repaired={r['repaired']}")
    finally:
        if own:
            shutil.rmtree(base, ignore_errors=True)
    totals["notes"] = len(saved)
    log(f"saves confirmed: {totals['saves']}, notes tracked: {totals['notes']}, "
        f"child errors: {totals['child_errors']}")
    log(f"kills: {totals['kills']}, lost notes: {totals['lost']}, "
        f"integrity failures: {totals['integrity']}, index repairs: {totals['repairs']}")
    return totals


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--kills", type=int, default=200)
    ap.add_argument("--library", help="library folder to torture (default: a temporary one)")
    ap.add_argument("--seed", type=int, default=int(time.time()))
    ap.add_argument("--window", type=float, default=0.8,
                    help="kill at a uniform random time in [0, WINDOW] s after start")
    ap.add_argument("--verbose", action="store_true")
    ap.add_argument("--child", nargs=2, metavar=("DIR", "SEED"), help=argparse.SUPPRESS)
    ap.add_argument("--writer", nargs=3, metavar=("DIR", "SEED", "COUNT"), help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.writer:
        writer(args.writer[0], int(args.writer[1]), int(args.writer[2]))
        return 0
    if args.child:
        child(args.child[0], int(args.child[1]))
        return 0
    print(f"seed: {args.seed}", flush=True)
    t = run(args.kills, Path(args.library) if args.library else None, args.seed, args.window,
            args.verbose, log=lambda s: print(s, flush=True))
    bad = t["lost"] or t["integrity"] or t["child_errors"]
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
