"""The Whoosh schema and analyzer. Bump SCHEMA_VERSION whenever either changes: the index is
derived data and a version mismatch makes the library rebuild it from the store."""
from __future__ import annotations

import enum
import re
from typing import Final

from whoosh.analysis import (
    CharsetFilter,
    LowercaseFilter,
    RegexTokenizer,
    StemFilter,
    StopFilter,
    Token,
    Tokenizer,
)
from whoosh.fields import DATETIME, ID, KEYWORD, NUMERIC, TEXT, Schema
from whoosh.support.charset import accent_map

SCHEMA_VERSION = "2"  # 2: MemoAnalyzer (same terms, faster)

# Entity labels → index field. GPE and LOC share "place": readers don't distinguish them.
ENTITY_FIELDS: dict[str, str] = {
    "PERSON": "person", "ORG": "org", "GPE": "place", "LOC": "place", "FAC": "place",
    "NORP": "norp", "EVENT": "event", "MONEY": "money", "DATE": "date", "PERCENT": "percent",
    "LAW": "law", "PRODUCT": "product", "WORK_OF_ART": "work",
}


# Explicit: whoosh-reloaded's default token pattern keeps "*", so "**bold**" in a Markdown note
# would be indexed as one unstemmed token.
_TOKENS = r"\w+(?:[.'’]?\w+)*"


def _text_chain():
    return (RegexTokenizer(_TOKENS) | LowercaseFilter() | CharsetFilter(accent_map)
            | StopFilter() | StemFilter(cachesize=50000))


def _name_chain():
    return RegexTokenizer(_TOKENS) | LowercaseFilter() | CharsetFilter(accent_map)


class _Missing(enum.Enum):
    """A memo-miss sentinel that mypy can narrow away with `is`."""
    MISSING = enum.auto()


_MISSING: Final = _Missing.MISSING


class MemoAnalyzer(Tokenizer):
    """The same tokens as `chain` (tokenizer | lowercase | fold | stop | stem), computed once
    per distinct word: every filter in the chain looks at one token at a time, so a word's
    result does not depend on its neighbours. Index builds spend most of their analysis time
    in the filter generators; a dict lookup replaces them. Unusual calls (stop words kept,
    untokenized values, original text wanted) go to the real chain. Pickled into the index's
    schema, so only the chain's name is stored."""

    is_morph = True
    MEMO_MAX = 300_000

    def __init__(self, chain: str = "text") -> None:
        self.chain_name = chain
        self._setup()

    def _setup(self) -> None:
        self._chain = {"text": _text_chain, "name": _name_chain}[self.chain_name]()
        self._expr = re.compile(_TOKENS)
        self._memo: dict[str, str | None] = {}

    def __getstate__(self):
        return {"chain_name": self.chain_name}

    def __setstate__(self, state) -> None:
        self.chain_name = state["chain_name"]
        self._setup()

    def __eq__(self, other) -> bool:
        return isinstance(other, MemoAnalyzer) and other.chain_name == self.chain_name

    def __hash__(self) -> int:
        return hash(("MemoAnalyzer", self.chain_name))

    def has_morph(self) -> bool:
        return self.chain_name == "text"

    def term(self, word: str) -> str | None:
        """The indexed term for one word, or None if the chain drops it (a stop word)."""
        got = self._memo.get(word, _MISSING)
        if got is _MISSING:
            toks = [t.text for t in self._chain(word)]
            got = toks[0] if len(toks) == 1 else None
            if len(self._memo) >= self.MEMO_MAX:
                self._memo.clear()
            self._memo[word] = got
        return got

    def __call__(self, value, positions=False, chars=False, keeporiginal=False,
                 removestops=True, start_pos=0, start_char=0, tokenize=True, mode="",
                 **kwargs):
        if keeporiginal or not removestops or not tokenize:
            yield from self._chain(value, positions=positions, chars=chars,
                                   keeporiginal=keeporiginal, removestops=removestops,
                                   start_pos=start_pos, start_char=start_char,
                                   tokenize=tokenize, mode=mode, **kwargs)
            return
        t = Token(positions, chars, removestops=removestops, mode=mode, **kwargs)
        memo, term = self._memo, self.term
        pos = None
        for i, m in enumerate(self._expr.finditer(value)):
            word = m.group()
            text = memo.get(word, _MISSING)
            if text is _MISSING:
                text = term(word)
            if text is None:
                continue
            t.text = text
            t.boost = 1.0
            t.stopped = False
            if positions:  # StopFilter(renumber=True): the first kept token keeps its place
                pos = start_pos + i if pos is None else pos + 1
                t.pos = pos
            if chars:
                t.startchar = start_char + m.start()
                t.endchar = start_char + m.end()
            yield t


def text_analyzer():
    """Stemming plus accent folding, so `sefcovic` finds "Šefčovič" and `talk` finds "talks"."""
    return MemoAnalyzer("text")


def name_analyzer():
    """Entity names: folded but not stemmed or stop-filtered ("The Hague", "Bank of England")."""
    return MemoAnalyzer("name")


def build_schema() -> Schema:
    ana = text_analyzer()
    names = name_analyzer()
    fields = dict(
        key=ID(unique=True, stored=True),
        kind=ID(stored=True),
        article_id=NUMERIC(stored=True, signed=False),
        annotation_id=NUMERIC(stored=True, signed=False),
        title=TEXT(analyzer=ana, stored=True, field_boost=3.0),
        body=TEXT(analyzer=ana),
        notes=TEXT(analyzer=ana),
        author=TEXT(analyzer=names, stored=True),
        site=TEXT(analyzer=names, stored=True),
        tags=KEYWORD(lowercase=True, commas=True, scorable=True),
        entity=TEXT(analyzer=names),
        published=DATETIME(stored=True),
        added=DATETIME(),
    )
    for f in set(ENTITY_FIELDS.values()):
        fields[f] = TEXT(analyzer=names)
    return Schema(**fields)
