"""Long commands show progress on a terminal and stay quiet when piped.

``generate``, ``import``, ``train`` and ``batch`` draw tqdm bars on stderr when stderr is a
terminal (or with ``--progress``), never into a pipe or a file (or with ``--no-progress``). Under
pytest's ``capsys`` stderr is no terminal, as in a pipe; a pseudo-terminal stands in for a real
one.
"""

from __future__ import annotations

import io
import os
import pty
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from matcher.cli import Progress, main
from matcher.learning.training import save_run, train_run
from matcher.ranking.serving import registry_for
from matcher.storage.store import Store
from matcher.synth import generate
from tests.conftest import DATA

pytestmark = pytest.mark.integration

BAR = re.compile(r"\d+%\|")
"""A tqdm bar with a total (``50%|█████     |``)."""
FAIR = "F-golden_autumn"


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def jobmatch(*args: str) -> list[str]:
    script = Path(sys.executable).parent / "jobmatch"
    base = [str(script)] if script.exists() else [sys.executable, "-m", "matcher.cli"]
    return [*base, *args]


@pytest.fixture(scope="module")
def home(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """A small store with an active model."""
    home = tmp_path_factory.mktemp("progress")
    with Store.open(home) as store:
        generate(store, seekers=300, vacancies=80, seed=7)
        registry = registry_for(home)
        registry.promote(save_run(registry, train_run(store, baselines=())).version)
    yield home


# --- the decision ----------------------------------------------------------------------------


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


class _Closed(io.StringIO):
    def isatty(self) -> bool:
        raise ValueError("I/O operation on closed file")


def test_progress_is_on_for_a_terminal_unless_told() -> None:
    assert Progress.of(None, _Terminal()).enabled
    assert not Progress.of(None, io.StringIO()).enabled  # a pipe or a file
    assert not Progress.of(None, _Closed()).enabled
    assert Progress.of(True, io.StringIO()).enabled  # --progress
    assert not Progress.of(False, _Terminal()).enabled  # --no-progress


def test_every_long_command_takes_the_override(capsys: pytest.CaptureFixture[str]) -> None:
    for command in ("generate", "import", "train", "batch"):
        with pytest.raises(SystemExit):
            main([command, "--help"])
        text = capsys.readouterr().out
        assert "--progress, --no-progress" in text, command
        assert "only when stderr is a terminal" in " ".join(text.split()), command


# --- generate and import: capsys is a pipe ---------------------------------------------------


def test_generate_is_quiet_piped_and_shows_both_stages_when_asked(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    args = ["--home", str(tmp_path), "generate", "--seekers", "120", "--vacancies", "30"]
    code, out, err = run(capsys, *args)
    assert code == 0 and "generated" in out
    assert err == ""  # not a terminal: no bar
    code, out, err = run(capsys, *args, "--replace", "--progress")
    assert code == 0 and "generated" in out and not BAR.search(out)  # bars never on stdout
    seekers = [line for line in re.split(r"[\r\n]", err) if line.startswith("seekers:")]
    days = [line for line in re.split(r"[\r\n]", err) if line.startswith("interactions:")]
    assert seekers and "120/120" in seekers[-1] and "100%" in seekers[-1]
    assert days and "365/365" in days[-1]
    assert err.index("seekers:") < err.index("interactions:")
    code, _, err = run(capsys, *args, "--replace", "--no-progress")
    assert code == 0 and err == ""


def test_import_counts_rows_only_when_asked(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    source = str(DATA / "import" / "employers.csv")
    args = ["--home", str(tmp_path), "import", "employers", source]
    code, out, err = run(capsys, *args)
    assert code == 0 and "wrote 3 employers" in out and err == ""
    code, out, err = run(capsys, *args, "--progress")
    assert code == 0 and "wrote 3 employers" in out
    assert re.search(r"import employers: 3row", err), err


# --- train: its stages -----------------------------------------------------------------------


def test_train_shows_its_stages_in_order_only_when_asked(
    capsys: pytest.CaptureFixture[str], home: Path
) -> None:
    code, out, err = run(capsys, "--home", str(home), "train", "--progress")
    assert code == 0 and "saved model" in out
    stages = re.findall(r"train: ([a-z]+)", err)
    assert list(dict.fromkeys(stages)) == ["features", "fitting", "evaluation"]
    last = [line for line in re.split(r"[\r\n]", err) if line.strip()][-1]
    assert last.startswith("train: 100%") and "3/3" in last, last
    code, out, err = run(capsys, "--home", str(home), "train", "--ranker", "random")
    assert code == 0 and "saved model" in out and err == ""


def test_train_from_a_pairs_file_shows_the_same_stages(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    pairs = str(DATA / "training" / "pairs_small.csv")
    code, out, err = run(capsys, "--home", str(tmp_path), "train", "--pairs", pairs, "--progress")
    assert code == 0 and "saved model" in out
    stages = re.findall(r"train: ([a-z]+)", err)
    assert list(dict.fromkeys(stages)) == ["features", "fitting", "evaluation"]
    code, out, err = run(capsys, "--home", str(tmp_path), "train", "--pairs", pairs)
    assert code == 0 and err == ""


# --- batch: a real pipe and a real terminal --------------------------------------------------


def test_batch_piped_is_quiet_and_shows_blocks_when_asked(home: Path, tmp_path: Path) -> None:
    args = ["--home", str(home), "batch", "--fair", FAIR, "--block-size", "100", "-k", "3"]
    piped = subprocess.run(
        jobmatch(*args, "--formats", "csv", "--out", str(tmp_path / "a")),
        capture_output=True,
        text=True,
        check=True,
    )
    assert piped.stderr == "" and "matched 300 seekers" in piped.stdout
    forced = subprocess.run(
        jobmatch(*args, "--formats", "csv", "--out", str(tmp_path / "b"), "--progress"),
        capture_output=True,
        text=True,
        check=True,
    )
    bars = [line for line in re.split(r"[\r\n]", forced.stderr) if line.startswith("batch:")]
    assert bars and "3/3" in bars[-1] and "100%" in bars[-1], forced.stderr
    assert not BAR.search(forced.stdout)


def _on_a_terminal(command: list[str]) -> tuple[int, str, str]:
    """Run ``command`` with stderr on a pseudo-terminal (stdout piped): exit code, stdout and
    what reached the terminal."""
    leader, follower = pty.openpty()
    try:
        process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=follower)
        os.close(follower)
        seen = bytearray()
        while True:
            try:
                chunk = os.read(leader, 4096)
            except OSError:  # the terminal closed with the process
                break
            if not chunk:
                break
            seen += chunk
        out, _ = process.communicate(timeout=300)
    finally:
        os.close(leader)
    return process.returncode, out.decode(), seen.decode(errors="replace")


def test_batch_on_a_terminal_shows_progress_without_being_asked(home: Path, tmp_path: Path) -> None:
    code, out, terminal = _on_a_terminal(
        jobmatch(
            "--home", str(home), "batch", "--fair", FAIR, "--block-size", "100", "-k", "3",
            "--formats", "csv", "--out", str(tmp_path),
        )
    )  # fmt: skip
    assert code == 0 and "matched 300 seekers" in out
    # a fresh pseudo-terminal has no size: the bar is drawn 80 columns wide all the same
    bars = [line for line in re.split(r"[\r\n]", terminal) if line.startswith("batch:")]
    assert bars and "3/3" in bars[-1], terminal
    code, _, terminal = _on_a_terminal(
        jobmatch(
            "--home", str(home), "batch", "--fair", FAIR, "--block-size", "100", "-k", "3",
            "--formats", "csv", "--out", str(tmp_path / "quiet"), "--no-progress",
        )
    )  # fmt: skip
    assert code == 0 and "batch:" not in terminal
