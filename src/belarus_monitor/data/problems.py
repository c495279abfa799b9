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

    A table of a million bad rows is reported in a screenful, not in a million lines;
    the count includes the problems found but not kept (see :class:`Problems`).
    """
    found = getattr(problems, "found", None)
    shown: dict[str, int] = {}
    lines: list[str] = []
    for p in problems:
        if p.row is None and p.expected.startswith(NOT_KEPT):
            continue  # said by the count below
        if shown.get(p.file, 0) < per_file:
            shown[p.file] = shown.get(p.file, 0) + 1
            lines.append(str(p))
    totals: dict[str, int] = {}
    for p in problems:
        if not (p.row is None and p.expected.startswith(NOT_KEPT)):
            totals[p.file] = totals.get(p.file, 0) + 1
    for file, n in (found or totals).items():
        more = n - shown.get(file, 0)
        if more > 0:
            lines.append(f"{file}: … and {more:,} more problem(s) of this file not shown")
    return lines


#: How the problem that counts those not kept begins.
NOT_KEPT = "no more problems:"
#: The most problems of one file that validation keeps; the rest are only counted.
KEPT_PER_FILE = 1000


class Problems(list):
    """The problems found, at most :data:`KEPT_PER_FILE` kept per file.

    A table of a million bad rows must not hold a million problems in memory: past
    the limit a file's problems are counted, and :meth:`close` adds one problem per
    such file saying how many more there were.
    """

    def __init__(self) -> None:
        super().__init__()
        self._kept: dict[str, int] = {}
        self.hidden: dict[str, int] = {}
        #: Every problem found, per file, kept or not.
        self.found: dict[str, int] = {}

    @property
    def total(self) -> int:
        """How many problems were found in all, kept or not."""
        return sum(self.found.values())

    def append(self, problem: Problem) -> None:  # noqa: D102
        self.found[problem.file] = self.found.get(problem.file, 0) + 1
        n = self._kept.get(problem.file, 0)
        if n < KEPT_PER_FILE:
            self._kept[problem.file] = n + 1
            super().append(problem)
        else:
            self.hidden[problem.file] = self.hidden.get(problem.file, 0) + 1

    def close(self) -> Problems:
        """Add the count of the problems not kept, one line per file; returns itself."""
        for file, n in self.hidden.items():
            super().append(
                Problem(
                    file, None, None, None, f"no more problems: {n:,} more were found, not kept"
                )
            )
        self.hidden = {}
        return self


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
