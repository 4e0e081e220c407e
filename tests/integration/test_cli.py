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
    for sub in (
        [],
        ["generate"],
        ["import"],
        ["stats"],
        ["campaigns"],
        ["demo"],
        ["evaluate"],
        ["analyze-resumes"],
    ):
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
    assert "NDCG@10 per priority group" in out
    # promoted (a first model) only when its NDCG@10 is above the best lexical baseline's
    overall = {line.split()[0]: float(line.split()[2]) for line in out.splitlines()[2:7]}
    best = max(("tfidf_cosine", "bm25"), key=overall.__getitem__)
    first = out.split("saved model ")[1].split()[0]
    if overall["lambdamart"] > overall[best]:
        assert f"active model: {first} (lambdamart NDCG@10" in out
        assert f"is above {best} {overall[best]:.4f} on the test split)" in out
    else:
        assert f"not promoted: lambdamart NDCG@10 {overall['lambdamart']:.4f}" in out
        assert "use --force to promote anyway" in out
        assert run(capsys, "--home", home, "models", "promote", first)[0] == 0
    code, listed, _ = run(capsys, "--home", home, "models", "list")
    assert code == 0 and listed.startswith(f"* {first}")
    code, out, _ = run(capsys, "--home", home, "evaluate")
    assert code == 0 and f"model {first} (lambdamart)" in out and "random" in out
    # exposure of the served top-10 lists, one Gini in [0, 1] per ranker
    header = next(line for line in out.splitlines() if line.startswith("ranker"))
    assert header.split()[-1] == "served@10"
    served = [float(line.split()[-1]) for line in out.splitlines() if line.startswith("random ")]
    assert len(served) == 1 and 0.0 <= served[0] <= 1.0
    code, out, _ = run(capsys, "--home", home, "train", "--ranker", "pointwise", "--force")
    assert code == 0 and "active model: " in out and first not in out.splitlines()[-1]
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
    code, out, _ = run(capsys, "--home", home, "train", "--pairs", str(pairs), "--force")
    assert code == 0 and "lambdamart" in out and "saved model" in out and "active model:" in out
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
    assert list(rows[0]) == [
        "query_id", "note", "resume_text", "vacancy_text", "region", "score", "error",
    ]  # fmt: skip
    assert all(float(r["score"]) == float(r["score"]) for r in rows)  # numbers, not NaN
    assert all(r["error"] == "" for r in rows)
    # a real file has empty résumés and bad cells: every row that can be is scored, the others
    # are marked with the column and the problem, and the exit code says some were not
    source.write_text(
        "resume_text,vacancy_text,region\n"
        ",招聘电工，持电工证,510903\n"
        "求职意向：焊工,招聘焊工，熟练氩弧焊,5199xx\n"
        "求职意向：焊工,招聘焊工，熟练氩弧焊,510921\n",
        encoding="utf-8",
    )
    code, out, err = run(capsys, "--home", home, "score-pairs", str(source), "-o", str(output))
    assert code == 1 and "scored 2 pairs" in out and "1 row(s) could not be scored (lines 3)" in err
    with output.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert [bool(r["score"]) for r in rows] == [True, False, True]
    assert rows[1]["error"].startswith("region: ") and "GB/T 2260" in rows[1]["error"]
    missing = tmp_path / "missing.csv"
    missing.write_text("query_id,resume_text\nq1,求职意向：电工\n", encoding="utf-8")
    code, _, err = run(capsys, "--home", home, "score-pairs", str(missing), "-o", str(output))
    assert code == 2 and "'vacancy_text'" in err


def test_evaluate_without_a_model(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    code, _, err = run(capsys, "--home", str(tmp_path), "evaluate")
    assert code == 2 and "run `jobmatch train` first" in err


JOBS = (
    "电工，持低压电工证，维修配电柜",
    "焊工，熟练氩弧焊，有焊工证",
    "叉车司机，持叉车证，仓库装卸",
    "会计，熟悉用友财务软件，做账报税",
    "保安，负责小区巡逻和门岗值守",
    "幼儿园教师，持教师资格证，照顾幼儿",
)


def text_similarity_pairs(path: Path) -> Path:
    """Each seeker asks for one job; their own job's posting is labelled 3, the others 0:
    the label is text similarity, which no learned ranker can beat."""
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["query_id", "resume_text", "vacancy_text", "label"])
        for i, wanted in enumerate(JOBS):
            for j, posted in enumerate(JOBS):
                writer.writerow(
                    [f"q{i}", f"求职意向：{wanted}", f"招聘{posted}", 3 if i == j else 0]
                )
    return path


