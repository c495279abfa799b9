"""What a build is made of: report notebooks, their parameters, jobs and results."""

from __future__ import annotations

import json
import signal
from dataclasses import dataclass, field
from typing import Any

from belarus_monitor import config
from belarus_monitor.errors import BelarusMonitorError
from belarus_monitor.text import excerpt

COUNTRY_PARAMETERS = ("country", "highlight")
FORMATS = ("html", "pdf")
INJECTED_ID = "injected-parameters"
#: Fixed timestamp for every tool that honours it (2024-06-25, the seed article).
SOURCE_DATE_EPOCH = "1719273600"
BUILD_FORMAT_VERSION = "3"
#: The manifest written beside each report: its inputs' hash and its files' hashes.
MANIFEST = ".build.json"
#: The most worker processes a build starts, per core.
MAX_JOBS_PER_CORE = 2
#: The most seconds one notebook may run by default (``build --timeout``).
DEFAULT_TIMEOUT = 600.0


class BuildError(BelarusMonitorError, ValueError):
    """A build parameter that is not valid; raised before anything is written."""


class BuildInterrupted(BelarusMonitorError):
    """The build was stopped by a signal; ``results`` holds what was done by then."""

    def __init__(self, signum: int, results: list[Result] | None = None):
        super().__init__(signal.Signals(signum).name)
        self.signum = signum
        self.results = results or []

    @property
    def exit_code(self) -> int:
        """128 + the signal's number: 130 for Ctrl-C, 143 for SIGTERM."""
        return 128 + self.signum


@dataclass(frozen=True)
class Job:
    """One report: a notebook and its parameters."""

    notebook: str
    parameters: tuple[tuple[str, Any], ...] = ()
    stem: str = ""

    def __hash__(self) -> int:
        # A list parameter (estimators=["Viasna"]) is not hashable itself.
        return hash((self.notebook, json.dumps(self.parameters, default=str), self.stem))

    @property
    def params(self) -> dict[str, Any]:
        """Parameters as a dict."""
        return dict(self.parameters)

    def describe(self) -> str:
        """``cooperation (highlight='DE')``."""
        p = ", ".join(f"{k}={excerpt(v, 60)}" for k, v in self.parameters if k != "data_dir")
        return f"{self.stem} ({p})" if p else self.stem


@dataclass
class Result:
    """What became of a job."""

    job: Job
    status: str  # "built", "up-to-date", "unchanged" (run again, same pages) or "failed"
    seconds: float = 0.0
    error: str = ""
    files: list[str] = field(default_factory=list)


# -- notebooks ------------------------------------------------------------------------
#: A report notebook carries ``metadata.belarus_monitor``: ``title``, ``description``,
#: ``kind`` ("overview" or "profile") and ``order``. Adding a report is adding a notebook.
META_KEY = "belarus_monitor"


@dataclass(frozen=True)
class Parameter:
    """One parameter a notebook declares in its ``parameters`` cell."""

    name: str
    type: str
    default: Any
    help: str


@dataclass(frozen=True)
class NotebookSpec:
    """What a report notebook says of itself: title, description, kind, parameters."""

    name: str
    title: str
    description: str
    kind: str
    order: int
    parameters: tuple[Parameter, ...]

    @property
    def parameter_names(self) -> list[str]:
        """The declared parameters' names."""
        return [p.name for p in self.parameters]

    @property
    def country_parameter(self) -> str | None:
        """The parameter that takes a country, if any."""
        return next((p for p in COUNTRY_PARAMETERS if p in self.parameter_names), None)


def _parse_parameters(source: str) -> tuple[Parameter, ...]:
    import ast

    params = []
    lines = source.splitlines()
    for node in ast.parse(source).body:
        if isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
            ptype = ast.unparse(node.annotation)
            value = node.value
        elif isinstance(node, ast.Assign) and isinstance(node.targets[0], ast.Name):
            ptype, value = "", node.value
            node_target = node.targets[0]
            params.append(
                Parameter(
                    node_target.id, ptype, ast.literal_eval(value), _comment(lines[node.lineno - 1])
                )
            )
            continue
        else:
            continue
        default = ast.literal_eval(value) if value is not None else None
        params.append(
            Parameter(
                node.target.id,
                ptype or type(default).__name__,
                default,
                _comment(lines[node.lineno - 1]),
            )
        )
    return tuple(params)


def _comment(line: str) -> str:
    return line.split("#", 1)[1].strip() if "#" in line else ""


_SPECS: dict[str, tuple[int, NotebookSpec | None]] = {}


def notebook_spec(name: str) -> NotebookSpec | None:
    """Read a notebook's self-description, or None if it is not a report notebook."""
    path = config.NOTEBOOKS_DIR / f"{name}.ipynb"
    mtime = path.stat().st_mtime_ns
    cached = _SPECS.get(name)
    if cached and cached[0] == mtime:
        return cached[1]
    try:
        nb = json.loads(path.read_text(encoding="utf-8"))
        meta = nb.get("metadata", {}).get(META_KEY)
    except (ValueError, AttributeError) as exc:  # half saved, a merge conflict...
        raise BuildError(
            f"notebooks/{path.name}: expected a notebook (JSON), could not read it: "
            f"{type(exc).__name__}"
        ) from None
    spec = None
    if isinstance(meta, dict) and meta.get("title"):
        source = next(
            (
                "".join(c["source"])
                for c in nb["cells"]
                if "parameters" in c.get("metadata", {}).get("tags", [])
            ),
            "",
        )
        spec = NotebookSpec(
            name,
            str(meta["title"]),
            str(meta.get("description", "")),
            str(meta.get("kind", "overview")),
            int(meta.get("order", 50)),
            _parse_parameters(source),
        )
    _SPECS[name] = (mtime, spec)
    return spec


def available_notebooks() -> list[str]:
    """Names of the report notebooks in ``notebooks/`` (those that describe themselves)."""
    specs = [notebook_spec(p.stem) for p in config.NOTEBOOKS_DIR.glob("*.ipynb")]
    return [s.name for s in sorted((s for s in specs if s), key=lambda s: (s.order, s.name))]


def is_profile(name: str) -> bool:
    """Whether a notebook is a per-country profile (one report per country in the data)."""
    spec = notebook_spec(name)
    return bool(spec and spec.kind == "profile")


def profile_notebooks() -> list[str]:
    """The report notebooks that make one report per country."""
    return [n for n in available_notebooks() if is_profile(n)]


def notebook_parameters(name: str) -> list[str]:
    """Names of the parameters a notebook declares in its ``parameters`` cell."""
    spec = notebook_spec(name)
    return spec.parameter_names if spec else []


def glob_escape(text: str) -> str:
    """Text taken literally in a glob pattern."""
    import glob

    return glob.escape(text)


def _title(job: Job) -> str:
    from belarus_monitor.data.countries import country_name

    spec = notebook_spec(job.notebook)
    title = spec.title if spec else job.notebook
    code = next((v for k, v in job.parameters if k in COUNTRY_PARAMETERS), None)
    return f"{title}: {country_name(code)}" if code else title


#: How reports are executed: the worker's own shell, or papermill with a real kernel.
ENGINES = ("inprocess", "kernel")
#: The kernel the notebooks name (installed into .venv by the set-up).
KERNEL_NAME = "belarus-monitor"


def _short(text: object, limit: int = 300) -> str:
    """An error message cut to one line of reasonable length."""
    line = " ".join(str(text).split())
    return line if len(line) <= limit else line[: limit - 1] + "…"
