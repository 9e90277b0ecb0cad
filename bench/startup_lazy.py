"""Start → window shown with the library list filled (`COMMONPLACE_SHOWN`), on the 20k views
library of bench.library_views, for this checkout and optionally another one (for a
before/after). The process is stopped as soon as it reports: that library has no entities or
index, so the window would otherwise go on to recognise and index everything.

    python -m bench.startup_lazy [OTHER_CHECKOUT]
"""
from __future__ import annotations

import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.library_views import build

ROOT = Path(__file__).resolve().parents[1]


def startup(checkout: Path, lib_dir: Path, runs: int = 5) -> dict:
    python = checkout / ".venv" / "bin" / "python"
    times = []
    with tempfile.TemporaryDirectory(prefix="cp-start12-") as cfg:
        env = dict(os.environ, QT_QPA_PLATFORM="offscreen", COMMONPLACE_BENCH_EXIT_AFTER_SHOW="1",
                   XDG_CONFIG_HOME=cfg, HOME=cfg)
        copy = Path(cfg) / "library"
        shutil.copytree(lib_dir, copy, ignore=shutil.ignore_patterns("DONE"))
        for i in range(runs + 1):
            t0 = time.time()
            p = subprocess.Popen([str(python), str(checkout / "main.py"), "--library", str(copy)],
                                 env=env, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                                 text=True, cwd=checkout)
            line = ""
            for line in p.stdout:
                if line.startswith("COMMONPLACE_SHOWN "):
                    break
            p.kill()
            p.wait()
            if not line.startswith("COMMONPLACE_SHOWN "):
                return {"error": "no COMMONPLACE_SHOWN line"}
            if i:
                times.append(float(line.split()[1]) - t0)
    return {"startup_s": round(statistics.median(times), 3),
            "runs": [round(t, 3) for t in times]}


if __name__ == "__main__":
    lib = build()
    out = {"this": startup(ROOT, lib)}
    if len(sys.argv) > 1:
        out["other"] = startup(Path(sys.argv[1]), lib)
    out["load_avg"] = [round(x, 2) for x in os.getloadavg()]
    print(json.dumps(out, indent=1))
