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

import argparse
import contextlib
import hashlib
import json
import os
import re
import signal
import sys
import threading
import time
from collections.abc import Callable
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from . import __version__, config
from .files import (
    Lock,
    OutputError,
    atomic_write,
    atomic_write_many,
    check_output_dir,
    claim_reports_directory,
    remove_stale_temporaries,
)
from .pages import page, render
from .text import excerpt

COUNTRY_PARAMETERS = ("country", "highlight")
FORMATS = ("html", "pdf")
INJECTED_ID = "injected-parameters"
#: Fixed timestamp for every tool that honours it (2024-06-25, the seed article).
SOURCE_DATE_EPOCH = "1719273600"
BUILD_FORMAT_VERSION = "2"
#: The manifest written beside each report: its inputs' hash and its files' hashes.
MANIFEST = ".build.json"
#: The most worker processes a build starts, per core.
MAX_JOBS_PER_CORE = 2
#: The most seconds one notebook may run by default (``build --timeout``).
DEFAULT_TIMEOUT = 600.0


class BuildError(ValueError):
    """A build parameter that is not valid; raised before anything is written."""


class BuildInterrupted(Exception):
    """The build was stopped by a signal; ``results`` holds what was done by then."""

    def __init__(self, signum: int, results: list[Result] | None = None):
        super().__init__(signal.Signals(signum).name)
        self.signum = signum
        self.results = results or []

    @property
    def exit_code(self) -> int:
        """128 + the signal's number: 130 for Ctrl-C, 143 for SIGTERM."""
        return 128 + self.signum


@dataclass(frozen=True)
class Job:
    """One report: a notebook and its parameters."""

    notebook: str
    parameters: tuple[tuple[str, Any], ...] = ()
    stem: str = ""

    def __hash__(self) -> int:
        # A list parameter (estimators=["Viasna"]) is not hashable itself.
        return hash((self.notebook, json.dumps(self.parameters, default=str), self.stem))

    @property
    def params(self) -> dict[str, Any]:
        """Parameters as a dict."""
        return dict(self.parameters)

    def describe(self) -> str:
        """``cooperation (highlight='DE')``."""
        p = ", ".join(f"{k}={excerpt(v, 60)}" for k, v in self.parameters if k != "data_dir")
        return f"{self.stem} ({p})" if p else self.stem


@dataclass
class Result:
    """What became of a job."""

    job: Job
    status: str  # "built", "up-to-date" or "failed"
    seconds: float = 0.0
    error: str = ""
    files: list[str] = field(default_factory=list)


# -- notebooks ------------------------------------------------------------------------
#: A report notebook carries ``metadata.belarus_monitor``: ``title``, ``description``,
#: ``kind`` ("overview" or "profile") and ``order``. Adding a report is adding a notebook.
META_KEY = "belarus_monitor"


@dataclass(frozen=True)
class Parameter:
    """One parameter a notebook declares in its ``parameters`` cell."""

    name: str
    type: str
    default: Any
    help: str


@dataclass(frozen=True)
class NotebookSpec:
    """What a report notebook says of itself: title, description, kind, parameters."""

    name: str
    title: str
    description: str
    kind: str
    order: int
    parameters: tuple[Parameter, ...]

    @property
    def parameter_names(self) -> list[str]:
        """The declared parameters' names."""
        return [p.name for p in self.parameters]

    @property
    def country_parameter(self) -> str | None:
        """The parameter that takes a country, if any."""
        return next((p for p in COUNTRY_PARAMETERS if p in self.parameter_names), None)


def _parse_parameters(source: str) -> tuple[Parameter, ...]:
    import ast

    params = []
    lines = source.splitlines()
    for node in ast.parse(source).body:
        if isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
            ptype = ast.unparse(node.annotation)
            value = node.value
        elif isinstance(node, ast.Assign) and isinstance(node.targets[0], ast.Name):
            ptype, value = "", node.value
            node_target = node.targets[0]
            params.append(
                Parameter(
                    node_target.id, ptype, ast.literal_eval(value), _comment(lines[node.lineno - 1])
                )
            )
            continue
        else:
            continue
        default = ast.literal_eval(value) if value is not None else None
        params.append(
            Parameter(
                node.target.id,
                ptype or type(default).__name__,
                default,
                _comment(lines[node.lineno - 1]),
            )
        )
    return tuple(params)


def _comment(line: str) -> str:
    return line.split("#", 1)[1].strip() if "#" in line else ""


_SPECS: dict[str, tuple[int, NotebookSpec | None]] = {}


def notebook_spec(name: str) -> NotebookSpec | None:
    """Read a notebook's self-description, or None if it is not a report notebook."""
    path = config.NOTEBOOKS_DIR / f"{name}.ipynb"
    mtime = path.stat().st_mtime_ns
    cached = _SPECS.get(name)
    if cached and cached[0] == mtime:
        return cached[1]
    nb = json.loads(path.read_text(encoding="utf-8"))
    meta = nb.get("metadata", {}).get(META_KEY)
    spec = None
    if isinstance(meta, dict) and meta.get("title"):
        source = next(
            (
                "".join(c["source"])
                for c in nb["cells"]
                if "parameters" in c.get("metadata", {}).get("tags", [])
            ),
            "",
        )
        spec = NotebookSpec(
            name,
            str(meta["title"]),
            str(meta.get("description", "")),
            str(meta.get("kind", "overview")),
            int(meta.get("order", 50)),
            _parse_parameters(source),
        )
    _SPECS[name] = (mtime, spec)
    return spec


def available_notebooks() -> list[str]:
    """Names of the report notebooks in ``notebooks/`` (those that describe themselves)."""
    specs = [notebook_spec(p.stem) for p in config.NOTEBOOKS_DIR.glob("*.ipynb")]
    return [s.name for s in sorted((s for s in specs if s), key=lambda s: (s.order, s.name))]


def is_profile(name: str) -> bool:
    """Whether a notebook is a per-country profile (one report per country in the data)."""
    spec = notebook_spec(name)
    return bool(spec and spec.kind == "profile")


