"""Logged interactions: a simple platform policy shows vacancies; people react by the utility.

Day by day over the campaign calendar, each search session of a seeker shows up to
:data:`SHOWN` active vacancies at positions 1‥10. The *logging policy* that picks them is
deliberately simple and noisy: a popularity-weighted sample of at most :data:`CANDIDATE_POOL`
active vacancies, scored by popularity (headcount, pay, common title, city centre), same county,
desired title or the same 大典 中类 ("keyword-ish") and the session's campaign, plus Gumbel noise;
it never looks at the hidden utility. Campaigns with ``accessible_only`` show accessible
vacancies only.

What the seeker and the employer then do follows :mod:`matcher.synth.utility` (formulas there):
examination decays with position as ``p^−0.7``; click → apply → interview → offer → hire, with a
``reject`` event when an application or an interview fails. A vacancy hires at most ``openings``
seekers and is no longer shown once full; a hired seeker stops searching. A seeker applies to a
vacancy at most once. Sessions lie within the calendar; the interview, offer and hire that
follow a session late in December may fall in the first days of the next year.

Rows are tuples in the column order of :meth:`matcher.storage.store.Store.append_interaction_rows`:
``(seeker_id, vacancy_id, kind, time, position, campaign_id, source, session_id)``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt

from matcher.domain.records import InteractionKind
from matcher.synth.people import SOURCES, SeekerColumns, Sessions
from matcher.synth.schedule import Schedule
from matcher.synth.utility import Funnel, employer_utility, occupation_fit, seeker_utility
from matcher.synth.vacancies import VacancyTable, popularity
from matcher.synth.words import occupation_groups

InteractionRow = tuple[str, str, str, str, int, str | None, str, str]
"""(seeker_id, vacancy_id, kind, time ISO 8601, position, campaign_id, source, session_id)."""

SHOWN = 10
"""Vacancies shown per session (one result page)."""
POSITION_DECAY = 0.7
"""Examination probability at position p is ``p ** -POSITION_DECAY``."""
CANDIDATE_POOL = 2_000
"""First stage of the policy: for each block of sessions at most this many active vacancies,
drawn without replacement with weights ``exp(popularity)`` (Gumbel top-k), are scored. Keeps
the cost per session bounded however large the vacancy pool."""
_SESSION_BLOCK = 512
_DAY = 86_400

IntArray = npt.NDArray[np.int64]


@dataclass
class _Events:
    """Events of one kind for one day: pair indices and times (seconds since the start)."""

    pair: list[IntArray] = field(default_factory=list)
    time: list[IntArray] = field(default_factory=list)

    def add(self, pair: IntArray, time: IntArray) -> None:
        if pair.size:
            self.pair.append(pair)
            self.time.append(time)


@dataclass
class _Shown:
    """The pairs shown on one day: seeker, vacancy, position and session, one row per pair."""

    seeker: IntArray
    vacancy: IntArray
    position: IntArray
    session: IntArray


class _Policy:
    """The logging policy: scores active vacancies for a block of sessions and keeps the top 10."""

    def __init__(self, seekers: SeekerColumns, vacancies: VacancyTable, schedule: Schedule) -> None:
        mid, _ = occupation_groups()
        self.seekers = seekers
        self.vacancies = vacancies
        self.popularity = popularity(vacancies)
        self.vacancy_mid = mid[vacancies.occupation]
        occupations = seekers.occupations
        self.seeker_mid = np.where(occupations >= 0, mid[np.maximum(occupations, 0)], -1)
        self.accessible_only = np.array(
            [campaign.policy.accessible_only for campaign in schedule.campaigns], dtype=bool
        )

    def show(
        self,
        rng: np.random.Generator,
        active: IntArray,
        session_seekers: IntArray,
        session_campaigns: IntArray,
    ) -> tuple[IntArray, IntArray]:
        """Shown vacancies (rows of up to SHOWN, best first) and how many each row holds."""
        vacancies = self.vacancies
        seekers = self.seekers
        area = vacancies.area[active]
        title = vacancies.title[active]
        mid = self.vacancy_mid[active]
        score = np.broadcast_to(self.popularity[active], (session_seekers.size, active.size)).copy()
        score += seekers.area[session_seekers][:, None] == area[None, :]
        keyword = np.zeros(score.shape, dtype=bool)
        related = np.zeros(score.shape, dtype=bool)
        for slot in range(seekers.titles.shape[1]):
            wanted = seekers.titles[session_seekers, slot]
            keyword |= wanted[:, None] == title[None, :]
            wanted_mid = self.seeker_mid[session_seekers, slot]
            related |= (wanted_mid[:, None] == mid[None, :]) & (wanted_mid >= 0)[:, None]
        score += 1.6 * keyword + 0.6 * related
        in_campaign = session_campaigns >= 0
        if in_campaign.any():
            rows = np.flatnonzero(in_campaign)
            campaigns = session_campaigns[rows]
            member = vacancies.campaign_member[active][:, campaigns].T
            score[rows] += 0.8 * member
            strict = rows[self.accessible_only[campaigns]]
            if strict.size:
                closed = ~vacancies.accessible[active]
                score[np.ix_(strict, np.flatnonzero(closed))] = -np.inf
        score += rng.gumbel(size=score.shape)
        shown = min(SHOWN, active.size)
        top = np.argpartition(-score, shown - 1, axis=1)[:, :shown]
        top_scores = np.take_along_axis(score, top, axis=1)
        order = np.argsort(-top_scores, axis=1, kind="stable")
        top = np.take_along_axis(top, order, axis=1)
        counts = np.isfinite(np.take_along_axis(top_scores, order, axis=1)).sum(axis=1)
        return active[top], counts


def simulate(
    seekers: SeekerColumns,
    sessions: Sessions,
    vacancies: VacancyTable,
    schedule: Schedule,
    seed: int,
    on_day: Callable[[int], None] | None = None,
) -> Iterator[list[InteractionRow]]:
    """Interaction rows, one list per simulated day with sessions, in day order.

    ``on_day(n)`` is called after each day with the number of days done since the last call
    (for a progress bar).
    """
    rng = np.random.default_rng([seed, 5])
    policy = _Policy(seekers, vacancies, schedule)
    session_day = np.asarray(sessions.day, dtype=np.int64)
    session_second = np.asarray(sessions.second, dtype=np.int64)
    order = np.lexsort((session_second, session_day))
    session_seeker = np.asarray(sessions.seeker, dtype=np.int64)[order]
    session_campaign = np.asarray(sessions.campaign, dtype=np.int64)[order]
    session_source = np.asarray(sessions.source, dtype=np.int64)[order]
    session_day = session_day[order]
    session_start = session_day * _DAY + session_second[order]

    names = _Names(seekers, vacancies, schedule)
    remaining = vacancies.openings.astype(np.int64).copy()
    hired_day = np.full(len(seekers.ids), np.iinfo(np.int64).max, dtype=np.int64)
    applied: set[int] = set()
    n_vacancies = len(vacancies.records)
    days, first_session = np.unique(session_day, return_index=True)
    bounds = [*first_session.tolist(), session_day.size]
    done = 0
    for number, day in enumerate(days.tolist()):
        sessions_today = np.arange(bounds[number], bounds[number + 1])
        sessions_today = sessions_today[hired_day[session_seeker[sessions_today]] > day]
        active = np.flatnonzero(
            vacancies.open
            & (vacancies.valid_from <= day)
            & (vacancies.valid_until >= day)
            & (remaining > 0)
        )
        if on_day is not None:
            on_day(day + 1 - done)
            done = day + 1
        if sessions_today.size == 0 or active.size == 0:
            continue
        shown = _show_day(rng, policy, active, sessions_today, session_seeker, session_campaign)
        events = _react(
            rng,
            seekers,
            vacancies,
            seed,
            shown,
            session_start,
            remaining,
            hired_day,
            applied,
            n_vacancies,
        )
        yield names.rows(shown, events, session_campaign, session_source)
    if on_day is not None and done < schedule.n_days:
        on_day(schedule.n_days - done)


def _show_day(
    rng: np.random.Generator,
    policy: _Policy,
    active: IntArray,
    sessions_today: IntArray,
    session_seeker: IntArray,
    session_campaign: IntArray,
) -> _Shown:
    parts: list[tuple[IntArray, IntArray, IntArray, IntArray]] = []
    for start in range(0, sessions_today.size, _SESSION_BLOCK):
        block = sessions_today[start : start + _SESSION_BLOCK]
        seekers_block = session_seeker[block]
        candidates = active
        if active.size > CANDIDATE_POOL:
            keys = policy.popularity[active] + rng.gumbel(size=active.size)
            candidates = np.sort(
                active[np.argpartition(-keys, CANDIDATE_POOL - 1)[:CANDIDATE_POOL]]
            )
        shown, counts = policy.show(rng, candidates, seekers_block, session_campaign[block])
        positions = np.broadcast_to(np.arange(1, shown.shape[1] + 1), shown.shape)
        keep = positions <= counts[:, None]
        parts.append(
            (
                np.broadcast_to(seekers_block[:, None], shown.shape)[keep],
                shown[keep],
                positions[keep],
                np.broadcast_to(block[:, None], shown.shape)[keep],
            )
        )
    return _Shown(*(np.concatenate([part[i] for part in parts]) for i in range(4)))


def _react(
    rng: np.random.Generator,
    seekers: SeekerColumns,
    vacancies: VacancyTable,
    seed: int,
    shown: _Shown,
    session_start: IntArray,
    remaining: IntArray,
    hired_day: IntArray,
    applied: set[int],
    n_vacancies: int,
) -> dict[InteractionKind, _Events]:
    """The seekers' and employers' reactions to what was shown, as timed events by kind."""
    s, v = shown.seeker, shown.vacancy
    events = {kind: _Events() for kind in InteractionKind}
    pairs = np.arange(s.size)
    impression_time = session_start[shown.session]
    events[InteractionKind.IMPRESSION].add(pairs, impression_time)

    occ_fit = occupation_fit(seekers, vacancies, s, v)
    u_seeker = seeker_utility(seekers, vacancies, s, v, seed, occ_fit)
    u_employer = employer_utility(seekers, vacancies, s, v, seed, occ_fit)
    funnel = Funnel.of(u_seeker, u_employer)
    draws = rng.random((6, s.size))
    examined = draws[0] < shown.position.astype(np.float64) ** -POSITION_DECAY
    clicked = examined & (draws[1] < funnel.click)
    click_time = impression_time + rng.integers(5, 240, size=s.size)
    events[InteractionKind.CLICK].add(pairs[clicked], click_time[clicked])

    wants = clicked & (draws[2] < funnel.apply)
    apply_time = click_time + rng.integers(30, 1_200, size=s.size)
    candidates = np.flatnonzero(wants)
    keys = (s[candidates] * n_vacancies + v[candidates]).tolist()
    fresh = np.zeros(candidates.size, dtype=bool)
    for index, key in enumerate(keys):
        if key not in applied:
            applied.add(key)
            fresh[index] = True
    applying = candidates[fresh]
    events[InteractionKind.APPLY].add(applying, apply_time[applying])

    def later(base: IntArray, low: int, high: int) -> IntArray:
        """A working-hours time ``low``‥``high`` days after ``base``."""
        days = rng.integers(low, high + 1, size=base.size)
        hours = rng.integers(9 * 3600, 17 * 3600, size=base.size)
        return (base // _DAY + days) * _DAY + hours

    interviewed = draws[3][applying] < funnel.interview[applying]
    turned_down = applying[~interviewed]
    events[InteractionKind.REJECT].add(turned_down, later(apply_time[turned_down], 1, 5))
    interviewing = applying[interviewed]
    interview_time = later(apply_time[interviewing], 1, 7)
    events[InteractionKind.INTERVIEW].add(interviewing, interview_time)

    offer_wanted = draws[4][interviewing] < funnel.offer[interviewing]
    failed = interviewing[~offer_wanted]
    events[InteractionKind.REJECT].add(failed, later(interview_time[~offer_wanted], 1, 5))
    offering = interviewing[offer_wanted]
    offer_time = later(interview_time[offer_wanted], 1, 5)
    accepts = draws[5][offering] < funnel.accept[offering]
    hire_time = later(offer_time, 1, 10)

    offers: list[int] = []
    offer_times: list[int] = []
    hires: list[int] = []
    hire_times: list[int] = []
    full: list[int] = []
    full_times: list[int] = []
    for index in np.argsort(offer_time, kind="stable").tolist():
        pair = int(offering[index])
        vacancy = int(v[pair])
        seeker = int(s[pair])
        if remaining[vacancy] <= 0:
            full.append(pair)
            full_times.append(int(offer_time[index]))
            continue
        offers.append(pair)
        offer_times.append(int(offer_time[index]))
        if accepts[index] and hired_day[seeker] == np.iinfo(np.int64).max:
            remaining[vacancy] -= 1
            hired_day[seeker] = int(hire_time[index]) // _DAY
            hires.append(pair)
            hire_times.append(int(hire_time[index]))
    events[InteractionKind.OFFER].add(np.array(offers, dtype=np.int64), np.array(offer_times))
    events[InteractionKind.HIRE].add(np.array(hires, dtype=np.int64), np.array(hire_times))
    events[InteractionKind.REJECT].add(np.array(full, dtype=np.int64), np.array(full_times))
    return events


class _Names:
    """Turns pair indices into the text columns of interaction rows."""

    def __init__(self, seekers: SeekerColumns, vacancies: VacancyTable, schedule: Schedule) -> None:
        self.seeker_ids = np.array(seekers.ids, dtype=object)
        self.vacancy_ids = np.array([vacancy.id for vacancy in vacancies.records], dtype=object)
        # index -1 (no campaign) picks the trailing None
        self.campaign_ids = np.array([c.id for c in schedule.campaigns] + [None], dtype=object)
        self.sources = np.array(SOURCES, dtype=object)
        self.start = np.datetime64(schedule.start, "s")

    def rows(
        self,
        shown: _Shown,
        events: dict[InteractionKind, _Events],
        session_campaign: IntArray,
        session_source: IntArray,
    ) -> list[InteractionRow]:
        rows: list[InteractionRow] = []
        for kind, found in events.items():
            if not found.pair:
                continue
            pairs = np.concatenate(found.pair)
            times = np.concatenate(found.time)
            session = shown.session[pairs]
            stamps = np.datetime_as_string(self.start + times.astype("timedelta64[s]"), unit="s")
            rows.extend(
                zip(
                    self.seeker_ids[shown.seeker[pairs]].tolist(),
                    self.vacancy_ids[shown.vacancy[pairs]].tolist(),
                    [kind.value] * pairs.size,
                    stamps.tolist(),
                    shown.position[pairs].tolist(),
                    self.campaign_ids[session_campaign[session]].tolist(),
                    self.sources[session_source[session]].tolist(),
                    [f"sess-{number:08d}" for number in session.tolist()],
                    strict=True,
                )
            )
        return rows
