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
from collections import defaultdict
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from . import config
from .numbers import numbers_in, parse_figure
from .schema import DescriptorError, Field, Package, Resource, compile_pattern, read_package
from .text import excerpt

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


class DataValidationError(ValueError):
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


def _check_keys(pkg: Package, tables: dict[str, Table], problems: list[Problem]) -> None:
    for t in tables.values():
        res = t.resource
        name = res.path
        for f in res.fields:
            if f.constraints.get("unique"):
                seen: dict[Any, int] = {}
                for row, line in zip(t.rows, t.lines, strict=True):
                    v = row[f.name]
                    if v is None:
                        continue
                    if v in seen:
                        problems.append(
                            Problem(
                                name,
                                line,
                                f.name,
                                str(v),
                                f"a unique value (also on row {seen[v]})",
                            )
                        )
                    else:
                        seen[v] = line
        if res.primary_key and not any(
            res.field(k).constraints.get("unique")
            for k in res.primary_key
            if len(res.primary_key) == 1
        ):
            seen_pk: dict[tuple, int] = {}
            for row, line in zip(t.rows, t.lines, strict=True):
                key = tuple(row[k] for k in res.primary_key)
                if key in seen_pk:
                    problems.append(
                        Problem(
                            name,
                            line,
                            ",".join(res.primary_key),
                            ",".join(map(str, key)),
                            f"a unique primary key (also on row {seen_pk[key]})",
                        )
                    )
                else:
                    seen_pk[key] = line
        for fk in res.foreign_keys:
            ref_name = fk["reference"]["resource"] or res.name
            ref_fields = fk["reference"]["fields"]
            ref = tables.get(ref_name)
            if ref is None:
                continue
            valid = {tuple(r[k] for k in ref_fields) for r in ref.rows}
            for row, line in zip(t.rows, t.lines, strict=True):
                key = tuple(row[k] for k in fk["fields"])
                if any(k is None for k in key):
                    continue
                if key not in valid:
                    problems.append(
                        Problem(
                            name,
                            line,
                            ",".join(fk["fields"]),
                            ",".join(map(str, key)),
                            f"a {','.join(ref_fields)} that exists in {ref.resource.path}",
                        )
                    )


def _group_members(tables: dict[str, Table]) -> dict[str, set[str]]:
    """Members of every group with a member list (membership and unfriendly lists)."""
    members: dict[str, set[str]] = defaultdict(set)
    if "group_members" in tables:
        for r in tables["group_members"].rows:
            if r["group_id"] and r["country"]:
                members[r["group_id"]].add(r["country"])
    if "unfriendly_states" in tables:
        for r in tables["unfriendly_states"].rows:
            m = r["member"]
            if r["list_id"] and m:
                members[r["list_id"]] |= members.get(m, set()) if len(m) > 2 else {m}
    return members


def _check_codes(tables: dict[str, Table], problems: list[Problem]) -> None:
    countries = known_countries()
    groups = {r["group_id"]: r for r in tables["groups"].rows} if "groups" in tables else {}
    for t in tables.values():
        name = t.resource.path
        checks = t.resource.checks
        for col in checks.get("country", []):
            for row, line in zip(t.rows, t.lines, strict=True):
                v = row[col]
                if v is not None and v not in countries:
                    problems.append(
                        Problem(name, line, col, v, "an ISO 3166-1 alpha-2 country code")
                    )
        for col in checks.get("country_or_group", []):
            for row, line in zip(t.rows, t.lines, strict=True):
                v = row[col]
                if v is None or v in countries or v in groups:
                    continue
                problems.append(
                    Problem(
                        name,
                        line,
                        col,
                        v,
                        "an ISO 3166-1 alpha-2 country code or a group_id from groups.csv",
                    )
                )
    kinds = {
        "group_members": ("group_id", {"membership", "aggregate"}),
        "unfriendly_states": ("list_id", {"unfriendly_list"}),
    }
    for tname, (col, allowed) in kinds.items():
        if tname not in tables:
            continue
        t = tables[tname]
        for row, line in zip(t.rows, t.lines, strict=True):
            g = groups.get(row[col])
            if g and g["kind"] not in allowed:
                problems.append(
                    Problem(
                        t.resource.path,
                        line,
                        col,
                        row[col],
                        f"a group of kind {', '.join(sorted(allowed))}",
                    )
                )
    if "unfriendly_states" in tables:
        t = tables["unfriendly_states"]
        for row, line in zip(t.rows, t.lines, strict=True):
            g = groups.get(row["member"])
            if g and g["kind"] != "membership":
                problems.append(
                    Problem(
                        t.resource.path,
                        line,
                        "member",
                        row["member"],
                        "a country or a group of kind membership",
                    )
                )
    members = _group_members(tables)
    if "groups" in tables:
        t = tables["groups"]
        for row, line in zip(t.rows, t.lines, strict=True):
            size = row["claimed_size"]
            if size is not None and len(members.get(row["group_id"], ())) != size:
                problems.append(
                    Problem(
                        t.resource.path,
                        line,
                        "claimed_size",
                        str(size),
                        f"the number of members recorded ({len(members.get(row['group_id'], ()))})",
                    )
                )


