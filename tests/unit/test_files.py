"""models.files: the one atomic-write helper every writer uses."""

from __future__ import annotations

from pathlib import Path

import pytest

from models.files import atomic_path, atomic_write


def test_atomic_write_replaces_text_and_bytes(tmp_path: Path) -> None:
    target = tmp_path / "out.csv"
    atomic_write(target, "甲,乙\n", encoding="utf-8-sig")
    assert target.read_bytes() == "\ufeff甲,乙\n".encode()
    atomic_write(target, b"\x00\x01", durable=True)
    assert target.read_bytes() == b"\x00\x01"
    assert [p.name for p in tmp_path.iterdir()] == ["out.csv"]


def test_a_failed_write_keeps_the_old_file_and_leaves_no_temporary(tmp_path: Path) -> None:
    target = tmp_path / "report.md"
    target.write_text("old", encoding="utf-8")
    with pytest.raises(RuntimeError, match="disk full"), atomic_path(target) as temporary:
        temporary.write_text("half", encoding="utf-8")
        raise RuntimeError("disk full")
    assert target.read_text(encoding="utf-8") == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["report.md"]


def test_no_writer_replaces_files_by_hand() -> None:
    # One habit: every writer goes through models.files (bundles publish whole folders by rename).
    root = Path(__file__).parent.parent.parent
    offenders = []
    for package in ("features", "models", "matcher", "api"):
        for path in (root / package).rglob("*.py"):
            text = path.read_text(encoding="utf-8")
            if path.name != "files.py" and ("os.replace(" in text or ".replace(output" in text):
                offenders.append(str(path.relative_to(root)))
    assert offenders == []
