"""Batch matching before job fairs: every registered seeker against the fair's vacancies.

Steps of :func:`run_batch`:

1. **Plan** (:func:`plan_batch`). ``--fair``: the fair's booth vacancies on the fair's day, under
   its campaign when it has one; capacity per vacancy = its openings, or — where the booth gives
   interview slots — the booth's slots shared over its vacancies by openings. ``--campaign``:
   every open vacancy the campaign admits (its policy, as the API applies it) on the day
   (``--on``, default the campaign's first day); capacity = openings. Seekers: those the
   campaign admits (all seekers when there is no campaign), in id order.
2. **Rank** in blocks of seekers through the engine's own pipeline
   (:meth:`~matcher.ranking.engine.MatchEngine.rank_block`: filters, retrieval, pair features,
   ranker, campaign boost) — the path ``recommend_vacancies`` takes, so a batch list and an API
   answer for the same seeker agree. Each seeker keeps their best ``pool`` vacancies with scores.
   Every finished block is checkpointed (``OUT/.checkpoints/<run key>/block-NNNNNN.npz``,
   written atomically); a run killed at any moment and started again skips finished blocks.
   With a Dask scheduler the blocks go to the cluster's workers; the engine (model and index)
   is scattered to them once, not per block.
3. **Allocate** (:mod:`matcher.fairs.allocation`): capacity-aware shortlists of ``k`` per seeker
   from the pools, the campaign's priority groups pinned to their own best lists; reported before
   and after.
4. **Write** (:mod:`matcher.fairs.output`): per-seeker shortlists and per-vacancy invitation
   lists (the ``per_vacancy`` best-scoring seekers among those who have the vacancy on their
   list) as CSV, Parquet and XLSX, notifications, ``summary.json`` and ``report.md`` with plots.
   Every file appears atomically. Results depend only on the plan, the model and the options, so
   a resumed run writes the same rows as an uninterrupted one.

A run belongs to one tenant: the store it is given is that tenant's view
(:meth:`~matcher.storage.store.Store.for_tenant`; ``jobmatch batch --tenant``), so its fair, seekers
and vacancies, the engine's index and every output row are that tenant's, and the tenant is part
of the checkpoint key (another tenant's run into the same directory never reuses its blocks).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray

from matcher.domain.campaigns import CampaignCalendar, seeker_eligible
from matcher.domain.records import Campaign, Employer, Fair, Seeker, Vacancy
from matcher.errors import BatchError, NotFound, check_count
from matcher.fairs.allocation import Candidates, allocate, allocation_report, own_best
from matcher.fairs.output import (
    CandidateRow,
    Notification,
    ShortlistRow,
    write_outputs,
    write_report,
)
from matcher.ranking.engine import (
    RETRIEVAL_SIZE,
    Filters,
    MatchEngine,
    explain_match,
    summarize_seeker,
)
from matcher.ranking.serving import load_engine_model, registry_for
from matcher.reference import priority_groups, regions
from matcher.storage.store import DEFAULT_TENANT, Store
from models.files import atomic_path

CHECKPOINTS = ".checkpoints"
BLOCK_SIZE = 1_000


@dataclass(frozen=True)
class BatchOptions:
    """What a batch run is asked for; together with the plan and the model it fixes the
    results."""

    k: int = 10
    per_vacancy: int = 30
    pool: int | None = None
    """Candidates per seeker kept for allocation (default ``max(3k, 30)``)."""
    rerank: int = RETRIEVAL_SIZE
    """Candidates the model re-ranks per seeker (the engine's retrieval size; the API's by
    default, so batch and API agree)."""
    block_size: int = BLOCK_SIZE
    allocate: bool = True
    include_contacts: bool = False
    formats: tuple[str, ...] = ("csv", "parquet", "xlsx")

    def __post_init__(self) -> None:
        for name in ("k", "per_vacancy", "rerank", "block_size"):
            check_count(name, getattr(self, name), error=BatchError)
        if self.pool is not None and self.pool < self.k:
            raise BatchError(f"pool must be at least k={self.k}, got {self.pool}")
        unknown = set(self.formats) - {"csv", "parquet", "xlsx"}
        if unknown:
            raise BatchError(f"formats: unknown {', '.join(sorted(unknown))}")

    @property
    def pool_size(self) -> int:
        return min(self.rerank, self.pool if self.pool is not None else max(3 * self.k, 30))


@dataclass(frozen=True)
class BatchPlan:
    """Who and what a batch run matches."""

    label: str
    day: dt.date
    campaign: Campaign | None
    fair: Fair | None
    seeker_ids: tuple[str, ...]
    vacancy_ids: frozenset[str] | None
    """The fair's vacancies; None for a campaign run (the campaign's policy decides)."""
    booth_of: Mapping[str, str] = field(default_factory=dict)
    slots: Mapping[str, float] = field(default_factory=dict)
    """Capacity from the fair's interview slots, per vacancy (where the fair gives slots)."""
    tenant: str = DEFAULT_TENANT
    """Whose records the run matches (the store view's tenant)."""

    @property
    def time_text(self) -> str | None:
        fair = self.fair
        if fair is None:
            return None
        if fair.start_time and fair.end_time:
            return f"{fair.date} {fair.start_time:%H:%M}-{fair.end_time:%H:%M}"
        return str(fair.date)

    @property
    def filters(self) -> Filters:
        return Filters(vacancy_ids=self.vacancy_ids)


