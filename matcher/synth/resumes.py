"""Résumé texts of synthetic seekers, in the two registers a public employment office sees.

formal
    A written résumé of several lines: often a 基本情况 line (age or birth year, education, years
    of work, county, priority group), usually a 求职意向 naming the wanted jobs as posted, by an
    alias or by their 大典 name — and in about a fifth none, so that the wish is only readable from
    the work history (whose latest job is the first wish); 教育背景; 工作经历 with dates written
    in several ways (``2016.03-2021.03``, ``2016年3月至今``, ``2010-2015年``); 技能证书;
    自我评价. Sections and their headers vary. About 150–600 characters.
walk-in
    What a seeker says at the desk, written down as said: one line of short colloquial clauses
    (``退伍军人，开过五年货车，有B2驾照，想找司机或者保安的活，住船山区``). Jobs are named with
    phrases of the walk-in lexicon (:func:`matcher.synth.spoken.spoken_phrases`) rather than
    posted titles;
    years, ages and money in Chinese numerals (五年, 十几年, 五十多岁, 四千五). 20–120 characters.

About a third of seekers speak in the walk-in register: more among 农民工, 农村劳动力, 脱贫劳动力,
退捕渔民, 就业困难人员 and older seekers, few among graduates (:func:`walkin_probability`).

Whatever a text states is true of the seeker's record: the education word is the record's level,
stated years are the record's years (approximate words — 十几年, 五十多岁, 四千多 — read as their
least are at most the record's value and cover it), certificates are held, places are the home
county or desired areas, named groups are the seeker's. No text carries a name, phone number,
身份证号, address or gender: those are the seeker's :class:`~matcher.domain.records.Contact`.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Sequence
from typing import TYPE_CHECKING, Literal

from matcher.domain.records import DisabilityType
from matcher.reference import certificates, priority_groups
from matcher.synth.schedule import REFERENCE_YEAR
from matcher.synth.spoken import (
    SpokenPhrase,
    formal_names,
    spoken_age,
    spoken_certificate,
    spoken_money,
    spoken_phrases,
    spoken_years,
)
from matcher.synth.vocab import (
    AREA_CODES,
    AREA_NAMES,
    CHENGDU_BIT,
    CITY_BIT,
    COUNTY_COUNT,
    INDUSTRY_KEYS,
    LEAVE_AGE,
    TitleSpec,
)

if TYPE_CHECKING:
    from matcher.synth.people import Profile

Register = Literal["formal", "walkin"]

WALKIN_MIN_CHARS, WALKIN_MAX_CHARS = 20, 120
FORMAL_MIN_CHARS = 150
FORMAL_MAX_CHARS = 600

_WALKIN_SHARE: dict[str, float] = {
    "ordinary": 0.3,
    "returning_migrant": 0.6,
    "migrant_worker": 0.55,
    "stranded_worker": 0.45,
    "rural_labor": 0.65,
    "poverty_alleviated": 0.65,
    "relocated": 0.6,
    "retired_fisher": 0.75,
    "fresh_graduate": 0.03,
    "unemployed_graduate": 0.08,
    "sanzhi_yifu_expired": 0.05,
    "veteran": 0.4,
    "disabled": 0.35,
    "registered_unemployed": 0.3,
    "urban_unemployed": 0.3,
    "employment_difficulty": 0.6,
    "zero_employment_family": 0.55,
}
"""Base share of walk-in speech per archetype, before age and education."""


def walkin_probability(profile: Profile) -> float:
    """Chance that a seeker's text is walk-in speech: the archetype's share, +0.15 from 45
    years of age, × 0.7 with 大专 and × 0.3 with 本科 or more; at most 0.9."""
    share = _WALKIN_SHARE.get(profile.archetype.key, 0.3)
    if profile.age >= 45:
        share += 0.15
    if profile.education >= 4:
        share *= 0.3
    elif profile.education == 3:
        share *= 0.7
    return min(share, 0.9)


def birth_year_of(age: int) -> int:
    """Birth year for an age in the reference year, kept valid for today's age checks."""
    today = dt.date.today().year
    return min(max(REFERENCE_YEAR - age, today - 75), today - 16)


def write_resume(rnd: random.Random, profile: Profile) -> tuple[str, Register]:
    """The résumé text of a profile and its register (no personal data)."""
    if rnd.random() < walkin_probability(profile):
        return _walkin(rnd, profile), "walkin"
    return _formal(rnd, profile), "formal"


