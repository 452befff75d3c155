"""One error type for bad input, carrying every problem found as (file, row, field, message)."""
from __future__ import annotations

from dataclasses import dataclass


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
    lines, shown, hidden = [], {}, {}
    for problem in problems:
        if shown.get(problem.file, 0) < MAX_SHOWN_PER_FILE:
            shown[problem.file] = shown.get(problem.file, 0) + 1
            lines.append(f"{prefix}{problem}")
        else:
            hidden[problem.file] = hidden.get(problem.file, 0) + 1
    lines += [f"{prefix}{file}: {count:,} more problems not shown; fix those above and check again"
              for file, count in hidden.items()]
    return lines


class DataError(Exception):
    """Raised with all problems of a load, so a user fixes them in one pass."""

    def __init__(self, problems: list[Problem]):
        self.problems = sorted(
            set(problems), key=lambda p: (p.file, p.row if p.row is not None else -1, p.field, p.message)
        )
        super().__init__("\n".join(shown_lines(self.problems)))
