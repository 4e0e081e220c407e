"""How people say things: spoken job phrases, title aliases and Chinese numerals for the texts.

Walk-in seekers do not name the posted title: they say what they did or want to do (开过五年货车,
会扎钢筋, 带过月子, 想进厂). :func:`spoken_phrases` gives, for each title of
:data:`~matcher.synth.vocab.TITLES`, the phrases of the shipped walk-in lexicon
(``reference/walkin_lexicon.csv``) whose 大典 code is the title's occupation — or, when it has
none, one of its 小类 (the first three parts of the code) — each with its grammatical form so
that a sentence can be built around it. Written résumés sometimes name a job by an alias
(``reference/title_aliases.csv``, ``reference/synonyms.csv``) or by its 大典 name:
:func:`formal_names`. Numbers are spoken in Chinese numerals, approximate ones as people say
them (十几年, 五十多岁, 四千多), and always so that the least they can mean is true.

The lexicon is read from the reference folder directly (``matcher.synth`` may not import
``matcher.intake``, where the résumé reader loads the same file).
"""

from __future__ import annotations

import csv
import random
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Literal

import matcher.reference
from matcher.reference import certificates, occupations
from matcher.synth.vocab import TITLES, TitleSpec

REFERENCE = Path(matcher.reference.__file__).parent

Form = Literal["verb", "person", "activity", "place"]

_CN_DIGITS = "零一二三四五六七八九"

_PLACE_ENDINGS = (
    "厂",
    "厂里",
    "工地",
    "车间",
    "流水线",
    "养老院",
    "敬老院",
    "超市",
    "药店",
    "仓库",
    "办公室",
    "食堂",
    "果园",
    "猪场",
    "鸡场",
    "鱼塘",
    "养殖场",
    "加油站",
    "茶馆",
    "大棚",
    "酒店",
    "宾馆",
    "旅馆",
    "饭店",
    "餐馆",
    "饭馆",
    "酒楼",
    "火锅店",
    "早餐店",
    "理发店",
    "足浴店",
    "美容院",
    "商场",
    "后厨",
    "厨房",
    "驿站",
    "快递站",
    "物流园",
    "澡堂",
    "茶园",
    "洗衣房",
    "月子中心",
)
_PERSON_ENDINGS = (
    "员",
    "工",
    "师",
    "匠",
    "卫",
    "嫂",
    "姆",
    "小哥",
    "司机",
    "保安",
    "大厨",
    "墩子",
    "店员",
    "导购",
    "会计",
    "出纳",
    "客服",
    "护士",
    "幼师",
    "渔民",
    "老师",
    "阿姨",
    "主播",
    "骑手",
)
_VERB_STARTS = frozenset(
    "开跑扎绑打搞修送带烧做干搬卖种养装刷贴砌搭浇看守管踩端洗摆收拉杀炒切包编剪补铺喂伺照陪护接布"
    "爬分派揽卸扛理上巡挑组拧插烫腌酿烤织撒摘剃搓改拍录喷抛折支盖建蒸传点泡擦扫清配教写进坐"
)
_VERB_PHRASES = frozenset(
    {
        "食堂做饭",
        "饭店打杂",
        "餐馆打杂",
        "工地打杂",
        "给老板开车",
        "掌勺",
        "下力",
        "下苦力",
        "煮饭",
        "进厂",
        "管仓库",
        "看仓库",
        "坐办公室",
        "站柜台",
        "车衣服",
    }
)
_PERSON_PHRASES = frozenset({"墩子"})
_ACTIVITY_PHRASES = frozenset({"炒锅", "打荷", "红案", "凉菜", "护卫", "押运", "站岗"})
_AWKWARD = frozenset(
    {"车位", "社区", "村上", "冷库", "过磅", "检测", "管道", "切割", "化验"}
    | {"包子", "手工", "手工焊", "弄饭", "擀面", "择菜", "放牛", "放羊", "挤奶", "采茶"}
    | {"砍树", "通下水道", "物业维修", "养殖"}
)
"""Lexicon phrases that read wrongly out of context (车位 is also a parking space)."""


@dataclass(frozen=True, slots=True)
class SpokenPhrase:
    """A walk-in way to name a job: the words, their form and the 大典 code they mean."""

    text: str
    form: Form
    code: str
    kind: str = "job"
    """The lexicon's kind: ``job``, or ``generic``/``setting`` for words that name work of no
    particular kind (普工, 进厂) or only where it is done (厂里, 工地)."""


def phrase_form(phrase: str) -> Form:
    """``verb`` for what one does (扎钢筋, 打扫卫生, 进厂), ``person`` for what one is (门卫,
    月嫂), ``place`` for where one works (电子厂, 工地), ``activity`` for the work named as a
    thing (电焊, 钢筋, 销售)."""
    if phrase in _VERB_PHRASES:
        return "verb"
    if phrase in _PERSON_PHRASES:
        return "person"
    if phrase in _ACTIVITY_PHRASES:
        return "activity"
    if phrase.endswith(_PLACE_ENDINGS):
        return "place"
    if phrase[0] in _VERB_STARTS and (not phrase.endswith(_PERSON_ENDINGS) or len(phrase) >= 4):
        return "verb"
    if phrase.endswith(_PERSON_ENDINGS):
        return "person"
    return "activity"


def _csv(name: str) -> list[dict[str, str]]:
    with (REFERENCE / name).open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def minor_group(code: str) -> str:
    """The 小类 of a 大典 code: ``6-31-05-00`` → ``6-31-05``."""
    return code.rsplit("-", 1)[0]


