"""Request and response models of the HTTP API — the contract — and their one conversion point.

These models are deliberately apart from :mod:`matcher.domain.records`: the domain may change how it
stores or validates a record, the published contract changes only on purpose. Request models
forbid unknown fields and give every field a type and a bound, so the OpenAPI document says
what a caller may send; numbers and booleans are strict (``StrictInt``, ``StrictFloat``,
``StrictBool``: ``"10"`` or ``true`` for an integer is 422, not coerced — a float accepts an
integer); semantic checks that need the reference tables (GB/T 2260 regions,
大典 occupations, check digits of a 身份证号 or 统一社会信用代码) stay in the domain. Response
models also forbid unknown fields, so a domain field added without updating the contract fails the
tests instead of leaking silently (``tests/api`` compares the two field by field).

Conversions live here and only here:

- :func:`seeker_of`, :func:`vacancy_of` — an inline record to a validated domain object;
  :func:`record_data` — a request record to the mapping :meth:`MatchService.put` and
  :meth:`MatchService.bulk` validate. Personal data is taken out of free text first
  (:mod:`api.privacy`); a domain problem becomes :class:`~matcher.errors.InvalidRecord` with the
  field path as the caller wrote it (``seeker.region``, ``contact.phone``), which the error
  handlers answer with 422.
- :func:`bulk_items` — per-item validation of a bulk request against the item model, so one
  bad item is reported and the others are still written.
- ``*_out`` functions — domain and engine results to response models.

The configurable limits (``max_items``, ``max_k``, ``max_text_chars``) are not frozen into the
models: the routes check them (:func:`api.limits.check_at_most`) and the app writes them into
the OpenAPI document (:data:`api.limits.LIMITED_FIELDS`).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import math
import re
from collections.abc import Mapping, Sequence
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Discriminator,
    Field,
    GetPydanticSchema,
    StrictBool,
    StrictFloat,
    StrictInt,
    Tag,
    TypeAdapter,
    ValidationError,
    model_validator,
)
from pydantic_core import core_schema

from api.errors import problems_from_errors, scrub, scrub_problems, strings_in
from matcher.domain.privacy import clean_employer, clean_seeker, clean_text, clean_vacancy
from matcher.domain.records import (
    ID_PATTERN,
    MAX_DESCRIPTION,
    MAX_LIST,
    MAX_NAME,
    MAX_RESUME,
    MAX_SHORT_TEXT,
    MAX_TITLE,
    SALARY_MAX_CNY,
    SALARY_MIN_CNY,
    WORKING_AGE_MAX,
    WORKING_AGE_MIN,
    Campaign,
    Contact,
    DisabilityType,
    EmployerSize,
    InteractionKind,
    Ownership,
    RegionCode,
    Seeker,
    Vacancy,
    Verification,
    problems_from,
    validate_record,
)
from matcher.errors import FieldProblem, InvalidRecord
from matcher.ranking.engine import CandidateSummary, Filters, Recommendation
from models.registry import RegistryEntry

INLINE_ID = "inline"
"""The id given to an inline seeker or candidates' vacancy sent without one."""

# --- field types ---------------------------------------------------------------------------

RecordId = Annotated[
    str,
    Field(
        pattern=ID_PATTERN,
        max_length=64,
        description="1–64 letters, digits or _ . : - (starting with a letter or digit)",
    ),
]
ShortText = Annotated[str, Field(min_length=1, max_length=MAX_SHORT_TEXT)]
RegionText = Annotated[
    str,
    Field(
        min_length=1,
        max_length=40,
        description="GB/T 2260 region code (e.g. '510903') or a unique area name (e.g. 船山区)",
    ),
]
OccupationText = Annotated[
    str,
    Field(
        min_length=1,
        max_length=60,
        description="职业分类大典 2022 code (e.g. '6-31-01-03') or occupation name",
    ),
]
EducationInput = Annotated[
    StrictInt | Annotated[str, Field(min_length=1, max_length=20)],
    Field(description="Education: a level 0–6, a GB/T 4658 code, or a word such as 大专"),
]
GroupText = Annotated[
    str, Field(min_length=1, max_length=40, description="Priority-group code or name")
]
MonthlySalary = Annotated[StrictInt, Field(ge=SALARY_MIN_CNY, le=SALARY_MAX_CNY)]
WorkingAge = Annotated[StrictInt, Field(ge=WORKING_AGE_MIN, le=WORKING_AGE_MAX)]
OccupationPrefix = Annotated[
    str,
    Field(pattern=r"^\d(-\d{2}){0,3}$", description="A 大典 code or its prefix, e.g. '6-31'"),
]


