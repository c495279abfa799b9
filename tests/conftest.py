"""Shared fixtures: a private copy of data/ that a test may break."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import pytest

# jsonschema (under nbformat) imports rfc3987_syntax for its "iri" format when it is
# installed (the dev extra's Jupyter server brings it), compiling 39 grammars: a second
# of every test process's start. No notebook schema has that format; the build's
# workers go without it too (``pipeline.workers._warm``).
sys.modules.setdefault("rfc3987_syntax", None)  # type: ignore[arg-type]

from belarus_monitor import config  # noqa: E402 - after the line above
from belarus_monitor.pipeline import jobs as pjobs  # noqa: E402
from belarus_monitor.pipeline import plan as planner  # noqa: E402
from belarus_monitor.pipeline import workers  # noqa: E402

PROFILES = ["DE", "LT", "LV", "NZ", "RS", "US", "BA"]  # BA: almost no data


def pytest_configure(config):
    """One cache of the library's own for the run (what was validated, charts drawn).

    The tests neither read what the user's builds left there nor add to it; the test
    processes and the builds they start share it (set before xdist starts them).
    """
    import os
    import tempfile

    if "BELARUS_MONITOR_CACHE" not in os.environ:
        os.environ["BELARUS_MONITOR_CACHE"] = tempfile.mkdtemp(prefix="belarus-monitor-tests-")
        config._bm_cache = os.environ["BELARUS_MONITOR_CACHE"]


def pytest_unconfigure(config):
    cache = getattr(config, "_bm_cache", None)
    if cache:
        shutil.rmtree(cache, ignore_errors=True)


@pytest.fixture
def data_copy(tmp_path: Path) -> Path:
    """A copy of the shipped data directory in a temporary directory."""
    dest = tmp_path / "data"
    shutil.copytree(config.DATA_DIR, dest)
    return dest


def edit_csv(path: Path, old: str, new: str, count: int = 1) -> None:
    """Replace text in a CSV file, failing loudly if the text is not there."""
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, count), encoding="utf-8")


def _build_reports(out: Path):
    jobs = planner.plan(PROFILES, None, out=out)
    jobs += planner.plan(
        None, ["cooperation", "repression", "sanctions", "methodology", "corrections"], out=out
    )
    jobs.append(
        pjobs.Job(
            "repression",
            (("end", "2023-12-31"), ("estimators", ["Viasna"]), ("start", "2022-01-01")),
            "repression_viasna_2022",
        )
    )
    jobs.append(
        pjobs.Job(
            "sanctions",
            (("list_a", "UNFRIENDLY_POZIRK_2024"), ("list_b", "UNFRIENDLY_2022")),
            "sanctions_swapped",
        )
    )
    results = workers.build(jobs, out, ("html", "pdf"), workers=2, progress=False)
    return out, jobs, results


@pytest.fixture(scope="session")
def reports(request, tmp_path_factory):
    """A built set of reports shared by the slow tests: six profiles, the overviews,
    and overviews with other parameters.

    Under pytest-xdist the set is built once for all the test processes: the first to
    need it builds it under a lock, the others wait and read the same folder.
    """
    if not hasattr(request.config, "workerinput"):
        return _build_reports(tmp_path_factory.mktemp("reports"))
    import fcntl
    import pickle

    root = tmp_path_factory.getbasetemp().parent  # shared by this run's test processes
    done = root / "reports.pickle"
    with open(root / "reports.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not done.exists():
            out = root / "reports"
            out.mkdir()
            done.write_bytes(pickle.dumps(_build_reports(out)))
        return pickle.loads(done.read_bytes())


CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
CHROMEDRIVER = shutil.which("chromedriver")


def headless_chromium(phone_width: int | None = None):
    """Debian's chromium, headless and offline (every host resolves to nothing).

    With ``phone_width`` it emulates a phone of that width in CSS pixels. Skips the test
    when chromium or chromedriver is not installed.
    """
    if not (CHROMIUM and CHROMEDRIVER):
        pytest.skip(
            "chromium and chromedriver are not installed "
            "(apt-get install chromium chromium-driver; .ci/run does it)"
        )
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    opts = webdriver.ChromeOptions()
    opts.binary_location = CHROMIUM
    for arg in (
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--disable-dev-shm-usage",
        "--hide-scrollbars",
        "--host-resolver-rules=MAP * ~NOTFOUND",
        "--proxy-server=127.0.0.1:9",
        "--proxy-bypass-list=<-loopback>",
    ):
        opts.add_argument(arg)
    opts.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    if phone_width:
        opts.add_experimental_option(
            "mobileEmulation",
            {"deviceMetrics": {"width": phone_width, "height": 844, "pixelRatio": 1.0}},
        )
    drv = webdriver.Chrome(service=Service(CHROMEDRIVER), options=opts)
    drv.set_page_load_timeout(60)
    return drv
