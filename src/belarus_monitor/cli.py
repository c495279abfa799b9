"""The ``belarus-monitor`` command: validate, build, export, sources, diff.

Each subcommand is a thin shell around a library function; see ``--help``.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from typing import Any

from . import __version__


def _cmd_validate(args: argparse.Namespace) -> int:
    from .validation import summarise, validate

    problems = validate(args.data_dir)
    for line in summarise(problems):
        print(line)
    if problems:
        print(f"{len(problems):,} problem(s) found", file=sys.stderr)
        return 1
    print("data is valid")
    for line in _warnings(args.data_dir):
        print(line)
    return 0


def _warnings(data_dir: str | None) -> list[str]:
    """What valid data says that a reader should know: sources that do not add up."""
    from .load import load_table
    from .metrics import designation_gaps

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
    from .build import run_build

    return run_build(args)


def _cmd_export(args: argparse.Namespace) -> int:
    from .export import run_export

    return run_export(args)


def _cmd_sources(args: argparse.Namespace) -> int:
    from .export import run_sources

    return run_sources(args)


def _cmd_diff(args: argparse.Namespace) -> int:
    from .diff import run_diff

    return run_diff(args)


def _sub(sub: Any, name: str, summary: str, examples: str) -> argparse.ArgumentParser:
    """Add a subcommand whose ``--help`` has a one-line description and examples."""
    return sub.add_parser(
        name,
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
    v.add_argument("--data-dir", default=None, help="data directory (default: data/)")
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
    b.add_argument("--data-dir", default=None, help="data directory (default: data/)")
    b.add_argument(
        "--engine",
        choices=["inprocess", "kernel"],
        default="inprocess",
        help="inprocess: each worker runs the notebooks in its own IPython shell (fast, the "
        "default); kernel: papermill and a real Jupyter kernel per report",
    )
    b.add_argument("--no-progress", action="store_true", help="no progress bar")
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
    e.add_argument("--data-dir", default=None, help="data directory (default: data/)")
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
    s.add_argument("--data-dir", default=None, help="data directory (default: data/)")
    s.set_defaults(func=_cmd_sources)

    d = _sub(
        sub,
        "diff",
        "list the claims added, removed and changed between two versions of the data",
        "belarus-monitor diff HEAD~3 HEAD          # data/ three commits ago and now\n"
        "belarus-monitor diff v1:data data          # a tag's data/ and the working copy\n"
        "belarus-monitor diff old/data new/data --format json",
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


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
