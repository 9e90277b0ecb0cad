"""Markdown and W3C JSON export: golden output, idempotence, merging with the user's edits,
safe file names, valid CommonMark and YAML whatever the notes contain."""
import json
import os
import re

import pytest
import yaml
from markdown_it import MarkdownIt

from core.export import (
    INDEX_NAME,
    ExportError,
    block_id,
    export_article_markdown,
    export_library,
    safe_filename,
    split_front_matter,
)
from core.models import Document, Span
from tests.conftest import ROOT
from tests.core.export_fixtures import build_seed_library, deterministic, seed_document

GOLDEN = ROOT / "tests" / "golden" / "export" / "uk-eu-defence-talks.md"


@pytest.fixture
def seeded(tmp_path, monkeypatch):
    deterministic(monkeypatch)
    lib, aid = build_seed_library(tmp_path / "lib")
    yield lib, aid
    lib.close()


def parse(md: str):
    fm_text, body = split_front_matter(md)
    assert fm_text is not None, "no front matter"
    fm = yaml.safe_load(fm_text)
    assert isinstance(fm, dict)
    tokens = MarkdownIt("commonmark").parse(body)
    return fm, body, tokens


def headings(tokens):
    return [(t.tag, tokens[i + 1].content) for i, t in enumerate(tokens)
            if t.type == "heading_open"]


def test_seed_article_matches_golden_file(seeded):
    lib, aid = seeded
    md = export_article_markdown(lib, aid)
    if os.environ.get("UPDATE_GOLDEN"):
        GOLDEN.parent.mkdir(parents=True, exist_ok=True)
        GOLDEN.write_text(md, encoding="utf-8")
    assert md == GOLDEN.read_text(encoding="utf-8")


def test_export_is_commonmark_with_yaml_front_matter(seeded):
    lib, aid = seeded
    fm, body, tokens = parse(export_article_markdown(lib, aid))
    assert fm["title"].startswith("UK and EU") and fm["url"].startswith("https://")
    assert fm["published"] == "2026-01-16" and fm["tags"] == ["Defence policy", "EU"]
    assert fm["entities"]["person"] == ["Keir Starmer", "Maroš Šefčovič"]
    assert "Britain" in fm["entities"]["place"] and fm["entities"]["org"] == ["EU"]
    assert "money" not in fm["entities"]  # numbers are not entities worth keeping
    assert len(fm["entities"]["place"]) == len(set(fm["entities"]["place"]))
    assert fm["updated"] == max(r.annotation.updated for r in lib.annotations(aid))
    assert "exported" not in fm
    assert headings(tokens) == [("h1", fm["title"]), ("h2", "Highlights"), ("h2", "Notes")]
    # reading order of the passages and one block id per annotation
    quotes = [r.annotation.anchor.exact for r in lib.annotations(aid) if r.annotation.anchor]
    positions = [body.find(q.split()[0]) for q in quotes]
    assert positions == sorted(positions)
    for r in lib.annotations(aid):
        assert body.count("^" + block_id(r.annotation.uuid)) == 1


def test_reexport_is_byte_identical_and_leaves_the_file_alone(seeded, tmp_path):
    lib, _ = seeded
    out = tmp_path / "vault"
    first = export_library(lib, out)
    before = {p: (p.read_bytes(), p.stat().st_mtime_ns) for p in first}
    second = export_library(lib, out)
    assert second == first
    assert {p: (p.read_bytes(), p.stat().st_mtime_ns) for p in second} == before
    assert sorted(p.name for p in out.iterdir()) == sorted(p.name for p in first)


def test_user_text_and_front_matter_keys_survive_reexport(seeded, tmp_path):
    lib, aid = seeded
    out = tmp_path / "vault"
    [path, _] = export_library(lib, out)
    text = path.read_text(encoding="utf-8")
    fm_text, body = split_front_matter(text)
    user_fm = fm_text + "rating: 5\naliases: [defence talks]\n"
    mine_above = "My summary, written in Obsidian.\n\n"
    mine_below = "\n\n## My own section\n\nA paragraph I added between exports. ^mine\n"
    path.write_text(f"---\n{user_fm}---\n\n{mine_above}{body.strip()}{mine_below}",
                    encoding="utf-8")
    lib.annotate(aid, quote="Germany does not want", note="a new note", color="pink")
    export_library(lib, out)
    again = path.read_text(encoding="utf-8")
    export_library(lib, out)
    assert path.read_text(encoding="utf-8") == again  # stable after the merge
    fm, body, _tokens = parse(again)
    assert fm["rating"] == 5 and fm["aliases"] == ["defence talks"]
    assert "My summary, written in Obsidian." in body
    assert "A paragraph I added between exports. ^mine" in body
    assert body.count("%% commonplace:begin") == 1 and body.count("%% commonplace:end") == 1
    assert "a new note" in body
    for r in lib.annotations(aid):
        assert body.count("^" + block_id(r.annotation.uuid)) == 1
    # the user's text stays outside, in place
    assert body.index("My summary") < body.index("%% commonplace:begin")
    assert body.index("## My own section") > body.index("%% commonplace:end")


