"""The matching service: what a long-running process (the HTTP API, a batch worker) holds.

A :class:`MatchService` owns the store, the model registry and the current
:class:`~matcher.ranking.engine.MatchEngine`, and keeps the engine in step with the world:

- **Records.** Writes go through :func:`matcher.intake.importer.ingest_rows` (validation,
  redaction of personal data in free text, vacancy completion, reference checks) — the same path as
  file imports. Every change to a vacancy, employer or seeker is logged by the store's
  triggers (:meth:`~matcher.storage.store.Store.changes_since`), whoever made it: this process,
  another worker or ``jobmatch import``. Before each use the service replays new changes into
  the engine's indexes (the changed rows, a page of :data:`CATCH_UP_LIMIT` changes at a time;
  a full rebuild only when more than :data:`REBUILD_SHARE` of the indexed records changed), so an
  upserted vacancy is searchable at once, and an upserted seeker a candidate at once, on every
  worker, without a restart; a deleted seeker is a candidate no more.
- **Models.** :meth:`promote` builds the engine for the new version first and swaps it in
  only then, so no request fails or waits during the switch; requests already running finish
  on the old engine. A promotion made elsewhere (another worker, ``jobmatch models promote``)
  is noticed within :attr:`check_interval` seconds and the new engine is built in the
  background while the old one keeps serving.

- **Tenants.** Every method that reads, writes or ranks takes the caller's ``tenant`` and works
  on that tenant's view of the store (:meth:`~matcher.storage.store.Store.for_tenant`) and its
  partition of the engine's index: an id of another tenant's record is "not found", exactly as
  an id nobody has. The default tenant (``""``) is the single-tenant install's.
- **Employer-side answers.** :meth:`candidates` shows each seeker as an opaque per-tenant
  reference (``ref_…``, :meth:`~matcher.storage.store.Store.seeker_reference`); only staff
  callers also get the stored id. For employer-side callers candidates are ranked group-blind:
  a campaign does not filter or boost them, and the ranker sees no seeker's priority groups or
  disability, so a candidate list can never be read as group membership.

Nothing here knows HTTP; :mod:`api` maps routes to these methods.
"""

from __future__ import annotations

import contextvars
import dataclasses
import datetime as dt
import logging
import threading
import time
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from matcher.domain.campaigns import CampaignCalendar
from matcher.domain.privacy import redact_record
from matcher.domain.records import Campaign, Employer, Seeker, Vacancy
from matcher.errors import FieldProblem, InvalidRecord, NotFound, ServiceUnavailable, UnknownModel
from matcher.intake.analysis import VacancyAnalysis, analyze_vacancy
from matcher.intake.completion import complete_seeker
from matcher.intake.importer import IMPORT_KINDS, ImportResult, ingest_rows
from matcher.ranking.engine import CandidateSummary, Filters, MatchEngine, Recommendation
from matcher.ranking.serving import load_engine_model, model_errors, registry_for
from matcher.storage.store import DEFAULT_TENANT, Store
from models.registry import ModelRegistry, RegistryEntry

_LOG = logging.getLogger(__name__)

CATCH_UP_LIMIT = 5_000
"""Changes replayed into the indexes at a time: a catch-up reads the change log in pages of
this many until it has caught up."""
REBUILD_SHARE = 0.5
"""More pending changes than this share of the indexed records (and more than a page): the
indexes are rebuilt from the store instead of patched — a rebuild reads every record once,
patching reads each changed one; past this share patching saves little. Below it a large
import (tens of thousands of changes) is replayed page by page, never a full rebuild."""


def rebuilds(pending: int, indexed: int) -> bool:
    """Whether a catch-up of ``pending`` changes into indexes holding ``indexed`` records
    rebuilds them (more than a page, and more than :data:`REBUILD_SHARE` of the records)."""
    return pending > CATCH_UP_LIMIT and pending > REBUILD_SHARE * indexed


RECORD_KINDS: dict[str, type[Seeker] | type[Employer] | type[Vacancy]] = {
    "seekers": Seeker,
    "employers": Employer,
    "vacancies": Vacancy,
}


