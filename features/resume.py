"""What a job seeker's own words say about them: résumé and walk-in text → structured fields.

Pure: strings in, values out, no I/O and no code table of its own. The caller hands in a
:class:`ResumeVocabulary` — the walk-in lexicon (how people say a job → 大典 code and skills), a
fitted :class:`~features.titles.TitleMatcher`, certificate aliases, place names → region codes,
a skill vocabulary and priority-group words — and :func:`parse_resume` reads, in both registers:

written résumés
    ``求职意向：电工 … 持低压电工作业证 … 大专 … 3年工作经验 … 期望薪资5000-6000元``,
    work-history lines ``2016.03-2021.08 某电子公司 操作工``, ``出生年月：1990.05``;
walk-in speech
    ``退伍军人，开过五年货车，有B2驾照，想找司机或者保安的活，住船山区``, ``会扎钢筋``,
    ``开叉车的``, ``带月子``, ``打鱼的``, ``干了十几年``, ``想要四千以上``, ``射洪人``, ``离家近``.

Every field is what the seeker *has* or *wants* (the résumé sense), never a requirement. A field
the text does not state stays ``None`` (or an empty tuple): unknown is never a value. Each value
carries a confidence in [0, 1] and its evidence: the span in the normalised text (NFKC, white
space runs folded, capped at :data:`MAX_RESUME_CHARS`) and the words it was read from.

Approximate figures read as the least they can mean (the fields are "at least"): ``十几年`` → 11,
``几年`` → 2, ``七八年`` → 7, ``两年多`` → 2, ``五十多岁`` → 50, ``三四千`` → 3000–4000.

Every pattern runs in linear time: input is capped first, quantifiers are bounded and no two
unbounded quantifiers over the same characters are adjacent.
"""

from __future__ import annotations

import bisect
import re
import unicodedata
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Generic, Literal, TypeVar

from features.parsers import (
    GENERIC_LICENCE_WORDS,
    find_certificates,
    parse_education,
    parse_salary,
)
from features.titles import TitleMatcher

__all__ = [
    "MAX_RESUME_CHARS",
    "SEEKER_FIELDS",
    "LexiconEntry",
    "OccupationGuess",
    "PhraseKind",
    "Reading",
    "ResumeFields",
    "ResumeVocabulary",
    "SalaryWish",
    "SeekerCompletion",
    "complete_seeker_fields",
    "parse_resume",
]

MAX_RESUME_CHARS = 8_000
"""Text beyond this many characters is not read (the schema's résumé cap); ``truncated`` says so."""
MIN_AGE, MAX_AGE = 16, 75
"""Working ages (the schema's bounds); other ages are not the seeker's."""
MIN_BIRTH_YEAR, MAX_BIRTH_YEAR = 1930, 2015
MIN_SALARY, MAX_SALARY = 500, 100_000
"""Monthly CNY a wish may state (the schema's bounds)."""
MAX_EXPERIENCE_YEARS = 60.0

T = TypeVar("T")
Role = Literal["desired", "identity", "past"]
PhraseKind = Literal["job", "generic", "setting"]
OccupationSource = Literal["lexicon", "title"]


# --- results ---------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Reading(Generic[T]):
    """A value read from the text, how sure the reading is and where it was read.

    Attributes
    ----------
    value : T
    confidence : float
        In [0, 1].
    start, end : int
        The evidence span in the normalised text.
    evidence : str
        The words read (``"开过五年货车"``), at most a clause.
    """

    value: T
    confidence: float
    start: int
    end: int
    evidence: str


@dataclass(frozen=True, slots=True)
class SalaryWish:
    """Expected monthly pay in CNY; ``high`` None for ``…以上``, ``low`` None for ``…以下``."""

    low: int | None
    high: int | None


@dataclass(frozen=True, slots=True)
class OccupationGuess:
    """An occupation the text names, as a 大典 2022 code.

    Attributes
    ----------
    code, name : str
        The 大典 code and its name.
    confidence : float
        In [0, 1].
    role : {"desired", "identity", "past"}
        Wanted (``想找保安``), what the seeker is (``开叉车的``, ``我是电工``) or did
        (``做过普工``, a work-history line).
    source : {"lexicon", "title"}
        Read through the walk-in lexicon or the title matcher.
    start, end : int
        Span of the words in the normalised text.
    evidence : str
        The words (``"扎钢筋"``).
    skills : tuple of str
        Skills the lexicon entry implies.
    kind : {"job", "generic", "setting"}
        The lexicon phrase's kind (title-matcher guesses are jobs).
    """

    code: str
    name: str
    confidence: float
    role: Role
    source: OccupationSource
    start: int
    end: int
    evidence: str
    skills: tuple[str, ...] = ()
    kind: PhraseKind = "job"


@dataclass(frozen=True, slots=True)
class ResumeFields:
    """Everything :func:`parse_resume` read; ``None`` or ``()`` where the text says nothing.

    Attributes
    ----------
    desired_occupations : tuple of OccupationGuess
        Explicitly wanted occupations; when none is stated, what the seeker is or did (with
        lower confidence). One guess per code, in order of appearance.
    past_occupations : tuple of OccupationGuess
        Occupations the seeker did or is (``开过五年货车``, ``做过普工``, work-history lines);
        an act that names no job of its own (``做表格``) only when no job is named.
    education : Reading of int or None
        Highest level attained, 1 初中及以下 … 6 博士 (:data:`features.parsers.EDUCATION_LEVELS`).
    experience_years : Reading of float or None
        Years of work, ≥ 0 (0 for ``应届``, ``没上过班``).
    certificates : tuple of Reading of str
        Certificate codes held (``有B2驾照`` → the B2 code); not ``想考`` or ``没有``.
    skills : tuple of Reading of str
    age : Reading of int or None
        Age in years, 16–75, as stated (``52岁``, ``五十多岁`` → 50).
    birth_year : Reading of int or None
        As stated (``1990年生``; ``90后`` → 1995 with confidence 0.5).
    expected_salary : Reading of SalaryWish or None
    home_region : Reading of str or None
        The region code where the seeker lives or comes from (``住船山区``, ``射洪人``).
    desired_regions : tuple of Reading of str
        Where the seeker wants to work (``想在船山区上班``; the home region for ``离家近``).
    near_home : Reading of bool or None
        The seeker asks for work near home (``离家近``, ``家附近``).
    anywhere : Reading of bool or None
        The seeker takes work anywhere (``哪里都可以去``, ``工作地点不限``, ``外地也行``).
    places_also : tuple of Reading of str
        Places named only as one more (``成都也去``) beside a place the text does not name:
        the seeker's own place, which the caller may know, comes first.
    priority_groups : tuple of Reading of str
        Priority-group codes the seeker names (``退伍军人``): staff verify these.
    truncated : bool
        The text was longer than :data:`MAX_RESUME_CHARS`; the rest was not read.
    """

    desired_occupations: tuple[OccupationGuess, ...] = ()
    past_occupations: tuple[OccupationGuess, ...] = ()
    education: Reading[int] | None = None
    experience_years: Reading[float] | None = None
    certificates: tuple[Reading[str], ...] = ()
    skills: tuple[Reading[str], ...] = ()
    age: Reading[int] | None = None
    birth_year: Reading[int] | None = None
    expected_salary: Reading[SalaryWish] | None = None
    home_region: Reading[str] | None = None
    desired_regions: tuple[Reading[str], ...] = ()
    near_home: Reading[bool] | None = None
    anywhere: Reading[bool] | None = None
    places_also: tuple[Reading[str], ...] = ()
    priority_groups: tuple[Reading[str], ...] = ()
    truncated: bool = False


# --- vocabulary ------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class LexiconEntry:
    """How people say a job, and what it means.

    ``phrase`` may hold ``…`` for a gap of up to :data:`LEXICON_GAP` characters inside a clause
    (``开…货车`` reads ``开过五年货车``). ``kind`` says how much the phrase alone tells:

    job
        names the work (扎钢筋, 开叉车, 保安, 收银);
    generic
        names work of no particular kind (普工, 服务员, 司机, 进厂): dropped as the head of a
        compound after a job (货车司机) or a setting (锂电普工, 客房服务员), and a workplace word
        (工厂, 车间) beside a job in the same list item; in a wish it counts, after the seeker's
        own job of the same kind (开过五年货车 + 想找司机 → the freight driver first);
    setting
        names a workplace or trade (超市, 工地, 厂里, 快递, 养殖场): dropped when the same clause
        names a job (超市收银 → 收银); a wish that names only settings is refined by the jobs the
        seeker did or does in the same 大典 major group (想找个工地上的活 + 砌砖 → 砌筑工).
    """

    phrase: str
    occupation_code: str
    occupation_name: str
    skills: tuple[str, ...] = ()
    reason: str = ""
    kind: PhraseKind = "job"


LEXICON_GAP = 6
"""Characters a ``…`` in a lexicon phrase may stand for."""


_SPLIT_VERBS_TWO = frozenset(
    {"照顾", "伺候", "护理", "打扫", "修理", "维修", "驾驶", "管理", "操作", "看护", "清运"}
)
_SPLIT_VERBS_ONE = frozenset(
    "开扎绑带喂养洗剪送装修搞做跑种打看搬烧炒煮端卖收拉砌刷贴铺搭浇支焊踩车补擦扫管守理烫"
    "切配包蒸杀摘织编绣推按捕撒挖接布架陪教分卸拣擀捏"
)
"""Verbs a lexicon phrase may start with that speech parts from their object by an aspect
or a duration: 扎过钢筋, 扎了八年钢筋, 带过月子, 照顾过老人, 开过两年吊车."""
_SPLIT_DURATION = (
    r"(?:[0-9]{1,2}|[一二两三四五六七八九十几半好]{1,4})(?:多|来)?个?(?:年|月)(?:半|多)?"
)
_SPLIT_FILLER = rf"过(?:{_SPLIT_DURATION})?的?|了{_SPLIT_DURATION}的?|{_SPLIT_DURATION}的?"
"""What may stand between such a verb and its object: 过, 过/了 + a duration, a duration
(了 alone does not: 带了孩子来 is no childcare)."""


def _split_verb(phrase: str) -> str | None:
    """The verb a phrase opens with, if speech may part it from the rest (扎钢筋 → 扎)."""
    if len(phrase) >= 4 and phrase[:2] in _SPLIT_VERBS_TWO:
        return phrase[:2]
    if len(phrase) >= 2 and phrase[0] in _SPLIT_VERBS_ONE and "…" not in phrase:
        return phrase[0]
    return None


def _norm(text: str) -> str:
    return unicodedata.normalize("NFKC", text).casefold().strip()


def _alternation(words: Iterable[str]) -> re.Pattern[str] | None:
    ordered = sorted({word for word in words if word}, key=lambda word: (-len(word), word))
    return re.compile("|".join(map(re.escape, ordered))) if ordered else None


def _whole_words(words: Iterable[str]) -> tuple[re.Pattern[str], ...]:
    """Patterns that find ``words``, the longest first, where a word that begins or ends with a
    Latin letter or digit is not found inside a longer one (``go`` in ``mongodb``, ``java`` in
    ``javascript``). Two patterns — the words that begin with one, behind one shared
    look-behind, and the others: in one pattern the look-behind keeps the regular-expression
    engine from skipping ahead by first characters, and it ran 4 times slower."""

    def part(word: str) -> str:
        return re.escape(word) + (r"(?![a-z0-9])" if _LATIN_RE.match(word[-1]) else "")

    ordered = sorted({word for word in words if word}, key=lambda word: (-len(word), word))
    latin = [part(word) for word in ordered if _LATIN_RE.match(word[0])]
    other = [part(word) for word in ordered if not _LATIN_RE.match(word[0])]
    patterns = [re.compile("|".join(other))] if other else []
    if latin:
        patterns.append(re.compile(r"(?<![a-z0-9])(?:" + "|".join(latin) + ")"))
    return tuple(patterns)


_LATIN_RE = re.compile(r"[a-z0-9]")


class ResumeVocabulary:
    """What :func:`parse_resume` reads with, supplied by the caller (features import no tables).

    Built once and reused: the constructor compiles the patterns.

    Parameters
    ----------
    lexicon : iterable of LexiconEntry
        Walk-in phrases → occupations and skills; the longest phrase wins at a position.
    title_matcher : TitleMatcher, optional
        Fitted on occupation names → 大典 codes; reads stated wishes the lexicon does not know
        (``求职意向：数控车床操作``).
    occupation_names : mapping of str to str
        大典 code → name, for guesses found by the title matcher.
    certificate_aliases : mapping of str to str
        Certificate word → code (``电工证`` → ``low_voltage_electrician``).
    places : mapping of str to str
        Place name → region code (``船山区`` → ``510903``; a town → its county). Names of two
        characters (``射洪``) count only with a cue (``住``, ``…人``, ``在…上班``).
    skills : iterable of str
        Skill words to find in the text.
    priority_groups : mapping of str to str
        Words → priority-group codes (``退伍军人`` → ``veteran``).
    driving_licences : mapping of str to str
        Licence class (``A1`` … ``C2``, upper case) → certificate code, for ``B2`` written
        without 驾照 and ``驾照B2``.
    min_title_confidence : float, default 0.6
        Title-matcher answers below this are dropped.
    """

    def __init__(
        self,
        *,
        lexicon: Iterable[LexiconEntry] = (),
        title_matcher: TitleMatcher | None = None,
        occupation_names: Mapping[str, str] | None = None,
        certificate_aliases: Mapping[str, str] | None = None,
        places: Mapping[str, str] | None = None,
        skills: Iterable[str] = (),
        priority_groups: Mapping[str, str] | None = None,
        driving_licences: Mapping[str, str] | None = None,
        min_title_confidence: float = 0.6,
    ) -> None:
        if not 0.0 <= min_title_confidence <= 1.0:
            raise ValueError(
                f"min_title_confidence must be in [0, 1], got {min_title_confidence!r}"
            )
        self.lexicon: tuple[LexiconEntry, ...] = tuple(lexicon)
        self.title_matcher = title_matcher
        self.occupation_names: dict[str, str] = dict(occupation_names or {})
        for entry in self.lexicon:
            self.occupation_names.setdefault(entry.occupation_code, entry.occupation_name)
        self.certificate_aliases: dict[str, str] = dict(certificate_aliases or {})
        self.places: dict[str, str] = {_norm(k): v for k, v in (places or {}).items() if _norm(k)}
        self.skills: tuple[str, ...] = tuple(dict.fromkeys(_norm(s) for s in skills if _norm(s)))
        self.priority_groups: dict[str, str] = {
            _norm(k): v for k, v in (priority_groups or {}).items() if _norm(k)
        }
        self.driving_licences: dict[str, str] = {
            k.upper(): v for k, v in (driving_licences or {}).items()
        }
        self.min_title_confidence = min_title_confidence

        self._entries: dict[str, LexiconEntry] = {}
        gapped: list[tuple[str, LexiconEntry]] = []
        for entry in self.lexicon:
            # the gap mark first: NFKC would turn … into three dots
            phrase = "…".join(_norm(piece) for piece in entry.phrase.split("…"))
            if not phrase.strip("…"):
                continue
            if "…" in phrase:
                gapped.append((phrase, entry))
            else:
                self._entries.setdefault(phrase, entry)
        self._lexicon_re = _alternation(self._entries)
        split: dict[str, list[tuple[str, LexiconEntry]]] = {}
        for phrase, entry in self._entries.items():
            verb = _split_verb(phrase)
            if verb is not None and entry.kind != "setting":
                split.setdefault(verb, []).append((phrase[len(verb) :], entry))
        self._split_objects: dict[str, tuple[tuple[str, LexiconEntry], ...]] = {
            verb: tuple(sorted(objects, key=lambda item: -len(item[0])))
            for verb, objects in split.items()
        }
        verbs = _alternation(self._split_objects)
        self._split_re = (
            re.compile(f"(?P<verb>{verbs.pattern})(?:{_SPLIT_FILLER})") if verbs else None
        )
        self._gapped: tuple[tuple[re.Pattern[str], LexiconEntry], ...] = tuple(
            (
                re.compile(
                    f"[^{_BREAKS}{_GAP_BREAKS}]{{0,{LEXICON_GAP}}}?".join(
                        re.escape(piece) for piece in phrase.split("…")
                    )
                ),
                entry,
            )
            for phrase, entry in gapped
            if all(phrase.split("…"))
        )
        self._certificates_re = _alternation(_norm(word) for word in self.certificate_aliases)
        self._places_re = _alternation(self.places)
        self._skills_res = _whole_words(self.skills)
        self._groups_re = _alternation(self.priority_groups)


