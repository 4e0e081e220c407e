"""Every regular expression of ``features`` runs in time linear in the length of its text.

Timing is never asserted; the structure of each compiled pattern is. Python's ``re`` backtracks,
and three shapes make it super-linear on text a user can type (a run of spaces, digits, letters):

nested
    an unbounded repeat inside another (``(?:\\s*x)+``, ``(a+)+``): exponential;
adjacent
    two unbounded repeats over overlapping characters with nothing between them that must match
    (``\\s*(?:号码?)?\\s*``, ``\\d+\\d*``): a run of n such characters splits n ways at each of
    n start positions, and a third makes it cubic;
leading
    a pattern that opens with an unbounded repeat (or a character and then a repeat of the same
    characters, ``[a-z][a-z.]*@``) and can fail after it: ``search``/``finditer`` start again at
    every character of a long run and scan the rest of it each time — quadratic. A lookbehind
    before it (``(?<!\\d)\\d+``) or a ``^`` anchor starts it once per run.

A pattern with none of these does a bounded amount of work per start position (bounded repeats
such as ``\\s{0,3}`` are allowed anywhere), so ``finditer`` over it is linear. The checker reads
the parse tree from ``re._parser`` (Python ≥ 3.11); it is conservative about
character sets (case folding, categories), so a shape it reports may be harmless but a shape it
passes is not one of the three.

``benchmarks/bench_redact.py`` times the redactor on the adversarial inputs that found the old
shapes; these tests only see the structure.
"""

from __future__ import annotations

import importlib
import pkgutil
import re
import sys
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from functools import cache
from re import _constants as sre_constants  # type: ignore[attr-defined]
from re import _parser as sre_parse  # type: ignore[attr-defined]
from types import ModuleType
from typing import Any

import pytest

import features

C = sre_constants
MAXREPEAT = C.MAXREPEAT
MAX_CODE = sys.maxunicode

# --- character sets as sorted, disjoint (low, high) intervals ---------------------------------

Intervals = tuple[tuple[int, int], ...]
EVERYTHING: Intervals = ((0, MAX_CODE),)


def _union(*sets: Intervals) -> Intervals:
    pieces = sorted(piece for intervals in sets for piece in intervals)
    merged: list[tuple[int, int]] = []
    for low, high in pieces:
        if merged and low <= merged[-1][1] + 1:
            merged[-1] = (merged[-1][0], max(high, merged[-1][1]))
        else:
            merged.append((low, high))
    return tuple(merged)


def _complement(intervals: Intervals) -> Intervals:
    result: list[tuple[int, int]] = []
    position = 0
    for low, high in _union(intervals):
        if low > position:
            result.append((position, low - 1))
        position = high + 1
    if position <= MAX_CODE:
        result.append((position, MAX_CODE))
    return tuple(result)


def _overlap(first: Intervals, second: Intervals) -> bool:
    return any(a <= d and c <= b for a, b in first for c, d in second)


@cache
def _category(category: Any) -> Intervals:
    """The exact code points of a category (``\\d``, ``\\s``, ``\\w`` and negations) by asking
    ``re`` itself about every code point once."""
    pattern = {
        C.CATEGORY_DIGIT: r"\d",
        C.CATEGORY_NOT_DIGIT: r"\D",
        C.CATEGORY_SPACE: r"\s",
        C.CATEGORY_NOT_SPACE: r"\S",
        C.CATEGORY_WORD: r"\w",
        C.CATEGORY_NOT_WORD: r"\W",
        C.CATEGORY_UNI_DIGIT: r"\d",
        C.CATEGORY_UNI_NOT_DIGIT: r"\D",
        C.CATEGORY_UNI_SPACE: r"\s",
        C.CATEGORY_UNI_NOT_SPACE: r"\S",
        C.CATEGORY_UNI_WORD: r"\w",
        C.CATEGORY_UNI_NOT_WORD: r"\W",
    }.get(category)
    if pattern is None:  # line breaks and the like: assume anything
        return EVERYTHING
    every = "".join(map(chr, range(MAX_CODE + 1)))
    codes = [ord(char) for char in re.findall(pattern, every)]
    return _union(tuple((code, code) for code in codes))


def _with_case(intervals: Intervals) -> Intervals:
    """``intervals`` plus the other case of every letter in them (IGNORECASE), conservatively."""
    extra: list[tuple[int, int]] = []
    for low, high in intervals:
        if high - low > 5_000:  # a wide range: add every cased letter it could fold to
            return _union(intervals, ((0x41, 0x5A), (0x61, 0x7A), (0xC0, 0x24F), (0x212A, 0x212B)))
        for code in range(low, high + 1):
            for variant in {chr(code).lower(), chr(code).upper(), chr(code).casefold()}:
                if len(variant) == 1:
                    extra.append((ord(variant), ord(variant)))
    for code in (0x17F, 0x130, 0x131, 0x212A):  # ſ, İ, ı, Kelvin: fold to s, i, k
        extra.append((code, code))
    return _union(intervals, tuple(extra))


