"""Fetching one article URL, defensively, with the standard library only.

urllib is enough for one GET at a time and adds no dependency; we follow redirects ourselves
(to count them, detect loops and refuse non-http schemes), stream the body against a size cap
and a total deadline, and decompress gzip/deflate with a cap of our own so a gzip bomb
cannot fill memory. Every failure is an ImportFailed with a one-line reason.

One deadline covers the whole fetch (connect, status line, headers, every redirect and the
body): a watchdog thread shuts the socket down when it passes or when `cancel()` turns true,
which unblocks a read stuck on a server that dribbles a byte a second. Socket timeouts alone
are per operation and never fire against such a server.
"""
from __future__ import annotations

import http.client
import re
import socket
import ssl
import threading
import time
import urllib.error
import urllib.request
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from email.message import Message
from email.utils import collapse_rfc2231_value
from functools import partial
from typing import Any
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit, urlunsplit

from core.errors import ImportFailed

ACCEPTED_TYPES = ("text/html", "application/xhtml+xml", "text/plain", "text/markdown",
                  "text/x-markdown", "application/pdf", "application/epub+zip")
USER_AGENT = "Commonplace/0.1 (local reader; +https://example.invalid/commonplace)"
_CHUNK = 64 * 1024

# Query parameters that only identify a campaign or a click, never the resource.
_TRACKING = {"fbclid", "gclid", "dclid", "gbraid", "wbraid", "msclkid", "yclid", "igshid",
             "mc_cid", "mc_eid", "_ga", "_gl", "ref_src", "ref_url", "cmpid", "ocid",
             "spm", "share", "smid", "mkt_tok", "oly_anon_id", "oly_enc_id", "vero_id",
             "__s", "_hsenc", "_hsmi", "hsctatracking"}
_DEFAULT_PORTS = {"http": 80, "https": 443}
MAX_INFORMATIONAL = 8  # 1xx responses (100 Continue, 103 Early Hints) before the real one


@dataclass(frozen=True, slots=True)
class FetchResult:
    final_url: str
    content_type: str  # media type only, lower case ("text/html")
    charset: str | None  # from the Content-Type header, if any
    body: bytes  # decompressed


# Already canonical: lower-case http(s) scheme and host, no port, user, query or fragment, a
# path without a trailing slash (or just "/"). Most saved links are; they skip the parse.
_PLAIN_CANONICAL = re.compile(r"https?://[a-z0-9](?:[a-z0-9-]*[a-z0-9])?"
                              r"(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)*"
                              r"/(?:[A-Za-z0-9._~!$&'()*+,;=:@%/-]*[A-Za-z0-9._~!$&'()*+,;=:@%-])?")


def canonical_url(url: str) -> str:
    """A stable form of a URL for dedup: lower-case scheme and host, no default port, no
    fragment, no tracking parameters (utm_*, fbclid...), no trailing slash except the root.
    Dropping the trailing slash can in theory merge two resources; in practice they are the
    same article, and a duplicate import is the worse failure."""
    if _PLAIN_CANONICAL.fullmatch(url):
        return url
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
          max_redirects: int = 5, accept: tuple[str, ...] | None = ACCEPTED_TYPES,
          cancel: Callable[[], bool] | None = None) -> FetchResult:
    """GET an article page. `timeout` is one deadline for everything (connecting, status,
    headers, redirects, body); `cancel()` turning true aborts the fetch within ~0.1 s;
    `max_bytes` bounds both the bytes on the wire and the decompressed body. `accept` lists
    the content types taken (None: any; images are judged by their bytes instead)."""
    seen: set[str] = set()
    current = url.strip()
    with _Guard(timeout, cancel) as guard:
        for _ in range(max_redirects + 1):
            _check_scheme(current)
            seen.add(canonical_url(current))
            location, response = _open(current, guard)
            if location is None:
                assert response is not None
                with response:
                    return _read_response(current, response, guard, max_bytes, accept)
            nxt = urljoin(current, location)
            if canonical_url(nxt) in seen:
                raise ImportFailed(f"redirect loop at {_host_of(nxt)}")
            current = nxt
    raise ImportFailed(f"too many redirects (over {max_redirects})")


