"""Synthetic vacancies: titles by market frequency, fitting the employer, in varied Chinese.

The structured fields and the description agree: the salary written in the text parses back to
``salary_min``/``salary_max`` exactly; the education, experience, age and headcount phrases say
what the fields hold; every required certificate and welfare tag is named. No posting asks for a
gender, marital status, ethnicity, household registration or health screening (乙肝 …).
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from matcher.domain.campaigns import employer_eligible
from matcher.domain.records import Employer, Vacancy, Verification
from matcher.reference import EducationLevel, certificates
from matcher.synth.employers import EmployerTable
from matcher.synth.schedule import Schedule
from matcher.synth.spoken import formal_names, phrase_form
from matcher.synth.vocab import (
    AREA_CODES,
    AREA_NAMES,
    BOARD_AND_LODGING,
    CERTIFICATE_WORDING,
    COUNTY_COUNT,
    INDUSTRIES,
    INDUSTRY_KEYS,
    MAJORS,
    SIZE_POSTING_WEIGHTS,
    TITLES,
    Collar,
    TitleSpec,
)
from matcher.synth.words import SkillCodes, certificate_bit, occupation_index, skill_codes

NEGOTIABLE_SHARE: tuple[float, float, float, float] = (0.1, 0.06, 0.04, 0.03)
"""Share of postings that say 薪资面议 instead of a pay range, by employer size (微型 … 大型);
their records carry no salary (the simulation still knows what the job pays)."""
ACCESSIBLE_SHARE = 0.27
"""Share of vacancies of an accessible-friendly title (文员, 客服, 质检, 包装, 手工 …) that are
marked accessible; about 8% of all vacancies end up accessible."""


@dataclass
class VacancyTable:
    """Vacancies and the columns the simulation needs, aligned by position.

    Attributes
    ----------
    title : int array of shape (n_vacancies,)
        Index into :data:`~matcher.synth.vocab.TITLES`.
    occupation : int array of shape (n_vacancies,)
        Index into :func:`~matcher.synth.words.occupation_codes`.
    area : int array of shape (n_vacancies,)
        Index into :data:`~matcher.synth.vocab.AREA_CODES`.
    age_min, age_max : int arrays of shape (n_vacancies,)
        0 and 200 where the posting sets no age limit.
    skills : uint64 array of shape (n_vacancies, n_skill_words)
        Skill bit sets (see :func:`~matcher.synth.words.skill_codes`).
    certificates : uint64 array of shape (n_vacancies,)
        Required certificates as a bit set (see :func:`~matcher.synth.words.certificate_bit`).
    valid_from, valid_until : int arrays of shape (n_vacancies,)
        Days of the schedule.
    campaign_member : bool array of shape (n_vacancies, n_campaigns)
    open : bool array of shape (n_vacancies,)
        ``status == "open"`` (an employer whose licence was rejected has its postings closed).
    """

    records: list[Vacancy]
    employer: npt.NDArray[np.int32]
    title: npt.NDArray[np.int16]
    occupation: npt.NDArray[np.int16]
    area: npt.NDArray[np.int16]
    min_education: npt.NDArray[np.int8]
    min_experience: npt.NDArray[np.float32]
    age_min: npt.NDArray[np.int16]
    age_max: npt.NDArray[np.int16]
    salary_min: npt.NDArray[np.int32]
    salary_max: npt.NDArray[np.int32]
    openings: npt.NDArray[np.int32]
    skills: npt.NDArray[np.uint64]
    certificates: npt.NDArray[np.uint64]
    accessible: npt.NDArray[np.bool_]
    board_and_lodging: npt.NDArray[np.bool_]
    valid_from: npt.NDArray[np.int32]
    valid_until: npt.NDArray[np.int32]
    campaign_member: npt.NDArray[np.bool_]
    open: npt.NDArray[np.bool_]

    @classmethod
    def allocate(cls, count: int, skill_words: int, n_campaigns: int) -> VacancyTable:
        """A table of ``count`` rows with zeroed columns and no records yet."""
        return cls(
            records=[],
            employer=np.zeros(count, dtype=np.int32),
            title=np.zeros(count, dtype=np.int16),
            occupation=np.zeros(count, dtype=np.int16),
            area=np.zeros(count, dtype=np.int16),
            min_education=np.zeros(count, dtype=np.int8),
            min_experience=np.zeros(count, dtype=np.float32),
            age_min=np.zeros(count, dtype=np.int16),
            age_max=np.zeros(count, dtype=np.int16),
            salary_min=np.zeros(count, dtype=np.int32),
            salary_max=np.zeros(count, dtype=np.int32),
            openings=np.zeros(count, dtype=np.int32),
            skills=np.zeros((count, skill_words), dtype=np.uint64),
            certificates=np.zeros(count, dtype=np.uint64),
            accessible=np.zeros(count, dtype=bool),
            board_and_lodging=np.zeros(count, dtype=bool),
            valid_from=np.zeros(count, dtype=np.int32),
            valid_until=np.zeros(count, dtype=np.int32),
            campaign_member=np.zeros((count, n_campaigns), dtype=bool),
            open=np.zeros(count, dtype=bool),
        )


# --- the facts of one posting ------------------------------------------------------------


@dataclass
class _Posting:
    """What a vacancy says, before it is written out as text."""

    title: str
    spec: TitleSpec
    employer: Employer
    industry: int
    area: int
    min_education: int
    min_experience: int
    age: tuple[int, int] | None
    salary: tuple[int, int]
    salary_text: str | None
    """The pay range as written; None: the posting says 面议 and the record has no salary."""
    openings: int
    openings_vague: bool
    skills: list[str]
    required: list[str]
    preferred: list[str]
    welfare: list[str]
    accessible: bool
    target_groups: list[str]
    size: int = 1


def _round_to(value: float, step: int) -> int:
    return round(value / step) * step


def _salary(rnd: random.Random, spec: TitleSpec, size: int, area: int) -> tuple[int, int]:
    low, high = spec.salary
    size_factor = (0.92, 1.0, 1.05, 1.1)[size]
    area_factor = 1.04 if area == 0 or area >= COUNTY_COUNT else 0.97
    salary_min = _round_to(low * rnd.uniform(0.9, 1.15) * size_factor * area_factor, 500)
    width = max(500, _round_to((high - low) * rnd.uniform(0.45, 1.0), 500))
    if rnd.random() < 0.5:  # many employers quote whole thousands
        salary_min = max(1000, _round_to(salary_min, 1000))
        width = max(1000, _round_to(width, 1000))
    return salary_min, salary_min + width


def salary_phrase(rnd: random.Random, salary_min: int, salary_max: int, collar: Collar) -> str:
    """The pay range as postings write it: ``4000-6000元/月``, ``6-8千/月``, ``4千-6千``,
    ``10-15K`` (white-collar only)."""
    if salary_min % 1000 == 0 and salary_max % 1000 == 0:
        low, high = salary_min // 1000, salary_max // 1000
        formats = [f"{salary_min}-{salary_max}元/月", f"{low}-{high}千/月", f"{low}千-{high}千"]
        if collar == "white":
            formats += [f"{low}-{high}K", f"{low}-{high}K"]
        return rnd.choice(formats)
    return rnd.choice((f"{salary_min}-{salary_max}元/月", f"{salary_min}-{salary_max}元"))


def _welfare(rnd: random.Random, spec: TitleSpec, industry: str, size: int) -> list[str]:
    tags: list[str] = []
    insurance = rnd.random()
    if size >= 2 or spec.collar == "white":
        tags.append("五险一金" if insurance < 0.7 else "五险")
    elif insurance < 0.6:
        tags.append("五险" if insurance < 0.35 else "五险一金")
    if spec.collar != "white" and industry not in ("education", "health"):
        lodging = rnd.choice((BOARD_AND_LODGING, BOARD_AND_LODGING, "包住", "工作餐", "餐补", ""))
    else:
        lodging = rnd.choice(("餐补", "工作餐", "", ""))
    if lodging:
        tags.append(lodging)
    rest = rnd.random()
    if spec.collar == "white" and rest < 0.7:
        tags.append("双休")
    elif spec.collar != "white" and rest < 0.25:
        tags.append("单休")
    extras = ["带薪年假", "节日福利", "年终奖", "绩效奖金", "全勤奖", "交通补贴", "定期体检"]
    if spec.collar == "blue":
        extras += ["高温补贴", "岗前培训", "全勤奖"]
    for tag in rnd.sample(extras, rnd.randint(1, 3)):
        if tag not in tags:
            tags.append(tag)
    return tags


def _age_range(rnd: random.Random, spec: TitleSpec, min_education: int) -> tuple[int, int] | None:
    if rnd.random() < 0.25:
        return None
    if spec.collar == "white":
        low = 22 if min_education >= int(EducationLevel.BACHELOR) else rnd.choice((18, 20))
        return low, rnd.choice((40, 45, 50))
    if spec.collar == "service":
        return 18, rnd.choice((40, 45, 50, 55))
    return rnd.choice((18, 18, 20)), rnd.choice((45, 48, 50, 55))


def _openings(rnd: random.Random, collar: Collar, size: int) -> int:
    if collar == "white":
        return rnd.choice((1, 1, 1, 2, 2, 3))
    high = (3, 8, 30, 80)[size] if collar == "blue" else (2, 5, 10, 20)[size]
    low = 1 if size < 2 else (2 if collar == "service" else 5)
    return rnd.randint(low, max(low, high))


# --- writing ---------------------------------------------------------------------------------

_DUTY_HEADERS = ("岗位职责", "岗位职责", "岗位职责", "工作职责", "工作职责", "工作内容", "职位描述")
_REQUIREMENT_HEADERS = ("任职要求", "任职要求", "任职要求", "岗位要求", "岗位要求", "任职资格")
_PAY_HEADERS = ("薪资福利", "福利待遇", "薪资待遇", "薪资福利", "待遇")
REQUIREMENT_HEADERS: tuple[str, ...] = (*dict.fromkeys(_REQUIREMENT_HEADERS), "招聘要求")
"""Headers a description's requirements section starts with (a short notice: 招聘要求)."""
_HEADER_STYLES = ("【{}】", "{}：", "{}：", "{}:", "■ {}", "{}")
_NUMBERING = ("{}、", "{}、", "{}、", "{}.", "{}.", "（{}）", "")
_EDUCATION_PHRASES: dict[int, tuple[str, ...]] = {
    0: ("学历不限", "学历不限，能看懂作业指导书即可", "学历不限，欢迎新手"),
    1: ("初中及以上学历", "初中及以上", "初中以上文化", "初中以上学历，识字即可"),
    2: ("高中/中专及以上学历", "中专及以上学历", "高中及以上学历", "高中或中专以上学历"),
    3: ("大专及以上学历", "大专及以上", "全日制大专及以上学历", "大专以上学历"),
    4: ("本科及以上学历", "本科及以上", "统招本科及以上学历"),
    5: ("硕士及以上学历", "硕士研究生及以上学历"),
}
_TRAITS: dict[str, tuple[str, ...]] = {
    "blue": (
        "吃苦耐劳，服从管理",
        "能适应倒班和旺季加班",
        "责任心强，工作认真细致",
        "遵守安全操作规程，有团队意识",
        "身体健康，能适应车间环境",
        "踏实肯干，有较强的学习能力",
        "能长期稳定工作者优先",
        "服从公司工作安排，能接受加班",
        "有较强的安全意识和质量意识",
        "无不良嗜好，遵纪守法",
    ),
    "service": (
        "服务意识强，有亲和力",
        "吃苦耐劳，能适应轮班",
        "沟通表达清楚，待人热情",
        "形象整洁，普通话标准",
        "做事勤快，有责任心",
        "能长期稳定工作者优先",
        "能接受节假日轮休",
        "有同类岗位经验者优先",
    ),
    "white": (
        "具备良好的沟通协调能力和团队精神",
        "熟练使用办公软件",
        "学习能力强，做事细致有条理",
        "有较强的责任心和执行力",
        "抗压能力强，能适应一定的出差",
        "有同行业工作经历者优先",
        "具备一定的分析和解决问题的能力",
        "工作积极主动，有上进心",
    ),
}
_EXTRA_DUTIES: dict[str, tuple[str, ...]] = {
    "blue": (
        "做好交接班记录和设备日常点检",
        "保持工作区域整洁，落实5S管理",
        "遵守公司各项规章制度和安全操作规程",
        "完成上级交办的其他工作",
        "发现设备异常或质量问题及时上报并协助处理",
        "参加公司组织的安全和技能培训",
        "配合班组长完成每日生产计划和产量统计",
    ),
    "service": (
        "做好交接班和日常台账记录",
        "遵守门店各项规章制度",
        "完成上级交办的其他工作",
        "维护工作区域的环境卫生",
        "参加公司组织的服务培训",
        "及时向主管反馈顾客意见和建议",
    ),
    "white": (
        "配合部门做好相关资料的整理和归档",
        "完成上级交办的其他工作",
        "参与部门内部的培训和制度建设",
        "编写相关工作报告和总结",
        "与相关部门沟通协调，推动工作落实",
    ),
}
_ACCESSIBLE_PHRASES = (
    "本岗位适合残疾人朋友，工作场所设有无障碍设施",
    "欢迎符合条件的残疾人应聘，可提供无障碍工位和必要的工作辅助",
    "岗位以坐姿作业为主，适合残疾人就业，厂区有无障碍通道",
)
_HOURS: dict[str, tuple[str, ...]] = {
    "blue": (
        "工作时间：两班倒，每班8小时",
        "长白班，月休4天",
        "做六休一，每天8小时",
        "计件与计时结合",
        "工作时间8:00-17:00，中午休息1小时",
        "白班夜班每月轮换一次",
    ),
    "service": ("轮班制，每天8小时", "月休4天，节假日轮休", "早晚班轮换", "做六休一"),
    "white": (
        "工作时间：按公司作息，每天8小时",
        "朝九晚五，节假日按国家规定休息",
        "工作时间9:00-17:30",
    ),
}
_WELFARE_WORDING: dict[str, tuple[str, ...]] = {
    "五险一金": ("五险一金", "入职即购买五险一金", "缴纳五险一金"),
    "五险": ("购买五险", "入职购买五险", "五险"),
    "包吃住": (
        "包吃住",
        "包吃住（4-6人间，配空调、热水器）",
        "包吃住，宿舍有空调和热水",
        "公司包吃住",
    ),
    "包住": ("包住", "包住，宿舍配空调", "免费提供住宿（包住）"),
    "餐补": ("餐补", "每天餐补", "提供餐补"),
    "工作餐": ("工作餐", "提供免费工作餐", "中午提供工作餐"),
    "双休": ("双休", "周末双休"),
    "单休": ("单休",),
    "带薪年假": ("带薪年假", "享受带薪年假"),
    "节日福利": ("节日福利", "节日福利（端午、中秋发放礼品）"),
    "年终奖": ("年终奖", "年底发放年终奖"),
    "绩效奖金": ("绩效奖金", "每月绩效奖金"),
    "全勤奖": ("全勤奖", "每月全勤奖"),
    "交通补贴": ("交通补贴",),
    "高温补贴": ("高温补贴", "夏季高温补贴"),
    "定期体检": ("定期体检", "每年定期体检"),
    "岗前培训": ("岗前培训", "提供岗前培训"),
    "员工宿舍": ("员工宿舍", "提供员工宿舍"),
}
_PROSPECTS = (
    "公司提供完善的晋升通道，表现优秀者可晋升班组长",
    "有带薪培训和技能提升机会",
    "工作稳定，工资按月足额发放，从不拖欠",
    "公司发展稳定，提供良好的职业发展空间",
)
_APPLY = (
    "有意者请通过遂宁公共招聘网投递简历",
    "欢迎有意者前来面试，面试合格即可上岗",
    "符合条件者请携带简历到公司人力资源部面试",
    "也可在“四川e就业”微信服务号在线报名",
    "面试时间：周一至周五上午9点至下午5点",
)
_ENVIRONMENT: dict[str, tuple[str, ...]] = {
    "blue": (
        "车间干净整洁，夏季有空调降温",
        "厂区有食堂、超市和篮球场",
        "宿舍4-6人间，配独立卫生间和热水器",
        "上下班有班车接送",
        "生产线自动化程度高，劳动强度不大",
        "新员工有师傅一对一带教",
    ),
    "service": (
        "门店位于商圈，交通便利",
        "员工餐厅提供一日三餐",
        "排班灵活，可按个人情况调班",
        "团队年轻，氛围轻松",
        "新员工有老员工带教",
    ),
    "white": (
        "办公环境舒适，配备电脑",
        "团队氛围好，定期组织团建活动",
        "公司提供系统的入职培训",
        "有清晰的职级晋升体系",
        "弹性上班，节假日正常休息",
    ),
}
_PAY_DETAILS = (
    "加班按国家规定支付加班费",
    "每月15日准时发放上月工资",
    "工资构成：基本工资+岗位津贴+绩效奖金",
    "转正后每年有调薪机会",
    "表现优秀者年底有评优奖励",
    "试用期工资不打折",
)
_OTHER_HEADERS = ("工作环境", "其他说明", "我们提供", "岗位亮点")
_STAFF_BY_SIZE = ((8, 19), (20, 99), (100, 300), (300, 2000))
_MAJOR_HINTS: dict[str, list[str]] = {}
for _major in MAJORS:
    for _title in _major.titles:
        _MAJOR_HINTS.setdefault(_title, []).append(_major.name)


