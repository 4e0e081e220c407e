"""Domain schemas: Seeker, Contact, Employer, Vacancy, Campaign, Fair, Interaction.

Every model forbids unknown fields and validates against the shipped reference tables; a failed
validation names the field and the problem (see :func:`validate_record`). Contact data (name,
phone, 身份证号, address) lives only in :class:`Contact`, which ranking code never receives.
Gender is not a field of any model: it is never a ranking feature.
"""

from __future__ import annotations

import datetime as dt
import enum
import re
import unicodedata
from typing import Annotated, Any, Literal, TypeVar

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    ValidationError,
    model_validator,
)

from matcher.domain.codes import (
    credit_code_problem,
    id_number_problem,
    mobile_problem,
    normalize_mobile,
)
from matcher.errors import FieldProblem, InvalidRecord
from matcher.reference import (
    EducationLevel,
    industries,
    occupation_by_name,
    occupations,
    parse_education,
    regions,
    resolve_certificate,
    resolve_priority_group,
)

# Bounds, in one place so the API and the importers can quote them.
SALARY_MIN_CNY = 500
"""Lowest monthly figure accepted (part-time and 公益性岗位 pay can be low)."""
SALARY_MAX_CNY = 100_000
"""Highest monthly figure accepted; above it the figure is almost surely yearly."""
WORKING_AGE_MIN = 16
WORKING_AGE_MAX = 75
MAX_TITLE = 60
MAX_NAME = 100
MAX_SHORT_TEXT = 200
MAX_DESCRIPTION = 5_000
MAX_RESUME = 8_000
MAX_LIST = 50
MAX_ID = 64
"""Longest record id (letters, digits and ``_ . : -``)."""
MAX_ID_CHECKED = 256
"""Longer values are refused before they are looked at."""
ID_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9_.:-]{0,63}$"


# --- reusable field types ------------------------------------------------------------------


def _region_code(value: object) -> str:
    if isinstance(value, int):
        value = str(value)
    if not isinstance(value, str):
        raise ValueError("must be a GB/T 2260 region code as text, e.g. '510903'")
    code = regions().resolve(value)
    if code is None:
        raise ValueError("is not a GB/T 2260 region code (or a unique area name)")
    return code


def _education(value: object) -> EducationLevel:
    if isinstance(value, EducationLevel):
        return value
    if not isinstance(value, str | int) or isinstance(value, bool):
        raise ValueError("must be a GB/T 4658 code, a level 0–6 or a word such as 大专")
    level = parse_education(value)
    if level is None:
        raise ValueError(
            "is not a GB/T 4658 code or an education word "
            "(初中及以下, 高中, 中专, 技校, 大专, 本科, 硕士, 博士)"
        )
    return level


def _seeker_education(level: EducationLevel) -> EducationLevel:
    if level is EducationLevel.NONE:
        raise ValueError("学历不限 is only for a vacancy's minimum education")
    return level


def _occupation_code(value: object) -> str:
    if not isinstance(value, str):
        raise ValueError("must be a 职业分类大典 2022 code such as '6-31-01-03'")
    text = value.strip()
    if text in occupations():
        return text
    by_name = occupation_by_name().get(text)
    if by_name is not None:
        return by_name
    raise ValueError("is not a 职业分类大典 2022 occupation code or name")


def _industry_code(value: object) -> str:
    if not isinstance(value, str) or value.strip().upper() not in industries():
        raise ValueError("is not a GB/T 4754-2017 section (A–T) or division (01–97)")
    return value.strip().upper()


def _priority_group(value: object) -> str:
    if not isinstance(value, str):
        raise ValueError("must be a priority-group code or name")
    code = resolve_priority_group(value)
    if code is None:
        raise ValueError("is not a known priority group")
    return code


def _certificate(value: object) -> str:
    """Known certificates are stored by code; others are kept verbatim (trimmed)."""
    if not isinstance(value, str) or not value.strip():
        raise ValueError("must be a non-empty certificate name")
    return resolve_certificate(value) or value.strip()


def _unique(values: list[Any]) -> list[Any]:
    return list(dict.fromkeys(values))


def _strip(value: object) -> object:
    return value.strip() if isinstance(value, str) else value


