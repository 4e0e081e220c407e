"""Job titles: clean the decorations off a posted title and match it to a fixed set of labels.

Generic and pure: the caller supplies the known names (occupation names, aliases) and their labels
(occupation codes); this module knows nothing of any code table. Per title, after
:func:`clean_title`:

1. **exact** — the cleaned title is a known name; confidence = the name's weight.
2. **contains** — the longest known name inside the title; on ties the one of the first job the
   title lists (``电商仓管员 发货员 打包员`` is a warehouse keeper's post), then the rightmost in
   it (the head of a Chinese noun phrase comes last); confidence = weight × (0.5 + 0.5 × the
   share of the title the name covers), so ``叉车工人`` → ``叉车工`` scores 0.88.
3. **similar** — TF-IDF cosine over character n-grams (:class:`TitleAnalyzer`) between the title
   and every known name; a label scores the maximum over its names, times the name's weight. It
   replaces the contains answer when it scores higher, or when the contains step found only a
   *generic* name (``操作工``, ``司机``: names that end many names of other labels) and the
   similar name refines it (``冲床操作工`` → ``冲床工``, see :meth:`TitleMatcher._refines`).

Below ``min_confidence`` the label is ``None`` (method ``"none"``).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Literal

import numpy as np
import scipy.sparse as sp
from numpy.typing import NDArray
from sklearn.exceptions import NotFittedError
from sklearn.feature_extraction.text import TfidfVectorizer

MatchMethod = Literal["exact", "contains", "similar", "none"]

SEPARATOR = "/"
"""Parts of a cleaned title (``普工/操作工``) are joined by this character."""

DECORATIONS: tuple[str, ...] = (
    "高薪诚聘",
    "高薪急聘",
    "高薪招聘",
    "长期招聘",
    "大量招聘",
    "火热招聘",
    "诚聘",
    "诚招",
    "急招",
    "急聘",
    "急需",
    "直招",
    "热招",
    "高薪",
    "名企",
    "长期招",
    "大量招",
    "招聘",
    "聘请",
    "包吃包住",
    "包吃住",
    "包食宿",
    "包住宿",
    "管吃住",
    "包住",
    "包吃",
    "六险一金",
    "五险一金",
    "五险",
    "周末双休",
    "双休",
    "单休",
    "年底双薪",
    "日结",
    "周结",
    "月结",
    "可兼职",
    "可培训",
    "带薪培训",
    "无经验可",
    "无需经验",
    "经验不限",
    "零基础",
    "男女不限",
    "不限男女",
    "月入过万",
    "月薪过万",
    "高提成",
    "底薪加提成",
    "底薪",
    "提成",
    "有证",
    "持证",
    "两班倒",
    "三班倒",
    "行政班",
    "长白班",
    "常白班",
    "白班",
    "夜班",
)
"""Words that advertise the post rather than name the work (removed anywhere in a title)."""

_OPEN = "([{【〔〖「『《〈<"
_CLOSE = ")]}】〕〗」』》〉>"
_BRACKETED = re.compile(
    "|".join(
        re.escape(opening) + "[^" + re.escape(_OPEN + _CLOSE) + "]*" + re.escape(closing)
        for opening, closing in zip(_OPEN, _CLOSE, strict=True)
    )
)
_STRAY_BRACKET = re.compile("[" + re.escape(_OPEN + _CLOSE) + "]")
_DECORATION = re.compile(
    "|".join(
        re.escape(word) + ("(?!专员|主管|经理|助理|顾问|官|师)" if word == "招聘" else "")
        for word in DECORATIONS
    )
)
_NUMBER = r"\d+(?:\.\d+)?"
_UNIT = r"(?:k|w|千|万|元)"
_PERIOD = r"(?:/(?:月|天|日|时|小时|年))"
_RANGE = r"[-~至到]"
# A pattern that opens with a run of digits starts only where the run starts (``(?<!\d)``):
# without the lookbehind, a search retries at every digit of a long run and rescans the rest of it
# (quadratic); with it the matches are the same, since a match from inside a run is also one from
# its start.
_SALARY = re.compile(
    rf"(?:月薪|底薪|综合工资|工资|薪资|薪水|年薪|时薪|日薪|月入)[:：]?"
    rf"{_NUMBER}{_UNIT}?(?:{_RANGE}{_NUMBER}{_UNIT}?)?{_PERIOD}?(?:以上|起|左右|\+)?"
    rf"|(?<!\d)(?:{_NUMBER}{_UNIT}?{_RANGE}{_NUMBER}{_UNIT}|{_NUMBER}{_UNIT})"
    rf"{_PERIOD}?(?:以上|起|左右|\+)?"
)
_AGE = re.compile(rf"(?<!\d)\d+{_RANGE}\d+岁|(?<!\d)\d+岁以[上下]")
_CHINESE_DIGITS = "一二两三四五六七八九十百"
_CHINESE_NUMBER = f"[{_CHINESE_DIGITS}]+"
_TRAILING = re.compile(
    rf"[招聘](?:若干|数|\d+|{_CHINESE_NUMBER})(?:名|人|位)"
    rf"|(?:若干|数|(?<!\d)\d+|(?<![{_CHINESE_DIGITS}]){_CHINESE_NUMBER})(?:名|人|位)$"
    r"|若干$|等$|岗位$|(?<=[\u4e00-\u9fff]{2})师傅$"
)
_LEADING_CODE = re.compile(r"^\d+[-_.]*(?=[\u4e00-\u9fff])")
_LEADING_HIRE = re.compile(r"^招(?=[\u4e00-\u9fff]{2})(?!生|商|标|投|募|待|聘)")
_GENERIC_PLACE = re.compile(
    r"^[\u4e00-\u9fff]{2,3}(?:省|市|区|县|镇|乡|街道)(?!场|政|容|民|级|委|属|直)"
)
_SEPARATORS = re.compile(r"[\s/|\\,，、;；:：&＆·•\-—–_~!！?？。]+|(?<=[\u4e00-\u9fff])\++")
_OTHER = re.compile(r"[^\w+#/]")
_HAN = re.compile(r"[\u3400-\u9fff]")
_MAX_PASSES = 4


@lru_cache(maxsize=16)
def _place_pattern(places: tuple[str, ...]) -> re.Pattern[str] | None:
    """One alternation of the place names, longest first (a regex takes the first that fits)."""
    normal = {unicodedata.normalize("NFKC", place).lower() for place in places}
    ordered = sorted((place for place in normal if place), key=lambda place: (-len(place), place))
    return re.compile("|".join(map(re.escape, ordered))) if ordered else None


def _strip_places(part: str, places: re.Pattern[str] | None) -> str:
    """``part`` without leading place names, when something of at least two characters is left."""
    while True:
        found = places.match(part) if places is not None else None
        if not (found and len(part) - found.end() >= 2):
            found = _GENERIC_PLACE.match(part)
        if not (found and len(part) - found.end() >= 2):
            return part
        part = part[found.end() :]


def _strip_decorations(text: str, places: re.Pattern[str] | None) -> list[str]:
    text = _SALARY.sub(SEPARATOR, text)
    text = _AGE.sub(SEPARATOR, text)
    text = _DECORATION.sub(SEPARATOR, text)
    text = _STRAY_BRACKET.sub(SEPARATOR, text)
    text = _SEPARATORS.sub(SEPARATOR, text)
    text = _OTHER.sub("", text)
    parts: list[str] = []
    for raw in text.split(SEPARATOR):
        part = _LEADING_CODE.sub("", raw)
        previous = None
        while part != previous:
            previous = part
            part = _TRAILING.sub("", part)
            part = _LEADING_HIRE.sub("", part)
        part = _strip_places(part, places)
        if part and not part.isdigit() and part not in parts:
            parts.append(part)
    return parts


def clean_title(text: str, *, places: Iterable[str] = ()) -> str:
    """The core of a posted job title, without the advertising around it.

    NFKC-normalised and lower-cased; removed are bracketed notes (``（可培训）``, ``【急招】``),
    advertising words (:data:`DECORATIONS`: 急招, 包吃住, 五险一金 …), salaries, age ranges,
    headcounts (``若干名``, ``招2人``), a trailing ``师傅`` (``炒菜师傅`` → ``炒菜``), leading
    posting numbers, leading place names (``places`` and any ``XX市/区/县/镇`` prefix) and
    symbols. Alternatives separated by ``/ 、 , - +`` or
    spaces stay as parts joined by ``/``. When removing the bracketed notes leaves nothing, their
    content is kept (``【普工】`` → ``普工``).

    Parameters
    ----------
    text : str
        A title as posted, e.g. ``"急招普工（包吃住）"``.
    places : iterable of str
        Place names to strip from the start of each part (``遂宁``, ``船山区`` …).

    Returns
    -------
    str
        The cleaned title, e.g. ``"普工"``; ``""`` when nothing is left.

    Raises
    ------
    TypeError
        If ``text`` is not a ``str``.
    """
    if not isinstance(text, str):
        raise TypeError(f"text must be a str, got {type(text).__name__}")
    place_pattern = _place_pattern(tuple(places))
    normal = unicodedata.normalize("NFKC", text).lower()
    unbracketed = normal
    while True:
        reduced = _BRACKETED.sub(SEPARATOR, unbracketed)
        if reduced == unbracketed:
            break
        unbracketed = reduced
    parts = _strip_decorations(unbracketed, place_pattern)
    if not parts and unbracketed != normal:
        parts = _strip_decorations(normal, place_pattern)
    cleaned = SEPARATOR.join(parts)
    # removing symbols can join what a pattern needs (½k → 12k): repeat to a fixed point, so
    # that cleaning a cleaned title changes nothing
    for _ in range(_MAX_PASSES):
        again = SEPARATOR.join(_strip_decorations(cleaned, place_pattern))
        if again == cleaned:
            break
        cleaned = again
    return cleaned


@dataclass(frozen=True, slots=True)
class TitleMatch:
    """The label a title was matched to, how sure the match is and how it was found.

    ``label`` is ``None`` when ``method`` is ``"none"``; ``confidence`` is then the best score
    found, below the matcher's ``min_confidence`` (0 when there was no candidate at all).
    ``matched`` is the known name (as cleaned) through which the label was found.
    """

    label: str | None
    confidence: float
    method: MatchMethod
    matched: str | None = None


_RUN = re.compile(r"[\u3400-\u9fff]+|[^\u3400-\u9fff/]+")


_LATIN = re.compile(r"[a-z0-9]")


def _splits_latin_word(text: str, start: int, stop: int) -> bool:
    """Whether ``text[start:stop]`` begins or ends inside a run of Latin letters and digits
    (``hr`` in ``three``): such names count only as whole words."""
    return bool(
        (start > 0 and _LATIN.match(text[start]) and _LATIN.match(text[start - 1]))
        or (stop < len(text) and _LATIN.match(text[stop - 1]) and _LATIN.match(text[stop]))
    )


def _units(cleaned: str) -> list[str]:
    """The Han characters and the Latin words (letters and digits) of a cleaned title."""
    units: list[str] = []
    for run in _RUN.findall(cleaned):
        units.extend(run if _HAN.match(run) else (run,))
    return units


@dataclass(frozen=True, slots=True)
class TitleAnalyzer:
    """Features of a cleaned title for TF-IDF: character n-grams of each Han run, padded with a
    space at both ends so that the first and last characters (the head) count on their own, and
    each run of Latin letters and digits whole (``java``, ``cad``, ``b2``), so that ``lazada``
    shares nothing with ``cad``.

    A module-level, frozen class: picklable, unlike a lambda.
    """

    ngram_range: tuple[int, int] = (1, 2)

    def __call__(self, cleaned: str) -> list[str]:
        low, high = self.ngram_range
        features: list[str] = []
        for run in _RUN.findall(cleaned):
            if not _HAN.match(run):
                features.append(run)
                continue
            padded = f" {run} "
            for size in range(low, high + 1):
                features.extend(
                    gram
                    for gram in (padded[i : i + size] for i in range(len(padded) - size + 1))
                    if gram.strip()
                )
        return features


class TitleMatcher:
    """Match free-text job titles to labels by dictionary, contained name, then text similarity.

    Parameters
    ----------
    min_confidence : float, default 0.5
        Matches scoring below this (in [0, 1]) get ``label=None`` and method ``"none"``.
    ngram_range : tuple of int, default (1, 2)
        Character n-gram sizes for the similarity step (within the parts of a title).
    min_name_length : int, default 2
        Known names shorter than this (after cleaning) take part in the similarity step only.
    lookup_min_weight : float, default 1.0
        Names whose weight is below this take part in the similarity step only, never in the
        exact or contains steps (for names from a less reliable source).
    generic_min_labels : int, default 3
        A known name is *generic* (``操作工``, ``司机``) when other known names ending in it
        carry at least this many other labels (``叉车司机``, ``货车司机``, ``挖机司机`` …).
    generic_override : float, default 0.5
        When the contains step found only a generic name, a similar match to another label
        scoring at least this replaces it (``冲床操作工`` → ``冲床工`` rather than ``操作工``).
    places : tuple of str, default ()
        Place names :func:`clean_title` strips from the start of titles and names.

    Attributes
    ----------
    lookup_ : dict of str to int
        Cleaned known name → index of the name that wins the exact and contains steps.
    conflicts_ : tuple of str
        Cleaned names given with more than one label; the first name of the highest weight wins.
    generic_names_ : frozenset of str
        The generic dictionary names (see ``generic_min_labels``).
    vectorizer_ : TfidfVectorizer
        TF-IDF over :class:`TitleAnalyzer` features, fitted on the cleaned known names.
    name_matrix_ : sparse matrix of shape (n_names, n_ngrams)
        L2-normalised TF-IDF rows of the known names.
    scoring_matrix_ : sparse matrix of shape (n_ngrams, n_names)
        ``name_matrix_`` transposed, each column times its name's weight: titles' TF-IDF rows
        times this are the weighted cosines.
    names_ : ndarray of shape (n_names,)
        The cleaned known names.
    labels_ : ndarray of shape (n_names,)
        Their labels.
    weights_ : ndarray of shape (n_names,)
        Their weights.
    known_units_ : frozenset of str
        The Han characters and Latin words of the known names; a similar match's confidence is
        scaled by the share of the title's units in this set.
    """

    def __init__(
        self,
        *,
        min_confidence: float = 0.5,
        ngram_range: tuple[int, int] = (1, 2),
        min_name_length: int = 2,
        lookup_min_weight: float = 1.0,
        generic_min_labels: int = 3,
        generic_override: float = 0.5,
        places: tuple[str, ...] = (),
    ) -> None:
        self.min_confidence = min_confidence
        self.ngram_range = ngram_range
        self.min_name_length = min_name_length
        self.lookup_min_weight = lookup_min_weight
        self.generic_min_labels = generic_min_labels
        self.generic_override = generic_override
        self.places = places

    # --- fitting -------------------------------------------------------------------------------

    def _validate_params(self) -> None:
        if not 0.0 <= self.min_confidence <= 1.0:
            raise ValueError(f"min_confidence must be in [0, 1], got {self.min_confidence!r}")
        low, high = self.ngram_range
        if not (isinstance(low, int) and isinstance(high, int) and 1 <= low <= high):
            raise ValueError(
                f"ngram_range must be (low, high) with 1 ≤ low ≤ high, got {low, high}"
            )
        if self.min_name_length < 1:
            raise ValueError(f"min_name_length must be at least 1, got {self.min_name_length!r}")
        if not 0.0 <= self.lookup_min_weight <= 1.0:
            raise ValueError(f"lookup_min_weight must be in [0, 1], got {self.lookup_min_weight!r}")
        if self.generic_min_labels < 1:
            raise ValueError(
                f"generic_min_labels must be at least 1, got {self.generic_min_labels!r}"
            )
        if not 0.0 <= self.generic_override <= 1.0:
            raise ValueError(f"generic_override must be in [0, 1], got {self.generic_override!r}")

    def fit(
        self,
        names: Sequence[str],
        labels: Sequence[str],
        weights: Sequence[float] | None = None,
    ) -> TitleMatcher:
        """Learn the known names and their labels.

        Parameters
        ----------
        names : sequence of str, length n_names
            Known names (occupation names, aliases), in priority order: where two names clean to
            the same text, the first of the highest weight wins the exact and contains steps.
        labels : sequence of str, length n_names
            The label of each name; a label may have many names.
        weights : sequence of float, length n_names, optional
            Reliability of each name in (0, 1], default 1; every confidence reached through a
            name is multiplied by its weight.

        Returns
        -------
        TitleMatcher
            ``self``, fitted.

        Raises
        ------
        TypeError
            If ``names`` or ``labels`` is a single ``str`` or holds something else than ``str``.
        ValueError
            If the lengths differ, there are no names, a label is empty, a weight is outside
            (0, 1], no name is left after cleaning, or a parameter is out of range.
        """
        self._validate_params()
        for argument, values in (("names", names), ("labels", labels)):
            if isinstance(values, str):
                raise TypeError(f"{argument} must be a sequence of str, not a single str")
            wrong = [value for value in values if not isinstance(value, str)]
            if wrong:
                raise TypeError(
                    f"{argument} must hold only str, got {type(wrong[0]).__name__}: {wrong[0]!r}"
                )
        if len(names) != len(labels):
            raise ValueError(
                f"names and labels must have the same length, got {len(names)} and {len(labels)}"
            )
        if not names:
            raise ValueError("names is empty; nothing to match against")
        if any(not label for label in labels):
            raise ValueError("labels must be non-empty strings")
        weight_array = (
            np.ones(len(names), dtype=np.float64)
            if weights is None
            else np.asarray(weights, dtype=np.float64)
        )
        if weight_array.shape != (len(names),):
            raise ValueError(
                f"weights must have one value per name ({len(names)}), got shape "
                f"{weight_array.shape}"
            )
        if not np.all((weight_array > 0.0) & (weight_array <= 1.0)):
            bad = weight_array[~((weight_array > 0.0) & (weight_array <= 1.0))][0]
            raise ValueError(f"weights must be in (0, 1], got {bad!r}")

        cleaned = [clean_title(name, places=self.places) for name in names]
        keep = [index for index, text in enumerate(cleaned) if text]
        if not keep:
            raise ValueError("no name is left after cleaning; names hold only decorations")
        self.names_ = np.array([cleaned[index] for index in keep], dtype=object)
        self.labels_ = np.array([labels[index] for index in keep], dtype=object)
        self.weights_ = weight_array[keep]

        lookup: dict[str, int] = {}
        conflicts: set[str] = set()
        for index, (text, label, weight) in enumerate(
            zip(self.names_, self.labels_, self.weights_, strict=True)
        ):
            if weight < self.lookup_min_weight or len(text) < self.min_name_length:
                continue
            if text in lookup:
                if self.labels_[lookup[text]] != label:
                    conflicts.add(text)
                if weight > self.weights_[lookup[text]]:
                    lookup[text] = index
                continue
            lookup[text] = index
        self.lookup_ = lookup
        self.conflicts_ = tuple(sorted(conflicts))
        self.max_name_length_ = max((len(text) for text in lookup), default=0)
        self.generic_names_ = self._generic_names()

        self.known_units_ = frozenset(unit for text in self.names_ for unit in _units(text))
        self.vectorizer_ = TfidfVectorizer(
            analyzer=TitleAnalyzer(self.ngram_range), sublinear_tf=True, dtype=np.float64
        )
        self.name_matrix_ = sp.csr_matrix(self.vectorizer_.fit_transform(list(self.names_)))
        self.scoring_matrix_ = sp.csr_matrix(self.name_matrix_.T @ sp.diags(self.weights_))
        return self

    def _generic_names(self) -> frozenset[str]:
        """Dictionary names that end other names of at least ``generic_min_labels`` other
        labels."""
        other_labels: dict[str, set[str]] = {}
        for text, label in zip(self.names_, self.labels_, strict=True):
            for part in text.split(SEPARATOR):
                for start in range(1, len(part) - self.min_name_length + 1):
                    index = self.lookup_.get(part[start:])
                    if index is not None and self.labels_[index] != label:
                        other_labels.setdefault(part[start:], set()).add(label)
        return frozenset(
            name for name, labels in other_labels.items() if len(labels) >= self.generic_min_labels
        )

    # --- matching ------------------------------------------------------------------------------

    def _check_fitted(self) -> None:
        if not hasattr(self, "name_matrix_"):
            raise NotFittedError(
                "This TitleMatcher is not fitted yet; call fit(names, labels) first"
            )

    def _exact(self, cleaned: str) -> TitleMatch | None:
        index = self.lookup_.get(cleaned)
        if index is None:
            return None
        return TitleMatch(str(self.labels_[index]), float(self.weights_[index]), "exact", cleaned)

    def _contains(self, cleaned: str) -> TitleMatch | None:
        """The longest known name inside ``cleaned``; on ties, the one of the first part (a
        title naming several jobs, 电商仓管员/发货员/打包员, names its main one first), then the
        rightmost in its part (the head of a compound), then the heaviest."""
        best: tuple[int, int, int, float, int] | None = None
        total = len(cleaned.replace(SEPARATOR, ""))
        for number, part in enumerate(cleaned.split(SEPARATOR)):
            longest = min(self.max_name_length_, len(part))
            for length in range(longest, self.min_name_length - 1, -1):
                if best is not None and length < best[0]:
                    break
                for start in range(len(part) - length + 1):
                    index = self.lookup_.get(part[start : start + length])
                    if index is None or _splits_latin_word(part, start, start + length):
                        continue
                    key = (length, -number, start + length, float(self.weights_[index]), index)
                    if best is None or key[:4] > best[:4]:
                        best = key
        if best is None:
            return None
        length, _, _, weight, index = best
        confidence = weight * (0.5 + 0.5 * length / total)
        return TitleMatch(str(self.labels_[index]), confidence, "contains", self.names_[index])

    def _similar(
        self, cleaned: Sequence[str], block_size: int = 1024
    ) -> tuple[NDArray[np.int64], NDArray[np.float64]]:
        """Best name index and weighted cosine for each cleaned title, one matrix product per
        block of titles."""
        best_index = np.zeros(len(cleaned), dtype=np.int64)
        best_score = np.zeros(len(cleaned), dtype=np.float64)
        for start in range(0, len(cleaned), block_size):
            block = cleaned[start : start + block_size]
            queries = self.vectorizer_.transform(block)
            scores = sp.csr_matrix(queries @ self.scoring_matrix_)
            stop = start + len(block)
            best_index[start:stop] = np.asarray(scores.argmax(axis=1)).ravel()
            best_score[start:stop] = scores.max(axis=1).toarray().ravel()
        known = np.array([self._known_share(text) for text in cleaned], dtype=np.float64)
        return best_index, np.clip(best_score * known, 0.0, 1.0)

    def _known_share(self, cleaned: str) -> float:
        """The share of the title's units (Han characters, Latin words) that occur in some known
        name: the cosine ignores what the vocabulary has never seen (``lazada`` in
        ``lazada运营``), so it is scaled down by this."""
        units = _units(cleaned)
        if not units:
            return 0.0
        return sum(unit in self.known_units_ for unit in units) / len(units)

    def _refines(self, cleaned: str, contained: TitleMatch, index: int) -> bool:
        """Whether the similar name ``names_[index]`` is a better answer than the generic name
        the contains step found in ``cleaned``.

        A name of another label does, unless it is the same generic head with a qualifier the
        title lacks (``酒店服务员`` for ``火锅店服务员``, ``船舶机械装配工`` for ``机械装配工``).
        """
        generic = contained.matched
        if generic is None or generic not in self.generic_names_:
            return False
        if self.labels_[index] == contained.label:
            return False
        name = str(self.names_[index])
        return not (name.endswith(generic) and name[: -len(generic)] not in cleaned)

    def match_many(self, titles: Sequence[str]) -> list[TitleMatch]:
        """Match many titles at once; the similarity step is one sparse product per block.

        Parameters
        ----------
        titles : sequence of str, length n_titles

        Returns
        -------
        list of TitleMatch, length n_titles
            In the order of ``titles``.

        Raises
        ------
        TypeError
            If ``titles`` is a single ``str`` or holds something else than ``str``.
        sklearn.exceptions.NotFittedError
            If the matcher has not been fitted.
        """
        self._check_fitted()
        if isinstance(titles, str):
            raise TypeError("titles must be a sequence of str, not a single str; use match()")
        cleaned: list[str] = []
        for title in titles:
            if not isinstance(title, str):
                raise TypeError(f"titles must hold only str, got {type(title).__name__}")
            cleaned.append(clean_title(title, places=self.places))

        results: list[TitleMatch | None] = [None] * len(cleaned)
        pending: list[int] = []
        for position, text in enumerate(cleaned):
            if text:
                results[position] = self._exact(text)
                if results[position] is None:
                    results[position] = self._contains(text)
                    pending.append(position)

        if pending:
            indices, scores = self._similar([cleaned[position] for position in pending])
            for position, index, score in zip(pending, indices, scores, strict=True):
                contained = results[position]
                overrides = (
                    contained is not None
                    and score >= self.generic_override
                    and self._refines(cleaned[position], contained, index)
                )
                if score > 0.0 and (contained is None or score > contained.confidence or overrides):
                    results[position] = TitleMatch(
                        str(self.labels_[index]), float(score), "similar", self.names_[index]
                    )

        final: list[TitleMatch] = []
        for found in results:
            if found is None:
                final.append(TitleMatch(None, 0.0, "none"))
            elif found.label is not None and found.confidence < self.min_confidence:
                final.append(TitleMatch(None, found.confidence, "none"))
            else:
                final.append(found)
        return self._by_brackets(titles, final)

    def _by_brackets(self, titles: Sequence[str], found: list[TitleMatch]) -> list[TitleMatch]:
        """A title that matched nothing outside its brackets is matched by what they hold:
        公益性岗位（社区保洁巡查） is 保洁员 (公益性岗位 alone names no occupation)."""
        normal = {
            position: unicodedata.normalize("NFKC", titles[position])
            for position, match in enumerate(found)
            if match.method == "none"
        }
        retry = [position for position, text in normal.items() if _BRACKETED.search(text)]
        if not retry:
            return found
        inner = [
            SEPARATOR.join(m.group()[1:-1] for m in _BRACKETED.finditer(normal[position]))
            for position in retry
        ]
        for position, match in zip(retry, self.match_many(inner), strict=True):
            if match.method in ("exact", "contains"):  # not a guess from a note (急 → 急诊)
                found[position] = match
        return found

    def match(self, title: str) -> TitleMatch:
        """Match one title; see :meth:`match_many`."""
        return self.match_many([title])[0]
