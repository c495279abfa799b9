"""Every chart, drawn with the real data: text that fits, never overlaps, has no codes.

The checks use matplotlib's text bounding boxes after drawing (see
:func:`belarus_monitor.charts.text_problems`): every visible text (titles, axis labels,
tick labels, annotations, legend texts, the source line) lies inside the figure and
meets no other text. The words come from the vocabulary: no enum code, no group code,
no ``_`` and no ``(s)`` in any text or alt text.
"""

from __future__ import annotations

import re
from collections.abc import Callable

import matplotlib.dates as mdates
import matplotlib.pyplot as plt
import pandas as pd
import pytest

import belarus_monitor as bm
from belarus_monitor import config
from belarus_monitor import figures as charts
from belarus_monitor.data.schema import read_package
from belarus_monitor.figures.listmap import list_map

pytestmark = pytest.mark.slow  # each test draws charts: a second or more


@pytest.fixture(scope="module")
def d() -> dict:
    req = bm.load_requests()
    uf = bm.load_unfriendly_states()
    total = bm.fulfilment_rate(req, "UNFRIENDLY_2022")
    return {
        "ds": bm.open(),
        "req": req,
        "rates": bm.fulfilment_rates(req),
        "period": req[req["period_end"] == total.period_end],
        "prisoners": bm.load_political_prisoners(),
        "designations": bm.load_table("sanctions_designations"),
        "unfriendly": uf,
        "lists": list(dict.fromkeys(uf["list_id"].astype(str))),
        "regimes": bm.load_sanctions_regimes(),
        "releases": bm.load_prisoner_releases(),
        "cases": bm.load_table("named_cases"),
        "events": bm.load_table("case_events"),
    }


def _charts() -> dict[str, Callable[[dict], object]]:
    c = charts
    return {
        "sent_vs_fulfilled": lambda d: c.sent_vs_fulfilled(d["rates"], d["ds"]),
        "sent_vs_fulfilled_unfriendly": lambda d: c.sent_vs_fulfilled(
            d["rates"][
                (d["rates"]["direction"] == "outgoing")
                & (d["rates"]["counterpart"] == "UNFRIENDLY_2022")
            ],
            d["ds"],
            title="Requests to the 'unfriendly' states: sent and fulfilled",
        ),
        "sent_vs_fulfilled_empty": lambda d: c.sent_vs_fulfilled(d["rates"].iloc[0:0], d["ds"]),
        "counterpart_period_DE": lambda d: c.counterpart_figures(
            d["period"][d["period"]["direction"] == "outgoing"], d["ds"], highlight="DE"
        ),
        "counterpart_all_LT": lambda d: c.counterpart_figures(d["req"], d["ds"], highlight="LT"),
        "counterpart_empty": lambda d: c.counterpart_figures(d["req"].iloc[0:0], d["ds"]),
        "prisoners_all": lambda d: c.prisoners_over_time(
            bm.prisoners_series(d["prisoners"]), d["ds"]
        ),
        "prisoners_viasna_2024": lambda d: c.prisoners_over_time(
            bm.prisoners_series(d["prisoners"], ["Viasna"], "2024-01-01", "2024-12-31"),
            d["ds"],
        ),
        "prisoners_subset": lambda d: c.prisoners_over_time(
            bm.prisoners_series(
                d["prisoners"],
                [
                    "Viasna",
                    "Human Rights Watch",
                    "Pavel Latushka (opposition, National Anti-Crisis Management)",
                ],
            ),
            d["ds"],
        ),
        "prisoners_no_viasna": lambda d: c.prisoners_over_time(
            bm.prisoners_series(
                d["prisoners"], ["Human Rights Watch", "Rzeczpospolita (news report)"]
            ),
            d["ds"],
        ),
        "prisoners_empty": lambda d: c.prisoners_over_time(
            bm.prisoners_series(d["prisoners"], None, "1990-01-01", "1990-02-01"), d["ds"]
        ),
        "list_map_DE": lambda d: list_map(d["ds"], "UNFRIENDLY_2022", highlight="DE"),
        "list_map_world": lambda d: list_map(d["ds"], "UNFRIENDLY_2022", region="world"),
        "sanctions_timeline": lambda d: c.sanctions_timeline(
            d["regimes"], d["ds"], highlight=["US"]
        ),
        "sanctions_timeline_empty": lambda d: c.sanctions_timeline(d["regimes"].iloc[0:0], d["ds"]),
        "releases_chart": lambda d: c.releases_chart(d["releases"], d["ds"]),
        "releases_2025": lambda d: c.releases_over_time(
            bm.metrics.in_date_range(
                d["releases"], "date_from", "2025-01-01", "2025-12-31", end_column="date_to"
            ),
            d["ds"],
        ),
        "releases_empty": lambda d: c.releases_over_time(d["releases"].iloc[0:0], d["ds"]),
        "designations": lambda d: c.designations_over_time(d["designations"], d["ds"]),
        "designations_GB": lambda d: c.designations_over_time(
            d["designations"], d["ds"], highlight="GB"
        ),
        "designations_US_only": lambda d: c.designations_over_time(
            d["designations"][d["designations"]["jurisdiction"] == "US"], d["ds"]
        ),
        "designations_empty": lambda d: c.designations_over_time(
            d["designations"].iloc[0:0], d["ds"]
        ),
        "eu_totals": lambda d: c.eu_totals_in_force(d["designations"], d["ds"]),
        "cases": lambda d: c.case_timeline(d["cases"], d["events"], d["ds"]),
        "cases_PL": lambda d: c.case_timeline(d["cases"], d["events"], d["ds"], highlight="PL"),
        "cases_AM": lambda d: c.case_timeline(
            d["cases"][d["cases"]["requested_state"] == "AM"],
            d["events"],
            d["ds"],
            highlight="AM",
        ),
        "cases_empty": lambda d: c.case_timeline(d["cases"].iloc[0:0], d["events"], d["ds"]),
        "genocide": lambda d: c.genocide_requests_timeline(d["req"], d["ds"]),
    }


