"""The map's geometry: the shipped country shapes and the projections (no network)."""

from __future__ import annotations

import json
from functools import lru_cache
from typing import TYPE_CHECKING

import numpy as np  # noqa: E402
from matplotlib.path import Path as MPath  # noqa: E402

from belarus_monitor import config

if TYPE_CHECKING:
    pass


GEODATA = config.PACKAGE_DIR / "geodata" / "admin0_110m.json"
#: Regions: projection centre and the longitude/latitude box shown.
REGIONS = {
    "europe": {"box": (-25.0, 50.0, 34.0, 72.0), "centre": (13.0, 53.0)},
    "world": {"box": (-180.0, 180.0, -58.0, 84.0), "centre": (0.0, 0.0)},
}


@lru_cache(maxsize=1)
def load_geometry() -> tuple[dict, ...]:
    """Load the shipped country geometry (no network, no geopandas).

    Returns
    -------
    tuple of dict
        One dict per state: ``code`` (ISO 3166-1 alpha-2; ``""`` for territories ISO
        does not list), ``name``, ``point`` (a label point, longitude and latitude) and
        ``polygons`` (lists of rings of ``[lon, lat]``; empty for a state drawn as a
        point because the 1:110m geometry lacks it).
    """
    with open(GEODATA, encoding="utf-8") as fh:
        return tuple(json.load(fh)["features"])


# -- projections -----------------------------------------------------------------------


def _laea(lon: np.ndarray, lat: np.ndarray, lon0: float, lat0: float):
    """Lambert azimuthal equal-area projection (unit sphere)."""
    lam, phi = np.radians(lon - lon0), np.radians(lat)
    p0 = np.radians(lat0)
    cosc = np.sin(p0) * np.sin(phi) + np.cos(p0) * np.cos(phi) * np.cos(lam)
    k = np.sqrt(2.0 / np.maximum(1.0 + cosc, 1e-9))
    x = k * np.cos(phi) * np.sin(lam)
    y = k * (np.cos(p0) * np.sin(phi) - np.sin(p0) * np.cos(phi) * np.cos(lam))
    return x, y


def _equal_earth(lon: np.ndarray, lat: np.ndarray):
    """Equal Earth projection (Šavrič, Patterson and Jenny 2018), unit sphere."""
    a1, a2, a3, a4 = 1.340264, -0.081106, 0.000893, 0.003796
    lam, phi = np.radians(lon), np.radians(lat)
    th = np.arcsin(np.sqrt(3.0) / 2.0 * np.sin(phi))
    x = (
        2.0
        * np.sqrt(3.0)
        * lam
        * np.cos(th)
        / (3.0 * (9 * a4 * th**8 + 7 * a3 * th**6 + 3 * a2 * th**2 + a1))
    )
    y = a4 * th**9 + a3 * th**7 + a2 * th**3 + a1 * th
    return x, y


def _projector(region: str):
    if region == "world":
        return _equal_earth
    lon0, lat0 = REGIONS[region]["centre"]
    return lambda lon, lat: _laea(lon, lat, lon0, lat0)


def _limits(region: str, proj) -> tuple[float, float, float, float]:
    w, e, s, n = REGIONS[region]["box"]
    if region == "world":
        lon = np.r_[np.full(50, w), np.full(50, e), np.linspace(w, e, 50)]
        lat = np.r_[np.linspace(s, n, 50), np.linspace(s, n, 50), np.zeros(50)]
        x, y = proj(lon, lat)
        return float(x.min()), float(x.max()), float(y.min()), float(y.max())
    # Europe: the x range at the middle latitude, the y range along the central meridian.
    lon0 = REGIONS[region]["centre"][0]
    x, _ = proj(np.array([w, e]), np.array([55.0, 55.0]))
    _, y = proj(np.array([lon0, lon0]), np.array([s, n]))
    return float(x[0]), float(x[1]), float(y[0]), float(y[1])


def _path(polygons, proj) -> MPath | None:
    verts, codes = [], []
    for poly in polygons:
        for ring in poly:
            a = np.asarray(ring, dtype=float)
            x, y = proj(a[:, 0], a[:, 1])
            verts.extend(zip(x, y, strict=True))
            verts.append((0.0, 0.0))
            codes.extend([MPath.MOVETO] + [MPath.LINETO] * (len(a) - 1) + [MPath.CLOSEPOLY])
    return MPath(verts, codes) if verts else None
