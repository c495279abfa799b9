"""Charts of sanctions designations: rounds and the totals in force."""

from __future__ import annotations

import textwrap
from typing import TYPE_CHECKING

import pandas as pd  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402
from matplotlib.lines import Line2D  # noqa: E402
from matplotlib.patches import Patch  # noqa: E402

if TYPE_CHECKING:
    from belarus_monitor.data.dataset import Dataset
from belarus_monitor.figures.spec import ChartSpec
from belarus_monitor.figures.theme import COLORS
from belarus_monitor.figures.toolkit import (
    _cap,
    _day,
    _declutter,
    _empty,
    _highlighted,
    _is_exact,
    _new,
    _pad_dates,
    _qualified,
    date_axis,
    empty_spec,
    finish,
    sources_words,
    spec_of,
)
from belarus_monitor.words.stories import plural  # noqa: E402

# --------------------------------------------------------------------------- designations

#: The figures of a round (columns of ``sanctions_designations``; words in the vocabulary).
_ADDED = ("individuals_added", "entities_added", "combined_added")


def round_figures(designations: pd.DataFrame) -> pd.DataFrame:
    """One row per figure a round of designations is reported with.

    Statements of one round (same ``round_id``) giving the same figure count once.
    Where one figure of a round is the sum of the others (a release listing a round in
    parts), only the whole is kept. Different figures for one round are all kept and
    flagged ``differs``: they conflict and are shown side by side, never summed. A
    figure whose statement shares a ``conflict_group`` with another is flagged too.

    Parameters
    ----------
    designations
        The ``sanctions_designations`` table.

    Returns
    -------
    pandas.DataFrame
        Columns ``jurisdiction``, ``round``, ``date``, ``measure`` (a column name of
        ``_ADDED``), ``value``, ``qualifier``, ``regime``, ``differs``, ``source_ids``.
    """
    d = designations[designations["row_kind"].astype(str) == "round"].copy()
    d["round"] = d["round_id"].astype(object).where(d["round_id"].notna(), d["designation_id"])
    rows = []
    for (jur, rnd), g in d.groupby(["jurisdiction", "round"], sort=False):
        day = g[g["date_precision"].astype(str) == "day"]["date"]
        date = (day if len(day) else g["date"]).mode().min()
        for col in _ADDED:
            sub = g[g[col].notna()]
            if sub.empty:
                continue
            values = sorted(set(int(v) for v in sub[col]))
            if len(values) > 1:
                whole = values[-1]
                if whole == int(sub.loc[sub[col] != whole, col].sum()):
                    values = [whole]
            for v in values:
                vs = sub[sub[col] == v]
                regimes = set(vs["regime"].astype(str))
                regime = "belarus" if "belarus" in regimes else sorted(regimes)[0]
                rows.append(
                    {
                        "jurisdiction": str(jur),
                        "round": str(rnd),
                        "date": date,
                        "measure": col,
                        "value": v,
                        "qualifier": vs["qualifier"].iloc[0],
                        "regime": regime,
                        "differs": len(values) > 1 or bool(vs["conflict_group"].notna().any()),
                        "source_ids": list(dict.fromkeys(vs["source_id"].astype(str))),
                    }
                )
    return pd.DataFrame(
        rows,
        columns=[
            "jurisdiction",
            "round",
            "date",
            "measure",
            "value",
            "qualifier",
            "regime",
            "differs",
            "source_ids",
        ],
    )


def designations_over_time(
    designations: pd.DataFrame,
    ds: Dataset,
    highlight: str | None = None,
    title: str = "Designations per round, by jurisdiction",
) -> Figure:
    """People and entities designated per round, one row of panels per jurisdiction.

    Columns of panels: individuals added, entities added, and figures that do not
    split the two (never added to either). All panels share the time axis; panels of
    one column share their scale. Rounds under another regime than the one against
    Belarus (the EU's Ukraine regime, the UK's Russia regime...) are drawn hollow
    diamonds; figures that differ between sources for one round are drawn side by
    side as squares; a round repeated by several sources counts once.

    Parameters
    ----------
    designations
        The ``sanctions_designations`` table (``bm.load_table("sanctions_designations")``).
    ds
        The dataset: its sources, words and names.
    highlight
        A jurisdiction code (``"GB"``, ``"EU27"``) drawn in the accent colour.
    title
        The chart's title.

    Returns
    -------
    Figure
        With ``alt``, ``source_ids`` and ``data``.
    """
    return designations_spec(designations, ds, highlight, title).figure()


