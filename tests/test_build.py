"""The report build: every notebook with default and other parameters, HTML and PDF
content, reproducibility, incremental rebuilds and failures (slow: runs notebooks)."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
from pypdf import PdfReader

import belarus_monitor as bm
from belarus_monitor import config
from belarus_monitor.cli import main
from belarus_monitor.data.provenance import dataset_checksum
from belarus_monitor.pipeline import jobs as pjobs
from belarus_monitor.pipeline import workers

pytestmark = pytest.mark.slow


def _text(path: Path) -> str:
    """Visible text of an HTML report, whitespace folded."""
    raw = path.read_text(encoding="utf-8")
    raw = re.sub(r"<style.*?</style>", " ", raw, flags=re.S)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", raw)).replace("&#x27;", "'")


def _pdf_text(path: Path) -> str:
    return re.sub(r"\s+", " ", " ".join(p.extract_text() for p in PdfReader(path).pages))


def test_every_report_builds(reports):
    out, jobs, results = reports
    failed = [(r.job.stem, r.error) for r in results if r.status != "built"]
    assert not failed
    for job in jobs:
        for ext in ("ipynb", "html", "pdf", "build.json"):
            assert (out / f"{job.stem}.{ext}").stat().st_size > 0, (job.stem, ext)


def test_germany_profile_shows_its_six_requests(reports):
    out = reports[0]
    raw = (out / "country_profile_DE.html").read_text(encoding="utf-8")
    assert "<h1>Germany</h1>" in raw
    text = _text(out / "country_profile_DE.html")
    assert "Germany fulfilled 6 of Belarus' requests" in text.split("Download")[0]  # lede
    assert (
        "Germany's 6 fulfilled requests are 18% of the 33 that Belarus' prosecutors "
        "count for the 'unfriendly' states"
    ) in text
    assert "In total, they fulfilled six of our requests" in text
    pdf = _pdf_text(out / "country_profile_DE.pdf")
    assert "Germany's 6 fulfilled requests" in pdf
    assert re.search(r"Page 1 of \d+", pdf) and "Data as of" in pdf


def test_lithuania_profile_has_group_claims(reports):
    text = _text(reports[0] / "country_profile_LT.html")
    assert "Minsk has satisfied all three requests by Vilnius" in text
    assert "The Baltic states" in text and "practically ignore our requests" in text
    assert "BALTIC" not in text


def test_country_with_little_data_gets_an_honest_profile(reports):
    text = _text(reports[0] / "country_profile_BA.html")
    assert "Bosnia and Herzegovina" in text
    assert "Lists and groups" not in text  # no empty section promising what follows
    assert "Decision (CFSP) 2022/356" in text and "aligned, 2 March 2022" in text
    nz = _text(reports[0] / "country_profile_NZ.html")
    des = bm.load_table("sanctions_designations")
    rounds = des[(des["jurisdiction"] == "NZ") & (des["row_kind"] == "round")]["round_id"]
    assert rounds.nunique() == 3  # March 2022 was a travel ban: 16 May 2022 is the first
    assert f"New Zealand made {rounds.nunique()} rounds of sanctions designations" in nz
    assert "239" in nz and "groups it belongs to, not for it by name" in nz


def test_serbia_only_on_the_article_list(reports):
    text = _text(reports[0] / "country_profile_RS.html")
    assert "the list as the Pozirk article of 25 June 2024 gives it" in text
    # The section itself, not the contents that name it.
    section = text.rsplit("Lists and groups", 1)[1].rsplit("Sources and provenance", 1)[0]
    # The article's version of the list, said as such, with its source; not a list of its own.
    assert "Serbia is not on the official list of April 2022" in section
    assert re.search(r"names it \(\s*Pozirk, 25 June 2024\s*\)", section)
    assert "'Unfriendly' states: the list as" not in section


def test_overview_figures(reports):
    out = reports[0]
    coop = _text(out / "cooperation.html")
    assert "33 of 239" in coop.split("Who answers")[0]  # in the lede
    assert "Minsk has satisfied all three requests by Vilnius" in coop
    assert "Andrei Gnyot" in coop and "Sciapan Putsila" in coop
    rep = _text(out / "repression.html")
    assert "1,477" in rep and "1,452" in rep and "Conflicting figures" in rep
    assert "about 5,000" in rep or "5,000" in rep
    # What the report shows, between its masthead (the data's date) and its provenance.
    custom = _text(out / "repression_viasna_2022.html").rsplit("Sources and provenance", 1)[0]
    custom = custom.split("all reports", 1)[1]
    assert "Sviatlana Tsikhanouskaya" not in custom and "2026" not in custom
    assert "No release or pardon in the data falls within these dates" in custom
    sanc = _text(out / "sanctions.html")
    assert "is that source's version of the one list, not a second list" in sanc
    assert "adds Serbia and does not mention Australia and New Zealand" in sanc
    assert "the 27 members of the European Union and 12 other states" in sanc
    assert "312 individuals" in sanc.split("Designations over time")[0]  # in the lede
    swapped = _text(out / "sanctions_swapped.html")
    assert "Only on the first: Serbia" in swapped


def test_html_has_no_code_and_no_foreign_resources(reports):
    out, jobs, _ = reports
    for job in jobs:
        raw = (out / f"{job.stem}.html").read_text(encoding="utf-8")
        assert "import belarus_monitor" not in raw and "bm.load" not in raw, job.stem
        assert "injected-parameters" not in raw and "data_dir" not in raw
        assert not re.search(r'<(script|link|img)[^>]+(src|href)="https?:', raw), job.stem
        assert "<script" not in raw
        imgs = re.findall(r"<img[^>]*>", raw)
        if job.notebook in ("cooperation", "repression", "sanctions") or job.stem[-2:] == "LT":
            assert imgs, job.stem
        for img in imgs:
            assert 'src="data:image/png;base64,' in img
            alt = re.search(r'alt="([^"]*)"', img)
            assert alt and len(alt.group(1)) > 20, (job.stem, img[:80])


def test_provenance_block(reports):
    text = _text(reports[0] / "country_profile_DE.html")
    prov = text.split("Sources and provenance")[-1]
    # The page names the data's version and date; the checksums are in the manifest.
    assert dataset_checksum() not in prov and dataset_checksum()[:12] not in prov
    assert "build manifest" in prov and f"data as of {bm.open().as_of}" in prov
    manifest = json.loads((reports[0] / "country_profile_DE.build.json").read_text())
    assert manifest["data"] == dataset_checksum()
    assert {"requests", "sources", "as_of"} <= set(manifest["reads"])
    assert "political_prisoners" not in manifest["reads"]
    assert f"belarus-monitor {bm.__version__}" in prov
    assert "How to cite" in prov and f"version {bm.open().version}" in prov
    assert "https://pozirk.online/en/news/92555" in prov
    assert "Belarus’ prosecutor decries neighbor’s reluctance" in prov


def test_executed_notebook_is_clean(reports):
    nb = nbformat.read(reports[0] / "country_profile_DE.ipynb", as_version=4)
    injected = [c for c in nb.cells if "injected-parameters" in c.metadata.get("tags", [])]
    assert [c.id for c in injected] == [pjobs.INJECTED_ID]
    assert set(nb.metadata["papermill"]) <= {"parameters", "default_parameters"}
    assert nb.metadata["papermill"]["parameters"] == {"country": "DE"}
    for cell in nb.cells:
        assert "papermill" not in cell.metadata and "execution" not in cell.metadata
    counts = [c.execution_count for c in nb.cells if c.cell_type == "code"]
    assert counts == list(range(1, len(counts) + 1))


def test_index_links_every_report(reports):
    out, jobs, _ = reports
    index = (out / "index.html").read_text(encoding="utf-8")
    for job in jobs:
        assert f'href="{job.stem}.html"' in index and f'href="{job.stem}.pdf"' in index


def test_noop_build_rebuilds_nothing(reports, capsys):
    out, jobs, _ = reports
    before = {p.name: p.stat().st_mtime_ns for p in out.iterdir()}
    assert (
        main(["build", "--country", "DE", "--country", "NZ", "--out", str(out), "--no-progress"])
        == 0
    )
    assert "0 built, 2 up to date, 0 failed" in capsys.readouterr().out
    after = {p.name: p.stat().st_mtime_ns for p in out.iterdir()}
    assert any(k.startswith("country_profile_DE") for k in after)
    # Nothing at all is rewritten: not the index (the same bytes), nor the lock file.
    assert ".belarus-monitor.lock" in after and "index.html" in after
    assert after == before


def test_bad_country_writes_nothing(tmp_path, capsys):
    out = tmp_path / "out"
    assert main(["build", "--country", "Germny", "--out", str(out)]) == 2
    err = capsys.readouterr().err
    assert "'Germny'" in err and "DE (Germany)" in err
    assert not out.exists()


def test_bad_notebook_and_format(tmp_path, capsys):
    assert main(["build", "--notebook", "nope", "--out", str(tmp_path / "a")]) == 2
    assert "cooperation" in capsys.readouterr().err
    assert main(["build", "--format", "docx", "--out", str(tmp_path / "b")]) == 2
    assert "--format 'docx'" in capsys.readouterr().err
    assert not (tmp_path / "a").exists() and not (tmp_path / "b").exists()


def test_failing_notebook_keeps_good_report_and_others_build(reports, tmp_path, data_copy):
    out = tmp_path / "out"
    out.mkdir()
    for ext in ("ipynb", "html", "pdf", "build.json"):
        shutil.copy(reports[0] / f"country_profile_DE.{ext}", out)
    good = (out / "country_profile_DE.html").read_bytes()
    csv = data_copy / "requests.csv"
    csv.write_text(csv.read_text(encoding="utf-8").replace(",239,", ",-239,"), encoding="utf-8")
    bad = pjobs.Job(
        "country_profile", (("country", "DE"), ("data_dir", str(data_copy))), "country_profile_DE"
    )
    fine = pjobs.Job("country_profile", (("country", "NZ"),), "country_profile_NZ")
    results = {
        r.job.stem: r for r in workers.build([bad, fine], out, ("html",), workers=2, progress=False)
    }
    assert results["country_profile_NZ"].status == "built"
    failed = results["country_profile_DE"]
    assert failed.status == "failed"
    assert "DataValidationError" in failed.error and "cell" in failed.error
    assert (out / "country_profile_DE.html").read_bytes() == good
    assert (out / "country_profile_DE.failed.ipynb").exists()
    assert not list(out.glob(".*tmp")) and not list(out.glob(".*running*"))
    index = (out / "index.html").read_text(encoding="utf-8")
    assert "failed in the last build" in index


def test_cli_failure_exit_code_names_the_report(tmp_path, data_copy, capsys):
    csv = data_copy / "requests.csv"
    csv.write_text(csv.read_text(encoding="utf-8").replace(",239,", ",-239,"), encoding="utf-8")
    out = tmp_path / "out"
    code = main(
        [
            "build",
            "--country",
            "NZ",
            "--out",
            str(out),
            "--format",
            "html",
            "--data-dir",
            str(data_copy),
            "--jobs",
            "1",
            "--no-progress",
        ]
    )
    err = capsys.readouterr().err
    assert code == 1
    # Invalid data is refused before any kernel starts: the message names file and row.
    assert "nothing was built" in err and "requests.csv:2: column 'value'" in err
    assert not out.exists()


def test_papermill_documents_the_parameters():
    out = subprocess.run(
        [
            str(Path(sys.executable).with_name("papermill")),
            "--help-notebook",
            str(config.NOTEBOOKS_DIR / "country_profile.ipynb"),
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert re.search(r"country: str \(default \"DE\"\)\s+the country", out)
    for name in ("cooperation", "repression", "sanctions"):
        nb = json.loads((config.NOTEBOOKS_DIR / f"{name}.ipynb").read_text())
        assert sum("parameters" in c["metadata"].get("tags", []) for c in nb["cells"]) == 1


def test_committed_notebooks_have_no_outputs():
    for path in config.NOTEBOOKS_DIR.glob("*.ipynb"):
        nb = json.loads(path.read_text())
        for cell in nb["cells"]:
            assert not cell.get("outputs") and not cell.get("execution_count"), path.name


def _made_here_unless_a_worker(main_pid: int) -> str:
    if os.getpid() != main_pid:
        os._exit(1)  # a worker that dies (as on a segfault)
    return "made by the build itself"


def test_the_task_beside_the_reports_runs_in_a_worker_or_in_the_build_if_the_worker_died(
    tmp_path,
):
    bar = workers._Progress(0, False)
    pid = workers._run_pool([], tmp_path, ("html",), {}, 1, {}, bar, also=(os.getpid, ()))
    assert isinstance(pid, int) and pid != os.getpid()
    made = workers._run_pool(
        [], tmp_path, ("html",), {}, 1, {}, bar, also=(_made_here_unless_a_worker, (os.getpid(),))
    )
    assert made == "made by the build itself"


def test_a_worker_collects_garbage_less_often_than_python_by_default(tmp_path):
    import gc

    from belarus_monitor.pipeline.execute import GC_THRESHOLD

    bar = workers._Progress(0, False)
    got = workers._run_pool([], tmp_path, ("html",), {}, 1, {}, bar, also=(gc.get_threshold, ()))
    assert tuple(got) == GC_THRESHOLD and GC_THRESHOLD[0] > gc.get_threshold()[0]
    frozen = workers._run_pool(
        [], tmp_path, ("html",), {}, 1, {}, bar, also=(gc.get_freeze_count, ())
    )
    assert frozen > 10_000  # the imported stack is out of every collection
