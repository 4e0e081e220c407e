"""权益维护: discriminatory requirements in vacancy text, flagged with the offending span.

Sources, one line each:

- 《就业促进法》第三条 (民族、种族、性别、宗教信仰), 第二十六条 (平等就业), 第二十七条 (妇女),
  第二十八条 (民族), 第二十九条 (残疾人), 第三十条 (传染病病原携带者), 第三十一条 (农村劳动者).
- 《妇女权益保障法》(2022) 第四十三条: no 限男性/男性优先, no 婚育 status as a hiring condition.
- 《就业服务与就业管理规定》第十九条 (乙肝), 第二十条 (招聘广告不得包含歧视性内容).
- 人社部发〔2019〕17号《关于进一步规范招聘行为促进妇女就业的通知》.
- 《残疾人保障法》第三十八条.

A rule matches a *requirement phrase* (限/仅/只招/要求/优先/勿扰/不招 …) next to a protected
attribute, never the attribute word alone, so 男装店导购, 男科医院, 男女不限, 乙肝疫苗接种, 民族路
or 协助办理户籍 are not flagged. Rules run on a width-folded copy of the text (full-width ASCII →
ASCII, one character for one), so offsets are offsets into the original text.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Final, Literal

from features.redact import MAX_TEXT_CHARS
from features.text import fold_width

__all__ = [
    "COMPLIANCE_CATEGORIES",
    "ComplianceCategory",
    "ComplianceFlag",
    "ComplianceSeverity",
    "check_compliance",
]

ComplianceCategory = Literal[
    "gender",
    "ethnicity",
    "hepatitis_b",
    "infectious_disease",
    "marital_childbearing",
    "household_registration",
    "religion",
    "zodiac",
    "appearance",
    "disability",
]
ComplianceSeverity = Literal["violation", "review"]

COMPLIANCE_CATEGORIES: Final[tuple[ComplianceCategory, ...]] = (
    "gender",
    "ethnicity",
    "hepatitis_b",
    "infectious_disease",
    "marital_childbearing",
    "household_registration",
    "religion",
    "zodiac",
    "appearance",
    "disability",
)
"""Every category a flag can carry, in reporting order."""


@dataclass(frozen=True, slots=True)
class ComplianceFlag:
    """One discriminatory requirement found in a text.

    ``text[start:end] == span`` for the text that was checked. ``severity`` is ``"violation"`` for a
    requirement the law forbids outright and ``"review"`` for one that is lawful only for some posts
    (户籍 for some public posts, 身高 where the job needs it) and needs a person to look at it.
    """

    category: ComplianceCategory
    severity: ComplianceSeverity
    start: int
    end: int
    span: str
    rule: str
    message: str


@dataclass(frozen=True, slots=True)
class _Rule:
    rule: str
    category: ComplianceCategory
    severity: ComplianceSeverity
    pattern: re.Pattern[str]
    message: str
    both_genders_guard: bool = False
    span_group: str | None = None


# Full-width ASCII (U+FF01..U+FF5E) and the ideographic space to ASCII: one character for one, so
# offsets survive. NFKC would also do this but changes lengths elsewhere (㎝ → cm, ① → 1).

_MSG_GENDER: Final = (
    "性别限制或性别优先：违反《就业促进法》第二十七条、《妇女权益保障法》第四十三条"
)
_MSG_GENDER_QUOTA: Final = (
    "按性别分配招聘名额：以性别为由限制录用"
    "（《就业促进法》第二十七条、《妇女权益保障法》第四十三条）"
)
_MSG_ETHNICITY: Final = "民族限制：违反《就业促进法》第三条、第二十八条"
_MSG_ETHNICITY_REVIEW: Final = (
    "限定少数民族：仅民族地区定向岗位可设（《就业促进法》第二十八条），需复核"
)
_MSG_HEPATITIS_B: Final = "乙肝歧视：违反《就业促进法》第三十条、《就业服务与就业管理规定》第十九条"
_MSG_HEPATITIS_B_REVIEW: Final = (
    "乙肝检测作为录用条件：除法规禁止携带者从事的工作外不得要求（《就业服务与就业管理规定》"
    "第十九条），需复核"
)
_MSG_INFECTIOUS: Final = "传染病病原携带者限制：违反《就业促进法》第三十条"
_MSG_INFECTIOUS_REVIEW: Final = (
    "无传染病要求：仅法规规定的岗位（如食品、公共场所从业人员）可设"
    "（《就业促进法》第三十条），需复核"
)
_MSG_MARITAL: Final = (
    "婚育状况作为录用条件：违反《妇女权益保障法》第四十三条（人社部发〔2019〕17号）"
)
_MSG_HOUSEHOLD_REVIEW: Final = (
    "户籍限制：一般岗位不得以户籍设限（《就业促进法》第二十六条），部分机关事业岗位除外，需复核"
)
_MSG_RURAL: Final = "歧视农村户籍劳动者：违反《就业促进法》第三十一条"
_MSG_REGIONAL: Final = "地域歧视：违反《就业促进法》第三条、第二十六条"
_MSG_RELIGION: Final = "宗教信仰限制：违反《就业促进法》第三条"
_MSG_RELIGION_REVIEW: Final = (
    "宗教信仰要求：除法律另有规定的岗位外构成歧视（《就业促进法》第三条），需复核"
)
_MSG_ZODIAC: Final = "属相/星座限制：与岗位无关的歧视性内容（《就业服务与就业管理规定》第二十条）"
_MSG_APPEARANCE: Final = (
    "外貌/身高/体重要求：与岗位无直接关联时构成歧视（《就业促进法》第二十六条），需复核"
)
_MSG_DISABILITY: Final = "残疾人限制：违反《就业促进法》第二十九条、《残疾人保障法》第三十八条"
_MSG_DISABILITY_REVIEW: Final = (
    "身体健全要求：与岗位无直接关联时构成对残疾人的歧视（《就业促进法》第二十九条），需复核"
)

# --- building blocks (plain strings, compiled into the rules below) -----------------------------

# 限/仅限 …: 不限, 无限, 不仅限于 and 期限, 上限, 年限 … are no restriction.
_LIMIT = r"(?:(?<![不无])(?:仅限于?|只限于?)|(?<![不无仅只期上下极权界时年局])限(?:于|招)?)"
# 只招/仅要 …: a requirement that admits one group only.
_ONLY = (
    r"(?:仅招收?|只招收?|仅聘用?|只聘用?|仅录用?|只录用?|仅要|只要|只收|仅收|只接受|仅接受"
    r"|只面向|仅面向)"
)
# 要求/必须 …: a stated requirement (身高要求/年龄要求 name another attribute).
_MUST = r"(?:(?<!身高)(?<!体重)(?<!年龄)要求(?:是|为)?\s{0,3}:?|须为|需为|必须(?:是|为)?)"
_RESTRICT = r"(?:" + _LIMIT + "|" + _ONLY + "|" + _MUST + r")\s{0,3}"
# Gender also counts 招/招聘/需要 + a gender word: 招女工, 诚聘男性, 需要男同事.
_GENDER_RESTRICT = (
    r"(?:"
    + _LIMIT
    + "|"
    + _ONLY
    + "|"
    + _MUST
    + r"|需要|需|招聘|诚聘|急聘|急招|招|(?:只|仅)?适合|(?<![需只仅不重主想])要(?=[男女]))\s{0,3}"
)
# 勿扰/不招 …: an exclusion that follows the group. 除外 only in _EXCLUDE_AFTER, because
# 孕期、哺乳期女职工除外 exempts (from overtime) rather than excludes.
_EXCLUDE_AFTER_STRICT = (
    r"\s{0,3}(?:勿扰|勿投|莫扰|免谈|止步|绕道|请绕道|谢绝|不招|不收|不录用|不予录用|不考虑|不予考虑"
    r"|请勿(?:投递?|打扰|应聘|联系|扰)|不要(?=[\s,.;!?。、]|$|投|来|应聘|打扰|联系))"
)
_EXCLUDE_AFTER = r"(?:" + _EXCLUDE_AFTER_STRICT + r"|\s{0,3}除外)"
# 不招/谢绝 …: an exclusion that precedes the group.
_EXCLUDE_BEFORE = (
    r"(?:不招收?|不要|不收|不聘用?|不录用|不予录用|不考虑|谢绝|拒绝|拒收|不接受)\s{0,3}"
)

# A gendered job title, so 女服务员 / 男保安 count as gendered while 女装 / 男科 do not.
_GENDERED_TITLE = (
    r"(?:服务员|营业员|店员|文员|前台|客服|主播|模特|司机|保安|技工|普工|操作工|会计|出纳|助理|老师"
    r"|教师|护士|护工|保洁|导购|销售|工程师|程序员|秘书|演员|歌手|厨师|学徒|员工|职工|同事|同志)"
)
# What follows 男性/女生/女工 … when the phrase is not a person (女性用户, 男生宿舍, 女职工陪产假).
_NOT_A_PERSON_AFTER = (
    r"(?!用户|顾客|客户|消费|读者|社区|群体|健康|产品|服装|用品|专用|患者|市场|权益|朋友|网|节|宿舍"
    r"|化|向|主义|使用|福利|休息)"
)
# A gender word as a person: 男性, 女士, 男生, 女工, 女服务员, or bare 男/女 before a delimiter or a
# requirement word. 女性用户 / 女子学院 / 男装 / 男科 are not persons.
_PERSON = (
    r"(?:男|女)(?:"
    r"(?:性|士|生|孩子?|人|的|工|"
    + _GENDERED_TITLE
    + r")"
    + _NOT_A_PERSON_AFTER
    + r"|子(?!学院|学校|医院|中学|大学|监狱|会所|篮球|足球|排球|团体|组合|健身|美容|养生|俱乐部)"
    r"|(?=[\s,.;:!?()/、。]|$|优先|勿|不招|不要|谢绝|免谈|者|即可|为主|以上|以下|\d)"
    r")"
)
# The character before a gender word must not make a compound: 子女, 妇女, 少女, 男女, 宅男 …
_PERSON_LOOKBEHIND = r"(?<![子妇儿少处男女孙侄修仙淑宅猛暖型宝])"
# A gender word as an adult applicant, for the rules that read it beside an age or in brackets:
# no 男孩/女人/男子 (照顾男孩，3岁 describes a child), and never 男女 (男女不限).
_APPLICANT = (
    r"(?:男|女)(?:(?:性|士|生|工|的|"
    + _GENDERED_TITLE
    + r")"
    + _NOT_A_PERSON_AFTER
    + r"|(?=[\s,.;:!?()/、。\]】]|$|\d|年龄|年纪|优先|限|身体|身高))"
)
# A working-age limit: 18-45岁, 20~40周岁, 年龄18-50, 35岁以下. A single age needs 以下/以上 …
# (老人(男，80岁) describes a client, not an applicant); ages are 16–65.
_WORKING_AGE = r"(?:1[6-9]|[2-5]\d|6[0-5])"
_AGE_RANGE = _WORKING_AGE + r"\s{0,2}(?:周岁|岁)?\s{0,2}(?:-|~|至|到|—|–|－)\s{0,2}" + _WORKING_AGE
_AGE_LIMIT = (
    r"(?:(?:年龄|年纪)\s{0,2}(?:要求)?\s{0,2}(?:在|为|:)?\s{0,2}(?:"
    + _AGE_RANGE
    + "|"
    + _WORKING_AGE
    + r")"
    r"|" + _AGE_RANGE + r"\s{0,2}(?:周岁|岁)"
    r"|" + _WORKING_AGE + r"\s{0,2}(?:周岁|岁)\s{0,2}(?:以下|以上|以内|之间|左右|上下))"
)
# A job title after which a bare gender word is the post's (男普工, 女服务员 …, as a title).
_GENDERED_POST = (
    r"(?:服务员|营业员|店员|文员|前台|客服|主播|模特|司机|保安|技工|普工|操作工|会计|出纳|助理"
    r"|护工|保洁|导购|销售|厨师|学徒|工)"
)
_ETHNIC_GROUP = (
    r"(?:少数民族|维吾尔族|维族|藏族|回族|蒙古族|彝族|苗族|壮族|哈萨克族|朝鲜族|土家族|满族|侗族|瑶族"
    r"|白族|傣族|黎族|羌族)"
)
_PROVINCE = (
    r"(?:北京|天津|上海|重庆|河北|山西|辽宁|吉林|黑龙江|江苏|浙江|安徽|福建|江西|山东|河南|湖北|湖南"
    r"|广东|海南|四川|贵州|云南|陕西|甘肃|青海|内蒙古?|广西|西藏|宁夏|新疆|东北|潮汕|苏北)"
)
# Up to four characters within a clause, none of them a negation (体检不含乙肝 is no requirement).
_GAP = r"(?:(?![不无免非])[^,;。!?\n]){0,4}?"
_ZODIAC_ANIMAL = r"[鼠牛虎兔龙蛇马羊猴鸡狗猪]"
_STAR_SIGN = r"(?:白羊|金牛|双子|巨蟹|狮子|处女|天秤|天平|天蝎|射手|人马|摩羯|水瓶|双鱼)座"
_CN_NUMBER = r"(?:\d{1,4}|[一二两三四五六七八九十]{1,3})"
# A place written before 户口/户籍: 本地, 本市, a province, or (before 户口/户籍 only) a two-to-four
# character name that is not a verb (解决户口, 办理户籍 are benefits or a clerk's tasks).
_KNOWN_PLACE = r"(?:本地|本市|本省|本县|本区|当地|城镇|非农业?|" + _PROVINCE + r"(?:省|市)?)"
_NAMED_PLACE = (
    r"(?!解决|办理|协助|迁入|迁移|提供|落实|转入|申请|所在|集体|常住|到|在|回)"
    r"(?:(?![户籍口])[\u4e00-\u9fff]){2,4}?(?:市|县|区)?"
)


def _rule(
    rule: str,
    category: ComplianceCategory,
    severity: ComplianceSeverity,
    pattern: str,
    message: str,
    *,
    both_genders_guard: bool = False,
    span_group: str | None = None,
) -> _Rule:
    return _Rule(
        rule, category, severity, re.compile(pattern), message, both_genders_guard, span_group
    )


_RULES: Final[tuple[_Rule, ...]] = (
    # --- gender: 就业促进法 第二十七条, 妇女权益保障法 第四十三条
    _rule(
        "gender.restrict",
        "gender",
        "violation",
        _GENDER_RESTRICT + _PERSON,
        _MSG_GENDER,
        both_genders_guard=True,
    ),
    _rule(
        "gender.field",
        "gender",
        "violation",
        r"性\s{0,3}别\s{0,3}(?:要求|限制)?\s{0,3}[:为]?\s{0,3}(?:限\s{0,3})?(?:男|女)(?:性|士|生)?"
        r"|性\s{0,3}别\s{0,3}(?:要求|限制)?\s{0,3}:?\s{0,3}(?:□\s{0,3}(?:男|女|不限)\s{0,3}){0,3}[■☑√✓]\s{0,3}(?:男|女)",
        _MSG_GENDER,
        both_genders_guard=True,
    ),
    _rule(
        "gender.preferred",
        "gender",
        "violation",
        _PERSON_LOOKBEHIND + _PERSON + r"\s{0,3}(?:者)?\s{0,3}(?:优先|更佳|最佳|为佳|为宜)",
        _MSG_GENDER,
    ),
    _rule(
        "gender.preferred_before",
        "gender",
        "violation",
        r"优先(?:考虑|录用|录取|招聘|招收|聘用|选择)\s{0,3}" + _PERSON,
        _MSG_GENDER,
    ),
    _rule(
        "gender.excluded",
        "gender",
        "violation",
        _PERSON_LOOKBEHIND + _PERSON + r"(?:者|朋友)?" + _EXCLUDE_AFTER_STRICT,
        _MSG_GENDER,
    ),
    _rule("gender.excluded_before", "gender", "violation", _EXCLUDE_BEFORE + _PERSON, _MSG_GENDER),
    _rule(
        "gender.quota",
        "gender",
        "violation",
        r"(?:(?<![\u4e00-\u9fff])|(?<=[招聘需要]))(?:男|女)(?:性|士|生|工|"
        + _GENDERED_TITLE
        + r")?"
        r"\s{0,3}" + _CN_NUMBER + r"\s{0,3}(?:名|人|位)",
        _MSG_GENDER,
    ),
    _rule(
        "gender.list_item",
        "gender",
        "violation",
        r"(?:^|(?<=[\s,;:、.)\]】①②③④⑤⑥⑦⑧⑨⑩]))(?:男|女)(?:性|生|士)?(?=\s{0,3}(?:[,;。、]|$))",
        _MSG_GENDER,
        both_genders_guard=True,
    ),
    # 叉车司机(男性，年龄18-50周岁), 装配技术工(男性:20~40岁), 保安(限男): first in brackets.
    _rule(
        "gender.bracketed",
        "gender",
        "violation",
        r"(?<=[(\[【])\s{0,2}(?:(?:仅|只)?限\s{0,2})?"
        + _APPLICANT
        + r"(?=\s{0,2}(?:[,;:、/)\]】]|$))",
        _MSG_GENDER,
        both_genders_guard=True,
    ),
    # 男，18-45岁 / 男性:20~40岁 / 女工18-40周岁: a gender beside an age limit.
    _rule(
        "gender.with_age",
        "gender",
        "violation",
        _PERSON_LOOKBEHIND + r"(?P<gender>" + _APPLICANT + r")"
        r"(?=\s{0,2}[,:、/;]?\s{0,2}" + _AGE_LIMIT + ")",
        _MSG_GENDER,
        both_genders_guard=True,
        span_group="gender",
    ),
    # 27-35岁女性 / 45岁以下男性: an age limit, then a gender.
    _rule(
        "gender.after_age",
        "gender",
        "violation",
        r"(?:" + _AGE_RANGE + r"\s{0,2}(?:周岁|岁)|" + _WORKING_AGE + r"\s{0,2}(?:周岁|岁))"
        r"\s{0,2}(?:以下|以上|以内|之间|左右)?\s{0,2}[,、/]?\s{0,2}"
        r"(?P<gender>" + _APPLICANT + r")(?![男女])",
        _MSG_GENDER,
        both_genders_guard=True,
        span_group="gender",
    ),
    # A gendered post as a title or list item: 男普工, 女服务员3名, 男保安(退伍军人优先).
    _rule(
        "gender.post",
        "gender",
        "violation",
        r"(?:^|(?<=[\s,;:、.)\]】|/]))(?:男|女)"
        + _GENDERED_POST
        + r"(?=\s{0,2}(?:[,;:(\[【、。]|$|\d|若干))",
        _MSG_GENDER,
    ),
    # 男女各2名, 男女各半: separate quotas by sex (就业促进法 第二十七条: a woman is refused once
    # the women's places are taken while men's remain — 以性别为由拒绝录用).
    _rule(
        "gender.quota_each",
        "gender",
        "violation",
        r"男女(?:工|生|性)?\s{0,2}各\s{0,2}(?:半|" + _CN_NUMBER + r"\s{0,2}(?:名|人|位)?)",
        _MSG_GENDER_QUOTA,
    ),
    # --- ethnicity: 就业促进法 第三条、第二十八条
    _rule(
        "ethnicity.restrict_han",
        "ethnicity",
        "violation",
        _RESTRICT + r"(?:汉族|汉人)",
        _MSG_ETHNICITY,
    ),
    _rule(
        "ethnicity.han_preferred",
        "ethnicity",
        "violation",
        r"(?:汉族|汉人)\s{0,3}(?:者)?\s{0,3}优先",
        _MSG_ETHNICITY,
    ),
    _rule(
        "ethnicity.field",
        "ethnicity",
        "violation",
        r"民\s{0,3}族\s{0,3}(?:要求|限制)?\s{0,3}:\s{0,3}汉族?(?![\u4e00-\u9fff])",
        _MSG_ETHNICITY,
    ),
    _rule(
        "ethnicity.excluded",
        "ethnicity",
        "violation",
        _ETHNIC_GROUP + r"(?:人|人员|同胞|者)?" + _EXCLUDE_AFTER,
        _MSG_ETHNICITY,
    ),
    _rule(
        "ethnicity.excluded_before",
        "ethnicity",
        "violation",
        _EXCLUDE_BEFORE + _ETHNIC_GROUP,
        _MSG_ETHNICITY,
    ),
    _rule(
        "ethnicity.restrict_minority",
        "ethnicity",
        "review",
        r"(?:" + _LIMIT + "|" + _ONLY + r")\s{0,3}" + _ETHNIC_GROUP,
        _MSG_ETHNICITY_REVIEW,
    ),
    # --- hepatitis B: 就业促进法 第三十条, 就业服务与就业管理规定 第十九条
    _rule(
        "hepatitis_b.carrier_excluded",
        "hepatitis_b",
        "violation",
        r"(?:乙肝|乙型肝炎|澳抗|(?i:HBsAg)|大三阳|小三阳)(?:病毒|病原)?(?:携带者?|患者|病人|阳性|大三阳|小三阳)?"
        r"(?:者|人员)?" + _EXCLUDE_AFTER,
        _MSG_HEPATITIS_B,
    ),
    _rule(
        "hepatitis_b.excluded_before",
        "hepatitis_b",
        "violation",
        _EXCLUDE_BEFORE + r"[^,;。!?\n]{0,4}?(?:乙肝|乙型肝炎|澳抗|大三阳|小三阳)",
        _MSG_HEPATITIS_B,
    ),
    _rule(
        "hepatitis_b.none",
        "hepatitis_b",
        "violation",
        r"(?:无|没有|非|不是|不得有|不能有)\s{0,3}(?:乙肝|乙型肝炎|澳抗阳性|大三阳|小三阳)",
        _MSG_HEPATITIS_B,
    ),
    _rule(
        "hepatitis_b.negative_result",
        "hepatitis_b",
        "violation",
        r"(?:乙肝|乙型肝炎|澳抗|(?i:HBsAg))(?:表面抗原|五项|两对半|病毒标志物|检查|检测|指标)?"
        + _GAP
        + r"(?:阴性|转阴|正常|合格|无异常)",
        _MSG_HEPATITIS_B,
    ),
    _rule(
        "hepatitis_b.screening",
        "hepatitis_b",
        "review",
        r"(?:入职体检|入职检查|体检)(?:项目)?(?:包括|包含|含|需|须|要求|需要|必须)?"
        + _GAP
        + r"(?:乙肝|乙型肝炎|澳抗|(?i:HBsAg))(?!疫苗)"
        r"|(?:提供|出具)"
        + _GAP
        + r"(?:乙肝|乙型肝炎|澳抗|(?i:HBsAg))"
        + _GAP
        + r"(?:报告|证明|结果)",
        _MSG_HEPATITIS_B_REVIEW,
    ),
    # --- other infectious diseases: 就业促进法 第三十条
    _rule(
        "infectious_disease.carrier_excluded",
        "infectious_disease",
        "violation",
        r"(?:传染病|传染性疾病|艾滋病|HIV|肺结核|结核病)(?:病原|病毒)?(?:携带者|患者|感染者|阳性)?"
        r"(?:者|人员)?" + _EXCLUDE_AFTER,
        _MSG_INFECTIOUS,
    ),
    _rule(
        "infectious_disease.none",
        "infectious_disease",
        "review",
        r"(?:无|没有|非|不得有)\s{0,3}(?:任何)?\s{0,3}(?:传染病|传染性疾病)",
        _MSG_INFECTIOUS_REVIEW,
    ),
    # --- marital and child-bearing status: 妇女权益保障法 第四十三条
    _rule(
        "marital_childbearing.married_with_child",
        "marital_childbearing",
        "violation",
        r"已婚已育(?![^,;。!?\n]{0,6}?(?:权益|保护|群体|返岗|再就业|帮扶|关爱|福利))",
        _MSG_MARITAL,
    ),
    _rule(
        "marital_childbearing.preferred",
        "marital_childbearing",
        "violation",
        r"(?:已婚|未婚|已育|未育|已生育|单身)(?:已育|未育)?(?:者|人士|人员|女性|男性)?\s{0,3}优先",
        _MSG_MARITAL,
    ),
    _rule(
        "marital_childbearing.restrict",
        "marital_childbearing",
        "violation",
        _RESTRICT + r"(?:已婚|未婚|已育|未育|单身)",
        _MSG_MARITAL,
    ),
    _rule(
        "marital_childbearing.field",
        "marital_childbearing",
        "violation",
        r"(?:婚姻|婚否|婚育)(?:状况|情况|要求)?\s{0,3}:\s{0,3}(?:已婚|未婚|已育|未育|单身)",
        _MSG_MARITAL,
    ),
    _rule(
        "marital_childbearing.no_plan",
        "marital_childbearing",
        "violation",
        r"(?:" + _CN_NUMBER + r"\s{0,3}年内)?\s{0,3}(?:无|不|暂无|没有|暂不)\s{0,3}"
        r"(?:生育|怀孕|生孩子|要孩子|生小孩|要小孩|结婚|婚育)(?:的)?(?:计划|打算|意向|安排)",
        _MSG_MARITAL,
    ),
    _rule(
        "marital_childbearing.within_years",
        "marital_childbearing",
        "violation",
        _CN_NUMBER
        + r"\s{0,3}年内\s{0,3}(?:不得|不能|不准|不允许)\s{0,3}(?:生育|怀孕|结婚|生孩子|要孩子)",
        _MSG_MARITAL,
    ),
    _rule(
        "marital_childbearing.pregnancy_excluded",
        "marital_childbearing",
        "violation",
        r"(?:孕妇|怀孕|孕期|哺乳期|备孕)(?:者|女性|人员|妇女)?" + _EXCLUDE_AFTER_STRICT,
        _MSG_MARITAL,
    ),
    _rule(
        "marital_childbearing.pregnancy_excluded_before",
        "marital_childbearing",
        "violation",
        _EXCLUDE_BEFORE + r"(?:孕妇|孕期|怀孕|哺乳期|备孕)",
        _MSG_MARITAL,
    ),
    _rule(
        "marital_childbearing.pregnancy_test",
        "marital_childbearing",
        "violation",
        r"(?:入职|体检)" + _GAP + r"(?:妊娠测试|妊娠检查|孕检|验孕)",
        _MSG_MARITAL,
    ),
    _rule(
        "marital_childbearing.list_item",
        "marital_childbearing",
        "violation",
        r"(?:^|(?<=[\s,;:、.(]))(?:已婚|未婚)(?:已育|未育)?(?=\s{0,3}(?:[,;。、)]|$))",
        _MSG_MARITAL,
    ),
    # --- household registration: 就业促进法 第二十六条、第三十一条
    _rule(
        "household_registration.restrict",
        "household_registration",
        "review",
        r"(?:"
        + _LIMIT
        + "|"
        + _ONLY
        + "|"
        + _MUST
        + r"|须|需(?:要)?(?:是|为)?)\s{0,3}(?:持有?)?\s{0,3}"
        r"(?:" + _KNOWN_PLACE + r"\s{0,3}(?:常住)?\s{0,3}(?:户口|户籍|籍)"
        r"|" + _NAMED_PLACE + r"\s{0,3}(?:常住)?\s{0,3}(?:户口|户籍))",
        _MSG_HOUSEHOLD_REVIEW,
    ),
    _rule(
        "household_registration.field",
        "household_registration",
        "review",
        r"(?:户口|户籍|籍贯)\s{0,3}(?:要求|限制)?\s{0,3}:\s{0,3}(?:本地|本市|本省|本县|本区|当地|"
        + _PROVINCE
        + r"|[\u4e00-\u9fff]{2,4}(?:市|县|区))",
        _MSG_HOUSEHOLD_REVIEW,
    ),
    _rule(
        "household_registration.preferred",
        "household_registration",
        "review",
        r"(?:本地|本市|本省|本县|本区|当地|"
        + _PROVINCE
        + r"(?:省|市)?|[\u4e00-\u9fff]{2}(?:市|县))"
        r"\s{0,3}(?:户口|户籍|籍|人)(?:人员|者|人士)?\s{0,3}优先",
        _MSG_HOUSEHOLD_REVIEW,
    ),
    _rule(
        "household_registration.restrict_locals",
        "household_registration",
        "review",
        r"(?:" + _LIMIT + "|" + _ONLY + r")\s{0,3}(?:本地|本市|当地)人",
        _MSG_HOUSEHOLD_REVIEW,
    ),
    _rule(
        "household_registration.outsiders_excluded",
        "household_registration",
        "review",
        r"(?:非本地|非本市|非本省|非当地|外地|外省|外市|外县)\s{0,3}(?:人|人员|户籍|户口|籍)(?:人员|者)?"
        + _EXCLUDE_AFTER,
        _MSG_HOUSEHOLD_REVIEW,
    ),
    _rule(
        "household_registration.outsiders_excluded_before",
        "household_registration",
        "review",
        _EXCLUDE_BEFORE + r"(?:非本地|非本市|外地|外省)\s{0,3}(?:人|人员|户籍|户口|籍)",
        _MSG_HOUSEHOLD_REVIEW,
    ),
    _rule(
        "household_registration.rural_excluded",
        "household_registration",
        "violation",
        r"(?:农村|农业)(?:户口|户籍)(?:人员|者)?"
        + _EXCLUDE_AFTER
        + r"|"
        + _EXCLUDE_BEFORE
        + r"(?:农村|农业)(?:户口|户籍)",
        _MSG_RURAL,
    ),
    _rule(
        "household_registration.regional_origin",
        "household_registration",
        "violation",
        _PROVINCE
        + r"(?:省|籍)?(?:人|籍)(?:员|士)?"
        + _EXCLUDE_AFTER
        + r"|"
        + _EXCLUDE_BEFORE
        + _PROVINCE
        + r"(?:省|籍)?(?:人|籍)",
        _MSG_REGIONAL,
    ),
    # --- religion: 就业促进法 第三条
    _rule(
        "religion.excluded",
        "religion",
        "violation",
        r"(?:信教|有宗教信仰|宗教人士|宗教信徒|信徒|穆斯林|基督徒|佛教徒|天主教徒|伊斯兰教徒)"
        r"(?:者|人员|人士)?"
        + _EXCLUDE_AFTER
        + r"|"
        + _EXCLUDE_BEFORE
        + r"(?:信教|有宗教信仰|宗教人士|穆斯林|基督徒|佛教徒|天主教徒|伊斯兰教徒)",
        _MSG_RELIGION,
    ),
    _rule(
        "religion.required",
        "religion",
        "review",
        r"(?:无宗教信仰|不信教|不信仰宗教|无神论者)|"
        + _RESTRICT
        + r"(?:基督徒|佛教徒|穆斯林|天主教徒|信徒)",
        _MSG_RELIGION_REVIEW,
    ),
    # --- zodiac and star sign: 就业服务与就业管理规定 第二十条
    _rule(
        "zodiac.animal",
        "zodiac",
        "violation",
        r"(?<![金附下隶归从专所直亲])属(?:相)?\s{0,3}(?:是|为)?\s{0,3}"
        + _ZODIAC_ANIMAL
        + r"(?:的|者)?(?:人|朋友)?(?:"
        + _EXCLUDE_AFTER
        + r"|\s{0,3}优先)|"
        + _EXCLUDE_BEFORE
        + r"属(?:相)?(?:是|为)?"
        + _ZODIAC_ANIMAL,
        _MSG_ZODIAC,
    ),
    _rule(
        "zodiac.star_sign",
        "zodiac",
        "violation",
        _STAR_SIGN
        + r"(?:的|者)?(?:人|朋友)?(?:"
        + _EXCLUDE_AFTER
        + r"|\s{0,3}优先)|"
        + _EXCLUDE_BEFORE
        + _STAR_SIGN,
        _MSG_ZODIAC,
    ),
    # --- appearance: 就业促进法 第二十六条 (review: lawful where the job needs it)
    _rule(
        "appearance.height",
        "appearance",
        "review",
        r"身\s{0,3}高\s{0,3}(?:要求)?\s{0,3}(?:在|:)?\s{0,3}(?:男|女)?\s{0,3}(?:不低于|不少于|不矮于|达到|>=|≥|>)?\s{0,3}"
        r"(?:1[4-9]\d|1\.[4-9]\d?)\s{0,3}(?:cm|CM|厘米|公分|米|m)?\s{0,3}(?:以上|及以上|以下|左右|-|~|至)?",
        _MSG_APPEARANCE,
    ),
    _rule(
        "appearance.weight",
        "appearance",
        "review",
        r"体\s{0,3}重\s{0,3}(?:要求)?\s{0,3}(?:在|:)?\s{0,3}(?:不超过|不高于|低于|小于|<=|≤|<)?\s{0,3}\d{2,3}\s{0,3}"
        r"(?:kg|KG|公斤|千克|斤)\s{0,3}(?:以下|以内|以上|左右)?",
        _MSG_APPEARANCE,
    ),
    _rule(
        "appearance.looks",
        "appearance",
        "review",
        r"(?:相貌|五官|容貌|长相|外貌|外形|样貌)\s{0,3}(?:端正|姣好|甜美|出众|佳|好|靓丽|清秀|俊朗|帅气|漂亮)"
        r"|(?<!品牌)(?<!公司)(?<!企业)(?<!产品)(?<!店面)(?<!门店)(?<!整体)(?<!城市)(?<!团队)(?<!职业)"
        r"(?<!视觉)(?<!三维)(?:个人)?形象\s{0,3}(?:气质)?\s{0,3}(?:佳|好|较好|良好|出众|靓丽|姣好)"
        r"|气质\s{0,3}形象\s{0,3}(?:佳|好|较好|良好|出众)"
        r"|颜值\s{0,3}(?:高|在线)?\s{0,3}(?:者)?\s{0,3}优先|(?:身材|体型)\s{0,3}(?:好|匀称|高挑|苗条|姣好)",
        _MSG_APPEARANCE,
    ),
    # --- disability: 就业促进法 第二十九条, 残疾人保障法 第三十八条
    _rule(
        "disability.excluded",
        "disability",
        "violation",
        r"(?:残疾人?|残障人?士?|伤残)(?:人员|人士|者|朋友)?"
        + _EXCLUDE_AFTER
        + r"|"
        + _EXCLUDE_BEFORE
        + r"(?:残疾|残障|伤残)",
        _MSG_DISABILITY,
    ),
    _rule(
        "disability.able_bodied",
        "disability",
        "review",
        r"(?:四肢|肢体|身体|五官|身心)\s{0,3}健全|(?:无|没有)(?:任何)?(?:身体)?(?:残疾|残障|生理缺陷|身体缺陷)",
        _MSG_DISABILITY_REVIEW,
    ),
)

# Characters every rule of a category needs; a text without them skips the category's rules
# (most texts have no 乙肝 or 族, and the rules cost far more than these searches).
_CATEGORY_GATES: Final[Mapping[ComplianceCategory, re.Pattern[str]]] = MappingProxyType(
    {
        "gender": re.compile(r"[男女]"),
        "ethnicity": re.compile(r"[汉族]"),
        "hepatitis_b": re.compile(r"乙|澳抗|三阳|(?i:hbsag)"),
        "infectious_disease": re.compile(r"传染|艾滋|HIV|结核"),
        "marital_childbearing": re.compile(r"[婚育孕孩]|单身|哺乳|妊娠"),
        "household_registration": re.compile(r"[户籍人]"),
        "religion": re.compile(r"[教信]|穆斯林|基督|无神论"),
        "zodiac": re.compile(r"[属座]"),
        "appearance": re.compile(r"[身体貌]|五官|长相|外形|形象|颜值"),
        "disability": re.compile(r"残|健全|缺陷"),
    }
)

# A clause ends at these (after width folding); guards look only within the clause of a match.
_CLAUSE_END: Final = re.compile(r"[,;。!?\n\r]")
_CLAUSE_DELIMITERS: Final = (",", ";", "。", "!", "?", "\n", "\r")
# 不得/禁止 … earlier in the clause: the text forbids the requirement instead of making it.
_PROHIBITION: Final = re.compile(
    r"不得|禁止|严禁|不允许|不应|杜绝|反对|不含|不存在|不设|不能设|消除"
)
# 男女不限, 性别：男/女, 不论男女: both genders allowed, so a gender word is no requirement.
_ALLOWANCE_AFTER: Final = re.compile(
    r"(?:[\s、/或和与及跟]|[□☐]\s{0,3}(?:男|女)[性士生]?){0,6}[\s■☑√✓]{0,3}"
    r"(?:(?:男|女)[性士生]?|均可|皆可|都可|不限|亦可|也可|皆宜|均宜|不分)"
)
_ALLOWANCE_BEFORE: Final = re.compile(
    r"(?:不限|无论|不论|不分|不管|不拘|不问|男女)[\s:、/或和与及]{0,3}(?:性别)?[\s:、/或和与及]{0,3}$"
    r"|(?:男|女)[性士生]?[\s、/或和与及]{1,3}$"
)


# 老人(男，80岁), 宝宝(女): the gender of the person cared for, not of the applicant.
_CARED_FOR_BEFORE: Final = re.compile(
    r"(?:老人|老太太?|老爷子?|爷爷|奶奶|外公|外婆|宝宝|婴儿|孩子|小孩|儿童|患者|病人|雇主)"
    r"[^,;。!?\n]{0,3}$"
)


def _clause_start(folded: str, position: int) -> int:
    """Offset just after the last clause delimiter before ``position``."""
    return 1 + max(folded.rfind(delimiter, 0, position) for delimiter in _CLAUSE_DELIMITERS)


def _clause_end(folded: str, position: int) -> int:
    """Offset of the first clause delimiter at or after ``position``."""
    delimiter = _CLAUSE_END.search(folded, position)
    return len(folded) if delimiter is None else delimiter.start()


def _is_guarded(rule: _Rule, folded: str, start: int, end: int) -> bool:
    """True when the context allows or forbids the matched requirement instead of making it."""
    clause_start = _clause_start(folded, start)
    before = folded[clause_start:start]
    if _PROHIBITION.search(before) or "歧视" in folded[end : end + 4]:
        return True
    if rule.both_genders_guard:
        after = folded[end : _clause_end(folded, end)]
        if _ALLOWANCE_AFTER.match(after) or _ALLOWANCE_BEFORE.search(before):
            return True
        if _CARED_FOR_BEFORE.search(folded, max(0, start - 8), start):
            return True
    return False


def check_compliance(text: str) -> tuple[ComplianceFlag, ...]:
    """Discriminatory requirements in a vacancy text, in order of position.

    Parameters
    ----------
    text : str
        Vacancy title or description, as stored (offsets refer to this string).

    Returns
    -------
    tuple of ComplianceFlag
        Sorted by ``start``; at most one flag per category for overlapping spans.

    Raises
    ------
    TypeError
        If ``text`` is not a ``str``.
    ValueError
        If ``text`` is longer than ``features.redact.MAX_TEXT_CHARS`` characters (the cap of
        every free-text field; every pattern here is linear in the length of the text).
    """
    if not isinstance(text, str):
        raise TypeError(f"text must be a str, got {type(text).__name__}")
    if len(text) > MAX_TEXT_CHARS:
        raise ValueError(
            f"text is {len(text):,} characters long; at most MAX_TEXT_CHARS = "
            f"{MAX_TEXT_CHARS:,} are checked"
        )
    folded = fold_width(text)
    present = {category for category, gate in _CATEGORY_GATES.items() if gate.search(folded)}
    found: list[ComplianceFlag] = []
    for rule in _RULES:
        if rule.category not in present:
            continue
        for match in rule.pattern.finditer(folded):
            start, end = match.span(rule.span_group or 0)
            # trim the whitespace a pattern may take at its edges
            while start < end and folded[start].isspace():
                start += 1
            while end > start and folded[end - 1].isspace():
                end -= 1
            if start == end or _is_guarded(rule, folded, start, end):
                continue
            found.append(
                ComplianceFlag(
                    category=rule.category,
                    severity=rule.severity,
                    start=start,
                    end=end,
                    span=text[start:end],
                    rule=rule.rule,
                    message=rule.message,
                )
            )
    return _without_overlaps(found)


def _without_overlaps(flags: list[ComplianceFlag]) -> tuple[ComplianceFlag, ...]:
    """Keep, per category, the first and longest of overlapping flags; violations before reviews."""
    ordered = sorted(
        flags, key=lambda flag: (flag.start, flag.severity != "violation", flag.start - flag.end)
    )
    kept: list[ComplianceFlag] = []
    for flag in ordered:
        if any(
            other.category == flag.category and other.start < flag.end and flag.start < other.end
            for other in kept
        ):
            continue
        kept.append(flag)
    return tuple(kept)
