"""The attack run of issue 10 against a real server: does any request stall ``/healthz``?

Starts ``python -m api`` on 127.0.0.1 (2 workers by default) over a small generated home (made
once per ``--home``), then replays the findings one attack at a time while a probe opens a fresh
connection to ``GET /healthz`` every 20 ms:

- ``whitespace``: 2 KB runs of spaces (after "身份证", after a street address) in the free text
  of every text route — analyze, score, recommendations, candidates, PUT seeker and vacancy,
  bulk;
- ``long text``: 200,000-character texts to the same routes;
- ``slow headers``: 300 connections that send half a request line and stop;
- ``slow body``: 300 connections that send headers and 1 byte of a 100 KB body;
- ``bad keys``: 1,000 requests with invalid keys, from one address;
- ``over limit``: bodies declared or sent over the size limit, chunked ones too;
- ``duplicate keys`` and ``hostile JSON`` (nesting 100,000 deep, 5,000-digit numbers, NaN,
  invalid UTF-8, a million-element array);
- ``shared limit``: a second server (2 workers, 60 requests/minute, burst 20) and 100 requests
  of one key over fresh connections — per-process buckets would admit up to 40.

For each attack: requests and their statuses, the slowest request, the number of 5xx, and the
probe's p99 and maximum ``/healthz`` latency beside the quiet baseline; for slow clients, how
long the server took to close them. Last, the in-process cost of one rate-limit check (the
shared SQLite bucket beside the in-memory one it replaced).

Targets (issue 10): no attack makes ``/healthz`` slower than 100 ms; no request over 5 s; 0 × 5xx.
Everything is bounded in count and time, and stays on loopback.

    python benchmarks/bench_attack.py [--home DIR] [--workers 2]
"""

from __future__ import annotations

import argparse
import datetime as dt
import http.client
import json
import socket
import sys
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from api.security import RateLimiter
from matcher.domain.records import Employer
from matcher.learning.training import save_run, train_run
from matcher.ranking.serving import registry_for
from matcher.storage.apikeys import ApiKeys
from matcher.storage.ratelimits import SharedBuckets
from matcher.storage.store import Store
from matcher.synth import generate

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # run as a script: tests.conftest
from tests.conftest import today_of

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_api import Server

SMALL_MODEL: dict[str, Any] = {"num_iterations": 40, "num_threads": 1}
REQUEST_TIMEOUT = 60.0
"""Seconds a benchmark client waits for one answer (a stalled server shows as this)."""


def setup(home: Path) -> dt.date:
    """A small store with an active model (made once per home); the day to serve on."""
    registry = registry_for(home)
    marker = home / "bench-attack-day.txt"
    if registry.active_version() is not None and marker.exists():
        return dt.date.fromisoformat(marker.read_text().strip())
    with Store.open(home) as store:
        generate(store, seekers=600, vacancies=300, seed=11)
        run = train_run(store, baselines=(), params=SMALL_MODEL)
        registry.promote(save_run(registry, run).version)
    day = today_of(run.test_from)
    marker.write_text(day.isoformat())
    return day


def request(
    port: int,
    method: str,
    path: str,
    body: bytes | None = None,
    headers: dict[str, str] | None = None,
    timeout: float = REQUEST_TIMEOUT,
) -> tuple[int, float]:
    """One request on a fresh connection: status and seconds."""
    started = time.perf_counter()
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        connection.request(method, path, body=body, headers=headers or {})
        response = connection.getresponse()
        response.read()
        return response.status, time.perf_counter() - started
    finally:
        connection.close()


# --- the probe ---------------------------------------------------------------------------------


