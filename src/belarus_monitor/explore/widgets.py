"""The live explorer: widgets that redraw the view in place in JupyterLab."""

from __future__ import annotations

import base64
import html
import re
from typing import TYPE_CHECKING, Any

from belarus_monitor.analysis.metrics import prisoners_series
from belarus_monitor.data.countries import (
    country_choices,
    normalise_country,
)

if TYPE_CHECKING:
    from belarus_monitor.data.dataset import Dataset
from belarus_monitor.explore.view import (
    DateLike,
    _ds,
    _ts,
    claims_html,
    explorer_countries,
    explorer_view,
    resolve_country,
    second_edition_html,
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
    from belarus_monitor import figures as charts

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

        from belarus_monitor import figures as charts

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
