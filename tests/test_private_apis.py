"""countybook.run.private_apis, and the rule that it is the only place reaching into another
package's private names. Each test fails loudly when an upgrade takes a facility away."""

from __future__ import annotations

import ast
import inspect
import sys
from pathlib import Path

import pytest

from countybook import paths
from countybook.run import private_apis

RUN_MODULES = sorted((paths.ROOT / "countybook" / "run").glob("*.py"))


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="renameat2 is Linux's")
def test_the_c_library_still_offers_renameat2():
    import ctypes
    import ctypes.util

    assert hasattr(ctypes.CDLL(ctypes.util.find_library("c") or None), "renameat2")


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="renameat2 is Linux's")
def test_rename_exchange_swaps_two_folders_atomically(tmp_path):
    a, b = tmp_path / "a", tmp_path / "b"
    a.mkdir(), b.mkdir()
    (a / "new.txt").write_text("new", encoding="utf-8")
    (b / "old.txt").write_text("old", encoding="utf-8")
    assert private_apis.rename_exchange(a, b) is True
    assert [p.name for p in b.iterdir()] == ["new.txt"] and [p.name for p in a.iterdir()] == ["old.txt"]


def test_rename_exchange_names_the_path_of_a_real_failure(tmp_path):
    if not sys.platform.startswith("linux"):
        assert private_apis.rename_exchange(tmp_path / "a", tmp_path / "b") is False
        return
    with pytest.raises(FileNotFoundError) as caught:
        private_apis.rename_exchange(tmp_path / "missing", tmp_path / "also-missing")
    assert caught.value.filename == str(tmp_path / "also-missing")


def test_the_public_apis_the_warm_kernels_use_are_there():
    """What replaced km._async_start_kernel, kc._async_get_shell_msg, plt._get_backend_mod,
    warnings._filters_mutated and rcParams._update_raw."""
    import warnings

    import matplotlib
    import matplotlib.pyplot as plt
    from jupyter_client.asynchronous.client import AsyncKernelClient
    from jupyter_client.manager import AsyncKernelManager

    for name in ("start_kernel", "shutdown_kernel", "cleanup_resources", "is_alive"):
        assert inspect.iscoroutinefunction(getattr(AsyncKernelManager, name)), name
    assert inspect.iscoroutinefunction(AsyncKernelClient.get_shell_msg)
    assert callable(plt.switch_backend) and callable(warnings.resetwarnings)
    assert callable(matplotlib.rcParams.update) and callable(matplotlib.rcParams.copy)


def _private_uses(path: Path) -> list[str]:
    """`something._name` where something is not self, cls or the module itself (dunders allowed)."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if (
            isinstance(node, ast.Attribute)
            and node.attr.startswith("_")
            and not node.attr.startswith("__")
            and not (isinstance(node.value, ast.Name) and node.value.id in ("self", "cls"))
        ):
            found.append(f"{path.name}:{node.lineno} {ast.unparse(node)}")
    return found


def test_no_module_of_the_runner_but_private_apis_uses_a_private_name():
    uses = [use for path in RUN_MODULES if path.name != "private_apis.py" for use in _private_uses(path)]
    assert uses == []


def _mutable_globals(path: Path) -> list[str]:
    mutable = (ast.Dict, ast.List, ast.Set, ast.DictComp, ast.ListComp, ast.SetComp)
    found = []
    for node in ast.parse(path.read_text(encoding="utf-8")).body:
        if isinstance(node, (ast.Assign, ast.AnnAssign)) and node.value is not None:
            value = node.value
            called = (
                isinstance(value, ast.Call)
                and isinstance(value.func, ast.Name)
                and value.func.id in ("dict", "list", "set", "defaultdict", "OrderedDict")
            )
            if isinstance(value, mutable) or called:
                found.append(f"{path.name}:{node.lineno}")
    return found


def test_the_runner_keeps_no_module_level_mutable_state():
    """State lives in objects handed around (RunPlan, the kernel's Snapshot), not in module globals."""
    assert [hit for path in RUN_MODULES for hit in _mutable_globals(path)] == []
