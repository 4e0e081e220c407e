"""Hard-coded vocabulary of the synthetic Suining labour market: industries, job titles, majors.

Everything here is a *fact table* curated by hand; nothing is read from the shared lexicons at run
time. Where a number comes from somewhere, the column says so:

- ``TitleSpec.market_count`` is the posting count of the title (or of the closest market titles,
  summed) in the market job-title lexicon of about 2 M Chinese postings
  (``lexicons/market_job_titles/job_info.csv``, rounded to hundreds). Titles the national,
  sales-heavy market barely knows but Suining's industries hire for (锂电池生产技术员, 酿酒工,
  PCB操作工 …) carry a small count and a large ``local_factor``.
- ``TitleSpec.local_factor`` re-weights the national market toward a county job fair in Suining
  (manufacturing, construction and logistics heavy; fewer sales and internet posts). The sampling
  weight of a title is ``market_count × local_factor``.
- Every ``occupation`` is a 职业分类大典 (2022) code present in
  :func:`matcher.reference.occupations`; the unit tests check them all.
- Certificate codes are those of :func:`matcher.reference.certificates`; industry divisions are
  GB/T 4754-2017 codes; areas are GB/T 2260 codes plus Suining's three city-level parks.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from matcher.reference import EducationLevel

Collar = Literal["blue", "service", "white"]

NONE = int(EducationLevel.NONE)
JUNIOR = int(EducationLevel.JUNIOR_OR_BELOW)
SENIOR = int(EducationLevel.SENIOR_SECONDARY)
COLLEGE = int(EducationLevel.JUNIOR_COLLEGE)
BACHELOR = int(EducationLevel.BACHELOR)
MASTER = int(EducationLevel.MASTER)

# --- areas ---------------------------------------------------------------------------------

AREA_CODES: tuple[str, ...] = (
    "510903",
    "510904",
    "510921",
    "510923",
    "510981",
    "510971",
    "510972",
    "510973",
)
"""Suining's five counties (船山区, 安居区, 蓬溪县, 大英县, 射洪市) then its three city-level parks
(经开区, 高新区, 河东新区). Seekers live in the counties; employers sit in all eight areas."""

COUNTY_COUNT = 5
"""The first ``COUNTY_COUNT`` entries of :data:`AREA_CODES` are counties, the rest parks."""

AREA_NAMES: tuple[str, ...] = (
    "船山区",
    "安居区",
    "蓬溪县",
    "大英县",
    "射洪市",
    "遂宁经济技术开发区",
    "遂宁高新技术产业园区",
    "遂宁市河东新区",
)

SEEKER_AREA_WEIGHTS: tuple[float, ...] = (0.28, 0.16, 0.17, 0.14, 0.25)
"""Where registered seekers live, roughly by county population."""

CITY_BIT = 1 << len(AREA_CODES)
"""Desired-area bit meaning "anywhere in Suining" (desired region ``5109``)."""
CHENGDU_BIT = CITY_BIT << 1
"""Desired-area bit for 成都 (``5101``): no Suining vacancy is there."""

LEAVE_AGE: dict[int, int] = {1: 16, 2: 18, 3: 21, 4: 22, 5: 25, 6: 28}
"""Age on leaving school at each education level; work experience starts there."""

EMPLOYER_AREA_WEIGHTS: tuple[float, ...] = (0.22, 0.07, 0.10, 0.10, 0.16, 0.14, 0.12, 0.09)
"""Where employers are, before the industry's own area preference: weighted toward 船山区 and
the parks."""

COMPANY_PREFIXES: tuple[tuple[str, ...], ...] = (
    ("四川遂宁", "遂宁", "遂宁市"),
    ("遂宁市安居区", "遂宁", "四川遂宁"),
    ("蓬溪县", "四川蓬溪", "遂宁"),
    ("大英县", "四川大英", "遂宁"),
    ("射洪", "四川射洪", "射洪市"),
    ("四川遂宁", "遂宁", "四川"),
    ("四川遂宁", "遂宁", "四川"),
    ("四川遂宁", "遂宁", "遂宁市"),
)
"""Place prefixes of company names registered in each area (same order as AREA_CODES)."""

CREDIT_CODE_REGIONS: tuple[str, ...] = (
    "510903",
    "510904",
    "510921",
    "510923",
    "510981",
    "510900",
    "510900",
    "510900",
)
"""Registration authority area used in the 统一社会信用代码 (parks register with the city)."""


# --- industries ----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class IndustrySpec:
    """One of Suining's industries as employers belong to it.

    ``stems`` pairs a company-name stem with the GB/T 4754 division it implies, so that a
    ``射洪XX酒业有限公司`` is filed under division 15. ``area_factors`` multiply
    :data:`EMPLOYER_AREA_WEIGHTS` (same order as :data:`AREA_CODES`).
    """

    key: str
    label: str
    weight: float
    stems: tuple[tuple[str, str], ...]
    business: str
    area_factors: tuple[float, ...]
    size_weights: tuple[float, float, float, float]
    """微型, 小型, 中型, 大型."""
    name_style: Literal["company", "school", "hospital"] = "company"
    public_share: float = 0.0
    """Share of 机关事业单位 (public schools and hospitals) among the industry's employers."""


