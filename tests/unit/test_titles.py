"""features.titles: cleaning posted job titles and matching them to labels."""

from __future__ import annotations

import pickle

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sklearn.exceptions import NotFittedError

from features.titles import SEPARATOR, TitleAnalyzer, TitleMatch, TitleMatcher, clean_title

PLACES = ("遂宁", "遂宁市", "船山区", "射洪", "射洪市", "四川")


@pytest.mark.parametrize(
    ("posted", "cleaned"),
    [
        ("急招普工（包吃住）", "普工"),
        ("【急招】普工", "普工"),
        ("【普工】", "普工"),
        ("普工(两班倒", "普工"),
        ("叉车工（有证）", "叉车工"),
        ("小学语文老师（可培训）", "小学语文老师"),
        ("CNC数控车床操作工", "cnc数控车床操作工"),
        ("射洪锂电厂操作工", "锂电厂操作工"),
        ("遂宁船山区保洁员若干名", "保洁员"),
        ("四川遂宁市船山区保安", "保安"),
        ("长期招聘搬运工数名", "搬运工"),
        ("电工2名", "电工"),
        ("招普工", "普工"),
        ("高薪诚聘：焊工 5000-8000元/月", "焊工"),
        ("保安 月薪4000", "保安"),
        ("焊工 6-8千/月", "焊工"),
        ("幼儿园保育员(18-45岁)", "幼儿园保育员"),
        ("★★急聘司机★★", "司机"),
        ("炒菜师傅", "炒菜"),
        ("002销售工程师", "销售工程师"),
        ("普工/操作工", "普工/操作工"),
        ("普工+包吃住", "普工"),
        ("底薪4500行政班客服文员", "客服文员"),  # 行政班 is office hours, not 行政 work
        ("货车司机B2", "货车司机b2"),
        ("C++开发工程师", "c++开发工程师"),
        ("Node.js开发工程师", "nodejs开发工程师"),
        # words that look like decorations or places but are the job itself
        ("招商专员", "招商专员"),
        ("招聘专员", "招聘专员"),
        ("社区工作者", "社区工作者"),
        ("农贸市场管理员", "农贸市场管理员"),
        ("超市收银员", "超市收银员"),
        ("师傅", "师傅"),
        ("", ""),
        ("急招 包吃住", ""),
    ],
)
def test_clean_title(posted: str, cleaned: str) -> None:
    assert clean_title(posted, places=PLACES) == cleaned


def test_clean_title_strips_generic_place_prefixes_without_a_list() -> None:
    assert clean_title("蓬溪县医院护士") == "医院护士"
    assert clean_title("遂宁市保洁员") == "保洁员"


def test_clean_title_rejects_non_strings() -> None:
    with pytest.raises(TypeError, match="text must be a str, got int"):
        clean_title(42)  # type: ignore[arg-type]


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=40))
def test_clean_title_never_raises_and_is_idempotent(text: str) -> None:
    cleaned = clean_title(text, places=PLACES)
    assert clean_title(cleaned, places=PLACES) == cleaned
    assert not cleaned.startswith(SEPARATOR) and not cleaned.endswith(SEPARATOR)
    assert not set(cleaned) & set("（）()【】[] ")


def test_analyzer_keeps_latin_words_whole_and_pickles() -> None:
    analyzer = TitleAnalyzer((1, 2))
    features = analyzer("java开发")
    assert "java" in features and "ja" not in features
    assert {"开", "发", " 开", "开发", "发 "} <= set(features)
    assert pickle.loads(pickle.dumps(analyzer))("java开发") == features


# --- the matcher on a tiny, fully known vocabulary ------------------------------------------

NAMES = [
    "叉车司机",
    "货车司机",
    "挖机司机",
    "司机",
    "电工",
    "焊工",
    "操作工",
    "化工操作工",
    "注塑机操作工",
    "冲床工",
    "保洁员",
    "家政服务员",
    "母婴护理员",
]
LABELS = [
    "forklift",
    "truck",
    "excavator",
    "driver",
    "electrician",
    "welder",
    "operative",
    "chemical",
    "moulding",
    "press",
    "cleaner",
    "housekeeper",
    "housekeeper",
]