# --- text helpers ----------------------------------------------------------------------------

_SENTENCE_ENDS = "。!?\n\r"
"""What ends a sentence."""
_CLAUSE_MARKS = ",;"
"""What ends a clause inside a sentence."""
_BREAKS = _CLAUSE_MARKS + _SENTENCE_ENDS
"""What ends a clause (the characters themselves: read in character classes and by
:func:`_clause_before`)."""
_GAP_BREAKS = "、/或"
"""Nor does a phrase's gap span a list (开货车或者开挖机 is 开货车 and 开挖机, not 开…挖机)."""
_CLAUSE_RE = re.compile(rf"[^{_BREAKS}]+")
_SPACE_RUN_RE = re.compile(r"[^\S\n]{1,64}|\n[\s]{0,64}")
_CN_DIGITS: Mapping[str, int] = {
    "零": 0,
    "〇": 0,
    "一": 1,
    "二": 2,
    "两": 2,
    "俩": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
}


def _normalise(text: str) -> str:
    """NFKC and folded case; each white-space run one space (or one line break); full-width
    punctuation becomes ASCII under NFKC, except 。 and 、 which stay."""
    normal = unicodedata.normalize("NFKC", text).casefold()
    normal = normal.replace("\r\n", "\n").replace("\r", "\n").replace("\t", " ")
    return _SPACE_RUN_RE.sub(lambda run: "\n" if "\n" in run.group() else " ", normal)


def _approximate(token: str) -> tuple[float, bool] | None:
    """A count from ASCII digits or Chinese numerals, reading approximations as their least:
    ``十几`` → 11, ``几`` → 2, ``七八`` → 7, ``二十`` → 20, ``半`` → 0.5. Returns (value,
    approximate) or None."""
    token = token.strip()
    if not token:
        return None
    if token.replace(".", "", 1).isdigit() and token.isascii():
        try:
            return float(token), False
        except ValueError:  # pragma: no cover - guarded by the check above
            return None
    if token == "半":
        return 0.5, False
    if token == "几":
        return 2.0, True
    approximate = False
    # "七八" / "三四": two neighbouring digits
    if len(token) == 2 and token[0] in _CN_DIGITS and token[1] in _CN_DIGITS:
        first, second = _CN_DIGITS[token[0]], _CN_DIGITS[token[1]]
        if second == first + 1:
            return float(first), True
        return None
    if token.endswith("几"):
        token, approximate = token[:-1], True
        if not token.endswith("十"):
            return None
    total, digit, seen = 0, 0, False
    for char in token:
        if char in _CN_DIGITS:
            if seen:
                return None
            digit, seen = _CN_DIGITS[char], True
        elif char == "十":
            if total:
                return None
            total += (digit if seen else 1) * 10
            digit, seen = 0, False
        else:
            return None
    value = total + digit + (1 if approximate else 0)
    return float(value), approximate


def _clauses(text: str) -> list[tuple[int, int]]:
    return [(found.start(), found.end()) for found in _CLAUSE_RE.finditer(text)]


def _clause_of(clauses: Sequence[tuple[int, int]], position: int) -> tuple[int, int]:
    """The clause holding ``position`` (clauses are sorted and disjoint)."""
    index = bisect.bisect_right(clauses, position, key=lambda clause: clause[0]) - 1
    if index >= 0 and clauses[index][0] <= position < clauses[index][1]:
        return clauses[index]
    return position, position


# --- occupations -----------------------------------------------------------------------------

_DESIRE_RE = re.compile(
    r"求职意向|意向岗位|意向职位|意向工作|期望职位|期望岗位|期望从事|期望工作|应聘岗位|应聘职位|应聘|"
    r"求职岗位|求职方向|目标岗位|目标职位|申请岗位|求职|想找|想做|想干|想当|想去|想进|想学|想要做|想从事|想"
    r"|希望从事|希望找|希望做|希望能|打算找|打算做|准备找|要找|找个|找份|找一份|找点|找些|找"
    r"|愿意做|愿意干|愿意|可以做|可以干|也可做|可做|能做|能干|有没得|有没有|也可以去|也可去|兼做"
    r"|其次考虑|也考虑|其次为|其次是|也接受|也可从事|亦可从事|也可先|也可在|也可到|其次"
    r"|也可以考虑|也可以接受|也可考虑|也可接受|可接受"
    r"|实在没得|实在没有|要是没得|要是没有|如果没得|如果没有|万一没有"
    r"|现求|寻求|谋求|实在不行|不行的话|要不然|再不然|不然|不行就|莫得就|没得就|没得的话|莫得的话"
    r"|学出来|意向工种|期望工种|意向行业|期望行业|求职目标"
    r"|(?:意向|期望)(?=\s?[:：])"
)
"""Before a job: a wish. A fallback's condition names the first wish
(实在没得焊工的活路，普工也行), and a fallback is one more (实在不行当保安也得); so is the job a
training leads to (学出来在工地上开挖机)."""
_CUE_RIGHT_BEFORE_RE = re.compile(r"(?:也可以?|亦可|还可以?|希望(?:继续)?)$")
"""A wish or fallback cue right before a job whose words start with their verb (也可做客房,
也可养鸡, 希望继续做酒店客房): alone, 也可 ends a wish said before it (保安也可) and 希望 often
says where (希望在遂宁工作), so they are no cue in the clause."""
_DESIRE_AFTER_WORDS = (
    r"(?:也行|也可以|都行|都可以|也成|都能干|都能做|优先|就行"
    r"|得不得行|都得行|也得行|也得|行不行|可不可以|有没得|有没有|也可以考虑|可以考虑"
    r"|也可接受|可接受|也能接受|也接受|亦可|均可|也可|也要得|都要得|也好|可考虑|最好"
    r")"
)
_DESIRE_AFTER_RE = re.compile(r"[^,。;!?\n]{0,4}?" + _DESIRE_AFTER_WORDS)
_LIST_GOES_ON_RE = re.compile(r"或者|或是|还是|或|、|和|跟")
_LIST_DESIRE_RE = re.compile(_DESIRE_AFTER_WORDS)
"""A list item takes the wish said after the list: 炒菜或者端盘子都得行."""
_PAST_RE = re.compile(
    r"做过|干过|开过|当过|跑过|学过|待过|呆过|带过|送过|修过|烧过|搞过|扎过|打过|在.{0,12}?(?:干|做|上)过"
    r"|曾经|曾在|曾任|以前|之前|此前|原来|从前|过去|原先|退伍前|上一份|[了过][0-9一二两三四五六七八九十几半]{1,3}年"
    r"|[了过](?:好多|好几|很多|多)年"
    r"|[0-9一二两三四五六七八九十几]{1,3}年(?:多)?的?(?:工作)?经验|工作经历|工作经验|任职|担任|从事"
)
_NEGATION_RE = re.compile(
    r"不想|不愿|不做|不干|不要|不会|不能|干不了|做不了|别|除了|不喜欢|不去|没做过|没干过"
)
_FIELD_LABEL_RE = re.compile(
    r"(?:求职意向|意向岗位|期望职位|期望岗位|应聘岗位|应聘职位|求职岗位|目标岗位|求职目标|职位|岗位|职务"
    r"|工种|意向|期望)\s?[:：]\s?"
)
_ITEM_SPLIT_RE = re.compile(r"或者|或是|还是|或|/|、|和|及|跟|\||&|,| ")
_ITEM_TRIM_START_RE = re.compile(r"^(?:找|做|干|当|个|份|一份|一个|点|些|一些|的|去|进|跟|学|在)+")
_ITEM_TRIM_END_WORDS: tuple[str, ...] = tuple(
    sorted(
        (
            "的活儿",
            "的活",
            "活儿",
            "的工作",
            "工作",
            "之类的",
            "之类",
            "方面的",
            "方面",
            "相关的",
            "相关",
            "岗位",
            "职位",
            "类的",
            "类",
            "的事",
            "点事",
            "事情",
            "也行",
            "也可以",
            "都行",
            "都可以",
            "就行",
            "都得行",
            "也得行",
            "也好",
            "手艺活",
            "手艺",
            "优先",
            "等",
            "的",
            "啊",
            "吧",
            "呢",
            "哦",
            "了",
            "约",
            "大约",
            "大概",
            "将近",
            "差不多",
        ),
        key=len,
        reverse=True,
    )
)
"""Words a wish item ends with that are not the job (``司机的活吧`` → 司机), longest first."""
_ITEM_TRIM_END_LAST = frozenset(word[-1] for word in _ITEM_TRIM_END_WORDS)
_ITEM_BRACKET_RE = re.compile(r"[(（)）]")
"""The first bracket of a wish item: what the item names is before an opening one (护士（外科、
急诊均可） → 护士), and a piece that starts inside brackets (急诊均可）) names no item."""
_ITEM_INNER_VERB_RE = re.compile(r"(?<=.)(?:做|当|干|搞)")
"""A verb inside a wish item after the place or setting it names (回遂宁做软件开发, 去企业当安全员):
when the whole item is no title, the job may be what follows the last one."""
_HAN_RE = re.compile(r"[\u3400-\u9fff]")
_NEXT_LABEL_RE = re.compile(r"[\u4e00-\u9fff]{2,6}\s?[:：]")
_MAX_ITEM = 12

_ROLE_CONFIDENCE: Mapping[Role, float] = {"desired": 0.9, "identity": 0.8, "past": 0.75}
_FALLBACK_FACTOR: Mapping[Role, float] = {"desired": 1.0, "identity": 0.85, "past": 0.7}


def _last(pattern: re.Pattern[str], text: str) -> re.Match[str] | None:
    last = None
    for last in pattern.finditer(text):  # noqa: B007 - the last match is wanted
        pass
    return last


_LIST_NUMBER_RE = re.compile(r"\s?(?:[0-9]{1,2}\s?[.、．]|[(（][0-9]{1,2}[)）]|[②③④⑤⑥⑦⑧⑨])")
"""A numbered item of a list (求职意向：1.钢筋工；2.木工（支模板）；3.混凝土工)."""


def _continued_wish(text: str, clause: tuple[int, int]) -> int | None:
    """Where the items of ``clause`` start when it goes on with a wish listed before it in its
    sentence — a clause opening with 或 (求职意向：护工、养老护理，或保洁) or with the number of an
    item (1.钢筋工；2.木工) after a wish's label or cue with no other field or past work since."""
    if clause[0] == 0:
        return None
    if text.startswith("或", clause[0]):
        marks = _SENTENCE_ENDS + ";"
        start = clause[0] + 1
    else:
        number = _LIST_NUMBER_RE.match(text, clause[0])
        if number is None:
            return None
        marks = _SENTENCE_ENDS  # the numbered items run on past 1.钢筋工；
        start = number.end()
    sentence = text[max(0, clause[0] - _ROLE_WINDOW) : clause[0]]
    wish = sentence[max(sentence.rfind(mark) for mark in marks) + 1 :]
    cue = _last(_FIELD_LABEL_RE, wish) or _last(_DESIRE_RE, wish)
    if cue is None or _NEXT_LABEL_RE.search(wish, cue.end()) or _PAST_RE.search(wish, cue.end()):
        return None
    return start


def _role(text: str, clause: tuple[int, int], start: int, end: int) -> Role | None:
    """Desired, identity or past for words at [start, end) in their clause; None if negated."""
    before = text[max(clause[0], start - 16) : start]
    if _NEGATION_RE.search(text, max(clause[0], start - 6), start):
        return None
    desire = _last(_DESIRE_RE, before) or _CUE_RIGHT_BEFORE_RE.search(before)
    past = _last(_PAST_RE, before)
    if desire is None and past is None and _continued_wish(text, clause) is not None:
        return "desired"  # 求职意向：护工、养老护理，或保洁 / 1.钢筋工；2.木工: the list goes on
    if (
        past is not None
        and past.group() == "从事"
        and _WISH_WORD_RE.search(before, 0, past.start())
    ):
        desire, past = past, None  # 希望在遂宁从事家政服务员工作: a wish, not what was done
    if desire is not None and (
        past is None or desire.start() >= past.start() or desire.end() >= past.end()
    ):  # the later cue, or one holding the other (也可从事 holds 从事)
        return "desired"
    if past is not None:
        return "past"
    if _DESIRE_AFTER_RE.match(text, end):
        return "desired"
    after_end = min(clause[1], end + 14)
    if _LIST_GOES_ON_RE.match(text, end) and _LIST_DESIRE_RE.search(text, end, after_end):
        return "desired"
    after = text[end:after_end]
    if after.startswith("过") or (_PAST_RE.search(after) and not _DESIRE_RE.search(after)):
        return "past"  # 组装过: the aspect right after the act
    return "identity"


def _lexicon_hits(
    text: str, vocabulary: ResumeVocabulary, start: int, end: int
) -> list[tuple[int, int, LexiconEntry]]:
    """Non-overlapping lexicon matches in text[start:end], longest first at each position."""
    hits: list[tuple[int, int, LexiconEntry]] = []
    if vocabulary._lexicon_re is not None:
        for found in vocabulary._lexicon_re.finditer(text, start, end):
            hits.append((found.start(), found.end(), vocabulary._entries[found.group()]))
    for pattern, entry in vocabulary._gapped:
        for found in pattern.finditer(text, start, end):
            hits.append((found.start(), found.end(), entry))
    if vocabulary._split_re is not None:
        for found in vocabulary._split_re.finditer(text, start, end):
            objects = vocabulary._split_objects[found.group("verb")]
            for words, entry in objects:  # longest object first
                if found.end() + len(words) <= end and text.startswith(words, found.end()):
                    hits.append((found.start(), found.end() + len(words), entry))
                    break
    hits.sort(key=lambda hit: (hit[0], -(hit[1] - hit[0])))
    kept: list[tuple[int, int, LexiconEntry]] = []
    for hit in hits:  # sorted by start: a hit can only overlap the last one kept
        if kept and hit[0] < kept[-1][1]:
            if hit[1] - hit[0] > kept[-1][1] - kept[-1][0]:
                kept[-1] = hit
            continue
        kept.append(hit)
        if len(kept) >= _MAX_HITS_PER_CLAUSE:
            break
    return kept


def _trim_item_end(piece: str) -> str:
    """``piece`` without the trailing words of :data:`_ITEM_TRIM_END_WORDS`, peeled from the
    end one at a time: each step removes at least one character, so a run of 的 of any length
    costs time linear in its length (a pattern ``(?:…|的)+$`` rescanned the run from every
    start: quadratic)."""
    end = len(piece)
    while end and piece[end - 1] in _ITEM_TRIM_END_LAST:
        for word in _ITEM_TRIM_END_WORDS:
            if piece.endswith(word, 0, end):
                end -= len(word)
                break
        else:
            break
    return piece[:end]


def _ends_clause(text: str, start: int, end: int) -> bool:
    """Whether text[start:end] holds no Han character (a cue at the end of its clause)."""
    return _HAN_RE.search(text, start, end) is None


