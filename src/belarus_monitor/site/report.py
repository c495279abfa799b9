"""What a report notebook calls: parameters table, claim tables, charts, provenance.

A notebook makes one :class:`Report`, shows everything through it, and ends with
:meth:`Report.provenance`. The report remembers the source of every figure it showed,
so the provenance block can list exactly the sources behind the report.
"""

from __future__ import annotations

import subprocess
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd

from belarus_monitor import __version__, config
from belarus_monitor.words.stories import qualified, when

if TYPE_CHECKING:
    from belarus_monitor.data.dataset import Dataset

#: Output metadata under which a chart carries its SVG and CSV for the build to write.
FIGURE_KEY = "belarus_monitor_figure"


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
        commit = subprocess.run(
            ["git", "log", "-1", "--format=%h", "--", *paths],
            cwd=root,
            capture_output=True,
            text=True,
            timeout=10,
        )
        if commit.returncode != 0 or not commit.stdout.strip():
            return None
        dirty = subprocess.run(
            ["git", "status", "--porcelain", "--", *paths],
            cwd=root,
            capture_output=True,
            text=True,
            timeout=10,
        ).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return None
    return commit.stdout.strip() + (" + uncommitted changes" if dirty else "")


def figure_text(
    value: Any,
    qualifier: Any = None,
    status: Any = None,
    percent: Any = None,
    ds: Dataset | None = None,
) -> str:
    """A claim's figure as words: ``"about 24"``, ``"78.8% of all requests"`` or its status."""
    if (value is not None and not pd.isna(value)) or (percent is not None and not pd.isna(percent)):
        if ds is None:
            raise ValueError("figure_text: a figure needs the dataset (ds) for its words")
        if value is not None and not pd.isna(value):
            return qualified(int(value), qualifier, ds)
        # A share is of all the requests counted (the quote says of which), never a count.
        return qualified(float(percent), qualifier, ds) + "% of all requests"
    if status is not None and not pd.isna(status):
        if ds is None:
            raise ValueError("figure_text: a status needs the dataset (ds) for its words")
        return ds.label("status", status)
    return ""


def period_text(start: Any, end: Any, precision: Any = "day") -> str:
    """``"Jan 2023 to 20 Jun 2024"``, ``"by 14 Sep 2023"``, ``"2022"``..."""
    fmt = {"day": "%-d %b %Y", "month": "%b %Y", "year": "%Y"}.get(str(precision), "%-d %b %Y")
    e = "" if end is None or pd.isna(end) else pd.Timestamp(end).strftime(fmt)
    if start is None or pd.isna(start):
        return f"by {e}" if e else ""
    s = pd.Timestamp(start)
    if e and str(precision) == "year" and (s.month, s.day) == (1, 1) and f"{s:%Y}" == e:
        return e  # January to a date known only by its year, in that year: the year
    first = f"{s:%b %Y}" if s.day == 1 else f"{s.day} {s:%b %Y}"
    return f"{first} to {e}" if e else f"since {first}"


def with_claim_text(claims: pd.DataFrame, ds: Dataset) -> pd.DataFrame:
    """A copy of request claims with ``figure`` and ``period`` written out in ``ds``'s words."""
    out = claims.copy()
    out["figure"] = [
        figure_text(v, q, s, p, ds)
        for v, q, s, p in zip(
            claims["value"], claims["qualifier"], claims["status"], claims["percent"], strict=True
        )
    ]
    out["period"] = [
        period_text(s, e, p)
        for s, e, p in zip(
            claims["period_start"],
            claims["period_end"],
            claims["period_end_precision"],
            strict=True,
        )
    ]
    return out