def plan_batch(
    store: Store,
    calendar: CampaignCalendar,
    *,
    fair_id: str | None = None,
    campaign_id: str | None = None,
    on: dt.date | None = None,
) -> BatchPlan:
    """The seekers, vacancies, day and capacities of a fair (or a campaign) run."""
    if (fair_id is None) == (campaign_id is None):
        raise BatchError("give exactly one of a fair id or a campaign id")
    fair: Fair | None = None
    if fair_id is not None:
        fair = store.get(Fair, fair_id)
        campaign_id = fair.campaign_id
    campaign = None
    if campaign_id is not None:
        if campaign_id not in calendar.campaigns:
            raise NotFound("campaign", campaign_id)
        campaign = calendar.campaigns[campaign_id]
    day = on or (fair.date if fair is not None else campaign.start if campaign else None)
    assert day is not None
    seeker_ids = tuple(
        sorted(s.id for s in store.iter(Seeker) if campaign is None or seeker_eligible(campaign, s))
    )
    if fair is None:
        assert campaign is not None
        return BatchPlan(campaign.name, day, campaign, None, seeker_ids, None, tenant=store.tenant)
    booth_of: dict[str, str] = {}
    slots: dict[str, float] = {}
    vacancies = store.get_many(Vacancy, [i for b in fair.booths for i in b.vacancy_ids])
    for booth in fair.booths:
        for vacancy_id in booth.vacancy_ids:
            booth_of[vacancy_id] = booth.booth
        if booth.interview_slots:
            posts = [vacancies[i] for i in booth.vacancy_ids if i in vacancies]
            openings = sum(v.openings for v in posts)
            for vacancy in posts:
                slots[vacancy.id] = booth.interview_slots * vacancy.openings / openings
    return BatchPlan(
        fair.name,
        day,
        campaign,
        fair,
        seeker_ids,
        frozenset(booth_of),
        booth_of,
        slots,
        tenant=store.tenant,
    )


# --- ranking blocks ------------------------------------------------------------------------


@dataclass(frozen=True)
class BlockResult:
    """The pools of one block: each seeker's best vacancies (flat, seeker by seeker, best
    first)."""

    seeker_ids: NDArray[np.str_]
    vacancy_ids: NDArray[np.str_]
    scores: NDArray[np.float64]

    def save(self, path: Path) -> None:
        with atomic_path(path) as temporary, temporary.open("wb") as handle:
            np.savez(
                handle,
                seeker_ids=self.seeker_ids,
                vacancy_ids=self.vacancy_ids,
                scores=self.scores,
            )

    @classmethod
    def load(cls, path: Path) -> BlockResult:
        with np.load(path, allow_pickle=False) as saved:
            return cls(saved["seeker_ids"], saved["vacancy_ids"], saved["scores"])


