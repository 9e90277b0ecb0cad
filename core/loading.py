"""Loading sources in worker processes: reading, extraction and entity recognition for an import.

The slow parts of an import are pure functions of one source: `load_source` (decode, parse,
extract) and the recogniser (spaCy plus rules). They run in a pool of processes, in batches,
while the calling thread stores results in order (the store has one writer). Processes are
started with "spawn": the caller may be a GUI worker thread, and forking a threaded process is
unsafe. Small imports stay in-process: starting a worker and loading the model costs a few
seconds, more than a handful of files take.
"""
from __future__ import annotations

import os
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from core.models import Document, EntitySpan

MIN_PARALLEL = 48  # sources; below this the in-process path is faster
BATCH = 16


@dataclass(slots=True)
class Loaded:
    source: str
    doc: Document | None
    error: str = ""
    spans: list[EntitySpan] | None = None  # None: not recognised (off, or it failed)
    recogniser: tuple[str, str] | None = None  # (name, version) that made `spans`


def workers_for(n_sources: int, configured: int | None = None) -> int:
    """How many processes are worth starting: one per core, at most 4, none for few sources.
    `configured` (Config.import_workers) overrides (0 or 1 = in-process)."""
    n = configured if configured is not None else min(os.cpu_count() or 1, 4)
    if n_sources < MIN_PARALLEL:
        return 0
    return n if n > 1 else 0


def load_batch(sources: Sequence[str], recognise: str | None) -> list[Loaded]:
    """Worker: load each source; recognise entities in the ones that loaded when `recognise`
    names a recogniser ("" = the default). Never raises for one bad source."""
    from core.errors import CommonplaceError
    from core.importers import load_source
    out: list[Loaded] = []
    for src in sources:
        try:
            out.append(Loaded(src, load_source(src)))
        except CommonplaceError as e:
            out.append(Loaded(src, None, str(e)))
        except Exception as e:  # noqa: BLE001 - an importer bug must not abort the batch
            out.append(Loaded(src, None, f"{type(e).__name__}: {e}"))
    if recognise is not None:
        ok = [x for x in out if x.doc is not None and x.doc.text.strip()]
        try:
            from core.ner import get_recogniser
            rec = get_recogniser(recognise or None)
            for item, spans in zip(ok, rec.recognise_many(x.doc.text for x in ok if x.doc), strict=False):
                item.spans = list(spans)
                item.recogniser = (rec.name, rec.version)
        except Exception:  # noqa: BLE001 - derived data: the library fills it in later
            for item in ok:
                item.spans = item.recogniser = None
    return out


def load_parallel(sources: Sequence[str], recognise: str | None, workers: int,
                  cancel=None) -> Iterator[Loaded]:
    """Loaded items in source order, computed by `workers` spawned processes, with a bounded
    number of batches in flight. The workers start now (not at the first next()), so the
    caller can do other work meanwhile. If the pool cannot start or breaks, the rest is done
    in this process."""
    import multiprocessing as mp
    from collections import deque
    from concurrent.futures import ProcessPoolExecutor
    batches = deque(list(sources[i:i + BATCH]) for i in range(0, len(sources), BATCH))
    inflight: deque = deque()
    pool = None
    try:
        pool = ProcessPoolExecutor(max_workers=workers, mp_context=mp.get_context("spawn"))
        while batches and len(inflight) < workers * 3:
            b = batches.popleft()
            inflight.append((b, pool.submit(load_batch, b, recognise)))
    except Exception:  # noqa: BLE001 - no processes here: in-process it is
        if pool is not None:
            pool.shutdown(wait=False, cancel_futures=True)
        pool = None
        batches.extendleft(reversed([b for b, _ in inflight]))
        inflight.clear()
    return _drain(pool, batches, inflight, recognise, workers, cancel)


def _drain(pool, batches, inflight, recognise, workers, cancel) -> Iterator[Loaded]:
    if pool is None:
        for b in batches:
            if cancel and cancel():
                return
            yield from load_batch(b, recognise)
        return
    try:
        while batches or inflight:
            while batches and len(inflight) < workers * 3:
                b = batches.popleft()
                inflight.append((b, pool.submit(load_batch, b, recognise)))
            if cancel and cancel():
                return
            b, f = inflight.popleft()
            try:
                got = f.result()
            except Exception:  # noqa: BLE001 - broken pool (killed worker): finish in-process
                pool.shutdown(wait=False, cancel_futures=True)
                pool = None
                rest = [b] + [x for x, _ in inflight] + list(batches)
                inflight.clear()
                batches.clear()
                for r in rest:
                    if cancel and cancel():
                        return
                    yield from load_batch(r, recognise)
                return
            yield from got
    finally:
        if pool is not None:
            pool.shutdown(wait=False, cancel_futures=True)
