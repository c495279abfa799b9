"""Charts in the project's one style, each with a source line, alt text and its data.

Every function returns a matplotlib Figure with three attributes set by :func:`finish`:
``alt`` (what the chart shows, in words, built from the same data), ``source_ids`` and
``data`` (a DataFrame of exactly what is drawn, with readable column names, to write as
CSV under the chart). Show a figure in a notebook with :func:`show`, which embeds a PNG
with that alt text.

Rules every chart keeps: one measure per axis (different measures or directions get
their own panels, each titled in words); dates on a true time axis; words from
``data/vocabulary.csv`` and group names from ``data/groups.csv``, never codes; every
colour and marker explained in a legend. :func:`text_problems` checks a drawn figure
for text that overlaps other text or leaves the figure.
"""

from __future__ import annotations

import io
import textwrap
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any

import matplotlib
import matplotlib.dates as mdates  # noqa: E402
import matplotlib.pyplot as plt  # noqa: E402
import pandas as pd  # noqa: E402
from matplotlib.axes import Axes  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402
from matplotlib.lines import Line2D  # noqa: E402
from matplotlib.patches import Patch  # noqa: E402
from matplotlib.text import Text  # noqa: E402

from .canvas import Canvas, on_canvas  # noqa: E402

if TYPE_CHECKING:
    from .dataset import Dataset
from .stories import plural  # noqa: E402
from .theme import (  # noqa: E402
    CASE_EVENT_STYLE,
    COLORS,
    QUALIFIER_FILLED,
    RELEASE_STYLE,
    SOURCE_FONTSIZE,
    apply_theme,
    estimator_style,
    qualified,
)

#: Kept for callers of earlier versions; the words now come from the vocabulary.
MEASURE_LABEL = {
    "sent": "sent",
    "received": "received",
    "fulfilled": "fulfilled",
    "granted": "granted",
    "rejected": "rejected",
    "refused": "refused",
    "pending": "pending",
    "extradited": "people extradited",
    "states_addressed": "states addressed",
}
CASE_LABEL = {
    "all": "all requests",
    "genocide": "'genocide' case",
    "ordinary_criminal": "ordinary criminal cases",
    "extradition": "extradition",
    "international_search": "international search",
}
_GREY = "#555555"


# --------------------------------------------------------------------------- words


def _highlighted(ds: Dataset, highlight: object) -> Any:
    """``highlight`` as codes of ``ds``: a country given by code or name, any case."""
    if highlight is None or (isinstance(highlight, str) and not highlight):
        return highlight
    if isinstance(highlight, str):
        return ds.code(highlight)
    return [ds.code(h) for h in highlight]


def _qualified(value: object, qualifier: object) -> str:
    q = None if pd.isna(qualifier) else str(qualifier)
    return qualified(int(value), q)


def _is_exact(qualifier: object) -> bool:
    return pd.isna(qualifier) or QUALIFIER_FILLED.get(str(qualifier), True)


def _day(d: object) -> str:
    return "date not given" if pd.isna(d) else f"{pd.Timestamp(d):%-d %B %Y}"


# --------------------------------------------------------------------------- layout


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
    if not parts:
        return "Belarus Monitor."
    label = "Source" if len(parts) == 1 else "Sources"
    return f"{label}: " + "; ".join(parts) + ". Belarus Monitor."


def _new(
    figsize: tuple[float, float] | None = None,
    nrows: int = 1,
    ncols: int = 1,
    title_over_ticks: bool = False,
    **kwargs,
):
    """A figure in the project's style with a constrained layout.

    Titles sit on the top edge of their panel. Matplotlib would otherwise measure
    every tick label at each draw to see whether a title must move up, which only a
    panel with its labels on top needs: it asks for ``title_over_ticks``.
    """
    apply_theme()
    kwargs.setdefault("squeeze", True)
    with matplotlib.rc_context({"axes.titley": None if title_over_ticks else 1.0}):
        # A figure of its own, not pyplot's: drawing never touches the user's backend.
        fig = Figure(figsize=figsize, layout="constrained")
        ax = fig.subplots(nrows, ncols, **kwargs)
    return on_canvas(fig), ax


def date_axis(ax: Axes, minticks: int = 3, maxticks: int = 7) -> None:
    """Make the x axis of ``ax`` a time axis with concise date labels.

    Years are written once (the formatter's offset); short ranges show months or days.
    """
    locator = mdates.AutoDateLocator(minticks=minticks, maxticks=maxticks)
    ax.xaxis.set_major_locator(locator)
    ax.xaxis.set_major_formatter(_DateFormatter(locator, show_offset=True))


class _DateFormatter(mdates.ConciseDateFormatter):
    """Concise date labels whose first label always says its year.

    With no offset (a range over several years), a first label "Sep" before "2025"
    would leave the reader to guess the year; it becomes "Sep 2024".
    """

    def format_ticks(self, values):  # noqa: D102
        labels = list(super().format_ticks(values))
        if labels and not self.get_offset():
            import re

            first = labels[0]
            if not re.search(r"\d{4}", first):
                year = mdates.num2date(values[0]).year
                labels[0] = f"{first} {year}"
        return labels


def _count_axis(ax: Axes, axis: str = "y") -> None:
    """Integer counts with thousands separators ("5,000")."""
    from matplotlib.ticker import MaxNLocator, StrMethodFormatter

    target = ax.yaxis if axis == "y" else ax.xaxis
    target.set_major_locator(MaxNLocator(nbins="auto", integer=True))
    target.set_major_formatter(StrMethodFormatter("{x:,.0f}"))


