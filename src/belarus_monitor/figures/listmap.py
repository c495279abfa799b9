"""A map of one of Belarus' 'unfriendly' lists, with a source's version of it marked.

The states on the list are filled; where a source gives the list otherwise (a version,
``groups.version_of``), the states it adds are hatched and those it leaves out carry a
ring, so that the one list and a paraphrase of it are never drawn as two lists.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import matplotlib
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch

from belarus_monitor.figures.maps import (
    GROUP_HATCH,
    _join,
    _name,
    _region_shapes,
    draw_states,
    legend_with_notes,
    map_canvas,
)
from belarus_monitor.figures.theme import COLORS, MAP_COLORS

if TYPE_CHECKING:
    from belarus_monitor.data.dataset import Dataset

#: Fills of the list map.
LIST_FILL = {"on": COLORS["primary"], "added": "#9ecae1", "off": MAP_COLORS["no_data"]}


def _short(ds: Dataset, list_id: str) -> str:
    g = ds.groups.set_index("group_id")
    name = str(g.loc[list_id, "name"]) if list_id in g.index else list_id
    return name.split(": ", 1)[-1]


def list_map(
    ds: Dataset,
    list_id: str,
    highlight: str | None = None,
    region: str = "europe",
) -> Figure:
    """Draw the states on one 'unfriendly' list, and how a source's version differs.

    Parameters
    ----------
    ds
        The dataset: the lists, their versions (``ds.list_versions``), sources, names.
    list_id
        The list (a group of kind ``unfriendly_list``).
    highlight
        A state (code or name) to outline in the accent colour.
    region
        ``"europe"`` or ``"world"``.

    Returns
    -------
    matplotlib.figure.Figure
        With ``alt`` (at most a few sentences), ``source_ids`` and ``data`` (every state
        on the list or a version of it: whether it is on each).
    """
    from belarus_monitor.figures.toolkit import finish

    unfriendly = ds.unfriendly_states
    known = set(unfriendly["list_id"].astype(str))
    if list_id not in known:
        raise ValueError(f"unknown list {list_id!r}: expected one of {', '.join(sorted(known))}")
    highlight = ds.code(highlight) if highlight else None
    on = set(unfriendly.loc[unfriendly["list_id"] == list_id, "country"].astype(str))
    versions = [v for v, ref in ds.list_versions.items() if ref == list_id]
    in_version = {
        v: set(unfriendly.loc[unfriendly["list_id"] == v, "country"].astype(str)) for v in versions
    }
    added = set().union(*(s - on for s in in_version.values())) if versions else set()
    left_out = set().union(*(on - s for s in in_version.values())) if versions else set()
    title = f"Belarus' list of 'unfriendly' states ({_short(ds, list_id)})"

    fig, ax = map_canvas(region, 0.75)

    shapes, drawn, small = _region_shapes(region)

    def fill(code: str) -> str:
        if code == "BY":
            return MAP_COLORS["belarus"]
        return LIST_FILL["on" if code in on else "added" if code in added else "off"]

    draw_states(ax, shapes, fill, lambda code: code in added, highlight)
    for code, px, py in small:
        ax.scatter([px], [py], s=22, color=fill(code), edgecolors="#666666", lw=0.6, zorder=5)
    rings = [drawn[c] for c in sorted(left_out) if c in drawn]
    if rings:
        ax.scatter(
            [p[0] for p in rings],
            [p[1] for p in rings],
            s=90,
            facecolors="none",
            edgecolors=MAP_COLORS["marker"],
            linewidths=1.2,
            zorder=6,
        )

    handles: list = [Patch(facecolor=LIST_FILL["on"], label="on the list")]
    for v in versions:
        if added:
            with matplotlib.rc_context({"hatch.color": "#ffffff", "hatch.linewidth": 1.1}):
                handles.append(
                    Patch(
                        facecolor=LIST_FILL["added"],
                        hatch=GROUP_HATCH,
                        label=f"not on it, added in {_short(ds, v)}",
                    )
                )
        if left_out:
            handles.append(
                Line2D(
                    [],
                    [],
                    marker="o",
                    linestyle="none",
                    markersize=8,
                    markerfacecolor="none",
                    markeredgecolor=MAP_COLORS["marker"],
                    label=f"not mentioned in {_short(ds, v)}",
                )
            )
    handles.append(Patch(facecolor=MAP_COLORS["belarus"], label="Belarus"))
    beyond = sorted((on | added) - set(drawn), key=_name)
    notes = []
    if beyond:
        notes.append(
            "Beyond this map: "
            + _join(
                [
                    _name(c) + (" (not mentioned in the version)" if c in left_out else "")
                    for c in beyond
                ]
            )
            + "."
        )
    notes.append("Map: Natural Earth (public domain).")
    legend_with_notes(fig, ax, handles, notes, ncol=1)
    ax.set_title(title)

    alt = f"Map of {'Europe' if region == 'europe' else 'the world'}: {title}, {len(on)} states."
    for v in versions:
        plus = [_name(c) for c in sorted(in_version[v] - on, key=_name)]
        minus = [_name(c) for c in sorted(on - in_version[v], key=_name)]
        alt += f" {_short(ds, v)[:1].upper()}{_short(ds, v)[1:]}" + (
            f" adds {_join(plus)}" if plus else ""
        )
        alt += " and" if plus and minus else ""
        alt += f" does not mention {_join(minus)}" if minus else ""
        alt += "."
    if highlight:
        alt += f" Outlined: {_name(highlight)}."
    everyone = sorted(on | added, key=_name)
    data = pd.DataFrame(
        {
            "country": [_name(c) for c in everyone],
            _short(ds, list_id): ["yes" if c in on else "no" for c in everyone],
            **{
                _short(ds, v): ["yes" if c in in_version[v] else "no" for c in everyone]
                for v in versions
            },
        }
    )
    source_ids = list(
        unfriendly.loc[unfriendly["list_id"].isin([list_id, *versions]), "source_id"].astype(str)
    )
    fig = finish(fig, source_ids, ds.sources, alt)
    fig.data = data  # type: ignore[attr-defined]
    return fig
