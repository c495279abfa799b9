"""A chart before it is drawn: what it shows, apart from the drawing, and a store of images.

A :class:`ChartSpec` holds everything a chart's drawing uses, as plain values (dates,
numbers, words, colours), with its alt text, its sources and the data behind it. Its
drawing function takes those values only, never the dataset, so that two specs with
the same values draw the same pixels. The build keeps the images it rendered in the
user's own cache, keyed by a hash of the values, of matplotlib's settings, of the
library and of the installed drawing stack (:func:`use_store`):
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
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

#: Charts kept in the store: beyond twice this, the least recently used go, down to it.
STORE_SIZE = 300
#: The first line of a stored chart's file.
_MAGIC = b"belarus-monitor chart 1\n"
#: matplotlib settings that never change what is drawn (the backend, windows, keys).
_NOT_DRAWN = (
    "backend",
    "interactive",
    "webagg.",
    "tk.",
    "macosx.",
    "keymap.",
    "toolbar",
    "figure.raise_window",
    "savefig.directory",
)

_STORE: dict[str, Any] = {"path": None, "read": False, "salt": ""}


def _plain(value: Any) -> Any:
    """The JSON form of a value a spec may hold (dates as ISO text, numbers as numbers)."""
    if isinstance(value, (pd.Timestamp, dt.datetime, dt.date)):
        return value.isoformat()
    if isinstance(value, np.generic):  # a NumPy number or boolean
        return value.item()
    raise TypeError(f"a chart spec holds plain values only, not {type(value).__name__}")


def _style() -> str:
    """Every matplotlib setting a drawing starts from, the project's theme applied."""
    import warnings

    import matplotlib as mpl

    from belarus_monitor.figures.theme import apply_theme

    apply_theme()  # as every drawing does first: a notebook's own settings stay in
    with warnings.catch_warnings():  # reading a deprecated setting warns
        warnings.simplefilter("ignore")
        items = sorted(
            (k, repr(v)) for k, v in mpl.rcParams.items() if not k.startswith(_NOT_DRAWN)
        )
    return repr(items)


@lru_cache(maxsize=1)
def _versions() -> tuple[str, ...]:
    """The installed drawing stack (a lock file may not be what is installed)."""
    import sys

    import matplotlib
    import PIL
    from matplotlib import ft2font

    return (
        sys.version,
        matplotlib.__version__,
        ft2font.__freetype_version__,
        np.__version__,
        pd.__version__,
        PIL.__version__,
    )


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
        """A hash of what the pixels depend on.

        The drawing function, its values and the source line; matplotlib's settings,
        the theme applied; the library's hash (the store's salt) and the versions of
        the drawing stack.
        """
        name = f"{self.draw.__module__}.{self.draw.__qualname__}"
        text = json.dumps(
            [name, self.values, self.source_text, _STORE["salt"], _style(), _versions()],
            default=_plain,
        )
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
        # Only the library's own drawings: the code of one defined in a notebook is in
        # no hash.
        if not _STORE["salt"] or not self.draw.__module__.startswith("belarus_monitor."):
            path = None
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
    to the locked dependencies draws every chart again. Without a salt nothing is
    stored.
    """
    old = dict(_STORE)
    _STORE.update(path=path, read=read, salt=salt)
    try:
        yield
    finally:
        _STORE.update(old)


def _load(path: Path, key: str) -> tuple[bytes, str] | None:
    """A stored chart, if it is there whole (its checksum checked), else None."""
    file = path / f"{key}.chart"
    try:
        if path.is_symlink() or file.is_symlink():
            return None
        raw = file.read_bytes()
        if not raw.startswith(_MAGIC):
            return None
        digest, size, body = raw[len(_MAGIC) :].split(b"\n", 2)
        if hashlib.sha256(body).hexdigest().encode() != digest:
            return None
        png, svg = body[: int(size)], body[int(size) :].decode("utf-8")
        os.utime(file)  # used: kept longer (the store keeps the most recently used)
    except (OSError, ValueError, UnicodeError):
        return None
    return png, svg


def _save(path: Path, key: str, png: bytes, svg: str) -> None:
    """Store one chart (best effort: a store that cannot be written only costs time)."""
    from belarus_monitor.files import atomic_write

    body = png + svg.encode("utf-8")
    head = _MAGIC + hashlib.sha256(body).hexdigest().encode() + f"\n{len(png)}\n".encode()
    try:
        if path.is_symlink():
            return
        path.mkdir(parents=True, exist_ok=True)
        atomic_write(path / f"{key}.chart", head + body)
        _prune(path)
    except OSError:
        pass


def _prune(path: Path) -> None:
    """Keep the most recently used charts; remove what a stopped writer left behind."""
    old = time.time() - 3600
    with os.scandir(path) as it:
        entries = [e for e in it if e.is_file(follow_symlinks=False)]
    for e in entries:
        if e.name.startswith(".") and e.name.endswith(".tmp") and e.stat().st_mtime < old:
            Path(e.path).unlink(missing_ok=True)
    charts = [e for e in entries if e.name.endswith(".chart")]
    if len(charts) <= 2 * STORE_SIZE:
        return
    charts.sort(key=lambda e: e.stat().st_mtime_ns)
    for e in charts[: len(charts) - STORE_SIZE]:
        Path(e.path).unlink(missing_ok=True)
