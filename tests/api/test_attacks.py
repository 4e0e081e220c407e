"""The attack findings of issue 10 that belong to the server's edges — slow clients, floods of
bad keys, rate limits across workers, loose JSON — each replayed as a test (the fast subset of
``benchmarks/bench_attack.py``). Timeouts are set to fractions of a second here; the figures
they protect are measured by the benchmark, never asserted."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
import textwrap
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from api import ApiSettings, create_app
from api.app import app_from_env
from matcher.storage.ratelimits import SharedBuckets
from tests.api.live import Live, closed_within, live_server
from tests.api.support import TestClient, World, seeker_body, serve, vacancy_body

BODY_TIMEOUT = 0.5
MIN_BODY_RATE = 1_000


@pytest.fixture(scope="module")
def live(world: World) -> Iterator[Live]:
    """The real app over real sockets, with short header and body timeouts."""
    settings = ApiSettings(
        home=world.home,
        today=world.today,
        body_timeout=BODY_TIMEOUT,
        min_body_rate=MIN_BODY_RATE,
    )
    with live_server(create_app(settings), header_timeout=0.5) as server:
        yield server


def _post_head(path: str, length: int, key: str) -> bytes:
    return (
        f"POST {path} HTTP/1.1\r\nHost: test\r\nContent-Type: application/json\r\n"
        f"X-API-Key: {key}\r\nContent-Length: {length}\r\n\r\n"
    ).encode()


def _problem(raw: bytes) -> tuple[int, dict[str, Any]]:
    head, _, body = raw.partition(b"\r\n\r\n")
    status = int(head.split(b" ", 2)[1])
    return status, json.loads(body)


# --- slow clients ---------------------------------------------------------------------------


def test_a_body_that_stops_gets_408_and_the_socket_is_closed(live: Live, world: World) -> None:
    """Finding: headers and one byte of a 100 KB body held the connection 40 s and more."""
    with live.connect() as client:
        client.sendall(_post_head("/v1/score", 100_000, world.keys["score"]) + b"{")
        started = time.monotonic()
        closed, sent = closed_within(client, 10.0)
        assert closed
        assert time.monotonic() - started < BODY_TIMEOUT + 3.0
    status, problem = _problem(sent)
    assert status == 408
    assert b"connection: close" in sent.lower()
    assert problem["errors"][0]["field"] == "body"
    assert "no data for" in problem["detail"]


def test_a_body_trickling_below_the_minimum_rate_gets_408(live: Live, world: World) -> None:
    length = 2_000  # all of it due within 0.5 + 2,000 / 1,000 = 2.5 s
    with live.connect() as client:
        client.sendall(_post_head("/v1/recommendations", length, world.keys["score"]))
        started = time.monotonic()
        closed, sent = False, b""
        for _ in range(100):  # one byte every 0.2 s: never a pause over the 0.5 s timeout
            try:
                client.sendall(b" ")
            except OSError:
                break
            closed, sent = closed_within(client, 0.2)
            if closed:
                break
        assert closed
        assert time.monotonic() - started < 5.0
    status, problem = _problem(sent)
    assert status == 408
    assert "bytes a second" in problem["detail"]


def test_slow_headers_on_the_real_app_get_408(live: Live) -> None:
    with live.connect() as client:
        client.sendall(b"POST /v1/score HTTP/1.1\r\nHost: test\r\nContent-Le")
        closed, sent = closed_within(client, 5.0)
    assert closed
    assert sent.startswith(b"HTTP/1.1 408")


def test_a_body_sent_in_time_is_served(live: Live, world: World) -> None:
    body = json.dumps({"seeker_id": "S0000001", "k": 3}).encode()
    with live.connect() as client:
        client.sendall(_post_head("/v1/recommendations", len(body), world.keys["score"]))
        time.sleep(BODY_TIMEOUT / 2)
        client.sendall(body[:10])
        time.sleep(BODY_TIMEOUT / 2)
        client.sendall(body[10:])
        client.settimeout(30)
        answer = client.recv(65536)
    assert answer.startswith(b"HTTP/1.1 200"), answer[:200]


# --- failed authentication and shared rate limits ------------------------------------------


def test_failed_authentication_is_throttled_per_address(world: World) -> None:
    """Finding: 1,000 invalid keys were 1,000 × 401, never 429."""
    with serve(world, auth_failure_limit=5, auth_failure_window=60) as client:
        bad = {"X-API-Key": "jm_00000000_" + "A" * 43}
        statuses = [client.get("/v1/models", headers=bad).status_code for _ in range(5)]
        assert statuses == [401] * 5
        throttled = client.get("/v1/models", headers=bad)
        assert throttled.status_code == 429
        retry = int(throttled.headers["retry-after"])
        assert 1 <= retry <= 60
        assert "failed authentications from this address" in throttled.json()["detail"]
        # a missing key counts as a failure too, and while throttled even a good key waits:
        # the answer must not tell a guessed key from a wrong one
        assert client.get("/v1/models").status_code == 429
        assert client.get("/v1/models", headers=world.headers("read")).status_code == 429


def test_a_key_limit_is_shared_by_every_worker(world: World) -> None:
    """Finding: with ``--workers 2`` a key got twice its limit. Two apps over one home stand
    for two worker processes (the buckets live in the home's ratelimits.sqlite3)."""
    headers = world.headers("read")
    with (
        serve(world, rate_limit_per_minute=1, rate_limit_burst=4) as first,
        serve(world, rate_limit_per_minute=1, rate_limit_burst=4) as second,
    ):
        statuses = [
            (first if number % 2 else second).get("/v1/campaigns", headers=headers).status_code
            for number in range(8)
        ]
    assert statuses.count(200) == 4
    assert statuses[4:] == [429] * 4


def test_processes_taking_from_one_bucket_never_overspend(tmp_path: Path) -> None:
    """Four processes race for a bucket of 50 tokens (no refill to speak of): exactly 50 are
    granted in all."""
    script = textwrap.dedent(
        f"""
        from matcher.storage.ratelimits import SharedBuckets
        with SharedBuckets.open({str(tmp_path)!r}, busy_timeout=10.0) as buckets:
            print(sum(buckets.take("race", 1e-6, 50) == 0.0 for _ in range(40)))
        """
    )
    SharedBuckets.open(tmp_path).close()  # the file and its table exist before the race
    workers = [
        subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, text=True)
        for _ in range(4)
    ]
    granted = [int(worker.communicate(timeout=60)[0]) for worker in workers]
    assert sum(granted) == 50


