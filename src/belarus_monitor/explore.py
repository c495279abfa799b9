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

import base64
import datetime as dt
import html
import re
from functools import lru_cache
from typing import TYPE_CHECKING, Any

import pandas as pd

from .countries import (
    UnknownCountryError,
    country_choices,
    country_name,
    normalise_country,
    suggest_countries,
)
from .metrics import claims_for_country, prisoners_series
from .profile import countries_in_data
from .report import with_claim_text

if TYPE_CHECKING:
    from .dataset import Dataset

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
    from .dataset import open as open_dataset

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
        from .text import safe_url

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
    from . import charts

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
        from .stories import plural

        lines.append(
            f"Political prisoners: {plural(len(series), 'estimate')} by "
            f"{plural(len(ests), 'estimator')}, {series['date'].min():%Y-%m-%d} to "
            f"{series['date'].max():%Y-%m-%d}."
        )
    from .profile import country_profile

    profile = country_profile(ds, code)
    map_chart = _answers_map(ds, code)
    own = profile.designations[profile.designations["jurisdiction"] == code]
    if len(own) or len(profile.cases):
        from .stories import plural

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
    from . import charts

    series = prisoners_series(
        ds.political_prisoners, None if estimators is None else list(estimators), lo, hi
    )
    ests = list(dict.fromkeys(series["estimator"]))
    main = "Viasna" if "Viasna" in ests else ests[0]
    return charts.prisoners_over_time(series, ds, main_estimator=main)


@lru_cache(maxsize=16)
def _answers_map(ds: Dataset, code: str) -> Any:
    """The map of answers with one state highlighted, drawn once per state and dataset."""
    from . import maps

    return maps.answers_map(maps.country_answers(ds), ds, highlight=code)


def second_edition_html(view: dict[str, Any], ds: Dataset | None = None) -> str:
    """The designations made by the country and the named cases on its soil, as HTML tables.

    The same functions as the reports (:mod:`belarus_monitor.tables`) write the rows.
    """
    from .pages import table
    from .text import link

    ds = _ds(ds)
    sources = ds.sources.set_index("source_id")
    parts = []
    specs = []
    if len(view.get("designations", ())):
        from .tables import designations

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
        from .tables import case_events

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
    from .pages import trusted

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


def _html_output(markup: str) -> dict[str, Any]:
    """An output of an ``ipywidgets.Output``: HTML."""
    text = re.sub(r"<[^>]+>", "", markup)
    return {
        "output_type": "display_data",
        "metadata": {},
        "data": {"text/html": markup, "text/plain": html.unescape(text)},
    }


def _figure_output(fig: Any) -> dict[str, Any]:
    """An output of an ``ipywidgets.Output``: the figure as a PNG with its alt text.

    A figure is rendered once; the explorer shows the same figure again (the prisoners
    chart when only the country changes, a country's map when it comes back) from it.
    """
    from . import charts

    alt = getattr(fig, "alt", None) or "Chart"
    png = getattr(fig, "_bm_png", None)
    if png is None:
        png = fig._bm_png = base64.b64encode(charts.to_png(fig)).decode("ascii")
    return {
        "output_type": "display_data",
        "metadata": {"image/png": {"alt": alt}},
        "data": {"image/png": png, "text/plain": alt},
    }


