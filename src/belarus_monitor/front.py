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
from typing import Any

#: The files of the dataset written beside the reports.
DOWNLOADS = {
    "xlsx": "belarus-monitor.xlsx",
    "csv": "belarus-monitor-csv.zip",
    "json": "belarus-monitor-json.zip",
}


def front_matter(data_dir: str | Path | None = None) -> dict[str, Any]:
    """What the index shows above the list of reports.

    Returns
    -------
    dict
        ``lede`` (Markdown: the index renders it, raw HTML escaped), ``map_png``
        (base64), ``map_alt``, ``substance`` (``{country code: "figures" |
        "statements" | "groups"}``), ``as_of``,
        ``version`` and ``citation``.
    """
    import matplotlib.pyplot as plt

    from . import charts, maps, stories
    from .load import (
        load_groups,
        load_political_prisoners,
        load_prisoner_releases,
        load_requests,
        load_sources,
        load_table,
        load_unfriendly_states,
    )
    from .profile import countries_in_data, country_profile
    from .provenance import citation, data_as_of, dataset_version

    sources = load_sources(data_dir)
    req = load_requests(data_dir)
    unfriendly = load_unfriendly_states(data_dir)
    first = [
        stories.cooperation_lede(
            req, sources, load_groups(data_dir), load_table("named_cases", data_dir)
        ),
        stories.repression_lede(
            load_political_prisoners(data_dir), sources, load_prisoner_releases(data_dir)
        ),
        stories.sanctions_lede(unfriendly, load_table("sanctions_designations", data_dir), sources),
    ]
    lede = " ".join(_first_sentence(t) for t in first if t)
    fig = maps.answers_map(maps.country_answers(req, unfriendly), sources)
    png = charts.to_png(fig)
    alt = getattr(fig, "alt", "Map")
    plt.close(fig)
    substance = {c: country_profile(c, data_dir).substance for c in countries_in_data(data_dir)}
    return {
        "lede": lede,
        "map_png": base64.b64encode(png).decode(),
        "map_alt": alt,
        "substance": substance,
        "as_of": data_as_of(data_dir),
        "version": dataset_version(data_dir),
        "citation": citation(data_dir),
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