class Report:
    """A report being written in a notebook.

    Parameters
    ----------
    name
        The notebook's name (``"cooperation"``).
    ds
        The dataset the report is written from (:func:`belarus_monitor.open`): its
        sources, words and provenance.
    parameters
        The notebook's parameters as given (for the provenance block).
    words
        The parameters as a reader reads them: ``{"Period": "the whole period"}``;
        shown at the top and in the provenance block instead of raw values.
    """

    def __init__(
        self,
        name: str,
        ds: Dataset,
        parameters: Mapping[str, Any] | None = None,
        words: Mapping[str, str] | None = None,
    ):
        self.name = name
        self.ds = ds
        self.parameters = dict(parameters or {})
        self.words = dict(words or {})
        self.sources = ds.sources
        self._used: list[str] = []
        self._figures = 0

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
    def title(self, text: str) -> None:
        """The report's title (for a report whose title depends on its parameters)."""
        from belarus_monitor.text import escape

        _html(f"<h1>{escape(text)}</h1>")

    def masthead(self) -> None:
        """The line under the title: the data's date and version, licence, way back."""
        from belarus_monitor.site.pages import render

        _html(
            render(
                "masthead.html.j2",
                as_of=self.ds.as_of,
                version=self.ds.version,
                words=self.words,
            )
        )

    def lede(self, markdown: str) -> None:
        """The opening paragraph: two to four sentences with the key figures."""
        from belarus_monitor.site.pages import paragraph_html

        _html(f'<div class="bm-lede">{paragraph_html(markdown)}</div>')

    def key_facts(self, facts: Iterable[tuple[str, str]], title: str = "Key facts") -> None:
        """A box of key facts: (label, Markdown) pairs, generated from the data.

        Text is escaped like :meth:`say`; the box keeps together on paper.
        """
        from belarus_monitor.site.pages import paragraph_html
        from belarus_monitor.text import escape

        rows = "".join(
            f"<dt>{escape(label)}</dt><dd>{paragraph_html(text)}</dd>" for label, text in facts
        )
        if rows:
            _html(
                f'<section class="bm-keyfacts" aria-label="{escape(title)}">'
                f'<p class="bm-keyfacts-title">{escape(title)}</p><dl>{rows}</dl></section>'
            )

    def see_also(self, notebooks: Iterable[str], intro: str = "More in the overviews") -> None:
        """Links to other reports by their notebooks' titles (reports built beside this one)."""
        from belarus_monitor.pipeline.jobs import notebook_spec
        from belarus_monitor.text import escape

        links = []
        for name in notebooks:
            spec = notebook_spec(name)
            if spec is not None:
                links.append(f'<a href="{escape(name)}.html">{escape(spec.title)}</a>')
        if links:
            _html(f'<p class="bm-see-also">{escape(intro)}: {" · ".join(links)}.</p>')

    def show_parameters(self) -> None:
        """Show the parameters, in words, as a small table."""
        from belarus_monitor.site.pages import render

        _html(render("params.html.j2", rows=list(self.words.items())))

    def say(self, markdown: str) -> None:
        """Show a paragraph of Markdown (its numbers computed by the caller).

        Raw HTML in the text, from the data or anywhere else, is escaped: it shows as
        text and never runs. Links are kept for http(s) URLs only.
        """
        from belarus_monitor.site.pages import markdown_html

        _html(markdown_html(markdown))

    def show(self, fig: Any) -> None:
        """Show a chart and cite its sources.

        The build also writes it as PNG, SVG and CSV beside the report, linked under
        the chart. ``fig`` is a figure, or a chart before drawing
        (:class:`~belarus_monitor.figures.spec.ChartSpec`, e.g.
        ``charts.prisoners_spec(...)``), which a build may take from its store of
        charts already drawn.
        """
        import matplotlib.pyplot as plt
        from IPython.display import Image, display

        from belarus_monitor.figures.spec import ChartSpec
        from belarus_monitor.figures.toolkit import render
        from belarus_monitor.text import frame_csv

        self.cite(getattr(fig, "source_ids", []))
        self._figures += 1
        alt = getattr(fig, "alt", None) or "Chart"
        if isinstance(fig, ChartSpec):
            png, svg = fig.images()
        else:
            png, svg = render(fig)
            plt.close(fig)
        data = getattr(fig, "data", None)
        files = {
            "number": self._figures,
            "svg": svg,
            "csv": frame_csv(data) if isinstance(data, pd.DataFrame) else None,
        }
        display(
            Image(data=png, format="png"),
            metadata={"image/png": {"alt": alt}, FIGURE_KEY: files},
        )

    def country_link(self, code: str, text: str | None = None) -> Any:
        """A link to a country's profile (code or name, any case; profiles live beside it)."""
        from belarus_monitor.site.pages import trusted
        from belarus_monitor.text import escape

        code = self.ds.code(code)
        label = text if text is not None else self.ds.name(code)
        if len(code) != 2 or not code.isalpha():  # a group: it has no profile
            return label
        return trusted(f'<a href="country_profile_{escape(code.upper())}.html">{escape(label)}</a>')

    def profile_links(self, codes: Iterable[str], intro: str = "Profiles") -> None:
        """One line of links to the profiles of the given states (codes or names)."""
        from belarus_monitor.text import escape

        links = []
        for code in dict.fromkeys(str(c) for c in codes):
            link = self.country_link(code)
            links.append(str(link) if hasattr(link, "__html__") else escape(str(link)))
        if links:
            _html(f'<p class="bm-see-also">{escape(intro)}: {" · ".join(links)}.</p>')

    def _source(self, source_id: str) -> dict[str, Any]:
        """One row of the sources table, by id (the rows indexed once per table)."""
        if getattr(self, "_rows_of", None) is not self.sources:
            rows = self.sources.to_dict("records")
            self._rows = {str(r["source_id"]): r for r in rows}
            self._rows_of = self.sources
        return self._rows[str(source_id)]

    def source_cell(self, source_id: str) -> Any:
        """The publisher, linked to the page, with the kind of source beside it."""
        from belarus_monitor.site.pages import trusted
        from belarus_monitor.text import escape, link

        s = self._source(source_id)
        kind = self.ds.label("publisher_kind", s["publisher_kind"]) if "publisher_kind" in s else ""
        return trusted(
            link(s["url"], s["publisher"])
            + (f' <span class="bm-kind">{escape(kind)}</span>' if kind else "")
        )

    def table(
        self,
        df: pd.DataFrame,
        columns: Mapping[str, str] | None = None,
        caption: str = "",
        source_col: str | None = "source_id",
        country_col: str | None = None,
        merge: Iterable[str] = (),
    ) -> None:
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
        country_col
            Column with country codes; their names (in ``columns``' column of the same
            name, or the code's name) link to the country's profile.
        merge
            Columns whose value is shown once for consecutive rows that share it (with
            the source, when the source is shared too): a quote said once.
        """
        from belarus_monitor.site.pages import table

        cols = dict(columns) if columns else {c: c for c in df.columns}
        headings = list(cols.values())
        with_source = bool(source_col and source_col in df.columns)
        if with_source:
            headings.append("Source")
            self.cite(df[source_col])
        rows: list[list[Any]] = []
        for _, r in df.iterrows():
            cells: list[Any] = []
            for c in cols:
                v = r[c]
                text = (
                    ""
                    if v is None or (not isinstance(v, str) and pd.isna(v))
                    else (f"{v:%Y-%m-%d}" if isinstance(v, pd.Timestamp) else v)
                )
                if country_col and c == country_col:
                    text = self.country_link(str(r[country_col]))
                elif (
                    country_col
                    and c in ("country_name", "counterpart_name")
                    and country_col in df.columns
                ):
                    text = self.country_link(str(r[country_col]), str(text))
                cells.append({"text": text, "span": 1})
            if with_source:
                cells.append({"text": self.source_cell(r[source_col]), "span": 1})
            rows.append(cells)
        merge_at = [list(cols).index(c) for c in merge if c in cols]
        if with_source and merge_at:
            merge_at.append(len(cols))
        _merge_runs(rows, merge_at)
        _html(table(caption, headings, rows))

    def quotes(self, df: pd.DataFrame, quote: str = "quote", gloss: str = "quote_en") -> list:
        """The quotes of ``df`` for a table, with their English gloss (see :mod:`.tables`)."""
        from belarus_monitor.words.tables import quotes

        return quotes(df, self.ds, quote, gloss)

    def claims_table(self, claims: pd.DataFrame, caption: str = "", show_via: bool = False) -> None:
        """Show request claims: who, what, figure or status, period, claimant, quote."""
        label = self.ds.label
        text = with_claim_text(claims, self.ds)
        df = pd.DataFrame(
            {
                "counterpart": claims["counterpart"].astype(str).to_numpy(),
                "counterpart_name": claims["counterpart_name"].to_numpy(),
                "direction": [label("direction", d) for d in claims["direction"]],
                "case": [label("case_type", c) for c in claims["case_type"]],
                "measure": [label("request_measure", m) for m in claims["measure"]],
                "figure": text["figure"].to_numpy(),
                "period": text["period"].to_numpy(),
                "claimant": claims["claimant"].to_numpy(),
                "quote": self.quotes(claims),
                "source_id": claims["source_id"].to_numpy(),
            }
        )
        cols = {
            "counterpart_name": "Who",
            "direction": "Direction",
            "case": "Case",
            "measure": "Measure",
            "figure": "Figure or answer",
            "period": "Period",
            "claimant": "Claimant",
            "quote": "Quote",
        }
        if show_via and "via" in claims.columns:
            # One column says whom a claim is about: the country itself, or its group.
            df["counterpart_name"] = [
                name if pd.isna(v) else f"{name} (a group it belongs to)"
                for name, v in zip(df["counterpart_name"], claims["via"], strict=True)
            ]
            cols = {
                "counterpart_name": "About",
                **{k: v for k, v in cols.items() if k != "counterpart_name"},
            }
        # A measure said again by the figure ("refused / refused") is said once, and a
        # statement without a figure needs no measure ("answer: practically ignores").
        said_again = (df["measure"] == df["figure"]) | claims["value"].isna().to_numpy() & (
            claims["percent"].isna().to_numpy()
        )
        df.loc[said_again, "measure"] = ""
        if (df["measure"] == "").all():
            cols.pop("measure")
        same = [
            c
            for c in ("direction", "case", "measure", "period", "claimant")
            if c in cols and len(df) > 1 and df[c].nunique(dropna=False) == 1
        ]
        if same:
            common = "; ".join(f"{cols[c].lower()}: {df[c].iloc[0]}" for c in same)
            caption = (caption + ". " if caption else "") + f"All rows: {common}"
            cols = {k: v for k, v in cols.items() if k not in same}
        self.table(df, cols, caption, country_col="counterpart", merge=["quote"])
        self._contradictions(claims, df)

    def _contradictions(self, claims: pd.DataFrame, df: pd.DataFrame) -> None:
        """Say which figures of a claims table contradict each other in their source.

        A note that says not to sum them marks them; nobody should add them up.
        """
        from belarus_monitor.analysis.metrics import NOT_TO_SUM

        if "note" not in claims.columns:
            return
        flagged = (
            claims["note"]
            .astype("string")
            .fillna("")
            .str.contains(NOT_TO_SUM, case=False, regex=True)
        )
        if "via" in claims.columns and claims["via"].notna().any():
            # On a state's page, only its own figures: a group's are the overview's.
            flagged &= claims["via"].isna()
        flagged = flagged.to_numpy()
        if not flagged.any():
            return
        from belarus_monitor.words.stories import listing, md

        rows = df[flagged]
        items = listing(
            dict.fromkeys(
                md(f"{r.counterpart_name}: {r.case}, {r.measure or 'answer'} {r.figure}".strip())
                for r in rows.itertuples()
            )
        )
        self.say(
            f"**Contradictory figures.** Their source contradicts itself on {items}: "
            "they are shown as said, never added up or turned into a share."
        )

    def provenance(self) -> None:
        """Show the provenance block: how to cite, parameters, data, sources, version."""
        from belarus_monitor.site.pages import render

        label = self.ds.label
        sources = []
        for sid in self._used:
            s = self._source(sid)
            sources.append(
                {
                    "title": s["title"],
                    "title_en": None if pd.isna(s.get("title_en")) else s["title_en"],
                    "publisher": s["publisher"],
                    "url": s["url"],
                    "kind": label("publisher_kind", s["publisher_kind"])
                    if "publisher_kind" in s
                    else "",
                    "date": _published(s),
                }
            )
        params = "; ".join(f"{k}: {v}" for k, v in self.words.items())
        _html(
            render(
                "provenance.html.j2",
                notebook=f"notebooks/{self.name}.ipynb",
                parameters=params,
                version=__version__,
                data_version=self.ds.version,
                as_of=self.ds.as_of,
                citation=self.ds.citation_of_edition,
                commit=git_commit() or "not a git checkout",
                sources=sources,
            )
        )


def _published(source: Mapping[str, Any]) -> str:
    """A source's publication date at the precision it is known, or why there is none."""
    date = source.get("published")
    if date is None or pd.isna(date):
        note = source.get("published_note")
        return "no date" + (f" ({note})" if isinstance(note, str) and note.strip() else "")
    precision = source.get("published_precision")
    if precision in ("month", "year"):
        return when(date, precision)
    return f"{date:%Y-%m-%d}"


def _merge_runs(rows: list[list[dict[str, Any]]], columns: list[int]) -> None:
    """Give consecutive equal cells of ``columns`` one cell spanning the rows."""
    if not columns or len(rows) < 2:
        return
    start = 0
    for i in range(1, len(rows) + 1):
        same = i < len(rows) and all(
            str(rows[i][c]["text"]) == str(rows[start][c]["text"]) for c in columns
        )
        if not same:
            if i - start > 1:
                for c in columns:
                    rows[start][c]["span"] = i - start
                    for j in range(start + 1, i):
                        rows[j][c] = None
            start = i
