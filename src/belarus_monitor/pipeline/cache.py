"""What a build remembers: input hashes, the manifests beside each report, the caches."""

from __future__ import annotations

import hashlib
import json
import re
from functools import lru_cache
from pathlib import Path
from typing import Any

from belarus_monitor import __version__, config
from belarus_monitor.files import atomic_write, sha256_file
from belarus_monitor.pipeline.jobs import (
    BUILD_FORMAT_VERSION,
    FORMATS,
    MANIFEST,
    Job,
    available_notebooks,
)


def _memo_path() -> Path:
    """The user's own cache of what was computed from data (never the out directory).

    An out directory may come from someone else (a download, a shared folder): what it
    says about the data (valid, which countries) is not believed. The record lives in
    :func:`belarus_monitor.config.cache_dir` (``~/.cache/belarus-monitor``), keyed by
    the data's checksum and the library's hash.
    """
    return config.cache_dir() / "memo.json"


def chart_store() -> Path:
    """Where a build keeps the charts it drew (beside the memo, never in the out directory)."""
    return config.cache_dir() / "charts"


def _memo_get(key: str) -> Any:
    return _read_json(_memo_path()).get(key)


def _memo_put(key: str, value: Any) -> None:
    """Remember one value (best effort: an unwritable cache only costs time)."""
    path = _memo_path()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        known = _read_json(path)
        if len(known) > 200:  # a cache, not an archive: keep the newest entries
            known = dict(list(known.items())[-100:])
        known[key] = value
        atomic_write(path, json.dumps(known, indent=1).encode())
    except OSError:
        pass


def _update_cache(out: Path | None, key: str, value: Any) -> None:
    """Store one entry of the build cache (a hint only: every entry is checked on use)."""
    if out is None or not out.is_dir():
        return
    cache = out / ".build-cache.json"
    known = _read_json(cache, limit=5_000_000)
    known[key] = value
    atomic_write(cache, json.dumps(known, indent=1, sort_keys=True).encode())


def _read_json(path: Path, limit: int = 1_000_000) -> dict[str, Any]:
    """A small JSON object written by a build, or {} if it is missing or not one."""
    try:
        if path.is_symlink() or not path.is_file() or path.stat().st_size > limit:
            return {}
        value = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return value if isinstance(value, dict) else {}


# -- hashing --------------------------------------------------------------------------
def library_hash() -> str:
    """Hash of the library's source, templates and the lock file."""
    files = [
        p
        for p in config.PACKAGE_DIR.rglob("*")
        if p.is_file() and p.suffix in {".py", ".css", ".html", ".j2"}
    ]
    lock = config.PROJECT_ROOT / "uv.lock"
    if lock.exists():
        files.append(lock)
    from belarus_monitor.data.provenance import hash_files

    root = config.PROJECT_ROOT
    return hash_files(
        {str(p.relative_to(root)): p for p in sorted(files, key=lambda p: p.relative_to(root))}
    )


def input_hash(
    job: Job,
    formats: tuple[str, ...],
    data_hash: str,
    lib_hash: str,
    engine: str = "inprocess",
    base_url: str | None = None,
) -> str:
    """Content hash of what a report depends on but the data's tables.

    ``data_hash`` is the hash of the data's descriptor (:meth:`Fingerprints.descriptor`):
    the tables a report read are compared one by one (:func:`reads_current`).
    """
    h = hashlib.sha256()
    if engine != "inprocess":
        h.update(f"engine={engine}".encode() + b"\0")
    if base_url:
        h.update(f"base_url={base_url}".encode() + b"\0")
    for part in (
        BUILD_FORMAT_VERSION,
        __version__,
        job.notebook,
        json.dumps(job.params, sort_keys=True),
        ",".join(sorted(formats)),
        data_hash,
        lib_hash,
        hashlib.sha256((config.NOTEBOOKS_DIR / f"{job.notebook}.ipynb").read_bytes()).hexdigest(),
    ):
        h.update(part.encode())
        h.update(b"\0")
    return h.hexdigest()


def _outputs(out: Path, job: Job, formats: tuple[str, ...]) -> list[Path]:
    return [out / f"{job.stem}.ipynb"] + [out / f"{job.stem}.{f}" for f in formats]


def manifest_path(out: Path, stem: str) -> Path:
    """Where the manifest of a report is written."""
    return out / f"{stem}{MANIFEST}"


def _sha256(path: Path) -> str | None:
    """SHA-256 of a regular file (not a symlink), or None; each file state hashed once."""
    try:
        st = path.lstat()
    except OSError:
        return None
    import stat

    if not stat.S_ISREG(st.st_mode):
        return None
    return _sha256_of(str(path), st.st_mtime_ns, st.st_size)


@lru_cache(maxsize=4096)
def _sha256_of(path: str, mtime_ns: int, size: int) -> str | None:
    """:func:`files.sha256_file`, once per state (path, modification time, size)."""
    return sha256_file(path)


