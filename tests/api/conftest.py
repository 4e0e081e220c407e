"""Fixtures of the API tests (see :mod:`tests.api.support`)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.api.support import TestClient, World, build_world, serve


@pytest.fixture(scope="session")
def world(tmp_path_factory: pytest.TempPathFactory) -> World:
    """The shared small world (built once per session)."""
    return build_world(tmp_path_factory.mktemp("api-world"))


@pytest.fixture(scope="module")
def client(world: World) -> Iterator[TestClient]:
    """An app over the shared world, started for the module."""
    with serve(world) as started:
        yield started
