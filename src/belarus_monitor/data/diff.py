"""What changed in the data: claims added, removed and changed between two versions.

Compare two data directories, or two git revisions of ``data/``::

    belarus-monitor diff HEAD~3 HEAD
    belarus-monitor diff v1:data data
    belarus-monitor diff ../old/data data --format json

Rows are matched table by table on the primary key the descriptor declares (the new
version's, else the old one's); cells are compared as the text in the CSV files, so
that an old version is compared as it was written, even if it would not pass today's
validation. :func:`diff_data` returns a :class:`DataDiff`; :func:`format_diff` renders
it for the terminal, :func:`diff_markdown` as a data-changelog entry.
"""

from __future__ import annotations

import io
import re
import shutil
import subprocess
import tarfile
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Literal

import pandas as pd

from belarus_monitor import config
from belarus_monitor.errors import BelarusMonitorError

#: Columns that cite a source.
SOURCE_COLUMNS = ("source_id", "period_source_id")
DIFF_FORMATS = ("table", "json", "markdown")
Kind = Literal["added", "removed", "changed"]


class DiffError(BelarusMonitorError, ValueError):
    """A bad argument of :func:`diff_data`: names the argument and what was expected."""


@dataclass(frozen=True)
class RowChange:
    """One row added, removed or changed.

    Attributes
    ----------
    table
        The table (resource name).
    kind
        ``"added"``, ``"removed"`` or ``"changed"``.
    key
        The primary-key values of the row, field by field.
    source_ids
        The sources the row cites (old and new ones for a changed row).
    fields
        For a changed row, ``{field: [old, new]}`` for every field that differs; for
        an added or removed row, the row itself as ``{field: [None, new]}`` or
        ``{field: [old, None]}`` (non-empty cells only). Empty cells are None.
    """

    table: str
    kind: Kind
    key: dict[str, str]
    source_ids: tuple[str, ...]
    fields: dict[str, tuple[str | None, str | None]]

    @property
    def key_text(self) -> str:
        """The key as one string, ``"req-006"`` or ``"EU27 / AT"``."""
        return " / ".join(self.key.values())


@dataclass(frozen=True)
class TableDiff:
    """The changes to one table."""

    table: str
    primary_key: tuple[str, ...]
    status: Literal["added", "removed", "both"]
    fields_added: tuple[str, ...] = ()
    fields_removed: tuple[str, ...] = ()
    rows: tuple[RowChange, ...] = ()

    def count(self, kind: Kind) -> int:
        """Number of rows added, removed or changed."""
        return sum(r.kind == kind for r in self.rows)

    @property
    def empty(self) -> bool:
        """Whether nothing changed in this table."""
        return (
            self.status == "both"
            and not self.rows
            and not self.fields_added
            and not self.fields_removed
        )


@dataclass(frozen=True)
class DataDiff:
    """Every change between two versions of the data, table by table.

    Attributes
    ----------
    old, new
        The two versions as given (directory or git revision).
    tables
        One :class:`TableDiff` per table that changed, in the new descriptor's order.
    """

    old: str
    new: str
    tables: tuple[TableDiff, ...] = field(default_factory=tuple)

    @property
    def rows(self) -> list[RowChange]:
        """Every row change, table by table."""
        return [r for t in self.tables for r in t.rows]

    def count(self, kind: Kind) -> int:
        """Number of rows added, removed or changed over all tables."""
        return sum(t.count(kind) for t in self.tables)

    @property
    def empty(self) -> bool:
        """Whether the two versions hold the same data."""
        return not self.tables

    def to_dict(self) -> dict[str, Any]:
        """The diff as plain JSON-ready data (``{"old", "new", "summary", "tables"}``)."""
        tables = []
        for t in self.tables:
            d = asdict(t)
            d["primary_key"] = list(t.primary_key)
            d["fields_added"], d["fields_removed"] = list(t.fields_added), list(t.fields_removed)
            d["rows"] = [
                {
                    "kind": r.kind,
                    "key": r.key,
                    "source_ids": list(r.source_ids),
                    "fields": {k: {"old": o, "new": n} for k, (o, n) in r.fields.items()},
                }
                for r in t.rows
            ]
            d["summary"] = {k: t.count(k) for k in ("added", "removed", "changed")}
            tables.append(d)
        return {
            "old": self.old,
            "new": self.new,
            "summary": {k: self.count(k) for k in ("added", "removed", "changed")},
            "tables": tables,
        }


