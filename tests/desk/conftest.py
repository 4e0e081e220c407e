"""Fixtures of the desk tests (see :mod:`tests.desk.support`)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from api import ApiSettings, create_app
from tests.api.live import live_server
from tests.api.support import TestClient, build_world, serve
from tests.desk.browser import chromium, require_browser
from tests.desk.support import DeskWorld, add_staff


@pytest.fixture(scope="session")
def desk_world(tmp_path_factory: pytest.TempPathFactory) -> DeskWorld:
    """The API tests' small world with staff accounts (built once per session)."""
    return add_staff(build_world(tmp_path_factory.mktemp("desk-world")))


@pytest.fixture
def desk_client(desk_world: DeskWorld) -> Iterator[TestClient]:
    """A new app over the desk world, not signed in."""
    with serve(desk_world.world) as client:
        yield client


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    """One headless Chromium for the session (skips when Chromium or its driver is absent)."""
    require_browser()
    with chromium() as driver:
        yield driver


@pytest.fixture(scope="module")
def live_desk(desk_world: DeskWorld) -> Iterator[str]:
    """The app over the desk world on a real loopback server; yields its base URL."""
    app = create_app(ApiSettings(home=desk_world.world.home, today=desk_world.world.today))
    with live_server(app) as live:
        yield f"http://127.0.0.1:{live.port}"