# --- shared ----------------------------------------------------------------------------------

_COUNTY_SHORT = ("船山", "安居", "蓬溪", "大英", "射洪")
_AREA_SHORT = (*_COUNTY_SHORT, "经开区", "高新区", "河东新区")
_AWAY_PLACES = ("广东东莞", "广东深圳", "广东佛山", "浙江宁波", "浙江义乌", "江苏苏州", "福建晋江")
_AWAY_SHORT = ("东莞", "深圳", "广东", "浙江", "江苏", "福建", "外省")
_NEAR_PLACES = ("遂宁本地", "成都", "重庆", "射洪", "船山区")
_ORGANISATIONS: dict[str, tuple[str, ...]] = {
    "lithium": ("一家锂电池企业", "某新能源科技公司"),
    "electronics": ("某电子厂", "一家电路板企业"),
    "liquor": ("一家酒厂", "某白酒企业"),
    "food": ("某食品厂", "一家食品加工企业"),
    "chemical": ("某化工企业", "一家天然气化工厂"),
    "equipment": ("某机械加工厂", "一家汽车零部件企业"),
    "textile": ("某服装厂", "一家纺织企业"),
    "logistics": ("某物流公司", "一家快递网点"),
    "pharma": ("某制药企业", "一家医药公司"),
    "construction": ("某建筑公司的工地", "一家建筑劳务公司"),
    "commerce": ("某超市", "一家商贸公司"),
    "hospitality": ("某餐饮店", "一家酒店"),
    "education": ("一所民办幼儿园", "一所民办学校"),
    "health": ("一家民营医院", "某养老机构"),
}

_EDUCATION_WORDS: dict[int, tuple[str, ...]] = {
    1: ("初中", "初中", "初中", "小学"),
    2: ("高中", "中专", "技校", "职高", "高中", "中专"),
    3: ("大专", "专科", "高职", "大专"),
    4: ("本科", "本科", "大学本科"),
    5: ("硕士研究生", "硕士"),
    6: ("博士研究生", "博士"),
}
"""How a seeker names the level they hold (小学 and 初中 are both 初中及以下)."""


def _education_word(rnd: random.Random, level: int) -> str:
    return rnd.choice(_EDUCATION_WORDS[level])


def _named(rnd: random.Random, spec: TitleSpec, exact_share: float, spoken: bool = False) -> str:
    """A written name of a job: the posted title, else an alias or its 大典 name (not in speech
    when longer than five characters)."""
    names = formal_names(spec.title)
    if spoken:
        names = tuple(name for name in names if len(name) <= 5)
    if not names or rnd.random() < exact_share:
        return spec.title
    return rnd.choice(names)


def _organisation(rnd: random.Random, spec: TitleSpec) -> str:
    keys = spec.industries or INDUSTRY_KEYS
    return rnd.choice(_ORGANISATIONS[rnd.choice(keys)])


def _desired_places(desired_areas: int) -> list[str]:
    names = [AREA_NAMES[a] for a in range(len(AREA_CODES)) if desired_areas >> a & 1]
    if desired_areas & CITY_BIT:
        names.append("遂宁市区及各县")
    if desired_areas & CHENGDU_BIT:
        names.append("成都")
    return names


def _join(rnd: random.Random, items: Sequence[str]) -> str:
    if len(items) == 1:
        return items[0]
    if len(items) == 2 and rnd.random() < 0.4:
        return f"{items[0]}或{items[1]}"
    return "、".join(items)


# --- walk-in speech --------------------------------------------------------------------------

