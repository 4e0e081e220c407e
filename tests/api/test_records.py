"""Record routes: upserts are searchable at once, deletes leave the index, bulk keeps the good."""

from __future__ import annotations

from typing import Any

from matcher.domain.records import Seeker
from matcher.errors import NotFound
from matcher.storage.store import Store
from tests.api.support import TestClient, World, seeker_body, vacancy_body


def recommended(client: TestClient, world: World, k: int = 30) -> list[str]:
    payload = {"seeker": seeker_body(), "k": k}
    response = client.post("/v1/recommendations", json=payload, headers=world.headers("score"))
    assert response.status_code == 200, response.text
    return [result["vacancy_id"] for result in response.json()["results"]]


def test_a_put_vacancy_is_recommended_at_once_and_a_delete_removes_it(
    client: TestClient, world: World
) -> None:
    assert "REC-V1" not in recommended(client, world)
    response = client.put(
        "/v1/vacancies/REC-V1",
        json=vacancy_body(world, "E000004", title="设备电工（长白班）"),
        headers=world.headers("write"),
    )
    assert response.status_code == 200, response.text
    stored = response.json()
    assert stored["id"] == "REC-V1"
    assert stored["occupation"]  # completed from the title
    assert stored["required_certificates"]  # resolved to a certificate code
    assert "REC-V1" in recommended(client, world)[:5]
    got = client.get("/v1/vacancies/REC-V1", headers=world.headers("read"))
    assert got.json() == stored

    closed = client.put(
        "/v1/vacancies/REC-V1",
        json=vacancy_body(world, "E000004", status="closed"),
        headers=world.headers("write"),
    )
    assert closed.json()["status"] == "closed"
    assert "REC-V1" not in recommended(client, world)

    client.put(
        "/v1/vacancies/REC-V1",
        json=vacancy_body(world, "E000004"),
        headers=world.headers("write"),
    )
    assert "REC-V1" in recommended(client, world)
    deleted = client.delete("/v1/vacancies/REC-V1", headers=world.headers("write"))
    assert deleted.status_code == 204
    assert deleted.content == b""
    assert "REC-V1" not in recommended(client, world)
    assert client.get("/v1/vacancies/REC-V1", headers=world.headers("read")).status_code == 404


def test_an_id_in_the_body_must_match_the_path(client: TestClient, world: World) -> None:
    response = client.put(
        "/v1/vacancies/REC-V2",
        json=vacancy_body(world, "E000004", id="OTHER"),
        headers=world.headers("write"),
    )
    assert response.status_code == 422
    assert response.json()["errors"] == [
        {"field": "id", "message": "does not match the id in the path"}
    ]


def test_a_vacancy_of_an_unknown_employer_is_rejected(client: TestClient, world: World) -> None:
    response = client.put(
        "/v1/vacancies/REC-V3",
        json=vacancy_body(world, "E999999"),
        headers=world.headers("write"),
    )
    assert response.status_code == 422
    assert [e["field"] for e in response.json()["errors"]] == ["employer_id"]


def test_employers(client: TestClient, world: World) -> None:
    current = client.get("/v1/employers/E000004", headers=world.headers("read"))
    assert current.status_code == 200
    employer = {k: v for k, v in current.json().items() if k != "id"}
    employer["name"] = "遂宁测试机电有限公司"
    response = client.put("/v1/employers/E000004", json=employer, headers=world.headers("write"))
    assert response.status_code == 200, response.text
    assert response.json()["name"] == "遂宁测试机电有限公司"
    conflict = client.delete("/v1/employers/E000004", headers=world.headers("write"))
    assert conflict.status_code == 409
    assert conflict.headers["content-type"] == "application/problem+json"
    assert "delete them first" in conflict.json()["detail"]


def test_a_seeker_put_stores_contact_apart_and_never_returns_it(
    client: TestClient, world: World
) -> None:
    contact = {"name": "赵六", "phone": "13712345678"}
    response = client.put(
        "/v1/seekers/REC-S1",
        json=seeker_body(contact=contact),
        headers=world.headers("write"),
    )
    assert response.status_code == 200, response.text
    body = response.json()
    assert "contact" not in body and body["id"] == "REC-S1"
    got = client.get("/v1/seekers/REC-S1", headers=world.headers("read"))
    assert got.json() == body
    with Store.open(world.home) as store:
        assert store.get_contact("REC-S1").phone == "13712345678"
        assert store.get(Seeker, "REC-S1").skills == ["设备维修", "电气接线"]
    assert client.delete("/v1/seekers/REC-S1", headers=world.headers("write")).status_code == 204
    with Store.open(world.home) as store:
        try:
            store.get_contact("REC-S1")
        except NotFound:
            pass
        else:  # pragma: no cover - a failure
            raise AssertionError("the contact outlived its seeker")


