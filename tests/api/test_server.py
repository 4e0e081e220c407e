"""The connection protocol the server runs with (api.server), over real sockets on 127.0.0.1:
Nagle off, a header timeout, a bound on open connections."""

from __future__ import annotations

import asyncio
import socket
import threading
import time

import pytest
from starlette.types import Receive, Scope, Send

from api.server import ConnectionLimits, GuardedH11Protocol
from tests.api.live import Live, closed_within, live_server, read_response

GET = b"GET / HTTP/1.1\r\nHost: test\r\n\r\n"
PARTIAL = b"GET / HTTP/1.1\r\nHost: te"


class TinyApp:
    """200 ``ok`` for any path; ``/hold`` answers only once :attr:`release` is set."""

    def __init__(self) -> None:
        self.release = threading.Event()
        self.holding = 0

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "lifespan":
            while (await receive())["type"] != "lifespan.shutdown":
                await send({"type": "lifespan.startup.complete"})
            await send({"type": "lifespan.shutdown.complete"})
            return
        if scope["path"] == "/hold":
            self.holding += 1
            while not self.release.is_set():
                await asyncio.sleep(0.01)
        if scope["path"] == "/slow":
            await asyncio.sleep(1.0)
        await send(
            {"type": "http.response.start", "status": 200, "headers": [(b"content-length", b"2")]}
        )
        await send({"type": "http.response.body", "body": b"ok"})


def _response(sock: socket.socket) -> bytes:
    """One response with a 2-byte body (what TinyApp answers) from a kept-alive connection."""
    sock.settimeout(5)
    data = b""
    while not data.endswith(b"\r\n\r\nok"):
        chunk = sock.recv(4096)
        if not chunk:
            break
        data += chunk
    return data


def _server_protocols(live: Live, count: int) -> list[GuardedH11Protocol]:
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline:
        found = [
            p for p in live.server.server_state.connections if isinstance(p, GuardedH11Protocol)
        ]
        if len(found) >= count:
            return found
        time.sleep(0.01)
    raise AssertionError("the server did not accept the connections")


def test_accepted_connections_get_tcp_nodelay() -> None:
    """uvicorn's multi-worker listener has protocol number 0, so asyncio leaves Nagle on for
    its connections (a 40 ms delayed-ACK stall per response); the protocol switches it off."""
    with live_server(TinyApp()) as live, live.connect() as client:
        client.sendall(GET)
        assert _response(client).startswith(b"HTTP/1.1 200")
        (protocol,) = _server_protocols(live, 1)
        accepted = protocol.transport.get_extra_info("socket")
        assert accepted.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY) != 0


def test_headers_that_arrive_too_slowly_get_408_and_the_connection_is_closed() -> None:
    with live_server(TinyApp(), header_timeout=0.5) as live, live.connect() as client:
        client.sendall(PARTIAL)
        started = time.monotonic()
        closed, sent = closed_within(client, 5.0)
        assert closed
        assert 0.4 <= time.monotonic() - started < 3.0
        assert sent.startswith(b"HTTP/1.1 408 Request Timeout")
        assert b"connection: close" in sent.lower()
        assert b"application/problem+json" in sent


def test_a_connection_that_sends_nothing_is_closed_silently() -> None:
    with live_server(TinyApp(), header_timeout=0.5) as live, live.connect() as client:
        closed, sent = closed_within(client, 5.0)
        assert closed
        assert sent == b""


def test_headers_are_timed_for_every_request_on_a_kept_alive_connection() -> None:
    with (
        live_server(TinyApp(), header_timeout=0.5, keep_alive=30) as live,
        live.connect() as client,
    ):
        client.sendall(GET)
        assert _response(client).startswith(b"HTTP/1.1 200")
        time.sleep(0.8)  # idle longer than the header timeout: uvicorn's keep-alive applies
        client.sendall(PARTIAL)
        closed, sent = closed_within(client, 5.0)
        assert closed
        assert sent.startswith(b"HTTP/1.1 408")


def test_headers_in_pieces_in_time_and_slow_handlers_are_not_cut() -> None:
    with live_server(TinyApp(), header_timeout=0.5) as live, live.connect() as client:
        client.sendall(b"GET /slow HTTP/1.1\r\n")
        time.sleep(0.2)
        client.sendall(b"Host: test\r\n\r\n")  # headers in after 0.2 s; the handler takes 1 s
        assert _response(client).startswith(b"HTTP/1.1 200")


def test_past_the_bound_the_connection_waiting_longest_is_closed_for_a_new_one() -> None:
    with live_server(TinyApp(), header_timeout=30, max_connections=4) as live:
        slow = [live.connect() for _ in range(4)]
        for number, sock in enumerate(slow):
            sock.sendall(PARTIAL)
            _server_protocols(live, number + 1)
            time.sleep(0.05)  # a clear order of arrival
        try:
            with live.connect() as newcomer:
                newcomer.sendall(GET)
                assert _response(newcomer).startswith(b"HTTP/1.1 200")
            closed, sent = closed_within(slow[0], 2.0)
            assert closed and sent.startswith(b"HTTP/1.1 408")
            for sock in slow[1:]:
                assert not closed_within(sock, 0.05)[0]
        finally:
            for sock in slow:
                sock.close()


def test_when_every_connection_is_busy_a_new_one_gets_503() -> None:
    app = TinyApp()
    with live_server(app, header_timeout=30, max_connections=3) as live:
        busy = [live.connect() for _ in range(3)]
        try:
            for sock in busy:
                sock.sendall(b"GET /hold HTTP/1.1\r\nHost: test\r\n\r\n")
            deadline = time.monotonic() + 5
            while app.holding < 3 and time.monotonic() < deadline:
                time.sleep(0.01)
            with live.connect() as refused:
                answer = read_response(refused)
            assert answer.startswith(b"HTTP/1.1 503")
            assert b"retry-after: 1" in answer.lower()
            app.release.set()
            for sock in busy:
                assert _response(sock).startswith(b"HTTP/1.1 200")
        finally:
            app.release.set()
            for sock in busy:
                sock.close()


def test_connection_limits_reject_bad_values() -> None:
    with pytest.raises(ValueError, match="max_connections"):
        ConnectionLimits(header_timeout=1.0, max_connections=0)
    with pytest.raises(ValueError, match="header_timeout"):
        ConnectionLimits(header_timeout=0.0)
