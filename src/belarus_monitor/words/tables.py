"""The rows of the reports' tables, in words.

Each function takes a table of the package and returns a frame whose columns a
report shows as they are: figures written with their qualifier ("at least 1,425"),
dates as precise as they are known, every code replaced by its label, quotes with
their English gloss, and the ``source_id`` kept for the source column.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pandas as pd

from belarus_monitor.data.countries import country_name
from belarus_monitor.words.stories import qualified, when

if TYPE_CHECKING:
    from belarus_monitor.data.dataset import Dataset


def quote_html(quote: Any, gloss: Any = None, lang: str | None = None) -> Any:
    """A quote for a table cell: the original, and the English gloss as a translation.

    ``lang`` is the source's language (ISO 639-1): a quote not in English is marked
    with it, so that a screen reader reads it in its own language.
    """
    from belarus_monitor.text import escape, trusted

    if quote is None or pd.isna(quote):
        return ""
    mark = f' lang="{escape(lang)}"' if lang and lang != "en" and lang.isalpha() else ""
    html = f"<span{mark}>“{escape(quote)}”</span>" if mark else f"“{escape(quote)}”"
    if gloss is not None and not pd.isna(gloss) and str(gloss) != str(quote):
        html += f'<br><span class="bm-gloss">Translation: “{escape(gloss)}”</span>'
    return trusted(html)


def languages(ds: Dataset) -> dict[str, str]:
    """Each source's language: ``{source_id: "ru"}``."""
    src = ds.sources
    return dict(zip(src["source_id"].astype(str), src["language"].astype(str), strict=True))


def quotes(
    df: pd.DataFrame, ds: Dataset, quote: str = "quote", gloss: str = "quote_en"
) -> list[Any]:
    """:func:`quote_html` for every row of ``df``, each in its source's language."""
    glosses = df[gloss] if gloss in df else [None] * len(df)
    lang = languages(ds)
    ids = df["source_id"].astype(str) if "source_id" in df else [""] * len(df)
    return [quote_html(q, g, lang.get(i)) for q, g, i in zip(df[quote], glosses, ids, strict=True)]


def _figure(value: Any, qualifier: Any, ds: Dataset) -> str:
    if value is None or pd.isna(value):
        return ""
    return qualified(int(value), qualifier, ds)


def _name(code: Any, ds: Dataset) -> str:
    if code is None or pd.isna(code):
        return ""
    return ds.name(code)


def range_words(start: str, end: str, estimators: list[str] | str) -> dict[str, str]:
    """The repression report's parameters as a reader reads them."""
    period = (
        f"{start or 'the first estimate'} to {end or 'the latest estimate'}"
        if start or end
        else "the whole period"
    )
    return {
        "Period": period,
        "Estimators": (
            estimators
            if isinstance(estimators, str)
            else ", ".join(estimators)
            if estimators
            else "all estimators"
        ),
    }


def list_words(list_a: str, list_b: str, country: str | None, ds: Dataset) -> dict[str, str]:
    """The sanctions report's parameters as a reader reads them."""
    return {
        "Reference list": _name(list_a, ds),
        "Compared with": _name(list_b, ds),
        "Country highlighted": country_name(country) if country else "none",
    }


def estimates(series: pd.DataFrame, ds: Dataset) -> pd.DataFrame:
    """Political-prisoner estimates: date as known, figure with its qualifier, estimator."""
    return pd.DataFrame(
        {
            "date": [
                when(d, p) for d, p in zip(series["date"], series["date_precision"], strict=True)
            ],
            "figure": [
                _figure(v, q, ds) for v, q in zip(series["count"], series["qualifier"], strict=True)
            ],
            "estimator": series["estimator"].to_numpy(),
            "estimator_note": series["estimator_note"].to_numpy(),
            "quote": quotes(series, ds),
            "source_id": series["source_id"].to_numpy(),
        }
    )


