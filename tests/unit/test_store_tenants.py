"""Tenants in the store: records keyed by (tenant, id), every query confined to one tenant, the
v3 → v4 migration, and opaque references."""

from __future__ import annotations

import datetime as dt
import sqlite3
from contextlib import closing
from pathlib import Path

import pytest

from matcher.domain.records import (
    Contact,
    Employer,
    Fair,
    Interaction,
    Seeker,
    Vacancy,
    validate_record,
)
from matcher.errors import ConflictError, InvalidRecord, NotFound
from matcher.storage.apikeys import ApiKeys
from matcher.storage.store import (
    DATABASE_NAME,
    DEFAULT_TENANT,
    MIGRATIONS,
    SCHEMA_VERSION,
    Entity,
    Store,
    opaque_reference,
)
from tests.conftest import employer_data, seeker_data, vacancy_data


@pytest.fixture
def two(store: Store) -> tuple[Store, Store]:
    """Tenants A and B over one database, each with an employer E001, a vacancy V001 and a
    seeker S001 of its own (same ids, different contents)."""
    a, b = store.for_tenant("A"), store.for_tenant("B")
    a.put_many(
        [
            validate_record(Employer, employer_data(name="甲公司")),
            validate_record(Vacancy, vacancy_data(title="电工", openings=3)),
            validate_record(Seeker, seeker_data(skills=["电气接线"])),
        ]
    )
    b.put_many(
        [
            validate_record(Employer, employer_data(name="乙公司")),
            validate_record(Vacancy, vacancy_data(title="焊工", openings=5)),
            validate_record(Seeker, seeker_data(skills=["焊接"])),
        ]
    )
    return a, b


def test_same_ids_in_two_tenants_are_two_records(two: tuple[Store, Store]) -> None:
    a, b = two
    assert a.get(Employer, "E001").name == "甲公司" and b.get(Employer, "E001").name == "乙公司"
    assert a.get(Vacancy, "V001").title == "电工" and b.get(Vacancy, "V001").title == "焊工"
    assert a.get(Seeker, "S001").skills == ["电气接线"]
    assert b.get(Seeker, "S001").skills == ["焊接"]
    # a write by B under the same id changes B's record only
    b.put(b.get(Vacancy, "V001").model_copy(update={"openings": 9}))
    assert (a.get(Vacancy, "V001").openings, b.get(Vacancy, "V001").openings) == (3, 9)


def _nothing_of(c: Store, a: Store, b: Store, kind: type[Entity], record_id: str) -> None:
    """Tenant C sees none of A's and B's records of ``kind``."""
    with pytest.raises(NotFound):
        c.get(kind, record_id)
    assert c.count(kind) == 0 and c.list(kind) == []
    assert c.get_many(kind, [record_id]) == {} and c.exists(kind, [record_id]) == set()
    assert a.count(kind) == 1 and b.count(kind) == 1


def test_reads_are_confined_to_the_tenant(two: tuple[Store, Store]) -> None:
    a, b = two
    c = a.for_tenant("C")
    _nothing_of(c, a, b, Seeker, "S001")
    _nothing_of(c, a, b, Employer, "E001")
    _nothing_of(c, a, b, Vacancy, "V001")
    assert c.employers_by_credit_code([employer_data()["credit_code"]]) == {}
    assert c.is_empty() and not a.is_empty()
    assert c.summary()["counts"]["vacancies"] == 0 and a.summary()["counts"]["openings"] == 3
    assert a.for_tenant(DEFAULT_TENANT).is_empty()
    assert a.tenants() == ["A", "B"]


def test_deletes_are_confined_to_the_tenant(two: tuple[Store, Store]) -> None:
    a, b = two
    c = a.for_tenant("C")
    with pytest.raises(NotFound):
        c.delete(Vacancy, "V001")
    with pytest.raises(NotFound):
        c.delete(Seeker, "S001")
    b.delete(Vacancy, "V001")
    b.delete(Employer, "E001")  # B's employer has no vacancies left; A's still has one
    with pytest.raises(ConflictError, match="still has 1 vacancies"):
        a.delete(Employer, "E001")
    assert a.get(Vacancy, "V001").title == "电工" and a.count(Employer) == 1