def profile_notebooks() -> list[str]:
    """The report notebooks that make one report per country."""
    return [n for n in available_notebooks() if is_profile(n)]


def notebook_parameters(name: str) -> list[str]:
    """Names of the parameters a notebook declares in its ``parameters`` cell."""
    spec = notebook_spec(name)
    return spec.parameter_names if spec else []


def check_parameters(
    name: str, given: dict[str, str], data_dir: str | None = None
) -> dict[str, Any]:
    """Type and check ``-P name=value`` parameters against a notebook's declaration.

    Parameters
    ----------
    name
        The notebook.
    given
        Parameter names and their values as typed on the command line.
    data_dir
        The data directory, for parameters that name something in the data.

    Returns
    -------
    dict
        The values converted to the declared types (a country normalised to its code,
        a list from comma-separated text).

    Raises
    ------
    BuildError
        For an unknown parameter or a value of the wrong type, naming the notebook's
        parameters and what was expected.
    """
    import datetime as dt

    from .countries import UnknownCountryError, normalise_country, suggest_countries

    spec = notebook_spec(name)
    declared = {p.name: p for p in spec.parameters} if spec else {}
    settable = [p for p in declared if p != "data_dir"]
    out: dict[str, Any] = {}
    for key, raw in given.items():
        p = declared.get(key)
        if p is None or key == "data_dir":
            raise BuildError(
                f"-P {key}: {name} has no such parameter; its parameters are "
                + "; ".join(f"{n} ({declared[n].help})" for n in settable)
            )
        where = f"-P {key}={excerpt(raw)}"
        if key in COUNTRY_PARAMETERS:
            if raw == "" and p.default == "":
                out[key] = ""
                continue
            try:
                out[key] = normalise_country(raw)
            except UnknownCountryError:
                hint = suggest_countries(raw)
                raise BuildError(
                    f"{where}: expected a country (ISO code or English name)"
                    + (f"; did you mean {', '.join(hint)}?" if hint else "")
                ) from None
        elif p.type.startswith("list"):
            out[key] = [v.strip() for v in raw.split(",") if v.strip()]
        elif p.type == "int":
            if not re.fullmatch(r"-?[0-9]{1,9}", raw):
                raise BuildError(f"{where}: expected a whole number ({p.help})")
            out[key] = int(raw)
        elif p.type == "bool":
            if raw not in ("true", "false"):
                raise BuildError(f"{where}: expected true or false ({p.help})")
            out[key] = raw == "true"
        else:
            if "YYYY-MM-DD" in p.help and raw:
                try:
                    dt.date.fromisoformat(raw)
                    assert re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", raw)
                except (ValueError, AssertionError):
                    raise BuildError(f"{where}: expected a date as YYYY-MM-DD") from None
            out[key] = raw
        allowed = _allowed_values(key, data_dir)
        values = out[key] if isinstance(out[key], list) else [out[key]]
        bad = [v for v in values if allowed is not None and v and v not in allowed]
        if bad:
            raise BuildError(
                f"{where}: {excerpt(bad[0])} is not known; expected one of "
                + ", ".join(sorted(allowed))
            )
    return out


def _allowed_values(name: str, data_dir: str | None) -> set[str] | None:
    """The values the data allows for a parameter, where it names something in the data."""
    if name == "estimators":
        from .load import load_political_prisoners

        return set(load_political_prisoners(data_dir)["estimator"])
    if name in ("list_a", "list_b"):
        from .load import load_groups

        g = load_groups(data_dir)
        return set(g.loc[g["kind"] == "unfriendly_list", "group_id"])
    return None


def _countries_in_data(data_dir: str | None, data_hash: str, out: Path | None = None) -> list[str]:
    """Countries that appear in the data, remembered per data checksum (see :func:`_memo`)."""
    key = f"countries:{data_hash}:{library_hash()}"
    codes = _memo_get(key)
    if not (
        isinstance(codes, list)
        and all(isinstance(c, str) and re.fullmatch("[A-Z]{2}", c) for c in codes)
    ):
        from .dataset import open as open_dataset
        from .profile import countries_in_data

        codes = countries_in_data(open_dataset(data_dir))
        _memo_put(key, codes)
    return list(codes)


def _memo_path() -> Path:
    """The user's own cache of what was computed from data (never the out directory).

    An out directory may come from someone else (a download, a shared folder): what it
    says about the data (valid, which countries) is not believed. The record lives in
    ``$XDG_CACHE_HOME/belarus-monitor`` (``~/.cache/belarus-monitor``), keyed by the
    data's checksum and the library's hash.
    """
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "belarus-monitor" / "memo.json"


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


