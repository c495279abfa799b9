"""Benchmark the report build: a naive shell loop against ``belarus-monitor build``.

The naive way runs, one report after another, the command-line tools a user would
chain by hand: ``papermill``, ``jupyter nbconvert --to html --no-input`` and
``weasyprint``. The project's way is ``belarus-monitor build`` (a pool of workers, one
reused kernel per worker, exports in-process). Both build the same reports from
scratch into bench/out/; then a no-op rebuild is timed. Prints the figures.

    .venv/bin/python bench/build_bench.py            # the full report set
    .venv/bin/python bench/build_bench.py --limit 6  # a quick run on 6 reports
"""

from __future__ import annotations

import argparse
import os
import shlex
import shutil
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
sys.path.insert(0, str(ROOT / "src"))

from belarus_monitor import build  # noqa: E402


def naive_script(jobs: list[build.Job], out: Path) -> str:
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


def timed(cmd: list[str], **kw) -> float:
    t = time.perf_counter()
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                   **kw)
    return time.perf_counter() - t


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--limit", type=int, default=None, help="build only the first N reports")
    p.add_argument("--jobs", type=int, default=None, help="workers for belarus-monitor build")
    args = p.parse_args()
    out = ROOT / "bench" / "out"
    shutil.rmtree(out, ignore_errors=True)
    naive_dir, fast_dir = out / "naive", out / "build"
    naive_dir.mkdir(parents=True)
    jobs = build.plan(out=fast_dir)
    if args.limit:
        jobs = jobs[: args.limit]
    n = len(jobs)
    print(f"reports: {n} (HTML and PDF each), cores: {os.cpu_count()}")

    script = naive_dir / "naive.sh"
    script.write_text(naive_script(jobs, naive_dir))
    env = {**os.environ, "SOURCE_DATE_EPOCH": build.SOURCE_DATE_EPOCH}
    naive = timed(["bash", str(script)], env=env)
    print(f"naive loop (papermill + nbconvert + weasyprint CLIs): {naive:7.1f} s "
          f"({naive / n:.2f} s a report)")

    if args.limit:
        # A subset cannot be named on the command line: use the same API the CLI calls.
        def run() -> float:
            t = time.perf_counter()
            results = build.build(jobs, fast_dir, build.FORMATS, args.jobs, progress=False)
            assert all(r.status != "failed" for r in results), results
            return time.perf_counter() - t
        how = "belarus-monitor build (API):  "
    else:
        cmd = [str(BIN / "belarus-monitor"), "build", "--out", str(fast_dir), "--no-progress"]
        if args.jobs:
            cmd += ["--jobs", str(args.jobs)]

        def run() -> float:
            return timed(cmd)
        how = "belarus-monitor build (CLI):  "
    fast = run()
    print(f"{how}                       {fast:7.1f} s ({fast / n:.2f} s a report)")
    print(f"speed-up:                                           {naive / fast:7.1f} x")
    noop = run()
    print(f"no-op rebuild:                                      {noop:7.2f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
