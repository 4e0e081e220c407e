from __future__ import annotations

import datetime as dt

import pytest

from matcher.domain.records import Seeker, Vacancy, validate_record
from matcher.intake.completion import (
    complete_seeker,
    complete_vacancy,
    posting_occupation,
    vacancy_fields_from_text,
)
from matcher.intake.importer import import_file
from matcher.intake.lexicon import posting_place_finder
from matcher.ranking.columns import binding_certificates
from matcher.ranking.engine import admits, explain_match
from matcher.reference import EducationLevel
from matcher.storage.store import Store
from tests.conftest import DATA, vacancy_data

TEXT = (
    "任职要求：高中以上学历，2年以上经验，20-45岁，持叉车证。"
    "薪资：月薪5000-7000元，包吃住，五险一金"
)


def bare(**changes: object) -> Vacancy:
    data = vacancy_data(title="急招叉车司机", description=TEXT)
    for name in ("occupation", "salary_min", "salary_max", "min_education", "age_min", "age_max"):
        data.pop(name)
    data.update(min_experience_years=0, required_certificates=[], welfare=[])
    return validate_record(Vacancy, {**data, **changes})


def test_missing_fields_are_read_from_title_and_text() -> None:
    done = complete_vacancy(bare())
    assert done.occupation == "6-30-05-01"
    assert (done.salary_min, done.salary_max) == (5000, 7000)
    assert done.min_education is EducationLevel.SENIOR_SECONDARY
    assert done.min_experience_years == 2
    assert (done.age_min, done.age_max) == (20, 45)
    assert done.required_certificates == ["forklift"]
    assert done.welfare == ["包吃住", "五险一金"]


def test_given_fields_are_kept() -> None:
    given = bare(occupation="4-02-06-01", salary_min=4000, salary_max=4500, welfare=["双休"])
    done = complete_vacancy(given)
    assert done.occupation == "4-02-06-01"
    assert (done.salary_min, done.salary_max) == (4000, 4500)
    assert done.welfare == ["双休"]
    assert done.age_min == 20  # still filled: it was missing


def test_values_the_schema_rejects_are_left_out() -> None:
    yearly = bare(description="年薪：月薪150000-200000元，20-45岁")
    done = complete_vacancy(yearly)
    assert done.salary_min is None and done.salary_max is None
    assert (done.age_min, done.age_max) == (20, 45)


def test_nothing_to_do_returns_the_same_object() -> None:
    complete = validate_record(Vacancy, vacancy_data(description="", welfare=["双休"]))
    assert complete_vacancy(complete) is complete


def test_import_completes_vacancies(store: Store) -> None:
    import_file(store, "employers", DATA / "import" / "employers.csv")
    import_file(store, "vacancies", DATA / "import" / "vacancies_mixed.jsonl")
    brewer = store.get(Vacancy, "V002")
    assert brewer.occupation == "6-02-06-03"  # 酿酒工 → 白酒酿造工, from the title


def test_a_seeker_given_as_text_is_completed_and_given_fields_stay() -> None:
    text = "退伍军人，今年35岁，开过五年货车，有B2驾照，想找司机或者保安的活，住船山区"
    seeker, inferred = complete_seeker(Seeker(id="S9", resume_text=text), today=dt.date(2022, 6, 1))
    assert {"region", "birth_year", "experience_years", "certificates"} <= set(inferred)
    assert seeker.region == "510903" and seeker.birth_year == 1987
    assert seeker.experience_years == 5 and "driving_b2" in seeker.certificates
    assert "4-07-05-01" in seeker.desired_occupations  # 保安
    # a given field is never replaced, and a given wish is not widened by the text's
    given = Seeker(id="S9", resume_text=text, region="510921", desired_titles=["焊工"])
    kept, inferred = complete_seeker(given, today=dt.date(2022, 6, 1))
    assert kept.region == "510921" and kept.desired_titles == ["焊工"]
    assert "region" not in inferred and "desired_occupations" not in inferred
    # what the schema refuses is left out, not half-written: 30 years of work at 35
    old_hand = "今年35岁，开了三十年货车"
    checked, inferred = complete_seeker(
        Seeker(id="S9", resume_text=old_hand), today=dt.date(2022, 6, 1)
    )
    assert checked.experience_years is None and "experience_years" not in inferred
    assert complete_seeker(Seeker(id="S9"))[1] == ()  # no text, nothing read


