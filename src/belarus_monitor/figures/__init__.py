"""The charts and the map, in the project's one style (``bm.charts``).

``toolkit`` holds what every chart shares (style, axes, the source line, alt text
and data, text checks, rendering); one module per subject draws its charts:
``requests``, ``prisoners``, ``lists``, ``designations``, ``cases``, ``maps`` (with
``geometry``); ``theme`` and ``canvas`` are the style and the canvas. Every chart is
reachable from here: ``bm.charts.prisoners_over_time(...)``. A chart with a ``_spec``
twin (``bm.charts.prisoners_spec(...)``) can also be had before drawing, as the plain
values its drawing uses (``spec``): a report shows a spec as it shows a figure, and
a build takes a chart whose values have not changed from its store instead of
drawing it again.
"""

from __future__ import annotations

import importlib
from typing import Any

#: The modules whose public names this package offers, looked up on first use.
_MODULES = ("toolkit", "requests", "prisoners", "lists", "designations", "cases")


def __getattr__(name: str) -> Any:
    if name in ("maps", "geometry", "theme", "canvas", "spec", *_MODULES):
        return importlib.import_module(f"{__name__}.{name}")
    for mod in _MODULES:
        module = importlib.import_module(f"{__name__}.{mod}")
        if hasattr(module, name) and not name.startswith("__"):
            return getattr(module, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
