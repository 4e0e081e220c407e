"""Learning-to-rank sets from the stored interactions (an analyst's pairs file: :mod:`.pairs`).

Queries, candidates, labels and positions (from the store)
-----------------------------------------------------------
- **Query**: one search session of one seeker. Events with a ``session_id`` belong to the query
  ``(seeker, session_id)`` whatever their day (an interview days after the session still counts
  for it). Events without one form the query ``(seeker, day)``; a later click, apply, interview,
  offer, hire or reject without a session joins the most recent session-less query of that
  seeker in which the vacancy appeared (else the seeker's query of its own day).
- **Query day**: the day of the query's first event (the impression); ``query_times`` holds it
  as days since 1970-01-01, ``query_dates`` as ``datetime64[D]``.
- **Candidates**: every vacancy with an event in the query: the ones shown, plus any vacancy the
  seeker acted on within it.
- **Label**: the best kind of the pair's events in the query, graded by
  :data:`matcher.domain.records.LABEL_OF_KIND` (hire 4, offer/interview 3, apply 2, click 1,
  impression/reject 0). Labels use every outcome stored, also those logged after an ``until``
  bound (an interview a few days after the last training session still grades it).
- **Position**: where the vacancy was shown in the query (1-based, the best one if shown twice;
  else any position logged with its events); 0 when unknown.
- **Order**: queries by day, then seeker id, then key; rows of a query by position (unknown
  last), then vacancy id. Rows of a query are contiguous.

Features are :data:`features.pairwise.FEATURE_NAMES` from :mod:`matcher.ranking.columns` and
:func:`features.pairwise.pair_features` (computed per query day, vectorised over the rows of
that day), then ``"bm25"``: the Okapi BM25 score of the seeker's text (query) against the
vacancy's text (document), from a :class:`~features.vectorize.BM25Vectorizer` fitted on the
vacancies' texts — the score the BM25 baseline ranks by. As of the query day: ages
(``Seeker.age_on``), ``freshness_days`` and ``congestion`` (applications logged *before* the
query day only). ``employer_verified`` is the employer's status in the store now (the store keeps
no history of it). The priority-group match uses the vacancy's own target groups, as
:class:`matcher.ranking.engine.MatchEngine` does (it applies a campaign's group boost after
ranking).
Only ``salary_fit`` may be NaN (unknown pay).

The text vectoriser, the BM25 vectoriser and the skill/certificate vocabularies are fitted on the
seekers and vacancies of the set being built unless fitted ones are passed: build the training
part first, then the test part with the training part's (:func:`train_test_sets` does this).

Query tags (``RankingSet.query_tags``): one mask per priority-group code of
:func:`matcher.reference.priority_groups` (the query's seeker is in the group) and ``"none"``
(the seeker is in no group), for metrics per group.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import zlib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, TypeVar

import numpy as np
import scipy.sparse as sp
from numpy.typing import NDArray
from sklearn.base import clone
from sklearn.exceptions import NotFittedError
from sklearn.model_selection import GroupKFold
from sklearn.utils.validation import check_is_fitted

from features.pairwise import (
    MODEL_FEATURE_NAMES,
    SeekerColumns,
    VacancyColumns,
    model_features,
)
from features.vectorize import BM25Vectorizer, TextVectorizer
from matcher.domain.records import (
    LABEL_OF_KIND,
    Employer,
    InteractionKind,
    Seeker,
    Vacancy,
)
from matcher.intake.completion import text_only_view
from matcher.intake.lexicon import domain_tokenizer, posting_place_finder, text_priors
from matcher.ranking.columns import (
    EPOCH,
    UNKNOWN_REGION,
    Tokenize,
    Vocabularies,
    epoch_days,
    fit_text_vectorizer,
    region_number,
    related_table,
    seeker_columns,
    seeker_text,
    vacancy_columns,
    vacancy_text,
)
from matcher.reference import (
    priority_groups,
)
from matcher.storage.store import Store
from models.dataset import RankingSet

__all__ = [
    "NO_GROUP_TAG",
    "TRAINING_FEATURE_NAMES",
    "TrainingData",
    "build_training_data",
    "grouped_folds",
    "time_split",
    "train_test_sets",
]

TRAINING_FEATURE_NAMES: tuple[str, ...] = MODEL_FEATURE_NAMES
"""Columns of the feature matrix: the pair features, then the BM25 score."""
NO_GROUP_TAG = "none"
"""Query tag of seekers in no priority group."""
_ROW_CHUNK = 65_536
_OBJECT = np.dtype(object)

ObjectArray = NDArray[np.object_]
_Columns = TypeVar("_Columns", SeekerColumns, VacancyColumns)


# --- the result ----------------------------------------------------------------------------


@dataclass(frozen=True)
class TrainingData:
    """A ranking set with what produced it and what its rows are.

    Attributes
    ----------
    ranking : RankingSet
        Features (columns :data:`TRAINING_FEATURE_NAMES`), labels, query ids, positions, query
        tags and query times.
    seeker_ids, vacancy_ids : ndarray of shape (n_rows,), object
        Each row's seeker and vacancy.
    query_keys : ndarray of shape (n_queries,), object
        ``"<seeker>|<session_id>"``, ``"<seeker>|<YYYY-MM-DD>"`` (session-less) or the pairs
        file's ``query_id``.
    query_dates : ndarray of shape (n_queries,), datetime64[D]
        Each query's day; NaT when unknown (a pairs file without ``query_date``).
    query_campaigns : ndarray of shape (n_queries,), object
        The campaign id the query ran under, or None.
    vectorizer : TextVectorizer
        The fitted text vectoriser (goes into the model bundle).
    bm25 : BM25Vectorizer
        The fitted BM25 vectoriser (vacancy texts as documents).
    vocabularies : Vocabularies
        The skill and certificate vocabularies.
    skipped : mapping of str to int
        Rows left out, by reason (e.g. a seeker deleted from the store since).
    """

    ranking: RankingSet
    seeker_ids: ObjectArray
    vacancy_ids: ObjectArray
    query_keys: ObjectArray
    query_dates: NDArray[np.datetime64]
    query_campaigns: ObjectArray
    vectorizer: TextVectorizer
    bm25: BM25Vectorizer
    vocabularies: Vocabularies
    skipped: Mapping[str, int] = field(default_factory=dict)

    def __post_init__(self) -> None:
        rows, queries = self.ranking.n_rows, self.ranking.n_queries
        for name in ("seeker_ids", "vacancy_ids"):
            if getattr(self, name).shape != (rows,):
                raise ValueError(f"{name} must have shape ({rows},)")
        for name in ("query_keys", "query_dates", "query_campaigns"):
            if getattr(self, name).shape != (queries,):
                raise ValueError(f"{name} must have shape ({queries},)")

    @property
    def n_rows(self) -> int:
        return self.ranking.n_rows

    @property
    def n_queries(self) -> int:
        return self.ranking.n_queries

    @property
    def feature_names(self) -> tuple[str, ...]:
        return self.ranking.feature_names

    @property
    def query_seeker_ids(self) -> ObjectArray:
        """The seeker of each query, shape (n_queries,)."""
        ids: ObjectArray = self.seeker_ids[self.ranking.query_starts]
        return ids

    def take_queries(self, keep: NDArray[np.bool_]) -> TrainingData:
        """The subset of whole queries where ``keep`` (shape (n_queries,)) is true; the fitted
        vectorisers are shared, not refitted."""
        ranking = self.ranking.take_queries(keep)
        rows = np.repeat(keep, self.ranking.group_sizes)
        return dataclasses.replace(
            self,
            ranking=ranking,
            seeker_ids=self.seeker_ids[rows],
            vacancy_ids=self.vacancy_ids[rows],
            query_keys=self.query_keys[keep],
            query_dates=self.query_dates[keep],
            query_campaigns=self.query_campaigns[keep],
        )


# --- small helpers -------------------------------------------------------------------------


class _TokenCache:
    """The tokens of each distinct text, cut once (fitting and transforming share them)."""

    def __init__(self, tokenize: Tokenize) -> None:
        self._tokenize = tokenize
        self._tokens: dict[str, list[str]] = {}

    def __call__(self, text: str) -> list[str]:
        found = self._tokens.get(text)
        if found is None:
            found = self._tokens[text] = self._tokenize(text)
        return found


def _is_fitted(estimator: object) -> bool:
    try:
        check_is_fitted(estimator)
    except NotFittedError:
        return False
    return True


def _check_estimator(name: str, value: object, kind: type) -> None:
    if value is not None and not isinstance(value, kind):
        raise TypeError(f"{name} must be a {kind.__name__} or None, got {type(value).__name__}")


def _day_number(name: str, value: dt.date | None) -> int | None:
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        value = value.date()
    if not isinstance(value, dt.date):
        raise TypeError(f"{name} must be a date, got {type(value).__name__}")
    return epoch_days(value)


def _dates(days: NDArray[np.int64]) -> NDArray[np.datetime64]:
    """Days since 1970-01-01 as datetime64[D]."""
    dates: NDArray[np.datetime64] = days.astype("datetime64[D]")
    return dates


def _objects(values: Iterable[Any]) -> ObjectArray:
    items = list(values)
    array = np.empty(len(items), dtype=_OBJECT)
    array[:] = items
    return array


def _take(columns: _Columns, rows: NDArray[np.int64], **changes: Any) -> _Columns:
    """The rows ``rows`` of a column container, with some columns replaced."""
    values = {f.name: getattr(columns, f.name)[rows] for f in dataclasses.fields(columns)}
    values.update(changes)
    return dataclasses.replace(columns, **values)


def _row_dots(
    left: Any, right: Any, left_rows: NDArray[np.int64], right_rows: NDArray[np.int64]
) -> NDArray[np.float32]:
    """``left[left_rows[p]] · right[right_rows[p]]`` for every p (sparse rows, chunked)."""
    out = np.empty(len(left_rows), dtype=np.float32)
    left, right = sp.csr_array(left), sp.csr_array(right)
    for start in range(0, len(left_rows), _ROW_CHUNK):
        stop = start + _ROW_CHUNK
        product = left[left_rows[start:stop]].multiply(right[right_rows[start:stop]])
        out[start:stop] = np.asarray(product.sum(axis=1)).ravel()
    return out


def _query_tags(groups: Sequence[Iterable[str]]) -> dict[str, NDArray[np.bool_]]:
    """One mask per priority-group code, plus :data:`NO_GROUP_TAG`, over the queries."""
    members = [set(g) for g in groups]
    tags = {code: np.array([code in m for m in members], dtype=bool) for code in priority_groups()}
    tags[NO_GROUP_TAG] = np.array([not m for m in members], dtype=bool)
    return tags


def _fit_bm25(
    bm25: BM25Vectorizer | None,
    documents: Sequence[Sequence[str]],
    *,
    real_text_prior: bool = True,
) -> BM25Vectorizer:
    """``bm25`` when fitted, else it (default ``BM25Vectorizer()``) fitted on ``documents`` and,
    unless ``real_text_prior`` is False, the real postings' word document frequencies."""
    if bm25 is not None and _is_fitted(bm25):
        return bm25
    model: BM25Vectorizer = clone(bm25) if bm25 is not None else BM25Vectorizer()
    return model.fit(documents, prior=text_priors()[0] if real_text_prior else None)