def test_past_work_is_kept_apart_from_the_wish() -> None:
    text = "我在县医院当了五年护工，商场头也扫过地，想在蓬溪找个照顾老人的活"
    seeker, inferred = complete_seeker(Seeker(id="S9", resume_text=text), today=dt.date(2022, 6, 1))
    assert seeker.desired_occupations == ["4-10-01-05"]  # 养老护理员: the wish alone
    assert "4-09-08-01" in seeker.past_occupations  # 保洁员: done, not asked for
    assert "past_occupations" in inferred
    # with no wish stated, what the seeker did is what they want
    done = complete_seeker(Seeker(id="S9", resume_text="在工地扎了十年钢筋"))[0]
    assert done.desired_occupations == done.past_occupations == ["6-29-01-04"]
    # a given list is kept
    given = Seeker(id="S9", resume_text=text, past_occupations=["4-03-02-01"])
    kept, inferred = complete_seeker(given, today=dt.date(2022, 6, 1))
    assert kept.past_occupations == ["4-03-02-01"] and "past_occupations" not in inferred


def test_a_posting_says_where_it_is() -> None:
    finder = posting_place_finder()
    assert finder.find("射洪某运输公司招聘货车司机3名") == "510981"
    assert finder.find("遂宁市船山区某物业公司招聘小区保安6名") == "510903"  # the finer name
    assert finder.find("普工\n某科技有限公司\n成都-双流区，1年经验，高中") == "510116"
    assert finder.find("战略专家\n某公司\n北京-朝阳区，5-7年经验") == "11"  # not 朝阳市 (辽宁)
    assert finder.find("C++\n某公司\n工作地点：深圳-宝安区\n学历：本科") == "440306"
    assert finder.find("招聘电工，地点：蓬溪县赤城镇") == "510921"  # a town → its county
    assert finder.find("中山路某店招聘服务员") is None  # 中山 alone is a road, not the city
    assert finder.find("招聘保洁员，身体健康") is None
    # the city a company is registered in is not where the work is, when the text says that
    beijing_company = "销售代表\n北京达佳互联信息技术有限公司（上市公司）\n成都-双流区，无需经验"
    assert finder.find(beijing_company) == "510116"
    assert finder.find("客服\n大健云仓科技（苏州）有限公司\n广州-海珠区，1年经验") == "440105"
    assert finder.find("深圳市极效网络科技有限公司武汉分公司\n武汉-江汉区") == "420103"
    assert finder.find("遂宁天宇科技有限公司招聘普工") == "5109"  # the only place named


def test_a_posting_read_from_text_gets_its_place_and_a_stored_one_keeps_its_own() -> None:
    groups = vacancy_fields_from_text("小区保安", "船山区某物业公司招聘小区保安6名。")
    assert {"region": "510903"} in groups
    stated = bare(description="射洪某公司招聘叉车司机。" + TEXT)
    assert complete_vacancy(stated).region == stated.region  # a stored place is never replaced


def test_titles_the_matcher_is_unsure_of_are_read_like_a_wish() -> None:
    assert posting_occupation("河道巡护员") is not None  # no 大典 name close by characters
    assert posting_occupation("果园管理工") == "5-01-02-02"  # 园艺工
    assert posting_occupation("押运员") == "4-07-05-01"  # 保安员, not 邮件转运员
    assert posting_occupation("水产养殖工") == "5-04-02-01"  # not 家畜饲养员
    assert posting_occupation("电焊工") == "6-18-02-04"  # a sure match stays the matcher's
    assert posting_occupation("战略专家") is None


