"""Full-text search over the library. The only package that imports Whoosh; it hands out plain
dataclasses so the engine stays replaceable and nothing above it depends on Whoosh types."""
from index.search import IndexBusy, IndexDoc, SearchHit, SearchIndex, SearchResult

__all__ = ["IndexBusy", "IndexDoc", "SearchHit", "SearchIndex", "SearchResult"]