_SERVED_BY: contextvars.ContextVar[str | None] = contextvars.ContextVar(
    "jobmatch_served_by", default=None
)


def served_by() -> str | None:
    """The model version that ranked the last matching call made in this context (thread or
    task) — exact even while a promotion swaps engines between calls."""
    return _SERVED_BY.get()


@dataclass(frozen=True)
class ItemResult:
    """The outcome of one item of a bulk request: accepted, or rejected with its problems."""

    index: int
    id: str | None
    accepted: bool
    problems: tuple[FieldProblem, ...] = ()


@dataclass(frozen=True)
class ResolvedSeeker:
    """A seeker as :meth:`MatchService.resolve_seeker` gave it (stored, or inline redacted and
    completed) and the fields read from its text."""

    seeker: Seeker
    inferred: tuple[str, ...]


@lru_cache(maxsize=256)
def _completed(seeker_json: str, today: dt.date | None) -> tuple[Seeker, tuple[str, ...]]:
    """An inline (already redacted) seeker completed from its text as of the service's day (a
    stated age is an age on it); repeated requests for the same seeker (a platform paging
    through its list) read the text once."""
    return complete_seeker(Seeker.model_validate_json(seeker_json), today=today)


@dataclass
class _Current:
    engine: MatchEngine | None
    version: str | None
    seq: int = 0
    building: str | None = None
    checked: float = field(default_factory=time.monotonic)


@dataclass(frozen=True)
class BuildFailure:
    """The last failed attempt to build an engine for a model version (kept until one
    succeeds): what failed, how often in a row, and when the next attempt may start."""

    version: str
    cause: str
    attempts: int
    retry_at: float
    """``time.monotonic()`` before which no new attempt starts (exponential back-off)."""


BUILD_RETRY_FIRST = 1.0
BUILD_RETRY_MAX = 300.0
"""Back-off of failed engine builds: 1 s after the first failure, doubling to at most 5 min."""


