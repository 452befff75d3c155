"""countybook.text_files: text and YAML read safely without the data stack."""

from __future__ import annotations

import subprocess
import sys

import pytest

from countybook import paths
from countybook.errors import DataError
from countybook.text_files import WHOLE_FILE, parse_yaml


def test_reading_a_catalogue_imports_neither_pandas_nor_pandera():
    """The book build's extensions read the catalogues in both of its processes: without the data
    stack (pandas, pandera, pydantic), which cost each of them half a second."""
    probe = (
        "import sys\n"
        "from countybook.render.messages import catalogue, say\n"
        "catalogue('en'); catalogue('zh'); say('pdf.contents', 'zh')\n"
        "print(sorted(name for name in ('pandas', 'pandera', 'pydantic') if name in sys.modules))\n"
    )
    done = subprocess.run([sys.executable, "-c", probe], cwd=paths.ROOT, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"


def test_an_alias_is_refused_on_its_line(tmp_path):
    path = tmp_path / "messages.yml"
    path.write_text("a: &x 1\nb: *x\n", encoding="utf-8")
    with pytest.raises(DataError) as raised:
        parse_yaml(path, "messages.yml")
    (problem,) = raised.value.problems
    assert (problem.row, problem.field) == (1, WHOLE_FILE) and "anchors and aliases" in problem.message