def test_a_model_that_loses_to_text_similarity_is_not_promoted(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    home = tmp_path / "home"
    pairs = text_similarity_pairs(tmp_path / "pairs.csv")
    code, out, _ = run(capsys, "--home", str(home), "train", "--pairs", str(pairs))
    assert code == 0 and "saved model" in out
    verdict = out.splitlines()[-1]
    assert verdict.startswith("not promoted: lambdamart NDCG@10 ")
    assert " is below " in verdict or " equals " in verdict
    assert "in cross-validation; use --force to promote anyway" in verdict
    assert not (home / "models" / "ACTIVE").exists()
    code, _, err = run(
        capsys, "--home", str(home), "score-pairs", str(pairs), "-o", str(tmp_path / "x.csv")
    )
    assert code == 2 and "no model" in err
    code, out, _ = run(capsys, "--home", str(home), "train", "--pairs", str(pairs), "--force")
    assert code == 0 and "promoted with --force although lambdamart NDCG@10" in out
    forced = out.split("saved model ")[1].split()[0]
    assert (home / "models" / "ACTIVE").read_text(encoding="utf-8").strip() == forced
    # a later run does not replace the active model unless asked (--promote, --force)
    code, out, _ = run(capsys, "--home", str(home), "train", "--pairs", str(pairs))
    assert (
        out.splitlines()[-1]
        == f"not promoted: the active model stays {forced} (--promote to replace it)"
    )


def test_evaluate_a_pairs_file_beside_the_lexical_baselines(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    home = str(tmp_path / "home")
    pairs = text_similarity_pairs(tmp_path / "pairs.csv")
    code, out, err = run(capsys, "--home", home, "evaluate", "--pairs", str(pairs))
    assert code == 0 and "lexical baselines only" in err
    rows = {line.split()[0]: line.split()[1:] for line in out.splitlines()[3:7]}
    assert list(rows) == ["word_tfidf", "char_tfidf", "bm25", "random"]
    assert rows["word_tfidf"] == ["1.0000"] * 4  # auc, ndcg@5, ndcg@10, mrr
    assert "36 pairs, 6 queries (6 with good and other rows)" in out
    assert "good = label ≥ 2 (graded labels)" in out
    run(
        capsys,
        "--home",
        home,
        "train",
        "--pairs",
        str(DATA / "training" / "pairs_small.csv"),
        "--force",
    )
    code, out, _ = run(capsys, "--home", home, "evaluate", "--pairs", str(pairs))
    assert code == 0 and out.startswith("model ") and "(lambdamart)" in out.splitlines()[0]
    header, model_row = out.splitlines()[3:5]
    assert header.split() == ["ranker", "auc", "ndcg@5", "ndcg@10", "mrr"]
    assert model_row.split()[0] == "lambdamart"
    assert all(0.0 <= float(value) <= 1.0 for value in model_row.split()[1:])
    assert "best lexical baseline by NDCG@10: " in out and "lambdamart − " in out
    code, _, err = run(capsys, "--home", home, "evaluate", "--pairs", str(tmp_path / "no.csv"))
    assert code == 2 and "file not found" in err


RESUMES = DATA / "analyze" / "resumes.csv"
PERSONAL = (
    "王建国",
    "李秀英",
    "张三",
    "13800138000",
    "13900139000",
    "510903198507150011",
    "明月路88号",
)


def test_analyze_resumes_csv(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    output = tmp_path / "resumes.csv"
    code, out, err = run(capsys, "analyze-resumes", str(RESUMES), "--output", str(output))
    assert code == 1  # the row without text
    assert "line 4: text: is empty" in err and "analysed 8 résumés" in err
    assert "redacted personal data before reading: address 1, id_number 1, mobile 1, name 2" in err
    text = output.read_text(encoding="utf-8-sig")
    for value in PERSONAL:  # contact columns and personal data are never echoed
        assert value not in text and value not in out + err, value
    with output.open(encoding="utf-8-sig", newline="") as handle:
        rows = {row["line"]: row for row in csv.DictReader(handle)}
    # input order; an id that is a phone number is not output
    assert [row["id"] for row in rows.values()] == [
        "R1",
        "R2",
        "R3",
        "R4",
        "R5",
        "R6",
        "",
        "R8",
        "R9",
    ]
    veteran, formal, empty, rebar, carer, graduate, welder, disabled, _ = rows.values()
    assert "4-07-05-01" in veteran["desired_occupation_codes"].split(";")  # 保安员
    assert veteran["past_occupation_codes"] == "4-02-02-02"  # 开过五年货车
    assert (veteran["certificates"], veteran["priority_groups"]) == ("driving_b2", "veteran")
    assert (veteran["home_region"], veteran["experience_years"]) == ("510903", "5.0")
    assert (veteran["redacted_name"], veteran["redacted_mobile"]) == ("1", "1")
    assert formal["desired_occupation_codes"] == "6-31-01-03"  # 电工
    assert (formal["education_level"], formal["experience_years"], formal["birth_year"]) == (
        "2",
        "3.0",
        "1990",
    )
    assert (formal["expected_salary_min"], formal["expected_salary_max"]) == ("5000", "6000")
    assert formal["certificates"] == "low_voltage_electrician"
    assert empty["error"] == "text: is empty" and empty["desired_occupation_codes"] == ""
    assert rebar["past_occupation_codes"] == "6-29-01-04"  # 扎钢筋 → 钢筋工
    assert (rebar["age"], rebar["experience_years"], rebar["home_region"]) == (
        "50",
        "11.0",
        "510981",
    )
    assert (rebar["expected_salary_min"], rebar["expected_salary_max"]) == ("4000", "")
    assert carer["priority_groups"] == "poverty_alleviated" and carer["near_home"] == "True"
    assert carer["redacted_id_number"] == "1" and carer["home_region"] == "510904"
    assert graduate["priority_groups"] == "fresh_graduate" and graduate["education_level"] == "4"
    assert welder["desired_occupation_codes"].split(";")[0] == "6-18-02-04"  # 焊工
    assert (welder["certificates"], welder["age"], welder["redacted_address"]) == (
        "welding",
        "52",
        "1",
    )
    assert disabled["priority_groups"] == "disabled"


def test_analyze_resumes_jsonl_to_stdout(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    source = tmp_path / "walkins.jsonl"
    lines = [
        {"seeker_id": "W1", "说的话": "开大车的，跑了八年运输，有A2驾照，想找货车司机的活"},
        {"seeker_id": "W2", "说的话": "打鱼的，退捕渔民，想找个保安或者保洁的活，电话13800138000"},
    ]
    source.write_text(
        "\n".join(json.dumps(line, ensure_ascii=False) for line in lines), encoding="utf-8"
    )
    code, out, err = run(capsys, "analyze-resumes", str(source), "--text-column", "说的话")
    assert code == 0 and "13800138000" not in out + err
    first, second = (json.loads(line) for line in out.splitlines())
    assert (first["line"], first["id"], second["id"]) == (1, "W1", "W2")
    assert first["desired_occupations"][0]["code"] == "4-02-02-02"  # 道路货运汽车驾驶员
    assert 0.0 < first["desired_occupations"][0]["confidence"] <= 1.0
    assert first["experience_years"]["value"] == 8.0
    assert first["certificates"][0]["code"] == "driving_a2"
    assert "redactions" in first and second["redactions"]["mobile"] == 1
    assert {group["code"] for group in second["priority_groups"]} == {"retired_fisher"}
    assert "evidence" not in out  # values and confidences, never the words read
    code, _, err = run(capsys, "analyze-resumes", str(RESUMES), "--text-column", "简历")
    assert code == 2 and "'简历' is not a column" in err