RegionCode = Annotated[str, BeforeValidator(_region_code)]
Education = Annotated[EducationLevel, BeforeValidator(_education)]
SeekerEducation = Annotated[
    EducationLevel, BeforeValidator(_education), AfterValidator(_seeker_education)
]
OccupationCode = Annotated[str, BeforeValidator(_occupation_code)]
IndustryCode = Annotated[str, BeforeValidator(_industry_code)]
PriorityGroupCode = Annotated[str, BeforeValidator(_priority_group)]
CertificateName = Annotated[str, BeforeValidator(_certificate)]


# --- record ids --------------------------------------------------------------------------

# GB/T 2260 province-level codes: the first two digits of every 公民身份号码.
_PROVINCE_PREFIXES = frozenset(
    [
        "11",
        "12",
        "13",
        "14",
        "15",
        "21",
        "22",
        "23",
        "31",
        "32",
        "33",
        "34",
        "35",
        "36",
        "37",
        "41",
        "42",
        "43",
        "44",
        "45",
        "46",
        "50",
        "51",
        "52",
        "53",
        "54",
        "61",
        "62",
        "63",
        "64",
        "65",
        "71",
        "81",
        "82",
    ]
)
_BIRTH_DATE8 = r"(?:19|20)\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])"
_BIRTH_DATE6 = r"\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])"
_PERSONAL_DIGITS: tuple[tuple[str, re.Pattern[str]], ...] = (
    (
        "a 身份证号",
        re.compile(r"\d{6}" + _BIRTH_DATE8 + r"\d{3}[\dX]|\d{6}" + _BIRTH_DATE6 + r"\d{3}"),
    ),
    ("a mobile phone number", re.compile(r"(?:0086|86)?1[3-9]\d{9}")),
    ("a landline phone number", re.compile(r"0(?:10|2\d|[3-9]\d{2})[2-9]\d{6,7}")),
)
_DIGIT_GROUP = re.compile(r"\d+(?:X(?![0-9A-Z]))?")
_MAX_JOINER = 3
"""Separators (spaces, dashes, dots …) this long or shorter join digit groups into one number."""


def _personal_kind(digits: str) -> str | None:
    for kind, pattern in _PERSONAL_DIGITS:
        if pattern.fullmatch(digits):
            if kind == "a 身份证号" and digits[:2] not in _PROVINCE_PREFIXES:
                continue
            return kind
    return None


def id_personal_data(value: str) -> str | None:
    """What personal data ``value`` looks like (``"a mobile phone number"`` …), or ``None``.

    Looks for a 15- or 18-digit 身份证号 shape (province prefix and birth date), an 11-digit
    mobile number starting 13–19 (with or without 86 / 0086) or a landline with its area code
    (010, 02x, 03xx–09xx), written whole or in groups joined by up to three separator characters
    (``139 1234 5678``, ``139-1234-5678``, ``139.1234.5678``, full-width digits) anywhere in the
    value. A bare seven- or eight-digit local number is not refused: it cannot be told from a
    sequence number. Linear in practice: at most a few dozen groups, each chain cut at 20
    digits.
    """
    text = unicodedata.normalize("NFKC", value).upper()
    chains: list[list[str]] = []
    end = 0
    for group in _DIGIT_GROUP.finditer(text):
        joiner = text[end : group.start()]
        if chains and 0 < len(joiner) <= _MAX_JOINER and not any(c.isalnum() for c in joiner):
            chains[-1].append(group.group())
        else:
            chains.append([group.group()])
        end = group.end()
    for chain in chains:
        for first in range(len(chain)):
            digits = ""
            for part in chain[first:]:
                digits += part
                if len(digits) > 20:
                    break
                kind = _personal_kind(digits)
                if kind is not None:
                    return kind
    return None


def _record_id(value: object) -> str:
    if isinstance(value, int) and not isinstance(value, bool):
        value = str(value)
    if not isinstance(value, str):
        raise ValueError("must be a text id")
    if len(value) > MAX_ID_CHECKED:
        raise ValueError(f"must be 1–{MAX_ID} letters, digits or _ . : -")
    kind = id_personal_data(value)
    if kind is not None:
        raise ValueError(
            f"looks like personal data ({kind}); record ids must not carry names, phone "
            "numbers or 身份证号 — use an opaque id such as S0000123"
        )
    if not _ID_RE.fullmatch(value.strip()):
        raise ValueError(
            f"must be 1–{MAX_ID} letters, digits or _ . : - (starting with a letter or digit)"
        )
    return value.strip()


