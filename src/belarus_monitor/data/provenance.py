"""Where the data comes from and which data it is: checksum and citation.

The checksum identifies the exact data a figure was read in: it covers
``datapackage.json`` and every file the descriptor names, so any edit to the data
changes it. The citation names the dataset's version and that checksum; nothing in it
is typed by hand.
"""

from __future__ import annotations

import hashlib
import re
from functools import lru_cache
from pathlib import Path

from belarus_monitor import config
from belarus_monitor.data.reads import AS_OF, WHOLE, note, recording
from belarus_monitor.data.schema import read_package

#: The project's citation file (Citation File Format).
CITATION_FILE = config.PROJECT_ROOT / "CITATION.cff"
AUTHORS = "Belarus Monitor contributors"


def dataset_files(data_dir: str | Path | None = None) -> list[Path]:
    """Return ``datapackage.json`` and every resource file, sorted by file name.

    Parameters
    ----------
    data_dir
        Directory with the package (default: the project's ``data/``).

    Returns
    -------
    list of Path
        The files the checksum covers.

    Raises
    ------
    FileNotFoundError
        If the data directory or its descriptor is missing.
    DescriptorError
        If a file the descriptor names is missing, or is not a regular file inside
        the data directory.
    """
    pkg = read_package(data_dir)
    files = [pkg.path] + [pkg.file(r) for r in pkg.resources]
    return sorted(files, key=lambda p: p.name)


def dataset_checksum(data_dir: str | Path | None = None) -> str:
    """SHA-256 over the data package: every file's name and bytes, in name order.

    For each file of :func:`dataset_files` the hash takes its name (UTF-8), a NUL
    byte, its length as 8 big-endian bytes and its bytes, so that moving content
    between files or renaming one changes the checksum too.

    Parameters
    ----------
    data_dir
        Directory with the package (default: the project's ``data/``).

    Returns
    -------
    str
        64 lower-case hex digits.
    """
    note(WHOLE)
    return hash_files({f.name: f for f in dataset_files(data_dir)})


def hash_files(files: dict[str, Path]) -> str:
    """SHA-256 over named files: each name, a NUL byte, the length (8 bytes), the bytes.

    Parameters
    ----------
    files
        ``{name: path}``; hashed in the order given.

    Returns
    -------
    str
        64 lower-case hex digits.
    """
    h = hashlib.sha256()
    for name, path in files.items():
        data = path.read_bytes()
        h.update(name.encode("utf-8") + b"\0")
        h.update(len(data).to_bytes(8, "big"))
        h.update(data)
    return h.hexdigest()


def dataset_version(data_dir: str | Path | None = None) -> str:
    """The dataset's version (``version`` in ``datapackage.json``), apart from the code's."""
    return read_package(data_dir).version or "unversioned"


def data_as_of(data_dir: str | Path | None = None) -> str:
    """The date of the latest dated fact in the data (YYYY-MM-DD).

    Every date field of every table counts except the sources' own publication and
    access dates: the data is "as of" the last day a figure speaks of. What reads it
    depends on this date alone, not on the rows of those tables (:data:`reads.AS_OF`).
    """
    from belarus_monitor.data.load import data_state

    with recording():
        value = _data_as_of(*data_state(data_dir))
    note(AS_OF)
    return value


@lru_cache(maxsize=4)
def _data_as_of(data_dir: Path, signature: tuple) -> str:
    import pandas as pd

    from belarus_monitor.data.load import load_table

    pkg = read_package(data_dir)
    latest = None
    for res in pkg.resources:
        if res.name in ("sources", "vocabulary"):
            continue
        dates = [f.name for f in res.fields if f.type == "date"]
        if not dates:
            continue
        df = load_table(res.name, data_dir)
        for col in dates:
            m = df[col].max()
            if m is not None and not pd.isna(m) and (latest is None or m > latest):
                latest = m
    return "unknown" if latest is None else f"{latest:%Y-%m-%d}"


def release_year(citation_file: Path = CITATION_FILE) -> str:
    """Year of ``date-released`` in ``CITATION.cff``, or ``"n.d."`` without one.

    Parameters
    ----------
    citation_file
        The Citation File Format file to read.
    """
    if citation_file.is_file():
        m = re.search(
            r"^date-released:\s*[\"']?(\d{4})-", citation_file.read_text("utf-8"), re.MULTILINE
        )
        if m:
            return m.group(1)
    return "n.d."


def citation(data_dir: str | Path | None = None, checksum: bool = True) -> str:
    """The citation of the dataset, with its version and computed checksum.

    Parameters
    ----------
    data_dir
        Directory with the package (default: the project's ``data/``).
    checksum
        Name the package's checksum. A report's page does not: it names the version
        and the date, and shows no more of the data than the tables it read (its
        build manifest records their SHA-256 and the package's).

    Returns
    -------
    str
        ``"Belarus Monitor contributors (2026). Belarus Monitor dataset, version 0.1.0,
        sha256 0123456789ab. ..."``: the version comes from ``datapackage.json``, the
        year from ``CITATION.cff``, the checksum from the files.
    """
    pkg = read_package(data_dir)
    licences = ", ".join(lic.get("name", "") for lic in pkg.descriptor.get("licenses", []))
    return (
        f"{AUTHORS} ({release_year()}). Belarus Monitor dataset, version {pkg.version}, "
        f"data as of {data_as_of(data_dir)}"
        + (f", sha256 {dataset_checksum(data_dir)[:12]}" if checksum else "")
        + f". {pkg.title}."
        + (f" Data licence: {licences}." if licences else "")
        + " Cite the original source of each figure too (sources.csv)."
    )


__all__ = [
    "citation",
    "data_as_of",
    "dataset_checksum",
    "dataset_files",
    "dataset_version",
    "release_year",
]
