"""The MatchEngine: rank vacancies for a seeker and seekers for a vacancy.

Pipeline (ARCHITECTURE.md): hard filters (open and dated, region/commute, required certificates,
campaign eligibility) → retrieval of a few hundred candidates by text similarity over an index
built once from the store (plus vacancies of a desired occupation) → pair features → ranker →
campaign policy (a boost for the campaign's priority groups) → top k with a short Chinese reason
and, on request, the top feature contributions of the ranker.

Employer-facing results (:meth:`MatchEngine.recommend_seekers`) carry seeker ids and
non-identifying summaries only: no contact data, no résumé text.

Two indexes, one per side of the market: :class:`_VacancyIndex` (open vacancies, for
recommendations) and :class:`_SeekerIndex` (registered seekers, for candidates: each seeker
read, validated, cut and vectorised once, not per call). Candidates run the mirror pipeline:
hard filters (required certificates held, campaign eligibility, the age and education limits
the vacancy states — unknown never excludes) → retrieval of a thousand seekers by a linear
first stage over the whole admitted pool (word similarity to the vacancy through an inverted
index, desired occupations, places, skills, pay) → the same pair features and ranker →
campaign boost → top k.

Tenants: both indexes are partitioned by tenant (built from that tenant's view of the store),
and every call ranks within one tenant's partition — another tenant's vacancies and seekers are
never candidates, whatever their ids.
"""

from __future__ import annotations

import copy
import dataclasses
import datetime as dt
import threading
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

import numpy as np
import scipy.sparse as sp
from numpy.typing import NDArray

from features.pairwise import (
    FEATURE_NAMES,
    MODEL_FEATURE_NAMES,
    UNKNOWN_EDUCATION,
    SeekerColumns,
    VacancyColumns,
    gathered_matvec,
    gathered_transposed_matvec,
    lent_zeros,
    model_features,
    wish_fit,
)
from features.vectorize import BM25Vectorizer, TextVectorizer
from matcher.domain.campaigns import CampaignCalendar, seeker_eligible, vacancy_eligible
from matcher.domain.records import Campaign, Employer, InteractionKind, Seeker, Vacancy
from matcher.errors import check_count
from matcher.intake.lexicon import domain_tokenizer
from matcher.ranking.columns import (
    Vocabularies,
    binding_certificates,
    epoch_days,
    region_number,
    related_table,
    seeker_columns,
    seeker_text,
    vacancy_columns,
    vacancy_text,
)
from matcher.reference import EducationLevel, certificate_name, held_certificates, regions
from matcher.storage.store import Store
from models.base import Ranker, ignored_features

RETRIEVAL_SIZE = 200
"""Vacancies re-ranked per recommendation: enough for recall, small enough for the ranker's
latency. With the shared first stage (:func:`_vacancy_first_stage`), over 19,384 vacancies the
served top 20 held 0.980 of the model's whole-pool top 20 at 200 (0.994 at 300, 0.955 at 150;
the word-cosine retrieval it replaced, 300 plus desired occupations: 0.938), the call's p50
4.4 ms (4.9–5.1 at 300; 4.1–4.3 before) — 100 stored seekers, same run."""

SEEKER_RETRIEVAL_SIZE = 1_000
"""Seekers re-ranked per candidates call. A vacancy's admitted pool is often tens of thousands
of seekers, most of them alike on the words (the ranker leans on occupation, place, pay and
skills): with the first stage below, re-ranking 700 kept 0.957 of the whole pool's top 20,
1,000 kept 0.981 (50 vacancies over 100,000 synthetic seekers; 0.94 before BM25 joined it)."""
RETRIEVAL_WEIGHTS: dict[str, float] = {
    "words": 1.7,
    "bm25": 5.7,
    "occupation_fit": 1.7,
    "related_occupation": 1.0,
    "skill_coverage": 0.7,
    "same_county": 0.35,
    "in_desired_regions": 0.85,
    "salary_fit": 1.6,
    "education_gap": -0.07,
}
"""The seeker side's first stage: a linear score over every admitted seeker, from the cheap
parts of the pair features (as :mod:`features.pairwise` defines them, unknown as 0), the word
cosine of the postings and the BM25 share; weights rounded from a least-squares fit of a
trained LambdaMART model's log-odds on them (synthetic 遂宁 data, 50 vacancies × 100,000
seekers, each vacancy's admitted pool; two-fold cross-validated recall at 1,000: 0.976 and
0.984)."""
SEEKER_DELTA_LIMIT = 2_000
"""Rows of seekers upserted since the seeker index was built are kept in a second, small
segment; past this many they are merged into the first (one copy of its arrays). A seeker PUT
thus costs its own vectorising, not a copy of the whole pool."""
SEEKER_BUILD_CHUNK = 10_000
"""Seekers vectorised together when a seeker index is built (bounds the temporary memory)."""


@dataclass(frozen=True)
class EngineModel:
    """What a trained bundle gives the engine: the ranker and the fitted text artefacts."""

    ranker: Ranker
    vectorizer: TextVectorizer
    bm25: BM25Vectorizer
    vocabularies: Vocabularies
    version: str = "unsaved"


@dataclass(frozen=True)
class Filters:
    """Optional narrowing of :meth:`MatchEngine.recommend_vacancies`."""

    regions: tuple[str, ...] = ()
    """Only vacancies in these areas (a city code covers its counties)."""
    min_salary: int | None = None
    accessible_only: bool = False
    occupations: tuple[str, ...] = ()
    """Only these 大典 codes (a prefix such as ``6-31`` covers its group)."""
    vacancy_ids: frozenset[str] | None = None
    """Only these vacancies (e.g. a fair's booths); the mask is cached per set and index."""


@dataclass(frozen=True)
class RankedList:
    """One seeker's best vacancies, best first: ids, index rows, scores and — when asked
    for — the rows' features."""

    seeker: Seeker
    vacancy_ids: NDArray[np.str_]
    rows: NDArray[np.int64]
    scores: NDArray[np.float64]
    features: NDArray[np.float32] | None = None


_EMPTY_IDS: NDArray[np.str_] = np.zeros(0, dtype=np.str_)
_EMPTY_ROWS: NDArray[np.int64] = np.zeros(0, dtype=np.int64)
_EMPTY_SCORES: NDArray[np.float64] = np.zeros(0, dtype=np.float64)


@dataclass(frozen=True)
class Recommendation:
    """One ranked vacancy for a seeker."""

    rank: int
    vacancy_id: str
    title: str
    employer: str
    region: str
    salary_min: int | None
    salary_max: int | None
    score: float
    reason: str
    contributions: tuple[tuple[str, float], ...] = ()


@dataclass(frozen=True)
class CandidateSummary:
    """One ranked seeker for a vacancy, as an employer may see it: no identifying data."""

    rank: int
    seeker_id: str | None
    """The stored id (None in employer-side answers, which carry only :attr:`reference`)."""
    score: float
    county: str
    age_band: str
    education: str
    experience_years: float | None
    skills: tuple[str, ...]
    certificates: tuple[str, ...]
    desired_titles: tuple[str, ...]
    reason: str
    reference: str = ""
    """The seeker's opaque per-tenant reference (``ref_…``), filled in by the service."""


def _sigmoid(values: NDArray[np.float64]) -> NDArray[np.float64]:
    result: NDArray[np.float64] = 1.0 / (1.0 + np.exp(-values))
    return result


def _contained(area: int, region_numbers: NDArray[np.int64]) -> NDArray[np.bool_]:
    """Which of ``region_numbers`` (6-digit) lie in ``area``: the same code, or within it when
    ``area`` is a city (``510900``) or a province (``510000``)."""
    inside: NDArray[np.bool_] = region_numbers == area
    if area % 100 == 0:
        inside |= region_numbers // 100 == area // 100
    if area % 10_000 == 0:
        inside |= region_numbers // 10_000 == area // 10_000
    return inside


@dataclass
class _VacancyIndex:
    vacancies: list[Vacancy]
    employers: dict[str, Employer]
    row_of: dict[str, int]
    columns: VacancyColumns
    postings: Any
    """The word part of the description vectors transposed (word terms × vacancies, CSR): an
    inverted index, so retrieval touches only the postings of the seeker's words."""
    bm25_documents: Any
    bm25_postings: Any
    """The BM25 document rows transposed (terms × vacancies, CSR): the first stage's BM25 of
    every vacancy through the postings of the seeker's words."""
    valid_until: NDArray[np.int64]
    regions: NDArray[np.int64]
    occupations: NDArray[np.str_]
    ids: NDArray[np.str_]
    live: NDArray[np.bool_]
    """False for rows replaced or removed since the index was built (compacted by refresh)."""
    campaign_masks: dict[str, NDArray[np.bool_]] = field(default_factory=dict)
    skill_postings: Any = None
    """The skill rows transposed (skills × vacancies, CSR float64) when every stored skill is 1
    (a vocabulary's encoding), else None: the skills a seeker shares with every vacancy as the
    sum of their postings, exact integers in any order."""
    _occupations: tuple[NDArray[Any], NDArray[np.intp]] | None = field(
        default=None, repr=False, compare=False
    )

    def occupation_slots(self) -> tuple[NDArray[Any], NDArray[np.intp]]:
        """The rows' distinct occupation codes and each row's place among them, computed on
        first use and kept (the index is never changed; a refresh builds a new one)."""
        if self._occupations is None:
            codes, slots = np.unique(self.columns.occupation, return_inverse=True)
            self._occupations = (codes, slots.ravel())
        return self._occupations


@dataclass(frozen=True)
class _SeekerRetrieval:
    """What the seeker side's first stage reads of a segment, laid out once when the segment
    is made so that a call only gathers and adds (:func:`_first_stage`)."""

    word_postings: Any
    """The word part of the profile vectors transposed (word terms × seekers, CSR): an
    inverted index, so retrieval touches only the postings of the vacancy's words."""
    bm25_postings: Any
    """The seekers' BM25 query rows transposed (terms × seekers, CSR)."""
    skill_postings: Any
    """The seekers' skills transposed (skills × seekers, CSR)."""
    inverse_ceilings: NDArray[np.float64]
    """1 / each seeker's BM25 ceiling (0 for an empty query): BM25 over it is the share."""
    occupation_codes: NDArray[np.int64]
    """The distinct desired occupations of the segment (0 included when some row pads)."""
    occupation_slots: NDArray[np.int32]
    """``desired_occupations`` as positions in :attr:`occupation_codes` (same shape)."""
    area_codes: NDArray[np.int64]
    """The distinct desired regions of the segment."""
    areas: Any
    """Which of :attr:`area_codes` each seeker desires (seekers × codes, binary CSR)."""
    log_salary: NDArray[np.float64]
    """ln(expected salary); NaN when unknown (or not positive)."""


@dataclass
class _SeekerSegment:
    """Seekers vectorised together, one row each: a seeker index is one segment (built whole)
    and, after upserts, a second small one (:data:`SEEKER_DELTA_LIMIT`)."""

    seekers: list[Seeker]
    columns: SeekerColumns
    """Ages are NaN here: they depend on the day, so each call sets them from
    :attr:`birth_years`."""
    birth_years: NDArray[np.float64]
    """NaN when unknown."""
    retrieval: _SeekerRetrieval | None
    """The first stage's inputs (None for seekers only read row by row)."""
    bm25_queries: Any
    """The seekers' words as BM25 query rows (CSR), and their ceilings below."""
    bm25_ceilings: NDArray[np.float64]
    ids: NDArray[np.str_]
    live: NDArray[np.bool_]
    """False for rows replaced or removed since the segment was made (compacted by refresh)."""
    campaign_masks: dict[str, NDArray[np.bool_]] = field(default_factory=dict)


@dataclass(frozen=True)
class _SeekerIndex:
    """One tenant's seekers: its segments and where each live seeker's row is."""

    segments: tuple[_SeekerSegment, ...]
    where: dict[str, tuple[int, int]]
    """Seeker id → (segment, row) of its live row."""

    @property
    def size(self) -> int:
        return len(self.where)