def _short(value: object, n: int = 60) -> str:
    """A short, escaped excerpt of user input for an error message."""
    text = str(value)
    return repr(text if len(text) <= n else text[:n] + "…")


def _git(args: list[str], cwd: Path, binary: bool = False) -> subprocess.CompletedProcess:
    return subprocess.run(
        ["git", *args], cwd=cwd, capture_output=True, check=False, text=not binary
    )


def _repo_root(start: Path) -> Path | None:
    if shutil.which("git") is None:
        return None
    for cwd in (start, config.PROJECT_ROOT):
        with suppress(OSError):
            r = _git(["rev-parse", "--show-toplevel"], cwd)
            if r.returncode == 0:
                return Path(r.stdout.strip())
    return None


def _tree_of(spec: str, root: Path) -> str | None:
    """The git tree-ish of ``spec`` (``"HEAD~3"`` means ``HEAD~3:data``), if it is one."""
    if spec.startswith("-") or not spec.strip():
        return None
    treeish = spec if ":" in spec else f"{spec}:data"
    r = _git(["cat-file", "-t", "--end-of-options", treeish], root)
    return treeish if r.returncode == 0 and r.stdout.strip() == "tree" else None


@contextmanager
def _data_version(spec: str | Path, name: str) -> Iterator[Path]:
    """A directory holding the data version ``spec``: itself, or a git export of it."""
    text = str(spec)
    path = Path(text).expanduser()
    if path.is_dir():
        if not (path / config.DESCRIPTOR_NAME).is_file():
            raise DiffError(
                f"{name}: expected a data directory with "
                f"{config.DESCRIPTOR_NAME}, got {_short(text)}"
            )
        yield path
        return
    if path.exists():
        raise DiffError(
            f"{name}: expected a data directory or a git revision, got the file {_short(text)}"
        )
    root = _repo_root(Path.cwd())
    treeish = _tree_of(text, root) if root is not None else None
    if treeish is None:
        raise DiffError(
            f"{name}: expected a data directory or a git revision such as "
            f"HEAD~1 or v1:data, got {_short(text)}"
        )
    r = _git(["archive", "--format=tar", treeish], root, binary=True)
    if r.returncode != 0:
        raise DiffError(f"{name}: git could not export {_short(treeish)}")
    with tempfile.TemporaryDirectory(prefix="bm-diff-") as tmp:
        _extract_regular_files(r.stdout, Path(tmp))
        if not (Path(tmp) / config.DESCRIPTOR_NAME).is_file():
            raise DiffError(
                f"{name}: {_short(treeish)} holds no {config.DESCRIPTOR_NAME}; "
                "name the data folder, e.g. v1:data"
            )
        yield Path(tmp)


def _extract_regular_files(archive: bytes, dest: Path) -> None:
    """Write the archive's regular files at its top level into ``dest``; nothing else.

    Links (absolute or not), devices, sub-folders and names with a separator are
    left out, so a committed symlink is a missing file to the loader, never a way out.
    """
    with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
        for member in tar:
            name = member.name.removeprefix("./")
            if not member.isreg() or not name or "/" in name or name in (".", ".."):
                continue
            fh = tar.extractfile(member)
            if fh is not None:
                (dest / name).write_bytes(fh.read())