def test_a_health_certificate_binds_nobody() -> None:
    assert binding_certificates(["health", "forklift"]) == ["forklift"]
    kitchen = bare(required_certificates=["health"])
    seeker = Seeker(id="s1", resume_text="做过三年面点")
    assert admits(kitchen, seeker, None, dt.date(2022, 6, 15))
    assert not admits(bare(required_certificates=["forklift"]), seeker, None, dt.date(2022, 6, 15))


def test_a_higher_licence_class_is_admitted_where_a_lower_one_is_required() -> None:
    truck = bare(required_certificates=["driving_b2"])
    day = dt.date(2022, 6, 15)
    a2 = Seeker(id="s1", resume_text="开半挂车十年", certificates=["driving_a2"])
    c1 = Seeker(id="s2", resume_text="开小车送货", certificates=["driving_c1"])
    assert admits(truck, a2, None, day)
    assert not admits(truck, c1, None, day)
    assert "B2驾驶证" in explain_match(a2, truck)


def test_excavator_and_loader_certificates_are_read_from_postings() -> None:
    groups = vacancy_fields_from_text("挖掘机司机", "要求：持挖掘机操作证，3年以上挖机操作经验。")
    assert {"required_certificates": ["excavator"]} in groups


def test_a_posting_is_read_for_the_licence_class_it_asks_for() -> None:
    def required(text: str) -> list[str]:
        groups = vacancy_fields_from_text("", text)
        return next(
            group["required_certificates"] for group in groups if "required_certificates" in group
        )

    # not the bare 驾驶证's C1
    assert required("要求：持B2以上驾驶证，驾龄3年以上。") == ["driving_b2"]
    assert required("客车司机，需A1照、客运资格证。") == ["driving_a1", "road_passenger"]
    assert required("汽车吊司机，持流动式起重机司机证及B2以上驾照。") == ["crane", "driving_b2"]
    assert required("要求：C1及以上驾照。") == ["driving_c1"]
    assert required("要求：持驾照。") == ["driving_c1"]  # a bare licence is the lowest
    # a minimum is a requirement without a verb of its own
    assert required("送货司机，C2驾照即可。") == ["driving_c2"]
    assert required("文员，计算机二级以上。") == ["computer_rank"]
    # an item of a requirement list that is the certificate alone
    assert required("送货司机，C1驾照，3年以上驾龄。") == ["driving_c1"]
    offered = vacancy_fields_from_text("", "叉车工，公司提供叉车证培训，包吃住。")
    assert not any("required_certificates" in group for group in offered)


@pytest.mark.parametrize(
    ("text", "codes"),
    [
        ("要求：持初级会计职称，1年以上会计工作经验。", ["accountant_junior"]),
        ("需持特种作业操作证（熔化焊接与热切割作业）。", ["welding"]),
        ("要求：持塔吊证，3年以上经验。", ["crane"]),
        ("需持气瓶充装作业证和压力容器作业证。", ["gas_cylinder", "pressure_vessel"]),
        ("须持消防中控证，能上夜班。", ["fire_operator"]),
        # 高低压 names two licences: each alias alone finds only the low-voltage one in it
        (
            "配电房值班员：持高低压电工证，能适应倒班。",
            ["high_voltage_electrician", "low_voltage_electrician"],
        ),
    ],
)
def test_the_written_names_of_required_certificates_are_read(text: str, codes: list[str]) -> None:
    groups = vacancy_fields_from_text("", text)
    assert {"required_certificates": codes} in groups


def test_a_posting_is_read_for_its_place_only_at_its_head() -> None:
    """Length first: the finder reads PLACE_HEAD_CHARS, so a hostile posting costs no more than
    a short one, and a place named after a million spaces is not read."""
    finder = posting_place_finder()
    assert finder.find(" " * 1_000_000 + "船山区") is None
    assert finder.find("工作地点：" * 200_000) is None
    assert finder.find("射洪" + "-" * 1_000_000) == "510981"


