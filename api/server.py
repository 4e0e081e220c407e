"""How uvicorn serves the app: the connection protocol (importable, so worker processes find it).

:class:`GuardedH11Protocol` is uvicorn's h11 protocol with what a public endpoint needs below
the application:

- **Nagle off** on every connection (``TCP_NODELAY``; see the class).
- **Header timeout.** A connection must deliver a request's line and headers within
  :attr:`ConnectionLimits.header_timeout` seconds — counted from the connection, or on a
  kept-alive connection from the first byte of the next request (uvicorn's keep-alive timeout
  covers the idle time before it). A client that is too slow gets ``408`` and the connection is
  closed. The application never sees it: an ASGI app is only called once headers are in, which is
  why this lives here. (The body is timed in the app, by :class:`api.limits.BodySizeLimit`,
  which can answer a proper 408 problem.)
- **A bound on open connections** per process (:attr:`ConnectionLimits.max_connections`, kept
  well under the usual 1,024 file descriptors). When a new connection would exceed it, the
  connection that has waited longest without a request in progress — idle between requests or
  still sending its headers — is closed to make room, so clients that hold connections without
  finishing a request cannot lock others out; only when every connection has a request in
  progress is the newcomer answered ``503`` with ``Retry-After`` and closed.

A connection closed while it had sent part of a request gets the 408 (or 503) first; an idle one
is closed silently, as uvicorn closes idle kept-alive connections.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import socket
from dataclasses import dataclass
from typing import Any

import h11
from uvicorn.config import Config
from uvicorn.protocols.http.h11_impl import H11Protocol
from uvicorn.server import ServerState


@dataclass(frozen=True)
class ConnectionLimits:
    """What one connection may hold (from :class:`~api.settings.ApiSettings`).

    Attributes
    ----------
    header_timeout : float
        Seconds for a request's line and headers.
    max_connections : int
        Open connections per process.
    """

    header_timeout: float = 10.0
    max_connections: int = 500

    def __post_init__(self) -> None:
        if not self.header_timeout > 0 or self.max_connections < 1:
            raise ValueError(
                "header_timeout must be > 0 and max_connections >= 1, got "
                f"{self.header_timeout}, {self.max_connections}"
            )


def _raw_problem(status: int, reason: str, detail: str, extra: str = "") -> bytes:
    """A complete ``Connection: close`` problem response, written below h11 (no request was
    parsed, so h11 has nothing to answer)."""
    body = json.dumps(
        {"type": "about:blank", "title": reason, "status": status, "detail": detail, "errors": []}
    ).encode()
    head = (
        f"HTTP/1.1 {status} {reason}\r\ncontent-type: application/problem+json\r\n"
        f"content-length: {len(body)}\r\nconnection: close\r\n{extra}\r\n"
    )
    return head.encode("latin-1") + body


REQUEST_TIMEOUT = _raw_problem(
    408, "Request Timeout", "the request headers did not arrive in time; the connection is closed"
)
TOO_MANY_CONNECTIONS = _raw_problem(
    503,
    "Service Unavailable",
    "too many open connections; retry shortly",
    "retry-after: 1\r\n",
)


class GuardedH11Protocol(H11Protocol):
    """uvicorn's h11 protocol with Nagle off, a header timeout and a connection bound.

    uvicorn builds one per connection with its ``config``, ``server_state`` and ``app_state``;
    ``limits`` comes through ``functools.partial`` (see :func:`api.__main__.main`), which
    pickles into worker processes.

    Nagle: with ``--workers`` > 1 uvicorn binds the listening socket itself with protocol
    number 0, and asyncio only sets ``TCP_NODELAY`` on accepted sockets whose protocol number is
    TCP's — so each response's body waited for the client's delayed ACK of its headers: +40 ms
    per request (measured: 52 ms instead of 11 ms with one client). Setting it here makes one and
    several workers alike.
    """

    def __init__(
        self,
        config: Config,
        server_state: ServerState,
        app_state: dict[str, Any],
        _loop: asyncio.AbstractEventLoop | None = None,
        *,
        limits: ConnectionLimits | None = None,
    ) -> None:
        super().__init__(config, server_state, app_state, _loop)
        self.limits = limits if limits is not None else ConnectionLimits()
        self.header_timer: asyncio.TimerHandle | None = None
        self.idle_since: float | None = None
        """Loop time since which this connection has had no request in progress (None while
        one is)."""

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        sock = transport.get_extra_info("socket")
        if sock is not None and sock.family in (socket.AF_INET, socket.AF_INET6):
            with contextlib.suppress(OSError):  # a socket that refuses the option
                sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        super().connection_made(transport)
        self.idle_since = self.loop.time()
        if len(self.connections) > self.limits.max_connections and not self._make_room():
            self.transport.write(TOO_MANY_CONNECTIONS)
            self._close()
            return
        self._await_headers()

    def data_received(self, data: bytes) -> None:
        if self.header_timer is None and self.conn.their_state is h11.IDLE:
            self._await_headers()  # the first byte of the next request on a kept-alive one
        super().data_received(data)
        if self.conn.their_state is not h11.IDLE:  # the headers are in (or the peer is gone)
            self._cancel_header_timer()
            self.idle_since = None

    def on_response_complete(self) -> None:
        self.idle_since = self.loop.time()
        super().on_response_complete()

    def connection_lost(self, exc: Exception | None) -> None:
        self._cancel_header_timer()
        self.idle_since = None
        super().connection_lost(exc)

    # --- internals ---------------------------------------------------------------------------

    def _await_headers(self) -> None:
        self._cancel_header_timer()
        self.header_timer = self.loop.call_later(self.limits.header_timeout, self._headers_late)

    def _cancel_header_timer(self) -> None:
        if self.header_timer is not None:
            self.header_timer.cancel()
            self.header_timer = None

    def _headers_late(self) -> None:
        self.header_timer = None
        if self.conn.their_state is h11.IDLE and not self.transport.is_closing():
            self._drop()

    def _drop(self) -> None:
        """Close this connection, which has no request in progress: 408 when part of one has
        arrived, silently when it is idle."""
        if self.conn.trailing_data[0]:
            self.transport.write(REQUEST_TIMEOUT)
        self._close()

    def _close(self) -> None:
        self._cancel_header_timer()
        self.idle_since = None
        with contextlib.suppress(h11.LocalProtocolError):
            self.conn.send(h11.ConnectionClosed())
        self.transport.close()

    def _make_room(self) -> bool:
        """Close the connection (not this one) idle or waiting for headers the longest; False
        when every other connection has a request in progress."""
        oldest: GuardedH11Protocol | None = None
        for other in self.connections:
            if other is self or not isinstance(other, GuardedH11Protocol):
                continue
            since = other.idle_since
            if since is None or other.transport is None or other.transport.is_closing():
                continue
            if other.conn.their_state is not h11.IDLE:
                continue
            if oldest is None or since < (oldest.idle_since or 0.0):
                oldest = other
        if oldest is None:
            return False
        oldest._drop()
        return True
