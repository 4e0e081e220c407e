from __future__ import annotations

import csv
import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from matcher.cli import main
from matcher.domain.records import Seeker
from matcher.storage.store import Store
from tests.conftest import DATA

pytestmark = pytest.mark.integration
IMPORT = DATA / "import"


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_help_everywhere() -> None:
    script = Path(sys.executable).parent / "jobmatch"
    command = [str(script)] if script.exists() else [sys.executable, "-m", "matcher.cli"]
    for sub in ([], ["generate"], ["import"], ["stats"], ["campaigns"], ["demo"]):
        done = subprocess.run(
            [*command, *sub, "--help"], capture_output=True, text=True, check=False
        )
        assert done.returncode == 0, done.stderr
        assert "usage: jobmatch" in done.stdout


def test_campaigns(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    code, out, _ = run(capsys, "--home", str(tmp_path), "campaigns")
    assert code == 0
    assert out.startswith("12 campaigns")
    assert "残疾人就业帮扶" in out and "仅无障碍岗位" in out
    code, out, _ = run(capsys, "--home", str(tmp_path), "campaigns", "--on", "2022-05-15")
    assert "disability_employment" in out and "spring_breeze" not in out


def test_bad_campaign_file_is_a_clear_error(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text("[[campaign]]\nid = 'x'\n", encoding="utf-8")
    code, _, err = run(capsys, "--campaigns", str(bad), "campaigns")
    assert code == 2
    assert "campaign #1 (x)" in err and "Field required" in err


def test_import_and_stats(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    home = tmp_path / "home"
    code, out, _ = run(
        capsys, "--home", str(home), "import", "employers", str(IMPORT / "employers.csv")
    )
    assert code == 0 and "wrote 3 employers" in out
    code, out, _ = run(
        capsys, "--home", str(home), "import", "seekers", str(IMPORT / "seekers_mixed.csv")
    )
    assert code == 1
    assert "wrote 3 seekers and 2 contacts" in out
    assert "rejected 5 rows" in out and "line 5: region:" in out
    reports = list((home / "reports").glob("import-seekers-*.csv"))
    assert len(reports) == 1
    assert "13900139000" not in out + reports[0].read_text(encoding="utf-8-sig")
    code, out, _ = run(capsys, "--home", str(home), "stats")
    assert code == 0
    assert "返乡农民工" in out and "四川省遂宁市蓬溪县" in out
    with Store.open(home) as store:
        assert store.count(Seeker) == 3


def test_unusable_import_file(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    source = tmp_path / "employers.csv"
    shutil.copy(IMPORT / "employers_bad_header.csv", source)
    code, _, err = run(capsys, "--home", str(tmp_path), "import", "employers", str(source))
    assert code == 2
    assert "colour are not fields of employers" in err


def test_bad_arguments_exit_2(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as caught:
        main(["generate", "--seekers", "0"])
    assert caught.value.code == 2
    assert "must be at least 1" in capsys.readouterr().err


def test_generate_then_stats(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    home, out_dir = tmp_path / "home", tmp_path / "files"
    args = ["--home", str(home), "generate", "--seekers", "300", "--vacancies", "60"]
    code, out, _ = run(capsys, *args, "--seed", "3", "--no-progress", "--out", str(out_dir))
    assert code == 0 and "generated" in out and "300 seekers (300 contacts)" in out
    assert {p.name for p in out_dir.iterdir()} >= {"seekers.jsonl", "vacancies.jsonl"}
    code, _, err = run(capsys, *args, "--no-progress")
    assert code == 2 and "--replace" in err  # never mixes two data sets silently
    code, out, _ = run(capsys, *args, "--seed", "4", "--no-progress", "--replace")
    assert code == 0
    code, out, _ = run(capsys, "--home", str(home), "stats")
    assert "seekers            300" in out


def test_demo_keeps_to_its_own_store(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    home = tmp_path / "home"
    run(capsys, "--home", str(home), "import", "employers", str(IMPORT / "employers.csv"))
    code, out, _ = run(
        capsys, "--home", str(home), "demo", "--seekers", "600", "--vacancies", "120"
    )
    assert code == 0
    assert "jobmatch demo" in out and out.count("\n求职者 S") == 4
    assert "1. " in out and "匹配度" in out and "lambdamart" in out and "NDCG@10" in out
    assert (home / "demo" / "models" / "ACTIVE").exists()
    with Store.open(home) as store:  # the main store is untouched
        assert store.count(Seeker) == 0 and store.summary()["counts"]["employers"] == 3


def test_analyze_vacancies_csv(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    output = tmp_path / "analysis.csv"
    source = DATA / "analyze" / "vacancies.csv"
    code, _, err = run(capsys, "analyze-vacancies", str(source), "--output", str(output))
    assert code == 1  # the row without text
    assert "line 4: text: is empty" in err
    with output.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert [row["id"] for row in rows] == ["A1", "A2", "A3", "A4", "A5"]  # input order
    first, second, empty, fourth, fifth = rows
    assert (first["salary_min"], first["salary_max"], first["headcount_count"]) == (
        "4000",
        "6000",
        "20",
    )
    assert first["compliance_flags"] == "gender:仅招男性" and first["redacted_mobile"] == "1"
    assert (
        second["occupation_code"] == "2-08-03-00" and second["certificates_required"] == "teacher"
    )
    assert empty["error"] == "text: is empty"
    assert {flag.split(":")[0] for flag in fourth["compliance_flags"].split(";")} == {
        "marital_childbearing",
        "hepatitis_b",
    }
    assert fifth["compliance_flags"] == "" and fifth["redacted_address"] == "1"
    text = output.read_text(encoding="utf-8-sig")
    assert "13800138000" not in text and "明月路88号" not in text


def test_analyze_vacancies_plain_text_to_stdout(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "analyze-vacancies", str(DATA / "analyze" / "vacancies.txt"))
    assert code == 0
    records = [json.loads(line) for line in out.splitlines()]
    assert [r["line"] for r in records] == [1, 3]
    assert records[0]["title"] == "射洪锂电厂急招操作工"
    assert records[0]["salary"] == {
        "min": 5000,
        "max": 7000,
        "basis": "month",
        "months_per_year": None,
    }
    assert records[0]["compliance_flags"][0]["category"] == "gender"
    assert records[1]["certificates"]["required"] == ["health"]


def test_analyze_vacancies_names_a_missing_column(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    source = tmp_path / "jobs.csv"
    source.write_text("id,name\n1,普工\n", encoding="utf-8")
    code, _, err = run(capsys, "analyze-vacancies", str(source))
    assert code == 2
    assert "no text column" in err and "columns: id, name" in err


def test_train_evaluate_and_models(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    home = str(tmp_path / "home")
    run(
        capsys,
        "--home",
        home,
        "generate",
        "--seekers",
        "600",
        "--vacancies",
        "120",
        "--no-progress",
    )
    code, out, _ = run(capsys, "--home", home, "train")
    assert code == 0
    assert "lambdamart" in out and "tfidf_cosine" in out and "pointwise" in out
    assert "NDCG@10 per priority group" in out and "active model:" in out
    code, listed, _ = run(capsys, "--home", home, "models", "list")
    assert code == 0 and listed.startswith("* ")
    first = listed.split()[1]
    code, out, _ = run(capsys, "--home", home, "evaluate")
    assert code == 0 and f"model {first} (lambdamart)" in out and "random" in out
    # exposure of the served top-10 lists, one Gini in [0, 1] per ranker
    header = next(line for line in out.splitlines() if line.startswith("ranker"))
    assert header.split()[-1] == "served@10"
    served = [float(line.split()[-1]) for line in out.splitlines() if line.startswith("random ")]
    assert len(served) == 1 and 0.0 <= served[0] <= 1.0
    code, out, _ = run(capsys, "--home", home, "train", "--ranker", "pointwise", "--promote")
    assert code == 0
    code, out, _ = run(capsys, "--home", home, "models", "rollback")
    assert code == 0 and first in out
    code, _, err = run(capsys, "--home", home, "models", "promote", "nope")
    assert code == 2 and "unknown version 'nope'" in err
    code, _, err = run(capsys, "--home", home, "train", "--ranker", "magic")
    assert code == 2 and "unknown ranker 'magic'" in err


def test_train_from_pairs_file_then_score_pairs(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    home = str(tmp_path / "home")
    pairs = DATA / "training" / "pairs_small.csv"
    code, out, _ = run(capsys, "--home", home, "train", "--pairs", str(pairs))
    assert code == 0 and "lambdamart" in out and "saved model" in out
    source = tmp_path / "to_score.csv"
    source.write_text(
        "query_id,note,resume_text,vacancy_text,region\n"
        "q2,b,求职意向：电工，持低压电工证,招聘电工，持电工证，月薪5000-7000元,510903\n"
        "q1,a,求职意向：幼师，有教师资格证,招聘焊工，熟练氩弧焊,\n"
        "q1,c,求职意向：焊工,招聘焊工，熟练氩弧焊，有焊工证,510921\n",
        encoding="utf-8",
    )
    output = tmp_path / "scored.csv"
    code, out, _ = run(capsys, "--home", home, "score-pairs", str(source), "-o", str(output))
    assert code == 0 and "scored 3 pairs" in out
    with output.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert [(r["query_id"], r["note"]) for r in rows] == [("q2", "b"), ("q1", "a"), ("q1", "c")]
    assert list(rows[0]) == ["query_id", "note", "resume_text", "vacancy_text", "region", "score"]
    assert all(float(r["score"]) == float(r["score"]) for r in rows)  # numbers, not NaN
    missing = tmp_path / "missing.csv"
    missing.write_text("query_id,resume_text\nq1,求职意向：电工\n", encoding="utf-8")
    code, _, err = run(capsys, "--home", home, "score-pairs", str(missing), "-o", str(output))
    assert code == 2 and "'vacancy_text'" in err


def test_evaluate_without_a_model(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    code, _, err = run(capsys, "--home", str(tmp_path), "evaluate")
    assert code == 2 and "run `jobmatch train` first" in err
