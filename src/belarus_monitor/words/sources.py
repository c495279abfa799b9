"""The sources behind the data, or behind the claims that concern one country."""

from __future__ import annotations

import csv
import io
import json
import textwrap
from typing import TYPE_CHECKING

import pandas as pd

from belarus_monitor.data.countries import country_name, normalise_country

if TYPE_CHECKING:
    from belarus_monitor.data.dataset import Dataset

COLUMNS = ["source_id", "publisher", "published", "title", "url", "n_claims"]
#: Columns that cite a source; a row citing a source twice counts once.
SOURCE_COLUMNS = ("source_id", "period_source_id")
SOURCE_FORMATS = ("table", "csv", "json")


def _cited(frames: list[pd.DataFrame]) -> pd.Series:
    """Number of rows citing each source id, over the given tables."""
    ids: list[str] = []
    for df in frames:
        cols = [c for c in SOURCE_COLUMNS if c in df.columns]
        for row in df[cols].itertuples(index=False):
            ids.extend({str(v) for v in row if not pd.isna(v)})
    return pd.Series(ids, dtype="string").value_counts()


def country_frames(ds: Dataset, code: str) -> list[pd.DataFrame]:
    """Every row of the data that concerns one country, table by table.

    Parameters
    ----------
    ds
        The dataset.
    code
        ISO code or English name.

    Returns
    -------
    list of pandas.DataFrame
        Requests (direct and through groups), sanctions regimes by jurisdiction
        (direct and through groups), 'unfriendly' list entries, group memberships and
        EU-alignment rows of the country.
    """
    from belarus_monitor.analysis.profile import country_profile

    p = country_profile(ds, code)
    return [p.claims, p.sanctions, p.lists, p.groups, p.alignment]


def sources_table(ds: Dataset, country: str | None = None) -> pd.DataFrame:
    """The sources behind the whole data, or behind one country's claims.

    Parameters
    ----------
    ds
        The dataset.
    country
        Code or English name (``"LT"``, ``"Lithuania"``); every source when None.

    Returns
    -------
    pandas.DataFrame
        Columns ``source_id``, ``publisher``, ``published``, ``title``, ``url``,
        ``n_claims`` (rows of the data that cite the source), most cited first. For
        the whole data every source is listed, cited or not.

    Raises
    ------
    UnknownCountryError
        If ``country`` is not a known code or name; the message suggests close ones.
    """
    sources = ds.sources
    if country is None:
        frames = [ds.table(name) for name in ds.names if name != "sources"]
        counts = _cited(frames)
        out = sources.assign(n_claims=sources["source_id"].map(counts).fillna(0))
    else:
        counts = _cited(country_frames(ds, normalise_country(country)))
        out = sources[sources["source_id"].isin(counts.index)].copy()
        out["n_claims"] = out["source_id"].map(counts)
    out["n_claims"] = out["n_claims"].astype("Int64")
    out = out.sort_values(
        ["n_claims", "published", "source_id"], ascending=[False, True, True], na_position="last"
    )
    return out[COLUMNS].reset_index(drop=True)


def _cut(text: object, width: int) -> str:
    s = "" if pd.isna(text) else " ".join(str(text).split())
    if width <= 1:
        return s[: max(width, 0)]
    return s if len(s) <= width else s[: width - 1].rstrip() + "…"


def _heading(table: pd.DataFrame, country: str | None) -> str | None:
    """The heading line; None for a country no claim concerns (then say so instead)."""
    if country is None:
        return f"{len(table)} sources in the data"
    code = normalise_country(country)
    if table.empty:
        return None
    return (
        f"{len(table)} sources behind the claims on {country_name(code)} ({code}),"
        " direct and through the groups it belongs to"
    )