def _charset(op: Any, av: Any, ignore_case: bool) -> Intervals:
    """The characters one single-character node can consume."""
    if op is C.LITERAL:
        result: Intervals = ((av, av),)
    elif op is C.NOT_LITERAL:
        result = _complement(((av, av),))
    elif op is C.ANY:
        result = EVERYTHING
    elif op is C.IN:
        negate = False
        parts: list[Intervals] = []
        for item_op, item_av in av:
            if item_op is C.NEGATE:
                negate = True
            elif item_op is C.LITERAL:
                parts.append(((item_av, item_av),))
            elif item_op is C.RANGE:
                parts.append((tuple(item_av),))
            elif item_op is C.CATEGORY:
                parts.append(_category(item_av))
            else:  # an op this checker does not know: assume anything
                parts.append(EVERYTHING)
        result = _union(*parts)
        if ignore_case:
            result = _with_case(result)
        return _complement(result) if negate else result
    else:
        result = EVERYTHING
    return _with_case(result) if ignore_case and op is not C.NOT_LITERAL else result


# --- the three shapes -------------------------------------------------------------------------

SINGLE_CHARACTER = (C.LITERAL, C.NOT_LITERAL, C.ANY, C.IN)
ZERO_WIDTH = (C.AT, C.ASSERT, C.ASSERT_NOT)
REPEATS = (C.MAX_REPEAT, C.MIN_REPEAT, C.POSSESSIVE_REPEAT)


@dataclass
class Shape:
    """What the adjacency check needs to know about a piece of a pattern."""

    nullable: bool
    heads: list[Intervals] = field(default_factory=list)  # unbounded repeats it may start with
    tails: list[Intervals] = field(default_factory=list)  # unbounded repeats it may end with
    unbounded: bool = False  # holds an unbounded repeat somewhere


