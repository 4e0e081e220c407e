"""Personal data in free text: redacted before it is stored or tokenised.

Structured contact data already lives apart (:class:`matcher.domain.records.Contact`); this handles
the phone numbers, 身份证号, e-mails, QQ/WeChat ids and street addresses people type into résumés
and postings — and into the short free-text fields (skills, desired titles, major, certificates,
disability needs; a vacancy's title, skills and welfare; an employer's name), which are returned
to callers and shown to employers in candidate summaries. Two steps, on every entry point that
stores or scores records (file import, the API's writes and inline records):

- :func:`clean_seeker` / :func:`clean_vacancy` / :func:`clean_employer` on the raw data, before
  validation: every free-text field through :func:`features.redact.redact`, and the seeker's
  *own* contact values (name, phone, 身份证号, address) replaced wherever they appear in the
  seeker's free text, whatever separators or widths are written inside them — a name cannot be
  recognised by pattern, but it can be when the caller says what it is. The values are those
  sent with the seeker *and* those of the contact already stored for it (the importer looks it
  up), so a later write without the contact keeps them out too;
- :func:`redact_record` on the validated record (résumé and description; counted for reports).

The contact object itself is stored apart, never returned or ranked on. Redacting again changes
nothing.
"""

from __future__ import annotations

import bisect
import re
from collections import Counter
from collections.abc import Mapping, Sequence
from typing import Any, TypeVar

from pydantic import BaseModel

from features.redact import MAX_TEXT_CHARS, PII_PLACEHOLDERS, redact
from features.text import fold_width
from matcher.domain.codes import normalize_mobile
from matcher.domain.records import Seeker, Vacancy
from matcher.errors import FieldProblem, InvalidRecord

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


def _contact_values(*contacts: Mapping[str, Any] | None) -> list[tuple[str, str]]:
    """(value, placeholder) for the contacts' own values, separators taken out, longest first."""
    pairs: set[tuple[str, str]] = set()
    for contact in contacts:
        if not contact:
            continue
        name = _skeleton_of(contact.get("name"))
        if len(name) >= 2:
            pairs.add((name, NAME_PLACEHOLDER))
        phone = contact.get("phone")
        if isinstance(phone, str) and phone.strip():
            for value in (_skeleton_of(phone), _skeleton_of(normalize_mobile(phone))):
                if len(value) >= 5:
                    pairs.add((value, PII_PLACEHOLDERS["mobile"]))
        id_number = _skeleton_of(contact.get("id_number"))
        if len(id_number) >= 6:
            for variant in (id_number, id_number.upper(), id_number.lower()):
                pairs.add((variant, PII_PLACEHOLDERS["id_number"]))
        address = _skeleton_of(contact.get("address"))
        if len(address) >= 2:
            pairs.add((address, PII_PLACEHOLDERS["address"]))
    return sorted(pairs, key=lambda pair: (-len(pair[0]), pair))


_KEPT = re.compile(r"[^\s\-.·・/_()]+")
"""Runs of characters that are not separators: a contact value is found in the text with its
spaces, dashes, dots, slashes and brackets taken out (``139 1234 5678``, ``139.1234.5678``,
``王 建国``), after full-width forms are folded (``１３９…``)."""


def _skeleton_of(value: object) -> str:
    if not isinstance(value, str):
        return ""
    return "".join(_KEPT.findall(fold_width(value)))


def _kind_of(placeholder: str) -> str:
    if placeholder == NAME_PLACEHOLDER:
        return "name"
    return next(kind for kind, shown in PII_PLACEHOLDERS.items() if shown == placeholder)


