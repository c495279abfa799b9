"""The user's own tools: papermill and a real Jupyter kernel give what the build gives.

The notebooks name the kernel ``belarus-monitor``, which the set-up installs into
``.venv``. A report executed by papermill in that kernel has the same cell outputs as
the build's in-process run; ``build --engine kernel`` writes the same bytes; and the
in-process shell behaves as a kernel does where a notebook can tell (a trailing ``;``,
figures drawn with pyplot, a figure returned by a cell).
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_notebook

from belarus_monitor import config
from belarus_monitor.pipeline import jobs as pjobs
from belarus_monitor.pipeline import plan as planner
from belarus_monitor.pipeline import render, workers
from belarus_monitor.pipeline.execute import run_notebook

pytestmark = pytest.mark.slow
PAPERMILL = Path(sys.executable).with_name("papermill")


def _kernel_installed() -> bool:
    from jupyter_client.kernelspec import KernelSpecManager

    return pjobs.KERNEL_NAME in KernelSpecManager().find_kernel_specs()


needs_kernel = pytest.mark.skipif(
    not _kernel_installed(), reason="the belarus-monitor kernel is not installed (make setup)"
)


def _outputs(nb) -> list[list[dict]]:
    """Every code cell's outputs: type, each MIME type's data (images by hash), text."""
    cells = []
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        outs = []
        for out in cell.get("outputs", []):
            item = {"type": out["output_type"], "text": out.get("text")}
            for mime, value in out.get("data", {}).items():
                item[mime] = hashlib.sha256(str(value).encode()).hexdigest()
            outs.append(item)
        cells.append(outs)
    return cells


@needs_kernel
def test_papermill_in_a_real_kernel_gives_the_builds_outputs(tmp_path):
    out = tmp_path / "lt.ipynb"
    res = subprocess.run(
        [str(PAPERMILL), str(config.NOTEBOOKS_DIR / "country_profile.ipynb"), str(out)]
        + ["-p", "country", "lt", "--no-progress-bar"],
        capture_output=True,
        text=True,
        timeout=300,
        cwd=tmp_path,
    )
    assert res.returncode == 0, res.stderr[-2000:]
    in_kernel = nbformat.read(out, as_version=4)
    job = pjobs.Job("country_profile", (("country", "lt"),), "x")
    here = render._notebook(job)
    render._environment()
    run_notebook(here, config.NOTEBOOKS_DIR)
    kernel_outputs, own_outputs = _outputs(in_kernel), _outputs(here)
    assert sum(map(len, own_outputs)) > 5  # a real report, not an empty comparison
    assert kernel_outputs == own_outputs


SEMANTICS = [
    "1 + 1;",
    "2 + 2",
    "import matplotlib.pyplot as plt\nplt.plot([1, 2])\nprint('drawn')",
    "plt.plot([3, 4]);",
    "from matplotlib.figure import Figure\nf = Figure()\nf.add_subplot().plot([1])\nf",
    "import warnings\nwarnings.warn('careful')",
]


@needs_kernel
def test_the_in_process_shell_behaves_as_a_kernel(tmp_path):
    nb = new_notebook(cells=[new_code_cell(s) for s in SEMANTICS])
    nb.metadata["kernelspec"] = {"name": pjobs.KERNEL_NAME, "language": "python"}
    path = tmp_path / "semantics.ipynb"
    nbformat.write(nb, path)
    out = tmp_path / "out.ipynb"
    env = {k: v for k, v in os.environ.items() if k != "MPLBACKEND"}  # a user's kernel
    subprocess.run(
        [str(PAPERMILL), str(path), str(out), "--no-progress-bar", "--cwd", str(tmp_path)],
        check=True,
        capture_output=True,
        timeout=300,
        env=env,
    )
    in_kernel = _outputs(nbformat.read(out, as_version=4))
    run_notebook(nb, tmp_path)
    here = _outputs(nb)

    def seen(o: dict) -> object:  # printed text as it is; a warning by its message
        text = o["text"] or ""
        return "a warning: careful" if "UserWarning: careful" in text else o["text"]

    def kinds(cells):  # what a reader sees: output types, MIME types, text
        return [[(o["type"], sorted(k for k in o if "/" in k), seen(o)) for o in c] for c in cells]

    assert kinds(here)[0] == []  # "1 + 1;" shows nothing
    assert [o["type"] for o in here[2]] == ["stream", "display_data"]  # the pyplot figure
    assert kinds(here) == kinds(in_kernel)


@needs_kernel
def test_build_with_the_kernel_engine_writes_the_same_bytes(reports, tmp_path):
    built = reports[0]  # the shared build, in-process engine
    jobs = planner.plan(["LT"], None)
    (kernel,) = workers.build(jobs, tmp_path, ("html", "pdf"), workers=1, engine="kernel")
    assert kernel.status == "built"
    files = sorted(p.name for p in tmp_path.iterdir() if p.name.startswith("country_profile_LT."))
    assert len(files) > 4
    for name in files:
        if name.endswith(".build.json"):
            continue  # the engine is an input: the manifests differ in their hash
        assert (built / name).read_bytes() == (tmp_path / name).read_bytes(), name


def test_every_parameter_is_visible_to_papermill():
    """What ``papermill --help-notebook`` lists (papermill's own inspection, in-process)."""
    import papermill

    for nb in [*pjobs.available_notebooks(), "explore"]:
        found = papermill.inspect_notebook(str(config.NOTEBOOKS_DIR / f"{nb}.ipynb"))
        spec = pjobs.notebook_spec(nb)
        names = spec.parameter_names if spec else ["country", "start", "end", "estimators"]
        assert set(names) <= set(found), (nb, sorted(found))
        assert all(found[n]["help"] for n in names), nb  # each explained


@pytest.mark.skipif(shutil.which("git") is None, reason="no git")
def test_committed_notebooks_name_the_installed_kernel():
    for path in config.NOTEBOOKS_DIR.glob("*.ipynb"):
        nb = nbformat.read(path, as_version=4)
        assert nb.metadata["kernelspec"]["name"] == pjobs.KERNEL_NAME, path.name
