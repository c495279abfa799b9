"""The sources behind the data, or behind the claims that concern one country."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from .countries import country_name, normalise_country
from .load import (
    load_sources,
    load_table,
)
from .schema import read_package

COLUMNS = ["source_id", "publisher", "published", "title", "url", "n_claims"]
#: Columns that cite a source; a row citing a source twice counts once.
SOURCE_COLUMNS = ("source_id", "period_source_id")


def _cited(frames: list[pd.DataFrame]) -> pd.Series:
    """Number of rows citing each source id, over the given tables."""
    ids: list[str] = []
    for df in frames:
        cols = [c for c in SOURCE_COLUMNS if c in df.columns]
        for row in df[cols].itertuples(index=False):
            ids.extend({str(v) for v in row if not pd.isna(v)})
    return pd.Series(ids, dtype="string").value_counts()


def country_frames(code: str, data_dir: str | Path | None = None) -> list[pd.DataFrame]:
    """Every row of the data that concerns one country, table by table.

    Parameters
    ----------
    code
        ISO alpha-2 code.
    data_dir
        Directory with the package (default: the project's ``data/``).

    Returns
    -------
    list of pandas.DataFrame
        Requests (direct and through groups), sanctions regimes by jurisdiction
        (direct and through groups), 'unfriendly' list entries, group memberships and
        EU-alignment rows of the country.
    """
    from .profile import country_profile

    p = country_profile(code, data_dir)
    return [p.claims, p.sanctions, p.lists, p.groups, p.alignment]


def sources_table(country: str | None = None,
                  data_dir: str | Path | None = None) -> pd.DataFrame:
    """The sources behind the whole data, or behind one country's claims.

    Parameters
    ----------
    country
        Code or English name (``"LT"``, ``"Lithuania"``); every source when None.
    data_dir
        Directory with the package (default: the project's ``data/``).

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
    sources = load_sources(data_dir)
    if country is None:
        pkg = read_package(data_dir)
        frames = [load_table(r.name, data_dir) for r in pkg.resources if r.name != "sources"]
        counts = _cited(frames)
        out = sources.assign(n_claims=sources["source_id"].map(counts).fillna(0))
    else:
        counts = _cited(country_frames(normalise_country(country), data_dir))
        out = sources[sources["source_id"].isin(counts.index)].copy()
        out["n_claims"] = out["source_id"].map(counts)
    out["n_claims"] = out["n_claims"].astype("Int64")
    out = out.sort_values(["n_claims", "published", "source_id"],
                          ascending=[False, True, True], na_position="last")
    return out[COLUMNS].reset_index(drop=True)


def _cut(text: object, width: int) -> str:
    s = "" if pd.isna(text) else str(text)
    return s if len(s) <= width else s[: width - 1].rstrip() + "…"


def _left(col: pd.Series):
    width = max([len(str(v)) for v in col] + [len(str(col.name))])
    return lambda v: f"{v!s:<{width}}"


def format_sources(table: pd.DataFrame, country: str | None = None,
                   title_width: int = 48) -> str:
    """Render :func:`sources_table` as a fixed-width table for the terminal.

    Parameters
    ----------
    table
        The result of :func:`sources_table`.
    country
        The country asked for (code or name), for the heading; None for all data.
    title_width
        Titles and publishers longer than this are cut with an ellipsis.

    Returns
    -------
    str
        A heading line and the table; URLs are printed in full.
    """
    if country is None:
        head = f"{len(table)} sources in the data"
    else:
        code = normalise_country(country)
        head = (f"{len(table)} sources behind the claims on {country_name(code)} ({code}),"
                " direct and through the groups it belongs to")
        if table.empty:
            return f"No claim in the data concerns {country_name(code)} ({code})."
    shown = pd.DataFrame({
        "source_id": table["source_id"],
        "claims": table["n_claims"],
        "published": [("" if pd.isna(d) else f"{d:%Y-%m-%d}") for d in table["published"]],
        "publisher": [_cut(p, 24) for p in table["publisher"]],
        "title": [_cut(t, title_width) for t in table["title"]],
        "url": table["url"],
    })
    left = {c: _left(shown[c]) for c in ("source_id", "publisher", "title", "url")}
    body = shown.to_string(index=False, justify="left", formatters=left)
    return head + "\n\n" + "\n".join(line.rstrip() for line in body.splitlines())


__all__ = ["country_frames", "format_sources", "sources_table"]
