"""The domain dictionary for the tokenizer, built from the shipped reference tables.

Words: 大典 2022 occupation names and work types, market job titles and skills (the curated
title table), majors, certificates and their aliases, place names (provinces, cities, counties,
Suining's towns and parks), priority groups, campaign names, and ``domain_words.csv`` (welfare,
schedule, industry and skill terms). Synonyms: ``synonyms.csv`` plus every certificate alias →
the certificate's name, so 电工证 and 低压电工证 become one token.
"""

from __future__ import annotations

import csv
import gzip
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from features.parsers import PlaceFinder
from features.resume import LexiconEntry, PhraseKind, ResumeVocabulary
from features.text import DomainTokenizer, normalize
from features.vectorize import DocumentFrequencies
from matcher.domain.campaigns import load_campaigns
from matcher.reference import (
    certificates,
    local_titles,
    majors,
    occupations,
    priority_groups,
    regions,
)
from matcher.reference.tables import SUINING_CITY_CODE, SUINING_COUNTY_CODES

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


TEXT_DF_FILE = REFERENCE / "text_df.csv.gz"
"""Document frequencies of words and character n-grams in real postings
(``python -m matcher.intake.build_text_stats``)."""
TEXT_DF_NGRAM_RANGE = (1, 2)
"""The character n-gram lengths counted there (``CharTfidfVectorizer``'s default)."""


