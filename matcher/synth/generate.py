"""Generate a synthetic Suining data set, in memory or straight into a store (and files).

Order of generation: employers → vacancies → seekers (with contacts and search sessions, in
blocks) → interactions (day by day). Only compact numpy columns of the seekers are kept for the
simulation, so :func:`generate` holds one block of seeker objects at a time.
"""

from __future__ import annotations

import csv
import time
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, TypeVar

import numpy as np
import numpy.typing as npt
from pydantic import BaseModel

from matcher.domain.campaigns import CampaignCalendar, load_campaigns
from matcher.domain.records import Contact, Employer, Fair, InteractionKind, Seeker, Vacancy
from matcher.storage.store import INTERACTION_COLUMNS, Store
from matcher.synth.employers import make_employers
from matcher.synth.fairs import make_fairs
from matcher.synth.interactions import InteractionRow, simulate
from matcher.synth.people import SeekerColumns, Sessions, seeker_blocks
from matcher.synth.schedule import Schedule
from matcher.synth.utility import Funnel, employer_utility, occupation_fit, seeker_utility
from matcher.synth.vacancies import VacancyTable, make_vacancies
from matcher.synth.words import skill_codes

_T = TypeVar("_T")

OnProgress = Callable[[str, int, int], None]
"""What a progress display hears from the generation: ``(stage, done, total)``, the stage
``"seekers"`` (seekers generated and stored) or ``"interactions"`` (days simulated), as each
block or day is done."""

STORE_CHUNK = 5_000
"""Records per store transaction (seekers, contacts, employers, vacancies)."""
INTERACTION_CHUNK = 100_000
"""Interaction rows per store transaction."""


@dataclass(frozen=True)
class GenerationSummary:
    """What :func:`generate` wrote: counts per kind, time taken and the files written."""

    seekers: int
    employers: int
    vacancies: int
    contacts: int
    interactions: dict[str, int]
    seconds: float
    files: list[Path] = field(default_factory=list)
    fairs: int = 0

    @property
    def interaction_count(self) -> int:
        return sum(self.interactions.values())


@dataclass
class Dataset:
    """A generated data set held in memory (for tests and notebooks)."""

    seekers: list[Seeker]
    contacts: list[Contact]
    employers: list[Employer]
    vacancies: list[Vacancy]
    interactions: list[InteractionRow]
    fairs: list[Fair] = field(default_factory=list)


@dataclass
class _Batch:
    """One piece of the generation stream; each field may be empty."""

    employers: list[Employer] = field(default_factory=list)
    vacancies: list[Vacancy] = field(default_factory=list)
    fairs: list[Fair] = field(default_factory=list)
    seekers: list[Seeker] = field(default_factory=list)
    contacts: list[Contact] = field(default_factory=list)
    interactions: list[InteractionRow] = field(default_factory=list)


def default_employer_count(vacancies: int) -> int:
    """About one employer per eight vacancies, at least five."""
    return max(5, round(vacancies / 8))


def _check_arguments(seekers: int, vacancies: int, seed: int, employers: int | None) -> int:
    """Validate the sizes and the seed; return the employer count to use."""
    if isinstance(seed, bool) or not isinstance(seed, int):
        raise TypeError(f"seed must be an int, got {type(seed).__name__}")
    if seed < 0:
        raise ValueError(f"seed must be 0 or more, got {seed}")
    for name, value in (("seekers", seekers), ("vacancies", vacancies)):
        if isinstance(value, bool) or not isinstance(value, int):
            raise TypeError(f"{name} must be an int, got {type(value).__name__}")
        if value < 1:
            raise ValueError(f"{name} must be at least 1, got {value}")
    if employers is None:
        return default_employer_count(vacancies)
    if isinstance(employers, bool) or not isinstance(employers, int):
        raise TypeError(f"employers must be an int or None, got {type(employers).__name__}")
    if employers < 1:
        raise ValueError(f"employers must be at least 1, got {employers}")
    return employers


@dataclass
class _World:
    """The generator's compact tables: what the simulation and the oracle read."""

    schedule: Schedule
    vacancies: VacancyTable
    seekers: SeekerColumns
    sessions: Sessions


