"""Batch matching before job fairs: every registered seeker against the fair's vacancies.

:func:`run_plan` calls five stages, in this order, each a function of this module (and in this
order below):

1. **Plan** (:func:`plan_batch`). ``--fair``: the fair's booth vacancies on the fair's day, under
   its campaign when it has one; capacity per vacancy = its openings, or — where the booth gives
   interview slots — the booth's slots shared over its vacancies by openings. ``--campaign``:
   every open vacancy the campaign admits (its policy, as the API applies it) on the day
   (``--on``, default the campaign's first day); capacity = openings. Seekers: those the
   campaign admits (all seekers when there is no campaign), in id order — read from the store
   here, once per run; every later stage takes them from the plan.
2. **Rank** (:func:`open_engine`, :func:`rank_all`, :func:`rank_block`) in blocks of seekers
   through the engine's own pipeline (:meth:`~matcher.ranking.engine.MatchEngine.rank_block`:
   filters, retrieval, pair features, ranker, campaign boost) — the path ``recommend_vacancies``
   takes, so a batch list and an API answer for the same seeker agree. Each seeker keeps their
   best ``pool`` vacancies with scores. Every finished block is checkpointed
   (``OUT/.checkpoints/<run key>/block-NNNNNN.npz``, written atomically); a run killed at any
   moment and started again skips finished blocks. With a Dask scheduler the blocks go to the
   cluster's workers; the engine (model and index) is scattered to them once, not per block.
3. **Allocate** (:func:`pools_of`, :func:`allocate_lists`; :mod:`matcher.fairs.allocation`):
   capacity-aware shortlists of ``k`` per seeker from the pools, the campaign's priority groups
   pinned to their own best lists; figures before and after.
4. **Rows** (:func:`rows_of`): per-seeker shortlists, per-vacancy invitation lists (the
   ``per_vacancy`` best-scoring seekers among those who have the vacancy on their list) and one
   notification per seeker with a list.
5. **Write** (:func:`write_files`; :mod:`matcher.fairs.output`): CSV, Parquet and XLSX,
   notifications, ``summary.json`` and ``report.md`` with plots, every file atomically; CSV and
   XLSX headers in Chinese unless ``BatchOptions.headers`` is ``"en"``.

Rows, not ids, from ranking to output: a seeker is a row of ``plan.seekers`` throughout; a
vacancy is a row of the engine's index in the ranking and the checkpoints, and a row of the
pooled vacancies (those in somebody's pool, in id order) in allocation and output. Ids are read
off the ``Seeker`` and ``Vacancy`` objects only when an output row is made. Results depend only
on the plan, the model, the index and the options, so a resumed run writes the same rows as an
uninterrupted one.

A run belongs to one tenant: the store it is given is that tenant's view
(:meth:`~matcher.storage.store.Store.for_tenant`; ``jobmatch batch --tenant``), so its fair,
seekers and vacancies, the engine's index and every output row are that tenant's, and the tenant
is part of the checkpoint key (another tenant's run into the same directory never reuses its
blocks).
"""

from __future__ import annotations

import datetime as dt
import functools
import gc
import hashlib
import itertools
import json
import logging
import multiprocessing
import os
import tempfile
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, overload

import numpy as np
from numpy.typing import NDArray

from matcher.domain.campaigns import CampaignCalendar, seeker_eligible
from matcher.domain.records import Campaign, Employer, Fair, Seeker, Vacancy
from matcher.errors import BatchError, NotFound, check_count
from matcher.fairs.allocation import (
    Allocation,
    Candidates,
    allocate,
    allocation_report,
    own_best,
)
from matcher.fairs.output import (
    HEADER_LANGUAGES,
    CandidateRow,
    Notification,
    RowPart,
    ShortlistRow,
    in_file_order,
    write_candidate_blocks,
    write_output_blocks,
    write_report,
    write_seeker_part,
    write_summary,
)
from matcher.ranking.engine import (
    RETRIEVAL_SIZE,
    CandidateSummary,
    Filters,
    MatchEngine,
    explain_match,
    explain_matches,
    summarize_seeker,
)
from matcher.ranking.serving import load_engine_model, registry_for
from matcher.reference import priority_groups, regions
from matcher.storage.store import DEFAULT_TENANT, Store
from models.files import atomic_path

