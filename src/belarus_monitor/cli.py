"""The ``belarus-monitor`` command: validate, build, export, sources, diff.

Each subcommand is a thin shell around a library function; see ``--help``.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable, Sequence
from typing import Any

from belarus_monitor import __version__


def _cmd_validate(args: argparse.Namespace) -> int:
    from belarus_monitor.data.problems import summarise
    from belarus_monitor.data.validation import validate

    problems = validate(args.data_dir)
    for line in summarise(problems):
        print(line)
    if problems:
        total = getattr(problems, "total", len(problems))
        print(
            f"{total:,} problem(s) found; how each field is written: docs/adding-data.md",
            file=sys.stderr,
        )
        return 1
    print("data is valid")
    for line in _warnings(args.data_dir):
        print(line)
    return 0


def _warnings(data_dir: str | None) -> list[str]:
    """What valid data says that a reader should know: sources that do not add up."""
    from belarus_monitor.analysis.metrics import designation_gaps
    from belarus_monitor.data.load import load_table

    gaps = designation_gaps(load_table("sanctions_designations", data_dir))
    if gaps.empty:
        return []
    lines = [
        f"warning: {len(gaps)} stated totals of sanctions designations are not explained "
        "by the rounds between them (sources count differently, or a round is missing; "
        "not an error, the sanctions report shows them):"
    ]
    lines += [
        f"  {r.jurisdiction}, {r.what}: {r['from']} -> {r.to} ({r.change}); "
        f"rounds in between add {r.added}"
        for _, r in gaps.iterrows()
    ]
    return lines


def _cmd_build(args: argparse.Namespace) -> int:
    return run_build(args)


def _cmd_export(args: argparse.Namespace) -> int:
    return run_export(args)


def _cmd_sources(args: argparse.Namespace) -> int:
    return run_sources(args)


def _cmd_diff(args: argparse.Namespace) -> int:
    return run_diff(args)


def _data_dir_option() -> argparse.ArgumentParser:
    """The ``--data-dir`` option, declared once for every command that reads data."""
    p = argparse.ArgumentParser(add_help=False)
    p.add_argument("--data-dir", default=None, help="data directory (default: data/)")
    return p


def _sub(
    sub: Any, name: str, summary: str, examples: str, data: bool = True
) -> argparse.ArgumentParser:
    """Add a subcommand whose ``--help`` has a one-line description and examples."""
    return sub.add_parser(
        name,
        parents=[_data_dir_option()] if data else [],
        help=summary,
        description=summary[0].upper() + summary[1:] + ".",
        epilog="examples:\n" + "\n".join(f"  {line}" for line in examples.splitlines()),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="belarus-monitor",
        description="Sourced data and reproducible reports on Belarus' legal cooperation "
        "and repression.",
        epilog="Run 'belarus-monitor COMMAND --help' for a command's options and examples.",
    )
    p.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    sub = p.add_subparsers(dest="command", required=True, metavar="COMMAND")

    v = _sub(
        sub,
        "validate",
        "check data/ against datapackage.json",
        "belarus-monitor validate\nbelarus-monitor validate --data-dir ../my-copy/data",
    )
    v.set_defaults(func=_cmd_validate)

    b = _sub(
        sub,
        "build",
        "execute the notebooks and export HTML/PDF reports",
        "belarus-monitor build --jobs 4\n"
        "belarus-monitor build --country LT --country Poland --format html\n"
        "belarus-monitor build --notebook repression -P start=2023-01-01 "
        "-P estimators=Viasna",
    )
    b.add_argument(
        "--country",
        action="append",
        default=None,
        metavar="C",
        help="build the country profile of C (code or name); repeatable",
    )
    b.add_argument(
        "--notebook",
        action="append",
        default=None,
        metavar="NAME",
        help="build only this notebook (e.g. cooperation); repeatable",
    )
    b.add_argument(
        "--format",
        default="html,pdf",
        help="comma-separated output formats: html, pdf (default: html,pdf)",
    )
    b.add_argument("--out", default=None, help="output directory (default: reports/)")
    b.add_argument(
        "--jobs", type=int, default=None, help="worker processes (default: number of cores)"
    )
    b.add_argument("--force", action="store_true", help="rebuild even if up to date")
    b.add_argument(
        "--timeout",
        type=float,
        default=600.0,
        metavar="SECONDS",
        help="the most seconds one notebook may run; past it the report fails and its "
        "previous version is kept (default: 600; 0: no limit)",
    )
    b.add_argument(
        "--engine",
        choices=["inprocess", "kernel"],
        default="inprocess",
        help="inprocess: each worker runs the notebooks in its own IPython shell (fast, the "
        "default); kernel: papermill and a real Jupyter kernel per report",
    )
    b.add_argument(
        "--base-url",
        default=None,
        metavar="URL",
        help="where the reports will be published (https://...): the PDFs then link other "
        "reports and downloads there; without it they name the files",
    )
    b.add_argument("--no-progress", action="store_true", help="no progress bar")
    b.add_argument(
        "--watch",
        action="store_true",
        help="build, then build again each time the data or a notebook changes, the "
        "workers kept warm (Ctrl-C stops)",
    )
    b.add_argument(
        "-P",
        "--parameter",
        action="append",
        default=None,
        metavar="NAME=VALUE",
        dest="parameter",
        help="set a parameter the notebook declares (with one --notebook); "
        "lists as comma-separated values; repeatable",
    )
    b.set_defaults(func=_cmd_build)

    e = _sub(
        sub,
        "export",
        "export the whole dataset as xlsx, csv or json",
        "belarus-monitor export --format xlsx --out belarus-monitor.xlsx\n"
        "belarus-monitor export --format csv --excel --out for-excel/",
    )
    e.add_argument(
        "--format",
        choices=["csv", "xlsx", "json"],
        default="xlsx",
        help="xlsx: one workbook; csv, json: one file per table (default: xlsx)",
    )
    e.add_argument("--out", default=None, help="output file (xlsx) or directory (csv, json)")
    e.add_argument(
        "--excel",
        "--bom",
        dest="excel",
        action="store_true",
        help="csv only: write UTF-8 with a byte-order mark, so that Excel on "
        "Windows shows Cyrillic text correctly (default: plain UTF-8)",
    )
    e.set_defaults(func=_cmd_export)

    s = _sub(
        sub,
        "sources",
        "list the sources behind the data",
        "belarus-monitor sources --country LT\nbelarus-monitor sources --format csv > sources.csv",
    )
    s.add_argument(
        "--country", default=None, metavar="C", help="only the sources behind this country's claims"
    )
    s.add_argument(
        "--format",
        choices=["table", "csv", "json"],
        default="table",
        help="table (fits the terminal), csv or json (default: table)",
    )
    s.set_defaults(func=_cmd_sources)

    d = _sub(
        sub,
        "diff",
        "list the claims added, removed and changed between two versions of the data",
        "belarus-monitor diff HEAD~3 HEAD          # data/ three commits ago and now\n"
        "belarus-monitor diff v1:data data          # a tag's data/ and the working copy\n"
        "belarus-monitor diff old/data new/data --format json",
        data=False,
    )
    d.add_argument(
        "old", metavar="OLD", help="the earlier version: a data directory or a git revision"
    )
    d.add_argument(
        "new", metavar="NEW", help="the later version: a data directory or a git revision"
    )
    d.add_argument(
        "--format",
        choices=["table", "json", "markdown"],
        default="table",
        help="table (readable, default), json, or markdown (a changelog entry)",
    )
    d.set_defaults(func=_cmd_diff)
    return p


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit code."""
    args = _parser().parse_args(argv)
    try:
        return int(args.func(args) or 0)
    except BrokenPipeError:
        # The reader went away (``belarus-monitor sources | head``): not an error.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 0


