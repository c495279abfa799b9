"""Check the CSV files of ``data/`` against ``datapackage.json`` and for consistency.

Every problem is reported, none stops the run: a missing file, a file that is not
UTF-8, an empty file, a wrong header, a cell of the wrong type or outside its
constraints, a duplicate key, a dangling foreign key, an unknown country or group code,
a quote that does not contain the figure it supports, a fulfilled count above the sent
count, an implausible date. Each :class:`Problem` names the file, the row (the line in
the CSV file, the header being line 1), the column, the bad value and what was expected.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import math
import re
import sys
from pathlib import Path
from typing import Any

from belarus_monitor import config
from belarus_monitor.data.checks import (
    _check_as_of,
    _check_codes,
    _check_dates,
    _check_glosses,
    _check_keys,
    _check_vocabulary,
)
from belarus_monitor.data.claims import (
    _check_designations,
    _check_figures,
    _check_releases,
    _check_requests,
    _check_round3,
)
from belarus_monitor.data.problems import Problem, Problems, Row, Table
from belarus_monitor.data.schema import (
    DescriptorError,
    Field,
    Package,
    Resource,
    compile_pattern,
    read_package,
)
from belarus_monitor.text import excerpt

#: The longest cell accepted (characters); a longer one is an error, not a crash.
MAX_CELL = 5000
#: The largest data file read (bytes).
MAX_FILE_BYTES = 50_000_000
#: The largest integer accepted: every integer stays exact in a float and in int64.
MAX_INTEGER = 2**53 - 1
_INTEGER = re.compile(r"[+-]?[0-9]+")
_NUMBER = re.compile(r"[+-]?[0-9]+(\.[0-9]+)?([eE][+-]?[0-9]{1,3})?")
_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
#: Characters no cell may hold: controls (but the line feed), and the bidirectional
#: overrides that make text display in another order than it is stored.
_FORBIDDEN = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def _parse_cell(f: Field, text: str) -> tuple[Any, str | None]:
    """Return (value, None) or (None, what was expected)."""
    if len(text) > MAX_CELL:
        return None, f"at most {MAX_CELL:,} characters (got {len(text):,})"
    if _FORBIDDEN.search(text):
        return None, "text without control characters or direction overrides"
    if f.type == "string":
        return text, None
    if f.type == "integer":
        if _INTEGER.fullmatch(text) and abs(int(text)) <= MAX_INTEGER:
            return int(text), None
        return None, (f"an integer of digits 0-9 only, at most {MAX_INTEGER:,} (no separators)")
    if f.type == "number":
        if _NUMBER.fullmatch(text):
            value = float(text)
            if math.isfinite(value) and abs(value) <= MAX_INTEGER:
                return value, None
        return None, "a finite number of digits 0-9 with a dot as decimal separator"
    if f.type == "boolean":
        if text in ("true", "false"):
            return text == "true", None
        return None, "true or false"
    if f.type == "date":
        try:
            if not _DATE.fullmatch(text):
                raise ValueError
            return dt.date.fromisoformat(text), None
        except ValueError:
            return None, "a date as YYYY-MM-DD"
    return text, None


def _check_constraints(f: Field, value: Any, text: str) -> str | None:
    c = f.constraints
    if "enum" in c and text not in c["enum"]:
        return "one of " + ", ".join(c["enum"])
    if "pattern" in c and not compile_pattern(c["pattern"]).fullmatch(text):
        return f"text matching {excerpt(c['pattern'], 60)}"
    if "maxLength" in c and len(text) > c["maxLength"]:
        return f"at most {c['maxLength']} characters"
    if "minLength" in c and len(text) < c["minLength"]:
        return f"at least {c['minLength']} characters"
    for key, op, word in (
        ("minimum", lambda a, b: a < b, "at least"),
        ("maximum", lambda a, b: a > b, "at most"),
    ):
        if key in c:
            bound = c[key]
            if f.type == "date":
                bound = dt.date.fromisoformat(bound)
            if op(value, bound):
                return f"{word} {c[key]}"
    return None


def _read_table(res: Resource, pkg: Package, problems: list[Problem]) -> Table | None:
    name = res.path
    try:
        path = pkg.file(res)
    except DescriptorError as exc:
        problems.append(
            Problem(name, None, None, None, exc.problems[0].expected + f" (resource {res.name})")
        )
        return None
    if path.stat().st_size > MAX_FILE_BYTES:
        problems.append(
            Problem(name, None, None, None, f"a file of at most {MAX_FILE_BYTES:,} bytes")
        )
        return None
    data = path.read_bytes()
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        problems.append(
            Problem(name, line, None, None, "UTF-8 text (the file is in another encoding)")
        )
        return None
    text = text.removeprefix("\ufeff")
    if not text.strip():
        problems.append(
            Problem(name, None, None, None, "a header line: " + ",".join(res.field_names))
        )
        return None
    csv.field_size_limit(min(sys.maxsize, 2**31 - 1))
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    try:
        header = next(reader)
    except csv.Error:
        problems.append(Problem(name, 1, None, None, "a header line of CSV"))
        return None
    if header != res.field_names:
        missing = [c for c in res.field_names if c not in header]
        extra = [c for c in header if c not in res.field_names]
        detail = []
        if missing:
            detail.append("missing " + ", ".join(missing))
        if extra:
            shown = ", ".join(excerpt(c, 20) for c in extra[:3])
            detail.append(f"{len(extra)} unexpected: {shown}" + (", …" if len(extra) > 3 else ""))
        if not detail:
            detail.append("columns in the declared order")
        problems.append(
            Problem(
                name,
                1,
                None,
                None,
                "the header " + ",".join(res.field_names) + " (" + "; ".join(detail) + ")",
            )
        )
        return None
    rows, lines, raws = [], [], []
    bad: set[tuple[int, str]] = set()
    while True:
        try:
            cells = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            problems.append(
                Problem(name, reader.line_num, None, None, f"well-formed CSV ({excerpt(exc, 60)})")
            )
            break
        line = reader.line_num
        if not any(cells):
            continue
        if len(cells) != len(header):
            problems.append(
                Problem(
                    name, line, None, f"{len(cells)} cells", f"{len(header)} cells, one per column"
                )
            )
            continue
        raw = dict(zip(header, cells, strict=True))
        row: Row = {}
        for f in res.fields:
            cell = raw[f.name]
            if cell == "":
                row[f.name] = None
                if f.required:
                    problems.append(Problem(name, line, f.name, "", "a value (required)"))
                continue
            value, err = _parse_cell(f, cell)
            if err is None:
                err = _check_constraints(f, value, cell)
            if err:
                problems.append(Problem(name, line, f.name, cell, err))
                bad.add((line, f.name))
                value = None
            row[f.name] = value
        rows.append(row)
        lines.append(line)
        raws.append(raw)
    return Table(res, rows, lines, raws, bad)


def read_tables(
    data_dir: str | Path | None = None,
) -> tuple[Package, dict[str, Table], list[Problem]]:
    """Read and parse every table; return them with the problems found so far."""
    pkg = read_package(data_dir)
    problems = Problems()
    tables = {}
    for res in pkg.resources:
        t = _read_table(res, pkg, problems)
        if t is not None:
            tables[res.name] = t
    return pkg, tables, problems


def validate(data_dir: str | Path | None = None, today: dt.date | None = None) -> list[Problem]:
    """Check the data package in ``data_dir`` and return every problem found.

    Parameters
    ----------
    data_dir
        Directory with ``datapackage.json`` and the CSV files (default: ``data/``).
    today
        The date that counts as today for the "no future dates" check.

    Returns
    -------
    list of Problem
        Empty when the data is clean. At most
        :data:`~belarus_monitor.data.problems.KEPT_PER_FILE` problems of one file are
        kept, then one more saying how many were left out (memory stays bounded).
    """
    try:
        pkg, tables, problems = read_tables(data_dir)
    except FileNotFoundError as exc:
        return [Problem(config.DESCRIPTOR_NAME, None, None, None, f"an existing file ({exc})")]
    except DescriptorError as exc:
        return [
            Problem(config.DESCRIPTOR_NAME, None, p.where, p.value, p.expected)
            for p in exc.problems
        ]
    _check_keys(pkg, tables, problems)
    _check_codes(tables, problems)
    _check_figures(tables, problems)
    _check_requests(tables, problems)
    _check_dates(tables, problems, today or dt.date.today())
    _check_releases(tables, problems)
    _check_as_of(tables, problems)
    _check_vocabulary(pkg, tables, problems)
    _check_glosses(tables, problems)
    _check_designations(tables, problems)
    _check_round3(tables, problems)
    return problems.close()