# --- queries from the interactions --------------------------------------------------------


@dataclass(frozen=True)
class _Log:
    """(query, vacancy) pairs collected from the interactions, before features."""

    query_seekers: ObjectArray  # (n_queries,)
    query_keys: ObjectArray
    query_days: NDArray[np.int64]
    query_campaigns: ObjectArray
    pair_query: NDArray[np.int64]  # (n_pairs,)
    pair_vacancy: ObjectArray
    labels: NDArray[np.int8]
    positions: NDArray[np.int16]
    apply_vacancies: ObjectArray  # (n_applies,)
    apply_days: NDArray[np.int64]


def _collect(store: Store) -> _Log:
    """Group every stored interaction into queries and (query, vacancy) pairs."""
    query_index: dict[tuple[str, str], int] = {}
    query_campaign: dict[int, str] = {}
    recent: dict[tuple[str, str], int] = {}  # session-less (seeker, vacancy) → its last query
    vacancy_index: dict[str, int] = {}
    event_query: list[int] = []
    event_vacancy: list[int] = []
    event_label: list[int] = []
    event_day: list[int] = []
    event_position: list[int] = []
    event_shown: list[bool] = []
    apply_vacancies: list[str] = []
    apply_days: list[int] = []
    impression = InteractionKind.IMPRESSION
    for item in store.iter_interactions():
        day = epoch_days(item.time.date())
        if item.kind is InteractionKind.APPLY:
            apply_vacancies.append(item.vacancy_id)
            apply_days.append(day)
        if item.session_id is not None:
            query = query_index.setdefault((item.seeker_id, item.session_id), len(query_index))
        else:
            pair = (item.seeker_id, item.vacancy_id)
            found = recent.get(pair) if item.kind is not impression else None
            if found is None:
                key = (item.seeker_id, item.time.date().isoformat())
                found = query_index.setdefault(key, len(query_index))
            recent[pair] = query = found
        if item.campaign_id is not None:
            query_campaign.setdefault(query, item.campaign_id)
        event_query.append(query)
        event_vacancy.append(vacancy_index.setdefault(item.vacancy_id, len(vacancy_index)))
        event_label.append(LABEL_OF_KIND[item.kind])
        event_day.append(day)
        event_position.append(item.position or 0)
        event_shown.append(item.kind is impression)

    n_queries, n_vacancies = len(query_index), max(len(vacancy_index), 1)
    queries = np.array(event_query, dtype=np.int64)
    days = np.array(event_day, dtype=np.int64)
    query_days = np.full(n_queries, np.iinfo(np.int64).max, dtype=np.int64)
    np.minimum.at(query_days, queries, days)

    pair_keys, pair_of_event = np.unique(
        queries * n_vacancies + np.array(event_vacancy, dtype=np.int64), return_inverse=True
    )
    labels = np.zeros(len(pair_keys), dtype=np.int8)
    np.maximum.at(labels, pair_of_event, np.array(event_label, dtype=np.int8))
    positions = np.array(event_position, dtype=np.int64)
    shown = np.array(event_shown, dtype=bool) & (positions > 0)
    unknown = np.iinfo(np.int64).max
    shown_at = np.full(len(pair_keys), unknown, dtype=np.int64)
    np.minimum.at(shown_at, pair_of_event[shown], positions[shown])
    logged_at = np.full(len(pair_keys), unknown, dtype=np.int64)
    np.minimum.at(logged_at, pair_of_event[positions > 0], positions[positions > 0])
    best = np.where(shown_at < unknown, shown_at, np.where(logged_at < unknown, logged_at, 0))

    vacancy_ids = _objects(vacancy_index)
    keys = list(query_index)
    return _Log(
        query_seekers=_objects(seeker for seeker, _ in keys),
        query_keys=_objects(f"{seeker}|{part}" for seeker, part in keys),
        query_days=query_days,
        query_campaigns=_objects(query_campaign.get(q) for q in range(n_queries)),
        pair_query=pair_keys // n_vacancies,
        pair_vacancy=vacancy_ids[pair_keys % n_vacancies],
        labels=labels,
        positions=np.minimum(best, np.iinfo(np.int16).max).astype(np.int16),
        apply_vacancies=_objects(apply_vacancies),
        apply_days=np.array(apply_days, dtype=np.int64),
    )


