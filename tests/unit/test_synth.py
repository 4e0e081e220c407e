"""The synthetic data generator: determinism, coherent profiles, text ↔ fields, funnel, store."""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import json
import random
import re
import subprocess
import sys
from collections import Counter, defaultdict
from pathlib import Path

import numpy as np
import pytest

from features.resume import parse_resume
from matcher.domain.campaigns import load_campaigns
from matcher.domain.codes import credit_code_problem, id_number_problem, mobile_problem
from matcher.domain.records import Employer, Fair, InteractionKind, Seeker, Vacancy
from matcher.intake.lexicon import resume_vocabulary, walkin_lexicon
from matcher.reference import (
    EducationLevel,
    certificates,
    industries,
    occupations,
    parse_education,
    priority_groups,
    regions,
)
from matcher.storage.store import Store
from matcher.synth import (
    AREA_CODES,
    INTERACTION_COLUMNS,
    SOURCES,
    TITLES,
    Dataset,
    Oracle,
    default_employer_count,
    generate,
    generate_dataset,
)
from matcher.synth.schedule import REFERENCE_YEAR
from matcher.synth.spoken import (
    chinese_number,
    formal_names,
    minor_group,
    phrase_form,
    spoken_age,
    spoken_phrases,
    spoken_years,
)
from matcher.synth.utility import Funnel
from matcher.synth.vacancies import REQUIREMENT_HEADERS

ROOT = Path(__file__).parent.parent.parent
GRADUATE_GROUPS = {"fresh_graduate", "unemployed_graduate", "sanzhi_yifu_expired"}
AREA_NAMES_FULL = ("船山区", "安居区", "蓬溪县", "大英县", "射洪市")
FORBIDDEN_WORDS = ("男", "女", "乙肝", "已婚", "未婚", "已育", "户籍", "户口", "民族", "身高")

# --- a small parser for the formats the generator writes -----------------------------------

SALARY_FORMATS = (
    (re.compile(r"(\d+)-(\d+)元"), 1),
    (re.compile(r"(\d+)-(\d+)千/月"), 1000),
    (re.compile(r"(\d+)千-(\d+)千"), 1000),
    (re.compile(r"(\d+)-(\d+)K"), 1000),
)
EDUCATION_WORD = re.compile(r"学历不限|初中|高中/中专|高中|中专|大专|本科|硕士|博士")
EXPERIENCE = re.compile(r"(\d+)年(?:及)?以上")
AGE = re.compile(r"(\d+)\s?(?:-|~|至)\s?(\d+)\s?周?岁")
HEADCOUNT = re.compile(r"招(?:聘)?(?:人数：)?(\d+)(?:人|名)")
REQUIREMENTS = re.compile("|".join(REQUIREMENT_HEADERS))


def parse_salaries(text: str) -> list[tuple[int, int]]:
    """Every monthly salary range written in ``text``, in CNY."""
    found = []
    for pattern, unit in SALARY_FORMATS:
        found += [(int(low) * unit, int(high) * unit) for low, high in pattern.findall(text)]
    return found


def requirements_of(description: str) -> str:
    """The text from the requirements header (任职要求, 岗位要求 …) on: duties may name school
    levels (初中)."""
    header = REQUIREMENTS.search(description)
    assert header is not None, description
    return description[header.start() :]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2.1年以上相关工作经验", ["1"]),
        ("具有2年及以上物流行业工作经验", ["2"]),
        ("经验不限", []),
    ],
)
def test_experience_parser(text: str, expected: list[str]) -> None:
    assert EXPERIENCE.findall(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("年龄18-45岁", [("18", "45")]),
        ("年龄在18至45周岁之间", [("18", "45")]),
        ("年龄18~50岁", [("18", "50")]),
        ("工作时间8:00-17:00", []),
    ],
)
def test_age_parser(text: str, expected: list[tuple[str, str]]) -> None:
    assert AGE.findall(text) == expected


# --- what a résumé states, as the generator writes it ----------------------------------------

CN_DIGITS = {c: i for i, c in enumerate("零一二三四五六七八九")} | {"两": 2}
EDUCATION_LEVELS = {
    "小学": 1,
    "初中": 1,
    "高中": 2,
    "中专": 2,
    "技校": 2,
    "职高": 2,
    "大专": 3,
    "专科": 3,
    "高职": 3,
    "本科": 4,
    "大学本科": 4,
    "硕士": 5,
    "硕士研究生": 5,
    "博士": 6,
    "博士研究生": 6,
}
_EDUCATION_WORDS = "|".join(sorted(EDUCATION_LEVELS, key=len, reverse=True))
STATED_EDUCATION = re.compile(
    rf"(?:学历：|文化程度：|读过|读的|只读过)({_EDUCATION_WORDS})"
    rf"|({_EDUCATION_WORDS})(?:学历|毕业|文化|没毕业)"
)
"""How résumés state the education held: 学历：大专, 高中毕业, 初中文化, 读过高中."""
STATED_YEARS = re.compile(r"工作年限：(\d+)年|(\d+)年工作经验|工龄(\d+)年")
"""A written résumé's total years of work."""
SPOKEN_YEARS = re.compile(
    r"(?<![0-9零一二两三四五六七八九十几])([0-9]{1,2}|[零一二两三四五六七八九十几]{1,3})(多)?年"
)
"""A duration in walk-in speech: 五年, 十几年, 二十多年, 七八年, 12年."""
DATE_RANGE = re.compile(r"(?:19|20)\d{2}(?:年\d{1,2}月|\.\d{2})?\s?(?:-|—|至)")
STATED_AGE = re.compile(r"年龄：(\d+)岁|^(\d+)岁|[，；](\d+)岁")
STATED_BIRTH = re.compile(r"(\d{4})年生|出生年份：(\d{4})年")
SPOKEN_AGE = re.compile(
    r"快([二三四五六七]十)了|([二三四五六七]十[一二三四五六七八九]?|[0-9]{2})(多)?岁"
)
STATED_SALARY = re.compile(
    r"期望(?:月薪|薪资)：?(\d{4,5})元|月薪期望(\d{4,5})元|期望薪资：(\d{4,5})元"
)
SPOKEN_SALARY = re.compile(
    r"([两一二三四五六七八九])千([一二三四五六七八九])?(多)?|(\d{4,5})(?=以上|左右|就行)"
)


