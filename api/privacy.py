"""Personal data in the free text of records arriving over HTTP, removed before anything else.

:func:`matcher.privacy.redact_record` redacts the résumé and the vacancy description when a
record is stored or scored. People also type phone numbers, 身份证号 and their own name into the
short free-text fields — skills, desired titles, major, certificates, disability needs — and
those fields are returned (``GET /v1/seekers/{id}``) and shown to employers (candidate
summaries). So at the API boundary, before validation:

- every free-text field of a seeker, a vacancy and an employer name is passed through
  :func:`features.redact.redact` (phones, 身份证号, e-mail, QQ/WeChat ids, street addresses);
- the seeker's *own* contact values sent with it (name, phone, 身份证号, address) are replaced
  wherever they appear in the seeker's free text — a name cannot be recognised by pattern, but
  it can be recognised when the caller tells us what it is.

The contact object itself is left as sent: it is stored apart, never returned or ranked on.
Redacting the result again changes nothing.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from features.redact import PII_PLACEHOLDERS, redact
from matcher.codes import normalize_mobile

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


def clean_text(text: str, known: Sequence[tuple[str, str]] = ()) -> str:
    """``text`` with the ``known`` values replaced and pattern-shaped personal data redacted."""
    for value, placeholder in known:
        if value and value in text:
            text = text.replace(value, placeholder)
    return redact(text).text


def _clean_fields(
    data: dict[str, Any],
    text_fields: tuple[str, ...],
    list_fields: tuple[str, ...],
    known: Sequence[tuple[str, str]],
) -> dict[str, Any]:
    for name in text_fields:
        if isinstance(data.get(name), str):
            data[name] = clean_text(data[name], known)
    for name in list_fields:
        if isinstance(data.get(name), list):
            data[name] = [clean_text(v, known) if isinstance(v, str) else v for v in data[name]]
    return data


def clean_seeker(data: Mapping[str, Any], contact: Mapping[str, Any] | None) -> dict[str, Any]:
    """A seeker's data (without its contact) with personal data out of its free text."""
    known = _contact_values(contact)
    cleaned = _clean_fields(dict(data), SEEKER_TEXT_FIELDS, SEEKER_LIST_FIELDS, known)
    disability = cleaned.get("disability")
    if isinstance(disability, dict) and isinstance(disability.get("needs"), list):
        needs = [clean_text(v, known) if isinstance(v, str) else v for v in disability["needs"]]
        cleaned["disability"] = {**disability, "needs": needs}
    return cleaned


def clean_vacancy(data: Mapping[str, Any]) -> dict[str, Any]:
    """A vacancy's data with pattern-shaped personal data out of its free text."""
    return _clean_fields(dict(data), VACANCY_TEXT_FIELDS, VACANCY_LIST_FIELDS, [])


def clean_employer(data: Mapping[str, Any]) -> dict[str, Any]:
    """An employer's data with pattern-shaped personal data out of its name."""
    return _clean_fields(dict(data), ("name",), (), [])