class Probe:
    """``GET /healthz`` on a fresh connection every ``interval`` seconds, in a thread."""

    def __init__(self, port: int, interval: float = 0.02) -> None:
        self.port = port
        self.interval = interval
        self.samples: list[tuple[float, float]] = []  # (time sent, seconds; inf when failed)
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self) -> Probe:
        self._thread.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self._stop.set()
        self._thread.join()

    def _run(self) -> None:
        while not self._stop.is_set():
            sent = time.perf_counter()
            try:
                status, seconds = request(self.port, "GET", "/healthz", timeout=30)
                if status != 200:
                    seconds = float("inf")
            except OSError:
                seconds = float("inf")
            self.samples.append((sent, seconds))
            self._stop.wait(max(0.0, self.interval - (time.perf_counter() - sent)))

    def between(self, start: float, end: float) -> list[float]:
        return [seconds for sent, seconds in self.samples if start <= sent <= end]


# --- attacks -----------------------------------------------------------------------------------


@dataclass
class Outcome:
    """What one attack did."""

    name: str
    statuses: Counter[int] = field(default_factory=Counter)
    times: list[float] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    start: float = 0.0
    end: float = 0.0

    def add(self, status: int, seconds: float) -> None:
        self.statuses[status] += 1
        self.times.append(seconds)


