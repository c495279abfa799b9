"""Charts in the project's one style, each with a source line and alt text.

Every function returns a matplotlib Figure whose ``alt`` text (an attribute set by
:func:`finish`) describes the figures shown in words, built from the same data; show
it in a notebook with :func:`show`, which embeds a PNG with that alt text.
Qualitative claims are never drawn as numbers: they belong in tables.
"""

from __future__ import annotations

import io
from collections.abc import Iterable

import matplotlib

matplotlib.use("Agg")
import matplotlib.dates as mdates  # noqa: E402
import matplotlib.pyplot as plt  # noqa: E402
import pandas as pd  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402
from matplotlib.ticker import MaxNLocator  # noqa: E402

from .countries import country_name  # noqa: E402
from .theme import (  # noqa: E402
    COLORS,
    QUALIFIER_FILLED,
    SOURCE_FONTSIZE,
    apply_theme,
    estimator_style,
    qualified,
)

MEASURE_LABEL = {"sent": "sent", "received": "received", "fulfilled": "fulfilled",
                 "granted": "granted", "rejected": "rejected", "refused": "refused",
                 "pending": "pending", "extradited": "extradited",
                 "states_addressed": "states addressed"}
CASE_LABEL = {"all": "all requests", "genocide": "'genocide' case",
              "ordinary_criminal": "ordinary criminal", "extradition": "extradition"}


def source_line(source_ids: Iterable[str], sources: pd.DataFrame) -> str:
    """``"Sources: Pozirk, 2024-06-25; ..."`` for the given source ids, in order."""
    idx = sources.set_index("source_id")
    parts = []
    for sid in dict.fromkeys(source_ids):
        if sid not in idx.index:
            parts.append(str(sid))
            continue
        s = idx.loc[sid]
        date = "" if pd.isna(s["published"]) else f", {s['published']:%Y-%m-%d}"
        parts.append(f"{s['publisher']}{date}")
    label = "Source" if len(parts) == 1 else "Sources"
    return f"{label}: " + "; ".join(parts) + ". Belarus Monitor."


def finish(fig: Figure, source_ids: Iterable[str], sources: pd.DataFrame,
           alt: str) -> Figure:
    """Add the source line under the chart and attach the alt text."""
    import textwrap

    source_ids = [str(x) for x in source_ids]
    text = "\n".join(textwrap.wrap(source_line(source_ids, sources), 130))
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    inv = fig.transFigure.inverted()
    bottom = min(ax.get_tightbbox(renderer).transformed(inv).y0 for ax in fig.axes)
    left = min(ax.get_tightbbox(renderer).transformed(inv).x0 for ax in fig.axes)
    fig.text(max(left, 0.0), bottom - 0.02, text, ha="left", va="top",
             fontsize=SOURCE_FONTSIZE, color="#555555", transform=fig.transFigure)
    fig.alt = alt  # type: ignore[attr-defined]
    fig.source_ids = list(dict.fromkeys(source_ids))  # type: ignore[attr-defined]
    return fig


def to_png(fig: Figure) -> bytes:
    """Render a figure to PNG bytes (stable for the same figure and versions)."""
    buf = io.BytesIO()
    fig.savefig(buf, format="png", metadata={"Software": None})
    return buf.getvalue()


def show(fig: Figure) -> None:
    """Display a figure in a notebook as a PNG with its alt text, then close it."""
    from IPython.display import Image, display

    alt = getattr(fig, "alt", None) or "Chart"
    display(Image(data=to_png(fig), format="png"), metadata={"image/png": {"alt": alt}})
    plt.close(fig)


def time_axis(ax) -> None:
    """A true time axis: ticks where they make sense for the span, concise labels.

    A span of months gets month ticks with the year written once, not the year
    repeated under every tick.
    """
    locator = mdates.AutoDateLocator(minticks=3, maxticks=8)
    ax.xaxis.set_major_locator(locator)
    ax.xaxis.set_major_formatter(mdates.ConciseDateFormatter(locator))


def _new(figsize: tuple[float, float] | None = None):
    apply_theme()
    fig, ax = plt.subplots(figsize=figsize)
    return fig, ax


