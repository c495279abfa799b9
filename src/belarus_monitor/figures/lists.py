"""Charts of the sanctions regimes against Belarus (the lists are drawn by listmap.py)."""

from __future__ import annotations

import textwrap
from collections.abc import Iterable
from typing import TYPE_CHECKING

import pandas as pd  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402
from matplotlib.lines import Line2D  # noqa: E402
from matplotlib.patches import Patch  # noqa: E402

if TYPE_CHECKING:
    from belarus_monitor.data.dataset import Dataset
from belarus_monitor.figures.theme import (
    COLORS,
)
from belarus_monitor.figures.toolkit import (
    _day,
    _declutter,
    _empty,
    _highlighted,
    _new,
    _pad_dates,
    date_axis,
    finish,
)
from belarus_monitor.words.stories import plural  # noqa: E402

# --------------------------------------------------------------------------- lists


# --------------------------------------------------------------------------- sanctions

_ROLE_STYLE = {
    "first": ("o", True),
    "first_asset_freeze": ("s", True),
    "legal_basis": ("D", False),
    "expansion": ("o", False),
}


def sanctions_timeline(
    regimes: pd.DataFrame,
    ds: Dataset,
    highlight: Iterable[str] = (),
    title: str = "Sanctions regimes against Belarus",
) -> Figure:
    """Timeline of sanctions acts, one row per jurisdiction, the act's role in words.

    The marker says the role of the act (first act, first asset freeze, legal basis,
    expansion: see the legend); each point is labelled with its date and what the
    date is (adopted, signed...). Labels are placed so that none overlaps another.

    Parameters
    ----------
    regimes
        The table from :func:`belarus_monitor.load_sanctions_regimes`.
    ds
        The dataset: its sources, words and names.
    highlight
        Jurisdiction codes drawn in the accent colour.
    title
        The chart's title.

    Returns
    -------
    Figure
        With ``alt``, ``source_ids`` and ``data``.
    """
    sources = ds.sources
    highlight = _highlighted(ds, highlight)
    highlight = set(highlight)
    df = regimes.sort_values("date").copy()
    if df.empty:
        return _empty(title, sources, "No sanctions act in this selection.")
    if "jurisdiction_name" not in df.columns:
        df["jurisdiction_name"] = df["jurisdiction"].map(ds.name)
    juris = list(dict.fromkeys(df["jurisdiction_name"]))
    fig, ax = _new((9.0, 1.9 + 0.62 * len(juris)))
    notes = []
    last: dict[int, tuple[pd.Timestamp, float]] = {}
    span = max(df["date"].max() - df["date"].min(), pd.Timedelta(days=365))
    for r in df.itertuples():
        row = juris.index(r.jurisdiction_name)
        y = float(row)
        if row in last and r.date - last[row][0] < span / 40 and last[row][1] == row:
            y = row + 0.22  # two acts weeks apart: side by side, not on top of each other
        last[row] = (r.date, y)
        colour = COLORS["accent"] if r.jurisdiction in highlight else COLORS["primary"]
        marker, filled = _ROLE_STYLE.get(str(r.role), ("o", False))
        ax.scatter(
            r.date,
            y,
            s=60,
            marker=marker,
            facecolor=colour if filled else "white",
            edgecolor=colour,
            linewidth=1.5,
            zorder=3,
        )
        notes.append(
            ax.annotate(
                f"{r.date:%-d %b %Y}, {ds.label('regime_date_kind', r.date_kind)}",
                (r.date, y),
                xytext=(6, 6),
                textcoords="offset points",
                fontsize=7.5,
            )
        )
    ax.set_yticks(range(len(juris)), ["\n".join(textwrap.wrap(j, 22)) for j in juris])
    ax.set_ylim(len(juris) - 0.3, -0.7)
    date_axis(ax)
    _pad_dates(ax, df["date"], 0.04, 0.25)
    ax.set_title(title)
    handles = []
    for role in [r for r in _ROLE_STYLE if r in set(df["role"].astype(str))]:
        marker, filled = _ROLE_STYLE[role]
        handles.append(
            Line2D(
                [],
                [],
                ls="",
                marker=marker,
                markersize=7,
                markerfacecolor=COLORS["primary"] if filled else "white",
                markeredgecolor=COLORS["primary"],
                label=ds.label("regime_role", role),
            )
        )
    marked = [j for j in dict.fromkeys(df["jurisdiction"]) if j in highlight]
    if marked:
        handles.append(Patch(color=COLORS["accent"], label=", ".join(ds.name(j) for j in marked)))
    fig.legend(handles=handles, loc="outside lower left", ncols=len(handles), fontsize=8.5)
    _declutter(fig, notes)
    acts = df.sort_values("date")
    alt = (
        f"Timeline. {title}: {plural(len(acts), 'legal act')} of "
        f"{plural(acts['jurisdiction'].nunique(), 'jurisdiction')}, from "
        f"{_day(acts['date'].iloc[0])} ({acts['jurisdiction_name'].iloc[0]}) to "
        f"{_day(acts['date'].iloc[-1])} ({acts['jurisdiction_name'].iloc[-1]})."
    )
    data = pd.DataFrame(
        {
            "Jurisdiction": df["jurisdiction_name"].astype(str),
            "Legal act": df["legal_act"].astype(str),
            "Date": df["date"].dt.date,
            "What the date is": [ds.label("regime_date_kind", k) for k in df["date_kind"]],
            "Role": [ds.label("regime_role", k) for k in df["role"]],
            "Source": df["source_id"].astype(str),
        }
    )
    return finish(fig, df["source_id"], sources, alt, data)