def test_shared_buckets_refill_and_peek(tmp_path: Path) -> None:
    now = [1_000.0]
    with SharedBuckets.open(tmp_path) as buckets:
        buckets.clock = lambda: now[0]
        assert [buckets.take("k", 1.0, 2) for _ in range(3)] == [0.0, 0.0, pytest.approx(1.0)]
        assert buckets.peek("k", 1.0, 2) == pytest.approx(1.0)
        now[0] += 0.25
        assert buckets.peek("k", 1.0, 2) == pytest.approx(0.75)
        now[0] += 0.75
        assert buckets.take("k", 1.0, 2) == 0.0
        assert buckets.peek("never-used", 1.0, 2) == 0.0
        with pytest.raises(ValueError, match="rate > 0"):
            buckets.take("k", 0.0, 2)


# --- strict JSON ------------------------------------------------------------------------------


@pytest.mark.parametrize("value", ["10", True, 10.0])
def test_k_is_not_coerced(client: TestClient, world: World, value: Any) -> None:
    """Finding: ``k: "10"`` and ``k: true`` were accepted."""
    response = client.post(
        "/v1/recommendations",
        json={"seeker_id": "S0000001", "k": value},
        headers=world.headers("score"),
    )
    assert response.status_code == 422, response.text
    assert [e["field"] for e in response.json()["errors"]] == ["k"]


@pytest.mark.parametrize(
    ("field", "value"),
    [("birth_year", "1985"), ("experience_years", "10"), ("expected_salary", True)],
)
def test_seeker_numbers_are_not_coerced(
    client: TestClient, world: World, field: str, value: Any
) -> None:
    body = {"seeker": seeker_body(**{field: value}), "vacancies": [{"id": "V0000001"}]}
    response = client.post("/v1/score", json=body, headers=world.headers("score"))
    assert response.status_code == 422, response.text
    assert f"seeker.{field}" in [e["field"] for e in response.json()["errors"]]


def test_booleans_are_not_coerced(client: TestClient, world: World) -> None:
    body = {"seeker_id": "S0000001", "contributions": 1}
    response = client.post("/v1/recommendations", json=body, headers=world.headers("score"))
    assert response.status_code == 422
    assert [e["field"] for e in response.json()["errors"]] == ["contributions"]


def test_a_float_field_takes_an_integer(client: TestClient, world: World) -> None:
    body = {"seeker": seeker_body(experience_years=10), "vacancies": [{"id": "V0000001"}]}
    response = client.post("/v1/score", json=body, headers=world.headers("score"))
    assert response.status_code == 200, response.text


@pytest.mark.parametrize(
    ("raw", "key"),
    [
        (b'{"seeker_id": "S0000001", "k": 3, "k": 50}', "k"),
        (
            b'{"seeker": {"region": "510903", "region": "510904"}, "seeker_id": "S0000001"}',
            "region",
        ),
        (b'{"seeker_id": "S0000001", "\\u5f20\\u4e09": 1, "\\u5f20\\u4e09": 2}', "<key>"),
    ],
)
def test_duplicate_keys_are_refused_naming_the_key(
    client: TestClient, world: World, raw: bytes, key: str
) -> None:
    """Finding: a repeated key silently took the last value."""
    response = client.post(
        "/v1/recommendations",
        content=raw,
        headers={**world.headers("score"), "Content-Type": "application/json"},
    )
    assert response.status_code == 400
    problem = response.json()
    assert problem["errors"] == [{"field": key, "message": "appears more than once in one object"}]
    assert "张三" not in response.text


