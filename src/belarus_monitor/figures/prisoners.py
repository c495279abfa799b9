"""Charts of political prisoners: every estimate side by side, releases and pardons."""

from __future__ import annotations

import textwrap
from typing import TYPE_CHECKING

import pandas as pd  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402
from matplotlib.lines import Line2D  # noqa: E402

if TYPE_CHECKING:
    from belarus_monitor.data.dataset import Dataset
from belarus_monitor.figures.spec import ChartSpec
from belarus_monitor.figures.theme import (
    COLORS,
    RELEASE_STYLE,
    estimator_style,
    styles_for,
)
from belarus_monitor.figures.toolkit import (
    _GREY,
    _count_axis,
    _day,
    _declutter,
    _is_exact,
    _new,
    _pad_dates,
    _qualified,
    _spread,
    date_axis,
    empty_spec,
    sources_words,
    spec_of,
)
from belarus_monitor.words.stories import plural  # noqa: E402

# --------------------------------------------------------------------------- prisoners


def prisoners_over_time(
    series: pd.DataFrame,
    ds: Dataset,
    main_estimator: str = "Viasna",
    title: str = "Political prisoners in Belarus",
    outlier_factor: float = 1.5,
) -> Figure:
    """Line of the main estimator's count, points for every other estimate.

    Only the stock (people held on a date) is drawn; flows (people newly recognised in
    a period) and cumulative totals are never points of this series. Estimates more
    than ``outlier_factor`` times the main estimator's highest count (or below its
    lowest divided by it), such as an "about 5,000", do not set the scale: they are
    drawn in a small panel of their own above the main one, and the alt text says so.
    Hollow markers are figures given as "at least", "more than" or "about".

    Parameters
    ----------
    series
        Rows of :func:`belarus_monitor.prisoners_series`.
    ds
        The dataset: its sources, words and names.
    main_estimator
        The estimator drawn as a line.
    title
        The chart's title.
    outlier_factor
        How far outside the main estimator's range an estimate must be to go to the
        separate panel.

    Returns
    -------
    Figure
        With ``alt``, ``source_ids`` and ``data``.
    """
    return prisoners_spec(series, ds, main_estimator, title, outlier_factor).figure()


def prisoners_spec(
    series: pd.DataFrame,
    ds: Dataset,
    main_estimator: str = "Viasna",
    title: str = "Political prisoners in Belarus",
    outlier_factor: float = 1.5,
) -> ChartSpec:
    """What :func:`prisoners_over_time` draws, before drawing (same parameters)."""
    sources = ds.sources
    if "measure" in series.columns:
        series = series[series["measure"].astype(str) == "held"]
    if series.empty:
        return empty_spec(title, sources, "No estimate in the data matches this selection.")
    series = series.sort_values("date").copy()
    series["count"] = series["count"].astype(int)
    main = series[series["estimator"] == main_estimator]
    if len(main):
        lo, hi = main["count"].min(), main["count"].max()
        far = (series["count"] > hi * outlier_factor) | (series["count"] < lo / outlier_factor)
    else:
        far = pd.Series(False, index=series.index)
    inside, outside = series[~far], series[far]
    estimators = [main_estimator] + [
        e for e in dict.fromkeys(series["estimator"]) if e != main_estimator
    ]
    styles = styles_for(ds.estimators)
    groups = []
    for est in estimators:
        sub = series[series["estimator"] == est]
        if sub.empty:
            continue
        colour, marker = estimator_style(est, styles)
        panels = [("main", sub)]
        if len(outside):
            out_here = far.loc[sub.index].astype(bool)
            panels = [("main", sub[~out_here]), ("outside", sub[out_here])]
        groups.append(
            {
                "colour": colour,
                "marker": marker,
                "main": est == main_estimator,
                "label": "\n".join(textwrap.wrap(est, 42)),
                "panels": [
                    (
                        panel,
                        list(pts["date"]),
                        [int(c) for c in pts["count"]],
                        [colour if _is_exact(q) else "white" for q in pts["qualifier"]],
                    )
                    for panel, pts in panels
                    if not pts.empty
                ],
            }
        )
    conflicts = inside.groupby(["estimator", "date"]).filter(lambda g: len(g) > 1)
    values = {
        "title": title,
        "main_estimator": main_estimator,
        "line": (
            (list(main["date"]), [int(c) for c in main["count"]], groups[0]["colour"])
            if len(main)
            else None
        ),
        "groups": groups,
        "top": int(inside["count"].max()) if len(inside) else 1,
        "conflicts": [
            (
                f"{est}, {date:%-d %b %Y}:\n" + " and ".join(f"{int(v):,}" for v in g["count"]),
                date,
                int(g["count"].min()),
            )
            for (est, date), g in conflicts.groupby(["estimator", "date"])
        ],
        "outside": [
            (_qualified(r.count, r.qualifier, ds), r.date, int(r.count))
            for r in outside.itertuples()
        ],
        "dates": list(series["date"]),
    }
    parts = []
    if len(main):
        peak = main.loc[main["count"].idxmax()]
        parts.append(
            f"{main_estimator}: {plural(len(main), 'count')}, "
            f"{_qualified(main['count'].iloc[0], main['qualifier'].iloc[0], ds)} "
            f"({main['date'].iloc[0]:%b %Y}) to "
            f"{_qualified(main['count'].iloc[-1], main['qualifier'].iloc[-1], ds)} "
            f"({main['date'].iloc[-1]:%b %Y}), peak {int(peak['count']):,} "
            f"({peak['date']:%b %Y})"
        )
    others = [est for est in estimators[1:] if (inside["estimator"] == est).any()]
    if others:
        sub = inside[inside["estimator"].isin(others)]
        parts.append(
            f"{plural(len(others), 'other estimator')}: "
            f"{int(sub['count'].min()):,} to {int(sub['count'].max()):,}"
        )
    n_conflicts = conflicts.groupby(["estimator", "date"]).ngroups
    if n_conflicts:
        parts.append(f"{plural(n_conflicts, 'date')} with conflicting counts")
    alt = f"Line chart on a time axis. {title}. " + "; ".join(parts) + "."
    if len(outside):
        alt += (
            " In a separate panel, far outside the range: "
            + ", ".join(f"{_qualified(r.count, r.qualifier, ds)}" for r in outside.itertuples())
            + "."
        )
    data = pd.DataFrame(
        {
            "Date": series["date"].dt.date,
            "Political prisoners held": series["count"],
            "Qualifier": [ds.label("qualifier", q) for q in series["qualifier"]],
            "Estimator": series["estimator"].astype(str),
            "Drawn": [
                "separate panel (far outside the main range)" if f else "main panel" for f in far
            ],
            "Source": [sources_words([x], ds.sources) for x in series["source_id"]],
        }
    )
    return spec_of(_draw_prisoners, values, series["source_id"], sources, alt, data)


