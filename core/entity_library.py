"""Library-level entities: corrections with a scope, persistent rules and aliases, undo, and
the entity page (everything about one entity across the library).

`EntityService` is owned by the Library facade, which delegates its entity methods here.
Rules and aliases are user data (migration 1003); every change returns an undo token that
`undo_entity_change` takes back. Nothing here knows about Qt.
"""
from __future__ import annotations

import re
from collections import Counter
from typing import TYPE_CHECKING, Any

from core.changes import entities_changed
from core.db import now_iso
from core.errors import CommonplaceError
from core.models import EntitySpan
from core.recognition import check_correction

if TYPE_CHECKING:
    from collections.abc import Callable

    from core.changes import Change
    from core.library import Library
    from core.ner.corrections import Rule
    from core.storage import Store

SCOPES = ("mention", "article", "library")
_FILTER = re.compile(r'(\w+):\s*(?:"([^"]*)"|(\S+))')
UndoToken = dict[str, Any]


def load_rules(store) -> list[Rule]:
    from core.ner.corrections import Rule
    return [Rule(n, a, lab) for n, a, lab in store.con.execute(
        "SELECT name, action, label FROM entity_rules ORDER BY id")]


def load_aliases(store) -> dict[str, str]:
    return dict(store.con.execute("SELECT alias, canonical FROM entity_aliases"))


def apply_library_rules(store, article_id: int, spans: list[EntitySpan]) -> list[EntitySpan]:
    """The library-wide rules applied to one article's recognised spans (before its own
    corrections, which are more specific and win)."""
    rules = load_rules(store)
    if not rules:
        return spans
    from core.ner.corrections import apply_rules
    return apply_rules(store.article_text(article_id), spans, rules)


PRIOR_MIN_MENTIONS = 8
PRIOR_MIN_SHARE = 0.85
_PRIOR_LABELS = ("PERSON", "ORG", "GPE", "LOC", "NORP")


def library_labels(store) -> dict[str, tuple[str, float]]:
    """One-word names the library has seen at least PRIOR_MIN_MENTIONS times, with their
    majority label and its share ("Chelsea" -> ("ORG", 0.97))."""
    counts: dict[str, dict[str, int]] = {}
    for text, label, n in store.con.execute(
            "SELECT text, label, COUNT(*) FROM entities WHERE instr(text, ' ') = 0"
            " AND label IN ('PERSON','ORG','GPE','LOC','NORP') GROUP BY text, label"):
        counts.setdefault(text, {})[label] = n
    out = {}
    for text, by in counts.items():
        total = sum(by.values())
        if total >= PRIOR_MIN_MENTIONS:
            label, n = max(by.items(), key=lambda kv: kv[1])
            out[text] = (label, n / total)
    return out


def apply_library_prior(spans: list[EntitySpan], table: dict[str, tuple[str, float]]
                        ) -> list[EntitySpan]:
    """A name's label across the library is evidence: a one-word name this article mentions
    at most twice, always with one label, takes the library's label when the library agrees
    on it (≥ 85 % of ≥ 8 mentions). An article that names it more often has its own evidence.
    User spans are never touched (rules and corrections come after, and win)."""
    if not table:
        return spans
    seen: dict[str, set[str]] = {}
    n: dict[str, int] = {}
    for s in spans:
        if s.label in _PRIOR_LABELS and " " not in s.text:
            seen.setdefault(s.text, set()).add(s.label)
            n[s.text] = n.get(s.text, 0) + 1
    out = []
    for s in spans:
        t = s.text
        if t in table and s.source != "user" and s.label in _PRIOR_LABELS and " " not in t \
                and len(seen.get(t, ())) == 1 and n.get(t, 0) <= 2:
            label, share = table[t]
            if label != s.label and share >= PRIOR_MIN_SHARE:
                s = EntitySpan(s.start, s.end, label, s.text, s.source)
        out.append(s)
    return out


