"""Whoosh's multi-process writer, with spawned (not forked) sub-writers.

`ix.writer(procs=N, multisegment=True)` builds N segments in N processes: a full rebuild takes
~60 % of the single-process time on two cores. Whoosh starts its sub-writers with the default
start method, which on Linux forks; the GUI rebuilds on a worker thread, and forking a
threaded process can deadlock the child. These classes make the sub-writers spawn instead.
"""
from __future__ import annotations

import multiprocessing as mp

from whoosh.multiproc import MpWriter, SubWriterTask

_SPAWN = mp.get_context("spawn")


class SpawnSubWriterTask(SubWriterTask):
    _start_method = "spawn"

    @staticmethod
    def _Popen(process_obj):
        return _SPAWN.Process._Popen(process_obj)


class SpawnMpWriter(MpWriter):
    def __init__(self, ix, procs: int, **kwargs) -> None:
        super().__init__(ix, procs=procs, multisegment=True, **kwargs)
        self.jobqueue = _SPAWN.Queue(self.procs * 4)
        self.resultqueue = _SPAWN.Queue()

    def _new_task(self):
        task = SpawnSubWriterTask(self.storage, self.indexname, self.jobqueue,
                                  self.resultqueue, self.subargs, self.multisegment)
        self.tasks.append(task)
        task.start()
        return task
