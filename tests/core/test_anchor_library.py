"""Anchors through the Library: overlapping highlights, re-import of a changed version (same URL),
orphans listed last and re-attachable, undo of a delete."""
import pytest

from core.library import Library
from core.models import Document, Span
from tests.core.export_fixtures import seed_document


def new_version(old_text: str, title: str, url: str, edit) -> Document:
    text = edit(old_text)
    blocks, pos = [], 0
    for para in text.split("\n\n"):
        blocks.append(Span(pos, pos + len(para), "paragraph"))
        pos += len(para) + 2
    return Document(text=text, blocks=blocks, title=title, url=url)


@pytest.fixture
def lib(tmp_path):
    with Library(tmp_path / "lib", seed=False) as lib:
        yield lib


def test_overlapping_highlights_survive_store_and_reimport(lib):
    doc = seed_document()
    aid = lib.add_document(doc).article_id
    text = doc.text
    base = text.index("EU trade commissioner")
    spans = [(base, base + 60), (base + 20, base + 40), (base + 30, base + 90), (base, base + 3)]
    made = [lib.annotate(aid, start=s, end=e, color="yellow") for s, e in spans]
    got = {r.annotation.id: (r.resolution.start, r.resolution.end, r.resolution.status)
           for r in lib.annotations(aid)}
    assert got == {a.id: (s, e, "exact") for a, (s, e) in zip(made, spans, strict=False)}

    # a new version: a paragraph added at the top and one far below rewritten
    def edit(t):
        t = "Editor's note: this article was updated.\n\n" + t
        return t.replace("Germany does not want any preconditions.",
                         "Berlin has set no conditions of its own.")
    v2 = new_version(text, doc.title, doc.url, edit)
    res = lib.add_document(v2)
    assert res.status == "updated" and "4 annotation(s) moved, 0 orphaned" in res.error
    shift = len("Editor's note: this article was updated.\n\n")
    for r in lib.annotations(aid):
        a = r.annotation.anchor
        s, e = spans[[m.id for m in made].index(r.annotation.id)]
        assert (r.resolution.start, r.resolution.end) == (s + shift, e + shift)
        assert r.resolution.status == "exact"  # the stored anchor was refreshed
        assert v2.text[a.start:a.end] == a.exact == text[s:e]


def test_deleted_passage_is_orphaned_listed_last_and_can_be_reattached(lib):
    doc = seed_document()
    aid = lib.add_document(doc).article_id
    gone = lib.annotate(aid, quote="Germany does not want any preconditions.", note="n")
    kept = lib.annotate(aid, quote="Maroš Šefčovič", color="blue")
    art_note = lib.annotate(aid, note="article note")
    v2 = new_version(doc.text, doc.title, doc.url,
                     lambda t: t.replace("Germany does not want any preconditions.", ""))
    assert "1 orphaned" in lib.add_document(v2).error
    rows = lib.annotations(aid)
    assert [r.annotation.id for r in rows] == [kept.id, art_note.id, gone.id]
    assert rows[-1].resolution.orphaned and rows[-1].annotation.note == "n"
    s = v2.text.index("Germany")
    fixed = lib.reattach(gone.id, s, s + 7)
    assert fixed.note == "n" and fixed.anchor.exact == "Germany"
    assert not lib.annotations(aid)[-1].resolution  # the article note is last again


def test_delete_and_restore_give_back_the_same_annotation(lib):
    aid = lib.add_document(seed_document()).article_id
    ann = lib.annotate(aid, quote="Maroš Šefčovič", note="keep me", color="green", tags=["t"])
    deleted = lib.delete_annotation(ann.id)
    assert lib.annotations(aid) == []
    back = lib.restore_annotation(deleted)
    assert (back.id, back.uuid, back.note, back.color, back.tags, back.anchor) == \
        (ann.id, ann.uuid, ann.note, ann.color, ann.tags, ann.anchor)