class _Guard:
    """The fetch's single deadline and its Cancel: a watchdog thread shuts down every socket
    the fetch opened once the deadline passes or cancel() is true. Blocking reads then fail at
    once, and `failure()` says which of the two it was."""

    def __init__(self, timeout: float, cancel: Callable[[], bool] | None) -> None:
        self.timeout = timeout
        self.deadline = time.monotonic() + timeout
        self.cancel = cancel
        self.reason = ""  # "timeout" | "cancelled" once tripped
        self._socks: list[socket.socket] = []
        self._lock = threading.Lock()
        self._done = threading.Event()
        self._thread = threading.Thread(target=self._watch, name="fetch-deadline", daemon=True)

    def __enter__(self) -> _Guard:
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._done.set()
        self._thread.join()

    def remaining(self) -> float:
        self.check()
        return max(0.05, self.deadline - time.monotonic())

    def register(self, sock: socket.socket | None) -> None:
        if sock is None:
            return
        with self._lock:
            self._socks.append(sock)
            tripped = bool(self.reason)
        if tripped:
            _shutdown(sock)

    def check(self) -> None:
        """Raise if the deadline has passed or the fetch was cancelled."""
        if not self.reason:
            if self.cancel is not None and self.cancel():
                self.reason = "cancelled"
            elif time.monotonic() > self.deadline:
                self.reason = "timeout"
        if self.reason:
            raise self.failure("")

    def failure(self, host: str) -> ImportFailed:
        if self.reason == "cancelled":
            return ImportFailed("cancelled")
        where = f" {host}" if host else ""
        return ImportFailed(f"timed out fetching{where} after {self.timeout:g} s")

    def _watch(self) -> None:
        while not self._done.wait(0.05):
            if self.cancel is not None and self.cancel():
                self.reason = "cancelled"
            elif time.monotonic() > self.deadline:
                self.reason = "timeout"
            if self.reason:
                with self._lock:
                    socks = list(self._socks)
                for s in socks:
                    _shutdown(s)
                return


def _shutdown(sock: socket.socket) -> None:
    try:
        sock.shutdown(socket.SHUT_RDWR)
    except OSError:
        pass


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
    if parts.username is not None or parts.password is not None:
        raise ImportFailed("URLs with a user name or password (user@host) are not supported")


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, req, fp, code, msg, headers, newurl):
        return None  # surface 3xx as HTTPError so fetch() follows (and counts) them itself


class _Response(http.client.HTTPResponse):
    """Counts informational (1xx) responses: http.client skips `100 Continue` forever."""

    def _read_status(self) -> tuple[str, int, str]:
        # private in http.client, so typeshed does not declare it; its shape is stable since 3.0
        version, status, reason = super()._read_status()  # type: ignore[misc]
        if 100 <= status < 200:
            self._informational = getattr(self, "_informational", 0) + 1
            if self._informational > MAX_INFORMATIONAL:
                raise http.client.HTTPException(f"over {MAX_INFORMATIONAL} 1xx responses")
            if status != 100:  # 102/103: http.client would take it as final; treat as 100
                return version, 100, reason
        return version, status, reason


class _GuardedHTTPConnection(http.client.HTTPConnection):
    """Takes its timeout from the fetch's one deadline and registers its socket for cancel."""

    response_class = _Response

    def __init__(self, host: str, *, guard: _Guard, **kw: Any) -> None:
        super().__init__(host, **kw)
        self.guard = guard

    def connect(self) -> None:
        self.timeout = self.guard.remaining()
        super().connect()
        self.guard.register(self.sock)


class _GuardedHTTPSConnection(_GuardedHTTPConnection, http.client.HTTPSConnection):
    """The same for TLS: in this order HTTPSConnection.connect wraps the socket before the
    guard registers it."""