def run_build(args: argparse.Namespace) -> int:
    """Entry point of ``belarus-monitor build``; returns the exit code."""
    import re

    from belarus_monitor.pipeline.jobs import (
        DEFAULT_TIMEOUT,
        FORMATS,
        MAX_JOBS_PER_CORE,
    )
    from belarus_monitor.text import excerpt

    prog = "belarus-monitor build"
    formats = tuple(dict.fromkeys(f.strip() for f in args.format.split(",") if f.strip()))
    bad = [f for f in formats if f not in FORMATS]
    if bad or not formats:
        print(
            f"{prog}: --format {excerpt(args.format)}: expected a comma-separated "
            f"list of {', '.join(FORMATS)}",
            file=sys.stderr,
        )
        return 2
    cores = os.cpu_count() or 1
    if args.jobs is not None and not 1 <= args.jobs <= MAX_JOBS_PER_CORE * cores:
        print(
            f"{prog}: --jobs {args.jobs}: expected a number from 1 to "
            f"{MAX_JOBS_PER_CORE * cores} ({cores} cores here)",
            file=sys.stderr,
        )
        return 2
    from belarus_monitor.text import safe_url

    base_url = getattr(args, "base_url", None)
    if base_url is not None and safe_url(base_url) is None:
        print(
            f"{prog}: --base-url {excerpt(base_url, 80)}: expected an http(s) address",
            file=sys.stderr,
        )
        return 2
    if base_url and not base_url.endswith("/"):
        base_url += "/"
    args.timeout = getattr(args, "timeout", DEFAULT_TIMEOUT)
    if not 0 <= args.timeout <= 86_400:
        print(
            f"{prog}: --timeout {args.timeout:g}: expected seconds from 1 to 86400, "
            "or 0 for no limit",
            file=sys.stderr,
        )
        return 2
    given: dict[str, str] = {}
    for item in getattr(args, "parameter", None) or []:
        name, sep, value = item.partition("=")
        if not sep or not re.fullmatch(r"[A-Za-z_]\w{0,40}", name):
            print(f"{prog}: -P {item[:40]!r}: expected NAME=VALUE", file=sys.stderr)
            return 2
        given[name] = value
    if not getattr(args, "watch", False):
        return _build_once(args, formats, base_url, given)
    from belarus_monitor.pipeline.watch import watch

    try:  # no more workers kept than the reports (and the downloads) can use
        from belarus_monitor.pipeline.plan import plan

        wanted = len(plan(args.country, args.notebook, args.data_dir, None, parameters=given)) + 1
    except Exception:  # noqa: BLE001 - the first build reports what is wrong
        wanted = cores
    return watch(
        lambda warm: _build_once(args, formats, base_url, given, warm),
        args.data_dir,
        min(args.jobs or cores, wanted),
    )


