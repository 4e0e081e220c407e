"""Personal data in free text: redacted before it is stored or tokenised.

Structured contact data already lives apart (:class:`matcher.domain.records.Contact`); this handles
the phone numbers, 身份证号, e-mails, QQ/WeChat ids and street addresses people type into résumés
and postings — and into the short free-text fields (skills, desired titles, major, certificates,
disability needs; a vacancy's title, skills and welfare; an employer's name), which are returned
to callers and shown to employers in candidate summaries. Two steps, on every entry point that
stores or scores records (file import, the API's writes and inline records):

- :func:`clean_seeker` / :func:`clean_vacancy` / :func:`clean_employer` on the raw data, before
  validation: every free-text field through :func:`features.redact.redact`, and the seeker's
  *own* contact values sent with it (name, phone, 身份证号, address) replaced wherever they appear
  in the seeker's free text — a name cannot be recognised by pattern, but it can be when the
  caller says what it is;
- :func:`redact_record` on the validated record (résumé and description; counted for reports).

The contact object itself is stored apart, never returned or ranked on. Redacting again changes
nothing.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from typing import Any, TypeVar

from pydantic import BaseModel

from features.redact import PII_PLACEHOLDERS, redact
from matcher.domain.codes import normalize_mobile
from matcher.domain.records import Seeker, Vacancy

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


NAME_PLACEHOLDER = "[姓名]"
SEEKER_TEXT_FIELDS = ("resume_text", "major")
SEEKER_LIST_FIELDS = ("skills", "certificates", "desired_titles")
VACANCY_TEXT_FIELDS = ("title", "description")
VACANCY_LIST_FIELDS = ("skills", "welfare", "required_certificates", "preferred_certificates")


def _contact_values(contact: Mapping[str, Any] | None) -> list[tuple[str, str]]:
    """(value, placeholder) for the contact's own values, longest first."""
    if not contact:
        return []
    pairs: list[tuple[str, str]] = []
    name = contact.get("name")
    if isinstance(name, str) and len(name.strip()) >= 2:
        pairs.append((name.strip(), NAME_PLACEHOLDER))
    phone = contact.get("phone")
    if isinstance(phone, str) and phone.strip():
        pairs.append((phone.strip(), PII_PLACEHOLDERS["mobile"]))
        pairs.append((normalize_mobile(phone), PII_PLACEHOLDERS["mobile"]))
    id_number = contact.get("id_number")
    if isinstance(id_number, str) and len(id_number.strip()) >= 6:
        for variant in (id_number.strip(), id_number.strip().upper(), id_number.strip().lower()):
            pairs.append((variant, PII_PLACEHOLDERS["id_number"]))
    address = contact.get("address")
    if isinstance(address, str) and len(address.strip()) >= 2:
        pairs.append((address.strip(), PII_PLACEHOLDERS["address"]))
    return sorted(set(pairs), key=lambda pair: -len(pair[0]))


def _kind_of(placeholder: str) -> str:
    if placeholder == NAME_PLACEHOLDER:
        return "name"
    return next(kind for kind, shown in PII_PLACEHOLDERS.items() if shown == placeholder)


def clean_text(
    text: str, known: Sequence[tuple[str, str]] = (), counts: Counter[str] | None = None
) -> str:
    """``text`` with the ``known`` values replaced and pattern-shaped personal data redacted;
    what was replaced is added to ``counts`` by kind when given."""
    for value, placeholder in known:
        if value and value in text:
            if counts is not None:
                counts[_kind_of(placeholder)] += text.count(value)
            text = text.replace(value, placeholder)
    redaction = redact(text)
    if counts is not None:
        counts.update({kind: n for kind, n in redaction.counts.items() if n})
    return redaction.text


def _clean_fields(
    data: dict[str, Any],
    text_fields: tuple[str, ...],
    list_fields: tuple[str, ...],
    known: Sequence[tuple[str, str]],
    counts: Counter[str] | None,
) -> dict[str, Any]:
    for name in text_fields:
        if isinstance(data.get(name), str):
            data[name] = clean_text(data[name], known, counts)
    for name in list_fields:
        if isinstance(data.get(name), list):
            data[name] = [
                clean_text(v, known, counts) if isinstance(v, str) else v for v in data[name]
            ]
    return data


def clean_seeker(
    data: Mapping[str, Any],
    contact: Mapping[str, Any] | None,
    counts: Counter[str] | None = None,
) -> dict[str, Any]:
    """A seeker's data (without its contact) with personal data out of its free text."""
    known = _contact_values(contact)
    cleaned = _clean_fields(dict(data), SEEKER_TEXT_FIELDS, SEEKER_LIST_FIELDS, known, counts)
    disability = cleaned.get("disability")
    if isinstance(disability, dict) and isinstance(disability.get("needs"), list):
        needs = [
            clean_text(v, known, counts) if isinstance(v, str) else v for v in disability["needs"]
        ]
        cleaned["disability"] = {**disability, "needs": needs}
    return cleaned


def clean_vacancy(data: Mapping[str, Any], counts: Counter[str] | None = None) -> dict[str, Any]:
    """A vacancy's data with pattern-shaped personal data out of its free text."""
    return _clean_fields(dict(data), VACANCY_TEXT_FIELDS, VACANCY_LIST_FIELDS, [], counts)


def clean_employer(data: Mapping[str, Any], counts: Counter[str] | None = None) -> dict[str, Any]:
    """An employer's data with pattern-shaped personal data out of its name."""
    return _clean_fields(dict(data), ("name",), (), [], counts)


def clean_raw(
    kind: str,
    data: Mapping[str, Any],
    contact: Mapping[str, Any] | None,
    counts: Counter[str] | None = None,
) -> dict[str, Any]:
    """Raw data of an import kind (``seekers``, ``vacancies``, ``employers``; others as given)
    with personal data out of its free text (replacements added to ``counts``)."""
    if kind == "seekers":
        return clean_seeker(data, contact, counts)
    if kind == "vacancies":
        return clean_vacancy(data, counts)
    if kind == "employers":
        return clean_employer(data, counts)
    return dict(data)
