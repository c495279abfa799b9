"""Incremental builds: after a data edit only the reports whose pages change are rewritten.

A build records, beside each report, the tables its run read (and the data's date).
The next build runs again only the reports one of whose tables changed, and writes the
HTML and PDF of only those whose executed notebook changed; the result must be, file
for file, what a forced build makes from the edited data.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from conftest import edit_csv

import belarus_monitor as bm
from belarus_monitor.cli import main
from belarus_monitor.data import reads
from belarus_monitor.pipeline import jobs as pjobs
from belarus_monitor.pipeline import plan as planner
from belarus_monitor.pipeline import workers

#: Files a build keeps for itself: compared by their effect, not their bytes.
OWN = {".build-cache.json", ".belarus-monitor.lock"}


def _jobs(data: Path) -> list:
    """Reports of each fate after the edit: built again (DE, repression), run again with
    pages unchanged (NZ, corrections), and either (methodology).

    The repression report is that of 2020 and early 2021 (the edited quote is of
    December 2020): what a build does is the same, on 3 pages rather than 21.
    """
    jobs = planner.plan(["DE", "NZ"], None, data_dir=str(data))
    jobs += planner.plan(None, ["methodology", "corrections"], data_dir=str(data))
    params = (("data_dir", str(data)), ("end", "2021-06-30"), ("start", "2020-06-01"))
    return [*jobs, pjobs.Job("repression", params, "repression_2020")]


def _state(out: Path) -> dict[str, tuple[int, int]]:
    """Every file in ``out``: its modification time and inode (a rename changes it)."""
    return {p.name: (p.stat().st_mtime_ns, p.stat().st_ino) for p in out.iterdir()}


def _edit(data: Path) -> None:
    """Edit rows of three tables, keeping the data valid."""
    edit_csv(
        data / "political_prisoners.csv",
        "today in Belarus 169 political prisoners",
        "today in Belarus there are 169 political prisoners",
    )
    edit_csv(
        data / "requests.csv",
        "In total, they fulfilled six of our requests",
        "In total, they have fulfilled six of our requests",
    )
    sources = (data / "sources.csv").read_text(encoding="utf-8")
    row = next(line for line in sources.splitlines() if line.startswith("radavision-prisoners,"))
    title = row.split(",")[1]
    assert len(title) > 5
    edit_csv(data / "sources.csv", row, row.replace(title, title + " (edited)", 1))
    assert bm.validate(data) == []


def test_a_run_records_what_it_read(data_copy):
    ds = bm.open(data_copy)
    with reads.recording() as seen:
        assert len(ds.requests) > 10
    assert {"requests", "groups"} <= seen and "political_prisoners" not in seen
    with reads.recording() as again:  # served from the caches: noted all the same
        assert len(ds.requests) and ds.estimators and ds.vocabulary
    assert seen | {"political_prisoners", "vocabulary"} <= again
    with reads.recording() as date:
        assert ds.as_of in ds.citation_of_edition
    assert date == {reads.AS_OF}  # the date, not the tables it is read from
    assert "sha256" not in ds.citation_of_edition
    with reads.recording() as whole:
        assert ds.checksum[:12] in ds.citation
    assert reads.WHOLE in whole


@pytest.mark.slow
def test_an_edit_rebuilds_exactly_the_reports_it_changes(data_copy, tmp_path):
    out, forced = tmp_path / "out", tmp_path / "forced"
    opts = {"workers": 2, "progress": False, "data_dir": str(data_copy)}
    first = workers.build(_jobs(data_copy), out, **opts)
    assert {r.status for r in first} == {"built"}
    before = {p.name: p.read_bytes() for p in out.iterdir() if p.name not in OWN}
    times = _state(out)

    _edit(data_copy)
    results = workers.build(_jobs(data_copy), out, **opts)
    status = {r.job.stem: r.status for r in results}
    workers.build(_jobs(data_copy), forced, force=True, **opts)

    after = {p.name for p in forced.iterdir() if p.name not in OWN}
    assert after == {p.name for p in out.iterdir() if p.name not in OWN}
    # Byte for byte what a forced build makes, PDFs, manifests and the workbook
    # included: builds are also reproducible (DE and the repression report are built
    # by both, in workers of their own).
    for name in after:
        assert (out / name).read_bytes() == (forced / name).read_bytes(), name
    # The reports whose files a forced build changes, and those alone, were built.
    changed = {
        r.job.stem
        for r in results
        if any(
            (forced / n).read_bytes() != before.get(n)
            for n in after
            if n.startswith(r.job.stem + ".") and not n.endswith(".build.json")
        )
    }
    assert {"repression_2020", "country_profile_DE"} <= changed
    assert {s for s, st in status.items() if st == "built"} == changed
    # Reports that read an edited table ran again; those whose pages did not change
    # kept their files (the manifest records the new tables' checksums).
    assert status["country_profile_NZ"] == status["corrections"] == "unchanged"
    for name, when in times.items():
        stem = name.split(".")[0]
        if status.get(stem) in ("unchanged", "up-to-date") and not name.endswith(".build.json"):
            assert _state(out)[name] == when, name
    # The downloads hold every table: written again, as the forced build wrote them.
    assert (out / "belarus-monitor.xlsx").read_bytes() != before["belarus-monitor.xlsx"]


@pytest.mark.slow
def test_a_build_with_nothing_to_do_writes_no_file(data_copy, tmp_path, capsys):
    out = tmp_path / "out"
    args = ["build", "--data-dir", str(data_copy), "--out", str(out), "--no-progress"]
    assert main([*args, "--country", "NZ"]) == 0
    capsys.readouterr()
    state = _state(out)
    assert {"index.html", ".build-cache.json", ".belarus-monitor.lock"} <= set(state)
    assert "country_profile_NZ.pdf" in state
    assert main([*args, "--country", "NZ"]) == 0
    assert "0 built, 1 up to date, 0 failed" in capsys.readouterr().out
    assert _state(out) == state
    # An edit of a table the profile does not read leaves it as it is, and its files.
    edit_csv(data_copy / "political_prisoners.csv", "169 political prisoners", "169 prisoners")
    assert main([*args, "--country", "NZ"]) == 0
    assert "0 built, 1 up to date, 0 failed" in capsys.readouterr().out
    now = _state(out)
    assert {k: v for k, v in now.items() if k.startswith("country_profile_NZ")} == {
        k: v for k, v in state.items() if k.startswith("country_profile_NZ")
    }
    assert os.path.exists(out / "belarus-monitor.xlsx")