def rank_block(
    engine: MatchEngine,
    seekers: Sequence[Seeker],
    pool: int,
    campaign: str | None,
    filters: Filters,
    day: dt.date,
) -> BlockResult:
    """Each seeker's ``pool`` best vacancies through the engine (runs on a Dask worker too)."""
    ranked = engine.rank_block(seekers, pool, campaign, filters, on=day)
    seeker_ids = [r.seeker.id for r in ranked for _ in range(len(r.rows))]
    vacancy_ids = [vacancy_id for r in ranked for vacancy_id in r.vacancy_ids.tolist()]
    scores = np.concatenate([r.scores for r in ranked] + [np.zeros(0)])
    return BlockResult(
        np.array(seeker_ids, dtype=np.str_),
        np.array(vacancy_ids, dtype=np.str_),
        scores.astype(np.float64),
    )


def run_key(plan: BatchPlan, options: BatchOptions, model_version: str) -> str:
    """What makes two runs' rankings the same: a checkpoint is reused only under this key."""
    facts = {
        "seekers": hashlib.sha256("\n".join(plan.seeker_ids).encode()).hexdigest(),
        "vacancies": sorted(plan.vacancy_ids) if plan.vacancy_ids is not None else None,
        "campaign": plan.campaign.id if plan.campaign else None,
        "day": plan.day.isoformat(),
        "model": model_version,
        "pool": options.pool_size,
        "rerank": options.rerank,
        "block_size": options.block_size,
    }
    if plan.tenant != DEFAULT_TENANT:  # the default tenant's keys stay as they were
        facts["tenant"] = plan.tenant
    return hashlib.sha256(json.dumps(facts, sort_keys=True).encode()).hexdigest()[:20]


def _blocks(ids: Sequence[str], size: int) -> list[Sequence[str]]:
    return [ids[start : start + size] for start in range(0, len(ids), size)]


@dataclass
class RankProgress:
    """How the ranking went: blocks done now, blocks found checkpointed, seconds."""

    blocks: int = 0
    resumed: int = 0
    seconds: float = 0.0


def rank_all(
    store: Store,
    engine: MatchEngine,
    plan: BatchPlan,
    options: BatchOptions,
    directory: Path,
    *,
    scheduler: str | None = None,
    on_block: Callable[[int, int], None] | None = None,
) -> tuple[list[BlockResult], RankProgress]:
    """Rank every block (skipping checkpointed ones), locally or on a Dask cluster."""
    started = time.perf_counter()
    directory.mkdir(parents=True, exist_ok=True)
    blocks = _blocks(plan.seeker_ids, options.block_size)
    paths = [directory / f"block-{number:06d}.npz" for number in range(len(blocks))]
    pending = [number for number, path in enumerate(paths) if not path.exists()]
    progress = RankProgress(resumed=len(blocks) - len(pending))
    campaign = plan.campaign.id if plan.campaign else None
    arguments = (options.pool_size, campaign, plan.filters, plan.day)

    def seekers_of(number: int) -> list[Seeker]:
        found = store.get_many(Seeker, list(blocks[number]))
        return [found[i] for i in blocks[number]]

    if scheduler is None:
        for number in pending:
            rank_block(engine, seekers_of(number), *arguments).save(paths[number])
            progress.blocks += 1
            if on_block is not None:
                on_block(progress.blocks + progress.resumed, len(blocks))
    elif pending:
        with _dask_client(scheduler) as client:
            from distributed import as_completed

            shipped = client.scatter(engine, broadcast=True, hash=False)
            # a few blocks in flight per worker: seekers are read and sent as workers free up,
            # not all at once
            in_flight = max(2, 2 * len(client.scheduler_info()["workers"]))
            waiting = iter(pending)
            futures: dict[Any, int] = {}

            def submit() -> Any:
                number = next(waiting, None)
                if number is None:
                    return None
                future = client.submit(
                    rank_block, shipped, seekers_of(number), *arguments, pure=False
                )
                futures[future] = number
                return future

            first = [f for f in (submit() for _ in range(in_flight)) if f is not None]
            # the client is not the process-wide default, so as_completed gets its loop
            done = as_completed(first, loop=client.loop)  # type: ignore[no-untyped-call]
            for future in done:
                result: BlockResult = future.result()
                result.save(paths[futures.pop(future)])
                progress.blocks += 1
                if on_block is not None:
                    on_block(progress.blocks + progress.resumed, len(blocks))
                following = submit()
                if following is not None:
                    done.add(following)  # type: ignore[no-untyped-call]
    progress.seconds = time.perf_counter() - started
    return [BlockResult.load(path) for path in paths], progress


