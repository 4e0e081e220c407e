"""The connection protocol the server runs with turns Nagle's algorithm off."""

from __future__ import annotations

import socket
from typing import Any

import pytest
from uvicorn.protocols.http.h11_impl import H11Protocol

from api.server import NoDelayH11Protocol


class _Transport:
    def __init__(self, sock: socket.socket) -> None:
        self.sock = sock

    def get_extra_info(self, name: str, default: Any = None) -> Any:
        return self.sock if name == "socket" else default


def test_accepted_connections_get_tcp_nodelay(monkeypatch: pytest.MonkeyPatch) -> None:
    """uvicorn's multi-worker listener has protocol number 0, so asyncio leaves Nagle on for
    its connections (a 40 ms delayed-ACK stall per response); the protocol switches it off."""
    monkeypatch.setattr(H11Protocol, "connection_made", lambda self, transport: None)
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as listener:  # proto 0, as uvicorn
        listener.bind(("127.0.0.1", 0))
        listener.listen()
        with socket.create_connection(listener.getsockname()) as client:
            accepted, _ = listener.accept()
            with accepted:
                assert accepted.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY) == 0
                protocol = object.__new__(NoDelayH11Protocol)
                protocol.connection_made(_Transport(accepted))  # type: ignore[arg-type]
                assert accepted.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY) != 0
            assert client
