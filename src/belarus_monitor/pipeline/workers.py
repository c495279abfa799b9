"""The build: a pool of warm worker processes, signals, progress, the index at the end."""

from __future__ import annotations

import atexit
import contextlib
import hashlib
import os
import signal
import sys
import threading
import time
from collections.abc import Callable
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
from pathlib import Path
from typing import Any

from belarus_monitor import config
from belarus_monitor.files import (
    Lock,
    check_output_dir,
    claim_reports_directory,
    remove_stale_temporaries,
)
from belarus_monitor.pipeline.cache import (
    _memo_get,
    _memo_put,
    input_hash,
    library_hash,
    up_to_date,
)
from belarus_monitor.pipeline.jobs import (
    DEFAULT_TIMEOUT,
    FORMATS,
    BuildInterrupted,
    Job,
    Result,
    _short,
    is_profile,
)
from belarus_monitor.pipeline.render import _environment, run_job
from belarus_monitor.site.front import _front, _front_and_downloads
from belarus_monitor.site.index import write_index


def _abandon(exit_code: int) -> None:
    """Stop this worker now (a file it was writing stays a temporary the next build sweeps)."""
    os._exit(exit_code)


def _watch_parent(parent: int) -> None:
    """Exit when the build process that started this worker is gone."""
    while True:
        time.sleep(0.25)
        if os.getppid() != parent:
            _abandon(1)


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
    # jsonschema (under nbformat) imports rfc3987_syntax for its "iri" format when it
    # is installed, which compiles 39 grammars (3 s of every worker's start); no
    # notebook schema has that format, so a worker goes without it.
    sys.modules.setdefault("rfc3987_syntax", None)  # type: ignore[arg-type]
    from belarus_monitor.pipeline.execute import collect_less, shell

    shell()
    collect_less()
    # Registered last, so run first: a worker whose work is done (every result already
    # sent, every file already in place) leaves without tearing down its modules and
    # the IPython shell, which took 0.45 s of every build's end.
    atexit.register(_leave)


def _leave() -> None:
    """Exit a finished worker at once (its standard streams flushed)."""
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(Exception):
            stream.flush()
    os._exit(0)


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


def _new_pool(workers: int) -> ProcessPoolExecutor:
    """A pool of worker processes, started as work is submitted (see :func:`_seed_zero`)."""
    import multiprocessing

    ctx = multiprocessing.get_context("spawn")
    return ProcessPoolExecutor(
        max_workers=workers, mp_context=ctx, initializer=_warm, initargs=(os.getpid(),)
    )


@contextlib.contextmanager
def _seed_zero() -> Any:
    """Submit work inside: a worker it starts has the hash seed 0.

    A worker's hash seed is fixed when it starts, and a pool starts a worker when work
    is submitted: no output may depend on the order of a set of strings.
    """
    seed = os.environ.get("PYTHONHASHSEED")
    os.environ["PYTHONHASHSEED"] = "0"
    try:
        yield
    finally:
        if seed is None:
            os.environ.pop("PYTHONHASHSEED", None)
        else:
            os.environ["PYTHONHASHSEED"] = seed


def _end(pool: ProcessPoolExecutor) -> None:
    """End a pool's workers now (queued reports never run)."""
    procs = list(getattr(pool, "_processes", {}).values())
    for proc in procs:
        with contextlib.suppress(Exception):
            proc.terminate()
    for proc in procs:
        proc.join(timeout=5)
        if proc.is_alive():
            proc.kill()
    pool.shutdown(wait=True)