def _certificate_name(code: str) -> str:
    return CERTIFICATE_WORDING.get(code) or certificates()[code].name


def _numbered(lines: Sequence[str], style: str) -> list[str]:
    if not style:
        return ["；".join(lines) + "。"]
    last = len(lines)
    # "2." before "1年以上…" would read as 2.1 years: a space keeps the numbers apart
    spaced = style + " " if style.endswith(".") else style
    return [
        (spaced if line[:1].isdigit() else style).format(number)
        + line
        + ("。" if number == last else "；")
        for number, line in enumerate(lines, start=1)
    ]


def _experience_phrase(rnd: random.Random, years: int, title: str, industry: str) -> str:
    if years == 0:
        return rnd.choice(
            (
                "经验不限，可接受无经验者，公司提供岗前培训",
                "无经验可培训",
                "经验不限",
                "经验不限，有相关经验者优先",
                "无经验者公司可安排带教",
            )
        )
    return rnd.choice(
        (
            f"{years}年以上相关工作经验",
            f"有{years}年以上{title}工作经验",
            f"{years}年以上同岗位经验",
            f"具有{years}年及以上{industry}行业工作经验",
        )
    )


def _age_phrase(rnd: random.Random, low: int, high: int) -> str:
    return rnd.choice(
        (
            f"年龄{low}-{high}岁",
            f"{low}-{high}周岁，身体健康",
            f"年龄{low}-{high}周岁",
            f"{low}-{high}周岁",
            f"年龄在{low}至{high}周岁之间",
            f"年龄{low}~{high}岁",
        )
    )