def sent_vs_fulfilled(rates: pd.DataFrame, sources: pd.DataFrame,
                      title: str = "Requests sent and fulfilled") -> Figure:
    """Grouped bars of sent and fulfilled counts, one pair per row of ``rates``.

    Parameters
    ----------
    rates
        Rows of :func:`belarus_monitor.fulfilment_rates` (outgoing).
    sources
        The sources table, for the source line.
    """
    fig, ax = _new((8.0, 1.2 + 1.0 * len(rates)))
    labels = [f"{r.counterpart_name}\n{CASE_LABEL.get(r.case_type, r.case_type)}"
              for r in rates.itertuples()]
    y = range(len(rates))
    ax.barh([i + 0.2 for i in y], rates["denominator"], height=0.38,
            color=COLORS["primary"], label="sent")
    ax.barh([i - 0.2 for i in y], rates["numerator"], height=0.38,
            color=COLORS["secondary"], label="fulfilled")
    for i, r in enumerate(rates.itertuples()):
        ax.text(r.denominator, i + 0.2, f" {r.denominator:,}", va="center", fontsize=9)
        ax.text(r.numerator, i - 0.2, f" {r.numerator:,} ({r.rate:.1%})", va="center",
                fontsize=9)
    ax.set_yticks(list(y), labels)
    ax.invert_yaxis()
    ax.set_xlabel("requests")
    ax.set_xlim(0, rates["denominator"].max() * 1.2)
    ax.set_title(title)
    ax.legend(loc="lower right")
    parts = [f"{r.counterpart_name}, {CASE_LABEL.get(r.case_type, r.case_type)}: "
             f"{r.numerator:,} of {r.denominator:,} fulfilled ({r.rate:.1%})"
             for r in rates.itertuples()]
    alt = f"Bar chart. {title}. " + "; ".join(parts) + "."
    return finish(fig, rates["source_id"], sources, alt)


def counterpart_figures(claims: pd.DataFrame, sources: pd.DataFrame,
                        highlight: str | None = None,
                        title: str = "What the data says, counterpart by counterpart"
                        ) -> Figure:
    """Horizontal bars of every count claimed for single countries.

    Qualified figures ("about 24", "more than 100") are drawn hatched and labelled
    with their qualifier. Rows without a count are left out: show them as a table.

    Parameters
    ----------
    claims
        Rows of the requests table.
    sources
        The sources table.
    highlight
        Country code whose bars are drawn in the accent colour.
    """
    df = claims[claims["value"].notna() & (claims["counterpart"].str.len() == 2)].copy()
    df["label"] = [f"{country_name(r.counterpart)}: {MEASURE_LABEL[r.measure]}"
                   f" ({CASE_LABEL[r.case_type]}, {r.direction})"
                   for r in df.itertuples()]
    df = df.sort_values(["counterpart", "direction", "case_type", "measure"])
    fig, ax = _new((8.0, 1.4 + 0.42 * max(len(df), 1)))
    for i, r in enumerate(df.itertuples()):
        color = COLORS["accent"] if highlight and r.counterpart == highlight \
            else COLORS["primary"]
        exact = QUALIFIER_FILLED.get(str(r.qualifier), True)
        ax.barh(i, int(r.value), color=color if exact else "white", edgecolor=color,
                hatch=None if exact else "///", height=0.6)
        ax.text(int(r.value), i, "  " + qualified(int(r.value), str(r.qualifier)),
                va="center", fontsize=9)
    ax.set_yticks(range(len(df)), df["label"])
    ax.invert_yaxis()
    ax.set_xlim(0, (df["value"].max() if len(df) else 1) * 1.35)
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_xlabel("requests (hatched: not an exact figure)")
    ax.set_title(title)
    alt = f"Bar chart. {title}. " + "; ".join(
        f"{lbl}: {qualified(int(v), str(q))}"
        for lbl, v, q in zip(df["label"], df["value"], df["qualifier"], strict=True)) + "."
    return finish(fig, df["source_id"], sources, alt)


