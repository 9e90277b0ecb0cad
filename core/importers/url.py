"""Fetching one article URL, defensively, with the standard library only.

urllib is enough for one GET at a time and adds no dependency; we follow redirects ourselves
(to count them, detect loops and refuse non-http schemes), stream the body against a size cap
and a total deadline, and decompress gzip/deflate with a cap of our own so a gzip bomb
cannot fill memory. Every failure is an ImportFailed with a one-line reason.
"""
from __future__ import annotations

import http.client
import socket
import ssl
import time
import urllib.error
import urllib.request
import zlib
from dataclasses import dataclass
from email.message import Message
from email.utils import collapse_rfc2231_value
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit, urlunsplit

from core.errors import ImportFailed

ACCEPTED_TYPES = ("text/html", "application/xhtml+xml", "text/plain", "text/markdown",
                  "text/x-markdown")
USER_AGENT = "Commonplace/0.1 (local reader; +https://example.invalid/commonplace)"
_CHUNK = 64 * 1024

# Query parameters that only identify a campaign or a click, never the resource.
_TRACKING = {"fbclid", "gclid", "dclid", "gbraid", "wbraid", "msclkid", "yclid", "igshid",
             "mc_cid", "mc_eid", "_ga", "_gl", "ref_src", "ref_url", "cmpid", "ocid",
             "spm", "share", "smid", "mkt_tok", "oly_anon_id", "oly_enc_id", "vero_id",
             "__s", "_hsenc", "_hsmi", "hsctatracking"}
_DEFAULT_PORTS = {"http": 80, "https": 443}


@dataclass(frozen=True, slots=True)
class FetchResult:
    final_url: str
    content_type: str  # media type only, lower case ("text/html")
    charset: str | None  # from the Content-Type header, if any
    body: bytes  # decompressed


def canonical_url(url: str) -> str:
    """A stable form of a URL for dedup: lower-case scheme and host, no default port, no
    fragment, no tracking parameters (utm_*, fbclid...), no trailing slash except the root.
    Dropping the trailing slash can in theory merge two resources; in practice they are the
    same article, and a duplicate import is the worse failure."""
    try:
        parts = urlsplit(url.strip())
        port = parts.port
    except ValueError:
        return url.strip()
    scheme = parts.scheme.lower()
    host = (parts.hostname or "").lower().rstrip(".")
    if not host:
        return url.strip()
    if ":" in host:  # IPv6 literal
        host = f"[{host}]"
    netloc = host if port is None or _DEFAULT_PORTS.get(scheme) == port else f"{host}:{port}"
    if parts.username:
        userinfo = parts.username + (f":{parts.password}" if parts.password else "")
        netloc = f"{userinfo}@{netloc}"
    path = parts.path or "/"
    if len(path) > 1:
        path = path.rstrip("/") or "/"
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True)
             if not k.lower().startswith("utm_") and k.lower() not in _TRACKING]
    return urlunsplit((scheme, netloc, path, urlencode(query, doseq=True), ""))


def fetch(url: str, *, timeout: float = 15, max_bytes: int = 20_000_000,
          max_redirects: int = 5) -> FetchResult:
    """GET an article page. `timeout` bounds connecting and, separately, the whole body read;
    `max_bytes` bounds both the bytes on the wire and the decompressed body."""
    seen: set[str] = set()
    current = url.strip()
    for _ in range(max_redirects + 1):
        _check_scheme(current)
        seen.add(canonical_url(current))
        location, response = _open(current, timeout)
        if location is None:
            assert response is not None
            with response:
                return _read_response(current, response, timeout, max_bytes)
        nxt = urljoin(current, location)
        if canonical_url(nxt) in seen:
            raise ImportFailed(f"redirect loop at {_host_of(nxt)}")
        current = nxt
    raise ImportFailed(f"too many redirects (over {max_redirects})")


def _check_scheme(url: str) -> None:
    try:
        parts = urlsplit(url)
    except ValueError:
        raise ImportFailed(f"not a valid URL: {url[:80]}") from None
    if parts.scheme.lower() not in ("http", "https"):
        scheme = parts.scheme or "(none)"
        raise ImportFailed(f"unsupported URL scheme {scheme}: only http and https")
    if not parts.hostname:
        raise ImportFailed(f"not a valid URL: {url[:80]}")


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, req, fp, code, msg, headers, newurl):
        return None  # surface 3xx as HTTPError so fetch() follows (and counts) them itself


_OPENER = urllib.request.build_opener(_NoRedirect())