class _Request(BaseModel):
    model_config = ConfigDict(extra="forbid", allow_inf_nan=False)


class _Response(BaseModel):
    model_config = ConfigDict(extra="forbid")


# --- records: requests ---------------------------------------------------------------------


class DisabilityIn(_Request):
    """What an employer needs to know to offer a suitable post (grade 1 is the most severe)."""

    type: DisabilityType
    grade: StrictInt | None = Field(default=None, ge=1, le=4)
    needs: list[ShortText] = Field(default_factory=list, max_length=10)


class ContactIn(_Request):
    """A seeker's personal data: stored apart, never returned, ranked on or logged."""

    name: str | None = Field(default=None, max_length=MAX_NAME)
    phone: str | None = Field(default=None, max_length=20)
    id_number: str | None = Field(default=None, max_length=18, description="18-digit 身份证号")
    address: str | None = Field(default=None, max_length=MAX_SHORT_TEXT)


class SeekerIn(_Request):
    """A job seeker. ``contact`` is optional personal data; it is never returned."""

    id: RecordId | None = Field(
        default=None, description="Taken from the path on PUT; optional when inline"
    )
    region: RegionText | None = Field(
        default=None, description="Read from the résumé text when missing (see `inferred`)"
    )
    birth_year: StrictInt | None = Field(default=None, ge=1900, le=2100)
    education: EducationInput | None = None
    major: str | None = Field(default=None, max_length=MAX_SHORT_TEXT)
    skills: list[ShortText] = Field(default_factory=list, max_length=MAX_LIST)
    certificates: list[ShortText] = Field(default_factory=list, max_length=MAX_LIST)
    experience_years: StrictFloat | None = Field(default=None, ge=0, le=60)
    resume_text: str = Field(default="", max_length=MAX_RESUME)
    desired_titles: list[ShortText] = Field(default_factory=list, max_length=10)
    desired_occupations: list[OccupationText] = Field(default_factory=list, max_length=10)
    past_occupations: list[OccupationText] = Field(
        default_factory=list,
        max_length=10,
        description="Work done before; read from the résumé text when missing (see `inferred`)",
    )
    desired_regions: list[RegionText] = Field(default_factory=list, max_length=20)
    expected_salary: MonthlySalary | None = None
    priority_groups: list[GroupText] = Field(default_factory=list, max_length=10)
    disability: DisabilityIn | None = None
    available_from: dt.date | None = None
    registered_at: dt.date | None = None
    contact: ContactIn | None = None


class EmployerIn(_Request):
    """An employer; ``credit_code`` is the 18-character 统一社会信用代码."""

    id: RecordId | None = Field(default=None, description="Taken from the path on PUT")
    name: str = Field(min_length=2, max_length=MAX_NAME)
    credit_code: str = Field(min_length=18, max_length=18)
    ownership: Ownership
    size: EmployerSize
    industry: str = Field(
        min_length=1, max_length=4, description="GB/T 4754-2017 section (A–T) or division"
    )
    region: RegionText
    verification: Verification = Verification.PENDING


