"""The exceptions jobmatch raises. Callers catch these, not bare ``Exception``.

::

    JobmatchError
    ├── InvalidRecord        a record failed validation; ``problems`` lists (field, message)
    ├── NotFound             an id that is not in the store
    ├── ConflictError        a write that would break a reference (an employer with vacancies)
    ├── CampaignFileError    a campaigns TOML file that cannot be used
    ├── ImportFileError      a whole import file that cannot be read (no row is written)
    ├── TrainingError        a model cannot be trained (unknown ranker, too little data)
    ├── InvalidRequest       a parameter out of its range (k, block sizes, body sizes)
    │   ├── BatchError       a batch run that cannot start as asked
    │   └── ReportRequestError  a progress report of an unknown campaign or day range
    │                        (``matcher.fairs.progress``)
    ├── ApiKeyError          an API key that cannot be created as asked
    ├── StaffAccountError    a staff account that cannot be created or changed as asked
    ├── ServiceUnavailable   the service cannot match yet (no model, starting, stopping)
    ├── UnknownModel         a model version the registry does not have (or cannot read)
    └── UnusableModel        a model bundle that fails verification or cannot be loaded

``features`` and ``models`` keep their own roots (``SavedFormatError``, ``SavedRankerError``,
``BundleError``, ``RegistryError``, all ``ValueError``);
:func:`matcher.ranking.serving.model_errors` maps them to
``UnknownModel``/``UnusableModel`` where matcher calls into the registry, so the CLI and the API
catch one root: :class:`JobmatchError`.
"""

from __future__ import annotations

import numbers
from dataclasses import dataclass


class JobmatchError(Exception):
    """Base of every error jobmatch raises on purpose."""


@dataclass(frozen=True, slots=True)
class FieldProblem:
    """One validation problem: the field (dotted path) and what is wrong with it."""

    field: str
    message: str

    def __str__(self) -> str:
        return f"{self.field}: {self.message}" if self.field else self.message


class InvalidRecord(JobmatchError, ValueError):
    """A record failed validation."""

    def __init__(self, kind: str, problems: list[FieldProblem]) -> None:
        self.kind = kind
        self.problems = problems
        super().__init__(f"invalid {kind}: " + "; ".join(str(p) for p in problems))


class NotFound(JobmatchError, LookupError):
    """An id that is not in the store."""

    def __init__(self, kind: str, record_id: str) -> None:
        self.kind = kind
        self.record_id = record_id
        super().__init__(f"{kind} {record_id!r} not found")


class ConflictError(JobmatchError):
    """A write that would leave the store inconsistent."""


class CampaignFileError(JobmatchError, ValueError):
    """A campaigns TOML file that cannot be used; the message names the file and the field."""


class ImportFileError(JobmatchError, ValueError):
    """An import file that cannot be read at all; nothing from it is written."""


class TrainingError(JobmatchError, ValueError):
    """A model cannot be trained: an unknown ranker kind, or too little data."""


class InvalidRequest(JobmatchError, ValueError):
    """A parameter out of its allowed range; the message names it and the range."""


class StaffAccountError(JobmatchError, ValueError):
    """A staff account that cannot be created or changed as asked (name, role, tenant)."""


class ApiKeyError(JobmatchError, ValueError):
    """A key that cannot be created as asked (bad name, tenant or scope)."""


class BatchError(InvalidRequest):
    """A batch run that cannot start as asked (the message says why)."""


class ServiceUnavailable(JobmatchError):
    """The service cannot match yet (no active model) — a 503, not the caller's fault."""


class UnknownModel(JobmatchError, LookupError):
    """A model version the registry does not have, or a registry it cannot read."""


class UnusableModel(JobmatchError, ValueError):
    """A model bundle that fails verification or whose files cannot be loaded."""


def check_count(
    name: str,
    value: object,
    *,
    minimum: int = 1,
    maximum: int | None = None,
    error: type[InvalidRequest] = InvalidRequest,
) -> int:
    """``value`` as a whole number within ``[minimum, maximum]``, else ``error`` (an
    :class:`InvalidRequest`) naming ``name``: the one check for k, block sizes and the other
    counts a caller chooses."""
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise error(f"{name} must be a whole number ≥ {minimum}, got {value!r}")
    number = int(value)
    if number < minimum:
        raise error(f"{name} must be a whole number ≥ {minimum}, got {number}")
    if maximum is not None and number > maximum:
        raise error(f"{name} must be at most {maximum}, got {number}")
    return number