CHECKPOINTS = ".checkpoints"
BLOCK_SIZE = 1_000
_NO_ROWS: NDArray[np.int64] = np.zeros(0, dtype=np.int64)
_NO_SCORES: NDArray[np.float64] = np.zeros(0, dtype=np.float64)


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
    headers: str = "zh"
    """The CSV and XLSX column headers: Chinese (``"zh"``) for staff or the field names
    (``"en"``) for machines; Parquet keeps the field names. Not part of :func:`run_key`: the
    files, not the ranking, change with it."""

    def __post_init__(self) -> None:
        for name in ("k", "per_vacancy", "rerank", "block_size"):
            check_count(name, getattr(self, name), error=BatchError)
        if self.pool is not None and self.pool < self.k:
            raise BatchError(f"pool must be at least k={self.k}, got {self.pool}")
        unknown = set(self.formats) - {"csv", "parquet", "xlsx"}
        if unknown:
            raise BatchError(f"formats: unknown {', '.join(sorted(unknown))}")
        if self.headers not in HEADER_LANGUAGES:
            raise BatchError(
                f"headers must be one of {', '.join(HEADER_LANGUAGES)}, got {self.headers!r}"
            )

    @property
    def pool_size(self) -> int:
        return min(self.rerank, self.pool if self.pool is not None else max(3 * self.k, 30))


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


# --- the run, stage by stage -------------------------------------------------------------------


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
    the plan's tenant): the stages of the module docstring, in order."""
    if store.tenant != plan.tenant:
        raise BatchError("the store view and the plan belong to different tenants")
    started = time.perf_counter()
    options = options or BatchOptions()
    out = Path(out_dir)
    engine, version = open_engine(store, calendar, home, plan, options, model_version)
    # a fresh engine has no replaced rows, so these are its index rows, in row order
    indexed = engine.vacancies()
    key = run_key(plan, options, version, index=[v.id for v in indexed])
    blocks, progress = rank_all(
        engine, plan, options, out / CHECKPOINTS / key, scheduler=scheduler, on_block=on_block
    )
    del engine  # the index is not needed past ranking (workers hold their own copy)
    candidates, vacancies = pools_of(blocks, len(plan.seekers), indexed)
    del blocks, indexed
    lists = allocate_lists(candidates, vacancies, plan, options)
    del candidates  # the pools are done with; only the lists go on
    rows = RowBlocks(store, plan, options, lists.chosen, vacancies)
    meta = run_meta(plan, options, version, len(vacancies), lists.method, progress)
    with _long_lived_frozen():
        files = write_files(out, rows, lists, meta, options)
    return BatchSummary(
        out_dir=out,
        files=files,
        seekers=len(plan.seekers),
        seekers_with_list=int(lists.after["seekers_with_list"]),
        vacancies=len(vacancies),
        blocks=progress.blocks + progress.resumed,
        resumed_blocks=progress.resumed,
        rank_seconds=progress.seconds,
        total_seconds=time.perf_counter() - started,
        before=lists.before,
        after=lists.after,
    )


# --- 1. plan -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class BatchPlan:
    """Who and what a batch run matches."""

    label: str
    day: dt.date
    campaign: Campaign | None
    fair: Fair | None
    seekers: tuple[Seeker, ...]
    """The seekers to match, in id order: read from the store once, by :func:`plan_batch`;
    their positions are the seeker rows of every later stage."""
    vacancy_ids: frozenset[str] | None
    """The fair's vacancies; None for a campaign run (the campaign's policy decides)."""
    booth_of: Mapping[str, str] = field(default_factory=dict)
    slots: Mapping[str, float] = field(default_factory=dict)
    """Capacity from the fair's interview slots, per vacancy (where the fair gives slots)."""
    tenant: str = DEFAULT_TENANT
    """Whose records the run matches (the store view's tenant)."""

    @property
    def seeker_ids(self) -> tuple[str, ...]:
        return tuple(seeker.id for seeker in self.seekers)

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
    admitted = (s for s in store.iter(Seeker) if campaign is None or seeker_eligible(campaign, s))
    seekers = tuple(sorted(admitted, key=lambda seeker: seeker.id))
    if fair is None:
        assert campaign is not None
        return BatchPlan(campaign.name, day, campaign, None, seekers, None, tenant=store.tenant)
    booth_of, slots = _booths(store, fair)
    return BatchPlan(
        fair.name,
        day,
        campaign,
        fair,
        seekers,
        frozenset(booth_of),
        booth_of,
        slots,
        tenant=store.tenant,
    )


def _booths(store: Store, fair: Fair) -> tuple[dict[str, str], dict[str, float]]:
    """Each booth vacancy's booth, and its share of the booth's interview slots (by openings)
    where the booth gives slots."""
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
    return booth_of, slots


# --- 2. rank -----------------------------------------------------------------------------------


def open_engine(
    store: Store,
    calendar: CampaignCalendar,
    home: Path,
    plan: BatchPlan,
    options: BatchOptions,
    model_version: str | None,
) -> tuple[MatchEngine, str]:
    """The engine a run ranks with (the named or active model) and the model's version."""
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
    return engine, version


