"""Everything the data holds on one country, gathered for its profile report."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from .countries import country_name
from .load import (
    load_eu_alignment,
    load_group_members,
    load_groups,
    load_requests,
    load_sanctions_regimes,
    load_unfriendly_states,
)
from .metrics import claims_for_country, fulfilment_rates, share_of_group


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

    @property
    def has_figures(self) -> bool:
        """Whether a claim gives a figure for this country by name."""
        direct = self.claims[self.claims["via"].isna()]
        return bool(direct["value"].notna().any())

    @property
    def summary(self) -> str:
        """A short paragraph of what the data holds, honest when it holds little."""
        direct = self.claims[self.claims["via"].isna()]
        parts = []
        if len(self.lists):
            parts.append(f"on {len(self.lists)} of the 'unfriendly' lists in the data")
        else:
            parts.append("on none of the 'unfriendly' lists in the data")
        parts.append(f"covered by {len(self.sanctions)} sanctions act(s) in the data")
        claims = (f"{len(direct)} claim(s) about requests name {self.name} directly and "
                  f"{len(self.claims) - len(direct)} concern it through a group")
        text = f"{self.name} is " + ", ".join(parts) + f"; {claims}."
        if len(direct) == 0:
            text += (f" The sources collected so far say nothing about {self.name} by name; "
                     "what follows is what they say about the groups it belongs to.")
        return text


def country_profile(country: str, data_dir: str | Path | None = None) -> CountryProfile:
    """Gather the profile of a country (ISO alpha-2 code, already normalised).

    Parameters
    ----------
    country
        ISO 3166-1 alpha-2 code.
    data_dir
        Data directory (default: ``data/``).
    """
    req = load_requests(data_dir)
    unfriendly = load_unfriendly_states(data_dir)
    lists = unfriendly[unfriendly["country"] == country].reset_index(drop=True)
    members = load_group_members(data_dir)
    groups = load_groups(data_dir)
    mine = members[members["country"] == country][["group_id", "source_id", "quote"]]
    mine = mine.merge(groups[["group_id", "name"]], on="group_id")
    sanctions = claims_for_country(load_sanctions_regimes(data_dir), country, data_dir,
                                   column="jurisdiction").sort_values("date")
    alignment = load_eu_alignment(data_dir)
    alignment = alignment[alignment["country"] == country].reset_index(drop=True)
    claims = claims_for_country(req, country, data_dir)
    claims = claims.sort_values(["via", "period_end"], na_position="first")
    period_ends = set(claims.loc[claims["via"].isna() & claims["value"].notna(), "period_end"])
    comparison = req[req["period_end"].isin(period_ends) & req["value"].notna()]
    rates = fulfilment_rates(req)
    via = set(claims["via"].dropna())
    group_rates = rates[rates["counterpart"].isin(via)].reset_index(drop=True)
    return CountryProfile(country, country_name(country), lists, mine.reset_index(drop=True),
                          sanctions.reset_index(drop=True), alignment,
                          claims.reset_index(drop=True), share_of_group(req, country, data_dir),
                          comparison.reset_index(drop=True), group_rates)


def countries_in_data(data_dir: str | Path | None = None) -> list[str]:
    """Every country that appears anywhere in the data, sorted by code."""
    codes: set[str] = set()
    req = load_requests(data_dir)
    codes |= {c for c in req["counterpart"] if len(c) == 2}
    codes |= set(load_group_members(data_dir)["country"])
    codes |= set(load_unfriendly_states(data_dir)["country"])
    codes |= {c for c in load_sanctions_regimes(data_dir)["jurisdiction"] if len(c) == 2}
    codes |= set(load_eu_alignment(data_dir)["country"])
    from .load import load_prisoner_releases

    codes |= set(load_prisoner_releases(data_dir)["destination"].dropna())
    return sorted(codes)