INDUSTRIES: tuple[IndustrySpec, ...] = (
    IndustrySpec(
        "lithium",
        "锂电/新能源",
        0.08,
        (("锂电科技", "38"), ("新能源科技", "38"), ("储能科技", "38"), ("锂业", "26")),
        "锂电池及储能产品的研发与制造",
        (0.6, 0.3, 1.5, 0.8, 3.0, 1.5, 2.0, 0.3),
        (0.05, 0.30, 0.40, 0.25),
    ),
    IndustrySpec(
        "electronics",
        "电子信息/PCB",
        0.09,
        (("电子科技", "39"), ("电路科技", "39"), ("电子", "39"), ("智能科技", "39")),
        "印制电路板及电子元器件的生产",
        (0.6, 0.4, 0.5, 0.5, 0.5, 4.0, 1.5, 0.8),
        (0.05, 0.35, 0.40, 0.20),
    ),
    IndustrySpec(
        "liquor",
        "食品饮料/白酒",
        0.05,
        (("酒业", "15"), ("酿酒", "15"), ("酒厂", "15")),
        "浓香型白酒的酿造与销售",
        (0.5, 0.4, 1.5, 0.6, 4.0, 0.3, 0.3, 0.2),
        (0.15, 0.45, 0.30, 0.10),
    ),
    IndustrySpec(
        "food",
        "食品饮料/白酒",
        0.05,
        (("食品", "14"), ("农产品加工", "13"), ("饮料", "15"), ("调味品", "14")),
        "肉制品、调味品及休闲食品的加工",
        (1.0, 1.2, 2.0, 1.0, 1.0, 1.0, 0.6, 0.4),
        (0.15, 0.50, 0.28, 0.07),
    ),
    IndustrySpec(
        "chemical",
        "油气化工",
        0.06,
        (("化工", "26"), ("天然气化工", "26"), ("石油化工", "25"), ("新材料", "26")),
        "天然气化工及精细化学品的生产",
        (0.3, 0.5, 1.2, 4.0, 1.2, 1.5, 0.8, 0.2),
        (0.05, 0.45, 0.35, 0.15),
    ),
    IndustrySpec(
        "equipment",
        "装备制造",
        0.09,
        (("机械制造", "34"), ("机电设备", "34"), ("智能装备", "35"), ("精密机械", "34")),
        "机械设备及零部件的制造",
        (0.8, 1.5, 0.8, 1.0, 0.6, 2.5, 1.5, 0.5),
        (0.10, 0.50, 0.30, 0.10),
    ),
    IndustrySpec(
        "textile",
        "纺织服装",
        0.06,
        (("服饰", "18"), ("服装", "18"), ("纺织", "17"), ("制衣", "18")),
        "服装及纺织品的生产加工",
        (1.2, 1.0, 0.8, 3.0, 0.8, 1.2, 0.5, 0.3),
        (0.15, 0.50, 0.28, 0.07),
    ),
    IndustrySpec(
        "logistics",
        "现代物流",
        0.07,
        (("物流", "59"), ("供应链管理", "59"), ("仓储服务", "59"), ("运输", "54")),
        "仓储、配送及道路货物运输",
        (1.0, 2.0, 0.6, 0.6, 0.6, 1.2, 1.5, 1.8),
        (0.20, 0.50, 0.24, 0.06),
    ),
    IndustrySpec(
        "pharma",
        "医药",
        0.04,
        (("药业", "27"), ("制药", "27"), ("生物医药", "27"), ("医药连锁", "52")),
        "药品的生产与流通",
        (1.5, 0.5, 0.6, 0.6, 0.6, 1.0, 2.5, 0.8),
        (0.10, 0.45, 0.33, 0.12),
    ),
    IndustrySpec(
        "construction",
        "建筑",
        0.10,
        (("建筑工程", "47"), ("建设工程", "48"), ("建筑劳务", "47"), ("路桥工程", "48")),
        "房屋建筑和市政工程的施工",
        (2.0, 1.0, 1.0, 1.0, 1.0, 0.3, 0.3, 1.5),
        (0.15, 0.50, 0.28, 0.07),
    ),
    IndustrySpec(
        "commerce",
        "商贸服务",
        0.13,
        (
            ("商贸", "51"),
            ("贸易", "51"),
            ("超市", "52"),
            ("百货", "52"),
            ("物业服务", "70"),
            ("保安服务", "72"),
        ),
        "商品批发零售及生活服务",
        (2.0, 0.8, 1.0, 1.0, 1.0, 0.3, 0.5, 2.0),
        (0.35, 0.45, 0.15, 0.05),
    ),
    IndustrySpec(
        "hospitality",
        "住宿餐饮",
        0.06,
        (("餐饮管理", "62"), ("酒店管理", "61"), ("餐饮", "62")),
        "餐饮及住宿服务",
        (2.0, 0.8, 1.0, 1.0, 1.2, 0.3, 0.3, 1.5),
        (0.40, 0.45, 0.12, 0.03),
    ),
    IndustrySpec(
        "education",
        "教育",
        0.06,
        (("幼儿园", "83"), ("学校", "83"), ("教育培训", "83")),
        "学前教育和基础教育",
        (1.5, 1.0, 1.0, 1.0, 1.0, 0.0, 0.0, 0.8),
        (0.30, 0.50, 0.17, 0.03),
        name_style="school",
        public_share=0.45,
    ),
    IndustrySpec(
        "health",
        "医疗",
        0.06,
        (("医院", "84"), ("卫生院", "84"), ("诊所", "84"), ("养老服务", "85")),
        "医疗卫生和康养服务",
        (1.5, 1.0, 1.0, 1.0, 1.0, 0.0, 0.0, 0.8),
        (0.25, 0.45, 0.22, 0.08),
        name_style="hospital",
        public_share=0.45,
    ),
)
"""Industries with their weight among employers. 食品饮料/白酒 is split in two (白酒 and other food)
because 酿酒工 belongs only to the distilleries."""

INDUSTRY_KEYS: tuple[str, ...] = tuple(industry.key for industry in INDUSTRIES)
MANUFACTURING: tuple[str, ...] = (
    "lithium",
    "electronics",
    "liquor",
    "food",
    "chemical",
    "equipment",
    "textile",
    "pharma",
)
FACTORIES: tuple[str, ...] = (*MANUFACTURING, "logistics")

BRAND_CHARACTERS = (
    "金华瑞鑫宏盛达源泰丰康锦欣博创力恒德隆嘉亿安顺通众美凯川蜀涪平新科宇星光辰汇"
    "晟昌福润祥和兴旺佳禾优立信诚远航腾越弘盈泓华峰"
)
"""Characters of two-character brand names (四川遂宁 **瑞丰** 锂电科技有限公司)."""

SIZE_NAMES: tuple[str, ...] = ("微型", "小型", "中型", "大型")
SIZE_POSTING_WEIGHTS: tuple[float, ...] = (1.0, 2.0, 4.0, 8.0)
"""Relative number of vacancies an employer of each size posts."""


# --- job titles ----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class TitleSpec:
    """A job title as Suining employers post it, with what typically goes with it."""

    title: str
    occupation: str
    market_count: int
    local_factor: float
    collar: Collar
    industries: tuple[str, ...] | None
    """Industry keys where the title occurs; ``None``: any employer."""
    salary: tuple[int, int]
    """Typical monthly pay band (CNY): the low end of ``salary_min``, the high end of
    ``salary_max``."""
    education: tuple[int, int]
    """Range of the vacancy's minimum education (EducationLevel values)."""
    skills: tuple[str, ...]
    duties: tuple[str, ...]
    required_certificates: tuple[str, ...] = ()
    certificate_probability: float = 0.0
    """Probability that a vacancy of this title requires ``required_certificates``."""
    preferred_certificates: tuple[str, ...] = ()
    max_experience: int = 1
    accessible: bool = False
    """Suits many disabled seekers (seated, quiet or screen work); such vacancies may be marked
    accessible."""
    occupation_by_industry: dict[str, str] = field(default_factory=dict)
    """A more precise 大典 code where the employer's industry tells what the work is."""

    @property
    def weight(self) -> float:
        return self.market_count * self.local_factor


def _duties(*lines: str) -> tuple[str, ...]:
    return lines


