"""Issue 16 item 1: one deadline over connect, status, headers and body; 1xx capped; Cancel
aborts a fetch in progress. Raw socket servers on 127.0.0.1 that dribble bytes."""
from __future__ import annotations

import socket
import threading
import time

import pytest

from core.errors import ImportFailed
from core.importers import load_source
from core.importers.url import MAX_INFORMATIONAL, fetch

pytestmark = pytest.mark.slow  # longer runs; still part of make test



class Dribbler:
    """Accepts connections; for each, sends `head` at once then `drip` one byte per `gap` s
    (forever, cycling) until the client goes away or the server stops."""

    def __init__(self, head: bytes, drip: bytes, gap: float = 0.2) -> None:
        self.head, self.drip, self.gap = head, drip, gap
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(8)
        self.stop = threading.Event()
        self.closed_by_client = threading.Event()
        threading.Thread(target=self._serve, daemon=True).start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.sock.getsockname()[1]}/article"

    def _serve(self) -> None:
        self.sock.settimeout(0.2)
        while not self.stop.is_set():
            try:
                conn, _ = self.sock.accept()
            except (TimeoutError, OSError):
                continue
            threading.Thread(target=self._talk, args=(conn,), daemon=True).start()

    def _talk(self, conn: socket.socket) -> None:
        try:
            conn.recv(65536)
            conn.sendall(self.head)
            i = 0
            while not self.stop.is_set():
                if self.drip:
                    conn.sendall(self.drip[i % len(self.drip):i % len(self.drip) + 1])
                    i += 1
                time.sleep(self.gap)
        except OSError:
            self.closed_by_client.set()
        finally:
            conn.close()

    def close(self) -> None:
        self.stop.set()
        self.sock.close()


@pytest.fixture
def dribbler(request):
    servers = []

    def make(head: bytes, drip: bytes = b"", gap: float = 0.2) -> Dribbler:
        d = Dribbler(head, drip, gap)
        servers.append(d)
        return d
    yield make
    for d in servers:
        d.close()


BODY = b"<html><head><title>t</title></head><body><p>" + b"word " * 50 + b"</p></body></html>"

CASES = {
    # a status line then one header byte at a time: no header ever completes
    "header-dribble": (b"HTTP/1.1 200 OK\r\n", b"X-Slow: aaaaaaaaaaaaaaaaaaaaaaaaa"),
    # the status line itself dribbled
    "status-dribble": (b"", b"HTTP/1.1 200 OK"),
    # nothing at all after accepting the request
    "silent": (b"", b""),
    # endless 100 Continue, slowly
    "continue-slow": (b"", b"HTTP/1.1 100 Continue\r\n\r\n"),
    # chunked body whose chunk-size line is dribbled
    "chunk-size-dribble": (b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n"
                           b"Transfer-Encoding: chunked\r\n\r\n", b"1111111111"),
    # a declared body that arrives a byte at a time
    "body-dribble": (b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: 100000\r\n"
                     b"\r\n", BODY),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_one_deadline_over_every_phase(dribbler, case):
    head, drip = CASES[case]
    srv = dribbler(head, drip, gap=0.05)
    start = time.monotonic()
    with pytest.raises(ImportFailed, match="timed out"):
        fetch(srv.url, timeout=1.0)
    # socket timeouts alone never fire here (a byte every 0.05 s); the deadline must
    assert time.monotonic() - start < 3.0


def test_fast_endless_100_continue_is_capped(dribbler):
    srv = dribbler(b"HTTP/1.1 100 Continue\r\n\r\n" * (MAX_INFORMATIONAL + 5)
                   + b"HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n")
    with pytest.raises(ImportFailed, match="invalid HTTP response"):
        fetch(srv.url, timeout=5)


def test_a_few_1xx_then_the_page(dribbler):
    srv = dribbler(b"HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 103 Early Hints\r\nLink: </a>\r\n\r\n"
                   + b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: "
                   + str(len(BODY)).encode() + b"\r\n\r\n" + BODY)
    assert fetch(srv.url, timeout=5).body == BODY


def test_cancel_aborts_a_fetch_in_progress(dribbler):
    srv = dribbler(b"HTTP/1.1 200 OK\r\n", b"X-Slow: aaaaaaaa", gap=0.05)
    flag = threading.Event()
    threading.Timer(0.5, flag.set).start()
    start = time.monotonic()
    with pytest.raises(ImportFailed, match="^cancelled$"):
        load_source(srv.url, timeout=60, cancel=flag.is_set)
    assert time.monotonic() - start < 2.0
    assert srv.closed_by_client.wait(2.0)  # the socket was let go, not left to a lost thread


def test_library_import_cancel_stops_a_hanging_url(dribbler, tmp_path):
    from core.library import Library
    srv = dribbler(b"HTTP/1.1 200 OK\r\n", b"X-Slow: aaaaaaaa", gap=0.05)
    lib = Library(tmp_path / "lib", seed=False)
    try:
        flag = threading.Event()
        threading.Timer(0.5, flag.set).start()
        start = time.monotonic()
        res = lib.import_sources([srv.url], cancel=flag.is_set, recognise=False)
        assert time.monotonic() - start < 3.0
        assert all(r.status == "failed" for r in res)
        assert lib.articles() == []
    finally:
        lib.close()


def test_userinfo_url_is_refused_clearly():
    with pytest.raises(ImportFailed, match="user name or password"):
        fetch("http://user:pw@127.0.0.1:9/x", timeout=1)