class VacancyIn(_Request):
    """A vacancy; ``occupation`` is inferred from the title when missing."""

    id: RecordId | None = Field(default=None, description="Taken from the path on PUT")
    employer_id: RecordId
    title: str = Field(min_length=1, max_length=MAX_TITLE)
    occupation: OccupationText | None = None
    description: str = Field(default="", max_length=MAX_DESCRIPTION)
    region: RegionText
    min_education: EducationInput = 0
    min_experience_years: StrictFloat = Field(default=0.0, ge=0, le=40)
    age_min: WorkingAge | None = None
    age_max: WorkingAge | None = None
    salary_min: MonthlySalary | None = None
    salary_max: MonthlySalary | None = None
    openings: StrictInt = Field(default=1, ge=1, le=10_000)
    skills: list[ShortText] = Field(default_factory=list, max_length=MAX_LIST)
    required_certificates: list[ShortText] = Field(default_factory=list, max_length=20)
    preferred_certificates: list[ShortText] = Field(default_factory=list, max_length=20)
    welfare: list[ShortText] = Field(default_factory=list, max_length=30)
    accessible: StrictBool = False
    target_groups: list[GroupText] = Field(default_factory=list, max_length=10)
    campaigns: list[RecordId] = Field(default_factory=list, max_length=20)
    valid_from: dt.date
    valid_until: dt.date
    status: Literal["open", "closed"] = "open"


class InteractionIn(_Request):
    """One feedback event: what happened between a seeker and a vacancy, and when."""

    seeker_id: RecordId
    vacancy_id: RecordId
    kind: InteractionKind
    time: dt.datetime
    position: StrictInt | None = Field(default=None, ge=1, le=10_000)
    campaign_id: RecordId | None = None
    source: str = Field(default="unknown", min_length=1, max_length=60)
    session_id: str | None = Field(default=None, max_length=64)


def documented_as(model: type[BaseModel]) -> GetPydanticSchema:
    """Metadata for ``Annotated[Any, …]``: any JSON value, documented in the OpenAPI schema as
    ``model``. Bulk items are validated one by one in the route, so a bad item is reported
    without failing the whole request."""
    return GetPydanticSchema(
        get_pydantic_core_schema=lambda _type, _handler: core_schema.any_schema(),
        get_pydantic_json_schema=lambda _schema, handler: handler(model.__pydantic_core_schema__),
    )


class SeekerBulkRequest(_Request):
    items: list[Annotated[Any, documented_as(SeekerIn)]] = Field(min_length=1)


class EmployerBulkRequest(_Request):
    items: list[Annotated[Any, documented_as(EmployerIn)]] = Field(min_length=1)


class VacancyBulkRequest(_Request):
    items: list[Annotated[Any, documented_as(VacancyIn)]] = Field(min_length=1)


class InteractionBulkRequest(_Request):
    items: list[Annotated[Any, documented_as(InteractionIn)]] = Field(min_length=1)


# --- scoring: requests ---------------------------------------------------------------------


class VacancyRef(_Request):
    """A stored vacancy, by id."""

    id: RecordId


def _vacancy_item_kind(value: Any) -> str:
    if isinstance(value, VacancyRef) or (isinstance(value, dict) and set(value) == {"id"}):
        return "stored"
    return "inline"


VacancyItem = Annotated[
    Annotated[VacancyRef, Tag("stored")] | Annotated[VacancyIn, Tag("inline")],
    Discriminator(_vacancy_item_kind),
]


_EXAMPLE_SEEKER: dict[str, Any] = {
    "region": "510903",
    "birth_year": 1985,
    "education": "中专",
    "skills": ["设备维修", "电气接线"],
    "certificates": ["低压电工证"],
    "experience_years": 10,
    "resume_text": "求职意向：电工。十年工厂设备电气维护经验。",
    "desired_regions": ["510903"],
    "expected_salary": 5000,
}