def _pay_phrase(rnd: random.Random, posting: _Posting) -> str:
    if posting.salary_text is None:
        return rnd.choice(("薪资面议", "工资面议，待遇从优", "薪资面议，多劳多得"))
    text = posting.salary_text
    return rnd.choice(
        (
            f"薪资：{text}",
            f"月薪{text}",
            f"综合薪资{text}，多劳多得",
            f"工资待遇：{text}（底薪+绩效）",
            f"综合工资{text}，按月发放",
            f"底薪+计件，综合收入{text}",
            f"试用期1个月，转正后{text}",
        )
    )


def _welfare_items(rnd: random.Random, welfare: Sequence[str]) -> list[str]:
    return [rnd.choice(_WELFARE_WORDING.get(tag, (tag,))) for tag in welfare]


def _intro(
    rnd: random.Random, posting: _Posting, unit: str, place: str, detailed: bool = False
) -> str:
    spec = posting.spec
    industry = INDUSTRIES[posting.industry]
    name = posting.employer.name
    low, high = _STAFF_BY_SIZE[posting.size]
    staff = rnd.randint(low, high)
    staff_text = f"{staff // 10 * 10}余人" if staff >= 20 else f"{staff}人"
    founded = rnd.randint(1998, 2020)
    long = (
        f"{name}成立于{founded}年，位于{place}，主要从事{industry.business}，"
        f"现有员工{staff_text}。因业务发展需要，现招聘{spec.title}。",
        f"{name}是一家从事{industry.business}的{unit}，现有员工{staff_text}，管理规范，待遇稳定。",
    )
    if detailed:
        return rnd.choice(long)
    return rnd.choice(
        (
            "",
            "",
            f"{name}主要从事{industry.business}，因发展需要，现招聘{spec.title}。",
            f"因生产经营需要，现面向社会公开招聘{spec.title}。",
            f"{unit}位于{place}，交通便利，现诚聘{spec.title}，欢迎加入。",
            f"{name}诚聘{spec.title}。",
            *long,
        )
    )