def _stream(
    seekers: int,
    vacancies: int,
    seed: int,
    employers: int | None,
    campaigns: CampaignCalendar | None,
    on_progress: OnProgress | None,
    *,
    interactions: bool = True,
    world: list[_World] | None = None,
) -> Iterator[_Batch]:
    """The generation stream; without ``interactions`` it stops after the seekers. The tables
    built are appended to ``world`` when given. ``on_progress`` hears of each block of seekers
    once the consumer has taken it (stored it), and of each simulated day."""
    employer_count = _check_arguments(seekers, vacancies, seed, employers)
    schedule = Schedule.from_calendar(campaigns if campaigns is not None else load_campaigns())
    employer_table = make_employers(employer_count, seed)
    vacancy_table = make_vacancies(vacancies, employer_table, schedule, seed)
    yield _Batch(
        employers=employer_table.records,
        vacancies=vacancy_table.records,
        fairs=make_fairs(schedule.campaigns, vacancy_table.records),
    )

    columns = SeekerColumns.allocate(seekers, skill_codes().words)
    sessions = Sessions()
    made = 0
    if on_progress is not None:
        on_progress("seekers", made, seekers)
    for block_seekers, block_contacts in seeker_blocks(seekers, seed, schedule, columns, sessions):
        yield _Batch(seekers=block_seekers, contacts=block_contacts)
        made += len(block_seekers)
        if on_progress is not None:
            on_progress("seekers", made, seekers)
    if world is not None:
        world.append(_World(schedule, vacancy_table, columns, sessions))
    if not interactions:
        return

    days = 0
    if on_progress is not None:
        on_progress("interactions", days, schedule.n_days)

    def simulated(count: int) -> None:
        nonlocal days
        days += count
        if on_progress is not None:
            on_progress("interactions", days, schedule.n_days)

    for rows in simulate(columns, sessions, vacancy_table, schedule, seed, simulated):
        yield _Batch(interactions=rows)


class Oracle:
    """The hidden relevance of the pairs of a generated data set — ground truth for evaluation.

    Logged labels are position-biased (a vacancy shown lower is examined less often); the
    oracle gives each pair its expected NDCG gain *when examined*
    (:meth:`matcher.synth.utility.Funnel.expected_gain`, between 0 and 15). Only the generator
    knows it, so it serves to check models trained on the logs (e.g. whether position-debiased
    training recovers the true order), never as a feature. Build it with the arguments the
    data set was generated with.
    """

    def __init__(
        self,
        seekers: int,
        vacancies: int,
        seed: int,
        employers: int | None = None,
        campaigns: CampaignCalendar | None = None,
    ) -> None:
        world: list[_World] = []
        for _ in _stream(
            seekers, vacancies, seed, employers, campaigns, None, interactions=False, world=world
        ):
            pass
        self._world = world[0]
        self._seed = seed
        self._seeker_row = {seeker_id: row for row, seeker_id in enumerate(self._world.seekers.ids)}
        self._vacancy_row = {
            vacancy.id: row for row, vacancy in enumerate(self._world.vacancies.records)
        }

    def expected_gains(
        self, seeker_ids: Sequence[str], vacancy_ids: Sequence[str]
    ) -> npt.NDArray[np.float64]:
        """E[2^label − 1 | examined] for each pair ``(seeker_ids[i], vacancy_ids[i])``.

        Raises
        ------
        KeyError
            An id that the generated data set does not have.
        """
        if len(seeker_ids) != len(vacancy_ids):
            raise ValueError("seeker_ids and vacancy_ids must have the same length")
        s = np.fromiter((self._seeker_row[i] for i in seeker_ids), np.int64, len(seeker_ids))
        v = np.fromiter((self._vacancy_row[i] for i in vacancy_ids), np.int64, len(vacancy_ids))
        world, seed = self._world, self._seed
        occ_fit = occupation_fit(world.seekers, world.vacancies, s, v)
        u_seeker = seeker_utility(world.seekers, world.vacancies, s, v, seed, occ_fit)
        u_employer = employer_utility(world.seekers, world.vacancies, s, v, seed, occ_fit)
        return Funnel.of(u_seeker, u_employer).expected_gain()