CHARTS = _charts()
#: Charts of events in time: their x axis is a time axis, with concise date labels.
TIME_AXIS = {
    "prisoners_all",
    "releases_chart",
    "eu_totals",
    "cases",
    "genocide",
    "sanctions_timeline",
    "designations",
}
#: The longest alt text a chart may have (issue 21: "at most ~300 characters").
ALT_MAX = 330


def _codes() -> tuple[set[str], re.Pattern]:
    """Codes that must never reach a reader: group ids and enum codes that are no word."""
    pkg = read_package(config.DATA_DIR)
    enum_codes = {c for r in pkg.resources for f in r.fields if f.enum for c in f.enum}
    groups = set(bm.load_groups()["group_id"].astype(str))
    # Codes without "_" that are not English words (those with "_" fail the "_" check).
    words = {"incoming", "outgoing", "ngo", "unstated"} & enum_codes
    codes = groups | words
    return codes, re.compile(r"\b(" + "|".join(sorted(map(re.escape, codes))) + r")\b")


def _code_problems(text: str, pattern: re.Pattern) -> list[str]:
    out = []
    if "_" in text:
        out.append(f"'_' in {text[:80]!r}")
    if "(s)" in text:
        out.append(f"'(s)' in {text[:80]!r}")
    m = pattern.search(text)
    if m:
        out.append(f"code {m.group(0)!r} in {text[:80]!r}")
    return out


@pytest.mark.parametrize("name", list(CHARTS))
def test_chart_text_fits_and_speaks_words(name, d):
    fig = CHARTS[name](d)
    try:
        problems = charts.text_problems(fig)
        assert problems == [], f"{name}: " + "; ".join(problems)
        _, pattern = _codes()
        texts = charts.all_text(fig)
        bad = [p for t in texts if not t.startswith("Source") for p in _code_problems(t, pattern)]
        bad += _code_problems(fig.alt, pattern)
        assert bad == [], f"{name}: " + "; ".join(bad)
        assert isinstance(fig.data, pd.DataFrame)
        assert all("_" not in str(c) for c in fig.data.columns)
        if "empty" not in name:
            assert len(fig.data) > 0 and fig.alt and fig.source_ids
        # Alt text says what the figure shows, in about 300 characters; the data is in
        # the chart's CSV and the tables (a screen reader does not read 4,000 characters).
        assert len(fig.alt) <= ALT_MAX, f"{name}: {len(fig.alt)} characters: {fig.alt}"
        assert any(t.startswith(("Source", "Belarus Monitor")) for t in texts)
        if name in TIME_AXIS:
            fmt = fig.axes[-1].xaxis.get_major_formatter()
            assert isinstance(fmt, mdates.ConciseDateFormatter), name
    finally:
        plt.close(fig)


