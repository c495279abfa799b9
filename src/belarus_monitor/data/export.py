"""The dataset in users' hands: export as xlsx, csv or json; list the sources.

Every table is loaded through :func:`belarus_monitor.load_table`, so an export is
always of validated data. Files are written atomically: to a temporary file in the
target directory, then moved into place with :func:`os.replace`. An export never
removes or replaces what it did not write: a folder export goes into a new or empty
folder or one an earlier export wrote (see :func:`belarus_monitor.files.export_directory`),
and a workbook replaces only a workbook this project wrote.

Formula injection: a text cell that starts with ``=``, ``+``, ``-``, ``@``, a tab or a
carriage return could be read as a formula by a spreadsheet program.

* CSV: such a cell is written with an apostrophe in front (``'=1+...``), the usual
  defence; strip one leading apostrophe before those characters to get the text back.
* xlsx: every text cell is written as a string cell (type ``s``), never a formula, and
  a risky one also gets Excel's "quote prefix" style (what typing a leading apostrophe
  does), so it stays text even when edited. The text itself is unchanged.
* JSON: text is written as it is; JSON is not opened as a spreadsheet.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import os
import shutil
from collections.abc import Callable, Iterator
from functools import partial
from pathlib import Path
from typing import Any

import pandas as pd

from belarus_monitor import config
from belarus_monitor.data.schema import Field, Package, Resource, read_package
from belarus_monitor.errors import BelarusMonitorError
from belarus_monitor.text import excerpt, is_risky, neutralise

FORMATS = ("xlsx", "csv", "json")
DEFAULT_OUT = {
    "xlsx": config.REPORTS_DIR / "belarus-monitor.xlsx",
    "csv": config.REPORTS_DIR / "export-csv",
    "json": config.REPORTS_DIR / "export-json",
}


class ExportError(BelarusMonitorError, ValueError):
    """A bad parameter of an export: names the parameter and what was expected."""


def _value(v: Any, ftype: str) -> Any:
    """A typed cell as a plain Python value: None, bool, int, float, date or str."""
    if v is None or v is pd.NA or (not isinstance(v, str) and pd.isna(v)):
        return None
    if ftype == "boolean":
        return bool(v)
    if ftype == "integer":
        return int(v)
    if ftype == "number":
        return float(v)
    if ftype == "date":
        return pd.Timestamp(v).date()
    return str(v)


def _rows(res: Resource, df: pd.DataFrame) -> Iterator[list[Any]]:
    types = [f.type for f in res.fields]
    for row in df[res.field_names].astype(object).itertuples(index=False):
        yield [_value(v, t) for v, t in zip(row, types, strict=True)]


def _atomic(path: Path, mode: str = "w", encoding: str = "utf-8") -> Any:
    """Open a temporary file next to ``path``; move it onto ``path`` on success."""
    from belarus_monitor.files import atomic_open

    return atomic_open(path, mode, **({} if "b" in mode else {"encoding": encoding, "newline": ""}))


def _csv_text(v: Any) -> str:
    if v is None:
        return ""
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, dt.date):
        return v.isoformat()
    return neutralise(v) if isinstance(v, str) else str(v)


def _write_csv(path: Path, res: Resource, df: pd.DataFrame, bom: bool = False) -> None:
    import csv

    # "utf-8-sig" writes the byte-order mark Excel on Windows needs to read UTF-8.
    with _atomic(path, encoding="utf-8-sig" if bom else "utf-8") as fh:
        w = csv.writer(fh, lineterminator="\n")
        w.writerow(res.field_names)
        for row in _rows(res, df):
            w.writerow([_csv_text(v) for v in row])


def _write_json(path: Path, res: Resource, df: pd.DataFrame) -> None:
    records = [
        {
            k: (v.isoformat() if isinstance(v, dt.date) else v)
            for k, v in zip(res.field_names, row, strict=True)
        }
        for row in _rows(res, df)
    ]
    with _atomic(path) as fh:
        json.dump(records, fh, ensure_ascii=False, indent=1)
        fh.write("\n")


def _constraints_text(constraints: dict[str, Any]) -> str:
    parts = []
    for k, v in constraints.items():
        if v is True:
            parts.append(k)
        elif isinstance(v, list):
            parts.append(f"{k}: {', '.join(map(str, v))}")
        else:
            parts.append(f"{k}: {v}")
    return "; ".join(parts)


def readme_rows(pkg: Package, data_dir: str | Path | None = None) -> list[list[Any]]:
    """The README sheet: dataset, version, checksum, citation, then the data dictionary.

    Parameters
    ----------
    pkg
        The package descriptor.
    data_dir
        Directory with the package, for the checksum.

    Returns
    -------
    list of list
        Rows of cells; the dictionary has the header table, field, type, description,
        constraints.
    """
    from belarus_monitor import __version__
    from belarus_monitor.data.provenance import citation, dataset_checksum

    rows: list[list[Any]] = [
        [pkg.title],
        ["dataset version", pkg.version],
        ["sha256", dataset_checksum(data_dir)],
        ["citation", citation(data_dir)],
        ["licence", ", ".join(lic.get("name", "") for lic in pkg.descriptor.get("licenses", []))],
        ["exported with", f"belarus-monitor {__version__}"],
        [],
        ["table", "field", "type", "description", "constraints"],
    ]
    for res in pkg.resources:
        for f in res.fields:
            rows.append([res.name, f.name, f.type, f.description, _constraints_text(f.constraints)])
    return rows


#: Fields holding a country code (or a group code): the workbook adds ``<field>_name``.
COUNTRY_FIELDS = frozenset({"country", "counterpart", "member", "jurisdiction"})
#: Fields whose cells link to the source's address in the workbook.
LINK_FIELDS = frozenset({"url", "source_id", "period_source_id"})
MAX_WIDTH = 60
_WEB = ("https://", "http://")


def name_columns(res: Resource) -> list[tuple[str, str, str]]:
    """The columns the workbook adds beside codes: ``(field, new column, kind)``.

    Parameters
    ----------
    res
        A table of the package.

    Returns
    -------
    list of tuple
        ``(field, field + "_label", "vocabulary")`` for every field with an
        ``x-vocabulary`` (its label from ``vocabulary.csv``), and
        ``(field, field + "_name", "country")`` for country or group codes (the
        English name from pycountry, or the group's name). None for the vocabulary
        table itself.
    """
    if res.name == "vocabulary":
        return []
    out = []
    for f in res.fields:
        if f.vocabulary:
            out.append((f.name, f"{f.name}_label", "vocabulary"))
        elif f.name in COUNTRY_FIELDS:
            out.append((f.name, f"{f.name}_name", "country"))
    return [c for c in out if c[1] not in res.field_names]


def _namer(kind: str, field: Field, frames: dict[str, pd.DataFrame]) -> Callable[[Any], str | None]:
    """A function from a code to its reader's word, from the loaded tables."""
    from belarus_monitor.data.countries import counterpart_name

    if kind == "vocabulary":
        voc = frames["vocabulary"]
        labels = {
            (str(d), str(c)): str(lbl)
            for d, c, lbl in zip(voc["domain"], voc["code"], voc["label"], strict=True)
        }
        domain = field.vocabulary
        return lambda v: None if v is None else labels.get((domain, str(v)))
    groups = frames.get("groups")
    return lambda v: None if v is None else counterpart_name(str(v), groups)


def sheet_rows(res: Resource, frames: dict[str, pd.DataFrame]) -> list[list[Any]]:
    """A table as the workbook shows it: header, then rows, a name beside each code.

    Parameters
    ----------
    res
        The table.
    frames
        Every loaded table by name (for the vocabulary and the group names).

    Returns
    -------
    list of list
        The header (the fields, each code field followed by its ``_label`` or
        ``_name`` column, see :func:`name_columns`) and one list of plain values per
        row.
    """
    extra = {f: (col, _namer(kind, res.field(f), frames)) for f, col, kind in name_columns(res)}
    header: list[Any] = []
    for f in res.field_names:
        header.append(f)
        if f in extra:
            header.append(extra[f][0])
    rows: list[list[Any]] = [header]
    for values in _rows(res, frames[res.name]):
        row: list[Any] = []
        for f, v in zip(res.field_names, values, strict=True):
            row.append(v)
            if f in extra:
                row.append(extra[f][1](v))
        rows.append(row)
    return rows


def _xlsx_cell(ws: Any, v: Any, bold: bool = False, link: str | None = None) -> Any:
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    cell = WriteOnlyCell(ws, value=v)
    if link:
        cell.hyperlink = link
        cell.style = "Hyperlink"
    if isinstance(v, str):
        cell.data_type = "s"  # never a formula, whatever the text starts with
        if is_risky(v):
            cell.quotePrefix = True  # and stays text when someone edits it in Excel
    elif isinstance(v, dt.date):
        cell.number_format = "yyyy-mm-dd"
    if bold:
        cell.font = Font(bold=True)
    return cell


def _width(v: Any) -> int:
    if v is None:
        return 0
    if isinstance(v, dt.date):
        return 10
    return max((len(line) for line in str(v).splitlines()), default=0)


def _sheet(
    wb: Any,
    title: str,
    rows: list[list[Any]],
    table: bool = False,
    links: dict[int, Callable[[Any], str | None]] | None = None,
    bold_rows: frozenset[int] = frozenset(),
) -> None:
    """Add a sheet with columns as wide as their content (capped at ``MAX_WIDTH``).

    With ``table``, the first row is a bold, frozen header with an autofilter over
    the whole table; ``links`` maps a column index to a function giving the address
    a cell links to (or None).
    """
    from openpyxl.utils import get_column_letter

    ws = wb.create_sheet(title)
    ncols = max((len(r) for r in rows), default=0)
    for j in range(ncols):
        width = max((_width(r[j]) for r in rows if j < len(r)), default=8)
        if table:
            width += 2  # room for the filter button of the header
        ws.column_dimensions[get_column_letter(j + 1)].width = min(max(width, 8) + 2, MAX_WIDTH)
    if table and rows:
        ws.freeze_panes = "A2"
        ws.auto_filter.ref = f"A1:{get_column_letter(max(ncols, 1))}{len(rows)}"
        bold_rows = bold_rows | {0}
    links = links or {}
    for i, row in enumerate(rows):
        cells = []
        for j, v in enumerate(row):
            target = links[j](v) if (i > 0 and j in links and v is not None) else None
            cells.append(
                _xlsx_cell(
                    ws,
                    v,
                    bold=i in bold_rows,
                    link=target if target and target.startswith(_WEB) else None,
                )
            )
        ws.append(cells)


def _readme_rows_with_names(pkg: Package, data_dir: str | Path | None) -> list[list[Any]]:
    """:func:`readme_rows`, with the columns the workbook adds in the dictionary."""
    rows = readme_rows(pkg, data_dir)
    for res in pkg.resources:
        for f, col, kind in name_columns(res):
            what = (
                "label of the code (from vocabulary.csv)"
                if kind == "vocabulary"
                else "name of the country (ISO 3166-1, pycountry) or of the group"
            )
            rows.append(
                [
                    res.name,
                    col,
                    "string",
                    f"Workbook only: the {what} in {f}; not in the CSV files.",
                    "",
                ]
            )
    return rows


def _write_xlsx(
    path: Path, pkg: Package, frames: dict[str, pd.DataFrame], data_dir: str | Path | None
) -> None:
    from openpyxl import Workbook

    wb = Workbook(write_only=True)
    wb.properties.creator = CREATOR
    readme = _readme_rows_with_names(pkg, data_dir)
    header_row = next((i for i, r in enumerate(readme) if r[:2] == ["table", "field"]), 0)
    _sheet(wb, "README", readme, bold_rows=frozenset({0, header_row}))
    urls = {}
    if "sources" in frames:
        urls = dict(
            zip(
                frames["sources"]["source_id"].astype(str),
                frames["sources"]["url"].astype(str),
                strict=True,
            )
        )
    for res in pkg.resources:
        rows = sheet_rows(res, frames)
        links: dict[int, Callable[[Any], str | None]] = {}
        for j, col in enumerate(rows[0]):
            if col == "url":
                links[j] = str
            elif col in LINK_FIELDS:
                links[j] = lambda v: urls.get(str(v))
        _sheet(wb, res.name[:31], rows, table=True, links=links)
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "")
    if not epoch.isdigit():
        with _atomic(path, "wb") as fh:
            wb.save(fh)
        return
    # A reproducible build (SOURCE_DATE_EPOCH, as the report build sets it): the
    # workbook's dates and its parts' times are that date, so the same data gives the
    # same bytes (openpyxl writes the time it saves).
    when = dt.datetime.fromtimestamp(int(epoch), dt.UTC).replace(tzinfo=None)
    wb.properties.created = when
    raw = io.BytesIO()
    wb.save(raw)
    with _atomic(path, "wb") as fh:
        fh.write(_dated_zip(raw.getvalue(), when))