def plan(
    countries: list[str] | None = None,
    notebooks: list[str] | None = None,
    data_dir: str | None = None,
    out: str | Path | None = None,
    check_only: bool = False,
    parameters: dict[str, str] | None = None,
) -> list[Job]:
    """Turn the command-line selection into jobs, validating every parameter first.

    Parameters
    ----------
    countries
        Countries as codes or names; with no ``notebooks``, their profiles are built.
    notebooks
        Notebook names; with no ``countries``, default parameters (every country's
        profile for ``country_profile``).
    data_dir
        Data directory passed to the notebooks.
    out
        Output directory, where the list of countries in the data is cached.
    check_only
        Check the parameters only, without reading the data; return no jobs.
    parameters
        ``-P name=value`` pairs for the one notebook named in ``notebooks``.

    Raises
    ------
    BuildError
        For an unknown notebook or country, naming it and suggesting valid ones.
    """
    from .countries import UnknownCountryError, normalise_country, suggest_countries
    from .provenance import dataset_checksum

    known = available_notebooks()
    for nb in notebooks or []:
        if nb not in known:
            raise BuildError(
                f"--notebook {excerpt(nb)}: no such report notebook; "
                f"expected one of {', '.join(known)}"
            )
    codes: list[str] = []
    for c in countries or []:
        try:
            codes.append(normalise_country(c))
        except UnknownCountryError as exc:
            hint = exc.suggestions or suggest_countries(c)
            raise BuildError(
                f"--country {excerpt(c)}: unknown country; expected an ISO 3166-1 "
                "code or an English name" + (f"; did you mean {', '.join(hint)}?" if hint else "")
            ) from None
    codes = list(dict.fromkeys(codes))
    typed: dict[str, Any] = {}
    if parameters:
        if not notebooks or len(notebooks) != 1:
            raise BuildError("-P: name exactly one notebook with --notebook to set its parameters")
        typed = check_parameters(notebooks[0], parameters, data_dir)
    if check_only:
        for nb in notebooks or (profile_notebooks() if codes else []):
            declared = notebook_parameters(nb)
            if codes and not any(p in declared for p in COUNTRY_PARAMETERS):
                raise BuildError(
                    f"--country: the notebook {excerpt(nb)} takes no country; its "
                    f"parameters are {', '.join(declared) or 'none'}"
                )
        return []
    extra = {"data_dir": str(Path(data_dir).resolve())} if data_dir else {}
    chosen = notebooks or (profile_notebooks() if codes else available_notebooks())
    jobs: list[Job] = []
    for nb in chosen:
        declared = notebook_parameters(nb)
        cparam = next((p for p in COUNTRY_PARAMETERS if p in declared), None)
        if codes and cparam is None:
            raise BuildError(
                f"--country: the notebook {excerpt(nb)} takes no country; its "
                f"parameters are {', '.join(declared) or 'none'}"
            )
        targets: list[str | None] = list(codes)
        if not codes and is_profile(nb):
            outdir = Path(out) if out else None
            targets = list(_countries_in_data(data_dir, dataset_checksum(data_dir), outdir))
        elif not codes:
            targets = [None]
        if typed:
            targets = [None] if not codes else targets
            if codes and cparam in typed:
                raise BuildError(
                    f"-P {cparam} and --country both name a country; give it once "
                    f"(--country {codes[0]} or -P {cparam}={codes[0]})"
                )
        for code in targets:
            params = {**extra, **typed}
            if code and cparam:
                params[cparam] = code
            elif is_profile(nb) and not code and not (cparam and typed.get(cparam)):
                continue
            stem = f"{nb}_{code}" if code and cparam else nb
            if typed.keys() == {cparam} and cparam:  # only the country: named as --country
                stem = f"{nb}_{typed[cparam]}"
            elif typed:
                stem = _stem_for(nb, {k: v for k, v in params.items() if k != "data_dir"})
            jobs.append(Job(nb, tuple(sorted(params.items())), stem))
    return _check_unique_stems(list(dict.fromkeys(jobs)))


def _check_unique_stems(jobs: list[Job]) -> list[Job]:
    """The jobs, if no two of them would write the same files; else a :class:`BuildError`."""
    stems: dict[str, Job] = {}
    for j in jobs:
        if stems.setdefault(j.stem, j) != j:
            raise BuildError(
                f"two reports would be written as {j.stem!r}: "
                f"{stems[j.stem].describe()} and {j.describe()}"
            )
    return jobs


def _stem_for(notebook: str, typed: dict[str, Any]) -> str:
    """A file name for a report with explicit parameters: readable and unique."""
    parts = []
    for k, v in sorted(typed.items()):
        text = ",".join(map(str, v)) if isinstance(v, list) else str(v)
        parts.append(re.sub(r"[^A-Za-z0-9]+", "-", f"{k}-{text}").strip("-")[:40])
    digest = hashlib.sha256(json.dumps(typed, sort_keys=True).encode()).hexdigest()[:8]
    return f"{notebook}_{'_'.join(parts)}_{digest}"


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
    from .provenance import hash_files

    root = config.PROJECT_ROOT
    return hash_files(
        {str(p.relative_to(root)): p for p in sorted(files, key=lambda p: p.relative_to(root))}
    )


def input_hash(
    job: Job, formats: tuple[str, ...], data_hash: str, lib_hash: str, engine: str = "inprocess"
) -> str:
    """Content hash of everything a report depends on (the engine, when not the default)."""
    h = hashlib.sha256()
    if engine != "inprocess":
        h.update(f"engine={engine}".encode() + b"\0")
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
    try:
        h = hashlib.sha256()
        with open(path, "rb") as fh:
            for chunk in iter(lambda: fh.read(1 << 20), b""):
                h.update(chunk)
        return h.hexdigest()
    except OSError:
        return None


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


def up_to_date(out: Path, job: Job, formats: tuple[str, ...], digest: str) -> bool:
    """Whether the report's inputs are unchanged and its files are those recorded."""
    m = read_manifest(out, job.stem)
    if m.get("inputs") != digest:
        return False
    have = current_files(out, job.stem)
    return all(f in have for f in ("ipynb", *formats))


def _environment() -> None:
    """What every report run sees in its environment (tools that honour these read them).

    ``PYTHONHASHSEED`` is not here: a process's hash seed is fixed when it starts, so
    the workers are started with it (:func:`_run_pool`).
    """
    os.environ["SOURCE_DATE_EPOCH"] = SOURCE_DATE_EPOCH
    os.environ["PYDEVD_DISABLE_FILE_VALIDATION"] = "1"


def _abandon(exit_code: int) -> None:
    """Stop this worker now (a file it was writing stays a temporary the next build sweeps)."""
    os._exit(exit_code)


def _watch_parent(parent: int) -> None:
    """Exit when the build process that started this worker is gone."""
    while True:
        time.sleep(0.25)
        if os.getppid() != parent:
            _abandon(1)


def _notebook(job: Job) -> Any:
    """The job's notebook with its parameters injected, as papermill injects them."""
    import nbformat
    from papermill.parameterize import parameterize_notebook

    nb = nbformat.read(str(config.NOTEBOOKS_DIR / f"{job.notebook}.ipynb"), as_version=4)
    nb.metadata.setdefault("papermill", {})["default_parameters"] = {}
    for cell in nb.cells:
        cell.metadata.setdefault("tags", [])
    return parameterize_notebook(nb, job.params, kernel_name="python3", language="python")


def glob_escape(text: str) -> str:
    """Text taken literally in a glob pattern."""
    import glob

    return glob.escape(text)


