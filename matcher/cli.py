"""The ``jobmatch`` command line: generate, import, stats, train, evaluate, models, apikey, staff …

Every command has ``--help``. Exit codes: 0 done; 1 done, but some import rows were rejected (see
the report); 2 nothing done (bad arguments or an unusable file).
"""

from __future__ import annotations

import argparse
import datetime as dt
import shutil
import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from matcher.domain.campaigns import CampaignCalendar, load_campaigns
from matcher.errors import JobmatchError
from matcher.fairs.output import HEADER_LANGUAGES
from matcher.intake.importer import IMPORT_KINDS, import_file
from matcher.storage.config import Paths
from matcher.storage.staff import ROLES
from matcher.storage.store import Store
from models.bundle import Bundle


def _int_at_least(minimum: int) -> Callable[[str], int]:
    """An argparse type: a whole number no smaller than ``minimum``."""

    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
        if value < minimum:
            raise argparse.ArgumentTypeError(f"must be at least {minimum}, got {value}")
        return value

    return parse


_positive = _int_at_least(1)
_non_negative = _int_at_least(0)


# --- progress on a terminal ----------------------------------------------------------------

PROGRESS_HELP = (
    "show progress bars on stderr, or not (default: only when stderr is a terminal, never "
    "into a pipe or a file)"
)


def _add_progress_option(parser: argparse.ArgumentParser) -> None:
    """``--progress`` / ``--no-progress`` (default: decided by :meth:`Progress.of`)."""
    parser.add_argument(
        "--progress", action=argparse.BooleanOptionalAction, default=None, help=PROGRESS_HELP
    )


def _is_terminal(stream: IO[str] | None) -> bool:
    """Whether ``stream`` is an open terminal (a closed or replaced stream is not)."""
    try:
        return bool(stream is not None and stream.isatty())
    except (AttributeError, ValueError, OSError):
        return False


@dataclass(frozen=True)
class Progress:
    """Whether a long command shows progress: tqdm bars on stderr, so stdout stays the
    command's result. On when asked (``--progress``), off when asked (``--no-progress``),
    otherwise on only when stderr is a terminal — piped or redirected, a command is quiet."""

    enabled: bool

    @classmethod
    def of(cls, choice: bool | None, stream: IO[str] | None = None) -> Progress:
        """The setting for ``choice`` (``args.progress``: True, False or None for "decide
        from ``stream``", default ``sys.stderr``)."""
        if choice is not None:
            return cls(choice)
        return cls(_is_terminal(sys.stderr if stream is None else stream))

    @contextmanager
    def bar(self, desc: str, unit: str, total: int | None = None) -> Iterator[Any]:
        """A tqdm bar on stderr (a silent one when disabled), closed on leaving; sized to the
        terminal, 80 × 24 when it does not say (given a size of 0, tqdm draws nothing)."""
        from tqdm import tqdm

        size = shutil.get_terminal_size()
        with tqdm(
            total=total,
            desc=desc,
            unit=unit,
            disable=not self.enabled,
            file=sys.stderr,
            ncols=size.columns,
            nrows=size.lines,
        ) as bar:
            yield bar


class _CountBars:
    """Bars for a job that reports ``(stage, done, total)`` counts: a bar per stage, the
    next opened when the stage changes (a context manager: leaving closes the last)."""

    def __init__(self, progress: Progress, units: dict[str, str]) -> None:
        self._progress = progress
        self._units = units
        self._stack = ExitStack()
        self._stage: str | None = None
        self._bar: Any = None

    def __enter__(self) -> _CountBars:
        return self

    def __exit__(self, *exc: object) -> None:
        self._stack.close()

    def __call__(self, stage: str, done: int, total: int) -> None:
        if stage != self._stage:
            self._stack.close()
            unit = self._units.get(stage, "step")
            self._bar = self._stack.enter_context(self._progress.bar(stage, unit, total))
            self._stage = stage
        self._bar.update(done - self._bar.n)


class _StageBar:
    """A bar over a job's named stages: each call names the stage starting, the bar counts
    the finished ones (``finish`` the last)."""

    def __init__(self, bar: Any, command: str) -> None:
        self._bar = bar
        self._command = command
        self._started = False

    def __call__(self, stage: str) -> None:
        self._show(f"{self._command}: {stage}", done=1 if self._started else 0)
        self._started = True

    def finish(self) -> None:
        if self._started:
            self._show(self._command, done=1)

    def _show(self, description: str, *, done: int) -> None:
        """Count ``done`` more stages and name the next in one refresh (one line)."""
        self._bar.set_description(description, refresh=False)
        self._bar.n += done
        self._bar.refresh()


@dataclass(frozen=True)
class Command:
    """A command another package adds to ``jobmatch`` (e.g. ``serve`` from :mod:`api`, which
    matcher must not import)."""

    name: str
    help: str
    add_arguments: Callable[[argparse.ArgumentParser], None]
    run: Callable[[Paths, argparse.Namespace], int]


