"""Everything the data holds on one country, gathered for its profile report."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import pandas as pd

from belarus_monitor.analysis.metrics import claims_for_country, fulfilment_rates, share_of_group
from belarus_monitor.data.countries import country_name, normalise_country
from belarus_monitor.data.reads import remembered

if TYPE_CHECKING:
    from belarus_monitor.data.dataset import Dataset


@dataclass
class CountryProfile:
    """The claims that concern one country, table by table."""

    country: str
    name: str
    lists: pd.DataFrame
    groups: pd.DataFrame
    sanctions: pd.DataFrame
    alignment: pd.DataFrame
    claims: pd.DataFrame
    shares: pd.DataFrame
    comparison: pd.DataFrame
    group_rates: pd.DataFrame
    designations: pd.DataFrame
    cases: pd.DataFrame
    events: pd.DataFrame
    wanted: pd.DataFrame
    releases: pd.DataFrame

    @property
    def direct_claims(self) -> pd.DataFrame:
        """Claims about requests that name the country itself."""
        return self.claims[self.claims["via"].isna()]

    @property
    def substance(self) -> str:
        """How much the data holds on the country.

        ``"figures"`` (counts of its own), ``"statements"`` (claims or cases of its
        own), or ``"groups"`` (only through the groups it belongs to).
        """
        direct = self.direct_claims
        own = self.designations[self.designations["jurisdiction"] == self.country]
        if direct["value"].notna().any() or len(self.cases) or len(self.wanted) or len(own):
            return "figures"
        if len(direct) or len(self.alignment) or len(self.releases):
            return "statements"
        return "groups"

    @property
    def own_designations(self) -> pd.DataFrame:
        """Designation rounds and totals the state made itself (not its groups')."""
        d = self.designations
        return d[d["jurisdiction"] == self.country].reset_index(drop=True)

    @property
    def own_regimes(self) -> pd.DataFrame:
        """Sanctions regimes of the state itself (not its groups')."""
        s = self.sanctions
        return s[s["jurisdiction"] == self.country].reset_index(drop=True)

    @property
    def has_figures(self) -> bool:
        """Whether a claim gives a figure for this country by name."""
        direct = self.claims[self.claims["via"].isna()]
        return bool(direct["value"].notna().any())


@remembered(maxsize=4)
def _all_rates(ds: Dataset) -> pd.DataFrame:
    """Every fulfilment rate of the requests, once per dataset: every profile needs them."""
    return fulfilment_rates(ds.requests)


def country_profile(ds: Dataset, country: str) -> CountryProfile:
    """Gather everything ``ds`` holds on one country.

    Parameters
    ----------
    ds
        The dataset.
    country
        ISO 3166-1 code (alpha-2 or alpha-3) or English name, in any case.

    Raises
    ------
    UnknownCountryError
        If ``country`` is not a known country; the message suggests the closest.
    """
    country = normalise_country(country)
    req = ds.requests
    membership = ds.membership  # loaded once, handed to every metric
    unfriendly = ds.unfriendly_states
    # The lists it is on; a source's version of a list is not a second list.
    versions = ds.list_versions
    lists = unfriendly[
        (unfriendly["country"] == country) & ~unfriendly["list_id"].isin(list(versions))
    ].reset_index(drop=True)
    members = ds.group_members
    groups = ds.groups
    mine = members[members["country"] == country][["group_id", "source_id", "quote"]]
    mine = mine.merge(groups[["group_id", "name"]], on="group_id")
    sanctions = claims_for_country(
        ds.sanctions_regimes, country, column="jurisdiction", membership=membership
    ).sort_values("date")
    alignment = ds.eu_alignment
    alignment = alignment[alignment["country"] == country].reset_index(drop=True)
    claims = claims_for_country(req, country, membership=membership)
    claims = claims.sort_values(["via", "period_end"], na_position="first")
    period_ends = set(claims.loc[claims["via"].isna() & claims["value"].notna(), "period_end"])
    comparison = req[req["period_end"].isin(period_ends) & req["value"].notna()]
    rates = _all_rates(ds)
    via = set(claims["via"].dropna())
    group_rates = rates[rates["counterpart"].isin(via)].reset_index(drop=True)
    designations = claims_for_country(
        ds.table("sanctions_designations"),
        country,
        column="jurisdiction",
        membership=membership,
    ).sort_values("date")
    named = ds.table("named_cases")
    cases = named[
        (named["requested_state"] == country) | (named["requesting_state"] == country)
    ].reset_index(drop=True)
    events = ds.table("case_events")
    events = events[events["case_id"].isin(cases["case_id"])].reset_index(drop=True)
    wanted = ds.table("wanted_persons")
    wanted = wanted[
        (wanted["sought_by"] == country)
        | (wanted["in_state"] == country)
        | (wanted["nationality"] == country)
    ].reset_index(drop=True)
    rel = ds.prisoner_releases
    releases = rel[
        (rel["destination"] == country)
        | (rel.get("nationality", pd.Series(dtype="string")) == country)
    ]
    return CountryProfile(
        country,
        country_name(country),
        lists,
        mine.reset_index(drop=True),
        sanctions.reset_index(drop=True),
        alignment,
        claims.reset_index(drop=True),
        share_of_group(req, country, membership=membership),
        comparison.reset_index(drop=True),
        group_rates,
        designations.reset_index(drop=True),
        cases,
        events,
        wanted,
        releases.reset_index(drop=True),
    )


def countries_in_data(ds: Dataset) -> list[str]:
    """Every country that appears anywhere in the data, sorted by code."""
    two = lambda values: {c for c in values.dropna() if len(c) == 2 and c != "BY"}  # noqa: E731
    codes: set[str] = set()
    codes |= two(ds.requests["counterpart"])
    codes |= set(ds.group_members["country"])
    codes |= set(ds.unfriendly_states["country"])
    codes |= two(ds.sanctions_regimes["jurisdiction"])
    codes |= set(ds.eu_alignment["country"])
    codes |= set(ds.prisoner_releases["destination"].dropna())
    codes |= two(ds.table("sanctions_designations")["jurisdiction"])
    cases = ds.table("named_cases")
    codes |= two(cases["requested_state"]) | two(cases["requesting_state"])
    wanted = ds.table("wanted_persons")
    codes |= two(wanted["sought_by"]) | two(wanted["in_state"])
    return sorted(codes - {"BY"})


def substances(ds: Dataset) -> dict[str, str]:
    """:attr:`CountryProfile.substance` of every country in the data, in one pass.

    The same rule as the property, on whole tables at once (the index needs it for every
    country; gathering fifty profiles for it took a second).
    """
    req = ds.requests
    cp = req["counterpart"].astype(str)
    with_value = set(cp[req["value"].notna()])
    claimed = set(cp)
    cases = ds.table("named_cases")
    wanted = ds.table("wanted_persons")
    des = ds.table("sanctions_designations")
    rel = ds.prisoner_releases
    figures = (
        with_value
        | set(cases["requested_state"].dropna())
        | set(cases["requesting_state"].dropna())
        | set(wanted["sought_by"].dropna())
        | set(wanted["in_state"].dropna())
        | set(wanted["nationality"].dropna())
        | set(des["jurisdiction"].dropna())
    )
    statements = (
        claimed
        | set(ds.eu_alignment["country"].dropna())
        | set(rel["destination"].dropna())
        | set(rel.get("nationality", pd.Series(dtype="string")).dropna())
    )
    out = {}
    for c in countries_in_data(ds):
        out[c] = "figures" if c in figures else "statements" if c in statements else "groups"
    return out
