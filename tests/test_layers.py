"""The shape holds: layer directions over every module, no import cycles, no Qt below ui."""
import subprocess
import sys
from pathlib import Path

from tests.conftest import ROOT
from tests.layers import import_cycles, layer_violations


def test_every_module_respects_the_layers():
    assert layer_violations(ROOT) == []


def test_no_import_cycles():
    assert import_cycles(ROOT) == []


def _tree(tmp_path: Path, files: dict[str, str]) -> Path:
    for pkg in ("cli", "core", "index", "ui"):
        (tmp_path / pkg).mkdir(exist_ok=True)
        (tmp_path / pkg / "__init__.py").write_text("")
    for name, src in files.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(src)
    return tmp_path


def test_the_checker_catches_ui_importing_index(tmp_path):
    root = _tree(tmp_path, {"ui/reader/view.py": "def f():\n    import index\n"})
    assert layer_violations(root) == ["ui/reader/view.py:2: ui.reader.view imports index"]


def test_the_checker_catches_each_forbidden_direction(tmp_path):
    root = _tree(tmp_path, {
        "core/a.py": "from PySide6.QtCore import QObject\n",
        "index/b.py": "from core import models\n",
        "cli/c.py": "from ui.app import run_gui\n",
        "ui/d.py": "from .. import cli\n",
        "core/ok.py": "import index\nfrom core import models\n",
    })
    found = layer_violations(root)
    assert any(v.startswith("core/a.py:1: core.a imports PySide6") for v in found)
    assert any(v.startswith("index/b.py:1: index.b imports core") for v in found)
    assert any(v.startswith("cli/c.py:1: cli.c imports ui") for v in found)
    assert any(v.startswith("ui/d.py:1: ui.d imports cli") for v in found)
    assert not any(v.startswith("core/ok.py") for v in found)


def test_the_checker_finds_a_cycle_but_not_a_lazy_import(tmp_path):
    root = _tree(tmp_path, {"ui/a.py": "from ui import b\n", "ui/b.py": "from ui.a import x\n",
                            "ui/c.py": "import ui.d\n",
                            "ui/d.py": "def f():\n    from ui import c\n"})
    assert import_cycles(root) == [["ui.a", "ui.b"]]


def test_core_index_and_cli_run_without_qt():
    code = ("import sys, core.library, cli, cli.commands, core.storage, core.importers, "
            "core.ner, core.anchors, core.export, index\n"
            "bad = sorted(m for m in sys.modules if m.startswith(('PySide6', 'shiboken6')))\n"
            "print(','.join(bad))")
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True,
                         check=True)
    assert out.stdout.strip() == ""