class MatchEngine:
    """Ranks with a trained model over an in-memory index of the store's open vacancies.

    Build with the constructor; the index is built once (tokenising every vacancy once) and
    rebuilt by :meth:`refresh`. :meth:`upsert_vacancies`, :meth:`remove_vacancies` and
    :meth:`upsert_employers` change it at once, without a rebuild: each change makes a new
    index (copy on write) and swaps it in, so a request in flight keeps the index it started
    with. Safe to call from several threads.
    """

    def __init__(
        self,
        store: Store,
        model: EngineModel,
        calendar: CampaignCalendar,
        *,
        today: dt.date | None = None,
        retrieval_size: int = RETRIEVAL_SIZE,
        seeker_retrieval_size: int = SEEKER_RETRIEVAL_SIZE,
        only: Callable[[Vacancy], bool] | None = None,
        all_tenants: bool = False,
        index_seekers: bool = False,
    ) -> None:
        self.store = store
        self.tenant = store.tenant
        """The tenant calls rank for when they name none (the store view's)."""
        self.all_tenants = all_tenants
        """Index every tenant of the store (a service), or only :attr:`tenant` (a batch run)."""
        self.model = model
        self.calendar = calendar
        self.today = today or dt.date.today()
        self.retrieval_size = retrieval_size
        self.seeker_retrieval_size = seeker_retrieval_size
        self.only = only
        """Index only the vacancies this accepts (e.g. a fair's), or all open ones."""
        self._lock = threading.Lock()
        self._restricted: tuple[_VacancyIndex, frozenset[str], NDArray[np.bool_]] | None = None
        self._feature_order = self._feature_positions()
        self._unread = self._unread_features()
        self._word_terms = model.vectorizer.word_.n_columns
        self._last_block_tables: tuple[_VacancyIndex, Any, _BlockTables] | None = None
        self._indexes = self._build_indexes()
        self._seeker_lock = threading.Lock()
        self._seeker_indexes: dict[str, _SeekerIndex] = {}
        """Seeker indexes by tenant, built on a tenant's first candidates call (or at once with
        ``index_seekers``); a batch run, which never asks for candidates, never builds one."""
        if index_seekers:
            self._seeker_indexes = {
                tenant: self._build_seeker_index(tenant)
                for tenant in (self.store.tenants() if all_tenants else [self.tenant])
            }

    def __getstate__(self) -> dict[str, Any]:
        """Pickled for batch workers (e.g. Dask): the model and the index travel, the store
        connection and the lock do not; a worker ranks and never reads the store."""
        state = dict(self.__dict__)
        state["store"] = None
        state["_restricted"] = None
        state["_last_block_tables"] = None
        state["_seeker_indexes"] = {}  # candidates are asked of a service, never of a worker
        del state["_lock"]
        del state["_seeker_lock"]
        return state

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__dict__.update(state)
        self._lock = threading.Lock()
        self._seeker_lock = threading.Lock()

    # --- the index -------------------------------------------------------------------

    def _feature_positions(self) -> NDArray[np.int64]:
        available = MODEL_FEATURE_NAMES
        missing = [n for n in self.model.ranker.feature_names_ if n not in available]
        if missing:
            raise ValueError(f"the model wants features the engine cannot compute: {missing}")
        return np.array(
            [available.index(name) for name in self.model.ranker.feature_names_], dtype=np.int64
        )

    def _unread_features(self) -> frozenset[str]:
        """Pair features the ranker never reads: not among its features, or ignored by it
        (:func:`models.base.ignored_features`). Served rows leave them NaN, uncomputed —
        ``title_similarity`` costs a sparse dot per candidate that LambdaMART never splits on."""
        ranker = self.model.ranker
        read = set(ranker.feature_names_) - set(ignored_features(ranker))
        return frozenset(name for name in FEATURE_NAMES if name not in read)

    def _build_indexes(self) -> dict[str, _VacancyIndex]:
        """One index per tenant with open vacancies: every tenant in the store, or only
        :attr:`tenant`."""
        tenants = self.store.tenants() if self.all_tenants else [self.tenant]
        built = {tenant: self._build_index(tenant) for tenant in tenants}
        return {tenant: index for tenant, index in built.items() if index is not None}

    def _build_index(self, tenant: str) -> _VacancyIndex | None:
        """``tenant``'s index (None when it has no open vacancy to index)."""
        store = self.store.for_tenant(tenant)
        employers = {e.id: e for e in store.iter(Employer)}
        vacancies = [
            v
            for v in store.iter(Vacancy)
            if v.status == "open"
            and v.employer_id in employers
            and (self.only is None or self.only(v))
        ]
        if not vacancies:
            return None
        applicants = store.count_by_vacancy(InteractionKind.APPLY.value)
        return self._index_of(vacancies, employers, applicants)

    def _tenant(self, tenant: str | None) -> str:
        return self.tenant if tenant is None else tenant

    def _index_for(self, tenant: str | None) -> _VacancyIndex | None:
        """The index of ``tenant`` (default: :attr:`tenant`); None for a tenant with no
        vacancies indexed yet (or one this engine does not serve)."""
        return self._indexes.get(self._tenant(tenant))

    def _employers(self, tenant: str | None) -> dict[str, Employer]:
        """A copy of the employers ``tenant``'s index holds (empty without an index)."""
        index = self._index_for(tenant)
        return {} if index is None else dict(index.employers)

    def _serves(self, tenant: str) -> bool:
        return self.all_tenants or tenant == self.tenant

    def _swap(self, tenant: str, index: _VacancyIndex) -> None:
        """Put ``index`` in for ``tenant`` (under the lock): a new dict, so a reader holding
        the old one keeps a consistent view."""
        self._indexes = {**self._indexes, tenant: index}

    def _index_of(
        self,
        vacancies: list[Vacancy],
        employers: dict[str, Employer],
        applicants: Mapping[str, int],
    ) -> _VacancyIndex:
        columns, documents = self._vacancy_columns(vacancies, employers, applicants)
        return _VacancyIndex(
            vacancies=vacancies,
            employers=employers,
            row_of={v.id: row for row, v in enumerate(vacancies)},
            columns=columns,
            postings=sp.csr_matrix(columns.description_vectors)[:, : self._word_terms].T.tocsr(),
            bm25_documents=documents,
            bm25_postings=documents.T.tocsr(),
            skill_postings=_skill_postings(columns.skills),
            valid_until=np.array([epoch_days(v.valid_until) for v in vacancies], dtype=np.int64),
            regions=np.array([region_number(v.region) for v in vacancies], dtype=np.int64),
            occupations=np.array([v.occupation or "" for v in vacancies], dtype=np.str_),
            ids=np.array([v.id for v in vacancies], dtype=np.str_),
            live=np.ones(len(vacancies), dtype=bool),
        )

    def upsert_vacancies(self, vacancies: Sequence[Vacancy], *, tenant: str | None = None) -> None:
        """Add or replace ``tenant``'s vacancies in its index at once; one that is no longer
        open (or whose employer is unknown) leaves it. Call after writing them to the store."""
        owner = self._tenant(tenant)
        if not vacancies or not self._serves(owner):
            return
        with self._lock:
            index = self._index_for(owner)
            employers = dict(index.employers) if index is not None else {}
            unknown = {v.employer_id for v in vacancies} - set(employers)
            employers.update(self.store.for_tenant(owner).get_many(Employer, sorted(unknown)))
            if index is None:  # the tenant's first vacancies
                self._first_index(owner, vacancies, employers)
                return
            live = index.live.copy()
            row_of = dict(index.row_of)
            applicants: dict[str, int] = {}
            for vacancy in vacancies:
                row = row_of.pop(vacancy.id, None)
                if row is not None:
                    live[row] = False
                    applicants[vacancy.id] = int(index.columns.applicants[row])
            latest = {v.id: v for v in vacancies}  # the last of repeated ids wins
            added = [
                v
                for v in latest.values()
                if v.status == "open"
                and v.employer_id in employers
                and (self.only is None or self.only(v))
            ]
            self._swap(owner, self._extended(index, added, employers, applicants, live, row_of))

    def _first_index(
        self, tenant: str, vacancies: Sequence[Vacancy], employers: dict[str, Employer]
    ) -> None:
        latest = {v.id: v for v in vacancies}
        added = [
            v
            for v in latest.values()
            if v.status == "open"
            and v.employer_id in employers
            and (self.only is None or self.only(v))
        ]
        if added:
            self._swap(tenant, self._index_of(added, employers, {}))

    def remove_vacancies(self, vacancy_ids: Sequence[str], *, tenant: str | None = None) -> None:
        """Take ``tenant``'s vacancies out of its index at once (ids not in it are ignored)."""
        owner = self._tenant(tenant)
        with self._lock:
            index = self._index_for(owner)
            if index is None:
                return
            rows = [index.row_of[i] for i in vacancy_ids if i in index.row_of]
            if not rows:
                return
            live = index.live.copy()
            live[rows] = False
            row_of = {i: r for i, r in index.row_of.items() if live[r]}
            self._swap(
                owner,
                dataclasses.replace(
                    index, live=live, row_of=row_of, campaign_masks=dict(index.campaign_masks)
                ),
            )

    def upsert_employers(self, employers: Sequence[Employer], *, tenant: str | None = None) -> None:
        """Replace ``tenant``'s employers in its index (name, verification, kind) and re-index
        their open vacancies, so campaign eligibility and the verified feature follow at once."""
        owner = self._tenant(tenant)
        if not employers or not self._serves(owner):
            return
        with self._lock:
            index = self._index_for(owner)
            if index is None:  # no vacancy of the tenant's is indexed: nothing to re-index
                return
            changed = {e.id: e for e in employers}
            self._swap(
                owner,
                dataclasses.replace(
                    index,
                    employers={**index.employers, **changed},
                    campaign_masks=dict(index.campaign_masks),
                ),
            )
            affected = [
                index.vacancies[row]
                for row in index.row_of.values()
                if index.vacancies[row].employer_id in changed
            ]
        self.upsert_vacancies(affected, tenant=owner)

    def _extended(
        self,
        index: _VacancyIndex,
        added: list[Vacancy],
        employers: dict[str, Employer],
        applicants: Mapping[str, int],
        live: NDArray[np.bool_],
        row_of: dict[str, int],
    ) -> _VacancyIndex:
        """``index`` with ``added`` appended as new rows (``live`` and ``row_of`` already
        without the rows they replace)."""
        if not added:
            return dataclasses.replace(
                index,
                employers=employers,
                live=live,
                row_of=row_of,
                campaign_masks=dict(index.campaign_masks),
            )
        extra = self._index_of(added, employers, applicants)
        start = len(index.vacancies)
        row_of.update({v.id: start + row for row, v in enumerate(added)})
        masks = {
            campaign_id: np.concatenate(
                [mask, self._campaign_mask(extra, self.calendar[campaign_id])]
            )
            for campaign_id, mask in index.campaign_masks.items()
        }
        return _VacancyIndex(
            vacancies=[*index.vacancies, *added],
            employers=employers,
            row_of=row_of,
            columns=index.columns.append(extra.columns),
            postings=sp.hstack([index.postings, extra.postings], format="csr"),
            bm25_documents=sp.vstack([index.bm25_documents, extra.bm25_documents], format="csr"),
            bm25_postings=sp.hstack([index.bm25_postings, extra.bm25_postings], format="csr"),
            valid_until=np.concatenate([index.valid_until, extra.valid_until]),
            regions=np.concatenate([index.regions, extra.regions]),
            occupations=np.concatenate([index.occupations, extra.occupations]),
            ids=np.concatenate([index.ids, extra.ids]),
            live=np.concatenate([live, extra.live]),
            campaign_masks=masks,
            skill_postings=(
                sp.hstack([index.skill_postings, extra.skill_postings], format="csr")
                if index.skill_postings is not None and extra.skill_postings is not None
                else None
            ),
        )

    def _restriction(self, index: _VacancyIndex, ids: frozenset[str]) -> NDArray[np.bool_]:
        """The mask of ``ids`` over the index rows, cached for the last set and index."""
        cached = self._restricted
        if cached is not None and cached[0] is index and cached[1] is ids:
            return cached[2]
        mask = np.zeros(len(index.vacancies), dtype=bool)
        rows = [index.row_of[i] for i in ids if i in index.row_of]
        mask[rows] = True
        self._restricted = (index, ids, mask)
        return mask

    def vacancies(self, *, tenant: str | None = None) -> list[Vacancy]:
        """``tenant``'s vacancies in the index now (open ones, as last upserted)."""
        index = self._index_for(tenant)
        if index is None:
            return []
        return [v for v, live in zip(index.vacancies, index.live, strict=True) if live]

    def with_ranker(self, ranker: Ranker) -> MatchEngine:
        """The same engine (index shared, not rebuilt) ranking with another ranker fitted on the
        same features — to compare a model with the baselines on served lists."""
        other = copy.copy(self)  # through __getstate__, which leaves the store behind
        other.store = self.store
        other.model = dataclasses.replace(self.model, ranker=ranker)
        other._lock = threading.Lock()
        other._seeker_lock = threading.Lock()
        other._seeker_indexes = self._seeker_indexes
        other._feature_order = other._feature_positions()
        other._unread = other._unread_features()
        return other

    def refresh(self) -> None:
        """Rebuild the indexes from the store: the vacancies' (new, changed or closed
        vacancies) and every seeker index built so far."""
        indexes = self._build_indexes()
        with self._lock:
            self._indexes = indexes
        seekers = {tenant: self._build_seeker_index(tenant) for tenant in self._seeker_indexes}
        with self._seeker_lock:
            self._seeker_indexes = {**self._seeker_indexes, **seekers}

    @property
    def size(self) -> int:
        """Vacancies in the index now, every tenant's."""
        return sum(int(index.live.sum()) for index in self._indexes.values())

    @property
    def indexed(self) -> int:
        """Records the indexes hold now: every tenant's vacancies and indexed seekers."""
        return self.size + sum(index.size for index in self._seeker_indexes.values())

    def _campaign_mask(self, index: _VacancyIndex, campaign: Campaign) -> NDArray[np.bool_]:
        mask = index.campaign_masks.get(campaign.id)
        if mask is None:
            mask = np.array(
                [
                    vacancy_eligible(campaign, v, index.employers[v.employer_id])
                    for v in index.vacancies
                ],
                dtype=bool,
            )
            index.campaign_masks[campaign.id] = mask
        return mask

    # --- filters, retrieval, features ----------------------------------------------------

    def _eligible(
        self,
        index: _VacancyIndex,
        seeker_cols: SeekerColumns,
        row: int,
        campaign: Campaign | None,
        filters: Filters,
        day: dt.date,
    ) -> NDArray[np.bool_]:
        cols = index.columns
        mask = self._open_and_filtered(index, campaign, filters, day)
        # commute: the seeker's city, or an area they asked for (no filter when neither is known)
        home = int(seeker_cols.region[row])
        areas = [int(area) for area in seeker_cols.desired_regions[row] if area >= 0]
        if home > 0 or areas:
            near = (
                _contained(home // 100 * 100, index.regions)
                if home > 0
                else np.zeros(len(index.vacancies), dtype=bool)
            )
            for area in areas:
                near |= _contained(area, index.regions)
            mask &= near
        # required certificates the seeker holds
        terms, values = _csr_row(seeker_cols.certificates, row)
        counts = np.zeros(seeker_cols.certificates.shape[1], dtype=np.float64)
        np.add.at(counts, terms, values)
        held = counts > 0
        required = cols.required_certificates
        missing = np.asarray(required @ (~held).astype(np.float32)).ravel()
        mask &= missing == 0
        return mask

    def _open_and_filtered(
        self,
        index: _VacancyIndex,
        campaign: Campaign | None,
        filters: Filters,
        day: dt.date,
    ) -> NDArray[np.bool_]:
        """The vacancies of ``index`` open on ``day``, in the campaign (if any) and passing
        ``filters`` — the seeker-independent part of the hard filters (one seeker's and a
        block's alike)."""
        cols = index.columns
        today = epoch_days(day)
        mask: NDArray[np.bool_] = (
            index.live & (cols.valid_from <= today) & (index.valid_until >= today)
        )
        if campaign is not None:
            mask &= self._campaign_mask(index, campaign)
        if filters.accessible_only:
            mask &= cols.accessible
        if filters.min_salary is not None:
            mask &= ~(cols.salary_max < filters.min_salary)
        if filters.regions:
            wanted = np.zeros(len(index.vacancies), dtype=bool)
            for code in filters.regions:
                wanted |= _contained(region_number(code), index.regions)
            mask &= wanted
        if filters.vacancy_ids is not None:
            mask &= self._restriction(index, filters.vacancy_ids)
        if filters.occupations:
            mask &= np.array(
                [any(o.startswith(p) for p in filters.occupations) for o in index.occupations]
            )
        return mask

    def _retrieve(
        self,
        index: _VacancyIndex,
        seeker_cols: SeekerColumns,
        row: int,
        mask: NDArray[np.bool_],
        queries: Any,
        ceiling: float,
    ) -> NDArray[np.int64]:
        """The eligible rows to re-rank: all when few, else the :attr:`retrieval_size` best by
        the first stage the seeker side uses (:data:`RETRIEVAL_WEIGHTS`, the same parts seen
        from the seeker: :func:`_vacancy_first_stage`) over every eligible vacancy."""
        rows = np.flatnonzero(mask)
        if len(rows) <= self.retrieval_size:
            return rows.astype(np.int64)
        parts = _vacancy_first_stage(
            index, seeker_cols, row, queries, ceiling, rows, self._word_terms
        )
        score = np.zeros(len(rows), dtype=np.float64)
        for name, values in parts.items():
            score += RETRIEVAL_WEIGHTS[name] * values
        top = rows[np.argpartition(-score, self.retrieval_size - 1)[: self.retrieval_size]]
        return np.sort(top).astype(np.int64)

    def _features(
        self,
        seeker_cols: SeekerColumns,
        vacancy_cols: VacancyColumns,
        seeker_rows: NDArray[np.int64],
        vacancy_rows: NDArray[np.int64],
        bm25: NDArray[np.float32],
        ceilings: NDArray[np.float64],
        day: dt.date,
    ) -> NDArray[np.float32]:
        """The model's rows (:func:`features.pairwise.model_features`, the one path), in the
        ranker's column order; ``ceilings`` are the BM25 ceilings of ``seeker_cols``' rows."""
        full = model_features(
            seeker_cols,
            vacancy_cols,
            seeker_rows,
            vacancy_rows,
            bm25=bm25,
            bm25_ceiling=ceilings[seeker_rows],
            today=epoch_days(day),
            related=related_table(),
            skip=self._unread,
        )
        ordered: NDArray[np.float32] = full[:, self._feature_order]
        return ordered

    def _seeker_columns(self, seekers: Sequence[Seeker], day: dt.date) -> SeekerColumns:
        return seeker_columns(
            seekers, self.model.vectorizer, vocabularies=self.model.vocabularies, on=day
        )

    def _vacancy_columns(
        self,
        vacancies: Sequence[Vacancy],
        employers: Mapping[str, Employer],
        applicants: Mapping[str, int],
    ) -> tuple[VacancyColumns, Any]:
        """The vacancies' columns and BM25 document rows (CSR, one row per vacancy), each
        vacancy's text cut once for both."""
        tokenize = domain_tokenizer()
        tokens = [tokenize(vacancy_text(v)) for v in vacancies]
        columns = vacancy_columns(
            vacancies,
            employers,
            self.model.vectorizer,
            vocabularies=self.model.vocabularies,
            applicants=applicants,
            text_tokens=tokens,
        )
        return columns, sp.csr_matrix(self.model.bm25.transform(tokens))

    def _bm25_query(self, seekers: Sequence[Seeker]) -> Any:
        tokenize = domain_tokenizer()
        return sp.csr_matrix(
            self.model.bm25.transform_queries([tokenize(seeker_text(s)) for s in seekers])
        )

    def _seeker_rows(
        self, tenant: str, seekers: Sequence[Seeker], day: dt.date
    ) -> tuple[SeekerColumns, Any, NDArray[np.float64]]:
        """The seekers' columns (ages on ``day``), BM25 query rows (CSR) and ceilings, in the
        seekers' order: a seeker that ``tenant``'s seeker index holds unchanged (an equal
        record under its id) is taken from it, the others are cut and vectorised here. The
        index is used only when already built (a recommendation never builds one). A stored
        seeker made group-blind (priority groups and disability cleared, as the service does
        for callers who may not read them) is taken from the index too, its group columns
        cleared (the only columns those fields feed)."""
        index = self._seeker_indexes.get(tenant)
        found: list[tuple[int, int] | None] = [None] * len(seekers)
        blind = np.zeros(len(seekers), dtype=bool)
        if index is not None and index.where:
            for number, seeker in enumerate(seekers):
                place = index.where.get(seeker.id) if seeker.id else None
                if place is None:
                    continue
                stored = index.segments[place[0]].seekers[place[1]]
                if stored is seeker or stored == seeker:
                    found[number] = place
                elif _blinded(stored) == seeker:
                    found[number], blind[number] = place, True
        if all(place is None for place in found):
            # each seeker's text cut once, for its BM25 query and its profile vector
            tokenize = domain_tokenizer()
            tokens = [tokenize(seeker_text(s)) for s in seekers]
            queries = sp.csr_matrix(self.model.bm25.transform_queries(tokens))
            ceilings = np.asarray(self.model.bm25.query_ceilings(queries), dtype=np.float64)
            columns = seeker_columns(
                seekers,
                self.model.vectorizer,
                vocabularies=self.model.vocabularies,
                on=day,
                profile_tokens=tokens,
            )
            return columns, queries, ceilings
        fresh = [s for s, place in zip(seekers, found, strict=True) if place is None]
        extra = self._seeker_segment(fresh, postings=False) if fresh else None
        assert index is not None
        # runs of consecutive seekers from one segment, in the seekers' order
        runs: list[tuple[_SeekerSegment, list[int]]] = []
        added = 0
        for place in found:
            if place is None:
                assert extra is not None
                segment, row = extra, added
                added += 1
            else:
                segment, row = index.segments[place[0]], place[1]
            if runs and runs[-1][0] is segment:
                runs[-1][1].append(row)
            else:
                runs.append((segment, [row]))
        parts = [(segment, np.array(rows, dtype=np.int64)) for segment, rows in runs]
        columns = _gathered(parts, day, group_blind=False)
        if blind.any():
            groups, disabled = columns.groups.copy(), columns.disabled.copy()
            groups[blind], disabled[blind] = 0, False
            columns = dataclasses.replace(columns, groups=groups, disabled=disabled)
        if len(parts) == 1:
            segment, rows = parts[0]
            return columns, _rows_of(segment.bm25_queries, rows), segment.bm25_ceilings[rows]
        queries = sp.vstack([segment.bm25_queries[rows] for segment, rows in parts], format="csr")
        ceilings = np.concatenate([segment.bm25_ceilings[rows] for segment, rows in parts])
        return columns, queries, ceilings

    # --- recommendations -----------------------------------------------------------------

    def campaign(self, campaign_id: str | None) -> Campaign | None:
        """The campaign with this id (``KeyError`` listing the known ones), or None."""
        return None if campaign_id is None else self.calendar[campaign_id]

    def rank_block(
        self,
        seekers: Sequence[Seeker],
        n: int,
        campaign: str | None = None,
        filters: Filters | None = None,
        *,
        on: dt.date | None = None,
        features: bool = False,
        tenant: str | None = None,
    ) -> list[RankedList]:
        """Each seeker's ``n`` best vacancies, through the whole pipeline (filters, retrieval,
        pair features, ranker, campaign boost), for a block of seekers at once: the seekers are
        vectorised together and the ranker scores every candidate pair of the block in one call.
        :meth:`recommend_vacancies` is this for a block of one, so a batch run and a single call
        rank a seeker alike. With ``features`` each list keeps its rows' features (for
        contributions). Only ``tenant``'s vacancies (default :attr:`tenant`) are candidates."""
        owner = self._tenant(tenant)
        index = self._index_for(owner)
        return self._rank_block(index, owner, seekers, n, campaign, filters, on, features)

    def _rank_block(
        self,
        index: _VacancyIndex | None,
        tenant: str,
        seekers: Sequence[Seeker],
        n: int,
        campaign: str | None,
        filters: Filters | None,
        on: dt.date | None,
        keep_features: bool,
    ) -> list[RankedList]:
        """:meth:`rank_block` over one index (rows refer to it, whatever is swapped in
        meanwhile; None: the tenant has no vacancy indexed). Seekers held unchanged in
        ``tenant``'s seeker index are not vectorised again (:meth:`_seeker_rows`)."""
        n = check_count("n", n)
        if not seekers:
            return []
        day = on or self.today
        chosen = self.campaign(campaign)
        if index is None:
            return [
                RankedList(seeker, _EMPTY_IDS, _EMPTY_ROWS, _EMPTY_SCORES) for seeker in seekers
            ]
        filters = filters or Filters()
        seeker_cols, queries, ceilings = self._seeker_rows(tenant, seekers, day)
        candidate_rows: list[NDArray[np.int64]] = []
        bm25_parts: list[NDArray[np.float32]] = []
        # a block shares the seeker-independent work (the batch); one seeker (a request) takes
        # the per-call path: the same rows (tested against it)
        tables = self._block_tables(index, chosen, filters, day) if len(seekers) > 1 else None
        sums = None if tables is None else _BlockSums(index, tables, seeker_cols, queries)
        for row in range(len(seekers)):
            if tables is not None and sums is not None:
                rows = self._block_retrieve(
                    index, tables, sums, seeker_cols, row, float(ceilings[row])
                )
            else:
                mask = self._eligible(index, seeker_cols, row, chosen, filters, day)
                rows = self._retrieve(index, seeker_cols, row, mask, queries, float(ceilings[row]))
            candidate_rows.append(rows)
            bm25_parts.append(_bm25_scores(index.bm25_documents, rows, queries, row))
        sizes = np.array([len(rows) for rows in candidate_rows], dtype=np.int64)
        vacancy_rows = np.concatenate([*candidate_rows, np.zeros(0, dtype=np.int64)])
        seeker_rows = np.repeat(np.arange(len(seekers), dtype=np.int64), sizes)
        if not len(vacancy_rows):
            return [
                RankedList(seeker, _EMPTY_IDS, _EMPTY_ROWS, _EMPTY_SCORES) for seeker in seekers
            ]
        features = self._features(
            seeker_cols,
            index.columns,
            seeker_rows,
            vacancy_rows,
            np.concatenate(bm25_parts),
            ceilings,
            day,
        )
        scores = _sigmoid(self.model.ranker.predict(features))
        if chosen is not None:
            joined = (
                np.array([chosen.id in index.vacancies[r].campaigns for r in vacancy_rows])
                if tables is None
                else tables.joined[vacancy_rows]
            )
            boosted = np.array(
                [bool(set(s.priority_groups) & set(chosen.priority_groups)) for s in seekers]
            )
            scores = scores + chosen.policy.group_boost * (joined & boosted[seeker_rows])
        results = []
        for number, (seeker, start) in enumerate(
            zip(seekers, np.r_[0, np.cumsum(sizes)[:-1]], strict=True)
        ):
            part = slice(int(start), int(start + sizes[number]))
            rows, part_scores = vacancy_rows[part], scores[part]
            # ties by vacancy id, so the order does not depend on where a vacancy sits
            ids = index.ids[rows]
            order = np.lexsort((ids, -part_scores))[:n]
            kept = features[part][order] if keep_features else None
            results.append(RankedList(seeker, ids[order], rows[order], part_scores[order], kept))
        return results

    def _block_tables(
        self,
        index: _VacancyIndex,
        campaign: Campaign | None,
        filters: Filters,
        day: dt.date,
    ) -> _BlockTables:
        """:class:`_BlockTables` of ``index`` for this campaign, filters and day, kept for the
        next block of the same run (one entry: a batch ranks many blocks alike)."""
        key = (campaign.id if campaign is not None else None, filters, day)
        cached = self._last_block_tables
        if cached is not None and cached[0] is index and cached[1] == key:
            return cached[2]
        base = self._open_and_filtered(index, campaign, filters, day)
        tables = _BlockTables.of(index, base, self._word_terms)
        if campaign is not None:  # the vacancies that joined it (the campaign's boost)
            joined = [campaign.id in vacancy.campaigns for vacancy in index.vacancies]
            tables = dataclasses.replace(tables, joined=np.array(joined, dtype=bool))
        self._last_block_tables = (index, key, tables)
        return tables

    def _block_retrieve(
        self,
        index: _VacancyIndex,
        tables: _BlockTables,
        sums: _BlockSums,
        seeker_cols: SeekerColumns,
        row: int,
        ceiling: float,
    ) -> NDArray[np.int64]:
        """:meth:`_eligible` then :meth:`_retrieve` for the seeker at ``row``, the same rows,
        from a block's shared tables: the seeker-independent filters are one mask, the rest
        are looked up per distinct region, occupation, pay or education limit rather than
        computed per vacancy, and the word and BM25 sums are read from the postings directly
        (:func:`_block_first_stage`)."""
        mask = tables.base.copy()
        home = int(seeker_cols.region[row])
        areas = [int(area) for area in seeker_cols.desired_regions[row] if area >= 0]
        if home > 0 or areas:
            codes = tables.filter_codes
            near = (
                _contained(home // 100 * 100, codes)
                if home > 0
                else np.zeros(len(codes), dtype=bool)
            )
            for area in areas:
                near |= _contained(area, codes)
            mask &= near[tables.filter_slots]
        if len(tables.certified_rows):
            terms, values = _csr_row(seeker_cols.certificates, row)
            counts = np.zeros(seeker_cols.certificates.shape[1], dtype=np.float64)
            np.add.at(counts, terms, values)
            lacking = (~(counts > 0)).astype(np.float32)
            missing = np.asarray(tables.certified @ lacking).ravel()
            mask[tables.certified_rows] &= missing == 0
        rows = np.flatnonzero(mask)
        if len(rows) <= self.retrieval_size:
            return rows.astype(np.int64)
        score = _block_first_stage(tables, sums, seeker_cols, row, ceiling, rows)
        top = rows[np.argpartition(-score, self.retrieval_size - 1)[: self.retrieval_size]]
        return np.sort(top).astype(np.int64)

    def recommend_vacancies(
        self,
        seeker: Seeker,
        k: int = 10,
        campaign: str | None = None,
        filters: Filters | None = None,
        *,
        contributions: bool = False,
        on: dt.date | None = None,
        tenant: str | None = None,
    ) -> list[Recommendation]:
        """The ``k`` best open vacancies for ``seeker``, best first, each with a short reason;
        with ``contributions``, also the ranker's top feature contributions (TreeSHAP: about
        as dear as the rest of the call, so only on request and only for the k returned)."""
        k = check_count("k", k)
        owner = self._tenant(tenant)
        index = self._index_for(owner)
        (ranked,) = self._rank_block(
            index, owner, [seeker], k, campaign, filters, on, contributions
        )
        if index is None or not len(ranked.rows):
            return []
        explained = (
            self._contributions(ranked.features)
            if contributions and ranked.features is not None
            else None
        )
        results = []
        for rank, (row, score) in enumerate(zip(ranked.rows, ranked.scores, strict=True), 1):
            vacancy = index.vacancies[int(row)]
            employer = index.employers[vacancy.employer_id]
            results.append(
                Recommendation(
                    rank=rank,
                    vacancy_id=vacancy.id,
                    title=vacancy.title,
                    employer=employer.name,
                    region=vacancy.region,
                    salary_min=vacancy.salary_min,
                    salary_max=vacancy.salary_max,
                    score=round(float(score), 4),
                    reason=explain_match(seeker, vacancy),
                    contributions=() if explained is None else explained[rank - 1],
                )
            )
        return results

    def score(
        self,
        seeker: Seeker,
        vacancies: Sequence[Vacancy],
        *,
        on: dt.date | None = None,
        tenant: str | None = None,
    ) -> list[tuple[Vacancy, float, str]]:
        """Score given vacancies (inline, not necessarily stored) for ``seeker``, best first;
        their employers are ``tenant``'s. A vacancy whose id is indexed counts the index's
        applications (congestion) as recommendations and candidates do; others have none."""
        if not vacancies:
            return []
        day = on or self.today
        employers = self._employers(tenant)
        unknown = {v.employer_id for v in vacancies} - set(employers)
        store = self.store.for_tenant(self._tenant(tenant))
        employers.update(store.get_many(Employer, sorted(unknown)))
        index = self._index_for(tenant)
        applicants = {}
        if index is not None:
            for vacancy in vacancies:
                row = index.row_of.get(vacancy.id)
                if row is not None:
                    applicants[vacancy.id] = int(index.columns.applicants[row])
        vacancy_cols, documents = self._vacancy_columns(vacancies, employers, applicants)
        seeker_cols = self._seeker_columns([seeker], day)
        query = self._bm25_query([seeker])
        bm25 = np.asarray((documents @ query.T).todense(), dtype=np.float32).ravel()
        rows = np.arange(len(vacancies), dtype=np.int64)
        features = self._features(
            seeker_cols,
            vacancy_cols,
            np.zeros(len(rows), dtype=np.int64),
            rows,
            bm25,
            self.model.bm25.query_ceilings(query),
            day,
        )
        scores = _sigmoid(self.model.ranker.predict(features))
        order = np.lexsort((rows, -scores))
        return [
            (vacancies[i], round(float(scores[i]), 4), explain_match(seeker, vacancies[i]))
            for i in order
        ]

    # --- the seeker index (candidates) ---------------------------------------------------

    def _seeker_segment(
        self, seekers: Sequence[Seeker], *, postings: bool = True
    ) -> _SeekerSegment:
        """``seekers`` (at least one) cut and vectorised once, ages left unknown; without
        ``postings`` (a segment only read row by row) the first stage's inputs are left out."""
        columns = self._seeker_columns(seekers, self.today)
        columns = dataclasses.replace(columns, age=np.full(len(seekers), np.nan, np.float32))
        queries = self._bm25_query(seekers)
        ceilings = np.asarray(self.model.bm25.query_ceilings(queries), dtype=np.float64)
        return _SeekerSegment(
            seekers=list(seekers),
            columns=columns,
            birth_years=np.array(
                [np.nan if s.birth_year is None else s.birth_year for s in seekers],
                dtype=np.float64,
            ),
            retrieval=(
                _retrieval_inputs(
                    columns,
                    sp.csr_matrix(columns.profile_vectors)[:, : self._word_terms].T.tocsr(),
                    queries,
                    ceilings,
                )
                if postings
                else None
            ),
            bm25_queries=queries,
            bm25_ceilings=ceilings,
            ids=np.array([s.id for s in seekers], dtype=np.str_),
            live=np.ones(len(seekers), dtype=bool),
        )

    def _build_seeker_index(self, tenant: str) -> _SeekerIndex:
        """Every seeker of ``tenant``, vectorised in chunks into one segment."""
        seekers = list(self.store.for_tenant(tenant).iter(Seeker))
        if not seekers:
            return _SeekerIndex((), {})
        parts = [
            self._seeker_segment(seekers[start : start + SEEKER_BUILD_CHUNK])
            for start in range(0, len(seekers), SEEKER_BUILD_CHUNK)
        ]
        segment = parts[0] if len(parts) == 1 else _joined_segments(parts)
        return _SeekerIndex((segment,), {s.id: (0, row) for row, s in enumerate(seekers)})

    def _seeker_index_for(self, tenant: str) -> _SeekerIndex:
        """``tenant``'s seeker index, built from the store on first use."""
        index = self._seeker_indexes.get(tenant)
        if index is None:
            with self._seeker_lock:
                index = self._seeker_indexes.get(tenant)
                if index is None:
                    index = self._build_seeker_index(tenant)
                    self._seeker_indexes = {**self._seeker_indexes, tenant: index}
        return index

    def upsert_seekers(self, seekers: Sequence[Seeker], *, tenant: str | None = None) -> None:
        """Add or replace ``tenant``'s seekers in its seeker index at once (copy on write: a
        call in flight keeps the index it started with). Call after writing them to the store;
        a tenant whose seeker index is not built yet reads them from the store when it is."""
        owner = self._tenant(tenant)
        if not seekers or not self._serves(owner):
            return
        with self._seeker_lock:
            index = self._seeker_indexes.get(owner)
            if index is None:
                return
            latest = {s.id: s for s in seekers}  # the last of repeated ids wins
            segments, where = _without(index, latest)
            added = self._seeker_segment(list(latest.values()))
            self._seeker_indexes = {
                **self._seeker_indexes,
                owner: _appended(segments, where, added),
            }

    def remove_seekers(self, seeker_ids: Sequence[str], *, tenant: str | None = None) -> None:
        """Take ``tenant``'s seekers out of its seeker index at once (unknown ids are ignored)."""
        owner = self._tenant(tenant)
        with self._seeker_lock:
            index = self._seeker_indexes.get(owner)
            if index is None or not any(i in index.where for i in seeker_ids):
                return
            segments, where = _without(index, seeker_ids)
            self._seeker_indexes = {
                **self._seeker_indexes,
                owner: _SeekerIndex(tuple(segments), where),
            }

    def seekers(self, *, tenant: str | None = None) -> list[Seeker]:
        """``tenant``'s seekers in its seeker index now (built on first use)."""
        index = self._seeker_index_for(self._tenant(tenant))
        return [
            index.segments[segment].seekers[row] for segment, row in sorted(index.where.values())
        ]

    def _seeker_campaign_mask(
        self, segment: _SeekerSegment, campaign: Campaign
    ) -> NDArray[np.bool_]:
        mask = segment.campaign_masks.get(campaign.id)
        if mask is None:
            mask = np.array([seeker_eligible(campaign, s) for s in segment.seekers], dtype=bool)
            segment.campaign_masks[campaign.id] = mask
        return mask

    def _admitted(
        self,
        segment: _SeekerSegment,
        target: Vacancy,
        required: Any,
        campaign: Campaign | None,
        day: dt.date,
    ) -> NDArray[np.bool_]:
        """The hard filters as a mask over the segment's rows (what :func:`admits` says of one
        seeker): live, holding the required certificates (``required``: the vacancy's binary
        row), admitted by the campaign, within the vacancy's age and education limits — an
        unknown age or education never excludes."""
        mask = segment.live.copy()
        if required.nnz:
            held = np.asarray(segment.columns.certificates @ required.T.toarray()).ravel()
            mask &= held >= required.nnz
        if campaign is not None:
            mask &= self._seeker_campaign_mask(segment, campaign)
        ages = day.year - segment.birth_years
        with np.errstate(invalid="ignore"):
            if target.age_min is not None:
                mask &= ~(ages < target.age_min)
            if target.age_max is not None:
                mask &= ~(ages > target.age_max)
        if target.min_education > 0:
            education = segment.columns.education
            mask &= (education == UNKNOWN_EDUCATION) | (education >= int(target.min_education))
        return mask

    def _retrieve_seekers(
        self,
        segment: _SeekerSegment,
        vacancy_cols: VacancyColumns,
        document: Any,
        mask: NDArray[np.bool_],
    ) -> NDArray[np.int64]:
        """The admitted rows to re-rank: all when few, else the
        :attr:`seeker_retrieval_size` best by a linear first stage (:data:`RETRIEVAL_WEIGHTS`)
        over every admitted seeker: word cosine and BM25 share with the vacancy through the
        postings, desired occupations against the vacancy's (its 大典 levels and curated
        links), places (same county, a desired area covering it), skills, pay and education."""
        rows = np.flatnonzero(mask)
        size = self.seeker_retrieval_size
        if len(rows) <= size:
            return rows.astype(np.int64)
        assert segment.retrieval is not None  # an index's segments are made with it
        parts = _first_stage(segment, vacancy_cols, document, self._word_terms)
        score = np.zeros(len(segment.ids), dtype=np.float64)
        for name, values in parts.items():
            score += RETRIEVAL_WEIGHTS[name] * values
        top = rows[np.argpartition(-score[rows], size - 1)[:size]]
        return np.sort(top).astype(np.int64)

    def _target_columns(self, target: Vacancy, tenant: str) -> tuple[VacancyColumns, Any]:
        """The vacancy's columns and BM25 document row for candidates (and the full scan):
        taken from the vacancy index when it holds this very vacancy (no text is cut again),
        else computed. Applicants are counted as recommendations count them — the vacancy
        index's count under the vacancy's id (0 for an id it does not hold) — so a pair scores
        the same from either side."""
        index = self._index_for(tenant)
        row = None if index is None else index.row_of.get(target.id)
        if index is not None and row is not None and index.vacancies[row] == target:
            return index.columns.take([row]), index.bm25_documents[row]
        applicants = (
            {} if index is None or row is None else {target.id: int(index.columns.applicants[row])}
        )
        employers = self._employers(tenant)
        if target.employer_id not in employers:
            store = self.store.for_tenant(tenant)
            employers.update(store.get_many(Employer, [target.employer_id]))
        return self._vacancy_columns([target], employers, applicants)

    def recommend_seekers(
        self,
        vacancy: Vacancy | str,
        k: int = 10,
        campaign: str | None = None,
        *,
        on: dt.date | None = None,
        tenant: str | None = None,
        group_blind: bool = False,
        retrieval: bool = True,
    ) -> list[CandidateSummary]:
        """The ``k`` best of ``tenant``'s seekers for a vacancy (an object or the id of one of
        ``tenant``'s), as summaries, from ``tenant``'s seeker index (built on first use).

        Hard filters (:func:`admits`) → retrieval (:meth:`_retrieve_seekers`; with
        ``retrieval`` False every admitted seeker is scored — to measure retrieval's recall)
        → pair features and ranker → the campaign's group boost → top k, ties by seeker id.

        ``group_blind`` ranks the seekers as if none belonged to a priority group or had a
        recorded disability (no campaign may be given): nothing in the list — who is in it,
        order, scores — then depends on that sensitive data, whatever vacancy is asked about
        (the ranker's ``priority_group_match`` and accessibility features read it too)."""
        if group_blind and campaign is not None:
            raise ValueError("a group-blind ranking takes no campaign (its policy reads groups)")
        k = check_count("k", k)
        owner = self._tenant(tenant)
        target = (
            self.store.for_tenant(owner).get(Vacancy, vacancy)
            if isinstance(vacancy, str)
            else vacancy
        )
        chosen = self.campaign(campaign)
        day = on or self.today
        index = self._seeker_index_for(owner)
        if not index.segments:
            return []
        vacancy_cols, document = self._target_columns(target, owner)
        required = self.model.vocabularies.certificates.encode(
            [binding_certificates(target.required_certificates)]
        )
        parts: list[tuple[_SeekerSegment, NDArray[np.int64]]] = []
        for segment in index.segments:
            mask = self._admitted(segment, target, required, chosen, day)
            rows = (
                self._retrieve_seekers(segment, vacancy_cols, document, mask)
                if retrieval
                else np.flatnonzero(mask).astype(np.int64)
            )
            if len(rows):
                parts.append((segment, rows))
        if not parts:
            return []
        seeker_cols = _gathered(parts, day, group_blind)
        queries = sp.vstack([segment.bm25_queries[rows] for segment, rows in parts], format="csr")
        ceilings = np.concatenate([segment.bm25_ceilings[rows] for segment, rows in parts])
        bm25 = np.asarray((queries @ document.T).todense(), np.float32).ravel()
        pairs = np.arange(len(ceilings), dtype=np.int64)
        features = self._features(
            seeker_cols,
            vacancy_cols,
            pairs,
            np.zeros(len(pairs), dtype=np.int64),
            bm25,
            ceilings,
            day,
        )
        scores = _sigmoid(self.model.ranker.predict(features))
        # the seeker records behind the rows, read only where needed (the boost, the top k)
        records = [(segment.seekers, rows) for segment, rows in parts]
        starts = np.cumsum([0, *(len(rows) for _, rows in parts)])

        def seeker_at(position: int) -> Seeker:
            part = int(np.searchsorted(starts, position, side="right")) - 1
            held, rows = records[part]
            return held[int(rows[position - starts[part]])]

        if chosen is not None:
            wanted = set(chosen.priority_groups)
            everyone = (held[int(row)] for held, rows in records for row in rows)
            boosted = np.array([bool(set(s.priority_groups) & wanted) for s in everyone])
            scores = scores + chosen.policy.group_boost * boosted
        ids = np.concatenate([segment.ids[rows] for segment, rows in parts])
        order = np.lexsort((ids, -scores))[:k]
        return [
            summarize_seeker(rank, seeker_at(i), float(scores[i]), target)
            for rank, i in enumerate(order.tolist(), start=1)
        ]

    def scan_seekers(
        self,
        vacancy: Vacancy | str,
        k: int = 10,
        campaign: str | None = None,
        *,
        on: dt.date | None = None,
        tenant: str | None = None,
        group_blind: bool = False,
    ) -> list[CandidateSummary]:
        """:meth:`recommend_seekers` without the seeker index: every seeker is read from the
        store, checked (:func:`admits`), vectorised and scored — the reference the index is
        held equal to, and the baseline of ``benchmarks/bench_candidates.py`` (seconds per
        call over tens of thousands of seekers)."""
        if group_blind and campaign is not None:
            raise ValueError("a group-blind ranking takes no campaign (its policy reads groups)")
        k = check_count("k", k)
        owner = self._tenant(tenant)
        store = self.store.for_tenant(owner)
        target = store.get(Vacancy, vacancy) if isinstance(vacancy, str) else vacancy
        chosen = self.campaign(campaign)
        day = on or self.today
        seekers = [s for s in store.iter(Seeker) if admits(target, s, chosen, day)]
        if group_blind:
            seekers = [
                s.model_copy(update={"priority_groups": [], "disability": None}) for s in seekers
            ]
        if not seekers:
            return []
        ranked = self._rank_seekers(target, seekers, day, owner)
        if chosen is not None:
            boost = chosen.policy.group_boost
            ranked = [
                (s, score + boost * bool(set(s.priority_groups) & set(chosen.priority_groups)))
                for s, score in ranked
            ]
        ranked.sort(key=lambda pair: (-pair[1], pair[0].id))
        return [
            summarize_seeker(rank, seeker, score, target)
            for rank, (seeker, score) in enumerate(ranked[:k], start=1)
        ]

    def _rank_seekers(
        self, target: Vacancy, seekers: list[Seeker], day: dt.date, tenant: str
    ) -> list[tuple[Seeker, float]]:
        vacancy_cols, document = self._target_columns(target, tenant)
        seeker_cols = self._seeker_columns(seekers, day)
        queries = self._bm25_query(seekers)
        bm25 = np.asarray((queries @ document.T).todense(), np.float32).ravel()
        rows = np.arange(len(seekers), dtype=np.int64)
        features = self._features(
            seeker_cols,
            vacancy_cols,
            rows,
            np.zeros(len(rows), dtype=np.int64),
            bm25,
            self.model.bm25.query_ceilings(queries),
            day,
        )
        scores = _sigmoid(self.model.ranker.predict(features))
        return [(s, float(score)) for s, score in zip(seekers, scores, strict=True)]

    def _contributions(
        self, features: NDArray[np.float32], top: int = 3
    ) -> list[tuple[tuple[str, float], ...]] | None:
        try:
            values = self.model.ranker.contributions(features)
        except NotImplementedError:
            return None
        names = self.model.ranker.feature_names_
        result = []
        for row in values:
            order = np.argsort(-np.abs(row[:-1]))[:top]
            result.append(tuple((names[i], round(float(row[i]), 4)) for i in order))
        return result


# --- the seeker side's pieces --------------------------------------------------------------


def admits(target: Vacancy, seeker: Seeker, campaign: Campaign | None, day: dt.date) -> bool:
    """The hard filters of candidates for one seeker: holds the vacancy's required
    certificates, is admitted by the campaign (if any), and is within the age and education
    limits the vacancy states — an unknown age or education never excludes."""
    held = set(held_certificates(seeker.certificates))
    if not set(binding_certificates(target.required_certificates)) <= held:
        return False
    if campaign is not None and not seeker_eligible(campaign, seeker):
        return False
    age = seeker.age_on(day)
    if age is not None and (
        (target.age_min is not None and age < target.age_min)
        or (target.age_max is not None and age > target.age_max)
    ):
        return False
    return seeker.education is None or seeker.education >= target.min_education


def _first_stage(
    segment: _SeekerSegment, vacancy_cols: VacancyColumns, document: Any, word_terms: int
) -> dict[str, NDArray[np.float64]]:
    """The first stage's inputs for every row of ``segment`` against one vacancy (its columns
    and BM25 document row), each named as in :data:`RETRIEVAL_WEIGHTS` and as cheap as the
    pair features of that name (:mod:`features.pairwise`; unknown as 0): sums over the
    postings of the vacancy's terms, and per-code values gathered through the segment's code
    slots — arithmetic on arrays, no per-seeker work."""
    inputs = segment.retrieval
    assert inputs is not None
    columns = segment.columns
    size = len(segment.ids)
    query = sp.csr_matrix(vacancy_cols.description_vectors[:1])
    words = query.indices < word_terms
    parts = {
        "words": _posting_sums(inputs.word_postings, query.indices[words], query.data[words], size)
    }
    terms, values = _csr_row(sp.csr_matrix(document), 0)
    bm25 = _posting_sums(inputs.bm25_postings, terms, values, size)
    parts["bm25"] = np.clip(bm25 * inputs.inverse_ceilings, 0.0, 1.0)
    occupation = int(vacancy_cols.occupation[0])
    codes = inputs.occupation_codes
    if occupation > 0 and inputs.occupation_slots.shape[1]:
        given = codes > 0
        theirs = np.full(len(codes), occupation, np.int64)
        shared = wish_fit(codes, theirs)
        linked = related_table().lookup(codes, theirs)
        slots = inputs.occupation_slots
        parts["occupation_fit"] = _row_max(shared, slots)
        parts["related_occupation"] = _row_max(np.where(given, linked, 0.0), slots)
    else:
        parts["occupation_fit"] = parts["related_occupation"] = np.zeros(size)
    skills, _ = _csr_row(sp.csr_matrix(vacancy_cols.skills[:1]), 0)
    shares = np.full(len(skills), 1.0 / max(len(skills), 1))
    parts["skill_coverage"] = _posting_sums(inputs.skill_postings, skills, shares, size)
    region = int(vacancy_cols.region[0])
    if region > 0:
        parts["same_county"] = (columns.region == region).astype(np.float64)
        areas = inputs.area_codes  # a city covers its counties, a province its cities
        covered = (
            (areas == region)
            | ((areas % 100 == 0) & (areas // 100 == region // 100))
            | ((areas % 10_000 == 0) & (areas // 10_000 == region // 10_000))
        ) & (areas >= 0)
        desired = np.asarray(inputs.areas @ covered.astype(np.float64)).ravel()
        parts["in_desired_regions"] = (desired > 0).astype(np.float64)
    else:
        parts["same_county"] = parts["in_desired_regions"] = np.zeros(size)
    low, high = float(vacancy_cols.salary_min[0]), float(vacancy_cols.salary_max[0])
    pay = np.nanmean([low, high]) if not (np.isnan(low) and np.isnan(high)) else np.nan
    if pay > 0:
        fit = np.clip(np.log(pay) - inputs.log_salary, -1.0, 1.0)
        parts["salary_fit"] = np.nan_to_num(fit, nan=0.0)
    else:
        parts["salary_fit"] = np.zeros(size)
    minimum = int(vacancy_cols.min_education[0])
    if minimum > 0:
        education = columns.education.astype(np.float64)
        gap = np.clip(education - minimum, -6.0, 6.0)
        parts["education_gap"] = np.where(education == UNKNOWN_EDUCATION, 0.0, gap)
    else:
        parts["education_gap"] = np.zeros(size)
    return parts


def _vacancy_first_stage(
    index: _VacancyIndex,
    seeker_cols: SeekerColumns,
    row: int,
    queries: Any,
    ceiling: float,
    rows: NDArray[np.int64],
    word_terms: int,
) -> dict[str, NDArray[np.float64]]:
    """:func:`_first_stage` seen from the seeker at ``row`` of ``seeker_cols`` (its BM25 query
    row in ``queries`` and its ceiling): the same named parts — as the pair features of those
    names, unknown as 0 — for the vacancies at ``rows`` of ``index``."""
    columns = index.columns
    size = len(index.vacancies)
    terms, weights = _csr_row(seeker_cols.profile_vectors, row)
    words = terms < word_terms
    parts = {"words": _posting_sums(index.postings, terms[words], weights[words], size)[rows]}
    terms, weights = _csr_row(queries, row)
    bm25 = _posting_sums(index.bm25_postings, terms, weights, size)[rows]
    parts["bm25"] = np.clip(bm25 / ceiling, 0.0, 1.0) if ceiling > 0 else np.zeros(len(rows))
    codes = [code for code in seeker_cols.desired_occupations[row].tolist() if code > 0]
    if codes:
        # both parts depend on the vacancy's occupation alone: computed once per distinct
        # occupation of the index (a few hundred 大典 codes among thousands of vacancies)
        occupations, slots = index.occupation_slots()
        fit, related = _occupation_parts(occupations, codes)
        back = slots[rows]
        parts["occupation_fit"], parts["related_occupation"] = fit[back], related[back]
    else:
        parts["occupation_fit"], parts["related_occupation"] = (
            np.zeros(len(rows)),
            np.zeros(len(rows)),
        )
    skills, _ = _csr_row(seeker_cols.skills, row)
    listed = np.diff(columns.skills.indptr)[rows]
    if index.skill_postings is not None:  # only the held skills' postings are read
        held_terms = np.unique(skills)
        ones = np.ones(len(held_terms), dtype=np.float64)
        shared = _posting_sums(index.skill_postings, held_terms, ones, size)[rows]
    else:
        held = np.zeros(columns.skills.shape[1], dtype=np.float64)
        held[skills] = 1.0
        shared = np.asarray(columns.skills @ held, dtype=np.float64).ravel()[rows]
    parts["skill_coverage"] = np.where(listed > 0, shared / np.maximum(listed, 1), 0.0)
    home, workplace = int(seeker_cols.region[row]), columns.region[rows]
    parts["same_county"] = ((workplace == home) & (home > 0)).astype(np.float64)
    areas = [area for area in seeker_cols.desired_regions[row].tolist() if area >= 0]
    parts["in_desired_regions"] = _in_areas(areas, workplace)
    pay = _mid_pay(columns.salary_min[rows], columns.salary_max[rows])
    expected = float(seeker_cols.expected_salary[row])
    parts["salary_fit"] = _pay_fit(pay, expected) if expected > 0 else np.zeros(len(rows))
    minimum = columns.min_education[rows].astype(np.float64)
    education = float(seeker_cols.education[row])
    parts["education_gap"] = (
        _education_gap(minimum, education)
        if education != UNKNOWN_EDUCATION
        else np.zeros(len(rows))
    )
    return parts


def _in_areas(areas: Sequence[int], places: NDArray[np.int64]) -> NDArray[np.float64]:
    """1 for each of ``places`` (region numbers; 0 unknown) that one of ``areas`` equals or
    contains, else 0 — the first stage's ``in_desired_regions``."""
    covered = np.zeros(len(places), dtype=bool)
    for area in areas:
        covered |= _contained(area, places)
    return (covered & (places > 0)).astype(np.float64)


def _mid_pay(
    salary_min: NDArray[np.floating[Any]], salary_max: NDArray[np.floating[Any]]
) -> NDArray[np.float64]:
    """A vacancy's pay for the first stage: the mean of its salary bounds, the one given
    when only one is, NaN when neither."""
    low, high = salary_min.astype(np.float64), salary_max.astype(np.float64)
    return np.where(np.isnan(low), high, np.where(np.isnan(high), low, (low + high) / 2))


def _pay_fit(pay: NDArray[np.float64], expected: float) -> NDArray[np.float64]:
    """The first stage's ``salary_fit``: ln(pay / expected) clipped to [−1, 1]; 0 where the
    pay is unknown."""
    with np.errstate(invalid="ignore", divide="ignore"):
        fit = np.clip(np.log(pay / expected), -1.0, 1.0)
    return np.where(pay > 0, np.nan_to_num(fit, nan=0.0), 0.0)


def _education_gap(minimum: NDArray[np.float64], education: float) -> NDArray[np.float64]:
    """The first stage's ``education_gap``: levels above the minimum, clipped; 0 where the
    minimum is 不限."""
    return np.where(minimum > 0, np.clip(education - minimum, -6.0, 6.0), 0.0)


@dataclass(frozen=True)
class _BlockTables:
    """What the seekers of a block share in :meth:`MatchEngine._block_retrieve`: the
    seeker-independent part of the eligibility mask, and each vacancy's region, occupation,
    pay and education limit as a position among the index's distinct values, so that a part
    of the first stage is a lookup in a small per-seeker table (the same values as
    :func:`_vacancy_first_stage` computes vacancy by vacancy)."""

    base: NDArray[np.bool_]
    """Live, open on the day, in the campaign, within the filters."""
    filter_codes: NDArray[np.int64]
    """The distinct ``index.regions`` (what the commute filter reads) and each row's slot."""
    filter_slots: NDArray[np.intp]
    certified_rows: NDArray[np.int64]
    """The rows that require a certificate, and their required certificates (CSR)."""
    certified: Any
    work_codes: NDArray[np.int64]
    """The distinct ``columns.region`` (what the first stage reads) and each row's slot."""
    work_slots: NDArray[np.intp]
    occupation_codes: NDArray[np.int64]
    occupation_slots: NDArray[np.intp]
    pay_values: NDArray[np.float64]
    """The distinct pays (mean of the salary bounds, NaN when neither is given)."""
    pay_slots: NDArray[np.intp]
    minimum_values: NDArray[np.float64]
    minimum_slots: NDArray[np.intp]
    listed: NDArray[np.float64]
    """Skills each vacancy lists, at least 1 (the skill coverage's divisor)."""
    skill_postings: Any | None
    """The vacancies' skills transposed (skills × vacancies, CSR float64), when binary
    (coverage is then a count); None otherwise (the per-call product is used)."""
    word_terms: int
    """Columns of the text vectors that are words (the rest are hashed buckets)."""
    word_postings: Any
    """``index.postings`` and ``index.bm25_postings`` in float64 (exact): what the products of
    :class:`_BlockSums` multiply, converted once."""
    bm25_postings: Any
    joined: NDArray[np.bool_] = field(default_factory=lambda: np.zeros(0, dtype=bool))
    """The vacancies that joined the block's campaign (empty without one)."""

    @classmethod
    def of(cls, index: _VacancyIndex, base: NDArray[np.bool_], word_terms: int) -> _BlockTables:
        columns = index.columns
        filter_codes, filter_slots = np.unique(index.regions, return_inverse=True)
        required = sp.csr_matrix(columns.required_certificates)
        certified_rows = np.flatnonzero(np.diff(required.indptr) > 0).astype(np.int64)
        work_codes, work_slots = np.unique(columns.region, return_inverse=True)
        occupation_codes, occupation_slots = np.unique(columns.occupation, return_inverse=True)
        pay_values, pay_slots = np.unique(
            _mid_pay(columns.salary_min, columns.salary_max), return_inverse=True
        )
        minimum = columns.min_education.astype(np.float64)
        minimum_values, minimum_slots = np.unique(minimum, return_inverse=True)
        skills = sp.csr_matrix(columns.skills)
        return cls(
            base=base,
            filter_codes=filter_codes.astype(np.int64),
            filter_slots=filter_slots.ravel(),
            certified_rows=certified_rows,
            certified=required[certified_rows],
            work_codes=work_codes.astype(np.int64),
            work_slots=work_slots.ravel(),
            occupation_codes=occupation_codes.astype(np.int64),
            occupation_slots=occupation_slots.ravel(),
            pay_values=pay_values,
            pay_slots=pay_slots.ravel(),
            minimum_values=minimum_values,
            minimum_slots=minimum_slots.ravel(),
            listed=np.maximum(np.diff(skills.indptr), 1).astype(np.float64),
            skill_postings=index.skill_postings,
            word_terms=word_terms,
            word_postings=sp.csr_matrix(index.postings, dtype=np.float64),
            bm25_postings=sp.csr_matrix(index.bm25_postings, dtype=np.float64),
        )


def _block_first_stage(
    tables: _BlockTables,
    sums: _BlockSums,
    seeker_cols: SeekerColumns,
    row: int,
    ceiling: float,
    rows: NDArray[np.int64],
) -> NDArray[np.float64]:
    """The first-stage score of :meth:`MatchEngine._retrieve` (Σ :data:`RETRIEVAL_WEIGHTS` ×
    :func:`_vacancy_first_stage`'s parts, added in that order) for the vacancies at ``rows``,
    value for value: each part that depends on the vacancy through one attribute is computed
    once per distinct value and looked up; a part that is 0 for this seeker is not added
    (x + 0.0 is x); the word, BM25 and skill sums come from :class:`_BlockSums`."""
    whole = len(rows) == len(tables.base)  # every row eligible: no gathering

    def at(values: NDArray[Any]) -> NDArray[Any]:
        return values if whole else values[rows]

    weights = RETRIEVAL_WEIGHTS
    words, bm25, shared = sums.of(row)
    score: NDArray[np.float64] = weights["words"] * at(words)
    if ceiling > 0:
        score += weights["bm25"] * np.clip(at(bm25) / ceiling, 0.0, 1.0)
    codes = [code for code in seeker_cols.desired_occupations[row].tolist() if code > 0]
    if codes:
        fit, related = _occupation_parts(tables.occupation_codes, codes)
        slots = at(tables.occupation_slots)
        score += (weights["occupation_fit"] * fit)[slots]
        score += (weights["related_occupation"] * related)[slots]
    if shared is not None:
        score += weights["skill_coverage"] * (at(shared) / at(tables.listed))
    home = int(seeker_cols.region[row])
    work = at(tables.work_slots)
    if home > 0:
        same = (tables.work_codes == home).astype(np.float64)
        score += (weights["same_county"] * same)[work]
    areas = [area for area in seeker_cols.desired_regions[row].tolist() if area >= 0]
    if areas:
        desired = _in_areas(areas, tables.work_codes)
        score += (weights["in_desired_regions"] * desired)[work]
    expected = float(seeker_cols.expected_salary[row])
    if expected > 0:
        salary = _pay_fit(tables.pay_values, expected)
        score += (weights["salary_fit"] * salary)[at(tables.pay_slots)]
    education = float(seeker_cols.education[row])
    if education != UNKNOWN_EDUCATION:
        gap = _education_gap(tables.minimum_values, education)
        score += (weights["education_gap"] * gap)[at(tables.minimum_slots)]
    return score


class _BlockSums:
    """For each seeker of a block, against every vacancy of the index: the word sums
    (:func:`_posting_sums` of its profile's word terms), the BM25 sums (of its query row) and
    the skills shared — as sparse products of a chunk of seekers' rows with the postings,
    made when a seeker of the chunk is first asked for. A product adds, for each vacancy, the
    seeker's terms' float64 products one after the other in the row's order into a zeroed
    sum, as :func:`_posting_sums` does for one seeker: the same values (tested)."""

    CHUNK = 64
    """Seekers per product: three dense chunk × vacancies float64 arrays (≈ 30 MB at
    20,000 vacancies)."""

    def __init__(
        self, index: _VacancyIndex, tables: _BlockTables, seeker_cols: SeekerColumns, queries: Any
    ) -> None:
        self.index, self.tables = index, tables
        self.seeker_cols, self.queries = seeker_cols, queries
        self._first = -1
        self._words: NDArray[np.float64] = np.zeros((0, 0))
        self._bm25: NDArray[np.float64] = np.zeros((0, 0))
        self._skills: NDArray[np.float64] | None = None
        self._has_skills: NDArray[np.bool_] = np.zeros(0, dtype=bool)

    def of(
        self, row: int
    ) -> tuple[NDArray[np.float64], NDArray[np.float64], NDArray[np.float64] | None]:
        """Word sums, BM25 sums and shared skills (None when the seeker lists no skill) of
        the seeker at ``row``, one value per vacancy row."""
        first = row - row % self.CHUNK
        if first != self._first:
            self._compute(first, min(first + self.CHUNK, len(self.seeker_cols.region)))
            self._first = first
        at = row - first
        if self._skills is None:  # the vacancies' skills are not binary
            columns = self.index.columns
            skills, _ = _csr_row(self.seeker_cols.skills, row)
            if not len(skills):
                return self._words[at], self._bm25[at], None
            vector = np.zeros(columns.skills.shape[1], dtype=np.float64)
            vector[skills] = 1.0
            shared = np.asarray(columns.skills @ vector, dtype=np.float64).ravel()
            return self._words[at], self._bm25[at], shared
        counts = self._skills[at] if self._has_skills[at] else None
        return self._words[at], self._bm25[at], counts

    def _compute(self, first: int, stop: int) -> None:
        tables = self.tables
        profiles = sp.csr_matrix(self.seeker_cols.profile_vectors[first:stop])
        words = _filtered_rows(profiles, profiles.indices < tables.word_terms, tables.word_terms)
        self._words = _dense_product(words, tables.word_postings)
        queries = sp.csr_matrix(self.queries[first:stop])
        self._bm25 = _dense_product(queries, tables.bm25_postings)
        skills = sp.csr_matrix(self.seeker_cols.skills[first:stop])
        self._has_skills = np.diff(skills.indptr) > 0
        postings = tables.skill_postings
        if postings is None:
            self._skills = None
            return
        held = skills.copy()  # held or not: each skill once, as 1
        held.sum_duplicates()
        held.data = np.ones(len(held.data), dtype=np.float64)
        self._skills = _dense_product(held, postings)


def _filtered_rows(matrix: Any, keep: NDArray[np.bool_], width: int) -> Any:
    """The CSR ``matrix`` with only the stored entries where ``keep`` (all in the first
    ``width`` columns), in their stored order (no sorting, no summing)."""
    entry_rows = np.repeat(np.arange(matrix.shape[0]), np.diff(matrix.indptr))
    counts = np.bincount(entry_rows[keep], minlength=matrix.shape[0])
    return sp.csr_matrix(
        (matrix.data[keep], matrix.indices[keep], np.r_[0, np.cumsum(counts)]),
        shape=(matrix.shape[0], width),
    )


def _dense_product(rows: Any, postings: Any) -> NDArray[np.float64]:
    """``rows @ postings`` as a dense float64 array (``postings`` CSR float64): scipy's CSR × CSR
    kernel (``csr_matmat``: for each row, each of its terms' products added in the row's
    order), its output then scattered into zeros.

    The kernel is called directly, with output room for a dense result: scipy's ``@`` first
    runs a second pass over the operands only to size a sparse result (``csr_matmat_maxnnz``),
    which for these nearly dense rows cost a third of the product (the block path's word and
    BM25 sums: ≈ 1.0 → 0.8 ms a seeker at 20,000 vacancies). The same kernel, so the same
    values; with a scipy that lacks it, ``@``."""
    left = sp.csr_matrix(rows, dtype=np.float64)
    n_rows, n_columns = left.shape[0], postings.shape[1]
    if _csr_matmat is None or n_rows * n_columns >= 2**31:
        product = left @ postings
        return np.asarray(product.toarray(), dtype=np.float64)
    index = np.int32
    indptr = np.empty(n_rows + 1, dtype=index)
    indices = np.empty(n_rows * n_columns, dtype=index)
    data = np.empty(n_rows * n_columns, dtype=np.float64)
    _csr_matmat(
        n_rows,
        n_columns,
        left.indptr.astype(index, copy=False),
        left.indices.astype(index, copy=False),
        left.data,
        postings.indptr.astype(index, copy=False),
        postings.indices.astype(index, copy=False),
        np.asarray(postings.data, dtype=np.float64),
        indptr,
        indices,
        data,
    )
    dense = np.zeros((n_rows, n_columns), dtype=np.float64)
    stored = int(indptr[-1])
    # flat positions (row start + column): one index array, 1.6× faster than a (row, column) pair
    positions = np.repeat(np.arange(n_rows, dtype=np.int64) * n_columns, np.diff(indptr))
    positions += indices[:stored]
    dense.reshape(-1)[positions] = data[:stored]
    return dense


try:  # scipy's CSR × CSR kernel (private, present since scipy's early versions)
    from scipy.sparse._sparsetools import csr_matmat as _csr_matmat
except ImportError:  # pragma: no cover - a scipy without it: the public product
    _csr_matmat = None


def _occupation_parts(
    occupations: NDArray[np.int64], codes: Sequence[int]
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """Occupation fit and curated links of each of ``occupations`` for a seeker desiring
    ``codes``: :func:`_vacancy_first_stage`'s loop, over the given distinct occupations."""
    known = occupations > 0
    fit, related = np.zeros(len(occupations)), np.zeros(len(occupations))
    table = related_table()
    for code in codes:
        code_row = np.full(len(occupations), code, np.int64)
        np.maximum(fit, wish_fit(code_row, occupations), out=fit)
        linked = table.lookup(code_row, occupations)
        np.maximum(related, np.where(known, linked, 0.0), out=related)
    return fit, related


def _skill_postings(skills: Any) -> Any:
    """:attr:`_VacancyIndex.skill_postings` of a skill matrix (None when not binary)."""
    matrix = sp.csr_matrix(skills)
    if not np.all(matrix.data == 1):
        return None
    return sp.csr_matrix(matrix.T, dtype=np.float64)


def _posting_sums(
    postings: Any, terms: NDArray[Any], weights: NDArray[Any], size: int
) -> NDArray[np.float64]:
    """Σ over ``terms`` of weight × posting value, for each of ``size`` columns: the dot
    product of every indexed row with a query, touching only the query terms' postings."""
    if not len(terms):
        return np.zeros(size, dtype=np.float64)
    sums = gathered_transposed_matvec(
        postings, np.asarray(terms, dtype=np.int64), np.asarray(weights, dtype=np.float64)
    )
    return np.asarray(sums, dtype=np.float64).ravel()


def _row_max(values: NDArray[np.float64], slots: NDArray[np.int32]) -> NDArray[np.float64]:
    """Row r: the largest of ``values[slots[r, j]]`` over j (``slots`` column-major, at least
    one column) — column by column, several times faster than a max over a short axis."""
    best = values[slots[:, 0]]
    for column in range(1, slots.shape[1]):
        np.maximum(best, values[slots[:, column]], out=best)
    return best


def _code_slots(codes: NDArray[np.int64]) -> tuple[NDArray[np.int64], NDArray[np.int32]]:
    """The distinct values of a 2-D code array and each cell as a position among them
    (column-major: the first stage reads the slots a column at a time)."""
    distinct, inverse = np.unique(codes, return_inverse=True)
    slots = np.asfortranarray(inverse.reshape(codes.shape), dtype=np.int32)
    return distinct.astype(np.int64), slots


def _retrieval_inputs(
    columns: SeekerColumns, word_postings: Any, queries: Any, ceilings: NDArray[np.float64]
) -> _SeekerRetrieval:
    """The first stage's inputs of seekers vectorised together (:class:`_SeekerRetrieval`)."""
    occupation_codes, occupation_slots = _code_slots(columns.desired_occupations)
    area_codes, area_slots = _code_slots(columns.desired_regions)
    given = columns.desired_regions >= 0  # −1 pads
    areas = sp.csr_matrix(
        (
            np.ones(int(given.sum())),
            area_slots[given].astype(np.int64),  # row by row, as the mask reads them
            np.r_[0, np.cumsum(given.sum(axis=1))],
        ),
        shape=(len(given), len(area_codes)),
    )
    expected = columns.expected_salary.astype(np.float64)
    with np.errstate(divide="ignore", invalid="ignore"):
        log_salary = np.where(expected > 0, np.log(expected), np.nan)
        inverse = np.where(ceilings > 0, 1.0 / ceilings, 0.0)
    return _SeekerRetrieval(
        word_postings=word_postings,
        bm25_postings=sp.csr_matrix(queries).T.tocsr(),
        skill_postings=sp.csr_matrix(columns.skills).T.tocsr(),
        inverse_ceilings=inverse,
        occupation_codes=occupation_codes,
        occupation_slots=occupation_slots,
        area_codes=area_codes,
        areas=areas,
        log_salary=log_salary,
    )


def _padded(values: Sequence[NDArray[np.int64]], fill: int) -> NDArray[np.int64]:
    """2-D int arrays of different widths stacked, the narrower padded with ``fill``."""
    width = max(v.shape[1] for v in values)
    return np.concatenate(
        [np.pad(v, ((0, 0), (0, width - v.shape[1])), constant_values=fill) for v in values]
    )


_PADDING = {"desired_regions": -1, "desired_occupations": 0}
"""What pads each 2-D column of SeekerColumns (their own "none" values)."""


def _column_parts(name: str, parts: Sequence[Any]) -> Any:
    if sp.issparse(parts[0]):
        return sp.vstack(parts, format="csr")
    if name in _PADDING:
        return _padded(parts, _PADDING[name])
    return np.concatenate(parts)


def _blinded(seeker: Seeker) -> Seeker:
    """``seeker`` as a group-blind ranking sees it: no priority groups, no disability."""
    if not seeker.priority_groups and seeker.disability is None:
        return seeker
    return seeker.model_copy(update={"priority_groups": [], "disability": None})


def _csr_row(matrix: Any, row: int) -> tuple[NDArray[np.int32], NDArray[Any]]:
    """The stored column indices and values of one row of ``matrix``, in stored order: read
    from a CSR matrix's arrays directly (no one-row matrix built), else through one."""
    if not (sp.issparse(matrix) and matrix.format == "csr"):
        matrix = sp.csr_matrix(matrix[row : row + 1])
        row = 0
    start, end = int(matrix.indptr[row]), int(matrix.indptr[row + 1])
    return matrix.indices[start:end], matrix.data[start:end]


def _rows_of(values: Any, rows: NDArray[np.int64]) -> Any:
    """``values[rows]`` (an array or a CSR matrix); one row is taken as a slice — a read-only
    view of an array; of a CSR matrix, a one-row matrix over read-only views of its arrays,
    built directly (scipy's slicing checks and copies: 32 → 17 µs a column of a request's
    seeker)."""
    if len(rows) != 1:
        return values[rows]
    row = int(rows[0])
    if sp.issparse(values) and values.format == "csr":
        start, end = values.indptr[row], values.indptr[row + 1]
        data, indices = values.data[start:end], values.indices[start:end]
        data.flags.writeable = indices.flags.writeable = False  # views of the index's row
        indptr = np.array([0, end - start], dtype=values.indptr.dtype)
        shape = (1, values.shape[1])
        return values.__class__((data, indices, indptr), shape=shape, copy=False)
    taken = values[row : row + 1]
    if isinstance(taken, np.ndarray):
        taken.flags.writeable = False
    return taken


def _bm25_scores(
    documents: Any, rows: NDArray[np.int64], queries: Any, row: int
) -> NDArray[np.float32]:
    """BM25 of query ``row`` of ``queries`` (CSR) against the ``documents`` (CSR) at ``rows``:
    the query scattered into a dense vector and one sparse-matrix × vector product — the
    values of ``documents[rows] @ queries[row].T`` (terms summed in the same order; the other
    terms add exact zeros) without the sparse × sparse product and its densifying."""
    start, end = int(queries.indptr[row]), int(queries.indptr[row + 1])
    terms = queries.indices[start:end]
    dtype = np.result_type(documents.dtype, queries.dtype)
    with lent_zeros(documents.shape[1], dtype) as dense:  # no fresh vector of every term
        np.add.at(dense, terms, queries.data[start:end])
        scores = np.asarray(gathered_matvec(documents, rows, dense), dtype=np.float32).ravel()
        dense[terms] = 0
    return scores


def _gathered(
    parts: Sequence[tuple[_SeekerSegment, NDArray[np.int64]]], day: dt.date, group_blind: bool
) -> SeekerColumns:
    """The seekers at each segment's rows, in that order, as one set of columns with ages on
    ``day``; ``group_blind`` clears priority groups and disability (as if never recorded)."""
    if len(parts) == 1:  # no stacking: the segment's rows as they are
        segment, rows = parts[0]
        fields = {
            f.name: _rows_of(getattr(segment.columns, f.name), rows)
            for f in dataclasses.fields(SeekerColumns)
        }
    else:
        fields = {
            f.name: _column_parts(f.name, [getattr(s.columns, f.name)[rows] for s, rows in parts])
            for f in dataclasses.fields(SeekerColumns)
        }
    fields["age"] = np.concatenate([day.year - s.birth_years[rows] for s, rows in parts]).astype(
        np.float32
    )
    if group_blind:
        fields["groups"] = np.zeros(len(fields["age"]), dtype=np.int64)
        fields["disabled"] = np.zeros(len(fields["age"]), dtype=bool)
    return SeekerColumns(**fields)


def _joined_segments(parts: Sequence[_SeekerSegment]) -> _SeekerSegment:
    """The segments' rows one after the other (campaign masks kept where every part has one)."""
    columns = SeekerColumns(
        **{
            f.name: _column_parts(f.name, [getattr(p.columns, f.name) for p in parts])
            for f in dataclasses.fields(SeekerColumns)
        }
    )
    shared = set.intersection(*(set(p.campaign_masks) for p in parts))
    queries = sp.vstack([p.bm25_queries for p in parts], format="csr")
    ceilings = np.concatenate([p.bm25_ceilings for p in parts])
    retrieval = None
    if all(p.retrieval is not None for p in parts):
        postings = [p.retrieval.word_postings for p in parts if p.retrieval is not None]
        retrieval = _retrieval_inputs(columns, sp.hstack(postings, format="csr"), queries, ceilings)
    return _SeekerSegment(
        seekers=[s for p in parts for s in p.seekers],
        columns=columns,
        birth_years=np.concatenate([p.birth_years for p in parts]),
        retrieval=retrieval,
        bm25_queries=queries,
        bm25_ceilings=ceilings,
        ids=np.concatenate([p.ids for p in parts]),
        live=np.concatenate([p.live for p in parts]),
        campaign_masks={
            c: np.concatenate([p.campaign_masks[c] for p in parts]) for c in sorted(shared)
        },
    )


def _without(
    index: _SeekerIndex, seeker_ids: Iterable[str]
) -> tuple[list[_SeekerSegment], dict[str, tuple[int, int]]]:
    """New segments and a new ``where`` with these seekers' rows dead (the index untouched)."""
    where = dict(index.where)
    dead: dict[int, list[int]] = {}
    for seeker_id in seeker_ids:
        found = where.pop(seeker_id, None)
        if found is not None:
            dead.setdefault(found[0], []).append(found[1])
    segments = list(index.segments)
    for number, rows in dead.items():
        segment = segments[number]
        live = segment.live.copy()
        live[rows] = False
        segments[number] = dataclasses.replace(
            segment, live=live, campaign_masks=dict(segment.campaign_masks)
        )
    return segments, where


def _appended(
    segments: list[_SeekerSegment], where: dict[str, tuple[int, int]], added: _SeekerSegment
) -> _SeekerIndex:
    """``added`` after the segments: into the small second segment, merged into the first once
    it passes :data:`SEEKER_DELTA_LIMIT` rows (``where`` is updated in place)."""
    if not segments:
        merged, number, offset = [added], 0, 0
    elif len(segments) == 1:
        merged, number, offset = [segments[0], added], 1, 0
    else:
        base, delta = segments[0], segments[1]
        offset = len(delta.ids)
        if offset + len(added.ids) > SEEKER_DELTA_LIMIT:
            for seeker_id, (part, row) in list(where.items()):
                if part == 1:
                    where[seeker_id] = (0, len(base.ids) + row)
            offset += len(base.ids)
            merged, number = [_joined_segments([base, delta, added])], 0
        else:
            merged, number = [base, _joined_segments([delta, added])], 1
    for row, seeker_id in enumerate(added.ids.tolist()):
        where[seeker_id] = (number, offset + row)
    return _SeekerIndex(tuple(merged), where)


# --- explanations --------------------------------------------------------------------------


def _names(codes: Sequence[str]) -> list[str]:
    return [certificate_name(c) for c in codes]


NO_REASON = "综合匹配"
"""What :func:`explain_match` says of a pair with none of its parts."""

REASON_CACHE = 65_536
"""Combinations kept per part of :func:`explain_match` (commute, salary, education,
experience): each part depends on a few values of the two sides, so a batch of millions of pairs
asks few of them."""


def explain_match(seeker: Seeker, vacancy: Vacancy) -> str:
    """A short Chinese reason: matched skills and certificates, commute, salary, education, and
    the posting's education or years the seeker is known to fall short of (never age).

    e.g. ``技能匹配：电工证、焊工证；通勤：同在船山区；薪资：5000-6500 高于期望 4500``,
    ``…；学历：低于大专要求；经验：要求3年，有1年``.
    """
    return explain_matches(seeker, (vacancy,))[0]


def explain_matches(seeker: Seeker, vacancies: Iterable[Vacancy]) -> list[str]:
    """:func:`explain_match` of the seeker with each of ``vacancies``, the seeker's side read
    once (a batch shortlist explains 20 vacancies per seeker, 2,000,000 pairs a city run)."""
    skills, held = seeker.skills, held_certificates(seeker.certificates)
    home, desired = seeker.region, tuple(seeker.desired_regions)
    expected, education = seeker.expected_salary, seeker.education
    years = seeker.experience_years
    reasons = []
    for vacancy in vacancies:
        parts = (
            _skills_reason(skills, held, vacancy),
            _commute_reason(home, desired, vacancy.region),
            _salary_reason(expected, vacancy.salary_min, vacancy.salary_max),
            _education_reason(education, vacancy.min_education),
            _experience_reason(years, vacancy.min_experience_years),
        )
        reasons.append("；".join(part for part in parts if part is not None) or NO_REASON)
    return reasons


def _skills_reason(
    skills: Sequence[str], certificates: Sequence[str], vacancy: Vacancy
) -> str | None:
    """The vacancy's required certificates the seeker holds, then its skills the seeker has
    (a few each: lists suffice), four at most."""
    required = vacancy.required_certificates
    matched = _names([c for c in required if c in certificates]) if required else []
    matched += [s for s in vacancy.skills if s in skills]
    return "技能匹配：" + "、".join(matched[:4]) if matched else None


@lru_cache(maxsize=REASON_CACHE, typed=True)
def _commute_reason(home: str | None, desired: tuple[str, ...], work: str) -> str | None:
    table = regions()
    if home == work:
        return f"通勤：同在{table.by_code[work].name}"
    if work in desired:
        return f"通勤：{table.by_code[work].name}在意向地区内"
    if home is not None and table.city_of(home) == table.city_of(work):
        return f"通勤：{table.by_code[home].name}→{table.by_code[work].name}"
    return None


@lru_cache(maxsize=REASON_CACHE, typed=True)
def _salary_reason(
    expected: int | None, salary_min: int | None, salary_max: int | None
) -> str | None:
    if not (salary_min and salary_max):
        return None
    pay = f"{salary_min}-{salary_max}"
    if not expected:
        return f"薪资：{pay}"
    word = "高于" if (salary_min + salary_max) / 2 >= expected else "低于"
    return f"薪资：{pay} {word}期望 {expected}"


@lru_cache(maxsize=REASON_CACHE, typed=True)
def _education_reason(education: EducationLevel | None, minimum: EducationLevel) -> str | None:
    if minimum is EducationLevel.NONE or education is None:
        return None
    word = "低于" if education < minimum else "满足"
    return f"学历：{word}{EducationLevel(minimum).label}要求"


@lru_cache(maxsize=REASON_CACHE, typed=True)
def _experience_reason(years: float | None, minimum: float) -> str | None:
    """Only a shortfall is a reason worth saying: 经验：要求3年，有1年 (unknown years: none)."""
    if years is None or years >= minimum:
        return None
    return f"经验：要求{minimum:g}年，有{years:g}年"


def _age_band(age: int | None) -> str:
    if age is None:
        return UNKNOWN_LABEL
    low = age // 5 * 5
    return f"{low}-{low + 4}岁"


UNKNOWN_LABEL = "未知"
"""What a summary shows for a field the seeker has not given."""


def summarize_seeker(rank: int, seeker: Seeker, score: float, vacancy: Vacancy) -> CandidateSummary:
    """What an employer may see of a seeker: no name, phone, ID, address, résumé text or
    priority group (group membership is sensitive and stays with the platform)."""
    table = regions()
    return CandidateSummary(
        rank=rank,
        seeker_id=seeker.id,
        score=round(score, 4),
        county=table.by_code[seeker.region].name if seeker.region else UNKNOWN_LABEL,
        age_band=_age_band(seeker.age),
        education=(
            UNKNOWN_LABEL if seeker.education is None else EducationLevel(seeker.education).label
        ),
        experience_years=seeker.experience_years,
        skills=tuple(seeker.skills[:8]),
        certificates=tuple(_names(seeker.certificates)),
        desired_titles=tuple(seeker.desired_titles),
        reason=explain_match(seeker, vacancy),
    )
