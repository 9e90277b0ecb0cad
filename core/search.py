"""Search as the core hands it out: the result dataclasses the index builds and the query a
reader's action means. The UI and the CLI take these from here, never from `index`
(ui → core → index)."""
from index.schema import ENTITY_FIELDS
from index.search import SearchHit, SearchResult

__all__ = ["SearchHit", "SearchResult", "ENTITY_FIELDS", "entity_query"]


def entity_query(label: str, text: str) -> str:
    """'person:"Keir Starmer"'; labels without a search field search the words as a phrase."""
    phrase = '"' + text.replace('"', " ").strip() + '"'
    field = ENTITY_FIELDS.get(label)
    return f"{field}:{phrase}" if field else phrase