_NOTE_BOX = {"boxstyle": "square,pad=0.1", "facecolor": "white", "alpha": 0.85, "edgecolor": "none"}


def _pad_dates(
    ax: Axes, dates: Sequence[pd.Timestamp], left: float = 0.05, right: float = 0.05
) -> None:
    ds = [pd.Timestamp(d) for d in dates if not pd.isna(d)]
    if not ds:
        return
    lo, hi = min(ds), max(ds)
    span = max(hi - lo, pd.Timedelta(days=60))
    ax.set_xlim(lo - span * left, hi + span * right)


#: The longest label a chart draws (ticks, legend entries), and the longest line of any
#: other text; longer text from the data is cut with an ellipsis (whole in the CSV).
LABEL_CHARS = 80
LINE_CHARS = 120


def short(text: str, limit: int) -> str:
    """Each line of ``text`` cut to ``limit`` characters, an ellipsis marking the cut."""
    return "\n".join(
        line if len(line) <= limit else line[: limit - 1].rstrip() + "…"
        for line in text.split("\n")
    )


def shorten_texts(fig: Figure) -> int:
    """Cut over-long text in a figure: labels to :data:`LABEL_CHARS`, lines to :data:`LINE_CHARS`.

    A name of thousands of characters is valid data; drawn whole it would fill the
    chart. The figure's data (``fig.data``, the CSV) keeps it whole.

    Returns
    -------
    int
        How many texts were cut.
    """
    from matplotlib.ticker import FixedFormatter, FuncFormatter

    cut = 0

    def fix(t: Text, limit: int) -> None:
        nonlocal cut
        text = t.get_text()
        new = short(text, limit)
        if new != text:
            t.set_text(new)
            cut += 1

    for ax in fig.axes:
        for axis in (ax.xaxis, ax.yaxis):
            fmt = axis.get_major_formatter()
            if isinstance(fmt, FixedFormatter):
                seq = [short(str(x), LABEL_CHARS) for x in fmt.seq]
                cut += sum(a != b for a, b in zip(seq, fmt.seq, strict=True))
                fmt.seq = seq
            elif isinstance(fmt, FuncFormatter):  # labels given as a list (set_ticks)
                func = fmt.func
                fmt.func = lambda x, pos=None, f=func: short(str(f(x, pos)), LABEL_CHARS)
            for t in axis.get_ticklabels():
                fix(t, LABEL_CHARS)
            fix(axis.label, LINE_CHARS)
        legend = ax.get_legend()
        for t in legend.get_texts() if legend else ():
            fix(t, LABEL_CHARS)
        for t in [ax.title, ax._left_title, ax._right_title, *ax.texts]:
            fix(t, LINE_CHARS)
    for leg in fig.legends:
        for t in leg.get_texts():
            fix(t, LABEL_CHARS)
        if leg.get_title():
            fix(leg.get_title(), LINE_CHARS)
    for t in fig.texts:
        fix(t, LINE_CHARS)
    if fig._suptitle is not None:
        fix(fig._suptitle, LINE_CHARS)
    return cut


def finish(
    fig: Figure,
    source_ids: Iterable[str],
    sources: pd.DataFrame,
    alt: str,
    data: pd.DataFrame | None = None,
) -> Figure:
    """Add the source line under the chart and attach alt text, sources and data.

    The layout makes room for the source line inside the figure, then is frozen, so
    that the figure saved (also with ``bbox_inches="tight"``) is the figure checked by
    :func:`text_problems`.

    Parameters
    ----------
    fig
        The drawn chart.
    source_ids
        The sources of what is drawn, in order.
    sources
        The sources table.
    alt
        What the chart shows, in words.
    data
        Exactly the data drawn, with readable column names (set as ``fig.data``).

    Returns
    -------
    Figure
        The same figure, with ``alt``, ``source_ids`` and ``data`` attributes.
    """
    source_ids = [str(x) for x in source_ids if not pd.isna(x)]
    shorten_texts(fig)
    width_pt = fig.get_figwidth() * 72 - 16
    chars = max(40, int(width_pt / (SOURCE_FONTSIZE * 0.56)))
    text = "\n".join(textwrap.wrap(source_line(source_ids, sources), chars))
    if fig.get_layout_engine() is not None:
        # Lay the figure out (a draw that renders nothing), then keep it so. A figure
        # placed by hand (the maps) is measured below as it stands.
        fig.draw_without_rendering()
        fig.set_layout_engine("none")
    W, H = fig.get_figwidth(), fig.get_figheight()
    t = fig.text(
        8 / 72 / W,
        0.0,
        text,
        ha="left",
        va="bottom",
        fontsize=SOURCE_FONTSIZE,
        color=_GREY,
        transform=fig.transFigure,
    )
    renderer = fig.canvas.get_renderer()
    inv = fig.dpi_scale_trans.inverted()
    th = t.get_window_extent(renderer).transformed(inv).height
    # Lowest drawn thing (axes with their labels, legends): the source line goes under it.
    lows = [ax.get_tightbbox(renderer).transformed(inv).y0 for ax in fig.axes if ax.get_visible()]
    lows += [leg.get_window_extent(renderer).transformed(inv).y0 for leg in fig.legends]
    low = max(0.0, min(lows)) if lows else 0.0
    pad = 6 / 72
    dh = max(0.0, th + 2 * pad - low)
    legend_boxes = [leg.get_window_extent(renderer).transformed(inv) for leg in fig.legends]
    if dh > 0:
        new_h = H + dh
        for ax in fig.axes:
            pos = ax.get_position()
            ax.set_position([pos.x0, (pos.y0 * H + dh) / new_h, pos.width, pos.height * H / new_h])
        for other in fig.texts:
            if other is not t:
                x, y = other.get_position()
                other.set_position((x, (y * H + dh) / new_h))
        fig.set_figheight(new_h)
        for leg, bb in zip(fig.legends, legend_boxes, strict=True):
            leg.set_loc("lower left")
            leg.set_bbox_to_anchor((bb.x0 / W, (bb.y0 + dh) / new_h), transform=fig.transFigure)
            leg.borderaxespad = 0.0
    t.set_position((8 / 72 / W, pad / fig.get_figheight()))
    fig.alt = alt  # type: ignore[attr-defined]
    fig.source_ids = list(dict.fromkeys(source_ids))  # type: ignore[attr-defined]
    fig.data = (
        data.reset_index(drop=True)
        if data is not None  # type: ignore[attr-defined]
        else pd.DataFrame()
    )
    return fig


