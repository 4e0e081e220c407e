"""Scoring routes (scope ``score``): score, recommendations, candidates, vacancy analysis.

Each route's work is a plain function run in one of the worker's ranking threads
(:class:`api.deps.RankingThreads`), so ranking (numpy, LightGBM) never blocks the event loop and
at most ``ranking_threads`` rankings share a process's GIL. Each route checks the configured
limits, converts the request with :mod:`api.schemas` and makes one
:class:`~matcher.ranking.service.MatchService` call; the business logic is all there.

Every route ranks within the caller's tenant (the key's ``tenant``): stored ids name the
tenant's own records (another tenant's are 404, as unknown ones), recommendations come from the
tenant's vacancies and candidates from its seekers. Candidates carry an opaque per-tenant
``reference``; the stored ``seeker_id`` and the campaign's priority-group policy are for keys
with the ``read`` scope (the platform's staff) only — for employer-side keys a campaign neither
filters nor boosts candidates (see :meth:`MatchService.candidates`).

The ``model_version`` of a response is the version of the engine that ranked it
(:func:`matcher.ranking.service.served_by`), exact even while a promotion swaps engines.

The ranked answers are built once as their response models and written straight to JSON bytes
by pydantic's serializer (:func:`_json`): FastAPI would otherwise validate the returned model
again, in a second trip through its threadpool, before serialising it.
"""

from __future__ import annotations

from fastapi import APIRouter, Response
from pydantic import BaseModel
from pydantic_core import to_json

from api.deps import GUARDED, RankingDep, ScoreKey, ServiceDep, SettingsDep, problems
from api.errors import not_found
from api.limits import check_at_most
from api.schemas import (
    INLINE_ID,
    AnalysisResponse,
    AnalyzeRequest,
    CandidateRequest,
    CandidatesResponse,
    RecommendationRequest,
    RecommendationsResponse,
    ScoreRequest,
    ScoreResponse,
    ScoreResult,
    VacancyRef,
    candidate_out,
    filters_of,
    recommendation_out,
    seeker_of,
    vacancy_of,
)
from api.settings import ApiSettings
from matcher.domain.records import Seeker, Vacancy
from matcher.errors import NotFound
from matcher.ranking.service import MatchService, served_by
from matcher.storage.apikeys import ApiKey

router = APIRouter(prefix="/v1", tags=["scoring"])


def _version(service: MatchService) -> str:
    return served_by() or service.model_version or "none"


def _json(answer: BaseModel) -> Response:
    """``answer`` (built and validated by its response model) as the JSON response body, in
    one step: the model's own serializer writes the bytes (the route's ``response_model``
    still documents it)."""
    return Response(content=to_json(answer), media_type="application/json")


@router.post("/score", response_model=ScoreResponse, responses=problems(*GUARDED, 404))
async def score(
    body: ScoreRequest,
    service: ServiceDep,
    settings: SettingsDep,
    key: ScoreKey,
    ranking: RankingDep,
) -> Response:
    """Score the given vacancies (stored, ``{"id": …}``, or inline) for an inline seeker;
    results best first. The seeker's ``contact``, if sent, is neither used nor returned."""
    return await ranking.run(_score, body, service, settings, key)


def _score(
    body: ScoreRequest, service: MatchService, settings: ApiSettings, key: ApiKey
) -> Response:
    check_at_most("vacancies", len(body.vacancies), settings.max_items, "vacancies")
    seeker = service.resolve_seeker(seeker_of(body.seeker), tenant=key.tenant)
    vacancies: list[Vacancy | str] = [
        item.id if isinstance(item, VacancyRef) else vacancy_of(item, f"vacancies.{index}")
        for index, item in enumerate(body.vacancies)
    ]
    try:
        scored = service.score(seeker, vacancies, on=body.on, tenant=key.tenant)
    except NotFound as error:
        raise not_found(error, _vacancy_field(error, body)) from None
    return _json(
        ScoreResponse(
            model_version=_version(service),
            results=[
                ScoreResult(rank=rank, vacancy_id=vacancy.id, score=value, reason=reason)
                for rank, (vacancy, value, reason) in enumerate(scored, start=1)
            ],
            inferred=list(seeker.inferred),
        )
    )


