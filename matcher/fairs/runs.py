"""Batch runs started from the fair desk: in the background, one folder each, progress on disk.

A desk run is ``jobmatch batch --fair ID`` started by staff from a web page: the same stages
(:func:`~matcher.fairs.batch.plan_batch`, then :func:`~matcher.fairs.batch.run_plan`) in a
background thread of the server, never with contact data (``include_contacts`` stays off).
Each run has its own folder under the data directory, confined to the tenant that started it::

    $JOBMATCH_HOME/desk-runs/<tenant folder>/<run id>/status.json
    $JOBMATCH_HOME/desk-runs/<tenant folder>/<run id>/files/   (the batch's output folder)

``status.json`` (rewritten atomically) says how far the run is — blocks ranked of blocks
planned, the state ``running``/``done``/``failed`` and a message in Chinese — so any server
process can show a run that another one is executing. A running run rewrites it at least every
:data:`HEARTBEAT_SECONDS`; one whose status has not changed for :data:`STALE_SECONDS` (its
process died with it) reads as failed, and no longer blocks a new run of its fair.

One run at a time per fair: :meth:`DeskRuns.start` checks for a live run of the fair and
creates the new run's folder under an exclusive lock on the tenant's folder
(:class:`RunInProgress` when one is running).

Files are served by name only from the run's own ``files/`` folder and only under the names
the run reported writing (:meth:`DeskRuns.file`): no other name, no path, reaches the disk.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import json
import logging
import math
import os
import re
import secrets
import socket
import threading
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from matcher.domain.campaigns import CampaignCalendar
from matcher.domain.records import Fair
from matcher.errors import (
    BatchError,
    ConflictError,
    JobmatchError,
    NotFound,
    ServiceUnavailable,
    UnknownModel,
    UnusableModel,
)
from matcher.fairs.batch import BatchOptions, plan_batch, remove_checkpoints, run_plan
from matcher.storage.store import Store
from models.files import atomic_write, exclusive_lock

logger = logging.getLogger(__name__)

RUNS_FOLDER = "desk-runs"
STATUS_NAME = "status.json"
FILES_FOLDER = "files"
LOCK_NAME = ".lock"
HEARTBEAT_SECONDS = 5.0
STALE_SECONDS = 60.0
"""A running run's status older than this is taken as a run whose process is gone."""

K_RANGE = (1, 50)
"""Vacancies per seeker a desk run may ask for (``jobmatch batch -k``)."""
PER_VACANCY_RANGE = (1, 200)
"""Seekers per vacancy's invitation list a desk run may ask for (``--per-vacancy``)."""
BLOCKS_WANTED = 20
"""Blocks a desk run is cut into (so its progress bar moves), each 50–1,000 seekers."""

RUN_ID = re.compile(r"^\d{8}-\d{6}-[0-9a-f]{6}$")
FILE_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]{0,80}\.(csv|xlsx|parquet|md|json|png)$")

State = Literal["running", "done", "failed"]

FILE_LABELS = {
    "matches.xlsx": "Excel 工作簿（求职者清单、各区县清单、各展位邀约名单）",
    "shortlists.csv": "求职者推荐清单（CSV）",
    "candidates.csv": "各岗位邀约名单（CSV）",
    "notifications.csv": "通知名单（CSV，不含联系方式）",
    "report.md": "运行报告（Markdown）",
    "summary.json": "报告数据（JSON）",
    "shortlists.parquet": "求职者推荐清单（Parquet）",
    "candidates.parquet": "各岗位邀约名单（Parquet）",
    "report-applicants-per-opening.png": "图：每个名额的应聘人数",
    "report-group-coverage.png": "图：重点群体覆盖",
}
"""What each output file is, in the order the run page lists them (others follow by name)."""


class RunInProgress(ConflictError):
    """A run of the fair is still running; ``running`` is its status."""

    def __init__(self, running: RunStatus) -> None:
        super().__init__(f"run {running.run_id} of fair {running.fair_id} is still running")
        self.running = running


class FairWithoutVacancies(BatchError):
    """A fair none of whose booths lists a vacancy: nothing to match."""

    def __init__(self, fair_id: str) -> None:
        super().__init__(f"fair {fair_id} has no booth vacancies to match")
        self.fair_id = fair_id


# --- the status file ----------------------------------------------------------------------------


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(microsecond=0)


