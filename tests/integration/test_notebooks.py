"""The analysts' notebooks, executed end to end on a small generated data set.

The kernel is a kernelspec written into ``tmp_path`` that runs this interpreter
(``sys.executable``), so the notebook sees the same installed packages as the tests on any
machine, whatever kernels Jupyter would otherwise find.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import pytest

from matcher.learning.training import BASELINES, DEFAULT_RANKER
from matcher.ranking.serving import registry_for

nbclient = pytest.importorskip("nbclient")
nbformat = pytest.importorskip("nbformat")
pytest.importorskip("ipykernel")
pytest.importorskip("matplotlib")

pytestmark = [pytest.mark.integration, pytest.mark.slow]

NOTEBOOKS = Path(__file__).parent.parent.parent / "notebooks"
KERNEL_NAME = "jobmatch-tests"


@pytest.fixture
def kernel(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    """A kernelspec running ``sys.executable``, found first through ``JUPYTER_PATH``."""
    spec = tmp_path / "jupyter" / "kernels" / KERNEL_NAME
    spec.mkdir(parents=True)
    (spec / "kernel.json").write_text(
        json.dumps(
            {
                "argv": [sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"],
                "display_name": "jobmatch tests",
                "language": "python",
            }
        ),
        encoding="utf-8",
    )
    monkeypatch.setenv("JUPYTER_PATH", str(tmp_path / "jupyter"))
    monkeypatch.setenv("IPYTHONDIR", str(tmp_path / "ipython"))
    # One OpenMP thread: on a loaded machine the spin-waiting threads of LightGBM's and
    # scikit-learn's OpenMP runtimes slow the kernel's training tenfold.
    monkeypatch.setenv("OMP_NUM_THREADS", "1")
    return KERNEL_NAME


def execute(name: str, kernel: str, workdir: Path, parameters: str) -> Any:
    """Run notebook ``name`` with ``parameters`` (source) injected after its parameters cell;
    a cell that raises fails the call with the cell's traceback."""
    notebook = nbformat.read(NOTEBOOKS / name, as_version=4)
    tagged = [i for i, c in enumerate(notebook.cells) if "parameters" in c.metadata.get("tags", [])]
    assert len(tagged) == 1, f"{name}: expected one cell tagged 'parameters', found {len(tagged)}"
    injected = nbformat.v4.new_code_cell(parameters, metadata={"tags": ["injected-parameters"]})
    notebook.cells.insert(tagged[0] + 1, injected)
    client = nbclient.NotebookClient(
        notebook, timeout=600, kernel_name=kernel, resources={"metadata": {"path": str(workdir)}}
    )
    client.execute()
    return notebook


def outputs(notebook: Any) -> list[tuple[int, Any]]:
    return [
        (i, output) for i, cell in enumerate(notebook.cells) for output in cell.get("outputs", [])
    ]


def text_of(notebook: Any) -> str:
    parts = []
    for _, output in outputs(notebook):
        if output.output_type == "stream" and output.name == "stdout":
            parts.append(output.text)
        elif output.output_type in ("execute_result", "display_data"):
            parts.append(output.data.get("text/plain", ""))
    return "".join(parts)


def test_committed_notebooks_have_no_outputs() -> None:
    for path in sorted(NOTEBOOKS.glob("*.ipynb")):
        notebook = nbformat.read(path, as_version=4)
        nbformat.validate(notebook)
        for cell in notebook.cells:
            if cell.cell_type == "code":
                assert not cell.outputs and cell.execution_count is None, path.name


def test_retrain_notebook(kernel: str, tmp_path: Path) -> None:
    home = tmp_path / "home"
    parameters = f"home = {str(home)!r}\nseekers = 600\nvacancies = 120\n"

    first = execute("retrain.ipynb", kernel, tmp_path, parameters)
    assert not [o for _, o in outputs(first) if o.output_type == "error"]
    assert not [
        o.text for _, o in outputs(first) if o.output_type == "stream" and o.name == "stderr"
    ]
    text = text_of(first)
    assert "generated a synthetic data set" in text
    # charts in the packaged CJK font (a missing glyph would warn on stderr, refused above)
    assert "chart font: Noto Sans CJK SC" in text
    assert "ndcg@10" in text and "NDCG@10 per priority group" in text
    for kind in (DEFAULT_RANKER, *BASELINES):
        assert f"\n{kind} " in text, kind
    assert "no active model yet" in text
    plot_cells = {i for i, o in outputs(first) if "image/png" in o.get("data", {})}
    assert len(plot_cells) == 2, "expected the per-group and the feature-importance charts"
    registry = registry_for(home)
    first_version = registry.active_version()
    assert first_version is not None
    assert f"promoted {first_version}" in text

    # A second run retrains on the same store and compares with the model promoted above.
    second = execute("retrain.ipynb", kernel, tmp_path, parameters)
    text = text_of(second)
    assert "generated a synthetic data set" not in text
    assert f"active model: {first_version}" in text
    assert "compared on the same test queries" in text
    assert "WARNING" not in text  # same data, same split: the active model never saw the tests
    assert len(registry.versions()) == 2
    assert registry.active_version() in registry.versions()