_DISABILITY_SPOKEN: dict[DisabilityType, tuple[str, ...]] = {
    DisabilityType.PHYSICAL: ("腿脚不太方便", "肢体有残疾", "腿有残疾，走路不太方便"),
    DisabilityType.HEARING: ("耳朵听不太清，可以打字交流", "听力残疾"),
    DisabilityType.VISUAL: ("眼睛看不太清", "视力残疾"),
    DisabilityType.SPEECH: ("说话不方便，可以写字交流", "言语残疾"),
    DisabilityType.INTELLECTUAL: ("智力残疾，能做简单的活", "智力残疾"),
    DisabilityType.MENTAL: ("精神残疾，病情稳定", "精神残疾，吃着药，情况稳定"),
    DisabilityType.MULTIPLE: ("多重残疾", "身上有几种残疾"),
}
_WALKIN_EDUCATION: dict[int, tuple[str, ...]] = {
    1: ("初中文化", "初中毕业", "小学文化", "只读过小学", "读过初中", "初中没毕业"),
    2: ("高中毕业", "读过高中", "中专毕业", "技校毕业", "高中文化", "职高毕业"),
    3: ("大专毕业", "读的大专", "专科毕业", "高职毕业"),
    4: ("本科毕业", "大学本科毕业"),
    5: ("硕士毕业",),
    6: ("博士毕业",),
}
_EXTRAS = (
    "随时可以上班",
    "明天就能上班",
    "能倒班",
    "最好包吃住",
    "能吃苦",
    "身体好",
    "有力气",
    "不怕累",
    "能加班",
)


def _group_clause(rnd: random.Random, profile: Profile) -> str | None:
    groups = set(profile.groups)
    roll = rnd.random()
    if profile.disability is not None:
        if roll < 0.85:
            said = rnd.choice(_DISABILITY_SPOKEN[profile.disability])
            return said + ("，有残疾证" if rnd.random() < 0.5 else "")
        return None
    if "veteran" in groups and roll < 0.7:
        return rnd.choice(("退伍军人", "退役军人", "当过兵，退伍了", "部队退伍的"))
    if "retired_fisher" in groups and roll < 0.8:
        return rnd.choice(("以前是渔民，退捕上岸了", "退捕渔民", "以前在涪江上打鱼，现在退捕了"))
    if "returning_migrant" in groups and roll < 0.6:
        away = rnd.choice(_AWAY_SHORT)
        return rnd.choice((f"刚从{away}打工回来", "在外面打了好多年工，今年返乡了", "返乡的"))
    if "poverty_alleviated" in groups and roll < 0.35:
        return rnd.choice(("家里是脱贫户", "脱贫户", "建档立卡户"))
    if "relocated" in groups and roll < 0.45:
        return rnd.choice(("易地搬迁户，住安置点", "搬迁户，住安置点"))
    if "zero_employment_family" in groups and roll < 0.3:
        return "零就业家庭"
    if "employment_difficulty" in groups and roll < 0.25:
        return "就业困难人员"
    if "migrant_worker" in groups and roll < 0.35:
        return rnd.choice(("农民工", "一直在外面打工", "外出务工好多年"))
    if "fresh_graduate" in groups and roll < 0.7:
        return rnd.choice(("今年刚毕业", "应届毕业生"))
    if "sanzhi_yifu_expired" in groups and roll < 0.7:
        return "三支一扶服务期满了"
    if groups & {"registered_unemployed", "urban_unemployed"} and roll < 0.3:
        return rnd.choice(("原来的单位倒闭了，失业在家", "失业了一段时间"))
    return None


def _phrases(spec: TitleSpec) -> tuple[SpokenPhrase, ...]:
    return spoken_phrases(spec.title)


def _pick_phrase(rnd: random.Random, spec: TitleSpec, avoid: str = "") -> tuple[str, str] | None:
    """A spoken phrase for the title and its form; None when the lexicon has none."""
    phrases = [p for p in _phrases(spec) if p.text != avoid and not p.text.startswith("在")]
    phrases = phrases or list(_phrases(spec))
    if not phrases:
        return None
    weights = [3.0 if phrase.kind == "job" else 1.0 for phrase in phrases]
    phrase = rnd.choices(phrases, weights=weights)[0]
    return phrase.text, phrase.form


_INSERT_VERBS = frozenset("开扎绑烧踩带砌搭端洗拉送修看管卖养种炒做")
"""One-character verbs that take 过 + a duration before their object: 开过五年货车."""


