"""What the explorer shows for one selection: claims, charts and tables of one country."""

from __future__ import annotations

import datetime as dt
import html
import re
from functools import lru_cache
from typing import TYPE_CHECKING, Any

import pandas as pd

from belarus_monitor.analysis.metrics import claims_for_country, prisoners_series
from belarus_monitor.analysis.profile import countries_in_data
from belarus_monitor.data.countries import (
    UnknownCountryError,
    country_name,
    normalise_country,
    suggest_countries,
)
from belarus_monitor.site.report import with_claim_text

if TYPE_CHECKING:
    from belarus_monitor.data.dataset import Dataset


DateLike = str | dt.date | pd.Timestamp | None
CLAIM_COLUMNS = [
    "claim_id",
    "direction",
    "counterpart",
    "counterpart_name",
    "via",
    "case_type",
    "measure",
    "value",
    "figure",
    "period",
    "claimant",
    "quote",
    "source_id",
    "publisher",
    "url",
]


def _ds(ds: Dataset | None) -> Dataset:
    """The dataset given, or the project's own (``bm.open()``)."""
    from belarus_monitor.data.dataset import open as open_dataset

    return ds if ds is not None else open_dataset()


def explorer_countries(ds: Dataset | None = None) -> list[str]:
    """Every country that appears anywhere in the data (sorted codes).

    The same list the report build makes one profile for.
    """
    return countries_in_data(_ds(ds))


def country_claims(code: str, ds: Dataset | None = None) -> pd.DataFrame:
    """The claims about requests that concern a country, with figure text and source URL.

    Parameters
    ----------
    code
        ISO code or English name, in any case.
    ds
        The dataset (default: the project's, ``bm.open()``).

    Returns
    -------
    pandas.DataFrame
        ``CLAIM_COLUMNS`` first, then the other columns of the requests table:
        ``via`` is empty for a direct claim, else the
        group; ``figure`` is the value with its qualifier, the percentage or the
        status; ``url`` is the source's address.
    """
    ds = _ds(ds)
    claims = with_claim_text(claims_for_country(ds.requests, code, membership=ds.membership), ds)
    src = ds.sources.set_index("source_id")
    claims["publisher"] = claims["source_id"].map(src["publisher"]).astype("string")
    claims["url"] = claims["source_id"].map(src["url"]).astype("string")
    return claims[CLAIM_COLUMNS + [c for c in claims.columns if c not in CLAIM_COLUMNS]]


def _labeller(field: str, ds: Dataset) -> Any:
    """A function giving the reader's word for a code of a requests field."""
    domain = ds.package.resource("requests").field(field).vocabulary
    if domain is None:
        return lambda v: "" if pd.isna(v) else str(v)
    return lambda v: ds.label(domain, v)


def claims_html(claims: pd.DataFrame, ds: Dataset | None = None) -> str:
    """An HTML table of :func:`country_claims`, with a link to each row's source.

    Parameters
    ----------
    claims
        The table from :func:`country_claims`.
    ds
        The dataset whose words the codes take (default: the project's).

    Returns
    -------
    str
        ``<table>`` markup, left-aligned; codes (direction, case, measure) are given
        as their labels from ``vocabulary.csv``; every text is escaped.
    """
    if claims.empty:
        return "<p>No claim about requests in the data.</p>"
    e = html.escape
    ds = _ds(ds)
    words = {f: _labeller(f, ds) for f in ("direction", "case_type", "measure")}
    head = [
        "claim",
        "direction",
        "counterpart",
        "case",
        "measure",
        "figure",
        "period",
        "quote",
        "source",
    ]
    cell = '<td style="text-align:left;vertical-align:top">'
    rows = []
    for r in claims.itertuples(index=False):
        who = e(str(r.counterpart_name)) + ("" if pd.isna(r.via) else " <em>(group)</em>")
        from belarus_monitor.text import safe_url

        link = (
            (
                f'<a href="{e(str(r.url), quote=True)}" target="_blank" '
                f'rel="noopener noreferrer" title="{e(str(r.source_id))}">'
                f"{e(str(r.publisher))}</a>"
            )
            if safe_url(r.url)
            else e(str(r.publisher))
        )
        cells = [
            e(r.claim_id),
            e(words["direction"](r.direction)),
            who,
            e(words["case_type"](r.case_type)),
            e(words["measure"](r.measure)),
            e(r.figure),
            e(r.period),
            f"<q>{e(str(r.quote))}</q>",
            link,
        ]
        rows.append("<tr>" + "".join(f"{cell}{c}</td>" for c in cells) + "</tr>")
    th = "".join(f'<th style="text-align:left">{h}</th>' for h in head)
    return (
        f'<table class="bm-claims" style="text-align:left">'
        f"<thead><tr>{th}</tr></thead><tbody>{''.join(rows)}</tbody></table>"
    )


