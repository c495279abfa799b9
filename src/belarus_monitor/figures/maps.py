"""A map of how states answered Belarus' requests, drawn offline with matplotlib.

The geometry is Natural Earth's 1:110m admin-0 countries (public domain), shipped in
``geodata/admin0_110m.json`` (see ``geodata/README.md``); states too small for that
scale are points. :func:`country_answers` classifies every state from the claims of
``requests.csv``; :func:`answers_map` draws the classes in the project's theme and
finishes the figure with a source line and alt text like every chart.
"""

from __future__ import annotations

from functools import lru_cache
from typing import TYPE_CHECKING, Any

import matplotlib
import matplotlib.patheffects as pe  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import pycountry  # noqa: E402
from matplotlib.collections import PathCollection  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402
from matplotlib.lines import Line2D  # noqa: E402
from matplotlib.patches import Patch, PathPatch  # noqa: E402
from matplotlib.path import Path as MPath  # noqa: E402

from belarus_monitor.data.countries import country_name  # noqa: E402
from belarus_monitor.figures.canvas import on_canvas  # noqa: E402
from belarus_monitor.figures.theme import COLORS, MAP_COLORS, apply_theme  # noqa: E402

if TYPE_CHECKING:
    from belarus_monitor.data.dataset import Dataset
from belarus_monitor.figures.geometry import REGIONS, _limits, _path, _projector, load_geometry

#: Answer classes in legend order (their words are vocabulary.csv's ``answer_class``).
CLASSES = ("fulfilled", "mixed", "suspended", "ignores", "no_response", "refused", "no_data")
#: Status of a claim -> answer class.
_STATUS_CLASS = {
    "cooperates": "fulfilled",
    "ignores": "ignores",
    "suspended": "suspended",
    "no_response": "no_response",
    "refused": "refused",
    "rejects": "refused",
}
DEFAULT_TITLE = "How states answered Belarus' requests for legal assistance"
#: Hatching of a state whose answer the sources gave for a group it belongs to.
GROUP_HATCH = "////"


def _name(code: str) -> str:
    if code == "XK":
        return "Kosovo"
    return country_name(code)


def _claim_class(row) -> str | None:
    """The answer class one claim states, or None for a claim about something else."""
    status = None if pd.isna(row.status) else str(row.status)
    if status in _STATUS_CLASS:
        return _STATUS_CLASS[status]
    measure = str(row.measure)
    has_value = not pd.isna(row.value)
    if measure in ("fulfilled", "extradited") and has_value and row.value > 0:
        return "fulfilled"
    if measure in ("refused", "rejected") and (not has_value or row.value > 0):
        return "refused"
    return None


def _decide(claims: list[tuple[str, str, str, str]]) -> str:
    """One class from ``(class, measure, claim_id, source_id)`` tuples (rule: see below)."""
    classes = {c for c, *_ in claims}
    if len(classes) == 1:
        return classes.pop()
    if "fulfilled" in classes:
        return "mixed"
    general = {c for c, m, *_ in claims if m == "response"}
    return general.pop() if len(general) == 1 else "mixed"


def _period_key(start: object, end: object) -> tuple[str, str]:
    return (
        "" if pd.isna(start) else str(pd.Timestamp(start).date()),
        "" if pd.isna(end) else str(pd.Timestamp(end).date()),
    )


def _classed(requests: pd.DataFrame) -> pd.DataFrame:
    """Belarus' requests abroad whose claim states an answer, with its class."""
    out = requests[requests["direction"].astype(str) == "outgoing"].copy()
    out["cls"] = [_claim_class(r) for r in out.itertuples(index=False)]
    out = out[out["cls"].notna()]
    out["period"] = [
        _period_key(s, e) for s, e in zip(out["period_start"], out["period_end"], strict=True)
    ]
    return out


def main_period(ds: Dataset, requests: pd.DataFrame | None = None) -> tuple[str, str] | None:
    """The period whose claims give an answer for the most states and groups.

    Returns ``(start, end)`` as ISO dates (``""`` for an open start), or None when no
    claim states an answer.
    """
    classed = _classed(ds.requests if requests is None else requests)
    if classed.empty:
        return None
    counts = classed.groupby("period")["counterpart"].nunique()
    best = counts.max()
    # Of equally large periods, the latest.
    return max(k for k, v in counts.items() if v == best)


