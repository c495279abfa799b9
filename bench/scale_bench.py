"""The build at scale: a valid data package with 100 times today's rows, one profile built.

It writes a copy of ``data/`` in which every claim table (and the sources) holds
``--factor`` copies of each row: copy *k* of a row gets its own identifiers
(``req-005`` becomes ``req-00507``, ``pozirk-92555`` becomes ``pozirk-92555-c07``, a
URL gets the fragment ``#c07``), and every reference follows (a claim of copy *k* cites
copy *k* of its source, a release the copy of the release it is part of). Quotes,
figures, dates and codes are those of the original row, so every rule of
``checks.py`` still holds; the tables that name closed sets (vocabulary, groups, their
members, the 'unfriendly' lists, EU alignment, the kinds of cases) are kept as they
are. Its descriptor is
the project's, with the identifiers' three digits widened to five.

Then it validates the package (``belarus-monitor validate``) and builds one profile
(``belarus-monitor build --country DE``) from it and from today's data, and prints the
times, their ratio (goal: at most the factor) and the peak memory of the build's
process tree (goal: under 1.5 GB)::

    .venv/bin/python bench/scale_bench.py              # 100 times
    .venv/bin/python bench/scale_bench.py --factor 10  # a quicker run
"""

from __future__ import annotations

import argparse
import csv
import json
import re
import shutil
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))

from build_bench import BIN, timed  # noqa: E402

#: Tables copied ``factor`` times; the others name closed sets and stay as they are.
MULTIPLIED = (
    "sources",
    "requests",
    "sanctions_regimes",
    "sanctions_designations",
    "political_prisoners",
    "prisoner_releases",
    "prisoner_flows",
    "wanted_persons",
    "return_commission",
    "named_cases",
    "case_events",
)
#: Columns that hold an identifier of a multiplied table (its own or a reference).
ID_COLUMNS = {
    "source_id",
    "period_source_id",
    "part_of",
    "case_id",
    "event_id",
    "round_id",
    "conflict_group",
    "claim_id",
    "observation_id",
    "release_id",
    "flow_id",
    "designation_id",
    "regime_id",
}
NUMBERED = re.compile(r"^(.*-)([0-9]{3})$")


def copy_id(value: str, k: int) -> str:
    """Copy ``k``'s identifier for ``value`` (copy 0 keeps the original)."""
    if not value or k == 0:
        return value
    m = NUMBERED.match(value)
    return f"{m.group(1)}{m.group(2)}{k:02d}" if m else f"{value}-c{k:02d}"


def scaled_package(src: Path, dest: Path, factor: int) -> dict[str, int]:
    """Write the package with ``factor`` copies of each row; return rows per table."""
    if not 1 <= factor <= 100:
        raise SystemExit("--factor: expected 1 to 100")
    dest.mkdir(parents=True)
    desc = json.loads((src / "datapackage.json").read_text(encoding="utf-8"))
    text = json.dumps(desc, ensure_ascii=False, indent=2)
    text = text.replace("[0-9]{3}$", "[0-9]{3}([0-9]{2})?$")  # five digits allowed
    (dest / "datapackage.json").write_text(text + "\n", encoding="utf-8")
    rows_out: dict[str, int] = {}
    for res in desc["resources"]:
        path = src / res["path"]
        for extra in ("CHANGELOG.md",):
            if (src / extra).exists() and not (dest / extra).exists():
                shutil.copy(src / extra, dest / extra)
        with open(path, newline="", encoding="utf-8") as fh:
            reader = csv.reader(fh)
            header = next(reader)
            rows = list(reader)
        copies = factor if res["name"] in MULTIPLIED else 1
        ids = [i for i, c in enumerate(header) if c in ID_COLUMNS]
        url = header.index("url") if "url" in header else None
        out = []
        for k in range(copies):
            for row in rows:
                new = list(row)
                for i in ids:
                    new[i] = copy_id(new[i], k)
                if url is not None and k:
                    new[url] = f"{new[url]}#c{k:02d}"
                out.append(new)
        with open(dest / res["path"], "w", newline="", encoding="utf-8") as fh:
            w = csv.writer(fh, lineterminator="\n")
            w.writerow(header)
            w.writerows(out)
        rows_out[res["name"]] = len(out)
    return rows_out


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--factor", type=int, default=100, help="copies of each row (1-100)")
    p.add_argument("--country", default="DE", help="the profile to build")
    args = p.parse_args()
    bm = str(BIN / "belarus-monitor")
    with tempfile.TemporaryDirectory(prefix="bm-scale-") as tmp:
        big = Path(tmp) / "data"
        rows = scaled_package(ROOT / "data", big, args.factor)
        today = sum(1 for _ in (ROOT / "data").glob("*.csv"))
        print(f"{args.factor}x package: {sum(rows.values()):,} rows in {today} tables", flush=True)
        validate, vpeak = timed([bm, "validate", "--data-dir", str(big)], watch_memory=True)
        print(f"validate:                      {validate:8.1f} s  ({vpeak / 2**20:.0f} MiB)")
        small_t, small_peak = timed(
            [bm, "build", "--country", args.country, "--out", str(Path(tmp) / "small")],
            watch_memory=True,
        )
        print(f"build --country {args.country}, today:    {small_t:8.1f} s", flush=True)
        big_t, big_peak = timed(
            [bm, "build", "--data-dir", str(big), "--country", args.country]
            + ["--out", str(Path(tmp) / "big"), "--no-progress"],
            watch_memory=True,
        )
        print("--")
        mib = small_peak / 2**20
        print(f"build --country {args.country}, today:    {small_t:8.1f} s  ({mib:.0f} MiB)")
        print(
            f"build --country {args.country}, {args.factor}x:     {big_t:8.1f} s  "
            f"({big_t / small_t:.1f} times; goal at most {args.factor} times)"
        )
        mib = big_peak / 2**20
        print(f"peak memory of the {args.factor}x build: {mib:6.0f} MiB (goal under 1,536 MiB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
