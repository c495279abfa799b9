"""A chart before it is drawn: what it shows, apart from the drawing, and a store of images.

A :class:`ChartSpec` holds everything a chart's drawing uses, as plain values (dates,
numbers, words, colours), with its alt text, its sources and the data behind it. Its
drawing function takes those values only, never the dataset, so that two specs with
the same values draw the same pixels. The build keeps the images it rendered in the
user's own cache, keyed by a hash of the values and of the library (:func:`use_store`):
a report run again after an edit that leaves a chart's values as they were (a quote
corrected, a source renamed in a table) takes the chart's PNG and SVG from there,
without drawing it again. Outside a build nothing is stored, and a spec is drawn every
time it is shown.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd
from matplotlib.figure import Figure

#: Images kept in the store: beyond twice this, the oldest are removed down to it.
STORE_SIZE = 300

_STORE: dict[str, Any] = {"path": None, "read": False, "salt": ""}


def _plain(value: Any) -> Any:
    """The JSON form of a value a spec may hold (dates as ISO text, numbers as numbers)."""
    if isinstance(value, (pd.Timestamp, dt.datetime, dt.date)):
        return value.isoformat()
    if hasattr(value, "item") and callable(value.item):  # a NumPy scalar
        return value.item()
    raise TypeError(f"a chart spec holds plain values only, not {type(value).__name__}")


@dataclass
class ChartSpec:
    """What a chart shows, ready to draw.

    Parameters
    ----------
    draw
        A module-level function that draws ``values`` on a new figure.
    values
        Everything the drawing uses, as plain values (see :func:`_plain`).
    alt
        What the chart shows, in words.
    source_ids
        The sources of what is drawn, in order.
    source_text
        The source line drawn under the chart.
    data
        Exactly the data drawn, with readable column names.
    """

    draw: Callable[[dict[str, Any]], Figure]
    values: dict[str, Any]
    alt: str
    source_ids: list[str]
    source_text: str
    data: pd.DataFrame = field(default_factory=pd.DataFrame)

    @property
    def key(self) -> str:
        """A hash of what the pixels depend on: the drawing, its values, the source line."""
        name = f"{self.draw.__module__}.{self.draw.__qualname__}"
        text = json.dumps([name, self.values, self.source_text, _STORE["salt"]], default=_plain)
        return hashlib.sha256(text.encode()).hexdigest()

    def figure(self) -> Figure:
        """Draw the chart (a new figure, with ``alt``, ``source_ids`` and ``data``)."""
        from belarus_monitor.figures.toolkit import finish_drawn

        fig = self.draw(self.values)
        return finish_drawn(fig, self.source_ids, self.source_text, self.alt, self.data)

    def images(self) -> tuple[bytes, str]:
        """The chart as a PNG and an SVG: from the build's store, or drawn and stored."""
        import matplotlib.pyplot as plt

        from belarus_monitor.figures.toolkit import render

        path: Path | None = _STORE["path"]
        key = self.key if path is not None else ""
        if path is not None and _STORE["read"]:
            kept = _load(path, key)
            if kept is not None:
                return kept
        fig = self.figure()
        try:
            png, svg = render(fig)
        finally:
            plt.close(fig)
        assert svg is not None
        if path is not None:
            _save(path, key, png, svg)
        return png, svg


@contextmanager
def use_store(path: Path | None, read: bool = True, salt: str = "") -> Iterator[None]:
    """Inside the block, keep rendered charts in ``path`` (read them too, if ``read``).

    ``salt`` (the library's hash) is part of every key: a change to the drawing code or
    to the locked dependencies draws every chart again.
    """
    old = dict(_STORE)
    _STORE.update(path=path, read=read, salt=salt)
    try:
        yield
    finally:
        _STORE.update(old)


def _load(path: Path, key: str) -> tuple[bytes, str] | None:
    try:
        png = (path / f"{key}.png").read_bytes()
        svg = (path / f"{key}.svg").read_text(encoding="utf-8")
    except (OSError, UnicodeError):
        return None
    return png, svg


def _save(path: Path, key: str, png: bytes, svg: str) -> None:
    """Store one chart (best effort: a store that cannot be written only costs time)."""
    from belarus_monitor.files import atomic_write

    try:
        path.mkdir(parents=True, exist_ok=True)
        atomic_write(path / f"{key}.svg", svg.encode("utf-8"))
        atomic_write(path / f"{key}.png", png)  # written last: a key is whole once it is
        _prune(path)
    except OSError:
        pass


def _prune(path: Path) -> None:
    with os.scandir(path) as it:
        pngs = [e for e in it if e.name.endswith(".png") and e.is_file()]
    if len(pngs) <= 2 * STORE_SIZE:
        return
    pngs.sort(key=lambda e: e.stat().st_mtime_ns)
    for e in pngs[: len(pngs) - STORE_SIZE]:
        for suffix in (".png", ".svg"):
            Path(path, e.name[: -len(".png")] + suffix).unlink(missing_ok=True)