def _check_figures(tables: dict[str, Table], problems: list[Problem]) -> None:
    """Every figure occurs in its quote, in digits or as the words its alias gives."""
    _check_figure_lists(tables, problems)
    for t in tables.values():
        name = t.resource.path
        for key in ("figure", "figure_percent"):
            spec = t.resource.checks.get(key)
            if not spec:
                continue
            vcol, qcol, acol = spec["value"], spec["quote"], spec.get("alias")
            for row, line in zip(t.rows, t.lines, strict=True):
                value, quote = row[vcol], row[qcol]
                if value is None or quote is None:
                    continue
                alias = row.get(acol) if acol else None
                if alias:
                    if alias not in quote:
                        problems.append(
                            Problem(name, line, acol, alias, f"text that occurs verbatim in {qcol}")
                        )
                        continue
                    parsed = parse_figure(alias)
                    if parsed is None:
                        problems.append(
                            Problem(name, line, acol, alias, "a figure in digits or number words")
                        )
                    elif abs(parsed - float(value)) > 1e-9:
                        problems.append(
                            Problem(
                                name,
                                line,
                                vcol,
                                str(value),
                                f"the figure {acol} {alias!r} says ({parsed:g})",
                            )
                        )
                elif not any(abs(n - float(value)) < 1e-9 for n in numbers_in(quote)):
                    problems.append(
                        Problem(
                            name,
                            line,
                            vcol,
                            str(value),
                            f"a figure that {qcol} contains "
                            f"({excerpt(quote)}); if it is written in "
                            f"words, say how in {acol}"
                            if acol
                            else f"a figure that {qcol} contains ({excerpt(quote)})",
                        )
                    )


def _check_figure_lists(tables: dict[str, Table], problems: list[Problem]) -> None:
    """Tables whose rows carry several figures: a ``figures`` list of specs.

    Each figure must occur in the quote as digits, or be one of the parts of the alias
    column (number words separated by `` | ``), each of which must occur in the quote.
    """
    for t in tables.values():
        specs = t.resource.checks.get("figures", [])
        name = t.resource.path
        for row, line in zip(t.rows, t.lines, strict=True):
            for spec in specs:
                vcol, qcol, acol = spec["value"], spec["quote"], spec.get("alias")
                value, quote = row[vcol], row[qcol]
                if value is None or quote is None:
                    continue
                parts = [p.strip() for p in (row.get(acol) or "").split("|") if p.strip()]
                words = {parse_figure(p) for p in parts if p in quote}
                if not any(
                    abs(n - float(value)) < 1e-9
                    for n in numbers_in(quote) | {w for w in words if w is not None}
                ):
                    problems.append(
                        Problem(
                            name,
                            line,
                            vcol,
                            str(value),
                            f"a figure that {qcol} contains ({excerpt(quote)}); "
                            f"if it is written in words, say how in {acol}",
                        )
                    )
            if specs and specs[0].get("alias") and row.get(specs[0]["alias"]):
                acol = specs[0]["alias"]
                for part in row[acol].split("|"):
                    part = part.strip()
                    if part not in (row[specs[0]["quote"]] or "") or parse_figure(part) is None:
                        problems.append(
                            Problem(
                                name,
                                line,
                                acol,
                                part,
                                "figures in words, separated by ' | ', each "
                                "occurring verbatim in the quote",
                            )
                        )


