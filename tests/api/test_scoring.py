"""Scoring routes agree with the MatchService they call, in ranking order."""

from __future__ import annotations

from typing import Any

import pytest

from api.schemas import seeker_of
from matcher.ranking.engine import Filters
from matcher.ranking.service import MatchService
from tests.api.support import TestClient, World, seeker_body, vacancy_body


def service_of(client: TestClient) -> MatchService:
    service: MatchService = client.app.state.service  # type: ignore[attr-defined]
    return service


def test_recommendations_for_a_stored_seeker(client: TestClient, world: World) -> None:
    response = client.post(
        "/v1/recommendations",
        json={"seeker_id": "S0000001", "k": 5},
        headers=world.headers("score"),
    )
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["model_version"] == world.version
    expected = service_of(client).recommend("S0000001", 5)
    assert [r["vacancy_id"] for r in body["results"]] == [r.vacancy_id for r in expected]
    assert [r["score"] for r in body["results"]] == [r.score for r in expected]
    assert [r["rank"] for r in body["results"]] == list(range(1, len(expected) + 1))
    assert all(r["reason"] and r["contributions"] == [] for r in body["results"])
    scores = [r["score"] for r in body["results"]]
    assert scores == sorted(scores, reverse=True)


def test_recommendations_for_an_inline_seeker(client: TestClient, world: World) -> None:
    payload = seeker_body(desired_regions=["510903", "510971", "510981"])
    response = client.post(
        "/v1/recommendations",
        json={"seeker": payload, "k": 8, "contributions": True},
        headers=world.headers("score"),
    )
    assert response.status_code == 200, response.text
    results = response.json()["results"]
    assert results, "the electrician should have open vacancies on the world's day"
    from api.schemas import SeekerIn

    expected = service_of(client).recommend(seeker_of(SeekerIn.model_validate(payload)), 8)
    assert [r["vacancy_id"] for r in results] == [r.vacancy_id for r in expected]
    for result in results:  # a LambdaMART explains its top three features
        assert len(result["contributions"]) == 3
        assert {"feature", "value"} == set(result["contributions"][0])


def test_filters_and_campaign(client: TestClient, world: World) -> None:
    payload: dict[str, Any] = {
        "seeker_id": "S0000001",
        "k": 20,
        "filters": {"regions": ["射洪市"], "min_salary": 4500},
        "campaign": "golden_autumn",
    }
    response = client.post("/v1/recommendations", json=payload, headers=world.headers("score"))
    assert response.status_code == 200, response.text
    results = response.json()["results"]
    expected = service_of(client).recommend(
        "S0000001",
        20,
        campaign="golden_autumn",
        filters=Filters(regions=("510981",), min_salary=4500),
    )
    assert [r["vacancy_id"] for r in results] == [r.vacancy_id for r in expected]
    assert results
    assert all(r["region"] == "510981" for r in results)
    assert all(r["salary_max"] is None or r["salary_max"] >= 4500 for r in results)


def test_an_unknown_filter_region_is_422(client: TestClient, world: World) -> None:
    response = client.post(
        "/v1/recommendations",
        json={"seeker_id": "S0000001", "filters": {"regions": ["510903", "nowhere"]}},
        headers=world.headers("score"),
    )
    assert response.status_code == 422
    assert [e["field"] for e in response.json()["errors"]] == ["filters.regions.1"]


def test_score_returns_ranking_order_and_agrees_with_the_service(
    client: TestClient, world: World
) -> None:
    stored = [f"V{n:07d}" for n in range(1, 21)]
    inline = vacancy_body(world, "E000004", id="INLINE-V1")
    payload = {
        "seeker": seeker_body(contact={"name": "李四", "phone": "13800138000"}),
        "vacancies": [{"id": v} for v in stored] + [inline],
    }
    response = client.post("/v1/score", json=payload, headers=world.headers("score"))
    assert response.status_code == 200, response.text
    body = response.json()
    results = body["results"]
    assert body["model_version"] == world.version
    assert len(results) == 21
    assert {r["vacancy_id"] for r in results} == {*stored, "INLINE-V1"}
    assert [r["rank"] for r in results] == list(range(1, 22))
    scores = [r["score"] for r in results]
    assert scores == sorted(scores, reverse=True)
    service = service_of(client)
    from api.schemas import SeekerIn, VacancyIn, vacancy_of

    seeker = seeker_of(SeekerIn.model_validate(payload["seeker"]))
    expected = service.score(seeker, [*stored, vacancy_of(VacancyIn.model_validate(inline))])
    assert [(r["vacancy_id"], r["score"], r["reason"]) for r in results] == [
        (vacancy.id, score, reason) for vacancy, score, reason in expected
    ]
    # the suitable inline post ranks high for the electrician
    assert next(r["rank"] for r in results if r["vacancy_id"] == "INLINE-V1") <= 3
    assert "13800138000" not in response.text and "李四" not in response.text


