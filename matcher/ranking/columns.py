"""The one place that turns domain objects into the plain strings and arrays ``features`` takes.

- :func:`seeker_text` / :func:`vacancy_text`: each record as one text (retrieval, TF-IDF);
  :func:`seeker_desired_text` / :func:`vacancy_title_text`: what is wanted ↔ what is offered.
- :class:`Vocabularies`: the skill and certificate vocabularies both sides share (certificate
  codes of :func:`matcher.reference.certificates` first); terms outside a vocabulary are hashed
  into extra columns, so columns built at different times still agree.
- :func:`seeker_columns` / :func:`vacancy_columns`: the
  :class:`~features.pairwise.SeekerColumns` / :class:`~features.pairwise.VacancyColumns` that
  :func:`features.pairwise.pair_features` consumes.

Encodings: region codes become 6-digit ints (city ``5109`` → ``510900``); priority groups become
bits in the order of :func:`matcher.reference.priority_groups`; dates become days since
1970-01-01 (:func:`epoch_days`); a birth year becomes the age on the reference day.
Contact data and gender never reach these columns (the schemas ranking code sees have none).
"""

from __future__ import annotations

import datetime as dt
import unicodedata
import zlib
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from typing import Any, Literal

import numpy as np
import scipy.sparse as sp
from numpy.typing import NDArray

from features.pairwise import (
    PAST_WORK,
    UNKNOWN_EDUCATION,
    RelatedOccupations,
    SeekerColumns,
    VacancyColumns,
    occupation_number,
)
from features.vectorize import TextVectorizer
from matcher.domain.records import Employer, Seeker, Vacancy, Verification
from matcher.intake.lexicon import domain_tokenizer, related_occupations, text_priors
from matcher.intake.occupations import occupation_for_titles
from matcher.reference import (
    certificate_name,
    certificates,
    held_certificates,
    occupations,
    priority_groups,
    resolve_priority_group,
)

Tokenize = Callable[[str], list[str]]
"""A tokenizer: text → tokens. ``None`` means :func:`matcher.intake.lexicon.domain_tokenizer`, the
one used by training, batch and serving alike; tests may pass
``features.vectorize.simple_tokenize``."""
TextVectors = Literal["sparse", "dense"]
EPOCH = dt.date(1970, 1, 1)
UNKNOWN_REGION = 0
"""A region column's value for "not known" (a text-only seeker that names no place)."""
OBTAINED_AFTER_HIRE = frozenset({"健康证明"})
"""Certificate categories a seeker gets once hired, in days and usually at the employer's cost
(a 健康证 from a clinic): a posting that asks for one does not bind a seeker who lacks it, in
the features or in the candidates' hard filter."""


def binding_certificates(codes: Sequence[str]) -> list[str]:
    """The required ``codes`` a seeker must already hold: all but :data:`OBTAINED_AFTER_HIRE`."""
    table = certificates()
    return [
        code
        for code in codes
        if code not in table or table[code].category not in OBTAINED_AFTER_HIRE
    ]


OVERFLOW_BUCKETS = 4_096
"""Hashed columns for terms outside a vocabulary (collisions among a record's few unknown terms
are rare at this width)."""


# --- texts ---------------------------------------------------------------------------------


def _certificate_names(codes: Sequence[str]) -> list[str]:
    return [certificate_name(code) for code in codes]


def seeker_text(seeker: Seeker) -> str:
    """What the seeker wants and can do, as one text: desired titles and occupations (then past
    work) first."""
    return profile_text(
        seeker.desired_titles,
        [*seeker.desired_occupations, *seeker.past_occupations],
        seeker.major or "",
        seeker.skills,
        seeker.certificates,
        seeker.resume_text,
    )


def profile_text(
    desired_titles: Sequence[str],
    desired_occupations: Sequence[str],
    major: str,
    skills: Sequence[str],
    certificate_codes: Sequence[str],
    resume_text: str,
) -> str:
    """:func:`seeker_text` from plain values (pairs files have no Seeker records)."""
    parts = [
        wish_text(desired_titles, list(dict.fromkeys(desired_occupations))),
        major,
        " ".join(skills),
        " ".join(_certificate_names(certificate_codes)),
        resume_text,
    ]
    return "\n".join(part for part in parts if part)


def vacancy_text(vacancy: Vacancy) -> str:
    """The vacancy as one text: title (twice, it matters most), occupation, skills, description."""
    return posting_text(
        vacancy.title,
        vacancy.occupation,
        vacancy.skills,
        vacancy.required_certificates,
        vacancy.description,
    )


