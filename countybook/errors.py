"""One error type for bad input, carrying every problem found as (file, row, field, message)."""

from __future__ import annotations

import errno
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType


@dataclass(frozen=True)
class Problem:
    file: str
    row: int | None
    field: str
    message: str

    def __str__(self) -> str:
        where = f"row {self.row}" if self.row is not None else "whole file"
        return f"{self.file}, {where}, field '{self.field}': {self.message}"


# A file with thousands of bad rows (a wrong export, a paste gone astray) would print thousands
# of lines that all say the same; the first ones tell what to fix.
MAX_SHOWN_PER_FILE = 20


def shown_lines(problems: list[Problem], prefix: str = "") -> list[str]:
    """One line per problem, at most MAX_SHOWN_PER_FILE per file, then how many more there were."""
    lines: list[str] = []
    shown: dict[str, int] = {}
    hidden: dict[str, int] = {}
    for problem in problems:
        if shown.get(problem.file, 0) < MAX_SHOWN_PER_FILE:
            shown[problem.file] = shown.get(problem.file, 0) + 1
            lines.append(f"{prefix}{problem}")
        else:
            hidden[problem.file] = hidden.get(problem.file, 0) + 1
    lines += [
        f"{prefix}{file}: {count:,} more problems not shown; fix those above and check again"
        for file, count in hidden.items()
    ]
    return lines


class DataError(Exception):
    """Raised with all problems of a load, so a user fixes them in one pass."""

    def __init__(self, problems: list[Problem]):
        self.problems = sorted(
            set(problems), key=lambda p: (p.file, p.row if p.row is not None else -1, p.field, p.message)
        )
        super().__init__("\n".join(shown_lines(self.problems)))


_OS_ADVICE = MappingProxyType(
    {
        errno.EROFS: "the file system is read-only; work on a writable copy",
        errno.ENOSPC: "the disk is full; free some space and run again",
        errno.EDQUOT: "the disk quota is used up; free some space and run again",
        errno.EACCES: "permission denied; check the permissions of the file and its folder",
        errno.EPERM: "not permitted; check the file's permissions and attributes (ls -l, lsattr)",
        errno.ENOENT: "no such file or folder; check the path",
        errno.ENOTDIR: "a part of the path is not a folder; check the path",
        errno.EISDIR: "it is a folder, not a file; check the path",
    }
)


def describe_os_error(err: OSError) -> str:
    """A file-system failure as one phrase: which file, and what to do about it."""
    where = Path(err.filename).name if err.filename else "a file"
    return f"cannot write or read {where}: {_OS_ADVICE.get(err.errno or 0, err.strerror or type(err).__name__)}"
