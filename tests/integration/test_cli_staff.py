"""``jobmatch staff``: accounts of the desk pages from the command line."""

from __future__ import annotations

from pathlib import Path

import pytest

from matcher.cli import main
from matcher.storage.staff import StaffAccounts
from matcher.storage.store import Store

pytestmark = pytest.mark.integration


def test_add_prints_the_password_once_on_its_last_line(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    home = str(tmp_path)
    assert main(["--home", home, "staff", "add", "shehong-1", "--role", "counter"]) == 0
    out = capsys.readouterr().out
    password = out.strip().splitlines()[-1]
    assert "shown once" in out
    with Store.open(tmp_path) as store:
        accounts = StaffAccounts(store)
        assert accounts.verify("shehong-1", password) is not None
    assert main(["--home", home, "staff", "list"]) == 0
    listed = capsys.readouterr().out
    assert "shehong-1" in listed and "counter" in listed and password not in listed

    assert main(["--home", home, "staff", "reset", "shehong-1"]) == 0
    new = capsys.readouterr().out.strip().splitlines()[-1]
    assert new != password
    assert main(["--home", home, "staff", "disable", "shehong-1"]) == 0
    assert "disabled" in capsys.readouterr().out
    with Store.open(tmp_path) as store:
        assert StaffAccounts(store).verify("shehong-1", new) is None


def test_bad_input_is_refused_naming_the_field(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    home = str(tmp_path)
    assert main(["--home", home, "staff", "add", "../x", "--role", "admin"]) == 2
    assert "name: 1–64" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        main(["--home", home, "staff", "add", "x", "--role", "boss"])
    assert "invalid choice: 'boss'" in capsys.readouterr().err
    assert main(["--home", home, "staff", "add", "x", "--role", "admin"]) == 0
    capsys.readouterr()
    assert main(["--home", home, "staff", "add", "x", "--role", "counter"]) == 2
    assert "'x' exists" in capsys.readouterr().err
    assert main(["--home", home, "staff", "reset", "ghost"]) == 2
    assert "no staff account named 'ghost'" in capsys.readouterr().err
