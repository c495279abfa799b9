"""A live explorer for JupyterLab: one country's claims and the prisoner estimates.

:func:`explorer_view` is the whole logic, a pure function of the selection built on
the library functions the reports use; :class:`Explorer` wires ipywidgets to it and
redraws in place. In a notebook::

    import belarus_monitor.explore as explore
    ex = explore.build_explorer(country="LT")
    ex                 # the live widgets
    ex.show_static()   # the same view as plain outputs (for executed notebooks)

The date range and the estimators select the political-prisoner estimates; the
claims about requests are shown whatever their period, each with its source.
"""

from __future__ import annotations

import datetime as dt
import html
from pathlib import Path
from typing import Any

import pandas as pd

from .countries import country_choices, country_name, normalise_country
from .load import (
    load_political_prisoners,
    load_requests,
    load_sources,
)
from .metrics import claims_for_country, prisoners_series
from .profile import countries_in_data
from .report import with_claim_text

DateLike = str | dt.date | pd.Timestamp | None
CLAIM_COLUMNS = ["claim_id", "direction", "counterpart", "counterpart_name", "via",
                 "case_type", "measure", "value", "figure", "period", "claimant", "quote",
                 "source_id", "publisher", "url"]


def explorer_countries(data_dir: str | Path | None = None) -> list[str]:
    """Every country that appears anywhere in the data (sorted codes).

    The same list the report build makes one profile for.
    """
    return countries_in_data(data_dir)


def country_claims(code: str, data_dir: str | Path | None = None) -> pd.DataFrame:
    """The claims about requests that concern a country, with figure text and source URL.

    Parameters
    ----------
    code
        ISO alpha-2 code.
    data_dir
        Directory with the package (default: the project's ``data/``).

    Returns
    -------
    pandas.DataFrame
        ``CLAIM_COLUMNS`` first, then the other columns of the requests table:
        ``via`` is empty for a direct claim, else the
        group; ``figure`` is the value with its qualifier, the percentage or the
        status; ``url`` is the source's address.
    """
    claims = with_claim_text(claims_for_country(load_requests(data_dir), code, data_dir))
    src = load_sources(data_dir).set_index("source_id")
    claims["publisher"] = claims["source_id"].map(src["publisher"]).astype("string")
    claims["url"] = claims["source_id"].map(src["url"]).astype("string")
    return claims[CLAIM_COLUMNS + [c for c in claims.columns if c not in CLAIM_COLUMNS]]


def claims_html(claims: pd.DataFrame) -> str:
    """An HTML table of :func:`country_claims`, with a link to each row's source.

    Parameters
    ----------
    claims
        The table from :func:`country_claims`.

    Returns
    -------
    str
        ``<table>`` markup; every text is escaped.
    """
    if claims.empty:
        return "<p>No claim about requests in the data.</p>"
    e = html.escape
    head = ["claim", "direction", "counterpart", "case", "measure", "figure", "period",
            "quote", "source"]
    rows = []
    for r in claims.itertuples(index=False):
        who = e(str(r.counterpart_name)) + ("" if pd.isna(r.via) else " <em>(group)</em>")
        link = (f'<a href="{e(str(r.url), quote=True)}" target="_blank" '
                f'rel="noopener noreferrer" title="{e(str(r.source_id))}">'
                f"{e(str(r.publisher))}</a>")
        cells = [e(r.claim_id), e(str(r.direction)), who, e(str(r.case_type)),
                 e(str(r.measure)), e(r.figure), e(r.period), f"<q>{e(str(r.quote))}</q>",
                 link]
        rows.append("<tr>" + "".join(f"<td>{c}</td>" for c in cells) + "</tr>")
    th = "".join(f'<th style="text-align:left">{h}</th>' for h in head)
    return (f'<table class="bm-claims"><thead><tr>{th}</tr></thead>'
            f"<tbody>{''.join(rows)}</tbody></table>")


def _ts(value: DateLike) -> pd.Timestamp | None:
    return None if value is None or value == "" else pd.Timestamp(value)


