"""Personal data in free text: redacted before it is stored or tokenised.

Structured contact data already lives apart (:class:`matcher.domain.Contact`); this handles the
phone numbers, 身份证号, e-mails, QQ/WeChat ids and street addresses people type into résumés and
postings. Every entry point that stores records (file import, later the API) calls
:func:`redact_record`.
"""

from __future__ import annotations

from collections import Counter
from typing import TypeVar

from pydantic import BaseModel

from features.redact import redact
from matcher.domain import Seeker, Vacancy

FREE_TEXT_FIELDS: dict[type[BaseModel], tuple[str, ...]] = {
    Seeker: ("resume_text",),
    Vacancy: ("description",),
}
"""The free-text fields of each record kind."""

Record = TypeVar("Record", bound=BaseModel)


def redact_record(record: Record) -> tuple[Record, Counter[str]]:
    """The record with personal data in its free text replaced by placeholders, and how many
    items of each kind (mobile, id_number, address …) were replaced."""
    counts: Counter[str] = Counter()
    changes: dict[str, str] = {}
    for name in FREE_TEXT_FIELDS.get(type(record), ()):
        text = getattr(record, name)
        if not text:
            continue
        redaction = redact(text)
        if redaction.total:
            changes[name] = redaction.text
            counts.update({kind: n for kind, n in redaction.counts.items() if n})
    return (record.model_copy(update=changes) if changes else record), counts
