"""Record routes: PUT/GET/DELETE one seeker, employer or vacancy; bulk upserts; interactions.

Writes (scope ``write``) go through :meth:`MatchService.put` and :meth:`MatchService.bulk`, the
same validation, redaction and completion path as file imports, and an upserted or deleted
vacancy is in (or out of) the live index before the response is sent. Reads need ``read``.

The three kinds have their routes spelled out rather than generated in a loop: each operation
then has its own typed request and response model in the OpenAPI document, and the bodies stay
one line each. A seeker's ``contact`` is accepted on PUT and bulk and stored apart; no response
ever carries it.

Every route works on the caller's tenant only (the key's ``tenant``): records are keyed by
``(tenant, id)``, so another tenant's id reads, deletes and references as "not found" (404, the
same answer as an id nobody has) and a PUT under it creates the caller's own record.

Bulk routes check each item on its own (:func:`api.schemas.bulk_items`): good items are written
in one transaction, bad ones are reported with their field problems, and the answer is 200
either way — the per-item ``status`` says which is which.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Annotated, Any

from fastapi import APIRouter, Path, Response
from pydantic import BaseModel

from api.deps import GUARDED, ReadKey, ServiceDep, SettingsDep, WriteKey, problems
from api.errors import not_found, scrub_problems, strings_in
from api.limits import check_at_most
from api.schemas import (
    BulkItemResult,
    BulkResponse,
    EmployerBulkRequest,
    EmployerIn,
    EmployerOut,
    FieldError,
    InteractionBulkRequest,
    InteractionIn,
    SeekerBulkRequest,
    SeekerIn,
    SeekerOut,
    VacancyBulkRequest,
    VacancyIn,
    VacancyOut,
    bulk_items,
    employer_out,
    record_data,
    seeker_out,
    vacancy_out,
)
from matcher.domain.records import ID_PATTERN
from matcher.errors import FieldProblem, NotFound
from matcher.ranking.service import MatchService
from matcher.storage.apikeys import ApiKey

router = APIRouter(prefix="/v1", tags=["records"])

RecordPath = Annotated[str, Path(pattern=ID_PATTERN, max_length=64, description="The record's id")]
READ = problems(*GUARDED, 404)
WRITE = problems(*GUARDED, 404, 409)


def _put(
    service: MatchService, key: ApiKey, kind: str, record_id: str, body: BaseModel
) -> BaseModel:
    return service.put(kind, record_id, record_data(kind, body, record_id), tenant=key.tenant)


def _get(service: MatchService, key: ApiKey, kind: str, record_id: str) -> BaseModel:
    try:
        return service.get(kind, record_id, tenant=key.tenant)
    except NotFound as error:
        raise not_found(error, "record_id") from None


def _delete(service: MatchService, key: ApiKey, kind: str, record_id: str) -> Response:
    try:
        service.delete(kind, record_id, tenant=key.tenant)
    except NotFound as error:
        raise not_found(error, "record_id") from None
    return Response(status_code=204)


def _bulk(
    service: MatchService,
    key: ApiKey,
    max_items: int,
    kind: str,
    model: type[BaseModel],
    items: Sequence[Any],
) -> BulkResponse:
    check_at_most("items", len(items), max_items, "items")
    checked = bulk_items(kind, model, items)
    good = [item for item in checked if item.data is not None]
    data = [item.data for item in good if item.data is not None]
    if kind == "interactions":
        outcomes = service.add_interactions(data, tenant=key.tenant) if data else []
    else:
        outcomes = service.bulk(kind, data, tenant=key.tenant) if data else []
    results: list[BulkItemResult] = []
    for item, outcome in zip(good, outcomes, strict=True):
        found = scrub_problems(outcome.problems, echoes=strings_in(items[item.index]))
        results.append(_item_result(item.index, item.id, found))
    for item in checked:
        if item.data is None:
            results.append(_item_result(item.index, item.id, item.problems))
    results.sort(key=lambda result: result.index)
    accepted = sum(result.status == "accepted" for result in results)
    return BulkResponse(accepted=accepted, rejected=len(results) - accepted, items=results)


def _item_result(index: int, item_id: str | None, found: Sequence[FieldProblem]) -> BulkItemResult:
    return BulkItemResult(
        index=index,
        id=item_id,
        status="rejected" if found else "accepted",
        errors=[FieldError(field=p.field, message=p.message) for p in found],
    )


# --- seekers -------------------------------------------------------------------------------


@router.put("/seekers/{record_id}", responses=WRITE)
def put_seeker(
    record_id: RecordPath, body: SeekerIn, service: ServiceDep, key: WriteKey
) -> SeekerOut:
    """Create or replace a seeker; ``contact`` is stored apart and never returned."""
    return seeker_out(_put(service, key, "seekers", record_id, body))


@router.get("/seekers/{record_id}", responses=READ)
def get_seeker(record_id: RecordPath, service: ServiceDep, key: ReadKey) -> SeekerOut:
    """A stored seeker, without contact data."""
    return seeker_out(_get(service, key, "seekers", record_id))


@router.delete("/seekers/{record_id}", status_code=204, responses=WRITE)
def delete_seeker(record_id: RecordPath, service: ServiceDep, key: WriteKey) -> Response:
    """Delete a seeker and their contact data."""
    return _delete(service, key, "seekers", record_id)


@router.post("/seekers:bulk", responses=problems(*GUARDED))
def bulk_seekers(
    body: SeekerBulkRequest, service: ServiceDep, settings: SettingsDep, key: WriteKey
) -> BulkResponse:
    """Create or replace many seekers; each item is accepted or rejected on its own."""
    return _bulk(service, key, settings.max_items, "seekers", SeekerIn, body.items)


# --- employers -----------------------------------------------------------------------------


@router.put("/employers/{record_id}", responses=WRITE)
def put_employer(
    record_id: RecordPath, body: EmployerIn, service: ServiceDep, key: WriteKey
) -> EmployerOut:
    """Create or replace an employer (its vacancies are re-indexed at once)."""
    return employer_out(_put(service, key, "employers", record_id, body))


@router.get("/employers/{record_id}", responses=READ)
def get_employer(record_id: RecordPath, service: ServiceDep, key: ReadKey) -> EmployerOut:
    """A stored employer."""
    return employer_out(_get(service, key, "employers", record_id))


@router.delete("/employers/{record_id}", status_code=204, responses=WRITE)
def delete_employer(record_id: RecordPath, service: ServiceDep, key: WriteKey) -> Response:
    """Delete an employer that has no vacancies (409 otherwise)."""
    return _delete(service, key, "employers", record_id)


@router.post("/employers:bulk", responses=problems(*GUARDED))
def bulk_employers(
    body: EmployerBulkRequest, service: ServiceDep, settings: SettingsDep, key: WriteKey
) -> BulkResponse:
    """Create or replace many employers; each item is accepted or rejected on its own."""
    return _bulk(service, key, settings.max_items, "employers", EmployerIn, body.items)


# --- vacancies -----------------------------------------------------------------------------


@router.put("/vacancies/{record_id}", responses=WRITE)
def put_vacancy(
    record_id: RecordPath, body: VacancyIn, service: ServiceDep, key: WriteKey
) -> VacancyOut:
    """Create or replace a vacancy; it is searchable when the response arrives."""
    return vacancy_out(_put(service, key, "vacancies", record_id, body))


@router.get("/vacancies/{record_id}", responses=READ)
def get_vacancy(record_id: RecordPath, service: ServiceDep, key: ReadKey) -> VacancyOut:
    """A stored vacancy."""
    return vacancy_out(_get(service, key, "vacancies", record_id))


@router.delete("/vacancies/{record_id}", status_code=204, responses=WRITE)
def delete_vacancy(record_id: RecordPath, service: ServiceDep, key: WriteKey) -> Response:
    """Delete a vacancy; it leaves the live index at once."""
    return _delete(service, key, "vacancies", record_id)


@router.post("/vacancies:bulk", responses=problems(*GUARDED))
def bulk_vacancies(
    body: VacancyBulkRequest, service: ServiceDep, settings: SettingsDep, key: WriteKey
) -> BulkResponse:
    """Create or replace many vacancies; each item is accepted or rejected on its own."""
    return _bulk(service, key, settings.max_items, "vacancies", VacancyIn, body.items)


# --- interactions --------------------------------------------------------------------------


@router.post("/interactions", responses=problems(*GUARDED))
def add_interactions(
    body: InteractionBulkRequest, service: ServiceDep, settings: SettingsDep, key: WriteKey
) -> BulkResponse:
    """Record feedback events (impression → click → apply → interview → offer → hire) for
    retraining; each item is accepted or rejected on its own."""
    return _bulk(service, key, settings.max_items, "interactions", InteractionIn, body.items)