TITLES: tuple[TitleSpec, ...] = (
    # --- production ------------------------------------------------------------------------
    TitleSpec(
        "普工",
        "6-31-05-00",
        67800,
        1.4,
        "blue",
        MANUFACTURING,
        (3500, 5500),
        (NONE, JUNIOR),
        ("流水线作业", "产品组装", "设备看护", "5S现场管理", "倒班作业"),
        _duties(
            "按照作业指导书完成本工位的生产任务",
            "做好产品自检，发现异常及时上报班组长",
            "保持工位整洁，遵守安全操作规程",
            "服从车间安排，配合完成生产计划",
        ),
        occupation_by_industry={
            "lithium": "6-24-04-00",
            "electronics": "6-25-04-07",
            "chemical": "6-11-01-02",
            "equipment": "6-20-01-01",
            "textile": "6-05-01-03",
            "pharma": "6-12-03-00",
        },
    ),
    TitleSpec(
        "操作工",
        "6-31-05-00",
        8300,
        2.0,
        "blue",
        MANUFACTURING,
        (4000, 6000),
        (NONE, SENIOR),
        ("设备操作", "生产记录填写", "工艺参数调整", "安全生产"),
        _duties(
            "负责生产设备的开机、运行监控和停机",
            "按工艺要求调整参数并如实填写生产记录",
            "配合设备人员做好日常点检与保养",
            "严格执行安全生产和质量管理制度",
        ),
        occupation_by_industry={
            "lithium": "6-24-04-00",
            "electronics": "6-25-04-07",
            "chemical": "6-11-01-02",
            "equipment": "6-18-01-07",
            "textile": "6-04-02-01",
            "pharma": "6-12-03-00",
            "food": "6-01-04-03",
        },
    ),
    TitleSpec(
        "装配工",
        "6-20-01-01",
        2500,
        3.0,
        "blue",
        ("equipment", "electronics", "lithium"),
        (4000, 6000),
        (NONE, JUNIOR),
        ("机械装配", "图纸识读", "扭力扳手使用", "钳工基础"),
        _duties(
            "按图纸和工艺要求完成零部件的装配",
            "使用工装夹具和量具进行装配检查",
            "记录装配数据，及时反馈装配异常",
        ),
        occupation_by_industry={"electronics": "6-25-04-07", "lithium": "6-24-04-00"},
    ),
    TitleSpec(
        "包装工",
        "6-31-05-00",
        2200,
        3.0,
        "blue",
        ("liquor", "food", "pharma", "electronics", "lithium", "textile"),
        (3300, 4800),
        (NONE, JUNIOR),
        ("产品包装", "装箱打包", "标签粘贴", "封箱机操作"),
        _duties(
            "负责成品的包装、装箱和贴标",
            "核对产品数量和批号，做好包装记录",
            "保持包装区域整洁有序",
        ),
        accessible=True,
    ),
    TitleSpec(
        "质检员",
        "6-31-03-05",
        7700,
        1.5,
        "blue",
        MANUFACTURING,
        (3500, 5000),
        (JUNIOR, SENIOR),
        ("来料检验", "过程巡检", "卡尺千分尺使用", "质量记录", "不良品分析"),
        _duties(
            "负责来料、过程及成品的质量检验",
            "填写检验记录，标识和隔离不合格品",
            "配合品质工程师分析质量异常",
        ),
        max_experience=2,
        accessible=True,
    ),
    TitleSpec(
        "锂电池生产技术员",
        "6-24-04-00",
        400,
        12.0,
        "blue",
        ("lithium",),
        (5000, 8000),
        (SENIOR, COLLEGE),
        ("电芯制造", "涂布工艺", "卷绕叠片", "化成分容", "设备参数调整", "6S管理"),
        _duties(
            "负责电芯涂布、辊压、卷绕等工序的生产操作",
            "监控工艺参数，确保产品一致性",
            "记录生产数据并参与异常分析与改善",
        ),
        max_experience=2,
    ),
    TitleSpec(
        "锂电工艺工程师",
        "2-02-09-01",
        100,
        12.0,
        "white",
        ("lithium",),
        (7000, 12000),
        (COLLEGE, BACHELOR),
        ("锂电池工艺", "电化学基础", "DOE实验设计", "数据分析", "工艺文件编制"),
        _duties(
            "负责电芯制造工艺的开发、验证与优化",
            "编制和维护工艺文件，指导产线作业",
            "分析良率数据，推动工艺改善项目",
        ),
        max_experience=3,
    ),
    TitleSpec(
        "PCB操作工",
        "6-25-01-13",
        300,
        12.0,
        "blue",
        ("electronics",),
        (4500, 6500),
        (JUNIOR, SENIOR),
        ("钻孔", "沉铜电镀", "曝光显影", "蚀刻", "AOI检测"),
        _duties(
            "负责PCB生产线钻孔、电镀或蚀刻工序的操作",
            "按工艺参数作业并做好首件确认",
            "记录生产报表，及时反馈设备和品质异常",
        ),
    ),
    TitleSpec(
        "SMT操作员",
        "6-25-04-07",
        300,
        8.0,
        "blue",
        ("electronics",),
        (4500, 6500),
        (JUNIOR, SENIOR),
        ("贴片机操作", "回流焊", "锡膏印刷", "炉温测试"),
        _duties(
            "负责SMT贴片线的上料、换线和设备操作",
            "监控锡膏印刷和回流焊质量",
            "做好设备日常保养和生产记录",
        ),
    ),
    TitleSpec(
        "CNC操作工",
        "6-18-01-07",
        2200,
        3.0,
        "blue",
        ("equipment", "electronics", "lithium"),
        (5000, 8000),
        (JUNIOR, SENIOR),
        ("数控车床操作", "数控编程", "图纸识读", "量具使用", "刀具调整"),
        _duties(
            "负责数控机床的装夹、对刀和加工",
            "按图纸和工艺要求加工零件并自检",
            "做好机床日常点检和保养",
        ),
        preferred_certificates=("cnc_operator",),
        max_experience=2,
    ),
    TitleSpec(
        "车工",
        "6-18-01-01",
        3800,
        1.2,
        "blue",
        ("equipment",),
        (5000, 7500),
        (JUNIOR, SENIOR),
        ("普通车床操作", "图纸识读", "量具使用", "刃磨刀具"),
        _duties(
            "按图纸要求完成轴类、盘类零件的车削加工",
            "合理选择切削参数，保证加工精度",
            "保养车床，保持工作区整洁",
        ),
        preferred_certificates=("skill_level_4",),
        max_experience=3,
    ),
    TitleSpec(
        "焊工",
        "6-18-02-04",
        4800,
        1.5,
        "blue",
        ("equipment", "construction", "chemical"),
        (5000, 8500),
        (NONE, JUNIOR),
        ("二氧化碳保护焊", "氩弧焊", "焊接图纸识读", "焊缝质量检验"),
        _duties(
            "按图纸要求完成钢结构件的焊接",
            "自检焊缝质量，确保无夹渣、气孔等缺陷",
            "维护焊机和工装，做好个人安全防护",
        ),
        required_certificates=("welding",),
        certificate_probability=0.85,
        max_experience=3,
    ),
    TitleSpec(
        "电工",
        "6-31-01-03",
        6800,
        1.5,
        "blue",
        (*MANUFACTURING, "construction", "commerce", "logistics"),
        (4500, 7000),
        (JUNIOR, SENIOR),
        ("电气线路安装", "配电柜维护", "PLC基础", "电气故障排查", "电工仪表使用"),
        _duties(
            "负责供配电设备的日常巡检与维护",
            "处理生产设备电气故障，做好维修记录",
            "执行电气安全操作规程，配合设备改造",
        ),
        required_certificates=("low_voltage_electrician",),
        certificate_probability=0.9,
        preferred_certificates=("high_voltage_electrician",),
        max_experience=3,
    ),
    TitleSpec(
        "机修工",
        "6-31-01-02",
        5900,
        1.2,
        "blue",
        MANUFACTURING,
        (5000, 8000),
        (JUNIOR, SENIOR),
        ("设备维修", "钳工", "液压气动", "电气基础", "设备点检"),
        _duties(
            "负责生产设备的维修、保养和点检",
            "快速排除机械故障，减少停机时间",
            "参与设备改造和备品备件管理",
        ),
        preferred_certificates=("low_voltage_electrician", "welding"),
        max_experience=3,
    ),
    TitleSpec(
        "设备维护员",
        "6-31-01-10",
        1500,
        2.0,
        "blue",
        ("lithium", "electronics", "pharma", "food", "liquor"),
        (5000, 8000),
        (SENIOR, COLLEGE),
        ("PLC编程", "自动化设备调试", "电气故障排查", "气动元件"),
        _duties(
            "负责自动化生产线设备的调试和维护",
            "处理设备电气及机械故障",
            "建立设备维护档案，制定保养计划",
        ),
        required_certificates=("low_voltage_electrician",),
        certificate_probability=0.3,
        max_experience=3,
    ),
    TitleSpec(
        "化工操作工",
        "6-11-01-02",
        1000,
        3.0,
        "blue",
        ("chemical",),
        (4500, 7000),
        (JUNIOR, SENIOR),
        ("DCS操作", "装置巡检", "化工单元操作", "安全生产"),
        _duties(
            "负责装置DCS监控和现场巡检",
            "按操作规程进行开停车作业",
            "做好交接班记录，严格执行危化品安全管理规定",
        ),
        required_certificates=("hazardous_chemicals",),
        certificate_probability=0.6,
        max_experience=2,
    ),
    TitleSpec(
        "化验员",
        "6-31-03-01",
        2500,
        2.0,
        "blue",
        ("chemical", "liquor", "food", "pharma", "lithium"),
        (3500, 5500),
        (SENIOR, COLLEGE),
        ("化学分析", "仪器分析", "滴定", "样品前处理", "检验报告"),
        _duties(
            "负责原料、半成品及成品的取样和理化检验",
            "规范操作分析仪器，做好维护保养",
            "出具检验报告，做好数据记录和留样",
        ),
        max_experience=2,
        accessible=True,
    ),
    TitleSpec(
        "化工工艺员",
        "2-02-06-03",
        1200,
        2.0,
        "white",
        ("chemical",),
        (5500, 8500),
        (COLLEGE, BACHELOR),
        ("化工工艺", "物料衡算", "HAZOP分析", "工艺优化"),
        _duties(
            "负责装置工艺指标的监控和优化",
            "编制工艺操作规程和技术方案",
            "参与工艺安全分析和技术改造",
        ),
        max_experience=3,
    ),
    TitleSpec(
        "酿酒工",
        "6-02-06-03",
        300,
        10.0,
        "blue",
        ("liquor",),
        (4000, 6500),
        (NONE, JUNIOR),
        ("白酒酿造", "固态发酵", "摊晾拌曲", "上甑蒸馏"),
        _duties(
            "按工艺要求完成润粮、蒸煮、摊晾、下曲等操作",
            "负责窖池管理和发酵过程记录",
            "配合班组做好量质摘酒",
            "保持酿造车间环境卫生",
        ),
        required_certificates=("health",),
        certificate_probability=0.8,
        max_experience=2,
    ),
    TitleSpec(
        "食品加工工",
        "6-01-04-03",
        750,
        5.0,
        "blue",
        ("food",),
        (3500, 5000),
        (NONE, JUNIOR),
        ("食品加工", "分切包装", "食品卫生规范", "冷链操作"),
        _duties(
            "负责肉制品及休闲食品的加工、分切和包装",
            "严格执行食品卫生和生产工艺要求",
            "做好车间清洁消毒",
        ),
        required_certificates=("health",),
        certificate_probability=0.9,
    ),
    TitleSpec(
        "食品检验员",
        "4-08-05-01",
        400,
        3.0,
        "blue",
        ("food", "liquor"),
        (3500, 5000),
        (SENIOR, COLLEGE),
        ("微生物检验", "理化检验", "食品安全标准", "样品留存"),
        _duties(
            "负责产品的微生物和理化指标检验",
            "按食品安全国家标准出具检验记录",
            "做好留样和检验仪器的日常维护",
        ),
        required_certificates=("health",),
        certificate_probability=0.5,
        accessible=True,
    ),
    TitleSpec(
        "缝纫工",
        "6-05-01-03",
        1700,
        4.0,
        "blue",
        ("textile",),
        (4000, 7000),
        (NONE, JUNIOR),
        ("平车操作", "拷边", "服装缝制", "计件作业"),
        _duties(
            "负责服装成衣的缝制工序",
            "按工艺单要求控制线迹和尺寸",
            "做好自检，配合质检返修",
        ),
        max_experience=2,
        accessible=True,
    ),
    TitleSpec(
        "挡车工",
        "6-04-02-01",
        300,
        5.0,
        "blue",
        ("textile",),
        (3800, 5500),
        (NONE, JUNIOR),
        ("细纱挡车", "接头", "巡回检查"),
        _duties(
            "负责细纱机的巡回看管和断头接头",
            "及时处理机台异常，保证纱线质量",
            "做好机台清洁和交接班",
        ),
    ),
    TitleSpec(
        "手工编织工",
        "6-05-01-06",
        100,
        6.0,
        "blue",
        ("textile", "commerce"),
        (3000, 4500),
        (NONE, JUNIOR),
        ("手工编织", "手工缝制", "质量自检"),
        _duties(
            "按样品完成手工编织产品的制作",
            "做好产品的自检和整理",
        ),
        accessible=True,
    ),
    TitleSpec(
        "药物制剂工",
        "6-12-03-00",
        1500,
        1.5,
        "blue",
        ("pharma",),
        (4000, 6000),
        (JUNIOR, SENIOR),
        ("GMP规范", "压片", "制粒", "洁净区作业"),
        _duties(
            "按GMP要求完成制粒、压片、包衣等工序操作",
            "填写批生产记录，确保数据真实完整",
            "做好洁净区清场和设备清洁",
        ),
        required_certificates=("health",),
        certificate_probability=0.5,
    ),
    TitleSpec(
        "品质工程师",
        "2-02-29-03",
        2000,
        1.5,
        "white",
        MANUFACTURING,
        (6000, 9000),
        (COLLEGE, BACHELOR),
        ("质量体系", "8D报告", "SPC统计", "来料检验标准", "IATF16949"),
        _duties(
            "建立和维护质量管理体系",
            "主导客户投诉和内部质量问题的分析改善",
            "制定检验标准，培训检验人员",
        ),
        max_experience=3,
    ),
    TitleSpec(
        "机械工程师",
        "2-02-07-01",
        4000,
        0.8,
        "white",
        ("equipment", "lithium", "electronics"),
        (6000, 10000),
        (COLLEGE, BACHELOR),
        ("SolidWorks", "AutoCAD", "机械设计", "公差配合", "非标设备"),
        _duties(
            "负责非标设备和工装夹具的机械设计",
            "编制图纸和BOM，跟进加工装配",
            "参与设备调试和技术改进",
        ),
        max_experience=3,
    ),
    TitleSpec(
        "电气工程师",
        "2-02-07-07",
        4500,
        0.8,
        "white",
        ("equipment", "lithium", "electronics", "chemical"),
        (6000, 10000),
        (COLLEGE, BACHELOR),
        ("PLC编程", "电气原理图设计", "变频器调试", "EPLAN", "伺服控制"),
        _duties(
            "负责设备电气控制系统的设计和程序编写",
            "完成电气元器件选型和电气图纸绘制",
            "现场调试设备，解决电气技术问题",
        ),
        max_experience=3,
    ),
    TitleSpec(
        "电子工程师",
        "2-02-09-02",
        4200,
        0.8,
        "white",
        ("electronics", "lithium"),
        (6000, 10000),
        (COLLEGE, BACHELOR),
        ("电路设计", "硬件调试", "示波器使用", "Altium Designer"),
        _duties(
            "负责电子产品电路原理图和PCB设计",
            "完成样机调试和测试验证",
            "支持生产线解决电子技术问题",
        ),
        max_experience=3,
    ),
    TitleSpec(
        "安全员",
        "6-31-06-00",
        1600,
        3.0,
        "white",
        ("construction", "chemical", "lithium", "equipment"),
        (4500, 7000),
        (SENIOR, COLLEGE),
        ("安全检查", "隐患排查", "安全培训", "应急预案"),
        _duties(
            "负责日常安全检查和隐患排查整改",
            "组织员工安全教育培训和应急演练",
            "建立健全安全生产台账",
        ),
        preferred_certificates=("safety_engineer",),
        max_experience=3,
    ),
    TitleSpec(
        "统计员",
        "3-01-01-03",
        1800,
        1.0,
        "white",
        MANUFACTURING,
        (3000, 4500),
        (SENIOR, COLLEGE),
        ("Excel", "生产报表", "数据录入", "ERP系统"),
        _duties(
            "负责车间生产数据的统计和报表编制",
            "核对产量和物料消耗数据",
            "协助做好生产计划跟踪",
        ),
        accessible=True,
    ),
    # --- logistics, warehouse, driving ------------------------------------------------------
    TitleSpec(
        "仓管员",
        "4-02-06-01",
        14500,
        1.0,
        "blue",
        (*FACTORIES, "commerce", "construction"),
        (3500, 5000),
        (JUNIOR, SENIOR),
        ("出入库管理", "ERP系统操作", "库存盘点", "物料台账"),
        _duties(
            "负责物料的收发、存储和出入库登记",
            "定期盘点，确保账物相符",
            "做好库区5S管理和安全防护",
        ),
        max_experience=2,
        accessible=True,
    ),
    TitleSpec(
        "叉车司机",
        "6-30-05-01",
        1700,
        3.0,
        "blue",
        (*FACTORIES, "commerce"),
        (4000, 6000),
        (NONE, JUNIOR),
        ("叉车驾驶", "货物装卸", "仓库作业", "安全驾驶"),
        _duties(
            "负责仓库及车间物料的叉运和装卸",
            "做好叉车日常检查和保养",
            "遵守厂内交通规则，确保作业安全",
        ),
        required_certificates=("forklift",),
        certificate_probability=0.95,
        max_experience=2,
    ),
    TitleSpec(
        "装卸工",
        "4-02-05-01",
        4500,
        1.2,
        "blue",
        ("logistics", "commerce", "liquor", "food"),
        (4000, 6500),
        (NONE, JUNIOR),
        ("货物装卸", "搬运码放", "货物清点"),
        _duties(
            "负责货物的装卸、搬运和码放",
            "按单据清点货物数量",
            "规范作业，防止货损",
        ),
    ),
    TitleSpec(
        "分拣员",
        "4-02-07-09",
        4400,
        1.2,
        "blue",
        ("logistics", "commerce"),
        (3500, 5000),
        (NONE, JUNIOR),
        ("包裹分拣", "扫码录入", "装卸搬运"),
        _duties(
            "按目的地对包裹进行分拣和集包",
            "扫描录入包裹信息",
            "协助装卸车辆",
        ),
        accessible=True,
    ),
    TitleSpec(
        "快递员",
        "4-02-07-08",
        10100,
        1.0,
        "service",
        ("logistics",),
        (4500, 7000),
        (NONE, JUNIOR),
        ("快件派送", "电动三轮车驾驶", "客户沟通", "路线规划"),
        _duties(
            "负责责任片区快件的揽收与派送",
            "使用巴枪或手机完成扫描录入",
            "妥善处理问题件和客户咨询",
        ),
        preferred_certificates=("driving_c1",),
    ),
    TitleSpec(
        "货车司机",
        "4-02-02-02",
        16700,
        0.8,
        "blue",
        ("logistics", "commerce", "construction", "food", "liquor", "chemical"),
        (5500, 8500),
        (NONE, SENIOR),
        ("货车驾驶", "车辆保养", "路线熟悉", "安全驾驶"),
        _duties(
            "负责公司货物的运输配送",
            "做好车辆日常检查和保养",
            "遵守交通法规，确保行车安全",
            "妥善保管随车单据并及时交回",
        ),
        required_certificates=("driving_b2", "road_freight"),
        certificate_probability=0.7,
        max_experience=3,
    ),
    TitleSpec(
        "驾驶员",
        "4-02-02-01",
        9700,
        0.4,
        "service",
        None,
        (4000, 6000),
        (JUNIOR, SENIOR),
        ("小车驾驶", "车辆保养", "接待礼仪"),
        _duties(
            "负责公司人员及客户的接送用车",
            "做好车辆清洁、保养和年审",
            "熟悉遂宁及周边道路，安全准时出车",
        ),
        required_certificates=("driving_c1",),
        certificate_probability=0.95,
        max_experience=3,
    ),
    TitleSpec(
        "物流专员",
        "4-02-06-03",
        6700,
        0.6,
        "white",
        ("logistics", "commerce", "lithium"),
        (4000, 6000),
        (SENIOR, COLLEGE),
        ("物流调度", "运输跟踪", "ERP系统", "单据管理"),
        _duties(
            "负责发货计划的安排和车辆调度",
            "跟踪运输在途状态，处理异常",
            "整理物流单据，核对运费",
        ),
        max_experience=2,
    ),
    TitleSpec(
        "采购员",
        "4-01-01-00",
        10000,
        0.3,
        "white",
        (*MANUFACTURING, "construction", "commerce", "hospitality"),
        (4000, 6500),
        (SENIOR, COLLEGE),
        ("供应商管理", "询价比价", "采购合同", "ERP系统"),
        _duties(
            "根据需求计划开展询价、比价和采购",
            "跟进订单交期，协调到货和入库",
            "维护供应商档案，参与供应商评价",
        ),
        max_experience=3,
    ),
    # --- sales and service -------------------------------------------------------------------
    TitleSpec(
        "销售代表",
        "4-01-02-01",
        178700,
        0.12,
        "service",
        (*FACTORIES, "construction", "commerce"),
        (3500, 8000),
        (JUNIOR, COLLEGE),
        ("客户开发", "商务谈判", "市场调研", "CRM客户管理", "沟通表达"),
        _duties(
            "开拓和维护区域客户，完成销售目标",
            "收集市场信息和竞品动态",
            "跟进订单、回款及售后协调",
            "维护客户关系，提升复购率",
        ),
        preferred_certificates=("driving_c1",),
        max_experience=3,
    ),
    TitleSpec(
        "销售经理",
        "2-06-07-02",
        49900,
        0.06,
        "white",
        (*MANUFACTURING, "construction", "commerce"),
        (7000, 12000),
        (COLLEGE, BACHELOR),
        ("团队管理", "渠道开发", "大客户销售", "销售预算"),
        _duties(
            "制定区域销售策略并组织实施",
            "带领销售团队完成业绩指标",
            "开发和维护重点客户及渠道",
        ),
        max_experience=5,
    ),
    TitleSpec(
        "电话销售",
        "4-01-02-01",
        38000,
        0.1,
        "service",
        ("commerce", "education"),
        (3000, 6000),
        (JUNIOR, SENIOR),
        ("电话沟通", "客户邀约", "普通话", "办公软件"),
        _duties(
            "通过电话向意向客户介绍公司产品和服务",
            "维护客户资料，做好回访记录",
            "完成每日通话和邀约目标",
        ),
        accessible=True,
    ),
    TitleSpec(
        "客服专员",
        "4-07-02-03",
        50000,
        0.25,
        "service",
        ("commerce", "logistics", "lithium", "electronics", "food", "liquor", "pharma"),
        (3000, 4500),
        (SENIOR, COLLEGE),
        ("客户咨询", "投诉处理", "售后跟进", "普通话", "办公软件"),
        _duties(
            "通过电话、微信等渠道解答客户咨询",
            "受理客户投诉并跟进处理结果",
            "整理客户反馈，定期形成报告",
        ),
        accessible=True,
    ),
    TitleSpec(
        "营业员",
        "4-01-02-03",
        40400,
        0.4,
        "service",
        ("commerce",),
        (2800, 4000),
        (JUNIOR, SENIOR),
        ("商品陈列", "收银操作", "顾客接待", "库存盘点"),
        _duties(
            "负责门店顾客接待和商品介绍",
            "做好商品陈列、补货及盘点",
            "维护门店卫生和良好购物环境",
        ),
    ),
    TitleSpec(
        "导购员",
        "4-01-02-03",
        21100,
        0.3,
        "service",
        ("commerce",),
        (3000, 5000),
        (JUNIOR, SENIOR),
        ("产品讲解", "商品陈列", "销售技巧", "会员维护"),
        _duties(
            "向顾客讲解产品功能和卖点",
            "完成个人销售指标",
            "维护会员信息，配合开展节日促销",
        ),
    ),
    TitleSpec(
        "收银员",
        "4-01-02-04",
        17100,
        0.5,
        "service",
        ("commerce", "hospitality"),
        (2500, 3500),
        (JUNIOR, SENIOR),
        ("收银系统操作", "点钞验钞", "扫码支付", "账款核对"),
        _duties(
            "负责收银台结账和票据开具",
            "每日核对账款，做好交接班",
            "熟练操作收银系统和扫码支付设备",
        ),
        accessible=True,
    ),
    TitleSpec(
        "店长",
        "4-01-02-06",
        13500,
        0.15,
        "white",
        ("commerce", "hospitality"),
        (5000, 8000),
        (SENIOR, COLLEGE),
        ("门店管理", "团队管理", "销售数据分析", "陈列规划"),
        _duties(
            "全面负责门店的日常经营管理",
            "制定销售计划，带领团队完成业绩",
            "做好人员排班、培训和考核",
        ),
        max_experience=3,
    ),
    TitleSpec(
        "电商运营",
        "4-01-06-01",
        12400,
        0.3,
        "white",
        ("commerce", "liquor", "food", "textile"),
        (4000, 7000),
        (SENIOR, COLLEGE),
        ("店铺运营", "直播带货", "数据分析", "短视频剪辑", "活动策划"),
        _duties(
            "负责网店的日常运营和商品上架",
            "策划店铺活动和直播带货方案",
            "分析店铺数据，优化推广效果",
        ),
        max_experience=2,
        accessible=True,
    ),
    TitleSpec(
        "药店营业员",
        "4-01-05-02",
        1000,
        1.5,
        "service",
        ("pharma",),
        (3000, 4500),
        (SENIOR, COLLEGE),
        ("药品陈列", "用药咨询", "GSP规范", "收银操作"),
        _duties(
            "负责药品的销售、陈列和养护",
            "为顾客提供基础用药咨询",
            "按GSP要求做好门店记录",
        ),
        preferred_certificates=("pharmacist",),
    ),
    TitleSpec(
        "医药代表",
        "2-06-07-07",
        7500,
        0.3,
        "white",
        ("pharma",),
        (5000, 9000),
        (COLLEGE, BACHELOR),
        ("学术推广", "医院开发", "客户拜访", "药品知识"),
        _duties(
            "负责区域内医院和药店的产品推广",
            "组织科室会等学术推广活动",
            "维护客户关系，完成销售指标",
        ),
        max_experience=3,
    ),
    TitleSpec(
        "服务员",
        "4-03-02-05",
        42500,
        0.8,
        "service",
        ("hospitality",),
        (2800, 4000),
        (NONE, JUNIOR),
        ("点单服务", "餐前准备", "客户接待", "收台整理"),
        _duties(
            "负责客人迎送、点单及上菜服务",
            "做好餐前准备和餐后收台整理",
            "保持责任区域卫生整洁",
            "及时回应客人需求，反馈意见",
        ),
        required_certificates=("health",),
        certificate_probability=0.6,
    ),
    TitleSpec(
        "厨师",
        "4-03-02-01",
        17800,
        0.5,
        "service",
        ("hospitality", "education", "health", "electronics", "lithium"),
        (4500, 7000),
        (NONE, SENIOR),
        ("川菜烹饪", "食材初加工", "菜品搭配", "厨房卫生管理"),
        _duties(
            "负责川菜菜品的烹制与出品",
            "做好食材验收、初加工和存放",
            "执行食品安全和厨房卫生制度",
        ),
        required_certificates=("health",),
        certificate_probability=0.9,
        preferred_certificates=("chinese_cook",),
        max_experience=3,
    ),
    TitleSpec(
        "厨工",
        "4-03-02-01",
        10200,
        0.5,
        "service",
        ("hospitality", "education", "health"),
        (2800, 3800),
        (NONE, JUNIOR),
        ("配菜切配", "餐具清洗", "食材初加工"),
        _duties(
            "协助厨师完成食材的洗切和配菜",
            "负责餐具的清洗消毒",
            "保持后厨环境整洁",
        ),
        required_certificates=("health",),
        certificate_probability=0.9,
    ),
    TitleSpec(
        "保安",
        "4-07-05-01",
        24800,
        0.8,
        "blue",
        None,
        (2600, 3800),
        (NONE, SENIOR),
        ("安全巡逻", "门岗管理", "消防器材使用", "监控值守"),
        _duties(
            "负责门岗值守和人员车辆出入登记",
            "按时巡逻，排查安全隐患",
            "协助做好消防安全和突发事件处置",
        ),
        required_certificates=("security_guard",),
        certificate_probability=0.3,
    ),
    TitleSpec(
        "保洁员",
        "4-09-08-01",
        9000,
        1.0,
        "service",
        None,
        (2000, 3000),
        (NONE, JUNIOR),
        ("日常清洁", "垃圾分类", "清洁设备使用"),
        _duties(
            "负责办公区域和公共区域的日常清扫",
            "做好垃圾分类及清运",
            "爱护清洁工具，节约清洁用品",
        ),
        accessible=True,
    ),
    TitleSpec(
        "保健按摩师",
        "4-10-04-02",
        4700,
        0.3,
        "service",
        ("commerce", "health"),
        (3500, 6000),
        (NONE, SENIOR),
        ("推拿按摩", "经络穴位", "足疗"),
        _duties(
            "为顾客提供保健推拿和足疗服务",
            "根据顾客情况调整手法和力度",
            "保持服务环境清洁卫生",
        ),
        accessible=True,
    ),
    TitleSpec(
        "汽车维修工",
        "4-12-01-01",
        8400,
        0.4,
        "blue",
        ("commerce", "logistics"),
        (5000, 8000),
        (JUNIOR, SENIOR),
        ("发动机维修", "汽车电路", "故障诊断", "保养作业"),
        _duties(
            "负责车辆的维修和定期保养",
            "使用诊断设备排查车辆故障",
            "填写维修记录，保管维修工具",
        ),
        max_experience=3,
    ),
    # --- office ------------------------------------------------------------------------------
    TitleSpec(
        "文员",
        "3-01-01-01",
        33200,
        0.7,
        "white",
        None,
        (2800, 4000),
        (SENIOR, COLLEGE),
        ("办公软件", "文档管理", "数据录入", "会议记录"),
        _duties(
            "负责文件的收发、整理和归档",
            "录入和统计各类数据报表",
            "协助部门做好会务和接待工作",
        ),
        accessible=True,
    ),
    TitleSpec(
        "数据录入员",
        "3-01-02-05",
        1400,
        2.0,
        "white",
        ("commerce", "logistics", "electronics", "health", "education", "pharma"),
        (2800, 3800),
        (SENIOR, SENIOR),
        ("数据录入", "拼音输入", "Excel", "信息核对"),
        _duties(
            "负责业务单据和信息的录入与核对",
            "按要求整理电子档案",
            "保证数据准确、及时",
        ),
        accessible=True,
    ),
    TitleSpec(
        "前台接待",
        "3-01-01-01",
        27000,
        0.3,
        "service",
        ("commerce", "construction", "lithium", "electronics", "pharma", "education"),
        (2800, 3800),
        (SENIOR, COLLEGE),
        ("来访接待", "电话转接", "快递收发", "办公软件"),
        _duties(
            "负责前台来访人员的接待和登记",
            "接听转接电话，收发快递和信件",
            "维护前台及会议室环境",
        ),
        accessible=True,
    ),
    TitleSpec(
        "行政专员",
        "3-01-01-01",
        24300,
        0.4,
        "white",
        None,
        (3500, 5000),
        (COLLEGE, BACHELOR),
        ("行政事务", "公文写作", "办公软件", "后勤管理"),
        _duties(
            "负责公司日常行政事务和后勤保障",
            "起草通知、报告等文件",
            "组织会议和员工活动",
        ),
        max_experience=2,
    ),
    TitleSpec(
        "人事专员",
        "2-06-08-01",
        17700,
        0.4,
        "white",
        None,
        (3500, 5500),
        (COLLEGE, BACHELOR),
        ("招聘面试", "员工关系", "社保办理", "考勤薪酬"),
        _duties(
            "负责招聘渠道维护、简历筛选和面试安排",
            "办理员工入离职及社保公积金手续",
            "统计考勤，协助核算薪酬",
        ),
        max_experience=2,
    ),
    TitleSpec(
        "会计",
        "2-06-03-00",
        26100,
        0.5,
        "white",
        None,
        (4000, 6500),
        (COLLEGE, BACHELOR),
        ("账务处理", "纳税申报", "财务报表", "财务软件", "Excel"),
        _duties(
            "负责日常凭证审核与账务处理",
            "编制月度、年度财务报表",
            "办理纳税申报及税务相关事务",
            "协助做好成本核算和资产管理",
        ),
        required_certificates=("accountant_junior",),
        certificate_probability=0.4,
        preferred_certificates=("accountant_intermediate",),
        max_experience=3,
        accessible=True,
    ),
    TitleSpec(
        "出纳",
        "2-06-03-00",
        10200,
        0.5,
        "white",
        None,
        (3000, 4500),
        (SENIOR, COLLEGE),
        ("现金管理", "银行结算", "票据管理", "Excel"),
        _duties(
            "负责现金收付和银行结算业务",
            "登记现金和银行存款日记账",
            "保管票据和印鉴",
        ),
        max_experience=2,
        accessible=True,
    ),
    TitleSpec(
        "平面设计",
        "2-09-06-01",
        17100,
        0.1,
        "white",
        ("commerce", "liquor", "food", "education"),
        (4000, 7000),
        (COLLEGE, COLLEGE),
        ("Photoshop", "Illustrator", "CorelDRAW", "排版设计"),
        _duties(
            "负责产品包装、海报和宣传物料的设计",
            "配合电商完成详情页和主图设计",
            "维护品牌视觉规范",
        ),
        max_experience=2,
        accessible=True,
    ),
    TitleSpec(
        "软件开发工程师",
        "2-02-10-03",
        26500,
        0.1,
        "white",
        ("electronics", "commerce", "logistics"),
        (7000, 12000),
        (COLLEGE, BACHELOR),
        ("Java", "Python", "MySQL", "Linux", "Vue"),
        _duties(
            "负责业务系统的需求分析、设计和编码",
            "编写单元测试和技术文档",
            "维护线上系统，排查和解决问题",
        ),
        max_experience=3,
        accessible=True,
    ),
    # --- construction ------------------------------------------------------------------------
    TitleSpec(
        "施工员",
        "2-02-18-02",
        5300,
        0.8,
        "white",
        ("construction",),
        (5000, 8000),
        (SENIOR, COLLEGE),
        ("施工组织", "图纸会审", "现场管理", "施工日志"),
        _duties(
            "负责施工现场的技术和进度管理",
            "组织班组按图纸和规范施工",
            "填写施工日志，参与隐蔽工程验收",
        ),
        preferred_certificates=("constructor_2",),
        max_experience=3,
    ),
    TitleSpec(
        "造价员",
        "2-02-30-10",
        6400,
        0.4,
        "white",
        ("construction",),
        (5000, 8000),
        (COLLEGE, BACHELOR),
        ("工程量清单", "广联达", "预结算", "定额计价"),
        _duties(
            "负责工程量计算和预结算编制",
            "审核分包和材料的结算资料",
            "配合做好成本控制和合同管理",
        ),
        max_experience=3,
    ),
    TitleSpec(
        "钢筋工",
        "6-29-01-04",
        60,
        40.0,
        "blue",
        ("construction",),
        (6000, 9000),
        (NONE, JUNIOR),
        ("钢筋下料", "钢筋绑扎", "图纸识读"),
        _duties(
            "按图纸完成钢筋的下料、加工和绑扎",
            "配合质检做好隐蔽验收",
            "遵守高处作业等安全规定",
        ),
        max_experience=3,
    ),
    TitleSpec(
        "泥瓦工",
        "6-29-01-01",
        300,
        8.0,
        "blue",
        ("construction",),
        (6000, 9000),
        (NONE, JUNIOR),
        ("砌墙", "抹灰", "贴砖"),
        _duties(
            "负责砌筑、抹灰和墙地砖铺贴",
            "保证施工质量符合验收规范",
            "做好工完场清",
        ),
        max_experience=3,
    ),
    TitleSpec(
        "木工",
        "6-06-03-01",
        1430,
        1.5,
        "blue",
        ("construction",),
        (6000, 9000),
        (NONE, JUNIOR),
        ("模板支护", "木工机具使用", "图纸识读"),
        _duties(
            "负责模板的制作、安装和拆除",
            "按图纸控制模板尺寸和标高",
            "正确使用木工机具，注意安全",
        ),
        max_experience=3,
    ),
    TitleSpec(
        "架子工",
        "6-29-01-05",
        100,
        10.0,
        "blue",
        ("construction",),
        (6500, 9500),
        (NONE, JUNIOR),
        ("脚手架搭设", "高处作业", "安全防护"),
        _duties(
            "负责脚手架的搭设、维护和拆除",
            "按方案设置安全防护设施",
            "严格执行高处作业安全规定",
        ),
        required_certificates=("work_at_height",),
        certificate_probability=0.9,
        max_experience=3,
    ),
    TitleSpec(
        "建筑普工",
        "6-29-01-03",
        2100,
        1.5,
        "blue",
        ("construction",),
        (4500, 6500),
        (NONE, NONE),
        ("混凝土浇筑", "材料搬运", "现场清理"),
        _duties(
            "配合技术工完成混凝土浇筑和养护",
            "负责施工材料的搬运和现场清理",
            "服从现场管理人员安排",
        ),
    ),
    # --- education and health ----------------------------------------------------------------
    TitleSpec(
        "幼师",
        "2-08-03-00",
        12300,
        0.6,
        "white",
        ("education",),
        (3000, 4500),
        (COLLEGE, COLLEGE),
        ("幼儿保教", "教案设计", "手工美术", "舞蹈", "家园沟通"),
        _duties(
            "负责班级幼儿的一日保教工作",
            "设计并组织开展主题教学活动",
            "做好家园沟通和幼儿成长记录",
            "关注幼儿安全与卫生习惯培养",
        ),
        required_certificates=("teacher",),
        certificate_probability=0.8,
        preferred_certificates=("mandarin",),
        max_experience=2,
    ),
    TitleSpec(
        "保育员",
        "4-10-01-03",
        1900,
        1.5,
        "service",
        ("education",),
        (2500, 3500),
        (JUNIOR, SENIOR),
        ("幼儿生活照料", "消毒保洁", "配合教学"),
        _duties(
            "负责幼儿的饮食、午睡等生活照料",
            "做好班级卫生消毒工作",
            "配合教师开展保教活动",
        ),
        required_certificates=("nursery", "health"),
        certificate_probability=0.6,
    ),
    TitleSpec(
        "小学教师",
        "2-08-02-04",
        4900,
        0.6,
        "white",
        ("education",),
        (4000, 6500),
        (BACHELOR, BACHELOR),
        ("课堂教学", "班级管理", "教学设计", "普通话"),
        _duties(
            "承担语文、数学或英语学科教学",
            "做好备课、上课、作业批改和辅导",
            "参与班级管理和家校沟通",
        ),
        required_certificates=("teacher",),
        certificate_probability=0.95,
        preferred_certificates=("mandarin",),
        max_experience=2,
    ),
    TitleSpec(
        "中学教师",
        "2-08-02-03",
        10000,
        0.3,
        "white",
        ("education",),
        (4500, 7000),
        (BACHELOR, BACHELOR),
        ("学科教学", "班级管理", "教学研究", "普通话"),
        _duties(
            "承担初中相应学科的教学工作",
            "组织学生开展课外学习和实践活动",
            "参与教研活动，提升教学质量",
        ),
        required_certificates=("teacher",),
        certificate_probability=0.95,
        max_experience=3,
    ),
    TitleSpec(
        "护士",
        "2-05-08-01",
        7200,
        1.0,
        "white",
        ("health",),
        (3500, 6000),
        (COLLEGE, BACHELOR),
        ("临床护理", "静脉输液", "护理文书", "急救技能"),
        _duties(
            "按护理常规对患者实施护理",
            "执行医嘱，完成输液、注射等操作",
            "观察病情变化，规范书写护理记录",
            "做好患者健康宣教",
        ),
        required_certificates=("nurse",),
        certificate_probability=0.95,
        max_experience=3,
    ),
    TitleSpec(
        "医生",
        "2-05-01-01",
        5800,
        0.6,
        "white",
        ("health",),
        (6000, 12000),
        (BACHELOR, BACHELOR),
        ("内科诊疗", "病历书写", "常见病诊治", "慢病管理"),
        _duties(
            "负责门诊和病房患者的诊疗工作",
            "规范书写病历，执行医疗核心制度",
            "参与科室业务学习和义诊活动",
        ),
        required_certificates=("physician",),
        certificate_probability=0.9,
        max_experience=5,
    ),
    TitleSpec(
        "养老护理员",
        "4-10-01-05",
        500,
        2.0,
        "service",
        ("health",),
        (3000, 4500),
        (NONE, JUNIOR),
        ("老年照护", "康复协助", "生活照料"),
        _duties(
            "负责入住老人的生活照料和日常护理",
            "协助老人进行康复训练",
            "做好护理记录，与家属保持沟通",
        ),
        required_certificates=("elderly_care",),
        certificate_probability=0.5,
    ),
)
"""The curated title table (market-weighted, Suining-adjusted); see the module docstring."""