def posting_text(
    title: str,
    occupation: str | None,
    skills: Sequence[str],
    required_certificates: Sequence[str],
    description: str,
) -> str:
    """:func:`vacancy_text` from plain values."""
    table = occupations()
    name = table[occupation].name if occupation in table else ""
    parts = [
        title,
        title,
        name,
        " ".join(skills),
        " ".join(_certificate_names(required_certificates)),
        description,
    ]
    return "\n".join(part for part in parts if part)


def seeker_desired_text(seeker: Seeker) -> str:
    """Desired titles and the names of desired occupations (empty when none are given)."""
    return wish_text(seeker.desired_titles, seeker.desired_occupations)


def wish_text(desired_titles: Sequence[str], desired_occupations: Sequence[str]) -> str:
    """:func:`seeker_desired_text` from plain values."""
    table = occupations()
    wanted = [*desired_titles, *(table[c].name for c in desired_occupations if c in table)]
    return " ".join(wanted)


def vacancy_title_text(vacancy: Vacancy) -> str:
    """The title and the name of the vacancy's occupation."""
    return title_text(vacancy.title, vacancy.occupation)


def title_text(title: str, occupation: str | None) -> str:
    """:func:`vacancy_title_text` from plain values."""
    table = occupations()
    name = table[occupation].name if occupation in table else ""
    return " ".join(part for part in (title, name) if part)


def epoch_days(day: dt.date) -> int:
    """Days since 1970-01-01: the day scale of ``valid_from`` and ``today`` in pair features."""
    return (day - EPOCH).days


def region_number(code: str) -> int:
    """A GB/T 2260 code as a 6-digit int: ``"510903"`` → 510903, ``"5109"`` → 510900."""
    if not code.isdigit() or len(code) not in (2, 4, 6):
        raise ValueError(f"{code!r} is not a 2-, 4- or 6-digit GB/T 2260 region code")
    return int(code.ljust(6, "0"))


@cache
def group_positions() -> dict[str, int]:
    """Priority-group code → its bit in the masks (the order of the reference table)."""
    position = {code: bit for bit, code in enumerate(priority_groups())}
    if len(position) > 63:
        raise ValueError(f"{len(position)} priority groups do not fit an int64 bitmask")
    return position


def group_bits(groups: Iterable[str]) -> int:
    """Bitmask of priority groups: bit i is the i-th group of the reference table.

    Groups may be given by code, name or alias; an unknown one raises ``ValueError``.
    """
    position = group_positions()
    mask = 0
    for group in groups:
        code = resolve_priority_group(group)
        if code is None:
            raise ValueError(f"{group!r} is not a known priority group")
        mask |= 1 << position[code]
    return mask


def title_occupations(titles: Sequence[str]) -> list[str | None]:
    """The 大典 code of each title (:func:`matcher.intake.occupations.occupation_for_titles`, one
    batch for the distinct titles), ``None`` where nothing fits or the title is empty."""
    distinct = list(dict.fromkeys(title for title in titles if title.strip()))
    code = {
        title: found.code
        for title, found in zip(distinct, occupation_for_titles(distinct), strict=True)
    }
    return [code.get(title) for title in titles]


def desired_occupation_lists(
    occupation_lists: Sequence[Sequence[str]], title_lists: Sequence[Sequence[str]]
) -> list[list[str]]:
    """Per seeker: the desired 大典 codes, then the codes of the desired titles (those that map
    to one), without repeats, in that order."""
    flat = [title for titles in title_lists for title in titles]
    mapped = iter(title_occupations(flat))
    out = []
    for codes, titles in zip(occupation_lists, title_lists, strict=True):
        from_titles = [next(mapped) for _ in titles]
        out.append(list(dict.fromkeys([*codes, *(c for c in from_titles if c is not None)])))
    return out


@cache
def related_table() -> RelatedOccupations:
    """The curated occupation links (``reference/related_occupations.csv``) as the lookup
    :func:`features.pairwise.pair_features` takes for ``related_occupation``."""
    return RelatedOccupations.of(
        (occupation_number(link.code_a), occupation_number(link.code_b), link.strength)
        for link in related_occupations()
    )