def country_answers(
    ds: Dataset,
    requests: pd.DataFrame | None = None,
    period: tuple[str, str] | str | None = "main",
) -> pd.DataFrame:
    """Classify every state by how the data says it answered Belarus' requests.

    Only claims of Belarus' requests abroad (``direction == "outgoing"``) count. Each
    claim gives a class: a status ``cooperates`` or an exact count of requests fulfilled
    (or people extradited) above zero -> ``fulfilled``; status ``ignores``,
    ``suspended``, ``no_response`` -> the same class; status ``refused``/``rejects`` or
    a count of refused/rejected requests -> ``refused``. Counts of requests sent say
    nothing about an answer and give no class.

    Rules, in order:

    1. One period: by default the period whose claims answer for the most states
       (``"main"``); a ``(start, end)`` pair picks another; ``None`` takes every period
       and, state by state, only the claims of the latest period (a later claim is
       never overridden by an earlier one).
    2. Claims naming the state directly decide; group claims count only when no
       direct claim gives a class (``via`` then names the group, and the state is
       drawn hatched: the sources said it of the group, not of the state).
    3. A group claim applies to each member only if it carries a status (a statement
       about the group as a whole); a count over a group ("33 of 239 fulfilled") says
       nothing about each member. Groups without listed members (Belarus'
       'neighbours', 'all states') apply to no state. Of several groups, the
       smallest (most specific) decides.
    4. Where the claims disagree: a positive and a negative answer give ``mixed``;
       different negative answers are decided by the general statement of how the
       state answers (measure ``response``) over counts for part of the requests;
       failing that, ``mixed``.
    5. A state without any such claim is ``no_data``. Belarus itself is left out.

    Parameters
    ----------
    ds
        The dataset: its claims, groups, lists and words.
    requests
        Claims to classify (default: all of ``ds.requests``).
    period
        ``"main"``, a ``(start, end)`` pair of ISO dates (``""`` for an open start) or
        None (see rule 1).

    Returns
    -------
    pandas.DataFrame
        One row per ISO 3166-1 state except Belarus: ``country`` (code),
        ``country_name``, ``answer_class``, ``answer`` (the class in words), ``via``
        (group code, empty for direct claims), ``via_name``, ``claim_ids`` and
        ``source_ids`` (lists, the claims behind the class), ``period_start`` and
        ``period_end`` (of those claims), ``lists`` (the 'unfriendly' lists the state
        is on). ``attrs["period"]`` is the period drawn (None for every period) and
        ``attrs["unplaced"]`` the answers said of groups without listed members
        (group name, answer in words).
    """
    if requests is None:
        requests = ds.requests
    if period == "main":
        period = main_period(ds, requests)
    elif period is not None:
        period = (str(period[0] or ""), str(period[1] or ""))
    unfriendly = ds.unfriendly_states
    gm = ds.group_members
    members: dict[str, set[str]] = {}
    for g, c in zip(gm["group_id"], gm["country"], strict=True):
        members.setdefault(str(g), set()).add(str(c))
    for g, c in zip(unfriendly["list_id"], unfriendly["country"], strict=True):
        members.setdefault(str(g), set()).add(str(c))
    groups = ds.groups
    group_names = dict(zip(groups["group_id"].astype(str), groups["name"].astype(str), strict=True))
    text_names = dict(
        zip(groups["group_id"].astype(str), groups["text_name"].astype(str), strict=True)
    )

    classed = _classed(requests)
    if period is not None:
        classed = classed[classed["period"] == period]
    direct: dict[str, list] = {}
    via_group: dict[str, dict[str, list]] = {}
    unplaced: list[tuple[str, str]] = []
    for row in classed.itertuples(index=False):
        cp = str(row.counterpart)
        item = (row.cls, str(row.measure), str(row.claim_id), str(row.source_id), row.period)
        if len(cp) == 2:
            direct.setdefault(cp, []).append(item)
        elif not pd.isna(row.status):
            if not members.get(cp):
                unplaced.append((text_names.get(cp, cp), ds.label("answer_class", row.cls)))
            for c in members.get(cp, ()):
                via_group.setdefault(c, {}).setdefault(cp, []).append(item)

    def latest(items: list) -> list:
        last = max(it[4][1] for it in items)
        return [it for it in items if it[4][1] == last]

    on_lists: dict[str, list[str]] = {}
    for g, c in zip(unfriendly["list_id"], unfriendly["country"], strict=True):
        on_lists.setdefault(str(c), []).append(str(g))

    rows = []
    for c in sorted(x.alpha_2 for x in pycountry.countries):
        if c == "BY":
            continue
        via = ""
        if c in direct:
            claims = latest(direct[c])
        elif c in via_group:
            by_group = {g: latest(items) for g, items in via_group[c].items()}
            newest = max(it[4][1] for items in by_group.values() for it in items)
            by_group = {g: v for g, v in by_group.items() if v[0][4][1] == newest}
            size = {g: len(members[g]) for g in by_group}
            smallest = min(size.values())
            chosen = sorted(g for g in size if size[g] == smallest)
            claims = [it for g in chosen for it in by_group[g]]
            via = "; ".join(chosen)
        else:
            claims = []
        cls = _decide(claims) if claims else "no_data"
        span = claims[0][4] if claims else ("", "")
        rows.append(
            {
                "country": c,
                "country_name": _name(c),
                "answer_class": cls,
                "answer": ds.label("answer_class", cls),
                "via": via,
                "via_name": "; ".join(group_names.get(g, g) for g in via.split("; ") if g),
                "claim_ids": list(dict.fromkeys(it[2] for it in claims)),
                "source_ids": list(dict.fromkeys(it[3] for it in claims)),
                "period_start": pd.Timestamp(span[0]) if span[0] else pd.NaT,
                "period_end": pd.Timestamp(span[1]) if span[1] else pd.NaT,
                "lists": sorted(set(on_lists.get(c, []))),
            }
        )
    out = pd.DataFrame(rows)
    out.attrs["period"] = period
    out.attrs["unplaced"] = list(dict.fromkeys(unplaced))
    return out