TITLE_INDEX: dict[str, int] = {spec.title: index for index, spec in enumerate(TITLES)}


# --- majors --------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class MajorSpec:
    """A field of study with the titles graduates of it look for and certificates they hold."""

    name: str
    levels: tuple[int, ...]
    titles: tuple[str, ...]
    certificates: tuple[tuple[str, float], ...] = ()
    skills: tuple[str, ...] = ()


MAJORS: tuple[MajorSpec, ...] = (
    MajorSpec(
        "计算机科学与技术",
        (BACHELOR, MASTER),
        ("软件开发工程师", "数据录入员", "文员"),
        (("computer_rank", 0.5),),
        ("数据结构",),
    ),
    MajorSpec(
        "软件技术",
        (COLLEGE,),
        ("软件开发工程师", "电商运营"),
        (("computer_rank", 0.5),),
    ),
    MajorSpec(
        "会计学",
        (BACHELOR,),
        ("会计", "出纳", "统计员"),
        (("accountant_junior", 0.5),),
    ),
    MajorSpec(
        "大数据与会计",
        (COLLEGE,),
        ("会计", "出纳", "文员"),
        (("accountant_junior", 0.35),),
    ),
    MajorSpec("财务管理", (BACHELOR,), ("会计", "出纳", "行政专员")),
    MajorSpec(
        "学前教育",
        (COLLEGE, BACHELOR),
        ("幼师", "保育员"),
        (("teacher", 0.7), ("nursery", 0.3), ("mandarin", 0.6)),
    ),
    MajorSpec(
        "小学教育",
        (BACHELOR,),
        ("小学教师",),
        (("teacher", 0.8), ("mandarin", 0.7)),
    ),
    MajorSpec(
        "汉语言文学",
        (BACHELOR,),
        ("中学教师", "文员", "行政专员"),
        (("teacher", 0.5), ("mandarin", 0.6)),
        ("公文写作",),
    ),
    MajorSpec("英语", (BACHELOR,), ("中学教师", "文员"), (("teacher", 0.5), ("cet6", 0.6))),
    MajorSpec("护理", (COLLEGE,), ("护士", "养老护理员"), (("nurse", 0.8),)),
    MajorSpec("护理学", (BACHELOR,), ("护士",), (("nurse", 0.85),)),
    MajorSpec("临床医学", (BACHELOR, MASTER), ("医生",), (("physician", 0.4),)),
    MajorSpec("药学", (COLLEGE, BACHELOR), ("药店营业员", "医药代表", "化验员")),
    MajorSpec(
        "机械设计制造及其自动化",
        (BACHELOR, MASTER),
        ("机械工程师", "品质工程师", "设备维护员"),
        (("computer_rank", 0.3),),
    ),
    MajorSpec(
        "机电一体化技术",
        (COLLEGE,),
        ("设备维护员", "机修工", "CNC操作工", "电工"),
        (("low_voltage_electrician", 0.3),),
    ),
    MajorSpec("数控技术", (COLLEGE,), ("CNC操作工", "车工", "机修工"), (("cnc_operator", 0.5),)),
    MajorSpec(
        "电气自动化技术",
        (COLLEGE,),
        ("电工", "设备维护员", "电气工程师"),
        (("low_voltage_electrician", 0.5),),
    ),
    MajorSpec(
        "电气工程及其自动化",
        (BACHELOR, MASTER),
        ("电气工程师", "设备维护员"),
        (("low_voltage_electrician", 0.3),),
    ),
    MajorSpec(
        "新能源材料与器件",
        (BACHELOR, MASTER),
        ("锂电工艺工程师", "锂电池生产技术员", "品质工程师"),
    ),
    MajorSpec("材料科学与工程", (BACHELOR, MASTER), ("锂电工艺工程师", "品质工程师", "化验员")),
    MajorSpec("应用电子技术", (COLLEGE,), ("SMT操作员", "PCB操作工", "电子工程师")),
    MajorSpec("电子信息工程", (BACHELOR,), ("电子工程师", "品质工程师", "软件开发工程师")),
    MajorSpec("应用化工技术", (COLLEGE,), ("化验员", "化工操作工", "化工工艺员")),
    MajorSpec("化学工程与工艺", (BACHELOR, MASTER), ("化工工艺员", "化验员", "安全员")),
    MajorSpec("食品质量与安全", (BACHELOR,), ("食品检验员", "化验员", "品质工程师")),
    MajorSpec("食品检验检测技术", (COLLEGE,), ("食品检验员", "化验员")),
    MajorSpec("酿酒技术", (COLLEGE,), ("酿酒工", "化验员", "食品检验员")),
    MajorSpec("市场营销", (COLLEGE, BACHELOR), ("销售代表", "电商运营", "客服专员", "销售经理")),
    MajorSpec("电子商务", (COLLEGE, BACHELOR), ("电商运营", "客服专员", "平面设计")),
    MajorSpec("人力资源管理", (BACHELOR,), ("人事专员", "行政专员")),
    MajorSpec("工商管理", (BACHELOR,), ("行政专员", "人事专员", "销售代表")),
    MajorSpec("文秘", (COLLEGE,), ("文员", "前台接待", "行政专员")),
    MajorSpec("现代物流管理", (COLLEGE,), ("物流专员", "仓管员", "采购员")),
    MajorSpec("土木工程", (BACHELOR, MASTER), ("施工员", "造价员", "安全员")),
    MajorSpec("建筑工程技术", (COLLEGE,), ("施工员", "安全员", "造价员")),
    MajorSpec("工程造价", (COLLEGE, BACHELOR), ("造价员", "施工员")),
    MajorSpec("视觉传达设计", (BACHELOR,), ("平面设计", "电商运营")),
    MajorSpec("汽车检测与维修技术", (COLLEGE,), ("汽车维修工", "驾驶员")),
    MajorSpec("酒店管理与数字化运营", (COLLEGE,), ("店长", "前台接待", "服务员")),
    MajorSpec("安全工程", (BACHELOR,), ("安全员", "化工工艺员")),
)
"""Majors of Suining's graduates (本地高职, provincial universities) with their likely titles."""