def _build_once(
    args: argparse.Namespace,
    formats: tuple[str, ...],
    base_url: str | None,
    given: dict[str, str],
    warm: Any = None,
) -> int:
    """One build of ``belarus-monitor build`` (its parameters checked); the exit code."""
    import time
    from pathlib import Path

    from belarus_monitor import config
    from belarus_monitor.files import OutputError, check_output_dir, claim_reports_directory
    from belarus_monitor.pipeline.jobs import BuildError, BuildInterrupted
    from belarus_monitor.pipeline.plan import _countries_in_data, plan
    from belarus_monitor.pipeline.workers import _data_problems, build
    from belarus_monitor.text import excerpt

    prog = "belarus-monitor build"
    try:
        if args.data_dir is not None and not Path(args.data_dir).is_dir():
            raise BuildError(
                f"--data-dir {excerpt(args.data_dir, 80)}: expected an existing directory"
            )
        out = check_output_dir(args.out or config.REPORTS_DIR, "--out", args.data_dir, create=False)
        claim_reports_directory(out)
        plan(args.country, args.notebook, args.data_dir, None, check_only=True, parameters=given)
        trouble = _data_problems(args.data_dir, out)
        if isinstance(trouble, tuple):
            print(f"{prog}: {trouble[1]}", file=sys.stderr)
            return trouble[0]
        jobs = plan(
            args.country,
            args.notebook,
            args.data_dir,
            out if out.is_dir() else None,
            parameters=given,
        )
    except (BuildError, OutputError) as exc:
        print(f"{prog}: {exc}", file=sys.stderr)
        return 2
    t0 = time.perf_counter()
    try:
        results = build(
            jobs,
            out,
            formats,
            args.jobs,
            args.force,
            args.data_dir,
            progress=not args.no_progress,
            timeout=args.timeout or None,
            engine=getattr(args, "engine", "inprocess"),
            base_url=base_url,
            warm=warm,
        )
    except OutputError as exc:
        print(f"{prog}: {exc}", file=sys.stderr)
        return 2
    except OSError as exc:  # a full disk, a folder gone: the reports on disk are kept
        print(
            f"{prog}: cannot write into {excerpt(str(out), 120)} "
            f"({exc.strerror or type(exc).__name__}); the reports already there are kept",
            file=sys.stderr,
        )
        return 1
    except BuildInterrupted as exc:
        # Work abandoned mid-way (a half-written workbook) must not print at exit.
        sys.unraisablehook = lambda _unraisable: None
        done = [r for r in exc.results if r.status != "failed"]
        print(
            f"{prog}: interrupted ({exc}): {len(done)} of {len(jobs)} reports done, "
            f"the rest cancelled; {out / 'index.html'} lists what is on disk",
            file=sys.stderr,
        )
        return exc.exit_code
    if not args.country:  # a first build into a new folder: remember the countries too
        from belarus_monitor.data.provenance import dataset_checksum

        _countries_in_data(args.data_dir, dataset_checksum(args.data_dir), out)
    built = [r for r in results if r.status == "built"]
    fresh = [r for r in results if r.status in ("up-to-date", "unchanged")]
    rerun = [r for r in fresh if r.status == "unchanged"]
    failed = [r for r in results if r.status == "failed"]
    print(
        f"{len(built)} built, {len(fresh)} up to date"
        + (f" ({len(rerun)} run again, pages unchanged)" if rerun else "")
        + f", {len(failed)} failed in {time.perf_counter() - t0:.1f}s -> {out / 'index.html'}"
    )
    for r in failed:
        print(
            f"FAILED {r.job.describe()}: {r.error}"
            + (f" (executed notebook kept: {r.files[0]})" if r.files else ""),
            file=sys.stderr,
        )
    return 1 if failed else 0


