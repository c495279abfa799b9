"""Country codes and names, from pycountry (ISO 3166-1), and group codes from the data.

``normalise_country("de")``, ``normalise_country("DEU")`` and
``normalise_country("Germany")`` all give ``"DE"``. An unknown country raises
:class:`UnknownCountryError`, which names the value and suggests the closest valid ones.
"""

from __future__ import annotations

import difflib
from functools import lru_cache
from typing import TYPE_CHECKING

import pycountry

from belarus_monitor.errors import BelarusMonitorError
from belarus_monitor.text import excerpt

if TYPE_CHECKING:
    import pandas as pd


class UnknownCountryError(BelarusMonitorError, ValueError):
    """A country given as code or name that ISO 3166-1 does not know."""

    def __init__(self, value: str, suggestions: list[str], what: str = "country"):
        self.value = value
        self.suggestions = suggestions
        hint = f"; did you mean {', '.join(suggestions)}?" if suggestions else ""
        super().__init__(
            f"unknown {what} {excerpt(value)}: expected an ISO 3166-1 alpha-2 or alpha-3 code "
            f"or an English country name{hint}"
        )


#: Everyday English names where ISO's short name reads as formal.
_EVERYDAY = {
    "RU": "Russia",
    "MD": "Moldova",
    "KR": "South Korea",
    "KP": "North Korea",
    "SY": "Syria",
    "IR": "Iran",
    "VN": "Vietnam",
    "LA": "Laos",
    "VE": "Venezuela",
    "BO": "Bolivia",
    "TZ": "Tanzania",
    "CZ": "Czechia",
    "VA": "Vatican City",
}


def _display_name(c) -> str:
    return _EVERYDAY.get(c.alpha_2) or getattr(c, "common_name", None) or c.name


@lru_cache(maxsize=1)
def _index() -> dict[str, str]:
    """Map every lower-cased code and name to its alpha-2 code."""
    idx: dict[str, str] = {}
    for c in pycountry.countries:
        for key in (
            c.alpha_2,
            c.alpha_3,
            c.name,
            getattr(c, "official_name", None),
            getattr(c, "common_name", None),
        ):
            if key:
                idx.setdefault(key.lower(), c.alpha_2)
    # Short English names in everyday use that ISO spells otherwise.
    for alias, code in (
        ("russia", "RU"),
        ("uk", "GB"),
        ("great britain", "GB"),
        ("usa", "US"),
        ("united states of america", "US"),
        ("czechia", "CZ"),
        ("moldova", "MD"),
        ("turkey", "TR"),
    ):
        idx.setdefault(alias, code)
    return idx


def country_name(code: str) -> str:
    """Return the English short name of a country.

    Parameters
    ----------
    code
        An ISO 3166-1 code or English name in any case: ``"DE"``, ``"de"``, ``"DEU"``,
        ``"Germany"``.

    Returns
    -------
    str
        ``"Germany"``.

    Raises
    ------
    UnknownCountryError
        If ISO 3166-1 knows no such country (never the input given back as a name).
    """
    c = pycountry.countries.get(alpha_2=str(code).upper()) if len(str(code)) == 2 else None
    if c is None:
        c = pycountry.countries.get(alpha_2=normalise_country(str(code)))
    return _display_name(c)


def country_or_group(value: str, groups: pd.DataFrame | None = None) -> str:
    """A country (code or name, any case) as its alpha-2 code, or a group's own id.

    Parameters
    ----------
    value
        ``"lt"``, ``"Lithuania"``, ``"BALTIC"`` or ``"baltic"``.
    groups
        The groups table, whose ``group_id`` values are accepted as they are (in any case).

    Raises
    ------
    UnknownCountryError
        If ``value`` is neither; the message suggests close countries and groups.
    """
    text = str(value).strip()
    if groups is not None:
        ids = {str(g).lower(): str(g) for g in groups["group_id"]}
        if text.lower() in ids:
            return ids[text.lower()]
    try:
        return normalise_country(text)
    except UnknownCountryError:
        extra = list(groups["group_id"].astype(str)) if groups is not None else None
        raise UnknownCountryError(
            text, suggest_countries(text, extra=extra), "country or group"
        ) from None


def suggest_countries(value: str, n: int = 3, extra: list[str] | None = None) -> list[str]:
    """Return up to ``n`` valid inputs closest to ``value``, as ``"DE (Germany)"``.

    Parameters
    ----------
    value
        What the user typed.
    n
        How many suggestions at most.
    extra
        Further valid codes (e.g. group codes) to consider.
    """
    idx = _index()
    keys = list(idx) + [e.lower() for e in (extra or [])]
    out: list[str] = []
    for k in difflib.get_close_matches(value.lower(), keys, n=n * 3, cutoff=0.5):
        code = idx.get(k, k.upper())
        label = f"{code} ({country_name(code)})" if code in idx.values() else code
        if label not in out:
            out.append(label)
    return out[:n]


def normalise_country(value: str) -> str:
    """Normalise a country given as code or English name to its alpha-2 code.

    Parameters
    ----------
    value
        ``"de"``, ``"DEU"``, ``"Germany"``, ``"germany"``...

    Returns
    -------
    str
        The ISO 3166-1 alpha-2 code, upper case (``"DE"``).

    Raises
    ------
    UnknownCountryError
        If the value is not a known code or name; the message suggests the closest.
    """
    key = str(value).strip().lower()
    code = _index().get(key)
    if code is None:
        raise UnknownCountryError(str(value), suggest_countries(str(value)))
    return code


def counterpart_name(code: str, groups: pd.DataFrame | None = None) -> str:
    """Readable name of a country code or a group code.

    Parameters
    ----------
    code
        A country (ISO code or English name, any case) or a ``group_id``.
    groups
        The groups table (``ds.groups``) for group names; without it, a group is an
        :class:`UnknownCountryError`.
    """
    code = country_or_group(code, groups)
    if groups is not None:
        match = groups.loc[groups["group_id"] == code, "name"]
        if len(match):
            return str(match.iloc[0])
    return country_name(code)


#: Countries whose English name takes "the" in running text.
_WITH_THE = {
    "US",
    "GB",
    "NL",
    "AE",
    "PH",
    "CZ",
    "BS",
    "GM",
    "VA",
    "CF",
    "CD",
    "DO",
    "MV",
    "MH",
    "SB",
    "KM",
    "SC",
}


def in_text(code: str, groups: pd.DataFrame | None = None) -> str:
    """How running text names a country or a group.

    ``"the United States"``, ``"the Baltic states"``, ``"Germany"``.

    Parameters
    ----------
    code
        A country (ISO code or English name, any case) or a ``group_id``.
    groups
        The groups table, for the groups' ``text_name``.
    """
    code = country_or_group(code, groups)
    if len(code) == 2 and (groups is None or code not in set(groups["group_id"])):
        return ("the " if code in _WITH_THE else "") + country_name(code)
    if groups is not None and "text_name" in groups:
        match = groups.loc[groups["group_id"] == code, "text_name"]
        if len(match):
            return str(match.iloc[0])
    return counterpart_name(code, groups)


def country_choices(codes: list[str] | pd.Series) -> list[tuple[str, str]]:
    """Return ``(label, code)`` pairs sorted by name, for a dropdown.

    The label is ``"Germany (DE)"`` so that typing the code finds it too.
    """
    uniq = sorted(set(codes), key=country_name)
    return [(f"{country_name(c)} ({c})", c) for c in uniq]
