"""A real uvicorn server on 127.0.0.1 in a thread, with the project's protocol, for tests that
need real sockets (timeouts, connection limits, raw HTTP)."""

from __future__ import annotations

import asyncio
import functools
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import uvicorn
from starlette.types import ASGIApp

from api.server import ConnectionLimits, GuardedH11Protocol


@dataclass
class Live:
    """A running server: its port and uvicorn's ``Server`` (its state lists the connections)."""

    port: int
    server: uvicorn.Server

    def connect(self, timeout: float = 5.0) -> socket.socket:
        """A new client socket to the server."""
        return socket.create_connection(("127.0.0.1", self.port), timeout=timeout)


@contextmanager
def live_server(
    app: ASGIApp,
    *,
    header_timeout: float = 10.0,
    max_connections: int = 500,
    keep_alive: int = 5,
    lifespan: str = "on",
) -> Iterator[Live]:
    """Serve ``app`` on a free loopback port until the block ends.

    The listening socket is made as uvicorn's multi-worker listener makes it (protocol number
    0), so what the tests see is what ``--workers N`` serves.
    """
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    listener.bind(("127.0.0.1", 0))
    port = int(listener.getsockname()[1])
    protocol = functools.partial(
        GuardedH11Protocol,
        limits=ConnectionLimits(header_timeout=header_timeout, max_connections=max_connections),
    )
    config = uvicorn.Config(
        app,
        http=protocol,  # type: ignore[arg-type]
        lifespan=lifespan,  # type: ignore[arg-type]
        log_level="warning",
        access_log=False,
        timeout_keep_alive=keep_alive,
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=lambda: asyncio.run(server.serve(sockets=[listener])))
    thread.start()
    try:
        deadline = time.monotonic() + 60
        while not server.started:
            if not thread.is_alive() or time.monotonic() > deadline:
                raise RuntimeError("the test server did not start")
            time.sleep(0.02)
        yield Live(port, server)
    finally:
        server.should_exit = True
        thread.join(timeout=30)
        listener.close()


def read_response(sock: socket.socket, timeout: float = 5.0) -> bytes:
    """Everything the server sends until it closes the connection (or ``timeout``)."""
    sock.settimeout(timeout)
    chunks: list[bytes] = []
    try:
        while True:
            chunk = sock.recv(65536)
            if not chunk:
                break
            chunks.append(chunk)
    except TimeoutError:
        pass
    return b"".join(chunks)


def closed_within(sock: socket.socket, seconds: float) -> tuple[bool, bytes]:
    """Whether the server closed ``sock`` within ``seconds``, and what it sent before."""
    sock.settimeout(seconds)
    chunks: list[bytes] = []
    try:
        while True:
            chunk = sock.recv(65536)
            if not chunk:
                return True, b"".join(chunks)
            chunks.append(chunk)
    except TimeoutError:
        return False, b"".join(chunks)
    except ConnectionResetError:
        return True, b"".join(chunks)