def _text_box(t: Text, renderer):
    """The box of a text's letters (an annotation's arrow left out)."""
    if hasattr(t, "update_positions"):
        t.update_positions(renderer)
    return Text.get_window_extent(t, renderer)


def _visible_texts(fig: Figure) -> list[tuple[str, Text]]:
    """Every text drawn on the figure, with a short description of where it is."""
    out: list[tuple[str, Text]] = []
    for t in fig.texts:
        out.append(("figure text", t))
    for leg in fig.legends:
        out += [("legend", t) for t in leg.get_texts()] + [("legend title", leg.get_title())]
    for i, ax in enumerate(fig.axes):
        if not ax.get_visible():
            continue
        where = f"panel {i + 1}"
        for t in (ax.title, ax._left_title, ax._right_title):  # noqa: SLF001
            out.append((f"{where} title", t))
        for t in ax.texts:
            out.append((f"{where} text", t))
        leg = ax.get_legend()
        if leg is not None and leg.get_visible():
            out += [(f"{where} legend", t) for t in leg.get_texts()]
            out.append((f"{where} legend title", leg.get_title()))
        if not ax.axison:
            continue
        out.append((f"{where} x label", ax.xaxis.label))
        out.append((f"{where} y label", ax.yaxis.label))
        out.append((f"{where} x offset", ax.xaxis.get_offset_text()))
        out.append((f"{where} y offset", ax.yaxis.get_offset_text()))
        lo, hi = sorted(ax.get_xlim())
        for t in ax.get_xticklabels():
            if lo - 1e-9 <= t.get_position()[0] <= hi + 1e-9:
                out.append((f"{where} x tick", t))
        lo, hi = sorted(ax.get_ylim())
        for t in ax.get_yticklabels():
            if lo - 1e-9 <= t.get_position()[1] <= hi + 1e-9:
                out.append((f"{where} y tick", t))
    return [
        (w, t) for w, t in out if t.get_visible() and t.get_text().strip() and t.get_alpha() != 0
    ]


def all_text(fig: Figure) -> list[str]:
    """Every visible text of a drawn figure (titles, ticks, legends, notes...)."""
    fig.canvas.draw()
    return [t.get_text() for _, t in _visible_texts(fig)]


def text_problems(fig: Figure, tolerance: float = 1.0) -> list[str]:
    """Texts of a figure that overlap one another or leave the figure.

    Draws the figure, then compares the bounding boxes of every visible text (titles,
    axis labels, tick labels, annotations, legend texts, the source line) with the
    figure's bounds and with each other.

    Parameters
    ----------
    fig
        A chart of this module (or any matplotlib figure).
    tolerance
        Pixels two boxes may share, or a box may pass the edge, before it counts.

    Returns
    -------
    list of str
        One line per problem; empty when the text is clean.
    """
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    W, H = fig.bbox.width, fig.bbox.height
    boxes = []
    problems = []
    for where, t in _visible_texts(fig):
        bb = _text_box(t, renderer)
        if bb.width <= 0 or bb.height <= 0:
            continue
        label = f"{where} {t.get_text()[:40]!r}"
        if (
            bb.x0 < -tolerance
            or bb.y0 < -tolerance
            or bb.x1 > W + tolerance
            or bb.y1 > H + tolerance
        ):
            problems.append(f"{label} leaves the figure")
        boxes.append((label, bb))
    for i in range(len(boxes)):
        a_label, a = boxes[i]
        for j in range(i + 1, len(boxes)):
            b_label, b = boxes[j]
            dx = min(a.x1, b.x1) - max(a.x0, b.x0)
            dy = min(a.y1, b.y1) - max(a.y0, b.y0)
            if dx > tolerance and dy > tolerance:
                problems.append(f"{a_label} overlaps {b_label}")
    return problems


