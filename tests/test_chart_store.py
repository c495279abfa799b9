"""Charts before drawing (specs) and the build's store of charts already drawn.

A spec's values are all its drawing uses: the same values draw the same bytes, so a
build may take a chart from its store instead of drawing it. These tests hold the
store to that: what it returns is what drawing returns, anything that changes the
pixels changes the key, and an entry that is not whole is drawn again.
"""

from __future__ import annotations

from pathlib import Path

import matplotlib as mpl
import pandas as pd
import pytest

import belarus_monitor as bm
from belarus_monitor import figures as charts
from belarus_monitor.figures import spec as specs
from belarus_monitor.figures.toolkit import _draw_empty, empty_spec, render
from belarus_monitor.pipeline.cache import chart_store

pytestmark = pytest.mark.slow  # each test draws a chart: a fraction of a second


@pytest.fixture(scope="module")
def ds():
    return bm.open()


def _counting(spec: specs.ChartSpec, module: str | None = None) -> list[int]:
    """Count the calls of the spec's drawing (which keeps its name, or takes ``module``)."""
    calls: list[int] = []
    real = spec.draw

    def draw(values):
        calls.append(1)
        return real(values)

    draw.__module__, draw.__qualname__ = module or real.__module__, real.__qualname__
    spec.draw = draw
    return calls


def _small(ds) -> specs.ChartSpec:
    """A chart quick to draw: the store is the same for every chart."""
    return empty_spec("Releases", ds.sources, "Nothing in this selection.")


def test_a_spec_carries_the_figures_words_and_draws_its_images(ds):
    series = bm.prisoners_series(ds.political_prisoners)
    spec = charts.prisoners_spec(series, ds)
    fig = spec.figure()
    assert spec.alt == fig.alt and spec.source_ids == fig.source_ids
    assert "Political prisoners" in spec.alt and len(spec.source_ids) > 5
    pd.testing.assert_frame_equal(spec.data, fig.data)
    assert spec.images() == render(fig)  # no store: drawn
    releases = ds.table("prisoner_releases")
    assert charts.releases_spec(releases, ds).images() == render(
        charts.releases_over_time(releases, ds)
    )
    us = ds.table("sanctions_designations").query("jurisdiction == 'US'")
    assert charts.designations_spec(us, ds).images() == render(
        charts.designations_over_time(us, ds)
    )


def test_the_store_returns_what_drawing_returns_without_drawing(ds, tmp_path: Path):
    drawn = _small(ds).images()
    spec = _small(ds)
    calls = _counting(spec)
    with specs.use_store(tmp_path, read=True, salt="lib"):
        first = spec.images()
        second = spec.images()
    assert first == drawn and second == drawn
    assert calls == [1]  # drawn once, then read
    assert [p.suffix for p in tmp_path.iterdir()] == [".chart"]
    with specs.use_store(tmp_path, read=False, salt="lib"):  # a forced build draws
        assert spec.images() == drawn
    assert calls == [1, 1]
    with specs.use_store(tmp_path, read=True, salt="another library"):
        spec.images()
    assert calls == [1, 1, 1]
    assert spec.images() == drawn and calls == [1, 1, 1, 1]  # outside a build: drawn
    with specs.use_store(tmp_path, read=True, salt=""):  # no salt, no store
        spec.images()
    assert calls == [1, 1, 1, 1, 1]


def test_a_drawing_from_outside_the_library_is_never_stored(ds, tmp_path: Path):
    spec = _small(ds)
    calls = _counting(spec, module="__main__")  # e.g. defined in a notebook
    with specs.use_store(tmp_path, salt="lib"):
        spec.images()
        spec.images()
    assert calls == [1, 1] and list(tmp_path.iterdir()) == []


