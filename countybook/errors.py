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


class DataError(Exception):
    """Raised with all problems of a load, so a user fixes them in one pass."""

    def __init__(self, problems: list[Problem]):
        self.problems = sorted(
            set(problems), key=lambda p: (p.file, p.row if p.row is not None else -1, p.field, p.message)
        )
        super().__init__("\n".join(str(p) for p in self.problems))
