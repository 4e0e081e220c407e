"""The campaign calendar: load, check and query the campaigns TOML file.

The default file encodes the twelve activities of Suining's 2022 notice; staff point jobmatch at
their own copy with ``JOBMATCH_CAMPAIGNS`` or ``--campaigns``. A file that cannot be used raises
:class:`~matcher.errors.CampaignFileError` naming the file, the campaign and the field.
"""

from __future__ import annotations

import datetime as dt
import tomllib
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

from matcher.domain.records import Campaign, Employer, Seeker, Vacancy, validate_record
from matcher.errors import CampaignFileError, InvalidRecord
from matcher.reference import regions

DEFAULT_CAMPAIGNS_FILE = Path(__file__).parent.parent / "reference" / "campaigns_2022.toml"
SUPPORTED_VERSIONS = (1,)


@dataclass(frozen=True)
class CampaignCalendar(Mapping[str, Campaign]):
    """Campaigns by id, in file order, with the file they came from."""

    campaigns: dict[str, Campaign]
    source: Path
    year: int | None = None

    def __getitem__(self, campaign_id: str) -> Campaign:
        try:
            return self.campaigns[campaign_id]
        except KeyError:
            known = ", ".join(self.campaigns)
            raise KeyError(f"unknown campaign {campaign_id!r}; known: {known}") from None

    def __iter__(self) -> Iterator[str]:
        return iter(self.campaigns)

    def __len__(self) -> int:
        return len(self.campaigns)

    def running_on(self, day: dt.date) -> list[Campaign]:
        """Campaigns with a period covering ``day``."""
        return [campaign for campaign in self.campaigns.values() if campaign.is_running(day)]


def load_campaigns(path: str | Path | None = None) -> CampaignCalendar:
    """Read and validate a campaigns TOML file (the shipped 2022 calendar when ``path`` is None)."""
    source = Path(path) if path is not None else DEFAULT_CAMPAIGNS_FILE
    try:
        text = source.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise CampaignFileError(f"{source}: campaigns file not found") from None
    except UnicodeDecodeError as error:
        raise CampaignFileError(f"{source}: not UTF-8 text ({error.reason})") from None
    try:
        document = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise CampaignFileError(f"{source}: not valid TOML: {error}") from None
    version = document.get("version", 1)
    if version not in SUPPORTED_VERSIONS:
        raise CampaignFileError(
            f"{source}: version {version!r} is not supported (supported: {SUPPORTED_VERSIONS})"
        )
    unknown = set(document) - {"version", "year", "source", "campaign"}
    if unknown:
        raise CampaignFileError(f"{source}: unknown top-level keys {sorted(unknown)}")
    entries = document.get("campaign")
    if not isinstance(entries, list) or not entries:
        raise CampaignFileError(f"{source}: no [[campaign]] tables")
    campaigns: dict[str, Campaign] = {}
    for number, entry in enumerate(entries, start=1):
        label = f"campaign #{number}"
        if isinstance(entry, dict) and isinstance(entry.get("id"), str):
            label += f" ({entry['id']})"
        try:
            campaign = validate_record(Campaign, entry)
        except InvalidRecord as error:
            details = "; ".join(str(problem) for problem in error.problems)
            raise CampaignFileError(f"{source}: {label}: {details}") from None
        if campaign.id in campaigns:
            raise CampaignFileError(f"{source}: {label}: id {campaign.id!r} appears twice")
        campaigns[campaign.id] = campaign
    year = document.get("year")
    return CampaignCalendar(campaigns, source, year if isinstance(year, int) else None)


def _within(region_code: str, areas: list[str]) -> bool:
    table = regions()
    return any(
        region_code == area or table.city_of(region_code) == area or region_code[:2] == area
        for area in areas
    )


def employer_eligible(campaign: Campaign, employer: Employer) -> bool:
    """Whether the campaign's policy admits this employer (kinds and regions)."""
    policy = campaign.policy
    if policy.employer_kinds and not (employer.kinds & set(policy.employer_kinds)):
        return False
    return not policy.employer_regions or _within(employer.region, policy.employer_regions)


def vacancy_eligible(campaign: Campaign, vacancy: Vacancy, employer: Employer) -> bool:
    """Whether the vacancy may be offered in the campaign (accessibility, then its employer)."""
    if campaign.policy.accessible_only and not vacancy.accessible:
        return False
    return employer_eligible(campaign, employer)


def seeker_eligible(campaign: Campaign, seeker: Seeker) -> bool:
    """Whether the seeker takes part (priority groups when the campaign is for them only, major)."""
    policy = campaign.policy
    if policy.groups_only and not set(seeker.priority_groups) & set(campaign.priority_groups):
        return False
    if policy.seeker_majors:
        major = seeker.major or ""
        return any(word in major for word in policy.seeker_majors)
    return True
