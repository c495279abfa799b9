"""The reader's word for every code: labels, plurals and definitions.

``data/vocabulary.csv`` gives each code of a closed list (an enum of the descriptor)
a label, a plural and a one-line definition; a field names its list under
``x-vocabulary``. Reports, charts, exports and the explorer take their words from
here, so that no code reaches a page.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pandas as pd


def _table(data_dir: str | Path | None) -> dict[tuple[str, str], tuple[str, str, str]]:
    from .load import data_state

    return _cached(*data_state(data_dir))


@lru_cache(maxsize=4)
def _cached(data_dir: Path, signature: tuple) -> dict[tuple[str, str], tuple[str, str, str]]:
    from .load import load_table

    df = load_table("vocabulary", data_dir)
    return {
        (str(r.domain), str(r.code)): (str(r.label), str(r.plural), str(r.definition))
        for r in df.itertuples(index=False)
    }


def label(
    domain: str, code: object, plural: bool = False, data_dir: str | Path | None = None
) -> str:
    """The reader's word for a code.

    Parameters
    ----------
    domain
        The closed list (``"qualifier"``, ``"request_measure"``, ``"status"``...).
    code
        The code as it stands in the data.
    plural
        Give the plural form.
    data_dir
        Directory with the package (default: the project's ``data/``).

    Returns
    -------
    str
        The label; an empty string for a missing code.

    Raises
    ------
    KeyError
        If the vocabulary has no label for the code (validation prevents this for
        every code the descriptor declares).
    """
    if code is None or str(code) in ("", "<NA>", "nan"):
        return ""
    entry = _table(data_dir).get((domain, str(code)))
    if entry is None:
        raise KeyError(f"vocabulary.csv has no label for {domain}/{code}")
    return entry[1] if plural else entry[0]


def definition(domain: str, code: object, data_dir: str | Path | None = None) -> str:
    """The one-line definition of a code (see :func:`label`)."""
    entry = _table(data_dir).get((domain, str(code)))
    if entry is None:
        raise KeyError(f"vocabulary.csv has no label for {domain}/{code}")
    return entry[2]


def in_words(df: pd.DataFrame, resource: str, data_dir: str | Path | None = None) -> pd.DataFrame:
    """A copy of a table in which every code of a closed list is its reader's label.

    Parameters
    ----------
    df
        Rows of one table of the package (extra columns are kept as they are).
    resource
        The table's resource name, whose fields say which vocabulary each column uses.
    data_dir
        Directory with the package (default: the project's ``data/``).
    """
    from .schema import read_package

    out = df.copy()
    res = read_package(data_dir).resource(resource)
    for f in res.fields:
        if f.vocabulary and f.name in out.columns:
            out[f.name] = [label(f.vocabulary, v, data_dir=data_dir) for v in out[f.name]]
    return out


__all__ = ["definition", "in_words", "label"]
