"""The charts' canvas: Agg's text sizes, measured once per process."""

from __future__ import annotations

import matplotlib.pyplot as plt
from matplotlib.backends.backend_agg import RendererAgg
from matplotlib.font_manager import FontProperties

from belarus_monitor import figures as charts
from belarus_monitor.figures import canvas


def test_sizes_are_aggs_and_measured_once(monkeypatch):
    ours, agg = canvas.Renderer(200, 100, 110), RendererAgg(200, 100, 110)
    prop = FontProperties(family="DejaVu Sans", size=9, weight="bold")
    text = "Lithuania 12,345 (test of the canvas)"
    assert ours.get_text_width_height_descent(text, prop, False) == (
        agg.get_text_width_height_descent(text, prop, False)
    )
    calls = []
    real = RendererAgg.get_text_width_height_descent

    def counted(self, *args):
        calls.append(args[0])
        return real(self, *args)

    monkeypatch.setattr(RendererAgg, "get_text_width_height_descent", counted)
    other = canvas.Renderer(300, 300, 110)  # another renderer of the same resolution
    other.get_text_width_height_descent(text, prop, False)
    assert calls == []
    canvas.Renderer(300, 300, 72).get_text_width_height_descent(text, prop, False)
    other.get_text_width_height_descent(text, FontProperties(family="DejaVu Sans", size=9), False)
    assert calls == [text, text]  # another resolution, another weight: measured


def test_charts_and_maps_are_drawn_on_the_canvas():
    fig, _ = charts._new((4, 3))
    try:
        assert isinstance(fig.canvas, canvas.Canvas)
        fig.draw_without_rendering()
        assert isinstance(fig.canvas.get_renderer(), canvas.Renderer)
    finally:
        plt.close(fig)


def test_a_figure_pyplot_has_closed_renders_the_same():
    fig, ax = charts._new((4, 3))
    ax.set_title("Requests sent")
    ax.plot([1, 2, 3], [3, 1, 2])
    before = charts.render(fig)
    plt.close(fig)  # pyplot gives a closed figure a bare canvas
    assert charts.render(fig) == before


def test_a_transparent_figure_keeps_its_alpha_channel():
    import io

    from PIL import Image

    fig, ax = charts._new((3, 2))
    fig.patch.set_alpha(0.0)
    ax.patch.set_alpha(0.0)
    ax.plot([1, 2], [2, 1])
    try:
        png, _ = charts.render(fig, svg=False)
    finally:
        plt.close(fig)
    image = Image.open(io.BytesIO(png))
    assert image.mode == "RGBA" and image.getextrema()[3][0] == 0
