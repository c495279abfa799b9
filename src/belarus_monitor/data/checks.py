"""The project's own consistency checks of a data package, beyond the descriptor's types."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import Any

from belarus_monitor.data.numbers import numbers_in, parse_figure
from belarus_monitor.data.problems import Problem, Table, known_countries
from belarus_monitor.data.schema import (
    Package,
)
from belarus_monitor.text import excerpt


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
