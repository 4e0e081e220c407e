"""The models page: the registry, a version's evaluation beside the active model and the
baselines (figures equal to the manifest's), promotion and rollback by an admin only.

Promotion tests run on copies of the desk world with a second model trained into them, so the
shared world's active model never changes."""

from __future__ import annotations

import datetime as dt
import html
import math
import re
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from matcher.learning.review import compare, summaries, verdict_of
from matcher.learning.training import METRIC_NAMES, Evaluation, promotion_check, save_run, train_run
from matcher.ranking.serving import registry_for
from matcher.reference import priority_groups
from matcher.storage.store import Store
from models.bundle import BundleInfo
from models.registry import ModelRegistry, RegistryEntry
from tests.api.support import SMALL_MODEL, TestClient, World, copy_world, serve
from tests.desk.support import DeskWorld, sign_in


@pytest.fixture(scope="module")
def two_models(desk_world: DeskWorld, tmp_path_factory: pytest.TempPathFactory) -> World:
    """A copy of the desk world with a second model (evaluated beside the lexical baselines),
    not promoted."""
    copy = copy_world(desk_world.world, tmp_path_factory.mktemp("two-models"))
    with Store.open(copy.home) as store:
        run = train_run(
            store, baselines=("tfidf_cosine", "bm25"), params={**SMALL_MODEL, "num_leaves": 7}
        )
        save_run(registry_for(copy.home), run, notes="desk tests: second <model>")
    return copy


@pytest.fixture
def world(two_models: World, tmp_path: Path) -> World:
    """A fresh copy of :func:`two_models` for one test (promotions change it)."""
    return copy_world(two_models, tmp_path / "home")


@pytest.fixture
def client(world: World) -> Iterator[TestClient]:
    with serve(world) as client:
        yield client


def _second(world: World) -> str:
    (version,) = [v for v in registry_for(world.home).versions() if v != world.version]
    return version


def _rows(page: str, table: str) -> list[list[str]]:
    """The body rows of the table with ``id=table``: each cell's text, unescaped."""
    found = re.search(rf'<table id="{table}">(.*?)</table>', page, re.S)
    assert found is not None, f"no table {table}"
    body = found.group(1).split("<tbody>", 1)[1]
    return [
        [
            html.unescape(re.sub(r"<[^>]+>", "", cell)).strip()
            for cell in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S)
        ]
        for row in re.findall(r"<tr[^>]*>(.*?)</tr>", body, re.S)
    ]


def _shown(value: object) -> str:
    if not isinstance(value, float) or math.isnan(value):
        return "—"
    return f"{value:.4f}"


def test_the_registry_lists_every_version_with_the_active_one_marked(
    client: TestClient, world: World, desk_world: DeskWorld
) -> None:
    sign_in(client, *desk_world.staff["analyst"])
    page = client.get("/desk/models")
    assert page.status_code == 200
    second = _second(world)
    rows = _rows(page.text, "registry")
    assert [row[0] for row in rows] == [second, world.version]  # newest first
    by_version = {row[0]: row for row in rows}
    assert "当前启用" in by_version[world.version][6] and by_version[second][6] == ""
    assert by_version[second][5] == "desk tests: second <model>"  # escaped, shown as typed
    assert "second &lt;model&gt;" in page.text
    for entry in registry_for(world.home).list():
        own = entry.info.metrics["metrics"][entry.info.ranker_kind]["all"]["ndcg@10"]
        assert by_version[entry.version][3] == _shown(own)
    # an analyst sees no promote or rollback forms
    assert "/promote" not in page.text and "rollback" not in page.text
    assert 'data-confirm="' not in page.text


def test_the_evaluation_table_shows_the_manifest_figures_per_priority_group(
    client: TestClient, world: World, desk_world: DeskWorld
) -> None:
    sign_in(client, *desk_world.staff["analyst"])
    second = _second(world)
    page = client.get(f"/desk/models/{second}").text
    registry = registry_for(world.home)
    mine = Evaluation.from_json(registry.get(second).manifest.metrics)
    active = Evaluation.from_json(registry.get(world.version).manifest.metrics)

    overall = _rows(page, "overall")
    assert [row[0] for row in overall] == [
        "本版本（LambdaMART）",
        f"当前启用 {world.version}",
        "基线：TF-IDF 余弦",
        "基线：BM25",
    ]
    sources = [(mine, "lambdamart"), (active, "lambdamart"), (mine, "tfidf_cosine"), (mine, "bm25")]
    for row, (evaluation, kind) in zip(overall, sources, strict=True):
        expected = [_shown(evaluation.metrics[kind]["all"][name]) for name in METRIC_NAMES]
        expected += [_shown(evaluation.exposure_gini[kind]), _shown(evaluation.served_gini[kind])]
        assert row[1:] == expected

    groups = _rows(page, "groups")
    names = {code: group.name for code, group in priority_groups().items()}
    names["none"] = "一般求职者"
    counted = {tag: n for tag, n in mine.queries.items() if tag != "all" and n}
    assert len(groups) == len(counted) > 3
    assert [int(row[1]) for row in groups] == sorted(counted.values(), reverse=True)
    for row in groups:
        (tag,) = [t for t in counted if names[t] == row[0]]
        assert int(row[1]) == counted[tag]
        expected = [
            _shown(evaluation.metrics[kind].get(tag, {}).get("ndcg@10"))
            for evaluation, kind in sources
        ]
        assert row[2:] == expected
    assert "退役军人" in page or "残疾人" in page

    mrr = _rows(client.get(f"/desk/models/{second}?metric=mrr").text, "groups")
    first_tag = next(t for t in counted if names[t] == mrr[0][0])
    assert mrr[0][2] == _shown(mine.metrics["lambdamart"][first_tag]["mrr"])


