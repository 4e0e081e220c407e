"""Rankers on the screening set (``tests/data/screening/``): each posting ranks its applicants.

Usage::

    .venv/bin/python benchmarks/eval_screening.py                  # baselines + var/demo's model
    .venv/bin/python benchmarks/eval_screening.py --home var       # the model of another home
    .venv/bin/python benchmarks/eval_screening.py --out FILE.csv   # also keep the pairs file

The employer's side of matching, as screening decisions see it: for each of 12 postings (8 of
our 遂宁 postings from the real-text set, 4 real IT postings read from
``../shared/data/vacancies/it_jobs_2019.csv`` at run time) 8–9 résumés of people who would
apply — most of them in or near the trade — graded by hand: 3 *passes screening* (every hard
requirement the posting states is met: licence or certificate, minimum education, years, age
limit, the core skills it says must be mastered, and the work is the posting's line), 0
*rejected* (the line is another one, or one stated requirement is not met). Each grade's
reason is in ``resumes.tsv``. Unlike the real-text set, where most wrong vacancies are another
trade, here most rejected applicants share the posting's words: what separates them is a
requirement gap (C1 against A2/B2, one year against three, 中专 against 大专, over the age).

Each posting is a query (``query_id`` = posting) in a pairs file evaluated by
:func:`matcher.learning.evaluation.evaluate_pairs_file` — what ``jobmatch evaluate --pairs``
prints — text only, as the screening decisions of issue 12 are given: per-query AUC, NDCG@5
and @10, MRR, for the model of ``HOME/models`` beside the lexical baselines fitted on the
file's own texts. Issue 12 aims at per-query AUC ≥ 0.62 on real screening decisions.
"""

from __future__ import annotations

import argparse
import csv
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from eval_realtext import _model
from realtext import QUERY_DATE, SET_DIR, SHARED_VACANCIES, _read_real, _read_tsv

from matcher.errors import JobmatchError
from matcher.learning.evaluation import evaluate_pairs_file

ROOT = Path(__file__).resolve().parent.parent
SCREENING_DIR = ROOT / "tests" / "data" / "screening"
PAIRS_COLUMNS = ("query_id", "query_date", "resume_text", "vacancy_text", "label", "seeker_id")
AIM_AUC = 0.62
"""Issue 12's aim for per-query AUC on real screening decisions."""


def screening_pairs(
    set_dir: Path = SCREENING_DIR, shared: Path = SHARED_VACANCIES
) -> tuple[list[dict[str, str]], list[str]]:
    """The set's rows in the pairs format, and notes (postings left out when ``shared`` is
    absent)."""
    postings = _read_tsv(set_dir / "postings.tsv")
    own = {row["vacancy_id"]: row for row in _read_tsv(SET_DIR / "vacancies.tsv")}
    texts: dict[str, str] = {}
    wanted: dict[str, set[int]] = {}
    for posting in postings:
        if posting["source"] == "own":
            row = own[posting["posting_id"]]
            texts[posting["posting_id"]] = f"{row['title']}\n{row['text']}"
        else:
            wanted.setdefault(posting["source"], set()).add(int(posting["row"]))
    notes: list[str] = []
    if wanted and all((shared / file).exists() for file in wanted):
        real = _read_real(wanted, shared)
        for posting in postings:
            if posting["source"] != "own":
                texts[posting["posting_id"]] = real[(posting["source"], int(posting["row"]))][1]
    elif wanted:
        notes.append(f"{shared} absent: {sum(map(len, wanted.values()))} real postings left out")
    rows = [
        {
            "query_id": resume["posting_id"],
            "query_date": QUERY_DATE,
            "resume_text": resume["text"],
            "vacancy_text": texts[resume["posting_id"]],
            "label": resume["label"],
            "seeker_id": resume["resume_id"],
        }
        for resume in _read_tsv(set_dir / "resumes.tsv")
        if resume["posting_id"] in texts
    ]
    return rows, notes


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--home", type=Path, default=ROOT / "var" / "demo", help="model home")
    parser.add_argument("--model", help="model version (default: the active one)")
    parser.add_argument("--out", type=Path, help="also write the pairs file here")
    args = parser.parse_args(argv)

    rows, notes = screening_pairs()
    for note in notes:
        print(f"note: {note}")
    model = None
    try:
        model = _model(args.home, args.model)
    except JobmatchError as error:
        print(f"note: the model of {args.home} cannot be used: {error}; baselines only")
    if model is None:
        print(f"note: no model in {args.home / 'models'}; baselines only")
    with tempfile.TemporaryDirectory(prefix="screening-") as folder:
        path = args.out or Path(folder) / "screening.csv"
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("w", encoding="utf-8", newline="") as handle:
            writer = csv.DictWriter(handle, fieldnames=PAIRS_COLUMNS, lineterminator="\n")
            writer.writeheader()
            writer.writerows(rows)
        evaluation = evaluate_pairs_file(
            path,
            None if model is None else model[0],
            model_name=None if model is None else "model",
        )
    print(evaluation.table())
    if model is not None:
        auc = evaluation.metrics["model"]["auc"]
        print(f"model per-query AUC {auc:.3f} (issue 12 aims at ≥ {AIM_AUC} on real decisions)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