def _dated_zip(raw: bytes, when: dt.datetime) -> bytes:
    """The xlsx (a zip) with every part dated ``when``, its "modified" property too."""
    import re
    import zipfile

    stamp = when.strftime("%Y-%m-%dT%H:%M:%SZ")
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(raw)) as src, zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename == "docProps/core.xml":
                data = re.sub(
                    rb"(<dcterms:modified[^>]*>)[^<]*(</dcterms:modified>)",
                    rb"\g<1>" + stamp.encode() + rb"\g<2>",
                    data,
                )
            part = zipfile.ZipInfo(info.filename, date_time=max(when, _ZIP_EPOCH).timetuple()[:6])
            part.compress_type = zipfile.ZIP_DEFLATED
            part.external_attr = info.external_attr
            dst.writestr(part, data)
    return out.getvalue()


#: The earliest time a zip can record.
_ZIP_EPOCH = dt.datetime(1980, 1, 1)

#: The workbook's author, recorded in its properties: how an export knows its own file.
CREATOR = "belarus-monitor"


def _our_workbook(path: Path) -> bool:
    """Whether ``path`` is a regular file, an xlsx workbook that this project wrote."""
    import zipfile

    try:
        if path.is_symlink() or not path.is_file() or not zipfile.is_zipfile(path):
            return False
        with zipfile.ZipFile(path) as zf:
            info = zf.getinfo("docProps/core.xml")
            if info.file_size > 100_000:
                return False
            core = zf.read(info).decode("utf-8", "replace")
    except (OSError, KeyError, zipfile.BadZipFile):
        return False
    return f"<dc:creator>{CREATOR}</dc:creator>" in core