def other_period_answers(ds: Dataset, answers: pd.DataFrame) -> pd.DataFrame:
    """The claims stating an answer for another period than the map's.

    Parameters
    ----------
    ds
        The dataset.
    answers
        :func:`country_answers` for one period.

    Returns
    -------
    pandas.DataFrame
        Rows of ``ds.requests`` (Belarus' requests abroad, with an answer), oldest first,
        with ``answer`` (the class in words); empty when the map takes every period.
    """
    period = answers.attrs.get("period")
    classed = _classed(ds.requests)
    if period is None:
        return classed.iloc[0:0]
    other = classed[classed["period"] != period].sort_values(["period_end", "claim_id"])
    other = other.assign(answer=[ds.label("answer_class", c) for c in other["cls"]])
    return other.drop(columns=["cls", "period"])


@lru_cache(maxsize=4)
def _region_shapes(
    region: str,
) -> tuple[
    tuple[tuple[str, MPath], ...],
    dict[str, tuple[float, float]],
    tuple[tuple[str, float, float], ...],
]:
    """The states of a region, projected once per process.

    Returns the drawn shapes (code, path), where each drawn state's marks go (code:
    point) and the small states drawn as points (code, x, y).
    """
    proj = _projector(region)
    x0, x1, y0, y1 = _limits(region, proj)
    w, e, s, n = REGIONS[region]["box"]
    margin = 25.0 if region == "europe" else 0.0
    shapes: list[tuple[str, MPath]] = []
    drawn: dict[str, tuple[float, float]] = {}
    small: list[tuple[str, float, float]] = []
    for f in load_geometry():
        code = f["code"]
        if region == "world" and code == "AQ":
            continue
        px, py = proj(np.array([f["point"][0]]), np.array([f["point"][1]]))
        px, py = float(px[0]), float(py[0])
        if not f["polygons"]:
            if x0 <= px <= x1 and y0 <= py <= y1 and code:
                small.append((code, px, py))
                drawn[code] = (px, py)
            continue
        polys = []
        for p in f["polygons"]:
            lo = np.asarray(p[0], dtype=float)
            if (
                lo[:, 0].min() <= e + margin
                and lo[:, 0].max() >= w - margin
                and lo[:, 1].min() <= n + margin
                and lo[:, 1].max() >= s - margin
            ):
                polys.append(p)
        path = _path(polys, proj)
        if path is None:
            continue
        ext = path.get_extents()
        if ext.x1 < x0 or ext.x0 > x1 or ext.y1 < y0 or ext.y0 > y1:
            continue
        shapes.append((code, path))
        if code and x0 <= px <= x1 and y0 <= py <= y1:
            drawn[code] = (px, py)
        elif code:
            # A state whose label point is off the map (Russia's is in Siberia) counts
            # as drawn if a sizeable part of it is on the map; its marks go there.
            v = path.vertices[path.codes != MPath.CLOSEPOLY]
            v = v[(v[:, 0] >= x0) & (v[:, 0] <= x1) & (v[:, 1] >= y0) & (v[:, 1] <= y1)]
            if len(v) and np.ptp(v[:, 0]) * np.ptp(v[:, 1]) > 0.02 * (x1 - x0) * (y1 - y0):
                mid = ((v[:, 0].min() + x1) / 2, (v[:, 1].min() + v[:, 1].max()) / 2)
                if not path.contains_point(mid):
                    mid = (np.median(v[:, 0]), np.median(v[:, 1]))
                drawn[code] = (float(mid[0]), float(mid[1]))
    return tuple(shapes), drawn, tuple(small)


