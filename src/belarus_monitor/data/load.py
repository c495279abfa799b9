"""Load the tables of ``data/`` as validated, typed pandas DataFrames.

Each loader validates the whole package first (every check of
:mod:`belarus_monitor.validation`) and raises :class:`DataValidationError` listing every
problem when the data is not clean. The result is cached per data directory and file
state, so that loading every table costs one validation.

Types follow the descriptor: dates become ``datetime64``, integers nullable ``Int64``,
numbers ``Float64``, booleans ``boolean``, fields with an ``enum`` constraint
categoricals (in the declared order), other text ``string``.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import lru_cache, wraps
from pathlib import Path

import pandas as pd

from belarus_monitor import config
from belarus_monitor.data.problems import DataValidationError, Table
from belarus_monitor.data.reads import note, recording
from belarus_monitor.data.schema import Resource, read_package
from belarus_monitor.data.validation import read_tables, validate


def _stamp(path: Path) -> tuple:
    try:
        st = os.stat(path)
    except OSError:
        return (str(path), None, None)
    return (str(path), st.st_mtime_ns, st.st_size)


#: Per data directory: the descriptor's stamp and the data files it named then.
_FILES: dict[Path, tuple[tuple, tuple[Path, ...]]] = {}


def _signature(data_dir: Path) -> tuple:
    """The data state: size and modification time of the descriptor and of each file.

    Called for every label and every load, so it costs one ``stat`` per file: the
    descriptor is parsed again only when its own stamp changes.
    """
    head = _stamp(data_dir / config.DESCRIPTOR_NAME)
    known = _FILES.get(data_dir)
    if known is None or known[0] != head:
        pkg = read_package(data_dir)
        known = (head, tuple(data_dir / r.path for r in pkg.resources))
        _FILES[data_dir] = known
    return (head, *(_stamp(p) for p in known[1]))


#: While :func:`fixed_data` is in force: ``{argument: (directory, state)}`` as first read.
_FIXED: dict[object, tuple[Path, tuple]] | None = None


def data_state(data_dir: str | Path | None = None) -> tuple[Path, tuple]:
    """The resolved data directory and its state (see :func:`_signature`).

    Inside :func:`fixed_data`, each directory is resolved and read once.
    """
    if _FIXED is not None and data_dir in _FIXED:
        return _FIXED[data_dir]
    ddir = config.data_dir(data_dir).resolve()
    state = (ddir, _signature(ddir))
    if _FIXED is not None:
        _FIXED[data_dir] = state
    return state


@contextmanager
def fixed_data() -> Iterator[None]:
    """Take the data as unchanged for the duration (one report's run in a build).

    Labels and tables are then looked up without a ``stat`` of every data file each
    time (about a thousand times a report), and every table of the run comes from the
    same state of the data. Outside it, an edit of the data is seen at the next call.
    """
    global _FIXED
    outer = _FIXED
    if outer is None:
        _FIXED = {}
    try:
        yield
    finally:
        _FIXED = outer


@lru_cache(maxsize=8)
def _tables(data_dir: Path, signature: tuple) -> dict[str, Table]:
    problems = validate(data_dir)
    if problems:
        raise DataValidationError(problems)
    _, tables, _ = read_tables(data_dir)
    return tables


def _frame(res: Resource, table: Table) -> pd.DataFrame:
    df = pd.DataFrame(table.rows, columns=res.field_names)
    for f in res.fields:
        col = df[f.name]
        if f.enum:
            df[f.name] = pd.Categorical(col, categories=f.enum)
        elif f.type == "integer":
            df[f.name] = pd.array(col, dtype="Int64")
        elif f.type == "number":
            df[f.name] = pd.array(col, dtype="Float64")
        elif f.type == "boolean":
            df[f.name] = pd.array(col, dtype="boolean")
        elif f.type == "date":
            df[f.name] = pd.to_datetime(col)
        else:
            df[f.name] = col.astype("string")
    df.attrs["resource"] = res.name
    df.attrs["title"] = res.title
    return df


def per_data_state(fn: Callable[[Path], pd.DataFrame]) -> Callable[..., pd.DataFrame]:
    """Compute a frame once per data directory and data state; callers get a copy.

    The data state is the descriptor's and the files' size and modification time, so
    an edit of the data is seen at the next call. Every call notes the tables the
    frame was made from (:mod:`belarus_monitor.data.reads`).
    """
    cache: dict[tuple, tuple[pd.DataFrame, frozenset[str]]] = {}

    @wraps(fn)
    def wrapper(data_dir: str | Path | None = None) -> pd.DataFrame:
        key = data_state(data_dir)
        ddir = key[0]
        if key not in cache:
            if len(cache) >= 8:
                cache.clear()
            with recording() as seen:
                frame = fn(ddir)
            cache[key] = (frame, frozenset(seen))
        frame, seen = cache[key]
        note(*seen)
        return frame.copy()

    return wrapper


def load_table(name: str, data_dir: str | Path | None = None) -> pd.DataFrame:
    """Load one table of the package by its resource name, validated and typed.

    Parameters
    ----------
    name
        Resource name in ``datapackage.json`` (e.g. ``"requests"``).
    data_dir
        Directory with the package (default: the project's ``data/``).

    Returns
    -------
    pandas.DataFrame
        One row per claim, typed as the descriptor says.

    Raises
    ------
    DataValidationError
        If any table of the package has a problem.
    """
    return _typed(*data_state(data_dir), name).copy()


def _typed(ddir: Path, signature: tuple, name: str) -> pd.DataFrame:
    """A table, validated and typed once per data state (callers get a copy).

    The one way to a table's rows: it notes the table as read (:func:`reads.note`).
    """
    note(name)
    return _typed_once(ddir, signature, name)


@lru_cache(maxsize=64)
def _typed_once(ddir: Path, signature: tuple, name: str) -> pd.DataFrame:
    res = read_package(ddir).resource(name)
    return _frame(res, _tables(ddir, signature)[name])


def load_sources(data_dir: str | Path | None = None) -> pd.DataFrame:
    """Load ``sources.csv``: one row per source document (id, title, publisher, URL...)."""
    return load_table("sources", data_dir)


def load_groups(data_dir: str | Path | None = None) -> pd.DataFrame:
    """Load ``groups.csv``: the group, list and organisation codes a claim can name."""
    return load_table("groups", data_dir)


def load_group_members(data_dir: str | Path | None = None) -> pd.DataFrame:
    """Load ``group_members.csv``: which country belongs to which group."""
    return load_table("group_members", data_dir)


def load_cases(data_dir: str | Path | None = None) -> pd.DataFrame:
    """Load ``cases.csv``: the criminal cases the requests name."""
    return load_table("cases", data_dir)


def _with_names(df: pd.DataFrame, column: str, data_dir: str | Path | None) -> pd.DataFrame:
    """``df`` with ``<column>_name``: the country's or group's name for each code."""
    from belarus_monitor.data.countries import counterpart_name

    groups = load_groups(data_dir)
    df[f"{column}_name"] = df[column].map(lambda c: counterpart_name(c, groups)).astype("string")
    return df


@per_data_state
def load_requests(data_dir: str | Path | None = None) -> pd.DataFrame:
    """Load ``requests.csv``: claims about requests for legal assistance and extradition.

    Returns
    -------
    pandas.DataFrame
        Columns of the descriptor (``direction``, ``counterpart``, ``case_type``,
        ``measure``, ``value``, ``qualifier``, ``period_start``, ``period_end``,
        ``claimant``, ``source_id``, ``quote``...) plus ``counterpart_name``.
    """
    return _with_names(load_table("requests", data_dir), "counterpart", data_dir)


@per_data_state
def load_unfriendly_states(data_dir: str | Path | None = None) -> pd.DataFrame:
    """Load the 'unfriendly' lists, one row per country and list.

    A member recorded as a group (``EU27``) is expanded into its countries; the column
    ``via_group`` keeps the group it came through.

    Returns
    -------
    pandas.DataFrame
        Columns ``list_id``, ``list_name``, ``country``, ``country_name``,
        ``via_group``, ``source_id``, ``quote``.
    """
    from belarus_monitor.data.countries import country_name

    raw = load_table("unfriendly_states", data_dir)
    members = load_group_members(data_dir)
    groups = load_groups(data_dir).set_index("group_id")
    rows = []
    for r in raw.itertuples(index=False):
        if len(r.member) == 2:
            rows.append((r.list_id, r.member, pd.NA, r.source_id, r.quote))
        else:
            for c in members.loc[members["group_id"] == r.member, "country"]:
                rows.append((r.list_id, c, r.member, r.source_id, r.quote))
    df = pd.DataFrame(rows, columns=["list_id", "country", "via_group", "source_id", "quote"])
    df.insert(1, "list_name", df["list_id"].map(groups["name"]))
    df.insert(3, "country_name", df["country"].map(country_name))
    lists = list(dict.fromkeys(raw["list_id"]))
    df["list_id"] = pd.Categorical(df["list_id"], categories=lists)
    for c in ("list_name", "country", "country_name", "via_group", "source_id", "quote"):
        df[c] = df[c].astype("string")
    return df.sort_values(["list_id", "country"], ignore_index=True)


@per_data_state
def load_sanctions_regimes(data_dir: str | Path | None = None) -> pd.DataFrame:
    """Load ``sanctions_regimes.csv``: sanctions acts against Belarus per jurisdiction."""
    return _with_names(load_table("sanctions_regimes", data_dir), "jurisdiction", data_dir)


@per_data_state
def load_eu_alignment(data_dir: str | Path | None = None) -> pd.DataFrame:
    """Load ``eu_alignment.csv``: non-EU states aligning with EU decisions on Belarus."""
    from belarus_monitor.data.countries import country_name

    df = load_table("eu_alignment", data_dir)
    df["country_name"] = df["country"].map(country_name).astype("string")
    return df


@per_data_state
def load_political_prisoners(data_dir: str | Path | None = None) -> pd.DataFrame:
    """Load ``political_prisoners.csv``: estimates of political prisoners over time.

    Returns
    -------
    pandas.DataFrame
        Columns ``date``, ``date_precision``, ``measure``, ``count``, ``qualifier``,
        ``estimator``, ``estimator_note``, ``source_id``, ``quote``..., sorted by date.
    """
    df = load_table("political_prisoners", data_dir)
    return df.sort_values(["date", "observation_id"], ignore_index=True)


def load_prisoner_releases(data_dir: str | Path | None = None) -> pd.DataFrame:
    """Load ``prisoner_releases.csv``: announced releases and pardons."""
    return load_table("prisoner_releases", data_dir)


__all__ = [
    "DataValidationError",
    "load_table",
    "load_sources",
    "load_groups",
    "load_group_members",
    "load_cases",
    "load_requests",
    "load_unfriendly_states",
    "load_sanctions_regimes",
    "load_eu_alignment",
    "load_political_prisoners",
    "load_prisoner_releases",
]