def _check_out(
    fmt: str, out: str | os.PathLike[str] | None, data_dir: str | Path | None = None
) -> Path:
    from belarus_monitor.files import OutputError, check_output_dir, claim_export_directory

    path = Path(out).expanduser() if out is not None else DEFAULT_OUT[fmt]
    ddir = config.data_dir(data_dir)
    try:
        if fmt == "xlsx":
            if path.is_dir():
                raise ExportError(
                    "--out: expected a file path for xlsx, got the directory "
                    f"{excerpt(str(path), 120)}"
                )
            if path.suffix.lower() != ".xlsx":
                raise ExportError(
                    f"--out: expected a file name ending in .xlsx, got {excerpt(str(path), 120)}"
                )
            target = check_output_dir(path.parent, "--out", ddir, own=False) / path.name
            if (target.exists() or target.is_symlink()) and not _our_workbook(target):
                raise ExportError(
                    f"--out {excerpt(str(path), 120)}: a file that is not a workbook this "
                    "export wrote is there already; choose another name (nothing was written)"
                )
            return target
        if path.exists() and not path.is_dir():
            raise ExportError(
                f"--out: expected a directory for {fmt}, got the file {excerpt(str(path), 120)}"
            )
        check_output_dir(path, "--out", ddir, create=False)
        claim_export_directory(path)
        return check_output_dir(path.parent, "--out", ddir, own=False) / path.name
    except OutputError as exc:
        raise ExportError(str(exc)) from None