def _wish_items(text: str, clause: tuple[int, int]) -> list[tuple[int, int]]:
    """Spans of the items a stated wish lists: ``想找司机或者保安的活`` → 司机, 保安."""
    label = _FIELD_LABEL_RE.search(text, clause[0], clause[1])
    start: int | None = label.end() if label is not None else None
    if start is None:
        start = _continued_wish(text, clause)
    if start is None:
        desire = _DESIRE_RE.search(text, clause[0], clause[1])
        if desire is None or _ends_clause(text, desire.end(), clause[1]):
            after = _LIST_DESIRE_RE.search(text, clause[0], clause[1])
            if after is None:
                return []
            # 柜员、客户经理都得行: the wish is said after the list (保安也可以考虑 too: a cue
            # before a job may end the clause)
            return _listed_items(text, clause[0], after.start())
        if _NEGATION_RE.search(text, max(clause[0], desire.start() - 3), desire.end()):
            return []
        start = desire.end()
    limit = clause[1]
    next_label = _NEXT_LABEL_RE.search(text, start, clause[1])
    if next_label is not None:
        limit = next_label.start()
    return _listed_items(text, start, limit)


_PAST_ITEM_CUE_RE = re.compile(r"做过|干过|当过|曾任|担任|任职|从事")
_ITEM_DURATION_RE = re.compile(
    r"(?:[0-9]{1,2}|[一二两三四五六七八九十几半]{1,3})(?:多|来)?个?年(?:半|多)?(?:了|多了)?"
)
"""A duration after a past job (从事房建支模工作十五年): cut off the item."""


def _past_items(text: str, clause: tuple[int, int]) -> list[tuple[int, int]]:
    """Spans of what the seeker says they did: ``做过施工员、资料员`` → 施工员, 资料员; each
    list ends at the next wish or past cue (做过保安想找文员 → 保安)."""
    items: list[tuple[int, int]] = []
    cues = list(_PAST_ITEM_CUE_RE.finditer(text, clause[0], clause[1]))[:_MAX_WISH_ITEMS]
    for index, cue in enumerate(cues):
        limit = cues[index + 1].start() if index + 1 < len(cues) else clause[1]
        for stop_re in (_DESIRE_RE, _NEXT_LABEL_RE, _ITEM_DURATION_RE):
            stop = stop_re.search(text, cue.end(), limit)
            if stop is not None:
                limit = stop.start()
        items += _listed_items(text, cue.end(), limit)
    return items[:_MAX_WISH_ITEMS]


def _after_inner_verb(text: str, item: tuple[int, int]) -> tuple[int, int] | None:
    """The part of ``item`` after its last inner verb (回遂宁做软件开发 → 软件开发), if at least
    two characters."""
    verb = _last(_ITEM_INNER_VERB_RE, text[item[0] : item[1]])
    if verb is None or item[0] + verb.end() + 2 > item[1]:
        return None
    return item[0] + verb.end(), item[1]


def _listed_items(text: str, start: int, limit: int) -> list[tuple[int, int]]:
    """The items listed in text[start:limit], split at 、/或者/和 …, without their leading
    (找个, 当) and trailing (的活, 之类的) words; only Han items of at most :data:`_MAX_ITEM`
    characters that name no certificate, major or schooling (求职意向：叉车司机 有叉车证 初中)."""
    items: list[tuple[int, int]] = []
    cursor = start
    for separator in [*_ITEM_SPLIT_RE.finditer(text, start, limit), None]:
        stop = limit if separator is None else separator.start()
        piece = text[cursor:stop]
        bracket = _ITEM_BRACKET_RE.search(piece)
        if bracket is not None:  # 驾驶员(b2), 软件开发工程师(java方向): the job is before it
            piece = "" if bracket.group() in ")）" else piece[: bracket.start()]
        lead = _ITEM_TRIM_START_RE.match(piece)
        offset = lead.end() if lead else 0
        core = _trim_item_end(piece[offset:])
        if (
            len(core) >= 2
            and _HAN_RE.search(core)
            and len(core) <= _MAX_ITEM
            and not core.endswith(("专业", "证", "证书", "资格", "执照"))
            and not _EDUCATION_ITEM_RE.fullmatch(core)
        ):
            items.append((cursor + offset, cursor + offset + len(core)))
        if separator is not None:
            cursor = separator.end()
        if len(items) >= _MAX_WISH_ITEMS:
            break
    return items


# --- work-history lines ----------------------------------------------------------------------

_WORK_LINE_END_RE = re.compile(r"[\n。;!?]")
_WORK_TOKEN_RE = re.compile(r"[^ ,、|/:：()（）]{1,40}")
_EMPLOYER_ENDINGS = (
    "公司",
    "集团",
    "厂",
    "酒店",
    "酒楼",
    "饭店",
    "餐厅",
    "超市",
    "商场",
    "医院",
    "诊所",
    "学校",
    "幼儿园",
    "银行",
    "工地",
    "项目部",
    "中心",
    "门店",
    "店",
    "站",
    "局",
    "所",
    "部",
)
_MAX_WORK_LINE = 40
"""Characters after a period (``2016.03-2021.08``) read as its employer and job."""


@dataclass(frozen=True, slots=True)
class _WorkLine:
    """A work period and what follows it on its line: ``2016.03-2021.08 某电子厂 质检员``."""

    start: int
    end: int
    role: Role
    job: tuple[int, int] | None
    employers: tuple[tuple[int, int], ...]


def _work_lines(text: str) -> list[_WorkLine]:
    """The work periods of a written résumé with the employer and job words after each (the
    job: the last word that names no employer); lines about school or service are left out.
    A period up to now is what the seeker does (identity), an earlier one what they did."""
    periods = list(_RANGE_RE.finditer(text))
    lines: list[_WorkLine] = []
    for index, period in enumerate(periods):
        limit = min(len(text), period.end() + _MAX_WORK_LINE)
        if index + 1 < len(periods):
            limit = min(limit, periods[index + 1].start())
        for stop_re in (_WORK_LINE_END_RE, _NEXT_LABEL_RE):
            stop = stop_re.search(text, period.end(), limit)
            if stop is not None:
                limit = stop.start()
        line_start = text.rfind("\n", max(0, period.start() - 4), period.start()) + 1
        if _SCHOOL_RE.search(text, max(line_start, period.start() - 4), limit):
            continue
        tokens = [
            (token.start(), token.end())
            for token in _WORK_TOKEN_RE.finditer(text, period.end(), limit)
            if _HAN_RE.search(token.group())
        ]
        employers = tuple(
            token for token in tokens if text[token[0] : token[1]].endswith(_EMPLOYER_ENDINGS)
        )
        jobs = [token for token in tokens if token not in employers]
        role: Role = "identity" if period.group("now") else "past"
        lines.append(_WorkLine(period.end(), limit, role, jobs[-1] if jobs else None, employers))
    return lines


def _title_guess(
    text: str,
    span: tuple[int, int],
    vocabulary: ResumeVocabulary,
    role: Role,
    *,
    exact: bool = False,
) -> OccupationGuess | None:
    """The occupation the title matcher reads in ``text[span]``; with ``exact``, only a title
    it knows by name (its method ``exact``)."""
    matcher = vocabulary.title_matcher
    if matcher is None:
        return None
    words = text[span[0] : span[1]]
    found = matcher.match(words)
    if found.label is None or found.confidence < vocabulary.min_title_confidence:
        return None
    if exact and found.method != "exact":
        return None
    confidence = round(min(1.0, found.confidence) * _ROLE_CONFIDENCE[role], 3)
    name = vocabulary.occupation_names.get(found.label, found.matched or words)
    return OccupationGuess(found.label, name, confidence, role, "title", span[0], span[1], words)


_CERTIFICATE_AFTER_RE = re.compile(
    r"(?:教师)?(?:作业|操作|资格|执业|上岗|等级|技能)?(?:证|资格|执照)"
)
"""After a lexicon phrase: a certificate's name, not work (初中语文教师资格证)."""
_MAX_HITS_PER_CLAUSE = 32
_MAX_WISH_ITEMS = 10
"""A clause is read for at most this many lexicon phrases and wish items (no real one has more;
the caps keep a pathological clause linear)."""
_MAX_TITLE_LOOKUPS = 24
"""Wish items per text sent to the title matcher (the slow step); later ones are not read."""
_TITLE_OVER_SETTING = 0.8
"""A title read from a wish replaces a setting the lexicon found there only from this confidence
(想去社区工作: 社区 stays rather than 社区护士)."""
_MAJOR_AFTER_RE = re.compile(r"专业|学院|学校|系")
_MAJOR_BEFORE_RE = re.compile(r"专业\s?[:：]?\s?$")
"""A major named after its label (专业：工程造价) is what was studied, not a job."""


def _kept_hits(
    text: str, hits: list[tuple[int, int, LexiconEntry]]
) -> list[tuple[int, int, LexiconEntry]]:
    """The hits of one clause that say something: not part of a certificate's name (电工证) or a
    major (护理专业); within one list item (between 、/或者/和 …), no setting beside a job
    (超市收银 → 收银) and no generic workplace word beside a job (在工厂做保安 → 保安); a generic
    word for a person (司机, 服务员, 普工 …) goes only as the head of a compound after a job
    (货车司机 → 货车, 开货车的司机, 数控车床操作工), not in a list (司机保安) nor in a wish
    after what the seeker did (开过货车想当司机); a generic word for a person or a workplace
    right after a setting of the same 大典 major group makes the setting a job (客房服务员,
    锂电普工, 电子厂流水线), and a generic activity beside a setting names the work
    (在工地做饭 → 做饭, 在饭店做饭 → 做饭)."""
    hits = [
        hit
        for hit in hits
        if not _CERTIFICATE_AFTER_RE.match(text, hit[1])
        and not _MAJOR_AFTER_RE.match(text, hit[1])
        and not _MAJOR_BEFORE_RE.search(text, max(0, hit[0] - 4), hit[0])
    ]
    if not hits:
        return []
    separators = [found.start() for found in _ITEM_SPLIT_RE.finditer(text, hits[0][0], hits[-1][1])]
    segment_of = [bisect.bisect_left(separators, start) for start, _, _ in hits]
    jobs_in = {
        segment for segment, hit in zip(segment_of, hits, strict=True) if hit[2].kind == "job"
    }
    activities_in = {
        segment for segment, hit in zip(segment_of, hits, strict=True) if _names_activity(hit[2])
    }
    generic_starts = {
        start: entry.occupation_code[:1]
        for start, _, entry in hits
        if entry.kind == "generic" and not _names_activity(entry)
    }
    promoted_ends = {
        end
        for _, end, entry in hits
        if entry.kind == "setting" and generic_starts.get(end) == entry.occupation_code[:1]
    }
    job_ends = [end for _, end, entry in hits if entry.kind == "job"]
    kept = []
    for (start, end, entry), segment in zip(hits, segment_of, strict=True):
        if end in promoted_ends and entry.kind == "setting" and segment not in jobs_in:
            kept.append((start, end, replace(entry, kind="job")))
            continue
        if entry.kind == "setting" and (segment in jobs_in or segment in activities_in):
            continue
        if entry.kind == "generic" and start in promoted_ends:
            continue
        if (
            entry.kind == "generic"
            and segment in jobs_in
            and (
                not entry.phrase.endswith(_PERSON_ENDINGS) or _compound_head(text, job_ends, start)
            )
        ):
            continue
        kept.append((start, end, entry))
    return kept


_PERSON_ENDINGS = ("机", "员", "工")
"""Generic phrases ending so name a person (司机, 驾驶员, 服务员, 普工, 操作工); the others name
a place or an act (工厂, 车间, 流水线, 进厂, 开车)."""
_WORKPLACE_ENDINGS = ("厂", "间", "线")
"""Generic phrases ending so name a workplace (工厂, 车间, 流水线)."""


def _is_act(kind: PhraseKind, words: str) -> bool:
    """Generic words for an act rather than a person or a workplace (做饭, 带娃, 开车)."""
    return kind == "generic" and not words.endswith(_PERSON_ENDINGS + _WORKPLACE_ENDINGS)


def _is_workplace(kind: PhraseKind, words: str) -> bool:
    """Generic words for a workplace (车间, 工厂, 流水线, 进厂)."""
    return kind == "generic" and words.endswith(_WORKPLACE_ENDINGS)


def _names_activity(entry: LexiconEntry) -> bool:
    """A lexicon phrase for an act (:func:`_is_act`)."""
    return _is_act(entry.kind, entry.phrase)


_COMPOUND_GAP = 3
_COMPOUND_BREAK_RE = re.compile(r"想|要|找|当|做|干|去|或|也|还|愿|能|会|过")


def _compound_head(text: str, job_ends: Sequence[int], start: int) -> bool:
    """Whether a job hit ends at most :data:`_COMPOUND_GAP` characters before ``start`` with
    only modifiers between (货车司机, 开货车的司机, 数控车床操作工), no verb or wish
    (开过货车想当司机)."""
    index = bisect.bisect_right(job_ends, start) - 1
    if index < 0 or start - job_ends[index] > _COMPOUND_GAP:
        return False
    return not _COMPOUND_BREAK_RE.search(text, job_ends[index], start)


def _occupations(
    text: str, clauses: Sequence[tuple[int, int]], vocabulary: ResumeVocabulary
) -> list[OccupationGuess]:
    guesses: list[OccupationGuess] = []
    lookups = 0
    lines = _work_lines(text)
    line_starts = [line.start for line in lines]

    def line_of(start: int, end: int) -> _WorkLine | None:
        index = bisect.bisect_right(line_starts, start) - 1
        if index >= 0 and end <= lines[index].end:
            return lines[index]
        return None

    dialogue = _Dialogue.of(text)

    def role_of(clause: tuple[int, int], start: int, end: int) -> Role | None:
        line = line_of(start, end)
        if line is not None:
            return line.role
        if _someone_elses(text, start):
            return None  # 我老公在新疆开挖机: a relative's job
        turn = dialogue.turn_of(start)
        if turn >= 0 and dialogue.questions[turn]:
            # the clerk's words (问：还想搭架子不？), unless the answer takes the job offered
            return "desired" if dialogue.taken[turn] else None
        role = _role(text, clause, start, end)
        if role == "identity" and turn >= 0 and dialogue.asks[turn] is not None:
            return dialogue.asks[turn]  # 问：想找啥子？答：看仓库或者守大门都得行
        return role

    for clause in clauses:
        found = _lexicon_hits(text, vocabulary, clause[0], clause[1])
        hits = _kept_hits(text, found)
        first = bisect.bisect_left(line_starts, clause[0])
        last = bisect.bisect_left(line_starts, clause[1])
        clause_lines = lines[first:last]
        job_words = [
            line.job
            for line in clause_lines
            if line.job is not None and clause[0] <= line.job[0] and line.job[1] <= clause[1]
        ]
        items = sorted({*_wish_items(text, clause), *_past_items(text, clause), *job_words})
        titled: list[OccupationGuess] = []
        for item in items:
            covering = [hit for hit in hits if hit[0] < item[1] and item[0] < hit[1]]
            jobs = [hit for hit in covering if hit[2].kind == "job"]
            if jobs and all(hit[1] - hit[0] >= item[1] - item[0] for hit in jobs):
                continue
            role = role_of(clause, item[0], item[1])
            if role is None or lookups >= _MAX_TITLE_LOOKUPS:
                continue
            lookups += 1
            guess = _title_guess(text, item, vocabulary, role, exact=bool(jobs))
            if guess is None and (inner := _after_inner_verb(text, item)) is not None:
                guess = _title_guess(text, inner, vocabulary, role, exact=bool(jobs))
            if guess is None:
                continue
            if jobs:  # the whole item is a title (电子装配工), not the job word inside it (装配)
                if all(hit[2].occupation_code != guess.code for hit in jobs):
                    hits = [hit for hit in hits if hit not in jobs]
                    titled.append(guess)
                continue
            if any(
                hit[2].occupation_code == guess.code and hit[1] - hit[0] < item[1] - item[0]
                for hit in covering
            ):
                # the title confirms the setting (电商运营 → 电商): it names the job
                hits = [
                    (hit[0], hit[1], replace(hit[2], kind="job")) if hit in covering else hit
                    for hit in hits
                ]
            elif not any(hit[2].kind == "setting" for hit in covering) or (
                guess.confidence >= _TITLE_OVER_SETTING
                and all(hit[2].occupation_code != guess.code for hit in covering)
            ):
                if any(
                    hit[2].kind == "generic" and hit[2].occupation_code == guess.code
                    for hit in covering
                ):
                    # the title only repeats a generic word (司机 → 客运车辆驾驶员)
                    guess = replace(guess, kind="generic")
                titled.append(guess)
        if titled:  # a title read where the lexicon knew only a generic word or a setting
            spans = [(guess.start, guess.end) for guess in titled]
            hits = [
                hit
                for hit in hits
                if hit[2].kind == "job" or not any(a < hit[1] and hit[0] < b for a, b in spans)
            ]
        hits = _without_employers(hits, titled, clause_lines)
        for start, end, entry in hits:
            role = role_of(clause, start, end)
            if role is None:
                continue
            guesses.append(
                OccupationGuess(
                    entry.occupation_code,
                    entry.occupation_name,
                    _ROLE_CONFIDENCE[role],
                    role,
                    "lexicon",
                    start,
                    end,
                    text[start:end],
                    entry.skills,
                    entry.kind,
                )
            )
        guesses.extend(titled)
    guesses.sort(key=lambda guess: guess.start)
    return guesses