def run_all(
    jobs: list[Callable[[], tuple[int, float]]], outcome: Outcome, threads: int = 4
) -> None:
    """Run ``jobs`` over ``threads`` clients; a job that fails to get an answer counts as
    status 0 with the time it took."""
    lock = threading.Lock()
    queue = iter(jobs)

    def client() -> None:
        while True:
            with lock:
                job = next(queue, None)
            if job is None:
                return
            started = time.perf_counter()
            try:
                status, seconds = job()
            except OSError:
                status, seconds = 0, time.perf_counter() - started
            with lock:
                outcome.add(status, seconds)

    workers = [threading.Thread(target=client) for _ in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()


@contextmanager
def timed(outcome: Outcome) -> Iterator[Outcome]:
    outcome.start = time.perf_counter()
    try:
        yield outcome
    finally:
        outcome.end = time.perf_counter()


def json_post(
    port: int, path: str, payload: Any, key: str, method: str = "POST"
) -> Callable[[], tuple[int, float]]:
    body = json.dumps(payload, ensure_ascii=False).encode()
    headers = {"Content-Type": "application/json", "X-API-Key": key}
    return lambda: request(port, method, path, body, headers)


def raw_post(port: int, path: str, body: bytes, key: str) -> Callable[[], tuple[int, float]]:
    headers = {"Content-Type": "application/json", "X-API-Key": key}
    return lambda: request(port, "POST", path, body, headers)


def seeker(text: str) -> dict[str, Any]:
    return {
        "region": "510903",
        "birth_year": 1988,
        "education": "中专",
        "skills": ["设备维修"],
        "resume_text": text,
        "desired_regions": ["510903"],
    }


def vacancy(day: dt.date, employer_id: str, text: str) -> dict[str, Any]:
    return {
        "employer_id": employer_id,
        "title": "设备电工",
        "description": text,
        "region": "510903",
        "valid_from": (day - dt.timedelta(days=5)).isoformat(),
        "valid_until": (day + dt.timedelta(days=60)).isoformat(),
    }


def text_jobs(
    port: int, keys: dict[str, str], day: dt.date, employer_id: str, texts: list[str], tag: str
) -> list[Callable[[], tuple[int, float]]]:
    """One request per text route and text."""
    jobs = []
    for number, text in enumerate(texts):
        ident = f"ATK-{tag}-{number}"
        jobs += [
            json_post(port, "/v1/vacancies:analyze", {"text": text}, keys["score"]),
            json_post(
                port,
                "/v1/score",
                {
                    "seeker": seeker(text),
                    "vacancies": [{**vacancy(day, employer_id, "电工"), "id": f"{ident}-v"}],
                },
                keys["score"],
            ),
            json_post(port, "/v1/recommendations", {"seeker": seeker(text), "k": 5}, keys["score"]),
            json_post(
                port,
                "/v1/candidates",
                {"vacancy": vacancy(day, employer_id, text), "k": 5},
                keys["score"],
            ),
            json_post(port, f"/v1/seekers/{ident}", seeker(text), keys["write"], method="PUT"),
            json_post(
                port,
                f"/v1/vacancies/{ident}",
                vacancy(day, employer_id, text),
                keys["write"],
                method="PUT",
            ),
            json_post(
                port,
                "/v1/seekers:bulk",
                {"items": [{**seeker(text), "id": ident + "b"}]},
                keys["write"],
            ),
        ]
    return jobs


def slow_clients(port: int, count: int, first: bytes, limit: float, outcome: Outcome) -> None:
    """``count`` connections that send ``first`` and nothing more; how long until the server
    closes each (at most ``limit`` seconds of waiting), and what it answered."""
    sockets: list[tuple[socket.socket, float]] = []
    for _ in range(count):
        try:
            sock = socket.create_connection(("127.0.0.1", port), timeout=5)
            sock.sendall(first)
            sock.setblocking(False)
            sockets.append((sock, time.perf_counter()))
        except OSError:
            outcome.add(0, 0.0)
    pending = {sock: (opened, b"") for sock, opened in sockets}
    deadline = time.perf_counter() + limit
    while pending and time.perf_counter() < deadline:
        for sock in list(pending):
            opened, received = pending[sock]
            try:
                chunk = sock.recv(65536)
            except BlockingIOError:
                continue
            except OSError:
                chunk = b""
            if chunk:
                pending[sock] = (opened, received + chunk)
                continue
            status = int(received.split(b" ", 2)[1]) if received.startswith(b"HTTP/") else 0
            outcome.add(status, time.perf_counter() - opened)
            sock.close()
            del pending[sock]
        time.sleep(0.01)
    if pending:
        outcome.notes.append(f"{len(pending)} still open after {limit:.0f} s")
    for sock in pending:
        sock.close()
    closed = outcome.times
    if closed:
        outcome.notes.append(f"closed by the server after {min(closed):.1f}–{max(closed):.1f} s")


def chunked_over_limit(port: int, key: str, size: int) -> tuple[int, float]:
    """A chunked body that grows past the limit (no Content-Length to refuse it by)."""
    started = time.perf_counter()
    with socket.create_connection(("127.0.0.1", port), timeout=REQUEST_TIMEOUT) as sock:
        head = (
            "POST /v1/seekers:bulk HTTP/1.1\r\nHost: bench\r\nContent-Type: application/json\r\n"
            f"X-API-Key: {key}\r\nTransfer-Encoding: chunked\r\n\r\n"
        ).encode()
        sock.sendall(head)
        chunk = b"[" + b" " * 65_534 + b"\n"
        answer = b""
        try:
            for _ in range(size // len(chunk) + 2):
                sock.sendall(f"{len(chunk):x}\r\n".encode() + chunk + b"\r\n")
        except OSError:
            pass
        sock.settimeout(REQUEST_TIMEOUT)
        with suppress(OSError):
            answer = sock.recv(65536)
    status = int(answer.split(b" ", 2)[1]) if answer.startswith(b"HTTP/") else 0
    return status, time.perf_counter() - started


def declared_over_limit(port: int, key: str, size: int) -> tuple[int, float]:
    """Headers declaring ``size`` bytes; only the headers are sent."""
    started = time.perf_counter()
    with socket.create_connection(("127.0.0.1", port), timeout=REQUEST_TIMEOUT) as sock:
        sock.sendall(
            (
                "POST /v1/score HTTP/1.1\r\nHost: bench\r\nContent-Type: application/json\r\n"
                f"X-API-Key: {key}\r\nContent-Length: {size}\r\n\r\n"
            ).encode()
        )
        answer = sock.recv(65536)
    status = int(answer.split(b" ", 2)[1]) if answer.startswith(b"HTTP/") else 0
    return status, time.perf_counter() - started


# --- report ------------------------------------------------------------------------------------


def ms(values: list[float], q: float) -> str:
    finite = [v for v in values if v != float("inf")]
    failed = len(values) - len(finite)
    if not finite:
        return "—"
    figure = float(np.percentile(np.array(finite) * 1000, q)) if q < 100 else max(finite) * 1000
    return f"{figure:.1f}" + (f" ({failed} failed)" if failed else "")


def report(outcomes: list[Outcome], probe: Probe, baseline: tuple[float, float]) -> None:
    print(
        f"{'attack':<16}{'requests':>9}  {'statuses':<34}{'max req s':>10}{'5xx':>5}"
        f"{'healthz p99 ms':>16}{'max ms':>10}"
    )
    quiet = probe.between(*baseline)
    print(f"{'(quiet)':<16}{'':>9}  {'':<34}{'':>10}{'':>5}{ms(quiet, 99):>16}{ms(quiet, 100):>10}")
    for outcome in outcomes:
        healthz = probe.between(outcome.start, outcome.end)
        statuses = ", ".join(f"{s}×{n}" for s, n in sorted(outcome.statuses.items()))
        errors = sum(n for s, n in outcome.statuses.items() if s >= 500)
        slowest = max(outcome.times, default=0.0)
        print(
            f"{outcome.name:<16}{sum(outcome.statuses.values()):>9}  {statuses:<34}"
            f"{slowest:>10.2f}{errors:>5}{ms(healthz, 99):>16}{ms(healthz, 100):>10}"
        )
        for note in outcome.notes:
            print(f"{'':<18}{note}")


def limiter_cost(home: Path) -> None:
    """Microseconds of one rate-limit check in this process."""
    memory = RateLimiter(per_minute=10**9, burst=10**9)
    rounds = 20_000
    started = time.perf_counter()
    for _ in range(rounds):
        memory.take("bench")
    in_memory = (time.perf_counter() - started) / rounds * 1e6
    with SharedBuckets.open(home) as buckets:
        started = time.perf_counter()
        for _ in range(rounds):
            buckets.take("bench:key", 1e9, 1e9)
        take = (time.perf_counter() - started) / rounds * 1e6
        started = time.perf_counter()
        for _ in range(rounds):
            buckets.peek("bench:addr", 1.0, 30)
        peek = (time.perf_counter() - started) / rounds * 1e6
    print(
        f"rate-limit check per request: shared SQLite bucket take {take:.1f} µs + address peek "
        f"{peek:.1f} µs (in-memory per-process bucket before: {in_memory:.1f} µs)"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--home", type=Path, help="reuse (or fill) this data directory")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--slow-clients", type=int, default=300)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        home = args.home or Path(scratch)
        day = setup(home)
        with Store.open(home) as store:
            api_keys = ApiKeys(store)
            keys = {
                scope: api_keys.create(f"bench-attack-{scope}", [scope])[1]
                for scope in ("score", "write", "read")
            }
            employer_id = store.list(Employer, limit=1)[0].id
        server = Server(
            home,
            day,
            args.workers,
            rate_limit_per_minute="1000000",
            rate_limit_burst="100000",
            log_level="error",
        )
        outcomes: list[Outcome] = []
        try:
            server.wait_ready()
            port = server.port
            with Probe(port) as probe:
                time.sleep(0.5)
                quiet_start = time.perf_counter()
                time.sleep(3.0)
                baseline = (quiet_start, time.perf_counter())

                spaces = [
                    "身份证" + " " * 2000 + "x",
                    "住址：明月路1号" + " " * 1600 + "x",
                    "电话" + " " * 2000 + "1",
                    "\t\n " * 700 + "x",
                ]
                with timed(Outcome("whitespace")) as outcome:
                    run_all(text_jobs(port, keys, day, employer_id, spaces, "ws"), outcome)
                outcomes.append(outcome)

                long_texts = ["电工" * 100_000, "1" * 200_000, ("身份证 " * 40_000)[:200_000]]
                with timed(Outcome("long text")) as outcome:
                    run_all(text_jobs(port, keys, day, employer_id, long_texts, "long"), outcome)
                outcomes.append(outcome)

                with timed(Outcome("slow headers")) as outcome:
                    slow_clients(
                        port,
                        args.slow_clients,
                        b"POST /v1/score HTTP/1.1\r\nHost: a",
                        60.0,
                        outcome,
                    )
                outcomes.append(outcome)

                head = (
                    "POST /v1/score HTTP/1.1\r\nHost: bench\r\nContent-Type: application/json\r\n"
                    f"X-API-Key: {keys['score']}\r\nContent-Length: 100000\r\n\r\n{{"
                ).encode()
                with timed(Outcome("slow body")) as outcome:
                    slow_clients(port, args.slow_clients, head, 60.0, outcome)
                outcomes.append(outcome)

                over = [lambda: declared_over_limit(port, keys["write"], 50_000_000)] * 10
                over += [lambda: chunked_over_limit(port, keys["write"], 2_000_000)] * 5
                big = b'{"items": [' + b" " * 1_500_000 + b"]}"
                over += [raw_post(port, "/v1/seekers:bulk", big, keys["write"])] * 5
                with timed(Outcome("over limit")) as outcome:
                    run_all(over, outcome)
                outcomes.append(outcome)

                duplicate = b'{"seeker_id": "S0000001", "k": 3, "k": 500}'
                nested = b'{"seeker": {"region": "510903", "region": "x"}, "seeker_id": "S1"}'
                jobs = [raw_post(port, "/v1/recommendations", duplicate, keys["score"])] * 100
                jobs += [raw_post(port, "/v1/recommendations", nested, keys["score"])] * 100
                with timed(Outcome("duplicate keys")) as outcome:
                    run_all(jobs, outcome)
                outcomes.append(outcome)

                hostile = [
                    b"[" * 100_000 + b"]" * 100_000,
                    b'{"seeker": ' * 50_000 + b"1" + b"}" * 50_000,
                    b'{"seeker_id": "S0000001", "k": ' + b"9" * 5_000 + b"}",
                    b'{"seeker_id": "S0000001", "k": NaN}',
                    b'{"seeker_id": "S0000001", "k": 1e999}',
                    b'{"seeker_id": "\xff\xfe", "k": 3}',
                    b'{"items": [' + b"{}," * 300_000 + b"{}]}",
                    b'{"items": [' + b"[]," * 300_000 + b"[]]}",
                    b'{"seeker_id": "S0000001", "k": "10"}',
                    b'{"seeker_id": "S0000001", "k": true}',
                ]
                routes = (("/v1/recommendations", "score"), ("/v1/seekers:bulk", "write"))
                jobs = [
                    raw_post(port, path, body, keys[scope])
                    for body in hostile
                    for path, scope in routes
                ] * 5
                with timed(Outcome("hostile JSON")) as outcome:
                    run_all(jobs, outcome)
                outcomes.append(outcome)

                bad = {"X-API-Key": "jm_00000000_" + "A" * 43}
                jobs = [lambda: request(port, "GET", "/v1/models", headers=bad)] * 1000
                with timed(Outcome("bad keys")) as outcome:
                    run_all(jobs, outcome)
                outcomes.append(outcome)
            report(outcomes, probe, baseline)
        finally:
            server.stop()

        print("shared limit: 2 workers, 60 requests/minute, burst 20; 100 requests of one key:")
        limited = Server(
            home, day, 2, rate_limit_per_minute="60", rate_limit_burst="20", log_level="error"
        )
        try:
            limited.wait_ready()
            with Store.open(home) as store:
                _, fresh = ApiKeys(store).create("bench-attack-limit", ["read"])
            started = time.perf_counter()
            statuses = Counter(
                request(limited.port, "GET", "/v1/campaigns", headers={"X-API-Key": fresh})[0]
                for _ in range(100)
            )
            elapsed = time.perf_counter() - started
            print(
                f"  admitted {statuses[200]} of 100 in {elapsed:.1f} s (429: {statuses[429]}); the "
                f"shared bucket allows {20 + elapsed:.0f}, per-process buckets would allow up to "
                f"{2 * (20 + elapsed):.0f}"
            )
        finally:
            limited.stop()
        limiter_cost(Path(scratch))
        print("targets: /healthz ≤ 100 ms during every attack; no request over 5 s; 0 × 5xx")


if __name__ == "__main__":
    main()
