"""GUI test fixtures: offscreen Qt, settings and library in tmp_path, Qt warnings fail tests.

Libraries are built with `Library(dir, seed=False)` + `add_document` (no NER model, no seed
import) so a test takes milliseconds. Where a teammate's panel module does not exist yet, a
minimal stand-in is installed for these tests only.
"""
from __future__ import annotations

import os

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QtMsgType, qInstallMessageHandler

from core.library import Library
from core.models import Document
from core.text import TextBuilder

# Qt messages that say nothing about our code (offscreen platform chatter).
_BENIGN = ("This plugin does not support", "propagateSizeHints", "QFont::setPointSizeF: Point size <= 0",
           "Populating font family aliases")


@pytest.fixture(autouse=True)
def qt_warnings_fail():
    """Any Qt warning/critical message during a test fails it."""
    caught: list[str] = []

    def handler(mode, context, message):
        if mode in (QtMsgType.QtWarningMsg, QtMsgType.QtCriticalMsg, QtMsgType.QtFatalMsg) \
                and not any(b in message for b in _BENIGN):
            caught.append(message)
    previous = qInstallMessageHandler(handler)
    yield caught
    qInstallMessageHandler(previous)
    assert not caught, "Qt warnings: " + " | ".join(caught)


@pytest.fixture(autouse=True)
def isolated_settings(tmp_path, monkeypatch):
    """QSettings go to tmp_path/settings (INI); nothing touches the user's configuration."""
    from ui.window import settings as ui_settings
    d = tmp_path / "settings"
    monkeypatch.setenv(ui_settings.ENV_DIR, str(d))
    ui_settings.configure(d)
    ui_settings.Settings().q.clear()
    return d


def make_doc(title: str, paragraphs: list[str], *, site: str = "example.org",
             published: str = "", url: str = "") -> Document:
    b = TextBuilder()
    b.add_block("heading", title)
    for p in paragraphs:
        b.add_block("paragraph", p)
    return Document(text=b.text, blocks=b.blocks, links=b.links, title=title, site=site,
                    published=published, url=url)


DOCS = [
    make_doc("Defence talks resume", ["Britain and the EU discuss a defence fund in Brussels.",
                                      "Maroš Šefčovič will meet ministers in London next week."],
             site="guardian.example", published="2026-01-10"),
    make_doc("Apple harvest record", ["Orchards in Kent report a record apple harvest.",
                                      "Farmers credit the warm spring."],
             site="bbc.example", published="2025-09-02"),
    make_doc("Zebra crossings reviewed", ["Councils review zebra crossings near schools."],
             site="local.example", published="2024-03-15"),
]


@pytest.fixture
def library(tmp_path):
    lib = Library(tmp_path / "lib", seed=False)
    for d in DOCS:
        lib.add_document(d)
    lib.ensure_index()
    yield lib
    lib.close()


@pytest.fixture
def no_ner(monkeypatch):
    """Background entity recognition becomes a no-op (the NER model may be slow or absent)."""
    from ui.window import session
    monkeypatch.setattr(session, "recognise", lambda *a, **k: 0)


def open_window(qtbot, path):
    from ui.window.main_window import MainWindow
    w = MainWindow()
    qtbot.addWidget(w)
    w.show()
    with qtbot.waitSignal(w.libraryReady, timeout=10000):
        w.open_library(str(path))
    return w


@pytest.fixture
def window(qtbot, library, no_ner):
    """A MainWindow with `library`'s folder opened on a worker, as the app does."""
    library.close()  # the window opens its own Library on the same folder
    w = open_window(qtbot, library.path)
    yield w
    w.close()


# --- reader, entities panel, notes panel ------------------------------------------------------

def reader_document() -> Document:
    """Every block kind, an inline link, accents and a character beyond the BMP (😀 is two
    UTF-16 units in Qt, one code point in Python), and enough paragraphs to scroll."""
    b = TextBuilder()
    b.add_block("heading", "Talks on defence", {"level": 2})
    b.add_block("paragraph", [("Keir Starmer met ", None), ("Maroš Šefčovič", "https://ec.example/"),
                              (" in London on Friday 😀 to talk about the EU.", None)])
    b.add_block("quote", "“We should try to go further,” Starmer said in Brussels.")
    b.add_block("list_item", "Trade with the EU")
    b.add_block("list_item", "Energy 🔋 and fisheries")
    b.add_block("code", "x = 1 # not code, just text")
    for i in range(40):
        b.add_block("paragraph", f"Filler paragraph {i} about nothing much, long enough to wrap "
                                 "over a line or two in a narrow reading column of text.")
    b.add_block("paragraph", "The final passage mentions Keir Starmer and Germany once more.")
    return Document(text=b.text, blocks=b.blocks, links=b.links, title="UK and EU talks",
                    author="A. Writer", site="example.org", url="https://example.org/a",
                    published="2026-01-30")


def reader_entities(text: str):
    from core.models import EntitySpan
    out = []
    for label, name in (("PERSON", "Keir Starmer"), ("PERSON", "Maroš Šefčovič"),
                        ("GPE", "London"), ("GPE", "Brussels"), ("ORG", "EU"),
                        ("DATE", "Friday"), ("GPE", "Germany"), ("PERSON", "Starmer")):
        pos = text.find(name)
        while pos >= 0:
            if not any(e.start <= pos < e.end for e in out):
                out.append(EntitySpan(pos, pos + len(name), label, name, "test"))
            pos = text.find(name, pos + 1)
    return sorted(out, key=lambda e: e.start)


@pytest.fixture
def reader_lib(tmp_path):
    lib = Library(tmp_path / "reader-lib", seed=False)
    aid = lib.add_document(reader_document()).article_id
    art = lib.article(aid)
    lib.store.replace_entities(aid, reader_entities(art.text), "test", "1", art.content_hash)
    yield lib, aid
    lib.close()


@pytest.fixture
def reader(qtbot, reader_lib):
    from ui.reader.view import ReaderView
    lib, aid = reader_lib
    r = ReaderView(lib)
    qtbot.addWidget(r)
    r.resize(900, 600)
    r.show()
    qtbot.waitExposed(r)
    r.show_article(aid)
    return r
