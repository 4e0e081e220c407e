"""The command line and tenants: import --tenant writes into that tenant only; keys created
without --tenant belong to the default tenant."""

from __future__ import annotations

from pathlib import Path

import pytest

from matcher.cli import main
from matcher.domain.records import Employer
from matcher.storage.apikeys import ApiKeys
from matcher.storage.store import Store
from tests.conftest import DATA

pytestmark = pytest.mark.integration
EMPLOYERS = DATA / "import" / "employers.csv"


def test_import_writes_into_the_named_tenant_only(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    home = str(tmp_path)
    assert main(["--home", home, "import", "employers", str(EMPLOYERS), "--tenant", "A"]) == 0
    with Store.open(tmp_path) as store:
        imported = store.for_tenant("A").count(Employer)
        assert imported > 0
        assert store.count(Employer) == 0  # the default tenant has none
        assert store.for_tenant("B").count(Employer) == 0
    # the same file again into the default tenant: the same ids and credit codes are no clash
    assert main(["--home", home, "import", "employers", str(EMPLOYERS)]) == 0
    with Store.open(tmp_path) as store:
        assert store.count(Employer) == imported == store.for_tenant("A").count(Employer)
    capsys.readouterr()


def test_a_bad_tenant_name_is_refused(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["--home", str(tmp_path), "import", "employers", str(EMPLOYERS), "--tenant", "a/b"])
    assert exit_info.value.code == 2
    assert "--tenant" in capsys.readouterr().err


def test_apikey_tenants(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    home = str(tmp_path)
    assert main(["--home", home, "apikey", "create", "--name", "one", "--scopes", "read"]) == 0
    assert "tenant (default)" in capsys.readouterr().out
    create = ["--home", home, "apikey", "create", "--name", "two", "--scopes", "read"]
    assert main([*create, "--tenant", "suining"]) == 0
    capsys.readouterr()
    with Store.open(tmp_path) as store:
        assert sorted(key.tenant for key in ApiKeys(store).list()) == ["", "suining"]
    assert main(["--home", home, "apikey", "list"]) == 0
    listed = capsys.readouterr().out
    assert "(default)" in listed and "suining" in listed


def test_stats_counts_one_tenant(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    home = str(tmp_path)
    assert main(["--home", home, "import", "employers", str(EMPLOYERS), "--tenant", "A"]) == 0
    capsys.readouterr()
    with Store.open(tmp_path) as store:
        imported = store.for_tenant("A").count(Employer)
    assert main(["--home", home, "stats", "--tenant", "A"]) == 0
    shown = capsys.readouterr().out
    assert "tenant A" in shown
    assert [line.split()[-1] for line in shown.splitlines() if "employers" in line] == [
        str(imported)
    ]
    assert main(["--home", home, "stats"]) == 0
    default = capsys.readouterr().out
    assert "tenant (default)" in default
    assert [line.split()[-1] for line in default.splitlines() if "employers" in line] == ["0"]