_ID_RE = re.compile(ID_PATTERN)
RecordId = Annotated[str, BeforeValidator(_record_id)]
ShortText = Annotated[str, BeforeValidator(_strip), Field(min_length=1, max_length=MAX_SHORT_TEXT)]
Salary = Annotated[int, Field(ge=SALARY_MIN_CNY)]


def _salary(value: int | None, field_hint: str = "") -> int | None:
    if value is not None and value > SALARY_MAX_CNY:
        raise ValueError(
            f"{value} CNY per month is above {SALARY_MAX_CNY}; "
            "give a monthly figure (a yearly figure divided by 12)"
        )
    return value


MonthlySalary = Annotated[int, Field(ge=SALARY_MIN_CNY), AfterValidator(_salary)]


class _Model(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        str_strip_whitespace=True,
        validate_assignment=False,
        frozen=False,
        use_enum_values=False,
    )


# --- seekers -------------------------------------------------------------------------------


class DisabilityType(enum.StrEnum):
    """Disability categories of GB/T 26341-2010 (残疾人残疾分类和分级)."""

    VISUAL = "视力残疾"
    HEARING = "听力残疾"
    SPEECH = "言语残疾"
    PHYSICAL = "肢体残疾"
    INTELLECTUAL = "智力残疾"
    MENTAL = "精神残疾"
    MULTIPLE = "多重残疾"


class Disability(_Model):
    """What an employer needs to know to offer a suitable post; grade 1 is the most severe."""

    type: DisabilityType
    grade: int | None = Field(default=None, ge=1, le=4)
    needs: list[ShortText] = Field(default_factory=list, max_length=10)


class Seeker(_Model):
    """A job seeker as ranking code sees them: no name, phone, 身份证号 or address, no gender."""

    id: RecordId
    region: RegionCode | None = None
    """Where the seeker lives; None when unknown (a text-only seeker whose text names no place)."""
    birth_year: int | None = None
    education: SeekerEducation | None = None
    major: str | None = Field(default=None, max_length=MAX_SHORT_TEXT)
    skills: list[ShortText] = Field(default_factory=list, max_length=MAX_LIST)
    certificates: list[CertificateName] = Field(default_factory=list, max_length=MAX_LIST)
    experience_years: float | None = Field(default=None, ge=0, le=60)
    """Years of work; None when unknown (0 is a value: no experience)."""
    resume_text: str = Field(default="", max_length=MAX_RESUME)
    desired_titles: list[ShortText] = Field(default_factory=list, max_length=10)
    desired_occupations: list[OccupationCode] = Field(default_factory=list, max_length=10)
    past_occupations: list[OccupationCode] = Field(default_factory=list, max_length=10)
    """大典 codes of work the seeker has done (read from the résumé when not given); a posting of
    one they do not also desire fits less than a wish (``features.pairwise.PAST_WORK_FIT``)."""
    desired_regions: list[RegionCode] = Field(default_factory=list, max_length=20)
    expected_salary: MonthlySalary | None = None
    priority_groups: list[PriorityGroupCode] = Field(default_factory=list, max_length=10)
    disability: Disability | None = None
    available_from: dt.date | None = None
    registered_at: dt.date | None = None

    @model_validator(mode="after")
    def _check(self) -> Seeker:
        year = dt.date.today().year
        if self.birth_year is not None and not (
            year - WORKING_AGE_MAX <= self.birth_year <= year - WORKING_AGE_MIN
        ):
            raise _field_error(
                "birth_year",
                f"{self.birth_year} gives an age outside {WORKING_AGE_MIN}–{WORKING_AGE_MAX}",
            )
        if (
            self.birth_year is not None
            and self.experience_years is not None
            and self.experience_years > year - self.birth_year - 14
        ):
            raise _field_error(
                "experience_years",
                f"{self.experience_years} years is more than the seeker's age allows",
            )
        if "disabled" in self.priority_groups and self.disability is None:
            raise _field_error("disability", "is required for a seeker in the group 残疾人")
        self.skills = _unique(self.skills)
        self.certificates = _unique(self.certificates)
        self.priority_groups = _unique(self.priority_groups)
        self.desired_regions = _unique(self.desired_regions)
        self.desired_occupations = _unique(self.desired_occupations)
        self.past_occupations = _unique(self.past_occupations)
        return self

    @property
    def age(self) -> int | None:
        """Age this year (birth year only: the exact birthday is contact data); None when the
        birth year is unknown."""
        return self.age_on(dt.date.today())

    def age_on(self, day: dt.date) -> int | None:
        return None if self.birth_year is None else day.year - self.birth_year


