"""The domain dictionary for the tokenizer, built from the shipped reference tables.

Words: 大典 2022 occupation names and work types, market job titles and skills (the curated
title table), majors, certificates and their aliases, place names (provinces, cities, counties,
Suining's towns and parks), priority groups, campaign names, and ``domain_words.csv`` (welfare,
schedule, industry and skill terms). Synonyms: ``synonyms.csv`` plus every certificate alias →
the certificate's name, so 电工证 and 低压电工证 become one token.
"""

from __future__ import annotations

import csv
from functools import cache
from pathlib import Path

from features.text import DomainTokenizer, normalize
from matcher.domain.campaigns import load_campaigns
from matcher.reference import (
    certificates,
    local_titles,
    majors,
    occupations,
    priority_groups,
    regions,
)

REFERENCE = Path(__file__).parent.parent / "reference"
_SKIP_REGION_NAMES = frozenset({"市辖区", "县", "省直辖县级行政区划", "自治区直辖县级行政区划"})
MAX_WORD_LENGTH = 16
"""Longer names (some 大典 titles) would only ever match themselves; they are left to jieba."""


def _csv(name: str) -> list[dict[str, str]]:
    with (REFERENCE / name).open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


WEIGHTS = {
    "title": 3_000,
    "occupation": 2_000,
    "certificate": 3_000,
    "group": 3_000,
    "place": 2_000,
    "town": 500,
    "major": 500,
    "term": 1_000,
    "skill": 100,
    "work_type": 50,
}
"""Minimum jieba frequency per kind of word (jieba's own run to a few thousand): titles,
certificates and groups win over overlapping skill phrases and work types."""


def domain_words() -> list[tuple[str, int]]:
    """Every (word, minimum frequency) of the domain dictionary, normalised, first kind wins."""
    table = regions()
    entries: list[tuple[str, str]] = []
    entries += [(local.title, "title") for local in local_titles()]
    entries += [(name, "title") for name in _synonym_rows()]
    entries += [(c.name, "certificate") for c in certificates().values()]
    entries += [(alias, "certificate") for c in certificates().values() for alias in c.aliases]
    for group in priority_groups().values():
        entries.append((group.name, "group"))
        entries += [(alias, "group") for alias in group.aliases if "“" not in alias]
    entries += [(campaign.short_name, "group") for campaign in load_campaigns().values()]
    entries += [(o.name, "occupation") for o in occupations().values()]
    entries += [
        (region.name, "place")
        for region in table.by_code.values()
        if region.name not in _SKIP_REGION_NAMES
    ]
    entries += [(alias, "place") for region in table.by_code.values() for alias in region.aliases]
    entries += [(name, "town") for name, _ in table.towns.values()]
    entries += [(major, "major") for major in majors()]
    entries += [(row["word"], "term") for row in _csv("domain_words.csv")]
    entries += [(skill, "skill") for local in local_titles() for skill in local.skills]
    entries += [(w, "work_type") for o in occupations().values() for w in o.work_types]
    seen: set[str] = set()
    result: list[tuple[str, int]] = []
    for word, kind in entries:
        normal = normalize(word)
        if normal and normal not in seen and len(normal) <= MAX_WORD_LENGTH and " " not in normal:
            seen.add(normal)
            result.append((normal, WEIGHTS[kind]))
    return result


def _synonym_rows() -> list[str]:
    rows = _csv("synonyms.csv")
    return [row["variant"] for row in rows] + [row["canonical"] for row in rows]


def domain_synonyms() -> dict[str, str]:
    """Variant → canonical token: the synonyms table and certificate aliases → names."""
    rows = _csv("synonyms.csv")
    synonyms = {normalize(row["variant"]): normalize(row["canonical"]) for row in rows}
    for certificate in certificates().values():
        for alias in certificate.aliases:
            synonyms.setdefault(normalize(alias), normalize(certificate.name))
    return {variant: canonical for variant, canonical in synonyms.items() if variant != canonical}


@cache
def domain_tokenizer() -> DomainTokenizer:
    """The process-wide tokenizer used by training, batch and serving (built on first use)."""
    return DomainTokenizer(domain_words(), domain_synonyms())