def test_deleted_annotation_leaves_the_file_without_duplicates(seeded, tmp_path):
    lib, aid = seeded
    out = tmp_path / "vault"
    [path, _] = export_library(lib, out)
    victim = lib.annotations(aid)[0].annotation
    assert "^" + block_id(victim.uuid) in path.read_text(encoding="utf-8")
    lib.delete_annotation(victim.id)
    export_library(lib, out)
    assert "^" + block_id(victim.uuid) not in path.read_text(encoding="utf-8")


def test_orphaned_annotation_is_flagged_in_its_own_section(seeded, tmp_path):
    lib, aid = seeded
    art = lib.article(aid)
    new_text = art.text.replace("Germany does not want any preconditions.", "")
    doc = Document(text=new_text, blocks=[Span(0, len(new_text), "paragraph")], title=art.title,
                   url=art.url, site=art.site, published=art.published)
    assert lib.add_document(doc).status == "updated"
    _fm, body, tokens = parse(export_article_markdown(lib, aid))
    assert ("h2", "Orphaned highlights") in headings(tokens)
    orphan_part = body[body.index("## Orphaned highlights"):]
    assert "> [!warning] Orphaned" in orphan_part and "Germany does not want" in orphan_part


HOSTILE_NOTE = """<script>alert('x')</script>
<img src=x onerror=alert(1)>
```
an unclosed fence
%% commonplace:end 00000000 %%
---
# not a heading of ours
<pre>
unclosed pre"""


def test_hostile_note_is_verbatim_and_cannot_break_the_file(seeded, tmp_path):
    lib, aid = seeded
    ann = lib.annotate(aid, quote="Germany does not want any preconditions.",
                       note=HOSTILE_NOTE)
    md = export_article_markdown(lib, aid)
    _fm, body, tokens = parse(md)
    # every line of the note is there, byte for byte, behind the callout's "> "
    for line in HOSTILE_NOTE.split("\n"):
        assert "> " + line in md
    # the structure after the note is intact: headings, the end marker, the block ids
    assert ("h2", "Notes") in headings(tokens)
    assert ("h1", "not a heading of ours") not in headings(tokens)
    assert "^" + block_id(ann.uuid) in [t.content for t in tokens if t.type == "inline"]
    assert re.search(r"^%% commonplace:end [0-9a-f-]{36} %%$", body, re.MULTILINE)
    # a re-export into a folder still finds its region (the fake marker is inside a callout)
    out = tmp_path / "vault"
    export_library(lib, out, [aid])
    [path] = export_library(lib, out, [aid])
    assert path.read_text(encoding="utf-8").count("an unclosed fence") == 1


@pytest.mark.parametrize("title", ["../../etc/passwd", "CON", "con.txt", "NUL", "COM1", "LPT9.md",
                                   'a/b\\c:d*?"<>|', "", "...", " trailing dot. ",
                                   "tab\tand\nnewline\x00nul", "x" * 400, "界" * 300,
                                   "#tag ^block [[link]]"])
def test_safe_filename(title):
    name = safe_filename(title)
    assert name and name == name.strip(" .")
    assert not set(name) & set('/\\:*?"<>|#^[]') and all(ord(c) >= 32 for c in name)
    assert len(name) <= 120 and len(name.encode()) <= 200
    assert name.split(".")[0].upper() not in {"CON", "NUL", "COM1", "LPT9", "PRN", "AUX"}


def test_hostile_titles_give_distinct_files_inside_the_folder(tmp_path, monkeypatch):
    deterministic(monkeypatch)
    from core.library import Library
    lib = Library(tmp_path / "lib", seed=False)
    titles = ["../../etc/passwd", "CON", 'a/b\\c:d*?"<>|', "a - b - c - d", "Same", "same",
              INDEX_NAME]
    ids = []
    for i, t in enumerate(titles):
        text = f"Article number {i} has its own text.\n\nSecond paragraph {i}."
        ids.append(lib.add_document(Document(text=text, blocks=[], title=t)).article_id)
    out = tmp_path / "vault"
    paths = export_library(lib, out)
    first = [p.read_bytes() for p in paths]
    assert export_library(lib, out) == paths and [p.read_bytes() for p in paths] == first
    folder = out.resolve()
    assert all(p.resolve().parent == folder for p in paths)
    names = [p.name for p in paths]
    assert len({n.casefold() for n in names}) == len(names)  # no collisions, any case
    assert names[-1] == INDEX_NAME + ".md"
    assert not (tmp_path / "etc").exists() and not list(tmp_path.glob("passwd*"))
    # the index links every article file by a relative link
    index = paths[-1].read_text(encoding="utf-8")
    _, _body, tokens = parse(index)
    hrefs = [t.attrs["href"] for tok in tokens if tok.type == "inline"
             for t in tok.children if t.type == "link_open"]
    from urllib.parse import unquote
    assert sorted(unquote(h) for h in hrefs) == sorted(names[:-1])
    lib.close()