def _draw_prisoners(v: dict) -> Figure:
    """Draw :func:`prisoners_spec`'s values."""
    outside = v["outside"]
    if outside:
        fig, (ax_out, ax) = _new(
            (8.5, 6.0), nrows=2, sharex=True, gridspec_kw={"height_ratios": [1, 4]}
        )
    else:
        fig, ax = _new((8.5, 5.0))
        ax_out = None
    if v["line"] is not None:
        dates, counts, colour = v["line"]
        ax.plot(dates, counts, color=colour, lw=1.6, zorder=2)
    handles = []
    for g in v["groups"]:
        colour, marker = g["colour"], g["marker"]
        # One collection of points per panel (hollow or filled point by point): as
        # drawn point by point, in a fraction of the time.
        for panel, dates, counts, faces in g["panels"]:
            (ax if panel == "main" else ax_out).scatter(
                dates,
                counts,
                marker=marker,
                s=36 if g["main"] else 48,
                facecolor=faces,
                edgecolor=colour,
                linewidth=1.4,
                zorder=3,
            )
        handles.append(
            Line2D(
                [],
                [],
                color=colour if g["main"] else "none",
                marker=marker,
                markerfacecolor=colour,
                markeredgecolor=colour,
                label=g["label"],
            )
        )
    handles.append(
        Line2D(
            [],
            [],
            color="none",
            marker="o",
            markerfacecolor="white",
            markeredgecolor=_GREY,
            label="hollow: 'at least', 'more than' or 'about'",
        )
    )
    top = v["top"]
    notes = []
    for text, date, low in v["conflicts"]:
        # Two figures for one date: a note in the empty band under the series, with a
        # line to the point, so that it never covers the data.
        notes.append(
            ax.annotate(
                text,
                (date, low),
                xytext=(date, top * 0.45),
                textcoords="data",
                ha="center",
                va="top",
                fontsize=8,
                arrowprops={"arrowstyle": "-", "color": _GREY, "lw": 0.8},
            )
        )
    ax.set_ylabel("political prisoners held")
    _count_axis(ax)
    ax.set_ylim(0, top * 1.15)
    ax.set_title(v["title"])
    if ax_out is not None:
        for label, date, count in outside:
            notes.append(
                ax_out.annotate(
                    label,
                    (date, count),
                    xytext=(6, 0),
                    textcoords="offset points",
                    fontsize=8.5,
                    va="center",
                )
            )
        counts = [count for _, _, count in outside]
        olo, ohi = min(counts), max(counts)
        ax_out.set_ylim(olo - max(olo * 0.15, 50), ohi + max(ohi * 0.15, 50))
        ax_out.set_yticks(sorted(set(counts)))
        _count_axis(ax_out)
        ax_out.set_yticks(sorted(set(counts)))
        ax_out.xaxis.get_offset_text().set_visible(False)
        ax_out.set_title(
            f"Estimates far outside {v['main_estimator']}'s range, on their own scale",
            fontsize=9.5,
            fontweight="normal",
        )
        ax.set_title("")
        fig.suptitle(v["title"], x=0.01, ha="left", fontsize=12, fontweight="bold")
    date_axis(ax)
    _pad_dates(ax, v["dates"], 0.03, 0.12)
    fig.legend(handles=handles, loc="outside lower left", ncols=2, fontsize=8)
    if notes and ax_out is not None:
        _declutter(fig, [n for n in notes if n.axes is ax_out])
    _spread(fig, ax, [n for n in notes if n.axes is ax])
    return fig


