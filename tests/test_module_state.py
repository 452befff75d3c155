"""No module of the library keeps mutable state at module level: a dict, list or set assigned at import
can be changed by any caller and then silently differs between a test, a notebook and the command line.
Constants are tuples, frozensets or read-only mappings (types.MappingProxyType); what must be read once
is loaded by a function (functools.cache of an immutable result)."""

from __future__ import annotations

import ast
from pathlib import Path

from countybook import paths

MUTABLE_CALLS = {"dict", "list", "set", "defaultdict", "OrderedDict", "Counter", "deque", "bytearray"}

# Offenders still being removed. A name that is no longer an offender must leave this list (the
# last test checks), so it can only shrink.
ALLOWED: frozenset[tuple[str, str]] = frozenset()


def mutable_at_module_level(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = []
    for node in tree.body:
        if isinstance(node, ast.Assign):
            targets, value = node.targets, node.value
        elif isinstance(node, ast.AnnAssign) and node.value is not None:
            targets, value = [node.target], node.value
        else:
            continue
        if _mutable(value):
            found += [target.id for target in targets if isinstance(target, ast.Name)]
    return found


def _mutable(value: ast.expr) -> bool:
    if isinstance(value, (ast.List, ast.Dict, ast.Set, ast.ListComp, ast.DictComp, ast.SetComp)):
        return True
    if isinstance(value, ast.BinOp):  # [...] + [...]
        return _mutable(value.left) or _mutable(value.right)
    if isinstance(value, ast.Call):
        name = value.func.id if isinstance(value.func, ast.Name) else getattr(value.func, "attr", "")
        return name in MUTABLE_CALLS
    return False


def offenders() -> set[tuple[str, str]]:
    package = paths.ROOT / "countybook"
    return {
        (path.relative_to(package).as_posix(), name)
        for path in sorted(package.rglob("*.py"))
        for name in mutable_at_module_level(path)
    }


def test_no_module_keeps_mutable_state():
    assert offenders() - set(ALLOWED) == set()


def test_the_check_sees_a_module_level_dict_and_list(tmp_path):
    module = tmp_path / "example.py"
    module.write_text(
        "A = {}\nB: list[int] = []\nC = (1, 2)\nD = dict(a=1)\nE = [1] + [2]\ndef f():\n    local = {}\n",
        encoding="utf-8",
    )
    assert mutable_at_module_level(module) == ["A", "B", "D", "E"]


def test_every_allowed_offender_is_still_one():
    assert set(ALLOWED) <= offenders()