def run_key(
    plan: BatchPlan, options: BatchOptions, model_version: str, *, index: Sequence[str] = ()
) -> str:
    """What makes two runs' rankings the same: a checkpoint is reused only under this key.
    ``index`` is the ids of the engine's index rows, in row order (checkpoints hold rows)."""
    facts = {
        "seekers": hashlib.sha256("\n".join(plan.seeker_ids).encode()).hexdigest(),
        "vacancies": sorted(plan.vacancy_ids) if plan.vacancy_ids is not None else None,
        "index": hashlib.sha256("\n".join(index).encode()).hexdigest(),
        "campaign": plan.campaign.id if plan.campaign else None,
        "day": plan.day.isoformat(),
        "model": model_version,
        "pool": options.pool_size,
        "rerank": options.rerank,
        "block_size": options.block_size,
        "tenant": plan.tenant,
    }
    return hashlib.sha256(json.dumps(facts, sort_keys=True).encode()).hexdigest()[:20]


@dataclass(frozen=True)
class BlockResult:
    """The pools of one block, flat, seeker by seeker, each best first: seeker rows (of
    ``plan.seekers``), vacancy rows (of the engine's index) and scores."""

    seeker: NDArray[np.int64]
    vacancy: NDArray[np.int64]
    score: NDArray[np.float64]

    def save(self, path: Path) -> None:
        with atomic_path(path) as temporary, temporary.open("wb") as handle:
            np.savez(handle, seeker=self.seeker, vacancy=self.vacancy, score=self.score)

    @classmethod
    def load(cls, path: Path) -> BlockResult:
        with np.load(path, allow_pickle=False) as saved:
            return cls(saved["seeker"], saved["vacancy"], saved["score"])


def rank_block(
    engine: MatchEngine,
    seekers: Sequence[Seeker],
    first: int,
    pool: int,
    campaign: str | None,
    filters: Filters,
    day: dt.date,
) -> BlockResult:
    """Each seeker's ``pool`` best vacancies through the engine, the seekers being rows
    ``first …`` of the plan (runs on a Dask worker too)."""
    ranked = engine.rank_block(seekers, pool, campaign, filters, on=day)
    sizes = [len(r.rows) for r in ranked]
    return BlockResult(
        np.repeat(np.arange(first, first + len(seekers), dtype=np.int64), sizes),
        np.concatenate([r.rows for r in ranked] + [_NO_ROWS]).astype(np.int64),
        np.concatenate([r.scores for r in ranked] + [_NO_SCORES]).astype(np.float64),
    )


class Checkpoints(Sequence[BlockResult]):
    """A run's finished blocks, read from their checkpoint files when asked for, one at a
    time: allocation takes its input from the files, so no more than one block's pools is
    held besides the allocation input (a resumed run and a fresh one read the same way)."""

    def __init__(self, paths: Sequence[Path]) -> None:
        self.paths = list(paths)

    def __len__(self) -> int:
        return len(self.paths)

    @overload
    def __getitem__(self, index: int) -> BlockResult: ...

    @overload
    def __getitem__(self, index: slice) -> Checkpoints: ...

    def __getitem__(self, index: int | slice) -> BlockResult | Checkpoints:
        if isinstance(index, slice):
            return Checkpoints(self.paths[index])
        return BlockResult.load(self.paths[index])


@dataclass
class RankProgress:
    """How the ranking went: blocks done now, blocks found checkpointed, seconds."""

    blocks: int = 0
    resumed: int = 0
    seconds: float = 0.0


_Job = tuple[Sequence[Seeker], int]
"""A block to rank: its seekers and the plan row of the first."""


def rank_all(
    engine: MatchEngine,
    plan: BatchPlan,
    options: BatchOptions,
    directory: Path,
    *,
    scheduler: str | None = None,
    on_block: Callable[[int, int], None] | None = None,
) -> tuple[Checkpoints, RankProgress]:
    """Rank every block (skipping checkpointed ones), locally or on a Dask cluster; each
    result is saved as it comes and not kept: the blocks are read back from their files."""
    started = time.perf_counter()
    directory.mkdir(parents=True, exist_ok=True)
    size = options.block_size
    firsts = range(0, len(plan.seekers), size)
    paths = [directory / f"block-{number:06d}.npz" for number in range(len(firsts))]
    pending = {
        number: (plan.seekers[first : first + size], first)
        for number, first in enumerate(firsts)
        if not paths[number].exists()
    }
    progress = RankProgress(resumed=len(paths) - len(pending))
    campaign = plan.campaign.id if plan.campaign else None
    arguments = (options.pool_size, campaign, plan.filters, plan.day)

    def done(number: int, result: BlockResult) -> None:
        result.save(paths[number])
        progress.blocks += 1
        if on_block is not None:
            on_block(progress.blocks + progress.resumed, len(paths))

    if scheduler is None:
        for number, (seekers, first) in pending.items():
            done(number, rank_block(engine, seekers, first, *arguments))
    elif pending:
        _rank_on_cluster(scheduler, engine, pending, arguments, done)
    progress.seconds = time.perf_counter() - started
    return Checkpoints(paths), progress