def designations_spec(
    designations: pd.DataFrame,
    ds: Dataset,
    highlight: str | None = None,
    title: str = "Designations per round, by jurisdiction",
) -> ChartSpec:
    """What :func:`designations_over_time` draws, before drawing (same parameters)."""
    sources = ds.sources
    highlight = _highlighted(ds, highlight)
    figs = round_figures(designations)
    if figs.empty:
        return empty_spec(title, sources, "No round of designations with a figure here.")
    order = [j for j in ds.jurisdictions if j in set(figs["jurisdiction"])]
    cols = [c for c in _ADDED if c in set(figs["measure"])]
    span = figs["date"].max() - figs["date"].min()
    step = max(span / 160, pd.Timedelta(days=4))
    rows = []
    for jur in order:
        colour = COLORS["accent"] if jur == highlight else COLORS["primary"]
        panels = []
        for col in cols:
            sub = figs[(figs["jurisdiction"] == jur) & (figs["measure"] == col)]
            # One collection of stems, and one of heads per style, for the whole panel.
            stems: tuple[list, list] = ([], [])
            heads: dict[tuple[str, str], tuple[list, list]] = {}
            for _, g in sub.groupby("round", sort=False):
                n = len(g)
                for k, r in enumerate(g.itertuples()):
                    x = r.date + step * (k - (n - 1) / 2)
                    other = r.regime != "belarus"
                    marker = "s" if r.differs else ("D" if other else "o")
                    stems[0].append(x)
                    stems[1].append(r.value)
                    xs, ys = heads.setdefault((marker, "white" if other else colour), ([], []))
                    xs.append(x)
                    ys.append(r.value)
            panels.append((stems, [(m, f, xs, ys) for (m, f), (xs, ys) in heads.items()]))
        rows.append(
            {
                "name": "\n".join(textwrap.wrap(ds.name(jur), 16)),
                "bold": jur == highlight,
                "colour": colour,
                "panels": panels,
            }
        )
    values = {
        "title": title,
        "columns": [_cap(ds.label("designation_figure", c, plural=True)) for c in cols],
        "tops": [figs.loc[figs["measure"] == c, "value"].max() * 1.12 for c in cols],
        "rows": rows,
        "dates": list(figs["date"]),
        "other_regimes": ds.label("designation_regime", "eu_ukraine")
        + ") or "
        + ds.label("designation_regime", "unstated"),
        "highlight": ds.name(highlight) if highlight in order else None,
    }
    parts = []
    for jur in order:
        sub = figs[figs["jurisdiction"] == jur].sort_values(["date", "measure"])
        parts.append(
            f"{ds.name(jur)}: "
            + ", ".join(
                f"{_day(r.date)} {_qualified(r.value, r.qualifier, ds)} "
                + ds.label("designation_figure", r.measure, plural=r.value != 1).replace(
                    " added", ""
                )
                + (
                    f" ({ds.label('designation_regime', r.regime)})"
                    if r.regime != "belarus"
                    else ""
                )
                + (" (sources conflict)" if r.differs else "")
                for r in sub.itertuples()
            )
        )
    alt = (
        f"Lollipop charts on a time axis, one row per jurisdiction. "
        f"{title}: {plural(figs['round'].nunique(), 'round')} "
        f"of {plural(len(order), 'jurisdiction')} ({', '.join(ds.name(j) for j in order)}), "
        f"{_day(figs['date'].min())} to {_day(figs['date'].max())}."
        + (" Conflicting figures side by side." if figs["differs"].any() else "")
    )
    data = pd.DataFrame(
        {
            "Jurisdiction": figs["jurisdiction"].map(ds.name),
            "Round date": figs["date"].dt.date,
            "Measure": [
                _cap(ds.label("designation_figure", m, plural=True)) for m in figs["measure"]
            ],
            "Figure": figs["value"],
            "Qualifier": [ds.label("qualifier", q) for q in figs["qualifier"]],
            "Regime": [ds.label("designation_regime", r) for r in figs["regime"]],
            "Sources conflict": figs["differs"].map({True: "yes", False: "no"}),
            "Sources": [sources_words(s, sources) for s in figs["source_ids"]],
        }
    )
    ids = [s for ss in figs["source_ids"] for s in ss]
    return spec_of(_draw_designations, values, ids, sources, alt, data)