def test_candidates_carry_summaries_only(client: TestClient, world: World) -> None:
    response = client.post(
        "/v1/candidates", json={"vacancy_id": "V0000001", "k": 10}, headers=world.headers("score")
    )
    assert response.status_code == 200, response.text
    results = response.json()["results"]
    assert len(results) == 10
    expected = service_of(client).candidates("V0000001", 10)
    assert [r["reference"] for r in results] == [c.reference for c in expected]
    assert all(r["seeker_id"] is None for r in results)  # a key without read sees references
    assert set(results[0]) == {
        "rank",
        "reference",
        "seeker_id",
        "score",
        "county",
        "age_band",
        "education",
        "experience_years",
        "skills",
        "certificates",
        "desired_titles",
        "reason",
    }
    # no résumé, no priority groups, no birth year, no contact data
    text = response.text
    for word in ("resume_text", "priority_groups", "birth_year", "phone", "id_number", "name"):
        assert f'"{word}"' not in text


def test_candidates_for_an_inline_vacancy(client: TestClient, world: World) -> None:
    vacancy = vacancy_body(world, "E000004")
    response = client.post(
        "/v1/candidates", json={"vacancy": vacancy, "k": 5}, headers=world.headers("score")
    )
    assert response.status_code == 200, response.text
    assert len(response.json()["results"]) == 5


@pytest.mark.parametrize(
    ("text", "title", "occupation"),
    [
        ("招聘电工3名，限男性，持低压电工证，月薪5000-7000元，大专及以上。", "电工", "6-31-01-03"),
        ("诚聘叉车司机，五险一金，月薪6-8千。", None, None),
    ],
)
def test_analyze(
    client: TestClient, world: World, text: str, title: str | None, occupation: str | None
) -> None:
    payload = {"text": text} if title is None else {"text": text, "title": title}
    response = client.post("/v1/vacancies:analyze", json=payload, headers=world.headers("score"))
    assert response.status_code == 200, response.text
    body = response.json()
    assert body == service_of(client).analyze(text, title).to_json()
    if occupation is not None:
        assert body["occupation"]["code"] == occupation
        assert body["salary"]["min"] == 5000
        assert [flag["category"] for flag in body["compliance_flags"]] == ["gender"]


def test_campaigns(client: TestClient, world: World) -> None:
    every = client.get("/v1/campaigns", headers=world.headers("read")).json()["campaigns"]
    assert len(every) == 12
    running = client.get(
        "/v1/campaigns", params={"on": world.today.isoformat()}, headers=world.headers("read")
    ).json()["campaigns"]
    assert {c["id"] for c in running} == {c.id for c in service_of(client).campaigns(world.today)}
    assert running  # the world's day is the first test day, inside the 2022 calendar
    assert all(c["policy"]["group_boost"] >= 0 for c in every)


def test_a_seeker_given_as_text_alone_is_read_and_says_what_was_inferred(
    client: TestClient, world: World
) -> None:
    text = "退伍军人，开过五年货车，有B2驾照，想找司机或者保安的活，住船山区"
    response = client.post(
        "/v1/recommendations",
        json={"seeker": {"resume_text": text}, "k": 5},
        headers=world.headers("score"),
    )
    assert response.status_code == 200, response.text
    body = response.json()
    assert {"region", "experience_years", "certificates", "desired_occupations"} <= set(
        body["inferred"]
    )
    assert body["results"]
    first = body["results"][0]["vacancy_id"]
    given = client.post(  # a field that is given is never inferred
        "/v1/score",
        json={"seeker": {"resume_text": text, "region": "510904"}, "vacancies": [{"id": first}]},
        headers=world.headers("score"),
    )
    assert given.status_code == 200, given.text
    assert "region" not in given.json()["inferred"] and given.json()["inferred"]


def test_ranked_answers_are_their_response_models_as_json(client: TestClient, world: World) -> None:
    """Recommendations, scores and candidates are written straight from their response models
    (no second validation): the body is exactly the model's JSON, and the schema still names
    the model."""
    from api.schemas import RecommendationsResponse, recommendation_out

    response = client.post(
        "/v1/recommendations",
        json={"seeker_id": "S0000001", "k": 5, "contributions": True},
        headers=world.headers("score"),
    )
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "application/json"
    expected = RecommendationsResponse(
        model_version=world.version,
        results=[
            recommendation_out(r)
            for r in service_of(client).recommend("S0000001", 5, contributions=True)
        ],
    )
    assert response.content == expected.model_dump_json().encode()
    paths = client.get("/openapi.json").json()["paths"]
    for path, model in (
        ("/v1/recommendations", "RecommendationsResponse"),
        ("/v1/score", "ScoreResponse"),
        ("/v1/candidates", "CandidatesResponse"),
    ):
        schema = paths[path]["post"]["responses"]["200"]["content"]["application/json"]["schema"]
        assert schema == {"$ref": f"#/components/schemas/{model}"}