def _without_employers(
    hits: list[tuple[int, int, LexiconEntry]],
    titled: Sequence[OccupationGuess],
    lines: Sequence[_WorkLine],
) -> list[tuple[int, int, LexiconEntry]]:
    """Settings and generic words in an employer's name (某电子厂, 某超市) go when the work
    line names the job (质检员, 施工员): the employer is not the job."""
    dropped: list[tuple[int, int]] = []
    for line in lines:
        if line.job is None or not line.employers:
            continue
        a, b = line.job
        named = any(hit[2].kind == "job" and hit[0] < b and a < hit[1] for hit in hits) or any(
            guess.kind == "job" and guess.start < b and a < guess.end for guess in titled
        )
        if named:
            dropped += line.employers
    if not dropped:
        return hits
    return [
        hit
        for hit in hits
        if hit[2].kind == "job" or not any(a <= hit[0] and hit[1] <= b for a, b in dropped)
    ]


def _refine_settings(
    desired: list[OccupationGuess], others: list[OccupationGuess]
) -> list[OccupationGuess]:
    """A wish naming only settings (工地, 养殖场) takes the seeker's jobs in the same 大典 major
    group instead (砌砖 → 砌筑工, 养鱼 → 水生动物饲养工), at the wish's confidence. A factory of
    a named industry (电子厂, 服装厂) stays beside them when they are all past work outside its
    middle group: 想还是找电子厂的活 after 以前做检测、组装过 is electronics assembly as well as
    检测 and 组装 (想找个食品厂的活，做糕点面包的那种 is the bakery work said with it)."""
    if not desired or any(guess.kind != "setting" for guess in desired):
        return desired
    refined: list[OccupationGuess] = []
    for wish in desired:
        jobs = [g for g in others if g.kind == "job" and g.code[:1] == wish.code[:1]]
        if not jobs or (
            wish.evidence.endswith("厂")
            and all(job.role == "past" and job.code[:4] != wish.code[:4] for job in jobs)
        ):
            refined.append(wish)
        for job in jobs:
            refined.append(replace(job, role="desired", confidence=wish.confidence))
    return refined


_WORKPLACE_WORD_ENDINGS = ("地", "厂", "场", "间", "店", "园", "院", "站", "库")
"""Setting words that name a workplace (工地, 养殖场, 车间), not a line of work (电商, 养老)."""


def _without_trade_settings(desired: list[OccupationGuess]) -> list[OccupationGuess]:
    """A wished workplace of the same 大典 middle group as a wished job says where, not what:
    想找钢筋工或者架子工的活，工地上的都可以 is 钢筋工 and 架子工 (工地's 混凝土工 goes)."""
    groups = {guess.code[:4] for guess in desired if guess.kind == "job"}
    return [
        guess
        for guess in desired
        if guess.kind != "setting"
        or guess.code[:4] not in groups
        or not guess.evidence.endswith(_WORKPLACE_WORD_ENDINGS)
    ]


_RETRACTION_RE = re.compile(r"[哦噢啊]不对|不对不对|说错了|不是不是")
"""A seeker correcting themselves as they speak (想再找个超市的活，哦不对，…主要还是想去养老院)."""


def _without_retracted(desired: list[OccupationGuess], text: str) -> list[OccupationGuess]:
    """A wish said before the seeker corrects themselves in the same sentence goes."""
    marks = [found.start() for found in _RETRACTION_RE.finditer(text)]
    if not marks:
        return desired
    ends = [index for index, char in enumerate(text) if char in _SENTENCE_ENDS]
    kept = []
    for guess in desired:
        mark = bisect.bisect_left(marks, guess.end)
        if mark < len(marks):
            end = bisect.bisect_left(ends, guess.end)
            if end == len(ends) or ends[end] > marks[mark]:
                continue  # a correction follows in the same sentence
        kept.append(guess)
    return kept


_PROGRAMME_POSTS = ("公益性岗位", "公益岗")
"""Words for a post of an employment programme rather than a job: 劳动保障协理员 when nothing
else is wished, but the jobs named with it say what the post would be
(想找个公益性岗位，扫村道也好，上山护林也好 is 保洁员 and 护林员; the title matcher reads
公益性岗位（社区保洁巡查） as 保洁员 too)."""


def _without_programme_posts(desired: list[OccupationGuess]) -> list[OccupationGuess]:
    """A wished programme post goes when a job is wished beside it."""
    if not any(guess.kind == "job" and guess.evidence not in _PROGRAMME_POSTS for guess in desired):
        return desired
    return [guess for guess in desired if guess.evidence not in _PROGRAMME_POSTS]


_SHARED_PLACE_RE = re.compile(r"(?:、[\u4e00-\u9fff]{1,4}){1,3}")
"""List marks and short place words before the job the list shares (商场、写字楼保洁)."""
_OR_PLACE_RE = re.compile(r"(?:或者|或是|或)[\u4e00-\u9fff]{0,3}[地厂场间店园院站库]")
"""或 and another workplace before the job both share (仓库或者物流园开叉车)."""


def _without_listed_settings(desired: list[OccupationGuess], text: str) -> list[OccupationGuess]:
    """Settings listed before another place and a wished job say where that job is:
    商场、写字楼保洁 is 保洁 in either (商场's 商品营业员 goes), and so is 仓库或者物流园开叉车. A
    setting listed beside a job alone (超市、保洁都行, 超市或者当保洁) stays a wish of its own.
    Bounded: three places of four characters."""
    job_starts = {guess.start for guess in desired if guess.kind == "job"}

    def says_where(setting: OccupationGuess) -> bool:
        listed = _SHARED_PLACE_RE.match(text, setting.end, setting.end + 15)
        if listed and job_starts.intersection(range(setting.end + 2, listed.end())):
            return True
        other = _OR_PLACE_RE.match(text, setting.end, setting.end + 8)
        return bool(other and job_starts.intersection(range(other.end(), other.end() + 2)))

    return [guess for guess in desired if guess.kind != "setting" or not says_where(guess)]


_WORKPLACE_LIST_RE = re.compile(
    r"(?:[\u4e00-\u9fff]{1,5}[、/和或\s]?){1,5}?(?:都行|都可以|都得行|都要得|均可|都能去|都去)"
)
"""A clause that lists places and ends in 都行 (工厂商场物业都行, 装修公司、厂里都可以)."""
_WORKPLACE_LIST_WIDTH = 40


def _without_workplaces_after_job(
    desired: list[OccupationGuess], text: str
) -> list[OccupationGuess]:
    """Workplaces listed in the clause after a wished job, ending in 都行, say where that job may
    be (想找个电工的活，工厂商场物业都行: 工厂's 包装工 and 商场's 商品营业员 go); a clause that
    names a job of its own keeps its words (超市、保洁都行). Bounded: a clause of 40 characters."""
    starts = sorted(guess.start for guess in desired if guess.kind == "job")
    if not starts:
        return desired

    def job_within(low: int, high: int) -> bool:  # a job starts in (low, high)
        return bisect.bisect_right(starts, low) < bisect.bisect_left(starts, high)

    def says_where(place: OccupationGuess) -> bool:
        cut = max(
            text.rfind(mark, max(0, place.start - _WORKPLACE_LIST_WIDTH), place.start)
            for mark in _CLAUSE_MARKS
        )
        if cut < 0 or any(text.find(mark, cut, place.start) >= 0 for mark in _SENTENCE_ENDS):
            return False
        listed = _WORKPLACE_LIST_RE.match(text, cut + 1, cut + 1 + _WORKPLACE_LIST_WIDTH)
        if listed is None or listed.end() <= place.start:
            return False
        if job_within(cut, listed.end()):
            return False  # the clause names a job of its own
        opened = max(
            text.rfind(mark, max(0, cut - _WORKPLACE_LIST_WIDTH), cut) for mark in _SENTENCE_ENDS
        )
        return job_within(opened, cut)

    return [
        guess
        for guess in desired
        if guess.kind not in ("setting", "generic") or not says_where(guess)
    ]


_GENERIC_AFTER_SPECIFIC = 0.9
"""A generic wish's own code, kept after the specific job that refines it, at this share of
the wish's confidence."""


def _occupation_kind(guess: OccupationGuess) -> tuple[str, str]:
    return guess.code[:4], guess.name[-3:]


def _refine_generic(
    desired: list[OccupationGuess], others: list[OccupationGuess]
) -> list[OccupationGuess]:
    """A wish for a generic job (司机, 服务员) takes, first, the specific jobs of the same kind
    the seeker did or does — same 大典 middle group, same last three characters of the name
    (开过五年货车 + 想找司机: 道路货运汽车驾驶员 for 客运车辆驾驶员; 做过客房服务员 + 想当服务员:
    客房服务员; not 中式烹调师 for 服务员) — at the wish's confidence and words; the generic
    code follows, a little less sure. A wish for a post rather than a person (前台, not 司机)
    after a job whose words end with it is that job alone (酒店前台 + 想找前台: 前厅服务员)."""
    by_group: dict[tuple[str, str], dict[str, OccupationGuess]] = {}
    for guess in others:
        if guess.kind == "job":
            by_group.setdefault(_occupation_kind(guess), {}).setdefault(guess.code, guess)
    refined: list[OccupationGuess] = []
    for wish in desired:
        if wish.kind != "generic":
            refined.append(wish)
            continue
        group = by_group.get(_occupation_kind(wish), {})
        jobs = {code: job for code, job in group.items() if code != wish.code}
        same_post = {
            job.code: job
            for job in others
            if job.kind == "job"
            and job.code != wish.code
            and not wish.evidence.endswith(_PERSON_ENDINGS)
            and len(job.evidence) > len(wish.evidence)
            and job.evidence.endswith(wish.evidence)
        }
        if not jobs and same_post:  # 酒店前台 … 想找前台的工作: the 前台 the seeker was
            refined += [
                replace(
                    job,
                    role="desired",
                    confidence=wish.confidence,
                    start=wish.start,
                    end=wish.end,
                    evidence=wish.evidence,
                    skills=tuple(dict.fromkeys(job.skills + wish.skills)),
                )
                for job in same_post.values()
            ]
            continue
        if not jobs:
            refined.append(wish)
            continue
        for job in jobs.values():
            refined.append(
                replace(
                    job,
                    role="desired",
                    confidence=wish.confidence,
                    start=wish.start,
                    end=wish.end,
                    evidence=wish.evidence,
                    skills=tuple(dict.fromkeys(job.skills + wish.skills)),
                )
            )
        refined.append(
            replace(wish, confidence=round(wish.confidence * _GENERIC_AFTER_SPECIFIC, 3))
        )
    return refined


def _named_jobs(guesses: list[OccupationGuess]) -> list[OccupationGuess]:
    """What stands for a seeker who states no wish: the jobs they name, without the settings
    and the generic words that name no person (工地, 超市, 做饭, 开车, 进厂) when a job is
    named too (在工地干了十年，会扎钢筋 → 钢筋工; 带过月子，会做饭 → 家政服务员); those alone
    when nothing else is named (在厂里上班 → 普工)."""
    if not any(guess.kind == "job" for guess in guesses):
        return guesses
    return [
        guess
        for guess in guesses
        if guess.kind == "job"
        or (guess.kind == "generic" and guess.evidence.endswith(_PERSON_ENDINGS))
    ]


_REFUSED_VERBS = "干做搞弄开跑扎焊收守卖养搭剪打扛搬喂踩修烧教送进"
"""Verbs of work a refusal names (钢筋我是不想再扎了, 不想开叉车了, 外卖不想跑了)."""
_REFUSED_ACT = rf"[{_REFUSED_VERBS}](?![外远出回])[\u4e00-\u9fff]{{0,3}}?了"
"""The refused act after 不想 / 再也不: a verb of work and up to three characters, not a trip
(跑外地, 出远门)."""
_WORK_REFUSED_AFTER_RE = re.compile(
    r"[^。;!?\n]{0,30}?(?:不想干了|不想做了|不干了|不做了|干够了|做够了|够了|干不动了|做不动了|干不了了"
    r"|[开干做]不成了"
    rf"|不(?:想|愿意?|要|敢|准我?|让我?)再?{_REFUSED_ACT}|再也不(?:想|愿意?)?{_REFUSED_ACT})"
)
"""Said within a sentence after past work: the seeker refuses that work (喷了十年漆…喷漆是不干了,
扛水泥扛够了, 再也不想进厂了, 医生喊我不要再干了, 屋头不准我再焊了); not a place or a trip
(不想跑外地了, 不想再出远门了)."""


def _not_refused(guesses: list[OccupationGuess], text: str) -> list[OccupationGuess]:
    """The past work that may stand for a seeker who states no wish: none of a code the seeker
    refuses after naming it; a refusal read once refuses every mention of that code."""
    refused = {guess.code for guess in guesses if _WORK_REFUSED_AFTER_RE.match(text, guess.end)}
    return [guess for guess in guesses if guess.code not in refused]


def _past_work(guesses: list[OccupationGuess]) -> list[OccupationGuess]:
    """What the seeker did, without the acts that name no job of their own (做表格, 打字,
    做饭) when a job is named too: a warehouse keeper who says 进出货、盘点、做表格都是我弄
    did not work as a clerk; nor the workplaces (车间, 工厂, 流水线), which say where a named job
    was done, not another one: a 机械设计 graduate who 在机械厂车间实习 and draws in CAD was not a
    packer. Settings stay (在工地干了十年 tells what the seeker can do), unless another reading
    follows with nothing between: the last word of a compound is its head (厂里食堂 is a
    canteen, 电商仓库 a warehouse)."""
    starts = {guess.start for guess in guesses}
    guesses = [
        guess
        for guess in guesses
        if not (
            (guess.kind == "setting" or _is_workplace(guess.kind, guess.evidence))
            and guess.end in starts
        )
    ]
    if not any(guess.kind == "job" for guess in guesses):
        return guesses
    return [
        guess
        for guess in guesses
        if not _is_act(guess.kind, guess.evidence) and not _is_workplace(guess.kind, guess.evidence)
    ]


