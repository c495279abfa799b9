"""Charts of Belarus' requests for legal assistance and the answers they get."""

from __future__ import annotations

import textwrap
from typing import TYPE_CHECKING

import pandas as pd  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402
from matplotlib.lines import Line2D  # noqa: E402
from matplotlib.patches import Patch  # noqa: E402

if TYPE_CHECKING:
    from belarus_monitor.data.dataset import Dataset
from belarus_monitor.figures.theme import COLORS
from belarus_monitor.figures.toolkit import (
    _GREY,
    _count_axis,
    _declutter,
    _empty,
    _highlighted,
    _is_exact,
    _new,
    _pad_dates,
    _qualified,
    date_axis,
    finish,
    sources_words,
)
from belarus_monitor.words.stories import listing  # noqa: E402

# --------------------------------------------------------------------------- requests


def _direction_title(direction: str, ds: Dataset) -> str:
    w = ds.label("direction", direction, plural=True)
    return w[:1].upper() + w[1:]


def _span(start: object, end: object) -> str:
    """A short period: ``"Jan 2023 to Jun 2024"``, ``"to Sep 2023"``."""
    if pd.isna(end):
        return "date not given"
    e = f"{pd.Timestamp(end):%b %Y}"
    return f"to {e}" if pd.isna(start) else f"{pd.Timestamp(start):%b %Y} to {e}"


def sent_vs_fulfilled(
    rates: pd.DataFrame, ds: Dataset, title: str = "Requests sent and fulfilled"
) -> Figure:
    """Requests sent and, in a separate panel, how many of them were fulfilled.

    One row of panels per direction (Belarus' requests abroad, requests to Belarus):
    the requests sent (or received), those fulfilled (or granted) on the same scale
    but their own axis, and the share fulfilled. One bar per row of ``rates``.

    Parameters
    ----------
    rates
        Rows of :func:`belarus_monitor.fulfilment_rates`.
    ds
        The dataset: its sources, words and names.
    title
        The chart's title.

    Returns
    -------
    Figure
        With ``alt``, ``source_ids`` and ``data``.
    """
    sources = ds.sources
    if rates.empty:
        return _empty(title, sources, "No pair of exact figures gives a rate here.")
    rates = rates.reset_index(drop=True)
    directions = list(dict.fromkeys(rates["direction"].astype(str)))
    heights = [max(1, int((rates["direction"] == d).sum())) for d in directions]
    fig, axes = _new(
        (9.0, 1.3 + 0.95 * sum(heights) + 0.7 * len(directions)),
        nrows=len(directions),
        ncols=3,
        squeeze=False,
        gridspec_kw={"height_ratios": heights, "width_ratios": [1.2, 1.2, 1]},
    )
    rows = []
    for k, direction in enumerate(directions):
        df = rates[rates["direction"] == direction]
        ax_den, ax_num, ax_rate = axes[k]
        den_word = "received" if direction == "incoming" else "sent"
        num_word = str(df["numerator_measure"].iloc[0])
        labels = [
            f"{ds.name(r.counterpart)}\n{ds.label('case_type', r.case_type)}"
            for r in df.itertuples()
        ]
        labels = [
            "\n".join(textwrap.wrap(lbl.split("\n")[0], 24)) + "\n" + lbl.split("\n")[1]
            for lbl in labels
        ]
        y = list(range(len(df)))
        xmax = float(df["denominator"].max()) * 1.25
        for ax, col, colour, head in (
            (
                ax_den,
                "denominator",
                COLORS["primary"],
                f"{_direction_title(direction, ds)}: {ds.label('request_measure', den_word)}",
            ),
            (
                ax_num,
                "numerator",
                COLORS["secondary"],
                f"Of these, {ds.label('request_measure', num_word)}",
            ),
        ):
            ax.barh(y, df[col].astype(int), color=colour, height=0.6)
            for i, v in enumerate(df[col].astype(int)):
                ax.text(v, i, f" {v:,}", va="center", fontsize=9)
            ax.set_xlim(0, xmax)
            _count_axis(ax, "x")
            ax.set_title(head, fontsize=10)
            ax.set_xlabel("requests")
        ax_rate.barh(y, df["rate"] * 100, color=COLORS["positive"], height=0.6)
        for i, v in enumerate(df["rate"]):
            ax_rate.text(v * 100, i, f" {v:.1%}", va="center", fontsize=9)
        ax_rate.set_xlim(0, 125)
        ax_rate.set_xticks([0, 50, 100])
        ax_rate.set_xlabel("per cent")
        ax_rate.set_title(f"Share {ds.label('request_measure', num_word)}", fontsize=10)
        ax_den.set_yticks(y, labels, fontsize=8.5)
        for ax in (ax_num, ax_rate):
            ax.set_yticks(y, [""] * len(y))
        for ax in (ax_den, ax_num, ax_rate):
            ax.set_ylim(len(y) - 0.5, -0.5)
            ax.grid(axis="y", visible=False)
        for r in df.itertuples():
            rows.append(
                {
                    "Direction": ds.label("direction", r.direction, plural=True),
                    "Counterpart": ds.name(r.counterpart),
                    "Case": ds.label("case_type", r.case_type),
                    "From": r.period_start,
                    "To": r.period_end,
                    "Requests " + den_word: int(r.denominator),
                    "Of these, " + ds.label("request_measure", r.numerator_measure): int(
                        r.numerator
                    ),
                    "Share": round(float(r.rate), 4),
                }
            )
    fig.suptitle(title, x=0.01, ha="left", fontsize=12, fontweight="bold")
    parts = [
        f"{ds.label('case_type', r.case_type)}: {int(r.numerator):,} of "
        f"{int(r.denominator):,} {ds.label('request_measure', r.numerator_measure)} "
        f"({r.rate:.0%})"
        for r in rates.itertuples()
    ]
    who = listing(dict.fromkeys(ds.in_text(c) for c in rates["counterpart"].astype(str)))
    alt = f"Bar charts. {title}, {who}: " + "; ".join(parts) + "."
    return finish(fig, rates["source_id"], sources, alt, pd.DataFrame(rows))


