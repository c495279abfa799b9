"""The reader's word for every code: labels, plurals and definitions.

``data/vocabulary.csv`` gives each code of a closed list (an enum of the descriptor)
a label, a plural and a one-line definition; a field names its list under
``x-vocabulary``. Reports, charts, exports and the explorer take their words from
here, so that no code reaches a page.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pandas as pd


def label(
    domain: str, code: object, plural: bool = False, data_dir: str | Path | None = None
) -> str:
    """The reader's word for a code (a convenience for ``bm.open(data_dir).label``).

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
    from belarus_monitor.data.dataset import open as open_dataset

    return open_dataset(data_dir).label(domain, code, plural=plural)


def definition(domain: str, code: object, data_dir: str | Path | None = None) -> str:
    """The one-line definition of a code (see :func:`label`)."""
    from belarus_monitor.data.dataset import open as open_dataset

    return open_dataset(data_dir).definition(domain, code)


def in_words(df: pd.DataFrame, resource: str, data_dir: str | Path | None = None) -> pd.DataFrame:
    """A copy of a table in which every code of a closed list is its reader's label.

    A convenience for ``bm.open(data_dir).in_words(df, resource)``.

    Parameters
    ----------
    df
        Rows of one table of the package (extra columns are kept as they are).
    resource
        The table's resource name, whose fields say which vocabulary each column uses.
    data_dir
        Directory with the package (default: the project's ``data/``).
    """
    from belarus_monitor.data.dataset import open as open_dataset

    return open_dataset(data_dir).in_words(df, resource)


__all__ = ["definition", "in_words", "label"]
