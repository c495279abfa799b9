"""Build the reports: execute notebooks with papermill, export HTML and PDF.

``belarus-monitor build`` (behind ``make reports``) plans one job per report, skips
those whose inputs have not changed (a content hash stored beside each report), and
runs the rest in a pool of worker processes. Each worker keeps one Jupyter kernel
alive and hands it to papermill for every notebook it runs (the namespace is reset in
between), and exports HTML (nbconvert) and PDF (WeasyPrint) itself: no new process per
report. Outputs are byte-identical for the same inputs, written to a temporary name
and renamed, and a failing notebook never replaces a good report.
"""

from __future__ import annotations

import argparse
import hashlib
import html
import json
import os
import sys
import time
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from . import __version__, config

OVERVIEWS = ("cooperation", "repression", "sanctions")
PROFILE = "country_profile"
COUNTRY_PARAMETERS = ("country", "highlight")
FORMATS = ("html", "pdf")
INJECTED_ID = "injected-parameters"
#: Fixed timestamp for every tool that honours it (2024-06-25, the seed article).
SOURCE_DATE_EPOCH = "1719273600"
BUILD_FORMAT_VERSION = "1"


class BuildError(ValueError):
    """A build parameter that is not valid; raised before anything is written."""


@dataclass(frozen=True)
class Job:
    """One report: a notebook and its parameters."""

    notebook: str
    parameters: tuple[tuple[str, Any], ...] = ()
    stem: str = ""

    @property
    def params(self) -> dict[str, Any]:
        """Parameters as a dict."""
        return dict(self.parameters)

    def describe(self) -> str:
        """``cooperation (highlight='DE')``."""
        p = ", ".join(f"{k}={v!r}" for k, v in self.parameters if k != "data_dir")
        return f"{self.stem} ({p})" if p else self.stem


@dataclass
class Result:
    """What became of a job."""

    job: Job
    status: str  # "built", "up-to-date" or "failed"
    seconds: float = 0.0
    error: str = ""
    files: list[str] = field(default_factory=list)


# -- planning -----------------------------------------------------------------------
def available_notebooks() -> list[str]:
    """Names of the report notebooks in ``notebooks/``."""
    return sorted(p.stem for p in config.NOTEBOOKS_DIR.glob("*.ipynb")
                  if p.stem in OVERVIEWS or p.stem == PROFILE)


def notebook_parameters(name: str) -> list[str]:
    """Names of the parameters a notebook declares in its ``parameters`` cell."""
    import re

    nb = json.loads((config.NOTEBOOKS_DIR / f"{name}.ipynb").read_text(encoding="utf-8"))
    for cell in nb["cells"]:
        if "parameters" in cell.get("metadata", {}).get("tags", []):
            src = "".join(cell["source"])
            return re.findall(r"^([A-Za-z_]\w*)\s*(?::[^=]*)?=", src, flags=re.M)
    return []


def _countries_in_data(data_dir: str | None, data_hash: str, out: Path) -> list[str]:
    """Countries that appear in the data, cached per data checksum beside the reports."""
    cache = out / ".build-cache.json"
    try:
        known = json.loads(cache.read_text())
    except (OSError, ValueError):
        known = {}
    if data_hash not in known.get("countries", {}):
        from .profile import countries_in_data

        known = {"countries": {data_hash: countries_in_data(data_dir)}}
        out.mkdir(parents=True, exist_ok=True)
        atomic_write(cache, json.dumps(known, indent=1).encode())
    return list(known["countries"][data_hash])