def _rank_on_cluster(
    scheduler: str,
    engine: MatchEngine,
    pending: Mapping[int, _Job],
    arguments: tuple[Any, ...],
    done: Callable[[int, BlockResult], None],
) -> None:
    """:func:`rank_block` of every pending block on a Dask cluster, the engine scattered to
    the workers once; ``done`` gets each result as it comes back."""
    with _dask_client(scheduler) as client:
        from distributed import as_completed

        shipped = client.scatter(engine, broadcast=True, hash=False)
        # a few blocks in flight per worker: blocks are sent as workers free up, not all at once
        in_flight = max(2, 2 * len(client.scheduler_info()["workers"]))
        waiting = iter(pending.items())
        futures: dict[Any, int] = {}

        def submit() -> Any:
            job = next(waiting, None)
            if job is None:
                return None
            number, (seekers, first) = job
            future = client.submit(rank_block, shipped, seekers, first, *arguments, pure=False)
            futures[future] = number
            return future

        first = [f for f in (submit() for _ in range(in_flight)) if f is not None]
        # the client is not the process-wide default, so as_completed gets its loop
        finished = as_completed(first, loop=client.loop)  # type: ignore[no-untyped-call]
        for future in finished:
            done(futures.pop(future), future.result())
            following = submit()
            if following is not None:
                finished.add(following)  # type: ignore[no-untyped-call]


WORKER_CONFIG: dict[str, Any] = {
    # the statistical profiler samples every thread's stack each 10 ms, holding the GIL: about
    # 8 % of a ranking worker's CPU (measured), for a profile nobody reads
    "distributed.worker.profile.enabled": False,
    # the Nanny starts workers with MALLOC_TRIM_THRESHOLD_=65536, which also fixes glibc's mmap
    # threshold at 128 KiB: every array over the index's vacancies (160 KB at 20,000) is then a
    # fresh mmap, faulted in page by page and unmapped when freed — about 18 % of the ranking's
    # CPU (measured). None takes the variable out of the workers' environment.
    "distributed.nanny.pre-spawn-environ.MALLOC_TRIM_THRESHOLD_": None,
}
"""Dask settings for ranking workers (:func:`local_workers`; docs/batch.md shows them for a
cluster's ``dask worker``)."""


@contextmanager
def local_workers(workers: int, settings: Mapping[str, Any] = WORKER_CONFIG) -> Iterator[str]:
    """A Dask cluster of ``workers`` single-threaded worker processes on loopback, set up for
    ranking (``settings``, one OpenMP thread each); yields the scheduler's address for
    :func:`run_batch`'s ``scheduler``. The scheduler runs in this process."""
    check_count("workers", workers, error=BatchError)
    try:
        import dask
        from distributed import LocalCluster
    except ImportError as error:  # pragma: no cover - a dependency of the package
        raise BatchError(f"local workers need dask.distributed: {error}") from None
    with dask.config.set(dict(settings)):  # read when the workers are made
        cluster = LocalCluster(  # type: ignore[no-untyped-call]
            n_workers=workers,
            threads_per_worker=1,
            processes=True,
            host="127.0.0.1",
            dashboard_address=None,
            silence_logs=logging.ERROR,
        )
    try:
        yield str(cluster.scheduler_address)
    finally:
        cluster.close()


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


# --- 3. allocate -------------------------------------------------------------------------------