@pytest.fixture(scope="module")
def matcher() -> TitleMatcher:
    return TitleMatcher(min_confidence=0.3).fit(NAMES, LABELS)


def test_init_only_stores_parameters() -> None:
    unfitted = TitleMatcher(min_confidence=0.7, ngram_range=(1, 3), places=("遂宁",))
    assert (unfitted.min_confidence, unfitted.ngram_range, unfitted.places) == (
        0.7,
        (1, 3),
        ("遂宁",),
    )
    assert not [name for name in vars(unfitted) if name.endswith("_")]


def test_fit_returns_self_and_learns_state(matcher: TitleMatcher) -> None:
    fresh = TitleMatcher()
    assert fresh.fit(NAMES, LABELS) is fresh
    assert matcher.name_matrix_.shape[0] == len(NAMES)
    assert matcher.conflicts_ == ()
    # 司机 ends names of three other labels (叉车司机, 货车司机, 挖机司机); 操作工 of two
    assert matcher.generic_names_ == frozenset({"司机"})


def test_not_fitted() -> None:
    with pytest.raises(NotFittedError, match="not fitted yet"):
        TitleMatcher().match("普工")


@pytest.mark.parametrize(
    ("names", "labels", "weights", "error", "message"),
    [
        ("电工", ["a", "b"], None, TypeError, "names must be a sequence of str, not a single str"),
        (["电工", 3], ["a", "b"], None, TypeError, "names must hold only str, got int"),
        (["电工"], ["a", "b"], None, ValueError, "same length, got 1 and 2"),
        ([], [], None, ValueError, "names is empty"),
        (["电工"], [""], None, ValueError, "labels must be non-empty"),
        (["电工", "焊工"], ["a", "b"], [1.0], ValueError, "one value per name"),
        (["电工", "焊工"], ["a", "b"], [1.0, 0.0], ValueError, r"weights must be in \(0, 1\]"),
        (["急招", "包吃住"], ["a", "b"], None, ValueError, "no name is left after cleaning"),
    ],
)
def test_fit_rejects_bad_input(
    names: object, labels: object, weights: object, error: type[Exception], message: str
) -> None:
    with pytest.raises(error, match=message):
        TitleMatcher().fit(names, labels, weights)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("parameters", "message"),
    [
        ({"min_confidence": 1.5}, r"min_confidence must be in \[0, 1\], got 1.5"),
        ({"ngram_range": (3, 1)}, r"ngram_range must be \(low, high\)"),
        ({"min_name_length": 0}, "min_name_length must be at least 1"),
        ({"lookup_min_weight": -0.1}, r"lookup_min_weight must be in \[0, 1\]"),
        ({"generic_min_labels": 0}, "generic_min_labels must be at least 1"),
        ({"generic_override": 2.0}, r"generic_override must be in \[0, 1\]"),
    ],
)
def test_fit_rejects_bad_parameters(parameters: dict[str, object], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        TitleMatcher(**parameters).fit(NAMES, LABELS)  # type: ignore[arg-type]


def test_match_many_rejects_bad_titles(matcher: TitleMatcher) -> None:
    with pytest.raises(TypeError, match="not a single str"):
        matcher.match_many("电工")
    with pytest.raises(TypeError, match="titles must hold only str, got NoneType"):
        matcher.match_many(["电工", None])  # type: ignore[list-item]


def test_exact(matcher: TitleMatcher) -> None:
    assert matcher.match("急招叉车司机（包吃住）") == TitleMatch(
        "forklift", 1.0, "exact", "叉车司机"
    )


def test_contains_prefers_the_longest_then_the_first_job_then_the_rightmost_name(
    matcher: TitleMatcher,
) -> None:
    found = matcher.match("叉车司机学徒")
    assert (found.label, found.method, found.matched) == ("forklift", "contains", "叉车司机")
    assert found.confidence == pytest.approx(0.5 + 0.5 * 4 / 6)
    # two names of the same length: the later one is the head of the phrase
    assert matcher.match("焊工兼电工").label == "electrician"
    # ... but of the jobs a title lists (the parts of the cleaned title), the first named is
    # the main one
    assert matcher.match("叉车司机 货车司机 学徒").matched == "叉车司机"
    assert matcher.match("货车司机 叉车司机 学徒").matched == "货车司机"


def test_similar(matcher: TitleMatcher) -> None:
    found = matcher.match("家政保姆服务")
    assert (found.label, found.method) == ("housekeeper", "similar")
    assert 0.3 <= found.confidence < 1.0


def test_generic_name_gives_way_to_a_refining_similar_name(matcher: TitleMatcher) -> None:
    # with the default generic_min_labels=3, 操作工 is not generic here and keeps its match
    assert matcher.match("冲床操作工").label == "operative"
    generic = TitleMatcher(min_confidence=0.3, generic_min_labels=2).fit(NAMES, LABELS)
    assert generic.generic_names_ == frozenset({"司机", "操作工"})
    # 冲床操作工 holds only the generic 操作工; 冲床工 says what the work is
    found = generic.match("冲床操作工")
    assert (found.label, found.method, found.matched) == ("press", "similar", "冲床工")
    # siblings of the generic head with a qualifier the title lacks (叉车司机, 货车司机) do not
    # replace it
    assert generic.match("矿车司机") == TitleMatch("driver", 0.75, "contains", "司机")


def test_below_min_confidence_there_is_no_label() -> None:
    strict = TitleMatcher(min_confidence=0.95).fit(NAMES, LABELS)
    found = strict.match("叉车司机学徒")
    assert (found.label, found.method) == (None, "none")
    assert 0.0 < found.confidence < 0.95
    assert strict.match("会计") == TitleMatch(None, 0.0, "none")


def test_weights_scale_confidence_and_lookup_min_weight_keeps_names_out_of_lookup() -> None:
    weights = [1.0] * (len(NAMES) - 1) + [0.5]  # 母婴护理员 from a less reliable source
    matcher = TitleMatcher(min_confidence=0.0, lookup_min_weight=0.8).fit(NAMES, LABELS, weights)
    assert "母婴护理员" not in matcher.lookup_
    found = matcher.match("母婴护理员")
    assert (found.label, found.method) == ("housekeeper", "similar")
    assert found.confidence == pytest.approx(0.5)


def test_first_name_wins_a_conflict() -> None:
    matcher = TitleMatcher().fit(["普工", "普工（包吃住）"], ["first", "second"])
    assert matcher.conflicts_ == ("普工",)
    assert matcher.match("普工").label == "first"


def test_match_many_equals_match_one_by_one(matcher: TitleMatcher) -> None:
    titles = ["叉车司机", "冲床操作工", "家政保姆服务", "会计", "", "焊工兼电工", "货车司机B2"]
    assert matcher.match_many(titles) == [matcher.match(title) for title in titles]
    assert matcher.match_many([]) == []


def test_fitted_matcher_pickles(matcher: TitleMatcher) -> None:
    restored = pickle.loads(pickle.dumps(matcher))
    titles = ["冲床操作工", "家政保姆服务", "叉车司机学徒"]
    assert restored.match_many(titles) == matcher.match_many(titles)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.text(max_size=30), max_size=5))
def test_matching_never_raises_and_confidence_is_a_probability_like_score(
    titles: list[str],
) -> None:
    matcher = TitleMatcher(min_confidence=0.3).fit(NAMES, LABELS)
    for found in matcher.match_many(titles):
        assert 0.0 <= found.confidence <= 1.0
        assert (found.label is None) == (found.method == "none")
        if found.label is not None:
            assert found.confidence >= 0.3
            assert found.label in LABELS