def counterpart_figures(
    claims: pd.DataFrame,
    ds: Dataset,
    highlight: str | None = None,
    title: str = "Requests, state by state: the figures the sources give",
) -> Figure:
    """One comparable view of the counts claimed for single states: one row each.

    Every bar is a number of requests on one shared axis, so that lengths compare;
    requests Belarus sent abroad and requests it received are two panels on that same
    axis, never mixed. A row names the state, what was counted and the case. Qualified
    figures ("about 24", "more than 100") are drawn hatched and labelled with their
    qualifier. Counts of something else than requests (people extradited, states
    addressed) and rows without a count are left out: show them as a table.

    Parameters
    ----------
    claims
        Rows of the requests table.
    ds
        The dataset: its sources, words and names.
    highlight
        Country code whose bars are drawn in the accent colour.
    title
        The chart's title.

    Returns
    -------
    Figure
        With ``alt``, ``source_ids`` and ``data``.
    """
    sources = ds.sources
    highlight = _highlighted(ds, highlight)
    df = claims[
        claims["value"].notna()
        & (claims["counterpart"].astype(str).str.len() == 2)
        & ~claims["measure"].astype(str).isin(["extradited", "states_addressed"])
    ].copy()
    if df.empty:
        return _empty(
            title, sources, "No count of requests in this selection names a single state."
        )
    order = {}
    for c in ("direction", "case_type", "measure"):
        cats = (
            list(df[c].cat.categories)
            if isinstance(df[c].dtype, pd.CategoricalDtype)
            else sorted(set(df[c].astype(str)))
        )
        order[c] = {str(v): k for k, v in enumerate(cats)}
        df[c] = df[c].astype(str)
    df["name"] = df["counterpart"].map(ds.name)
    df = df.sort_values(
        ["direction", "name", "case_type", "measure"],
        key=lambda col: col.map(order[col.name]) if col.name in order else col,
    )
    directions = list(dict.fromkeys(df["direction"]))
    sizes = [int((df["direction"] == d).sum()) for d in directions]
    fig, axes = _new(
        (8.0, 1.5 + sum(0.36 * s + 0.7 for s in sizes)),
        nrows=len(directions),
        sharex=True,
        gridspec_kw={"height_ratios": [s + 0.8 for s in sizes]},
    )
    axes = list(axes.flat) if hasattr(axes, "flat") else [axes]
    top = float(df["value"].max()) * 1.25
    rows = []
    for ax, d in zip(axes, directions, strict=True):
        sub = df[df["direction"] == d]
        twice = sub.duplicated(["name", "case_type", "measure"], keep=False)
        labels = []
        for i, (r, t) in enumerate(zip(sub.itertuples(), twice, strict=True)):
            what = ds.label("request_measure", r.measure)
            case = "" if r.case_type == "all" else f", {ds.label('case_type', r.case_type)}"
            when_ = f" ({_span(r.period_start, r.period_end)})" if t else ""
            labels.append(f"{r.name}: {what}{case}{when_}")
            colour = (
                COLORS["accent"] if highlight and r.counterpart == highlight else COLORS["primary"]
            )
            exact = _is_exact(r.qualifier)
            ax.barh(
                i,
                int(r.value),
                color=colour if exact else "white",
                edgecolor=colour,
                hatch=None if exact else "///",
                height=0.6,
            )
            ax.text(
                int(r.value),
                i,
                "  " + _qualified(r.value, r.qualifier, ds),
                va="center",
                fontsize=9,
            )
            rows.append(
                {
                    "Direction": ds.label("direction", d, plural=True),
                    "State": r.name,
                    "Measure": what,
                    "Case": ds.label("case_type", r.case_type),
                    "Figure": int(r.value),
                    "Qualifier": ds.label("qualifier", r.qualifier),
                    "From": r.period_start,
                    "To": r.period_end,
                    "Claimant": r.claimant,
                    "_label": f"{labels[-1]} {_qualified(r.value, r.qualifier, ds)}",
                }
            )
        ax.set_yticks(range(len(sub)), labels, fontsize=8.5)
        ax.set_ylim(len(sub) - 0.5, -0.5)
        ax.set_xlim(0, top)
        _count_axis(ax, "x")
        ax.grid(axis="y", visible=False)
        ax.set_title(_direction_title(d, ds), fontsize=10, loc="left")
        ax.tick_params(axis="x", labelbottom=True)
    axes[-1].set_xlabel("requests (one scale for every bar)")
    handles = [
        Patch(facecolor=COLORS["primary"], label="exact figure"),
        Patch(
            facecolor="white",
            edgecolor=COLORS["primary"],
            hatch="///",
            label="'about', 'at least' or 'more than'",
        ),
    ]
    if highlight and highlight in set(df["counterpart"]):
        handles.insert(0, Patch(facecolor=COLORS["accent"], label=ds.name(highlight)))
    fig.legend(handles=handles, loc="outside lower left", ncols=len(handles), fontsize=8.5)
    fig.suptitle(title, x=0.01, ha="left", fontsize=12, fontweight="bold")
    data = pd.DataFrame(rows)
    biggest = data.sort_values("Figure", ascending=False).iloc[0]
    alt = (
        f"Bar chart on one scale. {title}: {len(data)} figures for "
        f"{data['State'].nunique()} states; the largest: {biggest['_label']}."
    )
    return finish(fig, df["source_id"], sources, alt, data.drop(columns="_label"))


