"""``belarus-monitor build --watch``: a curator's edit rebuilt by workers kept warm."""

from __future__ import annotations

import os
import queue
import signal
import subprocess
import sys
import threading
import time

import pytest
from conftest import edit_csv

from belarus_monitor import config
from belarus_monitor.pipeline import plan as planner
from belarus_monitor.pipeline import watch as watching
from belarus_monitor.pipeline import workers

QUOTE = "today in Belarus 169 political prisoners"
EDITED = "today in Belarus there are 169 political prisoners"


def test_a_snapshot_sees_every_change_of_the_data(data_copy):
    before = watching.snapshot(data_copy)
    assert "political_prisoners.csv" in before and "datapackage.json" in before
    assert any(name.startswith("notebooks/") for name in before)
    assert watching.snapshot(data_copy) == before
    edit_csv(data_copy / "political_prisoners.csv", QUOTE, EDITED)
    (data_copy / "notes.txt").write_text("a new file", encoding="utf-8")
    (data_copy / ".~lock.requests.csv#").write_text("an editor's lock", encoding="utf-8")
    assert watching.changed(before, watching.snapshot(data_copy)) == [
        "notes.txt",
        "political_prisoners.csv",
    ]


def test_an_edit_during_a_build_is_built_next_and_an_error_never_ends_the_watch(
    data_copy, monkeypatch, capsys
):
    """Saves during the first build count; a build that fails prints one line, goes on."""
    monkeypatch.setattr(workers.WarmWorkers, "start", lambda self, lib_hash: None)
    path = data_copy / "political_prisoners.csv"
    calls: list[str] = []

    def build_once(warm):
        calls.append(path.read_text(encoding="utf-8"))
        if len(calls) == 1:  # saved while the first build runs
            edit_csv(path, QUOTE, EDITED)
            return 0
        if len(calls) == 2:  # a save mid-build again, and this build fails
            edit_csv(path, EDITED, QUOTE)
            raise ValueError("a notebook half saved\nwith a second line")
        raise KeyboardInterrupt  # the third build: Ctrl-C

    # Without the first build's edit seen, the watch would wait for ever: end it then.
    timer = threading.Timer(20, os.kill, (os.getpid(), signal.SIGTERM))
    timer.start()
    try:
        assert watching.watch(build_once, str(data_copy), 1, interval=0.05) == 0
    finally:
        timer.cancel()
    assert len(calls) == 3 and EDITED in calls[1] and QUOTE in calls[2]
    err = capsys.readouterr().err
    assert "belarus-monitor build: ValueError: a notebook half saved" in err
    assert "second line" not in err and "Traceback" not in err and "stopped watching" in err


def test_a_notebook_that_does_not_read_is_a_build_error(tmp_path, monkeypatch):
    from belarus_monitor.pipeline import jobs as pjobs

    (tmp_path / "half.ipynb").write_text('{"cells": [', encoding="utf-8")
    monkeypatch.setattr(config, "NOTEBOOKS_DIR", tmp_path)
    with pytest.raises(pjobs.BuildError, match=r"notebooks/half.ipynb: expected a notebook"):
        pjobs.notebook_spec("half")


class _Lines:
    """The lines a process writes, read as they come."""

    def __init__(self, proc: subprocess.Popen):
        self.lines: queue.Queue[str] = queue.Queue()
        self.seen: list[str] = []
        threading.Thread(target=self._read, args=(proc,), daemon=True).start()

    def _read(self, proc: subprocess.Popen) -> None:
        for line in proc.stdout:
            self.lines.put(line)

    def until(self, words: str, timeout: float = 90) -> str:
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            try:
                line = self.lines.get(timeout=max(0.1, end - time.monotonic()))
            except queue.Empty:
                break
            self.seen.append(line)
            if words in line:
                return line
        raise AssertionError(f"{words!r} not printed; printed:\n{''.join(self.seen)}")


@pytest.mark.slow
def test_watch_builds_again_after_an_edit_and_stops_cleanly(data_copy, tmp_path):
    out = tmp_path / "out"
    proc = subprocess.Popen(
        [sys.executable, "-m", "belarus_monitor.cli", "build", "--watch"]
        + ["--notebook", "repression", "-P", "start=2020-06-01", "-P", "end=2021-06-30"]
        + ["--format", "html", "--jobs", "1", "--no-progress"]
        + ["--out", str(out), "--data-dir", str(data_copy)],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        cwd=config.PROJECT_ROOT,
        # Ctrl-C as at a terminal, even where this test process ignores it.
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )
    lines = _Lines(proc)
    try:
        assert lines.until(" built, ").startswith("1 built")
        lines.until("watching the data")
        [page] = [p for p in out.glob("repression*.html") if p.name != "index.html"]
        assert QUOTE in page.read_text(encoding="utf-8")
        # An edit: the report that shows the quote is built again, by the same workers.
        edit_csv(data_copy / "political_prisoners.csv", QUOTE, EDITED)
        assert lines.until("changed: ") == "changed: political_prisoners.csv\n"
        assert lines.until(" built, ").startswith("1 built")
        assert EDITED in page.read_text(encoding="utf-8")
        # Data that does not validate is reported; the watch goes on, the page stays.
        edit_csv(data_copy / "political_prisoners.csv", "pp-001,2020-12-31", "pp-001,2020-13")
        lines.until("nothing was built")
        assert EDITED in page.read_text(encoding="utf-8")
        edit_csv(data_copy / "political_prisoners.csv", "pp-001,2020-13", "pp-001,2020-12-31")
        assert lines.until(" built, ").startswith("0 built, 1 up to date")
        proc.send_signal(signal.SIGINT)
        assert proc.wait(timeout=30) == 0
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    lines.until("stopped watching", timeout=5)
    assert not any("Traceback" in line for line in lines.seen), "".join(lines.seen)


@pytest.mark.slow
def test_warm_workers_are_kept_between_builds_and_write_the_same_bytes(reports, tmp_path):
    cold = reports[0]  # the shared build: workers started for it, then ended
    jobs = planner.plan(["NZ"], None)
    with workers.WarmWorkers(1) as warm:
        first = workers.build(jobs, tmp_path / "a", ("html",), progress=False, warm=warm)
        pool = warm._pool
        pids = set(pool._processes)
        again = workers.build(jobs, tmp_path / "b", ("html",), progress=False, warm=warm)
        assert warm._pool is pool and set(pool._processes) == pids  # the same workers
        assert warm.pool("a library changed since") is not pool  # new code: new workers
    assert warm._pool is None
    for pid in pids:  # ended with the block
        with pytest.raises(ProcessLookupError):
            os.kill(pid, 0)
    assert [r.status for r in first + again] == ["built", "built"]
    cold_bytes = (cold / "country_profile_NZ.html").read_bytes()
    for name in ("a", "b"):
        assert (tmp_path / name / "country_profile_NZ.html").read_bytes() == cold_bytes, name
    assert (tmp_path / "b" / "index.html").is_file()
