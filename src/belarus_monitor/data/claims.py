"""The checks of the claims themselves.

Figures found in their quotes, request counts that add up, releases, designation
rounds and the round-3 tables.
"""

from __future__ import annotations

from belarus_monitor.data.checks import _group_members
from belarus_monitor.data.numbers import numbers_in, parse_figure
from belarus_monitor.data.problems import Problem, Table
from belarus_monitor.text import excerpt


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