class MatchService:
    """The store, the registry and a live engine for one data directory (thread-safe)."""

    def __init__(
        self,
        home: Path,
        calendar: CampaignCalendar,
        *,
        today: dt.date | None = None,
        check_interval: float = 1.0,
        store: Store | None = None,
    ) -> None:
        self.home = Path(home)
        self.calendar = calendar
        self.today = today
        self.check_interval = check_interval
        self._own_store = store is None
        self.store = store if store is not None else Store.open(self.home)
        self.registry: ModelRegistry = registry_for(self.home)
        self._lock = threading.RLock()
        self._catch_up_lock = threading.Lock()
        self._current = _Current(engine=None, version=None)
        self._builders: list[threading.Thread] = []
        self.build_failure: BuildFailure | None = None
        """The last failed engine build, until one succeeds (``/readyz`` shows it)."""
        self.build_failures_total = 0
        """Failed engine builds since start (``/metrics`` counts them)."""
        version = self.registry.active_version()
        if version is not None:
            self._current = self._build_or_record(version) or self._current

    def close(self) -> None:
        """Wait for engines still being built in the background, then close the store (a
        builder must not outlive the store or the interpreter it reads with)."""
        for builder in self._builders:
            builder.join()
        if self._own_store:
            self.store.close()

    # --- engine and models -----------------------------------------------------------------

    def _build(self, version: str) -> _Current:
        """An engine for ``version`` over the store as it is now (changes after the recorded
        sequence number are replayed on first use)."""
        seq = self.store.last_change()
        model = load_engine_model(self.registry.get(version))
        engine = MatchEngine(
            self.store,
            model,
            self.calendar,
            today=self.today,
            all_tenants=True,
            index_seekers=True,
        )
        return _Current(engine=engine, version=version, seq=seq)

    def _build_or_record(self, version: str) -> _Current | None:
        """:meth:`_build`, or None with the failure logged, counted and backed off."""
        try:
            built = self._build(version)
        except Exception as error:  # any cause: logged, counted, retried, shown in /readyz
            self._record_failure(version, error)
            return None
        with self._lock:
            if self.build_failure is not None and self.build_failure.version == version:
                self.build_failure = None
        return built

    def _record_failure(self, version: str, error: Exception) -> None:
        cause = f"{type(error).__name__}: {error}"
        with self._lock:
            last = self.build_failure
            attempts = last.attempts + 1 if last is not None and last.version == version else 1
            delay = min(BUILD_RETRY_FIRST * 2 ** (attempts - 1), BUILD_RETRY_MAX)
            self.build_failure = BuildFailure(version, cause, attempts, time.monotonic() + delay)
            self.build_failures_total += 1
        _LOG.error(
            "model %s: engine build failed (attempt %d, next in %.0f s): %s",
            version,
            attempts,
            delay,
            cause,
        )

    def _may_build(self, version: str) -> bool:
        failure = self.build_failure
        return failure is None or failure.version != version or time.monotonic() >= failure.retry_at

    @property
    def model_version(self) -> str | None:
        return self._current.version

    @property
    def ready(self) -> bool:
        return self._current.engine is not None

    def engine(self) -> MatchEngine:
        """The current engine, caught up with every logged change; ServiceUnavailable when no
        model is active."""
        self._follow_registry()
        current = self._current
        if current.engine is None:
            failure = self.build_failure
            if failure is not None:
                raise ServiceUnavailable(
                    f"the active model {failure.version} cannot be built ({failure.cause}); "
                    "retrying with back-off: promote another version or fix the bundle"
                )
            raise ServiceUnavailable(
                "no active model: train one (`jobmatch train`) or promote a version"
            )
        self._catch_up(current)
        _SERVED_BY.set(current.version)
        return current.engine

    def _follow_registry(self) -> None:
        """Notice a promotion made elsewhere (throttled); build its engine in the background."""
        current = self._current
        now = time.monotonic()
        if now - current.checked < self.check_interval:
            return
        current.checked = now
        version = self.registry.active_version()
        if version is None or version == current.version or current.building == version:
            return
        if not self._may_build(version):  # backing off after a failed build
            return
        if current.engine is None:  # nothing to serve meanwhile: build now
            with self._lock:
                if self._current.version != version:
                    self._current = self._build_or_record(version) or self._current
            return
        current.building = version
        builder = threading.Thread(target=self._swap_in, args=(version,), daemon=True)
        self._builders = [b for b in self._builders if b.is_alive()] + [builder]
        builder.start()

    def _swap_in(self, version: str) -> None:
        built = self._build_or_record(version)
        if built is None:  # the old engine keeps serving; retried after the back-off
            with self._lock:
                self._current.building = None
            return
        with self._lock:
            # a promotion made meanwhile (here or elsewhere) wins over this older one
            if self.registry.active_version() == version:
                self._current = built
            else:
                self._current.building = None

    def promote(self, version: str) -> RegistryEntry:
        """Make ``version`` the active model: its engine is built first, then the registry's
        pointer moves and the engine is swapped in (UnknownModel for an unknown
        version; a bundle that fails verification is refused and nothing changes)."""
        with self._lock:
            built = self._build(version)
            self.registry.promote(version)
            self._current = built
        return next(entry for entry in self.registry.list() if entry.version == version)

    def rollback(self) -> str:
        """Go back to the version active before the current one (the registry's rollback):
        its engine is built first, then the pointer moves back and the engine is swapped in.
        Returns that version (UnknownModel when there is nothing to roll back to; a bundle
        that fails verification or cannot be loaded is refused and nothing changes)."""
        with self._lock:
            with model_errors():
                target = self.registry.rollback_target()
            if target is None:
                raise UnknownModel(
                    "nothing to roll back to: the active model has no earlier active version"
                )
            built = self._build(target)
            with model_errors():
                self.registry.rollback()
            self._current = built
        return target

    def models(self) -> list[RegistryEntry]:
        return self.registry.list()

    def _catch_up(self, current: _Current) -> None:
        if current.engine is None or current.seq >= self.store.last_change():
            return
        with self._catch_up_lock:
            engine = current.engine
            last = self.store.last_change()
            pending = last - current.seq  # at most this many (sequence numbers may skip)
            if rebuilds(pending, engine.indexed):
                engine.refresh()
                current.seq = last
                return
            while True:
                changes = self.store.changes_since(current.seq, limit=CATCH_UP_LIMIT)
                if not changes:
                    return
                latest: dict[str, dict[tuple[str, str], str]] = {}
                for change in changes:
                    tenant_ops = latest.setdefault(change.tenant, {})
                    tenant_ops[(change.kind, change.record_id)] = change.op
                for tenant, ops in latest.items():
                    self._replay(engine, tenant, ops)
                current.seq = changes[-1].seq
                if len(changes) < CATCH_UP_LIMIT:
                    return

    def _replay(self, engine: MatchEngine, tenant: str, ops: Mapping[tuple[str, str], str]) -> None:
        """One tenant's latest changes into its partition of the engine's index."""
        store = self.store.for_tenant(tenant)
        employers = [i for (k, i), op in ops.items() if k == "employer" and op == "put"]
        vacancies = [i for (k, i), op in ops.items() if k == "vacancy" and op == "put"]
        gone = [i for (k, i), op in ops.items() if k == "vacancy" and op == "delete"]
        seekers = [i for (k, i), op in ops.items() if k == "seeker" and op == "put"]
        left = [i for (k, i), op in ops.items() if k == "seeker" and op == "delete"]
        if seekers:
            stored = store.get_many(Seeker, seekers)
            engine.upsert_seekers(list(stored.values()), tenant=tenant)
            left += [i for i in seekers if i not in stored]
        if left:
            engine.remove_seekers(left, tenant=tenant)
        if employers:
            engine.upsert_employers(
                list(store.get_many(Employer, employers).values()), tenant=tenant
            )
        if vacancies:
            found = store.get_many(Vacancy, vacancies)
            engine.upsert_vacancies(list(found.values()), tenant=tenant)
            gone += [i for i in vacancies if i not in found]
        if gone:
            engine.remove_vacancies(gone, tenant=tenant)

    # --- records -----------------------------------------------------------------------------

    def put(
        self,
        kind: str,
        record_id: str,
        data: Mapping[str, Any],
        *,
        tenant: str = DEFAULT_TENANT,
    ) -> BaseModel:
        """Validate and write one of ``tenant``'s records under ``record_id`` (InvalidRecord
        with the problems; an ``id`` in the body must agree with the path)."""
        body = dict(data)
        if body.get("id", record_id) != record_id:
            raise InvalidRecord(
                RECORD_KINDS[kind].__name__,
                [FieldProblem("id", "does not match the id in the path")],
            )
        body["id"] = record_id
        result = self._ingest(kind, [body], tenant)
        if result.problems:
            raise InvalidRecord(
                RECORD_KINDS[kind].__name__,
                [FieldProblem(p.field, p.message) for p in result.problems],
            )
        return result.records[0][1]

    def bulk(
        self, kind: str, items: Sequence[Mapping[str, Any]], *, tenant: str = DEFAULT_TENANT
    ) -> list[ItemResult]:
        """Validate every item and write the good ones (as ``tenant``'s) in one transaction;
        one result per item, in order."""
        result = self._ingest(kind, items, tenant)
        problems: dict[int, list[FieldProblem]] = {}
        for problem in result.problems:
            problems.setdefault(problem.line, []).append(
                FieldProblem(problem.field, problem.message)
            )
        outcomes = []
        for index, item in enumerate(items):
            item_id = item.get("id") if isinstance(item, Mapping) else None
            found = problems.get(index)
            outcomes.append(
                ItemResult(
                    index=index,
                    id=item_id if isinstance(item_id, str) else None,
                    accepted=found is None,
                    problems=tuple(found or ()),
                )
            )
        return outcomes

    def _ingest(self, kind: str, items: Iterable[Mapping[str, Any]], tenant: str) -> ImportResult:
        if kind not in IMPORT_KINDS:
            raise NotFound("record kind", kind)
        rows = (
            (index, dict(item) if isinstance(item, Mapping) else {"__error__": "must be an object"})
            for index, item in enumerate(items)
        )
        result = ingest_rows(
            self.store.for_tenant(tenant), kind, rows, campaign_ids=self.calendar.campaigns
        )
        if result.written and self._current.engine is not None and kind != "interactions":
            self._catch_up(self._current)  # searchable at once on this worker
        return result

    def get(self, kind: str, record_id: str, *, tenant: str = DEFAULT_TENANT) -> BaseModel:
        """One of ``tenant``'s records (NotFound); seekers without contact data, which lives
        apart."""
        store = self.store.for_tenant(tenant)
        return store.get(RECORD_KINDS[kind], record_id)  # type: ignore[type-var]

    def delete(self, kind: str, record_id: str, *, tenant: str = DEFAULT_TENANT) -> None:
        """Delete one of ``tenant``'s records (NotFound; ConflictError for an employer that has
        vacancies)."""
        store = self.store.for_tenant(tenant)
        store.delete(RECORD_KINDS[kind], record_id)  # type: ignore[type-var]
        if self._current.engine is not None:
            self._catch_up(self._current)

    def add_interactions(
        self, items: Sequence[Mapping[str, Any]], *, tenant: str = DEFAULT_TENANT
    ) -> list[ItemResult]:
        """Feedback events (impressions, clicks, applications …) for retraining; their seekers
        and vacancies must be ``tenant``'s."""
        return self.bulk("interactions", items, tenant=tenant)

    # --- matching ----------------------------------------------------------------------------

    def seeker(
        self, seeker: Seeker | str | ResolvedSeeker, *, tenant: str = DEFAULT_TENANT
    ) -> Seeker:
        """One of ``tenant``'s seekers by id (NotFound), or an inline one with personal data in
        its free text redacted and its missing fields read from its résumé text; a seeker
        :meth:`resolve_seeker` already gave is taken as it is (no second read or redaction)."""
        if isinstance(seeker, ResolvedSeeker):
            return seeker.seeker
        return self.resolve_seeker(seeker, tenant=tenant).seeker

    def resolve_seeker(
        self, seeker: Seeker | str, *, tenant: str = DEFAULT_TENANT
    ) -> ResolvedSeeker:
        """:meth:`seeker`, and the fields read from the text of an inline seeker (stored
        seekers were completed when they were written); pass the result on to
        :meth:`recommend` or :meth:`score`."""
        if isinstance(seeker, str):
            return ResolvedSeeker(self.store.for_tenant(tenant).get(Seeker, seeker), ())
        redacted, _ = redact_record(seeker)
        assert isinstance(redacted, Seeker)
        return ResolvedSeeker(*_completed(redacted.model_dump_json(), self.today))

    def vacancy(self, vacancy: Vacancy | str, *, tenant: str = DEFAULT_TENANT) -> Vacancy:
        """One of ``tenant``'s vacancies by id (NotFound), or an inline one redacted."""
        if isinstance(vacancy, str):
            return self.store.for_tenant(tenant).get(Vacancy, vacancy)
        redacted, _ = redact_record(vacancy)
        assert isinstance(redacted, Vacancy)
        return redacted

    def campaign(self, campaign_id: str | None) -> Campaign | None:
        """The campaign (NotFound naming it) or None."""
        if campaign_id is None:
            return None
        if campaign_id not in self.calendar.campaigns:
            raise NotFound("campaign", campaign_id)
        return self.calendar.campaigns[campaign_id]

    def recommend(
        self,
        seeker: Seeker | str | ResolvedSeeker,
        k: int,
        *,
        campaign: str | None = None,
        filters: Filters | None = None,
        contributions: bool = False,
        on: dt.date | None = None,
        tenant: str = DEFAULT_TENANT,
        group_blind: bool = False,
    ) -> list[Recommendation]:
        """The ``k`` best of ``tenant``'s open vacancies for a seeker (inline, or one of
        ``tenant``'s by id).

        ``group_blind`` ranks as if the seeker belonged to no priority group and had no
        recorded disability — for callers that name a stored seeker but may not read them: the
        campaign's group boost and the ranker's group and accessibility features would
        otherwise tell them the seeker's groups (compare the scores with and without a
        campaign)."""
        self.campaign(campaign)
        engine = self.engine()
        chosen = self.seeker(seeker, tenant=tenant)
        if group_blind:
            chosen = chosen.model_copy(update={"priority_groups": [], "disability": None})
        return engine.recommend_vacancies(
            chosen,
            k=k,
            campaign=campaign,
            filters=filters,
            contributions=contributions,
            on=on,
            tenant=tenant,
        )

    def candidates(
        self,
        vacancy: Vacancy | str,
        k: int,
        *,
        campaign: str | None = None,
        on: dt.date | None = None,
        tenant: str = DEFAULT_TENANT,
        employer_side: bool = True,
    ) -> list[CandidateSummary]:
        """The ``k`` best of ``tenant``'s seekers for a vacancy (inline, or one of ``tenant``'s
        by id), each with its opaque ``reference``.

        ``employer_side`` (the default; the API's keys without ``read``): no stored seeker id
        (``seeker_id`` None), and the list is ranked group-blind over the tenant's whole pool —
        the campaign, though checked, neither filters nor boosts, and the ranker sees no
        seeker's priority groups or disability — so neither a campaign nor a vacancy's target
        groups or accessibility can make it readable as membership. Staff callers
        (``employer_side=False``) get ids, the campaign's group policy and group-aware ranking.
        """
        self.campaign(campaign)
        engine = self.engine()
        store = self.store.for_tenant(tenant)
        target = self.vacancy(vacancy, tenant=tenant)
        if not store.exists(Employer, [target.employer_id]):
            raise NotFound("employer", target.employer_id)
        found = engine.recommend_seekers(
            target,
            k=k,
            campaign=None if employer_side else campaign,
            on=on,
            tenant=tenant,
            group_blind=employer_side,
        )
        return [
            dataclasses.replace(
                item,
                reference=store.seeker_reference(str(item.seeker_id)),
                seeker_id=None if employer_side else item.seeker_id,
            )
            for item in found
        ]

    def score(
        self,
        seeker: Seeker | ResolvedSeeker,
        vacancies: Sequence[Vacancy | str],
        *,
        on: dt.date | None = None,
        tenant: str = DEFAULT_TENANT,
    ) -> list[tuple[Vacancy, float, str]]:
        """Inline or stored vacancies scored for an inline seeker, best first (NotFound for a
        vacancy id or an inline vacancy's employer that ``tenant`` does not have)."""
        engine = self.engine()
        store = self.store.for_tenant(tenant)
        ids = [v for v in vacancies if isinstance(v, str)]
        stored = store.get_many(Vacancy, ids)
        missing = [i for i in ids if i not in stored]
        if missing:
            raise NotFound("vacancy", missing[0])
        chosen = [stored[v] if isinstance(v, str) else self.vacancy(v) for v in vacancies]
        employer_ids = {v.employer_id for v in chosen}
        known = store.exists(Employer, employer_ids)
        for vacancy in chosen:
            if vacancy.employer_id not in known:
                raise NotFound("employer", vacancy.employer_id)
        return engine.score(self.seeker(seeker, tenant=tenant), chosen, on=on, tenant=tenant)

    def analyze(self, text: str, title: str | None = None) -> VacancyAnalysis:
        return analyze_vacancy(text, title)

    def campaigns(self, on: dt.date | None = None) -> list[Campaign]:
        if on is not None:
            return self.calendar.running_on(on)
        return list(self.calendar.campaigns.values())

    @property
    def index_size(self) -> int:
        engine = self._current.engine
        return 0 if engine is None else engine.size


__all__ = [
    "CATCH_UP_LIMIT",
    "REBUILD_SHARE",
    "RECORD_KINDS",
    "ItemResult",
    "MatchService",
    "ServiceUnavailable",
    "rebuilds",
    "served_by",
]