def resolve_country(text: str) -> tuple[str | None, str]:
    """Read what a user typed in the country box.

    Parameters
    ----------
    text
        A code (``"pl"``, ``"POL"``), an English name in any case (``"poland"``,
        ``"russia"``), a label of the list (``"Poland (PL)"``), or a typo.

    Returns
    -------
    tuple
        ``(code, note)``: the alpha-2 code and an empty note; for a typo, the closest
        country and a note saying it was chosen; ``(None, note)`` when nothing is
        close (the note says what to type).
    """
    t = " ".join(str(text).split())
    if not t:
        return None, "Type a country: a code (PL, POL) or an English name (Poland)."
    m = re.fullmatch(r"(.+?)\s*\(([A-Za-z]{2,3})\)", t)
    for candidate in ([m.group(2), m.group(1)] if m else []) + [t]:
        try:
            return normalise_country(candidate), ""
        except UnknownCountryError:
            continue
    shown = t if len(t) <= 40 else t[:40] + "…"
    close = suggest_countries(t)
    if close:
        code = close[0].split(" ")[0]
        others = ", ".join(close[1:])
        return code, (
            f"No country is called \u201c{shown}\u201d; showing the closest, "
            f"{country_name(code)} ({code})" + (f" (others close: {others})." if others else ".")
        )
    return None, (
        f"No country is called \u201c{shown}\u201d and none is close: type a "
        "code (PL, POL) or an English name (Poland)."
    )


def _ts(value: DateLike) -> pd.Timestamp | None:
    return None if value is None or value == "" else pd.Timestamp(value)


def explorer_view(
    country: str,
    start: DateLike = None,
    end: DateLike = None,
    estimators: list[str] | tuple[str, ...] | None = None,
    ds: Dataset | None = None,
) -> dict[str, Any]:
    """Everything the explorer shows for one selection.

    Parameters
    ----------
    country
        Code or English name.
    start, end
        Inclusive date bounds of the prisoner estimates (None: open).
    estimators
        Estimators of political prisoners to show (None: all).
    ds
        The dataset (default: the project's, ``bm.open()``).

    Returns
    -------
    dict
        ``country`` (code), ``name``, ``claims`` (:func:`country_claims`),
        ``claims_chart`` (a Figure of the country's own counts, or None when it has
        none), ``prisoners`` (the selected estimates), ``prisoners_chart`` (Figure or
        None when nothing is selected) and ``summary`` (text, also saying why a chart
        is missing). Close the figures (or pass them to :func:`charts.show`).

    Raises
    ------
    UnknownCountryError
        If the country is not a known code or name.
    ValueError
        If an estimator is unknown or ``start`` is after ``end``.
    """
    from belarus_monitor import figures as charts

    ds = _ds(ds)
    code = normalise_country(country)
    name = country_name(code)
    claims = country_claims(code, ds)
    lo, hi = _ts(start), _ts(end)
    series = prisoners_series(
        ds.political_prisoners, None if estimators is None else list(estimators), lo, hi
    )
    direct = claims[claims["via"].isna()]
    counted = direct[direct["value"].notna()]
    groups = sorted({ds.name(g) for g in claims["via"].dropna()})
    lines = []
    if claims.empty:
        lines.append(f"No claim about requests concerns {name} ({code}).")
    else:
        lines.append(
            f"{len(claims)} claims about requests concern {name} ({code}): "
            f"{len(direct)} directly, {len(claims) - len(direct)} through "
            f"{', '.join(groups) if groups else 'no group'}."
        )
    claims_chart = None
    if len(counted):
        claims_chart = charts.counterpart_figures(
            counted, ds, highlight=code, title=f"Requests: the counts for {name}"
        )
        lines.append(
            f"{len(counted)} of them give{'s' if len(counted) == 1 else ''} a count for "
            f"{name} alone (chart)."
        )
    elif not claims.empty:
        lines.append(
            f"No claim gives a count of requests for {name} alone, so there is "
            "no chart; the table lists what the sources say."
        )
    prisoners_chart = None
    if series.empty:
        lines.append(
            "No estimate of political prisoners for this selection of dates and estimators."
        )
    else:
        ests = list(dict.fromkeys(series["estimator"]))
        prisoners_chart = _prisoners_chart(
            ds, None if estimators is None else tuple(estimators), lo, hi
        )
        from belarus_monitor.words.stories import plural

        lines.append(
            f"Political prisoners: {plural(len(series), 'estimate')} by "
            f"{plural(len(ests), 'estimator')}, {series['date'].min():%Y-%m-%d} to "
            f"{series['date'].max():%Y-%m-%d}."
        )
    from belarus_monitor.analysis.profile import country_profile

    profile = country_profile(ds, code)
    map_chart = _answers_map(ds, code)
    own = profile.designations[profile.designations["jurisdiction"] == code]
    if len(own) or len(profile.cases):
        from belarus_monitor.words.stories import plural

        lines.append(
            f"Also in the data: {plural(len(own), 'statement')} of sanctions "
            f"designations by {name}; {plural(len(profile.cases), 'named case')} of "
            f"people sought in or by {name}."
        )
    return {
        "country": code,
        "name": name,
        "claims": claims,
        "claims_chart": claims_chart,
        "prisoners": series,
        "prisoners_chart": prisoners_chart,
        "map": map_chart,
        "designations": own,
        "cases": profile.cases,
        "events": profile.events,
        "summary": " ".join(lines),
    }