@dataclass(frozen=True)
class RunStatus:
    """What ``status.json`` says of a run (times in UTC, ISO 8601)."""

    run_id: str
    fair_id: str
    fair_name: str
    state: State
    stage: str
    """What the run is doing or did, in Chinese (正在排序 …)."""
    started: str
    updated: str
    started_by: str
    k: int
    per_vacancy: int
    blocks_done: int = 0
    blocks_total: int = 0
    finished: str | None = None
    message: str = ""
    """Why a run failed, in Chinese."""
    detail: str = ""
    """The error behind a failure, for whoever fixes it (no personal data: errors never
    quote it)."""
    files: tuple[str, ...] = ()
    """The files the run wrote into its ``files/`` folder, by name."""
    seekers: int | None = None
    seekers_with_list: int | None = None
    vacancies: int | None = None
    seconds: float | None = None
    host: str = ""
    pid: int = 0

    @property
    def running(self) -> bool:
        return self.state == "running"

    @property
    def started_at(self) -> dt.datetime:
        return dt.datetime.fromisoformat(self.started)

    @property
    def share_done(self) -> float:
        """Blocks ranked as a share of the blocks planned (1 for a finished run)."""
        if self.state == "done":
            return 1.0
        return self.blocks_done / self.blocks_total if self.blocks_total else 0.0

    def to_json(self) -> str:
        values = dataclasses.asdict(self)
        values["files"] = list(self.files)
        return json.dumps(values, ensure_ascii=False, indent=2)

    @classmethod
    def from_json(cls, text: str) -> RunStatus:
        values: dict[str, Any] = json.loads(text)
        known = {f.name for f in dataclasses.fields(cls)}
        values = {key: value for key, value in values.items() if key in known}
        values["files"] = tuple(values.get("files") or ())
        return cls(**values)


def _stale(status: RunStatus, now: dt.datetime) -> bool:
    """A running status whose process is gone: not rewritten for :data:`STALE_SECONDS`, or
    written by a process of this host that no longer exists."""
    if not status.running:
        return False
    age = (now - dt.datetime.fromisoformat(status.updated)).total_seconds()
    if age > STALE_SECONDS:
        return True
    if status.host == socket.gethostname() and status.pid and status.pid != os.getpid():
        try:
            os.kill(status.pid, 0)
        except ProcessLookupError:
            return True
        except PermissionError:  # alive, another user's
            return False
    return False


def _as_seen(status: RunStatus, now: dt.datetime) -> RunStatus:
    if _stale(status, now):
        return dataclasses.replace(
            status,
            state="failed",
            stage="已中断",
            message="运行中断：执行这次批量匹配的服务器进程已停止，请重新开始。",
        )
    return status


# --- the runs of one tenant ---------------------------------------------------------------------


def tenant_folder(tenant: str) -> str:
    """A folder name of its own for each tenant: its letters, digits, ``-`` and ``_`` (at most
    40), and 12 hex digits of its SHA-256 so that no two tenants share one."""
    slug = re.sub(r"[^A-Za-z0-9_-]+", "_", tenant)[:40].strip("_") or "default"
    digest = hashlib.sha256(tenant.encode("utf-8")).hexdigest()[:12]
    return f"{slug}-{digest}"


def block_size_for(seekers: int) -> int:
    """Seekers per block of a desk run: about :data:`BLOCKS_WANTED` blocks, 50–1,000 each
    (blocks only cut the ranking into checkpoints; they do not change the results)."""
    return min(1_000, max(50, math.ceil(seekers / BLOCKS_WANTED)))


def check_option(name: str, value: int, bounds: tuple[int, int]) -> int:
    """``value`` when within ``bounds`` (inclusive), else :class:`BatchError` naming it."""
    low, high = bounds
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise BatchError(f"{name} must be an integer from {low} to {high}, got {value!r}")
    return value


