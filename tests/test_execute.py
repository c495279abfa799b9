"""The build's in-process notebook runner and the print layout of tables."""

from __future__ import annotations

import base64
import os
import sys

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

from belarus_monitor.pipeline.execute import CellError, run_notebook
from belarus_monitor.site import pages


def _nb(*sources: str):
    cells = [new_markdown_cell("# A report")] + [new_code_cell(s) for s in sources]
    return new_notebook(cells=cells)


def test_cells_record_what_they_display_print_and_return(tmp_path):
    nb = _nb(
        "from IPython.display import HTML, Image, display\nx = 6",
        "print('one'); print('two')\ndisplay(HTML('<b>bold</b>'), metadata={'k': 1})\nx * 7",
        "import os\nos.getcwd()",
        "display(Image(data=bytes.fromhex('89504e470d0a1a0a'), format='png'))",
    )
    run_notebook(nb, tmp_path)
    nbformat.validate(nb)
    first, second, third, fourth = nb.cells[1:]
    assert first.outputs == [] and first.execution_count == 1
    assert [o.output_type for o in second.outputs] == ["stream", "display_data", "execute_result"]
    assert second.outputs[0].text == "one\ntwo\n"
    assert second.outputs[1].data["text/html"] == "<b>bold</b>"
    assert second.outputs[1].metadata == {"k": 1}
    assert second.outputs[2].data["text/plain"] == "42"
    assert second.outputs[2].execution_count == second.execution_count == 2
    assert third.outputs[0].data["text/plain"] == repr(str(tmp_path))  # the notebook's folder
    png = fourth.outputs[0].data["image/png"]
    assert base64.b64decode(png) == bytes.fromhex("89504e470d0a1a0a")  # base64, as on disk
    assert nb.metadata["language_info"]["name"] == "python"


def test_a_failing_cell_is_recorded_and_stops_the_run(tmp_path):
    nb = _nb("y = 1", "raise ValueError('no such country')", "z = 2")
    with pytest.raises(CellError) as info:
        run_notebook(nb, tmp_path)
    assert (info.value.cell_index, info.value.ename) == (2, "ValueError")
    assert info.value.evalue == "no such country"
    error = nb.cells[2].outputs[-1]
    assert error.output_type == "error" and error.ename == "ValueError"
    assert "no such country" in "".join(error.traceback)
    assert nb.cells[3].get("outputs") == [] and nb.cells[3].execution_count is None


def test_each_run_starts_afresh_and_the_process_is_left_as_it_was(tmp_path):
    main, cwd, stdout = sys.modules["__main__"], os.getcwd(), sys.stdout
    first = _nb("secret = 41", "import matplotlib.pyplot as plt\nfig = plt.figure()")
    run_notebook(first, tmp_path)
    nb = _nb("'secret' in dir()", "len(plt.get_fignums()) if 'plt' in dir() else 0")
    run_notebook(nb, tmp_path)
    assert nb.cells[1].outputs[0].data["text/plain"] == "False"
    assert nb.cells[2].outputs[0].data["text/plain"] == "0"
    assert sys.modules["__main__"] is main and os.getcwd() == cwd and sys.stdout is stdout


def test_interrupts_pass_through(tmp_path):
    with pytest.raises(KeyboardInterrupt):
        run_notebook(_nb("raise KeyboardInterrupt"), tmp_path)


# -- print layout of tables ------------------------------------------------------------
def test_column_widths_follow_the_content():
    rows = [
        ["2024-01-05", "A quote long enough to need several lines on the printed page " * 3, "7"],
        ["2025-02-11", "Short", "12"],
    ]
    widths = pages.column_widths(["Date", "Quote", "How many"], rows)
    assert len(widths) == 3 and abs(sum(widths) - 100) < 0.1
    date, quote, number = widths
    assert quote > 2 * date and quote > 2 * number  # the long text takes the room
    assert min(widths) >= 9 / 62.5 * 100 - 0.1  # no column below report.css's min-width


def test_column_widths_of_short_tables_share_the_page_by_their_longest_text():
    widths = pages.column_widths(["Name", "Note"], [["a", "b " * 20], ["c", "d"]])
    assert abs(sum(widths) - 100) < 0.1 and widths[0] < widths[1]


def test_column_widths_read_the_text_of_markup_and_span_cells():
    link = pages.trusted('<a href="https://example.org/a/very/long/address">Radio Svaboda</a>')
    rows = [[{"text": link, "span": 2}, "x"], [None, "y"]]
    narrow = pages.column_widths(["Source", "Value"], [["Radio Svaboda", "x"], ["", "y"]])
    assert pages.column_widths(["Source", "Value"], rows) == narrow  # tags are not text


