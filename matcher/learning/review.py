"""What an analyst reviews before promoting a model (the desk's models page): each registered
version with its promotion verdict, and its evaluation table — overall and per priority group —
beside the active model and the baselines it was evaluated with.

Every figure is read from the bundle's manifest, as measured when the version was trained
(:class:`~matcher.learning.training.Evaluation`); nothing is recomputed. The verdict is
:func:`~matcher.learning.training.promotion_check` — the rule ``jobmatch train`` promotes by —
in Chinese. Promoting a version that fails it stays possible, as with ``jobmatch models
promote`` and the API; the page says so before it is done.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal

from matcher.learning.sets import NO_GROUP_TAG
from matcher.learning.training import (
    METRIC_NAMES,
    PROMOTION_METRIC,
    Evaluation,
    PromotionCheck,
    promotion_check,
)
from matcher.reference import priority_group_name
from models.registry import HistoryEntry, RegistryEntry

KIND_NAMES = {
    "lambdamart": "LambdaMART",
    "pointwise": "逐点模型",
    "tfidf_cosine": "TF-IDF 余弦",
    "bm25": "BM25",
    "random": "随机排序",
}
"""Chinese name of each ranker kind (:data:`models.rankers.RANKERS`)."""

METRIC_LABELS = {
    "ndcg@5": "NDCG@5",
    "ndcg@10": "NDCG@10",
    "map@10": "MAP@10",
    "recall@50": "召回率@50",
    "mrr": "MRR",
}
"""Column heading of each metric of :data:`~matcher.learning.training.METRIC_NAMES`."""

EXTRA_LABELS = ("曝光基尼@3", "推荐曝光基尼@10")
"""Headings of the two exposure figures after the metrics (lower is more even): the Gini of
impressions per opening over the top 3 of the re-ranked test lists, and over the top-10 lists
the engine serves (:data:`~matcher.learning.training.EXPOSURE_K`, ``SERVED_K``)."""

ALL_QUERIES = "all"
BEIJING = dt.timezone(dt.timedelta(hours=8), "北京时间")

ColumnRole = Literal["model", "active", "baseline"]


def kind_name(kind: str) -> str:
    return KIND_NAMES.get(kind, kind)


def group_name(tag: str) -> str:
    """The Chinese name of a query tag: a priority group, 一般求职者 or 全部."""
    if tag == ALL_QUERIES:
        return "全部"
    if tag == NO_GROUP_TAG:
        return "一般求职者"
    return priority_group_name(tag)


def beijing_time(moment: dt.datetime) -> str:
    """``2024-05-01 16:30`` in Beijing time."""
    return moment.astimezone(BEIJING).strftime("%Y-%m-%d %H:%M")


def _number(value: Any) -> float | None:
    """A figure of the manifest, None when absent or undefined (NaN)."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    number = float(value)
    return None if math.isnan(number) else number


def evaluation_of(entry: RegistryEntry) -> Evaluation | None:
    """The evaluation stored in a version's manifest, or None when it has none in the usual
    shape."""
    try:
        return Evaluation.from_json(entry.info.metrics)
    except (KeyError, TypeError, ValueError):
        return None


@dataclass(frozen=True)
class Verdict:
    """The promotion rule's answer for a version, in Chinese: passed, failed, or not
    comparable (no lexical baseline or no figure to compare)."""

    passed: bool
    comparable: bool
    text: str

    @property
    def label(self) -> str:
        if not self.comparable:
            return "无法比较"
        return "符合" if self.passed else "不符合"

    @property
    def state(self) -> str:
        """``pass``, ``fail`` or ``unknown`` (a CSS class)."""
        if not self.comparable:
            return "unknown"
        return "pass" if self.passed else "fail"


def verdict_of(entry: RegistryEntry) -> Verdict:
    """Whether the version's :data:`PROMOTION_METRIC` is above the best lexical baseline's in
    its own evaluation (:func:`promotion_check`), said in Chinese."""
    evaluation = evaluation_of(entry)
    if evaluation is None:
        return Verdict(False, False, "该版本没有可读的评估结果")
    measured = entry.info.params.get("test_from") is not None
    check = promotion_check(
        evaluation,
        entry.info.ranker_kind,
        where="on the test split" if measured else "in cross-validation",
    )
    comparable = check.baseline is not None and not (
        math.isnan(check.score) or math.isnan(check.baseline_score)
    )
    return Verdict(
        check.better, comparable, _verdict_text(check, "测试集" if measured else "交叉验证")
    )


def _verdict_text(check: PromotionCheck, where: str) -> str:
    label = check.metric.upper()
    if check.baseline is None:
        return "训练时未同时评估文本基线（TF-IDF 余弦、BM25），无法按规则比较"
    if math.isnan(check.score):
        return f"{label} 无法计算（{where}中没有含相关岗位的查询）"
    if math.isnan(check.baseline_score):
        return f"基线 {kind_name(check.baseline)} 的 {label} 无法计算"
    relation = "高于" if check.better else "未高于"
    return (
        f"{where} {label} {check.score:.4f}，{relation}最佳文本基线 "
        f"{kind_name(check.baseline)} 的 {check.baseline_score:.4f}"
    )


@dataclass(frozen=True)
class ModelSummary:
    """One line of the registry table."""

    version: str
    created: str
    """Beijing time, to the minute."""
    kind: str
    notes: str
    active: bool
    score: float | None
    """Overall :data:`PROMOTION_METRIC` of the model itself."""
    verdict: Verdict


