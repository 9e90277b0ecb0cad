"""Settings that come from the environment, read once at the front door (main.py / tests)
and handed to the Library, so nothing deep in core reads os.environ."""
from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

LIBRARY_ENV = "COMMONPLACE_LIBRARY"
WORKERS_ENV = "COMMONPLACE_IMPORT_WORKERS"
NER_ENV = "COMMONPLACE_NER_PIPELINE"


@dataclass(frozen=True, slots=True)
class Config:
    library_dir: Path | None = None    # None: the platform's user data folder
    import_workers: int | None = None  # None: one per core (max 4); 0/1: in-process
    ner_pipeline: str = ""             # overrides the built-in recogniser when set
    isolated_rebuilds: bool = False    # full index rebuilds in a child process (the GUI)

    @classmethod
    def from_env(cls, env: dict[str, str] | None = None) -> Config:
        env = dict(os.environ if env is None else env)
        lib = env.get(LIBRARY_ENV, "").strip()
        workers = env.get(WORKERS_ENV, "").strip()
        return cls(Path(lib).expanduser() if lib else None,
                   int(workers) if workers.isdigit() else None,
                   env.get(NER_ENV, "").strip())


def default_library_dir(config: Config | None = None) -> Path:
    config = config or Config.from_env()
    if config.library_dir is not None:
        return config.library_dir
    import platformdirs
    return Path(platformdirs.user_data_dir("Commonplace", appauthor=False))
