"""Charts before drawing (specs) and the build's store of charts already drawn.

A spec's values are all its drawing uses: the same values draw the same bytes, so a
build may take a chart from its store instead of drawing it. These tests hold the
store to that: what it returns is what drawing returns, anything that changes the
pixels changes the key, and a figure drawn from a spec is the chart function's own.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

import belarus_monitor as bm
from belarus_monitor import figures as charts
from belarus_monitor.figures import spec as specs
from belarus_monitor.figures.toolkit import empty_spec, render
from belarus_monitor.pipeline.cache import chart_store

pytestmark = pytest.mark.slow  # each test draws a chart: a fraction of a second


@pytest.fixture(scope="module")
def ds():
    return bm.open()


def _counting(spec: specs.ChartSpec) -> tuple[specs.ChartSpec, list[int]]:
    """The spec, with a drawing that counts its calls (a module-level function's name)."""
    calls: list[int] = []
    real = spec.draw

    def draw(values):
        calls.append(1)
        return real(values)

    draw.__module__, draw.__qualname__ = real.__module__, real.__qualname__
    spec.draw = draw
    return spec, calls


def test_a_spec_draws_the_chart_functions_own_figure(ds):
    series = bm.prisoners_series(ds.political_prisoners)
    fig = charts.prisoners_over_time(series, ds)
    spec = charts.prisoners_spec(series, ds)
    png, svg = spec.images()  # no store: drawn
    assert (png, svg) == render(fig)
    assert spec.alt == fig.alt and spec.source_ids == fig.source_ids
    pd.testing.assert_frame_equal(spec.data, fig.data)
    releases = ds.table("prisoner_releases")
    assert charts.releases_spec(releases, ds).images() == render(
        charts.releases_over_time(releases, ds)
    )


def test_the_store_returns_what_drawing_returns_without_drawing(ds, tmp_path: Path):
    def small():  # a chart quick to draw: the store is the same for every chart
        return empty_spec("Releases", ds.sources, "Nothing in this selection.")

    drawn = small().images()
    spec, calls = _counting(small())
    with specs.use_store(tmp_path, read=True, salt="lib"):
        first = spec.images()
        second = spec.images()
    assert first == drawn and second == drawn
    assert calls == [1]  # drawn once, then read
    assert sorted(p.suffix for p in tmp_path.iterdir()) == [".png", ".svg"]
    with specs.use_store(tmp_path, read=False, salt="lib"):  # a forced build draws
        assert spec.images() == drawn
    assert calls == [1, 1]
    with specs.use_store(tmp_path, read=True, salt="another library"):
        spec.images()
    assert calls == [1, 1, 1]
    assert spec.images() == drawn and calls == [1, 1, 1, 1]  # outside a build: drawn


def test_the_key_follows_the_pixels_and_not_the_rest(ds):
    series = bm.prisoners_series(ds.political_prisoners)
    key = charts.prisoners_spec(series, ds).key
    # A quote is never drawn: a chart of the same points keeps its key ...
    quoted = series.copy()
    if "quote" in quoted.columns:
        quoted["quote"] = "another quote"
    assert charts.prisoners_spec(quoted, ds).key == key
    # ... a count, a title or a source line is drawn.
    moved = series.copy()
    moved.loc[moved.index[0], "count"] = int(moved["count"].iloc[0]) + 1
    assert charts.prisoners_spec(moved, ds).key != key
    assert charts.prisoners_spec(series, ds, title="Another title").key != key
    spec = charts.prisoners_spec(series, ds)
    spec.source_text = "Source: someone else. Belarus Monitor."
    assert spec.key != key


def test_a_spec_holds_plain_values_only(ds):
    spec = charts.prisoners_spec(bm.prisoners_series(ds.political_prisoners), ds)
    spec.values["dataset"] = ds
    with pytest.raises(TypeError, match="plain values only, not Dataset"):
        _ = spec.key


def test_a_full_store_keeps_its_newest_charts(ds, tmp_path: Path, monkeypatch):
    monkeypatch.setattr(specs, "STORE_SIZE", 2)
    for i in range(5):
        (tmp_path / f"old{i}.png").write_bytes(b"x")
        (tmp_path / f"old{i}.svg").write_text("x")
    spec = empty_spec("Releases", ds.sources, "Nothing in this selection.")
    with specs.use_store(tmp_path, salt="lib"):
        spec.images()
        key = spec.key
    kept = {p.stem for p in tmp_path.iterdir()}
    assert key in kept and len(kept) == 2


def test_the_store_is_the_users_own_never_an_out_directory(tmp_path: Path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    assert chart_store() == tmp_path / "cache" / "belarus-monitor" / "charts"