def extract_figures(nb: Any, stem: str) -> dict[str, bytes]:
    """Take each chart's PNG, SVG and CSV out of the notebook, to write beside the report.

    A chart shown with :meth:`belarus_monitor.report.Report.show` carries its SVG and
    the CSV of the data it draws in its output's metadata. They are removed from the
    notebook (which stays small), and a line of links is added under the chart.

    Returns
    -------
    dict
        ``{file name: bytes}``: ``<stem>.figure-<n>.png``, ``.svg`` and ``.csv``.
    """
    import base64

    from nbformat.v4 import new_output

    from .report import FIGURE_KEY

    files: dict[str, bytes] = {}
    for cell in nb.cells:
        outputs = []
        for out in cell.get("outputs", []):
            outputs.append(out)
            meta = out.get("metadata", {}).pop(FIGURE_KEY, None)
            if not isinstance(meta, dict) or "image/png" not in out.get("data", {}):
                continue
            base = f"{stem}.figure-{int(meta.get('number', len(files) + 1))}"
            files[f"{base}.png"] = base64.b64decode(out["data"]["image/png"])
            links = [("PNG", f"{base}.png")]
            if meta.get("svg"):
                files[f"{base}.svg"] = str(meta["svg"]).encode()
                links.append(("SVG", f"{base}.svg"))
            if meta.get("csv"):
                files[f"{base}.csv"] = str(meta["csv"]).encode()
                links.append(("the data (CSV)", f"{base}.csv"))
            outputs.append(
                new_output(
                    "display_data", data={"text/html": render("figure_links.html.j2", links=links)}
                )
            )
        if "outputs" in cell:
            cell.outputs = outputs
    return files


def clean_notebook(nb) -> None:
    """Strip what differs between runs: timing metadata, counts, random ids."""
    for key in ("papermill",):
        meta = nb.metadata.get(key, {})
        nb.metadata[key] = {k: meta[k] for k in ("parameters", "default_parameters") if k in meta}
    nb.metadata.pop("widgets", None)
    count = 0
    for cell in nb.cells:
        cell.metadata.pop("papermill", None)
        cell.metadata.pop("execution", None)
        if "injected-parameters" in cell.metadata.get("tags", []):
            cell.id = INJECTED_ID
        if cell.cell_type == "code":
            if cell.get("execution_count") is not None:
                count += 1
                cell.execution_count = count
            for out in cell.get("outputs", []):
                if "execution_count" in out:
                    out["execution_count"] = cell.execution_count


def _title(job: Job) -> str:
    from .countries import country_name

    spec = notebook_spec(job.notebook)
    title = spec.title if spec else job.notebook
    code = next((v for k, v in job.parameters if k in COUNTRY_PARAMETERS), None)
    return f"{title}: {country_name(code)}" if code else title


@lru_cache(maxsize=1)
def _html_exporter() -> Any:
    """The HTML exporter (nbconvert) without code, made once per process."""
    from nbconvert import HTMLExporter
    from nbconvert.preprocessors import TagRemovePreprocessor
    from traitlets.config import Config

    c = Config()
    c.TagRemovePreprocessor.remove_cell_tags = {"injected-parameters", "parameters"}
    c.TagRemovePreprocessor.enabled = True
    c.HTMLExporter.exclude_input = True
    c.HTMLExporter.exclude_input_prompt = True
    c.HTMLExporter.exclude_output_prompt = True
    c.HTMLExporter.anchor_link_text = ""
    exporter = HTMLExporter(config=c, template_name="basic")
    exporter.register_preprocessor(TagRemovePreprocessor(config=c), enabled=True)
    return exporter


def to_html(nb, title: str, as_of: str | None = None) -> str:
    """Export an executed notebook to a self-contained HTML page without code."""
    body, _ = _html_exporter().from_notebook_node(nb)
    return page(title, with_contents(body), as_of=as_of)


#: A report with at least this many sections gets a table of contents.
TOC_MIN_SECTIONS = 4


def with_contents(body: str) -> str:
    """Give every section heading an id and, in a long report, a table of contents.

    The contents list the ``h2`` headings and go right after the lede (or at the top).
    """
    import html as htmllib

    sections: list[tuple[str, str]] = []

    def number(match: re.Match) -> str:
        attrs = match.group(1)
        inner = re.sub(r'<a class="anchor-link"[^>]*>.*?</a>', "", match.group(2), flags=re.S)
        text = htmllib.unescape(re.sub(r"<[^>]+>", "", inner)).strip()
        ident = f"section-{len(sections) + 1}"
        sections.append((ident, text))
        attrs = re.sub(r'\s+id="[^"]*"', "", attrs)
        return f'<h2{attrs} id="{ident}">{inner}</h2>'

    body = re.sub(r"<h2([^>]*)>(.*?)</h2>", number, body, flags=re.S)
    if len(sections) < TOC_MIN_SECTIONS:
        return body
    toc = render("contents.html.j2", sections=sections)
    end_of_lede = re.search(r'<div class="bm-lede">.*?</div>', body, flags=re.S)
    at = end_of_lede.end() if end_of_lede else 0
    return body[:at] + toc + body[at:]


def to_pdf(page_html: str) -> bytes:
    """Render the HTML page to an A4 PDF with WeasyPrint."""
    import logging

    from weasyprint import HTML

    logging.getLogger("weasyprint").setLevel(logging.ERROR)
    logging.getLogger("fontTools").setLevel(logging.ERROR)
    return HTML(string=page_html, url_fetcher=_fetcher()).write_pdf()


def _fetcher() -> Any:
    """WeasyPrint's fetcher for inline ``data:`` URLs only: never a file or the network."""
    from weasyprint.urls import URLFetcher

    return URLFetcher(allowed_protocols=["data"])