def test_a_bad_contact_is_named_under_contact(client: TestClient, world: World) -> None:
    response = client.put(
        "/v1/seekers/REC-S2",
        json=seeker_body(contact={"phone": "12345", "id_number": "510902199001011234"}),
        headers=world.headers("write"),
    )
    assert response.status_code == 422
    assert [e["field"] for e in response.json()["errors"]] == ["contact.phone"]


def test_bulk_keeps_the_good_items_and_reports_the_bad(client: TestClient, world: World) -> None:
    items: list[Any] = [
        seeker_body(id="BULK-S1"),
        seeker_body(id="BULK-S2", region="not a region"),
        seeker_body(id="BULK-S3", birth_year="1990x", hobby="chess"),
        "not an object",
        seeker_body(id="BULK-S4", contact={"phone": "12"}),
        seeker_body(id="BULK-S5", education="大专"),
        seeker_body(id="BULK-S1"),  # repeats the first id
    ]
    response = client.post(
        "/v1/seekers:bulk", json={"items": items}, headers=world.headers("write")
    )
    assert response.status_code == 200, response.text
    body = response.json()
    assert (body["accepted"], body["rejected"]) == (2, 5)
    by_index = {item["index"]: item for item in body["items"]}
    assert [by_index[i]["status"] for i in range(7)] == [
        "accepted",
        "rejected",
        "rejected",
        "rejected",
        "rejected",
        "accepted",
        "rejected",
    ]
    assert [e["field"] for e in by_index[1]["errors"]] == ["region"]
    assert {e["field"] for e in by_index[2]["errors"]} == {"birth_year", "hobby"}
    assert by_index[3]["errors"] == [{"field": "", "message": "must be a JSON object"}]
    assert by_index[3]["id"] is None
    assert [e["field"] for e in by_index[4]["errors"]] == ["contact.phone"]
    assert [e["field"] for e in by_index[6]["errors"]] == ["id"]
    assert by_index[5]["id"] == "BULK-S5"
    for record_id, status in (("BULK-S1", 200), ("BULK-S5", 200), ("BULK-S2", 404)):
        got = client.get(f"/v1/seekers/{record_id}", headers=world.headers("read"))
        assert got.status_code == status


def test_bulk_vacancies_are_searchable_at_once(client: TestClient, world: World) -> None:
    items = [
        vacancy_body(world, "E000004", id="BULK-V1", title="维修电工"),
        vacancy_body(world, "E999999", id="BULK-V2"),
        vacancy_body(world, "E000004", id="BULK-V3", salary_min=9000, salary_max=8000),
    ]
    response = client.post(
        "/v1/vacancies:bulk", json={"items": items}, headers=world.headers("write")
    )
    body = response.json()
    assert [item["status"] for item in body["items"]] == ["accepted", "rejected", "rejected"]
    assert [e["field"] for e in body["items"][1]["errors"]] == ["employer_id"]
    assert [e["field"] for e in body["items"][2]["errors"]] == ["salary_max"]
    assert "BULK-V1" in recommended(client, world)
    client.delete("/v1/vacancies/BULK-V1", headers=world.headers("write"))


def test_interactions(client: TestClient, world: World) -> None:
    items = [
        {
            "seeker_id": "S0000001",
            "vacancy_id": "V0000001",
            "kind": "click",
            "time": "2022-10-01T09:30:00",
            "position": 2,
        },
        {
            "seeker_id": "S0000001",
            "vacancy_id": "V0000001",
            "kind": "wink",
            "time": "2022-10-01T09:31:00",
        },
        {
            "seeker_id": "S9999999",
            "vacancy_id": "V0000001",
            "kind": "apply",
            "time": "2022-10-01T09:32:00",
        },
    ]
    response = client.post(
        "/v1/interactions", json={"items": items}, headers=world.headers("write")
    )
    assert response.status_code == 200, response.text
    body = response.json()
    assert [item["status"] for item in body["items"]] == ["accepted", "rejected", "rejected"]
    assert [e["field"] for e in body["items"][1]["errors"]] == ["kind"]
    assert [e["field"] for e in body["items"][2]["errors"]] == ["seeker_id"]