def _period_words(period: tuple[str, str]) -> str:
    """``"January 2023 to 20 June 2024"``, ``"to 1 January 2022"``."""
    from belarus_monitor.words.stories import span

    start, end = period
    text = span(start or None, end or None)
    return text.replace("between ", "").replace(" and ", " to ").replace("by ", "to ")


def _notes(answers: pd.DataFrame, ds: Dataset, outside: list[str]) -> list[str]:
    """The lines under the map: who said it, what lies outside the frame or any state."""
    notes = []
    ids = {i for ids in answers["claim_ids"] for i in ids}
    req = ds.requests
    claimants = list(dict.fromkeys(req.loc[req["claim_id"].isin(ids), "claimant"].astype(str)))
    if claimants:
        notes.append("As said by " + _join(claimants) + ".")
    cls_of = answers.set_index("country")["answer_class"].astype(str).to_dict()
    if outside:
        notes.append(
            "Answers of states beyond this map: "
            + _join(
                [
                    f"{_name(c)} ({ds.label('answer_class', cls_of[c])})"
                    for c in sorted(outside, key=_name)
                ]
            )
            + "."
        )
    for group, answer in answers.attrs.get("unplaced", []):
        notes.append(
            f"Said of {group}, without naming them: {answer}; no state is coloured from it."
        )
    notes.append("Map: Natural Earth (public domain).")
    return notes


def map_canvas(region: str, height_below: float) -> tuple[Figure, Any]:
    """A figure and borderless axes framing ``region``, ``height_below`` inches under it.

    The map is 8 inches wide; the space under it holds its legend and notes.
    """
    apply_theme()
    proj = _projector(region)
    x0, x1, y0, y1 = _limits(region, proj)
    height = 8.0 * (y1 - y0) / (x1 - x0) + 0.45 + height_below
    with matplotlib.rc_context({"axes.titley": 1.0}):  # no ticks to keep the title above
        fig = on_canvas(Figure(figsize=(8.0, height)))
        ax = fig.subplots()
    fig.subplots_adjust(left=0.01, right=0.99, top=1 - 0.45 / height, bottom=height_below / height)
    ax.set_facecolor(MAP_COLORS["sea"])
    ax.set_xlim(x0, x1)
    ax.set_ylim(y0, y1)
    ax.set_aspect("equal")
    ax.set_axis_off()
    return fig, ax


