"""Paths of the project, found from this file's own location.

Every other module asks this one where things are; nothing else hard-codes a path.
The data directory can be overridden with the ``BELARUS_MONITOR_DATA`` environment
variable, and every loader also takes an explicit ``data_dir``; the user's cache with
``BELARUS_MONITOR_CACHE``.
"""

from __future__ import annotations

import os
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent
PROJECT_ROOT = PACKAGE_DIR.parents[1]
DATA_DIR = PROJECT_ROOT / "data"
NOTEBOOKS_DIR = PROJECT_ROOT / "notebooks"
REPORTS_DIR = PROJECT_ROOT / "reports"
DESCRIPTOR_NAME = "datapackage.json"


def data_dir(override: str | os.PathLike[str] | None = None) -> Path:
    """Return the data directory to use.

    Parameters
    ----------
    override
        An explicit directory; wins over everything else.

    Returns
    -------
    Path
        ``override``, else ``$BELARUS_MONITOR_DATA``, else the project's ``data/``.
    """
    if override is not None:
        return Path(override)
    env = os.environ.get("BELARUS_MONITOR_DATA")
    return Path(env) if env else DATA_DIR


def cache_dir() -> Path:
    """Return the user's own cache: what was validated, the charts a build drew.

    Returns
    -------
    Path
        ``$BELARUS_MONITOR_CACHE``, else ``$XDG_CACHE_HOME/belarus-monitor``, else
        ``~/.cache/belarus-monitor``. Never an out directory: one from someone else
        is not believed.
    """
    env = os.environ.get("BELARUS_MONITOR_CACHE")
    if env:
        return Path(env)
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "belarus-monitor"
