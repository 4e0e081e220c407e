"""The campaign calendar as day arrays: which campaign runs on which day of the simulated year."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from matcher.domain.campaigns import CampaignCalendar
from matcher.domain.records import Campaign
from matcher.reference import priority_groups

REFERENCE_YEAR = 2022
"""The year seekers' ages, schooling and work histories refer to (the shipped calendar's year);
vacancy dates and interactions follow the campaign calendar given."""

GROUP_CODES: tuple[str, ...] = tuple(priority_groups())
"""Priority-group codes in table order; bit ``i`` of a group mask is ``GROUP_CODES[i]``."""


def group_bit(code: str) -> int:
    """The bit of a priority group in a group mask."""
    return 1 << GROUP_CODES.index(code)


@dataclass(frozen=True)
class Schedule:
    """Days of the simulated span and the campaigns running on each.

    Attributes
    ----------
    start : date
        First day of the span (day 0).
    running : bool array of shape (n_campaigns, n_days)
        ``running[c, d]``: campaign ``c`` has a period covering day ``d``.
    group_masks : int64 array of shape (n_campaigns,)
        Priority groups of each campaign as a bit mask over :data:`GROUP_CODES`.
    """

    start: dt.date
    campaigns: tuple[Campaign, ...]
    running: npt.NDArray[np.bool_]
    group_masks: npt.NDArray[np.int64]

    @property
    def n_days(self) -> int:
        return int(self.running.shape[1])

    @property
    def n_campaigns(self) -> int:
        return len(self.campaigns)

    def date_of(self, day: int) -> dt.date:
        return self.start + dt.timedelta(days=int(day))

    @classmethod
    def from_calendar(cls, calendar: CampaignCalendar) -> Schedule:
        """Span the calendar's year (its ``year``, else the year its first campaign starts),
        widened to cover every campaign period."""
        campaigns = tuple(calendar.values())
        if not campaigns:
            raise ValueError("the campaign calendar has no campaigns; give at least one")
        year = calendar.year or min(c.start for c in campaigns).year
        start = min([dt.date(year, 1, 1), *(c.start for c in campaigns)])
        end = max([dt.date(year, 12, 31), *(c.end for c in campaigns)])
        if (end - start).days > 3 * 366:
            raise ValueError(
                f"the campaign calendar spans {start} to {end}; "
                "the generator simulates at most three years"
            )
        n_days = (end - start).days + 1
        running = np.zeros((len(campaigns), n_days), dtype=bool)
        masks = np.zeros(len(campaigns), dtype=np.int64)
        for index, campaign in enumerate(campaigns):
            for period in campaign.periods:
                running[index, (period.start - start).days : (period.end - start).days + 1] = True
            for code in campaign.priority_groups:
                masks[index] |= group_bit(code)
        return cls(start, campaigns, running, masks)
