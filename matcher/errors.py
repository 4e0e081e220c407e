"""The exceptions jobmatch raises. Callers catch these, not bare ``Exception``.

::

    JobmatchError
    ├── InvalidRecord        a record failed validation; ``problems`` lists (field, message)
    ├── NotFound             an id that is not in the store
    ├── ConflictError        a write that would break a reference (an employer with vacancies)
    ├── CampaignFileError    a campaigns TOML file that cannot be used
    ├── ImportFileError      a whole import file that cannot be read (no row is written)
    └── TrainingError        a model cannot be trained (unknown ranker, too little data)

``models`` raises its own ``BundleError`` and ``RegistryError`` (both ``ValueError``): a model
bundle that fails verification, an unknown version.
"""

from __future__ import annotations

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