class ScoreRequest(_Request):
    """Score given vacancies (stored, by id, or inline) for one inline seeker."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {"seeker": _EXAMPLE_SEEKER, "vacancies": [{"id": "V0000012"}, {"id": "V0000031"}]}
            ]
        }
    )

    seeker: SeekerIn
    vacancies: list[VacancyItem] = Field(min_length=1)
    on: dt.date | None = Field(default=None, description="The day to score on (default today)")


class FiltersIn(_Request):
    """Optional narrowing of recommendations."""

    regions: list[RegionText] = Field(default_factory=list, max_length=20)
    min_salary: StrictInt | None = Field(default=None, ge=0, le=SALARY_MAX_CNY)
    accessible_only: StrictBool = False
    occupations: list[OccupationPrefix] = Field(default_factory=list, max_length=20)


class RecommendationRequest(_Request):
    """The best vacancies for a seeker: give ``seeker`` (inline) or ``seeker_id``."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {"seeker_id": "S0000001", "k": 10, "campaign": "golden_autumn"},
                {"seeker": _EXAMPLE_SEEKER, "k": 5, "filters": {"min_salary": 4500}},
            ]
        }
    )

    seeker: SeekerIn | None = None
    seeker_id: RecordId | None = None
    campaign: RecordId | None = Field(default=None, description="A campaign id (GET /v1/campaigns)")
    filters: FiltersIn | None = None
    k: StrictInt = Field(default=10, ge=1, description="How many vacancies to return")
    contributions: StrictBool = Field(
        default=False, description="Add the ranker's top feature contributions (slower)"
    )
    on: dt.date | None = Field(default=None, description="The day to match on (default today)")

    @model_validator(mode="after")
    def _one_seeker(self) -> RecommendationRequest:
        if (self.seeker is None) == (self.seeker_id is None):
            raise ValueError("seeker: give exactly one of seeker or seeker_id")
        return self


class CandidateRequest(_Request):
    """The best seekers for a vacancy: give ``vacancy`` (inline) or ``vacancy_id``."""

    model_config = ConfigDict(json_schema_extra={"examples": [{"vacancy_id": "V0000012", "k": 20}]})

    vacancy: VacancyIn | None = None
    vacancy_id: RecordId | None = None
    campaign: RecordId | None = None
    k: StrictInt = Field(default=10, ge=1, description="How many seekers to return")
    on: dt.date | None = None

    @model_validator(mode="after")
    def _one_vacancy(self) -> CandidateRequest:
        if (self.vacancy is None) == (self.vacancy_id is None):
            raise ValueError("vacancy: give exactly one of vacancy or vacancy_id")
        return self


