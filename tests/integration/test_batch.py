"""Batch matching before fairs: outputs, agreement with the API path, resume after kill -9,
and the same results on a Dask cluster."""

from __future__ import annotations

import io
import os
import signal
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import numpy as np
import pyarrow.parquet as pq
import pytest

from matcher.domain.campaigns import load_campaigns
from matcher.domain.records import Fair, Seeker
from matcher.errors import BatchError
from matcher.fairs.batch import (
    CHECKPOINTS,
    BatchOptions,
    BlockResult,
    Checkpoints,
    local_workers,
    plan_batch,
    pools_of,
    run_batch,
)
from matcher.fairs.output import read_csv_rows
from matcher.learning.training import save_run, train_run
from matcher.ranking.service import MatchService
from matcher.ranking.serving import registry_for
from matcher.storage.store import Store
from matcher.synth import generate

FAIR = "F-golden_autumn"


@pytest.fixture(scope="module")
def home(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    home = tmp_path_factory.mktemp("batch")
    with Store.open(home) as store:
        generate(store, seekers=600, vacancies=160, seed=5)
        registry = registry_for(home)
        registry.promote(save_run(registry, train_run(store, baselines=())).version)
    yield home


def rows_of(path: Path) -> list[dict[str, str]]:
    """A batch CSV's rows keyed by field name (its header is Chinese by default)."""
    return read_csv_rows(path)


def test_fair_run_writes_balanced_lists_for_everyone(home: Path, tmp_path: Path) -> None:
    options = BatchOptions(k=5, per_vacancy=10, block_size=200)
    with Store.open(home) as store:
        summary = run_batch(store, load_campaigns(), home, tmp_path, fair_id=FAIR, options=options)
        fair = store.get(Fair, FAIR)
        phones = {p for s in store.list(Seeker) if (p := store.get_contact(s.id).phone)}
    booth_vacancies = {i for booth in fair.booths for i in booth.vacancy_ids}
    shortlists = rows_of(tmp_path / "shortlists.csv")
    assert (tmp_path / "shortlists.csv").read_bytes().startswith(b"\xef\xbb\xbf")
    assert {row["vacancy_id"] for row in shortlists} <= booth_vacancies
    lengths = Counter(row["seeker_id"] for row in shortlists)
    assert summary.seekers_with_list == len(lengths) == summary.seekers  # nobody left out
    assert set(lengths.values()) == {5}
    # allocation spreads applicants over openings and interview slots
    before, after = summary.before, summary.after
    assert after["applicants_per_opening"]["max"] < before["applicants_per_opening"]["max"]
    assert after["applicants_per_opening"]["gini"] < before["applicants_per_opening"]["gini"]
    assert after["mean_rank_loss"] >= 0
    # invitation lists: at most per_vacancy, best first, non-identifying
    invites = rows_of(tmp_path / "candidates.csv")
    per_vacancy = Counter(row["vacancy_id"] for row in invites)
    assert max(per_vacancy.values()) <= 10
    assert not {"name", "phone", "id_number", "address"} & set(invites[0])
    text = "".join(path.read_text(encoding="utf-8-sig") for path in tmp_path.glob("*.csv"))
    assert not any(phone in text for phone in phones)
    assert pq.read_table(tmp_path / "shortlists.parquet").num_rows == len(shortlists)
    assert "招聘会批量匹配报告" in (tmp_path / "report.md").read_text(encoding="utf-8")
    assert not list(tmp_path.glob("*.tmp*"))


def test_protected_groups_keep_their_exposure(home: Path, tmp_path: Path) -> None:
    with Store.open(home) as store:
        calendar = load_campaigns()
        summary = run_batch(
            store, calendar, home, tmp_path, fair_id=FAIR, options=BatchOptions(k=5)
        )
        campaign = calendar.campaigns[store.get(Fair, FAIR).campaign_id or ""]
    from matcher.reference import priority_groups

    names = {priority_groups()[code].name for code in campaign.priority_groups}
    checked = 0
    for name, group in summary.after["groups"].items():
        if name in names:
            assert group["exposure"] >= summary.before["groups"][name]["exposure"] - 1e-6
            checked += 1
    assert checked


def test_batch_lists_agree_with_the_api_path(home: Path, tmp_path: Path) -> None:
    """Without allocation a campaign run's list is what the service (the API) recommends."""
    options = BatchOptions(k=5, allocate=False, block_size=150, formats=("csv",))
    calendar = load_campaigns()
    with Store.open(home) as store:
        plan = plan_batch(store, calendar, campaign_id="golden_autumn")
        run_batch(store, calendar, home, tmp_path, campaign_id="golden_autumn", options=options)
    lists: dict[str, list[str]] = {}
    for row in rows_of(tmp_path / "shortlists.csv"):
        lists.setdefault(row["seeker_id"], []).append(row["vacancy_id"])
    service = MatchService(home, calendar, today=plan.day)
    try:
        for seeker_id in plan.seeker_ids[:40]:
            answer = service.recommend(seeker_id, 5, campaign="golden_autumn", on=plan.day)
            assert [r.vacancy_id for r in answer] == lists.get(seeker_id, [])
    finally:
        service.close()


def _jobmatch(home: Path, *args: str) -> list[str]:
    script = Path(sys.executable).parent / "jobmatch"
    base = [str(script)] if script.exists() else [sys.executable, "-m", "matcher.cli"]
    return [*base, "--home", str(home), *args]


def test_a_killed_run_resumes_and_matches_an_uninterrupted_one(home: Path, tmp_path: Path) -> None:
    args = ["batch", "--fair", FAIR, "-k", "5", "--block-size", "25", "--formats", "csv,parquet"]
    clean, killed = tmp_path / "clean", tmp_path / "killed"
    subprocess.run(_jobmatch(home, *args, "--out", str(clean)), check=True, capture_output=True)
    process = subprocess.Popen(
        _jobmatch(home, *args, "--out", str(killed)),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env={**os.environ, "OMP_NUM_THREADS": "1"},
    )
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        done = list((killed / CHECKPOINTS).rglob("block-*.npz"))
        if len(done) >= 3 or process.poll() is not None:
            break
        time.sleep(0.02)
    os.kill(process.pid, signal.SIGKILL)
    process.wait()
    assert not (killed / "shortlists.csv").exists()  # killed before writing outputs
    finished_before = len(list((killed / CHECKPOINTS).rglob("block-*.npz")))
    assert finished_before >= 3
    again = subprocess.run(
        _jobmatch(home, *args, "--out", str(killed)), check=True, capture_output=True, text=True
    )
    assert f"({finished_before} resumed from checkpoints)" in again.stdout
    for name in ("shortlists.csv", "candidates.csv", "notifications.csv"):
        assert (killed / name).read_bytes() == (clean / name).read_bytes(), name
    assert pq.read_table(killed / "shortlists.parquet").equals(
        pq.read_table(clean / "shortlists.parquet")
    )
    assert not (killed / CHECKPOINTS).exists()  # removed after success


@pytest.mark.slow
def test_dask_cluster_gives_the_local_results(home: Path, tmp_path: Path) -> None:
    """Two local worker processes (``jobmatch batch --workers 2``) write the files one process
    writes; the workers run with the ranking's settings."""
    distributed = pytest.importorskip("distributed")
    import dask

    options = BatchOptions(k=5, block_size=150, formats=("csv",))
    calendar = load_campaigns()
    with Store.open(home) as store:
        run_batch(store, calendar, home, tmp_path / "local", fair_id=FAIR, options=options)
        with local_workers(2) as address:
            assert address.startswith("tcp://127.0.0.1:")
            with distributed.Client(address) as client:
                settings = client.run(  # a lambda travels by value, not by module name
                    lambda: [
                        os.environ.get("MALLOC_TRIM_THRESHOLD_"),  # unset
                        os.environ.get("OMP_NUM_THREADS"),
                        dask.config.get("distributed.worker.profile.enabled"),
                    ]
                )
            assert list(settings.values()) == [[None, "1", False]] * 2
            run_batch(
                store,
                calendar,
                home,
                tmp_path / "dask",
                fair_id=FAIR,
                options=options,
                scheduler=address,
            )
    for name in ("shortlists.csv", "candidates.csv"):
        assert (tmp_path / "dask" / name).read_bytes() == (tmp_path / "local" / name).read_bytes()


def test_bad_requests_name_the_problem(home: Path, tmp_path: Path) -> None:
    from matcher.errors import BatchError, NotFound

    calendar = load_campaigns()
    with Store.open(home) as store:
        with pytest.raises(NotFound, match="F-none"):
            run_batch(store, calendar, home, tmp_path, fair_id="F-none")
        with pytest.raises(NotFound, match="no_such"):
            run_batch(store, calendar, home, tmp_path, campaign_id="no_such")
        with pytest.raises(BatchError, match="exactly one"):
            plan_batch(store, calendar)
    with pytest.raises(BatchError, match="k must be"):
        BatchOptions(k=0)
    with pytest.raises(BatchError, match="formats"):
        BatchOptions(formats=("pdf",))


def test_a_fair_run_ranks_as_the_whole_index_restricted_to_the_fair(
    home: Path, tmp_path: Path
) -> None:
    """The fair's own small index gives the lists the full index gives with the fair's
    vacancies as a filter."""
    from matcher.ranking.engine import MatchEngine
    from matcher.ranking.serving import load_engine_model

    options = BatchOptions(k=5, allocate=False, formats=("csv",))
    calendar = load_campaigns()
    with Store.open(home) as store:
        plan = plan_batch(store, calendar, fair_id=FAIR)
        run_batch(store, calendar, home, tmp_path, fair_id=FAIR, options=options)
        model = load_engine_model(registry_for(home).active())  # type: ignore[arg-type]
        engine = MatchEngine(store, model, calendar, today=plan.day)
        seekers = store.get_many(Seeker, list(plan.seeker_ids[:40]))
        lists: dict[str, list[str]] = {}
        for row in rows_of(tmp_path / "shortlists.csv"):
            lists.setdefault(row["seeker_id"], []).append(row["vacancy_id"])
        campaign = plan.campaign.id if plan.campaign else None
        for seeker in seekers.values():
            answer = engine.recommend_vacancies(seeker, 5, campaign, plan.filters, on=plan.day)
            assert [r.vacancy_id for r in answer] == lists.get(seeker.id, [])


def test_a_run_reads_seekers_once_and_checkpoints_rows(
    home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Seekers come from the store once (the plan); blocks hold integer rows, not ids."""
    reads: list[str] = []

    def counting(name: str) -> Any:
        original = getattr(Store, name)

        def read(self: Store, kind: type, *args: Any, **kwargs: Any) -> Any:
            if kind is Seeker:
                reads.append(name)
            return original(self, kind, *args, **kwargs)

        return read

    for name in ("iter", "list", "get", "get_many"):
        monkeypatch.setattr(Store, name, counting(name))
    options = BatchOptions(k=3, block_size=250, formats=("csv",))
    with Store.open(home) as store:
        summary = run_batch(store, load_campaigns(), home, tmp_path, fair_id=FAIR, options=options)
    assert reads == ["iter"]
    blocks = sorted((tmp_path / CHECKPOINTS).rglob("block-*.npz"))
    assert len(blocks) == summary.blocks == 3
    with np.load(blocks[1], allow_pickle=False) as saved:
        assert set(saved.files) == {"seeker", "vacancy", "score"}
        assert saved["seeker"].dtype == saved["vacancy"].dtype == np.int64
        assert 250 <= saved["seeker"].min() <= saved["seeker"].max() < 500  # the second block's


def test_pools_number_the_pooled_vacancies_in_id_order() -> None:
    """Index rows found in some pool become vacancy rows in id order, whatever the index order,
    so allocation breaks ties by id as the engine does."""
    indexed = [SimpleNamespace(id=i) for i in ("V3", "V1", "V9", "V2")]  # index rows 0 … 3
    block = BlockResult(
        seeker=np.array([0, 0, 1], dtype=np.int64),
        vacancy=np.array([0, 3, 3], dtype=np.int64),  # V3, V2 for seeker 0; V2 for seeker 1
        score=np.array([0.9, 0.5, 0.7]),
    )
    candidates, pooled = pools_of([block], 2, indexed)  # type: ignore[arg-type]
    assert [v.id for v in pooled] == ["V2", "V3"]
    assert candidates.vacancy.tolist() == [1, 0, 0]
    assert candidates.seeker.tolist() == [0, 0, 1]
    assert (candidates.n_seekers, candidates.n_vacancies) == (2, 2)


def test_allocation_input_is_read_from_the_checkpoint_files(tmp_path: Path) -> None:
    """Pools read block by block from the files equal the pools of the blocks in memory."""
    indexed = [SimpleNamespace(id=f"V{i}") for i in (5, 1, 4, 2, 3)]
    rng = np.random.default_rng(3)
    blocks = []
    for first in (0, 3, 6):  # seekers 0-2, 3-5 (none pooled) and 6-8
        sizes = [0, 0, 0] if first == 3 else rng.integers(0, 4, size=3).tolist()
        blocks.append(
            BlockResult(
                seeker=np.repeat(np.arange(first, first + 3, dtype=np.int64), sizes),
                vacancy=np.concatenate(
                    [rng.choice(5, size, replace=False) for size in sizes]
                ).astype(np.int64),
                score=rng.random(sum(sizes)),
            )
        )
    paths = [tmp_path / f"block-{number:06d}.npz" for number in range(len(blocks))]
    for block, path in zip(blocks, paths, strict=True):
        block.save(path)
    checkpoints = Checkpoints(paths)
    assert len(checkpoints) == 3 and len(checkpoints[1:]) == 2
    assert checkpoints[2].seeker.tolist() == blocks[2].seeker.tolist()
    from_files, pooled_from_files = pools_of(checkpoints, 9, indexed)  # type: ignore[arg-type]
    in_memory, pooled = pools_of(blocks, 9, indexed)  # type: ignore[arg-type]
    assert [v.id for v in pooled_from_files] == [v.id for v in pooled]
    assert [v.id for v in pooled] == sorted(v.id for v in pooled)
    for name in ("seeker", "vacancy", "score"):
        assert getattr(from_files, name).tolist() == getattr(in_memory, name).tolist(), name
    assert from_files.n_pairs == sum(len(block.score) for block in blocks)
    expected = [indexed[row].id for block in blocks for row in block.vacancy.tolist()]
    assert [pooled[row].id for row in from_files.vacancy.tolist()] == expected


@pytest.mark.parametrize("headers", ["zh", "en"])
def test_streamed_run_files_equal_the_all_at_once_writers(
    home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, headers: str
) -> None:
    """A run streams its rows a block at a time; the files are byte for byte those of the
    writers that take every row at once, over several blocks of seekers and vacancies (and
    Parquet row groups that straddle them)."""
    from matcher.fairs import batch, output
    from matcher.fairs.output import write_outputs

    monkeypatch.setattr(output, "PARQUET_ROW_GROUP_ROWS", 50)

    options = BatchOptions(
        k=5, per_vacancy=10, block_size=70, include_contacts=True, headers=headers
    )
    calendar = load_campaigns()
    with Store.open(home) as store:
        streamed = run_batch(
            store, calendar, home, tmp_path / "streamed", fair_id=FAIR, options=options
        )

        def all_at_once(
            out: Path, rows: Any, lists: Any, meta: Any, options: BatchOptions
        ) -> dict[str, Path]:
            whole = rows.all()
            assert len(whole.shortlists) > options.block_size  # more than one block of rows
            return write_outputs(
                out,
                whole.shortlists,
                whole.invitations,
                whole.notifications,
                include_contacts=options.include_contacts,
                formats=options.formats,
                headers=options.headers,
            )

        monkeypatch.setattr(batch, "write_files", all_at_once)
        whole = run_batch(store, calendar, home, tmp_path / "whole", fair_id=FAIR, options=options)
    assert list(streamed.files)[:6] == list(whole.files)
    for name, path in whole.files.items():
        if name.endswith((".csv", ".parquet")):
            assert streamed.files[name].read_bytes() == path.read_bytes(), name
    assert pq.ParquetFile(streamed.files["shortlists.parquet"]).num_row_groups > 1
    header = (tmp_path / "streamed" / "candidates.csv").read_text("utf-8-sig").split("\r\n")[0]
    assert header.startswith("岗位编号,单位编号" if headers == "zh" else "vacancy_id,employer_id")


def test_invitation_files_written_in_a_second_process_are_the_same(
    home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Large runs write the invitation files, and the later seekers' rows, in a second
    process while this one writes the first seekers' rows and then appends the others: the
    same bytes, listed in the same order, and no scratch file left."""
    from matcher.fairs import batch

    options = BatchOptions(k=5, per_vacancy=10, block_size=70, formats=("csv", "parquet"))
    calendar = load_campaigns()
    with Store.open(home) as store:
        alone = run_batch(store, calendar, home, tmp_path / "one", fair_id=FAIR, options=options)
        submitted: list[str] = []

        class Recording(ProcessPoolExecutor):
            def submit(self, fn: Any, /, *args: Any, **kwargs: Any) -> Any:
                submitted.append(fn.__name__)
                return super().submit(fn, *args, **kwargs)

        splits: list[int | None] = []
        seeker_split = batch._seeker_split

        def recorded_split(*args: Any) -> int | None:
            splits.append(seeker_split(*args))
            return splits[-1]

        monkeypatch.setattr(batch, "ProcessPoolExecutor", Recording)
        monkeypatch.setattr(batch, "_seeker_split", recorded_split)
        monkeypatch.setattr(batch, "PARALLEL_WRITE_ROWS", 1)
        beside = run_batch(store, calendar, home, tmp_path / "two", fair_id=FAIR, options=options)
    assert submitted == ["_write_beside_files"]
    assert splits and splits[0] is not None and splits[0] >= 1  # the second process made some
    assert list(beside.files) == list(alone.files)
    for name, path in alone.files.items():
        if name.endswith((".csv", ".parquet")):
            assert beside.files[name].read_bytes() == path.read_bytes(), name
    assert beside.files["candidates.csv"].parent == tmp_path / "two"
    assert not [p for p in (tmp_path / "two").iterdir() if p.name.endswith(".parts")]


def test_header_language_changes_only_the_headers(home: Path, tmp_path: Path) -> None:
    """Chinese headers by default, field names with headers="en" (``jobmatch batch --headers
    en``): the same rows, the same Parquet files, and the ranking reused from the
    checkpoints (the header language is not part of the run key)."""
    calendar = load_campaigns()
    with Store.open(home) as store:
        chinese = run_batch(store, calendar, home, tmp_path, fair_id=FAIR)
        zh = {name: path.read_bytes() for name, path in chinese.files.items()}
        english = run_batch(
            store, calendar, home, tmp_path, fair_id=FAIR, options=BatchOptions(headers="en")
        )
    assert english.resumed_blocks == english.blocks == chinese.blocks  # nothing re-ranked
    for name in ("shortlists.csv", "candidates.csv", "notifications.csv"):
        first_zh, rest_zh = zh[name].split(b"\r\n", 1)
        first_en, rest_en = english.files[name].read_bytes().split(b"\r\n", 1)
        assert rest_zh == rest_en, name  # the rows, byte for byte
        assert first_zh.decode("utf-8-sig").startswith(
            "求职者编号" if name != "candidates.csv" else "岗位编号"
        )
        assert first_en.decode("utf-8-sig").startswith(
            "seeker_id" if name != "candidates.csv" else "vacancy_id"
        )
    for name in ("shortlists.parquet", "candidates.parquet"):
        assert pq.read_table(english.files[name]).equals(pq.read_table(io.BytesIO(zh[name])))
    from openpyxl import load_workbook

    book = load_workbook(english.files["matches.xlsx"], read_only=True)
    assert next(book["求职者清单"].iter_rows(values_only=True))[:2] == ("seeker_id", "rank")
    book.close()
    with pytest.raises(BatchError, match="headers must be one of zh, en"):
        BatchOptions(headers="cn")


def test_cli_batch_headers_option(home: Path, tmp_path: Path) -> None:
    args = ["batch", "--fair", FAIR, "-k", "3", "--formats", "csv"]
    for headers in ("en", "zh"):
        out = tmp_path / headers
        subprocess.run(
            _jobmatch(home, *args, "--headers", headers, "--out", str(out)),
            check=True,
            capture_output=True,
        )
    assert (tmp_path / "en" / "shortlists.csv").read_text("utf-8-sig").startswith("seeker_id,rank,")
    assert (
        (tmp_path / "zh" / "shortlists.csv").read_text("utf-8-sig").startswith("求职者编号,排名,")
    )
    assert rows_of(tmp_path / "en" / "shortlists.csv") == rows_of(
        tmp_path / "zh" / "shortlists.csv"
    )
    bad = subprocess.run(
        _jobmatch(home, *args, "--headers", "fr", "--out", str(tmp_path / "fr")),
        capture_output=True,
        text=True,
    )
    assert bad.returncode == 2 and "invalid choice: 'fr'" in bad.stderr


@pytest.mark.slow
def test_cli_batch_on_local_workers(home: Path, tmp_path: Path) -> None:
    """``--workers 2`` ranks on two local processes and writes what one process writes; it
    and ``--scheduler`` exclude each other."""
    args = ["batch", "--fair", FAIR, "-k", "3", "--formats", "csv", "--block-size", "100"]
    for name, extra in (("one", []), ("two", ["--workers", "2"])):
        subprocess.run(
            _jobmatch(home, *args, *extra, "--out", str(tmp_path / name)),
            check=True,
            capture_output=True,
        )
    for name in ("shortlists.csv", "candidates.csv"):
        assert (tmp_path / "two" / name).read_bytes() == (tmp_path / "one" / name).read_bytes()
    both = subprocess.run(
        _jobmatch(home, *args, "--workers", "2", "--scheduler", "tcp://127.0.0.1:1", "--out", "x"),
        capture_output=True,
        text=True,
    )
    assert both.returncode == 2 and "not allowed with argument" in both.stderr