class Checker:
    """Walks one parsed pattern and collects the shapes that make it super-linear."""

    def __init__(self, flags: int) -> None:
        self.flags = flags
        self.problems: list[str] = []

    # characters a whole sub-pattern can consume (for the body of a repeat)
    def consumed(self, items: Any, ignore_case: bool) -> Intervals:
        parts: list[Intervals] = []
        for op, av in items:
            if op in SINGLE_CHARACTER:
                parts.append(_charset(op, av, ignore_case))
            elif op is C.SUBPATTERN:
                parts.append(self.consumed(av[3], self._case(av, ignore_case)))
            elif op is C.ATOMIC_GROUP:
                parts.append(self.consumed(av, ignore_case))
            elif op in REPEATS:
                parts.append(self.consumed(av[2], ignore_case))
            elif op is C.BRANCH:
                parts.extend(self.consumed(branch, ignore_case) for branch in av[1])
            elif op is C.GROUPREF_EXISTS:
                parts.extend(self.consumed(branch, ignore_case) for branch in av[1:] if branch)
            elif op is C.GROUPREF:
                parts.append(EVERYTHING)
        return _union(*parts)

    def _case(self, subpattern_av: Any, ignore_case: bool) -> bool:
        _, add_flags, del_flags, _ = subpattern_av
        if add_flags & re.IGNORECASE:
            return True
        if del_flags & re.IGNORECASE:
            return False
        return ignore_case

    def sequence(self, items: Any, ignore_case: bool) -> Shape:
        open_tails: list[Intervals] = []
        shape = Shape(nullable=True)
        leading = True
        for op, av in items:
            piece = self.node(op, av, ignore_case)
            for head in piece.heads:
                if any(_overlap(head, tail) for tail in open_tails):
                    self.problems.append(
                        "adjacent: two unbounded repeats over overlapping characters with only "
                        "optional items between them"
                    )
                    break
            if leading:
                shape.heads.extend(piece.heads)
            if piece.nullable:
                open_tails = open_tails + piece.tails
                shape.tails.extend(piece.tails)
            else:
                leading = False
                open_tails = list(piece.tails)
                shape.tails = list(piece.tails)
                shape.nullable = False
            shape.unbounded = shape.unbounded or piece.unbounded
        return shape

    def node(self, op: Any, av: Any, ignore_case: bool) -> Shape:
        if op in SINGLE_CHARACTER:
            return Shape(nullable=False)
        if op in ZERO_WIDTH:
            if op is not C.AT:
                self.sequence(av[1], ignore_case)  # a lookaround's own pattern is checked too
            return Shape(nullable=True)
        if op is C.SUBPATTERN:
            return self.sequence(av[3], self._case(av, ignore_case))
        if op is C.ATOMIC_GROUP:
            return self.sequence(av, ignore_case)
        if op is C.BRANCH:
            shapes = [self.sequence(branch, ignore_case) for branch in av[1]]
            return Shape(
                nullable=any(shape.nullable for shape in shapes),
                heads=[head for shape in shapes for head in shape.heads],
                tails=[tail for shape in shapes for tail in shape.tails],
                unbounded=any(shape.unbounded for shape in shapes),
            )
        if op is C.GROUPREF_EXISTS:
            shapes = [self.sequence(branch, ignore_case) for branch in av[1:] if branch]
            return Shape(
                nullable=True,
                heads=[head for shape in shapes for head in shape.heads],
                tails=[tail for shape in shapes for tail in shape.tails],
                unbounded=any(shape.unbounded for shape in shapes),
            )
        if op in REPEATS:
            low, high, body_items = av
            body = self.sequence(body_items, ignore_case)
            nullable = low == 0 or body.nullable
            if high == MAXREPEAT:
                if body.unbounded:
                    self.problems.append("nested: an unbounded repeat inside another")
                if op is C.POSSESSIVE_REPEAT:  # never gives back: no split to try
                    return Shape(nullable=nullable, unbounded=True)
                characters = self.consumed(body_items, ignore_case)
                return Shape(nullable, [characters], [characters], unbounded=True)
            if high >= 2 and any(
                _overlap(head, tail) for head in body.heads for tail in body.tails
            ):
                self.problems.append(
                    "adjacent: a repeated group ends and starts with unbounded repeats over "
                    "overlapping characters"
                )
            return Shape(nullable, list(body.heads), list(body.tails), body.unbounded)
        return Shape(nullable=True)  # a back reference: matched as given, never split

    # --- the leading shape ----------------------------------------------------------------

    def leading(self, items: Any, ignore_case: bool, more_after: bool) -> None:
        """Report a start that ``search`` would retry at every character of a run."""
        items = list(items)
        for index, (op, av) in enumerate(items):
            rest = items[index + 1 :]
            can_fail_after = more_after or any(
                not self.sequence(((rest_op, rest_av),), ignore_case).nullable
                or rest_op in ZERO_WIDTH
                for rest_op, rest_av in rest
            )
            if op is C.AT:
                if av in (C.AT_BEGINNING, C.AT_BEGINNING_STRING):
                    return  # anchored: one start per line at most
                continue
            if op is C.ASSERT_NOT or op is C.ASSERT:
                direction = av[0]
                if direction < 0:
                    return  # a lookbehind decides where a run may start
                continue
            if op in SINGLE_CHARACTER:
                following = items[index + 1] if index + 1 < len(items) else None
                if following is not None and following[0] in (C.MAX_REPEAT, C.MIN_REPEAT):
                    low, high, body = following[1]
                    after = index + 2 < len(items) or more_after
                    if (
                        high == MAXREPEAT
                        and after
                        and _overlap(
                            _charset(op, av, ignore_case), self.consumed(body, ignore_case)
                        )
                    ):
                        self.problems.append(
                            "leading: a character then an unbounded repeat of it, and more to "
                            "match after (search rescans every run)"
                        )
                return
            if op in REPEATS:
                low, high, body = av
                if high == MAXREPEAT and can_fail_after and op is not C.POSSESSIVE_REPEAT:
                    self.problems.append(
                        "leading: an unbounded repeat opens the pattern and more must match "
                        "after it (search rescans every run)"
                    )
                    return
                self.leading(body, ignore_case, more_after=True)
                if low > 0:
                    return
                continue
            if op is C.SUBPATTERN:
                self.leading(
                    av[3], self._case(av, ignore_case), more_after=bool(rest) or more_after
                )
                if not self.sequence(av[3], ignore_case).nullable:
                    return
                continue
            if op is C.ATOMIC_GROUP:
                self.leading(av, ignore_case, more_after=bool(rest) or more_after)
                return
            if op is C.BRANCH:
                for branch in av[1]:
                    self.leading(branch, ignore_case, more_after=bool(rest) or more_after)
                if not any(self.sequence(branch, ignore_case).nullable for branch in av[1]):
                    return
                continue
            return


def problems_of(pattern: re.Pattern[Any]) -> list[str]:
    """The super-linear shapes of one compiled pattern (empty when it is linear)."""
    parsed = sre_parse.parse(pattern.pattern, pattern.flags)
    checker = Checker(pattern.flags)
    ignore_case = bool(pattern.flags & re.IGNORECASE)
    checker.sequence(parsed, ignore_case)
    checker.leading(parsed, ignore_case, more_after=False)
    return sorted(set(checker.problems))


# --- the checker itself, on patterns with a known answer ----------------------------------------