@cache
def text_priors(path: Path = TEXT_DF_FILE) -> tuple[DocumentFrequencies, DocumentFrequencies]:
    """(words, character n-grams) document frequencies of the real postings (the table at
    ``path``), the prior the vectorisers of a model are fitted with (``fit(..., prior=...)``)."""
    n_documents = 0
    tables: dict[str, dict[str, int]] = {"word": {}, "char": {}}
    with gzip.open(path, "rt", encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            if row["kind"] == "documents":
                n_documents = int(row["df"])
            else:
                tables[row["kind"]][row["term"]] = int(row["df"])
    return (
        DocumentFrequencies.from_counts(n_documents, tables["word"]),
        DocumentFrequencies.from_counts(n_documents, tables["char"], TEXT_DF_NGRAM_RANGE),
    )


# --- résumé reading: the walk-in lexicon, related occupations, the vocabulary -----------------


@dataclass(frozen=True, slots=True)
class RelatedOccupation:
    """A curated link between two 大典 occupations (undirected), 0 < strength ≤ 1, and why."""

    code_a: str
    code_b: str
    strength: float
    reason: str


def _lexicon_kind(kind: str) -> PhraseKind:
    if kind not in ("job", "generic", "setting"):
        raise ValueError(f"walkin_lexicon.csv: kind must be job, generic or setting, got {kind!r}")
    return kind  # type: ignore[return-value]


@cache
def walkin_lexicon() -> tuple[LexiconEntry, ...]:
    """How people say a job → 大典 code and skills (``reference/walkin_lexicon.csv``)."""
    return tuple(
        LexiconEntry(
            row["phrase"],
            row["occupation_code"],
            row["occupation_name"],
            tuple(skill.strip() for skill in row["skills"].split(";") if skill.strip()),
            row["reason"],
            _lexicon_kind(row["kind"]),
        )
        for row in _csv("walkin_lexicon.csv")
    )


@cache
def related_occupations() -> tuple[RelatedOccupation, ...]:
    """Curated occupation links (``reference/related_occupations.csv``); 大典 neighbours by
    code are not listed here."""
    return tuple(
        RelatedOccupation(row["code_a"], row["code_b"], float(row["strength"]), row["reason"])
        for row in _csv("related_occupations.csv")
    )


SPOKEN_GROUP_WORDS: dict[str, str] = {
    "退伍": "veteran",
    "退役": "veteran",
    "当过兵": "veteran",
    "转业": "veteran",
    "残疾": "disabled",
    "残疾证": "disabled",
    "残障": "disabled",
    "贫困户": "poverty_alleviated",
    "建档立卡": "poverty_alleviated",
    "脱贫": "poverty_alleviated",
    "退捕": "retired_fisher",
    "搬迁户": "relocated",
    "易地搬迁": "relocated",
    "安置点": "relocated",
    "应届": "fresh_graduate",
    "返乡": "returning_migrant",
    "零就业": "zero_employment_family",
    "就业困难": "employment_difficulty",
    "登记失业": "registered_unemployed",
    "农民工": "migrant_worker",
    "外出务工": "migrant_worker",
    "三支一扶": "sanzhi_yifu_expired",
}
"""How walk-ins name their priority group (besides the table's names and aliases)."""


CITY_STEMS_LEFT_OUT = frozenset({"中山", "黄山", "白山", "普洱", "阿里", "海东", "海南", "吉林"})
"""City names that without their 市 are ordinary words or other places (中山路, 黄山 the
mountain, 普洱 the tea, 吉林 the province): only their full names count."""


def _city_stem(name: str) -> str | None:
    """A city's name without its 市 when that still names the city (深圳市 → 深圳), else None
    (a two-character name, or one of :data:`CITY_STEMS_LEFT_OUT`)."""
    stem = name[:-1]
    if name.endswith("市") and len(stem) >= 2 and stem not in CITY_STEMS_LEFT_OUT:
        return stem
    return None


def resume_places() -> dict[str, str]:
    """Place name → region code for résumé reading: Suining's counties (also without 区/县/市),
    towns (→ their county), parks and their aliases, 遂宁 itself and Sichuan's other cities."""
    table = regions()
    places: dict[str, str] = {}
    for region in table.by_code.values():
        if region.code.startswith("51") and region.level == "city":
            places[region.name] = region.code
            if (stem := _city_stem(region.name)) is not None:
                places[stem] = region.code
    for code in SUINING_COUNTY_CODES:
        name = table.by_code[code].name
        places[name] = code
        places[name[:-1]] = code
    for town, county in table.towns.values():
        places.setdefault(town, county)
    for region in table.by_code.values():
        if region.level == "park" and region.parent == SUINING_CITY_CODE:
            for name in (region.name, *region.aliases):
                places[name] = region.code
    return places


TOWN_STEMS_LEFT_OUT = frozenset(
    {
        # ordinary words and names: 平安 (the insurer), 中兴, 明星, 吉祥, 三家公司, 河边打鱼 …
        *("中兴", "仁和", "凤凰", "吉祥", "复兴", "平安", "常乐", "明星", "明月", "天仙"),
        *("太乙", "永兴", "嘉禾", "新桥", "金桥", "高升", "群利", "聚贤", "大石", "红江"),
        *("普安", "会龙", "三家", "唐家", "分水", "回马", "河边", "荷叶", "桂花", "槐花", "常理"),
        *("白马", "石洞", "灵泉", "龙凤", "鸣凤", "东岳", "大榆", "金元", "盐井", "广德"),
        # places elsewhere: 新会 (江门), 蓬莱 (烟台), 象山 (宁波), 横山 (榆林), 武安, 赤城 …
        *("新会", "蓬莱", "象山", "香山", "横山", "武安", "赤城", "西宁", "金华", "安居"),
    }
)
"""Stems of 遂宁's towns that are ordinary words or other places: only their full names count
(``白马镇``, not 白马)."""


@cache
def town_stems() -> dict[str, str]:
    """A 遂宁 town or street as people name it, without 镇, 乡 or 街道 (我家在沱牌, 住在磨溪,
    镇江寺那边) → its county: the stems that name one town and no road (育才路), except
    :data:`TOWN_STEMS_LEFT_OUT`. For résumés only: a posting names its town in full."""
    counties: dict[str, set[str]] = {}
    for town, county in regions().towns.values():
        stem = re.sub(r"(?:街道|镇|乡)$", "", town)
        if stem != town and len(stem) >= 2 and not stem.endswith("路"):
            counties.setdefault(stem, set()).add(county)
    return {
        stem: next(iter(found))
        for stem, found in counties.items()
        if len(found) == 1 and stem not in TOWN_STEMS_LEFT_OUT
    }


MUNICIPALITIES = frozenset({"11", "12", "31", "50"})
"""北京, 天津, 上海, 重庆: provinces in the code table, cities in a posting (``北京-海淀区``)."""


PROVINCE_SUFFIXES = ("维吾尔自治区", "壮族自治区", "回族自治区", "自治区", "省", "市")


@cache
def far_places() -> dict[str, str]:
    """Place name → region code for where a seeker from 遂宁 says they would also work, outside
    Sichuan: every province (广东, 广西 …) and municipality (重庆, 北京 …) with and without its
    suffix, and every city (深圳, 东莞 …; also without 市, except :data:`CITY_STEMS_LEFT_OUT`).
    The résumé reader takes them as wishes only, never as a home (see
    :func:`features.resume.parse_resume`)."""
    table = regions()
    places: dict[str, str] = {}
    for region in table.by_code.values():
        if region.code.startswith("51"):
            continue
        if region.level == "province":
            places[region.name] = region.code
            for suffix in PROVINCE_SUFFIXES:
                if region.name.endswith(suffix) and len(region.name) - len(suffix) >= 2:
                    short = region.name[: -len(suffix)]
                    if short not in CITY_STEMS_LEFT_OUT:
                        places[short] = region.code
                    break
        elif region.level == "city" and region.name != "市辖区" and region.name.endswith("市"):
            places.setdefault(region.name, region.code)
            if (stem := _city_stem(region.name)) is not None:
                places.setdefault(stem, region.code)
    return places


@cache
def posting_places() -> dict[str, str]:
    """Place name → region code for reading where a posting is: the four municipalities and
    every city of China (also without 市, except :data:`CITY_STEMS_LEFT_OUT`), every county
    whose full name is unique in China, and the résumé places (:func:`resume_places`: 遂宁's
    counties, towns and parks)."""
    table = regions()
    places: dict[str, str] = {}
    counties: dict[str, list[str]] = {}
    for region in table.by_code.values():
        if region.level == "province" and region.code in MUNICIPALITIES:
            places[region.name] = places[region.name[:-1]] = region.code
        elif region.level == "city":
            places[region.name] = region.code
            if (stem := _city_stem(region.name)) is not None:
                places.setdefault(stem, region.code)
        elif region.level == "county":
            counties.setdefault(region.name, []).append(region.code)
    for name, codes in counties.items():
        if len(codes) == 1 and len(name) >= 3:
            places.setdefault(name, codes[0])
    places.update(resume_places())
    return places


@cache
def posting_place_finder() -> PlaceFinder:
    """The process-wide :class:`~features.parsers.PlaceFinder` over :func:`posting_places`."""
    return PlaceFinder(posting_places())


@cache
def resume_vocabulary() -> ResumeVocabulary:
    """The process-wide :class:`~features.resume.ResumeVocabulary` from the shipped tables (built
    on first use): the walk-in lexicon, the occupation title matcher, certificate aliases and
    licence classes, places, skill words and priority-group words."""
    from matcher.intake.completion import certificate_aliases
    from matcher.intake.occupations import occupation_matcher

    groups: dict[str, str] = {}
    for code, group in priority_groups().items():
        for word in (group.name, *group.aliases):
            if "“" not in word:
                groups[word] = code
    groups.update(SPOKEN_GROUP_WORDS)
    licences = {
        certificate.name[:2]: code
        for code, certificate in certificates().items()
        if code.startswith("driving_")
    }
    skills = [skill for local in local_titles() for skill in local.skills]
    skills += [row["word"] for row in _csv("domain_words.csv") if row["kind"] == "skill"]
    skills += [row["word"] for row in _csv("skill_words.csv")]
    return ResumeVocabulary(
        lexicon=walkin_lexicon(),
        title_matcher=occupation_matcher(),
        occupation_names={code: occupation.name for code, occupation in occupations().items()},
        certificate_aliases=certificate_aliases(),
        places={**far_places(), **town_stems(), **resume_places()},
        skills=skills,
        priority_groups=groups,
        driving_licences=licences,
    )