def _declutter(
    fig: Figure,
    texts: Sequence[Text],
    offsets: Sequence[tuple[float, float, str, str]] = (
        (5, 5, "left", "bottom"),
        (5, -5, "left", "top"),
        (-5, 5, "right", "bottom"),
        (-5, -5, "right", "top"),
        (5, 16, "left", "bottom"),
        (5, -16, "left", "top"),
        (0, 27, "center", "bottom"),
        (0, -27, "center", "top"),
        (5, 40, "left", "bottom"),
        (-5, 40, "right", "bottom"),
        (5, -40, "left", "top"),
        (-5, -40, "right", "top"),
        (0, 55, "center", "bottom"),
        (0, -55, "center", "top"),
    ),
) -> None:
    """Move annotations (``textcoords="offset points"``) until none overlaps another.

    Each annotation tries the offsets in turn and keeps the first whose box meets no
    text placed before it (nor the axes' tick labels); if none is free, the first.
    """
    fig.draw_without_rendering()
    if fig.get_layout_engine() is not None:
        fig.set_layout_engine("none")  # moving labels must not move the panels
    renderer = fig.canvas.get_renderer()
    placed = []
    for ax in fig.axes:
        for t in ax.get_xticklabels() + ax.get_yticklabels() + [ax.title]:
            if t.get_visible() and t.get_text():
                placed.append(_text_box(t, renderer))
    W, H = fig.bbox.width, fig.bbox.height
    for t in texts:
        best = None
        for dx, dy, ha, va in offsets:
            t.xyann = (dx, dy)  # type: ignore[attr-defined]
            t.set_ha(ha)
            t.set_va(va)
            bb = _text_box(t, renderer).padded(1.5)
            free = all(
                min(bb.x1, p.x1) <= max(bb.x0, p.x0) or min(bb.y1, p.y1) <= max(bb.y0, p.y0)
                for p in placed
            )
            inside = bb.x0 >= 0 and bb.x1 <= W and bb.y0 >= 0 and bb.y1 <= H
            if free and inside:
                best = (dx, dy, ha, va)
                break
        if best is None:
            best = offsets[0]
        t.xyann = best[:2]  # type: ignore[attr-defined]
        t.set_ha(best[2])
        t.set_va(best[3])
        placed.append(_text_box(t, renderer))


def _spread(fig: Figure, ax: Axes, notes: Sequence[Text], gap: float = 8.0) -> None:
    """Shift notes placed on one line (data coordinates) right until none overlaps."""
    if not notes:
        return
    fig.draw_without_rendering()
    if fig.get_layout_engine() is not None:
        fig.set_layout_engine("none")
    renderer = fig.canvas.get_renderer()
    inv = ax.transData.inverted()
    right = None
    for n in sorted(notes, key=lambda n: mdates.date2num(n.xyann[0])):
        bb = _text_box(n, renderer)
        if right is not None and bb.x0 < right + gap:
            shift = right + gap - bb.x0
            x_pix = ax.transData.transform((mdates.date2num(n.xyann[0]), n.xyann[1]))[0]
            n.xyann = (mdates.num2date(inv.transform((x_pix + shift, 0))[0]), n.xyann[1])
            bb = _text_box(n, renderer)
        right = bb.x1


def to_png(fig: Figure) -> bytes:
    """Render a figure to PNG bytes (stable for the same figure and versions)."""
    return render(fig, svg=False)[0]


def render(fig: Figure, svg: bool = True) -> tuple[bytes, str | None]:
    """Render a figure as a PNG and as an SVG, both cropped to the same box.

    The box is the figure's drawn extent plus the usual padding, measured once
    (``savefig(bbox_inches="tight")`` would measure it again for each format, with a
    draw of the whole figure each time). An opaque figure (every chart of the project)
    gives a PNG without an alpha channel: smaller, quicker to write, and the PDF
    renderer need not split it into colour and mask. The pixels are those of
    ``savefig``.

    Parameters
    ----------
    fig
        A finished chart (see :func:`finish`).
    svg
        Also render the SVG.

    Returns
    -------
    tuple of bytes and str or None
        The PNG file's bytes and the SVG document (None when ``svg`` is false).
    """
    from PIL import Image

    if not isinstance(fig.canvas, Canvas):  # e.g. a figure pyplot has closed
        on_canvas(fig)
    dpi = fig.dpi
    # The layout is done (see finish): no engine at all, so that saving the figure
    # draws it once, without a dry run to lay it out again.
    with matplotlib.rc_context(
        {"figure.autolayout": False, "figure.constrained_layout.use": False}
    ):
        fig.set_layout_engine(None)
    box = fig.get_tightbbox(fig.canvas.get_renderer())
    box = box.padded(matplotlib.rcParams["savefig.pad_inches"])
    raw = io.BytesIO()
    fig.savefig(raw, format="rgba", bbox_inches=box, dpi=dpi)
    width = int(box.width * dpi)  # as the canvas sizes itself
    height = len(raw.getbuffer()) // (4 * width)
    if width * height * 4 != len(raw.getbuffer()):  # pragma: no cover - never seen
        raise RuntimeError("The chart could not be rendered to an image of its size.")
    image = Image.frombuffer("RGBA", (width, height), raw.getbuffer(), "raw", "RGBA", 0, 1)
    if image.getextrema()[3][0] == 255:  # opaque
        image = image.convert("RGB")
    png = io.BytesIO()
    # zlib level 3: the file is as small as at the default level 6 (within 1 %), in
    # two thirds of the time.
    image.save(png, format="png", dpi=(dpi, dpi), compress_level=3)
    text = None
    if svg:
        out = io.StringIO()
        fig.savefig(out, format="svg", bbox_inches=box, metadata={"Date": None, "Creator": None})
        text = out.getvalue()
    return png.getvalue(), text


def show(fig: Figure) -> None:
    """Display a figure in a notebook as a PNG with its alt text, then close it."""
    from IPython.display import Image, display

    alt = getattr(fig, "alt", None) or "Chart"
    display(Image(data=to_png(fig), format="png"), metadata={"image/png": {"alt": alt}})
    plt.close(fig)