class _Version:
    """One version of the data, read through the project's one safe loader.

    The descriptor is parsed by :func:`belarus_monitor.schema.read_package` and every
    table's file is checked by :meth:`~belarus_monitor.schema.Package.file`: a path
    outside the data directory, a symlink leading out, a pipe or device is refused
    naming the resource, unread.
    """

    def __init__(self, ddir: Path, name: str):
        from belarus_monitor.data.schema import DescriptorError, read_package

        self.name = name
        try:
            self.pkg = read_package(ddir)
        except DescriptorError as exc:
            p = exc.problems[0]
            raise DiffError(
                f"{name}: {config.DESCRIPTOR_NAME} cannot be read: {p.where}: expected "
                f"{p.expected}"
                + (f" (and {len(exc.problems) - 1} more)" if len(exc.problems) > 1 else "")
            ) from None
        self.tables = {
            res.name: {"primary_key": tuple(res.primary_key), "resource": res}
            for res in self.pkg.resources
        }

    def read(self, table: str) -> pd.DataFrame:
        """The table's cells as text, as written (an empty file is an empty table)."""
        import csv

        from belarus_monitor.data.schema import DescriptorError
        from belarus_monitor.data.validation import MAX_FILE_BYTES

        res = self.tables[table]["resource"]
        try:
            path = self.pkg.file(res)
        except DescriptorError as exc:
            p = exc.problems[0]
            raise DiffError(f"{self.name}: {p.where}: expected {p.expected}") from None
        if path.stat().st_size > MAX_FILE_BYTES:
            raise DiffError(
                f"{self.name}: {res.path}: expected a file of at most {MAX_FILE_BYTES:,} bytes"
            )
        try:
            text = path.read_bytes().decode("utf-8").removeprefix("\ufeff")
            rows = list(csv.reader(io.StringIO(text, newline=""), strict=True))
        except (UnicodeDecodeError, csv.Error) as exc:
            raise DiffError(f"{self.name}: {res.path}: expected CSV in UTF-8 ({exc})") from None
        if not rows:
            return pd.DataFrame()
        header, body = rows[0], rows[1:]
        width = len(header)
        body = [(r + [""] * width)[:width] for r in body]
        if len(set(header)) != width:
            raise DiffError(f"{self.name}: {res.path}: expected a header of distinct column names")
        return pd.DataFrame(body, columns=header, dtype=str)


def _keyed(df: pd.DataFrame, pk: tuple[str, ...]) -> dict[tuple[str, ...], dict[str, str]]:
    """Rows by primary key; a repeated key gets ``#2``, ``#3``... (invalid data)."""
    rows: dict[tuple[str, ...], dict[str, str]] = {}
    for rec in df.to_dict("records"):
        key = tuple(str(rec[c]) for c in pk)
        k, n = key, 1
        while k in rows:
            n += 1
            k = (*key[:-1], f"{key[-1]}#{n}")
        rows[k] = rec
    return rows


def _sources(*recs: dict[str, str] | None) -> tuple[str, ...]:
    ids = [r[c] for r in recs if r for c in SOURCE_COLUMNS if r.get(c)]
    return tuple(dict.fromkeys(ids))


def _cell(v: object) -> str | None:
    return None if v is None or v == "" else str(v)


