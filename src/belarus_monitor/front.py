"""The front page of a set of reports: key figures, the map, downloads.

The index of a build opens with what a reader comes for: the key figures of each
report in a sentence, the map of who answers Belarus' requests, and the data itself
to download. Everything here is computed from the data; :mod:`belarus_monitor.build`
caches it per data checksum so that a build with nothing to do stays fast.
"""

from __future__ import annotations

import base64
import io
import zipfile
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .dataset import Dataset

#: The files of the dataset written beside the reports.
DOWNLOADS = {
    "xlsx": "belarus-monitor.xlsx",
    "csv": "belarus-monitor-csv.zip",
    "json": "belarus-monitor-json.zip",
}


def front_matter(ds: Dataset) -> dict[str, Any]:
    """What the index shows above the list of reports, from one dataset.

    Returns
    -------
    dict
        ``lede`` (Markdown: the index renders it, raw HTML escaped), ``map_png``
        (base64), ``map_alt``, ``substance`` (``{country code: "figures" |
        "statements" | "groups"}``), ``as_of``, ``version`` and ``citation``.
    """
    import matplotlib.pyplot as plt

    from . import charts, maps, stories
    from .profile import countries_in_data, country_profile

    first = [
        stories.cooperation_lede(ds.requests, ds, ds.table("named_cases")),
        stories.repression_lede(ds.political_prisoners, ds, ds.prisoner_releases),
        stories.sanctions_lede(ds.unfriendly_states, ds.table("sanctions_designations"), ds),
    ]
    lede = " ".join(_first_sentence(t) for t in first if t)
    fig = maps.answers_map(maps.country_answers(ds), ds)
    png = charts.to_png(fig)
    alt = getattr(fig, "alt", "Map")
    plt.close(fig)
    substance = {c: country_profile(ds, c).substance for c in countries_in_data(ds)}
    return {
        "lede": lede,
        "map_png": base64.b64encode(png).decode(),
        "map_alt": alt,
        "substance": substance,
        "as_of": ds.as_of,
        "version": ds.version,
        "citation": ds.citation,
    }


def _first_sentence(markdown: str) -> str:
    """The first sentence of a lede.

    It ends at the first full stop after a word or a closing bracket, never inside a
    figure such as 1.5.
    """
    import re

    m = re.search(r"(?<=[a-z)\]*])\.\s", markdown)
    return markdown[: m.end()].strip() if m else markdown


def write_downloads(out: Path, data_dir: str | Path | None = None) -> dict[str, str]:
    """Write the dataset beside the reports: a workbook and zipped CSV and JSON.

    Returns
    -------
    dict
        ``{format: file name}`` of the files written.
    """
    import tempfile

    from .export import export_dataset
    from .files import atomic_write

    with tempfile.TemporaryDirectory(dir=out, prefix=".downloads-", suffix=".tmp") as tmp:
        work = Path(tmp)
        export_dataset("xlsx", work / DOWNLOADS["xlsx"], data_dir)
        atomic_write(out / DOWNLOADS["xlsx"], (work / DOWNLOADS["xlsx"]).read_bytes())
        for fmt in ("csv", "json"):
            folder = export_dataset(fmt, work / f"export-{fmt}", data_dir)
            atomic_write(out / DOWNLOADS[fmt], _zip(folder, f"belarus-monitor-{fmt}"))
    return dict(DOWNLOADS)


def _zip(folder: Path, prefix: str) -> bytes:
    """A zip of a folder's files, the same bytes for the same files."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for p in sorted(q for q in folder.iterdir() if not q.name.startswith(".")):
            info = zipfile.ZipInfo(f"{prefix}/{p.name}", date_time=(2024, 6, 25, 0, 0, 0))
            info.external_attr = 0o644 << 16
            info.compress_type = zipfile.ZIP_DEFLATED
            zf.writestr(info, p.read_bytes())
    return buf.getvalue()


__all__ = ["DOWNLOADS", "front_matter", "write_downloads"]
