"""canonical_url's fast path (already-canonical links skip the parse) must agree with the
full normalisation on every URL it accepts."""
from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from core.importers import url as url_mod

_PARTS = st.lists(st.sampled_from(["a", "B", "0", "-", ".", "/", "//", "%20", "?", "#", ":",
                                   "@", "~", ";", "=", " ", "x.html", "utm_source=1"]),
                  max_size=8).map("".join)
_URLS = st.builds(lambda scheme, host, rest: f"{scheme}://{host}{rest}",
                  st.sampled_from(["http", "https", "HTTPS", "ftp"]),
                  st.sampled_from(["news.example.org", "Example.COM", "wiki", "a.b.", "u@h.io",
                                   "h.io:443", "h.io:8080", "[::1]"]), _PARTS)


@given(_URLS)
@settings(max_examples=400, deadline=None)
def test_fast_path_agrees_with_the_full_normalisation(url):
    fast = url_mod._PLAIN_CANONICAL.fullmatch(url) is not None
    saved = url_mod._PLAIN_CANONICAL
    try:
        url_mod._PLAIN_CANONICAL = re.compile(r"(?!)")  # never matches: the full path
        slow = url_mod.canonical_url(url)
    finally:
        url_mod._PLAIN_CANONICAL = saved
    if fast:
        assert slow == url
    assert url_mod.canonical_url(url) == slow


def test_common_links_take_the_fast_path():
    for u in ("https://news.example.org/story/12", "https://example.com/",
              "http://wiki/page", "https://a.example.com/2024/05/tides.html"):
        assert url_mod._PLAIN_CANONICAL.fullmatch(u)
