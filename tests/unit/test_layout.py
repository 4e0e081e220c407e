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


MATCHER_SUBPACKAGES: dict[str, set[str]] = {
    "reference": set(),
    "domain": {"reference"},
    "storage": {"domain", "reference"},
    "intake": {"storage", "domain", "reference"},
    "synth": {"storage", "domain", "reference"},
    "ranking": {"intake", "storage", "domain", "reference"},
    "learning": {"ranking", "intake", "storage", "domain", "reference"},
    "fairs": {"ranking", "intake", "storage", "domain", "reference"},
}
"""Within matcher: what each subpackage may import besides itself, ``matcher.errors``,
``features`` and ``models``. The top modules (``cli``, ``demo``, ``__init__``) may import all."""


def _matcher_imports(path: Path) -> set[str]:
    """The matcher subpackages or top modules a file imports (``matcher.ranking.engine`` →
    ``ranking``; ``from matcher import x`` → ``x``)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        modules: list[str] = []
        if isinstance(node, ast.Import):
            modules = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            modules = [node.module]
            if node.module == "matcher":
                modules = [f"matcher.{alias.name}" for alias in node.names]
        names.update(m.split(".")[1] for m in modules if m.startswith("matcher.") and "." in m)
    return names


@pytest.mark.parametrize("subpackage", sorted(MATCHER_SUBPACKAGES))
def test_matcher_subpackages_import_only_downward(subpackage: str) -> None:
    folder = ROOT / "matcher" / subpackage
    assert (folder / "__init__.py").is_file()
    allowed = MATCHER_SUBPACKAGES[subpackage] | {subpackage, "errors"}
    for path in folder.rglob("*.py"):
        wrong = _matcher_imports(path) - allowed
        assert not wrong, f"{path.relative_to(ROOT)} imports matcher.{sorted(wrong)}"


def test_every_matcher_module_lives_in_a_subpackage() -> None:
    top = {path.stem for path in (ROOT / "matcher").glob("*.py")}
    assert top == {"__init__", "cli", "demo", "errors"}
    folders = {p.name for p in (ROOT / "matcher").iterdir() if (p / "__init__.py").is_file()}
    assert folders == set(MATCHER_SUBPACKAGES)


def test_matcher_subpackages_say_what_they_own() -> None:
    for subpackage in MATCHER_SUBPACKAGES:
        tree = ast.parse((ROOT / "matcher" / subpackage / "__init__.py").read_text("utf-8"))
        docstring = ast.get_docstring(tree)
        assert docstring and "import" in docstring, f"matcher/{subpackage} has no ownership note"
