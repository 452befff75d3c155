"""ARCHITECTURE.md tells a newcomer where each module sits: its module table must list every module
of the package and of book/_ext with the first line of its docstring, so the map cannot go stale."""

from __future__ import annotations

import ast
import re

from countybook import paths

ARCHITECTURE = paths.ROOT / "ARCHITECTURE.md"
MAX_MODULE_LINES = 500


def modules() -> dict[str, str]:
    """Every module's path relative to the project root, with the first line of its docstring."""
    found = {}
    for folder in (paths.ROOT / "countybook", paths.BOOK_DIR / "_ext"):
        for path in sorted(folder.rglob("*.py")):
            if path.name == "__init__.py" and not path.read_text(encoding="utf-8").strip():
                continue
            doc = ast.get_docstring(ast.parse(path.read_text(encoding="utf-8"))) or ""
            found[path.relative_to(paths.ROOT).as_posix()] = doc.split("\n")[0].strip()
    return found


def listed() -> dict[str, str]:
    rows = re.findall(
        r"^\| `((?:countybook|book/_ext)/[^`]+\.py)` \| (.*) \|$", ARCHITECTURE.read_text(encoding="utf-8"), re.M
    )
    return dict(rows)


def test_every_module_is_listed_with_its_docstring():
    assert listed() == modules()


def test_every_module_has_a_docstring():
    assert [name for name, doc in modules().items() if not doc] == []


def test_no_module_is_over_the_size_a_reader_can_hold():
    long = {
        name: n
        for name in modules()
        if (n := len((paths.ROOT / name).read_text(encoding="utf-8").splitlines())) > MAX_MODULE_LINES
    }
    assert long == {}


def test_the_table_check_sees_a_missing_module(tmp_path, monkeypatch):
    text = ARCHITECTURE.read_text(encoding="utf-8")
    first = next(iter(modules()))
    trimmed = tmp_path / "ARCHITECTURE.md"
    trimmed.write_text("\n".join(line for line in text.splitlines() if f"`{first}`" not in line), encoding="utf-8")
    monkeypatch.setattr(__import__(__name__), "ARCHITECTURE", trimmed)
    assert first not in listed()