def _requirements(rnd: random.Random, posting: _Posting, traits: int = 0) -> list[str]:
    spec = posting.spec
    industry = INDUSTRIES[posting.industry]
    requirements: list[str] = []
    age = _age_phrase(rnd, *posting.age) if posting.age is not None else None
    if age is not None and rnd.random() < 0.4:
        requirements.append(age)
    education = rnd.choice(_EDUCATION_PHRASES[posting.min_education])
    hints = _MAJOR_HINTS.get(spec.title)
    if hints and posting.min_education >= int(EducationLevel.JUNIOR_COLLEGE) and rnd.random() < 0.6:
        education += f"，{'、'.join(rnd.sample(hints, min(2, len(hints))))}等相关专业"
    requirements.append(education)
    requirements.append(
        _experience_phrase(rnd, posting.min_experience, spec.title, industry.label.split("/")[0])
    )
    if age is not None and age not in requirements:
        requirements.append(age)
    elif posting.age is None and rnd.random() < 0.2:
        requirements.append("年龄不限，身体健康")
    if posting.required:
        names = "和".join(_certificate_name(code) for code in posting.required)
        requirements.append(
            rnd.choice((f"持有{names}", f"须持{names}上岗", f"必须持有有效的{names}"))
        )
    if posting.skills:
        skills = "、".join(posting.skills)
        requirements.append(
            rnd.choice((f"熟悉{skills}", f"掌握{skills}等技能", f"会{skills}者优先"))
        )
    for code in posting.preferred:
        requirements.append(f"有{_certificate_name(code)}者优先")
    fitting = [
        trait
        for trait in _TRAITS[spec.collar]
        if "办公软件" not in trait or "办公软件" not in posting.skills
    ]
    requirements += rnd.sample(fitting, min(len(fitting), traits or rnd.choice((1, 1, 2, 2, 3))))
    if "fresh_graduate" in posting.target_groups:
        requirements.append("欢迎应届及往届高校毕业生报名")
    if "veteran" in posting.target_groups:
        requirements.append("退役军人同等条件下优先录用")
    if posting.accessible:
        requirements.append(rnd.choice(_ACCESSIBLE_PHRASES))
    return requirements