def plan(countries: list[str] | None = None, notebooks: list[str] | None = None,
         data_dir: str | None = None, out: str | Path | None = None) -> list[Job]:
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
            raise BuildError(f"--notebook {nb!r}: no such report notebook; expected one "
                             f"of {', '.join(known)}")
    codes: list[str] = []
    for c in countries or []:
        try:
            codes.append(normalise_country(c))
        except UnknownCountryError as exc:
            hint = exc.suggestions or suggest_countries(c)
            raise BuildError(f"--country {c!r}: unknown country; expected an ISO 3166-1 "
                             "code or an English name"
                             + (f"; did you mean {', '.join(hint)}?" if hint else "")) from None
    codes = list(dict.fromkeys(codes))
    extra = {"data_dir": str(Path(data_dir).resolve())} if data_dir else {}
    chosen = notebooks or ([PROFILE] if codes else [*OVERVIEWS, PROFILE])
    jobs: list[Job] = []
    for nb in chosen:
        declared = notebook_parameters(nb)
        cparam = next((p for p in COUNTRY_PARAMETERS if p in declared), None)
        targets: list[str | None] = list(codes)
        if not codes and nb == PROFILE:
            outdir = Path(out) if out else config.REPORTS_DIR
            targets = list(_countries_in_data(data_dir, dataset_checksum(data_dir), outdir))
        elif not codes:
            targets = [None]
        for code in targets:
            params = dict(extra)
            if code and cparam:
                params[cparam] = code
            elif nb == PROFILE and not code:
                continue
            stem = f"{nb}_{code}" if code and cparam else nb
            jobs.append(Job(nb, tuple(sorted(params.items())), stem))
    return list(dict.fromkeys(jobs))


# -- hashing --------------------------------------------------------------------------
def library_hash() -> str:
    """Hash of the library's source, templates and the lock file."""
    files = [p for p in config.PACKAGE_DIR.rglob("*")
             if p.is_file() and p.suffix in {".py", ".css", ".html"}]
    lock = config.PROJECT_ROOT / "uv.lock"
    if lock.exists():
        files.append(lock)
    from .provenance import hash_files

    root = config.PROJECT_ROOT
    return hash_files({str(p.relative_to(root)): p
                       for p in sorted(files, key=lambda p: p.relative_to(root))})


def input_hash(job: Job, formats: tuple[str, ...], data_hash: str, lib_hash: str) -> str:
    """Content hash of everything a report depends on."""
    h = hashlib.sha256()
    for part in (BUILD_FORMAT_VERSION, __version__, job.notebook,
                 json.dumps(job.params, sort_keys=True), ",".join(sorted(formats)),
                 data_hash, lib_hash,
                 hashlib.sha256((config.NOTEBOOKS_DIR / f"{job.notebook}.ipynb")
                                .read_bytes()).hexdigest()):
        h.update(part.encode())
        h.update(b"\0")
    return h.hexdigest()


def _outputs(out: Path, job: Job, formats: tuple[str, ...]) -> list[Path]:
    return [out / f"{job.stem}.ipynb"] + [out / f"{job.stem}.{f}" for f in formats]


def _hash_file(out: Path, job: Job) -> Path:
    return out / f"{job.stem}.inputs.sha256"


def up_to_date(out: Path, job: Job, formats: tuple[str, ...], digest: str) -> bool:
    """Whether the report's stored hash matches and all its files exist."""
    hf = _hash_file(out, job)
    return (hf.exists() and hf.read_text().strip() == digest
            and all(p.exists() for p in _outputs(out, job, formats)))


# -- writing --------------------------------------------------------------------------
def atomic_write(path: Path, data: bytes) -> None:
    """Write ``data`` to a temporary file beside ``path``, then rename it."""
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    tmp.write_bytes(data)
    os.replace(tmp, path)


def _environment() -> None:
    os.environ["SOURCE_DATE_EPOCH"] = SOURCE_DATE_EPOCH
    os.environ["PYTHONHASHSEED"] = "0"
    os.environ.setdefault("MPLBACKEND", "Agg")
    os.environ["PYDEVD_DISABLE_FILE_VALIDATION"] = "1"


_KERNEL: dict[str, Any] = {}


