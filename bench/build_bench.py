"""Benchmark the report build against the naive loop and against its floor.

Measured in one run, on the same reports:

* **naive**: the command-line tools a user would chain by hand, one report after
  another: ``papermill``, ``jupyter nbconvert --to html --no-input``, ``weasyprint``;
* **build**: ``belarus-monitor build --force`` (workers with warm kernels, exports in
  process), with the peak memory of the whole process tree (build, workers, kernels);
* **no-op**: ``belarus-monitor build`` again, nothing to do; it must write no file
  (every file of the out directory keeps its modification time and inode);
* **one edited row**: a quote of ``political_prisoners.csv`` edited in a copy of the
  data, then ``belarus-monitor build``: the reports that read the table run again, and
  only those whose pages change are written; a chart whose values did not change is
  taken from the store the forced build filled (goal: at most 25 % of the forced
  build);
* **fresh clone** (``--clone``): ``git clone`` of this commit into a temporary folder,
  ``make reports`` there (set-up included), then the forced build that follows it
  (goal: at most 1.2 times), with an empty user cache as on a new machine;
* **floor**: the work no build can avoid: each notebook's own code run in-process (a
  warm IPython shell, imports done), plus its HTML and PDF export, summed over the
  reports and divided by the cores.

It prints each time and the ratios build/naive and build/floor. Speed-ups are ratios
within one run because these machines are noisy.

    .venv/bin/python bench/build_bench.py             # the full report set
    .venv/bin/python bench/build_bench.py --limit 6   # a quick run on 6 reports
    .venv/bin/python bench/build_bench.py --no-naive  # skip the slow naive loop
    .venv/bin/python bench/build_bench.py --clone     # and time make reports in a clone
"""

from __future__ import annotations

import argparse
import os
import shlex
import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
sys.path.insert(0, str(ROOT / "src"))

from belarus_monitor.pipeline import jobs as pjobs  # noqa: E402
from belarus_monitor.pipeline import plan as planner  # noqa: E402
from belarus_monitor.pipeline import render  # noqa: E402


def naive_script(jobs: list[pjobs.Job], out: Path) -> str:
    lines = ["set -e"]
    for job in jobs:
        nb_in = ROOT / "notebooks" / f"{job.notebook}.ipynb"
        nb_out = out / f"{job.stem}.ipynb"
        params = " ".join(f"-p {k} {shlex.quote(str(v))}" for k, v in job.parameters)
        lines += [
            f"{BIN}/papermill --no-progress-bar -k python3 {params} {nb_in} {nb_out}",
            f"{BIN}/jupyter nbconvert --to html --no-input --log-level=ERROR {nb_out}",
            f"{BIN}/weasyprint {out / (job.stem + '.html')} {out / (job.stem + '.pdf')}",
        ]
    return "\n".join(lines) + "\n"


def _tree_rss(root: int) -> int:
    """Resident memory (bytes) of a process and all its descendants."""
    children: dict[int, list[int]] = {}
    rss: dict[int, int] = {}
    for proc in Path("/proc").iterdir():
        if not proc.name.isdigit():
            continue
        try:
            stat = (proc / "stat").read_text()
            ppid = int(stat.rsplit(")", 1)[1].split()[1])
            status = (proc / "status").read_text()
        except OSError:
            continue
        pid = int(proc.name)
        children.setdefault(ppid, []).append(pid)
        for line in status.splitlines():
            if line.startswith("VmRSS:"):
                rss[pid] = int(line.split()[1]) * 1024
    total, todo = 0, [root]
    while todo:
        pid = todo.pop()
        total += rss.get(pid, 0)
        todo.extend(children.get(pid, []))
    return total


def timed(cmd: list[str], watch_memory: bool = False, **kw) -> tuple[float, int]:
    """Run a command; return its seconds and the peak memory of its process tree."""
    t = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, **kw)
    peak = 0
    if watch_memory:

        def watch() -> None:
            nonlocal peak
            while proc.poll() is None:
                peak = max(peak, _tree_rss(proc.pid))
                time.sleep(0.1)

        thread = threading.Thread(target=watch, daemon=True)
        thread.start()
    _, err = proc.communicate()
    seconds = time.perf_counter() - t
    if proc.returncode != 0:
        raise SystemExit(f"{cmd[0]} failed ({proc.returncode}): {err.decode()[-2000:]}")
    return seconds, peak


def floor(jobs: list[pjobs.Job]) -> float:
    """Each notebook's code run in-process, plus its HTML and PDF export, over the cores."""
    from belarus_monitor.data.provenance import data_as_of
    from belarus_monitor.pipeline.execute import collect_less, run_notebook, shell

    render._environment()
    shell()  # the imports are not the reports' own work
    collect_less()  # as in a worker of the build
    total = 0.0
    for job in jobs:
        nb = render._notebook(job)
        t = time.perf_counter()
        run_notebook(nb, ROOT / "notebooks")
        page = render.to_html(nb, pjobs._title(job), data_as_of(None))
        render.to_pdf(page)
        total += time.perf_counter() - t
    return total / (os.cpu_count() or 1)


def files_state(out: Path) -> dict[str, tuple[int, int]]:
    """Every file under ``out``, hidden ones included: modification time and inode."""
    return {
        str(p.relative_to(out)): (p.stat().st_mtime_ns, p.stat().st_ino)
        for p in out.rglob("*")
        if p.is_file()
    }