def prisoners_over_time(series: pd.DataFrame, sources: pd.DataFrame,
                        main_estimator: str = "Viasna",
                        title: str = "Political prisoners in Belarus") -> Figure:
    """Line of the main estimator's series, points for every other estimate.

    Hollow markers are figures given as "at least" or "about". Where one estimator
    gives two figures for the same date, both are drawn and the date is marked.

    Parameters
    ----------
    series
        Rows of :func:`belarus_monitor.prisoners_series`.
    sources
        The sources table.
    main_estimator
        The estimator drawn as a line.
    """
    fig, ax = _new((8.5, 4.6))
    others = [e for e in dict.fromkeys(series["estimator"]) if e != main_estimator]
    main = series[series["estimator"] == main_estimator]
    if len(main):
        ax.plot(main["date"], main["count"].astype(int),
                color=estimator_style(main_estimator)[0], lw=1.6, label=main_estimator,
                zorder=2)
    for est in [main_estimator] + others:
        sub = series[series["estimator"] == est]
        color, marker = estimator_style(est)   # fixed per estimator, whatever is shown
        for r in sub.itertuples():
            filled = QUALIFIER_FILLED.get(str(r.qualifier), True)
            ax.scatter(r.date, int(r.count), marker=marker, s=36,
                       facecolor=color if filled else "white", edgecolor=color,
                       linewidth=1.4, zorder=3,
                       label=None if (est == main_estimator or r.Index != sub.index[0])
                       else est)
    conflicts = series.groupby(["estimator", "date"]).filter(lambda g: len(g) > 1)
    for (est, date), g in conflicts.groupby(["estimator", "date"]):
        vals = " / ".join(f"{int(v):,}" for v in g["count"])
        ax.annotate(f"{est}, {date:%d %b %Y}:\n{vals}", (date, int(g["count"].max())),
                    xytext=(-90, 28), textcoords="offset points", fontsize=8,
                    arrowprops={"arrowstyle": "-", "color": "#555555"})
    ax.scatter([], [], marker="o", facecolor="white", edgecolor="#555555",
               label="'at least' / 'about'")
    ax.set_ylabel("political prisoners")
    ax.set_ylim(bottom=0)
    time_axis(ax)
    ax.yaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_title(title)
    ax.legend(loc="upper left", bbox_to_anchor=(0.0, -0.1), ncols=2)
    parts = []
    if len(main):
        peak = main.loc[main["count"].astype(int).idxmax()]
        parts.append(
            f"{main_estimator}: {len(main)} counts from {int(main['count'].iloc[0]):,} "
            f"({main['date'].iloc[0]:%Y-%m-%d}) to {int(main['count'].iloc[-1]):,} "
            f"({main['date'].iloc[-1]:%Y-%m-%d}), highest {int(peak['count']):,} "
            f"({peak['date']:%Y-%m-%d})")
    for est in others:
        sub = series[series["estimator"] == est]
        parts.append(f"{est}: " + ", ".join(
            f"{qualified(int(r.count), str(r.qualifier))} ({r.date:%Y-%m-%d})"
            for r in sub.itertuples()))
    for (est, date), g in conflicts.groupby(["estimator", "date"]):
        parts.append(f"{est} gives two figures for {date:%Y-%m-%d}: "
                     + " and ".join(f"{int(v):,}" for v in g["count"]))
    alt = f"Line chart. {title}. " + "; ".join(parts) + "."
    return finish(fig, series["source_id"], sources, alt)


def list_membership(unfriendly: pd.DataFrame, lists: list[str], sources: pd.DataFrame,
                    highlight: str | None = None,
                    title: str = "Who is on which 'unfriendly' list") -> Figure:
    """Dot matrix: one row per country, one column per list; differences in colour."""
    names = dict(zip(unfriendly["country"], unfriendly["country_name"], strict=False))
    countries = sorted(set(unfriendly.loc[unfriendly["list_id"].isin(lists), "country"]),
                       key=lambda c: names[c])
    member = {(c, lst) for c, lst in zip(unfriendly["country"], unfriendly["list_id"],
                                         strict=True)}
    fig, ax = _new((5.6, 0.8 + 0.2 * len(countries)))
    for i, c in enumerate(countries):
        on = [lst for lst in lists if (c, lst) in member]
        differs = len(on) != len(lists)
        for j, lst in enumerate(lists):
            if (c, lst) in member:
                color = COLORS["accent"] if differs else (
                    COLORS["positive"] if c == highlight else COLORS["primary"])
                ax.scatter(j, i, s=40, color=color)
    ax.set_yticks(range(len(countries)),
                  [f"{names[c]} ({c})" + (" ◀" if c == highlight else "")
                   for c in countries], fontsize=7.5)
    list_names = unfriendly.drop_duplicates("list_id").set_index("list_id")["list_name"]
    ax.set_xticks(range(len(lists)), [str(list_names[lst]).split(": ")[-1]
                                      for lst in lists], fontsize=8, rotation=0, wrap=True)
    ax.set_xlim(-0.6, len(lists) - 0.4)
    ax.invert_yaxis()
    ax.grid(axis="x", visible=False)
    ax.set_title(title)
    diffs = [c for c in countries
             if len([lst for lst in lists if (c, lst) in member]) != len(lists)]
    alt = (f"Dot matrix. {title}: {len(countries)} countries on {len(lists)} lists. "
           + "; ".join(f"{list_names[lst]}: "
                       f"{sum((c, lst) in member for c in countries)} countries"
                       for lst in lists)
           + ". On one list only: "
           + (", ".join(f"{names[c]} ({', '.join(str(lst) for lst in lists if (c, lst) in member)})"
                        for c in diffs) or "none") + ".")
    src = unfriendly.loc[unfriendly["list_id"].isin(lists), "source_id"]
    return finish(fig, src, sources, alt)