def _kernel():
    """Return the kernel of this process, started once and reused for every notebook."""
    from jupyter_client import KernelManager

    km = _KERNEL.get("km")
    if km is None or not km.is_alive():
        _environment()
        km = KernelManager(kernel_name="python3")
        km.start_kernel(cwd=str(config.NOTEBOOKS_DIR),
                        extra_arguments=["--HistoryManager.enabled=False",
                                         "--IPKernelApp.log_level=ERROR"])
        _KERNEL["km"] = km
        _run_in_kernel("import belarus_monitor, belarus_monitor.charts, "
                       "belarus_monitor.report, belarus_monitor.profile")
        import atexit

        atexit.register(_shutdown_kernel)
        from multiprocessing import util

        util.Finalize(None, _shutdown_kernel, exitpriority=10)
    return km


def _shutdown_kernel() -> None:
    km = _KERNEL.pop("km", None)
    if km is not None:
        km.shutdown_kernel(now=True)


def _run_in_kernel(code: str, timeout: float = 120) -> None:
    """Run code in this process's kernel through a short-lived client."""
    kc = _KERNEL["km"].blocking_client()
    kc.start_channels()
    try:
        kc.wait_for_ready(timeout=60)
        reply = kc.execute_interactive(code, timeout=timeout, output_hook=lambda msg: None)
        if reply["content"]["status"] != "ok":
            raise RuntimeError(f"kernel set-up failed: {reply['content'].get('evalue')}")
    finally:
        kc.stop_channels()


def _reset_kernel() -> None:
    """Forget the previous notebook's variables and figures; keep imported modules."""
    _run_in_kernel("%reset -f\nimport matplotlib.pyplot as _plt\n_plt.close('all')\ndel _plt",
                   timeout=60)


def clean_notebook(nb) -> None:
    """Strip what differs between runs: timing metadata, counts, random ids."""
    for key in ("papermill",):
        meta = nb.metadata.get(key, {})
        nb.metadata[key] = {k: meta[k] for k in ("parameters", "default_parameters")
                            if k in meta}
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

    names = {"cooperation": "Legal assistance: Belarus and the 'unfriendly' states",
             "repression": "Political prisoners in Belarus",
             "sanctions": "The 'unfriendly' states and the sanctions",
             PROFILE: "Country profile"}
    title = names.get(job.notebook, job.notebook)
    code = next((v for k, v in job.parameters if k in COUNTRY_PARAMETERS), None)
    return f"{title}: {country_name(code)}" if code else title


def page(title: str, body: str) -> str:
    """Wrap an HTML fragment in the project's self-contained page (inline CSS)."""
    css = (config.PACKAGE_DIR / "templates" / "report.css").read_text(encoding="utf-8")
    return (f'<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
            f'<meta name="viewport" content="width=device-width, initial-scale=1">\n'
            f'<meta name="generator" content="belarus-monitor {__version__}">\n'
            f"<title>{html.escape(title)}</title>\n<style>\n{css}</style>\n</head>\n"
            f"<body>\n{body}\n</body>\n</html>\n")


def to_html(nb, title: str) -> str:
    """Export an executed notebook to a self-contained HTML page without code."""
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
    body, _ = exporter.from_notebook_node(nb)
    return page(title, body)


def to_pdf(page_html: str) -> bytes:
    """Render the HTML page to an A4 PDF with WeasyPrint."""
    import logging

    from weasyprint import HTML

    logging.getLogger("weasyprint").setLevel(logging.ERROR)
    logging.getLogger("fontTools").setLevel(logging.ERROR)
    return HTML(string=page_html, base_url=str(config.PROJECT_ROOT)).write_pdf()


