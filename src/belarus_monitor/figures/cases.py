"""Charts of named cases: people sought across borders, event by event."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pandas as pd  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402
from matplotlib.lines import Line2D  # noqa: E402
from matplotlib.patches import Patch  # noqa: E402

if TYPE_CHECKING:
    from belarus_monitor.data.dataset import Dataset
from belarus_monitor.figures.theme import (
    CASE_EVENT_STYLE,
    COLORS,
)
from belarus_monitor.figures.toolkit import (
    _GREY,
    _empty,
    _highlighted,
    _new,
    _pad_dates,
    date_axis,
    finish,
)
from belarus_monitor.words.stories import plural  # noqa: E402

# --------------------------------------------------------------------------- cases


def _case_label(r, ds: Dataset) -> str:
    who = str(r.name) if not pd.isna(r.name) else "Person not named"
    asked = ds.name(r.requested_state)
    if str(r.requesting_state) == "BY":
        return f"{who} (asked of {asked})"
    return f"{who} ({ds.name(r.requesting_state)} asked {asked})"


def case_timeline(
    cases: pd.DataFrame,
    events: pd.DataFrame,
    ds: Dataset,
    highlight: str | None = None,
    title: str = "Named extradition and Interpol cases",
) -> Figure:
    """Named cases as a timeline: one row per case, events as markers by kind.

    Each row names the person and the state asked; the outcome is written in words at
    the end of the row. Events given to the month or year only are drawn hollow;
    events without a date, and cases with none, are counted in the alt text.

    Parameters
    ----------
    cases
        The ``named_cases`` table.
    events
        The ``case_events`` table.
    ds
        The dataset: its sources, words and names.
    highlight
        A country code: the cases it asked or was asked about are emphasised.
    title
        The chart's title.

    Returns
    -------
    Figure
        With ``alt``, ``source_ids`` and ``data``.
    """
    sources = ds.sources
    highlight = _highlighted(ds, highlight)
    ev = events[events["case_id"].isin(set(cases["case_id"]))]
    dated = ev[ev["date"].notna()]
    first = dated.groupby("case_id")["date"].min()
    cs = cases.copy()
    cs["first"] = cs["case_id"].map(first)
    cs["first"] = cs["first"].fillna(cs["outcome_date"])
    drawn = cs[cs["first"].notna()].sort_values(["first", "case_id"])
    undated = cs[cs["first"].isna()]
    if drawn.empty:
        return _empty(title, sources, "No case in this selection has a dated event.")
    fig, ax = _new((9.5, 1.9 + 0.36 * len(drawn)))
    ylab = []
    rows = []
    last_x = {}
    for i, r in enumerate(drawn.itertuples()):
        mine = highlight is not None and highlight in (
            str(r.requested_state),
            str(r.requesting_state),
        )
        if mine:
            ax.axhspan(i - 0.45, i + 0.45, color=COLORS["accent"], alpha=0.12, lw=0)
        ylab.append(_case_label(r, ds))
        cev = dated[dated["case_id"] == r.case_id].sort_values("date")
        xs = list(cev["date"]) + ([r.outcome_date] if not pd.isna(r.outcome_date) else [])
        ax.hlines(i, min(xs), max(xs), color=COLORS["muted"], lw=1)
        if not pd.isna(r.outcome_date):
            ax.scatter(r.outcome_date, i, marker="|", s=120, color=_GREY, zorder=2)
        for e in cev.itertuples():
            colour, marker = CASE_EVENT_STYLE.get(str(e.kind), (COLORS["muted"], "o"))
            exact_day = str(e.date_precision) == "day"
            ax.scatter(
                e.date,
                i,
                marker=marker,
                s=42,
                zorder=3,
                edgecolor=colour,
                facecolor=colour if exact_day else "white",
                linewidth=1.3,
            )
            rows.append(
                {
                    "Case": _case_label(r, ds),
                    "Date": e.date.date(),
                    "Date given to the": ds.label("precision", e.date_precision),
                    "Event": ds.label("case_event_kind", e.kind),
                    "What happened": str(e.description),
                    "Outcome": ds.label("case_outcome", r.outcome),
                    "Source": str(e.source_id),
                }
            )
        last_x[i] = max(xs)
        ax.annotate(
            ds.label("case_outcome", r.outcome),
            (max(xs), i),
            xytext=(8, 0),
            textcoords="offset points",
            va="center",
            fontsize=7.5,
            color=_GREY,
            fontstyle="italic",
        )
    ax.set_yticks(range(len(drawn)), ylab, fontsize=8)
    for t, r in zip(ax.get_yticklabels(), drawn.itertuples(), strict=True):
        if highlight is not None and highlight in (str(r.requested_state), str(r.requesting_state)):
            t.set_fontweight("bold")
    ax.set_ylim(len(drawn) - 0.5, -0.7)
    ax.grid(axis="y", visible=False)
    date_axis(ax)
    _pad_dates(ax, list(drawn["first"]) + list(last_x.values()), 0.03, 0.22)
    ax.set_title(title)
    kinds = [k for k in CASE_EVENT_STYLE if k in set(dated["kind"].astype(str))]
    handles = [
        Line2D(
            [],
            [],
            ls="",
            marker=CASE_EVENT_STYLE[k][1],
            color=CASE_EVENT_STYLE[k][0],
            label=ds.label("case_event_kind", k),
        )
        for k in kinds
    ]
    handles.append(
        Line2D(
            [],
            [],
            ls="",
            marker="o",
            markerfacecolor="white",
            markeredgecolor=_GREY,
            label="hollow: month or year only",
        )
    )
    handles.append(
        Line2D(
            [],
            [],
            ls="",
            marker="|",
            markersize=10,
            color=_GREY,
            label="date of the outcome (in italics)",
        )
    )
    if highlight is not None and any(
        highlight in (str(r.requested_state), str(r.requesting_state)) for r in drawn.itertuples()
    ):
        handles.append(
            Patch(color=COLORS["accent"], alpha=0.25, label=f"cases involving {ds.name(highlight)}")
        )
    fig.legend(handles=handles, loc="outside lower left", ncols=4, fontsize=8)
    # A summary: each case and event is in the chart's data (CSV) and the table.
    from belarus_monitor.words.stories import when

    outcomes = drawn["outcome"].astype(str).value_counts()
    first = dated.loc[dated["date"].idxmin()]
    last = dated.loc[dated["date"].idxmax()]
    alt = (
        f"Timeline, one row per case. {title}: {plural(len(drawn), 'case')}, "
        f"{plural(len(dated), 'dated event')} from {when(first['date'], first['date_precision'])} "
        f"to {when(last['date'], last['date_precision'])}. Outcomes: "
        + ", ".join(f"{n} {ds.label('case_outcome', o)}" for o, n in outcomes.items())
        + "."
    )
    n_undated_ev = int(ev["date"].isna().sum())
    missing = [plural(len(undated), "case")] if len(undated) else []
    missing += [plural(n_undated_ev, "event")] if n_undated_ev else []
    if missing:
        alt += f" Not drawn: {' and '.join(missing)} without a date."
    return finish(fig, dated.sort_values("date")["source_id"], sources, alt, pd.DataFrame(rows))