def _by_code(
    guesses: Iterable[OccupationGuess], factor: Mapping[Role, float] | None = None
) -> tuple[OccupationGuess, ...]:
    """One guess per code (the surest, at its first position), in order of appearance."""
    best: dict[str, OccupationGuess] = {}
    for guess in guesses:
        if factor is not None:
            guess = replace(guess, confidence=round(guess.confidence * factor[guess.role], 3))
        kept = best.get(guess.code)
        if kept is None:
            best[guess.code] = guess
        else:
            surer = guess if guess.confidence > kept.confidence else kept
            first = kept if kept.start <= guess.start else guess
            best[guess.code] = replace(
                surer,
                start=first.start,
                end=first.end,
                evidence=first.evidence,
                skills=tuple(dict.fromkeys(kept.skills + guess.skills)),
            )
    return tuple(sorted(best.values(), key=lambda guess: guess.start))


# --- education -------------------------------------------------------------------------------

_EDUCATION_RE = re.compile(
    r"博士研究生|博士|硕士研究生|硕士|研究生|大学本科|大学专科|本科|学士|大专|专科|高职|职业技术学院"
    r"|职业学院|医专|师专|高中|职业高级中学|职业高中|中专|中技|技工学校|技师学院|技校|职高|职中|中职"
    r"|中等职业|卫校|中师|幼师|初中|初一|初二|初三|九年义务教育|小学|文盲|没读过书|没上过学|不识字"
    r"|职业技术学校|职业学校|大学|(?<![职术师])学院|中学"
)
_EDUCATION_EXTRA: Mapping[str, int] = {
    "大学本科": 4,
    "大学专科": 3,
    "职业技术学院": 3,
    "职业学院": 3,
    "医专": 3,
    "师专": 3,
    "职业高级中学": 2,
    "职业高中": 2,
    "技工学校": 2,
    "技师学院": 2,
    "卫校": 2,
    "中师": 2,
    "幼师": 2,
    "初一": 1,
    "初二": 1,
    "初三": 1,
    "九年义务教育": 1,
    "文盲": 1,
    "没读过书": 1,
    "没上过学": 1,
    "不识字": 1,
    "职业技术学校": 2,
    "职业学校": 2,
    "大学": 4,
    "学院": 4,
    "中学": 2,
}
_EDUCATION_ITEM_RE = re.compile(
    rf"(?:{_EDUCATION_RE.pattern})(?:学历|文化|毕业|文凭|水平|程度|肄业|在读)?"
)
"""A list item that is a schooling, not a job (初中, 高中毕业)."""
_EDUCATION_WEAK = frozenset(
    {
        "大学",
        "学院",
        "职业技术学校",
        "职业学校",
        "中学",
        "小学",
        "初中",
        "职业技术学院",
        "职业学院",
        "职业高级中学",
        "技师学院",
        "医专",
        "师专",
        "卫校",
        "中师",
        "幼师",
        "初一",
        "初二",
        "初三",
    }
)
"""Words that name a school as often as a level: they count only with a cue."""
_EDUCATION_CUE_RE = re.compile(
    r"[^,。;!?\n]{0,3}?(?:毕业|文化|学历|肄业|没毕业|未毕业|没读完|读完|水平|程度|在读|学生|生|结业|就没读)"
    r"|[^,。;!?\n]{1,12}?专业(?:毕业|本科|专科)"
)
"""After a schooling word: what makes it the seeker's level (高中毕业, 大学…计算机专业毕业)."""
_EDUCATION_CUE_BEFORE_RE = re.compile(
    r"(?:学历|文化程度|文化|教育|读过|上过|读到|读了|读完|读的|念过|念到|念的|上的)\s?[:：]?\s?$"
    r"|(?:毕业于|就读于)[^,。;!?\n]{0,8}$"
)
_EDUCATION_NOT_RE = re.compile(
    r"\s?(?:老师|教师|学校|校长|食堂|门口|以上|及以上|附近|对面|旁边|同学|同事|当|上班|打工)"
)
_EDUCATION_OTHER_RE = re.compile(
    r"(?:女儿|儿子|娃儿|孩子|小孩|老公|老婆|爱人|媳妇|丈夫|妻子|屋头那个|弟弟|妹妹|哥哥|姐姐)"
    r"[^,。;!?\n]{0,4}$"
)
"""Before a schooling word: someone else's (女儿大学毕业了, 屋头那个是大专)."""
_EDUCATION_IN_PROGRESS_RE = re.compile(r"(?:在读|正在读|正在自考|自考|攻读)\s?$")
"""Before a level: one not yet held (在读研究生, 攻读博士学位) — the one below is."""
_EDUCATION_INCOMPLETE_RE = re.compile(
    r"[^,。;!?\n]{0,3}?(?:肄业|没毕业|未毕业|没读完|没上完|辍学|就没读|没念完)"
)
_EDUCATION_NEGATED_RE = re.compile(r"(?:没|未|没有)(?:上|读|念)过\s?$|(?:没|未|没有)考上?\s?$")
_COMPLETED_BELOW: Mapping[int, int] = {1: 1, 2: 1, 3: 2, 4: 2, 5: 4, 6: 5}
"""The highest level completed when one was left unfinished (大学没读完 → 高中)."""
_POSTGRADUATE = 5
"""From this level a degree 在读 is not held yet (硕士在读 has a 本科): a student still at
school below it is read at the level being studied, as the golden table has it."""
_REQUIREMENT_RE = re.compile(r"要求|以上学历|及以上")


_TOKEN_EDGES = frozenset(" 、/|")
"""Characters around a field of a spaced résumé line (叉车司机 有叉车证 初中): a schooling word
standing alone between them is the seeker's level."""


def _education_level(word: str) -> int | None:
    if word in _EDUCATION_EXTRA:
        return _EDUCATION_EXTRA[word]
    return parse_education(word).level


def _education(text: str, clauses: Sequence[tuple[int, int]]) -> Reading[int] | None:
    best: Reading[int] | None = None
    # once per clause, not per word: a clause of n schooling words is read in linear time
    requirement: dict[tuple[int, int], bool] = {}
    for found in _EDUCATION_RE.finditer(text):
        word = found.group()
        level = _education_level(word)
        if level is None or level < 1:
            continue
        clause = _clause_of(clauses, found.start())
        before = text[max(clause[0], found.start() - 8) : found.start()]
        if _EDUCATION_NOT_RE.match(text, found.end()) or _EDUCATION_OTHER_RE.search(before):
            continue
        if _someone_elses(text, found.start()) or (
            _KIN_ALONE_BEFORE_RE.search(text, max(0, clause[0] - 8), clause[0])
            and not _SELF_RE.search(text, clause[0], found.start())
        ):
            continue  # 我娃娃在读研究生; 家庭成员：女儿，某大学本科在读 (not 本人学历：初中)
        if clause not in requirement:
            requirement[clause] = _REQUIREMENT_RE.search(text, clause[0], clause[1]) is not None
        if requirement[clause] and "学历" not in before:
            continue
        cued = bool(
            _EDUCATION_CUE_RE.match(text, found.end()) or _EDUCATION_CUE_BEFORE_RE.search(before)
        )
        short = clause[1] - clause[0] <= len(word) + 4  # room for spaces and a colon
        bare = (short and text[clause[0] : clause[1]].strip(" :：") == word) or (
            (found.start() == clause[0] or text[found.start() - 1] in _TOKEN_EDGES)
            and (found.end() == clause[1] or text[found.end()] in _TOKEN_EDGES)
        )
        confidence = 0.9
        if word in _EDUCATION_WEAK:
            if not (cued or bare):
                continue
            confidence = 0.7 if word in ("大学", "中学") else 0.85
        in_progress = "在读" in text[found.end() : found.end() + 4]
        if (
            _EDUCATION_INCOMPLETE_RE.match(text, found.end())
            or _EDUCATION_NEGATED_RE.search(before)
            or _EDUCATION_IN_PROGRESS_RE.search(before)
            or (in_progress and level >= _POSTGRADUATE)
        ):
            level = _COMPLETED_BELOW[level]
        if in_progress:
            confidence = 0.7
        reading = Reading(level, confidence, found.start(), found.end(), word)
        if (
            best is None
            or level > best.value
            or (level == best.value and confidence > best.confidence)
        ):
            best = reading
    return best


# --- experience ------------------------------------------------------------------------------

_KIN_WORDS = (
    r"女儿|女子|儿子|娃儿|娃娃|孩子|小孩|老公|丈夫|妻子|老婆|婆娘|爱人|媳妇|老汉儿?|父亲|母亲|爸爸|妈妈"
    r"|父母|爸妈|婆婆|公公|爷爷|奶奶|姐姐|哥哥|弟弟|妹妹|亲戚|家人|配偶"
)
"""Words for the seeker's relatives: what follows them is about someone else (我老汉儿干了四十年
木匠, 女儿在成都)."""
_KIN_SUBJECT_RE = re.compile(
    rf"\s?(?:我的?|我家的?|我们家的?|(?:我们?)?(?:屋头|屋里|家里)的?)?(?:{_KIN_WORDS})"
)
"""A relative who opens a clause: its subject (我婆娘在纺织厂…, 屋头媳妇儿在带月子; not
在亲戚理发店…)."""
_SELF_RE = re.compile(r"我|本人|自己")
_KIN_WINDOW = 16
"""Characters read back in a clause for the relative a number is about."""
_NUM = r"(?:(?<![0-9.])[0-9]{1,2}(?:\.[0-9])?(?![0-9])|[一二两三四五六七八九十几半]{1,3})"
_YEARS = rf"(?P<n>{_NUM})\s?(?P<more>多|来)?\s?(?:个)?年(?P<half>半)?(?P<more2>多)?"
_NOT_DURATION_RE = re.compile(
    r"(?:生|出生|代|后|毕业|级|前|底|初|左右的?时候|龄?[0-9]|月(?!嫂)|届|间)"
)
"""After the years: a date or a cohort, not a duration (2015年3月, 90后) — 三年月嫂 is one."""
_EXPERIENCE_GAP = 12
"""Characters that may stand between the years and 经验 (八年工厂设备电气维修经验,
三年以上仓库管理经验)."""
_GAP_NOT_RE = re.compile(r"前|后|没|无|不|未|开始|毕业|读书|上学|学习|时候")
"""Words in that gap that make the years something else (三年前开始积累经验,
毕业三年没有相关经验)."""
_TOTAL_RES = (
    re.compile(
        r"(?:工作经验|工作年限|工龄|驾龄|教龄|护龄|从业经验|从业年限|从业时间|相关经验|经验)\s?[:：]?\s?"
        rf"(?:有|约|大概|差不多)?\s?{_YEARS}"
    ),
    re.compile(
        rf"{_YEARS}\s?(?P<gap>[\u4e00-\u9fff]{{0,{_EXPERIENCE_GAP}}}?)(?:经验|工龄|驾龄|经历)"
    ),
    re.compile(rf"(?:工作|从业|上班|打工)了?\s?(?:有|约|大概|差不多)?\s?{_YEARS}"),
)
_STINT_RE = re.compile(
    rf"(?:干|做|开|跑|当|学|带|搞|修|送|烧|扎|打|洗|装|喂|分|从事|待|呆|工作|上班|上|站|扫|跟|卖|养|种|照顾|伺候|护理|守)[了过着]{{0,2}}"
    rf"[^,。;!?\n0-9一二两三四五六七八九十几半]{{0,8}}?(?:有|约|快|近|将近|大概|差不多)?{_YEARS}"
)
_ROLE_YEARS_RE = re.compile(
    rf"(?<=[A-Za-z\u4e00-\u9fff）)])\s?{_YEARS}(?=\s?(?:[{_BREAKS}、]|$|了|的|经验))"
)
"""Years right after a job or task named without a verb, ending the clause or a list item
(``挖机操作五年``, ``数据采集工程师三年``, ``出纳两年、会计一年``): read only when no total and no
stint is, the longest one (items may overlap: ``开发五年，其中爬虫三年``)."""
_ROLE_NOT_RE = re.compile(
    r"兵|部队|军|役|伍|学|读|校|毕业|本科|专科|大专|中专|高中|初中|硕士|博士|培训|结婚|孩子|娃|"
    r"住|生活|定居|在家|家里|屋头|呆|待了|待过|待业|失业|退休|休息|离开|没|无|不|病|成立|驾照|驾驶证"
    r"|进修|厂子"
)
"""Words in the clause before such years that make them something else than work (本科四年,
在家带孩子三年, 服役两年, 没上班两年)."""
_ROLE_WINDOW = 40
"""Characters read back from such years for the clause they end."""
_CLAUSE_ENDS = _BREAKS + "、"
"""What ends the clause such years close."""
_ALONE_YEARS_RE = re.compile(rf"(?:^|(?<=[{_BREAKS}]))\s?(?:都|已经|有)?{_YEARS}了")
"""``三十多年了`` as a clause of its own, after the work was named (``我是打鱼的，三十多年了``)."""
_NO_EXPERIENCE_RE = re.compile(
    r"应届|没有?(?:工作)?经验|无(?:工作)?经验|没上过班|没工作过|没有工作过|刚毕业|没出去打过工|零经验"
)
_MILITARY_RE = re.compile(r"[^,。;!?\n]{0,3}?(?:兵|部队|军)")
_SCHOOL_OR_SERVICE_RE = re.compile(r"兵|部队|军|学|读")
"""In a stint's words before its years: school or service, not work (当兵当了八年)."""
_MILITARY_BEFORE_RE = re.compile(r"兵|部队|军|读")
"""Just before a stint's verb: service or school (当兵当了八年, 读书读了三年)."""
_DATE = r"(?P<{y}>(?:19|20)[0-9]{{2}})(?:\s?[.\-/年]\s?(?P<{m}>[0-9]{{1,2}})\s?月?|\s?年)?"
_RANGE_RE = re.compile(
    _DATE.format(y="y1", m="m1")
    + r"\s?(?:-|~|—|–|至|到)\s?(?:"
    + _DATE.format(y="y2", m="m2")
    + r"|(?P<now>至今|今|现在|现今))"
)
_IDLE_PERIOD_RE = re.compile(r"在家|照顾|带孩子|带娃|待业|失业|无业")
"""On a period's line: time at home or without work (2016年-2019年 全职在家带孩子)."""
_SCHOOL_RE = re.compile(
    r"学校|中学|小学|大学|学院|学习|就读|毕业|学历|本科|大专|专科|中专|高中|初中|技校|职高|培训|部队|服役|入伍"
)


def _years_value(found: re.Match[str]) -> tuple[float, bool] | None:
    value = _approximate(found.group("n"))
    if value is None:
        return None
    years, approximate = value
    if found.group("half"):
        years += 0.5
    if found.group("more") or found.group("more2"):
        approximate = True
    return years, approximate


_IDLE_BEFORE_RE = re.compile(r"没|未|不|失业|待业")
"""Just before a verb of work, words that make its years time without work (没上班两年,
不上班三年了, 失业在家呆了一年)."""
_IDLE_VERB_RE = re.compile(r"[待呆](?:业|岗|着没事)")
"""``待业两年``, ``待岗一年``: waiting for work, not work."""
_NOT_A_VERB_RE = re.compile(r"离$|进$|厂子?$|店$|公司$|企业$")
"""Before 开 or 修: part of another word (离开, 进修) or a business opened (厂子开了)."""
_HOME_STAY_RE = re.compile(r"在家|家里|屋头|全职")
"""Before 待/呆/带 only: ``在家待了两年``, ``在屋头带了五年娃`` are time at home
(``在家种了几年地`` is farm work)."""


def _clause_before(text: str, end: int, width: int) -> str:
    """The clause that ``text[end]`` continues, read back at most ``width`` characters (linear
    time whatever the text): from the last of :data:`_CLAUSE_ENDS` before ``end``."""
    window = text[max(0, end - width) : end]
    return window[max(window.rfind(mark) for mark in _CLAUSE_ENDS) + 1 :]