def _past_clause(rnd: random.Random, profile: Profile, spec: TitleSpec) -> tuple[str, str]:
    """What the seeker did, with the years (usually); returns the clause and the phrase used."""
    years = profile.experience
    said = spoken_years(rnd, years) if years >= 1 and rnd.random() < 0.85 else ""
    picked = _pick_phrase(rnd, spec)
    if picked is None or rnd.random() < 0.05:
        name = _named(rnd, spec, 0.4, spoken=True)
        if said:
            return rnd.choice((f"做了{said}{name}", f"当过{said}{name}")), name
        return rnd.choice((f"做过{name}", f"以前是{name}")), name
    phrase, form = picked
    away = profile.archetype.career == "returning" and rnd.random() < 0.6
    if form == "verb":
        if said:
            if phrase[0] in _INSERT_VERBS and len(phrase) >= 3 and rnd.random() < 0.5:
                return f"{phrase[0]}过{said}{phrase[1:]}", phrase
            options = (f"{phrase}{said}了", f"{phrase}，干了{said}", f"以前{phrase}，干了{said}")
            return rnd.choice(options), phrase
        return rnd.choice((f"以前{phrase}", f"会{phrase}", f"{phrase}的")), phrase
    if form == "person":
        if said:
            return rnd.choice((f"当过{said}{phrase}", f"做了{said}{phrase}")), phrase
        return rnd.choice((f"当过{phrase}", f"以前是{phrase}")), phrase
    if form == "activity":
        if said:
            return rnd.choice((f"做{phrase}{said}了", f"干{phrase}干了{said}")), phrase
        return rnd.choice((f"做过{phrase}", f"搞过{phrase}")), phrase
    where = f"在{rnd.choice(_AWAY_SHORT)}的{phrase.removeprefix('在')}" if away else phrase
    if not where.startswith("在"):
        where = "在" + where
    if said:
        return rnd.choice((f"{where}干了{said}", f"{where}干过{said}")), phrase
    return rnd.choice((f"{where}干过", f"{where}做过")), phrase


def _wish_words(rnd: random.Random, spec: TitleSpec, avoid: str) -> tuple[str, str]:
    """How the seeker names a wanted job (a phrase, sometimes the title) and its form."""
    picked = _pick_phrase(rnd, spec, avoid)
    if picked is None:
        return _named(rnd, spec, 0.4, spoken=True), "person"
    if rnd.random() < 0.06:
        return spec.title, "person"
    return picked


def _desire_clause(rnd: random.Random, profile: Profile, avoid: str) -> str:
    first = _wish_words(rnd, profile.titles[0], avoid)
    if len(profile.titles) > 1 and rnd.random() < 0.5:
        second = _wish_words(rnd, profile.titles[1], first[0])
        if second[0] != first[0]:
            a, b = first[0], second[0]
            return rnd.choice(
                (f"想找{a}或者{b}的活", f"{a}、{b}都行", f"想找{a}或{b}的工作", f"{a}或者{b}都可以")
            )
    words, form = first
    options: tuple[str, ...]
    if form == "verb":
        options = (f"想找{words}的活", f"想{words}", f"还是想{words}", f"找个{words}的活")
    elif form == "person":
        options = (f"想找{words}的活", f"想当{words}", f"想找个{words}的工作", f"{words}也行")
    elif form == "activity":
        options = (f"想找{words}的活", f"想做{words}", f"{words}的活也行", f"想找{words}方面的")
    else:
        into = f"想进{words}" if words.endswith("厂") else f"想去{words}上班"
        options = (into, f"想在{words}找个活", f"想找{words}的活")
    return rnd.choice(options)


def _certificate_clause(rnd: random.Random, profile: Profile) -> str | None:
    if not profile.certificates or rnd.random() >= 0.85:
        return None
    names = [spoken_certificate(code) for code in profile.certificates[:3]]
    held = "、".join(names) if len(names) > 2 else "和".join(names)
    both = f"{held}都有" if len(names) > 1 else f"有{held}"
    return rnd.choice((f"有{held}", both, f"拿了{held}"))


def _skill_clause(rnd: random.Random, profile: Profile) -> str | None:
    if not profile.skills or rnd.random() >= 0.45:
        return None
    skills = rnd.sample(profile.skills, min(len(profile.skills), rnd.choice((1, 2, 2, 3))))
    return rnd.choice(("会", "懂", "会", "熟悉")) + "、".join(skills)


def _home_clause(rnd: random.Random, profile: Profile) -> str:
    county = AREA_NAMES[profile.area]
    short = _COUNTY_SHORT[profile.area]
    options = (f"住{county}", f"{county}人", f"家在{county}", f"住{short}那边", f"{short}人")
    return rnd.choice((*options, f"住在{county}"))