def explorer_view(country: str, start: DateLike = None, end: DateLike = None,
                  estimators: list[str] | tuple[str, ...] | None = None,
                  data_dir: str | Path | None = None) -> dict[str, Any]:
    """Everything the explorer shows for one selection.

    Parameters
    ----------
    country
        Code or English name.
    start, end
        Inclusive date bounds of the prisoner estimates (None: open).
    estimators
        Estimators of political prisoners to show (None: all).
    data_dir
        Directory with the package (default: the project's ``data/``).

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
    from . import charts

    code = normalise_country(country)
    name = country_name(code)
    sources = load_sources(data_dir)
    claims = country_claims(code, data_dir)
    lo, hi = _ts(start), _ts(end)
    series = prisoners_series(load_political_prisoners(data_dir),
                              None if estimators is None else list(estimators), lo, hi)
    direct = claims[claims["via"].isna()]
    counted = direct[direct["value"].notna()]
    groups = sorted(set(claims["via"].dropna()))
    lines = []
    if claims.empty:
        lines.append(f"No claim about requests concerns {name} ({code}).")
    else:
        lines.append(f"{len(claims)} claims about requests concern {name} ({code}): "
                     f"{len(direct)} directly, {len(claims) - len(direct)} through "
                     f"{', '.join(groups) if groups else 'no group'}.")
    claims_chart = None
    if len(counted):
        claims_chart = charts.counterpart_figures(
            counted, sources, highlight=code, title=f"Requests: the counts for {name}")
        lines.append(f"{len(counted)} of them give a count for {name} alone (chart).")
    elif not claims.empty:
        lines.append(f"No claim gives a count of requests for {name} alone, so there is "
                     "no chart; the table lists what the sources say.")
    prisoners_chart = None
    if series.empty:
        lines.append("No estimate of political prisoners for this selection of dates "
                     "and estimators.")
    else:
        ests = list(dict.fromkeys(series["estimator"]))
        main = "Viasna" if "Viasna" in ests else ests[0]
        prisoners_chart = charts.prisoners_over_time(series, sources, main_estimator=main)
        lines.append(f"Political prisoners: {len(series)} estimates by {len(ests)} "
                     f"estimator(s), {series['date'].min():%Y-%m-%d} to "
                     f"{series['date'].max():%Y-%m-%d}.")
    return {"country": code, "name": name, "claims": claims, "claims_chart": claims_chart,
            "prisoners": series, "prisoners_chart": prisoners_chart,
            "summary": " ".join(lines)}


class Explorer:
    """Widgets (country, date range, estimators) and outputs that redraw in place.

    Parameters
    ----------
    country
        Country shown first (code or name).
    start, end
        First selection of the date range (None: all dates).
    estimators
        First selection of estimators (None: all).
    data_dir
        Directory with the package (default: the project's ``data/``).
    """

    def __init__(self, country: str = "DE", start: DateLike = None, end: DateLike = None,
                 estimators: list[str] | None = None,
                 data_dir: str | Path | None = None) -> None:
        import ipywidgets as w

        self.data_dir = data_dir
        code = normalise_country(country)
        choices = country_choices(sorted(set(explorer_countries(data_dir)) | {code}))
        self._codes = dict(choices)
        self.country = w.Combobox(
            options=[label for label, _ in choices], ensure_option=True,
            value=next(label for label, c in choices if c == code),
            description="Country", placeholder="name or code, e.g. DE")
        held = prisoners_series(load_political_prisoners(data_dir))
        dates = sorted({d.date() for d in held["date"]})
        lo, hi = _ts(start), _ts(end)
        i0 = next((i for i, d in enumerate(dates) if lo is None or d >= lo.date()), 0)
        i1 = max((i for i, d in enumerate(dates) if hi is None or d <= hi.date()), default=0)
        self.dates = w.SelectionRangeSlider(
            options=[(f"{d:%Y-%m-%d}", d) for d in dates], index=(i0, max(i0, i1)),
            description="Dates", continuous_update=False, layout=w.Layout(width="95%"))
        known = list(dict.fromkeys(held["estimator"]))
        chosen = known if estimators is None else estimators
        self.estimators = w.SelectMultiple(
            options=known, value=tuple(chosen), rows=len(known),
            description="Estimators", layout=w.Layout(width="95%"))
        self.summary = w.HTML()
        self.claims_out, self.claims_chart_out, self.prisoners_out = (
            w.Output(), w.Output(), w.Output())
        self.widget = w.VBox([self.country, self.dates, self.estimators, self.summary,
                              self.claims_out, self.claims_chart_out, self.prisoners_out])
        for control in (self.country, self.dates, self.estimators):
            control.observe(lambda _change: self.update(), names="value")
        self.view: dict[str, Any] = {}
        self.update()

    def selection(self) -> dict[str, Any]:
        """The current selection as keyword arguments of :func:`explorer_view`."""
        start, end = self.dates.value
        return {"country": self._codes.get(self.country.value, self.view.get("country")),
                "start": start, "end": end, "estimators": list(self.estimators.value),
                "data_dir": self.data_dir}

    def update(self) -> None:
        """Recompute the view for the current selection and redraw the outputs."""
        from IPython.display import HTML, display

        from . import charts

        sel = self.selection()
        if sel["country"] is None:   # half-typed text in the country box
            return
        try:
            view = explorer_view(**sel)
        except ValueError as exc:
            self.summary.value = f"<p><strong>{html.escape(str(exc))}</strong></p>"
            return
        self.view = view
        self.summary.value = f"<p>{html.escape(view['summary'])}</p>"
        with self.claims_out:
            self.claims_out.clear_output(wait=True)
            display(HTML(claims_html(view["claims"])))
        for out, key in ((self.claims_chart_out, "claims_chart"),
                         (self.prisoners_out, "prisoners_chart")):
            with out:
                out.clear_output(wait=True)
                if view[key] is not None:
                    charts.show(view[key])

    def show_static(self) -> None:
        """Display the current view as plain outputs (text, table, PNG charts)."""
        from IPython.display import HTML, display

        from . import charts

        display(HTML(f"<p>{html.escape(self.view['summary'])}</p>"))
        display(HTML(claims_html(self.view["claims"])))
        for key in ("claims_chart", "prisoners_chart"):
            if self.view[key] is not None:
                charts.show(self.view[key])

    def _ipython_display_(self) -> None:
        from IPython.display import display

        display(self.widget)


def build_explorer(country: str = "DE", start: DateLike = None, end: DateLike = None,
                   estimators: list[str] | None = None,
                   data_dir: str | Path | None = None) -> Explorer:
    """Build the live explorer; display the result in a notebook to use it.

    Parameters
    ----------
    country
        Country shown first, code or English name.
    start, end
        First date range of the prisoner estimates (None: all dates).
    estimators
        Estimators selected first (None: all).
    data_dir
        Directory with the package (default: the project's ``data/``).

    Returns
    -------
    Explorer
        ``explorer.widget`` is the ipywidgets box; ``explorer.view`` the current
        :func:`explorer_view` result.
    """
    return Explorer(country, start, end, estimators, data_dir)


__all__ = ["Explorer", "build_explorer", "claims_html", "country_claims",
           "explorer_countries", "explorer_view"]