NEGATIVES_PER_QUERY = 10
"""Vacancies open on a training query's day that it did not show, added as label 0: logged
impressions are all near the seeker's wishes (the logging ranker chose them), so without
these the ranker never learns that a job of another trade is a poor match — the first thing a
ranking over a whole city's vacancies, or over real text, has to get right."""


def _with_negatives(log: _Log, store: Store, per_query: int, seed: int = 0) -> _Log:
    """``log`` with up to ``per_query`` unshown vacancies per query, open on its day, as
    label-0 pairs of unknown position (a stable random draw for a given ``seed``)."""
    if per_query <= 0 or not len(log.query_days):
        return log
    found = store.get_many(Vacancy, sorted(set(log.pair_vacancy.tolist())))
    ids = _objects(sorted(found))
    starts = np.array([epoch_days(found[v].valid_from) for v in ids], dtype=np.int64)
    ends = np.array([epoch_days(found[v].valid_until) for v in ids], dtype=np.int64)
    shown: dict[int, set[str]] = {}
    for query, vacancy in zip(log.pair_query.tolist(), log.pair_vacancy.tolist(), strict=True):
        shown.setdefault(query, set()).add(vacancy)
    rng = np.random.default_rng(seed)
    queries: list[int] = []
    vacancies: list[str] = []
    for query, day in enumerate(log.query_days.tolist()):
        open_rows = np.flatnonzero((starts <= day) & (day <= ends))
        if not len(open_rows):
            continue
        draw = rng.choice(open_rows, size=min(2 * per_query, len(open_rows)), replace=False)
        picked = [ids[r] for r in draw.tolist() if ids[r] not in shown.get(query, ())]
        queries += [query] * len(picked[:per_query])
        vacancies += picked[:per_query]
    return dataclasses.replace(
        log,
        pair_query=np.concatenate([log.pair_query, np.array(queries, dtype=np.int64)]),
        pair_vacancy=np.concatenate([log.pair_vacancy, _objects(vacancies)]),
        labels=np.concatenate([log.labels, np.zeros(len(queries), dtype=np.int8)]),
        positions=np.concatenate([log.positions, np.zeros(len(queries), dtype=np.int16)]),
    )


