"""Running one report: its notebook executed (in-process or in a kernel), then HTML and PDF."""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import re
import time
from functools import lru_cache
from pathlib import Path
from typing import Any

from belarus_monitor import config
from belarus_monitor.data.reads import AS_OF
from belarus_monitor.files import (
    atomic_write,
    atomic_write_many,
)
from belarus_monitor.pipeline.cache import (
    Fingerprints,
    _sha256,
    chart_store,
    library_hash,
    manifest_path,
    read_manifest,
)
from belarus_monitor.pipeline.jobs import (
    DEFAULT_TIMEOUT,
    FORMATS,
    INJECTED_ID,
    KERNEL_NAME,
    SOURCE_DATE_EPOCH,
    BuildInterrupted,
    Job,
    Result,
    _short,
    _title,
    glob_escape,
)
from belarus_monitor.site.pages import page, render


def _environment() -> None:
    """What every report run sees in its environment (tools that honour these read them).

    ``PYTHONHASHSEED`` is not here: a process's hash seed is fixed when it starts, so
    the workers are started with it (:func:`_run_pool`).
    """
    os.environ["SOURCE_DATE_EPOCH"] = SOURCE_DATE_EPOCH
    os.environ["PYDEVD_DISABLE_FILE_VALIDATION"] = "1"


def _notebook(job: Job) -> Any:
    """The job's notebook with its parameters injected, as papermill injects them."""
    import nbformat
    from papermill.parameterize import parameterize_notebook

    nb = nbformat.read(str(config.NOTEBOOKS_DIR / f"{job.notebook}.ipynb"), as_version=4)
    nb.metadata.setdefault("papermill", {})["default_parameters"] = {}
    for cell in nb.cells:
        cell.metadata.setdefault("tags", [])
    return parameterize_notebook(nb, job.params, kernel_name="python3", language="python")


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

    from belarus_monitor.site.report import FIGURE_KEY

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
    return page(title, with_contents(zoomable_charts(body)), as_of=as_of)


#: A chart's image, then (in the next output) the line of links to its files.
_CHART = re.compile(
    r'(?P<img><img\s[^>]*src="data:image/png;base64,[^"]*"[^>]*>)'
    r"(?P<between>(?:(?!<img\s).){0,400}?)"
    r'(?P<links><p class="bm-figure-links">Download this chart: <a href="(?P<png>[^"]+\.png)">)',
    re.S,
)


def zoomable_charts(body: str) -> str:
    """Each chart links to its own PNG file, so that a phone can open it full size.

    In a PDF the link goes like every link to a file (see :func:`links_for_pdf`).
    """

    def wrap(m: re.Match) -> str:
        png = m["png"]
        return (
            f'<a class="bm-zoom" href="{png}" title="Open the chart full size">{m["img"]}</a>'
            f"{m['between']}{m['links']}"
        )

    return _CHART.sub(wrap, body)


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
    # After the lede, or after the key facts and links that follow it.
    end_of_lede = None
    for pattern in (
        r'<div class="bm-lede">.*?</div>',
        r'<section class="bm-keyfacts".*?</section>',
        r'<p class="bm-see-also">.*?</p>',
    ):
        found = re.search(pattern, body, flags=re.S)
        if found and (end_of_lede is None or found.end() > end_of_lede.end()):
            end_of_lede = found
    masthead = re.search(r'<p class="bm-masthead">.*?</p>', body, flags=re.S)
    at = end_of_lede.end() if end_of_lede else masthead.end() if masthead else 0
    return body[:at] + toc + body[at:]


#: The pages every report links by name (a PDF alone names them beside the link's words).
SITE_PAGES = ("index.html", "methodology.html", "corrections.html")
#: Link texts that stand for the file they link (the downloads under a chart).
_FILE_LINKS = ("PNG", "SVG", "the data (CSV)")


#: A link of the page: the attributes around its address, the address, its text.
_LINK = re.compile(
    r'<a(?P<pre>\s[^>]*?)?\shref="(?P<href>[^"]*)"(?P<post>[^>]*)>(?P<text>.*?)</a>', re.S
)


def links_for_pdf(page_html: str, base_url: str | None = None) -> str:
    """The page's links as a PDF read alone needs them: no relative link is left.

    With ``base_url`` (``build --base-url``), a link to another report or a download
    becomes an absolute link. Without it, the link becomes text a reader can follow: a
    download is named by its file (``country_profile_LV.figure-1.png``), the index by
    ``index.html`` beside the link's words, a country by its name. Links inside the
    document (``#section-2``) and absolute links stay as they are.
    """
    import html as htmllib
    from urllib.parse import urljoin

    def swap(m: re.Match) -> str:
        href, text = htmllib.unescape(m["href"]), m["text"]
        if re.match(r"^(?:[a-z][a-z0-9+.-]*:|#|/)", href, re.I):  # not relative
            return m[0]
        if base_url:
            absolute = htmllib.escape(urljoin(base_url, href), quote=True)
            return f'<a{m["pre"] or ""} href="{absolute}"{m["post"]}>{text}</a>'
        name = htmllib.escape(href)
        if text in _FILE_LINKS:
            return f'<span class="bm-file">{name}</span>'
        if href in SITE_PAGES:
            return f'{text} (<span class="bm-file">{name}</span>)'
        return text

    return _LINK.sub(swap, page_html)


