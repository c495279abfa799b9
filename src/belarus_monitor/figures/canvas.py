"""The canvas every chart and map is drawn on: matplotlib's Agg, measuring text once.

Matplotlib measures the size of every text (each label, tick and title) with the
renderer it draws with, and forgets the sizes with that renderer. A chart is measured
several times (laid out, cropped, drawn) and a build draws the same labels (country
names, legends, tick labels) in dozens of charts: the measuring is then most of the
cost of the text. Here the sizes are kept per process, keyed by everything they depend
on (the text, the font files, the size, the resolution and the hinting), so a text is
measured once. What is drawn is unchanged: the sizes are those Agg would compute.
"""

from __future__ import annotations

from typing import Any

import matplotlib as mpl
from matplotlib.backends.backend_agg import FigureCanvasAgg, RendererAgg, get_hinting_flag
from matplotlib.figure import Figure
from matplotlib.font_manager import fontManager

#: ``{(text, font files, size, dpi, hinting): (width, height, descent)}``, per process.
_SIZES: dict[tuple, tuple[float, float, float]] = {}
_MAX_SIZES = 100_000


class Renderer(RendererAgg):
    """Agg, with the sizes of plain texts kept across renderers of the process."""

    def get_text_width_height_descent(self, s: str, prop: Any, ismath: Any):  # noqa: D102
        if ismath:
            return super().get_text_width_height_descent(s, prop, ismath)
        key = (
            s,
            tuple(fontManager._find_fonts_by_props(prop)),
            prop.get_size_in_points(),
            self.dpi,
            get_hinting_flag(),
            mpl.rcParams["text.hinting_factor"],
        )
        size = _SIZES.get(key)
        if size is None:
            if len(_SIZES) >= _MAX_SIZES:
                _SIZES.clear()
            size = _SIZES[key] = super().get_text_width_height_descent(s, prop, ismath)
        return size


class Canvas(FigureCanvasAgg):
    """Matplotlib's Agg canvas drawing with :class:`Renderer`."""

    def get_renderer(self) -> Renderer:  # noqa: D102
        w, h = self.figure.bbox.size
        key = (w, h, self.figure.dpi)
        renderer = getattr(self, "renderer", None)
        if not isinstance(renderer, Renderer) or getattr(self, "_bm_key", None) != key:
            self.renderer = renderer = Renderer(w, h, self.figure.dpi)
            self._bm_key = key
        return renderer


def on_canvas(fig: Figure) -> Figure:
    """Give a new figure the project's canvas (see the module); returns it."""
    Canvas(fig)
    return fig