class _Applicants:
    """Applications per vacancy logged before a given day."""

    def __init__(self, vacancy_rows: NDArray[np.int64], days: NDArray[np.int64]) -> None:
        self._first = int(days.min()) if len(days) else 0
        self._span = int(days.max()) - self._first + 2 if len(days) else 1
        self._keys = np.sort(vacancy_rows * self._span + (days - self._first))

    def before(self, vacancy_rows: NDArray[np.int64], day: int) -> NDArray[np.int64]:
        offset = min(max(day - self._first, 0), self._span - 1)
        start = np.searchsorted(self._keys, vacancy_rows * self._span, side="left")
        stop = np.searchsorted(self._keys, vacancy_rows * self._span + offset, side="left")
        counts: NDArray[np.int64] = (stop - start).astype(np.int64)
        return counts


def _store_features(
    seekers: Sequence[Seeker],
    vacancies: Sequence[Vacancy],
    employers: Mapping[str, Employer],
    row_seeker: NDArray[np.int64],
    row_vacancy: NDArray[np.int64],
    row_day: NDArray[np.int64],
    applicants: _Applicants,
    *,
    vectorizer: TextVectorizer,
    bm25: BM25Vectorizer,
    vocabularies: Vocabularies,
    tokenize: Tokenize,
    row_text_only: NDArray[np.bool_] | None = None,
) -> NDArray[np.float32]:
    """Feature rows (:data:`TRAINING_FEATURE_NAMES`) for the pairs, as of each row's day.

    Rows marked ``row_text_only`` see their vacancy as a posting given as text would be seen:
    its place, history (freshness, applications) and employer's verification unknown."""
    # ages are set per query day below (the reference day here does not matter)
    base_seekers = seeker_columns(
        seekers, vectorizer, tokenize, vocabularies=vocabularies, on=EPOCH
    )
    base_vacancies = vacancy_columns(
        vacancies, employers, vectorizer, tokenize, vocabularies=vocabularies
    )
    birth_years = np.array(
        [s.birth_year if s.birth_year is not None else -1 for s in seekers], dtype=np.int64
    )
    queries = bm25.transform_queries([tokenize(seeker_text(s)) for s in seekers])
    documents = bm25.transform([tokenize(vacancy_text(v)) for v in vacancies])
    raw_bm25 = _row_dots(queries, documents, row_seeker, row_vacancy)
    text_regions = _text_regions(vacancies) if row_text_only is not None else None
    ceilings = bm25.query_ceilings(queries)
    out = np.empty((len(row_seeker), len(TRAINING_FEATURE_NAMES)), dtype=np.float32)
    order = np.argsort(row_day, kind="stable")
    days, starts = np.unique(row_day[order], return_index=True)
    bounds = [*starts.tolist(), len(order)]
    for number, day in enumerate(days.tolist()):
        rows = order[bounds[number] : bounds[number + 1]]
        seeker_rows, seeker_of_row = np.unique(row_seeker[rows], return_inverse=True)
        vacancy_rows, vacancy_of_row = np.unique(row_vacancy[rows], return_inverse=True)
        year = (EPOCH + dt.timedelta(days=day)).year  # Seeker.age_on: the year minus birth year
        born = birth_years[seeker_rows]
        ages = np.where(born >= 0, year - born, np.nan).astype(np.float32)
        day_seekers = _take(base_seekers, seeker_rows, age=ages)
        day_vacancies = _take(
            base_vacancies, vacancy_rows, applicants=applicants.before(vacancy_rows, day)
        )
        text_only = row_text_only[rows] if row_text_only is not None else np.zeros(len(rows), bool)
        views = [(day_vacancies, ~text_only)]
        if text_regions is not None and text_only.any():
            views.append((_posting_view(day_vacancies, text_regions[vacancy_rows]), text_only))
        for view, part in views:
            if part.any():
                out[rows[part]] = model_features(
                    day_seekers,
                    view,
                    seeker_of_row[part],
                    vacancy_of_row[part],
                    bm25=raw_bm25[rows[part]],
                    bm25_ceiling=ceilings[row_seeker[rows[part]]],
                    today=int(day),
                    related=related_table(),
                )
    return out


