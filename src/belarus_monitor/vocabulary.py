"""The reader's word for every code: labels, plurals and definitions.

``data/vocabulary.csv`` gives each code of a closed list (an enum of the descriptor)
a label, a plural and a one-line definition; a field names its list under
``x-vocabulary``. Reports, charts, exports and the explorer take their words from
here, so that no code reaches a page.
"""

from __future__ import annotations

from pathlib import Path

from . import config


def _table(data_dir: str | Path | None) -> dict[tuple[str, str], tuple[str, str, str]]:
    from .load import load_table

    df = load_table("vocabulary", data_dir)
    return {(str(r.domain), str(r.code)): (str(r.label), str(r.plural), str(r.definition))
            for r in df.itertuples(index=False)}


def label(domain: str, code: object, plural: bool = False,
          data_dir: str | Path | None = None) -> str:
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
    entry = _table(config.data_dir(data_dir)).get((domain, str(code)))
    if entry is None:
        raise KeyError(f"vocabulary.csv has no label for {domain}/{code}")
    return entry[1] if plural else entry[0]


def definition(domain: str, code: object, data_dir: str | Path | None = None) -> str:
    """The one-line definition of a code (see :func:`label`)."""
    entry = _table(config.data_dir(data_dir)).get((domain, str(code)))
    if entry is None:
        raise KeyError(f"vocabulary.csv has no label for {domain}/{code}")
    return entry[2]


__all__ = ["definition", "label"]