def _check_requests(tables: dict[str, Table], problems: list[Problem]) -> None:
    t = tables.get("requests")
    if t is None:
        return
    name = t.resource.path
    for row, line in zip(t.rows, t.lines, strict=True):
        if not t.ok(line, "value", "percent", "status", "qualifier"):
            continue
        filled = [c for c in ("value", "percent", "status") if row[c] is not None]
        if len(filled) != 1:
            problems.append(
                Problem(
                    name,
                    line,
                    "value,percent,status",
                    ",".join(filled) or "",
                    "exactly one of value, percent (a figure) or status (a qualitative claim)",
                )
            )
        has_figure = row["value"] is not None or row["percent"] is not None
        if has_figure and row["qualifier"] is None:
            problems.append(
                Problem(
                    name,
                    line,
                    "qualifier",
                    "",
                    "a qualifier (exact, at_least, more_than, about) for a figure",
                )
            )
        if not has_figure and row["qualifier"] is not None:
            problems.append(
                Problem(
                    name, line, "qualifier", row["qualifier"], "no qualifier on a qualitative claim"
                )
            )
        if (row["period_source_id"] is None) != (row["period_quote"] is None):
            problems.append(
                Problem(
                    name,
                    line,
                    "period_quote",
                    row["period_quote"] or "",
                    "period_source_id and period_quote both filled or both empty",
                )
            )
    pairs = {"fulfilled": "sent", "granted": "received"}
    exact: dict[tuple, tuple[int, int]] = {}
    for row, line in zip(t.rows, t.lines, strict=True):
        if row["value"] is not None and row["qualifier"] == "exact":
            key = (
                row["direction"],
                row["counterpart"],
                row["case_type"],
                row["measure"],
                row["period_start"],
                row["period_end"],
            )
            exact.setdefault(key, (row["value"], line))

    def at_most(value: int, line: int, key: tuple, what: str) -> None:
        """Report ``value`` if it exceeds the exact count stored under ``key``."""
        if key in exact and value > exact[key][0]:
            bound, bline = exact[key]
            problems.append(
                Problem(name, line, "value", str(value), f"at most {what} ({bound}, row {bline})")
            )

    members = _group_members(tables)
    for (d, cp, case, measure, ps, pe), (value, line) in exact.items():
        base = pairs.get(measure)
        if base:
            at_most(
                value,
                line,
                (d, cp, case, base, ps, pe),
                f"the {base} count for the same counterpart, case and period",
            )
        if case != "all":
            at_most(value, line, (d, cp, "all", measure, ps, pe), "the count for all case types")
        for group, ms in members.items():
            if cp in ms:
                at_most(
                    value,
                    line,
                    (d, group, case, measure, ps, pe),
                    f"the count for {group}, which {cp} belongs to",
                )


def _check_dates(tables: dict[str, Table], problems: list[Problem], today: dt.date) -> None:
    spans = {
        "requests": ("period_start", "period_end"),
        "prisoner_releases": ("date_from", "date_to"),
    }
    for t in tables.values():
        name = t.resource.path
        date_cols = [f.name for f in t.resource.fields if f.type == "date"]
        for row, line in zip(t.rows, t.lines, strict=True):
            for col in date_cols:
                v = row[col]
                if v is not None and v > today:
                    problems.append(
                        Problem(
                            name,
                            line,
                            col,
                            v.isoformat(),
                            f"a date not after today ({today.isoformat()})",
                        )
                    )
            if t.resource.name in spans:
                a, b = spans[t.resource.name]
                if row[a] is not None and row[b] is not None and row[a] > row[b]:
                    problems.append(
                        Problem(
                            name,
                            line,
                            a,
                            row[a].isoformat(),
                            f"a date not after {b} ({row[b].isoformat()})",
                        )
                    )
            if t.resource.name == "sources":
                if (row["published"] is not None) != (row["published_precision"] is not None):
                    problems.append(
                        Problem(
                            name,
                            line,
                            "published_precision",
                            row["published_precision"] or "",
                            "a precision exactly when published is given",
                        )
                    )
                if row["published"] and row["accessed"] and row["accessed"] < row["published"]:
                    problems.append(
                        Problem(
                            name,
                            line,
                            "accessed",
                            row["accessed"].isoformat(),
                            "an access date not before publication",
                        )
                    )