@contextmanager
def _dask_client(address: str) -> Iterator[Any]:
    try:
        from distributed import Client
    except ImportError as error:  # pragma: no cover - a dependency of the package
        raise BatchError(f"--scheduler needs dask.distributed: {error}") from None
    try:
        client = Client(address, timeout="20s", set_as_default=False)  # type: ignore[no-untyped-call]
    except OSError as error:
        raise BatchError(f"cannot reach the Dask scheduler at {address}: {error}") from None
    try:
        yield client
    finally:
        client.close()  # type: ignore[no-untyped-call]


# --- allocation and outputs ------------------------------------------------------------------


@dataclass(frozen=True)
class BatchSummary:
    """What a run did and the figures before and after allocation."""

    out_dir: Path
    files: dict[str, Path]
    seekers: int
    seekers_with_list: int
    vacancies: int
    blocks: int
    resumed_blocks: int
    rank_seconds: float
    total_seconds: float
    before: dict[str, Any]
    after: dict[str, Any]


def _group_masks(seekers: Mapping[str, Seeker], ids: Sequence[str]) -> dict[str, NDArray[np.bool_]]:
    names = {code: group.name for code, group in priority_groups().items()}
    masks: dict[str, NDArray[np.bool_]] = {}
    for code, name in names.items():
        mask = np.array([code in seekers[i].priority_groups for i in ids], dtype=bool)
        if mask.any():
            masks[name] = mask
    return masks


def _report_figures(report: Any, loads: NDArray[np.float64]) -> dict[str, Any]:
    """An allocation report in the shape :func:`matcher.fairs.output.write_report` reads."""
    values = report.to_dict()
    return {
        "applicants_per_opening": {
            "max": values["applicants_per_opening_max"],
            "p90": values["applicants_per_opening_p90"],
            "gini": values["applicants_per_opening_gini"],
        },
        "vacancies_without_candidates": values["vacancies_without_candidates"],
        "vacancies_without_applicants": values["vacancies_without_applicants"],
        "seekers_with_list": values["seekers_with_list"],
        "mean_rank_loss": values["mean_rank_loss"],
        "groups": {
            name: {
                "seekers": group["seekers"],
                "covered_share": group["with_list_share"],
                "mean_list_length": group["mean_list_length"],
                "exposure": round(group["exposure_total"], 2),
            }
            for name, group in values["groups"].items()
        },
        "applicants_per_opening_values": [round(float(x), 4) for x in loads],
    }


def _loads(c: Candidates, chosen: NDArray[np.bool_], capacity: NDArray[np.float64]) -> Any:
    return np.bincount(c.vacancy[chosen], minlength=c.n_vacancies) / capacity


