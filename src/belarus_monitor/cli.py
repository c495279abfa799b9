"""The ``belarus-monitor`` command: validate, build, export, sources.

Each subcommand is a thin shell around a library function; see ``--help``.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence

from . import __version__


def _cmd_validate(args: argparse.Namespace) -> int:
    from .validation import validate

    problems = validate(args.data_dir)
    for p in problems:
        print(p)
    if problems:
        print(f"{len(problems)} problem(s) found", file=sys.stderr)
        return 1
    print("data is valid")
    return 0


def _cmd_build(args: argparse.Namespace) -> int:
    from .build import run_build

    return run_build(args)


def _cmd_export(args: argparse.Namespace) -> int:
    from .export import run_export

    return run_export(args)


def _cmd_sources(args: argparse.Namespace) -> int:
    from .export import run_sources

    return run_sources(args)


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="belarus-monitor",
        description="Sourced data and reproducible reports on Belarus' legal cooperation "
                    "and repression.")
    p.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    sub = p.add_subparsers(dest="command", required=True)

    v = sub.add_parser("validate", help="check data/ against datapackage.json")
    v.add_argument("--data-dir", default=None, help="data directory (default: data/)")
    v.set_defaults(func=_cmd_validate)

    b = sub.add_parser("build", help="execute the notebooks and export HTML/PDF reports")
    b.add_argument("--country", action="append", default=None, metavar="C",
                   help="build the country profile of C (code or name); repeatable")
    b.add_argument("--notebook", action="append", default=None, metavar="NAME",
                   help="build only this notebook (e.g. cooperation); repeatable")
    b.add_argument("--format", default="html,pdf",
                   help="comma-separated output formats: html, pdf (default: html,pdf)")
    b.add_argument("--out", default=None, help="output directory (default: reports/)")
    b.add_argument("--jobs", type=int, default=None,
                   help="worker processes (default: number of cores)")
    b.add_argument("--force", action="store_true", help="rebuild even if up to date")
    b.add_argument("--data-dir", default=None, help="data directory (default: data/)")
    b.add_argument("--no-progress", action="store_true", help="no progress bar")
    b.set_defaults(func=_cmd_build)

    e = sub.add_parser("export", help="export the whole dataset as xlsx, csv or json")
    e.add_argument("--format", choices=["csv", "xlsx", "json"], default="xlsx")
    e.add_argument("--out", default=None, help="output file (xlsx) or directory (csv, json)")
    e.add_argument("--data-dir", default=None, help="data directory (default: data/)")
    e.set_defaults(func=_cmd_export)

    s = sub.add_parser("sources", help="list the sources behind the data")
    s.add_argument("--country", default=None, metavar="C",
                   help="only the sources behind this country's claims")
    s.add_argument("--data-dir", default=None, help="data directory (default: data/)")
    s.set_defaults(func=_cmd_sources)
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