def to_pdf(page_html: str, base_url: str | None = None) -> bytes:
    """Render the HTML page to a tagged A4 PDF with WeasyPrint (links: :func:`links_for_pdf`)."""
    import logging

    from weasyprint import HTML

    logging.getLogger("weasyprint").setLevel(logging.ERROR)
    logging.getLogger("fontTools").setLevel(logging.ERROR)
    page_html = links_for_pdf(page_html, base_url)
    # Tagged (PDF/UA-1): a structure tree, the document's language and title, alt texts,
    # so that a screen reader reads the PDF as it reads the page.
    return HTML(string=page_html, url_fetcher=_fetcher()).write_pdf(pdf_variant="pdf/ua-1")


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
    base_url: str | None = None,
    force: bool = False,
    lib_hash: str = "",
) -> Result:
    """Execute one notebook and export it; never replaces a good report on failure.

    ``engine`` is ``"inprocess"`` (the worker's own IPython shell, the default) or
    ``"kernel"`` (papermill and a real Jupyter kernel, :func:`run_in_kernel`). The
    tables the run read are recorded in the manifest (``reads``, see
    :mod:`belarus_monitor.data.reads`; a run in a kernel is taken to read the whole
    package). Unless ``force``, a run whose executed notebook and figures are those
    of the report on disk, for the same inputs and date, writes its manifest only
    (status ``"unchanged"``): the HTML and PDF would be the same bytes.
    """
    import nbformat

    from belarus_monitor.data import reads
    from belarus_monitor.figures.spec import use_store
    from belarus_monitor.pipeline.execute import CellError, run_notebook

    start = time.perf_counter()
    outdir = Path(out)
    _environment()
    data_dir = job.params.get("data_dir")
    try:
        nb = _notebook(job)
        with reads.recording() as seen:
            if engine == "kernel":
                nb = run_in_kernel(nb, timeout)
                seen.add(reads.WHOLE)
            else:
                # Charts whose values are those of a chart drawn before come from the
                # user's store (a forced build draws every one, and stores it).
                with use_store(chart_store(), read=not force, salt=lib_hash or library_hash()):
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
    if "html" in formats:
        files.update({outdir / name: data for name, data in figures.items()})
    seen.add(reads.AS_OF)  # every page shows the date (masthead, PDF footer)
    read = Fingerprints(data_dir, data_hash, lib_hash).of(seen)
    manifest = {
        "notebook": job.notebook,
        "title": _title(job),
        "inputs": digest,
        "parameters": {k: v for k, v in job.params.items() if k != "data_dir"},
        "data": data_hash,
        "reads": read,
        **({"base_url": base_url} if base_url else {}),
    }
    if not force and _same_report(outdir, job, formats, manifest, files):
        try:
            old_files = read_manifest(outdir, job.stem)["files"]
            _write_manifest(outdir, job, {**manifest, "files": old_files})
        except OSError as exc:
            return Result(job, "failed", time.perf_counter() - start, f"cannot write ({exc})")
        (outdir / f"{job.stem}.failed.ipynb").unlink(missing_ok=True)
        return Result(job, "unchanged", time.perf_counter() - start)
    try:
        from belarus_monitor.data.provenance import data_as_of

        page_html = to_html(nb, _title(job), data_as_of(data_dir))
        if "html" in formats:
            files[outdir / f"{job.stem}.html"] = page_html.encode()
        if "pdf" in formats:
            files[outdir / f"{job.stem}.pdf"] = to_pdf(page_html, base_url)
    except BuildInterrupted:
        raise
    except Exception as exc:  # noqa: BLE001
        return Result(
            job,
            "failed",
            time.perf_counter() - start,
            f"export: {type(exc).__name__}: {_short(exc)}",
        )
    manifest["files"] = {p.name: hashlib.sha256(data).hexdigest() for p, data in files.items()}
    try:  # the report's files and its manifest all at once, or none (a full disk)
        atomic_write_many({**files, manifest_path(outdir, job.stem): _manifest_bytes(manifest)})
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


def _manifest_bytes(manifest: dict[str, Any]) -> bytes:
    return (json.dumps(manifest, indent=1, sort_keys=True) + "\n").encode()


def _write_manifest(outdir: Path, job: Job, manifest: dict[str, Any]) -> None:
    """Write a report's manifest, unless it holds these bytes already."""
    path = manifest_path(outdir, job.stem)
    data = _manifest_bytes(manifest)
    with contextlib.suppress(OSError):
        if not path.is_symlink() and path.read_bytes() == data:
            return
    atomic_write(path, data)


def _same_report(
    outdir: Path,
    job: Job,
    formats: tuple[str, ...],
    manifest: dict[str, Any],
    executed: dict[Path, bytes],
) -> bool:
    """Whether the report on disk is what this run would write (the early cut-off).

    The HTML and PDF are made from the executed notebook, the title, the date and the
    inputs' hash (formats, base URL, library) alone: when those are the same as the
    last build's and every file on disk still has the bytes it recorded, exporting
    again would write the same bytes.
    """
    old = read_manifest(outdir, job.stem)
    if not old or old.get("inputs") != manifest["inputs"] or old.get("title") != manifest["title"]:
        return False
    old_reads = old.get("reads")
    if not isinstance(old_reads, dict) or old_reads.get(AS_OF) != manifest["reads"].get(AS_OF):
        return False
    names = {p.name for p in executed} | {f"{job.stem}.{fmt}" for fmt in formats}
    recorded = old["files"]
    if set(recorded) != names:
        return False
    if any(hashlib.sha256(data).hexdigest() != recorded[p.name] for p, data in executed.items()):
        return False
    return all(_sha256(outdir / name) == recorded[name] for name in names)


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

    from belarus_monitor.pipeline.execute import CellError

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