def test_hostile_json_is_a_clean_400(client: TestClient, world: World) -> None:
    headers = {**world.headers("score"), "Content-Type": "application/json"}
    deep = b"[" * 10_000 + b"]" * 10_000
    response = client.post("/v1/recommendations", content=deep, headers=headers)
    assert response.status_code == 400
    assert response.json()["errors"] == [{"field": "body", "message": "is nested too deeply"}]
    deeper = b"[" * 100_000 + b"]" * 100_000  # more values than the cap: refused unparsed
    assert client.post("/v1/recommendations", content=deeper, headers=headers).status_code == 413
    huge_number = b'{"seeker_id": "S0000001", "k": ' + b"9" * 5_000 + b"}"
    assert client.post("/v1/recommendations", content=huge_number, headers=headers).status_code in (
        400,
        422,
    )
    for raw in (b'{"k": NaN, "seeker_id": "S0000001"}', b'{"k": 1e999, "seeker_id": "S1"}'):
        assert client.post("/v1/recommendations", content=raw, headers=headers).status_code == 422


def test_a_body_with_too_many_values_is_413(client: TestClient, world: World) -> None:
    """300,000 empty objects in 900 KB: under the size limit, but costly to parse."""
    headers = {**world.headers("write"), "Content-Type": "application/json"}
    for filler in (b"{},", b"[],", b"1,"):
        raw = b'{"items": [' + filler * 300_000 + b"0]}"
        response = client.post("/v1/seekers:bulk", content=raw, headers=headers)
        assert response.status_code == 413, response.text
        assert response.json()["errors"][0]["field"] == "body"


def test_a_large_body_is_checked_too(client: TestClient, world: World) -> None:
    """Bodies over 32 KB are inspected in a worker thread: the same answers."""
    items = [seeker_body(id=f"ATTACK-BIG-{n}") for n in range(100)]
    raw = json.dumps({"items": items}, ensure_ascii=False).encode()
    assert len(raw) > 32_768
    duplicated = raw[:-1] + b', "items": []}'
    headers = {**world.headers("write"), "Content-Type": "application/json"}
    response = client.post("/v1/seekers:bulk", content=duplicated, headers=headers)
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "items"
    response = client.post("/v1/seekers:bulk", content=raw, headers=headers)
    assert response.status_code == 200, response.text
    assert response.json()["accepted"] == 100


# --- unknown campaign ids ---------------------------------------------------------------------


def test_a_vacancy_naming_an_unknown_campaign_is_refused(client: TestClient, world: World) -> None:
    """Finding: a vacancy's ``campaigns`` accepted unknown ids."""
    body = vacancy_body(world, "E000004", campaigns=["golden_autumn", "no_such_campaign"])
    response = client.put("/v1/vacancies/ATTACK-V1", json=body, headers=world.headers("write"))
    assert response.status_code == 422, response.text
    assert [e["field"] for e in response.json()["errors"]] == ["campaigns"]
    assert "item 2" in response.json()["errors"][0]["message"]
    read = client.get("/v1/vacancies/ATTACK-V1", headers=world.headers("read"))
    assert read.status_code == 404
    good = vacancy_body(world, "E000004", campaigns=["golden_autumn"])
    response = client.put("/v1/vacancies/ATTACK-V1", json=good, headers=world.headers("write"))
    assert response.status_code == 200, response.text


def test_bulk_rejects_only_the_vacancy_with_an_unknown_campaign(
    client: TestClient, world: World
) -> None:
    items = [
        vacancy_body(world, "E000004", id="ATTACK-V2", campaigns=["golden_autumn"]),
        vacancy_body(world, "E000004", id="ATTACK-V3", campaigns=["made_up"]),
    ]
    response = client.post(
        "/v1/vacancies:bulk", json={"items": items}, headers=world.headers("write")
    )
    assert response.status_code == 200, response.text
    result = response.json()
    assert (result["accepted"], result["rejected"]) == (1, 1)
    assert result["items"][1]["errors"][0]["field"] == "campaigns"


def test_a_locked_limits_file_falls_back_to_a_bucket_in_memory(tmp_path: Path) -> None:
    """Another process holding the file's write lock must not fail the request, nor lift the
    limit: the take waits ``busy_timeout`` and then spends from this process's own bucket."""
    with SharedBuckets.open(tmp_path, busy_timeout=0.05) as buckets:
        assert buckets.take("k", 1e-6, 2) == 0.0
        locker = sqlite3.connect(tmp_path / "ratelimits.sqlite3", isolation_level=None)
        try:
            locker.execute("BEGIN EXCLUSIVE")
            assert [buckets.take("k", 1e-6, 2) > 0 for _ in range(3)] == [False, False, True]
            assert buckets.fallbacks == 3
        finally:
            locker.close()


def test_served_workers_hand_the_gil_over_every_millisecond(
    monkeypatch: pytest.MonkeyPatch, world: World
) -> None:
    before = sys.getswitchinterval()
    monkeypatch.setenv("JOBMATCH_HOME", str(world.home))
    monkeypatch.setenv("JOBMATCH_SWITCH_INTERVAL", "0.002")
    try:
        app_from_env()
        assert sys.getswitchinterval() == pytest.approx(0.002)
    finally:
        sys.setswitchinterval(before)