def test_renamed_file_and_retitled_article_update_in_place(seeded, tmp_path):
    lib, aid = seeded
    out = tmp_path / "vault"
    [path, _] = export_library(lib, out)
    moved = path.with_name("My name for it.md")
    path.rename(moved)
    lib._store.con.execute("UPDATE articles SET title='A new title' WHERE id=?", (aid,))
    [again, _] = export_library(lib, out)
    assert again == moved.resolve()
    assert yaml.safe_load(split_front_matter(again.read_text("utf-8"))[0])["title"] == \
        "A new title"
    assert sorted(p.name for p in out.iterdir()) == sorted([moved.name, INDEX_NAME + ".md"])


def test_a_users_own_file_with_the_same_name_is_not_overwritten(seeded, tmp_path):
    lib, aid = seeded
    out = tmp_path / "vault"
    out.mkdir()
    theirs = out / (safe_filename(lib.article(aid).title) + ".md")
    theirs.write_text("My own note that happens to share the name.\n", encoding="utf-8")
    [path, _] = export_library(lib, out)
    assert path != theirs and f"({aid})" in path.name
    assert theirs.read_text(encoding="utf-8") == "My own note that happens to share the name.\n"


def test_symlink_out_of_the_folder_is_refused(seeded, tmp_path):
    lib, aid = seeded
    out = tmp_path / "vault"
    [path, _] = export_library(lib, out)
    outside = tmp_path / "outside.md"
    outside.write_text(path.read_text(encoding="utf-8"), encoding="utf-8")
    path.unlink()
    path.symlink_to(outside)
    before = outside.read_bytes()
    lib.annotate(aid, note="changed")
    with pytest.raises(ExportError, match="outside"):
        export_library(lib, out, [aid])
    assert outside.read_bytes() == before


def test_unreadable_front_matter_is_kept_not_destroyed(seeded, tmp_path):
    lib, aid = seeded
    out = tmp_path / "vault"
    [path, _] = export_library(lib, out)
    _, body = split_front_matter(path.read_text(encoding="utf-8"))
    path.write_text("---\ntitle: [unclosed\nmine: {\n---\n" + body, encoding="utf-8")
    export_library(lib, out, [aid])
    fm, body2, _ = parse(path.read_text(encoding="utf-8"))
    assert fm["commonplace_id"] == lib.article(aid).uuid
    assert "mine: {" in body2


def test_unknown_article_and_format_fail_before_writing(seeded, tmp_path):
    from core.errors import NotFound
    lib, aid = seeded
    with pytest.raises(NotFound):
        export_library(lib, tmp_path / "v1", [aid, 999])
    assert not list((tmp_path / "v1").iterdir())
    with pytest.raises(ExportError):
        export_library(lib, tmp_path / "v2", fmt="pdf")


def test_w3c_json_export(seeded, tmp_path):
    lib, aid = seeded
    out = tmp_path / "json"
    [path] = export_library(lib, out, fmt="json")
    data = json.loads(path.read_text(encoding="utf-8"))
    assert data["@context"] == "http://www.w3.org/ns/anno.jsonld"
    assert data["type"] == "AnnotationCollection" and data["total"] == 5
    items = data["first"]["items"]
    text = lib.article(aid).text
    passages = [i for i in items if isinstance(i["target"], dict)]
    assert len(passages) == 4
    for item in items:
        assert item["type"] == "Annotation" and item["id"].startswith("urn:uuid:")
    for item in passages:
        sel = {s["type"]: s for s in item["target"]["selector"]}
        q, p = sel["TextQuoteSelector"], sel["TextPositionSelector"]
        assert text[p["start"]:p["end"]] == q["exact"]
        assert item["target"]["source"] == lib.article(aid).url
    noted = [i for i in items if "body" in i]
    bodies = [b for i in noted for b in (i["body"] if isinstance(i["body"], list)
                                         else [i["body"]])]
    assert any(b.get("format") == "text/markdown" and b["type"] == "TextualBody"
               for b in bodies)
    assert path.read_bytes() == export_library(lib, out, fmt="json")[0].read_bytes()


def test_block_ids_stay_unique_when_short_uuids_clash(tmp_path, monkeypatch):
    import uuid

    import core.library
    from core.library import Library
    n = iter(range(1, 100))
    monkeypatch.setattr(core.library.uuidlib, "uuid4",
                        lambda: uuid.UUID(int=(0xABCDEF01 << 96) + next(n)))
    lib = Library(tmp_path / "lib", seed=False)
    aid = lib.add_document(seed_document()).article_id
    a1 = lib.annotate(aid, quote="Germany", note="one")
    a2 = lib.annotate(aid, note="two")
    md = export_article_markdown(lib, aid)
    ids = re.findall(r"^\^(ann-[0-9a-f]+)$", md, re.MULTILINE)
    assert sorted(ids) == sorted([block_id(a1.uuid, True), block_id(a2.uuid, True)])
    lib.close()
