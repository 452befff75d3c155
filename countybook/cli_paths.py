"""Every path a command is given, checked before any work starts, so that no path can destroy.

One function, refusal(), serves every command: arguments are known by their role (argparse dest):

* input files (SOURCE.txt of extract, REVIEW.csv and --source-file of add) must be regular files;
  a device or a pipe (/dev/zero, a fifo) would never end or hang;
* data folders (--data of validate, years, extract, add) must be folders when they exist;
* output files (--out of extract, and the companion files the command writes beside it) must be
  .csv files outside the repository's data, templates, book and library folders, not an input,
  not a folder, not a device or a pipe, and not a symbolic link. A link is refused rather than
  written through: the atomic replacement would swap the link itself for a file, and writing
  through it would change a file elsewhere that the user never named.

A command that writes more than its --out names those files in `<command>_writes(out)` (extract:
REVIEW.csv, REVIEW.unassigned.csv, REVIEW.sources.csv); countybook.__main__ passes it here.
A refusal is one line naming the path and what to do; the command line exits with EXIT_USAGE.
"""

from __future__ import annotations

import argparse
import os
import stat
from collections.abc import Callable, Iterable
from pathlib import Path
from types import MappingProxyType

from . import paths

EXIT_USAGE = 2  # what argparse exits with for a bad argument: a path refused is a bad argument

INPUT_FILES = ("source_file", "review_file")
DATA_FOLDERS = ("data",)
OUTPUT_FILES = ("out",)
# How each argument is written on the command line, for the one message about an empty path.
SPELLED = MappingProxyType(
    {"source_file": "the source file", "review_file": "REVIEW.csv", "data": "--data", "out": "--out"}
)
OUTPUT_SUFFIX = ".csv"


def protected_folders(data: str | None) -> dict[Path, str]:
    """Folders no command's output file may land in, each with what it holds."""
    folders = {
        paths.ROOT / "data": "data",
        paths.data_dir(): "data",
        paths.NOTEBOOKS_DIR: "templates",
        paths.BOOK_DIR: "book",
        paths.ROOT / "countybook": "library",
    }
    if data:
        folders[Path(data)] = "data"
    return {folder.resolve(): role for folder, role in folders.items()}


def _kind_of(path: Path) -> str | None:
    """'folder', 'special' (device, pipe, socket) or 'file' for an existing path, None if there is none."""
    try:
        mode = os.stat(path).st_mode
    except (FileNotFoundError, NotADirectoryError):
        return None
    if stat.S_ISDIR(mode):
        return "folder"
    return "file" if stat.S_ISREG(mode) else "special"


def _input_refusal(path: Path) -> str | None:
    kind = _kind_of(path)
    if kind is None:
        return f"{path}: the file does not exist"
    if kind == "folder":
        return f"{path}: is a folder, not a file; give the file's name"
    if kind == "special":
        return f"{path}: is a device or a pipe, not a regular file; give a file saved on disk"
    return None


def _folder_refusal(path: Path) -> str | None:
    kind = _kind_of(path)
    if kind is None:
        return f"{path}: the data folder does not exist; check --data"
    if kind != "folder":
        return f"{path}: is not a folder; --data names the folder that holds figures.csv"
    return None


def _same_file(a: Path, b: Path) -> bool:
    try:
        return os.path.samefile(a, b)
    except OSError:
        return a.resolve() == b.resolve()


def _output_refusal(path: Path, inputs: list[Path], protected: dict[Path, str]) -> str | None:
    for given in inputs:
        if _same_file(path, given):
            return f"{path}: is the input file {given}; writing it would destroy the input; choose another name"
    if path.is_symlink():
        return (
            f"{path}: is a symbolic link (to {os.readlink(path)}); the review file is never written "
            "through a link; give the real path or another name"
        )
    kind = _kind_of(path)
    if kind == "folder":
        return f"{path}: is a folder; give a file name for the review CSV, e.g. {path / 'review.csv'}"
    if kind == "special":
        return f"{path}: is a device or a pipe, not a regular file; give a file name for the review CSV"
    if path.suffix.lower() != OUTPUT_SUFFIX:
        return (
            f"{path}: the review file must be a {OUTPUT_SUFFIX} file (it is written as CSV and would "
            f"replace whatever {path.name} holds); choose a name ending in {OUTPUT_SUFFIX}"
        )
    if _kind_of(path.parent) != "folder":
        return f"{path}: the folder {path.parent} does not exist; create it or choose another --out"
    target = path.resolve()
    for folder, role in protected.items():
        if target == folder or folder in target.parents:
            return (
                f"{path}: lies in the {role} folder {folder}; the review file is never written "
                f"there (merge reviewed figures with `python -m countybook add`); write it elsewhere"
            )
    return None


def refusal(args: argparse.Namespace, written: Callable[[Path], Iterable[Path]] | None = None) -> str | None:
    """Why the command's path arguments cannot be used, as one line, or None.

    `written` gives every file a command writes for its --out (extract's companion files).
    """
    given = {
        dest: getattr(args, dest)
        for dest in INPUT_FILES + DATA_FOLDERS + OUTPUT_FILES
        if getattr(args, dest, None) is not None
    }
    for dest, value in given.items():
        if str(value).strip() == "":
            return f"{SPELLED[dest]}: an empty path was given; give a file or folder name"
    inputs = [Path(given[dest]) for dest in INPUT_FILES if dest in given]
    for path in inputs:
        problem = _input_refusal(path)
        if problem:
            return problem
    for dest in DATA_FOLDERS:
        if dest in given:
            problem = _folder_refusal(Path(given[dest]))
            if problem:
                return problem
    protected = protected_folders(given.get("data"))
    for dest in OUTPUT_FILES:
        if dest not in given:
            continue
        out = Path(given[dest])
        for path in written(out) if written is not None else [out]:
            problem = _output_refusal(path, inputs, protected)
            if problem:
                return problem
    return None
