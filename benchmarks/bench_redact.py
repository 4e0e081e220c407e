"""Time of :func:`features.redact.redact` on adversarial and ordinary text, beside the baseline.

The baseline is the redactor before issue 10 (commit 00fff18, ``features/redact.py``), its
patterns copied below unchanged: several ``\\s*`` in a row after 身份证 and after a door number
(cubic in a run of spaces), an unbounded e-mail local part (quadratic in a run of letters). Each
input of the issue's findings is timed at 1K, 2K, 4K, 8K, 16K and 20K characters
(``MAX_TEXT_CHARS``), with ordinary résumé text beside them; the last column is the per-character
linearity, ``t(20K) / t(1K) / 20``: about 1 for a linear pattern, growing with the length for a
super-linear one.

The baseline runs each call in a child process stopped after ``--budget`` seconds; after one
stop, the larger sizes of that input are skipped (they would take longer still). Times are the
best of ``--repeat`` runs (the baseline's: of up to ``--repeat`` runs within the budget).

A second table shows the gaps of the findings: contact data the baseline left in the text.

    .venv/bin/python benchmarks/bench_redact.py [--repeat 5] [--budget 3] [--sizes 1000 2000 …]
"""

from __future__ import annotations

import argparse
import multiprocessing
import re
import time
import timeit
import unicodedata
from collections.abc import Callable
from multiprocessing.connection import Connection
from typing import ClassVar

from features.redact import MAX_TEXT_CHARS, redact
from features.text import fold_width

# --- the baseline: features/redact.py at 00fff18, patterns unchanged ----------------------------


