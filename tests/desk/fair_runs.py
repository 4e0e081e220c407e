"""Helpers of the fair and booth tests: start a desk batch run through the page and wait for it."""

from __future__ import annotations

import re
import time

from tests.api.support import TestClient

RUN_PATH = re.compile(r"^/desk/fairs/([^/]+)/runs/(\d{8}-\d{6}-[0-9a-f]{6})$")
RUN_STATE = re.compile(r'id="run-state">([^<]+)<')
WAIT_SECONDS = 180.0


def start_run(
    client: TestClient, csrf: str, fair_id: str, *, k: int = 10, per_vacancy: int = 30
) -> str:
    """Post the fair's run form; the run page's path."""
    answer = client.post(
        f"/desk/fairs/{fair_id}/runs",
        data={"csrf": csrf, "k": str(k), "per_vacancy": str(per_vacancy)},
        follow_redirects=False,
    )
    assert answer.status_code == 303, answer.text
    path = answer.headers["location"]
    assert RUN_PATH.match(path), path
    return path


def run_state(html: str) -> str:
    found = RUN_STATE.search(html)
    assert found is not None, "the run page shows no state"
    return found.group(1)


def wait_for_run(client: TestClient, path: str, timeout: float = WAIT_SECONDS) -> str:
    """Poll the run page until the run is no longer running; its last HTML."""
    deadline = time.monotonic() + timeout
    while True:
        page = client.get(path)
        assert page.status_code == 200, page.text
        if run_state(page.text) != "运行中":
            return page.text
        assert 'data-poll="2"' in page.text, "a running run's page must reload itself"
        if time.monotonic() > deadline:
            raise AssertionError(f"the run at {path} did not finish in {timeout:.0f} s")
        time.sleep(0.3)