def _text_regions(vacancies: Sequence[Vacancy]) -> NDArray[np.int64]:
    """The region number of the place each vacancy's text names first (0: none), as a posting
    given as text alone is read (:func:`matcher.intake.completion.vacancy_fields_from_text`)."""
    finder = posting_place_finder()
    found = (finder.find(vacancy.description) for vacancy in vacancies)
    return np.array(
        [region_number(code) if code else UNKNOWN_REGION for code in found], dtype=np.int64
    )


def _posting_view(vacancies: VacancyColumns, text_regions: NDArray[np.int64]) -> VacancyColumns:
    """The vacancies as postings given as text alone: the place their text names (0 when it
    names none), history and verification unknown."""
    n = len(vacancies)
    return dataclasses.replace(
        vacancies,
        region=text_regions,
        valid_from=np.full(n, -1, dtype=np.int64),
        applicants=np.full(n, -1, dtype=np.int64),
        employer_verified=np.full(n, np.nan, dtype=np.float32),
    )


def _build(
    store: Store,
    log: _Log,
    *,
    since: int | None,
    until: int | None,
    vectorizer: TextVectorizer | None,
    bm25: BM25Vectorizer | None,
    vocabularies: Vocabularies | None,
    tokenize: Tokenize | None,
    text_only_share: float = 0.0,
) -> TrainingData:
    keep_query = np.ones(len(log.query_days), dtype=bool)
    if since is not None:
        keep_query &= log.query_days >= since
    if until is not None:
        keep_query &= log.query_days < until
    if not len(log.query_days):
        raise ValueError(f"{store.path} holds no interactions; there is nothing to learn from")
    pairs = np.flatnonzero(keep_query[log.pair_query])
    if not len(pairs):
        raise ValueError(
            f"no queries between since={_date_text(since)} and until={_date_text(until)} "
            f"in {store.path} ({len(log.query_days)} queries in all)"
        )

    # records; rows naming a deleted seeker or vacancy are left out and counted
    seeker_of_pair = log.query_seekers[log.pair_query[pairs]]
    seekers_by_id = store.get_many(Seeker, sorted(set(seeker_of_pair.tolist())))
    vacancies_by_id = store.get_many(Vacancy, sorted(set(log.pair_vacancy[pairs].tolist())))
    known_seeker = np.array([s in seekers_by_id for s in seeker_of_pair.tolist()], dtype=bool)
    known_vacancy = np.array(
        [v in vacancies_by_id for v in log.pair_vacancy[pairs].tolist()], dtype=bool
    )
    skipped: dict[str, int] = {}
    if (~known_seeker).any():
        skipped["seeker not in the store"] = int((~known_seeker).sum())
    if (known_seeker & ~known_vacancy).any():
        skipped["vacancy not in the store"] = int((known_seeker & ~known_vacancy).sum())
    pairs = pairs[known_seeker & known_vacancy]
    if not len(pairs):
        raise ValueError(f"no query in {store.path} names a stored seeker and vacancy")

    # order: queries by (day, seeker, key); rows by (position, unknown last; vacancy id)
    used_queries = np.unique(log.pair_query[pairs])
    query_order = sorted(
        used_queries.tolist(),
        key=lambda q: (int(log.query_days[q]), log.query_seekers[q], log.query_keys[q]),
    )
    new_query = np.full(len(log.query_days), -1, dtype=np.int64)
    new_query[query_order] = np.arange(len(query_order))
    pair_vacancies = log.pair_vacancy[pairs]
    vacancy_ids = sorted(set(pair_vacancies.tolist()))
    vacancy_row = {vacancy_id: row for row, vacancy_id in enumerate(vacancy_ids)}
    row_vacancy = np.array([vacancy_row[v] for v in pair_vacancies.tolist()], dtype=np.int64)
    positions = log.positions[pairs]
    query_ids = new_query[log.pair_query[pairs]]
    order = np.lexsort((row_vacancy, positions, positions == 0, query_ids))
    pairs, row_vacancy, positions, query_ids = (
        pairs[order],
        row_vacancy[order],
        positions[order],
        query_ids[order],
    )
    query_order_array = np.array(query_order, dtype=np.int64)
    query_seekers = log.query_seekers[query_order_array]
    seeker_ids = sorted(set(query_seekers.tolist()))
    seeker_row = {seeker_id: row for row, seeker_id in enumerate(seeker_ids)}
    row_seeker = np.array(
        [seeker_row[s] for s in query_seekers[query_ids].tolist()], dtype=np.int64
    )
    seekers = [seekers_by_id[s] for s in seeker_ids]
    vacancies = [vacancies_by_id[v] for v in vacancy_ids]
    employers = store.get_many(Employer, sorted({v.employer_id for v in vacancies}))
    query_keys = log.query_keys[query_order_array]
    text_only_query = _text_only_queries(query_keys, text_only_share)

    # fitted artefacts: reuse the ones given when fitted, else fit on these records
    cut = _TokenCache(tokenize or domain_tokenizer())
    if vectorizer is None or not _is_fitted(vectorizer):
        template = clone(vectorizer) if vectorizer is not None else None
        vectorizer = fit_text_vectorizer(seekers, vacancies, cut, template)
    bm25 = _fit_bm25(bm25, [cut(vacancy_text(v)) for v in vacancies])
    if vocabularies is None:
        vocabularies = Vocabularies.fit(seekers, vacancies)

    query_days = log.query_days[query_order_array]
    applicants = _Applicants(
        np.array([vacancy_row.get(v, -1) for v in log.apply_vacancies.tolist()], dtype=np.int64),
        log.apply_days,
    )
    row_text_only = text_only_query[query_ids]
    views = seekers
    if row_text_only.any():  # the chosen queries see their seeker as text alone
        views = seekers + [text_only_view(s) for s in seekers]
        row_seeker = np.where(row_text_only, row_seeker + len(seekers), row_seeker)
    features = _store_features(
        views,
        vacancies,
        employers,
        row_seeker,
        row_vacancy,
        query_days[query_ids],
        applicants,
        vectorizer=vectorizer,
        bm25=bm25,
        vocabularies=vocabularies,
        tokenize=cut,
        row_text_only=row_text_only,
    )
    ranking = RankingSet(
        features=features,
        labels=log.labels[pairs],
        query_ids=query_ids,
        feature_names=TRAINING_FEATURE_NAMES,
        positions=positions,
        query_tags=_query_tags([seekers_by_id[s].priority_groups for s in query_seekers]),
        query_times=query_days,
    )
    return TrainingData(
        ranking=ranking,
        seeker_ids=query_seekers[query_ids],
        vacancy_ids=_objects(vacancy_ids)[row_vacancy],
        query_keys=query_keys,
        query_dates=_dates(query_days),
        query_campaigns=log.query_campaigns[query_order_array],
        vectorizer=vectorizer,
        bm25=bm25,
        vocabularies=vocabularies,
        skipped=skipped,
    )