class Baseline:
    """The redactor before issue 10 (only what redact() ran; docstrings dropped)."""

    EMAIL = re.compile(
        r"[A-Za-z0-9][A-Za-z0-9._%+-]*@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?"
        r"(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)*\.[A-Za-z]{2,}(?![A-Za-z])",
        re.ASCII,
    )
    DATE8 = r"(?:18|19|20)\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])"
    DATE6 = r"\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])"
    ID_NUMBER = re.compile(
        r"(?<!\d)[1-9]\d{5}[ -]?" + DATE8 + r"[ -]?\d{3}[0-9Xx](?!\d)"
        r"|(?<!\d)[1-9]\d{5}" + DATE6 + r"\d{3}(?![\dXx])",
        re.ASCII,
    )
    ID_NUMBER_LABELLED = re.compile(
        r"(?:身份证|身份证号|身份证号码|证件号|证件号码|ID\s*card)\s*(?:号码?)?\s*[:是为]?\s*"
        r"(?P<pii>\d{6}[ -]?\d{8}[ -]?\d{3}[0-9Xx]|\d{15})(?!\d)",
        re.IGNORECASE | re.ASCII,
    )
    MOBILE_BODY = r"1[3-9]\d(?:[ -]?\d{4}){2}"
    MOBILE = re.compile(
        r"(?<!\d)(?:(?:\+|00)?86[ -]?|\(\+?86\)\s?)?" + MOBILE_BODY + r"(?!\d)", re.ASCII
    )
    LANDLINE = re.compile(
        r"(?:\(0\d{2,3}\)\s?|(?<![\d(])0\d{2,3}[ -]?)[2-9]\d{6,7}"
        r"(?:\s*(?:转|-|ext\.?\s*|分机\s*)\d{1,6})?(?!\d)",
        re.ASCII,
    )
    QQ = re.compile(
        r"(?:QQ|扣扣|企鹅)\s*(?:号码?|群)?\s*(?:[:是为]\s*)?(?P<pii>[1-9]\d{4,10})(?!\d)",
        re.IGNORECASE | re.ASCII,
    )
    WECHAT_ID = r"(?:[A-Za-z][-_A-Za-z0-9]{5,}(?![-_A-Za-z0-9])|" + MOBILE_BODY + r"(?!\d))"
    WECHAT_LABEL = r"(?:微信|威信|薇信|(?<![A-Za-z])(?:V信|VX|WX|weixin|wechat))"
    WECHAT = re.compile(
        r"(?:" + WECHAT_LABEL + r"\s*(?:号码?|id)\s*(?:[:是为]\s*)?"
        r"|" + WECHAT_LABEL + r"\s*[:是为]\s*"
        r"|" + WECHAT_LABEL + r"\s+(?=[-_A-Za-z0-9]*[-_0-9]))"
        r"(?P<pii>" + WECHAT_ID + r")",
        re.IGNORECASE | re.ASCII,
    )
    NUMERAL = r"[0-9一二三四五六七八九十百零〇]+"
    ADDRESS_ANCHOR = re.compile(
        r"(?:大道|大街|路|街|巷|胡同|弄|段)\s*" + NUMERAL + r"\s*(?:-\s*\d+\s*)?号(?![口线站门])"
        r"|村\s*" + NUMERAL + r"\s*(?:组|社|号)"
        r"|(?:小区|花园|公寓|大厦|家园|广场|苑|院|新村|山庄)\s*"
        + NUMERAL
        + r"\s*(?:号楼|栋|幢|座|单元|号院)",
        re.ASCII,
    )
    ADDRESS_DETAIL = re.compile(
        r"(?:\s*(?:附|之)?\s*[-—]?\s*[0-9A-Za-z一二三四五六七八九十]+\s*"
        r"(?:号楼|号院|栋|幢|座|单元|楼|层|室|号|组|社|户|期|区|门|铺))+"
        r"|\s*(?:[\u4e00-\u9fff]{2,10}?(?:小区|花园|公寓|大厦|家园|广场|中心|大楼|苑))"
        r"(?:\s*[0-9A-Za-z一二三四五六七八九十]+\s*(?:号楼|栋|幢|座|单元|楼|层|室|号))+",
        re.ASCII,
    )
    ADDRESS_PREFIX_CHAR = re.compile(r"[\u4e00-\u9fff0-9A-Za-z]")
    ADDRESS_LEAD_IN = re.compile(
        r".*(?:地址|住址|位于|坐落于|坐落在|地处|家住|住在|居住在|居住于|现住|现居|地点|前往|来到|送至|送到"
        r"|搬至|搬到|收货|负责)"
    )
    ADDRESS_SHORT_LEAD_IN = re.compile(r".+?(?:在|于|到|至)")
    ADDRESS_MAX_PREFIX = 30
    PLACEHOLDERS: ClassVar[dict[str, str]] = {
        "email": "[邮箱]",
        "id_number": "[身份证]",
        "wechat": "[微信]",
        "qq": "[QQ]",
        "mobile": "[手机]",
        "landline": "[电话]",
        "address": "[地址]",
    }

    @staticmethod
    def merge(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
        merged: list[tuple[int, int]] = []
        for start, end in sorted(spans):
            if merged and start < merged[-1][1]:
                merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
            else:
                merged.append((start, end))
        return merged

    @classmethod
    def address_spans(cls, folded: str) -> list[tuple[int, int]]:
        spans: list[tuple[int, int]] = []
        for anchor in cls.ADDRESS_ANCHOR.finditer(folded):
            start = anchor.start()
            floor = max(0, start - cls.ADDRESS_MAX_PREFIX)
            while start > floor and cls.ADDRESS_PREFIX_CHAR.match(folded, start - 1):
                start -= 1
            lead_in = cls.ADDRESS_LEAD_IN.match(folded, start, anchor.start()) or (
                cls.ADDRESS_SHORT_LEAD_IN.match(folded, start, anchor.start())
            )
            if lead_in is not None:
                start = lead_in.end()
            end = anchor.end()
            detail = cls.ADDRESS_DETAIL.match(folded, end)
            if detail is not None:
                end = detail.end()
            spans.append((start, end))
        return cls.merge(spans)

    @classmethod
    def spans(cls, kind: str, folded: str) -> list[tuple[int, int]]:
        def whole(pattern: re.Pattern[str]) -> list[tuple[int, int]]:
            return [match.span() for match in pattern.finditer(folded)]

        def labelled(pattern: re.Pattern[str]) -> list[tuple[int, int]]:
            return [match.span("pii") for match in pattern.finditer(folded)]

        if kind == "email":
            return whole(cls.EMAIL)
        if kind == "id_number":
            return cls.merge(labelled(cls.ID_NUMBER_LABELLED) + whole(cls.ID_NUMBER))
        if kind == "wechat":
            return labelled(cls.WECHAT)
        if kind == "qq":
            return labelled(cls.QQ)
        if kind == "mobile":
            return whole(cls.MOBILE)
        if kind == "landline":
            return whole(cls.LANDLINE)
        return cls.address_spans(folded)

    @classmethod
    def redact(cls, text: str) -> str:
        for kind, placeholder in cls.PLACEHOLDERS.items():
            spans = [(s, e) for s, e in cls.spans(kind, fold_width(text)) if e > s]
            pieces, position = [], 0
            for start, end in spans:
                pieces += [text[position:start], placeholder]
                position = end
            text = "".join([*pieces, text[position:]])
        return text


# --- inputs -------------------------------------------------------------------------------------

RESUME = (
    "个人简历\n求职意向：数控车床操作工、机械装配工，期望月薪5000-7000元，可接受倒班。\n"
    "教育背景：2012年9月至2015年6月 遂宁市职业技术学校 机电技术应用专业 中专。\n"
    "工作经历：2015年7月至2019年3月 四川某精密机械有限公司 数控车工，负责CNC车床编程与操作，"
    "熟悉FANUC系统，能看懂机械图纸，月均加工零件3000件以上，合格率99.5%。\n"
    "2019年4月至今 遂宁经济技术开发区某电子科技公司 设备维修员，负责产线设备日常保养、"
    "故障排查，参与2条SMT产线改造，持有电工证（低压）和叉车证。\n"
    "自我评价：吃苦耐劳，服从安排，身体健康，有团队精神，能适应加班。\n"
)
"""Made-up ordinary résumé text (no contact data: a résumé's contacts are few and short)."""


def _repeat_to(unit: str, length: int) -> str:
    return (unit * (length // len(unit) + 1))[:length]


INPUTS: dict[str, Callable[[int], str]] = {
    "身份证 + spaces + x": lambda n: "身份证" + " " * (n - 4) + "x",
    "明月路1号 + spaces + x": lambda n: "明月路1号" + " " * (n - 6) + "x",
    "QQ + spaces + x": lambda n: "QQ" + " " * (n - 3) + "x",
    "letters (e-mail)": lambda n: "a" * n,
    "digits": lambda n: "1" * n,
    "身份证身份证…": lambda n: _repeat_to("身份证", n),
    "路路路1号…": lambda n: _repeat_to("路路路1号", n),
    "résumé text": lambda n: _repeat_to(RESUME, n),
}
"""Each finding of issue 10, two more runs and ordinary text, by length in characters."""

GAPS = [
    "微信ouyang_zh1990",
    "加微信zhang-san88详聊",
    "139.1234.5678",
    "手机：139·1234·5678",
    "手机 138—0013—8000",
    "电话：１３８．００１３．８０００",
    "座机0825.2345678",
    "联系wxid_k2j3h4g5f6",
]
"""Contact data the baseline left in the text."""

# --- timing -------------------------------------------------------------------------------------


def best_of(call: Callable[[str], object], text: str, repeat: int, budget: float) -> float:
    """Best seconds of up to ``repeat`` calls, stopping once their total passes ``budget``."""
    best, spent = float("inf"), 0.0
    for _ in range(repeat):
        start = time.perf_counter()
        call(text)
        elapsed = time.perf_counter() - start
        best, spent = min(best, elapsed), spent + elapsed
        if spent > budget:
            break
    return best


def seconds_now(text: str, repeat: int) -> float:
    """Best seconds of one :func:`redact` call: ``repeat`` rounds of as many calls as last
    0.2 s (a shared machine slows single calls at random; the best round is the cost)."""
    timer = timeit.Timer(lambda: redact(text))
    number, _ = timer.autorange()
    return min(timer.repeat(repeat, number)) / number


def _baseline_child(connection: Connection, text: str, repeat: int, budget: float) -> None:
    connection.send(best_of(Baseline.redact, text, repeat, budget))
    connection.close()


def baseline_seconds(text: str, repeat: int, budget: float) -> float | None:
    """Best seconds of the baseline on ``text``, or None when one call outlasts ``budget``."""
    context = multiprocessing.get_context("fork")
    receiver, sender = context.Pipe(duplex=False)
    child = context.Process(target=_baseline_child, args=(sender, text, repeat, budget))
    child.start()
    sender.close()
    seconds = receiver.recv() if receiver.poll(budget * 2 + 1) else None
    if seconds is None:
        child.terminate()
    child.join()
    return seconds


def _width(text: str) -> int:
    """Columns ``text`` takes in a terminal (CJK characters take two)."""
    return sum(2 if unicodedata.east_asian_width(char) in "WF" else 1 for char in text)


def _left(text: str, width: int) -> str:
    return text + " " * max(0, width - _width(text))


def _ms(seconds: float | None) -> str:
    return "—" if seconds is None else f"{seconds * 1e3:,.2f}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--repeat", type=int, default=5, help="runs per measurement (best)")
    parser.add_argument("--budget", type=float, default=3.0, help="baseline seconds per call")
    parser.add_argument(
        "--sizes", type=int, nargs="+", default=[1_000, 2_000, 4_000, 8_000, 16_000, 20_000]
    )
    arguments = parser.parse_args()
    sizes = sorted(arguments.sizes)
    if sizes[-1] > MAX_TEXT_CHARS:
        parser.error(f"sizes above MAX_TEXT_CHARS = {MAX_TEXT_CHARS:,} are refused by redact()")

    print(f"redact() now and baseline (00fff18), ms, best of {arguments.repeat}; baseline stopped")
    print(f"after {arguments.budget:g} s a call. linearity = t({sizes[-1]:,}) / t({sizes[0]:,})")
    print(f"/ {sizes[-1] / sizes[0]:g}: about 1 when linear.\n")
    header = f"{'input':<24}{'chars':>8}{'now ms':>12}{'baseline ms':>15}{'now µs/char':>13}"
    print(header)
    print("-" * len(header))
    summary: list[tuple[str, float, float | None]] = []
    for name, make in INPUTS.items():
        now: dict[int, float] = {}
        before: dict[int, float | None] = {}
        stopped = False
        for size in sizes:
            text = make(size)
            assert len(text) == size
            now[size] = seconds_now(text, arguments.repeat)
            if stopped:
                before[size], shown = None, "skipped"
            else:
                before[size] = baseline_seconds(text, arguments.repeat, arguments.budget)
                stopped = before[size] is None
                shown = "> budget" if stopped else _ms(before[size])
            print(
                f"{_left(name, 24)}{size:>8,}{_ms(now[size]):>12}{shown:>15}"
                f"{now[size] / size * 1e6:>13.3f}"
            )
        scale = sizes[-1] / sizes[0]
        linear_now = now[sizes[-1]] / now[sizes[0]] / scale
        last, first = before[sizes[-1]], before[sizes[0]]
        linear_before = last / first / scale if last is not None and first else None
        summary.append((name, linear_now, linear_before))
        print()

    print(f"{'linearity':<24}{'now':>8}{'baseline':>12}")
    for name, linear_now, linear_before in summary:
        shown = "—" if linear_before is None else f"{linear_before:.2f}"
        print(f"{_left(name, 24)}{linear_now:>8.2f}{shown:>12}")

    print("\ncontact data the baseline left in the text")
    for text in GAPS:
        shown_before, shown_now = repr(Baseline.redact(text)), repr(redact(text).text)
        print(f"  {_left(repr(text), 34)} baseline {_left(shown_before, 34)} now {shown_now}")


if __name__ == "__main__":
    main()