def generate_dataset(
    seekers: int,
    vacancies: int,
    seed: int,
    employers: int | None = None,
    campaigns: CampaignCalendar | None = None,
    on_progress: OnProgress | None = None,
) -> Dataset:
    """Generate a synthetic data set in memory.

    Parameters
    ----------
    seekers, vacancies : int
        How many of each to generate (at least 1).
    seed : int
        The same seed (and arguments) give the same data set.
    employers : int, optional
        Number of employers; default about ``vacancies / 8`` (at least 5).
    campaigns : CampaignCalendar, optional
        The campaign calendar interactions follow; default the shipped 2022 calendar.
    on_progress : callable, optional
        Told ``(stage, done, total)`` as the work goes (:data:`OnProgress`), e.g. to draw a
        progress bar.
    """
    dataset = Dataset([], [], [], [], [])
    for batch in _stream(seekers, vacancies, seed, employers, campaigns, on_progress):
        dataset.employers.extend(batch.employers)
        dataset.vacancies.extend(batch.vacancies)
        dataset.fairs.extend(batch.fairs)
        dataset.seekers.extend(batch.seekers)
        dataset.contacts.extend(batch.contacts)
        dataset.interactions.extend(batch.interactions)
    return dataset


def _chunks(items: Sequence[_T], size: int) -> Iterator[Sequence[_T]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _write_jsonl(handle: IO[str], records: Sequence[BaseModel]) -> None:
    handle.writelines(record.model_dump_json() + "\n" for record in records)


def generate(
    store: Store,
    *,
    seekers: int,
    vacancies: int,
    seed: int,
    employers: int | None = None,
    campaigns: CampaignCalendar | None = None,
    out_dir: Path | None = None,
    on_progress: OnProgress | None = None,
) -> GenerationSummary:
    """Generate a synthetic data set into ``store`` (and into files when ``out_dir`` is given).

    Records are written in transactions of :data:`STORE_CHUNK` records
    (:data:`INTERACTION_CHUNK` interaction rows). The store is not cleared first: generating
    into a store that already holds generated data replaces records with the same ids but keeps
    older interactions (clear the store first, as ``jobmatch generate --replace`` does).

    With ``out_dir``, also writes ``employers.jsonl``, ``vacancies.jsonl``, ``seekers.jsonl``,
    ``contacts.jsonl`` (one ``model_dump_json()`` per line) and ``interactions.csv`` (header
    :data:`INTERACTION_COLUMNS`); the summary lists them. ``on_progress`` is told
    ``(stage, done, total)`` as seekers are stored and days simulated (:data:`OnProgress`).
    """
    started = time.perf_counter()
    counts: Counter[str] = Counter()
    kinds: Counter[str] = Counter()
    files: list[Path] = []
    with ExitStack() as stack:
        handles: dict[str, IO[str]] = {}
        interactions_writer = None
        if out_dir is not None:
            out_dir = Path(out_dir)
            out_dir.mkdir(parents=True, exist_ok=True)
            for name in ("employers", "vacancies", "fairs", "seekers", "contacts"):
                path = out_dir / f"{name}.jsonl"
                handles[name] = stack.enter_context(path.open("w", encoding="utf-8"))
                files.append(path)
            path = out_dir / "interactions.csv"
            csv_handle = stack.enter_context(path.open("w", encoding="utf-8", newline=""))
            interactions_writer = csv.writer(csv_handle)
            interactions_writer.writerow(INTERACTION_COLUMNS)
            files.append(path)
        pending: list[InteractionRow] = []
        for batch in _stream(seekers, vacancies, seed, employers, campaigns, on_progress):
            named: tuple[tuple[str, Sequence[Employer | Vacancy | Seeker | Fair]], ...] = (
                ("employers", batch.employers),
                ("vacancies", batch.vacancies),
                ("fairs", batch.fairs),
                ("seekers", batch.seekers),
            )
            for name, records in named:
                for chunk in _chunks(records, STORE_CHUNK):
                    counts[name] += store.put_many(chunk)
                if name in handles and records:
                    _write_jsonl(handles[name], records)
            for contacts in _chunks(batch.contacts, STORE_CHUNK):
                counts["contacts"] += store.put_contacts(contacts)
            if "contacts" in handles and batch.contacts:
                _write_jsonl(handles["contacts"], batch.contacts)
            if batch.interactions:
                kinds.update(row[2] for row in batch.interactions)
                if interactions_writer is not None:
                    interactions_writer.writerows(batch.interactions)
                pending.extend(batch.interactions)
                if len(pending) >= INTERACTION_CHUNK:
                    store.append_interaction_rows(pending)
                    pending = []
        if pending:
            store.append_interaction_rows(pending)
    return GenerationSummary(
        seekers=counts["seekers"],
        employers=counts["employers"],
        vacancies=counts["vacancies"],
        contacts=counts["contacts"],
        interactions={
            kind.value: kinds[kind.value] for kind in InteractionKind if kinds[kind.value]
        },
        seconds=time.perf_counter() - started,
        files=files,
        fairs=counts["fairs"],
    )
