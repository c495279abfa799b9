"""Convert Natural Earth 1:110m admin-0 (as shipped in geopandas 0.14.4) to geodata JSON.

One-off conversion, kept for provenance. Run it from the repository root::

    pip download --no-deps geopandas==0.14.4 -d /tmp/gpd
    cd /tmp/gpd && unzip geopandas-0.14.4-py3-none-any.whl 'geopandas/datasets/*'
    pip install --target /tmp/pyshp pyshp      # for this script only
    PYTHONPATH=/tmp/pyshp .venv/bin/python bench/make_geodata.py \
        /tmp/gpd/geopandas/datasets/naturalearth_lowres

It writes ``src/belarus_monitor/geodata/admin0_110m.json``. What it changes is listed
in ``src/belarus_monitor/geodata/README.md``; the small states it adds are in
``SMALL_STATES`` below.
"""

from __future__ import annotations

import hashlib
import json
import sys
from pathlib import Path

import numpy as np
import pycountry
import shapefile  # pyshp, not a dependency of the project

OUT = Path(__file__).resolve().parents[1] / "src/belarus_monitor/geodata/admin0_110m.json"

#: Natural Earth codes that are -99 (or wrong) in some versions: fixed from the name.
NAME_FIXES = {"France": "FR", "Norway": "NO", "Kosovo": "XK"}
#: Territories drawn but not ISO 3166-1 states (kept as land without a code).
NO_CODE = {"N. Cyprus", "Somaliland"}

#: States the 1:110m geometry lacks, as points at their capitals (lon, lat), degrees,
#: rounded to 2 decimals. Well-known capital coordinates, not taken from a data set.
SMALL_STATES = {
    "MT": ("Valletta", 14.51, 35.90),
    "LI": ("Vaduz", 9.52, 47.14),
    "AD": ("Andorra la Vella", 1.52, 42.51),
    "MC": ("Monaco", 7.42, 43.73),
    "SM": ("San Marino", 12.45, 43.94),
    "VA": ("Vatican City", 12.45, 41.90),
    "SG": ("Singapore", 103.85, 1.29),
    "BH": ("Manama", 50.59, 26.23),
}


def _area(ring: np.ndarray) -> float:
    x, y = ring[:, 0], ring[:, 1]
    return 0.5 * float(np.dot(x, np.roll(y, 1)) - np.dot(y, np.roll(x, 1)))


def _label_point(polygons: list[list[np.ndarray]]) -> tuple[float, float]:
    """A point well inside the largest polygon (a coarse pole of inaccessibility)."""
    from matplotlib.path import Path as MPath

    def scaled_area(poly: list[np.ndarray]) -> float:
        ring = poly[0]
        return abs(_area(ring)) * np.cos(np.radians(ring[:, 1].mean()))

    poly = max(polygons, key=scaled_area)
    outer = poly[0]
    k = np.cos(np.radians(outer[:, 1].mean()))
    rings = [r * [k, 1.0] for r in poly]
    (x0, y0), (x1, y1) = rings[0].min(axis=0), rings[0].max(axis=0)
    gx, gy = np.meshgrid(np.linspace(x0, x1, 60), np.linspace(y0, y1, 60))
    pts = np.column_stack([gx.ravel(), gy.ravel()])
    inside = MPath(rings[0]).contains_points(pts)
    for hole in rings[1:]:
        inside &= ~MPath(hole).contains_points(pts)
    pts = pts[inside]
    if len(pts) == 0:
        c = rings[0].mean(axis=0)
        return round(float(c[0] / k), 2), round(float(c[1]), 2)
    best = np.full(len(pts), np.inf)
    for r in rings:
        a, b = r[:-1], r[1:]
        d = b - a
        L = (d**2).sum(axis=1)
        L[L == 0] = 1e-12
        t = np.clip(((pts[:, None, :] - a[None]) * d[None]).sum(axis=2) / L[None], 0, 1)
        proj = a[None] + t[..., None] * d[None]
        dist = np.sqrt(((pts[:, None, :] - proj) ** 2).sum(axis=2)).min(axis=1)
        best = np.minimum(best, dist)
    p = pts[int(best.argmax())]
    return round(float(p[0] / k), 2), round(float(p[1]), 2)


def _ring(coords) -> list[list[float]]:
    out: list[list[float]] = []
    for x, y in coords:
        pt = [round(float(x), 2), round(float(y), 2)]
        if not out or out[-1] != pt:
            out.append(pt)
    return out


def main(src_dir: str) -> None:
    src = Path(src_dir)
    shp = src / "naturalearth_lowres.shp"
    reader = shapefile.Reader(str(shp))
    features = []
    for sr in reader.iterShapeRecords():
        rec = sr.record.as_dict()
        name = rec["name"]
        if name in NAME_FIXES:
            code = NAME_FIXES[name]
        elif name in NO_CODE:
            code = ""
        else:
            c = pycountry.countries.get(alpha_3=rec["iso_a3"])
            if c is None:
                raise SystemExit(f"no ISO code for {name!r} ({rec['iso_a3']})")
            code = c.alpha_2
        geo = sr.shape.__geo_interface__
        polys = geo["coordinates"] if geo["type"] == "MultiPolygon" else [geo["coordinates"]]
        polygons = []
        for poly in polys:
            rings = [_ring(r) for r in poly]
            rings = [r for r in rings if len(r) >= 4]
            if rings:
                polygons.append(rings)
        point = _label_point([[np.array(r) for r in p] for p in polygons])
        features.append({"code": code, "name": name, "point": list(point), "polygons": polygons})
    have = {f["code"] for f in features}
    for code, (capital, lon, lat) in SMALL_STATES.items():
        if code in have:
            continue
        features.append(
            {
                "code": code,
                "name": pycountry.countries.get(alpha_2=code).name,
                "point": [lon, lat],
                "polygons": [],
                "capital": capital,
            }
        )
    features.sort(key=lambda f: (f["code"] == "", f["code"], f["name"]))
    digest = hashlib.sha256(shp.read_bytes()).hexdigest()
    out = {
        "source": "Natural Earth 1:110m Cultural Vectors, Admin 0 - Countries "
        "(public domain), as shipped in geopandas 0.14.4 "
        "(geopandas/datasets/naturalearth_lowres)",
        "source_sha256": {"naturalearth_lowres.shp": digest},
        "crs": "EPSG:4326 (longitude, latitude in degrees, rounded to 2 decimals)",
        "features": features,
    }
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(
        json.dumps(out, ensure_ascii=False, separators=(",", ":")) + "\n", encoding="utf-8"
    )
    print(f"{OUT}: {len(features)} features, {OUT.stat().st_size:,} bytes")


if __name__ == "__main__":
    main(sys.argv[1])