class Contact(_Model):
    """A seeker's personal data. Stored apart; never logged, ranked on or shown to employers."""

    seeker_id: RecordId
    name: str | None = Field(default=None, max_length=MAX_NAME)
    phone: str | None = None
    id_number: str | None = None
    address: str | None = Field(default=None, max_length=MAX_SHORT_TEXT)

    @model_validator(mode="after")
    def _check(self) -> Contact:
        if self.phone is not None:
            problem = mobile_problem(self.phone)
            if problem:
                raise _field_error("phone", problem)
            self.phone = normalize_mobile(self.phone)
        if self.id_number is not None:
            self.id_number = self.id_number.upper()
            problem = id_number_problem(self.id_number)
            if problem:
                raise _field_error("id_number", problem)
        return self

    def __repr__(self) -> str:  # never print personal data by accident
        return f"Contact(seeker_id={self.seeker_id!r}, …)"

    __str__ = __repr__


# --- employers and vacancies ---------------------------------------------------------------


class Ownership(enum.StrEnum):
    PRIVATE = "民营"
    STATE = "国有"
    COLLECTIVE = "集体"
    FOREIGN = "外资"
    HK_MACAO_TAIWAN = "港澳台"
    JOINT_VENTURE = "合资"
    PUBLIC_INSTITUTION = "机关事业单位"
    SOCIAL_ORGANIZATION = "社会组织"
    INDIVIDUAL = "个体工商户"


PRIVATE_OWNERSHIPS = frozenset({Ownership.PRIVATE, Ownership.INDIVIDUAL})
NON_ENTERPRISE_OWNERSHIPS = frozenset({Ownership.PUBLIC_INSTITUTION, Ownership.SOCIAL_ORGANIZATION})


class EmployerSize(enum.StrEnum):
    """Enterprise size classes of 统计上大中小微型企业划分办法."""

    MICRO = "微型"
    SMALL = "小型"
    MEDIUM = "中型"
    LARGE = "大型"


class Verification(enum.StrEnum):
    """资质审核: whether staff have checked the employer's licence and postings."""

    PENDING = "pending"
    VERIFIED = "verified"
    REJECTED = "rejected"


class EmployerKind(enum.StrEnum):
    """Kinds of employer a campaign can be limited to (an employer may be several)."""

    PRIVATE = "民营企业"
    SME = "中小企业"
    MANUFACTURING = "制造业"
    STATE = "国有企业"


class Employer(_Model):
    id: RecordId
    name: str = Field(min_length=2, max_length=MAX_NAME)
    credit_code: str
    ownership: Ownership
    size: EmployerSize
    industry: IndustryCode
    region: RegionCode
    verification: Verification = Verification.PENDING

    @model_validator(mode="after")
    def _check(self) -> Employer:
        self.credit_code = self.credit_code.upper()
        problem = credit_code_problem(self.credit_code)
        if problem:
            raise _field_error("credit_code", problem)
        return self

    @property
    def industry_section(self) -> str:
        return industries()[self.industry].section

    @property
    def is_private(self) -> bool:
        return self.ownership in PRIVATE_OWNERSHIPS

    @property
    def is_sme(self) -> bool:
        return self.size is not EmployerSize.LARGE

    @property
    def kinds(self) -> frozenset[EmployerKind]:
        """民营企业 / 中小企业 / 制造业 / 国有企业, as campaign policies use them."""
        kinds = set()
        if self.is_private:
            kinds.add(EmployerKind.PRIVATE)
        if self.is_sme and self.ownership not in NON_ENTERPRISE_OWNERSHIPS:
            kinds.add(EmployerKind.SME)
        if self.industry_section == "C":
            kinds.add(EmployerKind.MANUFACTURING)
        if self.ownership is Ownership.STATE:
            kinds.add(EmployerKind.STATE)
        return frozenset(kinds)


