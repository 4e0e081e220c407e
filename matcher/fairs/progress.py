"""Campaign progress (活动进展情况与工作总结): being built."""

from __future__ import annotations

import argparse

from matcher.domain.campaigns import CampaignCalendar
from matcher.storage.store import Store


def report_command(store: Store, calendar: CampaignCalendar, args: argparse.Namespace) -> int:
    """``jobmatch report``: not built yet."""
    raise NotImplementedError("jobmatch report is being built")