def run_batch(
    store: Store,
    calendar: CampaignCalendar,
    home: Path,
    out_dir: Path,
    *,
    fair_id: str | None = None,
    campaign_id: str | None = None,
    on: dt.date | None = None,
    options: BatchOptions | None = None,
    scheduler: str | None = None,
    model_version: str | None = None,
    on_block: Callable[[int, int], None] | None = None,
) -> BatchSummary:
    """Plan, rank (resumably), allocate and write a fair's or campaign's matches."""
    plan = plan_batch(store, calendar, fair_id=fair_id, campaign_id=campaign_id, on=on)
    return run_plan(
        store,
        calendar,
        home,
        out_dir,
        plan,
        options=options,
        scheduler=scheduler,
        model_version=model_version,
        on_block=on_block,
    )


def run_plan(
    store: Store,
    calendar: CampaignCalendar,
    home: Path,
    out_dir: Path,
    plan: BatchPlan,
    *,
    options: BatchOptions | None = None,
    scheduler: str | None = None,
    model_version: str | None = None,
    on_block: Callable[[int, int], None] | None = None,
) -> BatchSummary:
    """Rank (resumably), allocate and write the matches of a plan (``store`` is the view of
    the plan's tenant)."""
    if store.tenant != plan.tenant:
        raise BatchError("the store view and the plan belong to different tenants")
    started = time.perf_counter()
    options = options or BatchOptions()
    registry = registry_for(home)
    version = model_version or registry.active_version()
    if version is None:
        raise BatchError("no active model: train one (`jobmatch train`) or promote a version")
    model = load_engine_model(registry.get(version))
    wanted = plan.vacancy_ids
    engine = MatchEngine(
        store,
        model,
        calendar,
        today=plan.day,
        retrieval_size=options.rerank,
        # a fair's run indexes its own vacancies only: the same candidates as the whole index
        # restricted to them, built in a fraction of the time and shipped to workers cheaply
        only=None if wanted is None else (lambda vacancy: vacancy.id in wanted),
    )
    key = run_key(plan, options, version)
    blocks, progress = rank_all(
        store,
        engine,
        plan,
        options,
        Path(out_dir) / CHECKPOINTS / key,
        scheduler=scheduler,
        on_block=on_block,
    )
    del engine  # the index is not needed past ranking (workers hold their own copy)
    candidates, vacancy_table = _candidates(plan, blocks)
    del blocks
    seeker_table = list(plan.seeker_ids)
    vacancies = store.get_many(Vacancy, vacancy_table)
    capacity = np.array(
        [plan.slots.get(v, float(vacancies[v].openings)) or 1.0 for v in vacancy_table]
    )
    capacity = np.maximum(capacity, 1e-6)
    seekers = store.get_many(Seeker, seeker_table)
    campaign_groups = set(plan.campaign.priority_groups) if plan.campaign else set()
    protected = np.array(
        [bool(campaign_groups & set(seekers[s].priority_groups)) for s in seeker_table],
        dtype=bool,
    )
    before = own_best(candidates, options.k)
    after = (
        allocate(candidates, capacity, options.k, protected=protected)
        if options.allocate and candidates.n_pairs
        else before
    )
    groups = _group_masks(seekers, seeker_table)
    figures_before = _report_figures(
        allocation_report(candidates, before, capacity, groups),
        _loads(candidates, before.chosen, capacity),
    )
    figures_after = _report_figures(
        allocation_report(candidates, after, capacity, groups),
        _loads(candidates, after.chosen, capacity),
    )
    employers = store.get_many(Employer, sorted({v.employer_id for v in vacancies.values()}))
    chosen = _Chosen(
        candidates.seeker[after.chosen],
        candidates.vacancy[after.chosen],
        candidates.score[after.chosen],
    )
    method = after.method
    del candidates, before, after  # the pools are done with; only the lists go on
    shortlists, invitations, notifications = _rows(
        store, plan, options, chosen, seeker_table, vacancy_table, seekers, vacancies, employers
    )
    out = Path(out_dir)
    files = write_outputs(
        out,
        shortlists,
        invitations,
        notifications,
        include_contacts=options.include_contacts,
        formats=options.formats,
    )
    meta = {
        "fair" if plan.fair else "campaign": plan.label,
        "day": plan.day.isoformat(),
        "model": version,
        "seekers": len(seeker_table),
        "vacancies": len(vacancy_table),
        "k": options.k,
        "per_vacancy": options.per_vacancy,
        "rerank": options.rerank,
        "pool": options.pool_size,
        "allocation": method,
        "protected_groups": "、".join(
            group.name for code, group in priority_groups().items() if code in campaign_groups
        )
        or "-",
        "blocks": progress.blocks + progress.resumed,
        "resumed_blocks": progress.resumed,
    }
    files["report.md"] = write_report(out, figures_before, figures_after, meta)
    summary_path = out / "summary.json"
    with atomic_path(summary_path) as temporary:
        temporary.write_text(
            json.dumps(
                {"meta": meta, "before": _without_values(figures_before),
                 "after": _without_values(figures_after)},
                ensure_ascii=False, indent=2,
            ),
            encoding="utf-8",
        )  # fmt: skip
    files["summary.json"] = summary_path
    return BatchSummary(
        out_dir=out,
        files=files,
        seekers=len(seeker_table),
        seekers_with_list=int(figures_after["seekers_with_list"]),
        vacancies=len(vacancy_table),
        blocks=progress.blocks + progress.resumed,
        resumed_blocks=progress.resumed,
        rank_seconds=progress.seconds,
        total_seconds=time.perf_counter() - started,
        before=figures_before,
        after=figures_after,
    )