TEXT_ONLY_SHARE = 0.5
"""Share of training queries whose seeker is seen as text alone (:func:`text_only_view`) and
whose vacancies as postings (the place their text names, no history): the ranker learns to
rank from text too, as for a walk-in, a pairs file or another platform's résumé. 0.8 lifted the
real-text set's NDCG@5 by about 0.008 on two demo stores but cost the synthetic test its lead
over the pointwise model (oracle NDCG@10 +0.0047 → +0.0026, not significant) and left 残疾人
significantly below it (−0.039, Holm p 0.03; benchmarks/compare_groups.py, 10,000 seekers)."""


def _text_only_queries(keys: ObjectArray, share: float) -> NDArray[np.bool_]:
    """Which queries to see as text alone: a stable pseudo-random ``share`` of them, by key."""
    if share <= 0:
        return np.zeros(len(keys), dtype=bool)
    cut = int(share * 2**32)
    return np.array([zlib.crc32(str(key).encode()) < cut for key in keys], dtype=bool)


def _date_text(day: int | None) -> str:
    return "None" if day is None else (EPOCH + dt.timedelta(days=day)).isoformat()


def build_training_data(
    store: Store,
    *,
    since: dt.date | None = None,
    until: dt.date | None = None,
    vectorizer: TextVectorizer | None = None,
    bm25: BM25Vectorizer | None = None,
    vocabularies: Vocabularies | None = None,
    tokenize: Tokenize | None = None,
) -> TrainingData:
    """A learning-to-rank set from the stored interactions (definitions: module docstring).

    Parameters
    ----------
    store : Store
    since, until : date, optional
        Keep the queries whose day is in ``[since, until)``. Labels still use every stored
        outcome of those queries; congestion counts applications before each query's day.
    vectorizer : TextVectorizer, optional
        Fitted: used as is (e.g. the training part's, for a test part). Unfitted: a template,
        cloned and fitted on this set's seekers' and vacancies' texts. None: ``TextVectorizer()``
        fitted likewise.
    bm25 : BM25Vectorizer, optional
        Likewise; fitted on this set's vacancies' texts when not fitted.
    vocabularies : Vocabularies, optional
        Likewise; ``Vocabularies.fit`` on this set's records when None.
    tokenize : callable str → list of str, optional
        The tokenizer (default :func:`matcher.intake.lexicon.domain_tokenizer`); must be the one the
        fitted vectorisers given were fitted with.

    Raises
    ------
    ValueError
        No query lies between ``since`` and ``until``.
    """
    _check_estimator("vectorizer", vectorizer, TextVectorizer)
    _check_estimator("bm25", bm25, BM25Vectorizer)
    _check_estimator("vocabularies", vocabularies, Vocabularies)
    return _build(
        store,
        _collect(store),
        since=_day_number("since", since),
        until=_day_number("until", until),
        vectorizer=vectorizer,
        bm25=bm25,
        vocabularies=vocabularies,
        tokenize=tokenize,
    )


