"""Shared fixtures: a private copy of data/ that a test may break."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from belarus_monitor import build, config

PROFILES = ["DE", "LT", "LV", "NZ", "RS", "US", "BA"]  # BA: almost no data


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


@pytest.fixture(scope="session")
def reports(tmp_path_factory):
    """A built set of reports shared by the slow tests: six profiles, the overviews,
    and overviews with other parameters."""
    out = tmp_path_factory.mktemp("reports")
    jobs = build.plan(PROFILES, None, out=out)
    jobs += build.plan(None, ["cooperation", "repression", "sanctions"], out=out)
    jobs += build.plan(["LT"], ["cooperation", "sanctions"], out=out)
    jobs.append(
        build.Job(
            "repression",
            (("end", "2023-12-31"), ("estimators", ["Viasna"]), ("start", "2022-01-01")),
            "repression_viasna_2022",
        )
    )
    jobs.append(
        build.Job(
            "sanctions",
            (("list_a", "UNFRIENDLY_POZIRK_2024"), ("list_b", "UNFRIENDLY_2022")),
            "sanctions_swapped",
        )
    )
    results = build.build(jobs, out, ("html", "pdf"), workers=2, progress=False)
    return out, jobs, results