def _where_clause(rnd: random.Random, profile: Profile) -> str | None:
    """A wish about where to work, true of the desired areas."""
    others = [
        a for a in range(len(AREA_CODES)) if profile.desired_areas >> a & 1 and a != profile.area
    ]
    roll = rnd.random()
    if roll < 0.35:
        return rnd.choice(("想找离家近的", "最好离家近点", "离家近就行"))
    if roll < 0.55 and others:
        area = rnd.choice(others)
        name = AREA_NAMES[area] if area < COUNTY_COUNT else _AREA_SHORT[area]
        return rnd.choice((f"想在{name}上班", f"{name}那边也可以"))
    if roll < 0.65 and profile.desired_areas & CITY_BIT:
        return "遂宁市里哪里都行"
    if roll < 0.7 and profile.desired_areas & CHENGDU_BIT:
        return "去成都也可以"
    return None


def _salary_clause(rnd: random.Random, profile: Profile) -> str:
    amount = profile.expected_salary
    thousands, rest = divmod(amount, 1000)
    if rest == 500 and thousands < 10 and rnd.random() < 0.4:
        money = spoken_money(rnd, thousands * 1000) + "多"
        return rnd.choice((f"一个月{money}就行", f"工资{money}就可以"))
    money = spoken_money(rnd, amount)
    if rest == 0 and rnd.random() < 0.4:
        return rnd.choice((f"想要{money}以上", f"工资{money}以上"))
    return rnd.choice((f"工资{money}左右", f"一个月{money}就行", f"想要{money}左右"))


def _walkin(rnd: random.Random, profile: Profile) -> str:
    """One line of walk-in speech; optional clauses dropped until it fits 120 characters."""
    spec = profile.titles[0]
    # (clause, keep rank: lower is dropped first)
    before: list[tuple[str, int]] = []
    after: list[tuple[str, int]] = []
    group = _group_clause(rnd, profile)
    if group:
        before.append((group, 5))
    if rnd.random() < (0.65 if profile.age >= 45 else 0.4):
        age = spoken_age(rnd, profile.age)
        before.append(((f"今年{age}" if rnd.random() < 0.5 else age), 3))
    home_first = rnd.random() < 0.35
    if home_first and rnd.random() < 0.8:
        before.append((_home_clause(rnd, profile), 6))
    used = ""
    if profile.experience >= 1 and rnd.random() < 0.9:
        past, used = _past_clause(rnd, profile, spec)
        before.append((past, 8))
    elif profile.experience == 0 and rnd.random() < 0.5:
        before.append((rnd.choice(("没上过班", "还没工作过", "没工作经验")), 4))
    if rnd.random() < 0.65:
        words = _WALKIN_EDUCATION[profile.education]
        before.insert(rnd.randint(max(0, len(before) - 1), len(before)), (rnd.choice(words), 4))
    skill = _skill_clause(rnd, profile)
    if skill:
        before.append((skill, 1))
    certificate = _certificate_clause(rnd, profile)
    if certificate:
        before.append((certificate, 7))
    desire = _desire_clause(rnd, profile, used)
    if rnd.random() < 0.5:
        salary = _salary_clause(rnd, profile)
        after.append((salary, 2))
    where = _where_clause(rnd, profile)
    if where:
        after.append((where, 3))
    if not home_first and rnd.random() < 0.75:
        after.append((_home_clause(rnd, profile), 6))
    if rnd.random() < 0.35:
        after.append((rnd.choice(_EXTRAS), 0))
    clauses = [*before, (desire, 10), *after]
    separator = rnd.choice(("，", "，", "，", ","))
    end = rnd.choice(("。", "", ""))

    def text_of(kept: list[tuple[str, int]]) -> str:
        return separator.join(clause for clause, _ in kept) + end

    while len(text_of(clauses)) > WALKIN_MAX_CHARS:
        weakest = min(range(len(clauses)), key=lambda i: (clauses[i][1], -i))
        clauses.pop(weakest)
    fillers = [
        rnd.choice(_EXTRAS),
        f"今年{spoken_age(rnd, profile.age)}",
        _home_clause(rnd, profile),
    ]
    while len(text_of(clauses)) < WALKIN_MIN_CHARS and fillers:
        filler = fillers.pop()
        if filler not in text_of(clauses):
            clauses.append((filler, 0))
    return text_of(clauses)


# --- formal résumés --------------------------------------------------------------------------