# --- time-based split ----------------------------------------------------------------------


def _check_share(test_share: float) -> None:
    if isinstance(test_share, bool) or not isinstance(test_share, int | float):
        raise TypeError(f"test_share must be a number, got {test_share!r}")
    if not 0.0 < test_share < 1.0:
        raise ValueError(f"test_share={test_share} must lie strictly between 0 and 1")


def _cut_day(days: NDArray[np.int64], test_share: float) -> int:
    """The first test day: about ``test_share`` of the queries lie on or after it (whole days
    stay together, so the share is at least the one asked for when a day is split)."""
    _check_share(test_share)
    ordered = np.sort(days)
    if len(ordered) < 2 or ordered[0] == ordered[-1]:
        raise ValueError(
            f"cannot split {len(ordered)} queries by time: a time split needs queries on at "
            "least two days"
        )
    index = min(max(round(len(ordered) * (1.0 - test_share)), 1), len(ordered) - 1)
    cut = int(ordered[index])
    if cut == ordered[0]:  # the first day holds more than the training share
        cut = int(ordered[ordered > ordered[0]][0])
    return cut


def time_split(
    data: TrainingData, *, test_from: dt.date | None = None, test_share: float = 0.25
) -> tuple[TrainingData, TrainingData]:
    """Train on the earlier queries, test on the later ones.

    Parameters
    ----------
    data : TrainingData
        With known query days.
    test_from : date, optional
        First day of the test part. Default: the day such that about ``test_share`` of the
        queries lie on or after it.
    test_share : float in (0, 1)

    Returns
    -------
    (train, test) : TrainingData
        Every test query's day is after every training query's day. Both share ``data``'s
        fitted vectorisers: for an honest evaluation build them with :func:`train_test_sets`,
        which fits on the training part only.
    """
    if np.isnat(data.query_dates).any():
        raise ValueError("some queries have no date; a time split needs every query's day")
    days = data.query_dates.astype(np.int64)
    cut = _day_number("test_from", test_from)
    if cut is None:
        cut = _cut_day(days, test_share)
    test = days >= cut
    if test.all() or not test.any():
        raise ValueError(
            f"test_from={_date_text(cut)} leaves "
            f"{'no training' if test.all() else 'no test'} queries "
            f"(query days {_date_text(int(days.min()))} to {_date_text(int(days.max()))})"
        )
    return data.take_queries(~test), data.take_queries(test)