class AnalyzeRequest(_Request):
    """A posted vacancy text (and its title, when known) to analyse."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [{"title": "电工", "text": "招聘电工3名，持低压电工证，月薪5000-7000元。"}]
        }
    )

    text: str = Field(min_length=1)
    title: str | None = Field(default=None, min_length=1, max_length=MAX_SHORT_TEXT)


# --- responses -----------------------------------------------------------------------------


class FieldError(_Response):
    field: str = Field(description="Dotted path of the field, e.g. seeker.resume_text")
    message: str


class Problem(_Response):
    """An error, as every error response carries it (RFC 9457, application/problem+json)."""

    type: str = Field(description="about:blank: the status and title say what happened")
    title: str
    status: int
    detail: str = Field(description="One sentence naming the field(s) and the problem")
    errors: list[FieldError]


class DisabilityOut(_Response):
    type: DisabilityType
    grade: int | None
    needs: list[str]


class SeekerOut(_Response):
    """A stored seeker. Contact data is never part of it."""

    id: str
    region: str | None
    birth_year: int | None
    education: int | None = Field(description="Level 0–6 (1 初中及以下 … 6 博士); null: unknown")
    major: str | None
    skills: list[str]
    certificates: list[str]
    experience_years: float | None
    resume_text: str
    desired_titles: list[str]
    desired_occupations: list[str]
    past_occupations: list[str]
    desired_regions: list[str]
    expected_salary: int | None
    priority_groups: list[str]
    disability: DisabilityOut | None
    available_from: dt.date | None
    registered_at: dt.date | None


class EmployerOut(_Response):
    id: str
    name: str
    credit_code: str
    ownership: Ownership
    size: EmployerSize
    industry: str
    region: str
    verification: Verification


class VacancyOut(_Response):
    id: str
    employer_id: str
    title: str
    occupation: str | None
    description: str
    region: str
    min_education: int = Field(description="Level 0–6 (0 学历不限)")
    min_experience_years: float
    age_min: int | None
    age_max: int | None
    salary_min: int | None
    salary_max: int | None
    openings: int
    skills: list[str]
    required_certificates: list[str]
    preferred_certificates: list[str]
    welfare: list[str]
    accessible: bool
    target_groups: list[str]
    campaigns: list[str]
    valid_from: dt.date
    valid_until: dt.date
    status: Literal["open", "closed"]


class BulkItemResult(_Response):
    index: int
    id: str | None
    status: Literal["accepted", "rejected"]
    errors: list[FieldError]


class BulkResponse(_Response):
    accepted: int
    rejected: int
    items: list[BulkItemResult]


class ScoreResult(_Response):
    rank: int
    vacancy_id: str
    score: float
    reason: str


_INFERRED_DOC = (
    "Fields of the inline seeker that were not given and were read from its résumé text "
    "(e.g. desired_occupations, education, region)"
)


class ScoreResponse(_Response):
    model_version: str
    results: list[ScoreResult]
    inferred: list[str] = Field(default_factory=list, description=_INFERRED_DOC)


class Contribution(_Response):
    feature: str
    value: float


class RecommendationOut(_Response):
    rank: int
    vacancy_id: str
    title: str
    employer: str
    region: str
    salary_min: int | None
    salary_max: int | None
    score: float
    reason: str
    contributions: list[Contribution]


class RecommendationsResponse(_Response):
    model_version: str
    results: list[RecommendationOut]
    inferred: list[str] = Field(default_factory=list, description=_INFERRED_DOC)


class CandidateOut(_Response):
    """What an employer may see of a seeker: no contact data, résumé or priority group."""

    rank: int
    reference: str = Field(
        description="An opaque reference to the seeker (`ref_` + 20 hex digits), stable within "
        "the caller's tenant and meaningless outside it",
        examples=["ref_3f1c9a0b7d2e4c6a8b10"],
    )
    seeker_id: str | None = Field(
        description="The stored seeker id, for keys with the `read` scope (the platform's "
        "staff) only; null for every other key"
    )
    score: float
    county: str
    age_band: str
    education: str
    experience_years: float | None
    skills: list[str]
    certificates: list[str]
    desired_titles: list[str]
    reason: str


class CandidatesResponse(_Response):
    model_version: str
    results: list[CandidateOut]


class OccupationOut(_Response):
    code: str | None
    name: str | None
    confidence: float
    method: str


class SalaryOut(_Response):
    min: int | None
    max: int | None
    basis: str
    months_per_year: int | None


class EducationOut(_Response):
    level: int | None
    label: str | None
    at_least: bool


class ExperienceOut(_Response):
    min_years: float | None
    max_years: float | None
    fresh_graduate: bool


class AgeOut(_Response):
    min: int | None
    max: int | None


class HeadcountOut(_Response):
    count: int | None
    unspecified: bool


class CertificatesOut(_Response):
    required: list[str]
    preferred: list[str]
    mentioned: list[str]


class ComplianceFlagOut(_Response):
    category: str
    severity: str
    span: str
    start: int
    end: int
    rule: str
    message: str


class AnalysisResponse(_Response):
    """What a vacancy text says, parsed (personal data in it redacted first and counted)."""

    title: str | None
    occupation: OccupationOut
    salary: SalaryOut
    education: EducationOut
    experience: ExperienceOut
    age: AgeOut
    headcount: HeadcountOut
    certificates: CertificatesOut
    welfare: list[str]
    compliance_flags: list[ComplianceFlagOut]
    redactions: dict[str, int]


class PeriodOut(_Response):
    start: dt.date
    end: dt.date


class CampaignPolicyOut(_Response):
    accessible_only: bool
    employer_kinds: list[str]
    employer_regions: list[str]
    groups_only: bool
    seeker_majors: list[str]
    group_boost: float


class CampaignOut(_Response):
    id: str
    name: str
    short_name: str
    periods: list[PeriodOut]
    priority_groups: list[str]
    partners: list[str]
    channels: list[str]
    description: str
    policy: CampaignPolicyOut


class CampaignsResponse(_Response):
    campaigns: list[CampaignOut]


class ModelOut(_Response):
    version: str
    created: dt.datetime
    ranker_kind: str
    ndcg_at_10: float | None = Field(description="NDCG@10 on the held-out test queries")
    active: bool
    notes: str


class ModelsResponse(_Response):
    active_version: str | None = Field(description="The version the registry names active")
    serving_version: str | None = Field(description="The version this process serves now")
    models: list[ModelOut]


class HealthResponse(_Response):
    status: Literal["ok"]


class ReadyResponse(_Response):
    status: Literal["ready"]
    model_version: str
    index_vacancies: int
    model_build_failure: str | None = None
    """A newer active version whose engine failed to build (the previous one keeps serving)."""


# --- requests → domain ---------------------------------------------------------------------


def _prefixed(error: InvalidRecord, prefix: str) -> InvalidRecord:
    problems = [
        FieldProblem(f"{prefix}.{p.field}" if p.field else prefix, p.message)
        for p in error.problems
    ]
    return InvalidRecord(error.kind, problems)


def _contact_data(contact: ContactIn | None, seeker_id: str, prefix: str) -> dict[str, Any] | None:
    """The contact as sent, checked by the domain (phone, 身份证号 check digit) under
    ``<prefix>contact``."""
    if contact is None:
        return None
    data = contact.model_dump(mode="json", exclude_unset=True)
    try:
        validate_record(Contact, {**data, "seeker_id": seeker_id})
    except InvalidRecord as error:
        raise _prefixed(error, f"{prefix}contact") from None
    return data


def record_data(kind: str, body: BaseModel, record_id: str | None = None) -> dict[str, Any]:
    """A request record as the mapping the service validates and stores: free text cleaned
    of personal data, a seeker's contact checked and nested under ``contact``.

    Parameters
    ----------
    kind : {"seekers", "employers", "vacancies", "interactions"}
    body : SeekerIn, EmployerIn, VacancyIn or InteractionIn
    record_id : str, optional
        The id from the path (PUT); it fills a missing ``id``.
    """
    data = body.model_dump(mode="json", exclude_unset=True, exclude={"contact"})
    if record_id is not None:
        data.setdefault("id", record_id)
    if kind == "seekers":
        assert isinstance(body, SeekerIn)
        contact = _contact_data(body.contact, str(data.get("id") or INLINE_ID), "")
        data = clean_seeker(data, contact)
        if contact is not None:
            data["contact"] = contact
    elif kind == "vacancies":
        data = clean_vacancy(data)
    elif kind == "employers":
        data = clean_employer(data)
    return data


def seeker_of(body: SeekerIn, field: str = "seeker") -> Seeker:
    """An inline seeker as a validated domain Seeker (its contact checked, then dropped)."""
    data = body.model_dump(mode="json", exclude_unset=True, exclude={"contact"})
    data.setdefault("id", INLINE_ID)
    contact = _contact_data(body.contact, data["id"], f"{field}.")
    try:
        return validate_record(Seeker, clean_seeker(data, contact))
    except InvalidRecord as error:
        raise _prefixed(error, field) from None


def vacancy_of(body: VacancyIn, field: str = "vacancy", default_id: str | None = None) -> Vacancy:
    """An inline vacancy as a validated domain Vacancy."""
    data = clean_vacancy(body.model_dump(mode="json", exclude_unset=True))
    if default_id is not None:
        data.setdefault("id", default_id)
    try:
        return validate_record(Vacancy, data)
    except InvalidRecord as error:
        raise _prefixed(error, field) from None


_REGIONS = TypeAdapter(list[RegionCode])
_ID = re.compile(ID_PATTERN)


def filters_of(body: FiltersIn | None) -> Filters | None:
    """Request filters as the engine's Filters; regions resolved to GB/T 2260 codes."""
    if body is None:
        return None
    try:
        regions = _REGIONS.validate_python(body.regions)
    except ValidationError as error:
        raise _prefixed(InvalidRecord("Filters", problems_from(error)), "filters.regions") from None
    return Filters(
        regions=tuple(regions),
        min_salary=body.min_salary,
        accessible_only=body.accessible_only,
        occupations=tuple(body.occupations),
    )