def format_sources(
    table: pd.DataFrame, country: str | None = None, width: int | None = None
) -> str:
    """Render :func:`sources_table` as a table that fits the terminal.

    Parameters
    ----------
    table
        The result of :func:`sources_table`.
    country
        The country asked for (code or name), for the heading; None for all data.
    width
        Width of the terminal in characters (default: ``shutil.get_terminal_size``,
        which honours the ``COLUMNS`` environment variable); at least 40 is used.

    Returns
    -------
    str
        A heading line and the table. Publishers and titles are cut with an ellipsis
        to fit; URLs are never cut: when the widest does not fit at the end of the
        rows, each URL gets its own line, indented, under its source.
    """
    import shutil

    width = max(40, width if width is not None else shutil.get_terminal_size().columns)
    head = _heading(table, country)
    if head is None:
        code = normalise_country(str(country))
        return f"No claim in the data concerns {country_name(code)} ({code})."
    head = "\n".join(textwrap.wrap(head, width)) or head
    ids = [str(v) for v in table["source_id"]]
    claims = ["" if pd.isna(v) else str(v) for v in table["n_claims"]]
    dates = ["" if pd.isna(d) else f"{d:%Y-%m-%d}" for d in table["published"]]
    urls = ["" if pd.isna(u) else str(u) for u in table["url"]]
    w_id = max([len(x) for x in ids] + [len("source_id")])
    w_n = max([len(x) for x in claims] + [len("claims")])
    w_date = len("yyyy-mm-dd")
    w_url = max([len(u) for u in urls] + [len("url")])
    rest = width - (w_id + 1 + w_n + 1 + w_date + 1)
    if rest < 8:  # a very narrow terminal: ids are cut, as a last resort
        w_id, rest = max(w_id - (8 - rest), 10), 8
    url_inline = rest - w_url - 1 >= 30
    if url_inline:
        rest -= w_url + 1
    w_pub = min(24, rest // 3) if rest >= 24 else 0  # no publisher when too narrow
    w_title = rest - (w_pub + 1 if w_pub else 0)

    def line(sid: str, n: str, date: str, pub: str, title: str, url: str) -> str:
        cells = (
            f"{_cut(sid, w_id):<{w_id}} {n:>{w_n}} {date:<{w_date}} "
            + (f"{_cut(pub, w_pub):<{w_pub}} " if w_pub else "")
            + f"{_cut(title, w_title):<{w_title}}"
        )
        return (cells + (" " + url if url_inline else "")).rstrip()

    out = [
        head,
        "",
        line("source_id", "claims", "published", "publisher", "title", "url" if url_inline else ""),
    ]
    if not url_inline:
        out.append("    url")
    for sid, n, date, pub, title, url in zip(
        ids, claims, dates, table["publisher"], table["title"], urls, strict=True
    ):
        out.append(line(sid, n, date, pub, title, url))
        if not url_inline and url:
            out.append("    " + url)
    return "\n".join(out)


def sources_records(table: pd.DataFrame) -> list[dict[str, object]]:
    """:func:`sources_table` as plain records (dates as ISO text, missing as None)."""
    records = []
    for row in table.astype(object).itertuples(index=False):
        rec: dict[str, object] = {}
        for k, v in zip(table.columns, row, strict=True):
            if v is None or v is pd.NA or (not isinstance(v, str) and pd.isna(v)):
                rec[k] = None
            elif isinstance(v, pd.Timestamp):
                rec[k] = v.date().isoformat()
            elif k == "n_claims":
                rec[k] = int(v)
            else:
                rec[k] = str(v)
        records.append(rec)
    return records


def render_sources(
    table: pd.DataFrame, fmt: str = "table", country: str | None = None, width: int | None = None
) -> str:
    """Render :func:`sources_table` as a terminal table, CSV or JSON.

    Parameters
    ----------
    table
        The result of :func:`sources_table`.
    fmt
        ``"table"`` (:func:`format_sources`), ``"csv"`` (a header and one line per
        source, formula-like text neutralised as in the CSV export) or ``"json"`` (a
        list of objects).
    country
        The country asked for, for the table's heading.
    width
        Terminal width for ``"table"``.

    Returns
    -------
    str
        The text, without a final newline.

    Raises
    ------
    ValueError
        If ``fmt`` is not one of the three formats.
    """
    if fmt == "table":
        return format_sources(table, country, width)
    records = sources_records(table)
    if fmt == "json":
        return json.dumps(records, ensure_ascii=False, indent=1)
    if fmt == "csv":
        from belarus_monitor.text import neutralise

        buf = io.StringIO()
        w = csv.writer(buf, lineterminator="\n")
        w.writerow(COLUMNS)
        for rec in records:
            w.writerow(
                [
                    ""
                    if rec[c] is None
                    else (neutralise(rec[c]) if isinstance(rec[c], str) else rec[c])
                    for c in COLUMNS
                ]
            )
        return buf.getvalue().rstrip("\n")
    raise ValueError(f"format: expected one of {', '.join(SOURCE_FORMATS)}, got {_short(fmt)}")


def _short(value: object, n: int = 40) -> str:
    text = str(value)
    return repr(text if len(text) <= n else text[:n] + "…")


__all__ = [
    "SOURCE_FORMATS",
    "country_frames",
    "format_sources",
    "render_sources",
    "sources_records",
    "sources_table",
]