def summaries(entries: Sequence[RegistryEntry]) -> list[ModelSummary]:
    """The registry table, newest first."""
    rows = []
    for entry in reversed(entries):
        info = entry.info
        metrics = info.metrics.get("metrics", {})
        own = metrics.get(info.ranker_kind, {}) if isinstance(metrics, Mapping) else {}
        overall = own.get(ALL_QUERIES, {}) if isinstance(own, Mapping) else {}
        rows.append(
            ModelSummary(
                version=info.version,
                created=beijing_time(info.created),
                kind=kind_name(info.ranker_kind),
                notes=info.notes,
                active=entry.active,
                score=_number(overall.get(PROMOTION_METRIC))
                if isinstance(overall, Mapping)
                else None,
                verdict=verdict_of(entry),
            )
        )
    return rows


@dataclass(frozen=True)
class Column:
    """A ranker whose figures the tables show: the version itself, the active model, or a
    baseline evaluated beside the version."""

    role: ColumnRole
    kind: str
    version: str

    @property
    def label(self) -> str:
        if self.role == "model":
            return f"本版本（{kind_name(self.kind)}）"
        if self.role == "active":
            return f"当前启用 {self.version}"
        return f"基线：{kind_name(self.kind)}"


@dataclass(frozen=True)
class OverallRow:
    column: Column
    values: tuple[float | None, ...]
    """The metrics of :data:`METRIC_NAMES`, then the exposure Gini and the served Gini."""


@dataclass(frozen=True)
class GroupRow:
    tag: str
    name: str
    queries: int
    values: tuple[float | None, ...]
    """The chosen metric, one per column."""


@dataclass(frozen=True)
class Comparison:
    """A version's evaluation table beside the active model and its baselines."""

    version: str
    metric: str
    columns: tuple[Column, ...]
    overall: tuple[OverallRow, ...]
    groups: tuple[GroupRow, ...]
    queries: int
    same_test: bool
    """Whether the active model (when shown) was measured on the same test split."""
    verdict: Verdict

    @property
    def metric_label(self) -> str:
        return METRIC_LABELS.get(self.metric, self.metric)


def compare(
    entry: RegistryEntry, active: RegistryEntry | None, metric: str = PROMOTION_METRIC
) -> Comparison | None:
    """The evaluation table of ``entry`` (None when its manifest holds none): overall figures
    per ranker, and ``metric`` per priority group with at least one test query, groups with
    the most queries first. The active model is a column of its own when it is another
    version."""
    if metric not in METRIC_NAMES:
        raise ValueError(f"unknown metric {metric!r}; choose one of {', '.join(METRIC_NAMES)}")
    evaluation = evaluation_of(entry)
    if evaluation is None:
        return None
    kind = entry.info.ranker_kind
    sources: list[tuple[Column, Evaluation]] = [(Column("model", kind, entry.version), evaluation)]
    active_evaluation = None
    if active is not None and active.version != entry.version:
        active_evaluation = evaluation_of(active)
        if active_evaluation is not None:
            column = Column("active", active.info.ranker_kind, active.version)
            sources.append((column, active_evaluation))
    for baseline in evaluation.metrics:
        if baseline != kind:
            sources.append((Column("baseline", baseline, entry.version), evaluation))

    def figure(column: Column, source: Evaluation, tag: str, name: str) -> float | None:
        return _number(source.metrics.get(column.kind, {}).get(tag, {}).get(name))

    overall = tuple(
        OverallRow(
            column,
            (
                *(figure(column, source, ALL_QUERIES, name) for name in METRIC_NAMES),
                _number(source.exposure_gini.get(column.kind)),
                _number(source.served_gini.get(column.kind)),
            ),
        )
        for column, source in sources
    )
    tags = sorted(
        (
            (tag, int(count))
            for tag, count in evaluation.queries.items()
            if tag != ALL_QUERIES and count
        ),
        key=lambda item: (-item[1], item[0]),
    )
    groups = tuple(
        GroupRow(
            tag,
            group_name(tag),
            count,
            tuple(figure(column, source, tag, metric) for column, source in sources),
        )
        for tag, count in tags
    )
    same_test = active_evaluation is None or (
        active is not None
        and active.info.params.get("test_from") == entry.info.params.get("test_from")
        and active_evaluation.queries.get(ALL_QUERIES) == evaluation.queries.get(ALL_QUERIES)
    )
    return Comparison(
        version=entry.version,
        metric=metric,
        columns=tuple(column for column, _ in sources),
        overall=overall,
        groups=groups,
        queries=int(evaluation.queries.get(ALL_QUERIES, 0)),
        same_test=same_test,
        verdict=verdict_of(entry),
    )


ACTION_NAMES = {"promote": "启用", "rollback": "回退"}


@dataclass(frozen=True)
class Change:
    """One promotion or rollback of the registry's history, as the page lists it."""

    time: str
    action: str
    previous: str | None
    version: str


def changes(history: Sequence[HistoryEntry], limit: int = 20) -> list[Change]:
    """The last ``limit`` promotions and rollbacks, newest first."""
    return [
        Change(beijing_time(entry.time), ACTION_NAMES[entry.action], entry.previous, entry.version)
        for entry in reversed(history[-limit:])
    ]


__all__ = [
    "ACTION_NAMES",
    "EXTRA_LABELS",
    "KIND_NAMES",
    "METRIC_LABELS",
    "Change",
    "Column",
    "Comparison",
    "GroupRow",
    "ModelSummary",
    "OverallRow",
    "Verdict",
    "beijing_time",
    "changes",
    "compare",
    "evaluation_of",
    "group_name",
    "kind_name",
    "summaries",
    "verdict_of",
]