def _replace_known(text: str, known: Sequence[tuple[str, str]], counts: Counter[str] | None) -> str:
    """``text`` with every occurrence of a ``known`` value replaced by its placeholder, also
    when separators or full-width digits are written inside it (one pass per value, in C)."""
    chunks = [(match.start(), match.group()) for match in _KEPT.finditer(fold_width(text))]
    skeleton = "".join(chunk for _, chunk in chunks)
    if not any(value in skeleton for value, _ in known):
        return text
    chunk_starts: list[int] = []  # where each chunk starts in the skeleton
    position = 0
    for _, chunk in chunks:
        chunk_starts.append(position)
        position += len(chunk)

    def original(index: int) -> int:
        """Offset in ``text`` of the skeleton's character ``index``."""
        chunk = bisect.bisect_right(chunk_starts, index) - 1
        return chunks[chunk][0] + index - chunk_starts[chunk]

    taken = [False] * len(skeleton)
    spans: list[tuple[int, int, str]] = []
    for value, placeholder in known:  # longest first: a longer value wins an overlap
        start = skeleton.find(value)
        while start != -1:
            end = start + len(value)
            if not any(taken[start:end]):
                taken[start:end] = [True] * (end - start)
                spans.append((original(start), original(end - 1) + 1, placeholder))
                if counts is not None:
                    counts[_kind_of(placeholder)] += 1
            start = skeleton.find(value, end)
    pieces: list[str] = []
    cursor = 0
    for start, end, placeholder in sorted(spans):
        pieces.append(text[cursor:start])
        pieces.append(placeholder)
        cursor = end
    pieces.append(text[cursor:])
    return "".join(pieces)


def clean_text(
    text: str,
    known: Sequence[tuple[str, str]] = (),
    counts: Counter[str] | None = None,
    *,
    field: str = "",
) -> str:
    """``text`` with the ``known`` values replaced and pattern-shaped personal data redacted;
    what was replaced is added to ``counts`` by kind when given.

    A text longer than :data:`features.redact.MAX_TEXT_CHARS` (more than any free-text field
    may hold) raises :class:`InvalidRecord` naming ``field``, before any pattern reads it."""
    if len(text) > MAX_TEXT_CHARS:
        problem = f"{len(text):,} characters; free text has at most {MAX_TEXT_CHARS:,}"
        raise InvalidRecord("record", [FieldProblem(field, problem)])
    if known:
        text = _replace_known(text, known, counts)
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
            data[name] = clean_text(data[name], known, counts, field=name)
    for name in list_fields:
        if isinstance(data.get(name), list):
            data[name] = [
                clean_text(v, known, counts, field=name) if isinstance(v, str) else v
                for v in data[name]
            ]
    return data


def clean_seeker(
    data: Mapping[str, Any],
    contact: Mapping[str, Any] | None,
    counts: Counter[str] | None = None,
    *,
    stored_contact: Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    """A seeker's data (without its contact) with personal data out of its free text.

    The values of ``contact`` (sent with the seeker) and of ``stored_contact`` (the contact
    the store already holds for this seeker) are both redaction terms: a seeker's own name,
    phone and 身份证号 stay out of every later write, whether or not it carries the contact.
    """
    known = _contact_values(contact, stored_contact)
    cleaned = _clean_fields(dict(data), SEEKER_TEXT_FIELDS, SEEKER_LIST_FIELDS, known, counts)
    disability = cleaned.get("disability")
    if isinstance(disability, dict) and isinstance(disability.get("needs"), list):
        needs = [
            clean_text(v, known, counts, field="disability.needs") if isinstance(v, str) else v
            for v in disability["needs"]
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
    *,
    stored_contact: Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    """Raw data of an import kind (``seekers``, ``vacancies``, ``employers``; others as given)
    with personal data out of its free text (replacements added to ``counts``); for a seeker,
    the values of the contact sent with it and of its ``stored_contact`` are redacted too."""
    if kind == "seekers":
        return clean_seeker(data, contact, counts, stored_contact=stored_contact)
    if kind == "vacancies":
        return clean_vacancy(data, counts)
    if kind == "employers":
        return clean_employer(data, counts)
    return dict(data)