@dataclass
class DeskRuns:
    """The desk runs of one tenant in the data directory ``home``."""

    home: Path
    tenant: str

    @property
    def root(self) -> Path:
        return Path(self.home) / RUNS_FOLDER / tenant_folder(self.tenant)

    def folder(self, run_id: str) -> Path:
        if not RUN_ID.fullmatch(run_id):
            raise NotFound("run", run_id)
        return self.root / run_id

    # --- reading ---------------------------------------------------------------------------

    def status(self, run_id: str, *, fair_id: str | None = None) -> RunStatus:
        """A run's status (NotFound when this tenant has no such run, or it belongs to
        another fair than ``fair_id``); a running run whose process is gone reads as
        failed."""
        path = self.folder(run_id) / STATUS_NAME
        try:
            status = RunStatus.from_json(path.read_text(encoding="utf-8"))
        except (FileNotFoundError, NotADirectoryError):
            raise NotFound("run", run_id) from None
        except (ValueError, TypeError, KeyError):
            raise NotFound("run", run_id) from None  # a status file cut short or foreign
        if fair_id is not None and status.fair_id != fair_id:
            raise NotFound("run", run_id)
        return _as_seen(status, _now())

    def runs(self, fair_id: str | None = None) -> list[RunStatus]:
        """The tenant's runs (of one fair), newest first."""
        if not self.root.is_dir():
            return []
        found = []
        for folder in self.root.iterdir():
            if not RUN_ID.fullmatch(folder.name):
                continue
            try:
                status = self.status(folder.name)
            except NotFound:
                continue
            if fair_id is None or status.fair_id == fair_id:
                found.append(status)
        return sorted(found, key=lambda s: (s.started, s.run_id), reverse=True)

    def last_done(self, fair_id: str) -> RunStatus | None:
        """The fair's newest finished run, or None."""
        return next((run for run in self.runs(fair_id) if run.state == "done"), None)

    def file(self, run_id: str, name: str, *, fair_id: str | None = None) -> Path:
        """The path of a file the run wrote (NotFound for any other name: only names the run
        reported, of the shape of output names, inside its own ``files/`` folder)."""
        status = self.status(run_id, fair_id=fair_id)
        if name not in status.files or not FILE_NAME.fullmatch(name):
            raise NotFound("file", name)
        folder = (self.folder(run_id) / FILES_FOLDER).resolve()
        path = (folder / name).resolve()
        if path.parent != folder or not path.is_file():
            raise NotFound("file", name)
        return path

    # --- starting ---------------------------------------------------------------------------

    @contextmanager
    def _locked(self) -> Iterator[None]:
        """An exclusive lock on the tenant's runs, across threads and processes."""
        with exclusive_lock(self.root / LOCK_NAME):
            yield

    def start(
        self,
        store: Store,
        calendar: CampaignCalendar,
        fair_id: str,
        *,
        k: int = 10,
        per_vacancy: int = 30,
        started_by: str = "",
    ) -> RunStatus:
        """Start a batch run of the fair in a background thread; its first status.

        ``store`` must be the tenant's view; the run opens its own connection to the same
        database. :class:`RunInProgress` when a run of the fair is still running,
        :class:`FairWithoutVacancies` for a fair without booth vacancies, :class:`BatchError`
        for an option out of range, :class:`NotFound` for a fair the tenant does not have.
        """
        if store.tenant != self.tenant:
            raise BatchError("the store view and the runs belong to different tenants")
        check_option("k", k, K_RANGE)
        check_option("per_vacancy", per_vacancy, PER_VACANCY_RANGE)
        fair = store.get(Fair, fair_id)
        if not any(booth.vacancy_ids for booth in fair.booths):
            raise FairWithoutVacancies(fair_id)
        with self._locked():
            running = next((r for r in self.runs(fair_id) if r.running), None)
            if running is not None:
                raise RunInProgress(running)
            now = _now()
            run_id = f"{now:%Y%m%d-%H%M%S}-{secrets.token_hex(3)}"
            folder = self.folder(run_id)
            (folder / FILES_FOLDER).mkdir(parents=True)
            status = RunStatus(
                run_id=run_id,
                fair_id=fair.id,
                fair_name=fair.name,
                state="running",
                stage="正在准备",
                started=now.isoformat(),
                updated=now.isoformat(),
                started_by=started_by,
                k=k,
                per_vacancy=per_vacancy,
                host=socket.gethostname(),
                pid=os.getpid(),
            )
            self._write(status)
        runner = _Runner(self, status, Path(store.path), calendar)
        threading.Thread(target=runner.work, name=f"desk-run-{run_id}", daemon=True).start()
        return status

    def _write(self, status: RunStatus) -> None:
        atomic_write(self.folder(status.run_id) / STATUS_NAME, status.to_json())