def _vacancy_field(error: NotFound, body: ScoreRequest) -> str | None:
    """Which ``vacancies`` entry an unknown vacancy or employer id came from."""
    for index, item in enumerate(body.vacancies):
        if isinstance(item, VacancyRef):
            if error.kind == "vacancy" and item.id == error.record_id:
                return f"vacancies.{index}.id"
        elif error.kind == "employer" and item.employer_id == error.record_id:
            return f"vacancies.{index}.employer_id"
    return None


@router.post(
    "/recommendations", response_model=RecommendationsResponse, responses=problems(*GUARDED, 404)
)
async def recommendations(
    body: RecommendationRequest,
    service: ServiceDep,
    settings: SettingsDep,
    key: ScoreKey,
    ranking: RankingDep,
) -> Response:
    """The ``k`` best open vacancies for a seeker (stored, by ``seeker_id``, or inline), each
    with a reason; with ``contributions``, the ranker's top feature contributions too."""
    return await ranking.run(_recommendations, body, service, settings, key)


def _recommendations(
    body: RecommendationRequest, service: MatchService, settings: ApiSettings, key: ApiKey
) -> Response:
    check_at_most("k", body.k, settings.max_k)
    given: Seeker | str
    given = seeker_of(body.seeker) if body.seeker is not None else str(body.seeker_id)
    seeker = service.resolve_seeker(given, tenant=key.tenant)
    results = service.recommend(
        seeker,
        body.k,
        campaign=body.campaign,
        filters=filters_of(body.filters),
        contributions=body.contributions,
        on=body.on,
        tenant=key.tenant,
        # a stored seeker's groups are for keys that may read them (see MatchService.recommend)
        group_blind=body.seeker_id is not None and not key.allows("read"),
    )
    return _json(
        RecommendationsResponse(
            model_version=_version(service),
            results=[recommendation_out(r) for r in results],
            inferred=list(seeker.inferred),
        )
    )


@router.post("/candidates", response_model=CandidatesResponse, responses=problems(*GUARDED, 404))
async def candidates(
    body: CandidateRequest,
    service: ServiceDep,
    settings: SettingsDep,
    key: ScoreKey,
    ranking: RankingDep,
) -> Response:
    """The ``k`` best of the tenant's seekers for a vacancy (stored, by ``vacancy_id``, or
    inline), as summaries an employer may see: an opaque ``reference`` per seeker, no contact
    data, no résumé text, no priority group. Keys with ``read`` also get ``seeker_id`` and the
    campaign's group filter and boost; for other keys a campaign changes nothing in the list,
    so it cannot be read as group membership."""
    return await ranking.run(_candidates, body, service, settings, key)


def _candidates(
    body: CandidateRequest, service: MatchService, settings: ApiSettings, key: ApiKey
) -> Response:
    check_at_most("k", body.k, settings.max_k)
    vacancy: Vacancy | str
    if body.vacancy is not None:
        vacancy = vacancy_of(body.vacancy, "vacancy", default_id=INLINE_ID)
        try:  # MatchService.candidates does not check an inline vacancy's employer
            service.get("employers", vacancy.employer_id, tenant=key.tenant)
        except NotFound as error:
            raise not_found(error, "vacancy.employer_id") from None
    else:
        vacancy = str(body.vacancy_id)
    results = service.candidates(
        vacancy,
        body.k,
        campaign=body.campaign,
        on=body.on,
        tenant=key.tenant,
        employer_side=not key.allows("read"),
    )
    return _json(
        CandidatesResponse(
            model_version=_version(service), results=[candidate_out(r) for r in results]
        )
    )


@router.post("/vacancies:analyze", responses=problems(*GUARDED))
async def analyze(
    body: AnalyzeRequest,
    service: ServiceDep,
    settings: SettingsDep,
    key: ScoreKey,
    ranking: RankingDep,
) -> AnalysisResponse:
    """Parse a posted vacancy text: salary, education, experience, age, headcount,
    certificates, welfare, the 大典 occupation of its title, and discriminatory requirements
    (compliance flags). Personal data in the text is redacted first and counted."""
    return await ranking.run(_analyze, body, service, settings)


def _analyze(
    body: AnalyzeRequest, service: MatchService, settings: ApiSettings
) -> AnalysisResponse:
    check_at_most("text", len(body.text), settings.max_text_chars, "characters")
    analysis = service.analyze(body.text, body.title)
    return AnalysisResponse.model_validate(analysis.to_json())