def _headcount(rnd: random.Random, posting: _Posting) -> str:
    if posting.openings_vague:
        return rnd.choice(("招聘人数：若干", "招聘若干名"))
    n = posting.openings
    return rnd.choice((f"招聘{n}人", f"招聘人数：{n}人", f"招{n}人", f"招聘{n}名"))


def _notice(rnd: random.Random, posting: _Posting, intro: str, place: str) -> str:
    """A short posting without a duties section, as small employers write them."""
    spec = posting.spec
    headcount = _headcount(rnd, posting)
    opening = intro or rnd.choice(
        (f"因生产需要，现招聘{spec.title}。", f"{posting.employer.name}招聘{spec.title}。")
    )
    requirements = "，".join(_requirements(rnd, posting))
    welfare = "，".join(posting.welfare)
    parts = [
        opening,
        f"{headcount}。",
        f"{rnd.choice(('招聘要求', '任职要求', '岗位要求'))}：{requirements}。",
        f"待遇：{_pay_phrase(rnd, posting)}，{welfare}。",
    ]
    if rnd.random() < 0.7:
        parts.append(f"工作地点：{place}。")
    if rnd.random() < 0.4:
        parts.append(rnd.choice(_APPLY) + "。")
    return "".join(parts)


def describe(rnd: random.Random, posting: _Posting) -> str:
    """The posting as a Chinese job description, in one of three layouts.

    sections (about 60 %)
        headed 岗位职责 / 任职要求 / 薪资福利 sections (header words and styles vary: 【岗位职责】,
        工作职责：, ■ 任职资格 …), one numbered line each (1、 1. （1） or run together with ；);
    paragraph (about 28 %)
        the same content run together on one line, as postings gathered from job sites read;
    notice (about 12 %)
        a short notice without duties: 招聘要求：…。待遇：…。

    Every layout names the education, experience, age limits, certificates, welfare and
    headcount the record holds, and the pay range (or 面议 when the record has none).
    """
    spec = posting.spec
    industry = INDUSTRIES[posting.industry]
    place = AREA_NAMES[posting.area]
    unit = "公司" if industry.name_style == "company" else "单位"
    layout = rnd.choices(("sections", "paragraph", "notice"), weights=(0.6, 0.28, 0.12))[0]
    if layout == "notice":
        return _notice(rnd, posting, _intro(rnd, posting, unit, place), place)
    detail = rnd.choices(("brief", "normal", "detailed"), weights=(0.12, 0.48, 0.4))[0]
    intro = "" if detail == "brief" else _intro(rnd, posting, unit, place, detail == "detailed")

    if detail == "brief":
        duties = rnd.sample(spec.duties, min(2, len(spec.duties)))
    else:
        duties = rnd.sample(spec.duties, rnd.randint(min(3, len(spec.duties)), len(spec.duties)))
        extra = (2, 3) if detail == "detailed" else (1, 1, 2)
        duties += rnd.sample(_EXTRA_DUTIES[spec.collar], rnd.choice(extra))
    traits = {"brief": 1, "normal": 0, "detailed": 4}[detail]
    requirements = _requirements(rnd, posting, traits)
    pay = [_pay_phrase(rnd, posting)]
    if rnd.random() < 0.5:
        pay += _welfare_items(rnd, posting.welfare)
    else:
        joined = rnd.choice(("、", "、", " ")).join(posting.welfare)
        pay.append(rnd.choice((f"福利：{joined}", f"公司提供{joined}", f"福利待遇：{joined}")))
    details = {"brief": (0,), "normal": (0, 1, 1), "detailed": (1, 2, 3)}[detail]
    pay += rnd.sample(_PAY_DETAILS, rnd.choice(details))
    if rnd.random() < (0.8 if detail == "detailed" else 0.35):
        pay.append(rnd.choice(_PROSPECTS))
    pay.append(_headcount(rnd, posting))
    if rnd.random() < 0.7:
        pay.append(f"工作地点：{place}")
    if rnd.random() < (0.9 if detail == "detailed" else 0.45):
        pay.append(rnd.choice(_HOURS[spec.collar]))
    sections = [duties, requirements, pay]
    if detail == "detailed" and rnd.random() < 0.85:
        sections.append(rnd.sample(_ENVIRONMENT[spec.collar], rnd.randint(3, 5)))

    numbering = rnd.choice(_NUMBERING)
    style = rnd.choice(_HEADER_STYLES)
    headers = (
        rnd.choice(_DUTY_HEADERS),
        rnd.choice(_REQUIREMENT_HEADERS),
        rnd.choice(_PAY_HEADERS),
        rnd.choice(_OTHER_HEADERS),
    )
    closing = rnd.choice(("", "", *_APPLY)) if detail != "brief" else ""
    if detail == "detailed":
        closing = "。".join(rnd.sample(_APPLY, 2))
    if closing:
        closing = closing.replace("公司", unit) + "。"
    if layout == "paragraph":
        body = "".join(
            f"{header}：" + "".join(_numbered(lines, numbering or "{}、"))
            for header, lines in zip(headers, sections, strict=False)
        )
        return intro + body + closing
    lines: list[str] = [intro] if intro else []
    for header, body_lines in zip(headers, sections, strict=False):
        lines.append(style.format(header))
        lines.extend(_numbered(body_lines, numbering))
    if closing:
        lines.append(closing)
    return "\n".join(lines)


