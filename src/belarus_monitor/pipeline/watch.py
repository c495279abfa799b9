"""``belarus-monitor build --watch``: build again at every change, the workers kept warm.

A curator edits a row, saves, and sees the pages it changes rebuilt in seconds: the
build's worker processes stay up between builds (the stack imported, the last data
loaded), so a build after an edit does only the reports' own work. The data directory
and the notebooks are looked at twice a second; a change is built from once it has
stopped changing (an editor may save in steps). Data that does not validate is
reported, and the watch goes on: the next save may mend it. The watch's own process
keeps the library code it started with: restart it after changing ``src/``.
"""

from __future__ import annotations

import os
import signal
import sys
import time
from collections.abc import Callable
from pathlib import Path

from belarus_monitor import config
from belarus_monitor.pipeline.cache import library_hash
from belarus_monitor.pipeline.workers import WarmWorkers

#: Seconds between two looks at the files.
INTERVAL = 0.5


def _short(exc: Exception) -> str:
    """An error in one line, without its traceback (and without file contents)."""
    text = str(exc).splitlines()[0] if str(exc) else ""
    return f"{type(exc).__name__}: {text[:200]}" if text else type(exc).__name__


def snapshot(data_dir: str | os.PathLike[str] | None) -> dict[str, tuple[int, int]]:
    """The files a build reads, each with its modification time and size.

    The data directory's files (not its subfolders) and the notebooks; a file that
    cannot be read is left out (it is reported by the build that follows), and so are
    an editor's own files beside them (``.~lock.requests.csv#``, ``sources.csv~``).
    """
    seen: dict[str, tuple[int, int]] = {}
    for folder, pattern, prefix in (
        (config.data_dir(data_dir), "*", ""),
        (config.NOTEBOOKS_DIR, "*.ipynb", "notebooks/"),
    ):
        try:
            paths = sorted(Path(folder).glob(pattern))
        except OSError:
            continue
        for path in paths:
            if path.name.startswith((".", "~")) or path.name.endswith(("~", "#")):
                continue
            try:
                st = path.stat()
            except OSError:
                continue
            if path.is_file():
                seen[prefix + path.name] = (st.st_mtime_ns, st.st_size)
    return seen


def changed(before: dict[str, tuple[int, int]], now: dict[str, tuple[int, int]]) -> list[str]:
    """The names of the files added, removed or changed."""
    return sorted(n for n in before.keys() | now.keys() if before.get(n) != now.get(n))


def watch(
    build_once: Callable[[WarmWorkers], int],
    data_dir: str | None,
    workers: int,
    interval: float = INTERVAL,
) -> int:
    """Build, then build again after every change, until Ctrl-C or SIGTERM.

    Parameters
    ----------
    build_once
        One build with the given workers; returns its exit code (2: a bad parameter,
        which ends the watch before it starts; 128 and more: the build was
        interrupted, which ends it).
    data_dir
        The data directory looked at.
    workers
        How many worker processes to keep.
    interval
        Seconds between two looks at the files.

    Returns
    -------
    int
        0 when stopped by Ctrl-C or SIGTERM between builds, else the exit code that
        ended the watch.
    """

    def stop(signum: int, frame: object) -> None:
        raise KeyboardInterrupt

    old = signal.signal(signal.SIGTERM, stop)
    watching = False
    try:
        with WarmWorkers(workers) as warm:
            before = snapshot(data_dir)  # what the first build reads: an edit during it counts
            code = build_once(warm)
            if code == 2 or code >= 128:
                return code
            warm.start(library_hash())  # the first edit finds them warm too
            print("watching the data and the notebooks; Ctrl-C stops", flush=True)
            watching = True
            while True:
                time.sleep(interval)
                now = snapshot(data_dir)
                if now == before:
                    continue
                while True:  # until it has stopped changing
                    time.sleep(interval)
                    settled = snapshot(data_dir)
                    if settled == now:
                        break
                    now = settled
                names = changed(before, now)
                before = now
                shown = ", ".join(names[:5]) + (f" and {len(names) - 5} more" if names[5:] else "")
                print(f"changed: {shown}", flush=True)
                try:
                    code = build_once(warm)
                except Exception as exc:  # noqa: BLE001 - the next save may mend it
                    print(f"belarus-monitor build: {_short(exc)}", file=sys.stderr, flush=True)
                    code = 1
                if code >= 128:
                    return code
    except KeyboardInterrupt:
        print("stopped watching" if watching else "stopped", file=sys.stderr, flush=True)
        return 0 if watching else 130
    finally:
        signal.signal(signal.SIGTERM, old)
