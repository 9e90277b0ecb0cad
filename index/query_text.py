"""Reading what a person typed: explicit syntax or plain text, scopes, and the words.

Plain text (no quotes, operators, `field:`, wildcards or ranges) is searched by index.plain
with stop words optional and punctuation ignored. Explicit syntax goes to Whoosh's parser,
after bare stop words and word-final punctuation are taken out so that they never become
required terms in some field.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from index.schema import _TOKENS

# Query-time stop words: function words that carry no topic. They are indexed (phrases keep
# them) but never required in a plain query. English closed-class words plus question words;
# written out here (not Whoosh's 34-word list) because questions are how people type.
STOP_WORDS = frozenset("""
a about above after again against all am an and any are aren't as at be because been before
being below between both but by can can't cannot could couldn't did didn't do does doesn't
doing don't down during each few for from further had hadn't has hasn't have haven't having
he he'd he'll he's her here here's hers herself him himself his how how's i i'd i'll i'm i've
if in into is isn't it it's its itself let's me more most mustn't my myself no nor not of off
on once only or other ought our ours ourselves out over own same shan't she she'd she'll she's
should shouldn't so some such than that that's the their theirs them themselves then there
there's these they they'd they'll they're they've this those through to too under until up
very was wasn't we we'd we'll we're we've were weren't what what's when when's where where's
which while who who's whom why why's with won't would wouldn't you you'd you'll you're you've
your yours yourself yourselves also just may might must shall will yet tbd us
""".split())

OPERATORS = frozenset({"AND", "OR", "NOT", "ANDNOT", "ANDMAYBE"})
_TOKEN = re.compile(_TOKENS)
_SCOPE = re.compile(r"(?<!\S)(in|colou?r|tag):(\"[^\"]*\"|\S+)", re.IGNORECASE)
_ISO_DAY = re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b")
_END_PUNCT = re.compile(r"[.,!;:?]+$")
# One piece of explicit syntax: a quoted phrase (maybe after field:), a range (maybe after
# field:), or any other run of non-space characters.
_CHUNK = re.compile(r'(?:\w+:)?"[^"]*"?|(?:\w+:)?[\[{][^\]}]*[\]}]?|\S+')


@dataclass(slots=True)
class Scopes:
    """What `in:`, `color:` and `tag:` asked for (all optional)."""

    kinds: set[str] = field(default_factory=set)  # {"note", "highlight", "article"}
    colours: list[str] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.kinds or self.colours or self.tags)


_IN = {"notes": "note", "note": "note", "highlights": "highlight", "highlight": "highlight",
       "articles": "article", "article": "article", "annotations": "annotation"}


def split_scopes(query: str) -> tuple[str, Scopes]:
    """The query without its scope words, and the scopes. An unknown `in:` value stays in
    the query as text."""
    sc = Scopes()

    def take(m: re.Match) -> str:
        key, val = m.group(1).lower(), m.group(2).strip('"').strip()
        if key == "in":
            kind = _IN.get(val.lower().rstrip(".,;!?"))
            if kind is None:
                return m.group(0)
            sc.kinds.update(("note", "highlight") if kind == "annotation" else (kind,))
        elif key.startswith("col"):
            sc.colours.append(val.lower())
        else:
            sc.tags.append(val.lower())
        return " "
    rest = _SCOPE.sub(take, query)
    return " ".join(rest.split()), sc


def is_explicit(query: str, fields: set[str]) -> bool:
    """True when the query uses search syntax: quotes, AND/OR/NOT, field:value on a real
    field, a wildcard inside or at the end of a word, a range, a boost or fuzzy mark."""
    if '"' in query:
        return True
    for chunk in query.split():
        if chunk in OPERATORS:
            return True
        core = chunk.strip("()")
        m = re.match(r"(\w+):\S", core)
        if m and m.group(1) in fields:
            return True
        if re.search(r"\w\*|\*\w|\w\?\w|\w~\d*$|\w\^\d", core):
            return True
        if core[:1] in "[{" or core[-1:] in "]}":
            return True
    return False


def split_explicit(query: str) -> tuple[str, str]:
    """(required syntax, bare words) for a query without operators; ("", "") when it has
    them (then the whole query keeps Whoosh's meaning). Parentheses alone group nothing."""
    chunks = [m.group() for m in _CHUNK.finditer(query)]
    if any(c in OPERATORS for c in chunks):
        return "", ""
    req, bare = [], []
    for c in chunks:
        if '"' in c or c[:1] in "[{" or re.match(r"\w+:\S", c) or \
                re.search(r"\w\*|\*\w|\w\?\w|\w~\d*$|\w\^\d", c):
            req.append(c.strip("()") if '"' not in c else c)
        else:
            bare.append(c)
    return " ".join(req), " ".join(bare)


def tidy_explicit(query: str) -> str:
    """Explicit syntax with bare stop words and word-final punctuation removed (quoted
    phrases, ranges and field values keep theirs)."""
    out = []
    for m in _CHUNK.finditer(query):
        c = m.group()
        if c in OPERATORS or '"' in c:
            out.append(c)
            continue
        if c[:1] in "[{" or re.match(r"\w+:[\[{]", c):
            # Whoosh's date parser reads 2024-06-01 as the whole year; 20240601 is the day
            out.append(_ISO_DAY.sub(r"\1\2\3", c))
            continue
        lead = c[:len(c) - len(c.lstrip("("))]
        rest = c[len(lead):]
        trail = rest[len(rest.rstrip(")")):]
        core = rest[:len(rest) - len(trail)]
        if not core.endswith("*"):
            core = _END_PUNCT.sub("", core)
        if ":" not in core and "*" not in core and core.lower() in STOP_WORDS:
            core = ""
        piece = lead + core + trail
        if piece:
            out.append(piece)
    return " ".join(out)


@dataclass(slots=True)
class Word:
    raw: str      # as typed, lowercased
    pos: int      # position among all the query's tokens (stop words included)
    stop: bool


def words(query: str) -> list[Word]:
    """The query's tokens, split the way the index splits text (so "plans." is "plans",
    "union?" is "union", "U.S." stays one token)."""
    out = []
    for i, m in enumerate(_TOKEN.finditer(query)):
        w = m.group().lower()
        out.append(Word(w, i, w.replace("’", "'") in STOP_WORDS))
    return out