def _short_names(spec: TitleSpec) -> tuple[str, ...]:
    """Other names a posted title may carry beside it: short, and not a verb (开车 is said, not
    posted)."""
    return tuple(
        name for name in formal_names(spec.title) if len(name) <= 5 and phrase_form(name) != "verb"
    )


def decorated_title(
    rnd: random.Random,
    spec: TitleSpec,
    min_experience: int,
    welfare: Sequence[str],
    area: int,
) -> str:
    """The title as the employer posts it: mostly the plain market title, else decorated as
    real titles are (急招普工（包吃住）, 【射洪】叉车司机, 操作工/普工, 电工（长白班）); the market
    title is always part of it and every decoration is true of the posting."""
    title = spec.title
    roll = rnd.random()
    if roll < 0.04:
        return f"急招{title}"
    if roll < 0.06:
        return f"诚聘{title}"
    if roll < 0.09:
        for tag in (BOARD_AND_LODGING, "五险一金", "双休"):
            if tag in welfare:
                return f"{rnd.choice(('急招', ''))}{title}（{tag}）"
        return title
    if roll < 0.15:
        return f"【{_AREA_SHORT[area]}】{title}"
    if roll < 0.21:
        names = _short_names(spec)
        if names:
            other = rnd.choice(names)
            return f"{other}/{title}" if rnd.random() < 0.5 else f"{title}/{other}"
        return title
    if roll < 0.24 and spec.collar == "blue":
        return f"{title}（长白班）"
    if roll < 0.27 and min_experience == 0 and spec.collar != "white":
        return f"{title}（可培训）"
    if roll < 0.29:
        return f"高薪诚聘{title}"
    return title