_HEADERS = (
    (
        "【基本信息】",
        "【求职意向】",
        "【教育背景】",
        "【工作经历】",
        "【技能证书】",
        "【自我评价】",
    ),
    ("基本情况：", "求职意向：", "教育背景：", "工作经历：", "技能证书：", "自我评价："),
    (
        "一、基本情况",
        "二、求职意向",
        "三、教育背景",
        "四、工作经历",
        "五、技能证书",
        "六、自我评价",
    ),
    ("■个人信息", "■求职意向", "■教育经历", "■工作经历", "■技能证书", "■自我评价"),
    ("个人信息", "求职意向", "教育经历", "工作经验", "技能特长", "自我介绍"),
)
_SELF_ASSESSMENT: dict[str, tuple[str, ...]] = {
    "general": (
        "为人踏实，责任心强。",
        "吃苦耐劳，服从安排。",
        "工作认真细致，有耐心。",
        "性格开朗，善于沟通。",
        "学习能力强，能较快适应新岗位。",
        "有较强的团队合作意识。",
        "做事有条理，守时守信。",
        "能吃苦，愿意从基层做起。",
        "身体健康，能适应倒班。",
        "服从管理，遵守公司规章制度。",
    ),
    "returning": ("多年在外务工，现希望在家乡附近稳定就业，方便照顾家庭。",),
    "graduate": (
        "在校期间学习认真，专业基础扎实。",
        "参加过校园社团活动，有一定的组织协调能力。",
        "希望在实践中提升专业能力，与单位共同成长。",
    ),
    "veteran": ("退役军人，纪律性强，执行力强。", "经过部队锻炼，作风过硬，能吃苦。"),
    "fisher": ("原为退捕渔民，上岸后希望学习新技能，尽快转产就业。",),
    "relocated": ("希望在安置点附近就业，兼顾家庭。",),
}
_SPECIAL_ASSESSMENT = {
    "returning_migrant": "returning",
    "fresh_graduate": "graduate",
    "unemployed_graduate": "graduate",
    "sanzhi_yifu_expired": "graduate",
    "veteran": "veteran",
    "retired_fisher": "fisher",
    "relocated": "relocated",
}


def _basics(rnd: random.Random, profile: Profile, with_intent: bool) -> list[str]:
    """Items of the 基本情况 line; may be empty."""
    items: list[str] = []
    if rnd.random() < 0.55:
        birth = birth_year_of(profile.age)
        age = profile.age
        items.append(
            rnd.choice((f"年龄：{age}岁", f"{birth}年生", f"出生年份：{birth}年", f"{age}岁"))
        )
    if rnd.random() < 0.88:
        word = _education_word(rnd, profile.education)
        forms = (f"学历：{word}", f"{word}学历", f"最高学历：{word}", f"文化程度：{word}")
        items.append(rnd.choice(forms))
    years = profile.experience
    if years >= 1 and rnd.random() < 0.5:
        items.append(rnd.choice((f"工作年限：{years}年", f"{years}年工作经验", f"工龄{years}年")))
    elif years == 0 and rnd.random() < 0.5:
        items.append("无工作经验")
    if rnd.random() < 0.5:
        county = AREA_NAMES[profile.area]
        places = (f"现居：{county}", f"现居住地：遂宁市{county}", f"居住地：{county}")
        items.append(rnd.choice(places))
    named = [
        priority_groups()[code].name
        for code in profile.groups
        if code not in ("rural_labor", "urban_unemployed")
    ]
    if named and rnd.random() < 0.35:
        items.append(f"人员类别：{'、'.join(named[:2])}")
    if not with_intent and rnd.random() < 0.4:
        items.append(f"期望月薪：{profile.expected_salary}元")
    return items


def _intent(rnd: random.Random, profile: Profile) -> str:
    exact_share = 0.6
    titles = "、".join(dict.fromkeys(_named(rnd, spec, exact_share) for spec in profile.titles))
    places = "、".join(_desired_places(profile.desired_areas))
    salary = profile.expected_salary
    intent = rnd.choice(
        (
            f"意向岗位：{titles}；期望月薪：{salary}元；期望地点：{places}。",
            f"希望从事{titles}等工作，期望薪资{salary}元/月左右，工作地点首选{places}。",
            f"应聘{titles}，期望月薪{salary}元以上，可接受{places}范围内的工作。",
            f"求职方向为{titles}，月薪期望{salary}元，{places}均可。",
            f"期望职位：{titles}\n期望薪资：{salary}元/月\n期望城市：{places}",
        )
    )
    if rnd.random() < 0.4:
        when = rnd.choice(("随时到岗。", "一周内可到岗。", "可接受倒班。"))
        intent += when if intent.endswith("。") else "\n" + when
    return intent