def run_job(
    job: Job,
    out: str,
    formats: tuple[str, ...],
    digest: str,
    data_hash: str = "",
    timeout: float | None = DEFAULT_TIMEOUT,
    engine: str = "inprocess",
) -> Result:
    """Execute one notebook and export it; never replaces a good report on failure.

    ``engine`` is ``"inprocess"`` (the worker's own IPython shell, the default) or
    ``"kernel"`` (papermill and a real Jupyter kernel, :func:`run_in_kernel`).
    """
    import nbformat

    from .execute import CellError, run_notebook

    start = time.perf_counter()
    outdir = Path(out)
    _environment()
    try:
        nb = _notebook(job)
        if engine == "kernel":
            nb = run_in_kernel(nb, timeout)
        else:
            run_notebook(
                nb,
                config.NOTEBOOKS_DIR,
                passthrough=(KeyboardInterrupt, BuildInterrupted),
                timeout=timeout,
            )
    except BuildInterrupted:
        raise
    except CellError as exc:
        failed = outdir / f"{job.stem}.failed.ipynb"
        with contextlib.suppress(OSError):  # a full disk: the error is reported anyway
            atomic_write(failed, (nbformat.writes(nb) + "\n").encode())
        return Result(
            job,
            "failed",
            time.perf_counter() - start,
            f"cell {exc.cell_index}: {exc.ename}: {_short(exc.evalue)}",
            [str(failed)],
        )
    except Exception as exc:  # noqa: BLE001 - any failure is reported, not raised
        return Result(
            job, "failed", time.perf_counter() - start, f"{type(exc).__name__}: {_short(exc)}"
        )
    clean_notebook(nb)
    figures = extract_figures(nb, job.stem)
    files: dict[Path, bytes] = {outdir / f"{job.stem}.ipynb": (nbformat.writes(nb) + "\n").encode()}
    try:
        from .provenance import data_as_of

        page_html = to_html(nb, _title(job), data_as_of(job.params.get("data_dir")))
        if "html" in formats:
            files[outdir / f"{job.stem}.html"] = page_html.encode()
        if "pdf" in formats:
            files[outdir / f"{job.stem}.pdf"] = to_pdf(page_html)
        if "html" in formats:
            files.update({outdir / name: data for name, data in figures.items()})
    except BuildInterrupted:
        raise
    except Exception as exc:  # noqa: BLE001
        return Result(
            job,
            "failed",
            time.perf_counter() - start,
            f"export: {type(exc).__name__}: {_short(exc)}",
        )
    manifest = {
        "notebook": job.notebook,
        "title": _title(job),
        "inputs": digest,
        "parameters": {k: v for k, v in job.params.items() if k != "data_dir"},
        "data": data_hash,
        "files": {p.name: hashlib.sha256(data).hexdigest() for p, data in files.items()},
    }
    try:  # the report's files and its manifest all at once, or none (a full disk)
        atomic_write_many(
            {
                **files,
                manifest_path(outdir, job.stem): (
                    json.dumps(manifest, indent=1, sort_keys=True) + "\n"
                ).encode(),
            }
        )
    except OSError as exc:
        return Result(
            job,
            "failed",
            time.perf_counter() - start,
            f"cannot write the report ({exc.strerror or exc}); the previous one is kept",
        )
    for fmt in FORMATS:
        if fmt not in formats:  # an output of other inputs is not left to look current
            (outdir / f"{job.stem}.{fmt}").unlink(missing_ok=True)
    for old in outdir.glob(f"{glob_escape(job.stem)}.figure-*"):
        if old.name not in manifest["files"]:
            old.unlink(missing_ok=True)
    (outdir / f"{job.stem}.failed.ipynb").unlink(missing_ok=True)
    (outdir / f"{job.stem}.inputs.sha256").unlink(missing_ok=True)  # build format 1
    return Result(job, "built", time.perf_counter() - start, files=[str(p) for p in files])


#: How reports are executed: the worker's own shell, or papermill with a real kernel.
ENGINES = ("inprocess", "kernel")
#: The kernel the notebooks name (installed into .venv by the set-up).
KERNEL_NAME = "belarus-monitor"


def run_in_kernel(nb: Any, timeout: float | None = None) -> Any:
    """Execute a notebook (parameters injected) with papermill in a real Jupyter kernel.

    The same notebook the in-process engine runs, in the kernel the notebook names,
    with the notebooks' folder as working directory; for anyone who needs exact kernel
    semantics. ``timeout`` bounds each cell.

    Raises
    ------
    CellError
        When a cell raises (or runs past ``timeout``), naming the cell.
    """
    import papermill
    from papermill.exceptions import PapermillExecutionError

    from .execute import CellError

    try:
        return papermill.execute_notebook(
            nb,
            None,
            kernel_name=KERNEL_NAME,
            cwd=str(config.NOTEBOOKS_DIR),
            progress_bar=False,
            log_output=False,
            execution_timeout=timeout,
        )
    except PapermillExecutionError as exc:
        raise CellError(int(exc.cell_index), exc.ename, exc.evalue) from None
    except TimeoutError:
        raise CellError(-1, "Timeout", f"a cell ran longer than {timeout:g} s") from None


def _short(text: object, limit: int = 300) -> str:
    """An error message cut to one line of reasonable length."""
    line = " ".join(str(text).split())
    return line if len(line) <= limit else line[: limit - 1] + "…"


def _warm(parent: int | None = None) -> None:
    """Start a worker process: import the stack once into its IPython shell.

    Ctrl-C is the build's to handle; SIGTERM or the build's death ends the worker at
    once, writing nothing more.
    """
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, lambda *_: _abandon(128 + signal.SIGTERM))
    if parent is not None:
        threading.Thread(target=_watch_parent, args=(parent,), daemon=True).start()
    _environment()
    from .execute import collect_less, shell

    shell()
    collect_less()


# -- index ------------------------------------------------------------------------------
def _is_country_code(code: str) -> bool:
    from .validation import known_countries

    return bool(re.fullmatch("[A-Z]{2}", code)) and code in known_countries()


#: What the index's front matter holds: each key with its type.
FRONT_KEYS = {
    "as_of": str,
    "version": str,
    "lede": str,
    "map_png": str,
    "map_alt": str,
    "citation": str,
    "substance": dict,
}
SUBSTANCE = ("figures", "statements", "groups")