# --- welfare, certificates wording, names --------------------------------------------------

WELFARE_TAGS: tuple[str, ...] = (
    "五险一金",
    "五险",
    "包吃住",
    "包住",
    "餐补",
    "双休",
    "单休",
    "带薪年假",
    "节日福利",
    "年终奖",
    "绩效奖金",
    "全勤奖",
    "交通补贴",
    "高温补贴",
    "定期体检",
    "岗前培训",
    "员工宿舍",
    "工作餐",
)
"""Welfare tags as postings write them; a vacancy shows a coherent subset."""

BOARD_AND_LODGING = "包吃住"

CERTIFICATE_WORDING: dict[str, str] = {
    "low_voltage_electrician": "低压电工作业证（电工证）",
    "high_voltage_electrician": "高压电工作业证",
    "welding": "焊工证（熔化焊接与热切割作业证）",
    "forklift": "叉车证",
    "health": "健康证",
    "teacher": "教师资格证",
    "nurse": "护士执业证书",
    "physician": "执业医师资格证",
    "driving_b2": "B2驾驶证",
    "driving_c1": "C1驾驶证",
    "road_freight": "道路货物运输从业资格证",
    "hazardous_chemicals": "危险化学品安全作业证",
    "work_at_height": "高处作业证",
    "security_guard": "保安员证",
    "accountant_junior": "初级会计专业技术资格",
    "elderly_care": "养老护理员证",
    "nursery": "保育员证",
}
"""How a posting names a required certificate (its table name or a common alias)."""

SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗高郑梁谢宋唐许邓冯韩曹曾彭蔡潘田董袁于余叶蒋杜苏魏"
    "程吕丁沈任姚卢傅钟姜崔谭廖范汪陆金石戴贾韦夏邱方侯邹熊孟秦白江薛尹段雷黎史龙陶贺顾毛郝龚邵"
    "万钱严赖覃洪武莫孔"
)
"""Common Chinese surnames (about a hundred)."""

GIVEN_NAME_CHARACTERS = (
    "伟强磊军洋勇杰涛明超亮平刚辉鹏华飞鑫波斌宇浩凯健俊帆帅旭宁龙林欢阳建国峰成"
    "敏静丽艳娟霞秀玲桂英芳燕红梅琳雪倩婷颖慧莉萍晶佳蓉怡欣月萱琴云文"
)
"""Characters of given names (one or two of them)."""

VILLAGE_NAMES = (
    "新华村",
    "白马村",
    "长乐村",
    "观音村",
    "石桥村",
    "龙泉村",
    "大石村",
    "清河村",
    "红星村",
    "双河村",
    "金山村",
    "桂花村",
    "复兴村",
    "团结村",
    "玉峰村",
)
STREET_NAMES = (
    "遂州中路",
    "明月路",
    "嘉禾东路",
    "滨江北路",
    "开发区大道",
    "河东大道",
    "联盟路",
    "富源路",
    "西山路",
    "凯旋西路",
    "和平路",
    "人民路",
    "建设路",
    "育才路",
)