# --------------------------------------------------------------------------- releases

_CLAIMANT_ORDER = ["official", "ngo", "foreign_official", "media"]


def releases_over_time(
    releases: pd.DataFrame,
    ds: Dataset,
    title: str = "Announced releases and pardons, event by event",
    max_days: int = 31,
) -> Figure:
    """People released or pardoned per event on a time axis, one panel per claimant.

    Official counts, human rights groups' counts, foreign officials' and news reports'
    counts are kept in separate panels (the ``claimant_kind`` column). Rows that are a
    part of another (``part_of``) are not drawn: their whole is. The same figure
    repeated for one event by another source is drawn once; different figures for one
    event are both drawn. Periods longer than ``max_days`` (yearly totals) are left to
    a table and named in the alt text.

    Parameters
    ----------
    releases
        The table from :func:`belarus_monitor.load_prisoner_releases`.
    ds
        The dataset: its sources, words and names.
    title
        The chart's title.
    max_days
        Longest period drawn, in days.

    Returns
    -------
    Figure
        With ``alt``, ``source_ids`` and ``data``.
    """
    return releases_spec(releases, ds, title, max_days).figure()


def releases_spec(
    releases: pd.DataFrame,
    ds: Dataset,
    title: str = "Announced releases and pardons, event by event",
    max_days: int = 31,
) -> ChartSpec:
    """What :func:`releases_over_time` draws, before drawing (same parameters)."""
    sources = ds.sources
    from belarus_monitor.analysis.metrics import release_events

    df, long = release_events(releases, max_days)
    df = df.copy()
    if df.empty:
        return empty_spec(title, sources, "No single release event in this selection.")
    df["kind"] = df["claimant_kind"].astype(str)
    df["measure"] = df["measure"].astype(str)
    df["count"] = df["count"].astype(int)
    points = (
        df.groupby(["kind", "event_id", "measure", "count"], sort=False)
        .agg(
            date_from=("date_from", "min"),
            date_to=("date_to", "max"),
            qualifier=("qualifier", "first"),
            claimant=("claimant", lambda s: "; ".join(dict.fromkeys(map(str, s)))),
            source_id=("source_id", lambda s: list(dict.fromkeys(s))),
        )
        .reset_index()
    )
    points["date"] = points["date_from"] + (points["date_to"] - points["date_from"]) / 2
    kinds = [k for k in _CLAIMANT_ORDER if k in set(points["kind"])] + sorted(
        set(points["kind"]) - set(_CLAIMANT_ORDER)
    )
    panels = []
    for kind in kinds:
        sub = points[points["kind"] == kind].sort_values("date")
        rows = []
        dots: dict[tuple[str, str], tuple[list, list, list]] = {}
        for r in sub.itertuples():
            colour, marker = RELEASE_STYLE.get(r.measure, (COLORS["muted"], "o"))
            rows.append(
                (
                    r.date_from,
                    r.date_to,
                    r.date,
                    int(r.count),
                    colour,
                    (r.date_to - r.date_from).days > 1,
                    _qualified(r.count, r.qualifier, ds),
                )
            )
            xs, ys, faces = dots.setdefault((colour, marker), ([], [], []))
            xs.append(r.date)
            ys.append(int(r.count))
            faces.append(colour if _is_exact(r.qualifier) else "white")
        panels.append(
            {
                "title": f"Figures from {ds.label('claimant_kind', kind, plural=True)}",
                "rows": rows,
                "dots": [(c, m, xs, ys, faces) for (c, m), (xs, ys, faces) in dots.items()],
                "ymax": int(sub["count"].max()),
            }
        )
    values = {
        "title": title,
        "panels": panels,
        "span": list(points["date_from"]) + list(points["date_to"]),
        "legend": [
            (RELEASE_STYLE[m][1], RELEASE_STYLE[m][0], ds.label("release_measure", m))
            for m in RELEASE_STYLE
            if m in set(points["measure"])
        ],
        "spread": bool(any((points["date_to"] - points["date_from"]).dt.days > 1)),
    }
    parts = []
    for kind in kinds:
        sub = points[points["kind"] == kind]
        low, high = int(sub["count"].min()), int(sub["count"].max())
        parts.append(
            f"{ds.label('claimant_kind', kind, plural=True)}: {len(sub)} ({low:,} people)"
            if low == high
            else f"{ds.label('claimant_kind', kind, plural=True)}: {len(sub)} "
            f"({low:,} to {high:,} people)"
        )
    alt = (
        f"Dot charts, one panel per kind of claimant. {title}, "
        f"{_day(points['date_from'].min())} to {_day(points['date_to'].max())}. "
        + "; ".join(parts)
        + "."
    )
    if len(long):
        alt += f" Not drawn: {plural(len(long), 'total')} over a period."
    data = pd.DataFrame(
        {
            "Counted by": [ds.label("claimant_kind", k, plural=True) for k in points["kind"]],
            "From": points["date_from"].dt.date,
            "To": points["date_to"].dt.date,
            "Measure": [ds.label("release_measure", m) for m in points["measure"]],
            "People": points["count"],
            "Qualifier": [ds.label("qualifier", q) for q in points["qualifier"]],
            "Claimant": points["claimant"],
            "Sources": [sources_words(s, sources) for s in points["source_id"]],
        }
    )
    ids = [s for ss in points["source_id"] for s in ss]
    return spec_of(_draw_releases, values, ids, sources, alt, data)


