"""One validated state of a data package, as one value: ``bm.open(data_dir)``.

A :class:`Dataset` holds everything the reports read from a data directory: the
descriptor, every table typed as the descriptor says, the vocabulary (the reader's
words for codes), the groups and who is in them. Every analysis, chart, sentence and
table function takes the Dataset (or frames from it), so a report built from another
data directory takes every word, answer and figure from that directory; no function
below this one reads a file.

>>> import belarus_monitor as bm
>>> ds = bm.open()                       # the project's data/, validated once
>>> ds.label("status", "ignores")        # the vocabulary of this data
>>> ds.name("UNFRIENDLY_2022")           # a group's name from this data's groups
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from belarus_monitor.data.reads import AS_OF, CHANGELOG, WHOLE, remembered_property, stands_for
from belarus_monitor.data.schema import Package


@dataclass(frozen=True, eq=False)
class Dataset:
    """A validated data package: its descriptor, its typed tables and its words.

    Make one with :func:`open`. Tables are shared between the calls that read them:
    :meth:`table` gives a copy to change, the properties the shared frame to read.

    Attributes
    ----------
    directory
        The data directory (resolved).
    package
        The parsed descriptor.
    state
        Size and modification time of the descriptor and of each file when read.
    """

    directory: Path
    package: Package
    state: tuple = field(repr=False)

    # -- tables -------------------------------------------------------------------------
    def table(self, name: str) -> pd.DataFrame:
        """A copy of one table, typed as the descriptor says (see :func:`load_table`)."""
        return self._frame(name).copy()

    def _frame(self, name: str) -> pd.DataFrame:
        from belarus_monitor.data.load import _typed

        return _typed(self.directory, self.state, name)

    def _derived(self, loader: Any) -> pd.DataFrame:
        return loader(self.directory)

    @property
    def names(self) -> list[str]:
        """The tables of the package, in the descriptor's order."""
        return [r.name for r in self.package.resources]

    def __iter__(self) -> Iterator[str]:
        return iter(self.names)

    @property
    def sources(self) -> pd.DataFrame:
        """The sources table."""
        return self._frame("sources")

    @property
    def groups(self) -> pd.DataFrame:
        """The groups table (EU27, BALTIC, the 'unfriendly' lists...)."""
        return self._frame("groups")

    @property
    def group_members(self) -> pd.DataFrame:
        """Who is in each membership group."""
        return self._frame("group_members")

    @property
    def requests(self) -> pd.DataFrame:
        """Requests for legal assistance and their answers (:func:`load_requests`)."""
        from belarus_monitor.data.load import load_requests

        return load_requests(self.directory)

    @property
    def unfriendly_states(self) -> pd.DataFrame:
        """The 'unfriendly' lists (:func:`load_unfriendly_states`)."""
        from belarus_monitor.data.load import load_unfriendly_states

        return load_unfriendly_states(self.directory)

    @property
    def list_versions(self) -> dict[str, str]:
        """``{list_id: list it is a version of}``: lists as one source gives them.

        Such a list is that source's version of the one list (``groups.version_of``),
        shown with its differences, never as a second list.
        """
        g = self.groups
        if "version_of" not in g.columns:
            return {}
        g = g[g["version_of"].notna()]
        return dict(zip(g["group_id"].astype(str), g["version_of"].astype(str), strict=True))

    @property
    def sanctions_regimes(self) -> pd.DataFrame:
        """Sanctions regimes (:func:`load_sanctions_regimes`)."""
        from belarus_monitor.data.load import load_sanctions_regimes

        return load_sanctions_regimes(self.directory)

    @property
    def eu_alignment(self) -> pd.DataFrame:
        """States aligned with the EU's decisions (:func:`load_eu_alignment`)."""
        from belarus_monitor.data.load import load_eu_alignment

        return load_eu_alignment(self.directory)

    @property
    def political_prisoners(self) -> pd.DataFrame:
        """Estimates of political prisoners (:func:`load_political_prisoners`)."""
        from belarus_monitor.data.load import load_political_prisoners

        return load_political_prisoners(self.directory)

    @property
    def prisoner_releases(self) -> pd.DataFrame:
        """Releases and pardons."""
        return self._frame("prisoner_releases")

    @property
    def membership(self) -> pd.DataFrame:
        """Every (group_id, country) pair, membership groups and lists together."""
        from belarus_monitor.data.groups import group_membership

        return group_membership(self.directory)

    # -- words --------------------------------------------------------------------------
    @remembered_property
    def vocabulary(self) -> Mapping[tuple[str, str], tuple[str, str, str]]:
        """``{(domain, code): (label, plural, definition)}`` from ``vocabulary.csv``."""
        df = self._frame("vocabulary")
        return {
            (str(r.domain), str(r.code)): (str(r.label), str(r.plural), str(r.definition))
            for r in df.itertuples(index=False)
        }

    def label(self, domain: str, code: object, plural: bool = False) -> str:
        """The reader's word for a code of this data's vocabulary.

        Parameters
        ----------
        domain
            The closed list (``"qualifier"``, ``"status"``...).
        code
            The code as it stands in the data; a missing code gives ``""``.
        plural
            Give the plural form.

        Raises
        ------
        KeyError
            If this data's vocabulary has no label for the code (validation prevents
            it for every code the descriptor declares).
        """
        if code is None or str(code) in ("", "<NA>", "nan"):
            return ""
        entry = self.vocabulary.get((domain, str(code)))
        if entry is None:
            raise KeyError(f"vocabulary.csv has no label for {domain}/{code}")
        return entry[1] if plural else entry[0]

    def definition(self, domain: str, code: object) -> str:
        """The one-line definition of a code (see :meth:`label`)."""
        entry = self.vocabulary.get((domain, str(code)))
        if entry is None:
            raise KeyError(f"vocabulary.csv has no label for {domain}/{code}")
        return entry[2]

    def in_words(self, df: pd.DataFrame, resource: str) -> pd.DataFrame:
        """A copy of ``df`` with every code of a closed list as its label (and names)."""
        out = df.copy()
        for f in self.package.resource(resource).fields:
            if f.vocabulary and f.name in out.columns:
                out[f.name] = [self.label(f.vocabulary, v) for v in out[f.name]]
        return out

    def code(self, value: object) -> str:
        """A country (code or name, any case) as its alpha-2 code, or a group of this data.

        Raises
        ------
        UnknownCountryError
            If ``value`` is neither a country nor a group of this data.
        """
        from belarus_monitor.data.countries import country_or_group

        return country_or_group(str(value), self.groups)

    def name(self, code: object) -> str:
        """The name of a country code (``"Germany"``) or a group of this data."""
        from belarus_monitor.data.countries import counterpart_name

        return counterpart_name(str(code), self.groups)

    def in_text(self, code: object) -> str:
        """How running text names a country or group: ``"the Baltic states"``."""
        from belarus_monitor.data.countries import in_text

        return in_text(str(code), self.groups)

    def expand_group(self, code: str) -> list[str]:
        """The countries a country or group code stands for (see :func:`expand_group`)."""
        from belarus_monitor.data.groups import expand_group

        return expand_group(self.code(code), self.directory)

    # -- styles ---------------------------------------------------------------------------
    @remembered_property
    def estimators(self) -> list[str]:
        """The estimators of political prisoners, the one with most estimates first."""
        return _by_use(self.political_prisoners["estimator"])

    @remembered_property
    def jurisdictions(self) -> list[str]:
        """The jurisdictions of the designations, the one with most rows first."""
        return _by_use(self._frame("sanctions_designations")["jurisdiction"])

    # -- about the data -------------------------------------------------------------------
    @stands_for(WHOLE)
    def checksum(self) -> str:
        """SHA-256 over the package's files (see :func:`provenance.dataset_checksum`)."""
        from belarus_monitor.data.provenance import dataset_checksum

        return dataset_checksum(self.directory)

    @stands_for(CHANGELOG)
    def changelog(self) -> str:
        """The package's ``CHANGELOG.md`` (Markdown), or ``""`` when it has none.

        Read like every data file: a regular file inside the data directory, of a
        bounded size, as UTF-8.
        """
        from belarus_monitor.data.schema import regular_file

        path = self.directory / "CHANGELOG.md"
        if not path.exists() or regular_file(path, self.directory):
            return ""
        if path.stat().st_size > 2_000_000:
            return ""
        return path.read_text(encoding="utf-8", errors="replace")

    @property
    def version(self) -> str:
        """The dataset's version from its descriptor."""
        return self.package.version or "unversioned"

    @stands_for(AS_OF)
    def as_of(self) -> str:
        """The latest dated fact (YYYY-MM-DD)."""
        from belarus_monitor.data.provenance import data_as_of

        return data_as_of(self.directory)

    @stands_for(WHOLE)
    def citation(self) -> str:
        """How to cite this dataset."""
        from belarus_monitor.data.provenance import citation

        return citation(self.directory)

    @stands_for(AS_OF)
    def citation_of_edition(self) -> str:
        """How to cite this dataset by its version and date, without its checksum.

        What a report's page shows: the page depends on the tables it read, not on
        the whole package, so naming the package's checksum would change every page
        at any edit (the build manifest beside the page records the checksums).
        """
        from belarus_monitor.data.provenance import citation

        return citation(self.directory, checksum=False)