def _table_diff(
    name: str,
    old: dict[str, Any] | None,
    new: dict[str, Any] | None,
    old_v: _Version,
    new_v: _Version,
) -> TableDiff:
    odf = old_v.read(name) if old else pd.DataFrame()
    ndf = new_v.read(name) if new else pd.DataFrame()
    status: Literal["added", "removed", "both"] = (
        "both" if old and new else ("added" if new else "removed")
    )
    ocols, ncols = list(odf.columns), list(ndf.columns)
    present = [cols for d, cols in ((old, ocols), (new, ncols)) if d]
    candidates = [d["primary_key"] for d in (new, old) if d and d["primary_key"]]
    # The declared key; without one, the whole row is the key (no "changed" rows).
    pk = next(
        (k for k in candidates if all(c in cols for c in k for cols in present)),
        tuple(c for c in present[-1] if all(c in cols for cols in present)),
    )
    if not pk:  # no column in common: each row is its own key (added or removed)
        pk = ("row",)
        for df in (odf, ndf):
            df["row"] = df.astype(str).agg(" | ".join, axis=1) if len(df.columns) else ""
        ocols = [*ocols, "row"] if old else ocols
        ncols = [*ncols, "row"] if new else ncols
    common = [c for c in ncols if c in ocols] if old and new else (ncols or ocols)
    orows = _keyed(odf, pk) if old else {}
    nrows = _keyed(ndf, pk) if new else {}
    changes: list[RowChange] = []

    def key_of(k: tuple[str, ...]) -> dict[str, str]:
        return dict(zip(pk, k, strict=True))

    for k, rec in nrows.items():
        if k not in orows:
            changes.append(
                RowChange(
                    name,
                    "added",
                    key_of(k),
                    _sources(rec),
                    {c: (None, _cell(rec[c])) for c in ncols if _cell(rec[c]) is not None},
                )
            )
    for k, rec in orows.items():
        if k not in nrows:
            changes.append(
                RowChange(
                    name,
                    "removed",
                    key_of(k),
                    _sources(rec),
                    {c: (_cell(rec[c]), None) for c in ocols if _cell(rec[c]) is not None},
                )
            )
    for k, rec in nrows.items():
        before = orows.get(k)
        if before is None:
            continue
        diff = {
            c: (_cell(before[c]), _cell(rec[c]))
            for c in common
            if _cell(before[c]) != _cell(rec[c])
        }
        if diff:
            changes.append(RowChange(name, "changed", key_of(k), _sources(before, rec), diff))
    order = {"added": 0, "removed": 1, "changed": 2}
    changes.sort(key=lambda r: (order[r.kind], r.key_text))
    return TableDiff(
        name,
        tuple(pk),
        status,
        tuple(c for c in ncols if c not in ocols) if status == "both" else (),
        tuple(c for c in ocols if c not in ncols) if status == "both" else (),
        tuple(changes),
    )


def diff_data(old: str | Path, new: str | Path) -> DataDiff:
    """Compare two versions of the data, table by table and row by row.

    Parameters
    ----------
    old, new
        Each a data directory (holding ``datapackage.json``) or a git revision of the
        repository: ``"HEAD~3"`` (its ``data/``), or ``"v1:data"`` (revision and
        folder). A revision is exported with ``git archive`` into a temporary
        directory, removed afterwards.

    Returns
    -------
    DataDiff
        The tables that changed, each with its rows added, removed and changed,
        matched on the primary key, with the fields that differ and the source ids.

    Raises
    ------
    DiffError
        If ``old`` or ``new`` is neither a data directory nor a git revision with a
        data package; the message names the argument.
    """
    with _data_version(old, "OLD") as odir, _data_version(new, "NEW") as ndir:
        ov, nv = _Version(odir, "OLD"), _Version(ndir, "NEW")
        od, nd = ov.tables, nv.tables
        names = list(nd) + [n for n in od if n not in nd]
        tables = [_table_diff(n, od.get(n), nd.get(n), ov, nv) for n in names]
    return DataDiff(str(old), str(new), tuple(t for t in tables if not t.empty))


def _text(v: str | None, n: int) -> str:
    s = "" if v is None else " ".join(str(v).split())
    return s if len(s) <= n else s[: n - 1] + "…"


def _summary(d: DataDiff) -> str:
    if d.empty:
        return f"No change in the data from {d.old} to {d.new}."
    n = len(d.tables)
    return (
        f"From {d.old} to {d.new}: {d.count('added')} row(s) added, "
        f"{d.count('removed')} removed, {d.count('changed')} changed, in {n} "
        f"table{'s' if n != 1 else ''}."
    )


