"""Charts of the 'unfriendly' lists and of the sanctions regimes behind them."""

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


def list_membership(
    unfriendly: pd.DataFrame,
    lists: list[str],
    ds: Dataset,
    highlight: str | None = None,
    title: str = "Who is on which 'unfriendly' list",
) -> Figure:
    """Dot matrix: one row per country, one column per list; differences in colour.

    Parameters
    ----------
    unfriendly
        The table from :func:`belarus_monitor.load_unfriendly_states`.
    lists
        The list ids to compare (columns, in this order).
    ds
        The dataset: its sources, words and names.
    highlight
        Country code of the report, marked in its own colour.
    title
        The chart's title.

    Returns
    -------
    Figure
        With ``alt``, ``source_ids`` and ``data``.
    """
    sources = ds.sources
    highlight = _highlighted(ds, highlight)
    names = dict(zip(unfriendly["country"], unfriendly["country_name"], strict=False))
    countries = sorted(
        set(unfriendly.loc[unfriendly["list_id"].isin(lists), "country"]), key=lambda c: names[c]
    )
    if not countries:
        return _empty(title, sources, "None of these lists has a member in the data.")
    member = {(c, lst) for c, lst in zip(unfriendly["country"], unfriendly["list_id"], strict=True)}
    list_names = unfriendly.drop_duplicates("list_id").set_index("list_id")["list_name"]
    short = {lst: str(list_names[lst]).split(": ")[-1] for lst in lists}
    short = {lst: v[:1].upper() + v[1:] for lst, v in short.items()}
    col_in = 1.45
    fig, ax = _new(
        (max(5.6, 2.6 + col_in * len(lists)), 1.9 + 0.2 * len(countries)), title_over_ticks=True
    )
    rows = []
    for i, c in enumerate(countries):
        on = [lst for lst in lists if (c, lst) in member]
        differs = len(on) != len(lists)
        for j, lst in enumerate(lists):
            if (c, lst) in member:
                colour = (
                    COLORS["accent"]
                    if differs
                    else (COLORS["positive"] if c == highlight else COLORS["primary"])
                )
                ax.scatter(j, i, s=40, color=colour)
        rows.append(
            {"Country": names[c], **{str(list_names[lst]): (c, lst) in member for lst in lists}}
        )
    ax.set_yticks(
        range(len(countries)),
        [names[c] + (" ◀" if c == highlight else "") for c in countries],
        fontsize=7.5,
    )
    for t, c in zip(ax.get_yticklabels(), countries, strict=True):
        if c == highlight:
            t.set_fontweight("bold")
    ax.set_xticks(
        range(len(lists)), ["\n".join(textwrap.wrap(short[lst], 21)) for lst in lists], fontsize=8
    )
    ax.xaxis.set_ticks_position("top")
    ax.set_xlim(-0.6, len(lists) - 0.4)
    ax.set_ylim(len(countries) - 0.5, -0.5)
    ax.grid(axis="x", visible=False)
    ax.set_title(title)
    handles = [
        Line2D([], [], ls="", marker="o", color=COLORS["primary"], label="on every list shown"),
        Line2D([], [], ls="", marker="o", color=COLORS["accent"], label="on only some of them"),
    ]
    if highlight in countries:
        handles.append(
            Line2D(
                [],
                [],
                ls="",
                marker="o",
                color=COLORS["positive"],
                label=f"{names[highlight]}, on every list shown",
            )
        )
    fig.legend(handles=handles, loc="outside lower left", ncols=1, fontsize=8)
    diffs = [
        c for c in countries if len([lst for lst in lists if (c, lst) in member]) != len(lists)
    ]

    def n_countries(n: int) -> str:
        return plural(n, "country", "countries")

    def on_which(c: str) -> str:
        return ", ".join(short[lst] for lst in lists if (c, lst) in member)

    alt = (
        f"Dot matrix. {title}: {n_countries(len(countries))} on "
        f"{plural(len(lists), 'list')}. "
        + "; ".join(
            f"{list_names[lst]}: {n_countries(sum((c, lst) in member for c in countries))}"
            for lst in lists
        )
        + ". On only some of the lists: "
        + (", ".join(f"{names[c]} (on {on_which(c)})" for c in diffs) or "none")
        + "."
    )
    src = unfriendly.loc[unfriendly["list_id"].isin(lists), "source_id"]
    data = pd.DataFrame(rows).replace({True: "yes", False: "no"})
    return finish(fig, src, sources, alt, data)


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
    alt = (
        f"Timeline. {title}. "
        + "; ".join(
            f"{r.jurisdiction_name}: {r.legal_act}, {ds.label('regime_date_kind', r.date_kind)} "
            f"{_day(r.date)} ({ds.label('regime_role', r.role)})"
            for r in df.itertuples()
        )
        + "."
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