def _empty(title: str, sources: pd.DataFrame, message: str) -> Figure:
    fig, ax = _new((6.0, 1.4))
    ax.set_axis_off()
    ax.set_title(title)
    ax.text(0.0, 0.9, message, transform=ax.transAxes, fontsize=10, color=_GREY, va="top")
    return finish(fig, [], sources, f"{title}. {message}", pd.DataFrame())


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
        f"{ds.name(r.counterpart)}, {ds.label('case_type', r.case_type)}: "
        f"{int(r.numerator):,} of {int(r.denominator):,} "
        f"{ds.label('request_measure', r.numerator_measure)} ({r.rate:.1%})"
        for r in rates.itertuples()
    ]
    alt = (
        f"Bar charts in separate panels. {title}. Requests sent, those fulfilled "
        "(same scale, own panel) and the share fulfilled. " + "; ".join(parts) + "."
    )
    return finish(fig, rates["source_id"], sources, alt, pd.DataFrame(rows))


def counterpart_figures(
    claims: pd.DataFrame,
    ds: Dataset,
    highlight: str | None = None,
    title: str = "What the data says, counterpart by counterpart",
) -> Figure:
    """Small multiples of the counts claimed for single countries, one panel per measure.

    Each panel holds one measure in one direction and one kind of case (e.g. "Belarus'
    requests abroad, 'genocide' case: fulfilled"), so that counts of different things
    never share an axis. Qualified figures ("about 24", "more than 100") are drawn
    hatched and labelled with their qualifier. Rows without a count are left out: show
    them as a table.

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
    df = claims[claims["value"].notna() & (claims["counterpart"].astype(str).str.len() == 2)].copy()
    if df.empty:
        return _empty(title, sources, "No figure in this selection names a single country.")
    order = {}
    for c in ("direction", "case_type", "measure"):
        cats = (
            list(getattr(df[c], "cat", None).categories)
            if isinstance(df[c].dtype, pd.CategoricalDtype)
            else sorted(set(df[c].astype(str)))
        )
        order[c] = {str(v): k for k, v in enumerate(cats)}
        df[c] = df[c].astype(str)
    df["name"] = df["counterpart"].map(ds.name)
    keys = sorted(
        {(r.direction, r.case_type, r.measure) for r in df.itertuples()},
        key=lambda k: (
            order["direction"].get(k[0], 99),
            order["case_type"].get(k[1], 99),
            order["measure"].get(k[2], 99),
        ),
    )
    sizes = [
        int(((df["direction"] == d) & (df["case_type"] == c) & (df["measure"] == m)).sum())
        for d, c, m in keys
    ]
    fig, axes = _new(
        (8.0, 1.6 + sum(0.38 * s + 0.75 for s in sizes)),
        nrows=len(keys),
        gridspec_kw={"height_ratios": [s + 1.2 for s in sizes]},
    )
    axes = list(axes.flat) if hasattr(axes, "flat") else [axes]
    rows = []
    for ax, (d, c, m) in zip(axes, keys, strict=True):
        sub = df[(df["direction"] == d) & (df["case_type"] == c) & (df["measure"] == m)]
        sub = sub.sort_values(["value", "name"], ascending=[False, True]).copy()
        twice = sub["name"].duplicated(keep=False)
        sub["label"] = [
            f"{n}\n({_span(a, b)})" if t else n
            for n, a, b, t in zip(
                sub["name"], sub["period_start"], sub["period_end"], twice, strict=True
            )
        ]
        for i, r in enumerate(sub.itertuples()):
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
                int(r.value), i, "  " + _qualified(r.value, r.qualifier), va="center", fontsize=9
            )
            rows.append(
                {
                    "Direction": ds.label("direction", d, plural=True),
                    "Case": ds.label("case_type", c),
                    "Measure": ds.label("request_measure", m),
                    "Counterpart": r.name,
                    "Figure": int(r.value),
                    "Qualifier": ds.label("qualifier", r.qualifier),
                    "From": r.period_start,
                    "To": r.period_end,
                    "Source": r.source_id,
                }
            )
        ax.set_yticks(range(len(sub)), sub["label"], fontsize=8.5)
        ax.set_ylim(len(sub) - 0.5, -0.5)
        ax.set_xlim(0, float(sub["value"].max()) * 1.4)
        _count_axis(ax, "x")
        ax.grid(axis="y", visible=False)
        what = ds.label("request_measure", m)
        unit = (
            "people" if m == "extradited" else "states" if m == "states_addressed" else "requests"
        )
        ax.set_title(f"{_direction_title(d, ds)}, {ds.label('case_type', c)}: {what}", fontsize=10)
        ax.set_xlabel(unit)
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
    alt = (
        f"Bar charts, one panel per measure. {title}. "
        + "; ".join(
            f"{r['Direction']}, {r['Case']}, {r['Measure']}: {r['Counterpart']} "
            f"{qualified(r['Figure'], _code_of_qualifier(r['Qualifier']))}"
            for r in rows
        )
        + "."
    )
    return finish(fig, df["source_id"], sources, alt, data)


def _code_of_qualifier(word: str) -> str:
    return {"at least": "at_least", "more than": "more_than", "about": "about"}.get(word, "exact")


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
    sources = ds.sources
    if "measure" in series.columns:
        series = series[series["measure"].astype(str) == "held"]
    if series.empty:
        return _empty(title, sources, "No estimate in the data matches this selection.")
    series = series.sort_values("date").copy()
    series["count"] = series["count"].astype(int)
    main = series[series["estimator"] == main_estimator]
    if len(main):
        lo, hi = main["count"].min(), main["count"].max()
        far = (series["count"] > hi * outlier_factor) | (series["count"] < lo / outlier_factor)
    else:
        far = pd.Series(False, index=series.index)
    inside, outside = series[~far], series[far]
    if len(outside):
        fig, (ax_out, ax) = _new(
            (8.5, 6.0), nrows=2, sharex=True, gridspec_kw={"height_ratios": [1, 4]}
        )
    else:
        fig, ax = _new((8.5, 5.0))
        ax_out = None
    estimators = [main_estimator] + [
        e for e in dict.fromkeys(series["estimator"]) if e != main_estimator
    ]
    handles = []
    if len(main):
        colour, marker = estimator_style(main_estimator, ds.estimator_styles)
        ax.plot(main["date"], main["count"], color=colour, lw=1.6, zorder=2)
    for est in estimators:
        sub = series[series["estimator"] == est]
        if sub.empty:
            continue
        colour, marker = estimator_style(est, ds.estimator_styles)
        for r in sub.itertuples():
            target = ax_out if (ax_out is not None and far[r.Index]) else ax
            filled = _is_exact(r.qualifier)
            target.scatter(
                r.date,
                r.count,
                marker=marker,
                s=36 if est == main_estimator else 48,
                facecolor=colour if filled else "white",
                edgecolor=colour,
                linewidth=1.4,
                zorder=3,
            )
        handles.append(
            Line2D(
                [],
                [],
                color=colour if est == main_estimator else "none",
                marker=marker,
                markerfacecolor=colour,
                markeredgecolor=colour,
                label="\n".join(textwrap.wrap(est, 42)),
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
    notes = []
    conflicts = inside.groupby(["estimator", "date"]).filter(lambda g: len(g) > 1)
    top = inside["count"].max() if len(inside) else 1
    groups = list(conflicts.groupby(["estimator", "date"]))
    for (est, date), g in groups:
        # Two figures for one date: a note in the empty band under the series, with a
        # line to the point, so that it never covers the data.
        vals = " and ".join(f"{int(v):,}" for v in g["count"])
        notes.append(
            ax.annotate(
                f"{est}, {date:%-d %b %Y}:\n{vals}",
                (date, int(g["count"].min())),
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
    ax.set_title(title)
    if ax_out is not None:
        for r in outside.itertuples():
            notes.append(
                ax_out.annotate(
                    _qualified(r.count, r.qualifier),
                    (r.date, r.count),
                    xytext=(6, 0),
                    textcoords="offset points",
                    fontsize=8.5,
                    va="center",
                )
            )
        olo, ohi = outside["count"].min(), outside["count"].max()
        ax_out.set_ylim(olo - max(olo * 0.15, 50), ohi + max(ohi * 0.15, 50))
        ax_out.set_yticks(sorted(set(outside["count"])))
        _count_axis(ax_out)
        ax_out.set_yticks(sorted(set(outside["count"])))
        ax_out.xaxis.get_offset_text().set_visible(False)
        ax_out.set_title(
            f"Estimates far outside {main_estimator}'s range, on their own scale",
            fontsize=9.5,
            fontweight="normal",
        )
        ax.set_title("")
        fig.suptitle(title, x=0.01, ha="left", fontsize=12, fontweight="bold")
    date_axis(ax)
    _pad_dates(ax, series["date"], 0.03, 0.12)
    fig.legend(handles=handles, loc="outside lower left", ncols=2, fontsize=8)
    if notes and ax_out is not None:
        _declutter(fig, [n for n in notes if n.axes is ax_out])
    _spread(fig, ax, [n for n in notes if n.axes is ax])
    parts = []
    if len(main):
        peak = main.loc[main["count"].idxmax()]
        parts.append(
            f"{main_estimator}: {plural(len(main), 'count')} from "
            f"{_qualified(main['count'].iloc[0], main['qualifier'].iloc[0])} "
            f"({_day(main['date'].iloc[0])}) to "
            f"{_qualified(main['count'].iloc[-1], main['qualifier'].iloc[-1])} "
            f"({_day(main['date'].iloc[-1])}), highest {int(peak['count']):,} "
            f"({_day(peak['date'])})"
        )
    for est in estimators[1:]:
        sub = inside[inside["estimator"] == est]
        if len(sub):
            parts.append(
                f"{est}: "
                + ", ".join(
                    f"{_qualified(r.count, r.qualifier)} ({_day(r.date)})" for r in sub.itertuples()
                )
            )
    for (est, date), g in conflicts.groupby(["estimator", "date"]):
        parts.append(
            f"{est} gives {plural(len(g), 'figure')} for {_day(date)}: "
            + " and ".join(f"{int(v):,}" for v in g["count"])
        )
    alt = f"Line chart on a time axis. {title}. " + "; ".join(parts) + "."
    if len(outside):
        alt += (
            f" {plural(len(outside), 'estimate')} far outside {main_estimator}'s range "
            "drawn in a separate small panel above, on its own scale, so that "
            f"{'it does' if len(outside) == 1 else 'they do'} not flatten the series: "
            + "; ".join(
                f"{_qualified(r.count, r.qualifier)} by {r.estimator} ({_day(r.date)})"
                for r in outside.itertuples()
            )
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
            "Source": series["source_id"].astype(str),
        }
    )
    return finish(fig, series["source_id"], sources, alt, data)


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
    sources = ds.sources
    df = releases[releases["part_of"].isna()].copy()
    length = (df["date_to"] - df["date_from"]).dt.days
    long = df[length > max_days]
    df = df[length <= max_days]
    if df.empty:
        return _empty(title, sources, "No single release event in this selection.")
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
    fig, axes = _new((8.5, 1.6 + 2.0 * len(kinds)), nrows=len(kinds), sharex=True)
    axes = list(axes.flat) if hasattr(axes, "flat") else [axes]
    notes = []
    for ax, kind in zip(axes, kinds, strict=True):
        sub = points[points["kind"] == kind].sort_values("date")
        for r in sub.itertuples():
            colour, marker = RELEASE_STYLE.get(r.measure, (COLORS["muted"], "o"))
            if (r.date_to - r.date_from).days > 1:
                ax.plot(
                    [r.date_from, r.date_to],
                    [r.count, r.count],
                    color=colour,
                    lw=2,
                    alpha=0.5,
                    solid_capstyle="butt",
                )
            filled = _is_exact(r.qualifier)
            ax.scatter(
                r.date,
                r.count,
                marker=marker,
                s=40,
                zorder=3,
                edgecolor=colour,
                facecolor=colour if filled else "white",
                linewidth=1.4,
            )
            notes.append(
                ax.annotate(
                    _qualified(r.count, r.qualifier),
                    (r.date, r.count),
                    xytext=(5, 5),
                    textcoords="offset points",
                    fontsize=8,
                )
            )
        ax.set_ylim(0, sub["count"].max() * 1.3)
        ax.set_ylabel("people")
        ax.set_title(f"Figures from {ds.label('claimant_kind', kind, plural=True)}", fontsize=10)
        date_axis(ax)
    for ax in axes[:-1]:
        ax.xaxis.get_offset_text().set_visible(False)
    _pad_dates(axes[-1], list(points["date_from"]) + list(points["date_to"]), 0.04, 0.08)
    fig.suptitle(title, x=0.01, ha="left", fontsize=12, fontweight="bold")
    handles = [
        Line2D(
            [],
            [],
            ls="",
            marker=RELEASE_STYLE[m][1],
            color=RELEASE_STYLE[m][0],
            label=ds.label("release_measure", m),
        )
        for m in RELEASE_STYLE
        if m in set(points["measure"])
    ]
    if any((points["date_to"] - points["date_from"]).dt.days > 1):
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
    parts = []
    for kind in kinds:
        sub = points[points["kind"] == kind].sort_values("date")
        parts.append(
            f"{ds.label('claimant_kind', kind, plural=True)}: "
            + ", ".join(
                f"{_qualified(r.count, r.qualifier)} {ds.label('release_measure', r.measure)} "
                f"({_period(r.date_from, r.date_to)})"
                for r in sub.itertuples()
            )
        )
    alt = (
        f"Dot charts on a time axis, one panel per kind of claimant. {title}. "
        + "; ".join(parts)
        + ". Parts of a larger figure are not drawn again."
    )
    if len(long):
        alt += (
            f" Not drawn: {plural(len(long), 'total')} over periods longer than a month ("
            + "; ".join(
                f"{_qualified(r.count, r.qualifier)} "
                f"{ds.label('release_measure', r.measure)}, "
                f"{_period(r.date_from, r.date_to)}"
                for r in long.itertuples()
            )
            + ")."
        )
    data = pd.DataFrame(
        {
            "Counted by": [ds.label("claimant_kind", k, plural=True) for k in points["kind"]],
            "From": points["date_from"].dt.date,
            "To": points["date_to"].dt.date,
            "Measure": [ds.label("release_measure", m) for m in points["measure"]],
            "People": points["count"],
            "Qualifier": [ds.label("qualifier", q) for q in points["qualifier"]],
            "Claimant": points["claimant"],
            "Sources": ["; ".join(s) for s in points["source_id"]],
        }
    )
    return finish(fig, [s for ss in points["source_id"] for s in ss], sources, alt, data)


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


# --------------------------------------------------------------------------- designations

#: The figures of a round (columns of ``sanctions_designations``; words in the vocabulary).
_ADDED = ("individuals_added", "entities_added", "combined_added")


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:]


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
    sources = ds.sources
    highlight = _highlighted(ds, highlight)
    figs = round_figures(designations)
    if figs.empty:
        return _empty(title, sources, "No round of designations with a figure here.")
    order = [j for j in ds.jurisdictions if j in set(figs["jurisdiction"])]
    cols = [c for c in _ADDED if c in set(figs["measure"])]
    fig, axes = _new(
        (3.0 + 2.6 * len(cols), 1.9 + 1.05 * len(order)),
        nrows=len(order),
        ncols=len(cols),
        sharex=True,
        sharey="col",
        squeeze=False,
    )
    span = figs["date"].max() - figs["date"].min()
    step = max(span / 160, pd.Timedelta(days=4))
    for i, jur in enumerate(order):
        for j, col in enumerate(cols):
            ax = axes[i][j]
            sub = figs[(figs["jurisdiction"] == jur) & (figs["measure"] == col)]
            colour = COLORS["accent"] if jur == highlight else COLORS["primary"]
            for _, g in sub.groupby("round", sort=False):
                n = len(g)
                for k, r in enumerate(g.itertuples()):
                    x = r.date + step * (k - (n - 1) / 2)
                    other = r.regime != "belarus"
                    marker = "s" if r.differs else ("D" if other else "o")
                    ax.vlines(x, 0, r.value, color=colour, lw=1.2, alpha=0.7)
                    ax.scatter(
                        x,
                        r.value,
                        marker=marker,
                        s=26,
                        zorder=3,
                        edgecolor=colour,
                        facecolor="white" if other else colour,
                        linewidth=1.2,
                    )
            if sub.empty:
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
                ax.set_title(_cap(ds.label("designation_figure", col)), fontsize=10)
            if j == 0:
                name = "\n".join(textwrap.wrap(ds.name(jur), 16))
                ax.set_ylabel(
                    name,
                    rotation=0,
                    ha="right",
                    va="center",
                    fontsize=9,
                    fontweight="bold" if jur == highlight else "normal",
                )
            date_axis(ax, 3, 5)
            if i < len(order) - 1:
                ax.xaxis.get_offset_text().set_visible(False)
    for j in range(len(cols)):
        axes[0][j].set_ylim(0, figs.loc[figs["measure"] == cols[j], "value"].max() * 1.12)
    _pad_dates(axes[0][0], figs["date"], 0.04, 0.04)
    fig.suptitle(title, x=0.01, ha="left", fontsize=12, fontweight="bold")
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
            label="hollow: another regime (e.g. "
            + ds.label("designation_regime", "eu_ukraine")
            + ") or "
            + ds.label("designation_regime", "unstated"),
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
    if highlight in order:
        handles.append(Patch(color=COLORS["accent"], label=ds.name(highlight)))
    fig.legend(handles=handles, loc="outside lower left", ncols=2, fontsize=8)
    parts = []
    for jur in order:
        sub = figs[figs["jurisdiction"] == jur].sort_values(["date", "measure"])
        parts.append(
            f"{ds.name(jur)}: "
            + ", ".join(
                f"{_day(r.date)} {_qualified(r.value, r.qualifier)} "
                f"{ds.label('designation_figure', r.measure).replace(' added', '')}"
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
        f"Lollipop charts on a time axis, one row per jurisdiction, individuals and "
        f"entities in separate columns. {title}. " + "; ".join(parts) + "."
    )
    data = pd.DataFrame(
        {
            "Jurisdiction": figs["jurisdiction"].map(ds.name),
            "Round date": figs["date"].dt.date,
            "Measure": [_cap(ds.label("designation_figure", m)) for m in figs["measure"]],
            "Figure": figs["value"],
            "Qualifier": [ds.label("qualifier", q) for q in figs["qualifier"]],
            "Regime": [ds.label("designation_regime", r) for r in figs["regime"]],
            "Sources conflict": figs["differs"].map({True: "yes", False: "no"}),
            "Sources": ["; ".join(s) for s in figs["source_ids"]],
        }
    )
    return finish(fig, [s for ss in figs["source_ids"] for s in ss], sources, alt, data)


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
                    _qualified(r.value, r.qualifier),
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
    alt = (
        f"Two line charts on a time axis. {title}. "
        + "; ".join(
            f"{what}: "
            + ", ".join(
                f"{_qualified(r.value, r.qualifier)} ({_day(r.date)}"
                + (", regime not stated" if r.regime != "belarus" else "")
                + (", sources differ" if r.differs else "")
                + ")"
                for r in pts[pts["measure"] == col].sort_values("date").itertuples()
            )
            for col, what in measures.items()
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
            "Sources": ["; ".join(s) for s in pts["source_ids"]],
        }
    )
    return finish(fig, [s for ss in pts["source_ids"] for s in ss], sources, alt, data)


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
    parts = []
    for r in drawn.itertuples():
        cev = dated[dated["case_id"] == r.case_id].sort_values("date")
        parts.append(
            f"{_case_label(r, ds)}: "
            + ", ".join(
                f"{ds.label('case_event_kind', e.kind)} {_day(e.date)}" for e in cev.itertuples()
            )
            + f"; outcome: {ds.label('case_outcome', r.outcome)}"
        )
    alt = f"Timeline, one row per case. {title}. " + ". ".join(parts) + "."
    n_undated_ev = int(ev["date"].isna().sum())
    if len(undated) or n_undated_ev:
        alt += (
            f" Not drawn: {plural(len(undated), 'case')} with no dated event"
            + (
                " (" + "; ".join(_case_label(r, ds) for r in undated.itertuples()) + ")"
                if len(undated)
                else ""
            )
            + f" and {plural(n_undated_ev, 'event')} without a date."
        )
    return finish(fig, dated.sort_values("date")["source_id"], sources, alt, pd.DataFrame(rows))


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
            source_ids=("source_id", lambda s: list(dict.fromkeys(s))),
        )
        .reset_index()
    )
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
                        _qualified(r.value, r.qualifier) + since,
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
    alt = (
        f"Dot charts on a time axis. {title}. "
        + "; ".join(
            ("Requests sent" if m == "sent" else "States addressed")
            + ": "
            + ", ".join(
                f"{_qualified(r.value, r.qualifier)} to {ds.name(r.counterpart)} by "
                f"{_day(r.period_end)}"
                + (f" (counted from {_day(r.period_start)})" if not pd.isna(r.period_start) else "")
                for r in pts[pts["measure"] == m].sort_values("period_end").itertuples()
            )
            for m in measures
        )
        + "."
    )
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
            "Sources": ["; ".join(s) for s in pts["source_ids"]],
        }
    )
    return finish(fig, [s for ss in pts["source_ids"] for s in ss], sources, alt, data)