_AREA_SHORT = ("船山", "安居", "蓬溪", "大英", "射洪", "经开区", "高新区", "河东新区")


# --- the table -------------------------------------------------------------------------------


def title_weights_by_industry() -> npt.NDArray[np.float64]:
    """Sampling weight of each title (columns) for each industry (rows).

    A title listed for the industry counts three times its market weight; a title for any
    employer (``industries is None``) counts once; others not at all.
    """
    weights = np.zeros((len(INDUSTRIES), len(TITLES)))
    for column, spec in enumerate(TITLES):
        for row, key in enumerate(INDUSTRY_KEYS):
            if spec.industries is None:
                weights[row, column] = spec.weight
            elif key in spec.industries:
                weights[row, column] = 3.0 * spec.weight
    return weights


def make_vacancies(
    count: int, employers: EmployerTable, schedule: Schedule, seed: int
) -> VacancyTable:
    """``count`` vacancies of the given employers, open within the schedule's span."""
    if count < 1:
        raise ValueError(f"vacancies must be at least 1, got {count}")
    rng = np.random.default_rng([seed, 2])
    rnd = random.Random(f"jobmatch-synth:{seed}:vacancies")
    codes: SkillCodes = skill_codes()
    n_employers = len(employers.records)
    posting_weights = np.array(SIZE_POSTING_WEIGHTS)[employers.size]
    if count >= n_employers:
        extra = rng.choice(
            n_employers, size=count - n_employers, p=posting_weights / posting_weights.sum()
        )
        owner = np.concatenate([np.arange(n_employers), extra])
    else:
        owner = rng.choice(
            n_employers, size=count, replace=False, p=posting_weights / posting_weights.sum()
        )
    owner = np.sort(owner).astype(np.int32)
    title_weights = title_weights_by_industry()
    title_cumulative = np.cumsum(title_weights, axis=1)
    title_draws = rng.random(count)

    table = VacancyTable.allocate(count, codes.words, schedule.n_campaigns)
    last_day = schedule.n_days - 1
    durations = (30, 45, 60, 60, 90, 90, 120, 180)
    for number in range(count):
        employer_index = int(owner[number])
        employer = employers.records[employer_index]
        industry = int(employers.industry[employer_index])
        area = int(employers.area[employer_index])
        size = int(employers.size[employer_index])
        cumulative = title_cumulative[industry]
        title_index = int(
            np.searchsorted(cumulative, title_draws[number] * cumulative[-1], side="right")
        )
        spec = TITLES[title_index]
        min_education = rnd.randint(*spec.education)
        if spec.max_experience == 0 or rnd.random() < (0.55 if spec.collar != "white" else 0.3):
            min_experience = 0
        else:
            min_experience = rnd.randint(1, max(1, spec.max_experience))
        salary_min, salary_max = _salary(rnd, spec, size, area)
        openings = _openings(rnd, spec.collar, size)
        accessible = spec.accessible and rnd.random() < ACCESSIBLE_SHARE
        required = (
            list(spec.required_certificates) if rnd.random() < spec.certificate_probability else []
        )
        preferred = [code for code in spec.preferred_certificates if rnd.random() < 0.4]
        target_groups = ["disabled"] if accessible else []
        if spec.collar == "white" and rnd.random() < 0.15:
            target_groups += ["fresh_graduate", "unemployed_graduate"]
        if spec.title in ("保安", "驾驶员", "货车司机", "安全员") and rnd.random() < 0.2:
            target_groups.append("veteran")
        negotiable = rnd.random() < NEGOTIABLE_SHARE[size]
        posting = _Posting(
            title=spec.title,
            spec=spec,
            employer=employer,
            industry=industry,
            area=area,
            min_education=min_education,
            min_experience=min_experience,
            age=_age_range(rnd, spec, min_education),
            salary=(salary_min, salary_max),
            salary_text=(
                None if negotiable else salary_phrase(rnd, salary_min, salary_max, spec.collar)
            ),
            openings=openings,
            openings_vague=openings >= 5 and rnd.random() < 0.15,
            skills=rnd.sample(
                spec.skills, rnd.randint(min(2, len(spec.skills)), min(4, len(spec.skills)))
            ),
            required=required,
            preferred=preferred,
            welfare=_welfare(rnd, spec, INDUSTRY_KEYS[industry], size),
            accessible=accessible,
            target_groups=target_groups,
            size=size,
        )
        posting.title = decorated_title(rnd, spec, min_experience, posting.welfare, area)
        valid_from = rnd.randint(0, max(0, last_day - 30))
        valid_until = min(last_day, valid_from + rnd.choice(durations) - 1)
        member = _campaigns_joined(rnd, schedule, employer, accessible, valid_from, valid_until)
        occupation = spec.occupation_by_industry.get(INDUSTRY_KEYS[industry], spec.occupation)
        is_open = employer.verification is not Verification.REJECTED
        table.records.append(
            Vacancy.model_validate(
                {
                    "id": f"V{number + 1:07d}",
                    "employer_id": employer.id,
                    "title": posting.title,
                    "occupation": occupation,
                    "description": describe(rnd, posting),
                    "region": AREA_CODES[area],
                    "min_education": min_education,
                    "min_experience_years": min_experience,
                    "age_min": posting.age[0] if posting.age else None,
                    "age_max": posting.age[1] if posting.age else None,
                    "salary_min": None if negotiable else salary_min,
                    "salary_max": None if negotiable else salary_max,
                    "openings": openings,
                    "skills": posting.skills,
                    "required_certificates": required,
                    "preferred_certificates": preferred,
                    "welfare": posting.welfare,
                    "accessible": accessible,
                    "target_groups": target_groups,
                    "campaigns": [
                        campaign.id
                        for campaign, joined in zip(schedule.campaigns, member, strict=True)
                        if joined
                    ],
                    "valid_from": schedule.date_of(valid_from),
                    "valid_until": schedule.date_of(valid_until),
                    "status": "open" if is_open else "closed",
                }
            )
        )
        table.employer[number] = employer_index
        table.title[number] = title_index
        table.occupation[number] = occupation_index(occupation)
        table.area[number] = area
        table.min_education[number] = min_education
        table.min_experience[number] = min_experience
        table.age_min[number] = posting.age[0] if posting.age else 0
        table.age_max[number] = posting.age[1] if posting.age else 200
        table.salary_min[number] = salary_min
        table.salary_max[number] = salary_max
        table.openings[number] = openings
        table.skills[number] = codes.encode(posting.skills)
        table.certificates[number] = np.uint64(sum(certificate_bit(code) for code in required))
        table.accessible[number] = accessible
        table.board_and_lodging[number] = BOARD_AND_LODGING in posting.welfare
        table.valid_from[number] = valid_from
        table.valid_until[number] = valid_until
        table.campaign_member[number] = member
        table.open[number] = is_open
    return table


