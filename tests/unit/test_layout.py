"""House rules of the layout, checked on the source: dependency direction, who imports what."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).parent.parent.parent
PACKAGES = ("features", "models", "matcher", "api")
ALLOWED = {
    "features": set(),
    "models": {"features"},
    "matcher": {"features", "models"},
    "api": {"features", "models", "matcher"},
}
"""features ← models ← matcher ← api: a package may import only those to its left."""


def imported_top_packages(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module.split(".")[0])
    return names


@pytest.mark.parametrize("package", PACKAGES)
def test_dependency_direction(package: str) -> None:
    for path in (ROOT / package).rglob("*.py"):
        wrong = (imported_top_packages(path) & set(PACKAGES)) - ALLOWED[package] - {package}
        assert not wrong, f"{path.relative_to(ROOT)} imports {sorted(wrong)}"


@pytest.mark.parametrize(
    ("library", "home"),
    [("jieba", "features"), ("fastapi", "api"), ("pydantic", None), ("sqlite3", "matcher")],
)
def test_libraries_stay_in_their_package(library: str, home: str | None) -> None:
    for package in PACKAGES:
        for path in (ROOT / package).rglob("*.py"):
            if library in imported_top_packages(path):
                if library == "pydantic":
                    assert package in ("matcher", "api"), f"{path} imports pydantic"
                else:
                    assert package == home, f"{path} imports {library}"


def test_package_inits_only_re_export() -> None:
    for package in PACKAGES:
        tree = ast.parse((ROOT / package / "__init__.py").read_text(encoding="utf-8"))
        for node in tree.body:
            allowed = (ast.ImportFrom, ast.Import, ast.Assign, ast.AnnAssign, ast.Expr)
            assert isinstance(node, allowed), f"{package}/__init__.py has {type(node).__name__}"