def _by_use(values: pd.Series) -> list[str]:
    """Distinct values, the most frequent first, then by name."""
    counts = values.dropna().astype(str).value_counts()
    return sorted(counts.index, key=lambda v: (-counts[v], v))


def open(data_dir: str | Path | None = None) -> Dataset:  # noqa: A001 - bm.open, as io.open
    """Validate and load a data package once: the value every report function takes.

    Parameters
    ----------
    data_dir
        Directory with ``datapackage.json`` and the CSV files (default: the project's
        ``data/``, or ``$BELARUS_MONITOR_DATA``).

    Returns
    -------
    Dataset
        The same value for the same state of the same directory; an edit of the data
        gives a new one at the next call.

    Raises
    ------
    DataValidationError
        If the data has a problem (the first of each file are listed).
    FileNotFoundError
        If the directory or its descriptor does not exist.
    """
    from belarus_monitor.data.load import _tables, data_state
    from belarus_monitor.data.schema import read_package

    ddir, state = data_state(data_dir)
    return _open(ddir, state, read_package(ddir), _tables(ddir, state))


_OPEN: dict[tuple[Path, tuple], Dataset] = {}


def _open(ddir: Path, state: tuple, package: Package, _validated: Any) -> Dataset:
    key = (ddir, state)
    ds = _OPEN.get(key)
    if ds is None:
        if len(_OPEN) >= 8:
            _OPEN.clear()
        ds = _OPEN[key] = Dataset(ddir, package, state)
    return ds


__all__ = ["Dataset", "open"]