@dataclasses.dataclass(frozen=True)
class BulkItem:
    """One item of a bulk request after the API's own checks: its data, or its problems."""

    index: int
    id: str | None
    data: dict[str, Any] | None
    problems: tuple[FieldProblem, ...] = ()


def _shown_id(value: Any) -> str | None:
    """An item's id as results may echo it: a well-formed id that does not look like PII."""
    if isinstance(value, str) and _ID.fullmatch(value) and scrub(value) == value:
        return value
    return None


def bulk_items(kind: str, model: type[BaseModel], items: Sequence[Any]) -> list[BulkItem]:
    """Validate each raw item as ``model`` and convert the good ones with :func:`record_data`;
    problems name fields relative to the item and never echo its values."""
    checked: list[BulkItem] = []
    for index, item in enumerate(items):
        shown_id = _shown_id(item.get("id") if isinstance(item, Mapping) else None)
        if not isinstance(item, Mapping):
            problem = FieldProblem("", "must be a JSON object")
            checked.append(BulkItem(index, None, None, (problem,)))
            continue
        echoes = strings_in(item)
        try:
            body = model.model_validate(item)
            data = record_data(kind, body)
        except ValidationError as error:
            errors = error.errors(include_url=False, include_input=True)
            problems = problems_from_errors(errors, echoes=echoes)
            checked.append(BulkItem(index, shown_id, None, tuple(problems)))
            continue
        except InvalidRecord as error:
            problems = scrub_problems(error.problems, echoes=echoes)
            checked.append(BulkItem(index, shown_id, None, tuple(problems)))
            continue
        checked.append(BulkItem(index, shown_id, data))
    return checked