def test_the_verdict_is_the_promotion_rule(
    client: TestClient, world: World, desk_world: DeskWorld
) -> None:
    sign_in(client, *desk_world.staff["analyst"])
    second = _second(world)
    manifest = registry_for(world.home).get(second).manifest
    check = promotion_check(Evaluation.from_json(manifest.metrics), manifest.ranker_kind)
    page = client.get(f"/desk/models/{second}").text
    verdict = re.search(r'<span class="verdict [a-z]+" id="verdict">([^<]+)</span>', page)
    assert verdict is not None
    assert verdict.group(1) == ("符合" if check.better else "不符合")
    row = next(r for r in _rows(page, "registry") if r[0] == second)
    assert row[4] == verdict.group(1)
    assert f"{check.score:.4f}" in page and f"{check.baseline_score:.4f}" in page
    # the first model was trained without baselines: nothing to compare with
    first = client.get(f"/desk/models/{world.version}").text
    assert "训练时未同时评估文本基线" in first
    assert 'id="verdict">无法比较<' in first
    assert "当前启用 " not in first  # the active version has no column beside itself


def test_an_admin_promotes_and_rolls_back(
    client: TestClient, world: World, desk_world: DeskWorld
) -> None:
    csrf = sign_in(client, *desk_world.staff["admin"])
    second = _second(world)
    page = client.get("/desk/models").text
    forms = re.findall(r'<form method="post" action="/desk/models/([^/"]+)/promote"', page)
    assert forms == [second]  # the active version has no promote button
    confirm = re.search(r'data-confirm="(确定启用模型 [^"]+)"', page)
    assert confirm is not None and confirm.group(1).startswith(f"确定启用模型 {second}？")

    done = client.post(
        f"/desk/models/{second}/promote", data={"csrf": csrf}, follow_redirects=False
    )
    assert done.status_code == 303
    assert done.headers["location"] == f"/desk/models/{second}?done=promoted"
    assert registry_for(world.home).active_version() == second
    after = client.get(done.headers["location"]).text
    assert f"已启用模型 {second}" in after
    assert re.search(r'<strong id="active-version">([^<]+)</strong>', after).group(1) == second  # type: ignore[union-attr]
    served = client.get("/v1/models", headers=world.headers("read")).json()
    assert served["active_version"] == served["serving_version"] == second
    assert _rows(after, "history")[0][1:] == ["启用", world.version, second]

    assert 'id="rollback-form"' in after
    back = client.post("/desk/models/rollback", data={"csrf": csrf}, follow_redirects=False)
    assert back.status_code == 303
    assert registry_for(world.home).active_version() == world.version
    notice = client.get(back.headers["location"]).text
    assert f"已回退到模型 {world.version}" in notice
    assert 'id="rollback-form"' not in notice  # nothing further back to go to
    served = client.get("/v1/models", headers=world.headers("read")).json()
    assert served["serving_version"] == world.version
    assert [e.action for e in ModelRegistry(world.home / "models").history()][-2:] == [
        "promote",
        "rollback",
    ]


def test_nothing_to_roll_back_to_is_said_plainly(
    client: TestClient, world: World, desk_world: DeskWorld
) -> None:
    csrf = sign_in(client, *desk_world.staff["admin"])
    assert 'id="rollback-form"' not in client.get("/desk/models").text
    refused = client.post("/desk/models/rollback", data={"csrf": csrf})
    assert refused.status_code == 409
    assert "无法回退" in refused.text and 'id="registry"' in refused.text
    assert registry_for(world.home).active_version() == world.version


@pytest.mark.parametrize("role", ["counter", "analyst", "other"])
def test_only_an_admin_may_promote_or_roll_back(
    client: TestClient, world: World, desk_world: DeskWorld, role: str
) -> None:
    csrf = sign_in(client, *desk_world.staff[role])
    second = _second(world)
    promote = client.post(f"/desk/models/{second}/promote", data={"csrf": csrf})
    assert promote.status_code == 403
    assert "「管理」" in promote.text
    rollback = client.post("/desk/models/rollback", data={"csrf": csrf})
    assert rollback.status_code == 403
    assert registry_for(world.home).active_version() == world.version
    if role != "analyst":
        assert client.get("/desk/models").status_code == 403