def checked_front(front: Any) -> dict[str, Any] | None:
    """The front matter if it has the shape :func:`front.front_matter` gives, else None.

    Front matter read back from the build cache is untrusted: every key must be there
    with its type, the map must be base64, the grouping of profiles one of three words.
    Its text is escaped when the index is written (the lede is Markdown, rendered with
    raw HTML escaped), never inserted as HTML.
    """
    if front is None:
        return {k: ({} if t is dict else "") for k, t in FRONT_KEYS.items()}
    if not isinstance(front, dict) or not all(
        isinstance(front.get(k), t) for k, t in FRONT_KEYS.items()
    ):
        return None
    if not re.fullmatch(r"[A-Za-z0-9+/=]*", front["map_png"]) or len(front["lede"]) > 20_000:
        return None
    subst = front["substance"]
    if not all(isinstance(c, str) and v in SUBSTANCE for c, v in subst.items()):
        return None
    return {k: front[k] for k in FRONT_KEYS}


def write_index(
    out: Path,
    results: dict[str, Result] | None = None,
    front: dict[str, Any] | None = None,
    data_hash: str = "",
) -> Path:
    """Write ``index.html`` from what is on disk: every report whose files are current.

    Only files whose bytes match their report's manifest are linked; a report that
    failed in the last build is marked, and so is one built from other data than
    ``data_hash`` (the current data's checksum). With ``front`` (from
    :func:`belarus_monitor.front.front_matter`) the page opens with the key figures,
    the map and the downloads, and groups the country profiles by what they hold.

    Everything read from the out directory is untrusted: a report is listed only under
    a name a plan makes (:func:`report_name_ok`), of a known notebook, its title made
    afresh from the notebook and its country; links are only to its own files.
    """
    from .pages import paragraph_html, trusted

    results = results or {}
    front = checked_front(front) or checked_front(None)
    stems = {p.name.removesuffix(MANIFEST) for p in out.glob(f"*{MANIFEST}")}
    stems = {s for s in stems if report_name_ok(s)}
    failed = {s for s, r in results.items() if r.status == "failed"}
    specs = {n: notebook_spec(n) for n in available_notebooks()}
    order = {nb: i for i, nb in enumerate(specs)}
    substance = front["substance"]
    reports, profiles = [], {"figures": [], "statements": [], "groups": []}
    for stem in stems | failed:
        m = read_manifest(out, stem)
        have = current_files(out, stem) if m else {}
        if not have and stem not in failed:
            continue
        if stem in results:
            job = results[stem].job
        else:  # known only from its manifest: believed only where it checks out
            notebook = m.get("notebook")
            params = m.get("parameters") if isinstance(m.get("parameters"), dict) else {}
            if notebook not in specs or not stem.startswith(notebook):
                continue
            spec = specs[notebook]
            cparam = spec.country_parameter if spec else None
            code = params.get(cparam) if cparam else None
            if code is not None and not (isinstance(code, str) and _is_country_code(code)):
                continue
            job = Job(notebook, ((cparam, code),) if code else (), stem)
        notebook = job.notebook
        title = _title(job)
        other_data = bool(data_hash) and m.get("data") != data_hash and stem not in results
        row = {
            "key": (order.get(notebook, 99), title),
            "title": title,
            "failed": stem in failed,
            "other_data": other_data,
            "href": have.get("html"),
            "description": specs[notebook].description if notebook in specs else "",
            "files": [
                {"href": have[f], "label": f.upper()} for f in ("html", "pdf", "ipynb") if f in have
            ],
        }
        country = job.params.get("country")
        if is_profile(notebook) and country and stem not in failed and not other_data:
            from .countries import country_name

            row["title"] = country_name(country)
            profiles[substance.get(country, "groups")].append(row)
        else:
            reports.append(row)
    reports.sort(key=lambda r: r["key"])
    for rows in profiles.values():
        rows.sort(key=lambda r: r["title"])
    downloads = [
        {"href": name, "label": label}
        for name, label in (
            ("belarus-monitor.xlsx", "Excel workbook"),
            ("belarus-monitor-csv.zip", "CSV (zip)"),
            ("belarus-monitor-json.zip", "JSON (zip)"),
        )
        if (out / name).is_file()
    ]
    lede = trusted(paragraph_html(front["lede"])) if front["lede"] else ""
    body = render(
        "index.html.j2",
        reports=reports,
        profiles=profiles,
        front=front,
        lede=lede,
        downloads=downloads,
    )
    path = out / "index.html"
    atomic_write(path, page("Belarus Monitor", body).encode())
    return path


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
    from .dataset import open as open_dataset
    from .front import front_matter

    value = front_matter(open_dataset(data_dir))
    _update_cache(out, "front", {"key": key, "value": value})
    return value


def _downloads(out: Path, data_dir: str | None, key: str) -> None:
    """Write the dataset's downloads unless those on disk are of the same data."""
    from .front import DOWNLOADS, write_downloads

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


# -- driver -----------------------------------------------------------------------------
def _interrupt(signum: int, frame: Any) -> None:
    raise BuildInterrupted(signum)