def _open(url: str, timeout: float) -> tuple[str | None, http.client.HTTPResponse | None]:
    """One request: (redirect location, None) or (None, open response)."""
    host = _host_of(url)
    req = urllib.request.Request(url, headers={
        "User-Agent": USER_AGENT,
        "Accept": "text/html,application/xhtml+xml,text/plain;q=0.9,text/markdown;q=0.9,*/*;q=0.1",
        "Accept-Encoding": "gzip, deflate",
    })
    try:
        return None, _OPENER.open(req, timeout=timeout)
    except urllib.error.HTTPError as e:
        with e:
            if e.code in (301, 302, 303, 307, 308):
                location = e.headers.get("Location")
                if not location:
                    raise ImportFailed(f"HTTP {e.code} redirect without a location") from None
                return location, None
            raise ImportFailed(f"HTTP {e.code} {e.reason or http.client.responses.get(e.code, '')}"
                               .strip()) from None
    except urllib.error.URLError as e:
        raise ImportFailed(f"could not reach {host}: {_reason(e.reason, timeout)}") from None
    except TimeoutError:
        raise ImportFailed(f"could not reach {host}: timed out after {timeout:g} s") from None
    except (OSError, http.client.HTTPException, ValueError) as e:
        raise ImportFailed(f"could not reach {host}: {_reason(e, timeout)}") from None


def _reason(err: object, timeout: float) -> str:
    if isinstance(err, socket.gaierror):
        return "name not resolved"
    if isinstance(err, TimeoutError):
        return f"timed out after {timeout:g} s"
    if isinstance(err, ConnectionRefusedError):
        return "connection refused"
    if isinstance(err, ConnectionResetError):
        return "connection reset"
    if isinstance(err, ssl.SSLCertVerificationError):
        return "TLS certificate not trusted"
    if isinstance(err, ssl.SSLError):
        return "TLS error"
    if isinstance(err, http.client.HTTPException):
        return "invalid HTTP response"
    text = str(getattr(err, "strerror", None) or err).strip()
    return text.splitlines()[0] if text else type(err).__name__


def _read_response(url: str, resp: http.client.HTTPResponse, timeout: float,
                   max_bytes: int) -> FetchResult:
    final_url = resp.geturl() or url
    msg = Message()
    msg["Content-Type"] = resp.headers.get("Content-Type", "")
    ctype = msg.get_content_type() if resp.headers.get("Content-Type") else ""
    if ctype and ctype not in ACCEPTED_TYPES:
        raise ImportFailed(f"not an article: content type {ctype}")
    param = msg.get_param("charset") if ctype else None
    # an RFC 2231 parameter (charset*=...) comes back as a tuple: collapse it to its string
    charset = collapse_rfc2231_value(param) if isinstance(param, tuple) else param
    length = resp.headers.get("Content-Length")
    if length and length.isdigit() and int(length) > max_bytes:
        raise ImportFailed(f"too large (over {_mb(max_bytes)})")
    encoding = (resp.headers.get("Content-Encoding") or "identity").strip().lower()
    if encoding not in ("identity", "gzip", "x-gzip", "deflate"):
        raise ImportFailed(f"unsupported content encoding {encoding}")
    decomp = None if encoding == "identity" else zlib.decompressobj(
        zlib.MAX_WBITS | 32 if encoding != "deflate" else zlib.MAX_WBITS)
    deadline = time.monotonic() + timeout
    raw_total = 0
    out = bytearray()
    host = _host_of(final_url)
    try:
        while True:
            if time.monotonic() > deadline:
                raise ImportFailed(f"timed out reading {host} after {timeout:g} s")
            chunk = resp.read1(_CHUNK) if hasattr(resp, "read1") else resp.read(_CHUNK)
            if not chunk:
                break
            raw_total += len(chunk)
            if raw_total > max_bytes:
                raise ImportFailed(f"too large (over {_mb(max_bytes)})")
            if decomp is None:
                out += chunk
            else:
                _inflate(decomp, chunk, out, max_bytes)
        if decomp is not None:
            out += decomp.flush()
    except ImportFailed:
        raise
    except TimeoutError:
        raise ImportFailed(f"timed out reading {host} after {timeout:g} s") from None
    except zlib.error:
        raise ImportFailed(f"corrupt {encoding} response from {host}") from None
    except (OSError, http.client.HTTPException) as e:
        raise ImportFailed(f"connection to {host} failed: {_reason(e, timeout)}") from None
    if len(out) > max_bytes:
        raise ImportFailed(f"too large (over {_mb(max_bytes)})")
    return FetchResult(final_url, ctype, charset, bytes(out))


def _inflate(decomp: zlib._Decompress, chunk: bytes, out: bytearray, max_bytes: int) -> None:
    """Decompress without ever holding more than max_bytes of output (gzip bombs)."""
    data = chunk
    while data:
        room = max_bytes - len(out) + 1
        out += decomp.decompress(data, room)
        if len(out) > max_bytes:
            raise ImportFailed(f"too large (over {_mb(max_bytes)} uncompressed)")
        data = decomp.unconsumed_tail


def _host_of(url: str) -> str:
    try:
        return urlsplit(url).hostname or url
    except ValueError:
        return url


def _mb(n: int) -> str:
    return f"{n / 1_000_000:g} MB" if n >= 1_000_000 else f"{n:,} bytes"