def _table_heading(t: TableDiff) -> str:
    if t.status != "both":
        return f"{t.table}: table {t.status} ({len(t.rows)} rows)"
    parts = [
        f"{t.count('added')} added",
        f"{t.count('removed')} removed",
        f"{t.count('changed')} changed",
    ]
    if t.fields_added:
        parts.append("new field(s) " + ", ".join(t.fields_added))
    if t.fields_removed:
        parts.append("field(s) dropped " + ", ".join(t.fields_removed))
    return f"{t.table} (key {', '.join(t.primary_key)}): " + ", ".join(parts)


def _lines(t: TableDiff, width: int) -> list[list[str]]:
    """Rows of cells: change, key, field, old, new, sources."""
    out = []
    for r in t.rows:
        src = ", ".join(r.source_ids)
        if r.kind == "changed":
            for i, (f, (o, n)) in enumerate(r.fields.items()):
                out.append(
                    [
                        "changed" if i == 0 else "",
                        r.key_text if i == 0 else "",
                        f,
                        _text(o, width),
                        _text(n, width),
                        src if i == 0 else "",
                    ]
                )
        else:
            out.append([r.kind, r.key_text, "", "", "", src])
    return out


def format_diff(d: DataDiff, width: int = 36) -> str:
    """Render a :class:`DataDiff` as readable tables, one per table that changed.

    Parameters
    ----------
    d
        The result of :func:`diff_data`.
    width
        Old and new values longer than this are cut with an ellipsis.

    Returns
    -------
    str
        A summary line, then per table a heading and one line per added or removed
        row and per changed field.
    """
    out = [_summary(d)]
    head = ["change", "key", "field", "old", "new", "sources"]
    for t in d.tables:
        out += ["", _table_heading(t)]
        rows = _lines(t, width)
        if not rows:
            continue
        w = [max(len(r[j]) for r in [head, *rows]) for j in range(len(head))]
        for r in [head, *rows]:
            out.append("  " + "  ".join(f"{c:<{w[j]}}" for j, c in enumerate(r)).rstrip())
    return "\n".join(out)


def _md(text: str) -> str:
    return re.sub(r"([|\\`*_<>\[\]])", r"\\\1", text).replace("\n", " ")


def diff_markdown(d: DataDiff, title: str | None = None, width: int = 80) -> str:
    """Render a :class:`DataDiff` as Markdown for a data-changelog entry.

    Parameters
    ----------
    d
        The result of :func:`diff_data`.
    title
        The entry's heading (default: ``"Data changes: OLD → NEW"``).
    width
        Old and new values longer than this are cut with an ellipsis.

    Returns
    -------
    str
        A level-2 heading, a summary sentence, then per table a level-3 heading and
        a table of changes (change, key, field, before, after, sources). Markdown
        characters in the data are escaped.
    """
    out = [f"## {_md(title or f'Data changes: {d.old} → {d.new}')}", "", _summary(d)]
    for t in d.tables:
        out += ["", f"### {_md(_table_heading(t))}"]
        rows = _lines(t, width)
        if not rows:
            continue
        out += [
            "",
            "| change | key | field | before | after | sources |",
            "|---|---|---|---|---|---|",
        ]
        out += ["| " + " | ".join(_md(c) for c in r) + " |" for r in rows]
    return "\n".join(out) + "\n"


def printable(text: str) -> str:
    r"""``text`` with every control or format character but the newline escaped.

    Data can carry terminal control sequences (``\x1b[2J``, a C1 ``\x9b``, direction
    overrides); printed raw they would act on the reader's terminal.
    """
    import unicodedata

    def esc(ch: str) -> str:
        code = ord(ch)
        return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"

    return "".join(
        esc(ch) if ch != "\n" and unicodedata.category(ch) in ("Cc", "Cf", "Zl", "Zp") else ch
        for ch in text
    )