def chinese_count(token: str) -> tuple[int, int]:
    """The least and most a spoken count means: 五 → (5, 5), 十几 → (11, 19), 七八 → (7, 8),
    二十 → (20, 20), 12 → (12, 12)."""
    if token.isdigit():
        return int(token), int(token)
    if token == "十几":
        return 11, 19
    if len(token) == 2 and token[0] in CN_DIGITS and token[1] in CN_DIGITS:
        return CN_DIGITS[token[0]], CN_DIGITS[token[1]]
    value = 0
    if "十" in token:
        tens, _, units = token.partition("十")
        value = (CN_DIGITS[tens] if tens else 1) * 10 + (CN_DIGITS[units] if units else 0)
    else:
        value = CN_DIGITS[token]
    return value, value


def covers(token: str, more: bool, true: float) -> bool:
    low, most = chinese_count(token)
    high: float = most
    if more:
        high = low + 9 if low >= 10 else low + 0.99
    return low <= true <= high


def test_chinese_counts_as_read_here() -> None:
    assert chinese_count("五") == (5, 5)
    assert chinese_count("十几") == (11, 19)
    assert chinese_count("七八") == (7, 8)
    assert chinese_count("四十二") == (42, 42)
    assert chinese_count("十二") == (12, 12)
    assert covers("二十", True, 27) and not covers("二十", True, 31)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("薪资：4000-6000元/月", [(4000, 6000)]),
        ("月薪6-8千/月", [(6000, 8000)]),
        ("综合薪资4千-6千，多劳多得", [(4000, 6000)]),
        ("薪资：10-15K", [(10000, 15000)]),
        ("工资待遇：4500-6500元（底薪+绩效）", [(4500, 6500)]),
        ("年龄18-45岁", []),
    ],
)
def test_salary_parser(text: str, expected: list[tuple[int, int]]) -> None:
    assert parse_salaries(text) == expected


# --- fixtures ------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def small() -> Dataset:
    return generate_dataset(seekers=300, vacancies=60, seed=11)


@pytest.fixture(scope="module")
def medium() -> Dataset:
    return generate_dataset(seekers=3000, vacancies=500, seed=5)


def fingerprint(dataset: Dataset) -> str:
    digest = hashlib.sha256()
    for records in (dataset.employers, dataset.vacancies, dataset.seekers, dataset.contacts):
        for record in records:
            digest.update(record.model_dump_json().encode())
    for row in dataset.interactions:
        digest.update(json.dumps(row, ensure_ascii=False).encode())
    return digest.hexdigest()


# --- determinism ---------------------------------------------------------------------------


def test_same_seed_gives_the_same_data(small: Dataset) -> None:
    again = generate_dataset(seekers=300, vacancies=60, seed=11)
    assert fingerprint(again) == fingerprint(small)
    assert again.interactions == small.interactions


def test_another_seed_gives_other_data(small: Dataset) -> None:
    other = generate_dataset(seekers=300, vacancies=60, seed=12)
    assert [s.resume_text for s in other.seekers] != [s.resume_text for s in small.seekers]
    assert [e.credit_code for e in other.employers] != [e.credit_code for e in small.employers]
    assert other.interactions != small.interactions


