"""Every error is an application/problem+json document naming the field and the problem."""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import Iterator
from pathlib import Path
from typing import Any, cast

import pytest
from starlette.types import Message, Receive, Scope, Send

from api import ApiSettings, create_app
from api.errors import scrub
from api.limits import BodySizeLimit
from matcher.ranking.service import MatchService
from tests.api.support import TestClient, World, seeker_body, serve


def problem(response: Any, status: int) -> dict[str, Any]:
    """The response's problem document, after checking its status and shape."""
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == "application/problem+json"
    body: dict[str, Any] = response.json()
    assert set(body) == {"type", "title", "status", "detail", "errors"}
    assert body["type"] == "about:blank"
    assert body["status"] == status
    assert body["title"]
    return body


def fields(body: dict[str, Any]) -> list[str]:
    return [error["field"] for error in body["errors"]]


@pytest.fixture(scope="module")
def small(world: World) -> Iterator[TestClient]:
    """An app with small limits, to reach them cheaply."""
    with serve(world, max_items=3, max_k=5, max_text_chars=50, max_body_bytes=4096) as client:
        yield client


def test_malformed_json_is_400(client: TestClient, world: World) -> None:
    response = client.post(
        "/v1/recommendations",
        content=b'{"seeker_id": "S0000001", ',
        headers={**world.headers("score"), "content-type": "application/json"},
    )
    body = problem(response, 400)
    assert fields(body) == ["body"]
    assert body["detail"].startswith("malformed JSON body: is not valid JSON at character")


def test_wrong_types_name_the_field(client: TestClient, world: World) -> None:
    response = client.post(
        "/v1/recommendations",
        json={"seeker": seeker_body(birth_year="nineteen", skills="电工"), "k": "many"},
        headers=world.headers("score"),
    )
    body = problem(response, 422)
    assert fields(body) == ["seeker.birth_year", "seeker.skills", "k"]
    assert "seeker.birth_year: Input should be a valid integer" in body["detail"]
    assert "(and" not in body["detail"]


def test_unknown_fields_are_named(client: TestClient, world: World) -> None:
    response = client.post(
        "/v1/score",
        json={
            "seeker": seeker_body(gender="女"),
            "vacancies": [{"id": "V0000001", "salary": 1}],
            "extra": 1,
        },
        headers=world.headers("score"),
    )
    body = problem(response, 422)
    assert set(fields(body)) >= {"seeker.gender", "extra", "vacancies.0.salary"}
    assert {e["message"] for e in body["errors"] if e["field"] == "extra"} == {
        "is not a known field"
    }


def test_domain_validation_names_the_field_under_its_parent(
    client: TestClient, world: World
) -> None:
    response = client.post(
        "/v1/score",
        json={"seeker": seeker_body(region="999999"), "vacancies": [{"id": "V0000001"}]},
        headers=world.headers("score"),
    )
    body = problem(response, 422)
    assert fields(body) == ["seeker.region"]
    assert "is not a GB/T 2260 region code" in body["errors"][0]["message"]


def test_one_of_seeker_or_seeker_id(client: TestClient, world: World) -> None:
    response = client.post("/v1/recommendations", json={"k": 3}, headers=world.headers("score"))
    body = problem(response, 422)
    assert fields(body) == ["seeker"]
    assert body["errors"][0]["message"] == "give exactly one of seeker or seeker_id"


def test_k_over_the_limit_is_422(small: TestClient, world: World) -> None:
    response = small.post(
        "/v1/recommendations",
        json={"seeker_id": "S0000001", "k": 6},
        headers=world.headers("score"),
    )
    body = problem(response, 422)
    assert body["errors"] == [{"field": "k", "message": "must be at most 5"}]
    assert small.post(
        "/v1/recommendations",
        json={"seeker_id": "S0000001", "k": 5},
        headers=world.headers("score"),
    ).is_success
    response = small.post(
        "/v1/candidates", json={"vacancy_id": "V0000001", "k": 0}, headers=world.headers("score")
    )
    assert fields(problem(response, 422)) == ["k"]


def test_too_many_vacancies_is_422(small: TestClient, world: World) -> None:
    vacancies = [{"id": f"V000000{i}"} for i in range(1, 5)]
    response = small.post(
        "/v1/score",
        json={"seeker": seeker_body(), "vacancies": vacancies},
        headers=world.headers("score"),
    )
    body = problem(response, 422)
    assert body["errors"] == [
        {"field": "vacancies", "message": "has 4 vacancies; at most 3 are allowed"}
    ]


