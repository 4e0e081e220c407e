"""The ranking routes run at most ``ranking_threads`` rankings at once in a worker process."""

from __future__ import annotations

import threading
import time
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest

from api import ApiSettings
from tests.api.support import TestClient, World, serve


class Gauge:
    """Counts the calls running at once (the most seen is ``peak``)."""

    def __init__(self, barrier: threading.Barrier | None = None) -> None:
        self.lock = threading.Lock()
        self.running = 0
        self.peak = 0
        self.barrier = barrier

    def __call__(self, *args: Any, **kwargs: Any) -> list[Any]:
        with self.lock:
            self.running += 1
            self.peak = max(self.peak, self.running)
        try:
            if self.barrier is not None:
                self.barrier.wait()  # raises BrokenBarrierError when not all may run at once
            else:
                time.sleep(0.05)
            return []
        finally:
            with self.lock:
                self.running -= 1


def post_at_once(client: TestClient, world: World, count: int) -> list[int]:
    def one(_: int) -> int:
        response = client.post(
            "/v1/recommendations",
            json={"seeker_id": "S0000001", "k": 5},
            headers=world.headers("score"),
        )
        status: int = response.status_code
        return status

    with ThreadPoolExecutor(count) as pool:
        return list(pool.map(one, range(count)))


def test_one_ranking_thread_serves_concurrent_requests_one_at_a_time(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    with serve(world, ranking_threads=1) as client:
        gauge = Gauge()
        monkeypatch.setattr(client.app.state.service, "recommend", gauge)  # type: ignore[attr-defined]
        statuses = post_at_once(client, world, 6)
    assert statuses == [200] * 6
    assert gauge.peak == 1


def test_more_ranking_threads_rank_side_by_side(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    with serve(world, ranking_threads=3) as client:
        gauge = Gauge(threading.Barrier(3, timeout=10))
        monkeypatch.setattr(client.app.state.service, "recommend", gauge)  # type: ignore[attr-defined]
        statuses = post_at_once(client, world, 3)
    assert statuses == [200] * 3  # all three met at the barrier: they ran at once
    assert gauge.peak == 3


def test_ranking_threads_is_the_default_one_and_must_be_positive() -> None:
    assert ApiSettings().ranking_threads == 1
    with pytest.raises(ValueError, match="ranking_threads"):
        ApiSettings(ranking_threads=0)