_TURN_RE = re.compile(r"([问答])\s?[:：]")
"""A turn of a counter dialogue as staff type it (问：想找啥子？答：还是开大车)."""
_OFFER_RE = re.compile(
    r"呢|要不要|考虑不|考不考虑|做不做|干不干|去不去|行不行|得不得行|可不可以|愿不愿意|要得不"
    r"|还做|还干|还去|还当|还开|还搞"
)
"""A question that offers a job or asks whether the seeker would do it again (押运考虑不？,
质检呢？, 还做这个？)."""
_REFUSAL_RE = re.compile(r"不去|不想|不做|不干|不搞|不得去|不要|算了|怕了|够了")
"""An answer that turns the offer down (问：电子厂呢？答：不去了，插件插得眼睛花)."""
_YES_RE = re.compile(
    r"\s?(?:[（(][^）)]{0,4}[）)])?(?:对头|对|嗯|是的|要得|得行|也得行|也行|也可以|可以|都可以|行)"
)
"""An answer that starts by taking the offer (问：房产中介呢？答：也得行): the job the question
names is wished."""


@dataclass(frozen=True)
class _Dialogue:
    """The question and answer turns of a text: where each turn starts, whether it is a
    question, how an answer's question reads (a wish asked for, past work asked about), and
    whether a question's offer is taken at once by its answer (问：房产中介呢？答：也得行)."""

    starts: list[int]
    questions: list[bool]
    asks: list[Role | None]
    taken: list[bool]

    @classmethod
    def of(cls, text: str) -> _Dialogue:
        turns = list(_TURN_RE.finditer(text))
        starts = [turn.start() for turn in turns]
        questions = [turn.group(1) == "问" for turn in turns]
        asks: list[Role | None] = []
        for index, turn in enumerate(turns):
            if questions[index] or index == 0 or not questions[index - 1]:
                asks.append(None)
                continue
            question = text[turns[index - 1].end() : turn.start()]
            following = turns[index + 1].start() if index + 1 < len(turns) else len(text)
            if _REFUSAL_RE.search(text, turn.end(), following):
                asks.append(None)
            elif _DESIRE_RE.search(question) or _OFFER_RE.search(question):
                asks.append("desired")
            elif _PAST_RE.search(question):
                asks.append("past")
            else:
                asks.append(None)
        taken = [
            index + 1 < len(turns)
            and asks[index + 1] is not None
            and _YES_RE.match(text, turns[index + 1].end()) is not None
            for index in range(len(turns))
        ]
        return cls(starts, questions, asks, taken)

    def turn_of(self, position: int) -> int:
        return bisect.bisect_right(self.starts, position) - 1


def _someone_elses(text: str, start: int) -> bool:
    """Is what starts at ``start`` said of a relative? A relative named earlier in its clause
    with no 我 / 自己 after (我婆娘在纺织厂干了十几年了; not 我老汉儿七十了，我自己四十八)."""
    window = _clause_before(text, start, _KIN_WINDOW)
    kin = _KIN_SUBJECT_RE.match(window)
    return kin is not None and not _SELF_RE.search(window, kin.end())


def _idle_time(text: str, found: re.Match[str]) -> bool:
    """Are the years of ``found`` (a total or a stint) time without work? Read in the few
    characters of its own clause before it: 没上班两年, 待业; time at home (在家待了两年, 在屋头带了
    五年娃); a verb inside another word (离开工厂两年, 进修一年) or a business's own years
    (厂子开了三十年)."""
    window = _clause_before(text, found.start(), 4)
    if _IDLE_BEFORE_RE.search(window) or _IDLE_VERB_RE.match(text, found.start()):
        return True
    if _NOT_A_VERB_RE.search(window[-2:]) and text[found.start()] in "开修":
        return True
    return text[found.start()] in "待呆带照" and bool(_HOME_STAY_RE.search(window))


def _plausible_duration(text: str, found: re.Match[str]) -> bool:
    return (
        not _NOT_DURATION_RE.match(text, found.end())
        and not text[max(0, found.start("n") - 1) : found.start("n")].isdigit()
    )


def _stint_matches(text: str) -> Iterator[re.Match[str]]:
    """The stints of :data:`_STINT_RE` in ``text``. One whose words before its years name school
    or service (学, 兵 …; not 学徒), or whose 上 is no 上…班, is passed over and the search goes
    on from its next character: a verb after the first may name work (在学校食堂打了九年饭,
    在涪江上打了三十年鱼)."""
    position = 0
    while (found := _STINT_RE.search(text, position)) is not None:
        if (_SCHOOL_OR_SERVICE_RE.search(found.group()[:-1]) and "学徒" not in found.group()) or (
            found.group().startswith("上") and not text.startswith("班", found.end())
        ):
            position = found.start() + 1
            continue
        position = found.end()
        yield found


def _experience(
    text: str, clauses: Sequence[tuple[int, int]], reference_year: int | None
) -> Reading[float] | None:
    totals: list[Reading[float]] = []
    for found in (found for pattern in _TOTAL_RES for found in pattern.finditer(text)):
        if (
            not _plausible_duration(text, found)
            or _idle_time(text, found)
            or _someone_elses(text, found.start())
        ):
            continue
        gap = found.groupdict().get("gap")
        if gap and _GAP_NOT_RE.search(gap):
            continue
        value = _years_value(found)
        if value is not None:
            totals.append(
                Reading(
                    value[0], 0.7 if value[1] else 0.9, found.start(), found.end(), found.group()
                )
            )
    if totals:
        best = max(totals, key=lambda reading: reading.value)
        return best if best.value <= MAX_EXPERIENCE_YEARS else None
    stints: list[Reading[float]] = []
    for found in _stint_matches(text):
        if (
            not _plausible_duration(text, found)
            or _MILITARY_RE.match(text, found.end())
            or _MILITARY_BEFORE_RE.search(text, max(0, found.start() - 2), found.start())
            or _idle_time(text, found)
            or _someone_elses(text, found.start())
        ):
            continue
        value = _years_value(found)
        if value is not None:
            stints.append(
                Reading(
                    value[0], 0.6 if value[1] else 0.8, found.start(), found.end(), found.group()
                )
            )
    if stints:
        total = sum(reading.value for reading in stints)
        if total > MAX_EXPERIENCE_YEARS:
            return None
        first, last = stints[0], stints[-1]
        confidence = min(reading.confidence for reading in stints)
        evidence = first.evidence if len(stints) == 1 else f"{first.evidence}…{last.evidence}"
        return Reading(round(total, 2), confidence, first.start, last.end, evidence)
    roles: list[Reading[float]] = []
    for found in _ROLE_YEARS_RE.finditer(text):
        start = found.start("n")
        clause = _clause_before(text, start, _ROLE_WINDOW)
        if (
            not _plausible_duration(text, found)
            or _ROLE_NOT_RE.search(clause)
            or _someone_elses(text, start)
        ):
            continue
        value = _years_value(found)
        if value is not None and len(clause) >= 2 and value[0] <= MAX_EXPERIENCE_YEARS:
            roles.append(
                Reading(
                    value[0],
                    0.6,
                    start,
                    found.end(),
                    text[start - len(clause) : found.end()].strip(),
                )
            )
    if roles:
        return max(roles, key=lambda reading: reading.value)
    for found in _ALONE_YEARS_RE.finditer(text):
        value = _years_value(found)
        if (
            value is not None
            and value[0] <= MAX_EXPERIENCE_YEARS
            and not _someone_elses(text, found.start("n"))
        ):
            return Reading(value[0], 0.6, found.start("n"), found.end(), found.group().strip())
    ranges = _date_ranges(text, clauses, reference_year)
    if ranges is not None:
        return ranges
    since = _since_year(text, reference_year)
    if since is not None:
        return since
    no_experience = _NO_EXPERIENCE_RE.search(text)
    if no_experience is not None:
        return Reading(0.0, 0.8, no_experience.start(), no_experience.end(), no_experience.group())
    return None


_YEAR_DIGITS = r"(?:19|20)[0-9]{2}|[零〇一二][零〇一二三四五六七八九]{3}"
_SINCE_RE = re.compile(
    rf"(?:(?:从|自)\s?(?P<a>{_YEAR_DIGITS}|[0-9]{{2}})年"
    rf"|(?<![0-9])(?P<b>{_YEAR_DIGITS})年"
    r"|(?:我|是)(?P<c>[0-9]{2})年(?=出来|开始|就|进))"
    r"(?P<mid>[^。;!?\n]{0,16}?)(?:至今|到现在|到今年|到今天|到目前)"
)
"""Work since a year until now, as people say it (2019年开始从事外卖配送至今, 从15年干到现在,
我03年出来打工，一直干到今年, 二〇〇九年至今): years up to the reference year. Read after the
written periods, when nothing else states the years."""
_SINCE_NOT_RE = re.compile(r"学|读|毕业|住|结婚|退休|失业|待业|在家|屋头")


def _since_year(text: str, reference_year: int | None) -> Reading[float] | None:
    if reference_year is None:
        return None
    for found in _SINCE_RE.finditer(text):
        if _SINCE_NOT_RE.search(found.group("mid")):
            continue
        digits = found.group("a") or found.group("b") or found.group("c")
        year = _year_number(digits) + (0 if len(digits) == 4 else 2000)
        if year > reference_year:
            year -= 100  # 从98年: 1998
        years = reference_year - year
        if 0 <= years <= MAX_EXPERIENCE_YEARS:
            return Reading(float(years), 0.7, found.start(), found.end(), found.group())
    return None


def _date_ranges(
    text: str, clauses: Sequence[tuple[int, int]], reference_year: int | None
) -> Reading[float] | None:
    """Work periods of a written résumé (``2016.03-2021.08 …``), merged where they overlap;
    periods on lines about school, training or service are left out."""
    intervals: list[tuple[float, float]] = []
    spans: list[tuple[int, int]] = []
    position = 0
    while (found := _RANGE_RE.search(text, position)) is not None:
        # the next period may start at this one's end (2010年至2013年在技校，2013年至今…)
        position = found.start("y2") if found.group("y2") else found.end()
        following = _RANGE_RE.search(text, found.end())
        window_end = min(found.end() + 16, following.start() if following else len(text))
        newline = text.find("\n", found.end(), window_end)
        # the 4 characters before it, not reaching into the clause before (学历，2012年至…)
        back = max(0, found.start() - 4)
        window_start = max(
            back, 1 + max(text.rfind(mark, back, found.start()) for mark in "\n,;。")
        )
        window = text[window_start : newline if newline >= 0 else window_end]
        if _SCHOOL_RE.search(window) or _IDLE_PERIOD_RE.search(window):
            continue
        start = int(found.group("y1")) + (int(found.group("m1") or 1) - 1) / 12
        if found.group("now"):
            if reference_year is None:
                continue
            end = float(reference_year)
        else:
            end = int(found.group("y2")) + (int(found.group("m2") or 12) - 1) / 12
            if found.group("m2") is None:
                end = int(found.group("y2")) + 0.0
        if end < start or end - start > MAX_EXPERIENCE_YEARS:
            continue
        intervals.append((start, end))
        spans.append((found.start(), found.end()))
    if not intervals:
        return None
    intervals.sort()
    merged: list[list[float]] = []
    for low, high in intervals:
        if merged and low <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], high)
        else:
            merged.append([low, high])
    total = round(sum(high - low for low, high in merged), 1)
    return Reading(total, 0.7, spans[0][0], spans[-1][1], text[spans[0][0] : spans[0][1]])


# --- certificates ----------------------------------------------------------------------------

_CERT_NEGATION_RE = re.compile(
    r"没有|没|无|未|不会|正在考|在考|想考|准备考|打算考|要考|考取中|报名|还差|过期|考了一半|笔试过"
)
_CERT_POSTPOSED_NEGATIONS = frozenset(
    {"没有", "没", "未", "正在考", "在考", "过期", "还差", "考了一半", "笔试过"}
)
"""Negations that also deny a certificate named before them in the clause (``登高证没有``,
``驾照过期了``) when none is named after them; 无 is not one (``持A1驾照无违章``)."""
_LICENCE_RE = re.compile(
    r"(?<![0-9a-z])(?P<before>驾照|驾驶证|驾驶本|本子)?\s?[:：]?\s?(?P<cls>[abc][123])(?![0-9a-z])"
    r"\s?(?P<after>驾照|驾驶证|驾驶本|照|本|证|的车|车)?"
    r"|(?<![0-9a-z])(?P<spoken>[abc])(?=照|本)"
)
_SPOKEN_CLASSES = {"a": "A1", "b": "B2", "c": "C1"}
"""The class a licence said by its letter alone means (``我是A照``, ``B照，开货车的``): the
highest licence of the letter's vehicles that people name so — 大客 (A1), 大货 (B2), 小车 (C1)."""
_SKILL_LEVEL_RE = re.compile(
    r"(?P<grade>高级技师|高级工|中级工|初级工)(?!程)"
    r"|(?:技能等级|技术等级|职业资格|资格等级)\s?[:：]?\s?(?P<title>技师)"
)
"""A skill grade held (技能等级：中级工, 高级工): read as the caller's certificate whose alias is
the grade with 证 (中级工证); with no such alias, nothing."""


def _certificates(
    text: str, clauses: Sequence[tuple[int, int]], vocabulary: ResumeVocabulary
) -> list[Reading[str]]:
    found_codes: dict[str, Reading[str]] = {}
    licence_classes: set[str] = set()
    for clause_start, clause_end in clauses:
        clause = text[clause_start:clause_end]
        negation = _CERT_NEGATION_RE.search(clause)
        held_part = clause if negation is None else clause[: negation.start()]
        if negation is not None and negation.group() in _CERT_POSTPOSED_NEGATIONS:
            rest = clause[negation.end() :]
            named_after = _LICENCE_RE.search(rest) or (
                vocabulary._certificates_re is not None and vocabulary._certificates_re.search(rest)
            )
            if not named_after:  # 电工证没有, 驾照过期了, 焊工证在考: what it follows is not held
                held_part = ""
        if vocabulary.driving_licences:
            for licence in _LICENCE_RE.finditer(held_part):
                spoken = licence.group("spoken")
                cls = _SPOKEN_CLASSES[spoken] if spoken else licence.group("cls").upper()
                code = vocabulary.driving_licences.get(cls)
                has_word = spoken or licence.group("before") or licence.group("after")
                cue = re.search(r"驾|车|开|司机|持|有|证", held_part)
                if code is None or not (has_word or cue):
                    continue
                licence_classes.add(code)
                start = clause_start + licence.start()
                found_codes.setdefault(
                    code,
                    Reading(
                        code, 0.9, start, clause_start + licence.end(), licence.group().strip()
                    ),
                )
        for grade in _SKILL_LEVEL_RE.finditer(held_part):
            word = grade.group("grade") or grade.group("title")
            code = vocabulary.certificate_aliases.get(f"{word}证")
            if code is not None and code not in found_codes:
                start = clause_start + grade.start()
                found_codes[code] = Reading(
                    code, 0.8, start, clause_start + grade.end(), grade.group()
                )
        if vocabulary._certificates_re is None or not vocabulary._certificates_re.search(held_part):
            continue  # the parser normalises every alias per call: only where one occurs
        mentions = find_certificates(held_part, vocabulary.certificate_aliases)
        for code in mentions.required + mentions.preferred + mentions.mentioned:
            if code in found_codes:
                continue
            position = _find_alias(held_part, code, vocabulary.certificate_aliases)
            start = clause_start + (position[0] if position else 0)
            end = clause_start + (position[1] if position else len(held_part))
            found_codes[code] = Reading(code, 0.85, start, end, text[start:end])
    if licence_classes:
        # "驾照B2": the bare 驾照 alias is not a second (C1) licence
        generic = {vocabulary.certificate_aliases.get(word) for word in GENERIC_LICENCE_WORDS} - {
            None
        }
        for code in generic - licence_classes:
            reading = found_codes.get(str(code))
            if reading is not None and not re.search(r"c1", reading.evidence):
                del found_codes[str(code)]
    return sorted(found_codes.values(), key=lambda reading: reading.start)