def test_too_many_bulk_items_is_422(small: TestClient, world: World) -> None:
    response = small.post(
        "/v1/seekers:bulk", json={"items": [{}] * 4}, headers=world.headers("write")
    )
    assert fields(problem(response, 422)) == ["items"]


def test_text_too_long_is_422(small: TestClient, client: TestClient, world: World) -> None:
    response = small.post(
        "/v1/vacancies:analyze", json={"text": "招" * 51}, headers=world.headers("score")
    )
    body = problem(response, 422)
    assert body["errors"] == [
        {"field": "text", "message": "has 51 characters; at most 50 are allowed"}
    ]
    # a résumé over the domain's bound is rejected by the request model itself
    response = client.post(
        "/v1/score",
        json={"seeker": seeker_body(resume_text="字" * 8001), "vacancies": [{"id": "V0000001"}]},
        headers=world.headers("score"),
    )
    assert (
        "seeker.resume_text: String should have at most 8000 characters"
        in problem(response, 422)["detail"]
    )


@pytest.mark.parametrize(
    ("path", "payload", "field", "detail"),
    [
        (
            "/v1/recommendations",
            {"seeker_id": "S9999999"},
            "seeker_id",
            "seeker 'S9999999' not found",
        ),
        (
            "/v1/candidates",
            {"vacancy_id": "V9999999"},
            "vacancy_id",
            "vacancy 'V9999999' not found",
        ),
        (
            "/v1/recommendations",
            {"seeker_id": "S0000001", "campaign": "no_such_campaign"},
            "campaign",
            "campaign 'no_such_campaign' not found",
        ),
        (
            "/v1/score",
            {"seeker": seeker_body(), "vacancies": [{"id": "V0000001"}, {"id": "V9999999"}]},
            "vacancies.1.id",
            "vacancy 'V9999999' not found",
        ),
    ],
)
def test_unknown_ids_are_404_naming_them(
    client: TestClient, world: World, path: str, payload: dict[str, Any], field: str, detail: str
) -> None:
    body = problem(client.post(path, json=payload, headers=world.headers("score")), 404)
    assert body["detail"] == detail
    assert fields(body) == [field]


def test_an_inline_vacancy_of_an_unknown_employer_is_404(client: TestClient, world: World) -> None:
    from tests.api.support import vacancy_body

    vacancy = vacancy_body(world, "E999999", id="INLINE-1")
    response = client.post(
        "/v1/score",
        json={"seeker": seeker_body(), "vacancies": [{"id": "V0000001"}, vacancy]},
        headers=world.headers("score"),
    )
    body = problem(response, 404)
    assert body["detail"] == "employer 'E999999' not found"
    assert fields(body) == ["vacancies.1.employer_id"]


def test_unknown_records_are_404(client: TestClient, world: World) -> None:
    for kind, noun in (("seekers", "seeker"), ("employers", "employer"), ("vacancies", "vacancy")):
        body = problem(client.get(f"/v1/{kind}/NOPE1", headers=world.headers("read")), 404)
        assert body["detail"] == f"{noun} 'NOPE1' not found"
        assert fields(body) == ["record_id"]
        response = client.delete(f"/v1/{kind}/NOPE1", headers=world.headers("write"))
        assert fields(problem(response, 404)) == ["record_id"]


def test_a_malformed_record_id_is_422(client: TestClient, world: World) -> None:
    body = problem(client.get("/v1/seekers/-bad", headers=world.headers("read")), 422)
    assert fields(body) == ["record_id"]


def test_unknown_model_version_is_404(client: TestClient, world: World) -> None:
    response = client.post(
        "/v1/models/20990101-000000-abcdef:promote", headers=world.headers("admin")
    )
    body = problem(response, 404)
    assert body["detail"] == (
        "model version '20990101-000000-abcdef' not found; GET /v1/models lists the versions"
    )
    assert fields(body) == ["version"]
    assert str(world.home) not in response.text  # no server paths


def test_oversized_body_by_content_length_is_413(small: TestClient, world: World) -> None:
    response = small.post(
        "/v1/score",
        content=b"x" * 5000,
        headers={**world.headers("score"), "content-type": "application/json"},
    )
    body = problem(response, 413)
    assert body["errors"] == [{"field": "body", "message": "must be at most 4096 bytes"}]


