"""Personal data never leaves: not in any response body or header, not in any log line.

One seeker carries a name, a mobile number, a valid 身份证号 and an address in its contact, and
the same values in every free-text field a seeker has. Then every route is called — with that
seeker stored and inline, and with invalid requests that put the values in the wrong fields —
and no response and no log record may contain any of them.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from typing import Any

import pytest

from matcher.domain.records import Seeker, Vacancy
from matcher.storage.store import Store
from tests.api.support import TestClient, World, copy_world, seeker_body, serve, vacancy_body

NAME = "王秀英"
PHONE = "13912345678"
ID_NUMBER = "510903198507150011"  # valid check digit (tests/data/id_numbers.tsv)
ADDRESS = "遂宁市船山区明月路88号3栋2单元"
PII = (NAME, PHONE, ID_NUMBER, ADDRESS)
CONTACT = {"name": NAME, "phone": PHONE, "id_number": ID_NUMBER, "address": ADDRESS}


def loaded_seeker(**changes: Any) -> dict[str, Any]:
    """A seeker with the personal data in every free-text field, and in its contact."""
    loaded: dict[str, Any] = {
        "resume_text": f"我叫{NAME}，电话{PHONE}，身份证号{ID_NUMBER}，家住{ADDRESS}。求职电工。",
        "major": f"电气自动化 {NAME} {PHONE}",
        "skills": ["设备维修", "电气接线", NAME, PHONE, ID_NUMBER, f"联系{NAME}{PHONE}"],
        "certificates": ["低压电工证", PHONE, ID_NUMBER],
        "desired_titles": ["电工", NAME, f"电工{PHONE}"],
        "disability": {"type": "肢体残疾", "grade": 4, "needs": [f"联系人{NAME}", PHONE]},
        "priority_groups": ["disabled"],
        "contact": CONTACT,
    }
    return seeker_body(**{**loaded, **changes})


@pytest.fixture(scope="module")
def private(world: World, tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    with serve(copy_world(world, tmp_path_factory.mktemp("pii"))) as client:
        yield client


def test_no_personal_data_in_responses_or_logs(
    private: TestClient, world: World, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    score, read, write = world.headers("score"), world.headers("read"), world.headers("write")
    employer = "E000004"
    calls: list[tuple[str, str, dict[str, str], Any, set[int]]] = [
        # the loaded seeker, stored, then read back
        ("PUT", "/v1/seekers/PII-S1", write, loaded_seeker(), {200}),
        ("GET", "/v1/seekers/PII-S1", read, None, {200}),
        # a vacancy with personal data in its text, stored and read back
        (
            "PUT",
            "/v1/vacancies/PII-V1",
            write,
            vacancy_body(
                world,
                employer,
                title=f"电工{PHONE}",
                description=f"联系电话{PHONE}，地址{ADDRESS}。持低压电工证。",
                skills=["设备维修", "电气接线", PHONE],
                welfare=[f"咨询{PHONE}"],
            ),
            {200},
        ),
        ("GET", "/v1/vacancies/PII-V1", read, None, {200}),
        # employer-facing: the stored seeker among the candidates
        ("POST", "/v1/candidates", score, {"vacancy_id": "PII-V1", "k": 200}, {200}),
        (
            "POST",
            "/v1/candidates",
            score,
            {"vacancy": vacancy_body(world, employer), "k": 200},
            {200},
        ),
        # seeker-facing, stored and inline (with contact)
        (
            "POST",
            "/v1/recommendations",
            score,
            {"seeker_id": "PII-S1", "k": 50, "contributions": True},
            {200},
        ),
        ("POST", "/v1/recommendations", score, {"seeker": loaded_seeker(), "k": 50}, {200}),
        (
            "POST",
            "/v1/score",
            score,
            {"seeker": loaded_seeker(), "vacancies": [{"id": "PII-V1"}, {"id": "V0000001"}]},
            {200},
        ),
        (
            "POST",
            "/v1/vacancies:analyze",
            score,
            {"text": f"招聘电工，联系电话{PHONE}，身份证{ID_NUMBER}，面试地址{ADDRESS}"},
            {200},
        ),
        # bulk with personal data in the wrong fields
        (
            "POST",
            "/v1/seekers:bulk",
            write,
            {
                "items": [
                    loaded_seeker(id="PII-S2"),
                    loaded_seeker(id="PII-S3", region=PHONE),
                    loaded_seeker(id="PII-S4", region=NAME),
                    loaded_seeker(id="PII-S5", region=ID_NUMBER),
                    loaded_seeker(id="PII-S6", education=NAME, birth_year=ID_NUMBER),
                    loaded_seeker(id="PII-S7", desired_occupations=[NAME], priority_groups=[PHONE]),
                    loaded_seeker(id="PII-S8", desired_regions=[ADDRESS]),
                    {**loaded_seeker(id="PII-S9"), PHONE: NAME, NAME: ID_NUMBER},
                    loaded_seeker(id="PII-S10", contact={**CONTACT, "id_number": PHONE}),
                    loaded_seeker(id="PII-S11", contact={**CONTACT, "phone": ID_NUMBER}),
                    loaded_seeker(id="PII-S12", skills=[NAME * 100]),
                    loaded_seeker(id=PHONE, region=NAME),
                    loaded_seeker(id=NAME),
                ]
            },
            {200},
        ),
        (
            "POST",
            "/v1/interactions",
            write,
            {
                "items": [
                    {
                        "seeker_id": "PII-S1",
                        "vacancy_id": "PII-V1",
                        "kind": "apply",
                        "time": "2022-10-01T10:00:00",
                        "source": NAME,
                        "session_id": PHONE,
                    },
                    {
                        "seeker_id": "PII-S1",
                        "vacancy_id": "PII-V1",
                        "kind": NAME,
                        "time": ID_NUMBER,
                    },
                ]
            },
            {200},
        ),
        # invalid single requests with personal data in the wrong fields
        ("PUT", "/v1/seekers/PII-S13", write, loaded_seeker(region=NAME), {422}),
        ("PUT", "/v1/seekers/PII-S14", write, loaded_seeker(expected_salary=PHONE), {422}),
        (
            "POST",
            "/v1/score",
            score,
            {"seeker": loaded_seeker(region=ID_NUMBER), "vacancies": [{"id": "V0000001"}]},
            {422},
        ),
        (
            "POST",
            "/v1/recommendations",
            score,
            {"seeker": loaded_seeker(contact={"phone": NAME}), "k": 3},
            {422},
        ),
        ("POST", "/v1/recommendations", score, {"seeker_id": PHONE}, {404}),
        (
            "POST",
            "/v1/recommendations",
            score,
            {"seeker_id": "PII-S1", "campaign": ID_NUMBER},
            {404},
        ),
        (
            "POST",
            "/v1/recommendations",
            score,
            {"seeker_id": "PII-S1", "filters": {"regions": [NAME]}},
            {422},
        ),
        ("POST", "/v1/recommendations", score, {"seeker": loaded_seeker(), "k": PHONE}, {422}),
        ("POST", "/v1/recommendations", score, {"seeker": loaded_seeker(), NAME: PHONE}, {422}),
        ("GET", f"/v1/seekers/{PHONE}", read, None, {404}),
        ("POST", f"/v1/models/{PHONE}:promote", world.headers("admin"), None, {404}),
        ("GET", "/metrics", {}, None, {200}),
    ]
    for method, path, headers, payload, expected in calls:
        response = private.request(method, path, json=payload, headers=headers)
        assert response.status_code in expected, (method, path, response.text)
        shown = response.text + " " + " ".join(f"{k}: {v}" for k, v in response.headers.items())
        for value in PII:
            assert value not in shown, (method, path, value, response.text)
        if response.status_code == 422:
            assert response.json()["errors"], response.text

    # the calls did reach what they meant to reach
    candidates = private.post(  # staff (read) see stored ids beside the references
        "/v1/candidates", json={"vacancy_id": "PII-V1", "k": 200}, headers=world.headers("admin")
    )
    assert "PII-S1" in {r["seeker_id"] for r in candidates.json()["results"]}
    bulk = private.post(
        "/v1/seekers:bulk", json={"items": [loaded_seeker(id="PII-S2")]}, headers=write
    )
    assert bulk.json()["accepted"] == 1

    # nothing personal in any log record: message, arguments or extra fields (the test
    # client's own httpx logger, which logs the URLs this test asked for, is not the server)
    assert any(record.name == "jobmatch.api" for record in caplog.records)
    for record in caplog.records:
        if record.name.startswith(("httpx", "httpcore")):
            continue
        text = record.getMessage() + " " + " ".join(str(v) for v in vars(record).values())
        for value in PII:
            assert value not in text, (record.name, value)

    # the stored seeker keeps no personal data outside its contact
    with Store.open(private.app.state.settings.home) as store:  # type: ignore[attr-defined]
        stored = store.get(Seeker, "PII-S1").model_dump_json()
        vacancy = store.get(Vacancy, "PII-V1").model_dump_json()
        contact = store.get_contact("PII-S1")
    for value in PII:
        assert value not in stored and value not in vacancy
    assert (contact.name, contact.phone, contact.id_number) == (NAME, PHONE, ID_NUMBER)