def _campaigns_joined(
    rnd: random.Random,
    schedule: Schedule,
    employer: Employer,
    accessible: bool,
    valid_from: int,
    valid_until: int,
) -> list[bool]:
    joined: list[bool] = []
    for index, campaign in enumerate(schedule.campaigns):
        overlaps = bool(schedule.running[index, valid_from : valid_until + 1].any())
        if campaign.policy.accessible_only:
            eligible = overlaps and accessible and employer_eligible(campaign, employer)
            joined.append(eligible and rnd.random() < 0.9)
            continue
        eligible = overlaps and employer_eligible(campaign, employer)
        joined.append(eligible and rnd.random() < 0.6)
    return joined


def popularity(vacancies: VacancyTable) -> npt.NDArray[np.float32]:
    """How strongly the logging policy favours each vacancy regardless of the seeker.

    Larger headcounts, better pay, common titles and the city centre (船山区 and the parks) are
    shown more; this is the platform's "popular" signal, not the hidden utility.
    """
    title_weight = np.array([spec.weight for spec in TITLES])[vacancies.title]
    pay = (vacancies.salary_min + vacancies.salary_max) / 2.0
    centre = (vacancies.area == 0) | (vacancies.area >= COUNTY_COUNT)
    score: npt.NDArray[np.float64] = (
        0.35 * np.log1p(vacancies.openings)
        + 0.6 * np.log(pay / 4500.0)
        + 0.15 * np.log(title_weight / 1000.0 + 1.0)
        + 0.4 * centre
    )
    return score.astype(np.float32)