def _check_releases(tables: dict[str, Table], problems: list[Problem]) -> None:
    t = tables.get("prisoner_releases")
    if t is None:
        return
    by_id = {r["release_id"]: r for r in t.rows}
    for row, line in zip(t.rows, t.lines, strict=True):
        whole = by_id.get(row["part_of"]) if row["part_of"] else None
        if whole is None:
            continue
        if whole["event_id"] != row["event_id"]:
            problems.append(
                Problem(
                    t.resource.path,
                    line,
                    "event_id",
                    row["event_id"],
                    f"the event of {row['part_of']} ({whole['event_id']})",
                )
            )
        if (
            row["count"] is not None
            and whole["count"] is not None
            and row["count"] > whole["count"]
        ):
            problems.append(
                Problem(
                    t.resource.path,
                    line,
                    "count",
                    str(row["count"]),
                    f"at most the count of {row['part_of']} ({whole['count']})",
                )
            )


def _check_vocabulary(pkg: Package, tables: dict[str, Table], problems: list[Problem]) -> None:
    """Every code of a closed list has its reader's label in vocabulary.csv."""
    t = tables.get("vocabulary")
    if t is None:
        return
    have = {(r["domain"], r["code"]) for r in t.rows}
    for res in pkg.resources:
        for f in res.fields:
            domain = f.vocabulary
            if f.enum and not domain:
                problems.append(
                    Problem(
                        pkg.path.name,
                        None,
                        f"{res.name}.{f.name}",
                        None,
                        "an x-vocabulary domain for a field with an enum",
                    )
                )
                continue
            for code in f.enum or []:
                if (domain, code) not in have:
                    problems.append(
                        Problem(
                            t.resource.path,
                            None,
                            "domain,code",
                            f"{domain},{code}",
                            f"a label for the code of {res.name}.{f.name}",
                        )
                    )


def _check_glosses(tables: dict[str, Table], problems: list[Problem]) -> None:
    """A quote or title from a source not in English has an English gloss."""
    src = tables.get("sources")
    if src is None:
        return
    language = {r["source_id"]: r["language"] for r in src.rows}
    for row, line in zip(src.rows, src.lines, strict=True):
        if (
            row["language"] not in (None, "en")
            and not row.get("title_en")
            and not row.get("title_supplied")
        ):
            problems.append(
                Problem(
                    src.resource.path,
                    line,
                    "title_en",
                    "",
                    f"an English gloss of the title (the source is in {row['language']!r})",
                )
            )
    pairs = (
        ("quote", "source_id", "quote_en"),
        ("period_quote", "period_source_id", "period_quote_en"),
    )
    for t in tables.values():
        names = set(t.resource.field_names)
        for qcol, scol, gcol in pairs:
            if not {qcol, scol} <= names:
                continue
            for row, line in zip(t.rows, t.lines, strict=True):
                lang = language.get(row[scol])
                if row[qcol] is None or lang in (None, "en") or row.get(gcol):
                    continue
                problems.append(
                    Problem(
                        t.resource.path,
                        line,
                        gcol,
                        "",
                        f"an English gloss of {qcol} (source {row[scol]!r} is in {lang!r})",
                    )
                )


def _check_designations(tables: dict[str, Table], problems: list[Problem]) -> None:
    """A designation row with a figure needs a qualifier, one without none.

    A round whose stated totals do not follow from the previous total and the figures
    added is not a problem here: :func:`belarus_monitor.metrics.designation_gaps` lists
    it as a warning.
    """
    t = tables.get("sanctions_designations")
    if t is None:
        return
    figs = [s["value"] for s in t.resource.checks.get("figures", [])]
    for row, line in zip(t.rows, t.lines, strict=True):
        has_figure = any(row[c] is not None for c in figs)
        if t.ok(line, "qualifier") and has_figure != (row["qualifier"] is not None):
            problems.append(
                Problem(
                    t.resource.path,
                    line,
                    "qualifier",
                    row["qualifier"] or "",
                    "a qualifier exactly when the row has a figure",
                )
            )


