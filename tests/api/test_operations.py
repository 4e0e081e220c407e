"""Probes, metrics, the access log and the OpenAPI contract."""

from __future__ import annotations

import logging
import re

import pytest
from pydantic import BaseModel

from api import ApiSettings, create_app
from api.schemas import EmployerIn, EmployerOut, SeekerIn, SeekerOut, VacancyIn, VacancyOut
from matcher.domain.records import Employer, Seeker, Vacancy
from tests.api.support import TestClient, World, serve


def test_healthz_and_readyz(client: TestClient, world: World) -> None:
    assert client.get("/healthz").json() == {"status": "ok"}
    ready = client.get("/readyz")
    assert ready.status_code == 200
    body = ready.json()
    assert body["status"] == "ready" and body["model_version"] == world.version
    assert body["index_vacancies"] > 50
    assert body["model_build_failure"] is None


def test_metrics_count_by_route_template(world: World) -> None:
    with serve(world) as client:
        for record_id in ("S0000001", "S0000002", "NOPE1"):
            client.get(f"/v1/seekers/{record_id}", headers=world.headers("read"))
        client.post(
            "/v1/recommendations", json={"seeker_id": "S0000003"}, headers=world.headers("score")
        )
        client.get("/v1/nowhere")
        client.post(
            "/v1/score", content=b"x" * 2_000_000, headers={"content-type": "application/json"}
        )
        client.post(
            "/desk/fairs/F01/runs",
            content=b"x" * 2_000_000,
            headers={"content-type": "application/x-www-form-urlencoded"},
        )
        response = client.get("/metrics")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/plain")
    text = response.text
    line = 'jobmatch_requests_total{method="GET",route="/v1/seekers/{record_id}",status="200"} 2.0'
    assert line in text
    assert 'route="/v1/seekers/{record_id}",status="404"} 1.0' in text
    assert 'route="/v1/recommendations",status="200"} 1.0' in text
    assert 'route="unmatched",status="404"} 1.0' in text
    assert 'method="POST",route="/v1/score",status="413"} 1.0' in text  # before routing
    assert 'method="POST",route="/desk/fairs/{fair_id}/runs",status="413"} 1.0' in text
    assert "S0000001" not in text and "NOPE1" not in text
    assert 'jobmatch_request_duration_seconds_count{route="/v1/seekers/{record_id}"} 3.0' in text
    assert f'jobmatch_model_info{{version="{world.version}"}} 1.0' in text
    index = re.search(r"^jobmatch_index_vacancies (\d+)", text, re.MULTILINE)
    assert index is not None and int(index.group(1)) > 50
    assert re.search(r"^jobmatch_model_build_failures 0\.0$", text, re.MULTILINE)


def test_apps_have_their_own_metrics(world: World) -> None:
    first, second = (
        create_app(ApiSettings(home=world.home)),
        create_app(ApiSettings(home=world.home)),
    )
    assert first.state.metrics.registry is not second.state.metrics.registry


def test_one_access_log_line_per_request(
    client: TestClient, world: World, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="jobmatch.api")
    client.get("/v1/seekers/S0000009", headers=world.headers("read"))
    client.get("/v1/models", headers={"X-API-Key": "wrong"})
    lines = [r for r in caplog.records if r.name == "jobmatch.api"]
    assert len(lines) == 2
    first, second = lines
    assert re.fullmatch(
        rf"GET /v1/seekers/\{{record_id\}} 200 \d+\.\dms key={world.key_ids['read']}",
        first.getMessage(),
    )
    assert first.__dict__["route"] == "/v1/seekers/{record_id}"
    assert first.__dict__["status"] == 200
    assert second.getMessage().startswith("GET /v1/models 401 ")
    assert second.getMessage().endswith("key=-")
    assert "S0000009" not in caplog.text and "wrong" not in caplog.text


def test_the_openapi_document_is_the_contract(client: TestClient) -> None:
    document = client.get("/openapi.json").json()
    assert document["info"]["title"] == "jobmatch"
    assert re.fullmatch(r"\d+\.\d+\.\d+.*", document["info"]["version"])
    schemas = document["components"]["schemas"]
    assert schemas["ScoreRequest"]["properties"]["vacancies"]["maxItems"] == 1000
    assert schemas["SeekerBulkRequest"]["properties"]["items"]["maxItems"] == 1000
    assert schemas["RecommendationRequest"]["properties"]["k"]["maximum"] == 200
    assert schemas["AnalyzeRequest"]["properties"]["text"]["maxLength"] == 20_000
    assert schemas["SeekerIn"]["additionalProperties"] is False
    assert "HTTPValidationError" not in schemas
    # bulk items are documented as the record they carry
    items = schemas["VacancyBulkRequest"]["properties"]["items"]["items"]
    assert items.get("$ref") == "#/components/schemas/VacancyIn" or items["title"] == "VacancyIn"
    for path, operations in document["paths"].items():
        for method, operation in operations.items():
            for status, response in operation["responses"].items():
                if int(status) >= 400:
                    assert list(response["content"]) == ["application/problem+json"], (
                        path,
                        method,
                        status,
                    )
    expected_paths = {
        "/v1/score",
        "/v1/recommendations",
        "/v1/candidates",
        "/v1/vacancies:analyze",
        "/v1/seekers/{record_id}",
        "/v1/employers/{record_id}",
        "/v1/vacancies/{record_id}",
        "/v1/seekers:bulk",
        "/v1/employers:bulk",
        "/v1/vacancies:bulk",
        "/v1/interactions",
        "/v1/campaigns",
        "/v1/models",
        "/v1/models/{version}:promote",
        "/healthz",
        "/readyz",
        "/metrics",
    }
    assert set(document["paths"]) == expected_paths
    assert client.get("/docs").status_code == 200


def test_published_limits_follow_the_settings(world: World) -> None:
    app = create_app(ApiSettings(home=world.home, max_items=7, max_k=9, max_text_chars=11))
    schemas = app.openapi()["components"]["schemas"]
    assert schemas["ScoreRequest"]["properties"]["vacancies"]["maxItems"] == 7
    assert schemas["InteractionBulkRequest"]["properties"]["items"]["maxItems"] == 7
    assert schemas["CandidateRequest"]["properties"]["k"]["maximum"] == 9
    assert schemas["AnalyzeRequest"]["properties"]["text"]["maxLength"] == 11


@pytest.mark.parametrize(
    ("api_in", "api_out", "domain"),
    [
        (SeekerIn, SeekerOut, Seeker),
        (EmployerIn, EmployerOut, Employer),
        (VacancyIn, VacancyOut, Vacancy),
    ],
)
def test_the_contract_covers_every_domain_field(
    api_in: type[BaseModel], api_out: type[BaseModel], domain: type[BaseModel]
) -> None:
    """A field added to the domain must be added to the contract on purpose."""
    assert set(api_in.model_fields) - {"contact"} == set(domain.model_fields)
    assert set(api_out.model_fields) == set(domain.model_fields)
