"""HTML from templates that escape everything: the page, tables, provenance, the index.

Every piece of text that reaches a page goes through a Jinja2 template with
autoescaping, or through :func:`markdown_html`, which escapes raw HTML in Markdown.
A link is written only for an http(s) URL (:func:`belarus_monitor.text.safe_url`);
any other URL is shown as text.
"""

from __future__ import annotations

import html
import re
from collections.abc import Sequence
from functools import lru_cache
from typing import Any

from belarus_monitor import __version__, config
from belarus_monitor.text import link, safe_url, trusted

TEMPLATES = config.PACKAGE_DIR / "templates"


@lru_cache(maxsize=1)
def environment() -> Any:
    """The Jinja2 environment of the project's templates (autoescaping on)."""
    import jinja2
    from markupsafe import Markup

    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(TEMPLATES)),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
    )
    env.filters["link"] = lambda url, text: Markup(link(url, text))
    return env


def render(template: str, **context: Any) -> str:
    """Render one of the project's templates; every value is escaped unless it is Markup.

    Parameters
    ----------
    template
        File name in ``templates/`` (``"table.html.j2"``).
    **context
        The template's variables.
    """
    return environment().get_template(template).render(**context)


def page(title: str, body: str, as_of: str | None = None) -> str:
    """Wrap an HTML fragment built by the library in the project's self-contained page.

    Parameters
    ----------
    title
        The page title (escaped); the PDF's footer repeats it on every page.
    body
        HTML built by the library from escaped parts.
    as_of
        The data's as-of date (``YYYY-MM-DD``); the PDF's footer then says
        "Data as of ..." on every page. None for no date.
    """
    css = (TEMPLATES / "report.css").read_text(encoding="utf-8")
    return render(
        "page.html.j2",
        title=title,
        body=trusted(body),
        css=trusted(css),
        version=__version__,
        as_of=as_of,
    )


# Print layout of tables, in em of the table's type (see report.css): the A4 text width
# (178 mm) at 9.5 pt x 0.85 (x 0.72 for a wide table of more than 6 columns).
_PRINT_WIDTH_EM = {False: 62.5, True: 73.8}
_CELL_PADDING_EM = {False: 0.9, True: 0.6}
_CHAR_EM = 0.6  # an average letter of DejaVu Sans, the page's type
_LONGEST_WORD = 16  # a longer word (a URL) breaks anywhere: it does not widen its column


def _min_width_em(columns: int) -> float:
    """The least width of a column, as report.css's ``min-width`` rules give it."""
    steps = [(16, 0.0), (14, 3.6), (12, 4.4), (11, 5.0), (10, 5.5), (9, 6.0), (8, 6.5)]
    steps += [(7, 7.0), (5, 8.0)]
    return next((em for at_least, em in steps if columns >= at_least), 9.0)


def _visible(cell: Any) -> str:
    """The text a reader sees in a table cell (tags of library markup left out)."""
    if cell is None:
        return ""
    text = cell["text"] if isinstance(cell, dict) else cell
    if hasattr(text, "__html__"):
        return html.unescape(re.sub(r"<[^>]+>", " ", str(text.__html__())))
    return "" if text is None else str(text)


