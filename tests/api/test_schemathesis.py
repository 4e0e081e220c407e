"""Property-based tests from the OpenAPI document: no input makes the API answer 5xx.

Schemathesis generates requests for every operation — valid ones, and in negative mode ones
that break the schema — and sends them with an admin key to an app over a copy of the world
(it writes at random). Bounded and derandomised, so the run is quick and repeatable.

Hypothesis drives each operation directly (``APIOperation.as_strategy``): schemathesis' own
pytest integration (``schemathesis.pytest.from_fixture``) reads a private attribute that pytest
9 no longer has.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.python import asgi

from api import ApiSettings, create_app
from tests.api.support import World, copy_world

MAX_EXAMPLES = 20
WITHOUT_INPUT = {
    ("GET", "/v1/models"),
    ("GET", "/healthz"),
    ("GET", "/readyz"),
    ("GET", "/metrics"),
}
"""Operations with no parameters and no body: nothing to make negative."""
OPERATIONS = [
    ("POST", "/v1/score"),
    ("POST", "/v1/recommendations"),
    ("POST", "/v1/candidates"),
    ("POST", "/v1/vacancies:analyze"),
    ("PUT", "/v1/seekers/{record_id}"),
    ("GET", "/v1/seekers/{record_id}"),
    ("DELETE", "/v1/seekers/{record_id}"),
    ("POST", "/v1/seekers:bulk"),
    ("PUT", "/v1/employers/{record_id}"),
    ("GET", "/v1/employers/{record_id}"),
    ("DELETE", "/v1/employers/{record_id}"),
    ("POST", "/v1/employers:bulk"),
    ("PUT", "/v1/vacancies/{record_id}"),
    ("GET", "/v1/vacancies/{record_id}"),
    ("DELETE", "/v1/vacancies/{record_id}"),
    ("POST", "/v1/vacancies:bulk"),
    ("POST", "/v1/interactions"),
    ("GET", "/v1/campaigns"),
    ("GET", "/v1/models"),
    ("POST", "/v1/models/{version}:promote"),
    ("GET", "/healthz"),
    ("GET", "/readyz"),
    ("GET", "/metrics"),
]

CASES = [
    pytest.param(method, path, mode, id=f"{method} {path} {mode.value}")
    for method, path in OPERATIONS
    for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE)
    if not (mode is GenerationMode.NEGATIVE and (method, path) in WITHOUT_INPUT)
]


@pytest.fixture(scope="module")
def api_schema(world: World, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    copy = copy_world(world, tmp_path_factory.mktemp("schemathesis"))
    app = create_app(ApiSettings(home=copy.home, today=copy.today))
    loaded = schemathesis.openapi.from_asgi("/openapi.json", app)
    loaded.config.headers = {"X-API-Key": copy.keys["admin"]}
    yield loaded
    asgi.shutdown_lifespans()  # stop the app schemathesis started, closing its service


def test_every_operation_is_exercised(api_schema: Any) -> None:
    found = {
        (result.ok().method.upper(), result.ok().path) for result in api_schema.get_all_operations()
    }
    assert found == set(OPERATIONS)


@pytest.mark.slow
@pytest.mark.parametrize(("method", "path", "mode"), CASES)
def test_no_server_errors(api_schema: Any, method: str, path: str, mode: GenerationMode) -> None:
    operation = api_schema[path][method]
    headers = api_schema.config.headers

    @given(case=operation.as_strategy(generation_mode=mode))
    @settings(
        max_examples=MAX_EXAMPLES,
        deadline=None,
        derandomize=True,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    def check(case: Any) -> None:
        response = case.call_and_validate(headers=headers, checks=[not_a_server_error])
        statuses.add(response.status_code)

    statuses: set[int] = set()
    check()
    assert 401 not in statuses, "the admin key should open every operation"
