from __future__ import annotations

import csv
from pathlib import Path

import pytest

from matcher.reference import (
    SUINING_COUNTY_CODES,
    EducationLevel,
    certificate_name,
    certificates,
    held_certificates,
    industries,
    local_titles,
    majors,
    occupations,
    parse_education,
    priority_group_name,
    priority_groups,
    regions,
    resolve_certificate,
    resolve_priority_group,
)
from tests.conftest import SHARED_DATA

SUINING = {
    "510903": "船山区",
    "510904": "安居区",
    "510921": "蓬溪县",
    "510923": "大英县",
    "510981": "射洪市",
}


def test_suining_counties_and_parks() -> None:
    table = regions()
    for code, name in SUINING.items():
        assert table.by_code[code].name == name
        assert table.city_of(code) == "5109"
    assert set(SUINING_COUNTY_CODES) == set(SUINING)
    parks = [r for r in table.children("5109") if r.level == "park"]
    assert {p.name for p in parks} >= {"遂宁经济技术开发区", "遂宁高新技术产业园区"}
    assert table.resolve("遂宁经开区") == "510971"
    assert table.full_name("510903") == "四川省遂宁市船山区"
    assert len(table.towns) == 95
    assert all(county in SUINING for _, county in table.towns.values())


def test_all_of_china_to_county_level() -> None:
    table = regions()
    levels = [r.level for r in table.by_code.values()]
    assert levels.count("province") == 31
    assert levels.count("county") > 2_900
    assert table.full_name("110105") == "北京市朝阳区"
    # ambiguous names do not resolve; unique ones do
    assert table.resolve("朝阳区") is None
    assert table.resolve("射洪市") == "510981"
    assert table.resolve("999999") is None


@pytest.mark.parametrize(
    ("value", "level"),
    [
        ("初中及以下", EducationLevel.JUNIOR_OR_BELOW),
        ("小学", EducationLevel.JUNIOR_OR_BELOW),
        ("高中", EducationLevel.SENIOR_SECONDARY),
        ("中专", EducationLevel.SENIOR_SECONDARY),
        ("技校", EducationLevel.SENIOR_SECONDARY),
        ("大专", EducationLevel.JUNIOR_COLLEGE),
        ("大专及以上", EducationLevel.JUNIOR_COLLEGE),
        ("本科", EducationLevel.BACHELOR),
        ("本科以上学历", EducationLevel.BACHELOR),
        ("硕士", EducationLevel.MASTER),
        ("博士", EducationLevel.DOCTOR),
        ("学历不限", EducationLevel.NONE),
        ("21", EducationLevel.BACHELOR),
        ("11", EducationLevel.DOCTOR),
        ("14", EducationLevel.MASTER),
        ("31", EducationLevel.JUNIOR_COLLEGE),
        ("47", EducationLevel.SENIOR_SECONDARY),
        ("61", EducationLevel.SENIOR_SECONDARY),
        ("71", EducationLevel.JUNIOR_OR_BELOW),
        ("大学本科毕业", EducationLevel.BACHELOR),
        (3, EducationLevel.JUNIOR_COLLEGE),
    ],
)
def test_education_words_and_codes(value: str | int, level: EducationLevel) -> None:
    assert parse_education(value) is level


@pytest.mark.parametrize("value", ["幼儿园", "99", "7", -1, "", "college"])
def test_education_unknown(value: str | int) -> None:
    assert parse_education(value) is None


def test_education_levels_are_ordered() -> None:
    words = ["初中", "高中", "大专", "本科", "硕士", "博士"]
    levels = [parse_education(word) for word in words]
    assert levels == sorted(levels)  # type: ignore[type-var]


def test_occupations_hierarchy() -> None:
    table = occupations()
    electrician = table["6-31-01-03"]
    assert electrician.name == "电工"
    assert electrician.major_code == "6"
    assert electrician.mid_code == "6-31"
    assert electrician.minor_code == "6-31-01"
    assert all(code.startswith(o.minor_code) for code, o in table.items())
    assert len(table) > 1_500


def test_industries_sections_and_divisions() -> None:
    table = industries()
    assert table["C"].level == "section"
    assert table["38"].section == "C"
    assert sum(1 for i in table.values() if i.level == "section") == 20
    assert sum(1 for i in table.values() if i.level == "division") == 97