def pools_of(
    blocks: Sequence[BlockResult], n_seekers: int, indexed: Sequence[Vacancy]
) -> tuple[Candidates, list[Vacancy]]:
    """The pools as allocation input, and the pooled vacancies: index rows found in some pool,
    renumbered in id order (so ties broken by vacancy row are broken by id, as the engine
    breaks them).

    ``blocks`` is gone through twice, a block at a time (for :class:`Checkpoints`, a file at a
    time): once for the number of pairs, once to fill the allocation input in place — never
    every block's pools and their concatenation at once."""
    pairs = sum(len(block.score) for block in blocks)
    seeker = np.empty(pairs, dtype=np.int64)
    vacancy = np.empty(pairs, dtype=np.int64)  # index rows until renumbered below
    score = np.empty(pairs, dtype=np.float64)
    start = 0
    for block in blocks:
        stop = start + len(block.score)
        seeker[start:stop], vacancy[start:stop], score[start:stop] = (
            block.seeker,
            block.vacancy,
            block.score,
        )
        start = stop
    if start != pairs:
        raise BatchError(f"checkpointed blocks changed while read: {start} pairs, not {pairs}")
    pooled = np.unique(vacancy)
    ids = np.array([indexed[row].id for row in pooled.tolist()], dtype=np.str_)
    pooled = pooled[np.argsort(ids, kind="stable")]
    row_of = np.zeros(len(indexed), dtype=np.int64)
    row_of[pooled] = np.arange(len(pooled), dtype=np.int64)
    np.take(row_of, vacancy, out=vacancy)
    candidates = Candidates(
        seeker=seeker,
        vacancy=vacancy,
        score=score,
        n_seekers=n_seekers,
        n_vacancies=len(pooled),
    )
    return candidates, [indexed[row] for row in pooled.tolist()]


@dataclass(frozen=True)
class Chosen:
    """The pairs on the shortlists: seeker row, vacancy row (of the pooled vacancies), score."""

    seeker: NDArray[np.int64]
    vacancy: NDArray[np.int64]
    score: NDArray[np.float64]


@dataclass(frozen=True)
class Lists:
    """The shortlists a run writes (after allocation, or each seeker's own best without it)
    and the figures before and after allocation."""

    chosen: Chosen
    method: str
    before: dict[str, Any]
    after: dict[str, Any]


def allocate_lists(
    candidates: Candidates, vacancies: Sequence[Vacancy], plan: BatchPlan, options: BatchOptions
) -> Lists:
    """Each seeker's own best ``k`` (before) and the capacity-aware lists (after), the
    campaign's priority groups pinned to their own best."""
    capacity = np.array([plan.slots.get(v.id, float(v.openings)) or 1.0 for v in vacancies])
    capacity = np.maximum(capacity, 1e-6)
    campaign_groups = set(plan.campaign.priority_groups) if plan.campaign else set()
    protected = np.array(
        [bool(campaign_groups & set(s.priority_groups)) for s in plan.seekers], dtype=bool
    )
    before = own_best(candidates, options.k)
    after = (
        allocate(candidates, capacity, options.k, protected=protected)
        if options.allocate and candidates.n_pairs
        else before
    )
    groups = _group_masks(plan.seekers)
    return Lists(
        chosen=Chosen(
            candidates.seeker[after.chosen],
            candidates.vacancy[after.chosen],
            candidates.score[after.chosen],
        ),
        method=after.method,
        before=_figures(candidates, before, capacity, groups),
        after=_figures(candidates, after, capacity, groups),
    )


def _group_masks(seekers: Sequence[Seeker]) -> dict[str, NDArray[np.bool_]]:
    """Seeker rows of each priority group that has any seeker, by group name."""
    masks: dict[str, NDArray[np.bool_]] = {}
    for code, group in priority_groups().items():
        mask = np.array([code in seeker.priority_groups for seeker in seekers], dtype=bool)
        if mask.any():
            masks[group.name] = mask
    return masks


def _figures(
    candidates: Candidates,
    allocation: Allocation,
    capacity: NDArray[np.float64],
    groups: Mapping[str, NDArray[np.bool_]],
) -> dict[str, Any]:
    """An allocation's report in the shape :func:`matcher.fairs.output.write_report` reads."""
    values = allocation_report(candidates, allocation, capacity, groups).to_dict()
    entries = np.bincount(candidates.vacancy[allocation.chosen], minlength=candidates.n_vacancies)
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
        "applicants_per_opening_values": [round(float(x), 4) for x in entries / capacity],
    }


# --- 4. rows -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class OutputRows:
    """What the files say, every row at once: shortlists by seeker, invitation lists by
    vacancy, notifications (:meth:`RowBlocks.all`; a run streams :class:`RowBlocks`)."""

    shortlists: list[ShortlistRow]
    invitations: list[CandidateRow]
    notifications: list[Notification]


@dataclass(frozen=True)
class _Posts:
    """What the rows say of each pooled vacancy (by vacancy row): employer, county, booth."""

    vacancies: Sequence[Vacancy]
    employers: list[Employer]
    counties: list[str]
    booths: list[str | None]
    headlines: list[str]
    """``title（employer）``, as a notification lists the vacancy."""