@pytest.mark.parametrize(
    ("source", "shape"),
    [
        (r"(?:\s*x)+", "nested"),
        (r"(a+)+b", "nested"),
        (r"身份证\s*(?:号码?)?\s*[:是]?\s*\d{18}", "adjacent"),
        (r"x\d+\d*y", "adjacent"),
        (r"x(?:\s*a\s*){2,3}", "adjacent"),  # one round ends with \s*, the next starts with it
        (r"[A-Za-z0-9][A-Za-z0-9._%+-]*@", "leading"),
        (r"\d+岁", "leading"),
        (r"(?:若干|\d+)(?:名|人)$", "leading"),
        (r".+?(?:在|于)", "leading"),
        (r"(?i)QQ\s*(?:号)?\s*\d{5,11}", "adjacent"),
    ],
)
def test_checker_finds_each_shape(source: str, shape: str) -> None:
    found = problems_of(re.compile(source))
    assert any(problem.startswith(shape) for problem in found), found


@pytest.mark.parametrize(
    "source",
    [
        r"身份证\s{0,3}(?:号码?\s{0,3})?(?:[:是]\s{0,3})?\d{18}",
        r"(?<!\d)\d+岁",
        r"^\d+[-_.]*(?=[\u4e00-\u9fff])",
        r"\s+",
        r"[\u3400-\u9fff]+|[^\u3400-\u9fff/]+",
        r"\([^()]*\)",
        r"[A-Za-z0-9][A-Za-z0-9._%+-]{0,63}@",
        r"x\s*y\s*z",
        r"\d{2,5}x",
        r"(?:,\d{3})+",
    ],
)
def test_checker_passes_linear_patterns(source: str) -> None:
    assert problems_of(re.compile(source)) == []


# --- every pattern of features ----------------------------------------------------------------

MODULES = tuple(
    f"features.{info.name}" for info in pkgutil.iter_modules(features.__path__) if not info.ispkg
)
"""Every module of features, new ones included."""

KNOWN_ELSEWHERE: dict[str, str] = {}
"""Shapes found in modules this change does not own: shown as xfail until their owner fixes
them (then the entry goes)."""


def _patterns_in(value: Any, depth: int = 0) -> Iterator[re.Pattern[Any]]:
    if isinstance(value, re.Pattern):
        yield value
    elif depth < 3 and isinstance(value, (tuple, list, set, frozenset)):
        for item in value:
            yield from _patterns_in(item, depth + 1)
    elif depth < 3 and isinstance(value, Mapping):
        for item in value.values():
            yield from _patterns_in(item, depth + 1)
    elif depth < 3 and hasattr(value, "__dataclass_fields__") and not isinstance(value, type):
        for name in value.__dataclass_fields__:
            yield from _patterns_in(getattr(value, name, None), depth + 1)


def module_patterns(module: ModuleType) -> dict[str, re.Pattern[Any]]:
    """Every compiled pattern a module holds at module level, in containers and records too,
    by a readable name."""
    found: dict[str, re.Pattern[Any]] = {}
    seen: set[int] = set()
    for name, value in vars(module).items():
        if isinstance(value, ModuleType) or name.startswith("__"):
            continue
        for number, pattern in enumerate(_patterns_in(value)):
            if id(pattern) not in seen:
                seen.add(id(pattern))
                found[name if isinstance(value, re.Pattern) else f"{name}[{number}]"] = pattern
    return found


def _dynamic_patterns() -> dict[str, re.Pattern[Any]]:
    """Patterns built from the caller's words at run time, built here from sample words."""
    parsers = importlib.import_module("features.parsers")
    titles = importlib.import_module("features.titles")
    built = {
        "parsers._alias_pattern": parsers._alias_pattern((("电工证", "C1"), ("叉车证", "C2"))),
        "titles._place_pattern": titles._place_pattern(("遂宁市", "船山区")),
    }
    return {name: pattern for name, pattern in built.items() if pattern is not None}


def _cases() -> list[Any]:
    cases = []
    for module_name in MODULES:
        module = importlib.import_module(module_name)
        for name, pattern in module_patterns(module).items():
            case_id = f"{module_name}.{name}"
            reason = KNOWN_ELSEWHERE.get(case_id)
            marks = [pytest.mark.xfail(reason=reason, strict=False)] if reason else []
            cases.append(pytest.param(pattern, id=case_id, marks=marks))
    for name, pattern in _dynamic_patterns().items():
        cases.append(pytest.param(pattern, id=name))
    return cases


def test_the_walk_finds_the_patterns() -> None:
    redact = importlib.import_module("features.redact")
    names = set(module_patterns(redact))
    assert {"_EMAIL", "_ID_NUMBER_LABELLED", "_ADDRESS_DETAIL", "_WECHAT"} <= names
    assert len(_cases()) >= 60


@pytest.mark.parametrize("pattern", _cases())
def test_pattern_is_linear(pattern: re.Pattern[Any]) -> None:
    assert problems_of(pattern) == [], pattern.pattern