def _draw_designations(v: dict) -> Figure:
    """Draw :func:`designations_spec`'s values."""
    rows, columns = v["rows"], v["columns"]
    fig, axes = _new(
        (3.0 + 2.6 * len(columns), 1.9 + 1.05 * len(rows)),
        nrows=len(rows),
        ncols=len(columns),
        sharex=True,
        sharey="col",
        squeeze=False,
    )
    for i, row in enumerate(rows):
        colour = row["colour"]
        for j, (stems, heads) in enumerate(row["panels"]):
            ax = axes[i][j]
            if stems[0]:
                ax.vlines(stems[0], 0, stems[1], color=colour, lw=1.2, alpha=0.7)
            for marker, face, xs, ys in heads:
                ax.scatter(
                    xs,
                    ys,
                    marker=marker,
                    s=26,
                    zorder=3,
                    edgecolor=colour,
                    facecolor=face,
                    linewidth=1.2,
                )
            if not stems[0]:
                ax.text(
                    0.5,
                    0.5,
                    "no figure",
                    transform=ax.transAxes,
                    ha="center",
                    va="center",
                    fontsize=8,
                    color=COLORS["muted"],
                )
            ax.set_ylim(bottom=0)
            ax.tick_params(labelsize=8)
            if i == 0:
                ax.set_title(columns[j], fontsize=10)
            if j == 0:
                ax.set_ylabel(
                    row["name"],
                    rotation=0,
                    ha="right",
                    va="center",
                    fontsize=9,
                    fontweight="bold" if row["bold"] else "normal",
                )
            date_axis(ax, 3, 5)
            if i < len(rows) - 1:
                ax.xaxis.get_offset_text().set_visible(False)
    for j, top in enumerate(v["tops"]):
        axes[0][j].set_ylim(0, top)
    _pad_dates(axes[0][0], v["dates"], 0.04, 0.04)
    fig.suptitle(v["title"], x=0.01, ha="left", fontsize=12, fontweight="bold")
    handles = [
        Line2D(
            [],
            [],
            ls="",
            marker="o",
            color=COLORS["primary"],
            label="round under the sanctions regime against Belarus",
        ),
        Line2D(
            [],
            [],
            ls="",
            marker="D",
            markerfacecolor="white",
            markeredgecolor=COLORS["primary"],
            label="hollow: another regime (e.g. " + v["other_regimes"],
        ),
        Line2D(
            [],
            [],
            ls="",
            marker="s",
            color=COLORS["primary"],
            label="sources conflict on the round: each figure shown, side by side",
        ),
    ]
    if v["highlight"] is not None:
        handles.append(Patch(color=COLORS["accent"], label=v["highlight"]))
    fig.legend(handles=handles, loc="outside lower left", ncols=2, fontsize=8)
    return fig