def test_oversized_chunked_body_is_413(small: TestClient, world: World) -> None:
    def chunks() -> Iterator[bytes]:
        for _ in range(100):
            yield b"x" * 1000

    response = small.post(
        "/v1/score",
        content=chunks(),
        headers={**world.headers("score"), "content-type": "application/json"},
    )
    body = problem(response, 413)
    assert "larger than the limit of 4096 bytes" in body["detail"]
    assert "content-length" not in {k.lower() for k in response.request.headers}


def test_the_body_limit_stops_reading_at_the_limit() -> None:
    """Pure ASGI: the app reads chunk by chunk; the read crossing the limit fails, and the
    chunks after it are never pulled from the client."""
    pulled: list[int] = []
    answers: list[Message] = []

    async def reader(scope: Scope, receive: Receive, send: Send) -> None:
        while (await receive()).get("more_body"):
            pass
        raise AssertionError("the whole body was read")  # pragma: no cover

    async def receive() -> Message:
        pulled.append(1)
        return {"type": "http.request", "body": b"x" * 1000, "more_body": len(pulled) < 100}

    async def send(message: Message) -> None:
        answers.append(message)

    scope: Scope = {"type": "http", "method": "POST", "path": "/", "headers": []}
    asyncio.run(BodySizeLimit(reader, max_body_bytes=4096)(scope, receive, send))
    assert len(pulled) == 5
    assert answers[0]["status"] == 413
    assert json.loads(answers[1]["body"])["errors"][0]["field"] == "body"


def test_a_chunked_body_under_the_limit_is_read(small: TestClient, world: World) -> None:
    payload = b'{"text": "\xe6\x8b\x9b\xe8\x81\x98\xe7\x94\xb5\xe5\xb7\xa5"}'

    def chunks() -> Iterator[bytes]:
        yield payload[:10]
        yield payload[10:]

    response = small.post(
        "/v1/vacancies:analyze",
        content=chunks(),
        headers={**world.headers("score"), "content-type": "application/json"},
    )
    assert response.status_code == 200, response.text


def test_unknown_route_and_method(client: TestClient, world: World) -> None:
    body = problem(client.get("/v1/nothing-here", headers=world.headers("read")), 404)
    assert body["detail"] == "no such route; see /docs for the routes"
    response = client.patch("/v1/seekers/S0000001", headers=world.headers("write"))
    problem(response, 405)
    assert response.headers["allow"]


def test_no_active_model_is_503(tmp_path: Path, world: World) -> None:
    app = create_app(ApiSettings(home=tmp_path / "empty", today=world.today))
    with TestClient(app) as client:
        body = problem(client.get("/readyz"), 503)
        assert "no active model" in body["detail"]
        assert client.get("/healthz").status_code == 200


class _BrokenService:
    """Stands in for MatchService: every method fails with personal data in the message."""

    model_version = None
    index_size = 0
    store: Any = None

    def analyze(self, text: str, title: str | None = None) -> Any:
        raise RuntimeError("boom 13912345678")

    def close(self) -> None:  # pragma: no cover - the app does not close a given service
        raise AssertionError("a service passed in is not closed by the app")


def test_an_unexpected_error_is_a_bare_500_logged_by_type(
    world: World, caplog: pytest.LogCaptureFixture
) -> None:
    from matcher.storage.apikeys import ApiKeys
    from matcher.storage.store import Store

    caplog.set_level(logging.DEBUG)
    with Store.open(world.home) as store:
        broken = _BrokenService()
        broken.store = store
        app = create_app(
            ApiSettings(home=world.home, today=world.today), service=cast(MatchService, broken)
        )
        with TestClient(app) as client:
            assert isinstance(app.state.api_keys, ApiKeys)
            response = client.post(
                "/v1/vacancies:analyze",
                json={"text": "招聘电工 13912345678"},
                headers=world.headers("score"),
            )
    body = problem(response, 500)
    assert body["detail"] == "internal error; the failure was logged"
    assert "13912345678" not in response.text
    assert "boom" not in caplog.text and "13912345678" not in caplog.text
    assert "unhandled RuntimeError" in caplog.text


def test_scrub_replaces_echoes_and_redacts() -> None:
    echoes = {"王小明住在这里", "13912345678"}
    assert scrub("'王小明' is not a region", echoes) == "the given value is not a region"
    assert scrub("call 13912345678 now") == "call [手机] now"
    assert scrub("such as '6-31-01-03'", echoes) == "such as '6-31-01-03'"