def test_a_promotion_needs_the_form_token_and_a_known_version(
    client: TestClient, world: World, desk_world: DeskWorld
) -> None:
    csrf = sign_in(client, *desk_world.staff["admin"])
    second = _second(world)
    assert client.post(f"/desk/models/{second}/promote", data={}).status_code == 403
    forged = client.post(f"/desk/models/{second}/promote", data={"csrf": csrf[::-1]})
    assert forged.status_code == 403
    unknown = client.post("/desk/models/20000101-000000-abcdef/promote", data={"csrf": csrf})
    assert unknown.status_code == 404 and "没有这个模型版本" in unknown.text
    assert client.get("/desk/models/20000101-000000-abcdef").status_code == 404
    assert client.get("/desk/models?metric=auc").status_code == 422
    assert registry_for(world.home).active_version() == world.version
    # signed out: the page sends to sign-in, a POST is refused
    client.cookies.clear()
    away = client.get("/desk/models", follow_redirects=False)
    assert away.status_code == 303 and away.headers["location"].startswith("/desk/login")
    assert client.post(f"/desk/models/{second}/promote", data={"csrf": csrf}).status_code == 401


def test_a_version_failing_the_rule_asks_more_before_promotion(
    client: TestClient, world: World, desk_world: DeskWorld
) -> None:
    sign_in(client, *desk_world.staff["admin"])
    second = _second(world)
    registry_for(world.home).promote(second)  # now the first (no baselines) is the candidate
    page = client.get("/desk/models").text
    confirm = re.search(r'data-confirm="(确定启用模型 [^"]+)"', page)
    assert confirm is not None
    text = html.unescape(confirm.group(1))
    assert text.startswith(f"确定启用模型 {world.version}？")
    assert "注意：无法按启用规则判断它（训练时未同时评估文本基线" in text


def _entry(version: str, metrics: dict[str, object], *, active: bool = False) -> RegistryEntry:
    info = BundleInfo(
        version=version,
        created=dt.datetime(2022, 9, 1, 2, 30, tzinfo=dt.UTC),
        ranker_kind="lambdamart",
        data_hash="0" * 64,
        feature_names=(),
        params={"test_from": "2022-09-01"},
        metrics=metrics,
        libraries={},
        notes="",
        files={},
    )
    return RegistryEntry(info=info, active=active)


def _evaluation(figures: dict[str, dict[str, float]]) -> dict[str, object]:
    """A manifest's metrics: kind → tag → NDCG@10 (other metrics 0)."""
    return {
        "metrics": {
            kind: {
                tag: {name: 0.0 for name in METRIC_NAMES} | {"ndcg@10": v}
                for tag, v in tags.items()
            }
            for kind, tags in figures.items()
        },
        "exposure_gini": {kind: 0.5 for kind in figures},
        "queries": {"all": 10, "veteran": 4, "disabled": 0, "none": 6},
    }


def test_a_version_below_the_best_baseline_fails_the_rule() -> None:
    worse = _entry(
        "v2",
        _evaluation(
            {
                "lambdamart": {"all": 0.5, "veteran": float("nan"), "none": 0.4},
                "tfidf_cosine": {"all": 0.55, "veteran": 0.3, "none": 0.2},
                "bm25": {"all": 0.6, "veteran": 0.35, "none": 0.25},
            }
        ),
    )
    verdict = verdict_of(worse)
    assert (verdict.passed, verdict.label, verdict.state) == (False, "不符合", "fail")
    assert verdict.text == "测试集 NDCG@10 0.5000，未高于最佳文本基线 BM25 的 0.6000"
    active = _entry("v1", _evaluation({"lambdamart": {"all": 0.7, "veteran": 0.8}}), active=True)
    table = compare(worse, active)
    assert table is not None
    assert [c.label for c in table.columns] == [
        "本版本（LambdaMART）",
        "当前启用 v1",
        "基线：TF-IDF 余弦",
        "基线：BM25",
    ]
    assert [(g.name, g.queries, g.values) for g in table.groups] == [
        ("一般求职者", 6, (0.4, None, 0.2, 0.25)),
        ("退役军人", 4, (None, 0.8, 0.3, 0.35)),  # NaN and absent are both "—"
    ]
    assert table.overall[0].values[1] == 0.5 and table.overall[0].values[-1] is None
    better = _entry("v3", _evaluation({"lambdamart": {"all": 0.61}, "bm25": {"all": 0.6}}))
    assert verdict_of(better).label == "符合"
    assert summaries([active, worse])[0].created == "2022-09-01 10:30"  # Beijing time
    with pytest.raises(ValueError, match="unknown metric 'auc'"):
        compare(worse, active, "auc")


def test_an_empty_registry_says_how_to_get_a_model(desk_world: DeskWorld, tmp_path: Path) -> None:
    copy = copy_world(desk_world.world, tmp_path / "home")
    shutil.rmtree(copy.home / "models")
    with serve(copy) as client:
        csrf = sign_in(client, *desk_world.staff["admin"])
        page = client.get("/desk/models")
        assert page.status_code == 200
        assert "还没有模型" in page.text and 'id="evaluation"' not in page.text
        refused = client.post("/desk/models/rollback", data={"csrf": csrf})
        assert refused.status_code == 409 and "无法回退" in refused.text