@pytest.mark.slow
def test_data_do_not_depend_on_hash_randomisation() -> None:
    script = (
        "from tests.unit.test_synth import fingerprint\n"
        "from matcher.synth import generate_dataset\n"
        "print(fingerprint(generate_dataset(seekers=80, vacancies=20, seed=3)))\n"
    )
    digests = {
        subprocess.run(
            [sys.executable, "-c", script],
            cwd=ROOT,
            env={"PYTHONHASHSEED": hash_seed, "PATH": ""},
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
        for hash_seed in ("1", "2")
    }
    assert len(digests) == 1


def test_counts_and_default_employers(small: Dataset) -> None:
    assert len(small.seekers) == 300
    assert len(small.contacts) == 300
    assert len(small.vacancies) == 60
    assert len(small.employers) == default_employer_count(60) == 8
    assert default_employer_count(10) == 5
    assert default_employer_count(20000) == 2500
    explicit = generate_dataset(seekers=20, vacancies=30, seed=1, employers=12)
    assert len(explicit.employers) == 12


@pytest.mark.parametrize(
    ("arguments", "error", "message"),
    [
        ({"seekers": 0, "vacancies": 10}, ValueError, "seekers must be at least 1, got 0"),
        ({"seekers": 10, "vacancies": -1}, ValueError, "vacancies must be at least 1"),
        ({"seekers": 10, "vacancies": 10, "employers": 0}, ValueError, "employers must be"),
        ({"seekers": 10.5, "vacancies": 10}, TypeError, "seekers must be an int"),
        ({"seekers": 10, "vacancies": 10, "seed": -3}, ValueError, "seed must be 0 or more"),
        ({"seekers": 10, "vacancies": 10, "seed": "7"}, TypeError, "seed must be an int"),
    ],
)
def test_bad_arguments_are_refused(
    arguments: dict[str, object], error: type[Exception], message: str
) -> None:
    with pytest.raises(error, match=message):
        generate_dataset(**{"seed": 1, **arguments})  # type: ignore[arg-type]


# --- seekers -------------------------------------------------------------------------------


def test_every_priority_group_is_present(small: Dataset) -> None:
    present = {group for seeker in small.seekers for group in seeker.priority_groups}
    assert present == set(priority_groups())


def test_about_a_third_of_seekers_belong_to_no_group(medium: Dataset) -> None:
    share = sum(not seeker.priority_groups for seeker in medium.seekers) / len(medium.seekers)
    assert 0.28 < share < 0.42


def test_profiles_are_coherent(medium: Dataset) -> None:
    year = dt.date.today().year
    for seeker in medium.seekers:
        groups = set(seeker.priority_groups)
        assert seeker.experience_years <= seeker.age - 14
        if groups & GRADUATE_GROUPS:
            assert seeker.age <= 35, seeker.id
            assert seeker.education >= EducationLevel.JUNIOR_COLLEGE
            assert seeker.major
        if "fresh_graduate" in groups:
            assert seeker.experience_years == 0
        if "returning_migrant" in groups:
            assert seeker.age > 25
            assert seeker.experience_years >= 5
        if "disabled" in groups:
            assert seeker.disability is not None and seeker.disability.needs
        else:
            assert seeker.disability is None
        if "veteran" in groups:
            assert {"driving_c1", "driving_b2"} & set(seeker.certificates)
        if "retired_fisher" in groups:
            assert seeker.age >= 44  # 40 or more in 2022
        assert seeker.desired_titles and seeker.desired_occupations
        assert seeker.expected_salary is not None and seeker.expected_salary >= 2000
        assert seeker.region in ("510903", "510904", "510921", "510923", "510981")
        assert year - 75 <= seeker.birth_year <= year - 16


def test_graduates_are_young_and_returning_migrants_are_not(medium: Dataset) -> None:
    ages: dict[str, list[int]] = defaultdict(list)
    for seeker in medium.seekers:
        for group in seeker.priority_groups:
            ages[group].append(seeker.age)
    assert max(ages["fresh_graduate"]) - min(ages["fresh_graduate"]) <= 6
    assert sum(ages["returning_migrant"]) / len(ages["returning_migrant"]) > 40
    assert sum(ages["fresh_graduate"]) / len(ages["fresh_graduate"]) < 30


def test_disabled_seekers_want_suitable_posts(medium: Dataset) -> None:
    suitable = {spec.title for spec in TITLES if spec.accessible}
    disabled = [s for s in medium.seekers if "disabled" in s.priority_groups]
    assert disabled
    for seeker in disabled:
        assert set(seeker.desired_titles) <= suitable, seeker.desired_titles


def is_walkin(seeker: Seeker) -> bool:
    """Walk-in speech is one line; a written résumé has several."""
    return "\n" not in seeker.resume_text


def test_resumes_hold_no_personal_data(medium: Dataset) -> None:
    contacts = {contact.seeker_id: contact for contact in medium.contacts}
    for seeker in medium.seekers:
        text = seeker.resume_text
        assert not re.search(r"\d{7,}", text), text
        contact = contacts[seeker.id]
        assert contact.name and contact.name not in text
        assert contact.phone and contact.phone not in text
        assert contact.id_number is None or contact.id_number not in text
        assert contact.address and contact.address not in text
        street = contact.address.removeprefix("四川省遂宁市")[3:]  # town and street or village
        assert street not in text
        assert not any(word in text for word in FORBIDDEN_WORDS), text


def test_written_resumes_have_sections_and_some_lack_a_wish(medium: Dataset) -> None:
    formal = [s.resume_text for s in medium.seekers if not is_walkin(s)]
    for text in formal:
        assert "工作经历" in text or "工作经验" in text, text
    with_wish = sum("求职意向" in text for text in formal) / len(formal)
    assert 0.7 < with_wish < 0.9
    with_skills = sum(("技能证书" in text or "技能特长" in text) for text in formal) / len(formal)
    assert with_skills > 0.8
    with_assessment = sum(("自我评价" in text or "自我介绍" in text) for text in formal)
    assert with_assessment / len(formal) > 0.75


def test_resumes_are_varied(medium: Dataset) -> None:
    formal = [s.resume_text for s in medium.seekers if not is_walkin(s)]
    walkin = [s.resume_text for s in medium.seekers if is_walkin(s)]
    first_lines = Counter(text.splitlines()[1][:6] for text in formal)
    assert len(first_lines) >= 4
    assert len(Counter(text[:4] for text in walkin)) > len(walkin) / 4
    assert len({seeker.resume_text for seeker in medium.seekers}) == len(medium.seekers)


def test_both_registers_in_their_shares(medium: Dataset) -> None:
    walkin = [is_walkin(seeker) for seeker in medium.seekers]
    assert 0.28 < sum(walkin) / len(walkin) < 0.42

    def share(test: object) -> float:
        chosen = [is_walkin(s) for s in medium.seekers if test(s)]  # type: ignore[operator]
        assert chosen
        return sum(chosen) / len(chosen)

    graduates = share(lambda s: set(s.priority_groups) & GRADUATE_GROUPS)
    rural = share(
        lambda s: set(s.priority_groups) & {"retired_fisher", "poverty_alleviated", "rural_labor"}
    )
    assert graduates < 0.1 < 0.5 < rural
    assert share(lambda s: s.age_on(dt.date(REFERENCE_YEAR, 6, 1)) >= 45) > 0.1 + share(
        lambda s: s.age_on(dt.date(REFERENCE_YEAR, 6, 1)) < 45
    )


def test_resume_lengths_are_like_real_ones(medium: Dataset) -> None:
    formal = [len(s.resume_text) for s in medium.seekers if not is_walkin(s)]
    walkin = [len(s.resume_text) for s in medium.seekers if is_walkin(s)]
    assert all(20 <= length <= 120 for length in walkin)
    within = sum(150 <= length <= 600 for length in formal) / len(formal)
    assert within > 0.95


def _without_certificates(text: str) -> str:
    words = {w for c in certificates().values() for w in (c.name, *c.aliases) if len(w) >= 3}
    for word in sorted(words, key=len, reverse=True):
        text = text.replace(word, "#")
    return text


def test_walkin_speech_names_jobs_as_people_say_them(medium: Dataset) -> None:
    """Walk-in texts mostly name no posted title (certificates aside: 保安证 is what it is);
    their wish is a lexicon phrase of a desired occupation or its 小类."""
    lexicon = sorted(walkin_lexicon(), key=lambda entry: -len(entry.phrase))
    walkin = [s for s in medium.seekers if is_walkin(s)]
    naming = sum(
        any(title in _without_certificates(s.resume_text) for title in s.desired_titles)
        for s in walkin
    )
    assert naming / len(walkin) < 0.2
    readable = 0
    for seeker in walkin:
        minors = {minor_group(code) for code in seeker.desired_occupations}
        said = {minor_group(e.occupation_code) for e in lexicon if e.phrase in seeker.resume_text}
        names = {n for t in seeker.desired_titles for n in (t, *formal_names(t))}
        readable += bool(said & minors) or any(name in seeker.resume_text for name in names)
    assert readable / len(walkin) > 0.95
    formal = [s for s in medium.seekers if not is_walkin(s)]
    aliased = sum(
        not any(title in _without_certificates(s.resume_text) for title in s.desired_titles)
        for s in formal
    )
    assert aliased / len(formal) > 0.02  # some written résumés name the job by an alias only


def _stated(pattern: re.Pattern[str], text: str) -> list[str]:
    return [next(group for group in found.groups() if group) for found in pattern.finditer(text)]


def test_resume_text_agrees_with_the_record(medium: Dataset) -> None:
    """Education, years, age, pay, certificates and places stated in a text are the record's;
    most texts state most of them."""
    table = certificates()
    words = sorted(
        ((w, code) for code, c in table.items() for w in (c.name, *c.aliases) if len(w) >= 3),
        key=lambda pair: -len(pair[0]),
    )
    counties = {name: code for code, name in zip(AREA_CODES, AREA_NAMES_FULL, strict=False)}
    stated: Counter[str] = Counter()
    for seeker in medium.seekers:
        text = seeker.resume_text
        walkin = is_walkin(seeker)
        assert seeker.birth_year and seeker.education and seeker.expected_salary
        assert seeker.experience_years is not None
        age = REFERENCE_YEAR - seeker.birth_year
        # education
        levels = {EDUCATION_LEVELS[word] for word in _stated(STATED_EDUCATION, text)}
        assert levels <= {int(seeker.education)}, (seeker.education, text)
        stated["education"] += bool(levels)
        # years of work
        if walkin:
            durations = SPOKEN_YEARS.findall(text)
            for token, more in durations:
                assert covers(token, bool(more), seeker.experience_years), text
        else:
            durations = _stated(STATED_YEARS, text)
            assert all(int(n) == seeker.experience_years for n in durations), text
        dated = not walkin and bool(DATE_RANGE.search(text))  # a work history with dates
        stated["experience"] += bool(durations) or dated or seeker.experience_years == 0
        # age
        if walkin:
            for near, token, more in SPOKEN_AGE.findall(text):
                if near:
                    assert chinese_count(near)[0] - 1 == age, text
                else:
                    assert covers(token, bool(more), age), text
        else:
            assert all(int(n) == age for n in _stated(STATED_AGE, text)), text
            assert all(int(y) == seeker.birth_year for y in _stated(STATED_BIRTH, text)), text
        # pay
        if walkin:
            for found in SPOKEN_SALARY.finditer(text):
                thousands, hundreds, more, digits = found.groups()
                if digits:
                    assert int(digits) == seeker.expected_salary, text
                    continue
                low = CN_DIGITS[thousands] * 1000 + (CN_DIGITS[hundreds] * 100 if hundreds else 0)
                assert low == seeker.expected_salary or (
                    more and low < seeker.expected_salary < low + 1000
                ), text
        else:
            for amount in _stated(STATED_SALARY, text):
                assert int(amount) == seeker.expected_salary, text
        # certificates named are held
        rest, named = text, set()
        for word, code in words:
            if word in rest:
                named.add(code)
                rest = rest.replace(word, "#")
        licence = re.findall(r"([ABC][12])驾照", text)
        named |= {f"driving_{cls.lower()}" for cls in licence}
        assert named <= set(seeker.certificates) | {"driving_c1"} & set(seeker.certificates), text
        if seeker.certificates:
            stated["certificates"] += named == set(seeker.certificates)
        # places: a walk-in names only the home county or desired areas
        if walkin:
            wanted = {seeker.region, *seeker.desired_regions}
            for name, code in counties.items():
                if name in text or name[:2] + "人" in text or "住" + name[:2] in text:
                    assert code in wanted, text
    n = len(medium.seekers)
    holders = sum(bool(s.certificates) for s in medium.seekers)
    assert stated["education"] / n > 0.75
    assert stated["experience"] / n > 0.7
    assert stated["certificates"] / holders > 0.7


def test_the_resume_reader_recovers_the_record(medium: Dataset) -> None:
    """features.resume reads the wanted occupation, education and certificates back from most
    texts of both registers (the per-field figures: benchmarks/measure_synth_text.py)."""
    vocabulary = resume_vocabulary()
    for walkin in (False, True):
        seekers = [s for s in medium.seekers if is_walkin(s) == walkin][:250]
        occupation = education = 0
        for seeker in seekers:
            parsed = parse_resume(seeker.resume_text, vocabulary, reference_year=REFERENCE_YEAR)
            minors = {minor_group(code) for code in seeker.desired_occupations}
            occupation += any(minor_group(g.code) in minors for g in parsed.desired_occupations)
            if parsed.education is not None:
                education += parsed.education.value == seeker.education
        assert occupation / len(seekers) > 0.85, walkin
        assert education / len(seekers) > (0.45 if walkin else 0.75), walkin


# --- the spoken words -------------------------------------------------------------------------


def test_spoken_phrases_come_from_the_lexicon_and_name_no_title() -> None:
    lexicon = {(entry.phrase, entry.occupation_code) for entry in walkin_lexicon()}
    titles = [spec.title for spec in TITLES]
    with_phrases = 0
    for spec in TITLES:
        phrases = spoken_phrases(spec.title)
        with_phrases += bool(phrases)
        for phrase in phrases:
            assert (phrase.text, phrase.code) in lexicon
            assert minor_group(phrase.code) == minor_group(spec.occupation)
            assert not any(title in phrase.text for title in titles), phrase
    assert with_phrases > 0.7 * len(TITLES)
    assert {p.text for p in spoken_phrases("保安")} >= {"看大门", "门卫"}
    assert "扎钢筋" in {p.text for p in spoken_phrases("钢筋工")}
    assert [phrase_form(w) for w in ("扎钢筋", "门卫", "电子厂", "电焊")] == [
        "verb",
        "person",
        "place",
        "activity",
    ]


def test_spoken_numbers_mean_at_least_and_cover_the_value() -> None:
    assert [chinese_number(n) for n in (5, 10, 12, 40, 42)] == [
        "五",
        "十",
        "十二",
        "四十",
        "四十二",
    ]
    with pytest.raises(ValueError, match="0–99"):
        chinese_number(100)
    rnd = random.Random(1)
    for years in range(1, 41):
        for _ in range(20):
            said = spoken_years(rnd, years)
            found = SPOKEN_YEARS.fullmatch(said)
            assert found is not None, said
            assert covers(found.group(1), bool(found.group(2)), years), (years, said)
    for age in range(18, 66):
        for _ in range(20):
            said = spoken_age(rnd, age)
            found = SPOKEN_AGE.fullmatch(said)
            assert found is not None, said
            near, token, more = found.groups()
            if near:
                assert chinese_count(near)[0] - 1 == age
            else:
                assert covers(token, bool(more), age), (age, said)


def test_contacts_are_valid_and_match_the_seeker(medium: Dataset) -> None:
    seekers = {seeker.id: seeker for seeker in medium.seekers}
    with_id = 0
    for contact in medium.contacts:
        seeker = seekers[contact.seeker_id]
        assert contact.phone is not None and mobile_problem(contact.phone) is None
        assert contact.address is not None
        assert contact.address.startswith("四川省遂宁市")
        if contact.id_number is not None:
            with_id += 1
            assert id_number_problem(contact.id_number) is None
            assert contact.id_number[:6] == seeker.region
            assert int(contact.id_number[6:10]) == seeker.birth_year
    assert 0.4 < with_id / len(medium.contacts) < 0.6


# --- employers and vacancies ---------------------------------------------------------------


def test_employers_are_valid(medium: Dataset) -> None:
    codes = [employer.credit_code for employer in medium.employers]
    assert len(set(codes)) == len(codes)
    assert len({employer.name for employer in medium.employers}) == len(medium.employers)
    for employer in medium.employers:
        assert credit_code_problem(employer.credit_code) is None
        assert employer.region in regions()
        assert industries()[employer.industry].level == "division"
        if employer.name.endswith(("酒业有限公司", "酿酒有限公司")):
            assert employer.industry == "15"
        if "锂电科技" in employer.name:
            assert employer.industry == "38"
        if employer.industry == "83":
            assert any(word in employer.name for word in ("学校", "幼儿园", "小学"))
    ownership = Counter(employer.ownership.value for employer in medium.employers)
    assert ownership.most_common(1)[0][0] == "民营"
    verification = Counter(employer.verification.value for employer in medium.employers)
    assert verification["verified"] > 0.7 * len(medium.employers)
    regions_used = Counter(employer.region for employer in medium.employers)
    centre = sum(regions_used[code] for code in ("510903", "510971", "510972", "510973"))
    assert centre > 0.45 * len(medium.employers)  # 船山区 and the three parks
    assert set(regions_used) == set(AREA_CODES)


def test_vacancy_text_agrees_with_its_fields(medium: Dataset) -> None:
    table = certificates()
    for vacancy in medium.vacancies:
        text = vacancy.description
        assert REQUIREMENTS.search(text), text
        if vacancy.salary_min is None:
            assert vacancy.salary_max is None
            assert not parse_salaries(text) and "面议" in text, text
        else:
            assert parse_salaries(text) == [(vacancy.salary_min, vacancy.salary_max)], text
            assert "面议" not in text
        requirements = requirements_of(text)
        word = EDUCATION_WORD.search(requirements)
        assert word is not None
        assert parse_education(word.group()) == vacancy.min_education, text
        experience = EXPERIENCE.findall(text)
        if vacancy.min_experience_years:
            assert [int(years) for years in experience] == [vacancy.min_experience_years]
        else:
            assert not experience and ("经验不限" in text or "无经验" in text)
        ages = AGE.findall(text)
        expected_age = (
            [] if vacancy.age_min is None else [(str(vacancy.age_min), str(vacancy.age_max))]
        )
        assert ages == expected_age
        headcount = HEADCOUNT.findall(text)
        assert [int(n) for n in headcount] == [vacancy.openings] or "若干" in text
        for code in vacancy.required_certificates:
            names = (table[code].name, *table[code].aliases)
            assert any(name in text for name in names), (code, text)
        for tag in vacancy.welfare:
            assert tag in text
        assert ("残疾人" in text) == vacancy.accessible
        assert not any(word in text for word in FORBIDDEN_WORDS), text


def test_vacancy_texts_are_laid_out_and_as_long_as_real_ones(medium: Dataset) -> None:
    """Mostly headed sections (岗位职责 / 任职要求 …) with numbered lines, some run together
    on one line as gathered postings are, some short notices; lengths around the real
    postings' (median 345 characters, ../shared/data/vacancies/it_jobs_2019.csv)."""
    texts = [vacancy.description for vacancy in medium.vacancies]
    duties = sum(bool(re.search("岗位职责|工作职责|工作内容|职位描述", t)) for t in texts)
    assert 0.75 < duties / len(texts) < 0.95
    one_line = sum("\n" not in t for t in texts) / len(texts)
    assert 0.25 < one_line < 0.55
    numbered = sum(bool(re.search(r"1[、.]|（1）", t)) for t in texts) / len(texts)
    assert numbered > 0.6
    lengths = sorted(len(t) for t in texts)
    assert 300 <= lengths[len(lengths) // 2] <= 400
    assert lengths[len(lengths) // 10] >= 120 and lengths[9 * len(lengths) // 10] <= 800


def test_some_titles_are_decorated_truthfully(medium: Dataset) -> None:
    short = {
        "【船山】": "510903",
        "【射洪】": "510981",
        "【蓬溪】": "510921",
        "【经开区】": "510971",
    }
    titles = {spec.title for spec in TITLES}
    decorated = [v for v in medium.vacancies if v.title not in titles]
    assert 0.15 < len(decorated) / len(medium.vacancies) < 0.4
    for vacancy in decorated:
        assert any(title in vacancy.title for title in titles), vacancy.title
        for mark, region in short.items():
            if mark in vacancy.title:
                assert vacancy.region == region
        for tag in ("包吃住", "五险一金", "双休"):
            if f"（{tag}）" in vacancy.title:
                assert tag in vacancy.welfare
        if "可培训" in vacancy.title:
            assert vacancy.min_experience_years == 0
    assert any("/" in v.title for v in decorated) and any("【" in v.title for v in decorated)
    negotiable = sum(v.salary_min is None for v in medium.vacancies) / len(medium.vacancies)
    assert 0.01 < negotiable < 0.1


def test_vacancies_are_valid_and_fit_their_employer(medium: Dataset) -> None:
    employers = {employer.id: employer for employer in medium.employers}
    calendar = load_campaigns()
    specs = {spec.title: spec for spec in TITLES}
    for vacancy in medium.vacancies:
        employer = employers[vacancy.employer_id]
        assert vacancy.occupation in occupations()
        assert vacancy.region == employer.region
        assert dt.date(2022, 1, 1) <= vacancy.valid_from <= vacancy.valid_until
        assert vacancy.valid_until <= dt.date(2022, 12, 31)
        assert (vacancy.salary_min is None) == (vacancy.salary_max is None)
        if vacancy.salary_min is not None and vacancy.salary_max is not None:  # else 面议
            assert vacancy.salary_min < vacancy.salary_max
        title = max((title for title in specs if title in vacancy.title), key=len)
        spec = specs[title]
        if spec.title in ("幼师", "小学教师", "中学教师", "保育员"):
            assert employer.industry == "83"
        if spec.title in ("护士", "医生"):
            assert employer.industry in ("84", "85")  # hospitals, clinics, care homes
        if spec.title == "酿酒工":
            assert employer.industry == "15"
        for campaign_id in vacancy.campaigns:
            campaign = calendar[campaign_id]
            assert any(
                period.start <= vacancy.valid_until and vacancy.valid_from <= period.end
                for period in campaign.periods
            )
            if campaign.policy.accessible_only:
                assert vacancy.accessible


def test_titles_follow_the_market_and_some_posts_are_accessible(medium: Dataset) -> None:
    titles = Counter(vacancy.title for vacancy in medium.vacancies)
    assert titles.most_common(1)[0][0] == "普工"
    accessible = sum(vacancy.accessible for vacancy in medium.vacancies) / len(medium.vacancies)
    assert 0.04 < accessible < 0.14
    descriptions = {vacancy.description.splitlines()[0][:8] for vacancy in medium.vacancies}
    assert len(descriptions) > 20


def test_title_table_uses_known_codes() -> None:
    assert 60 <= len(TITLES) <= 85
    for spec in TITLES:
        assert spec.occupation in occupations(), spec.title
        assert all(code in occupations() for code in spec.occupation_by_industry.values())
        for code in (*spec.required_certificates, *spec.preferred_certificates):
            assert code in certificates()
        low, high = spec.salary
        assert 1500 <= low < high <= 20000


# --- interactions --------------------------------------------------------------------------


def test_interaction_rows_are_well_formed(small: Dataset) -> None:
    seekers = {seeker.id for seeker in small.seekers}
    vacancies = {vacancy.id for vacancy in small.vacancies}
    campaigns = set(load_campaigns())
    kinds = {kind.value for kind in InteractionKind}
    assert small.interactions
    for row in small.interactions:
        seeker_id, vacancy_id, kind, time, position, campaign_id, source, session_id = row
        assert len(row) == len(INTERACTION_COLUMNS)
        assert seeker_id in seekers and vacancy_id in vacancies
        assert kind in kinds
        assert dt.datetime.fromisoformat(time).year in (2022, 2023)
        assert isinstance(position, int) and 1 <= position <= 10
        assert campaign_id is None or campaign_id in campaigns
        assert source in SOURCES
        assert session_id.startswith("sess-")


def test_interactions_follow_the_funnel(medium: Dataset) -> None:
    times: dict[tuple[str, str], dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    for seeker_id, vacancy_id, kind, time, *_ in medium.interactions:
        times[seeker_id, vacancy_id][kind].append(time)
    before = {"click": "impression", "apply": "click", "interview": "apply", "offer": "interview"}
    kinds = Counter(row[2] for row in medium.interactions)
    assert kinds["hire"] > 0 and kinds["reject"] > 0
    assert kinds["impression"] > kinds["click"] > kinds["apply"] > kinds["interview"]
    for events in times.values():
        assert len(events["apply"]) <= 1
        for kind, earlier in before.items():
            for time in events[kind]:
                assert min(events[earlier]) <= time
        for time in events["hire"]:
            assert min(events["apply"]) <= time
            assert min(events["interview"]) <= time
            assert min(events["offer"]) <= time
        if events["reject"]:
            assert events["apply"]


def test_hires_respect_openings(medium: Dataset) -> None:
    openings = {vacancy.id: vacancy.openings for vacancy in medium.vacancies}
    hires = Counter(row[1] for row in medium.interactions if row[2] == "hire")
    assert hires
    for vacancy_id, count in hires.items():
        assert count <= openings[vacancy_id]
    hired_seekers = Counter(row[0] for row in medium.interactions if row[2] == "hire")
    assert max(hired_seekers.values()) == 1


def test_position_bias_is_visible(medium: Dataset) -> None:
    shown = Counter(row[4] for row in medium.interactions if row[2] == "impression")
    clicked = Counter(row[4] for row in medium.interactions if row[2] == "click")
    assert clicked[1] / shown[1] > 2 * clicked[10] / shown[10]


def test_campaign_ids_match_date_and_groups(medium: Dataset) -> None:
    calendar = load_campaigns()
    groups = {seeker.id: set(seeker.priority_groups) for seeker in medium.seekers}
    tagged = 0
    for seeker_id, _, kind, time, _, campaign_id, _, _ in medium.interactions:
        if kind != "impression":
            continue
        if campaign_id is None:
            continue
        tagged += 1
        campaign = calendar[campaign_id]
        assert campaign.is_running(dt.date.fromisoformat(time[:10]))
        assert groups[seeker_id] & set(campaign.priority_groups)
    assert tagged > 0


def _wanted(seeker: Seeker, vacancy: Vacancy) -> bool:
    return vacancy.occupation in seeker.desired_occupations or any(
        title in vacancy.title for title in seeker.desired_titles
    )


def test_outcomes_follow_the_hidden_utility(medium: Dataset) -> None:
    """Hires go to wanted jobs far more often than impressions do; disabled seekers are hired
    into accessible posts; both sides must agree (missing certificates are rarely hired)."""
    seekers = {seeker.id: seeker for seeker in medium.seekers}
    vacancies = {vacancy.id: vacancy for vacancy in medium.vacancies}
    by_kind: dict[str, list[tuple[Seeker, Vacancy]]] = defaultdict(list)
    for seeker_id, vacancy_id, kind, *_ in medium.interactions:
        by_kind[kind].append((seekers[seeker_id], vacancies[vacancy_id]))

    def share(kind: str, test: object) -> float:
        pairs = by_kind[kind]
        return sum(bool(test(s, v)) for s, v in pairs) / len(pairs)  # type: ignore[operator]

    assert share("hire", _wanted) > share("impression", _wanted) + 0.3
    missing = lambda s, v: set(v.required_certificates) - set(s.certificates)  # noqa: E731
    assert share("hire", missing) < 0.5 * share("impression", missing)
    disabled_hires = [(s, v) for s, v in by_kind["hire"] if s.disability is not None]
    if disabled_hires:
        assert sum(v.accessible for _, v in disabled_hires) / len(disabled_hires) > 0.5


def test_no_record_carries_the_utility(small: Dataset) -> None:
    for records in (small.seekers, small.vacancies, small.employers, small.contacts):
        for record in records[:5]:
            assert "utility" not in record.model_dump_json()
    assert "utility" not in ",".join(INTERACTION_COLUMNS)


# --- into a store and files ----------------------------------------------------------------


def lines_of(path: Path) -> list[str]:
    return path.read_text(encoding="utf-8").splitlines()


def test_fairs_list_open_campaign_vacancies_by_employer(medium: Dataset) -> None:
    vacancies = {v.id: v for v in medium.vacancies}
    campaigns = load_campaigns().campaigns
    assert {fair.campaign_id for fair in medium.fairs} == set(campaigns)
    booths = 0
    for fair in medium.fairs:
        assert fair.campaign_id is not None
        assert campaigns[fair.campaign_id].is_running(fair.date)
        for booth in fair.booths:
            booths += 1
            posts = [vacancies[i] for i in booth.vacancy_ids]
            assert posts and {v.employer_id for v in posts} == {booth.employer_id}
            assert all(v.valid_from <= fair.date <= v.valid_until for v in posts)
            assert all(fair.campaign_id in v.campaigns for v in posts)
            assert booth.interview_slots == 2 * sum(v.openings for v in posts)
    assert booths > 50


def test_generate_writes_what_it_reports(store: Store, tmp_path: Path) -> None:
    out_dir = tmp_path / "out"
    summary = generate(store, seekers=250, vacancies=40, seed=3, out_dir=out_dir)
    assert summary.seekers == store.count(Seeker) == 250
    assert summary.vacancies == store.count(Vacancy) == 40
    assert summary.employers == store.count(Employer) == 5
    assert summary.contacts == store.count_contacts() == 250
    assert summary.interactions == store.count_interactions()
    assert summary.interaction_count > 250
    assert summary.seconds > 0
    assert [path.name for path in summary.files] == [
        "employers.jsonl",
        "vacancies.jsonl",
        "fairs.jsonl",
        "seekers.jsonl",
        "contacts.jsonl",
        "interactions.csv",
    ]
    assert summary.fairs == store.count(Fair) == len(lines_of(out_dir / "fairs.jsonl")) == 12
    lines = {path.name: path.read_text(encoding="utf-8").splitlines() for path in summary.files}
    assert len(lines["seekers.jsonl"]) == 250
    assert len(lines["contacts.jsonl"]) == 250
    assert Seeker.model_validate_json(lines["seekers.jsonl"][0]).id == "S0000001"
    with (out_dir / "interactions.csv").open(encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))
    assert tuple(rows[0]) == INTERACTION_COLUMNS
    assert len(rows) - 1 == summary.interaction_count
    in_memory = generate_dataset(seekers=250, vacancies=40, seed=3)
    assert store.get(Seeker, "S0000007") == in_memory.seekers[6]
    assert store.get_contact("S0000007") == in_memory.contacts[6]
    stored = list(store.iter_interactions(seeker_id=in_memory.interactions[0][0]))
    assert stored


# --- the oracle ----------------------------------------------------------------------------


def test_funnel_expected_gain_matches_a_simulation() -> None:
    """E[2^label − 1] from the closed form agrees with drawing the funnel step by step."""
    rng = np.random.default_rng(3)
    u_seeker, u_employer = np.array([0.2, 1.5, 3.0]), np.array([-1.0, 1.0, 2.5])
    funnel = Funnel.of(u_seeker, u_employer)
    n = 200_000
    draws = rng.random((5, n, 3))
    clicked = draws[0] < funnel.click
    applied = clicked & (draws[1] < funnel.apply)
    interviewed = applied & (draws[2] < funnel.interview)
    hired = interviewed & (draws[3] < funnel.offer) & (draws[4] < funnel.accept)
    label = clicked.astype(int) + applied + interviewed + hired
    simulated = (2.0**label - 1).mean(axis=0)
    np.testing.assert_allclose(funnel.expected_gain(), simulated, rtol=0.03)
    assert (np.diff(funnel.expected_gain()) > 0).all()


def test_oracle_knows_every_generated_pair_and_ranks_outcomes(small: Dataset) -> None:
    oracle = Oracle(seekers=300, vacancies=60, seed=11)
    by_kind: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for seeker_id, vacancy_id, kind, *_ in small.interactions:
        by_kind[kind].append((seeker_id, vacancy_id))
    means = {}
    for kind in ("impression", "apply"):
        seekers, vacancies = zip(*by_kind[kind], strict=True)
        gains = oracle.expected_gains(list(seekers), list(vacancies))
        assert ((gains >= 0) & (gains <= 15)).all()
        means[kind] = gains.mean()
    # pairs the seekers applied to are, in truth, better than the pairs merely shown
    assert means["apply"] > 1.5 * means["impression"]
    with pytest.raises(KeyError):
        oracle.expected_gains(["S9999999"], [small.vacancies[0].id])
    with pytest.raises(ValueError, match="same length"):
        oracle.expected_gains([small.seekers[0].id], [])