def sanctions_timeline(regimes: pd.DataFrame, sources: pd.DataFrame,
                       highlight: Iterable[str] = (),
                       title: str = "Sanctions regimes against Belarus") -> Figure:
    """Timeline of sanctions acts, one row per jurisdiction (filled: first act)."""
    highlight = set(highlight)
    df = regimes.sort_values("date")
    juris = list(dict.fromkeys(df["jurisdiction_name"]))
    fig, ax = _new((8.5, 1.2 + 0.5 * len(juris)))
    for r in df.itertuples():
        y = juris.index(r.jurisdiction_name)
        color = COLORS["accent"] if r.jurisdiction in highlight else COLORS["primary"]
        first = r.role == "first"
        ax.scatter(r.date, y, s=60, facecolor=color if first else "white",
                   edgecolor=color, linewidth=1.5, zorder=3)
        ax.annotate(f"{r.date:%Y-%m-%d} ({r.date_kind})", (r.date, y), xytext=(6, 6),
                    textcoords="offset points", fontsize=7.5)
    ax.set_yticks(range(len(juris)), juris)
    ax.invert_yaxis()
    ax.set_ylim(len(juris) - 0.4, -0.7)
    ax.xaxis.set_major_locator(mdates.YearLocator(2))
    ax.xaxis.set_major_formatter(mdates.DateFormatter("%Y"))
    lo, hi = df["date"].min(), df["date"].max()
    ax.set_xlim(lo - pd.Timedelta(days=300), hi + pd.Timedelta(days=900))
    ax.set_title(title)
    ax.scatter([], [], facecolor=COLORS["primary"], edgecolor=COLORS["primary"],
               label="first act")
    ax.scatter([], [], facecolor="white", edgecolor=COLORS["primary"], label="expansion")
    ax.legend(loc="lower left")
    alt = f"Timeline. {title}. " + "; ".join(
        f"{r.jurisdiction_name}: {r.legal_act}, {r.date_kind} {r.date:%Y-%m-%d}"
        + (" (expansion)" if r.role == "expansion" else "") for r in df.itertuples()) + "."
    return finish(fig, df["source_id"], sources, alt)


def releases_chart(releases: pd.DataFrame, sources: pd.DataFrame,
                   title: str = "Announced releases and pardons (single events)"
                   ) -> Figure:
    """Bars of people released or pardoned per event lasting at most a month.

    Rows that are a part of another (``part_of``) are not added again. Longer
    periods (whole-year totals) are left to a table.
    """
    df = releases[releases["part_of"].isna()].copy()
    df = df[(df["date_to"] - df["date_from"]).dt.days <= 31]
    ev = df.groupby("event_id").agg(date=("date_from", "min"), count=("count", "sum"),
                                    measure=("measure", "first"),
                                    source_id=("source_id", "first")).sort_values("date")
    fig, ax = _new((8.0, 3.8))
    colors = [COLORS["primary"] if m == "released" else COLORS["secondary"]
              for m in ev["measure"]]
    labels = [f"{d:%d %b %Y}" if (releases.loc[releases["event_id"] == e, "date_to"].max()
                                  == d) else f"{d:%b %Y}"
              for e, d in zip(ev.index, ev["date"], strict=True)]
    ax.bar(range(len(ev)), ev["count"].astype(int), color=colors)
    for i, v in enumerate(ev["count"].astype(int)):
        ax.text(i, v, f"{v:,}", ha="center", va="bottom", fontsize=9)
    ax.set_xticks(range(len(ev)), labels, fontsize=8)
    ax.set_ylabel("people")
    ax.set_title(title)
    ax.bar([0], [0], color=COLORS["primary"], label="released")
    ax.bar([0], [0], color=COLORS["secondary"], label="pardoned")
    ax.legend(loc="upper left")
    alt = f"Bar chart. {title}. " + "; ".join(
        f"{lbl}: {int(c):,} {m}" for lbl, c, m in zip(labels, ev["count"], ev["measure"],
                                                        strict=True)) + "."
    return finish(fig, ev["source_id"], sources, alt)