def _find_alias(clause: str, code: str, aliases: Mapping[str, str]) -> tuple[int, int] | None:
    best: tuple[int, int] | None = None
    folded = unicodedata.normalize("NFKC", clause).casefold()
    for word, word_code in aliases.items():
        if word_code != code:
            continue
        key = _norm(word)
        position = folded.find(key) if key else -1
        if position >= 0 and (best is None or (best[1] - best[0]) < len(key)):
            best = (position, position + len(key))
    return best


# --- age and birth year ----------------------------------------------------------------------

_AGE_RE = re.compile(
    r"(?:年龄|年纪|今年|岁数)\s?[:：]?\s?(?:已经|刚满|刚|满)?\s?(?P<n1>[0-9]{2}|[二三四五六七]十[一二三四五六七八九]?|十[六七八九])\s?(?P<more1>多|来)?(?P<past1>出头|好几)?\s?(?:周?岁|了|,|。|$)?"
    r"|(?P<n2>(?<![0-9])[0-9]{2}|[二三四五六七]十[一二三四五六七八九]?|十[六七八九])\s?(?P<more2>多|来)?\s?周?岁"
    r"|快(?P<n3>[0-9]{2}|[三四五六七]十)(?:岁|了|的人)"
    r"|(?:^|(?<=[,。;!?\n]))\s?(?:我|今年)?(?P<n4>[二三四五六七]十[一二三四五六七八九]?)(?P<more4>多)?了"
    r"|(?P<n5>[二三四五六七]十)(?P<past5>出头|好几)"
    r"|(?:^|(?<=[,。;!?\n]))\s?我(?:自己)?(?P<n6>[二三四五六七]十[一二三四五六七八九]?)(?=[,。;!?\n]|$)"
)
_PAST_DECADE_YEARS = {"出头": 1, "好几": 5}
"""Years past a round age: 五十出头 51, 四十好几 45."""
_AGE_OTHER_PERSON_RE = re.compile(
    r"孩子|儿子|女儿|娃|小孩|老人|父亲|母亲|爸|妈|老公|老婆|爱人|丈夫|妻子|婆婆|公公|宝宝|学生|婴儿"
    r"|婆娘|老汉|媳妇|男人"
)
_KIN_ALONE_BEFORE_RE = re.compile(rf"(?:^|[,;:：、\s])(?:{_KIN_WORDS})\s?[,:：]\s?$")
"""A relative named alone just before the age, in the clause before (家庭成员：父亲，65岁; not
生过两个孩子，四十岁)."""
_BIRTH_RE = re.compile(
    r"(?P<y1>(?:19|20)[0-9]{2})\s?(?:年|[.\-/])?\s?(?:[0-9]{1,2}\s?月?\s?(?:[0-9]{1,2}\s?日?)?)?\s?(?:出生|生人|年生|生)"
    r"|(?:出生年月|出生日期|出生年份|出生年|出生于|出生|生日)\s?[:：]?\s?(?P<y2>(?:19|20)[0-9]{2})"
    r"|(?<![0-9])(?P<decade>[5-9][05]|0[05])后"
    r"|(?:我是|我|本人是|本人)(?P<yy>[5-9][0-9]|0[0-9]|[五六七八九][零〇一二三四五六七八九]|[零〇][零〇一二三四五六七八九])年的"
)


def _age_number(token: str) -> int | None:
    value = _approximate(token)
    if value is None:
        return None
    return int(value[0])


def _age(text: str) -> Reading[int] | None:
    for found in _AGE_RE.finditer(text):
        token = next(
            (
                found.group(name)
                for name in ("n1", "n2", "n3", "n4", "n5", "n6")
                if found.group(name)
            ),
            None,
        )
        if token is None:
            continue
        if found.group("n1") is not None and not (
            found.group("n1").isdigit() or "岁" in found.group() or found.group("more1")
        ):
            pass
        clause_start = max(text.rfind(mark, 0, found.start()) for mark in ",。;!?\n") + 1
        before = text[max(0, clause_start, found.start() - 6) : found.start()]
        if _AGE_OTHER_PERSON_RE.search(before) or _KIN_ALONE_BEFORE_RE.search(
            text, max(0, found.start() - 8), found.start()
        ):
            continue
        if found.group("n1") is not None and text[found.end() : found.end() + 1] == "年":
            continue  # 今年20年了 …
        value = _age_number(token)
        if value is None:
            continue
        approximate = bool(found.group("more1") or found.group("more2") or found.group("more4"))
        if found.group("n4") is not None or found.group("n5") is not None:
            approximate = True
        past = found.group("past5") or found.group("past1")
        if past is not None:
            value += _PAST_DECADE_YEARS[past]
            approximate = True
        if found.group("n3") is not None:
            value -= 1  # 快60了: not yet 60
        if not MIN_AGE <= value <= MAX_AGE:
            continue
        return Reading(
            value, 0.7 if approximate else 0.9, found.start(), found.end(), found.group()
        )
    return None


def _year_number(digits: str) -> int:
    """A year's digits, Arabic or Chinese (2009, 二〇〇九, 八五, 03), as a number."""
    return int("".join(str(_CN_DIGITS.get(char, char)) for char in digits))


def _birth_year(text: str) -> Reading[int] | None:
    for found in _BIRTH_RE.finditer(text):
        if found.group("decade") is not None:
            decade = int(found.group("decade"))
            base = (1900 if decade >= 50 else 2000) + decade
            width = 5 if decade % 10 == 5 else 10
            year = base + width // 2
            return Reading(year, 0.5, found.start(), found.end(), found.group())
        if found.group("yy") is not None:  # 我是八五年的, 我90年的: the year one was born
            short = _year_number(found.group("yy"))
            year = (1900 if short >= 50 else 2000) + short
        else:
            year = int(found.group("y1") or found.group("y2"))
        if MIN_BIRTH_YEAR <= year <= MAX_BIRTH_YEAR:
            return Reading(year, 0.9, found.start(), found.end(), found.group())
    return None


# --- salary ----------------------------------------------------------------------------------

_SALARY_CUE_RE = re.compile(
    r"期望薪资|期望月薪|期望工资|期望待遇|期望薪酬|期望收入|薪资要求|工资要求|待遇要求|薪资期望|期望|希望"
    r"|要求|想要|想拿|想挣|能拿|拿到|能挣|挣|工资|薪资|薪水|月薪|待遇|收入|一个月|每个月|月入|底薪|每月"
    r"|一天|每天|日薪"
)
_SALARY_PAST_RE = re.compile(r"原来|以前|之前|上一份|原单位|曾|过去|目前|现在")
_CN_THOUSANDS_PAIR_RE = re.compile(r"([一二两三四五六七八九])([一二两三四五六七八九])千")
_CN_THOUSANDS_RE = re.compile(r"([一二两三四五六七八九])千([一二两三四五六七八九])?(?![百十万0-9])")
_CN_TEN_THOUSANDS_RE = re.compile(r"([一二两])万([一二三四五六七八九])?(?![千百0-9])")
_CN_HUNDREDS_RE = re.compile(r"([一二两三四五六七八九])百([一二三四五六七八九]十?)?(?![0-9])")
_PER_DAY_RE = re.compile(r"一天|每天|日薪|一日")
_SALARY_SPAN = 24


def _arabic_salary(segment: str) -> str:
    segment = _CN_THOUSANDS_PAIR_RE.sub(
        lambda m: f"{_CN_DIGITS[m.group(1)]}-{_CN_DIGITS[m.group(2)]}千", segment
    )
    segment = _CN_THOUSANDS_RE.sub(
        lambda m: str(
            _CN_DIGITS[m.group(1)] * 1000 + (_CN_DIGITS[m.group(2)] * 100 if m.group(2) else 0)
        ),
        segment,
    )
    segment = _CN_TEN_THOUSANDS_RE.sub(
        lambda m: str(
            _CN_DIGITS[m.group(1)] * 10_000 + (_CN_DIGITS[m.group(2)] * 1000 if m.group(2) else 0)
        ),
        segment,
    )
    segment = _CN_HUNDREDS_RE.sub(
        lambda m: str(
            _CN_DIGITS[m.group(1)] * 100 + (_CN_DIGITS[m.group(2)[0]] * 10 if m.group(2) else 0)
        ),
        segment,
    )
    segment = _PER_DAY_RE.sub("每天", segment)
    return segment.replace("块钱", "元").replace("块", "元")


def _salary(text: str, clauses: Sequence[tuple[int, int]]) -> Reading[SalaryWish] | None:
    for cue in _SALARY_CUE_RE.finditer(text):
        clause = _clause_of(clauses, cue.start())
        if _SALARY_PAST_RE.search(text, max(clause[0], cue.start() - 6), cue.start()):
            continue
        segment_start = max(clause[0], cue.start() - 6)
        segment_end = min(clause[1], cue.end() + _SALARY_SPAN)
        segment = _arabic_salary(text[segment_start:segment_end])
        found = parse_salary(segment)
        if not found.known:
            continue
        low, high = found.low, found.high
        if low is not None and not MIN_SALARY <= low <= MAX_SALARY:
            continue
        if high is not None and not MIN_SALARY <= high <= MAX_SALARY:
            continue
        strong = cue.group() not in (
            "工资",
            "薪资",
            "薪水",
            "月薪",
            "待遇",
            "收入",
            "一个月",
            "每个月",
            "月入",
            "底薪",
            "每月",
            "挣",
            "要求",
        )
        return Reading(
            SalaryWish(low, high),
            0.9 if strong else 0.7,
            cue.start(),
            segment_end,
            text[cue.start() : segment_end],
        )
    return None


# --- places ----------------------------------------------------------------------------------

_CUE_END = r"\s?[:：]?\s?(?:四川省?)?(?:遂宁市?)?$"
"""Between a place cue and the place: a colon, and the province and city a county is named in
(现居：四川省遂宁市蓬溪县)."""
_HOME_BEFORE_RE = re.compile(
    r"(?:住在|住|家在|家住|居住在|居住地|居住|现居|现住|户籍|户口|籍贯|老家|来自|是|家是|住址|地址|屋头在|屋头|搬迁到"
    r"|搬到|搬来)" + _CUE_END
)
_HOME_AFTER_RE = re.compile(r"(?:人|的人|本地人|户口|户籍|农村|那边的人)")
_WORK_BEFORE_RE = re.compile(
    r"(?:想在|希望在|要在|愿意在|能在|就在|只在|只能在|仅在|在|去|到|回|回到|工作地点|期望地点|期望工作地点"
    r"|期望工作地|期望工作城市|期望工作地区|意向工作地点|意向工作地|意向地区|意向城市|工作地区|期望城市"
    r"|接受|仅考虑|只考虑|可考虑|考虑)" + _CUE_END
)
_WORK_AFTER_RE = re.compile(
    r"[^,。;!?\n]{0,8}?(?:上班|工作|做事|打工|务工|就业|发展|干活|找工作|找个?活|的工作|的活|附近|"
    r"周边|一带|都行|也行|都可以|也可以|可以|优先|最好|得行|也去|都去|均可|岗位|为主|有没得|有没有)"
)
_PAST_BEFORE_RE = re.compile(r"(?:以前|之前|原来|曾经|曾|先后)(?:在|到|去)\s?$")
"""Before a place: where the seeker was (以前在东莞, 曾在浙江宁波务工) — not a wish."""
_ALSO_BEFORE_RE = re.compile(r"[也亦][^,。;!?\n]{0,4}$")
"""Before a wished place: one more place (亦可接受成都): home stays a place they accept."""
_RETURN_BEFORE_RE = re.compile(r"(?:回|回到|返回|返回到)\s?(?:四川省?)?(?:遂宁市?)?$")
"""Before a place: back home (回射洪照顾父母, 2021年回到安居区, 现在回蓬溪了) — unless wished
(想回遂宁工作) or followed by work (回到遂宁上班)."""
_ALSO_AFTER_RE = re.compile(r"[^,。;!?\n]{0,6}?也")
"""After a wished place: one more place (广东那边也可以): home stays a place they accept."""
_EMPLOYER_AFTER_RE = re.compile(r"[^,。;!?\n]{0,8}?(?:公司|厂|医院|学校|酒店|饭店|超市|集团)")
_PAST_AFTER_RE = re.compile(
    r"(?:那边|这边)?了|"
    r"[^,。;!?\n]{0,20}?(?:[0-9一二三四五六七八九十两几]{1,3}多?年|好?多年|好几年"
    r"|(?:干|做|搞|待|呆|打工|务工|打|去|摘|卖|送|跑|修|洗|种|养|当)[了过]|读[了过的]?书|上[了过的]?学"
    r"|念[了过的]?书)"
)
"""After a place: what was done there (去东莞了, 在广东打工六年, 在成都干过): a past workplace."""
_KIN_BEFORE_RE = re.compile(rf"(?:{_KIN_WORDS})[^,。;!?\n]{{0,4}}?(?:在|去|到)\s?$")
"""Before a place: where a relative is (女儿在成都, 老公在东莞, 儿子喊我去广州) — neither the
seeker's home nor a place they would work in."""
_PLACE_REFUSED_BEFORE_RE = re.compile(
    r"(?:不去|不想去|不想再去|不愿去|不考虑去?|不打算去|不回|没去)\s?$"
)
_PLACE_REFUSED_AFTER_RE = re.compile(r"(?:那边|这边)?(?:就算了|算了|不去|不考虑|不回去|我?都?没去)")
"""Around a place: the seeker will not work there (不想再去东莞, 就是不去广东, 成都就算了)."""
_LIVES_NOW_RE = re.compile(
    r"(?:现居|现住|现在住|目前住|住在|住|居住地?|家住|家在|屋头在)" + _CUE_END
)
"""A home cue that says where the seeker lives now, above one that says where they are from
(籍贯, 户籍, 老家, 我是…的)."""
_WISH_WORD_RE = re.compile(r"想|希望|愿意|期望|意向")
_PLACE_LIST_GAP_RE = re.compile(r"\s?(?:[、,/和及与跟或]|或者|还有)?\s?")
"""Between two places of one list (遂宁、成都或重庆)."""
_NEAR_HOME_RE = re.compile(
    r"离家近|家附近|近一点|家门口|就近|离家不远|本地工作|在家附近|照顾家|回家方便|不想出远门|不出远门"
    r"|不想出去|不出去了|不去外地|不出县|不考虑外地|不接受外地|不便外出|本地就业|就在城头|在城头找"
    r"|附近就行|就在附近|屋头附近|离屋近|离屋头近|哪都不想去|哪儿都不想去|附近有没得|附近有没有"
    r"|县城里头|县城就|在县城找|只在县城|城头找|城里找"
    r"|(?:镇上|区上|县上|县城)(?:也|或者|或|都|就|找)"
)

SICHUAN_PREFIX = "51"
"""Codes of places a seeker may live in; a place outside Sichuan is read as a wish only."""
COUNTY_CODE_LENGTH = 6
"""Digits of a county's code (510903); a city's has 4 (5109)."""


@dataclass(frozen=True, slots=True)
class _PlaceMention:
    code: str
    start: int
    end: int
    home: bool
    work: bool
    back: bool = False
    """Named as where the seeker came back to (回遂宁了): home when a county, and a place they
    accept beside one named with 也 whatever its level."""
    now: bool = False
    """Named as where the seeker lives now (现居, 住在), not where they are from (籍贯, 我是…的)."""