def draw_states(
    ax: Any,
    shapes: tuple[tuple[str, MPath], ...],
    fill: Any,
    hatched: Any,
    highlight: str | None = None,
) -> None:
    """The states in two draw calls: plain, and hatched (``hatched(code)`` true).

    ``fill(code)`` gives each state's colour; the highlighted state is outlined.
    """
    for hatch in (False, True):
        paths = [(code, path) for code, path in shapes if bool(hatched(code)) == hatch]
        if not paths:
            continue
        with matplotlib.rc_context({"hatch.color": "#ffffff", "hatch.linewidth": 1.1}):
            coll = PathCollection(
                [path for _, path in paths],
                facecolors=[fill(code) for code, _ in paths],
                edgecolors=MAP_COLORS["border"],
                linewidths=0.45,
                hatch=GROUP_HATCH if hatch else None,
                zorder=1,
            )
        ax.add_collection(coll, autolim=False)
    for code, path in shapes:
        if code and code == highlight:
            ax.add_patch(
                PathPatch(
                    path, facecolor="none", edgecolor=COLORS["accent"], linewidth=2.0, zorder=4
                )
            )


def legend_with_notes(
    fig: Figure, ax: Any, handles: list, notes: list[str], ncol: int, **legend: Any
) -> None:
    """A map's legend under it, its notes under the legend, the figure grown to hold both.

    ``finish`` then adds the source line below them.
    """
    import textwrap

    leg = ax.legend(
        handles=handles,
        loc="upper left",
        bbox_to_anchor=(0.0, -0.01),
        ncol=ncol,
        fontsize=8,
        frameon=False,
        borderaxespad=0.0,
        **legend,
    )
    renderer = fig.canvas.get_renderer()
    box = leg.get_window_extent(renderer).transformed(ax.transAxes.inverted())
    note = ax.text(
        0.0,
        box.y0 - 0.012,
        "\n".join(line for n in notes for line in textwrap.wrap(n, 118)),
        transform=ax.transAxes,
        ha="left",
        va="top",
        fontsize=7.6,
        color="#333333",
        linespacing=1.35,
        zorder=9,
    )
    # Grow the figure downwards until the legend and the notes fit in it.
    low = note.get_window_extent(renderer).y0 / fig.dpi
    if low < 0.05:
        grow = 0.05 - low
        h = fig.get_figheight()
        pos = ax.get_position()
        fig.set_figheight(h + grow)
        ax.set_position(
            [pos.x0, (pos.y0 * h + grow) / (h + grow), pos.width, pos.height * h / (h + grow)]
        )


def _join(names: list[str]) -> str:
    if len(names) <= 1:
        return "".join(names)
    return ", ".join(names[:-1]) + " and " + names[-1]