def run_job(job: Job, out: str, formats: tuple[str, ...], digest: str) -> Result:
    """Execute one notebook and export it; never replaces a good report on failure."""
    import nbformat
    import papermill
    from papermill.exceptions import PapermillExecutionError

    start = time.perf_counter()
    outdir = Path(out)
    _environment()
    km = _kernel()
    _reset_kernel()
    tmp = outdir / f".{job.stem}.{os.getpid()}.running.ipynb"
    try:
        papermill.execute_notebook(
            str(config.NOTEBOOKS_DIR / f"{job.notebook}.ipynb"), str(tmp),
            parameters=job.params, kernel_name="python3", progress_bar=False,
            request_save_on_cell_execute=False, cwd=str(config.NOTEBOOKS_DIR), km=km)
    except PapermillExecutionError as exc:
        failed = outdir / f"{job.stem}.failed.ipynb"
        if tmp.exists():
            os.replace(tmp, failed)
        return Result(job, "failed", time.perf_counter() - start,
                      f"cell {exc.cell_index}: {exc.ename}: {exc.evalue}", [str(failed)])
    except Exception as exc:  # noqa: BLE001 - any failure is reported, not raised
        tmp.unlink(missing_ok=True)
        return Result(job, "failed", time.perf_counter() - start,
                      f"{type(exc).__name__}: {exc}")
    nb = nbformat.read(str(tmp), as_version=4)
    tmp.unlink(missing_ok=True)
    clean_notebook(nb)
    files: dict[Path, bytes] = {
        outdir / f"{job.stem}.ipynb": (nbformat.writes(nb) + "\n").encode()}
    try:
        page_html = to_html(nb, _title(job))
        if "html" in formats:
            files[outdir / f"{job.stem}.html"] = page_html.encode()
        if "pdf" in formats:
            files[outdir / f"{job.stem}.pdf"] = to_pdf(page_html)
    except Exception as exc:  # noqa: BLE001
        return Result(job, "failed", time.perf_counter() - start,
                      f"export: {type(exc).__name__}: {exc}")
    for path, data in files.items():
        atomic_write(path, data)
    (outdir / f"{job.stem}.failed.ipynb").unlink(missing_ok=True)
    atomic_write(_hash_file(outdir, job), (digest + "\n").encode())
    return Result(job, "built", time.perf_counter() - start,
                  files=[str(p) for p in files])


def _warm() -> None:
    _environment()
    _kernel()


# -- index ------------------------------------------------------------------------------
def _job_from_stem(stem: str) -> Job:
    for nb in (*OVERVIEWS, PROFILE):
        if stem == nb:
            return Job(nb, (), stem)
        if stem.startswith(nb + "_") and len(stem) == len(nb) + 3:
            code = stem[-2:]
            param = "country" if nb == PROFILE else "highlight"
            return Job(nb, ((param, code),), stem)
    return Job(stem, (), stem)


def write_index(out: Path, results: dict[str, Result]) -> Path:
    """Write ``index.html`` linking every report in ``out``, and the failures."""
    stems = {p.name.removesuffix(".inputs.sha256") for p in out.glob("*.inputs.sha256")}
    stems |= {s for s, r in results.items() if r.status == "failed"}
    jobs = [results[s].job if s in results else _job_from_stem(s) for s in stems]
    order = {nb: i for i, nb in enumerate((*OVERVIEWS, PROFILE))}
    rows = []
    for job in sorted(jobs, key=lambda j: (order.get(j.notebook, 9), _title(j))):
        links = " ".join(f'<a href="{html.escape(job.stem)}.{f}">{f.upper()}</a>'
                         for f in ("html", "pdf", "ipynb") if (out / f"{job.stem}.{f}").exists())
        res = results.get(job.stem)
        state = ('<span class="bm-failed">failed in the last build</span>'
                 if res and res.status == "failed" else "")
        rows.append(f"<tr><td>{html.escape(_title(job))}</td><td>{links}</td>"
                    f"<td>{state}</td></tr>")
    body = ("<h1>Belarus Monitor: reports</h1>"
            "<p>Reports built from the Belarus Monitor dataset. Every figure comes with "
            "its source; every report ends with its provenance.</p>"
            '<table class="bm-index"><thead><tr><th>Report</th><th>Files</th><th></th>'
            f"</tr></thead><tbody>{''.join(rows)}</tbody></table>")
    path = out / "index.html"
    atomic_write(path, page("Belarus Monitor: reports", body).encode())
    return path