NOTICE_GROUPS = [
    "就业困难人员", "零就业家庭成员", "残疾登记失业人员", "残疾人", "退捕渔民", "农村劳动力",
    "返乡农民工", "应届高校毕业生", "离校未就业高校毕业生", "退役军人", "脱贫劳动力", "脱贫人口",
    "登记失业人员", "城镇失业人员", "易地搬迁群众", "三支一扶期满未就业人员", "农民工",
]  # fmt: skip


@pytest.mark.parametrize("name", NOTICE_GROUPS)
def test_every_notice_group_resolves(name: str) -> None:
    code = resolve_priority_group(name)
    assert code is not None
    assert code in priority_groups()


def test_notice_groups_appear_in_the_notice(notice_text: str) -> None:
    for group in priority_groups().values():
        words = (group.name, *group.aliases)
        assert any(word in notice_text for word in words), group.name


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("电工证", "low_voltage_electrician"),
        ("焊工证", "welding"),
        ("叉车证", "forklift"),
        ("健康证", "health"),
        ("教资", "teacher"),
        ("B2驾照", "driving_b2"),
        ("c1驾照", "driving_c1"),
        ("高级工证", "skill_level_3"),
        ("不存在的证", None),
    ],
)
def test_certificate_aliases(text: str, code: str | None) -> None:
    assert resolve_certificate(text) == code


def test_a_driving_licence_covers_its_lower_classes() -> None:
    # 准驾车型: A2 entitles to B1, B2, C1, C2; B2 to C1, C2; others cover nothing
    assert held_certificates(["driving_a2", "welding"]) == [
        "driving_a2",
        "welding",
        "driving_b1",
        "driving_b2",
        "driving_c1",
        "driving_c2",
    ]
    assert held_certificates(["driving_b2", "driving_c1"]) == [
        "driving_b2",
        "driving_c1",
        "driving_c2",
    ]
    assert held_certificates(["forklift", "unknown_code"]) == ["forklift", "unknown_code"]
    table = certificates()
    for certificate in table.values():
        assert set(certificate.covers) <= set(table), certificate.code
        assert certificate.code not in certificate.covers


def test_certificate_aliases_are_unambiguous() -> None:
    seen: dict[str, str] = {}
    for code, certificate in certificates().items():
        for word in (certificate.name, *certificate.aliases):
            assert seen.setdefault(word.casefold(), code) == code, word


def test_shipped_tables_agree_with_sources(tmp_path: Path) -> None:
    source = SHARED_DATA / "reference"
    if not source.exists():
        pytest.skip("../shared/data is absent")
    with (source / "admin_divisions" / "areas.csv").open(encoding="utf-8") as handle:
        areas = list(csv.DictReader(handle))
    table = regions()
    for row in areas:
        assert table.by_code[row["code"]].name == row["name"]
    with (source / "occupations_2022.csv").open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert {row["occ_code"] for row in rows} == set(occupations())


def test_no_certificate_alias_is_a_job_name() -> None:
    """育婴员 is a job, 育婴员证 its certificate: the tokenizer maps aliases to certificates."""
    from matcher.synth.vocab import TITLES

    jobs = {o.name for o in occupations().values()} | {spec.title for spec in TITLES}
    for certificate in certificates().values():
        assert not set(certificate.aliases) & jobs, certificate.code


def test_local_titles_and_majors_are_the_generators() -> None:
    # The tokenizer and the title matcher read the reference tables, never the generator; the
    # generator posts exactly those titles with those codes and draws majors from that list.
    from matcher.synth.vocab import MAJORS, TITLES

    posted = [(local.title, local.occupation, local.skills) for local in local_titles()]
    assert posted == [(spec.title, spec.occupation, spec.skills) for spec in TITLES]
    assert majors() == tuple(major.name for major in MAJORS)


def test_names_of_codes_keep_an_unknown_code() -> None:
    assert regions().name_of("510903") == "船山区"
    assert regions().name_of("999999") == "999999"
    assert priority_group_name("zero_employment_family") == "零就业家庭成员"
    assert priority_group_name("no_such_group") == "no_such_group"
    assert certificate_name("low_voltage_electrician") == "低压电工作业证"
    assert certificate_name("no_such_certificate") == "no_such_certificate"
