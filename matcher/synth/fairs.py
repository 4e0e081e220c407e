"""Job fairs (招聘会) of the synthetic calendar: one on-site fair per campaign.

Each campaign holds a fair a week into its first period (or on its last day when the period is
shorter) at the Suining human-resources market in 船山区, 09:00–12:00. Every employer with a
vacancy that joined the campaign and is open that day gets a booth (A01, A02 … in employer
order) listing those vacancies; interview slots per booth are twice the booth's openings, so
popular booths fill up before the fair does.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from matcher.domain.records import Booth, Campaign, Fair, Vacancy

FAIR_REGION = "510903"
FAIR_VENUE = "遂宁市人力资源市场"
MAX_BOOTHS = 2_000
MAX_VACANCIES_PER_BOOTH = 200


def fair_day(campaign: Campaign) -> dt.date:
    """A week into the campaign's first period, or its last day when sooner."""
    first = min(campaign.periods, key=lambda period: period.start)
    return min(first.start + dt.timedelta(days=7), first.end)


def make_fairs(campaigns: tuple[Campaign, ...], vacancies: list[Vacancy]) -> list[Fair]:
    """One fair per campaign with a booth per employer that has an open vacancy in it."""
    fairs = []
    for campaign in campaigns:
        day = fair_day(campaign)
        by_employer: dict[str, list[Vacancy]] = defaultdict(list)
        for vacancy in vacancies:
            if (
                campaign.id in vacancy.campaigns
                and vacancy.status == "open"
                and vacancy.valid_from <= day <= vacancy.valid_until
            ):
                by_employer[vacancy.employer_id].append(vacancy)
        booths = [
            Booth(
                booth=f"A{number:02d}",
                employer_id=employer_id,
                vacancy_ids=[v.id for v in posts[:MAX_VACANCIES_PER_BOOTH]],
                interview_slots=2 * sum(v.openings for v in posts[:MAX_VACANCIES_PER_BOOTH]),
            )
            for number, (employer_id, posts) in enumerate(
                sorted(by_employer.items())[:MAX_BOOTHS], start=1
            )
        ]
        fairs.append(
            Fair(
                id=f"F-{campaign.id}",
                name=f"{campaign.short_name}现场招聘会",
                campaign_id=campaign.id,
                date=day,
                start_time=dt.time(9, 0),
                end_time=dt.time(12, 0),
                region=FAIR_REGION,
                venue=FAIR_VENUE,
                booths=booths,
            )
        )
    return fairs