def occupation_rows(
    code_lists: Sequence[Iterable[str]], past_lists: Sequence[Iterable[str]] | None = None
) -> NDArray[np.int64]:
    """Lists of 大典 codes as :func:`features.pairwise.occupation_number` ints, one row each,
    then the codes of ``past_lists`` (past work) not in the row's list + ``PAST_WORK``, padded
    with 0: the ``desired_occupations`` of :class:`~features.pairwise.SeekerColumns`."""
    numbers = [[occupation_number(code) for code in codes] for codes in code_lists]
    if past_lists is not None:
        for wishes, past in zip(numbers, past_lists, strict=True):
            wished = set(wishes)
            wishes.extend(
                dict.fromkeys(
                    number + PAST_WORK
                    for number in map(occupation_number, past)
                    if number and number not in wished
                )
            )
    width = max((len(row) for row in numbers), default=0)
    out = np.zeros((len(numbers), width), dtype=np.int64)
    for row, values in enumerate(numbers):
        out[row, : len(values)] = values
    return out


def skill_key(skill: str) -> str:
    """How skills are compared: NFKC, case-folded, no spaces (``Excel 表格`` = ``excel表格``)."""
    return "".join(unicodedata.normalize("NFKC", skill).casefold().split())


# --- vocabularies --------------------------------------------------------------------------


@dataclass(frozen=True)
class TermVocabulary:
    """Terms → columns of a binary matrix, plus ``overflow_buckets`` hashed columns.

    A term outside :attr:`terms` goes to column ``len(terms) + crc32(term) % overflow_buckets``,
    so coverage still counts it and both sides agree without refitting: the pair features do
    not depend on which vocabulary was used (barring a collision of two unknown terms).
    """

    terms: tuple[str, ...]
    overflow_buckets: int = OVERFLOW_BUCKETS
    _index: dict[str, int] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        if len(set(self.terms)) != len(self.terms):
            raise ValueError("terms must be unique")
        if self.overflow_buckets < 1:
            raise ValueError(f"overflow_buckets must be at least 1, got {self.overflow_buckets}")
        object.__setattr__(self, "_index", {term: j for j, term in enumerate(self.terms)})

    @property
    def size(self) -> int:
        """Number of columns: the terms plus the overflow buckets."""
        return len(self.terms) + self.overflow_buckets

    def column(self, term: str) -> int:
        found = self._index.get(term)
        if found is not None:
            return found
        return len(self.terms) + zlib.crc32(term.encode("utf-8")) % self.overflow_buckets

    def encode(self, term_lists: Sequence[Iterable[str]]) -> Any:
        """Binary rows, one per list.

        Returns
        -------
        csr_array of shape (len(term_lists), size), float32
        """
        columns = [sorted({self.column(term) for term in terms}) for terms in term_lists]
        lengths = np.fromiter(map(len, columns), dtype=np.int64, count=len(columns))
        indptr = np.concatenate([[0], np.cumsum(lengths)])
        indices = np.fromiter(
            (j for row in columns for j in row), dtype=np.int64, count=int(indptr[-1])
        )
        data = np.ones(len(indices), dtype=np.float32)
        return sp.csr_array((data, indices, indptr), shape=(len(columns), self.size))


@dataclass(frozen=True)
class Vocabularies:
    """The skill and certificate vocabularies seekers and vacancies are encoded with."""

    skills: TermVocabulary
    certificates: TermVocabulary

    @classmethod
    def fit(cls, seekers: Iterable[Seeker] = (), vacancies: Iterable[Vacancy] = ()) -> Vocabularies:
        """Skills seen in the records (sorted keys); certificate codes of the reference table
        in table order, then other certificates seen in the records (sorted)."""
        skills: set[str] = set()
        seen_certificates: set[str] = set()
        for seeker in seekers:
            skills.update(skill_key(skill) for skill in seeker.skills)
            seen_certificates.update(seeker.certificates)
        for vacancy in vacancies:
            skills.update(skill_key(skill) for skill in vacancy.skills)
            seen_certificates.update(vacancy.required_certificates)
            seen_certificates.update(vacancy.preferred_certificates)
        table = tuple(certificates())
        extra = sorted(seen_certificates - set(table))
        return cls(TermVocabulary(tuple(sorted(skills))), TermVocabulary((*table, *extra)))


# --- text vectors --------------------------------------------------------------------------


def fit_text_vectorizer(
    seekers: Sequence[Seeker],
    vacancies: Sequence[Vacancy],
    tokenize: Tokenize | None = None,
    vectorizer: TextVectorizer | None = None,
    *,
    real_text_prior: bool = True,
) -> TextVectorizer:
    """``vectorizer`` (default ``TextVectorizer()``) fitted on the seekers' and vacancies' texts
    and, unless ``real_text_prior`` is False, the real postings' document frequencies
    (:func:`~matcher.intake.lexicon.text_priors`: their vocabulary and idf join the texts')."""
    texts = [*map(seeker_text, seekers), *map(vacancy_text, vacancies)]
    model = vectorizer if vectorizer is not None else TextVectorizer()
    cut = tokenize or domain_tokenizer()
    word_prior, char_prior = text_priors() if real_text_prior else (None, None)
    tokens = [cut(text) for text in texts]
    return model.fit(texts, tokens, word_prior=word_prior, char_prior=char_prior)


