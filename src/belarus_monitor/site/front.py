"""Build the reports: run the parameterised notebooks, export HTML and PDF.

``belarus-monitor build`` (behind ``make reports``) plans one job per report, skips
those whose inputs have not changed (a content hash stored beside each report), and
runs the rest in a pool of worker processes. Each worker imports the stack once; papermill
injects a notebook's parameters and the worker runs its cells in its own IPython shell
(:mod:`belarus_monitor.execute`; the namespace is reset in between), then exports HTML
(nbconvert) and PDF (WeasyPrint) itself: no new process and no kernel per report.
Outputs are byte-identical for the same inputs, written to a temporary name and renamed,
and a failing notebook never replaces a good report.
"""

from __future__ import annotations

import base64
import io
import re
import zipfile
from pathlib import Path
from typing import TYPE_CHECKING, Any

from belarus_monitor.files import (
    atomic_write,
)
from belarus_monitor.pipeline.cache import _read_json, _sha256, _update_cache
from belarus_monitor.site.index import checked_front

if TYPE_CHECKING:
    from belarus_monitor.data.dataset import Dataset


def _front(
    out: Path, data_dir: str | None, key: str, compute: bool = True
) -> dict[str, Any] | None:
    """The index's front matter, from the build cache when the data has not changed."""
    cached = _read_json(out / ".build-cache.json", limit=5_000_000).get("front")
    if isinstance(cached, dict) and cached.get("key") == key:
        value = checked_front(cached.get("value"))
        if value is not None:
            return value
    if not compute:
        return None
    from belarus_monitor.data.dataset import open as open_dataset
    from belarus_monitor.site.front import front_matter

    value = front_matter(open_dataset(data_dir))
    _update_cache(out, "front", {"key": key, "value": value})
    return value


def _downloads(out: Path, data_dir: str | None, key: str) -> None:
    """Write the dataset's downloads unless those on disk are of the same data."""
    from belarus_monitor.site.front import DOWNLOADS, write_downloads

    cached = _read_json(out / ".build-cache.json", limit=5_000_000).get("downloads")
    if (
        isinstance(cached, dict)
        and cached.get("key") == key
        and isinstance(cached.get("files"), dict)
        and all(_sha256(out / name) == cached["files"].get(name) for name in DOWNLOADS.values())
    ):
        return
    written = write_downloads(out, data_dir)
    _update_cache(
        out,
        "downloads",
        {"key": key, "files": {name: _sha256(out / name) for name in written.values()}},
    )


def _front_and_downloads(out: str, data_dir: str | None, key: str) -> dict[str, Any] | None:
    """The downloads and the index's front matter (in a worker, or in this process)."""
    _downloads(Path(out), data_dir, key)
    return _front(Path(out), data_dir, key)


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

    from belarus_monitor import figures as charts
    from belarus_monitor.analysis.profile import substances
    from belarus_monitor.figures import maps
    from belarus_monitor.words import stories

    # The newest significant fact first, dated (the latest release), then the first
    # sentence of each overview's lede.
    first = [
        stories.cooperation_lede(ds.requests, ds, ds.table("named_cases")),
        stories.repression_lede(ds.political_prisoners, ds, ds.prisoner_releases),
        stories.sanctions_lede(ds.unfriendly_states, ds.table("sanctions_designations"), ds),
    ]
    latest = stories.latest_release(ds.prisoner_releases, ds)
    sentences = ([latest[1]] if latest else []) + [_first_sentence(t) for t in first if t]
    lede = " ".join(sentences)
    fig = maps.answers_map(maps.country_answers(ds), ds)
    png = charts.to_png(fig)
    alt = getattr(fig, "alt", "Map")
    plt.close(fig)
    substance = substances(ds)
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
    m = re.search(r"(?<=[a-z0-9)\]*])\.\s", markdown)
    return markdown[: m.end()].strip() if m else markdown


def write_downloads(out: Path, data_dir: str | Path | None = None) -> dict[str, str]:
    """Write the dataset beside the reports: a workbook and zipped CSV and JSON.

    Returns
    -------
    dict
        ``{format: file name}`` of the files written.
    """
    import tempfile

    from belarus_monitor.data.export import export_dataset

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
