"""What every chart shares: style, axes, source line, alt text and data, checks, rendering."""

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
from matplotlib.text import Text  # noqa: E402

from belarus_monitor.figures.canvas import Canvas, on_canvas  # noqa: E402
from belarus_monitor.figures.spec import ChartSpec

if TYPE_CHECKING:
    from belarus_monitor.data.dataset import Dataset
from belarus_monitor.figures.theme import SOURCE_FONTSIZE, apply_theme

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


def _qualified(value: object, qualifier: object, ds: Dataset) -> str:
    from belarus_monitor.words.stories import qualified

    return qualified(int(value), qualifier, ds)


def _is_exact(qualifier: object) -> bool:
    """A filled marker is an exact figure; any qualifier ("about", "almost"...) is hollow."""
    return pd.isna(qualifier) or str(qualifier) == "exact"


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


def sources_words(source_ids: Iterable[str], sources: pd.DataFrame) -> str:
    """``"Pozirk, 2024-06-25; Novinite, 2022-04-08"``: sources by name, for a data cell."""
    ids = [str(x) for x in source_ids if not pd.isna(x)]
    if not ids:
        return ""
    return source_line(ids, sources).split(": ", 1)[1].removesuffix(". Belarus Monitor.")


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
    return finish_drawn(fig, source_ids, source_line(source_ids, sources), alt, data)


def finish_drawn(
    fig: Figure,
    source_ids: Iterable[str],
    source_text: str,
    alt: str,
    data: pd.DataFrame | None = None,
) -> Figure:
    """:func:`finish`, with the source line already written (see :func:`source_line`)."""
    source_ids = [str(x) for x in source_ids if not pd.isna(x)]
    shorten_texts(fig)
    width_pt = fig.get_figwidth() * 72 - 16
    chars = max(40, int(width_pt / (SOURCE_FONTSIZE * 0.56)))
    text = "\n".join(textwrap.wrap(source_text, chars))
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
    return empty_spec(title, sources, message).figure()


def empty_spec(title: str, sources: pd.DataFrame, message: str) -> ChartSpec:
    """A chart with nothing to draw: its title and why (a spec, see :mod:`.spec`)."""
    values = {"title": title, "message": message}
    return spec_of(_draw_empty, values, [], sources, f"{title}. {message}", pd.DataFrame())


def _draw_empty(v: dict) -> Figure:
    fig, ax = _new((6.0, 1.4))
    ax.set_axis_off()
    ax.set_title(v["title"])
    ax.text(0.0, 0.9, v["message"], transform=ax.transAxes, fontsize=10, color=_GREY, va="top")
    return fig


def spec_of(
    draw: Any,
    values: dict[str, Any],
    source_ids: Iterable[str],
    sources: pd.DataFrame,
    alt: str,
    data: pd.DataFrame,
) -> ChartSpec:
    """A :class:`~.spec.ChartSpec`: ``draw(values)`` finished as :func:`finish` would."""
    ids = list(dict.fromkeys(str(x) for x in source_ids if not pd.isna(x)))
    return ChartSpec(draw, values, alt, ids, source_line(ids, sources), data.reset_index(drop=True))


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:]