def flows(flows: pd.DataFrame, cumulative: pd.DataFrame, ds: Dataset) -> pd.DataFrame:
    """Counts over a period (newly recognised, released) and since May 2020."""
    lang = languages(ds)
    rows = []
    whole = flows.set_index("flow_id") if "flow_id" in flows.columns else None
    for r in flows.itertuples(index=False):
        start = when(r.period_start, r.period_start_precision)
        what = ds.label("flow_measure", r.measure)
        part_of = getattr(r, "part_of", None)
        if whole is not None and not pd.isna(part_of) and part_of in whole.index:
            # A part under its own words, never under the whole's label.
            w = whole.loc[part_of]
            note = "" if pd.isna(r.estimator_note) else f": {r.estimator_note}"
            what = f"part of the {_figure(w['count'], w['qualifier'], ds)} {what}{note}"
        rows.append(
            {
                "what": what,
                "period": f"{start} to {when(r.period_end, r.period_end_precision)}",
                "figure": _figure(r.count, r.qualifier, ds),
                "estimator": r.estimator,
                "quote": quote_html(r.quote, r.quote_en, lang.get(str(r.source_id))),
                "source_id": r.source_id,
                "sort": r.period_end,
            }
        )
    for r in cumulative.itertuples(index=False):
        rows.append(
            {
                "what": ds.label("prisoner_measure", r.measure),
                "period": f"May 2020 to {when(r.date, r.date_precision)}",
                "figure": _figure(r.count, r.qualifier, ds),
                "estimator": r.estimator,
                "quote": quote_html(r.quote, r.quote_en, lang.get(str(r.source_id))),
                "source_id": r.source_id,
                "sort": r.date,
            }
        )
    df = pd.DataFrame(rows)
    return df.sort_values("sort").drop(columns="sort") if len(df) else df


def releases(releases: pd.DataFrame, ds: Dataset) -> pd.DataFrame:
    """Releases and pardons: when, how many, who counted them (and what kind of body)."""
    lang = languages(ds)
    rows = []
    for r in releases.sort_values(["date_from", "release_id"]).itertuples(index=False):
        if r.date_from == r.date_to:
            span = when(r.date_from)
        else:
            span = f"{when(r.date_from)} to {when(r.date_to)}"
        kind = getattr(r, "claimant_kind", None)
        who = getattr(r, "claimant", None)
        counted = "" if who is None or pd.isna(who) else str(who)
        if kind is not None and not pd.isna(kind):
            kind_words = ds.label("claimant_kind", kind)
            if kind_words.lower() not in counted.lower():  # "Buzza (news report)" says it
                counted += f" ({kind_words})"
        part = "" if pd.isna(r.part_of) else " (part of a larger count)"
        rows.append(
            {
                "when": span,
                "figure": _figure(r.count, getattr(r, "qualifier", "exact"), ds) + part,
                "measure": ds.label("release_measure", r.measure),
                "claimant": counted.strip(),
                "description": r.description,
                "quote": quote_html(r.quote, r.quote_en, lang.get(str(r.source_id))),
                "source_id": r.source_id,
            }
        )
    return pd.DataFrame(rows)


def people_counts(wanted: pd.DataFrame, ds: Dataset) -> pd.DataFrame:
    """People sought, located, detained or handed over between states."""
    lang = languages(ds)
    rows = []
    for r in wanted.itertuples(index=False):

        def in_text(code: Any) -> str:  # a group in running text ("foreign states")
            return "" if code is None or pd.isna(code) else ds.in_text(str(code))

        sought, where, nat = in_text(r.sought_by), in_text(r.in_state), in_text(r.nationality)
        if str(r.measure) in ("on_wanted_list", "added_to_wanted_list"):
            # A wanted list is a database: whose entries they are is said, not who asked.
            who = (
                (f"citizens of {nat}" if nat else "people")
                + f" in {sought}{'' if sought.endswith('s') else chr(39) + 's'} wanted list"
                + (f", in {where}" if where else "")
            )
        else:
            who = (
                f"sought by {sought}"
                + (f", in {where}" if where else "")
                + (f", citizens of {nat}" if nat else "")
            )
        figure = (
            _figure(r.value, r.qualifier, ds)
            if not pd.isna(r.value)
            else f"{ds.label('qualifier', r.qualifier)} {r.percent:g}%"
            if not pd.isna(r.percent)
            else ""
        )
        period = when(r.period_end, r.period_end_precision)
        if not pd.isna(r.period_start):
            period = f"{when(r.period_start)} to {period}"
        rows.append(
            {
                "who": who[0].upper() + who[1:],
                "measure": ds.label("wanted_measure", r.measure),
                "figure": figure,
                "period": period,
                "claimant": r.claimant,
                "quote": quote_html(r.quote, r.quote_en, lang.get(str(r.source_id))),
                "source_id": r.source_id,
            }
        )
    return pd.DataFrame(rows)


#: The figures of a designation row (its columns), in the order a table gives them.
DESIGNATION_FIGURES = (
    "individuals_added",
    "entities_added",
    "combined_added",
    "total_individuals",
    "total_entities",
    "total_combined",
)