class Vacancy(_Model):
    id: RecordId
    employer_id: RecordId
    title: str = Field(min_length=1, max_length=MAX_TITLE)
    occupation: OccupationCode | None = None
    description: str = Field(default="", max_length=MAX_DESCRIPTION)
    region: RegionCode
    min_education: Education = EducationLevel.NONE
    min_experience_years: float = Field(default=0.0, ge=0, le=40)
    age_min: int | None = Field(default=None, ge=WORKING_AGE_MIN, le=WORKING_AGE_MAX)
    age_max: int | None = Field(default=None, ge=WORKING_AGE_MIN, le=WORKING_AGE_MAX)
    salary_min: MonthlySalary | None = None
    salary_max: MonthlySalary | None = None
    openings: int = Field(default=1, ge=1, le=10_000)
    skills: list[ShortText] = Field(default_factory=list, max_length=MAX_LIST)
    required_certificates: list[CertificateName] = Field(default_factory=list, max_length=20)
    preferred_certificates: list[CertificateName] = Field(default_factory=list, max_length=20)
    welfare: list[ShortText] = Field(default_factory=list, max_length=30)
    accessible: bool = False
    target_groups: list[PriorityGroupCode] = Field(default_factory=list, max_length=10)
    campaigns: list[RecordId] = Field(default_factory=list, max_length=20)
    valid_from: dt.date
    valid_until: dt.date
    status: Literal["open", "closed"] = "open"

    @model_validator(mode="after")
    def _check(self) -> Vacancy:
        if self.age_min is not None and self.age_max is not None and self.age_min > self.age_max:
            raise _field_error(
                "age_max", f"{self.age_max} is below age_min {self.age_min}; ages must be ordered"
            )
        if (
            self.salary_min is not None
            and self.salary_max is not None
            and self.salary_min > self.salary_max
        ):
            raise _field_error(
                "salary_max", f"{self.salary_max} is below salary_min {self.salary_min}"
            )
        if self.valid_from > self.valid_until:
            raise _field_error(
                "valid_until", f"{self.valid_until} is before valid_from {self.valid_from}"
            )
        if self.valid_until - self.valid_from > dt.timedelta(days=366):
            raise _field_error("valid_until", "a vacancy may be open for at most one year")
        self.required_certificates = _unique(self.required_certificates)
        self.preferred_certificates = [
            c for c in _unique(self.preferred_certificates) if c not in self.required_certificates
        ]
        self.skills = _unique(self.skills)
        self.welfare = _unique(self.welfare)
        self.target_groups = _unique(self.target_groups)
        return self

    def is_active(self, on: dt.date) -> bool:
        return self.status == "open" and self.valid_from <= on <= self.valid_until


# --- campaigns and fairs -------------------------------------------------------------------


class CampaignPolicy(_Model):
    """What a campaign asks of matching: hard filters on both sides and a boost for its groups."""

    accessible_only: bool = False
    """Offer only vacancies marked accessible (残疾人就业帮扶)."""
    employer_kinds: list[EmployerKind] = Field(default_factory=list)
    """Eligible employers have at least one of these kinds; empty means every employer."""
    employer_regions: list[RegionCode] = Field(default_factory=list)
    """Eligible employers lie in one of these areas (a city code covers its counties)."""
    groups_only: bool = False
    """Only seekers in the campaign's priority groups take part."""
    seeker_majors: list[ShortText] = Field(default_factory=list)
    """Seekers whose major contains one of these words (e.g. 工科 majors); empty means any."""
    group_boost: float = Field(default=0.0, ge=0.0, le=1.0)
    """Score boost for seekers in the campaign's priority groups (added to a score in [0, 1])."""


class Period(_Model):
    start: dt.date
    end: dt.date

    @model_validator(mode="after")
    def _check(self) -> Period:
        if self.start > self.end:
            raise _field_error("end", f"{self.end} is before start {self.start}")
        return self


class Campaign(_Model):
    """One public-employment campaign (专项活动) of the calendar."""

    id: RecordId
    name: str = Field(min_length=2, max_length=MAX_SHORT_TEXT)
    short_name: str = Field(min_length=2, max_length=30)
    periods: list[Period] = Field(min_length=1, max_length=12)
    priority_groups: list[PriorityGroupCode] = Field(default_factory=list)
    partners: list[ShortText] = Field(default_factory=list)
    channels: list[ShortText] = Field(default_factory=list)
    description: str = Field(default="", max_length=MAX_DESCRIPTION)
    policy: CampaignPolicy = Field(default_factory=CampaignPolicy)

    @property
    def start(self) -> dt.date:
        return min(period.start for period in self.periods)

    @property
    def end(self) -> dt.date:
        return max(period.end for period in self.periods)

    def is_running(self, on: dt.date) -> bool:
        return any(period.start <= on <= period.end for period in self.periods)


