"""What a report notebook calls: parameters table, claim tables, charts, provenance.

A notebook makes one :class:`Report`, shows everything through it, and ends with
:meth:`Report.provenance`. The report remembers the source of every figure it showed,
so the provenance block can list exactly the sources behind the report.
"""

from __future__ import annotations

import subprocess
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import pandas as pd

from . import __version__, config
from .theme import qualified

STATUS_LABEL = {"cooperates": "cooperates", "ignores": "practically ignores requests",
                "suspended": "cooperation suspended", "no_response": "no response",
                "rejects": "rejects requests", "refused": "refused"}


def _display(obj: Any) -> None:
    from IPython.display import display

    display(obj)


def _html(markup: str) -> None:
    from IPython.display import HTML

    _display(HTML(markup))


def git_commit(root: Path = config.PROJECT_ROOT) -> str | None:
    """The last commit touching the inputs of a report (data, library, notebooks).

    Returns None outside a git checkout. ``"+ uncommitted changes"`` is appended when
    those paths differ from the commit.
    """
    paths = ["data", "src", "notebooks", "pyproject.toml", "uv.lock"]
    try:
        commit = subprocess.run(["git", "log", "-1", "--format=%h", "--", *paths],
                                cwd=root, capture_output=True, text=True, timeout=10)
        if commit.returncode != 0 or not commit.stdout.strip():
            return None
        dirty = subprocess.run(["git", "status", "--porcelain", "--", *paths], cwd=root,
                               capture_output=True, text=True, timeout=10).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return None
    return commit.stdout.strip() + (" + uncommitted changes" if dirty else "")


def figure_text(value: Any, qualifier: Any = None, status: Any = None,
                percent: Any = None) -> str:
    """A claim's figure as words: ``"about 24"``, ``"78.8%"`` or its status."""
    if value is not None and not pd.isna(value):
        return qualified(int(value), None if pd.isna(qualifier) else str(qualifier))
    if percent is not None and not pd.isna(percent):
        q = None if pd.isna(qualifier) else str(qualifier)
        return qualified(float(percent), q) + "%"
    if status is not None and not pd.isna(status):
        return STATUS_LABEL.get(str(status), str(status))
    return ""


def period_text(start: Any, end: Any, precision: Any = "day") -> str:
    """``"2023-01-01 to 2024-06-20"``, ``"as of 2023-09-14"``, ``"2022"``..."""
    fmt = {"day": "%Y-%m-%d", "month": "%Y-%m", "year": "%Y"}.get(str(precision), "%Y-%m-%d")
    e = "" if end is None or pd.isna(end) else pd.Timestamp(end).strftime(fmt)
    if start is None or pd.isna(start):
        return f"as of {e}" if e else ""
    s = pd.Timestamp(start).strftime("%Y-%m-%d")
    return f"{s} to {e}" if e else f"since {s}"


def with_claim_text(claims: pd.DataFrame) -> pd.DataFrame:
    """A copy of request claims with ``figure`` and ``period`` written out in words."""
    out = claims.copy()
    out["figure"] = [figure_text(v, q, s, p) for v, q, s, p in
                     zip(claims["value"], claims["qualifier"], claims["status"],
                         claims["percent"], strict=True)]
    out["period"] = [period_text(s, e, p) for s, e, p in
                     zip(claims["period_start"], claims["period_end"],
                         claims["period_end_precision"], strict=True)]
    return out