def _place_mentions(text: str, vocabulary: ResumeVocabulary) -> list[_PlaceMention]:
    """Each place named in ``text`` (adjacent names as one: 遂宁市船山区, the most specific)
    with its cue: where the seeker lives, where they would work, or neither."""
    pattern = vocabulary._places_re
    matches = list(pattern.finditer(text)) if pattern is not None else []
    mentions: list[_PlaceMention] = []
    carried: int | None = None
    for index, found in enumerate(matches):
        following = matches[index + 1] if index + 1 < len(matches) else None
        code = vocabulary.places[found.group()]
        if (
            following is not None
            and following.start() == found.end()
            and vocabulary.places[following.group()].startswith(code)
        ):
            # 遂宁市船山区, 蓬溪县赤城镇: the most specific name, with the first one's cue
            carried = found.start() if carried is None else carried
            continue
        start = found.start() if carried is None else carried
        carried = None
        before = text[max(0, start - 10) : start]
        if (
            _KIN_BEFORE_RE.search(before)
            or _PLACE_REFUSED_BEFORE_RE.search(before)
            or _PLACE_REFUSED_AFTER_RE.match(text, found.end())
        ):
            continue  # a relative's place, or one refused
        wished = bool(_WISH_WORD_RE.search(before))
        past = not wished and bool(_PAST_BEFORE_RE.search(before))
        work_after = _WORK_AFTER_RE.match(text, found.end()) is not None
        back = not wished and not work_after and bool(_RETURN_BEFORE_RE.search(before))
        home = bool(
            _HOME_BEFORE_RE.search(before)
            or _HOME_AFTER_RE.match(text, found.end())
            or (back and len(code) == COUNTY_CODE_LENGTH)
        )
        work = not home and not past and (bool(_WORK_BEFORE_RE.search(before)) or work_after)
        # "在射洪的锂电厂干过": an employer's place; "在广东打工六年": years spent there
        if (
            work
            and not wished
            and (
                (
                    _EMPLOYER_AFTER_RE.match(text, found.end())
                    and "上班" not in text[found.end() : found.end() + 10]
                )
                or _PAST_AFTER_RE.match(text, found.end())
            )
        ):
            work = False
        now = home and bool(_LIVES_NOW_RE.search(before))
        mentions.append(_PlaceMention(code, start, found.end(), home, work, back, now))
    # a list of places shares its cue: 希望在遂宁或重庆就业, 遂宁、成都、广东都可以
    runs: list[list[_PlaceMention]] = []
    for mention in mentions:
        last = runs[-1][-1] if runs else None
        if last is not None and _PLACE_LIST_GAP_RE.fullmatch(text, last.end, mention.start):
            runs[-1].append(mention)
        else:
            runs.append([mention])
    shared: list[_PlaceMention] = []
    for run in runs:
        listed = len(run) > 1 and any(m.work for m in run) and not any(m.home for m in run)
        shared += [replace(m, work=True) if listed else m for m in run]
    return shared


def _within(code: str, other: str) -> bool:
    """Whether region ``code`` lies inside region ``other`` (a county in its city)."""
    return code != other and code.startswith(other)


_ANYWHERE_RE = re.compile(
    r"(?:哪里|哪儿|哪)都(?:可以|行|去|能去|要得|得行|愿意|没问题)|(?:地点|地区|区域)不限|不限(?:地点|地区)"
    r"|全国各地|去外地|外地也"
)
"""Work taken anywhere (去哪里都可以, 工作地点不限, 外地也行); not after a 不 or 没 (不去外地)."""
_ANYWHERE_DENIED_BEFORE = ("不", "没", "别", "不想", "不愿")


def _anywhere(text: str) -> Reading[bool] | None:
    for found in _ANYWHERE_RE.finditer(text):
        if not text.endswith(_ANYWHERE_DENIED_BEFORE, max(0, found.start() - 2), found.start()):
            return Reading(True, 0.9, found.start(), found.end(), found.group())
    return None


def _places(
    text: str, vocabulary: ResumeVocabulary
) -> tuple[Reading[str] | None, list[Reading[str]], Reading[bool] | None, list[Reading[str]]]:
    home: Reading[str] | None = None
    home_now = False
    guess: Reading[str] | None = None
    desired: list[Reading[str]] = []
    back: Reading[str] | None = None
    besides: set[str] = set()  # wished places named as one more (成都也去)
    for mention in _place_mentions(text, vocabulary):
        code, start, end = mention.code, mention.start, mention.end
        sichuan = code.startswith(SICHUAN_PREFIX)
        if mention.back and sichuan and back is None:
            back = Reading(code, 0.6, start, end, text[start:end])
        if not mention.work and (not sichuan or (end - start <= 2 and not mention.home)):
            continue  # a short name without a cue, or a far place not named as a wish
        evidence = text[start:end]
        if (
            mention.home
            and sichuan
            and (home is None or _within(code, home.value) or (mention.now and not home_now))
        ):
            # 住在遂宁，具体是河沙镇: the nearer; 籍贯：南充；现居：安居区: where they live now
            home = Reading(code, 0.9, start, end, evidence)
            home_now = home_now or mention.now
        elif mention.work:
            if all(other.value != code for other in desired):
                desired.append(Reading(code, 0.8, start, end, evidence))
            if _ALSO_AFTER_RE.match(text, end) or _ALSO_BEFORE_RE.search(
                text, max(0, start - 6), start
            ):
                besides.add(code)
        elif guess is None and not mention.home:
            guess = Reading(code, 0.6, start, end, evidence)
    if home is None and guess is not None:
        home = Reading(guess.value, 0.5, guess.start, guess.end, guess.evidence)
    here = home or back
    also_only: list[Reading[str]] = []
    if len(besides) == 1 and here is None and all(r.value in besides for r in desired):
        # 成都也去 beside a place not named: where else is not known (成都也可以，遂宁也可以: both)
        desired, also_only = [], desired
    elif (
        besides
        and here is not None
        and not any(here.value.startswith(other.value) for other in desired)
    ):
        # 回遂宁了 … 广东那边也可以: the place named as one more is beside home, not instead
        also = next(reading for reading in desired if reading.value in besides)
        desired.insert(0, Reading(here.value, 0.6, also.start, also.end, also.evidence))
    near = _NEAR_HOME_RE.search(text)
    if near is None:
        return home, desired, None, also_only
    near_home = Reading(True, 0.9, near.start(), near.end(), near.group())
    if here is not None and all(r.value != here.value for r in desired):
        # 现在回遂宁了，不想出去了: near the home they came back to
        desired.insert(0, Reading(here.value, 0.7, near.start(), near.end(), near.group()))
    return home, desired, near_home, also_only


# --- skills and groups -----------------------------------------------------------------------


def find_skills(text: str, vocabulary: ResumeVocabulary) -> list[str]:
    """The skill words of ``vocabulary`` that ``text`` names, not negated (会 Excel, 熟悉 Vue;
    not 不会 Excel), in order of first mention, normalised — what a résumé states as skills, and
    what a posting asks for (:func:`matcher.intake.completion.vacancy_fields_from_text`)."""
    normal = _normalise(text[:MAX_RESUME_CHARS])
    return list(dict.fromkeys(reading.value for reading in _skill_words(normal, vocabulary)))


def _skill_words(text: str, vocabulary: ResumeVocabulary) -> Iterator[Reading[str]]:
    found_all = [found for pattern in vocabulary._skills_res for found in pattern.finditer(text)]
    end = 0
    for found in sorted(found_all, key=lambda found: (found.start(), -found.end())):
        if found.start() < end:  # inside a word already found
            continue
        end = found.end()
        if _NEGATION_RE.search(text, max(0, found.start() - 4), found.start()):
            continue
        yield Reading(found.group(), 0.8, found.start(), found.end(), found.group())


def _skills(
    text: str, vocabulary: ResumeVocabulary, guesses: Iterable[OccupationGuess]
) -> list[Reading[str]]:
    skills: dict[str, Reading[str]] = {}
    for reading in _skill_words(text, vocabulary):
        skills.setdefault(reading.value, reading)
    for guess in guesses:
        for skill in guess.skills:
            skills.setdefault(
                skill,
                Reading(
                    skill, round(0.7 * guess.confidence, 3), guess.start, guess.end, guess.evidence
                ),
            )
    return sorted(skills.values(), key=lambda reading: reading.start)[:30]


def _groups(text: str, vocabulary: ResumeVocabulary) -> list[Reading[str]]:
    groups: dict[str, Reading[str]] = {}
    if vocabulary._groups_re is None:
        return []
    for found in vocabulary._groups_re.finditer(text):
        if re.search(r"不是|非$", text[max(0, found.start() - 3) : found.start()]):
            continue
        code = vocabulary.priority_groups[found.group()]
        groups.setdefault(code, Reading(code, 0.8, found.start(), found.end(), found.group()))
    return list(groups.values())


# --- entry point -----------------------------------------------------------------------------


def parse_resume(
    text: str, vocabulary: ResumeVocabulary, *, reference_year: int | None = None
) -> ResumeFields:
    """Read a résumé or what a walk-in seeker says into structured fields.

    Parameters
    ----------
    text : str
        Any text; only the first :data:`MAX_RESUME_CHARS` characters are read.
    vocabulary : ResumeVocabulary
        The lexicon, title matcher and name tables to read with.
    reference_year : int, optional
        The year "now" is (for ``2019年至今``); without it such periods are not counted.

    Returns
    -------
    ResumeFields
        Unknown fields are ``None`` or empty.

    Raises
    ------
    TypeError
        If ``text`` is not a ``str`` or ``vocabulary`` not a :class:`ResumeVocabulary`.
    """
    if not isinstance(text, str):
        raise TypeError(f"text must be a str, got {type(text).__name__}")
    if not isinstance(vocabulary, ResumeVocabulary):
        raise TypeError(f"vocabulary must be a ResumeVocabulary, got {type(vocabulary).__name__}")
    truncated = len(text) > MAX_RESUME_CHARS
    normal = _normalise(text[:MAX_RESUME_CHARS])[:MAX_RESUME_CHARS]
    clauses = _clauses(normal)
    guesses = _occupations(normal, clauses, vocabulary)
    past = [guess for guess in guesses if guess.role != "desired"]
    desired = _refine_settings([guess for guess in guesses if guess.role == "desired"], past)
    desired = _refine_generic(desired, past)
    desired = _without_trade_settings(desired)
    desired = _without_listed_settings(desired, normal)
    desired = _without_workplaces_after_job(desired, normal)
    desired = _without_programme_posts(desired)
    desired = _without_retracted(desired, normal)
    desired_occupations = (
        _by_code(desired)
        if desired
        else _by_code(_named_jobs(_not_refused(past, normal)), _FALLBACK_FACTOR)
    )
    home, desired_regions, near_home, places_also = _places(normal, vocabulary)
    return ResumeFields(
        desired_occupations=desired_occupations[:10],
        past_occupations=_by_code(_past_work(past))[:10],
        education=_education(normal, clauses),
        experience_years=_experience(normal, clauses, reference_year),
        certificates=tuple(_certificates(normal, clauses, vocabulary)),
        skills=tuple(_skills(normal, vocabulary, guesses)),
        age=_age(normal),
        birth_year=_birth_year(normal),
        expected_salary=_salary(normal, clauses),
        home_region=home,
        desired_regions=tuple(desired_regions[:20]),
        near_home=near_home,
        anywhere=None if near_home is not None else _anywhere(normal),
        places_also=tuple(places_also),
        priority_groups=tuple(_groups(normal, vocabulary)),
        truncated=truncated,
    )


# --- completing a seeker record --------------------------------------------------------------

SEEKER_FIELDS: tuple[str, ...] = (
    "region",
    "birth_year",
    "education",
    "experience_years",
    "certificates",
    "skills",
    "desired_titles",
    "desired_occupations",
    "past_occupations",
    "desired_regions",
    "expected_salary",
)
"""The seeker fields :func:`complete_seeker_fields` may fill."""


@dataclass(frozen=True, slots=True)
class SeekerCompletion:
    """Values for the seeker fields that were missing, and their names in field order."""

    fields: Mapping[str, object] = field(default_factory=dict)
    inferred: tuple[str, ...] = ()


def _missing(given: Mapping[str, object], name: str) -> bool:
    value = given.get(name)
    return value is None or value == "" or (isinstance(value, list | tuple | set) and not value)


def complete_seeker_fields(
    parsed: ResumeFields,
    given: Mapping[str, object],
    *,
    reference_year: int,
    min_confidence: float = 0.5,
) -> SeekerCompletion:
    """The seeker fields ``given`` lacks, read from ``parsed`` — never a field it has.

    A field is missing when absent, ``None``, ``""`` or an empty list; a given ``0`` (e.g.
    ``experience_years``) is a value and stays. Readings below ``min_confidence`` are not
    used. Values are plain (codes, ints, lists of str) for the caller's record schema:
    ``region`` a region code, ``birth_year`` from the stated birth year or ``reference_year −
    age``, ``education`` a level 1–6, ``experience_years`` (left out when more than the
    seeker's age allows: age − 14), ``certificates`` codes, ``skills``, ``desired_titles``
    (the words of the wanted occupations), ``desired_occupations`` 大典 codes,
    ``past_occupations`` 大典 codes of the work done (a seeker stating no wish is taken to want
    it: those are its ``desired_occupations`` too), ``desired_regions`` codes,
    ``expected_salary`` the lowest monthly pay asked for.

    Parameters
    ----------
    parsed : ResumeFields
    given : mapping of str to object
        The seeker's record as given (a plain dict); not modified.
    reference_year : int
        This year, to turn an age into a birth year.
    min_confidence : float, default 0.5

    Returns
    -------
    SeekerCompletion
        ``fields`` holds only the filled names; ``inferred`` lists them in
        :data:`SEEKER_FIELDS` order.
    """
    if not 0.0 <= min_confidence <= 1.0:
        raise ValueError(f"min_confidence must be in [0, 1], got {min_confidence!r}")
    sure = min_confidence

    def ok(reading: Reading[T] | None) -> bool:
        return reading is not None and reading.confidence >= sure

    values: dict[str, object] = {}
    if ok(parsed.home_region):
        assert parsed.home_region is not None
        values["region"] = parsed.home_region.value
    birth_year: int | None = None
    if ok(parsed.birth_year):
        assert parsed.birth_year is not None
        birth_year = parsed.birth_year.value
    elif ok(parsed.age):
        assert parsed.age is not None
        birth_year = reference_year - parsed.age.value
    if birth_year is not None and MIN_AGE <= reference_year - birth_year <= MAX_AGE:
        values["birth_year"] = birth_year
    if ok(parsed.education):
        assert parsed.education is not None
        values["education"] = parsed.education.value
    if ok(parsed.experience_years):
        assert parsed.experience_years is not None
        known_birth = given.get("birth_year", values.get("birth_year"))
        years = parsed.experience_years.value
        if not isinstance(known_birth, int) or years <= reference_year - known_birth - 14:
            values["experience_years"] = years
    certificates = [r.value for r in parsed.certificates if r.confidence >= sure]
    if certificates:
        values["certificates"] = certificates
    skills = [r.value for r in parsed.skills if r.confidence >= sure]
    if skills:
        values["skills"] = skills[:50]
    wanted = [g for g in parsed.desired_occupations if g.confidence >= sure]
    if wanted:
        values["desired_titles"] = list(dict.fromkeys(g.evidence for g in wanted))[:10]
        values["desired_occupations"] = [g.code for g in wanted][:10]
    past = [g.code for g in parsed.past_occupations if g.confidence >= sure]
    if past:
        values["past_occupations"] = past[:10]
    regions = [r.value for r in parsed.desired_regions if r.confidence >= sure]
    if regions:
        values["desired_regions"] = list(dict.fromkeys(regions))[:20]
    if ok(parsed.expected_salary):
        assert parsed.expected_salary is not None
        wish = parsed.expected_salary.value
        if wish.low is not None:
            values["expected_salary"] = wish.low
    filled = {
        name: values[name] for name in SEEKER_FIELDS if name in values and _missing(given, name)
    }
    return SeekerCompletion(filled, tuple(filled))