def designations(des: pd.DataFrame, ds: Dataset) -> pd.DataFrame:
    """Designation rounds and totals: who, when, under which regime, the figures."""
    lang = languages(ds)
    rows = []
    for r in des.sort_values(["date", "designation_id"]).itertuples(index=False):
        parts = []
        for col in DESIGNATION_FIGURES:
            v = getattr(r, col)
            if v is not None and not pd.isna(v):
                what = ds.label("designation_figure", col, plural=v != 1)
                parts.append(f"{_figure(v, r.qualifier, ds)} {what}")
        rows.append(
            {
                "jurisdiction": _name(r.jurisdiction, ds),
                "date": when(r.date, r.date_precision),
                "regime": ds.label("designation_regime", r.regime),
                "what": ds.label("designation_row_kind", r.row_kind),
                "figures": "; ".join(parts) or "no figure stated",
                "claimant": r.claimant,
                "quote": quote_html(r.quote, r.quote_en, lang.get(str(r.source_id))),
                "source_id": r.source_id,
            }
        )
    return pd.DataFrame(rows)


def named_cases(
    cases: pd.DataFrame, ds: Dataset, events: pd.DataFrame | None = None
) -> pd.DataFrame:
    """Cases of people sought: the person, the states, the outcome and its date, in words.

    With ``events`` (the ``case_events`` table), each case gets ``source_id``: the
    source of its latest dated event, the one a reader checks the outcome in.
    """
    from belarus_monitor.words.stories import when

    out = pd.DataFrame(
        {
            "person": [n if not pd.isna(n) else "A person not named" for n in cases["name"]],
            "requested": [_name(c, ds) for c in cases["requested_state"]],
            "requesting": [_name(c, ds) for c in cases["requesting_state"]],
            "sought": [ds.label("case_sought", v) for v in cases["sought"]],
            "outcome": [ds.label("case_outcome", v) for v in cases["outcome"]],
            "outcome_date": [
                "" if pd.isna(d) else when(d, p)
                for d, p in zip(cases["outcome_date"], cases["outcome_date_precision"], strict=True)
            ],
            "note": cases["note"].to_numpy(),
        }
    )
    if events is not None:
        latest = (
            events.dropna(subset=["date"])
            .sort_values(["date", "event_id"])
            .groupby("case_id")["source_id"]
            .last()
        )
        first = events.groupby("case_id")["source_id"].first()
        out["source_id"] = [
            latest.get(c, first.get(c, pd.NA)) for c in cases["case_id"].astype(str)
        ]
    return out


def case_events(events: pd.DataFrame, cases: pd.DataFrame, ds: Dataset) -> pd.DataFrame:
    """The events of named cases, person by person, in date order."""
    person = {
        r.case_id: (r.name if not pd.isna(r.name) else "A person not named")
        + f" ({_name(r.requested_state, ds)})"
        for r in cases.itertuples()
    }
    df = events.sort_values(["case_id", "date"], na_position="last")
    return pd.DataFrame(
        {
            "person": [person.get(c, "") for c in df["case_id"]],
            "date": [
                when(d, p) if not pd.isna(d) else "date not given"
                for d, p in zip(df["date"], df["date_precision"], strict=True)
            ],
            "kind": [ds.label("case_event_kind", k) for k in df["kind"]],
            "description": df["description"].to_numpy(),
            "quote": quotes(df, ds),
            "source_id": df["source_id"].to_numpy(),
        }
    )


def lists_sentence(diff: pd.DataFrame, name_a: str, name_b: str, version: bool = False) -> str:
    """How two 'unfriendly' lists differ, in one paragraph of Markdown.

    With ``version``, the second is a source's version of the first (``groups.version_of``)
    and is described as such, not as a second list.
    """
    from belarus_monitor.words.stories import listing, md, plural

    only_a = [md(n) for n in diff.loc[~diff["in_b"], "country_name"]]
    only_b = [md(n) for n in diff.loc[~diff["in_a"], "country_name"]]
    if version:
        changes = []
        if only_b:
            changes.append(f"adds {listing(only_b)}")
        if only_a:
            changes.append(f"does not mention {listing(only_a)}")
        return (
            f"{md(name_b)[:1].upper()}{md(name_b)[1:]} is that source's version of the one "
            f"list, not a second list: it names {plural(int(diff['in_b'].sum()), 'state')} "
            f"against {int(diff['in_a'].sum())}"
            + (f", and {' and '.join(changes)}." if changes else ", the same states.")
        )
    text = (
        f"**{md(name_a)[:1].upper()}{md(name_a)[1:]}** number "
        f"{plural(int(diff['in_a'].sum()), 'state')}; **{md(name_b)}** number "
        f"{plural(int(diff['in_b'].sum()), 'state')}."
    )
    if only_a:
        text += f" Only on the first: {listing(only_a)}."
    if only_b:
        text += f" Only on the second: {listing(only_b)}."
    if not only_a and not only_b:
        text += " They name the same states."
    return text