@cache
def _lexicon_by_code() -> dict[str, tuple[tuple[str, str], ...]]:
    """大典 code → (phrase, kind) of the walk-in lexicon, in file order."""
    phrases: dict[str, dict[str, str]] = {}
    for row in _csv("walkin_lexicon.csv"):
        phrase = row["phrase"].strip()
        if not phrase or "…" in phrase or phrase in _AWKWARD:
            continue
        phrases.setdefault(row["occupation_code"], {}).setdefault(phrase, row.get("kind") or "job")
    return {code: tuple(words.items()) for code, words in phrases.items()}


@cache
def _all_titles() -> tuple[str, ...]:
    return tuple(spec.title for spec in TITLES)


def names_a_title(text: str) -> bool:
    """Whether ``text`` holds one of the market titles of :data:`TITLES` as it is posted."""
    return any(title in text for title in _all_titles())


@cache
def spoken_phrases(title: str) -> tuple[SpokenPhrase, ...]:
    """Walk-in phrases for a title: lexicon phrases of its occupation (else of its 小类) that
    do not contain a posted title; empty when the lexicon has none."""
    spec = next(spec for spec in TITLES if spec.title == title)
    by_code = _lexicon_by_code()
    exact = [(phrase, kind, spec.occupation) for phrase, kind in by_code.get(spec.occupation, ())]
    chosen = exact or [
        (phrase, kind, code)
        for code, phrases in sorted(by_code.items())
        if minor_group(code) == minor_group(spec.occupation)
        for phrase, kind in phrases
    ]
    return tuple(
        SpokenPhrase(phrase, phrase_form(phrase), code, kind)
        for phrase, kind, code in chosen
        if not names_a_title(phrase)
    )


@cache
def formal_names(title: str) -> tuple[str, ...]:
    """Other written names of a title: aliases of its occupation in ``title_aliases.csv``,
    its pairs in ``synonyms.csv`` and the 大典 name; ASCII-only aliases (``qc``, ``java``) left
    out."""
    spec = next(spec for spec in TITLES if spec.title == title)
    aliases = _csv("title_aliases.csv")
    names = [row["alias"] for row in aliases if row["occ_code"] == spec.occupation]
    for row in _csv("synonyms.csv"):
        if row["canonical"] == title:
            names.append(row["variant"])
        if row["variant"] == title:
            names.append(row["canonical"])
    names.append(occupations()[spec.occupation].name)
    return tuple(
        dict.fromkeys(name for name in names if name and name != title and not name.isascii())
    )


# --- certificates --------------------------------------------------------------------------


@cache
def spoken_certificate(code: str) -> str:
    """A short everyday name of a certificate: ``B2驾照``, ``电工证``, ``健康证``."""
    certificate = certificates()[code]
    if code.startswith("driving_"):
        return certificate.name[:2] + "驾照"
    if certificate.name.endswith("证") and len(certificate.name) <= 6:
        return certificate.name
    short = [alias for alias in certificate.aliases if alias.endswith("证") and not alias.isascii()]
    if short:
        return min(short, key=len)
    return certificate.name


# --- numerals --------------------------------------------------------------------------------


def chinese_number(value: int) -> str:
    """0–99 in Chinese numerals as spoken: 5 → 五, 12 → 十二, 40 → 四十, 42 → 四十二."""
    if not 0 <= value <= 99:
        raise ValueError(f"value must be in 0–99, got {value}")
    if value < 10:
        return _CN_DIGITS[value]
    tens, units = divmod(value, 10)
    head = "" if tens == 1 else _CN_DIGITS[tens]
    return head + "十" + (_CN_DIGITS[units] if units else "")


def spoken_years(rnd: random.Random, years: int) -> str:
    """A duration of ``years`` (≥ 1) as a walk-in says it; the least it can mean is ``years``
    or less and the most at least ``years``: 五年, 两年, 5年, 七八年 (7 or 8), 十几年 (11–19),
    二十多年 (21–29)."""
    if years < 1:
        raise ValueError(f"years must be at least 1, got {years}")
    roll = rnd.random()
    if years in (7, 8) and roll < 0.3:
        return "七八年"
    if 11 <= years <= 19 and roll < 0.55:
        return "十几年"
    if years >= 21 and years % 10 and roll < 0.55:
        return chinese_number(years - years % 10) + "多年"
    if roll > 0.85:
        return f"{years}年"
    if years == 2:
        return "两年"
    return chinese_number(years) + "年"


def spoken_age(rnd: random.Random, age: int) -> str:
    """An age as a walk-in says it: 四十二岁, 42岁, 五十多岁 (50–59), 快五十了 (49)."""
    roll = rnd.random()
    if age % 10 == 9 and age >= 29 and roll < 0.3:
        return f"快{chinese_number(age + 1)}了"
    if age >= 30 and age % 10 and roll < 0.4:
        return chinese_number(age - age % 10) + "多岁"
    if 20 <= age <= 79 and roll < 0.8:
        return chinese_number(age) + "岁"
    return f"{age}岁"


def spoken_money(rnd: random.Random, amount: int) -> str:
    """A monthly wish in thousands as spoken: 4000 → 四千, 4500 → 四千五; 10000 → 一万."""
    thousands, rest = divmod(amount, 1000)
    if thousands >= 10:
        return f"{amount}"
    head = ("两" if thousands == 2 and rnd.random() < 0.7 else _CN_DIGITS[thousands]) + "千"
    if rest == 0:
        return head
    if rest % 100 == 0:
        return head + _CN_DIGITS[rest // 100]
    return f"{amount}"


def title_spec(title: str) -> TitleSpec:
    return next(spec for spec in TITLES if spec.title == title)