def export_dataset(
    fmt: str,
    out: str | os.PathLike[str] | None = None,
    data_dir: str | Path | None = None,
    bom: bool = False,
) -> Path:
    """Export every table of the package, validated, as xlsx, csv or json.

    Parameters
    ----------
    fmt
        ``"xlsx"``: one workbook, a README sheet (data dictionary, version, checksum,
        citation) then one sheet per table. ``"csv"`` or ``"json"``: a directory with
        one file per table and a copy of ``datapackage.json``.
    out
        The workbook file or the directory (default: ``reports/belarus-monitor.xlsx``,
        ``reports/export-csv`` or ``reports/export-json``). Missing parent directories
        are created.
    data_dir
        Directory with the package (default: the project's ``data/``).
    bom
        CSV only: begin each file with a UTF-8 byte-order mark, so that Excel on
        Windows reads non-Latin text (Cyrillic quotes) correctly. Default: plain UTF-8.

    Returns
    -------
    Path
        The file or directory written.

    Raises
    ------
    ExportError
        If ``fmt`` is not a known format, ``out`` is not usable for it, or ``bom`` is
        asked for another format than csv.
    DataValidationError
        If the data does not pass validation.
    """
    from belarus_monitor.data.load import load_table

    if fmt not in FORMATS:
        raise ExportError(f"fmt: expected one of {', '.join(FORMATS)}, got {fmt!r}")
    if bom and fmt != "csv":
        raise ExportError(f"bom (--excel): only for the csv format, not {fmt}")
    pkg = read_package(data_dir)
    ddir = pkg.path.parent
    frames = {res.name: load_table(res.name, ddir) for res in pkg.resources}
    path = _check_out(fmt, out, ddir)
    if fmt == "xlsx":
        _write_xlsx(path, pkg, frames, ddir)
        return path
    write: Callable[[Path, Resource, pd.DataFrame], None] = (
        partial(_write_csv, bom=bom) if fmt == "csv" else _write_json
    )
    from belarus_monitor.files import export_directory

    with export_directory(path) as tmp:  # all files or none; nothing else touched
        for res in pkg.resources:
            write(tmp / (Path(res.path).stem + "." + fmt), res, frames[res.name])
        with _atomic(tmp / pkg.path.name, "wb") as fh, pkg.path.open("rb") as src:
            shutil.copyfileobj(src, fh)
    return path