def test_tables_carry_their_print_widths():
    html = pages.table("Caption", ["A", "B"], [["one", "two"]])
    assert "bm-fixed" in html and html.count("<col ") == 2 and "--bm-width:" in html
    assert "bm-fixed" not in pages.render("table.html.j2", caption="", headings=["A"], rows=[])


def test_a_long_heading_does_not_take_the_room_of_the_quotes():
    heads = ["State", "Council decision of 16 December 2024 (26 persons, 2 entities)", "Quote"]
    quote = "“a quote that runs on for a while, as the quotes in the data do” " * 3
    rows = [["North Macedonia", "aligned, 14 January 2025", quote] for _ in range(8)]
    state, decision, said = pages.column_widths(heads, rows)
    assert said > 2 * decision and decision < 30


def test_the_room_goes_where_it_saves_lines():
    # One row with a long note, many rows with long quotes: the quotes get the room.
    rows = [["n", "a long note that runs on and on " * 3, "short"]]
    rows += [["n", "", "the quote of every row is long, " * 3] for _ in range(20)]
    _, note, quote = pages.column_widths(["A", "Note", "Quote"], rows)
    assert quote > note


STATE_CHANGER = """
import locale, os, sys, random, warnings
locale.setlocale(locale.LC_ALL, "C.UTF-8")  # the one other locale every machine has
import matplotlib as mpl, numpy as np, pandas as pd
mpl.rcParams.update({"font.size": 31, "lines.linewidth": 9, "axes.facecolor": "red"})
mpl.style.use("dark_background")
pd.set_option("display.precision", 1)
pd.set_option("display.max_rows", 3)
warnings.simplefilter("error")
os.environ["BM_LEAK"] = "1"
os.environ["SOURCE_DATE_EPOCH"] = "1"
sys.path.insert(0, "/nonexistent")
np.set_printoptions(precision=1)
np.seterr(all="raise")
np.random.seed(7); random.seed(7)
os.chdir("/")
"""


def test_a_notebook_leaves_the_process_as_it_found_it(tmp_path):
    import locale
    import random
    import warnings

    import matplotlib as mpl
    import numpy as np
    import pandas as pd

    from belarus_monitor.pipeline.execute import shell

    shell()  # a worker's state once warm is what every notebook starts from
    before = (
        dict(mpl.rcParams),
        pd.get_option("display.precision"),
        list(warnings.filters),
        dict(os.environ),
        list(sys.path),
        os.getcwd(),
        np.get_printoptions(),
        np.geterr(),
        random.getstate(),
        locale.setlocale(locale.LC_ALL),
    )
    run_notebook(_nb(STATE_CHANGER), tmp_path)
    with pytest.raises(CellError):
        run_notebook(_nb(STATE_CHANGER + "\nraise ValueError('and then fails')"), tmp_path)
    after = (
        dict(mpl.rcParams),
        pd.get_option("display.precision"),
        list(warnings.filters),
        dict(os.environ),
        list(sys.path),
        os.getcwd(),
        np.get_printoptions(),
        np.geterr(),
        random.getstate(),
        locale.setlocale(locale.LC_ALL),
    )
    assert after == before


@pytest.mark.slow
def test_a_report_after_a_state_changing_notebook_is_byte_identical(tmp_path, monkeypatch):
    from belarus_monitor.pipeline import plan as planner
    from belarus_monitor.pipeline import render

    job = planner.plan(["LT"], None)[0]

    def outputs(out):
        out.mkdir()
        assert render.run_job(job, str(out), ("html",), "d").status == "built"
        return {p.name: p.read_bytes() for p in out.iterdir() if not p.name.endswith(".ipynb")}

    first = outputs(tmp_path / "a")
    run_notebook(_nb(STATE_CHANGER), tmp_path)
    second = outputs(tmp_path / "b")
    assert first.keys() == second.keys() and first == second


def test_importing_and_drawing_never_changes_the_users_backend():
    import subprocess

    code = (
        "import matplotlib; matplotlib.use('svg')\n"
        "import belarus_monitor as bm\n"
        "from belarus_monitor import charts, maps, report, explore\n"
        "ds = bm.open()\n"
        "fig = charts.prisoners_over_time(bm.prisoners_series(ds.political_prisoners), ds)\n"
        "charts.render(fig)\n"
        "import matplotlib.pyplot as plt\n"
        "print(matplotlib.get_backend(), len(plt.get_fignums()))\n"
    )
    res = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert res.returncode == 0, res.stderr[-2000:]
    assert res.stdout.split() == ["svg", "0"]  # the user's backend; no figure left in pyplot