def test_the_time_axis_charts_are_charts_drawn_above():
    assert set(CHARTS) >= TIME_AXIS


def test_text_problems_finds_overlap_and_overflow():
    fig, ax = charts._new((4.0, 3.0))
    ax.text(0.5, 0.5, "one text here", transform=ax.transAxes)
    ax.text(0.52, 0.5, "another text here", transform=ax.transAxes)
    ax.text(1.3, 0.5, "far outside the figure", transform=ax.transAxes)
    problems = charts.text_problems(fig)
    plt.close(fig)
    assert any("overlaps" in p for p in problems)
    assert any("leaves the figure" in p for p in problems)


def test_outlying_estimates_do_not_set_the_scale(d):
    series = bm.prisoners_series(d["prisoners"])
    fig = charts.prisoners_over_time(series, d["ds"])
    try:
        main = fig.axes[-1]
        viasna = series.loc[series["estimator"] == "Viasna", "count"].astype(int)
        assert main.get_ylim()[1] < 2 * viasna.max()
        assert "about 5,000" in fig.alt and "separate" in fig.alt
        assert set(fig.data["Drawn"]) == {
            "main panel",
            "separate panel (far outside the main range)",
        }
    finally:
        plt.close(fig)


def test_directions_apart_on_one_scale_of_requests(d):
    fig = charts.counterpart_figures(d["req"], d["ds"])
    try:
        # One panel per direction (sent abroad, received), one shared scale, and only
        # counts of requests: people extradited or states addressed are not on it.
        assert len(fig.axes) == fig.data["Direction"].nunique() == 2
        assert len({ax.get_xlim() for ax in fig.axes}) == 1
        assert "extradited" not in set(fig.data["Measure"])
        assert fig.axes[-1].get_xlabel().startswith("requests")
    finally:
        plt.close(fig)


def test_a_round_repeated_by_several_sources_counts_once(d):
    figs = charts.round_figures(d["designations"])
    eu = figs[(figs["round"] == "eu-2020-12-17") & (figs["measure"] == "individuals_added")]
    assert list(eu["value"]) == [29]  # 27 + 2 in parts, 29 in all: the whole only
    oct20 = figs[(figs["round"] == "eu-2020-10-02")]
    assert sorted(oct20["value"]) == [40, 44] and oct20["differs"].all()


# The renderer is the same for every chart: three of several panels and kinds suffice
# (the full designations chart is drawn and checked above; it takes seconds to draw).
@pytest.mark.parametrize("name", ["sent_vs_fulfilled", "cases", "designations_US_only"])
def test_render_gives_the_tight_png_without_alpha_and_an_svg_of_the_same_box(d, name):
    import io
    import re

    import numpy as np
    from PIL import Image

    fig = CHARTS[name](d)
    try:
        png, svg = charts.render(fig)
        tight = io.BytesIO()
        fig.savefig(tight, format="png", bbox_inches="tight")
    finally:
        plt.close(fig)
    ours, theirs = Image.open(io.BytesIO(png)), Image.open(tight)
    assert ours.mode == "RGB" and theirs.mode == "RGBA"
    theirs_rgba = np.asarray(theirs)
    assert (theirs_rgba[..., 3] == 255).all()  # the figure is opaque: nothing is lost
    assert np.array_equal(np.asarray(ours), theirs_rgba[..., :3])
    width, height = (
        float(v) for v in re.search(r'width="([\d.]+)pt" height="([\d.]+)pt"', svg).groups()
    )
    dpi = fig.dpi
    assert abs(width - ours.width * 72 / dpi) < 1 and abs(height - ours.height * 72 / dpi) < 1
    assert charts.to_png(CHARTS[name](d)) == png  # the same bytes every time
    plt.close("all")