def test_references_and_contacts_stay_within_the_tenant(two: tuple[Store, Store]) -> None:
    a, b = two
    c = a.for_tenant("C")
    orphan = validate_record(Vacancy, vacancy_data(id="V002"))  # employer E001 is A's and B's
    with pytest.raises(InvalidRecord, match="employer_id: no employer"):
        c.put(orphan)
    a.put_contact(Contact(seeker_id="S001", name="张三", phone="13800138000"))
    with pytest.raises(NotFound):
        b.get_contact("S001")
    with pytest.raises(InvalidRecord, match="seeker_id: no seeker"):
        c.put_contact(Contact(seeker_id="S001", name="李四", phone="13900139000"))
    assert b.count_contacts() == 0 and a.count_contacts() == 1
    b.delete(Seeker, "S001")  # cascades to B's contact only
    assert a.get_contact("S001").name == "张三"


def test_credit_codes_are_unique_per_tenant(two: tuple[Store, Store]) -> None:
    a, _b = two
    code = employer_data()["credit_code"]
    assert a.employers_by_credit_code([code]) == {code: "E001"}
    twin = validate_record(Employer, employer_data(id="E002"))
    with pytest.raises(InvalidRecord, match="credit_code"):
        a.put(twin)
    a.for_tenant("C").put(twin)  # another platform lists the same real employer


def test_interactions_fairs_and_counts_are_per_tenant(two: tuple[Store, Store]) -> None:
    a, b = two
    when = dt.datetime(2022, 4, 1, 9)
    a.append_interactions(
        [Interaction(seeker_id="S001", vacancy_id="V001", kind="apply", time=when)] * 2
    )
    b.append_interactions(
        [Interaction(seeker_id="S001", vacancy_id="V001", kind="click", time=when)]
    )
    assert a.count_by_vacancy("apply") == {"V001": 2} and b.count_by_vacancy("apply") == {}
    assert a.count_interactions() == {"apply": 2} and b.count_interactions() == {"click": 1}
    assert [i.kind.value for i in b.iter_interactions(seeker_id="S001")] == ["click"]
    fair = validate_record(
        Fair, {"id": "F1", "name": "春风行动专场", "date": "2022-03-01", "region": "510903"}
    )
    a.put(fair)
    with pytest.raises(NotFound):
        b.get(Fair, "F1")


def test_clear_empties_one_tenant(two: tuple[Store, Store]) -> None:
    a, b = two
    b.clear()
    assert b.is_empty() and a.count(Vacancy) == 1 and a.get(Seeker, "S001")


def test_the_change_log_names_the_tenant(store: Store) -> None:
    a = store.for_tenant("A")
    a.put_many(
        [validate_record(Employer, employer_data()), validate_record(Vacancy, vacancy_data())]
    )
    a.delete(Vacancy, "V001")
    assert [(c.tenant, c.kind, c.record_id, c.op) for c in store.changes_since(0)] == [
        ("A", "employer", "E001", "put"),
        ("A", "vacancy", "V001", "put"),
        ("A", "vacancy", "V001", "delete"),
    ]


def test_views_share_one_transaction(store: Store) -> None:
    a, b = store.for_tenant("A"), store.for_tenant("B")
    with pytest.raises(RuntimeError), a.transaction():
        a.put(validate_record(Seeker, seeker_data()))
        b.put(validate_record(Seeker, seeker_data()))
        raise RuntimeError("roll back both")
    assert a.count(Seeker) == 0 and b.count(Seeker) == 0


def test_opaque_references(tmp_path: Path, store: Store) -> None:
    a, b = store.for_tenant("A"), store.for_tenant("B")
    ref = a.seeker_reference("S001")
    assert ref.startswith("ref_") and len(ref) == 24 and "S001" not in ref
    assert ref == a.seeker_reference("S001") != a.seeker_reference("S002")
    assert ref != b.seeker_reference("S001")  # per tenant
    secret = store.reference_secret()
    assert len(secret) == 32 and opaque_reference(secret, "A", "S001") == ref
    assert opaque_reference(b"another secret" * 3, "A", "S001") != ref
    with Store.open(tmp_path / "other") as other:  # every database has its own secret
        assert other.for_tenant("A").seeker_reference("S001") != ref
    with Store(store.path) as again:  # and keeps it
        assert again.for_tenant("A").seeker_reference("S001") == ref