def test_a_posting_is_read_for_the_skills_it_names_and_a_stated_list_is_kept() -> None:
    groups = vacancy_fields_from_text(
        "前端开发", "任职要求：熟悉HTML5、JavaScript和Vue，了解MongoDB；不会Java也可以。"
    )
    assert {"skills": ["html5", "javascript", "vue", "mongodb"]} in groups
    read = complete_vacancy(bare(description="会用Excel做表，熟悉仓库装卸。" + TEXT, skills=[]))
    assert read.skills == ["excel", "装卸"]
    stated = complete_vacancy(bare(description="会用Excel做表。" + TEXT, skills=["理货"]))
    assert stated.skills == ["理货"]  # a stated list is never replaced


def test_a_posting_is_read_for_the_groups_it_is_for() -> None:
    groups = vacancy_fields_from_text(
        "电子装配工（可接收残疾人）",
        "坐姿作业。要求：16-50岁，双手灵活；本岗位欢迎肢体残疾、听力残疾人，退役军人优先。",
    )
    assert {"target_groups": ["disabled", "veteran"]} in groups
    assert {"accessible": True} in groups
    reserved = vacancy_fields_from_text(
        "公益性岗位", "要求：本街道就业困难人员、零就业家庭成员、脱贫劳动力，男55岁以下。"
    )
    assert {
        "target_groups": ["employment_difficulty", "zero_employment_family", "poverty_alleviated"]
    } in reserved
    assert {"accessible": True} not in reserved
    # a refusal is no welcome (the compliance check flags it), nor a denied word
    for text in ("不招残疾人，退役军人除外", "身体健康，无残疾。"):
        read = vacancy_fields_from_text("普工", text)
        assert not any("target_groups" in group or "accessible" in group for group in read)
    filled = complete_vacancy(bare(description="残疾人优先。" + TEXT, target_groups=[]))
    assert filled.accessible and filled.target_groups == ["disabled"]
    stated = complete_vacancy(
        bare(description="残疾人优先。" + TEXT, target_groups=["veteran"], accessible=False)
    )
    assert stated.target_groups == ["veteran"]  # a stated list is never replaced
    assert stated.accessible  # the text's welcome is read where the record says nothing


@pytest.mark.parametrize(
    ("text", "region", "places"),
    [
        # no place named: the home's city, else the service's (遂宁 by default)
        ("想找个保安的活", None, ["5109"]),
        ("我住大英，想找保洁", None, ["5109"]),
        ("想找保洁", "510981", ["5109"]),
        ("想找保洁，不想去外地", None, ["5109"]),
        # a place named as one more comes after the seeker's own
        ("想学剪头发，成都也去", None, ["5109", "5101"]),
        # a place named is the seeker's word; so is "anywhere"
        ("想在成都找个活", None, ["5101"]),
        ("哪里都可以去，想做销售", None, []),
        ("求职意向：会计。工作地点不限", None, []),
    ],
)
def test_a_seeker_naming_no_place_accepts_their_city(
    text: str, region: str | None, places: list[str]
) -> None:
    seeker, inferred = complete_seeker(Seeker(id="s", resume_text=text, region=region))
    assert seeker.desired_regions == places
    assert ("desired_regions" in inferred) == bool(places)


def test_the_service_city_is_configured_and_checked(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("JOBMATCH_SERVICE_CITY", "510100")  # 成都市
    seeker, _ = complete_seeker(Seeker(id="s", resume_text="想找个保安的活"))
    assert seeker.desired_regions == ["5101"]
    given, _ = complete_seeker(
        Seeker(id="s", resume_text="想找个保安的活", desired_regions=["510903"])
    )
    assert given.desired_regions == ["510903"]  # a given field is never replaced
    monkeypatch.setenv("JOBMATCH_SERVICE_CITY", "9999")
    with pytest.raises(ValueError, match="JOBMATCH_SERVICE_CITY: '9999'"):
        complete_seeker(Seeker(id="s", resume_text="想找个保安的活"))
