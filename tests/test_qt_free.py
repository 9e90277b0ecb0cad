"""core and index must run without a display: importing them loads no PySide6 module."""
import subprocess
import sys

from tests.conftest import ROOT


def test_core_and_index_do_not_import_qt():
    code = ("import sys, core.library, core.cli, core.storage, core.importers, core.ner, "
            "core.anchors, index\n"
            "bad = sorted(m for m in sys.modules if m.startswith(('PySide6', 'shiboken6')))\n"
            "print(','.join(bad))")
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True,
                         check=True)
    assert out.stdout.strip() == ""