def read_manifest(out: Path, stem: str) -> dict[str, Any]:
    """The manifest of a report, or {} when it is missing or not of the right shape."""
    m = _read_json(manifest_path(out, stem))
    files = m.get("files")
    ok = (
        isinstance(m.get("inputs"), str)
        and isinstance(files, dict)
        and all(
            isinstance(k, str) and isinstance(v, str) and "/" not in k and k.startswith(stem + ".")
            for k, v in files.items()
        )
        and isinstance(m.get("title"), str)
        and isinstance(m.get("notebook"), str)
    )
    return m if ok else {}


def current_files(out: Path, stem: str) -> dict[str, str]:
    """The files of a report whose bytes are still those its build recorded.

    Returns
    -------
    dict
        ``{format: file name}`` for every output (``ipynb``, ``html``, ``pdf``) on
        disk whose SHA-256 matches the manifest; a truncated or edited file is absent,
        and so is any name but ``<stem>.<format>``.
    """
    m = read_manifest(out, stem)
    return {
        fmt: f"{stem}.{fmt}"
        for fmt in ("ipynb", *FORMATS)
        if f"{stem}.{fmt}" in m.get("files", {})
        and _sha256(out / f"{stem}.{fmt}") == m["files"][f"{stem}.{fmt}"]
    }


def report_name_ok(stem: str) -> bool:
    """Whether ``stem`` is a report name a plan makes: a notebook's name, then words.

    Names found in an out directory (manifests) are untrusted: one such as
    ``javascript:alert(1)`` must never become a link.
    """
    if not re.fullmatch(r"[A-Za-z0-9_][A-Za-z0-9_,-]{0,200}", stem):
        return False
    return any(stem == nb or stem.startswith(nb + "_") for nb in available_notebooks())


class Fingerprints:
    """What each key of :mod:`belarus_monitor.data.reads` stands for in one data state.

    A table's fingerprint is the SHA-256 of its file; ``as_of`` is the date itself;
    ``changelog`` the SHA-256 of ``CHANGELOG.md``; ``*`` the package's checksum. Each
    is computed when first asked for, so a build that finds every table unchanged
    never loads the data.

    Parameters
    ----------
    data_dir
        The data directory (``None``: the project's).
    checksum
        The package's checksum (:func:`provenance.dataset_checksum`), computed once
        by the build.
    lib_hash
        The library's hash (:func:`library_hash`): the date is remembered per data
        and library in the user's cache.
    """

    def __init__(self, data_dir: str | Path | None, checksum: str, lib_hash: str):
        from belarus_monitor.data.schema import read_package

        self.data_dir = data_dir
        self.checksum = checksum
        self.lib_hash = lib_hash
        self.package = read_package(data_dir)
        self._known: dict[str, str | None] = {}

    @property
    def descriptor(self) -> str:
        """SHA-256 of the descriptor: every report depends on it (labels, version)."""
        return _sha256(self.package.path) or ""

    def __call__(self, key: str) -> str | None:
        """The fingerprint of a key, or None for a table the data no longer has."""
        if key not in self._known:
            self._known[key] = self._compute(key)
        return self._known[key]

    def _compute(self, key: str) -> str | None:
        from belarus_monitor.data import reads

        if key == reads.WHOLE:
            return self.checksum
        if key == reads.AS_OF:
            memo = f"as_of:{self.checksum}:{self.lib_hash}"
            value = _memo_get(memo)
            if not (isinstance(value, str) and re.fullmatch(r"[0-9-]{10}|unknown", value)):
                from belarus_monitor.data.provenance import data_as_of

                value = data_as_of(self.data_dir)
                _memo_put(memo, value)
            return value
        if key == reads.CHANGELOG:
            path = self.package.path.parent / "CHANGELOG.md"
            return _sha256(path) or "none"
        names = {r.name: r for r in self.package.resources}
        return _sha256(self.package.file(names[key])) if key in names else None

    def of(self, keys: set[str] | frozenset[str]) -> dict[str, str]:
        """``{key: fingerprint}`` for the keys a report read (all in this data)."""
        return {k: v for k in sorted(keys) if (v := self(k)) is not None}


def reads_current(manifest: dict[str, Any], fingerprints: Fingerprints) -> bool:
    """Whether every table (and key) the report read is as it was when it was built."""
    recorded = manifest.get("reads")
    if not isinstance(recorded, dict) or not recorded:
        return False
    return all(
        isinstance(k, str) and isinstance(v, str) and fingerprints(k) == v
        for k, v in recorded.items()
    )


def up_to_date(
    out: Path,
    job: Job,
    formats: tuple[str, ...],
    digest: str,
    fingerprints: Fingerprints,
) -> bool:
    """Whether the report's inputs and the tables it read are unchanged.

    And whether its files are those its manifest records.
    """
    m = read_manifest(out, job.stem)
    if m.get("inputs") != digest or not reads_current(m, fingerprints):
        return False
    have = current_files(out, job.stem)
    return all(f in have for f in ("ipynb", *formats))