def _check_round3(tables: dict[str, Table], problems: list[Problem]) -> None:
    """Checks of the round-3 tables that the descriptor's generic checks cannot express.

    A period does not end before it starts; a count or share is given exactly once; a
    part is not above its whole; every named case has an event, and names its person or
    says who it is. (Dates against publication: :func:`_check_as_of`; glosses:
    :func:`_check_glosses`.)
    """
    for tname in ("wanted_persons", "prisoner_flows"):
        t = tables.get(tname)
        if t is None:
            continue
        for row, line in zip(t.rows, t.lines, strict=True):
            a, b = row.get("period_start"), row.get("period_end")
            if a is not None and b is not None and a > b:
                problems.append(
                    Problem(
                        t.resource.path,
                        line,
                        "period_start",
                        a.isoformat(),
                        f"a date not after period_end ({b.isoformat()})",
                    )
                )
    t = tables.get("wanted_persons")
    if t is not None:
        for row, line in zip(t.rows, t.lines, strict=True):
            if (row["value"] is None) == (row["percent"] is None) and t.ok(
                line, "value", "percent"
            ):
                problems.append(
                    Problem(
                        t.resource.path,
                        line,
                        "value,percent",
                        "",
                        "exactly one of value (a count) or percent (a share)",
                    )
                )
    t = tables.get("prisoner_flows")
    if t is not None:
        by_id = {r["flow_id"]: r for r in t.rows}
        for row, line in zip(t.rows, t.lines, strict=True):
            whole = by_id.get(row["part_of"]) if row["part_of"] else None
            if (
                whole is not None
                and row["count"] is not None
                and whole["count"] is not None
                and (row["count"] > whole["count"] or row["measure"] != whole["measure"])
            ):
                problems.append(
                    Problem(
                        t.resource.path,
                        line,
                        "count",
                        str(row["count"]),
                        f"at most the count of {row['part_of']} "
                        f"({whole['count']}), of the same measure",
                    )
                )
    cases, events = tables.get("named_cases"), tables.get("case_events")
    if cases is not None and events is not None:
        with_events = {r["case_id"] for r in events.rows}
        for row, line in zip(cases.rows, cases.lines, strict=True):
            if row["case_id"] not in with_events:
                problems.append(
                    Problem(
                        cases.resource.path,
                        line,
                        "case_id",
                        row["case_id"],
                        "a case with at least one event in case_events.csv",
                    )
                )
            if not row["name"] and not row["note"]:
                problems.append(
                    Problem(
                        cases.resource.path,
                        line,
                        "name",
                        "",
                        "a name, or a note saying who the person is",
                    )
                )
            if row["requested_state"] and row["requested_state"] == row["requesting_state"]:
                problems.append(
                    Problem(
                        cases.resource.path,
                        line,
                        "requesting_state",
                        row["requesting_state"],
                        "a state other than the requested state",
                    )
                )


def _published(tables: dict[str, Table]) -> dict[str, dt.date]:
    """Publication dates known to the day, by source id."""
    src = tables.get("sources")
    return {
        r["source_id"]: r["published"]
        for r in (src.rows if src else [])
        if r["published"] is not None and r["published_precision"] == "day"
    }


def _check_as_of(tables: dict[str, Table], problems: list[Problem]) -> None:
    """Check the "as of" dates: given with their precision, not after publication.

    A date known to the day is not after the day its source was published. The
    descriptor names each table's date under ``x-belarus-monitor-checks``:
    ``"as_of": {"date": column, "precision": column}``.
    """
    published = _published(tables)
    for t in tables.values():
        spec = t.resource.checks.get("as_of")
        if not isinstance(spec, dict):
            continue
        col, prec = spec["date"], spec["precision"]
        for row, line in zip(t.rows, t.lines, strict=True):
            if not t.ok(line, col, prec):
                continue
            if (row[col] is None) != (row[prec] is None):
                problems.append(
                    Problem(
                        t.resource.path,
                        line,
                        prec,
                        row[prec] or "",
                        f"a precision exactly when {col} is given",
                    )
                )
            pub = published.get(row.get("source_id"))
            if row[col] is not None and row[prec] == "day" and pub and row[col] > pub:
                problems.append(
                    Problem(
                        t.resource.path,
                        line,
                        col,
                        row[col].isoformat(),
                        f"a date not after the source's publication ({pub.isoformat()})",
                    )
                )


def read_tables(
    data_dir: str | Path | None = None,
) -> tuple[Package, dict[str, Table], list[Problem]]:
    """Read and parse every table; return them with the problems found so far."""
    pkg = read_package(data_dir)
    problems: list[Problem] = []
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
        Empty when the data is clean.
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
    return problems