# --------------------------------------------------------------------------- genocide case


def genocide_requests_timeline(
    requests: pd.DataFrame,
    ds: Dataset,
    title: str = "Requests abroad in the 'genocide' case, as reported",
) -> Figure:
    """The 'genocide' case requests as they grew, on a time axis, qualifiers shown.

    One panel for requests sent, one for the number of states they went to. Each
    point is a figure as of the end of its period, labelled ("more than 70" is drawn
    hollow); the counterpart (all foreign states, or the 'unfriendly' states only) has
    its own colour. The same figure repeated by another source is drawn once.

    Parameters
    ----------
    requests
        The table from :func:`belarus_monitor.load_requests`.
    ds
        The dataset: its sources, words and names.
    title
        The chart's title.

    Returns
    -------
    Figure
        With ``alt``, ``source_ids`` and ``data``.
    """
    sources = ds.sources
    g = requests[
        (requests["case_type"].astype(str) == "genocide")
        & (requests["direction"].astype(str) == "outgoing")
        & requests["measure"].astype(str).isin(["sent", "states_addressed"])
        & requests["value"].notna()
        & requests["period_end"].notna()
    ]
    if g.empty:
        return _empty(title, sources, "No figure of the 'genocide' case in this selection.")
    pts = (
        g.assign(
            measure=g["measure"].astype(str),
            counterpart=g["counterpart"].astype(str),
            qualifier=g["qualifier"].astype(str),
            value=g["value"].astype(int),
        )
        .groupby(["measure", "counterpart", "period_end", "value", "qualifier"], sort=True)
        .agg(
            period_start=("period_start", "min"),
            precision=("period_end_precision", "first"),
            source_ids=("source_id", lambda s: list(dict.fromkeys(s))),
        )
        .reset_index()
    )

    def as_of(r: object) -> str:  # the date as precisely as the source gives it
        from belarus_monitor.words.stories import when

        return when(r.period_end, r.precision)

    # Running totals only: a count over a period (111 sent between January 2023 and June
    # 2024) is not a point of the growing total, and never shares its axis.
    over = pts[pts["period_start"].notna()]
    pts = pts[pts["period_start"].isna()]
    if pts.empty:
        return _empty(title, sources, "No running total of the 'genocide' case in this selection.")
    measures = [m for m in ("sent", "states_addressed") if m in set(pts["measure"])]
    fig, axes = _new((8.5, 1.8 + 2.3 * len(measures)), nrows=len(measures), sharex=True)
    axes = list(axes.flat) if hasattr(axes, "flat") else [axes]
    palette = [COLORS["primary"], COLORS["accent"], COLORS["positive"], COLORS["negative"]]
    cps = list(dict.fromkeys(pts.sort_values("period_end")["counterpart"]))
    colour_of = {c: palette[k % len(palette)] for k, c in enumerate(cps)}
    notes = []
    for ax, m in zip(axes, measures, strict=True):
        sub = pts[pts["measure"] == m]
        for cp, s in sub.groupby("counterpart", sort=False):
            s = s.sort_values("period_end")
            ax.plot(s["period_end"], s["value"], color=colour_of[cp], lw=1, alpha=0.5)
            for r in s.itertuples():
                exact = _is_exact(r.qualifier)
                ax.scatter(
                    r.period_end,
                    r.value,
                    s=44,
                    zorder=3,
                    edgecolor=colour_of[cp],
                    facecolor=colour_of[cp] if exact else "white",
                    linewidth=1.4,
                )
                since = (
                    ""
                    if pd.isna(r.period_start)
                    else f"\n(counted from {pd.Timestamp(r.period_start):%b %Y})"
                )
                notes.append(
                    ax.annotate(
                        _qualified(r.value, r.qualifier, ds)
                        + ("" if str(r.precision) == "day" else f" (by {as_of(r)})")
                        + since,
                        (r.period_end, r.value),
                        xytext=(-5, 6),
                        textcoords="offset points",
                        fontsize=8.5,
                    )
                )
        ax.set_ylim(0, sub["value"].max() * 1.3)
        unit = "states" if m == "states_addressed" else "requests"
        ax.set_ylabel(unit)
        ax.set_title("Requests sent" if m == "sent" else "States the requests went to", fontsize=10)
        date_axis(ax)
    for ax in axes[:-1]:
        ax.xaxis.get_offset_text().set_visible(False)
    _pad_dates(axes[-1], pts["period_end"], 0.08, 0.1)
    fig.suptitle(title, x=0.01, ha="left", fontsize=12, fontweight="bold")

    def to(c: str) -> str:
        name = ds.name(c)
        name = name[:2].lower() + name[2:] if name.startswith("'") else name[:1].lower() + name[1:]
        return f"to {name}"

    handles = [Line2D([], [], marker="o", color=colour_of[c], label=to(c)) for c in cps]
    handles.append(
        Line2D(
            [],
            [],
            ls="",
            marker="o",
            markerfacecolor="white",
            markeredgecolor=_GREY,
            label="hollow: 'more than', 'at least' or 'about'",
        )
    )
    fig.legend(handles=handles, loc="outside lower left", ncols=2, fontsize=8)
    _declutter(
        fig,
        notes,
        (
            (-5, 6, "right", "bottom"),
            (5, -6, "left", "top"),
            (5, 6, "left", "bottom"),
            (-5, -6, "right", "top"),
        ),
    )
    not_drawn = [
        f"{_qualified(r.value, r.qualifier, ds)} "
        f"{'requests' if r.measure == 'sent' else 'states'} ({ds.in_text(r.counterpart)}), "
        f"{_span(r.period_start, r.period_end)}"
        for r in over.sort_values("period_end").itertuples()
    ]
    if not_drawn:
        axes[0].text(
            0.01,
            0.97,
            "\n".join(
                textwrap.wrap(
                    "Counts over a period, not running totals, not drawn: "
                    + "; ".join(not_drawn)
                    + ".",
                    70,
                )
            ),
            transform=axes[0].transAxes,
            ha="left",
            va="top",
            fontsize=8,
            color=_GREY,
        )
    alt = (
        f"Dot charts by date. {title}: "
        + "; ".join(
            ("sent" if m == "sent" else "states")
            + f" ({ds.in_text(cp)}): "
            + ", ".join(
                f"{_qualified(r.value, r.qualifier, ds)} by {as_of(r)}"
                for r in sub.sort_values("period_end").itertuples()
            )
            for (m, cp), sub in pts.groupby(["measure", "counterpart"], sort=False)
        )
        + "."
    )
    if not_drawn:
        alt += f" Not drawn, for a period: {'; '.join(not_drawn)}."
    data = pd.DataFrame(
        {
            "Measure": [
                "requests sent" if m == "sent" else "states addressed" for m in pts["measure"]
            ],
            "To": pts["counterpart"].map(ds.name),
            "Counted from": pts["period_start"].dt.date,
            "As of": pts["period_end"].dt.date,
            "Figure": pts["value"],
            "Qualifier": [ds.label("qualifier", q) for q in pts["qualifier"]],
            "Sources": [sources_words(s, sources) for s in pts["source_ids"]],
        }
    )
    return finish(fig, [s for ss in pts["source_ids"] for s in ss], sources, alt, data)