def test_a_broken_entry_is_drawn_again(ds, tmp_path: Path):
    drawn = _small(ds).images()
    spec = _small(ds)
    calls = _counting(spec)
    with specs.use_store(tmp_path, salt="lib"):
        spec.images()
        [entry] = tmp_path.iterdir()
        whole = entry.read_bytes()
        for broken in (whole[: len(whole) // 2], b"", whole.replace(b"<svg", b"<svq", 1)):
            entry.write_bytes(broken)
            assert spec.images() == drawn
        assert entry.read_bytes() == whole  # and stored again, whole
    assert len(calls) == 4


def test_the_key_follows_the_pixels_and_not_the_rest(ds):
    series = bm.prisoners_series(ds.political_prisoners)
    key = charts.prisoners_spec(series, ds).key
    # A quote is never drawn: a chart of the same points keeps its key ...
    quoted = series.copy()
    quoted["quote"] = "another quote"
    assert charts.prisoners_spec(quoted, ds).key == key
    # ... a count, a date, a title or a source line is drawn.
    moved = series.copy()
    moved.loc[moved.index[0], "count"] = int(moved["count"].iloc[0]) + 1
    assert charts.prisoners_spec(moved, ds).key != key
    later = series.copy()
    later.loc[later.index[-1], "date"] += pd.Timedelta(days=1)
    assert charts.prisoners_spec(later, ds).key != key
    assert charts.prisoners_spec(series, ds, title="Another title").key != key
    spec = charts.prisoners_spec(series, ds)
    spec.source_text = "Source: someone else. Belarus Monitor."
    assert spec.key != key
    spec = charts.prisoners_spec(series, ds)  # a value deep inside
    spec.values["groups"][-1]["colour"] = "#000000"
    assert spec.key != key


def test_matplotlib_settings_a_notebook_changed_are_in_the_key(ds, tmp_path: Path):
    spec = _small(ds)
    with specs.use_store(tmp_path, salt="lib"):
        plain = spec.key
        with mpl.rc_context({"axes.titlepad": 30.0}):
            padded = spec.key
            moved = spec.images()
        assert padded != plain
        assert spec.images() != moved  # not the image drawn with the notebook's setting
        assert spec.key == plain


def test_a_spec_holds_plain_values_only(ds):
    spec = charts.prisoners_spec(bm.prisoners_series(ds.political_prisoners), ds)
    spec.values["dataset"] = ds
    with pytest.raises(TypeError, match="plain values only, not Dataset"):
        _ = spec.key


def test_a_full_store_keeps_its_most_recently_used_charts(ds, tmp_path: Path, monkeypatch):
    import os
    import time

    monkeypatch.setattr(specs, "STORE_SIZE", 2)
    kept = _small(ds)
    with specs.use_store(tmp_path, salt="lib"):
        kept.images()
        key = kept.key
        for i in range(5):
            (tmp_path / f"old{i}.chart").write_bytes(b"x")
        stale = tmp_path / ".x.chart.abc.tmp"  # left by a writer that was stopped
        stale.write_bytes(b"x")
        hour_ago = time.time() - 7200
        os.utime(stale, (hour_ago, hour_ago))
        for i in range(5):
            os.utime(tmp_path / f"old{i}.chart", (hour_ago + i, hour_ago + i))
        kept.images()  # read: now the most recently used
        new = specs.ChartSpec(_draw_empty, {"title": "T", "message": "m"}, "a", [], "s.")
        new.images()  # a new chart: 7 in the store, more than twice 2
        new_key = new.key
    # The two most recently used are kept (the one read last among them), and the
    # temporary file a stopped writer left an hour ago is gone.
    assert {p.name for p in tmp_path.iterdir()} == {f"{key}.chart", f"{new_key}.chart"}


def test_the_store_is_the_users_own_never_an_out_directory(tmp_path: Path, monkeypatch):
    monkeypatch.delenv("BELARUS_MONITOR_CACHE", raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    assert chart_store() == tmp_path / "cache" / "belarus-monitor" / "charts"
    monkeypatch.setenv("BELARUS_MONITOR_CACHE", str(tmp_path / "mine"))
    assert chart_store() == tmp_path / "mine" / "charts"
