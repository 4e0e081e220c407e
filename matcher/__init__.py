"""The domain and the engine: schemas, validation, reference codes, campaigns, storage, CLI."""

from matcher.domain.campaigns import CampaignCalendar, load_campaigns
from matcher.domain.records import (
    Campaign,
    Contact,
    Employer,
    Fair,
    Interaction,
    InteractionKind,
    Seeker,
    Vacancy,
    validate_record,
)
from matcher.errors import (
    CampaignFileError,
    ConflictError,
    ImportFileError,
    InvalidRecord,
    JobmatchError,
    NotFound,
)
from matcher.intake.importer import ImportResult, import_file
from matcher.storage.store import Store

__all__ = [
    "Campaign",
    "CampaignCalendar",
    "CampaignFileError",
    "ConflictError",
    "Contact",
    "Employer",
    "Fair",
    "ImportFileError",
    "ImportResult",
    "Interaction",
    "InteractionKind",
    "InvalidRecord",
    "JobmatchError",
    "NotFound",
    "Seeker",
    "Store",
    "Vacancy",
    "import_file",
    "load_campaigns",
    "validate_record",
]