def _candidates(plan: BatchPlan, blocks: list[BlockResult]) -> tuple[Candidates, list[str]]:
    """The pools as allocation input (rows of ``plan.seeker_ids`` and of the sorted vacancy
    ids), mapped with numpy — no Python string per pair."""
    empty = np.zeros(0, dtype=np.str_)
    seeker_ids = np.concatenate([b.seeker_ids for b in blocks] + [empty])
    vacancy_ids = np.concatenate([b.vacancy_ids for b in blocks] + [empty])
    scores = np.concatenate([b.scores for b in blocks] + [np.zeros(0)])
    vacancy_table, vacancy_rows = np.unique(vacancy_ids, return_inverse=True)
    seekers = np.array(plan.seeker_ids, dtype=np.str_)
    order = np.argsort(seekers, kind="stable")
    seeker_rows = order[np.searchsorted(seekers[order], seeker_ids)]
    candidates = Candidates(
        seeker=seeker_rows.astype(np.int64),
        vacancy=vacancy_rows.astype(np.int64).ravel(),
        score=scores,
        n_seekers=len(seekers),
        n_vacancies=len(vacancy_table),
    )
    return candidates, vacancy_table.tolist()


def _without_values(figures: Mapping[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in figures.items() if k != "applicants_per_opening_values"}


@dataclass(frozen=True)
class _Chosen:
    """The pairs on the shortlists: seeker row, vacancy row, score."""

    seeker: NDArray[np.int64]
    vacancy: NDArray[np.int64]
    score: NDArray[np.float64]


def _runs(keys: NDArray[np.int64]) -> list[NDArray[np.int64]]:
    """Positions of ``keys`` (already grouped) split into runs of equal keys."""
    if not len(keys):
        return []
    starts = np.flatnonzero(np.r_[True, keys[1:] != keys[:-1]])
    return np.split(np.arange(len(keys)), starts[1:])


def _rows(
    store: Store,
    plan: BatchPlan,
    options: BatchOptions,
    chosen: _Chosen,
    seeker_table: Sequence[str],
    vacancy_table: Sequence[str],
    seekers: Mapping[str, Seeker],
    vacancies: Mapping[str, Vacancy],
    employers: Mapping[str, Employer],
) -> tuple[list[ShortlistRow], list[CandidateRow], list[Notification]]:
    """The output rows: shortlists by seeker (own score order, ties by vacancy), invitation lists
    by vacancy (score order, ties by seeker id; ``per_vacancy`` long), one notification per
    seeker with a list."""
    table = regions()
    county = {v.id: table.by_code[v.region].name for v in vacancies.values()}
    time_text = plan.time_text
    shortlists: list[ShortlistRow] = []
    notifications: list[Notification] = []
    by_seeker = np.lexsort((chosen.vacancy, -chosen.score, chosen.seeker))
    for run in _runs(chosen.seeker[by_seeker]):
        pairs = by_seeker[run]
        seeker = seekers[seeker_table[int(chosen.seeker[pairs[0]])]]
        booths: list[str] = []
        titles: list[str] = []
        for rank, pair in enumerate(pairs.tolist(), start=1):
            vacancy = vacancies[vacancy_table[int(chosen.vacancy[pair])]]
            employer = employers[vacancy.employer_id]
            booth = plan.booth_of.get(vacancy.id)
            shortlists.append(
                ShortlistRow(
                    seeker_id=seeker.id,
                    rank=rank,
                    vacancy_id=vacancy.id,
                    title=vacancy.title,
                    employer_id=employer.id,
                    employer=employer.name,
                    county=county[vacancy.id],
                    booth=booth,
                    time=time_text,
                    score=round(float(chosen.score[pair]), 4),
                    reason=explain_match(seeker, vacancy),
                )
            )
            if booth is not None and booth not in booths:
                booths.append(booth)
            titles.append(f"{vacancy.title}（{employer.name}）")
        phone = None
        if options.include_contacts:
            try:
                phone = store.get_contact(seeker.id).phone
            except NotFound:
                phone = None
        notifications.append(
            Notification(
                seeker_id=seeker.id,
                booths=booths,
                times=[time_text] if time_text else [],
                vacancies=titles,
                phone=phone,
            )
        )
    invitations: list[CandidateRow] = []
    # seeker rows follow the sorted seeker ids, so ties by row are ties by id
    by_vacancy = np.lexsort((chosen.seeker, -chosen.score, chosen.vacancy))
    for run in _runs(chosen.vacancy[by_vacancy]):
        pairs = by_vacancy[run][: options.per_vacancy]
        vacancy = vacancies[vacancy_table[int(chosen.vacancy[pairs[0]])]]
        employer = employers[vacancy.employer_id]
        for rank, pair in enumerate(pairs.tolist(), start=1):
            seeker_id = seeker_table[int(chosen.seeker[pair])]
            summary = summarize_seeker(rank, seekers[seeker_id], float(chosen.score[pair]), vacancy)
            invitations.append(
                CandidateRow(
                    vacancy_id=vacancy.id,
                    employer_id=employer.id,
                    employer=employer.name,
                    booth=plan.booth_of.get(vacancy.id),
                    county=county[vacancy.id],
                    rank=rank,
                    seeker_id=seeker_id,
                    score=summary.score,
                    seeker_county=summary.county,
                    age_band=summary.age_band,
                    education=summary.education,
                    experience_years=summary.experience_years,
                    skills="、".join(summary.skills),
                    certificates="、".join(summary.certificates),
                    reason=summary.reason,
                )
            )
    return shortlists, invitations, notifications


def remove_checkpoints(out_dir: Path) -> None:
    """Delete a finished run's checkpoints (kept until then so a killed run can resume)."""
    root = Path(out_dir) / CHECKPOINTS
    if not root.exists():
        return
    for path in sorted(root.rglob("*"), reverse=True):
        path.unlink() if path.is_file() else path.rmdir()
    root.rmdir()


__all__ = [
    "BatchError",
    "BatchOptions",
    "BatchPlan",
    "BatchSummary",
    "BlockResult",
    "plan_batch",
    "rank_all",
    "rank_block",
    "remove_checkpoints",
    "run_batch",
    "run_key",
    "run_plan",
]