def _cli(command: str, action: Callable[[], str]) -> int:
    """Run a command's action, print its result; map errors to exit codes.

    2 for a bad parameter (unknown country, bad format or path, missing data
    directory), 1 for invalid data, 0 otherwise.
    """
    from belarus_monitor.data.countries import UnknownCountryError
    from belarus_monitor.data.export import ExportError
    from belarus_monitor.data.problems import DataValidationError
    from belarus_monitor.data.schema import DescriptorError

    try:
        text = action()
    except UnknownCountryError as exc:
        print(f"belarus-monitor {command}: --country: {exc}", file=sys.stderr)
        return 2
    except ExportError as exc:
        print(f"belarus-monitor {command}: {exc}", file=sys.stderr)
        return 2
    except FileNotFoundError as exc:
        print(f"belarus-monitor {command}: --data-dir: {exc}", file=sys.stderr)
        return 2
    except (DataValidationError, DescriptorError) as exc:
        print(f"belarus-monitor {command}: {exc}", file=sys.stderr)
        return 1
    except OSError as exc:
        print(f"belarus-monitor {command}: cannot write ({exc.strerror})", file=sys.stderr)
        return 2
    print(text)
    return 0


def run_export(args: argparse.Namespace) -> int:
    """``belarus-monitor export``: write the dataset; 2 on a bad parameter, 1 on bad data."""
    from belarus_monitor.data.export import export_dataset

    bom = bool(getattr(args, "excel", False))
    return _cli(
        "export", lambda: f"wrote {export_dataset(args.format, args.out, args.data_dir, bom=bom)}"
    )


def run_sources(args: argparse.Namespace) -> int:
    """``belarus-monitor sources``: print the sources as a table, CSV or JSON.

    Returns 2 on an unknown country or a missing data directory, 1 on invalid data.
    """
    from belarus_monitor.data.dataset import open as open_dataset
    from belarus_monitor.words.sources import render_sources, sources_table

    fmt = getattr(args, "format", "table")
    return _cli(
        "sources",
        lambda: render_sources(
            sources_table(open_dataset(args.data_dir), args.country), fmt, args.country
        ),
    )


def run_diff(args: argparse.Namespace) -> int:
    """``belarus-monitor diff OLD NEW``: print the changes; 2 on a bad argument."""
    import json

    from belarus_monitor.data.diff import (
        DiffError,
        _short,
        diff_data,
        diff_markdown,
        format_diff,
        printable,
    )

    try:
        d = diff_data(args.old, args.new)
    except DiffError as exc:
        print(f"belarus-monitor diff: {exc}", file=sys.stderr)
        return 2
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        print(
            f"belarus-monitor diff: OLD/NEW: cannot read the data: {_short(exc, 120)}",
            file=sys.stderr,
        )
        return 2
    if args.format == "json":
        print(printable(json.dumps(d.to_dict(), ensure_ascii=False, indent=1)))
    elif args.format == "markdown":
        print(printable(diff_markdown(d)), end="")
    else:
        print(printable(format_diff(d)))
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