def eu_totals_in_force(
    designations: pd.DataFrame,
    ds: Dataset,
    title: str = "EU listings in force against Belarus",
) -> Figure:
    """The EU's totals of individuals and entities listed, in two panels, each point labelled.

    Totals of rows under the regime against Belarus and rows whose regime is not stated
    (drawn hollow) are shown; where sources differ on a date, each figure is drawn.

    Parameters
    ----------
    designations
        The ``sanctions_designations`` table.
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
    d = designations[
        (designations["jurisdiction"] == "EU27")
        & designations["regime"].astype(str).isin(["belarus", "unstated"])
    ]
    measures = {"total_individuals": "Individuals listed", "total_entities": "Entities listed"}
    rows = []
    for col, what in measures.items():
        sub = d[d[col].notna()]
        for (date, value), g in sub.groupby(["date", col], sort=True):
            regimes = set(g["regime"].astype(str))
            rows.append(
                {
                    "measure": col,
                    "what": what,
                    "date": date,
                    "value": int(value),
                    "qualifier": g["qualifier"].iloc[0],
                    "regime": "belarus" if "belarus" in regimes else "unstated",
                    "source_ids": list(dict.fromkeys(g["source_id"].astype(str))),
                }
            )
    pts = pd.DataFrame(rows)
    if pts.empty:
        return _empty(title, sources, "No EU total in this selection.")
    pts["differs"] = pts.groupby(["measure", "date"])["value"].transform("nunique") > 1
    fig, axes = _new((8.5, 6.2), nrows=2, sharex=True)
    notes = []
    for ax, (col, what) in zip(axes, measures.items(), strict=True):
        sub = pts[pts["measure"] == col].sort_values("date")
        main = sub[sub["regime"] == "belarus"].groupby("date")["value"].max()
        ax.plot(main.index, main.values, color=COLORS["primary"], lw=1, alpha=0.5)
        for r in sub.itertuples():
            hollow = r.regime != "belarus" or not _is_exact(r.qualifier)
            ax.scatter(
                r.date,
                r.value,
                marker="s" if r.differs else "o",
                s=34,
                zorder=3,
                edgecolor=COLORS["primary"],
                facecolor="white" if hollow else COLORS["primary"],
                linewidth=1.3,
            )
            notes.append(
                ax.annotate(
                    _qualified(r.value, r.qualifier, ds),
                    (r.date, r.value),
                    xytext=(-4, 5),
                    textcoords="offset points",
                    fontsize=7.5,
                )
            )
        ax.set_ylim(0, max(sub["value"].max() * 1.2, 5))
        ax.set_ylabel(what.split()[0].lower())
        ax.set_title(f"{what} (total in force)", fontsize=10)
        date_axis(ax)
    axes[0].xaxis.get_offset_text().set_visible(False)
    _pad_dates(axes[1], pts["date"], 0.04, 0.05)
    fig.suptitle(title, x=0.01, ha="left", fontsize=12, fontweight="bold")
    handles = [
        Line2D(
            [],
            [],
            marker="o",
            color=COLORS["primary"],
            alpha=0.8,
            label="total under the regime against Belarus",
        )
    ]
    if (pts["regime"] != "belarus").any():
        handles.append(
            Line2D(
                [],
                [],
                ls="",
                marker="o",
                markerfacecolor="white",
                markeredgecolor=COLORS["primary"],
                label="regime not stated",
            )
        )
    if pts["differs"].any():
        handles.append(
            Line2D(
                [],
                [],
                ls="",
                marker="s",
                color=COLORS["primary"],
                label="sources differ on the date: each figure shown",
            )
        )
    fig.legend(handles=handles, loc="outside lower left", ncols=len(handles), fontsize=8)
    _declutter(
        fig,
        notes,
        (
            (-4, 5, "right", "bottom"),
            (4, -5, "left", "top"),
            (4, 5, "left", "bottom"),
            (-4, -5, "right", "top"),
            (-4, 15, "right", "bottom"),
            (4, -15, "left", "top"),
        ),
    )

    def span_of(col: str) -> str:
        sub = pts[pts["measure"] == col].sort_values("date")
        first, last = sub.iloc[0], sub.iloc[-1]
        return (
            f"{_qualified(first.value, first.qualifier, ds)} on {_day(first.date)} to "
            f"{_qualified(last.value, last.qualifier, ds)} on {_day(last.date)}"
        )

    alt = (
        f"Two line charts on a time axis. {title}. "
        + "; ".join(
            f"{what}: {span_of(col)}"
            for col, what in measures.items()
            if (pts["measure"] == col).any()
        )
        + "."
    )
    data = pd.DataFrame(
        {
            "Measure": pts["what"],
            "Date": pts["date"].dt.date,
            "Total": pts["value"],
            "Qualifier": [ds.label("qualifier", q) for q in pts["qualifier"]],
            "Regime": [ds.label("designation_regime", r) for r in pts["regime"]],
            "Sources differ": pts["differs"].map({True: "yes", False: "no"}),
            "Sources": [sources_words(s, sources) for s in pts["source_ids"]],
        }
    )
    return finish(fig, [s for ss in pts["source_ids"] for s in ss], sources, alt, data)