def _education_line(rnd: random.Random, profile: Profile) -> str | None:
    if profile.education < 3 or profile.major is None or rnd.random() >= 0.7:
        return None
    graduation = REFERENCE_YEAR - profile.age + LEAVE_AGE[profile.education]
    if profile.archetype.key == "fresh_graduate":
        graduation = REFERENCE_YEAR
    school = {
        3: ("省内一所高职院校", "遂宁本地一所职业技术学院"),
        4: ("省内一所本科院校", "外省一所本科院校"),
    }.get(profile.education, ("省内一所高校",))
    word = _education_word(rnd, profile.education)
    month = rnd.choice((6, 7))
    return rnd.choice(
        (
            f"{graduation}年毕业于{rnd.choice(school)}，{profile.major.name}专业，{word}。",
            f"{graduation - (3 if profile.education == 3 else 4)}.09-{graduation}.{month:02d}"
            f"  {rnd.choice(school)}  {profile.major.name}（{word}）",
            f"毕业院校：{rnd.choice(school)}；专业：{profile.major.name}；学历：{word}",
        )
    )


def _stint_line(
    rnd: random.Random,
    start: int,
    end: int,
    month: int,
    place: str,
    spec: TitleSpec,
    until_now: bool,
) -> str:
    organisation = _organisation(rnd, spec)
    duty = rnd.choice(spec.duties)
    name = _named(rnd, spec, 0.75)
    if until_now and rnd.random() < 0.6:
        return rnd.choice(
            (
                f"{start}.{month:02d}-至今  {place}{organisation}  {name}\n主要工作：{duty}。",
                f"{start}年{month}月至今，在{place}{organisation}任{name}，{duty}。",
            )
        )
    return rnd.choice(
        (
            f"{start}年—{end}年，在{place}{organisation}从事{name}工作，{duty}。",
            f"{start}-{end}年：{place}{organisation}，{name}。{duty}。",
            f"{start}.{month:02d}-{end}.{month:02d}  {place}{organisation}  {name}\n"
            f"主要工作：{duty}。",
            f"{start}年{month}月至{end}年{month}月，{place}{organisation}，任{name}。{duty}。",
        )
    )


def _work_history(rnd: random.Random, profile: Profile) -> list[str]:
    """Work history lines; the latest job is the first desired title (mostly)."""
    archetype = profile.archetype
    birth_year = REFERENCE_YEAR - profile.age
    first_year = birth_year + LEAVE_AGE[profile.education]
    titles = profile.titles
    if archetype.career == "graduate":
        notes = ["暂无正式工作经历。"] if profile.experience == 0 else []
        spec = titles[0]
        months = rnd.randint(2, 6)
        name = _named(rnd, spec, 0.7)
        notes.append(
            rnd.choice(
                (
                    f"{REFERENCE_YEAR - 1}年在{_organisation(rnd, spec)}实习约{months}个月，"
                    f"参与{name}相关工作，{rnd.choice(spec.duties)}。",
                    f"在校期间曾到{_organisation(rnd, spec)}实习，参与{name}相关工作。",
                )
            )
        )
        if profile.experience:
            notes.append(f"毕业后从事{name}相关工作约一年。")
        return notes
    if archetype.career == "sanzhi":
        county = AREA_NAMES[profile.area]
        kind = rnd.choice(("支农", "支教", "支医", "乡村振兴协理"))
        end = REFERENCE_YEAR - rnd.randint(0, 1)
        start = max(first_year, end - 2)
        return [
            f"{start}年—{end}年参加“三支一扶”计划，在{county}一个乡镇从事{kind}工作，"
            "服务期满考核合格。"
        ]
    lines: list[str] = []
    years = profile.experience
    if archetype.career == "veteran" and years >= 2:
        service = min(years, rnd.randint(2, 5))
        army_start = max(first_year, REFERENCE_YEAR - years)
        role = rnd.choice(
            (
                "担任汽车驾驶员",
                "从事后勤保障工作",
                "担任班长，负责日常训练和管理",
                "从事营区警卫工作",
            )
        )
        lines.append(f"{army_start}年—{army_start + service}年在部队服役，{role}。")
        years -= service
        first_year = army_start + service
    if years <= 0:
        if not lines:
            lines.append("暂无工作经历，愿意从学徒做起，接受岗前培训。")
        return lines
    gap = rnd.randint(0, 2) if archetype.career == "returning" or archetype.groups else 0
    gap = min(gap, max(0, REFERENCE_YEAR - first_year - years))
    end_year = REFERENCE_YEAR - gap
    start_year = max(first_year, end_year - years)
    stints = min(rnd.randint(1, 3), max(1, end_year - start_year))
    cuts = sorted(rnd.sample(range(start_year + 1, end_year), stints - 1)) if stints > 1 else []
    bounds = [start_year, *cuts, end_year]
    month = rnd.randint(1, 6)
    for number in range(stints):
        latest = stints - 1 - number
        spec = titles[min(latest, len(titles) - 1)] if rnd.random() < 0.85 else rnd.choice(titles)
        away = archetype.career == "returning" and latest > 0
        place = rnd.choice(_AWAY_PLACES if away or rnd.random() < 0.15 else _NEAR_PLACES)
        until_now = latest == 0 and gap == 0
        lines.append(
            _stint_line(rnd, bounds[number], bounds[number + 1], month, place, spec, until_now)
        )
    if archetype.career == "returning":
        lines.append(f"{end_year}年返乡，希望在本地企业就业。")
    return lines