class RowBlocks:
    """The output rows of the chosen pairs, made a block at a time: shortlists and
    notifications a block of ``options.block_size`` seekers (by seeker row), invitation lists
    a block of as many vacancies (by vacancy row). Only the pairs' orders (integer arrays) are
    kept; rows are made when a block is asked for, so the writer holds one block's rows.
    Employers, and contacts when asked for, are read from ``store``."""

    def __init__(
        self,
        store: Store,
        plan: BatchPlan,
        options: BatchOptions,
        chosen: Chosen,
        vacancies: Sequence[Vacancy],
    ) -> None:
        employers = store.get_many(Employer, sorted({v.employer_id for v in vacancies}))
        table = regions()
        self.store, self.plan, self.options, self.chosen = store, plan, options, chosen
        owners = [employers[v.employer_id] for v in vacancies]
        self.posts = _Posts(
            vacancies,
            owners,
            [table.by_code[v.region].name for v in vacancies],
            [plan.booth_of.get(v.id) for v in vacancies],
            [f"{v.title}（{e.name}）" for v, e in zip(vacancies, owners, strict=True)],
        )
        # seeker rows, own score order, ties by vacancy row (i.e. id); and vacancy rows, score
        # order, ties by seeker row (i.e. id): total orders, so a block's slice of them is the
        # block's own order
        self._by_seeker = np.lexsort((chosen.vacancy, -chosen.score, chosen.seeker))
        self._by_vacancy = np.lexsort((chosen.seeker, -chosen.score, chosen.vacancy))
        self._summaries: dict[int, CandidateSummary] = {}

    def __getstate__(self) -> dict[str, Any]:
        """Everything but the store: the invitation rows, which another process may make
        (:func:`write_files`), never read it."""
        return {**self.__dict__, "store": None}

    @property
    def seeker_block_count(self) -> int:
        """How many blocks :meth:`seeker_blocks` yields in all."""
        return -(-len(self.plan.seekers) // self.options.block_size)

    def seeker_blocks(
        self, first: int = 0, last: int | None = None
    ) -> Iterator[tuple[list[ShortlistRow], list[Notification]]]:
        """Each block's shortlist rows and its notifications (one per seeker with a list);
        from block ``first`` up to (not including) block ``last``, when given."""
        rows = self.chosen.seeker[self._by_seeker]
        slices = _slices(rows, len(self.plan.seekers), self.options.block_size)
        for start, stop in itertools.islice(slices, first, last):
            shortlists, notifications = self._seeker_rows(self._by_seeker[start:stop])
            if self.options.include_contacts:
                notifications = [_with_phone(self.store, note) for note in notifications]
            yield shortlists, notifications

    def invitation_blocks(self) -> Iterator[list[CandidateRow]]:
        """Each block's invitation rows (``per_vacancy`` per vacancy)."""
        rows = self.chosen.vacancy[self._by_vacancy]
        for start, stop in _slices(rows, len(self.posts.vacancies), self.options.block_size):
            yield self._invitation_rows(self._by_vacancy[start:stop])

    def all(self) -> OutputRows:
        """Every row at once (what the streamed files hold, for comparison and small runs)."""
        shortlists: list[ShortlistRow] = []
        notifications: list[Notification] = []
        for block, notes in self.seeker_blocks():
            shortlists += block
            notifications += notes
        invitations = [row for block in self.invitation_blocks() for row in block]
        return OutputRows(shortlists, invitations, notifications)

    def _seeker_rows(
        self, order: NDArray[np.int64]
    ) -> tuple[list[ShortlistRow], list[Notification]]:
        """Shortlists of the pairs ``order`` (grouped by seeker, best first) and one
        notification per seeker."""
        chosen, posts, time_text = self.chosen, self.posts, self.plan.time_text
        seeker_rows = chosen.seeker[order].tolist()
        vacancy_rows = chosen.vacancy[order].tolist()
        scores = chosen.score[order].tolist()
        shortlists: list[ShortlistRow] = []
        notifications: list[Notification] = []
        for run in _runs(chosen.seeker[order]):
            seeker = self.plan.seekers[seeker_rows[int(run[0])]]
            ats = run.tolist()
            rows = [vacancy_rows[at] for at in ats]
            reasons = explain_matches(seeker, [posts.vacancies[row] for row in rows])
            for rank, (at, row, reason) in enumerate(zip(ats, rows, reasons, strict=True), start=1):
                vacancy, employer = posts.vacancies[row], posts.employers[row]
                shortlists.append(
                    ShortlistRow(
                        seeker.id,
                        rank,
                        vacancy.id,
                        vacancy.title,
                        employer.id,
                        employer.name,
                        posts.counties[row],
                        posts.booths[row],
                        time_text,
                        round(scores[at], 4),
                        reason,
                    )
                )
            booths = list(dict.fromkeys(b for row in rows if (b := posts.booths[row]) is not None))
            times = [time_text] if time_text else []
            headlines = [posts.headlines[row] for row in rows]
            notifications.append(Notification(seeker.id, booths, times, headlines))
        return shortlists, notifications

    def _invitation_rows(self, order: NDArray[np.int64]) -> list[CandidateRow]:
        """Invitation lists of the pairs ``order`` (grouped by vacancy, best first),
        ``per_vacancy`` long: what :func:`~matcher.ranking.engine.summarize_seeker` says of
        each seeker, asked once per seeker (only rank, score and reason differ by row)."""
        chosen, posts = self.chosen, self.posts
        invitations: list[CandidateRow] = []
        for run in _runs(chosen.vacancy[order]):
            pairs = order[run][: self.options.per_vacancy]
            row = int(chosen.vacancy[pairs[0]])
            vacancy, employer = posts.vacancies[row], posts.employers[row]
            seeker_rows = chosen.seeker[pairs].tolist()
            scores = chosen.score[pairs].tolist()
            pairs_of = zip(seeker_rows, scores, strict=True)
            for rank, (seeker_row, score) in enumerate(pairs_of, start=1):
                seeker = self.plan.seekers[seeker_row]
                summary = self._summaries.get(seeker_row)
                if summary is None:
                    summary = summarize_seeker(rank, seeker, score, vacancy)
                    self._summaries[seeker_row] = summary
                invitations.append(
                    CandidateRow(
                        vacancy_id=vacancy.id,
                        employer_id=employer.id,
                        employer=employer.name,
                        booth=posts.booths[row],
                        county=posts.counties[row],
                        rank=rank,
                        seeker_id=seeker.id,
                        score=round(score, 4),
                        seeker_county=summary.county,
                        age_band=summary.age_band,
                        education=summary.education,
                        experience_years=summary.experience_years,
                        skills="、".join(summary.skills),
                        certificates="、".join(summary.certificates),
                        reason=explain_match(seeker, vacancy),
                    )
                )
        return invitations


def rows_of(
    store: Store,
    plan: BatchPlan,
    options: BatchOptions,
    chosen: Chosen,
    vacancies: Sequence[Vacancy],
) -> OutputRows:
    """Every output row of the chosen pairs at once (:meth:`RowBlocks.all`)."""
    return RowBlocks(store, plan, options, chosen, vacancies).all()


def _slices(keys: NDArray[np.int64], n: int, size: int) -> Iterator[tuple[int, int]]:
    """Positions ``start:stop`` of sorted ``keys`` in each block ``[first, first + size)`` of
    ``range(n)`` (empty for a block without keys)."""
    bounds = np.searchsorted(keys, np.arange(0, n + size, size, dtype=np.int64)).tolist()
    for first in range(0, n, size):
        number = first // size
        yield bounds[number], bounds[number + 1]


def _runs(keys: NDArray[np.int64]) -> list[NDArray[np.int64]]:
    """Positions of ``keys`` (already grouped) split into runs of equal keys."""
    if not len(keys):
        return []
    starts = np.flatnonzero(np.r_[True, keys[1:] != keys[:-1]])
    return np.split(np.arange(len(keys)), starts[1:])


def _with_phone(store: Store, note: Notification) -> Notification:
    try:
        phone = store.get_contact(note.seeker_id).phone
    except NotFound:
        phone = None
    return Notification(note.seeker_id, note.booths, note.times, note.vacancies, phone)


# --- 5. write ----------------------------------------------------------------------------------


def run_meta(
    plan: BatchPlan,
    options: BatchOptions,
    model_version: str,
    vacancies: int,
    method: str,
    progress: RankProgress,
) -> dict[str, Any]:
    """What the report and ``summary.json`` say about the run itself."""
    campaign_groups = set(plan.campaign.priority_groups) if plan.campaign else set()
    return {
        "fair" if plan.fair else "campaign": plan.label,
        "day": plan.day.isoformat(),
        "model": model_version,
        "seekers": len(plan.seekers),
        "vacancies": vacancies,
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


def write_files(
    out: Path, rows: RowBlocks, lists: Lists, meta: Mapping[str, Any], options: BatchOptions
) -> dict[str, Path]:
    """Every output file of the run (:mod:`matcher.fairs.output`), each atomically; CSV and
    Parquet rows streamed a block at a time (byte-identical CSV, equal Parquet tables to
    :func:`~matcher.fairs.output.write_outputs` of :meth:`RowBlocks.all`)."""
    beside = _write_beside(rows, options)
    with ExitStack() as stack:
        second = None  # the second process's work: the invitation files and a seeker part
        own: Iterator[tuple[list[ShortlistRow], list[Notification]]] = rows.seeker_blocks()
        tail = None
        if beside:  # the invitations and the later seekers in a second process, the rest here
            # the scratch folder outlives the second process (it is entered first)
            scratch = Path(stack.enter_context(tempfile.TemporaryDirectory(".parts", dir=out)))
            spawn = multiprocessing.get_context("spawn")
            pool = stack.enter_context(ProcessPoolExecutor(1, mp_context=spawn))
            split = _seeker_split(rows, options)
            # the later seekers' rows first (this process appends them), then the invitations
            second = pool.submit(_write_beside_files, out, scratch, rows, options, split)
            own = rows.seeker_blocks(0, split)
            tail = functools.partial(_seeker_tail, second) if split is not None else None
        files = write_output_blocks(
            out,
            own,
            None if beside else rows.invitation_blocks(),
            include_contacts=options.include_contacts,
            formats=options.formats,
            headers=options.headers,
            seeker_tail=tail,
        )
        if second is not None:
            files = in_file_order({**files, **second.result()[0]})
    files["report.md"] = write_report(out, lists.before, lists.after, meta)
    files["summary.json"] = write_summary(out, lists.before, lists.after, meta)
    return files


PARALLEL_WRITE_ROWS = 500_000
"""Invitation rows from which a second process writes the invitation files and makes the later
seekers' rows (:data:`SECOND_PROCESS_SEEKERS`) while this one writes the first seekers' rows
(on a machine with more than one core, without XLSX): below it, starting the process and
sending it the rows' inputs cost more than the files."""


def _write_beside(rows: RowBlocks, options: BatchOptions) -> bool:
    """Whether :func:`write_files` has a second process write the invitation files (and make
    the later seekers' rows)."""
    if "xlsx" in options.formats or len(os.sched_getaffinity(0)) < 2:
        return False
    return len(rows.chosen.vacancy) >= PARALLEL_WRITE_ROWS


SECOND_PROCESS_SEEKERS = 0.3
"""The share of the seeker blocks whose rows the second process makes (the later ones) besides
the invitation files, chosen so that both processes finish together. Writing a resumed
100,000-seeker run: 37.6 s with the invitations alone beside, 36.0 s at 0.4, 30.2 s at 0.3,
31.1 s at 0.2 (the second process also starts and reads the rows' inputs)."""


def _seeker_split(rows: RowBlocks, options: BatchOptions) -> int | None:
    """The first seeker block the second process makes (None: this process makes them all:
    with contacts, which are read from the store, or with a single block)."""
    count = rows.seeker_block_count
    if options.include_contacts or count < 2:
        return None
    return max(1, min(count - 1, round(count * (1 - SECOND_PROCESS_SEEKERS))))


def _write_beside_files(
    out: Path, scratch: Path, rows: RowBlocks, options: BatchOptions, split: int | None
) -> tuple[dict[str, Path], dict[str, RowPart] | None]:
    """In the second process (:func:`write_files`): the seeker rows from block ``split`` on
    as parts in ``scratch`` (when ``split`` is given), then the invitation files of ``rows``."""
    with _long_lived_frozen():
        part = None
        if split is not None:
            part = write_seeker_part(scratch, rows.seeker_blocks(split), formats=options.formats)
        files = write_candidate_blocks(
            out, rows.invitation_blocks(), formats=options.formats, headers=options.headers
        )
    return files, part


def _seeker_tail(
    beside: Future[tuple[dict[str, Path], dict[str, RowPart] | None]],
) -> dict[str, RowPart]:
    """The second process's seeker part, once it has written everything."""
    part = beside.result()[1]
    assert part is not None
    return part


@contextmanager
def _long_lived_frozen() -> Iterator[None]:
    """The objects alive now — the plan's seekers, the vacancies, what allocation left — kept
    out of the cyclic garbage collector's collections while the rows are made, and given back
    after. The rows stage makes millions of small objects, which set off full collections,
    and each walked every long-lived object for nothing: making 2,000,000 shortlist rows took
    21.5 s with them, 17.0 s without (the collector still runs for the rows themselves)."""
    gc.freeze()
    try:
        yield
    finally:
        gc.unfreeze()


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
    "Checkpoints",
    "Chosen",
    "Lists",
    "OutputRows",
    "RowBlocks",
    "allocate_lists",
    "open_engine",
    "plan_batch",
    "pools_of",
    "rank_all",
    "rank_block",
    "remove_checkpoints",
    "rows_of",
    "run_batch",
    "run_key",
    "run_meta",
    "run_plan",
    "write_files",
]