class WarmWorkers:
    """Worker processes kept between builds (``belarus-monitor build --watch``).

    A build given these does not start workers, and does not end them: the next build
    finds the stack imported and the data of the last one loaded. Workers that died,
    or that run a library whose code has changed since they started, are replaced.

    Parameters
    ----------
    workers
        How many worker processes.
    """

    def __init__(self, workers: int):
        self.workers = workers
        self._pool: ProcessPoolExecutor | None = None
        self._library = ""

    def pool(self, lib_hash: str) -> ProcessPoolExecutor:
        """The pool, started (again) if it is not running the library ``lib_hash``."""
        if self._pool is not None and (self._library != lib_hash or self._pool._broken):
            self.close()
        if self._pool is None:
            self._pool, self._library = _new_pool(self.workers), lib_hash
        return self._pool

    def start(self, lib_hash: str) -> None:
        """Start every worker now, not at the next build (which then finds them warm)."""
        pool = self.pool(lib_hash)
        with _seed_zero():
            for _ in range(self.workers):
                pool.submit(os.getpid)

    def end(self) -> None:
        """End the workers at once (an interrupted build); the next build starts new ones."""
        if self._pool is not None:
            _end(self._pool)
            self._pool = None

    def close(self) -> None:
        """Let the workers finish and exit."""
        if self._pool is not None:
            self._pool.shutdown(wait=True)
            self._pool = None

    def __enter__(self) -> WarmWorkers:
        return self

    def __exit__(self, *exc: object) -> None:
        self.end() if exc[0] is not None else self.close()


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
    base_url: str | None = None,
    force: bool = False,
    lib_hash: str = "",
    warm: WarmWorkers | None = None,
) -> Any:
    """Run the jobs in worker processes, longest first, and ``also``, if given.

    ``also`` (a function and its arguments, a few seconds of work) is queued after the
    overviews and before the country profiles, the quick reports that fill the end of
    the build. Returns its result. With ``warm``, the jobs run in those workers, which
    are left running.
    """
    pool = warm.pool(lib_hash) if warm is not None else _new_pool(workers)
    # Longest first: profiles are quick, overviews slow.
    order = sorted(todo, key=lambda j: is_profile(j.notebook))
    futures: dict[Any, Job] = {}
    tail = None
    with _seed_zero():
        for j in [*order, None]:  # None: the end of the queue
            if tail is None and also is not None and (j is None or is_profile(j.notebook)):
                tail = pool.submit(also[0], *also[1])
            if j is not None:
                fut = pool.submit(
                    run_job,
                    j,
                    str(outdir),
                    formats,
                    digests[j.stem],
                    data_hash,
                    timeout,
                    engine,
                    base_url,
                    force,
                    lib_hash,
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
        if warm is not None:
            warm.end()
        else:
            _end(pool)
        raise
    if warm is None:
        pool.shutdown(wait=True)
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
    base_url: str | None = None,
    warm: WarmWorkers | None = None,
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
    base_url
        Where the reports will be published (``https://.../``): the PDFs link other
        reports and downloads there. None: the PDFs name the files instead.
    warm
        Workers kept between builds (:class:`WarmWorkers`); ``workers`` is then theirs.

    Raises
    ------
    OutputError
        If ``out`` may not be written, or another build is writing into it.
    BuildInterrupted
        On Ctrl-C or SIGTERM: queued reports are cancelled, workers ended, the index
        rewritten from what is on disk; ``results`` has what was done.
    """
    from belarus_monitor.data.provenance import dataset_checksum
    from belarus_monitor.pipeline.cache import Fingerprints

    formats = tuple(dict.fromkeys(formats))
    claim_reports_directory(Path(out if out else config.REPORTS_DIR).expanduser().resolve())
    outdir = check_output_dir(out if out else config.REPORTS_DIR, "--out", data_dir)
    results: dict[str, Result] = {}
    front: dict[str, Any] | None = None
    key = data_hash = ""
    fingerprints = None
    with Lock(outdir), _signals_stop_the_build():
        remove_stale_temporaries(outdir, (".*.tmp", ".*.old"))
        try:
            data_hash = dataset_checksum(data_dir)
            lib_hash = library_hash()
            key = hashlib.sha256(f"{data_hash}{lib_hash}".encode()).hexdigest()
            fingerprints = Fingerprints(data_dir, data_hash, lib_hash)
            descriptor = fingerprints.descriptor
            digests = {
                j.stem: input_hash(j, formats, descriptor, lib_hash, engine, base_url) for j in jobs
            }
            todo = []
            for j in jobs:
                if not force and up_to_date(outdir, j, formats, digests[j.stem], fingerprints):
                    results[j.stem] = Result(j, "up-to-date")
                else:
                    todo.append(j)
            workers = max(1, min(workers or os.cpu_count() or 1, len(todo) or 1))
            side: dict[str, Any] = {}

            def front_and_downloads() -> None:
                side["front"] = _front_and_downloads(str(outdir), data_dir, key)

            bar = _Progress(len(todo), progress)
            try:
                if todo and warm is None and workers == 1 and not sys.flags.hash_randomization:
                    # In this process, when its hashes are those of a worker (PYTHONHASHSEED=0):
                    # the outputs must not depend on the order of a set.
                    front_and_downloads()
                    for j in todo:
                        results[j.stem] = run_job(
                            j,
                            str(outdir),
                            formats,
                            digests[j.stem],
                            data_hash,
                            timeout,
                            engine,
                            base_url,
                            force,
                            lib_hash,
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
                        base_url=base_url,
                        force=force,
                        lib_hash=lib_hash,
                        warm=warm,
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
            write_index(outdir, results, front, fingerprints if key else None)
    return [results[j.stem] for j in jobs]


def _data_problems(data_dir: str | None, out: Path) -> tuple[int, str] | None:
    """(exit code, message) when the data cannot be built from, else None.

    Data that passed once is known by its checksum (in the user's own cache, see
    :func:`_memo_path`; never in the out directory), so a no-op build does not validate
    it again.
    """
    from belarus_monitor.data.provenance import dataset_checksum
    from belarus_monitor.data.validation import validate

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