def _vectors(
    texts: Sequence[str],
    vectorizer: TextVectorizer,
    tokenize: Tokenize | None,
    kind: TextVectors,
    tokens: Sequence[Sequence[str]] | None = None,
) -> Any:
    """The texts' vectors; ``tokens`` are their cuts when the caller has them already."""
    if tokens is None:
        cut = tokenize or domain_tokenizer()
        tokens = [cut(text) for text in texts]
    if kind == "sparse":
        return vectorizer.transform(texts, tokens)
    if kind == "dense":
        return vectorizer.transform_dense(texts, tokens)
    raise ValueError(f"text_vectors={kind!r} is not one of ['dense', 'sparse']")


def _vector_pairs(
    first: Sequence[str],
    second: Sequence[str],
    vectorizer: TextVectorizer,
    tokenize: Tokenize | None,
    kind: TextVectors,
    first_tokens: Sequence[Sequence[str]] | None = None,
) -> tuple[Any, Any]:
    """:func:`_vectors` of two lists of texts of the same records (a seeker's profile and
    wishes, a posting's text and title) in one transform — rows are vectorised independently,
    so the values are those of two calls, at half the per-call cost (one request's seeker: two
    of the vectoriser's dozens of small sparse steps instead of four)."""
    tokens = None
    if first_tokens is not None:
        cut = tokenize or domain_tokenizer()
        tokens = [*first_tokens, *(cut(text) for text in second)]
    vectors = _vectors([*first, *second], vectorizer, tokenize, kind, tokens)
    return vectors[: len(first)], vectors[len(first) :]


# --- columns -------------------------------------------------------------------------------


def _float(values: Iterable[float | None], count: int) -> NDArray[np.float32]:
    return np.fromiter(
        (np.nan if value is None else value for value in values), dtype=np.float32, count=count
    )


def seeker_columns(
    seekers: Sequence[Seeker],
    vectorizer: TextVectorizer,
    tokenize: Tokenize | None = None,
    *,
    vocabularies: Vocabularies,
    on: dt.date,
    text_vectors: TextVectors = "sparse",
    profile_tokens: Sequence[Sequence[str]] | None = None,
) -> SeekerColumns:
    """The seekers as column arrays (row i = ``seekers[i]``).

    Parameters
    ----------
    seekers : sequence of Seeker, length n_seekers
    vectorizer : TextVectorizer
        Fitted; the same one the vacancies' columns use.
    tokenize : callable str → list of str
        The tokenizer the vectoriser was fitted with (default: the domain tokenizer).
    vocabularies : Vocabularies
        The same ones the vacancies' columns use.
    on : date
        Reference day: ages are ``on.year − birth_year``.
    text_vectors : {"sparse", "dense"}
        TF-IDF rows, or LSA rows (the vectoriser needs an LSA projection).
    profile_tokens : sequence of list of str, optional
        ``tokenize``'s cut of each :func:`seeker_text`, when the caller has cut them already
        (for the BM25 query): the texts are then cut once.
    """
    n = len(seekers)
    desired = [[region_number(code) for code in s.desired_regions] for s in seekers]
    width = max((len(codes) for codes in desired), default=0)
    desired_regions = np.full((n, width), -1, dtype=np.int64)
    for row, codes in enumerate(desired):
        desired_regions[row, : len(codes)] = codes
    profile_vectors, desired_vectors = _vector_pairs(
        [seeker_text(s) for s in seekers],
        [seeker_desired_text(s) for s in seekers],
        vectorizer,
        tokenize,
        text_vectors,
        profile_tokens,
    )
    return SeekerColumns(
        region=np.array(
            [region_number(s.region) if s.region else UNKNOWN_REGION for s in seekers],
            dtype=np.int64,
        ),
        desired_regions=desired_regions,
        education=np.array(
            [UNKNOWN_EDUCATION if s.education is None else int(s.education) for s in seekers],
            dtype=np.int8,
        ),
        experience_years=_float((s.experience_years for s in seekers), n),
        expected_salary=_float((s.expected_salary for s in seekers), n),
        age=_float((s.age_on(on) for s in seekers), n),
        skills=vocabularies.skills.encode([[skill_key(k) for k in s.skills] for s in seekers]),
        certificates=vocabularies.certificates.encode(
            [held_certificates(s.certificates) for s in seekers]
        ),
        groups=np.array([group_bits(s.priority_groups) for s in seekers], dtype=np.int64),
        disabled=np.array(
            [s.disability is not None or "disabled" in s.priority_groups for s in seekers],
            dtype=bool,
        ),
        profile_vectors=profile_vectors,
        desired_vectors=desired_vectors,
        desired_occupations=occupation_rows(
            desired_occupation_lists(
                [s.desired_occupations for s in seekers], [s.desired_titles for s in seekers]
            ),
            [s.past_occupations for s in seekers],
        ),
    )


