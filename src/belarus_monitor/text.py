"""Untrusted text made safe: short excerpts for messages, HTML escaping, link checks.

The data comes from strangers. A message quotes at most a short excerpt of it, with
control characters and markup made visible rather than acted on; a page shows it
escaped; a link is written only for an http(s) URL.
"""

from __future__ import annotations

import html
import unicodedata
from typing import Any
from urllib.parse import urlsplit

#: The longest excerpt of input that a message repeats.
EXCERPT = 40


def excerpt(value: Any, limit: int = EXCERPT) -> str:
    r"""A short, printable rendering of untrusted input for an error message.

    Control and format characters are shown as escapes (``\\x00``, ``\\u202e``), the
    text is cut to ``limit`` characters with an ellipsis, and the result is quoted.

    Parameters
    ----------
    value
        Anything; it is converted with :func:`str`.
    limit
        The most characters of it to show.

    Returns
    -------
    str
        ``'abc'``, ``'ab\\x00c'`` or ``'a long text…'``.
    """
    text = str(value)
    cut = len(text) > limit
    text = text[:limit]
    out = []
    for ch in text:
        cat = unicodedata.category(ch)
        if ch == "\\":
            out.append("\\\\")
        elif cat[0] == "C" or cat in ("Zl", "Zp"):
            code = ord(ch)
            out.append(
                f"\\x{code:02x}"
                if code < 0x100
                else f"\\u{code:04x}"
                if code < 0x10000
                else f"\\U{code:08x}"
            )
        else:
            out.append(ch)
    return "'" + "".join(out).replace("'", "\\'") + ("…" if cut else "") + "'"


def escape(value: Any) -> str:
    """HTML-escape any value for text or an attribute (``None`` and NA become "")."""
    if value is None:
        return ""
    try:
        import pandas as pd

        if not isinstance(value, str) and pd.isna(value):
            return ""
    except (TypeError, ValueError, ImportError):
        pass
    return html.escape(str(value), quote=True)


def safe_url(url: Any) -> str | None:
    """The URL if it is an absolute http(s) URL with a host, else None.

    Parameters
    ----------
    url
        A URL from the data; whatever the descriptor's pattern allowed.

    Returns
    -------
    str or None
        The URL unchanged when a link may be written for it.
    """
    if not isinstance(url, str) or not url or len(url) > 2000:
        return None
    if any(unicodedata.category(ch)[0] in "CZ" for ch in url):
        return None
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        return None
    return url


def trusted(markup: str) -> Any:
    """Markup the project wrote itself (escaped already): templates insert it as it is."""
    from markupsafe import Markup

    return Markup(markup)


def link(url: Any, text: Any) -> str:
    """An HTML link to an http(s) URL, or the escaped text alone for any other URL."""
    ok = safe_url(url)
    if ok is None:
        return escape(text)
    return f'<a href="{escape(ok)}">{escape(text)}</a>'


#: First characters that make a spreadsheet read a cell as a formula.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def is_risky(text: str) -> bool:
    """Whether a spreadsheet could read this text as a formula."""
    return text.startswith(FORMULA_START)


def neutralise(text: str) -> str:
    """Prefix an apostrophe to text a spreadsheet could read as a formula (for CSV).

    Parameters
    ----------
    text
        A cell's text.

    Returns
    -------
    str
        ``"'=SUM(1,2)"`` for ``"=SUM(1,2)"``; other text unchanged.
    """
    return "'" + text if is_risky(text) else text


def frame_csv(df: Any) -> str:
    """A DataFrame as CSV text, every text cell and heading neutralised (see :func:`neutralise`).

    Every CSV the project writes goes through here or through the same
    :func:`neutralise`, so that no cell from the data becomes a formula.
    """
    safe = df.copy()
    safe.columns = [neutralise(c) if isinstance(c, str) else c for c in safe.columns]
    for col in safe.columns:
        if safe[col].dtype == object or str(safe[col].dtype) in ("string", "category"):
            safe[col] = safe[col].map(lambda v: neutralise(v) if isinstance(v, str) else v)
    return safe.to_csv(index=False)


__all__ = [
    "EXCERPT",
    "FORMULA_START",
    "escape",
    "excerpt",
    "frame_csv",
    "is_risky",
    "link",
    "neutralise",
    "safe_url",
    "trusted",
]