def train_test_sets(
    store: Store,
    test_share: float = 0.25,
    *,
    test_from: dt.date | None = None,
    vectorizer: TextVectorizer | None = None,
    bm25: BM25Vectorizer | None = None,
    tokenize: Tokenize | None = None,
    text_only_share: float = TEXT_ONLY_SHARE,
    negatives_per_query: int = NEGATIVES_PER_QUERY,
) -> tuple[TrainingData, TrainingData]:
    """Training and test sets split by time, the vectorisers fitted on the training part only.

    The cut is ``test_from``, or the day such that about ``test_share`` of the queries lie on or
    after it. ``vectorizer`` and ``bm25`` are unfitted templates (default parameters when None).
    The test part reuses the training part's vectorisers and vocabularies. A
    ``text_only_share`` of the training queries see their seeker as text alone and their
    vacancies as postings without place or history (:data:`TEXT_ONLY_SHARE`), and each training
    query gets ``negatives_per_query`` unshown open vacancies as label 0
    (:data:`NEGATIVES_PER_QUERY`); the test part is the logged queries as stored.
    """
    _check_estimator("vectorizer", vectorizer, TextVectorizer)
    _check_estimator("bm25", bm25, BM25Vectorizer)
    for name, template in (("vectorizer", vectorizer), ("bm25", bm25)):
        if template is not None and _is_fitted(template):
            raise ValueError(
                f"{name} is already fitted; train_test_sets fits on the training part only, "
                "so pass an unfitted template (or use build_training_data to reuse a fitted one)"
            )
    log = _collect(store)
    cut = _day_number("test_from", test_from)
    if cut is None:
        cut = _cut_day(log.query_days, test_share)
    cut_tokenize = _TokenCache(tokenize or domain_tokenizer())
    train = _build(
        store,
        _with_negatives(log, store, negatives_per_query),
        since=None,
        until=cut,
        vectorizer=vectorizer,
        bm25=bm25,
        vocabularies=None,
        tokenize=cut_tokenize,
        text_only_share=text_only_share,
    )
    test = _build(
        store,
        log,
        since=cut,
        until=None,
        vectorizer=train.vectorizer,
        bm25=train.bm25,
        vocabularies=train.vocabularies,
        tokenize=cut_tokenize,
    )
    return train, test


# --- grouped cross-validation --------------------------------------------------------------


def grouped_folds(
    data: TrainingData | RankingSet, n_splits: int = 5, seed: int = 0
) -> list[tuple[NDArray[np.bool_], NDArray[np.bool_]]]:
    """Cross-validation folds over whole queries (scikit-learn ``GroupKFold``, shuffled).

    Returns
    -------
    list of (train_mask, test_mask), each an ndarray of shape (n_queries,), bool
        Every query is in exactly one test mask; use with ``take_queries``. Folds hold about
        the same number of rows.
    """
    ranking = data.ranking if isinstance(data, TrainingData) else data
    if isinstance(n_splits, bool) or not isinstance(n_splits, int):
        raise TypeError(f"n_splits must be an int, got {n_splits!r}")
    if not 2 <= n_splits <= ranking.n_queries:
        raise ValueError(
            f"n_splits={n_splits} must lie in 2..{ranking.n_queries} (the number of queries)"
        )
    query_of_row = np.repeat(np.arange(ranking.n_queries), ranking.group_sizes)
    folds = GroupKFold(n_splits=n_splits, shuffle=True, random_state=seed)
    result = []
    for _, test_rows in folds.split(np.zeros((ranking.n_rows, 1)), groups=query_of_row):
        test = np.zeros(ranking.n_queries, dtype=bool)
        test[query_of_row[test_rows]] = True
        result.append((~test, test))
    return result