def build_parser(extra: Sequence[Command] = ()) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="jobmatch",
        description="Job-seeker/vacancy matching for public employment services (遂宁市 default).",
    )
    parser.add_argument(
        "--home",
        type=Path,
        help="data directory with the SQLite store and reports (default: $JOBMATCH_HOME or ./var)",
    )
    parser.add_argument(
        "--campaigns",
        type=Path,
        help="campaigns TOML file (default: $JOBMATCH_CAMPAIGNS or the shipped 2022 calendar)",
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    generate = commands.add_parser(
        "generate",
        help="generate a realistic synthetic Suining data set into the store",
        description="Generate employers, vacancies, seekers (with contacts) and 2022 interactions.",
    )
    generate.add_argument("--seekers", type=_positive, default=2_000, help="default 2000")
    generate.add_argument("--vacancies", type=_positive, default=400, help="default 400")
    generate.add_argument("--employers", type=_positive, help="default: about vacancies / 8")
    generate.add_argument("--seed", type=_non_negative, default=2022, help="default 2022")
    generate.add_argument("--out", type=Path, help="also write JSONL/CSV files to this folder")
    generate.add_argument(
        "--replace", action="store_true", help="empty the store first (required when it has data)"
    )
    _add_progress_option(generate)

    importer = commands.add_parser(
        "import",
        help="import seekers, employers, vacancies or interactions from CSV, JSONL or XLSX",
        description=(
            "Validate each row; write the good rows in one transaction; report bad rows "
            "(line, field, message) in a CSV report. Exit 1 when any row was rejected, 2 when "
            "the file cannot be read at all (nothing is written; limits: docs/data.md)."
        ),
    )
    importer.add_argument("kind", choices=sorted(IMPORT_KINDS))
    importer.add_argument("file", type=Path, help="a .csv, .jsonl or .xlsx file")
    importer.add_argument(
        "--report",
        type=Path,
        help="where to write the rejected-rows report (default: HOME/reports)",
    )
    importer.add_argument(
        "--encoding",
        help=(
            "the CSV/JSONL file's encoding, e.g. gb18030, big5, shift_jis (default: UTF-8 with "
            "or without BOM, else GB18030 when the file reads as simplified Chinese)"
        ),
    )
    importer.add_argument("--tenant", type=_tenant_name, help=TENANT_HELP)
    _add_progress_option(importer)

    stats = commands.add_parser(
        "stats",
        help="counts of what the store holds",
        description="Counts of seekers, employers, vacancies and interactions by area and group.",
    )
    stats.add_argument("--tenant", type=_tenant_name, help=TENANT_HELP)

    analyze = commands.add_parser(
        "analyze-vacancies",
        help="parse vacancy texts: fields, occupation, certificates, compliance flags (岗位归集)",
        description=(
            "For each vacancy of a CSV/JSONL/XLSX file with a text column, or a plain-text file "
            "with one vacancy per line, write — in input order — the parsed salary, education, "
            "experience, age and headcount, the 大典 occupation, certificates, welfare, "
            "compliance flags (权益维护) and how much personal data was redacted. JSONL, or CSV "
            "when the output file ends in .csv. Exit 1 when a row could not be analysed."
        ),
    )
    analyze.add_argument("file", type=Path)
    analyze.add_argument("--output", "-o", type=Path, help="output file (default: JSONL to stdout)")
    analyze.add_argument("--text-column", help="column with the vacancy text (default: text, …)")
    analyze.add_argument("--title-column", help="column with the title (default: title, …)")

    analyze_resumes = commands.add_parser(
        "analyze-resumes",
        help="parse résumé texts: desired and past occupations, education, experience, …",
        description=(
            "For each résumé of a CSV/JSONL/XLSX file with a text column, or a plain-text file "
            "with one résumé per line, write — in input order — what the text says: desired "
            "occupations (大典 codes, names, confidence), past occupations, education, years "
            "of experience, certificates, skills, age or birth year, expected salary, home and "
            "desired regions, priority groups named, and how much personal data was redacted "
            "(before anything was read; contact columns name, phone, id_number, address are "
            "redacted from the text and never output). JSONL, or CSV when the output file ends "
            "in .csv. Exit 1 when a row could not be analysed."
        ),
    )
    analyze_resumes.add_argument("file", type=Path)
    analyze_resumes.add_argument(
        "--output", "-o", type=Path, help="output file (default: JSONL to stdout)"
    )
    analyze_resumes.add_argument(
        "--text-column", help="column with the résumé text (default: resume_text, text, …)"
    )

    train = commands.add_parser(
        "train",
        help="train a ranking model from the stored interactions (or a labelled pairs file)",
        description=(
            "Build time-split training and test sets from the interactions, train the ranker "
            "(LightGBM LambdaMART by default), evaluate it beside the baselines (TF-IDF cosine, "
            "BM25, a scikit-learn pointwise model, random) overall and per priority group, and "
            "save it as a new model version under HOME/models. With --pairs, train on an "
            "analyst's CSV (query_id, resume_text, vacancy_text, label, …) with grouped "
            "cross-validation instead. The new model becomes the active one (with --promote, "
            "or when none is active) only when its NDCG@10 is above the best lexical baseline's "
            "(tfidf_cosine, bm25) in that evaluation; --force promotes it anyway."
        ),
    )
    train.add_argument("--ranker", default="lambdamart", help="ranker kind (default lambdamart)")
    train.add_argument("--pairs", type=Path, help="labelled pairs CSV instead of the store")
    train.add_argument("--test-share", type=float, default=0.25, help="latest share of queries")
    train.add_argument(
        "--promote",
        action="store_true",
        help="make it the active model when it beats the best lexical baseline (a first model "
        "is promoted on that condition without asking)",
    )
    train.add_argument(
        "--force",
        action="store_true",
        help="make it the active model even when it does not beat the best lexical baseline",
    )
    _add_progress_option(train)

    score_pairs = commands.add_parser(
        "score-pairs",
        help="score a CSV of (résumé, vacancy) text pairs with the active model",
        description=(
            "Score each row of a CSV/XLSX with resume_text and vacancy_text (plus any "
            "structured columns a pairs file knows) and write the same rows, in the same "
            "order, with every input column and a score column added."
        ),
    )
    score_pairs.add_argument("input", type=Path)
    score_pairs.add_argument("--output", "-o", type=Path, required=True)
    score_pairs.add_argument("--model", help="model version (default: the active one)")

    evaluate = commands.add_parser(
        "evaluate",
        help="print a model's evaluation table beside the baselines (or on a labelled pairs file)",
        description=(
            "Without --pairs: NDCG@5, NDCG@10, MAP@10, Recall@50, MRR overall and per priority "
            "group, and the exposure Gini, for the model and every baseline on its test split "
            "(as saved with it). With --pairs FILE (query_id, resume_text, vacancy_text, label "
            "and optional structured columns): score the file with the model as score-pairs "
            "does and print per-query AUC, NDCG@5, NDCG@10 and MRR beside word TF-IDF, "
            "character 2–3-gram TF-IDF and BM25 fitted on the file's own texts. Good = label "
            "≥ 2 for graded labels, ≥ 1 when every label is 0 or 1."
        ),
    )
    evaluate.add_argument("--model", help="model version (default: the active one)")
    evaluate.add_argument("--pairs", type=Path, help="a labelled pairs file (CSV, XLSX, JSONL)")

    model_commands = commands.add_parser(
        "models", help="list, show, promote or roll back model versions"
    ).add_subparsers(dest="models_command", required=True, metavar="ACTION")
    model_commands.add_parser("list", help="every version, the active one marked")
    show = model_commands.add_parser("show", help="a version's manifest")
    show.add_argument("version")
    promote = model_commands.add_parser("promote", help="make a version the active one")
    promote.add_argument("version")
    model_commands.add_parser("rollback", help="go back to the previously active version")

    batch = commands.add_parser(
        "batch",
        help="match a fair's (or campaign's) seekers and vacancies into shortlists and invites",
        description=(
            "Before a fair: rank every registered seeker against the fair's vacancies in "
            "checkpointed blocks (a killed run resumes), balance the lists by openings and "
            "interview slots, and write shortlists, invitation lists, notifications and a "
            "report (CSV with BOM, Parquet, XLSX, Markdown) into --out."
        ),
    )
    target = batch.add_mutually_exclusive_group(required=True)
    target.add_argument("--fair", help="fair id (its booths' vacancies, on its day)")
    target.add_argument("--campaign", help="campaign id (every vacancy its policy admits)")
    batch.add_argument("--out", type=Path, required=True, help="output directory")
    batch.add_argument("--tenant", type=_tenant_name, help=TENANT_HELP)
    batch.add_argument("-k", type=_positive, default=10, help="vacancies per seeker")
    batch.add_argument(
        "--per-vacancy", type=_positive, default=30, help="seekers per vacancy's invitation list"
    )
    batch.add_argument("--on", type=dt.date.fromisoformat, help="match as of this day")
    batch.add_argument("--pool", type=_positive, help="candidates per seeker for allocation")
    batch.add_argument(
        "--rerank", type=_positive, default=300, help="candidates the model re-ranks per seeker"
    )
    batch.add_argument("--block-size", type=_positive, default=1_000, help="seekers per block")
    batch.add_argument(
        "--no-allocation", action="store_true", help="each seeker's own best list, unbalanced"
    )
    batch.add_argument(
        "--formats", default="csv,parquet,xlsx", help="any of csv, parquet, xlsx (comma-separated)"
    )
    batch.add_argument(
        "--headers",
        choices=HEADER_LANGUAGES,
        default="zh",
        help="column headers of the CSV and XLSX files: zh, Chinese for staff (default), or en, "
        "the field names for programs; Parquet always has the field names",
    )
    batch.add_argument(
        "--include-contacts",
        action="store_true",
        help="put phone numbers into notifications.csv (and only there)",
    )
    workers = batch.add_mutually_exclusive_group()
    workers.add_argument(
        "--workers",
        type=_positive,
        help="rank on this many local worker processes (one per core; default: this process)",
    )
    workers.add_argument("--scheduler", help="Dask scheduler address, e.g. tcp://10.0.0.5:8786")
    batch.add_argument("--model", help="model version (default: the active one)")
    batch.add_argument(
        "--keep-checkpoints", action="store_true", help="keep block checkpoints after success"
    )
    _add_progress_option(batch)

    key_commands = commands.add_parser(
        "apikey",
        help="create, list or revoke the API keys of calling platforms",
        description=(
            "API keys for the platforms that call the scoring API. A key is shown once, on the "
            "last line of `create`; only its hash is stored."
        ),
    ).add_subparsers(dest="apikey_command", required=True, metavar="ACTION")
    create = key_commands.add_parser("create", help="create a key and print it once")
    create.add_argument("--name", required=True, help="who the key is for (e.g. suining-wechat)")
    create.add_argument(
        "--scopes", required=True, help="comma-separated: score, read, write, admin"
    )
    create.add_argument(
        "--tenant",
        help="the platform whose records the key reaches (default: the default tenant, for "
        "single-tenant installs only)",
    )
    key_commands.add_parser("list", help="every key: id, name, tenant, scopes, state")
    revoke = key_commands.add_parser("revoke", help="revoke a key at once")
    revoke.add_argument("key_id", help="the 8-digit id shown by `list` (jm_<id>_…)")

    report = commands.add_parser(
        "report",
        help="a campaign's progress report (活动进展情况与工作总结) as XLSX or Markdown",
        description=(
            "Per campaign and day range: seekers served, lists given, applications, "
            "interviews, offers and hires, by priority group, county and employer kind, from "
            "the stored interactions — the report a county sends up to the city and province."
        ),
    )
    report.add_argument("--campaign", required=True, help="campaign id (see `jobmatch campaigns`)")
    report.add_argument(
        "--out", required=True, type=Path, help="FILE.xlsx or FILE.md (plots beside a .md)"
    )
    report.add_argument(
        "--from",
        dest="date_from",
        type=dt.date.fromisoformat,
        help="first day (default: the campaign's start)",
    )
    report.add_argument(
        "--to",
        dest="date_to",
        type=dt.date.fromisoformat,
        help="last day (default: the campaign's end)",
    )
    report.add_argument("--tenant", type=_tenant_name, help=TENANT_HELP)

    staff_commands = commands.add_parser(
        "staff",
        help="add, list, reset or disable the staff accounts of the desk pages",
        description=(
            "Staff accounts sign in to the desk pages (/desk/). `add` prints the account's "
            "first password once, on its last line; only a scrypt hash of it is stored."
        ),
    ).add_subparsers(dest="staff_command", required=True, metavar="ACTION")
    staff_add = staff_commands.add_parser("add", help="add an account and print its password")
    staff_add.add_argument("name", help="the name staff sign in with (e.g. chuanshan-counter-1)")
    staff_add.add_argument(
        "--role",
        required=True,
        choices=ROLES,
        help="counter: lookups, booths, fairs, posting checks; analyst: also reports and "
        "models; admin: also promotes and rolls back models",
    )
    staff_add.add_argument("--tenant", type=_tenant_name, help=TENANT_HELP)
    staff_commands.add_parser("list", help="every account: name, role, tenant, state")
    staff_reset = staff_commands.add_parser(
        "reset", help="give an account a new random password (printed once) and sign it out"
    )
    staff_reset.add_argument("name")
    staff_disable = staff_commands.add_parser(
        "disable", help="stop an account signing in and end its sessions"
    )
    staff_disable.add_argument("name")

    campaigns = commands.add_parser(
        "campaigns",
        help="list (and check) the campaign calendar",
        description="List the campaigns of the calendar file; a bad file fails with its reason.",
    )
    campaigns.add_argument("--on", type=dt.date.fromisoformat, help="only those running on a date")

    demo = commands.add_parser(
        "demo",
        help="generate a small data set, train a model, show a few seekers' best vacancies",
        description=(
            "Generate a small data set into HOME/demo (replacing it), train the default model, "
            "print its evaluation beside the baselines and, for a few seekers of different "
            "priority groups, their best vacancies with the reasons."
        ),
    )
    demo.add_argument("--seekers", type=_positive, default=6_000)
    demo.add_argument("--vacancies", type=_positive, default=1_200)
    demo.add_argument("--seed", type=_non_negative, default=2022)
    demo.add_argument("--show", type=_positive, default=4, help="how many seekers to show")
    demo.add_argument("-k", type=_positive, default=5, help="vacancies per seeker")
    for command in extra:
        command.add_arguments(
            commands.add_parser(command.name, help=command.help, description=command.help)
        )
    return parser


def main(argv: Sequence[str] | None = None, extra: Sequence[Command] = ()) -> int:
    parser = build_parser(extra)
    args = parser.parse_args(argv)
    paths = Paths.from_env()
    if args.home is not None:
        paths = Paths(args.home, paths.campaigns_file)
    if args.campaigns is not None:
        paths = Paths(paths.home, args.campaigns)
    try:
        for command in extra:
            if args.command == command.name:
                return command.run(paths, args)
        if args.command == "campaigns":
            return _campaigns(load_campaigns(paths.campaigns_file), args.on)
        if args.command == "analyze-vacancies":
            return _analyze(args)
        if args.command == "analyze-resumes":
            return _analyze_resumes(args)
        calendar = load_campaigns(paths.campaigns_file)
        if args.command == "demo":
            from matcher.demo import run_demo

            # the demo replaces what it finds, so it keeps to a store of its own
            with Store.open(paths.home / "demo") as store:
                return run_demo(store, calendar, args)
        with Store(paths.database) as store:
            if args.command == "generate":
                return _generate(store, calendar, args)
            if args.command == "import":
                return _import(store, calendar, paths, args)
            if args.command == "stats":
                return _stats(store.for_tenant(args.tenant or ""))
            if args.command == "train":
                return _train(store, paths, args)
            if args.command == "apikey":
                return _apikey(store, args)
            if args.command == "staff":
                return _staff(store, args)
            if args.command == "report":
                from matcher.fairs.progress import report_command

                return report_command(store.for_tenant(args.tenant or ""), calendar, args)
            if args.command == "batch":
                return _batch(store, calendar, paths, args)
        if args.command == "evaluate":
            return _evaluate(paths, args)
        if args.command == "score-pairs":
            return _score_pairs(paths, args)
        if args.command == "models":
            return _models(paths, args)
    except JobmatchError as error:
        print(f"jobmatch: error: {error}", file=sys.stderr)
        return 2
    parser.error(f"unknown command {args.command!r}")  # pragma: no cover - argparse guards it
    return 2  # pragma: no cover


def _generate(store: Store, calendar: CampaignCalendar, args: argparse.Namespace) -> int:
    from matcher.synth import generate

    if args.replace:
        store.clear()
    elif not store.is_empty():
        print(
            "jobmatch: error: the store already has data; add --replace to empty it first",
            file=sys.stderr,
        )
        return 2
    units = {"seekers": "seeker", "interactions": "day"}
    with _CountBars(Progress.of(args.progress), units) as bars:
        summary = generate(
            store,
            seekers=args.seekers,
            vacancies=args.vacancies,
            employers=args.employers,
            seed=args.seed,
            campaigns=calendar,
            out_dir=args.out,
            on_progress=bars,
        )
    interactions = sum(summary.interactions.values())
    print(
        f"generated {summary.employers} employers, {summary.vacancies} vacancies, "
        f"{summary.fairs} fairs, "
        f"{summary.seekers} seekers ({summary.contacts} contacts), {interactions} interactions "
        f"in {summary.seconds:.1f} s into {store.path}"
    )
    for path in summary.files:
        print(f"wrote {path}")
    return 0


TENANT_HELP = "the tenant (platform) whose records these are (default: the default tenant)"


def _tenant_name(text: str) -> str:
    """An argparse type: a tenant name as API keys carry it."""
    from matcher.storage.apikeys import NAME_PATTERN

    if not NAME_PATTERN.match(text):
        raise argparse.ArgumentTypeError(
            "1–64 letters, digits, spaces, '.', '-' or '_', starting with a letter or digit"
        )
    return text


def _tenant_label(tenant: str) -> str:
    return tenant or "(default)"


def _import(
    store: Store, calendar: CampaignCalendar, paths: Paths, args: argparse.Namespace
) -> int:
    with Progress.of(args.progress).bar(f"import {args.kind}", "row") as bar:
        result = import_file(
            store.for_tenant(args.tenant or ""),
            args.kind,
            args.file,
            report_path=args.report,
            reports_dir=paths.reports,
            encoding=args.encoding,
            campaign_ids=set(calendar.campaigns),
            on_row=bar.update,
        )
    contacts = f" and {result.contacts} contacts" if result.contacts else ""
    print(f"{result.path}: read {result.rows} rows, wrote {result.written} {args.kind}{contacts}")
    if result.redactions:
        kinds = ", ".join(f"{kind} {count}" for kind, count in sorted(result.redactions.items()))
        print(f"redacted personal data in free text: {kinds}")
    if result.problems:
        print(f"rejected {result.rejected} rows; report: {result.report}")
        for problem in result.problems[:10]:
            field = f" {problem.field}:" if problem.field else ""
            print(f"  line {problem.line}:{field} {problem.message}")
        if len(result.problems) > 10:
            print(f"  … {len(result.problems) - 10} more in the report")
        return 1
    return 0


def _train(store: Store, paths: Paths, args: argparse.Namespace) -> int:
    from matcher.learning.training import (
        TRAINING_STAGES,
        run_promotion_check,
        save_run,
        train_from_pairs,
        train_run,
    )
    from matcher.ranking.serving import registry_for

    with Progress.of(args.progress).bar("train", "stage", total=len(TRAINING_STAGES)) as bar:
        stages = _StageBar(bar, "train")
        if args.pairs is not None:
            run = train_from_pairs(args.pairs, kind=args.ranker, on_stage=stages)
        else:
            run = train_run(store, kind=args.ranker, test_share=args.test_share, on_stage=stages)
        stages.finish()
    print(run.evaluation.table(run.kind))
    registry = registry_for(paths.home)
    info = save_run(registry, run)
    print(f"\nsaved model {info.version} in {registry.root}")
    check = run_promotion_check(run)
    active = registry.active_version()
    if not (args.promote or args.force or active is None):
        print(f"not promoted: the active model stays {active} (--promote to replace it)")
    elif check.better:
        registry.promote(info.version)
        print(f"active model: {info.version} ({check.reason})")
    elif args.force:
        registry.promote(info.version)
        print(f"active model: {info.version}, promoted with --force although {check.reason}")
    else:
        print(f"not promoted: {check.reason}; use --force to promote anyway")
        if active is not None:
            print(f"active model: {active}")
    return 0


def _chosen_model(paths: Paths, args: argparse.Namespace) -> Bundle:
    """The bundle of ``--model`` or the active one (verified); TrainingError when none."""
    from matcher.errors import TrainingError
    from matcher.ranking.serving import registry_for

    registry = registry_for(paths.home)
    version = args.model or registry.active_version()
    if version is None:
        raise TrainingError(f"no model in {registry.root} yet; run `jobmatch train` first")
    return registry.get(version)


def _score_pairs(paths: Paths, args: argparse.Namespace) -> int:
    from matcher.learning.training import score_pairs
    from matcher.ranking.serving import load_engine_model

    bundle = _chosen_model(paths, args)
    version = bundle.version
    model = load_engine_model(bundle)
    result = score_pairs(args.input, args.output, model)
    print(f"scored {result.scored} pairs with model {version}; wrote {args.output}")
    if result.failed:
        print(
            f"jobmatch: {len(result.failed)} row(s) could not be scored (lines "
            f"{', '.join(map(str, sorted(result.failed)[:10]))}"
            f"{' …' if len(result.failed) > 10 else ''}); see the error column",
            file=sys.stderr,
        )
        return 1
    return 0


def _evaluate(paths: Paths, args: argparse.Namespace) -> int:
    from matcher.learning.training import Evaluation

    if args.pairs is not None:
        return _evaluate_pairs(paths, args)
    info = _chosen_model(paths, args).manifest
    print(f"model {info.version} ({info.ranker_kind}), trained {info.created}")
    print(Evaluation.from_json(info.metrics).table(info.ranker_kind))
    return 0


def _evaluate_pairs(paths: Paths, args: argparse.Namespace) -> int:
    """``evaluate --pairs``: the model and the lexical baselines on a labelled pairs file;
    without any model (and no --model asked for), the baselines alone."""
    from matcher.learning.evaluation import evaluate_pairs_file
    from matcher.ranking.serving import load_engine_model, registry_for

    if args.model is None and registry_for(paths.home).active_version() is None:
        print(
            f"no model in {paths.home / 'models'}: the lexical baselines only "
            "(`jobmatch train` makes a model)",
            file=sys.stderr,
        )
        print(evaluate_pairs_file(args.pairs).table())
        return 0
    bundle = _chosen_model(paths, args)
    info = bundle.manifest
    print(f"model {info.version} ({info.ranker_kind}), trained {info.created}")
    result = evaluate_pairs_file(args.pairs, load_engine_model(bundle), model_name=info.ranker_kind)
    print(result.table())
    return 0


def _batch(store: Store, calendar: CampaignCalendar, paths: Paths, args: argparse.Namespace) -> int:
    from matcher.fairs.batch import BatchOptions, local_workers, remove_checkpoints, run_batch

    options = BatchOptions(
        k=args.k,
        per_vacancy=args.per_vacancy,
        pool=args.pool,
        rerank=args.rerank,
        block_size=args.block_size,
        allocate=not args.no_allocation,
        include_contacts=args.include_contacts,
        formats=tuple(f.strip() for f in args.formats.split(",") if f.strip()),
        headers=args.headers,
    )
    with ExitStack() as stack:
        scheduler = args.scheduler
        if args.workers is not None and args.workers > 1:
            scheduler = stack.enter_context(local_workers(args.workers))
        bar = stack.enter_context(Progress.of(args.progress).bar("batch", "block"))

        def ranked(done: int, total: int) -> None:
            bar.total = total
            bar.update(done - bar.n)  # blocks found checkpointed count as done

        summary = run_batch(
            store.for_tenant(args.tenant or ""),
            calendar,
            paths.home,
            args.out,
            fair_id=args.fair,
            campaign_id=args.campaign,
            on=args.on,
            options=options,
            scheduler=scheduler,
            model_version=args.model,
            on_block=ranked,
        )
    if not args.keep_checkpoints:
        remove_checkpoints(args.out)
    before, after = summary.before, summary.after
    resumed = (
        f" ({summary.resumed_blocks} resumed from checkpoints)" if summary.resumed_blocks else ""
    )
    print(
        f"matched {summary.seekers} seekers ({summary.seekers_with_list} with a list) against "
        f"{summary.vacancies} vacancies in {summary.blocks} blocks{resumed}: ranking "
        f"{summary.rank_seconds:.1f} s, total {summary.total_seconds:.1f} s"
    )
    for name, figures in (("before", before), ("after", after)):
        load = figures["applicants_per_opening"]
        print(
            f"  {name:<6} applicants per opening max {load['max']:.1f}, p90 {load['p90']:.1f}, "
            f"Gini {load['gini']:.3f}; vacancies without applicants "
            f"{figures['vacancies_without_applicants']}; mean rank loss "
            f"{figures['mean_rank_loss']:.2f}"
        )
    for path in summary.files.values():
        print(f"wrote {path}")
    return 0


def _apikey(store: Store, args: argparse.Namespace) -> int:
    from matcher.storage.apikeys import ApiKeys

    keys = ApiKeys(store)
    if args.apikey_command == "create":
        key, secret = keys.create(args.name, args.scopes, args.tenant)
        print(
            f"created API key {key.id} for {key.name} (tenant {_tenant_label(key.tenant)}; scopes "
            f"{','.join(sorted(key.scopes))}); it is shown once, keep it safe:"
        )
        print(secret)
    elif args.apikey_command == "list":
        entries = keys.list()
        if not entries:
            print("no API keys")
        for key in entries:
            state = f"revoked {key.revoked_at}" if key.revoked_at else "active"
            print(
                f"{key.id}  {key.name:<20} tenant {_tenant_label(key.tenant):<20} "
                f"scopes {','.join(sorted(key.scopes)):<24} {state}"
            )
    else:
        key = keys.revoke(args.key_id)
        print(f"revoked API key {key.id} ({key.name})")
    return 0


def _staff(store: Store, args: argparse.Namespace) -> int:
    from matcher.storage.staff import StaffAccounts

    accounts = StaffAccounts(store)
    if args.staff_command == "add":
        account, password = accounts.add(args.name, args.role, args.tenant)
        print(
            f"added staff account {account.name} (role {account.role}, tenant "
            f"{_tenant_label(account.tenant)}); sign in at /desk/login with this password, "
            "shown once:"
        )
        print(password)
    elif args.staff_command == "list":
        entries = accounts.list()
        if not entries:
            print("no staff accounts")
        for account in entries:
            state = f"disabled {account.disabled_at}" if account.disabled_at else "active"
            print(
                f"{account.name:<24} {account.role:<8} tenant "
                f"{_tenant_label(account.tenant):<20} {state}"
            )
    elif args.staff_command == "reset":
        password = accounts.set_password(args.name)
        print(f"new password for {args.name} (its sessions ended), shown once:")
        print(password)
    else:
        account = accounts.disable(args.name)
        print(f"disabled staff account {account.name}; its sessions ended")
    return 0


def _models(paths: Paths, args: argparse.Namespace) -> int:
    import json

    from matcher.ranking.serving import registry_for

    registry = registry_for(paths.home)
    action = args.models_command
    if action == "list":
        entries = registry.list()
        if not entries:
            print(f"no models in {registry.root}")
        for entry in entries:
            info = entry.info
            overall = info.metrics.get("metrics", {}).get(info.ranker_kind, {}).get("all", {})
            score = overall.get("ndcg@10")
            marker = "*" if entry.active else " "
            shown = f"{score:.4f}" if isinstance(score, float) else "-"
            print(
                f"{marker} {info.version}  {info.ranker_kind:<12} NDCG@10 {shown}  {info.created}"
            )
    elif action == "show":
        bundle = registry.get(args.version)
        manifest = json.loads((bundle.path / "manifest.json").read_text(encoding="utf-8"))
        manifest.pop("metrics", None)
        print(json.dumps(manifest, ensure_ascii=False, indent=2))
    elif action == "promote":
        registry.promote(args.version)
        print(f"active model: {args.version}")
    else:
        print(f"active model: {registry.rollback()}")
    return 0


def _analyze(args: argparse.Namespace) -> int:
    from matcher.intake.analysis import analyze_rows, read_vacancy_texts, write_analysis

    texts = read_vacancy_texts(
        args.file, text_column=args.text_column, title_column=args.title_column
    )
    rows = list(analyze_rows(texts))
    content = write_analysis(rows, args.output)
    if content is not None:
        sys.stdout.write(content)
    failed = [row for row in rows if row.error]
    flagged = sum(1 for row in rows if row.analysis and row.analysis.flags)
    print(
        f"{args.file}: analysed {len(rows) - len(failed)} vacancies, {flagged} with compliance "
        f"flags" + (f", wrote {args.output}" if args.output else ""),
        file=sys.stderr,
    )
    for row in failed[:10]:
        print(f"  line {row.line}: {row.error}", file=sys.stderr)
    return 1 if failed else 0


def _analyze_resumes(args: argparse.Namespace) -> int:
    from matcher.intake.analysis import analyze_resume_rows, read_resume_texts, write_analysis

    rows = list(analyze_resume_rows(read_resume_texts(args.file, text_column=args.text_column)))
    content = write_analysis(rows, args.output)
    if content is not None:
        sys.stdout.write(content)
    analysed = [row.analysis for row in rows if row.analysis is not None]
    with_wish = sum(1 for analysis in analysed if analysis.fields.desired_occupations)
    redacted: dict[str, int] = {}
    for analysis in analysed:
        for kind, count in analysis.redactions.items():
            redacted[kind] = redacted.get(kind, 0) + count
    failed = [row for row in rows if row.error]
    print(
        f"{args.file}: analysed {len(analysed)} résumés, {with_wish} with a desired occupation"
        + (f", wrote {args.output}" if args.output else ""),
        file=sys.stderr,
    )
    if any(redacted.values()):
        kinds = ", ".join(f"{kind} {count}" for kind, count in sorted(redacted.items()) if count)
        print(f"redacted personal data before reading: {kinds}", file=sys.stderr)
    for row in failed[:10]:
        print(f"  line {row.line}: {row.error}", file=sys.stderr)
    return 1 if failed else 0


def _campaigns(calendar: CampaignCalendar, on: dt.date | None) -> int:
    from matcher.reference import priority_groups

    groups = priority_groups()
    chosen = calendar.running_on(on) if on else list(calendar.values())
    print(f"{len(chosen)} campaigns from {calendar.source}")
    for campaign in chosen:
        periods = ", ".join(f"{p.start}–{p.end}" for p in campaign.periods)
        names = "、".join(groups[code].name for code in campaign.priority_groups)
        rules = []
        if campaign.policy.accessible_only:
            rules.append("仅无障碍岗位")
        if campaign.policy.employer_kinds:
            rules.append("用人单位：" + "、".join(k.value for k in campaign.policy.employer_kinds))
        if campaign.policy.seeker_majors:
            rules.append("专业：" + "、".join(campaign.policy.seeker_majors[:4]) + "…")
        extra = f"  [{'; '.join(rules)}]" if rules else ""
        print(f"- {campaign.id}  {campaign.short_name}  {periods}  重点：{names}{extra}")
    return 0


def _stats(store: Store) -> int:
    from matcher.reference import priority_group_name, regions

    summary = store.summary()
    table = regions()
    print(
        f"store {store.path} (schema v{store.schema_version}), tenant {_tenant_label(store.tenant)}"
    )
    for name in ("seekers", "contacts", "employers", "vacancies", "openings", "fairs"):
        print(f"  {name:<12}{summary['counts'][name]:>10}")
    interactions = summary["interactions"]
    print(
        f"  {'interactions':<12}{sum(interactions.values()):>10}  "
        + ", ".join(f"{kind} {count}" for kind, count in interactions.items())
    )
    for title, key in (
        ("seekers by area", "seekers_by_region"),
        ("vacancies by area", "vacancies_by_region"),
    ):
        print(title + ":")
        for code, count in summary[key].items():
            name = table.full_name(code) if code in table else code
            print(f"  {code} {name:<16}{count:>8}")
    print("seekers by priority group:")
    for code, count in summary["seekers_by_group"].items():
        print(f"  {priority_group_name(code):<14}{count:>8}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