class Explorer:
    """Widgets (country, date range, estimators) and outputs that redraw in place.

    The outputs are replaced as a whole on every change (``Output.outputs`` is set,
    not appended to), so a chart never outlives the selection it was drawn for.

    Parameters
    ----------
    country
        Country shown first (code or name).
    start, end
        First selection of the date range (None: all dates).
    estimators
        First selection of estimators (None: all).
    ds
        The dataset to explore (default: the project's, ``bm.open()``).
    """

    def __init__(
        self,
        country: str = "DE",
        start: DateLike = None,
        end: DateLike = None,
        estimators: list[str] | None = None,
        ds: Dataset | None = None,
    ) -> None:
        import ipywidgets as w

        self.ds = _ds(ds)
        code = normalise_country(country)
        choices = country_choices(sorted(set(explorer_countries(self.ds)) | {code}))
        self._labels = {c: label for label, c in choices}
        self.country = w.Combobox(
            options=[label for label, _ in choices],
            ensure_option=False,
            continuous_update=False,
            value=self._labels[code],
            description="Country",
            placeholder="code or name, e.g. PL or Poland",
            layout=w.Layout(width="28em"),
        )
        held = prisoners_series(self.ds.political_prisoners)
        dates = sorted({d.date() for d in held["date"]})
        lo, hi = _ts(start), _ts(end)
        i0 = next((i for i, d in enumerate(dates) if lo is None or d >= lo.date()), 0)
        i1 = max((i for i, d in enumerate(dates) if hi is None or d <= hi.date()), default=0)
        self.dates = w.SelectionRangeSlider(
            options=[(f"{d:%Y-%m-%d}", d) for d in dates],
            index=(i0, max(i0, i1)),
            description="Dates",
            continuous_update=False,
            readout=False,
            layout=w.Layout(width="70%"),
        )
        self.date_label = w.HTML()
        known = list(dict.fromkeys(held["estimator"]))
        chosen = known if estimators is None else estimators
        self.estimators = w.SelectMultiple(
            options=known,
            value=tuple(chosen),
            rows=len(known),
            description="Estimators",
            layout=w.Layout(width="95%"),
        )
        self.summary = w.HTML()
        self.claims_out, self.claims_chart_out, self.prisoners_out = (
            w.Output(),
            w.Output(),
            w.Output(),
        )
        self.map_out, self.second_out = w.Output(), w.Output()
        self.widget = w.VBox(
            [
                self.country,
                w.HBox([self.dates, self.date_label]),
                self.estimators,
                self.summary,
                self.map_out,
                self.claims_out,
                self.claims_chart_out,
                self.second_out,
                self.prisoners_out,
            ]
        )
        #: Alt text of the chart each output shows (None: no chart).
        self.shown: dict[str, str | None] = {
            "claims_chart": None,
            "prisoners_chart": None,
            "map": None,
        }
        self.note = ""
        self._syncing = False
        for control in (self.country, self.dates, self.estimators):
            control.observe(lambda _change: self.update(), names="value")
        self.view: dict[str, Any] = {}
        self.update()

    def selection(self) -> dict[str, Any]:
        """The current selection as keyword arguments of :func:`explorer_view`.

        ``country`` is None when the text in the country box matches no country.
        """
        start, end = self.dates.value
        code, self.note = resolve_country(self.country.value)
        return {
            "country": code,
            "start": start,
            "end": end,
            "estimators": list(self.estimators.value),
            "ds": self.ds,
        }

    def _clear(self, message: str) -> None:
        self.view = {}
        self.summary.value = f"<p><strong>{html.escape(message)}</strong></p>"
        for out in (
            self.claims_out,
            self.claims_chart_out,
            self.prisoners_out,
            self.map_out,
            self.second_out,
        ):
            out.outputs = ()
        self.shown = {"claims_chart": None, "prisoners_chart": None, "map": None}

    def update(self) -> None:
        """Recompute the view for the current selection and redraw every output."""
        if self._syncing:
            return
        sel = self.selection()
        start, end = sel["start"], sel["end"]
        self.date_label.value = f"{start:%d %b %Y} \u2013 {end:%d %b %Y}"
        if sel["country"] is None:
            self._clear(self.note)
            return
        try:
            view = explorer_view(**sel)
        except ValueError as exc:
            self._clear(str(exc))
            return
        self.view = view
        label = f"{view['name']} ({view['country']})"
        if self.country.value != label:  # show what was understood, e.g. "pl"
            self._syncing = True
            try:
                self.country.value = label
            finally:
                self._syncing = False
        note = f"<p><em>{html.escape(self.note)}</em></p>" if self.note else ""
        self.summary.value = f"{note}<p>{html.escape(view['summary'])}</p>"
        self.claims_out.outputs = (_html_output(claims_html(view["claims"], self.ds)),)
        self.shown["map"] = getattr(view["map"], "alt", "Map")
        self.map_out.outputs = (_figure_output(view["map"]),)
        self.second_out.outputs = (_html_output(second_edition_html(view, self.ds)),)
        missing = {
            "claims_chart": f"No chart of requests for {view['name']}: no claim "
            "gives a count for it alone.",
            "prisoners_chart": "No chart of political prisoners: no estimate for "
            "this selection of dates and estimators.",
        }
        for out, key in (
            (self.claims_chart_out, "claims_chart"),
            (self.prisoners_out, "prisoners_chart"),
        ):
            fig = view[key]
            if fig is None:
                out.outputs = (_html_output(f"<p><em>{html.escape(missing[key])}</em></p>"),)
                self.shown[key] = None
            else:
                self.shown[key] = getattr(fig, "alt", "Chart")
                out.outputs = (_figure_output(fig),)

    def show_static(self) -> None:
        """Display the current view as plain outputs (text, table, PNG charts)."""
        from IPython.display import HTML, display

        from . import charts

        if not self.view:
            display(HTML(self.summary.value))
            return
        display(HTML(f"<p>{html.escape(self.view['summary'])}</p>"))
        display(HTML(claims_html(self.view["claims"], self.ds)))
        display(HTML(second_edition_html(self.view, self.ds)))
        for key in ("map", "claims_chart", "prisoners_chart"):
            if self.view[key] is not None:
                charts.show(self.view[key])

    def _ipython_display_(self) -> None:
        from IPython.display import display

        display(self.widget)


def build_explorer(
    country: str = "DE",
    start: DateLike = None,
    end: DateLike = None,
    estimators: list[str] | None = None,
    ds: Dataset | None = None,
) -> Explorer:
    """Build the live explorer; display the result in a notebook to use it.

    Parameters
    ----------
    country
        Country shown first, code or English name.
    start, end
        First date range of the prisoner estimates (None: all dates).
    estimators
        Estimators selected first (None: all).
    ds
        The dataset to explore (default: the project's, ``bm.open()``).

    Returns
    -------
    Explorer
        ``explorer.widget`` is the ipywidgets box; ``explorer.view`` the current
        :func:`explorer_view` result.
    """
    return Explorer(country, start, end, estimators, ds)


__all__ = [
    "Explorer",
    "build_explorer",
    "claims_html",
    "country_claims",
    "explorer_countries",
    "explorer_view",
]