class _HTTP(urllib.request.HTTPHandler):
    def __init__(self, guard: _Guard) -> None:
        super().__init__()
        self.guard = guard

    def http_open(self, req):
        return self.do_open(partial(_GuardedHTTPConnection, guard=self.guard), req)


class _HTTPS(urllib.request.HTTPSHandler):
    _context: ssl.SSLContext | None  # set by HTTPSHandler.__init__; typeshed leaves it out

    def __init__(self, guard: _Guard) -> None:
        super().__init__()
        self.guard = guard

    def https_open(self, req):
        return self.do_open(partial(_GuardedHTTPSConnection, guard=self.guard), req,
                            context=self._context)


def _open(url: str, guard: _Guard) -> tuple[str | None, http.client.HTTPResponse | None]:
    """One request: (redirect location, None) or (None, open response)."""
    host = _host_of(url)
    timeout = guard.timeout
    req = urllib.request.Request(url, headers={
        "User-Agent": USER_AGENT,
        "Accept": "text/html,application/xhtml+xml,text/plain;q=0.9,text/markdown;q=0.9,*/*;q=0.1",
        "Accept-Encoding": "gzip, deflate",
    })
    opener = urllib.request.build_opener(_NoRedirect(), _HTTP(guard), _HTTPS(guard))
    try:
        return None, opener.open(req, timeout=guard.remaining())
    except urllib.error.HTTPError as e:
        with e:
            if e.code in (301, 302, 303, 307, 308):
                location = e.headers.get("Location")
                if not location:
                    raise ImportFailed(f"HTTP {e.code} redirect without a location") from None
                return location, None
            raise ImportFailed(f"HTTP {e.code} {e.reason or http.client.responses.get(e.code, '')}"
                               .strip()) from None
    except ImportFailed:
        raise
    except (urllib.error.URLError, TimeoutError, OSError, http.client.HTTPException,
            ValueError) as e:
        if guard.reason:
            raise guard.failure(host) from None
        reason = e.reason if isinstance(e, urllib.error.URLError) else e
        raise ImportFailed(f"could not reach {host}: {_reason(reason, timeout)}") from None


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


def _read_response(url: str, resp: http.client.HTTPResponse, guard: _Guard,
                   max_bytes: int, accept: tuple[str, ...] | None = ACCEPTED_TYPES
                   ) -> FetchResult:
    final_url = resp.geturl() or url
    msg = Message()
    raw_type = resp.headers.get("Content-Type", "")
    msg["Content-Type"] = raw_type
    # email.Message calls anything unparseable "text/plain"; treat it as no type at all, so
    # the importer sniffs the body instead of importing HTML markup as text
    ctype = msg.get_content_type() if "/" in raw_type.split(";")[0] else ""
    if ctype and accept is not None and ctype not in accept:
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
    timeout = guard.timeout
    raw_total = 0
    out = bytearray()
    host = _host_of(final_url)
    try:
        while True:
            if guard.reason or time.monotonic() > guard.deadline:
                guard.reason = guard.reason or "timeout"
                raise _read_failure(guard, host)
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
        guard.reason = guard.reason or "timeout"
        raise _read_failure(guard, host) from None
    except zlib.error:
        raise ImportFailed(f"corrupt {encoding} response from {host}") from None
    except (OSError, http.client.HTTPException) as e:
        if guard.reason:
            raise _read_failure(guard, host) from None
        raise ImportFailed(f"connection to {host} failed: {_reason(e, timeout)}") from None
    if guard.reason:  # the watchdog cut the body short: never import a truncated page
        raise _read_failure(guard, host)
    if len(out) > max_bytes:
        raise ImportFailed(f"too large (over {_mb(max_bytes)})")
    return FetchResult(final_url, ctype, charset, bytes(out))


def _read_failure(guard: _Guard, host: str) -> ImportFailed:
    if guard.reason == "cancelled":
        return ImportFailed("cancelled")
    return ImportFailed(f"timed out reading {host} after {guard.timeout:g} s")


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