class Booth(_Model):
    booth: ShortText
    employer_id: RecordId
    vacancy_ids: list[RecordId] = Field(default_factory=list, max_length=200)
    interview_slots: int | None = Field(default=None, ge=0, le=10_000)


class Fair(_Model):
    """A dated job fair (招聘会) with its booths and interview slots."""

    id: RecordId
    name: str = Field(min_length=2, max_length=MAX_SHORT_TEXT)
    campaign_id: RecordId | None = None
    date: dt.date
    start_time: dt.time | None = None
    end_time: dt.time | None = None
    region: RegionCode
    venue: str | None = Field(default=None, max_length=MAX_SHORT_TEXT)
    online: bool = False
    booths: list[Booth] = Field(default_factory=list, max_length=2_000)

    @model_validator(mode="after")
    def _check(self) -> Fair:
        if self.start_time and self.end_time and self.start_time >= self.end_time:
            raise _field_error("end_time", f"{self.end_time} is not after {self.start_time}")
        booths = [booth.booth for booth in self.booths]
        if len(set(booths)) != len(booths):
            raise _field_error("booths", "booth names must be unique within a fair")
        return self


# --- interactions --------------------------------------------------------------------------


class InteractionKind(enum.StrEnum):
    """What happened between a seeker and a vacancy, from seen to hired."""

    IMPRESSION = "impression"
    CLICK = "click"
    APPLY = "apply"
    INTERVIEW = "interview"
    OFFER = "offer"
    HIRE = "hire"
    REJECT = "reject"


LABEL_OF_KIND = {
    InteractionKind.IMPRESSION: 0,
    InteractionKind.REJECT: 0,
    InteractionKind.CLICK: 1,
    InteractionKind.APPLY: 2,
    InteractionKind.INTERVIEW: 3,
    InteractionKind.OFFER: 3,
    InteractionKind.HIRE: 4,
}
"""Graded relevance label of each kind (the best kind of a pair is its label)."""


class Interaction(_Model):
    seeker_id: RecordId
    vacancy_id: RecordId
    kind: InteractionKind
    time: dt.datetime
    position: int | None = Field(default=None, ge=1, le=10_000)
    campaign_id: RecordId | None = None
    source: str = Field(default="unknown", min_length=1, max_length=60)
    session_id: str | None = Field(default=None, max_length=64)


# --- errors --------------------------------------------------------------------------------


class _FieldError(ValueError):
    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}")
        self.field = field
        self.message = message


def _field_error(field: str, message: str) -> _FieldError:
    return _FieldError(field, message)


_VALUE_ERROR = re.compile(r"^(Value error|Assertion failed), ")
_FIELD_PREFIX = re.compile(r"^([a-z_][a-z0-9_.]*): (.*)$", re.DOTALL)


def problems_from(error: ValidationError) -> list[FieldProblem]:
    """Turn a pydantic error into (field, message) pairs without echoing rejected PII."""
    problems: list[FieldProblem] = []
    for item in error.errors(include_url=False, include_input=False):
        field = ".".join(str(part) for part in item["loc"])
        message = _VALUE_ERROR.sub("", item["msg"])
        nested = _FIELD_PREFIX.match(message)
        if nested and not field:
            field, message = nested.group(1), nested.group(2)
        elif nested:
            field, message = f"{field}.{nested.group(1)}", nested.group(2)
        if item["type"] == "extra_forbidden":
            message = "is not a known field"
        problems.append(FieldProblem(field, message))
    return problems


Record = TypeVar("Record", bound=BaseModel)


def validate_record(model: type[Record], data: Any) -> Record:
    """Validate ``data`` as ``model`` or raise :class:`InvalidRecord` naming each bad field."""
    try:
        return model.model_validate(data)
    except ValidationError as error:
        raise InvalidRecord(model.__name__, problems_from(error)) from None


RECORD_KINDS: dict[str, type[BaseModel]] = {
    "seekers": Seeker,
    "contacts": Contact,
    "employers": Employer,
    "vacancies": Vacancy,
    "interactions": Interaction,
    "fairs": Fair,
}
"""Record kinds the store and the importers know, by their plural name."""
