"""Run a report notebook's cells in this process's IPython shell, recording their outputs.

The build runs each notebook the way a Jupyter kernel would (papermill injects the
parameters; the cells run one after another in an IPython shell with the notebook's
directory as working directory; what they display, print or return becomes the cell's
outputs), but in the worker process itself: the imported stack (pandas, matplotlib,
the library) is shared by every report the worker builds, and no message goes through
a kernel's sockets. Between two notebooks the shell forgets every variable and figure.
"""

from __future__ import annotations

import base64
import contextlib
import gc
import os
import platform
import sys
from pathlib import Path
from typing import Any

from IPython.core.displayhook import DisplayHook
from IPython.core.displaypub import DisplayPublisher
from IPython.core.interactiveshell import InteractiveShell
from traitlets import Type

from belarus_monitor.errors import BelarusMonitorError

#: The outputs of the cell being run (the shell's hooks append to it).
_SINK: list[dict[str, Any]] = []
#: The source of the cell being run (a trailing ``;`` silences its result, as in a kernel).
_CELL: list[str] = [""]


class CellError(BelarusMonitorError):
    """A cell of the notebook raised; its error is recorded in the cell's outputs."""

    def __init__(self, cell_index: int, ename: str, evalue: str):
        super().__init__(f"cell {cell_index}: {ename}: {evalue}")
        self.cell_index, self.ename, self.evalue = cell_index, ename, evalue


def _mime_bundle(data: dict[str, Any]) -> dict[str, Any]:
    """Display data as a notebook stores it: binary types in base64."""
    return {
        mime: base64.b64encode(value).decode("ascii") if isinstance(value, bytes) else value
        for mime, value in data.items()
    }


class _Publisher(DisplayPublisher):
    """``display()`` adds a ``display_data`` output to the running cell."""

    def publish(self, data, metadata=None, source=None, *, transient=None, update=False, **kw):
        _SINK.append(
            {
                "output_type": "display_data",
                "data": _mime_bundle(data),
                "metadata": dict(metadata or {}),
            }
        )

    def clear_output(self, wait: bool = False) -> None:
        _SINK.clear()


class _Hook(DisplayHook):
    """A cell's last expression becomes its ``execute_result`` output."""

    def write_output_prompt(self) -> None:
        pass

    def quiet(self) -> bool:
        """A cell whose last expression ends in ``;`` shows no result, as in a kernel."""
        try:
            return self.semicolon_at_end_of_expression(_CELL[0])
        except Exception:  # noqa: BLE001 - a cell that does not tokenize: show the result
            return False

    def write_format_data(self, format_dict, md_dict=None) -> None:
        _SINK.append(
            {
                "output_type": "execute_result",
                "data": _mime_bundle(format_dict),
                "metadata": dict(md_dict or {}),
                "execution_count": None,
            }
        )

    def finish_displayhook(self) -> None:
        pass


class _Stream:
    """``print`` and warnings become ``stream`` outputs, consecutive text joined."""

    def __init__(self, name: str):
        self.name = name

    def write(self, text: str) -> int:
        last = _SINK[-1] if _SINK else None
        if last and last.get("output_type") == "stream" and last.get("name") == self.name:
            last["text"] += text
        elif text:
            _SINK.append({"output_type": "stream", "name": self.name, "text": text})
        return len(text)

    def flush(self) -> None:
        pass

    def isatty(self) -> bool:
        return False


class _Shell(InteractiveShell):
    """IPython's shell with its outputs recorded instead of printed."""

    displayhook_class = Type(_Hook)
    display_pub_class = Type(_Publisher)

    def _showtraceback(self, etype, evalue, stb) -> None:
        _SINK.append(
            {
                "output_type": "error",
                "ename": getattr(etype, "__name__", str(etype)),
                "evalue": str(evalue),
                "traceback": list(stb),
            }
        )

    def enable_gui(self, gui: Any = None) -> None:
        """No event loop to integrate: the inline backend needs none."""

    def init_history(self) -> None:
        # No history database: a report run leaves nothing in the user's IPython profile.
        from IPython.core.history import HistoryManager

        self.history_manager = HistoryManager(shell=self, parent=self, enabled=False)


