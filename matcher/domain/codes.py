"""Check characters of the national identifier codes, as small pure functions.

- 统一社会信用代码: GB 32100-2015, 18 characters, modulus-31 check character.
- 公民身份号码: GB 11643-1999, 18 characters, ISO 7064 MOD 11-2 check digit.
- Mobile phone numbers: 11 digits starting 13–19 (MIIT numbering plan), optional +86.
"""

from __future__ import annotations

import datetime as dt
import re

CREDIT_CODE_CHARSET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
"""The 31 characters GB 32100 allows (no I, O, Z, S, V)."""
_CREDIT_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
_CREDIT_PATTERN = re.compile(r"[0-9A-HJ-NPQRTUWXY]{2}\d{6}[0-9A-HJ-NPQRTUWXY]{10}")
_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10X98765432"
_ID_PATTERN = re.compile(r"\d{17}[\dX]")
_MOBILE_PATTERN = re.compile(r"1[3-9]\d{9}")


def credit_code_check_char(first17: str) -> str:
    """Check character for the first 17 characters of a 统一社会信用代码 (GB 32100-2015 §5)."""
    total = sum(
        CREDIT_CODE_CHARSET.index(char) * weight
        for char, weight in zip(first17, _CREDIT_WEIGHTS, strict=True)
    )
    return CREDIT_CODE_CHARSET[(31 - total % 31) % 31]


def credit_code_problem(code: str) -> str | None:
    """Why ``code`` is not a valid 统一社会信用代码, or ``None`` when it is."""
    if len(code) != 18:
        return f"must have 18 characters, got {len(code)}"
    if not _CREDIT_PATTERN.fullmatch(code):
        return "has characters GB 32100 does not allow (digits and A–Y without I, O, S, V, Z)"
    expected = credit_code_check_char(code[:17])
    if code[17] != expected:
        return f"check character is {code[17]!r}, GB 32100 gives {expected!r}"
    return None


def id_number_check_digit(first17: str) -> str:
    """Check digit for the first 17 digits of a 公民身份号码 (GB 11643-1999, ISO 7064 MOD 11-2)."""
    total = sum(int(char) * weight for char, weight in zip(first17, _ID_WEIGHTS, strict=True))
    return _ID_CHECK[total % 11]


def id_number_problem(number: str, *, today: dt.date | None = None) -> str | None:
    """Why ``number`` is not a valid 18-digit 公民身份号码, or ``None`` when it is.

    Never echoes the number itself: it is personal data.
    """
    if len(number) != 18:
        return f"must have 18 characters, got {len(number)}"
    if not _ID_PATTERN.fullmatch(number):
        return "must be 17 digits followed by a digit or X"
    try:
        birth = dt.date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        return "birth date (characters 7–14) is not a real date"
    if birth < dt.date(1900, 1, 1) or birth > (today or dt.date.today()):
        return "birth date (characters 7–14) is out of range"
    if number[17] != id_number_check_digit(number[:17]):
        return "check digit does not match (GB 11643)"
    return None


def normalize_mobile(phone: str) -> str:
    """Strip spaces, dashes and a +86/0086 prefix from a mobile number."""
    digits = re.sub(r"[\s\-()]", "", phone)
    for prefix in ("+86", "0086"):
        if digits.startswith(prefix):
            digits = digits[len(prefix) :]
    return digits


def mobile_problem(phone: str) -> str | None:
    """Why ``phone`` is not a mainland mobile number, or ``None`` when it is."""
    if not _MOBILE_PATTERN.fullmatch(normalize_mobile(phone)):
        return "must be an 11-digit mainland mobile number starting 13–19"
    return None
