"""The Whoosh schema and analyzer. Bump SCHEMA_VERSION whenever either changes: the index is
derived data and a version mismatch makes the library rebuild it from the store."""
from __future__ import annotations

from whoosh.analysis import (CharsetFilter, LowercaseFilter, RegexTokenizer, StemFilter,
                             StopFilter)
from whoosh.fields import DATETIME, ID, KEYWORD, NUMERIC, TEXT, Schema
from whoosh.support.charset import accent_map

SCHEMA_VERSION = "1"

# Entity labels → index field. GPE and LOC share "place": readers don't distinguish them.
ENTITY_FIELDS: dict[str, str] = {
    "PERSON": "person", "ORG": "org", "GPE": "place", "LOC": "place", "FAC": "place",
    "NORP": "norp", "EVENT": "event", "MONEY": "money", "DATE": "date", "PERCENT": "percent",
    "LAW": "law", "PRODUCT": "product", "WORK_OF_ART": "work",
}


# Explicit: whoosh-reloaded's default token pattern keeps "*", so "**bold**" in a Markdown note
# would be indexed as one unstemmed token.
_TOKENS = r"\w+(?:[.'’]?\w+)*"


def text_analyzer():
    """Stemming plus accent folding, so `sefcovic` finds "Šefčovič" and `talk` finds "talks"."""
    return (RegexTokenizer(_TOKENS) | LowercaseFilter() | CharsetFilter(accent_map)
            | StopFilter() | StemFilter(cachesize=50000))


def name_analyzer():
    """Entity names: folded but not stemmed or stop-filtered ("The Hague", "Bank of England")."""
    return RegexTokenizer(_TOKENS) | LowercaseFilter() | CharsetFilter(accent_map)


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