def column_widths(headings: Sequence[Any], rows: Sequence[Sequence[Any]]) -> list[float]:
    """Each column's share of a printed table's width, in per cent.

    Each column is at least as wide as its longest word (a word longer than 16 letters,
    a URL, breaks anywhere) and report.css's least width; then, round after round, the
    column whose widening saves the most lines of the whole table per em of room is
    widened to that width, never beyond its longest text; room nothing can use is
    shared as the automatic layout would share it. The lengths are counted in letters, so that
    the PDF renderer lays the table out at once (``table-layout: fixed``) instead of
    measuring every word of every cell, and the table is as short as the letters allow:
    quotes get the room, dates and figures stay on a line or two.

    Parameters
    ----------
    headings
        The column headings.
    rows
        The rows' cells: text, markup, ``{"text": ..., "span": n}`` or None (a cell
        covered by the one above).

    Returns
    -------
    list of float
        One share per column, summing to 100.
    """
    import numpy as np

    n = len(headings)
    if n == 0:
        return []
    wide = n > 6
    pad, least = _CELL_PADDING_EM[wide], _min_width_em(n)
    texts = [[_visible(h) for h in headings]] + [
        [_visible(r[i]) if i < len(r) else "" for i in range(n)] for r in rows
    ]
    letters = np.array([[len(t.strip()) for t in row] for row in texts], dtype=float)
    word = [max((len(w) for row in texts for w in row[i].split()), default=0) for i in range(n)]
    lo = np.array([max(least, min(w, _LONGEST_WORD) * _CHAR_EM + pad) for w in word])
    hi = np.maximum(lo, letters[1:].max(axis=0, initial=0) * _CHAR_EM + pad)
    room = _PRINT_WIDTH_EM[wide]
    if hi.sum() <= room:
        widths = hi
    elif lo.sum() >= room:
        widths = lo
    else:
        widths = lo.copy()
        fill = 0.9  # a tenth of each line lost to its ragged end

        def lines(letters_: np.ndarray, width: np.ndarray) -> np.ndarray:
            return np.maximum(1, np.ceil(letters_ * _CHAR_EM / (fill * (width - pad)) - 1e-9))

        # Each round widens one column to the width that saves the most lines per em.
        for _ in range(64 * n):
            left = room - widths.sum()
            if left <= 1e-9:
                break
            now = lines(letters, widths)
            order = np.sort(now, axis=1)
            first = order[:, -1]
            second = order[:, -2] if n > 1 else np.ones(len(now))
            others = np.where(
                now.argmax(axis=1)[:, None] == np.arange(n), second[:, None], first[:, None]
            )
            height = first.sum()
            best = (0.0, -1, 0.0)
            for j in range(n):
                cap = min(hi[j], widths[j] + left)
                k = now[:, j]
                # The width at which each cell of the column loses a line.
                need = letters[:, j] * _CHAR_EM / (fill * np.maximum(k - 1, 1)) + pad
                cand = np.unique(need[(k > 1) & (need > widths[j] + 1e-9) & (need <= cap + 1e-9)])
                if not len(cand):
                    continue
                cand = cand[:24]
                at = lines(letters[:, j, None], cand[None, :])
                saved = height - np.maximum(others[:, j, None], at).sum(axis=0)
                rate = saved / (cand - widths[j])
                i = int(rate.argmax())
                if saved[i] > 0 and rate[i] > best[0]:
                    best = (float(rate[i]), j, float(cand[i]))
            if best[1] < 0:
                break
            widths[best[1]] = best[2]
        left = room - widths.sum()
        if left > 1e-9:  # nothing more to save: the rest as the automatic layout shares it
            slack = np.maximum(hi - widths, 0)
            widths = widths + (left * slack / slack.sum() if slack.sum() > 0 else left / n)
    total = float(widths.sum())
    return [round(100 * float(w) / total, 2) for w in widths]


def table(caption: str, headings: Sequence[Any], rows: Sequence[Sequence[Any]]) -> str:
    """A report table (``table.html.j2``) with its print column widths.

    Parameters
    ----------
    caption
        The caption (escaped; may be empty).
    headings
        The column headings.
    rows
        The cells, as :func:`column_widths` takes them.
    """
    return render(
        "table.html.j2",
        caption=caption,
        headings=headings,
        rows=rows,
        widths=column_widths(headings, rows),
    )


@lru_cache(maxsize=1)
def _markdown() -> Any:
    import mistune

    class Renderer(mistune.HTMLRenderer):
        """Mistune's renderer, with links for http(s) only and no images."""

        def link(self, text: str, url: str, title: str | None = None) -> str:
            if safe_url(url) is None:
                return text
            return super().link(text, url, title)

        def image(self, text: str, url: str, title: str | None = None) -> str:
            return text

    return mistune.create_markdown(escape=True, renderer=Renderer(escape=True))


def markdown_html(text: str) -> str:
    """Markdown to HTML with every raw HTML tag escaped (shown, never run).

    Parameters
    ----------
    text
        Markdown; may hold text from the data.

    Returns
    -------
    str
        HTML in which ``<script>`` is ``&lt;script&gt;`` and only http(s) links exist.
    """
    return _markdown()(text)


def paragraph_html(text: str) -> str:
    """Markdown as one paragraph of inline text: what a lede is.

    Line breaks become spaces and a block marker at the start (``#``, ``>``, ``-``,
    ``1.``, a rule) is escaped, so that no text, from the data or elsewhere, turns a
    lede into a heading, a list or a rule.

    Parameters
    ----------
    text
        Markdown.

    Returns
    -------
    str
        ``<p>...</p>`` with raw HTML escaped, as :func:`markdown_html`.
    """
    line = " ".join(text.split())
    line = re.sub(r"^(\d+)([.)])", r"\1\\\2", line)
    line = re.sub(r"^([#>+*\-=_`~|])", r"\\\1", line)
    return markdown_html(line)


__all__ = [
    "column_widths",
    "environment",
    "markdown_html",
    "page",
    "paragraph_html",
    "render",
    "table",
    "trusted",
]