@lru_cache(maxsize=16)
def _prisoners_chart(
    ds: Dataset,
    estimators: tuple[str, ...] | None,
    lo: pd.Timestamp | None,
    hi: pd.Timestamp | None,
) -> Any:
    """The prisoners chart of a selection, drawn once per selection and dataset.

    It does not depend on the country: changing the country redraws nothing here.
    """
    from belarus_monitor import figures as charts

    series = prisoners_series(
        ds.political_prisoners, None if estimators is None else list(estimators), lo, hi
    )
    ests = list(dict.fromkeys(series["estimator"]))
    main = "Viasna" if "Viasna" in ests else ests[0]
    return charts.prisoners_over_time(series, ds, main_estimator=main)


@lru_cache(maxsize=16)
def _answers_map(ds: Dataset, code: str) -> Any:
    """The map of answers with one state highlighted, drawn once per state and dataset."""
    from belarus_monitor.figures import maps

    return maps.answers_map(maps.country_answers(ds), ds, highlight=code)


def second_edition_html(view: dict[str, Any], ds: Dataset | None = None) -> str:
    """The designations made by the country and the named cases on its soil, as HTML tables.

    The same functions as the reports (:mod:`belarus_monitor.tables`) write the rows.
    """
    from belarus_monitor.site.pages import table
    from belarus_monitor.text import link

    ds = _ds(ds)
    sources = ds.sources.set_index("source_id")
    parts = []
    specs = []
    if len(view.get("designations", ())):
        from belarus_monitor.words.tables import designations

        specs.append(
            (
                "Sanctions designations by " + view["name"],
                designations(view["designations"], ds),
                {
                    "date": "Date",
                    "regime": "Regime",
                    "what": "What",
                    "figures": "Figures",
                    "quote": "Quote",
                },
            )
        )
    if len(view.get("cases", ())):
        from belarus_monitor.words.tables import case_events

        specs.append(
            (
                "Named cases: people sought in or by " + view["name"],
                case_events(view["events"], view["cases"], ds),
                {
                    "person": "Person",
                    "date": "Date",
                    "kind": "Event",
                    "description": "What happened",
                    "quote": "Quote",
                },
            )
        )
    from belarus_monitor.site.pages import trusted

    for caption, df, cols in specs:
        rows = [
            [r[c] for c in cols]
            + [
                trusted(
                    link(
                        sources.loc[r["source_id"], "url"], sources.loc[r["source_id"], "publisher"]
                    )
                )
            ]
            for _, r in df.iterrows()
        ]
        parts.append(table(caption, [*cols.values(), "Source"], rows))
    return (
        "".join(parts)
        or f"<p><em>No designations by {html.escape(view['name'])} and "
        "no named case on its soil in the data.</em></p>"
    )