def test_keys_without_a_tenant_belong_to_the_default_tenant(store: Store) -> None:
    keys = ApiKeys(store)
    plain, _ = keys.create("single", "read")
    owned, _ = keys.create("city site", "read", tenant="suining")
    assert plain.tenant == DEFAULT_TENANT and owned.tenant == "suining"


def _v3_database(path: Path) -> None:
    """A database as jobmatch wrote it before tenants (schema v3), with a row of each kind."""
    employer = validate_record(Employer, employer_data())
    vacancy = validate_record(Vacancy, vacancy_data())
    seeker = validate_record(Seeker, seeker_data())
    contact = Contact(seeker_id="S001", name="张三", phone="13800138000")
    with closing(sqlite3.connect(path)) as connection:
        for version, script in MIGRATIONS[:3]:
            for statement in (s.strip() for s in script.split(";\n") if s.strip()):
                connection.execute(statement)
            connection.execute(f"PRAGMA user_version = {version}")
        stamp = "2022-01-01T00:00:00+00:00"
        connection.execute(
            "INSERT INTO employers VALUES (?, ?, ?, ?, ?)",
            ("E001", employer.credit_code, employer.region, employer.model_dump_json(), stamp),
        )
        connection.execute(
            "INSERT INTO vacancies VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (
                "V001",
                "E001",
                vacancy.region,
                vacancy.valid_from.isoformat(),
                vacancy.valid_until.isoformat(),
                vacancy.status,
                vacancy.model_dump_json(),
                stamp,
            ),
        )
        connection.execute(
            "INSERT INTO seekers VALUES (?, ?, ?, ?)",
            ("S001", seeker.region, seeker.model_dump_json(), stamp),
        )
        connection.execute(
            "INSERT INTO contacts VALUES (?, ?, ?)", ("S001", contact.model_dump_json(), stamp)
        )
        connection.execute(
            "INSERT INTO interactions (seeker_id, vacancy_id, kind, time, source) "
            "VALUES ('S001', 'V001', 'apply', '2022-04-01T09:00:00', 'web')"
        )
        for key_id, name, tenant in (("k1", "plain", "plain"), ("k2", "site", "suining")):
            connection.execute(
                "INSERT INTO api_keys (id, name, tenant, scopes, hash, created_at) "
                "VALUES (?, ?, ?, 'read', 'x', ?)",
                (key_id, name, tenant, stamp),
            )
        connection.commit()


def test_a_v3_database_moves_to_the_default_tenant(tmp_path: Path) -> None:
    _v3_database(tmp_path / DATABASE_NAME)
    with Store.open(tmp_path) as store:
        assert store.schema_version == SCHEMA_VERSION == 8
        assert store.get(Employer, "E001").id == "E001"
        assert store.get(Vacancy, "V001").employer_id == "E001"
        assert store.get_contact("S001").name == "张三"
        assert store.count_by_vacancy("apply") == {"V001": 1}
        assert store.for_tenant("suining").is_empty()
        # keys whose tenant was only their name (the old default) join the default tenant
        assert {row["id"]: row["tenant"] for row in store.api_keys()} == {
            "k1": DEFAULT_TENANT,
            "k2": "suining",
        }
        # foreign keys and triggers work on the rebuilt tables
        with pytest.raises(InvalidRecord, match="employer_id"):
            store.put(validate_record(Vacancy, vacancy_data(id="V9", employer_id="E404")))
        seq = store.last_change()
        store.delete(Vacancy, "V001")
        assert [(c.kind, c.op, c.tenant) for c in store.changes_since(seq)] == [
            ("vacancy", "delete", DEFAULT_TENANT)
        ]
        store.delete(Seeker, "S001")
        with pytest.raises(NotFound):
            store.get_contact("S001")
        with closing(sqlite3.connect(store.path)) as raw:
            assert raw.execute("PRAGMA foreign_key_check").fetchall() == []
            assert raw.execute("PRAGMA integrity_check").fetchone() == ("ok",)