def outside_eu(ds: Dataset, list_id: str) -> pd.DataFrame:
    """The states on a list that are not EU members, and their own sanctions on Belarus.

    One row per state: its sanctions regime (the earliest act in the data), its own
    designation rounds and its alignment with EU decisions, each empty where the data
    holds none. What the data does not hold is not claimed: an empty row says so.

    Returns
    -------
    pandas.DataFrame
        ``state``, ``regime``, ``rounds``, ``aligned``, ``source_id`` (of the regime's
        first act, else of the latest round, else of the latest alignment, else of the
        list), sorted by state.
    """
    from belarus_monitor.words.stories import plural, rounds_words, when

    unfriendly = ds.unfriendly_states
    on = unfriendly[unfriendly["list_id"] == list_id]
    m = ds.membership
    eu = set(m.loc[m["group_id"] == "EU27", "country"])
    regimes = ds.sanctions_regimes.sort_values("date")
    des = ds.table("sanctions_designations")
    rounds = des[des["row_kind"] == "round"]
    align = ds.eu_alignment
    rows = []
    for r in on[~on["country"].isin(eu)].itertuples():
        code = str(r.country)
        own = regimes[regimes["jurisdiction"] == code]
        mine = rounds[rounds["jurisdiction"] == code]
        al = align[align["country"] == code]
        rows.append(
            {
                "state": ds.name(code),
                "regime": ""
                if own.empty
                else f"{own.iloc[0]['legal_act']} ({when(own.iloc[0]['date'])})",
                "rounds": "" if mine.empty else rounds_words(mine),
                "aligned": ""
                if al.empty
                else f"{plural(al['decision'].nunique(), 'decision')}, the latest on "
                f"{when(al['date'].max())}",
                # The source of the first thing the row says.
                "source_id": own.iloc[0]["source_id"]
                if len(own)
                else mine.sort_values("date").iloc[-1]["source_id"]
                if len(mine)
                else al.sort_values("date").iloc[-1]["source_id"]
                if len(al)
                else r.source_id,
            }
        )
    return pd.DataFrame(rows).sort_values("state").reset_index(drop=True)


def alignment_grid(
    alignment: pd.DataFrame, ds: Dataset
) -> tuple[pd.DataFrame, dict[str, str], str]:
    """EU-alignment as a grid: one row per state, one column per decision.

    Returns
    -------
    tuple
        The frame, its ``{column: heading}`` and a caption, for
        :meth:`belarus_monitor.report.Report.table`.
    """
    decisions = list(dict.fromkeys(alignment.sort_values("date")["decision"]))
    rows = []
    for code, g in alignment.groupby("country", sort=False):
        row = {"country": code, "country_name": country_name(code)}
        for d in decisions:
            hit = g[g["decision"] == d]
            row[d] = ("aligned, " + when(hit["date"].iloc[0])) if len(hit) else "—"
        rows.append(row)
    df = pd.DataFrame(rows).sort_values("country_name")
    columns = {"country_name": "State", **{d: d for d in decisions}}
    caption = (
        "Alignment with EU decisions on Belarus (date as the source gives it; "
        "— means the data records no alignment)"
    )
    return df, columns, caption


def share_sentence(r: Any, name: str, ds: Dataset) -> str:
    """``"Germany's 6 fulfilled requests are 18% of the 33 ..."``."""
    from belarus_monitor.words.stories import md

    case = "" if r.case_type == "all" else f" in the {md(ds.label('case_type', r.case_type))}"
    return (
        f"{md(name)}'s {r.value:,} {md(ds.label('request_measure', r.measure))} requests{case} "
        f"are {r.share:.0%} of the {r.group_value:,} that Belarus' prosecutors count for "
        f"{md(ds.in_text(r.group))}."
    )


__all__ = [
    "alignment_grid",
    "case_events",
    "named_cases",
    "outside_eu",
    "designations",
    "estimates",
    "flows",
    "list_words",
    "lists_sentence",
    "people_counts",
    "quote_html",
    "quotes",
    "range_words",
    "releases",
    "share_sentence",
]