# -- driver -----------------------------------------------------------------------------
def build(jobs: list[Job], out: str | Path | None = None,
          formats: tuple[str, ...] = FORMATS, workers: int | None = None,
          force: bool = False, data_dir: str | None = None,
          progress: bool = True) -> list[Result]:
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
        Show a progress bar (on a terminal).
    """
    from tqdm import tqdm

    from .provenance import dataset_checksum

    outdir = Path(out) if out else config.REPORTS_DIR
    outdir.mkdir(parents=True, exist_ok=True)
    data_hash = dataset_checksum(data_dir)
    lib_hash = library_hash()
    digests = {j.stem: input_hash(j, formats, data_hash, lib_hash) for j in jobs}
    results: dict[str, Result] = {}
    todo = []
    for j in jobs:
        if not force and up_to_date(outdir, j, formats, digests[j.stem]):
            results[j.stem] = Result(j, "up-to-date")
        else:
            todo.append(j)
    workers = max(1, min(workers or os.cpu_count() or 1, len(todo) or 1))
    bar = tqdm(total=len(todo), unit="report", disable=not progress or None,
               file=sys.stderr, desc="reports")
    if todo and workers == 1:
        for j in todo:
            results[j.stem] = run_job(j, str(outdir), formats, digests[j.stem])
            bar.update()
    elif todo:
        import multiprocessing

        ctx = multiprocessing.get_context("spawn")
        with ProcessPoolExecutor(max_workers=workers, mp_context=ctx,
                                 initializer=_warm) as pool:
            futures = {pool.submit(run_job, j, str(outdir), formats, digests[j.stem]): j
                       for j in todo}
            for fut in as_completed(futures):
                j = futures[fut]
                try:
                    results[j.stem] = fut.result()
                except Exception as exc:  # noqa: BLE001 - a dead worker fails one report
                    results[j.stem] = Result(j, "failed", error=f"{type(exc).__name__}: {exc}")
                bar.update()
    bar.close()
    if todo or not (outdir / "index.html").exists():
        write_index(outdir, results)
    return [results[j.stem] for j in jobs]


def run_build(args: argparse.Namespace) -> int:
    """Entry point of ``belarus-monitor build``; returns the exit code."""
    formats = tuple(f.strip() for f in args.format.split(",") if f.strip())
    bad = [f for f in formats if f not in FORMATS]
    if bad or not formats:
        print(f"belarus-monitor build: --format {args.format!r}: expected a comma-separated "
              f"list of {', '.join(FORMATS)}", file=sys.stderr)
        return 2
    if args.jobs is not None and args.jobs < 1:
        print(f"belarus-monitor build: --jobs {args.jobs}: expected a positive number",
              file=sys.stderr)
        return 2
    try:
        jobs = plan(args.country, args.notebook, args.data_dir, args.out)
    except BuildError as exc:
        print(f"belarus-monitor build: {exc}", file=sys.stderr)
        return 2
    except Exception as exc:  # noqa: BLE001 - e.g. invalid data: say so, write nothing
        print(f"belarus-monitor build: {exc}", file=sys.stderr)
        return 2
    t0 = time.perf_counter()
    results = build(jobs, args.out, formats, args.jobs, args.force, args.data_dir,
                    progress=not args.no_progress)
    built = [r for r in results if r.status == "built"]
    fresh = [r for r in results if r.status == "up-to-date"]
    failed = [r for r in results if r.status == "failed"]
    out = Path(args.out) if args.out else config.REPORTS_DIR
    print(f"{len(built)} built, {len(fresh)} up to date, {len(failed)} failed "
          f"in {time.perf_counter() - t0:.1f}s -> {out / 'index.html'}")
    for r in failed:
        print(f"FAILED {r.job.describe()}: {r.error}"
              + (f" (executed notebook kept: {r.files[0]})" if r.files else ""),
              file=sys.stderr)
    return 1 if failed else 0