def shell() -> InteractiveShell:
    """The shell of this process, created once with the library imported into it."""
    if not _Shell.initialized():
        with _own_main():  # IPython makes its namespace the process's __main__
            # cache_size=0: no Out[] history, and a reset without a full garbage collection
            sh = _Shell.instance(colors="nocolor", cache_size=0)
        # Figures drawn with pyplot are shown at the end of their cell and closed, and a
        # figure returned by a cell is shown as PNG: matplotlib's inline backend, as in
        # a Jupyter kernel (the reports' own charts are drawn on figures of their own).
        sh.enable_matplotlib("inline")
        sh.run_cell(
            "import belarus_monitor, belarus_monitor.figures.maps, belarus_monitor.site.report, "
            "belarus_monitor.analysis.profile, belarus_monitor.words.tables, "
            "belarus_monitor.figures.requests, belarus_monitor.figures.prisoners, "
            "belarus_monitor.figures.lists, belarus_monitor.figures.designations, "
            "belarus_monitor.figures.cases",
            store_history=False,
            silent=True,
        )
        sh.reset(new_session=False)
    return _Shell.instance()


@contextlib.contextmanager
def _own_main(module: Any = None):
    """Keep (or, with ``module``, lend for a while) this process's ``__main__`` module.

    The cells run with their namespace as ``__main__``, as in a kernel; the process
    (a build, a test run) gets its own back, which ``multiprocessing`` needs.
    """
    before = sys.modules.get("__main__")
    if module is not None:
        sys.modules["__main__"] = module
    try:
        yield
    finally:
        if before is not None:
            sys.modules["__main__"] = before


@contextlib.contextmanager
def _in_directory(path: Path):
    before = os.getcwd()
    os.chdir(path)
    try:
        yield
    finally:
        os.chdir(before)


class NotebookTimeout(BaseException):
    """Raised inside a cell when the notebook's time is up.

    A ``BaseException``, so that a cell's own ``except Exception`` does not swallow it.
    """


@contextlib.contextmanager
def _time_limit(seconds: float | None):
    """Raise :class:`NotebookTimeout` in this thread after ``seconds`` (main thread only)."""
    import signal
    import threading

    if not seconds or threading.current_thread() is not threading.main_thread():
        yield
        return

    def expire(signum: int, frame: Any) -> None:
        raise NotebookTimeout()

    old = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, old)


@contextlib.contextmanager
def isolated() -> Any:
    """Give back the process state a notebook may change, as it was before.

    A notebook that changes matplotlib's rcParams, pandas' options, the warnings
    filters, the environment, ``sys.path``, the working directory, the locale (month
    names), NumPy's print and error settings or the random generators leaves the next
    report of the same worker unchanged: everything is restored when the notebook ends,
    however it ends.
    """
    import locale
    import random
    import warnings

    import matplotlib as mpl
    import numpy as np
    import pandas as pd

    env = dict(os.environ)
    path = list(sys.path)
    cwd = os.getcwd()
    where = locale.setlocale(locale.LC_ALL)  # a query: changes nothing
    np_print, np_err = np.get_printoptions(), np.geterr()
    np_random, py_random = np.random.get_state(), random.getstate()
    with warnings.catch_warnings():  # some options are deprecated: reading them warns
        warnings.simplefilter("ignore")
        pd_options = {k: pd.get_option(k) for k in _pandas_option_keys()}
    try:
        with mpl.rc_context(), warnings.catch_warnings():
            warnings.showwarning = _show_warning  # to the cell's stderr, as a kernel does
            yield
    finally:
        os.chdir(cwd)
        if locale.setlocale(locale.LC_ALL) != where:
            locale.setlocale(locale.LC_ALL, where)
        sys.path[:] = path
        if dict(os.environ) != env:
            os.environ.clear()
            os.environ.update(env)
        np.set_printoptions(**np_print)
        np.seterr(**np_err)
        np.random.set_state(np_random)
        random.setstate(py_random)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            for k, v in pd_options.items():
                if pd.get_option(k) != v:
                    pd.set_option(k, v)


