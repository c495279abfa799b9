"""A report built from another data directory takes every word from that directory.

Built with ``--data-dir``, every report kind (the three overviews and a profile),
with its figure CSVs and the index, must show the copy's labels and group names, and
a copy that adds a valid new code must build as well as the original.
"""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path

import pytest

from belarus_monitor.pipeline import plan as planner
from belarus_monitor.pipeline import workers

pytestmark = pytest.mark.slow

MARK = "Ж"  # put before every label and group name of the copy
REPORTS = [("cooperation", None), ("repression", None), ("sanctions", None), (None, "LT")]


def _prefix_column(path: Path, column: str) -> None:
    rows = list(csv.reader(io.StringIO(path.read_text("utf-8"), newline="")))
    j = rows[0].index(column)
    for r in rows[1:]:
        r[j] = MARK + r[j]
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\n").writerows(rows)
    path.write_text(buf.getvalue(), "utf-8")


def _build(data: Path, out: Path) -> dict[str, str]:
    jobs = []
    for nb, country in REPORTS:
        jobs += planner.plan([country] if country else None, [nb] if nb else None, str(data), out)
    results = workers.build(jobs, out, ("html",), workers=2, data_dir=str(data), progress=False)
    assert [r.status for r in results] == ["built"] * len(jobs), [r.error for r in results]
    return {p.name: p.read_text("utf-8") for p in out.iterdir() if p.suffix in (".html", ".csv")}


def _add_a_code(data: Path) -> None:
    """A new status, ``stalls``, in the descriptor and the vocabulary, used by a claim."""
    desc = json.loads((data / "datapackage.json").read_text("utf-8"))
    req = next(r for r in desc["resources"] if r["name"] == "requests")
    status = next(f for f in req["schema"]["fields"] if f["name"] == "status")
    status["constraints"]["enum"].append("stalls")
    (data / "datapackage.json").write_text(json.dumps(desc, indent=1), "utf-8")
    with (data / "vocabulary.csv").open("a", encoding="utf-8") as fh:
        fh.write(f"status,stalls,{MARK}stalls every request,{MARK}stall every request,New.\n")
    text = (data / "requests.csv").read_text("utf-8")
    row = next(line for line in text.splitlines() if line.startswith("req-011,"))
    new = row.replace("req-011,", "req-911,", 1).replace(",PL,", ",LT,", 1)
    new = new.replace(",ignores,", ",stalls,", 1)
    (data / "requests.csv").write_text(text + new + "\n", "utf-8")


@pytest.fixture(scope="module")
def relabelled(tmp_path_factory):
    """Every report kind built from a copy whose every label and group name is marked,
    and which adds a code of its own."""
    import shutil

    from belarus_monitor import config

    root = tmp_path_factory.mktemp("relabelled")
    data = root / "data"
    shutil.copytree(config.DATA_DIR, data)
    _prefix_column(data / "vocabulary.csv", "label")
    _prefix_column(data / "vocabulary.csv", "plural")
    _prefix_column(data / "groups.csv", "name")
    _prefix_column(data / "groups.csv", "text_name")
    _add_a_code(data)
    return _build(data, root / "out")


@pytest.mark.parametrize("stem", ["cooperation", "repression", "sanctions", "country_profile_LT"])
def test_every_report_kind_shows_the_copys_words(relabelled, stem):
    page = relabelled[f"{stem}.html"]
    assert page.count(MARK) >= 5, stem
    csvs = [t for n, t in relabelled.items() if n.startswith(stem + ".figure-")]
    assert csvs and any(MARK in t for t in csvs), stem


@pytest.mark.parametrize(
    "words",
    [
        "practically ignores requests",  # a status, an answer class (map legend, alt, CSV)
        "refused or rejected requests",
        "individuals added",
        "The Baltic states",  # a group's name
    ],
)
def test_no_word_of_the_projects_own_data_is_left(relabelled, words):
    left = {
        name: m.start()
        for name, text in relabelled.items()
        for m in re.finditer(rf"(?<![{MARK}{MARK.lower()}]){re.escape(words)}", text)
    }
    assert not left, f"{words!r} without the copy's mark in {sorted(left)[:5]}"


def test_a_new_code_in_a_copy_is_shown_in_its_words(relabelled):
    assert f"{MARK}stalls every request" in relabelled["country_profile_LT.html"]
    assert f"{MARK}stalls every request" in relabelled["cooperation.html"]


def test_qualifiers_are_the_copys_words_and_none_is_dropped(relabelled):
    assert (
        f"{MARK}about " in relabelled["repression.html"]
        or f"{MARK}about " in relabelled["cooperation.html"]
    )


def test_every_qualifier_of_the_vocabulary_is_written():
    import belarus_monitor as bm
    from belarus_monitor.words.stories import qualified

    ds = bm.open()
    codes = [c for (d, c) in ds.vocabulary if d == "qualifier"]
    assert "almost" in codes
    for code in codes:
        text = qualified(1500, code, ds)
        assert text.endswith("1,500")
        assert (text == "1,500") == (code == "exact"), code  # only "exact" goes unsaid
        if code != "exact":
            assert text.startswith(ds.label("qualifier", code)), code
