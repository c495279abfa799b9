"""The project's own consistency checks of a data package, beyond the descriptor's types."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import Any

from belarus_monitor.data.problems import Problem, Table, known_countries
from belarus_monitor.data.schema import (
    Package,
)


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
            # A source's version of a list is a list, and names another list (not itself).
            target = groups.get(row.get("version_of"))
            if row.get("version_of") is not None and (
                row["kind"] != "unfriendly_list"
                or target is None
                or target["kind"] != "unfriendly_list"
                or row["version_of"] == row["group_id"]
            ):
                problems.append(
                    Problem(
                        t.resource.path,
                        line,
                        "version_of",
                        row["version_of"],
                        "on a group of kind unfriendly_list, the group_id of another "
                        "group of kind unfriendly_list",
                    )
                )
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
                if (
                    row["published"] is None
                    and "published_note" in row
                    and not (row["published_note"] or "").strip()
                ):
                    problems.append(
                        Problem(
                            name,
                            line,
                            "published_note",
                            "",
                            "a note saying how the date can be found or why there is none, "
                            "when published is empty (see the source policy)",
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