def answers_map(
    answers: pd.DataFrame,
    ds: Dataset,
    highlight: str | None = None,
    lists: list[str] | None = None,
    region: str = "europe",
    title: str | None = None,
    label_states: bool = True,
) -> Figure:
    """Draw the states coloured by their answer class, with list membership marked.

    Parameters
    ----------
    answers
        :func:`country_answers`.
    ds
        The dataset: its sources, words and names.
    highlight
        ISO alpha-2 code of a state to outline in the accent colour and name.
    lists
        'Unfriendly' list ids whose members get a dot (default: the official list of
        April 2022, ``["UNFRIENDLY_2022"]``; ``[]`` for none).
    region
        ``"europe"`` (about 25°W-45°E, 34°N-72°N) or ``"world"``.
    title
        The title above the map (default: how states answered, and the period of the
        answers drawn).
    label_states
        Name the states that have an answer class (Europe only; the highlighted state
        and Belarus are always named).

    Returns
    -------
    matplotlib.figure.Figure
        With ``alt`` (the map in words), ``source_ids`` and ``data`` (name, answer in
        words, group, sources of every state with an answer and the highlighted one).
    """
    sources = ds.sources
    from belarus_monitor.figures.toolkit import finish, sources_words

    if region not in REGIONS:
        raise ValueError(f"region must be one of {', '.join(REGIONS)}, not {region!r}")
    if lists is None:
        lists = ["UNFRIENDLY_2022"]
    unfriendly = ds.unfriendly_states
    highlight = ds.code(highlight) if highlight else None
    listed: dict[str, set[str]] = {
        lst: set(unfriendly.loc[unfriendly["list_id"] == lst, "country"].astype(str))
        for lst in lists
    }
    list_names = dict(
        zip(unfriendly["list_id"].astype(str), unfriendly["list_name"].astype(str), strict=True)
    )
    by_code = answers.set_index("country")
    cls_of = by_code["answer_class"].astype(str).to_dict()

    period = answers.attrs.get("period")
    if title is None:
        title = DEFAULT_TITLE
        if period:
            title = f"How states answered Belarus' requests, {_period_words(period)}"
    fig, ax = map_canvas(region, 1.45)
    proj = _projector(region)
    x0, x1, y0, y1 = _limits(region, proj)

    shapes, drawn0, small0 = _region_shapes(region)
    drawn = dict(drawn0)
    small = list(small0)
    via_of = by_code["via"].astype(str).to_dict()

    def by_group(code: str) -> bool:
        return bool(via_of.get(code)) and cls_of.get(code, "no_data") != "no_data"

    # One collection for the states named in the sources or without an answer, one,
    # hatched, for those known only through a group (two draw calls in all).
    draw_states(
        ax,
        shapes,
        lambda code: MAP_COLORS["belarus" if code == "BY" else cls_of.get(code, "no_data")],
        by_group,
        highlight,
    )
    for code, px, py in small:
        edge = COLORS["accent"] if code == highlight else "#666666"
        ax.scatter(
            [px],
            [py],
            s=34 if code == highlight else 22,
            color=MAP_COLORS[cls_of.get(code, "no_data")],
            edgecolors=edge,
            linewidths=1.6 if code == highlight else 0.6,
            zorder=5,
        )

    # List membership: a small dark dot (a second list gets a ring, a third a square).
    dot = 7 if region == "europe" else 3
    markers = [("o", dot, MAP_COLORS["marker"]), ("o", 5 * dot, "none"), ("s", 2 * dot, "none")]
    handles: list = []
    shown_classes = [
        c
        for c in CLASSES
        if any(cls_of.get(code, "no_data") == c for code in drawn if code != "BY")
    ]
    for c in shown_classes:
        handles.append(
            Patch(
                facecolor=MAP_COLORS[c],
                edgecolor="#bbbbbb",
                linewidth=0.4,
                label=ds.label("answer_class", c),
            )
        )
    if any(by_group(code) for code in drawn):
        with matplotlib.rc_context({"hatch.color": "#ffffff", "hatch.linewidth": 1.1}):
            handles.append(
                Patch(
                    facecolor="#9a9a9a",
                    edgecolor="#ffffff",
                    hatch=GROUP_HATCH,
                    label="hatched: said of a group, not by name",
                )
            )
    if "BY" in drawn:
        handles.append(Patch(facecolor=MAP_COLORS["belarus"], label="Belarus"))
    for i, lst in enumerate(lists):
        mk, size, face = markers[i % len(markers)]
        pts = [drawn[c] for c in sorted(listed[lst]) if c in drawn]
        if not pts:
            continue
        ax.scatter(
            [p[0] for p in pts],
            [p[1] for p in pts],
            marker=mk,
            s=size,
            facecolors=face,
            edgecolors=MAP_COLORS["marker"],
            linewidths=0.7,
            zorder=6,
            clip_on=True,
        )
        name = list_names.get(lst, lst).replace("'Unfriendly' states: ", "")
        handles.append(
            Line2D(
                [],
                [],
                marker=mk,
                linestyle="none",
                markersize=2.6 * (i + 1),
                markerfacecolor=face,
                markeredgecolor=MAP_COLORS["marker"],
                label=f"on the 'unfriendly' list ({name})",
            )
        )
    if small:
        handles.append(
            Line2D(
                [],
                [],
                marker="o",
                linestyle="none",
                markersize=6,
                markerfacecolor="white",
                markeredgecolor="#666666",
                label="small state (shown as a circle)",
            )
        )

    halo = [pe.withStroke(linewidth=2.2, foreground="white")]
    named = {"BY"} if "BY" in drawn and region == "europe" else set()
    if label_states and region == "europe":
        # States named by a claim of their own, or through a small group (the Baltic
        # states); the many states of one large group stay unnamed.
        via = by_code["via"].astype(str).to_dict()
        size = by_code["via"].astype(str).value_counts().to_dict()
        named |= {
            c
            for c in drawn
            if cls_of.get(c, "no_data") != "no_data"
            and (not via.get(c) or size.get(via[c], 0) <= 5)
        }
    if highlight in drawn:
        named.add(highlight)
    all_listed = set().union(*listed.values()) if listed else set()
    for code in sorted(named):
        px, py = drawn[code]
        if not (x0 <= px <= x1 and y0 <= py <= y1):
            continue
        below = code in all_listed or code in {c for c, *_ in small}
        offset = (0, -3) if below else (0, 0)
        va = "top" if below else "center"
        if code == "BY":
            style = dict(fontsize=7.5, color="white", fontweight="bold")
            offset, va = (0, 0), "center"
        elif code == highlight:
            style = dict(
                fontsize=9.5,
                fontweight="bold",
                color=COLORS["accent"],
                path_effects=[pe.withStroke(linewidth=3, foreground="white")],
            )
        else:
            style = dict(fontsize=7, color="#222222", path_effects=halo)
        ax.annotate(
            _name(code),
            (px, py),
            xytext=offset,
            textcoords="offset points",
            ha="center",
            va=va,
            zorder=8 if code == highlight else 7,
            annotation_clip=True,
            **style,
        )

    outside = [
        c for c in answers.loc[answers["answer_class"] != "no_data", "country"] if c not in drawn
    ]
    notes = _notes(answers, ds, outside)
    legend_with_notes(fig, ax, handles, notes, ncol=3, handlelength=1.4, columnspacing=1.2)
    ax.set_title(title)

    # Alt text (short: the states one by one are in the data) and data.
    where = "Europe" if region == "europe" else "the world"
    visible = answers[answers["country"].isin(list(drawn)) & (answers["answer_class"] != "no_data")]
    named = visible[visible["via"] == ""]["answer_class"].value_counts()
    named_counts = [f"{named[c]} {ds.label('answer_class', c)}" for c in CLASSES if c in named]
    alt = f"Map of {where}: {title[0].lower() + title[1:]}."
    if named_counts:
        alt += " Named: " + ", ".join(named_counts) + "."
    hatched = visible[visible["via"] != ""]
    if len(hatched):
        text_names = dict(
            zip(ds.groups["group_id"].astype(str), ds.groups["text_name"].astype(str), strict=True)
        )
        alt += (
            " Hatched, said of a group: "
            + ", ".join(
                f"{len(sub)} {ds.label('answer_class', c)} "
                f"({'; '.join(text_names.get(g, g) for g in v.split('; '))})"
                for (c, v), sub in hatched.groupby(["answer_class", "via"], sort=True)
            )
            + "."
        )
    if highlight:
        alt += f" Outlined: {_name(highlight)}."

    keep = answers[(answers["answer_class"] != "no_data") | (answers["country"] == highlight)]
    data = pd.DataFrame(
        {
            "country": keep["country_name"],
            "answer": keep["answer"],
            "said of the group": keep["via_name"],
            "period": [
                "" if pd.isna(e) else _period_words(_period_key(s0, e))
                for s0, e in zip(keep["period_start"], keep["period_end"], strict=True)
            ],
            "on this map": ["yes" if c in drawn else "no" for c in keep["country"]],
            "sources": [sources_words(ids, sources) for ids in keep["source_ids"]],
        }
    ).reset_index(drop=True)
    source_ids = [
        s for ids in visible.loc[visible["answer_class"] != "no_data", "source_ids"] for s in ids
    ]
    if highlight is not None and highlight not in drawn:
        source_ids += (
            list(by_code.loc[highlight, "source_ids"]) if highlight in by_code.index else []
        )
    for lst in lists:
        source_ids += list(unfriendly.loc[unfriendly["list_id"] == lst, "source_id"].astype(str))
    fig = finish(fig, source_ids, sources, alt)
    fig.data = data  # type: ignore[attr-defined]
    return fig