def vacancy_columns(
    vacancies: Sequence[Vacancy],
    employers: Mapping[str, Employer],
    vectorizer: TextVectorizer,
    tokenize: Tokenize | None = None,
    *,
    vocabularies: Vocabularies,
    applicants: Mapping[str, int] | None = None,
    campaign_groups: Iterable[str] = (),
    text_vectors: TextVectors = "sparse",
    text_tokens: Sequence[Sequence[str]] | None = None,
) -> VacancyColumns:
    """The vacancies as column arrays (row i = ``vacancies[i]``).

    Parameters
    ----------
    vacancies : sequence of Vacancy, length n_vacancies
    employers : mapping of employer id to Employer
        Must hold every vacancy's employer (for ``employer_verified``).
    vectorizer, tokenize, vocabularies, text_vectors
        As for :func:`seeker_columns`, and the same objects.
    applicants : mapping of vacancy id to int, optional
        Applications so far; 0 for a vacancy not in it.
    campaign_groups : iterable of str
        Priority groups of the campaign the matching runs for (codes or names), OR-ed into
        every vacancy's target groups.
    text_tokens : sequence of list of str, optional
        ``tokenize``'s cut of each :func:`vacancy_text`, when the caller has cut them already
        (for the BM25 documents): the texts are then cut once.
    """
    n = len(vacancies)
    missing = sorted({v.employer_id for v in vacancies} - set(employers))
    if missing:
        raise ValueError(f"employers lacks {missing[:5]}, named by the vacancies")
    counts = applicants or {}
    negative = sorted(key for key, value in counts.items() if value < 0)
    if negative:
        raise ValueError(f"applicants must be ≥ 0; negative for {negative[:5]}")
    campaign_mask = group_bits(campaign_groups)
    untitled = [i for i, v in enumerate(vacancies) if not v.occupation]
    from_titles = title_occupations([vacancies[i].title for i in untitled])
    occupation_codes = [v.occupation for v in vacancies]
    for i, code in zip(untitled, from_titles, strict=True):
        occupation_codes[i] = code
    description_vectors, title_vectors = _vector_pairs(
        [vacancy_text(v) for v in vacancies],
        [vacancy_title_text(v) for v in vacancies],
        vectorizer,
        tokenize,
        text_vectors,
        text_tokens,
    )
    return VacancyColumns(
        region=np.array([region_number(v.region) for v in vacancies], dtype=np.int64),
        min_education=np.array([int(v.min_education) for v in vacancies], dtype=np.int8),
        min_experience_years=_float((v.min_experience_years for v in vacancies), n),
        age_min=_float((v.age_min for v in vacancies), n),
        age_max=_float((v.age_max for v in vacancies), n),
        salary_min=_float((v.salary_min for v in vacancies), n),
        salary_max=_float((v.salary_max for v in vacancies), n),
        required_certificates=vocabularies.certificates.encode(
            [binding_certificates(v.required_certificates) for v in vacancies]
        ),
        preferred_certificates=vocabularies.certificates.encode(
            [v.preferred_certificates for v in vacancies]
        ),
        skills=vocabularies.skills.encode([[skill_key(k) for k in v.skills] for v in vacancies]),
        accessible=np.array([v.accessible for v in vacancies], dtype=bool),
        target_groups=np.array(
            [group_bits(v.target_groups) | campaign_mask for v in vacancies], dtype=np.int64
        ),
        valid_from=np.array([epoch_days(v.valid_from) for v in vacancies], dtype=np.int64),
        employer_verified=np.array(
            [employers[v.employer_id].verification is Verification.VERIFIED for v in vacancies],
            dtype=bool,
        ),
        openings=np.array([v.openings for v in vacancies], dtype=np.int64),
        applicants=np.array([counts.get(v.id, 0) for v in vacancies], dtype=np.int64),
        description_vectors=description_vectors,
        title_vectors=title_vectors,
        occupation=np.array([occupation_number(code) for code in occupation_codes], dtype=np.int64),
    )