def edit_one_row(data: Path) -> None:
    """Edit one quote of political_prisoners.csv (the data stays valid)."""
    path = data / "political_prisoners.csv"
    text = path.read_text(encoding="utf-8")
    old = "today in Belarus 169 political prisoners"
    if old not in text:
        raise SystemExit(f"{path}: the row to edit is not there")
    path.write_text(text.replace(old, "today in Belarus there are 169 political prisoners"))


def fresh_clone() -> tuple[float, float]:
    """``make reports`` in a fresh clone of this commit, then the forced build after it."""
    import tempfile

    with tempfile.TemporaryDirectory(prefix="bm-clone-") as tmp:
        clone = Path(tmp) / "belarus-monitor"
        subprocess.run(["git", "clone", "-q", str(ROOT), str(clone)], check=True)
        env = {k: v for k, v in os.environ.items() if not k.startswith("VIRTUAL_ENV")}
        env["XDG_CACHE_HOME"] = str(Path(tmp) / "cache")  # a new machine's: empty
        first, _ = timed(["make", "-C", str(clone), "reports"], env=env)
        forced, _ = timed(["make", "-C", str(clone), "reports", "ARGS=--force"], env=env)
    return first, forced


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--limit", type=int, default=None, help="only the first N reports")
    p.add_argument("--jobs", type=int, default=None, help="workers for belarus-monitor build")
    p.add_argument("--no-naive", action="store_true", help="skip the naive loop")
    p.add_argument("--clone", action="store_true", help="time make reports in a fresh clone")
    args = p.parse_args()
    out = ROOT / "bench" / "out"
    shutil.rmtree(out, ignore_errors=True)
    naive_dir, fast_dir = out / "naive", out / "build"
    naive_dir.mkdir(parents=True)
    data = out / "data"  # a copy, to edit
    # The user's cache (what was validated, the charts drawn) starts empty, as on a new
    # machine: the forced build fills it, the edited row may read it.
    os.environ["XDG_CACHE_HOME"] = str(out / "cache")
    shutil.copytree(ROOT / "data", data)
    jobs = planner.plan(out=None)
    if args.limit:  # a quick run: the first N country profiles
        jobs = [j for j in jobs if pjobs.is_profile(j.notebook)][: args.limit]
    n, cores = len(jobs), os.cpu_count() or 1
    print(f"reports: {n} (HTML and PDF each); cores: {cores}")

    cmd = [str(BIN / "belarus-monitor"), "build", "--out", str(fast_dir), "--no-progress"]
    cmd += ["--data-dir", str(data)]
    if args.jobs:
        cmd += ["--jobs", str(args.jobs)]
    if args.limit:
        for job in jobs:
            cmd += ["--country", job.params["country"]]
    fast, peak = timed([*cmd, "--force"], watch_memory=True)
    print(f"belarus-monitor build --force: {fast:8.1f} s  ({fast / n:.2f} s a report)", flush=True)
    noop, _ = timed(cmd)
    print(f"no-op rebuild:                 {noop:8.2f} s", flush=True)
    edit_one_row(data)
    edit, _ = timed(cmd)
    print(f"one edited row:                {edit:8.2f} s", flush=True)
    before = files_state(fast_dir)
    noop2, _ = timed(cmd)
    rewritten = sorted(k for k, v in files_state(fast_dir).items() if before.get(k) != v)
    print(f"no-op after the edit:          {noop2:8.2f} s, files rewritten: {len(rewritten)}")
    for name in rewritten[:10]:
        print(f"  rewritten: {name}")
    clone = fresh_clone() if args.clone else None
    fl = floor(jobs)
    print(f"floor (own work / {cores} cores): {fl:8.1f} s", flush=True)
    naive = None
    if not args.no_naive:
        script = naive_dir / "naive.sh"
        script.write_text(naive_script(jobs, naive_dir))
        env = {**os.environ, "SOURCE_DATE_EPOCH": pjobs.SOURCE_DATE_EPOCH}
        naive, _ = timed(["bash", str(script)], env=env)

    print("--")
    print(f"belarus-monitor build --force: {fast:8.1f} s  ({fast / n:.2f} s a report)")
    print(f"floor (own work / {cores} cores): {fl:8.1f} s")
    if naive is not None:
        print(f"naive loop:                    {naive:8.1f} s  ({naive / n:.2f} s a report)")
        print(
            f"build / naive:                 {fast / naive:8.3f}   "
            f"(speed-up {naive / fast:.1f}x; goal at least 10x)"
        )
    print(f"build / floor:                 {fast / fl:8.2f}   (goal at most 1.25)")
    print(f"no-op rebuild:                 {noop:8.2f} s  (goal under 0.3 s)")
    print(
        f"one edited row:                {edit:8.2f} s  ({edit / fast:.0%} of the forced "
        "build; goal at most 25 %)"
    )
    print(f"files a no-op build rewrote:   {len(rewritten):8d}    (goal 0)")
    if clone:
        print(
            f"fresh clone: make reports      {clone[0]:8.1f} s, forced build after it "
            f"{clone[1]:.1f} s: {clone[0] / clone[1]:.2f}x (goal at most 1.2x)"
        )
    print(f"peak memory of the build:      {peak / 2**20:8.0f} MiB (goal under 1,536 MiB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