@contextlib.contextmanager
def _signals_stop_the_build() -> Any:
    """While building, Ctrl-C and SIGTERM raise :class:`BuildInterrupted` (main thread)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    old = {s: signal.signal(s, _interrupt) for s in (signal.SIGINT, signal.SIGTERM)}
    try:
        yield
    finally:
        for s, h in old.items():
            signal.signal(s, h)


class _Progress:
    """A progress bar on a terminal; one line per finished report elsewhere."""

    def __init__(self, total: int, enabled: bool):
        self.enabled = enabled and total > 0
        self.tty = sys.stderr.isatty()
        self.bar = None
        if self.enabled and self.tty:
            from tqdm import tqdm

            self.bar = tqdm(total=total, unit="report", file=sys.stderr, desc="reports")

    def done(self, result: Result) -> None:
        if self.bar is not None:
            self.bar.update()
        elif self.enabled:
            print(f"{result.status:<7} {result.job.stem}  {result.seconds:.1f}s", flush=True)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()


def _run_pool(
    todo: list[Job],
    outdir: Path,
    formats: tuple[str, ...],
    digests: dict[str, str],
    workers: int,
    results: dict[str, Result],
    progress: _Progress,
    also: tuple[Callable[..., Any], tuple] | None = None,
    data_hash: str = "",
    timeout: float | None = DEFAULT_TIMEOUT,
    engine: str = "inprocess",
) -> Any:
    """Run the jobs in worker processes, longest first, and ``also``, if given.

    ``also`` (a function and its arguments, a few seconds of work) is queued after the
    overviews and before the country profiles, the quick reports that fill the end of
    the build. Returns its result.
    """
    import multiprocessing

    ctx = multiprocessing.get_context("spawn")
    # A worker's hash seed is fixed when it starts: it is started with seed 0, so that
    # no output can depend on the order of a set of strings.
    seed = os.environ.get("PYTHONHASHSEED")
    os.environ["PYTHONHASHSEED"] = "0"
    pool = ProcessPoolExecutor(
        max_workers=workers, mp_context=ctx, initializer=_warm, initargs=(os.getpid(),)
    )
    # Longest first: profiles are quick, overviews slow.
    order = sorted(todo, key=lambda j: is_profile(j.notebook))
    futures: dict[Any, Job] = {}
    tail = None
    for j in [*order, None]:  # None: the end of the queue
        if tail is None and also is not None and (j is None or is_profile(j.notebook)):
            tail = pool.submit(also[0], *also[1])
        if j is not None:
            fut = pool.submit(
                run_job, j, str(outdir), formats, digests[j.stem], data_hash, timeout, engine
            )
            futures[fut] = j
    try:
        pending = set(futures) | ({tail} if tail is not None else set())
        while pending:
            done, pending = wait(pending, timeout=0.5, return_when=FIRST_COMPLETED)
            for fut in done:
                if fut is tail:
                    continue
                j = futures[fut]
                try:
                    results[j.stem] = fut.result()
                except Exception as exc:  # noqa: BLE001 - a dead worker fails one report
                    results[j.stem] = Result(
                        j, "failed", error=f"{type(exc).__name__}: {_short(exc)}"
                    )
                progress.done(results[j.stem])
    except BaseException:
        # End the workers; the pool then fails every queued report, which never runs.
        procs = list(getattr(pool, "_processes", {}).values())
        for proc in procs:
            with contextlib.suppress(Exception):
                proc.terminate()
        for proc in procs:
            proc.join(timeout=5)
            if proc.is_alive():
                proc.kill()
        pool.shutdown(wait=True)
        raise
    pool.shutdown(wait=True)
    if seed is None:
        os.environ.pop("PYTHONHASHSEED", None)
    else:
        os.environ["PYTHONHASHSEED"] = seed
    if also is None or tail is None:
        return None
    try:
        return tail.result()
    except Exception:  # noqa: BLE001 - e.g. its worker died: made here instead
        return also[0](*also[1])


def build(
    jobs: list[Job],
    out: str | Path | None = None,
    formats: tuple[str, ...] = FORMATS,
    workers: int | None = None,
    force: bool = False,
    data_dir: str | None = None,
    progress: bool = True,
    timeout: float | None = DEFAULT_TIMEOUT,
    engine: str = "inprocess",
) -> list[Result]:
    """Build the given reports; return one :class:`Result` per job.

    Parameters
    ----------
    jobs
        From :func:`plan`.
    out
        Output directory (default: ``reports/``).
    formats
        Any of ``"html"``, ``"pdf"``.
    workers
        Worker processes (default: the number of cores).
    force
        Rebuild reports that are up to date.
    data_dir
        Data directory (for the data checksum).
    progress
        Show progress: a bar on a terminal, a line per report elsewhere.
    timeout
        The most seconds one notebook may run; past it the report fails (naming the
        cell) and its previous good version is kept. None: no limit.
    engine
        ``"inprocess"`` (default) or ``"kernel"``: see :func:`run_job`.

    Raises
    ------
    OutputError
        If ``out`` may not be written, or another build is writing into it.
    BuildInterrupted
        On Ctrl-C or SIGTERM: queued reports are cancelled, workers ended, the index
        rewritten from what is on disk; ``results`` has what was done.
    """
    from .provenance import dataset_checksum

    formats = tuple(dict.fromkeys(formats))
    claim_reports_directory(Path(out if out else config.REPORTS_DIR).expanduser().resolve())
    outdir = check_output_dir(out if out else config.REPORTS_DIR, "--out", data_dir)
    results: dict[str, Result] = {}
    front: dict[str, Any] | None = None
    key = data_hash = ""
    with Lock(outdir), _signals_stop_the_build():
        remove_stale_temporaries(outdir, (".*.tmp", ".*.old"))
        try:
            data_hash = dataset_checksum(data_dir)
            lib_hash = library_hash()
            key = hashlib.sha256(f"{data_hash}{lib_hash}".encode()).hexdigest()
            digests = {j.stem: input_hash(j, formats, data_hash, lib_hash, engine) for j in jobs}
            todo = []
            for j in jobs:
                if not force and up_to_date(outdir, j, formats, digests[j.stem]):
                    results[j.stem] = Result(j, "up-to-date")
                else:
                    todo.append(j)
            workers = max(1, min(workers or os.cpu_count() or 1, len(todo) or 1))
            side: dict[str, Any] = {}

            def front_and_downloads() -> None:
                side["front"] = _front_and_downloads(str(outdir), data_dir, key)

            bar = _Progress(len(todo), progress)
            try:
                if todo and workers == 1 and not sys.flags.hash_randomization:
                    # In this process, when its hashes are those of a worker (PYTHONHASHSEED=0):
                    # the outputs must not depend on the order of a set.
                    front_and_downloads()
                    for j in todo:
                        results[j.stem] = run_job(
                            j, str(outdir), formats, digests[j.stem], data_hash, timeout, engine
                        )
                        bar.done(results[j.stem])
                elif todo:
                    # The front matter and downloads are made by a worker, where the
                    # libraries are imported and the data loaded already.
                    side["front"] = _run_pool(
                        todo,
                        outdir,
                        formats,
                        digests,
                        workers,
                        results,
                        bar,
                        also=(_front_and_downloads, (str(outdir), data_dir, key)),
                        data_hash=data_hash,
                        timeout=timeout,
                        engine=engine,
                    )
                else:
                    front_and_downloads()
            finally:
                bar.close()
            front = side["front"]
        except BuildInterrupted as exc:
            exc.results = [results[j.stem] for j in jobs if j.stem in results]
            raise
        finally:
            remove_stale_temporaries(outdir, (".*.tmp",))
            if front is None and key:  # interrupted: the last front matter, if it is current
                front = _front(outdir, data_dir, key, compute=False)
            write_index(outdir, results, front, data_hash)
    return [results[j.stem] for j in jobs]


def _data_problems(data_dir: str | None, out: Path) -> tuple[int, str] | None:
    """(exit code, message) when the data cannot be built from, else None.

    Data that passed once is known by its checksum (in the user's own cache, see
    :func:`_memo_path`; never in the out directory), so a no-op build does not validate
    it again.
    """
    from .provenance import dataset_checksum
    from .validation import validate

    try:
        digest: str | None = dataset_checksum(data_dir)
    except (OSError, ValueError):
        digest = None
    key = f"valid:{digest}:{library_hash()}"
    if digest and _memo_get(key) is True:
        return None
    problems = validate(data_dir)
    if not problems:
        if digest:
            _memo_put(key, True)
        return None
    missing = [
        p
        for p in problems
        if p.file == config.DESCRIPTOR_NAME and p.row is None and "an existing file" in p.expected
    ]
    if missing:
        return 2, f"--data-dir: {missing[0].expected}"
    shown = "\n".join(f"  {p}" for p in problems[:5])
    more = f"\n  … and {len(problems) - 5} more" if len(problems) > 5 else ""
    return 1, (
        f"the data has {len(problems)} problem(s); nothing was built "
        f"(belarus-monitor validate lists them all):\n{shown}{more}"
    )


def run_build(args: argparse.Namespace) -> int:
    """Entry point of ``belarus-monitor build``; returns the exit code."""
    prog = "belarus-monitor build"
    formats = tuple(dict.fromkeys(f.strip() for f in args.format.split(",") if f.strip()))
    bad = [f for f in formats if f not in FORMATS]
    if bad or not formats:
        print(
            f"{prog}: --format {excerpt(args.format)}: expected a comma-separated "
            f"list of {', '.join(FORMATS)}",
            file=sys.stderr,
        )
        return 2
    cores = os.cpu_count() or 1
    if args.jobs is not None and not 1 <= args.jobs <= MAX_JOBS_PER_CORE * cores:
        print(
            f"{prog}: --jobs {args.jobs}: expected a number from 1 to "
            f"{MAX_JOBS_PER_CORE * cores} ({cores} cores here)",
            file=sys.stderr,
        )
        return 2
    args.timeout = getattr(args, "timeout", DEFAULT_TIMEOUT)
    if not 0 <= args.timeout <= 86_400:
        print(
            f"{prog}: --timeout {args.timeout:g}: expected seconds from 1 to 86400, "
            "or 0 for no limit",
            file=sys.stderr,
        )
        return 2
    given: dict[str, str] = {}
    for item in getattr(args, "parameter", None) or []:
        name, sep, value = item.partition("=")
        if not sep or not re.fullmatch(r"[A-Za-z_]\w{0,40}", name):
            print(f"{prog}: -P {item[:40]!r}: expected NAME=VALUE", file=sys.stderr)
            return 2
        given[name] = value
    try:
        if args.data_dir is not None and not Path(args.data_dir).is_dir():
            raise BuildError(
                f"--data-dir {excerpt(args.data_dir, 80)}: expected an existing directory"
            )
        out = check_output_dir(args.out or config.REPORTS_DIR, "--out", args.data_dir, create=False)
        claim_reports_directory(out)
        plan(args.country, args.notebook, args.data_dir, None, check_only=True, parameters=given)
        trouble = _data_problems(args.data_dir, out)
        if isinstance(trouble, tuple):
            print(f"{prog}: {trouble[1]}", file=sys.stderr)
            return trouble[0]
        jobs = plan(
            args.country,
            args.notebook,
            args.data_dir,
            out if out.is_dir() else None,
            parameters=given,
        )
    except (BuildError, OutputError) as exc:
        print(f"{prog}: {exc}", file=sys.stderr)
        return 2
    t0 = time.perf_counter()
    try:
        results = build(
            jobs,
            out,
            formats,
            args.jobs,
            args.force,
            args.data_dir,
            progress=not args.no_progress,
            timeout=args.timeout or None,
            engine=getattr(args, "engine", "inprocess"),
        )
    except OutputError as exc:
        print(f"{prog}: {exc}", file=sys.stderr)
        return 2
    except OSError as exc:  # a full disk, a folder gone: the reports on disk are kept
        print(
            f"{prog}: cannot write into {excerpt(str(out), 120)} "
            f"({exc.strerror or type(exc).__name__}); the reports already there are kept",
            file=sys.stderr,
        )
        return 1
    except BuildInterrupted as exc:
        # Work abandoned mid-way (a half-written workbook) must not print at exit.
        sys.unraisablehook = lambda _unraisable: None
        done = [r for r in exc.results if r.status != "failed"]
        print(
            f"{prog}: interrupted ({exc}): {len(done)} of {len(jobs)} reports done, "
            f"the rest cancelled; {out / 'index.html'} lists what is on disk",
            file=sys.stderr,
        )
        return exc.exit_code
    if not args.country:  # a first build into a new folder: remember the countries too
        from .provenance import dataset_checksum

        _countries_in_data(args.data_dir, dataset_checksum(args.data_dir), out)
    built = [r for r in results if r.status == "built"]
    fresh = [r for r in results if r.status == "up-to-date"]
    failed = [r for r in results if r.status == "failed"]
    print(
        f"{len(built)} built, {len(fresh)} up to date, {len(failed)} failed "
        f"in {time.perf_counter() - t0:.1f}s -> {out / 'index.html'}"
    )
    for r in failed:
        print(
            f"FAILED {r.job.describe()}: {r.error}"
            + (f" (executed notebook kept: {r.files[0]})" if r.files else ""),
            file=sys.stderr,
        )
    return 1 if failed else 0