class _Runner:
    """One run's work in the background: plan, rank with progress, write, report."""

    def __init__(
        self, runs: DeskRuns, status: RunStatus, database: Path, calendar: CampaignCalendar
    ) -> None:
        self.runs, self.status, self.database, self.calendar = runs, status, database, calendar
        self.lock = threading.Lock()
        self.finished = threading.Event()

    def update(self, **changes: Any) -> None:
        with self.lock:
            if self.status.state != "running":
                return
            self.status = dataclasses.replace(self.status, updated=_now().isoformat(), **changes)
            self.runs._write(self.status)

    def heartbeat(self) -> None:
        while not self.finished.wait(HEARTBEAT_SECONDS):
            self.update()

    def work(self) -> None:
        beating = threading.Thread(target=self.heartbeat, daemon=True)
        beating.start()
        started = time.perf_counter()
        try:
            self._run(started)
        except Exception as error:  # every failure ends in the status file, with its reason
            message, detail = failure_message(error)
            logger.error(
                "desk run %s of fair %s failed: %s",
                self.status.run_id,
                self.status.fair_id,
                type(error).__name__,
            )
            self.update(
                state="failed",
                stage="失败",
                message=message,
                detail=detail,
                finished=_now().isoformat(),
                seconds=round(time.perf_counter() - started, 1),
            )
        finally:
            self.finished.set()
            beating.join()

    def _run(self, started: float) -> None:
        status = self.status
        out = self.runs.folder(status.run_id) / FILES_FOLDER
        with Store(self.database) as base:
            store = base.for_tenant(self.runs.tenant)
            plan = plan_batch(store, self.calendar, fair_id=status.fair_id)
            size = block_size_for(len(plan.seekers))
            options = BatchOptions(
                k=status.k,
                per_vacancy=status.per_vacancy,
                block_size=size,
                include_contacts=False,
            )
            total = max(1, math.ceil(len(plan.seekers) / size))
            self.update(stage="正在排序", blocks_total=total)

            def ranked(done: int, blocks: int) -> None:
                stage = "正在分配名额并写出文件" if done >= blocks else "正在排序"
                self.update(stage=stage, blocks_done=done, blocks_total=blocks)

            summary = run_plan(
                store, self.calendar, self.runs.home, out, plan, options=options, on_block=ranked
            )
        remove_checkpoints(out)
        written = [path.name for path in summary.files.values()]
        plots = sorted(path.name for path in out.glob("*.png") if FILE_NAME.fullmatch(path.name))
        self.update(
            state="done",
            stage="已完成",
            blocks_done=self.status.blocks_total,
            finished=_now().isoformat(),
            files=tuple(dict.fromkeys([*written, *plots])),
            seekers=summary.seekers,
            seekers_with_list=summary.seekers_with_list,
            vacancies=summary.vacancies,
            seconds=round(time.perf_counter() - started, 1),
        )


# --- what a finished run wrote -------------------------------------------------------------------

INVITATIONS_FILE = "candidates.parquet"
"""The invitation lists with the field names as keys (the CSV and workbook headers are for
people and may change with the language; the Parquet columns stay the record's fields)."""
REPORT_FILE = "report.md"


@dataclass(frozen=True)
class Invitation:
    """One seeker on a vacancy's invitation list, as an employer may see it: the seeker's
    opaque per-tenant reference instead of their id, no contact data, no priority group."""

    rank: int
    reference: str
    score: float
    booth: str | None
    county: str
    age_band: str
    education: str
    experience_years: float | None
    skills: str
    certificates: str
    reason: str


def invitations(
    runs: DeskRuns, store: Store, status: RunStatus, vacancy_id: str
) -> list[Invitation] | None:
    """The vacancy's invitation list of a finished run, best first (None when the run wrote no
    invitation lists in Parquet); seeker ids become ``store``'s opaque references."""
    import pyarrow.parquet as pq

    if store.tenant != runs.tenant:
        raise BatchError("the store view and the runs belong to different tenants")
    try:
        path = runs.file(status.run_id, INVITATIONS_FILE, fair_id=status.fair_id)
    except NotFound:
        return None
    columns = [
        "vacancy_id",
        "rank",
        "seeker_id",
        "score",
        "booth",
        "seeker_county",
        "age_band",
        "education",
        "experience_years",
        "skills",
        "certificates",
        "reason",
    ]
    table = pq.read_table(path, columns=columns, filters=[("vacancy_id", "=", vacancy_id)])
    rows = sorted(table.to_pylist(), key=lambda row: int(row["rank"]))
    return [
        Invitation(
            rank=int(row["rank"]),
            reference=store.seeker_reference(str(row["seeker_id"])),
            score=float(row["score"]),
            booth=row["booth"],
            county=str(row["seeker_county"]),
            age_band=str(row["age_band"]),
            education=str(row["education"]),
            experience_years=row["experience_years"],
            skills=str(row["skills"] or ""),
            certificates=str(row["certificates"] or ""),
            reason=str(row["reason"] or ""),
        )
        for row in rows
    ]


@dataclass(frozen=True)
class ReportBlock:
    """A piece of a run's ``report.md``: a heading, a line of text, a table or a plot (the
    plot's file name, one the run wrote)."""

    kind: Literal["heading", "text", "table", "image"]
    text: str = ""
    headers: tuple[str, ...] = ()
    rows: tuple[tuple[str, ...], ...] = ()


