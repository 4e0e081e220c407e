"""`jobmatch serve` starts a real HTTP server on loopback that answers with a created key."""

from __future__ import annotations

import http.client
import json
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest


def _jobmatch(*args: str) -> list[str]:
    script = Path(sys.executable).parent / "jobmatch"
    base = [str(script)] if script.exists() else [sys.executable, "-m", "api.cli"]
    return [*base, *args]


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.mark.slow
def test_serve_answers_over_http(tmp_path: Path) -> None:
    home = str(tmp_path / "home")

    def run(*args: str) -> str:
        done = subprocess.run(_jobmatch("--home", home, *args), check=True, capture_output=True)
        return done.stdout.decode()

    run("generate", "--seekers", "300", "--vacancies", "120", "--no-progress")
    run("train", "--force")  # a tiny set: promoted whether or not it beats the baselines
    created = run("apikey", "create", "--name", "test-desk", "--scopes", "score")
    key = created.strip().splitlines()[-1]
    assert key.startswith("jm_")
    port = _free_port()
    log = (tmp_path / "server.log").open("wb")
    server = subprocess.Popen(
        _jobmatch("--home", home, "serve", "--port", str(port), "--today", "2022-10-08"),
        stdout=subprocess.DEVNULL,
        stderr=log,
        start_new_session=True,
        env={**os.environ, "OMP_NUM_THREADS": "1"},
    )
    try:
        deadline = time.monotonic() + 90
        status = 0
        while time.monotonic() < deadline and status != 200:
            assert server.poll() is None, (tmp_path / "server.log").read_text()
            probe = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            try:
                probe.request("GET", "/readyz")
                reply = probe.getresponse()
                reply.read()
                status = reply.status
            except OSError:
                time.sleep(0.2)
            finally:
                probe.close()
        assert status == 200
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        body = json.dumps({"seeker_id": "S0000001", "k": 3})
        headers = {"Content-Type": "application/json", "X-API-Key": key}
        connection.request("POST", "/v1/recommendations", body=body, headers=headers)
        response = connection.getresponse()
        answer = json.loads(response.read())
        assert response.status == 200, answer
        assert 1 <= len(answer["results"]) <= 3
        connection.request("POST", "/v1/recommendations", body=body, headers={})
        response = connection.getresponse()
        assert response.status == 401
        assert response.getheader("Content-Type") == "application/problem+json"
        response.read()
        connection.close()
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)
        log.close()