# --- domain → responses --------------------------------------------------------------------


def seeker_out(record: BaseModel) -> SeekerOut:
    """A stored seeker for the response, free text cleaned again (records imported by other
    paths may predate the API's cleaning)."""
    return SeekerOut.model_validate(clean_seeker(record.model_dump(mode="json"), None))


def employer_out(record: BaseModel) -> EmployerOut:
    """A stored employer for the response."""
    return EmployerOut.model_validate(record.model_dump(mode="json"))


def vacancy_out(record: BaseModel) -> VacancyOut:
    """A stored vacancy for the response."""
    return VacancyOut.model_validate(record.model_dump(mode="json"))


def recommendation_out(item: Recommendation) -> RecommendationOut:
    """One ranked vacancy for the response, its contributions as ``{feature, value}`` (read
    from the item's fields directly: no deep copy of it as a dict first)."""
    return RecommendationOut(
        rank=item.rank,
        vacancy_id=item.vacancy_id,
        title=item.title,
        employer=item.employer,
        region=item.region,
        salary_min=item.salary_min,
        salary_max=item.salary_max,
        score=item.score,
        reason=item.reason,
        contributions=[
            Contribution(feature=name, value=value) for name, value in item.contributions
        ],
    )


def candidate_out(item: CandidateSummary) -> CandidateOut:
    """A candidate summary for an employer; its free text cleaned again."""
    fields = dataclasses.asdict(item)
    for name in ("skills", "certificates", "desired_titles"):
        fields[name] = [clean_text(value) for value in fields[name]]
    fields["reason"] = clean_text(fields["reason"])
    return CandidateOut.model_validate(fields)


def campaign_out(campaign: Campaign) -> CampaignOut:
    """A campaign of the calendar for the response."""
    return CampaignOut.model_validate(campaign.model_dump(mode="json"))


def model_out(entry: RegistryEntry) -> ModelOut:
    """A registry entry with its headline metric (NDCG@10 of its own ranker kind, all queries)."""
    info = entry.info
    ndcg: Any = (
        info.metrics.get("metrics", {}).get(info.ranker_kind, {}).get("all", {}).get("ndcg@10")
    )
    if not isinstance(ndcg, int | float) or isinstance(ndcg, bool) or math.isnan(ndcg):
        ndcg = None
    return ModelOut(
        version=info.version,
        created=info.created,
        ranker_kind=info.ranker_kind,
        ndcg_at_10=None if ndcg is None else float(ndcg),
        active=entry.active,
        notes=info.notes,
    )