_IMAGE = re.compile(r"^!\[([^\]]*)\]\(([^)\s]+)\)$")
_CELL_SPLIT = re.compile(r"(?<!\\)\|")
_RULE = re.compile(r"^\|?\s*:?-{3,}:?\s*(\|\s*:?-{3,}:?\s*)*\|?$")


def report_blocks(runs: DeskRuns, status: RunStatus) -> list[ReportBlock]:
    """A finished run's report, read into headings, text, tables and plots (empty when the
    run wrote none); a plot is kept only when the run wrote its file."""
    try:
        path = runs.file(status.run_id, REPORT_FILE, fair_id=status.fair_id)
    except NotFound:
        return []
    return parse_report(path.read_text(encoding="utf-8"), status.files)


def parse_report(text: str, files: Sequence[str]) -> list[ReportBlock]:
    """The blocks of a batch report in Markdown (the subset :func:`write_report` writes:
    ``#`` headings, bold lines, pipe tables, images, plain lines)."""
    blocks: list[ReportBlock] = []
    table: list[tuple[str, ...]] = []

    def end_table() -> None:
        if table:
            blocks.append(ReportBlock("table", headers=table[0], rows=tuple(table[1:])))
            table.clear()

    for raw in text.splitlines():
        line = raw.strip()
        if line.startswith("|"):
            if not _RULE.fullmatch(line):
                table.append(_cells(line))
            continue
        end_table()
        if not line:
            continue
        image = _IMAGE.fullmatch(line)
        if image is not None:
            if image.group(2) in files:
                blocks.append(
                    ReportBlock(
                        "image", text=image.group(1) or image.group(2), headers=(image.group(2),)
                    )
                )
            continue
        if line.startswith("#"):
            level = len(line) - len(line.lstrip("#"))
            if level == 1:
                continue  # the report's title: the page has its own
            blocks.append(ReportBlock("heading", text=line[level:].strip()))
            continue
        blocks.append(ReportBlock("text", text=line.strip("*").strip().replace("\\|", "|")))
    end_table()
    return blocks


def _cells(line: str) -> tuple[str, ...]:
    inner = line.strip()
    inner = inner[1:] if inner.startswith("|") else inner
    inner = inner[:-1] if inner.endswith("|") and not inner.endswith("\\|") else inner
    return tuple(cell.strip().replace("\\|", "|") for cell in _CELL_SPLIT.split(inner))


def failure_message(error: BaseException) -> tuple[str, str]:
    """Why a run failed, in Chinese for staff, and the error's own words for whoever fixes it
    (jobmatch's errors never quote personal data; for any other error only its type)."""
    if isinstance(error, BatchError) and "no active model" in str(error):
        message = "没有启用的模型：请分析人员先训练并启用一个模型版本，再开始批量匹配。"
    elif isinstance(error, UnknownModel | UnusableModel):
        message = "模型无法使用（模型文件缺失或校验失败）：请分析人员检查或重新启用模型。"
    elif isinstance(error, NotFound):
        message = "运行所需的记录找不到了（招聘会、岗位或单位可能已被删除）。"
    elif isinstance(error, ServiceUnavailable):
        message = "服务暂时不可用，请稍后重新开始。"
    elif isinstance(error, OSError):
        message = "写出文件失败（磁盘空间或权限问题），请联系管理员。"
    elif isinstance(error, JobmatchError):
        message = "批量匹配未能完成，请检查招聘会的展位和岗位设置。"
    else:
        message = "批量匹配因内部错误中止，请联系管理员。"
    detail = str(error)[:500] if isinstance(error, JobmatchError) else type(error).__name__
    return message, detail


def file_label(name: str) -> str:
    """What an output file is, in Chinese (its name when unknown)."""
    return FILE_LABELS.get(name, name)


def ordered_files(names: Sequence[str]) -> list[str]:
    """Output file names in the order the run page lists them."""
    known = [name for name in FILE_LABELS if name in names]
    return known + sorted(name for name in names if name not in FILE_LABELS)


__all__ = [
    "FILE_LABELS",
    "HEARTBEAT_SECONDS",
    "INVITATIONS_FILE",
    "K_RANGE",
    "PER_VACANCY_RANGE",
    "RUNS_FOLDER",
    "STALE_SECONDS",
    "DeskRuns",
    "FairWithoutVacancies",
    "Invitation",
    "ReportBlock",
    "RunInProgress",
    "RunStatus",
    "block_size_for",
    "check_option",
    "failure_message",
    "file_label",
    "invitations",
    "ordered_files",
    "parse_report",
    "report_blocks",
    "tenant_folder",
]