def _certificate_names(rnd: random.Random, codes: list[str]) -> str:
    table = certificates()
    return "、".join(
        table[code].name if rnd.random() < 0.7 else spoken_certificate(code) for code in codes
    )


def _skills_line(rnd: random.Random, profile: Profile) -> str:
    skills = "、".join(profile.skills)
    if profile.certificates:
        names = _certificate_names(rnd, profile.certificates)
        return rnd.choice(
            (
                f"持有{names}。熟悉{skills}。",
                f"证书：{names}；技能：{skills}。",
                f"技能：{skills}\n证书：{names}",
                f"熟练掌握{skills}，持{names}。",
            )
        )
    return rnd.choice((f"暂无职业资格证书，掌握{skills}。", f"技能：{skills}。", f"熟悉{skills}。"))


def _self_assessment(rnd: random.Random, profile: Profile, sentences: int) -> str:
    chosen = rnd.sample(_SELF_ASSESSMENT["general"], sentences)
    special = _SPECIAL_ASSESSMENT.get(profile.archetype.key)
    if special:
        chosen.insert(0, rnd.choice(_SELF_ASSESSMENT[special]))
    if profile.disability is not None:
        chosen.insert(
            0,
            f"本人为{profile.disability.value}（{profile.disability_grade}级），生活能够自理，"
            f"{'，'.join(profile.needs)}。",
        )
    return "".join(chosen)


def _formal(rnd: random.Random, profile: Profile) -> str:
    """A written résumé; see the module docstring."""
    basics_header, intent_header, school_header, work_header, skills_header, self_header = (
        rnd.choice(_HEADERS)
    )
    with_intent = rnd.random() >= 0.2
    lines: list[str] = []
    basics = _basics(rnd, profile, with_intent)
    if basics:
        style = rnd.random()
        if style < 0.4:
            lines += [basics_header, *basics]
        elif style < 0.7:
            lines += [basics_header, "；".join(basics) + "。"]
        else:
            lines.append("，".join(basics) + "。")
    if with_intent:
        lines += [intent_header, _intent(rnd, profile)]
    school = _education_line(rnd, profile)
    if school:
        lines += [school_header, school]
    lines.append(work_header)
    lines.extend(_work_history(rnd, profile))
    if rnd.random() < 0.92:
        lines += [skills_header, _skills_line(rnd, profile)]
    assessment = rnd.random() < 0.85
    sentences = rnd.randint(1, 3)
    text = "\n".join(lines)
    if assessment:
        text += f"\n{self_header}\n{_self_assessment(rnd, profile, sentences)}"
    while len(text) < FORMAL_MIN_CHARS and sentences < len(_SELF_ASSESSMENT["general"]):
        sentences += 1
        text = "\n".join(lines) + f"\n{self_header}\n{_self_assessment(rnd, profile, sentences)}"
    if len(text) > FORMAL_MAX_CHARS:
        text = "\n".join(lines)
    return text
