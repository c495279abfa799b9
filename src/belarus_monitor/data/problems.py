"""What validation finds: problems, the parsed tables, and how problems are listed."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from belarus_monitor.data.schema import (
    Resource,
)
from belarus_monitor.errors import BelarusMonitorError
from belarus_monitor.text import excerpt

#: One parsed row of a table: its cells by field name.
Row = dict[str, Any]


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the data."""

    file: str
    row: int | None
    column: str | None
    value: str | None
    expected: str

    def __str__(self) -> str:
        where = self.file + (f":{self.row}" if self.row is not None else "")
        col = f" column {self.column!r}" if self.column else ""
        val = f": got {excerpt(self.value)}" if self.value is not None else ""
        sep = "; " if col or val else " "
        return f"{where}:{col}{val}{sep}expected {self.expected}"


#: How many problems of one file a listing shows; the rest are counted.
SHOWN_PER_FILE = 20


def summarise(problems: list[Problem], per_file: int = SHOWN_PER_FILE) -> list[str]:
    """One line per problem, at most ``per_file`` per file, then a count of the rest.

    A table of a million bad rows is reported in a screenful, not in a million lines.
    """
    shown: dict[str, int] = {}
    hidden: dict[str, int] = {}
    lines: list[str] = []
    for p in problems:
        if shown.get(p.file, 0) < per_file:
            shown[p.file] = shown.get(p.file, 0) + 1
            lines.append(str(p))
        else:
            hidden[p.file] = hidden.get(p.file, 0) + 1
    for file, n in hidden.items():
        lines.append(f"{file}: … and {n:,} more problem(s) of this file not shown")
    return lines


class DataValidationError(BelarusMonitorError, ValueError):
    """Raised when the data does not pass validation; lists the problems (see summarise)."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        lines = "\n".join(f"  {line}" for line in summarise(problems))
        super().__init__(f"{len(problems)} problem(s) in the data:\n{lines}")


@dataclass
class Table:
    """A CSV file read as text and parsed cell by cell."""

    resource: Resource
    rows: list[Row]
    lines: list[int]
    raw: list[dict[str, str]]
    bad: set[tuple[int, str]]

    def ok(self, line: int, *columns: str) -> bool:
        """Whether these cells of the row on ``line`` parsed without a problem."""
        return not any((line, c) in self.bad for c in columns)


@lru_cache(maxsize=1)
def known_countries() -> frozenset[str]:
    """ISO 3166-1 alpha-2 codes known to pycountry."""
    import pycountry

    return frozenset(c.alpha_2 for c in pycountry.countries)