def _draw_releases(v: dict) -> Figure:
    """Draw :func:`releases_spec`'s values."""
    panels = v["panels"]
    fig, axes = _new((8.5, 1.6 + 2.0 * len(panels)), nrows=len(panels), sharex=True)
    axes = list(axes.flat) if hasattr(axes, "flat") else [axes]
    notes = []
    for ax, panel in zip(axes, panels, strict=True):
        for date_from, date_to, date, count, colour, spread, label in panel["rows"]:
            if spread:
                ax.plot(
                    [date_from, date_to],
                    [count, count],
                    color=colour,
                    lw=2,
                    alpha=0.5,
                    solid_capstyle="butt",
                )
            notes.append(
                ax.annotate(
                    label, (date, count), xytext=(5, 5), textcoords="offset points", fontsize=8
                )
            )
        for colour, marker, xs, ys, faces in panel["dots"]:  # a collection per style
            ax.scatter(
                xs, ys, marker=marker, s=40, zorder=3, edgecolor=colour, facecolor=faces, lw=1.4
            )
        ax.set_ylim(0, panel["ymax"] * 1.3)
        ax.set_ylabel("people")
        ax.set_title(panel["title"], fontsize=10)
        date_axis(ax)
    for ax in axes[:-1]:
        ax.xaxis.get_offset_text().set_visible(False)
    _pad_dates(axes[-1], v["span"], 0.04, 0.08)
    fig.suptitle(v["title"], x=0.01, ha="left", fontsize=12, fontweight="bold")
    handles = [
        Line2D([], [], ls="", marker=marker, color=colour, label=label)
        for marker, colour, label in v["legend"]
    ]
    if v["spread"]:
        handles.append(
            Line2D(
                [],
                [],
                color=_GREY,
                lw=2,
                alpha=0.5,
                label="event spread over several days (its span)",
            )
        )
    fig.legend(handles=handles, loc="outside lower left", ncols=len(handles), fontsize=8.5)
    _declutter(fig, notes)
    return fig


def _period(a: object, b: object) -> str:
    a, b = pd.Timestamp(a), pd.Timestamp(b)
    if a == b:
        return _day(a)
    return f"{_day(a)} to {_day(b)}"


def releases_chart(
    releases: pd.DataFrame,
    ds: Dataset,
    title: str = "Announced releases and pardons (single events)",
) -> Figure:
    """People released or pardoned per event: see :func:`releases_over_time`."""
    return releases_over_time(releases, ds, title=title)
