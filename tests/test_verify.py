"""countybook.run.verify: what an executed notebook must hold before it enters an edition (a lost
chart, an error, stderr, other parameters), named by notebook and template cell."""

from __future__ import annotations

from pathlib import Path

import nbformat
import pytest

from countybook.run import verify


def _executed(outputs_by_cell: list[list[dict]], parameters=None) -> nbformat.NotebookNode:
    """An executed notebook as papermill returns it: parameters cell, injected cell, then cells."""
    nb = nbformat.v4.new_notebook()
    nb.metadata["papermill"] = {"parameters": {"year": 2024} if parameters is None else parameters}
    nb.cells = [
        nbformat.v4.new_code_cell("year = 2024", metadata={"tags": ["parameters"]}),
        nbformat.v4.new_code_cell("year = 2024", metadata={"tags": [verify.INJECTED_TAG]}),
    ]
    for outputs in outputs_by_cell:
        cell = nbformat.v4.new_code_cell("page.chart()")
        cell.outputs = [nbformat.from_dict(output) for output in outputs]
        nb.cells.append(cell)
    return nb


@pytest.fixture
def template(tmp_path) -> Path:
    """The template of _executed: the parameters cell and three code cells (template cells 1-3)."""
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell("year = 2024", metadata={"tags": ["parameters"]})]
    nb.cells += [nbformat.v4.new_code_cell("page.chart()") for _ in range(3)]
    path = tmp_path / "03_chapter.ipynb"
    nbformat.write(nb, path)
    return path


IMAGE = {
    "output_type": "display_data",
    "metadata": {},
    "data": {"image/png": "iVBORw0KGgo=", "text/plain": "<Figure size 900x475 with 1 Axes>"},
}
LOST = {"output_type": "display_data", "metadata": {}, "data": {"text/plain": "<Figure size 900x475 with 1 Axes>"}}
CAPTION = {"output_type": "display_data", "metadata": {}, "data": {"text/markdown": "*Figure: …*", "text/plain": "x"}}


def test_verification_accepts_charts_with_their_images_and_counts_them(template):
    nb = _executed([[IMAGE, CAPTION], [], [IMAGE]])
    assert verify.verify(nb, template, {"year": 2024}) == []
    assert verify.count_charts(nb) == 2


def test_verification_names_notebook_and_cell_of_a_lost_chart(template):
    # What MPLBACKEND=Agg made of every chart: the Figure's text, no image, exit 0.
    failures = verify.verify(_executed([[IMAGE], [LOST, CAPTION], []]), template, {"year": 2024})
    assert [(f.notebook, f.cell) for f in failures] == [("03_chapter.ipynb", 2)]
    assert "chart lost" in failures[0].error


def test_verification_rejects_errors_stderr_and_other_parameters(template):
    error = {
        "output_type": "error",
        "ename": "ValueError",
        "evalue": "The truth value of a Series is ambiguous",
        "traceback": [],
    }
    stderr = {"output_type": "stream", "name": "stderr", "text": "UserWarning: FigureCanvasAgg is non-interactive\n"}
    failures = verify.verify(_executed([[error], [stderr], []], parameters={"year": 2023}), template, {"year": 2024})
    assert [(f.cell, f.error.split(":")[0]) for f in failures] == [
        (None, "parameters are {'year'"),
        (1, "error output"),
        (2, "wrote to stderr"),
    ]
    assert "The truth value of a Series is ambiguous" in failures[1].error