def index_entities(store, ents: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """Entities for the search index, with every alias of each name, so `place:britain`
    finds an article that says "UK"."""
    from core.ner.names import alias_groups, canonical
    user = load_aliases(store)
    groups = alias_groups(user)  # one pass over the alias tables per article, not per name
    out, seen = list(ents), set(ents)
    for label, text in ents:
        canon = canonical(text, user)
        for n in groups.get(canon, set()) | ({canon} if canon != text else set()):
            if (label, n) not in seen:
                seen.add((label, n))
                out.append((label, n))
    return out


class EntityService:
    """Needs the store, the facade's commit, and the facade itself for what is already there
    (recognising, per-mention corrections, an article's entities and annotations)."""

    def __init__(self, store: Store, commit: Callable[[Change], Change],
                 library: Library) -> None:
        self.store = store
        self._commit = commit
        self._lib = library

    # -- rules and aliases --------------------------------------------------------------------
    def entity_rules(self) -> list[Rule]:
        return load_rules(self.store)

    def entity_aliases(self) -> dict[str, str]:
        return load_aliases(self.store)

    def _articles_containing(self, name: str) -> list[int]:
        return [r[0] for r in self.store.con.execute(
            "SELECT id FROM articles WHERE instr(text, ?) > 0 ORDER BY id", (name,))]

    def _rerecognise(self, ids: list[int]) -> None:
        if ids:
            self._lib.recognise_entities(ids, force=True)  # commits entities_changed

    # -- corrections with a scope -------------------------------------------------------------
    def correct_entity_scoped(self, article_id: int, action: str, start: int, end: int,
                              label: str = "", scope: str = "mention") -> UndoToken:
        """Remove or relabel the entity at [start, end) for this mention, every mention of the
        name in this article, or everywhere in the library (a rule that new imports obey).
        Returns an undo token for `undo_entity_change`."""
        if scope not in SCOPES:
            raise CommonplaceError(f"unknown scope {scope!r} (use {', '.join(SCOPES)})")
        text = self.store.article_text(article_id)
        label = check_correction(text, action, start, end, label)
        name = text[start:end]
        if scope == "library":
            if action == "add":
                action = "relabel"
            return self._set_rule(name, action, label)
        before = self._correction_rows(article_id)
        if scope == "mention":
            self._lib.correct_entity(article_id, action, start, end, label)
        else:
            from core.ner.consistency import _occurrences
            spans = {(s.start, s.end) for s in self.store.entities(article_id) if s.text == name}
            places = sorted(set(_occurrences(text, name)) | spans) if action != "remove" \
                else sorted(spans | {(start, end)})
            with self.store.write() as con:
                for a, b in places:
                    con.execute("DELETE FROM entity_corrections WHERE article_id=? AND start=?"
                                " AND end=?", (article_id, a, b))
                    con.execute("INSERT INTO entity_corrections (article_id, action, start, end,"
                                " label, text, created) VALUES (?,?,?,?,?,?,?)",
                                (article_id, action, a, b, label, name, now_iso()))
            self._rerecognise([article_id])
        return {"kind": "corrections", "article_id": article_id, "rows": before}

    def _correction_rows(self, article_id: int) -> list[tuple]:
        return [tuple(r) for r in self.store.con.execute(
            "SELECT action, start, end, label, text, created FROM entity_corrections"
            " WHERE article_id=? ORDER BY id", (article_id,))]

    def _set_rule(self, name: str, action: str, label: str) -> UndoToken:
        row = self.store.con.execute("SELECT action, label, created FROM entity_rules"
                                     " WHERE name=?", (name,)).fetchone()
        with self.store.write() as con:
            con.execute("DELETE FROM entity_rules WHERE name=?", (name,))
            con.execute("INSERT INTO entity_rules (name, action, label, created) VALUES (?,?,?,?)",
                        (name, action, label if action == "relabel" else "", now_iso()))
        self._rerecognise(self._articles_containing(name))
        return {"kind": "rule", "name": name, "row": tuple(row) if row else None}

    def remove_entity_rule(self, name: str) -> UndoToken:
        row = self.store.con.execute("SELECT action, label, created FROM entity_rules"
                                     " WHERE name=?", (name,)).fetchone()
        if row is None:
            raise CommonplaceError(f"no library rule for {name!r}")
        with self.store.write() as con:
            con.execute("DELETE FROM entity_rules WHERE name=?", (name,))
        self._rerecognise(self._articles_containing(name))
        return {"kind": "rule", "name": name, "row": tuple(row)}

    # -- aliases: merge and split -------------------------------------------------------------
    def merge_entity_names(self, alias: str, into: str) -> UndoToken:
        """From now on ``alias`` stands for ``into`` (entity page, panel rows, entity search)."""
        from core.ner.names import canonical
        alias, into = alias.strip(), into.strip()
        if not alias or not into:
            raise CommonplaceError("merge needs two names")
        return self._set_alias(alias, canonical(into, self.entity_aliases()))

    def split_entity_name(self, alias: str) -> UndoToken:
        """``alias`` is its own entity again (also against a built-in alias: "America")."""
        return self._set_alias(alias.strip(), alias.strip())

    def _set_alias(self, alias: str, canon: str) -> UndoToken:
        row = self.store.con.execute("SELECT canonical, created FROM entity_aliases WHERE alias=?",
                                     (alias,)).fetchone()
        with self.store.write() as con:
            con.execute("INSERT OR REPLACE INTO entity_aliases VALUES (?,?,?)",
                        (alias, canon, now_iso()))
            ids = self._enqueue_mentioning(con, {alias, canon})
        self._commit(entities_changed(ids))
        return {"kind": "alias", "alias": alias, "row": tuple(row) if row else None}

    def _enqueue_mentioning(self, con, names: set[str]) -> list[int]:
        """Articles whose index entries change with these names' aliases are re-indexed."""
        marks = ",".join("?" * len(names))
        ids = [r[0] for r in con.execute(
            f"SELECT DISTINCT article_id FROM entities WHERE text IN ({marks})", sorted(names))]
        for aid in ids:
            self.store.enqueue(con, "article", aid)
        return ids

    def _mentions_named(self, keys: set[str]) -> list[tuple[int, str, str]]:
        """(article, label, text) of every mention whose case-folded text is in ``keys``; rows
        an older app stored without a key are matched here too."""
        marks = ",".join("?" * len(keys))
        rows = self.store.con.execute(
            f"SELECT article_id, label, text, key FROM entities WHERE key IN ({marks}, '')",
            sorted(keys)).fetchall()
        return [(a, lab, t) for a, lab, t, k in rows if k or t.casefold() in keys]

    def entity_lookup(self, query: str) -> dict | None:
        """The entity a search names, if the library has one: a name as typed ("chelsea",
        "Keir Starmer") or an entity filter ("org:chelsea", 'person:"Keir Starmer"').
        Returns {"name", "label", "articles"} for the label most of its articles give it."""
        from core.ner.names import TYPE_NAMES, alias_names, canonical, label_group
        q = query.strip()
        labels: tuple[str, ...] | None = None
        m = _FILTER.fullmatch(q)
        if m and m.group(1).lower() in TYPE_NAMES:
            labels = TYPE_NAMES[m.group(1).lower()]
            q = m.group(2) or m.group(3) or ""
        elif len(q) > 2 and q[0] == q[-1] == '"':
            q = q[1:-1]
        q = " ".join(q.split())
        if not q or len(q) > 80 or len(q.split()) > 6 or '"' in q or ":" in q:
            return None
        user = self.entity_aliases()
        folded = {a.casefold(): a for a in [*user.values(), *user]}
        canon = canonical(folded.get(q.casefold(), q), user)
        keys = {n.casefold() for n in alias_names(canon, user) | {q}}
        groups = {label_group(lab) for lab in labels} if labels else None
        by_group: dict[str, set[int]] = {}
        label_count: Counter[tuple[str, str]] = Counter()
        texts: Counter[str] = Counter()
        for aid, lab, text in self._mentions_named(keys):
            g = label_group(lab)
            if lab in ("DATE", "MONEY", "PERCENT") or (groups is not None and g not in groups):
                continue
            by_group.setdefault(g, set()).add(aid)
            label_count[(g, lab)] += 1
            texts[text] += 1
        if not by_group:
            return None
        group = max(by_group, key=lambda g: (len(by_group[g]), g))
        label = max((lab for g, lab in label_count if g == group),
                    key=lambda lab: label_count[(group, lab)])
        as_written = [t for t, _n in texts.most_common() if t.casefold() == canon.casefold()]
        name = as_written[0] if as_written else canon if canon != q else texts.most_common(1)[0][0]
        return {"name": name, "label": label, "articles": len(by_group[group])}

    # -- undo ---------------------------------------------------------------------------------
    def undo_entity_change(self, token: UndoToken) -> None:
        """Take back a scoped correction, a rule or an alias change (Edit ▸ Undo)."""
        kind = token.get("kind")
        if kind == "corrections":
            aid = token["article_id"]
            with self.store.write() as con:
                con.execute("DELETE FROM entity_corrections WHERE article_id=?", (aid,))
                con.executemany("INSERT INTO entity_corrections (article_id, action, start, end,"
                                " label, text, created) VALUES (?,?,?,?,?,?,?)",
                                [(aid, *r) for r in token["rows"]])
            self._rerecognise([aid])
        elif kind == "rule":
            name, row = token["name"], token["row"]
            with self.store.write() as con:
                con.execute("DELETE FROM entity_rules WHERE name=?", (name,))
                if row:
                    con.execute("INSERT INTO entity_rules (name, action, label, created)"
                                " VALUES (?,?,?,?)", (name, *row))
            self._rerecognise(self._articles_containing(name))
        elif kind == "alias":
            alias, row = token["alias"], token["row"]
            old = str(self.entity_aliases().get(alias, alias))
            with self.store.write() as con:
                con.execute("DELETE FROM entity_aliases WHERE alias=?", (alias,))
                if row:
                    con.execute("INSERT INTO entity_aliases VALUES (?,?,?)", (alias, *row))
                ids = self._enqueue_mentioning(con, {alias, old})
            self._commit(entities_changed(ids))
        else:
            raise CommonplaceError(f"cannot undo {kind!r}")

    # -- reading ------------------------------------------------------------------------------
    def entity_groups(self, article_id: int):
        """The article's entities, one group per entity with its variants (names.EntityGroup)."""
        from core.ner.names import group_mentions
        return group_mentions(self._lib.entities(article_id), self.entity_aliases())

    def entity_page(self, name: str, type_: str | None = None, *, top: int = 10,
                    snippet_chars: int = 90, _short: bool = True) -> dict:
        """Everything about one entity: articles mentioning it (snippets, newest first),
        annotations mentioning it, mentions by published month, co-occurring entities.
        A short form ("Blair") opens the page of the full name it stands for ("Tony Blair"),
        so both show the same articles."""
        from core.ner.names import TYPE_NAMES, alias_names, canonical, label_group
        name = name.strip()
        if not name:
            raise CommonplaceError("give an entity name")
        labels = None
        if type_:
            labels = TYPE_NAMES.get(type_.lower())
            if labels is None:
                raise CommonplaceError(f"unknown entity type {type_!r} "
                                       f"(use one of: {', '.join(sorted(TYPE_NAMES))})")
        user = self.entity_aliases()
        canon = canonical(name, user)
        wanted = {n.casefold() for n in alias_names(canon, user) | {name}}
        groups_wanted = {label_group(lab) for lab in labels} if labels else None
        ids = sorted({aid for aid, _label, _text in self._mentions_named(wanted)})
        articles: list[dict[str, Any]] = []
        notes: list[dict[str, Any]] = []
        months: Counter[str] = Counter()
        co: Counter[str] = Counter()
        names: Counter[tuple[str, str]] = Counter()
        co_label: dict[str, str] = {}
        for aid in ids:
            groups = self.entity_groups(aid)
            mine = [g for g in groups
                    if (g.name.casefold() in wanted or any(v.casefold() in wanted for v in g.variants))
                    and (groups_wanted is None or label_group(g.label) in groups_wanted)]
            if not mine:
                continue
            mentions = sorted((m for g in mine for m in g.mentions), key=lambda m: m.start)
            for g in mine:
                names[(g.name, g.label)] += len(g.mentions)
            s = self.store.summary(aid)
            text = self.store.article_text(aid)
            first = mentions[0]
            a = max(0, first.start - snippet_chars)
            b = min(len(text), first.end + snippet_chars)
            snippet = ("…" if a else "") + re.sub(r"\s+", " ", text[a:b]) + ("…" if b < len(text) else "")
            month = (s.published or s.added or "")[:7]
            months[month] += len(mentions)
            articles.append({"id": aid, "title": s.title, "published": s.published,
                             "added": s.added, "mentions": len(mentions), "snippet": snippet,
                             "first_mention": [first.start, first.end]})
            variants = {m.text.casefold() for m in mentions}
            for r in self._lib.annotations(aid):
                ann = r.annotation
                hit = r.resolution is not None and not r.resolution.orphaned and any(
                    m.start < r.resolution.end and r.resolution.start < m.end for m in mentions)
                blob = f"{ann.anchor.exact if ann.anchor else ''}\n{ann.note}".casefold()
                if hit or any(re.search(r"(?<!\w)" + re.escape(v) + r"(?!\w)", blob) for v in variants):
                    notes.append({"id": ann.id, "article_id": aid, "title": s.title,
                                  "exact": ann.anchor.exact if ann.anchor else "",
                                  "note": ann.note, "color": ann.color})
            for g in groups:
                if g in mine or g.label in ("DATE", "MONEY", "PERCENT"):
                    continue
                co[g.name] += 1
                co_label.setdefault(g.name, g.label)
        articles.sort(key=lambda x: (x["published"] or x["added"] or ""), reverse=True)
        best = names.most_common(1)[0][0] if names else (canon, labels[0] if labels else "")
        if _short and best[0].casefold() not in wanted:
            return self.entity_page(best[0], type_, top=top, snippet_chars=snippet_chars,
                                    _short=False)
        return {
            "name": best[0], "label": best[1],
            "articles": articles,
            "annotations": notes,
            "mentions_by_month": dict(sorted(months.items())),
            "co_occurring": [{"name": n, "label": co_label[n], "articles": c}
                             for n, c in sorted(co.items(), key=lambda x: (-x[1], x[0]))[:top]],
            "total_mentions": sum(a["mentions"] for a in articles),
        }
