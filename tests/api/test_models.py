"""Models: listing, and promotion through the API while requests keep coming."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import pytest

from matcher.learning.training import save_run, train_run
from matcher.ranking.serving import registry_for
from matcher.storage.store import Store
from tests.api.support import SMALL_MODEL, TestClient, World, copy_world, serve


def test_models_lists_the_versions(client: TestClient, world: World) -> None:
    response = client.get("/v1/models", headers=world.headers("read"))
    assert response.status_code == 200
    body = response.json()
    assert body["active_version"] == body["serving_version"] == world.version
    (model,) = [m for m in body["models"] if m["version"] == world.version]
    assert model["active"] is True
    assert model["ranker_kind"] == "lambdamart"
    assert 0.0 <= model["ndcg_at_10"] <= 1.0
    assert model["notes"] == "api tests: first model"


@pytest.mark.slow
def test_promotion_while_serving(world: World, tmp_path: Path) -> None:
    copy = copy_world(world, tmp_path / "home")
    with Store.open(copy.home) as store:
        run = train_run(store, baselines=(), params={**SMALL_MODEL, "num_leaves": 7})
        second = save_run(registry_for(copy.home), run, notes="api tests: second model").version
    assert second != world.version

    with serve(copy) as client:
        outcomes: list[tuple[int, str | None]] = []
        stop = threading.Event()

        def keep_asking() -> None:
            while not stop.is_set():
                response = client.post(
                    "/v1/recommendations",
                    json={"seeker_id": "S0000002", "k": 10},
                    headers=copy.headers("score"),
                )
                version = response.json().get("model_version") if response.is_success else None
                outcomes.append((response.status_code, version))

        worker = threading.Thread(target=keep_asking)
        worker.start()
        try:
            while len(outcomes) < 5:
                time.sleep(0.01)
            before_promotion = len(outcomes)
            promoted = client.post(f"/v1/models/{second}:promote", headers=copy.headers("admin"))
            after_promotion = len(outcomes)
            while len(outcomes) < after_promotion + 5:
                time.sleep(0.01)
        finally:
            stop.set()
            worker.join()

        assert promoted.status_code == 200, promoted.text
        assert promoted.json()["version"] == second and promoted.json()["active"] is True
        assert after_promotion > before_promotion, "no request ran during the promotion"
        assert {status for status, _ in outcomes} == {200}, outcomes
        assert {version for _, version in outcomes} <= {world.version, second}
        assert outcomes[0][1] == world.version
        assert all(version == second for _, version in outcomes[after_promotion + 1 :])

        models = client.get("/v1/models", headers=copy.headers("read")).json()
        assert models["active_version"] == models["serving_version"] == second
        assert {m["version"]: m["active"] for m in models["models"]} == {
            world.version: False,
            second: True,
        }
        answer = client.post(
            "/v1/recommendations", json={"seeker_id": "S0000002"}, headers=copy.headers("score")
        )
        assert answer.json()["model_version"] == second
        assert client.get("/readyz").json()["model_version"] == second
        metrics = client.get("/metrics").text
        assert f'jobmatch_model_info{{version="{second}"}} 1.0' in metrics
        assert f'version="{world.version}"' not in metrics