def _show_warning(
    message: Warning | str,
    category: type[Warning],
    filename: str,
    lineno: int,
    file: Any = None,
    line: str | None = None,
) -> None:
    """A warning raised by a cell becomes a ``stderr`` output of the cell."""
    import warnings

    sys.stderr.write(warnings.formatwarning(message, category, filename, lineno, line))


def _pandas_option_keys() -> list[str]:
    """Every option pandas registers (``display.precision``, ``mode.copy_on_write``...)."""
    from pandas._config import config as pd_config

    return sorted(pd_config._registered_options)


def run_notebook(
    nb: Any,
    cwd: Path,
    passthrough: tuple[type[BaseException], ...] = (KeyboardInterrupt,),
    timeout: float | None = None,
) -> None:
    """Run every code cell of ``nb`` in order and set its outputs and execution count.

    Parameters
    ----------
    nb
        A notebook (``nbformat`` v4 node), parameters already injected.
    cwd
        The working directory of the cells (the notebook's directory).
    passthrough
        Exceptions raised again as they are, not recorded (an interrupted build).
    timeout
        The most seconds the whole notebook may run (None: no limit). A cell still
        running then is stopped and reported as the failing cell.

    Raises
    ------
    CellError
        When a cell raises, or runs past the time limit: that cell holds the error
        output; later cells are not run.
    """
    import time

    import matplotlib.pyplot as plt
    from nbformat.v4.nbbase import new_output

    from belarus_monitor.data.load import fixed_data

    sh = shell()
    nb.metadata["language_info"] = {  # what an IPython kernel reports of itself
        "codemirror_mode": {"name": "ipython", "version": 3},
        "file_extension": ".py",
        "mimetype": "text/x-python",
        "name": "python",
        "nbconvert_exporter": "python",
        "pygments_lexer": "ipython3",
        "version": platform.python_version(),
    }
    sh.reset(new_session=False)
    plt.close("all")
    count = 0
    start = time.monotonic()
    try:
        with (
            isolated(),
            _own_main(sh.user_module),
            _in_directory(cwd),
            fixed_data(),  # one state of the data for the whole report
            contextlib.redirect_stdout(_Stream("stdout")),
            contextlib.redirect_stderr(_Stream("stderr")),
            _time_limit(timeout),
        ):
            for index, cell in enumerate(nb.cells):
                if cell.cell_type != "code":
                    continue
                count += 1
                _SINK.clear()
                _CELL[0] = cell.source
                result = sh.run_cell(cell.source, store_history=False)
                cell.execution_count = count
                outputs = []
                for out in _SINK:
                    kind = out.pop("output_type")
                    if kind == "execute_result":
                        out["execution_count"] = count
                    outputs.append(new_output(kind, **out))
                cell.outputs = outputs
                _SINK.clear()
                error = result.error_before_exec or result.error_in_exec
                if isinstance(error, passthrough):
                    raise error
                late = timeout and time.monotonic() - start > timeout
                if isinstance(error, NotebookTimeout) or (late and error is None):
                    raise CellError(index, "Timeout", f"the notebook ran longer than {timeout:g} s")
                if error is not None:
                    raise CellError(index, type(error).__name__, str(error))
    finally:
        sh.reset(new_session=False)
        plt.close("all")


#: Allocations between two collections of the youngest generation (Python's default: 700).
GC_THRESHOLD = (50_000, 20, 20)


def collect_less() -> None:
    """Collect garbage cycles less often, for a process that runs report after report.

    What the process holds once warm (the imported stack, the shell) is frozen out of
    every collection, and the youngest generation is collected every 50,000
    allocations instead of 700. With Python's defaults, collections took 15 % of the
    reports' time (each scans the many objects a chart or a page leaves alive for a
    moment); with these, 53 reports in one process took 12 % less time for 77 MiB more
    at the peak. Reference counting still frees everything that is not in a cycle at once.
    """
    gc.collect()
    gc.freeze()
    gc.set_threshold(*GC_THRESHOLD)


__all__ = ["CellError", "NotebookTimeout", "collect_less", "isolated", "run_notebook", "shell"]