class Report:
    """A report being written in a notebook.

    Parameters
    ----------
    name
        The notebook's name (``"cooperation"``).
    parameters
        The notebook's parameters, shown as a table and in the provenance block.
    data_dir
        Data directory (default: ``data/``).
    """

    def __init__(self, name: str, parameters: Mapping[str, Any] | None = None,
                 data_dir: str | Path | None = None):
        from .load import load_sources

        self.name = name
        self.parameters = dict(parameters or {})
        self.data_dir = data_dir
        self.sources = load_sources(data_dir)
        self._used: list[str] = []

    # -- recording --------------------------------------------------------------
    def cite(self, source_ids: Iterable[str]) -> None:
        """Record sources as used by the report."""
        for s in source_ids:
            if s is not None and not pd.isna(s) and s not in self._used:
                self._used.append(str(s))

    @property
    def used_sources(self) -> list[str]:
        """The source ids cited so far, in order of first use."""
        return list(self._used)

    # -- output -----------------------------------------------------------------
    def show_parameters(self) -> None:
        """Show the parameters as a small table."""
        from .pages import render

        _html(render("params.html.j2", rows=list(self.parameters.items())))

    def say(self, markdown: str) -> None:
        """Show a paragraph of Markdown (its numbers computed by the caller).

        Raw HTML in the text, from the data or anywhere else, is escaped: it shows as
        text and never runs. Links are kept for http(s) URLs only.
        """
        from .pages import markdown_html

        _html(markdown_html(markdown))

    def show(self, fig: Any) -> None:
        """Show a chart (from :mod:`belarus_monitor.charts`) and cite its sources."""
        from .charts import show

        self.cite(getattr(fig, "source_ids", []))
        show(fig)

    def table(self, df: pd.DataFrame, columns: Mapping[str, str] | None = None,
              caption: str = "", source_col: str | None = "source_id") -> None:
        """Show a table; a ``source_id`` column becomes a linked source name.

        Parameters
        ----------
        df
            The rows to show.
        columns
            ``{column: heading}`` to select and rename; all columns when None.
        caption
            Table caption.
        source_col
            Column with source ids to cite and link (None for none).
        """
        from .pages import render, trusted
        from .text import link

        idx = self.sources.set_index("source_id")
        cols = dict(columns) if columns else {c: c for c in df.columns}
        headings = list(cols.values())
        with_source = bool(source_col and source_col in df.columns)
        if with_source:
            headings.append("Source")
            self.cite(df[source_col])
        rows = []
        for _, r in df.iterrows():
            cells: list[Any] = []
            for c in cols:
                v = r[c]
                cells.append("" if v is None or (not isinstance(v, str) and pd.isna(v)) else (
                    v.strftime("%Y-%m-%d") if isinstance(v, pd.Timestamp) else str(v)))
            if with_source:
                s = idx.loc[r[source_col]]
                cells.append(trusted(link(s["url"], s["publisher"])))
            rows.append(cells)
        _html(render("table.html.j2", caption=caption, headings=headings, rows=rows))

    def claims_table(self, claims: pd.DataFrame, caption: str = "",
                     show_via: bool = False) -> None:
        """Show request claims: who, what, figure or status, period, claimant, quote."""
        from .charts import CASE_LABEL, MEASURE_LABEL

        text = with_claim_text(claims)
        df = pd.DataFrame({
            "counterpart": claims["counterpart_name"],
            "direction": claims["direction"].astype(str),
            "case": claims["case_type"].map(lambda c: CASE_LABEL.get(c, c)),
            "measure": claims["measure"].map(lambda m: MEASURE_LABEL.get(m, m)),
            "figure": text["figure"],
            "period": text["period"],
            "claimant": claims["claimant"],
            "quote": claims["quote"].map(lambda q: f"“{q}”"),
            "source_id": claims["source_id"],
        })
        cols = {"counterpart": "Counterpart", "direction": "Direction", "case": "Case",
                "measure": "Measure", "figure": "Figure or answer", "period": "Period",
                "claimant": "Claimant", "quote": "Quote"}
        if show_via and "via" in claims.columns:
            df.insert(1, "via", claims["via"].fillna("directly").to_numpy())
            cols = {"counterpart": "Counterpart", "via": "Concerns the country", **{
                k: v for k, v in cols.items() if k != "counterpart"}}
        same = [c for c in ("direction", "case", "measure", "period", "claimant")
                if len(df) > 1 and df[c].nunique(dropna=False) == 1]
        if same:
            common = "; ".join(f"{cols[c].lower()}: {df[c].iloc[0]}" for c in same)
            caption = (caption + ". " if caption else "") + f"All rows: {common}"
            cols = {k: v for k, v in cols.items() if k not in same}
        self.table(df, cols, caption)

    def provenance(self) -> None:
        """Show the provenance block: parameters, checksum, sources, version, commit."""
        from .pages import render
        from .provenance import dataset_checksum

        idx = self.sources.set_index("source_id")
        sources = []
        for sid in self._used:
            s = idx.loc[sid]
            sources.append({
                "title": s["title"], "publisher": s["publisher"], "url": s["url"],
                "date": "n.d." if pd.isna(s["published"]) else f"{s['published']:%Y-%m-%d}"})
        params = ", ".join(f"{k} = {v!r}" for k, v in self.parameters.items()) or "none"
        _html(render("provenance.html.j2", name=self.name, parameters=params,
                     checksum=dataset_checksum(self.data_dir), version=__version__,
                     commit=git_commit() or "not a git checkout", sources=sources))
