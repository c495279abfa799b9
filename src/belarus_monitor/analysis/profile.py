"""Everything the data holds on one country, gathered for its profile report."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING

import pandas as pd

from belarus_monitor.analysis.metrics import claims_for_country, fulfilment_rates, share_of_group
from belarus_monitor.data.countries import country_name, normalise_country

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
    def has_figures(self) -> bool:
        """Whether a claim gives a figure for this country by name."""
        direct = self.claims[self.claims["via"].isna()]
        return bool(direct["value"].notna().any())

    def lede(self, ds: Dataset) -> str:
        """Two to four sentences that say first what matters about the country."""
        from belarus_monitor.words.stories import cite, figure, listing, md, plural, span, when

        label = ds.label
        name = ds.in_text(self.country)
        cap = name[0].upper() + name[1:]
        parts = []
        direct = self.direct_claims
        counts = direct[direct["value"].notna()]
        groups_of_claims: dict[tuple, list] = {}
        for r in counts.sort_values(["period_end", "case_type"]).itertuples():
            key = (r.claimant, r.source_id, r.period_start, r.period_end)
            groups_of_claims.setdefault(key, []).append(r)
        for rows in list(groups_of_claims.values())[:2]:
            whats = []
            for i, r in enumerate(rows[:3]):
                kind = "" if r.case_type == "all" else md(label("case_type", r.case_type)) + " "
                what = _what(r.measure, r.direction, name, figure(r.value, r.qualifier, ds), kind)
                whats.append(what.removeprefix(name + " ") if i else what)
            r = rows[0]
            parts.append(
                f"According to {md(r.claimant)}, {listing(whats)} "
                f"{span(r.period_start, r.period_end, r.period_end_precision)} "
                f"{cite(r._asdict(), ds)}."
            )
        statuses = direct[direct["status"].notna()]
        if len(statuses):
            r = statuses.iloc[0]
            parts.append(
                f"{cap}, according to {md(r['claimant'])}: "
                f"{md(label('status', r['status']))} "
                f"({span(r['period_start'], r['period_end'], r['period_end_precision'])})".replace(
                    " ()", ""
                )
                + "."
            )
        if len(self.cases):
            on_soil = self.cases[self.cases["requested_state"] == self.country]
            if len(on_soil):
                names = [md(n) for n in on_soil["name"].dropna()]
                outcomes = sorted({md(label("case_outcome", o)) for o in on_soil["outcome"]})
                parts.append(
                    f"The data follows {plural(len(on_soil), 'person', 'people')} sought in "
                    f"{name} by Belarus or another state"
                    + (f", among them {listing(names[:3])}" if names else "")
                    + ("; outcome: " if len(outcomes) == 1 else "; outcomes: ")
                    + listing(outcomes)
                    + "."
                )
        if len(self.designations):
            own = self.designations[self.designations["jurisdiction"] == self.country]
            rounds = own[own["row_kind"] == "round"]
            if len(own):
                parts.append(
                    f"{cap} made {plural(rounds['round_id'].nunique(), 'round')} "
                    "of sanctions designations in the data, the latest on "
                    f"{when(own['date'].max())}."
                )
        if len(self.alignment):
            n = self.alignment["decision"].nunique()
            parts.append(
                f"{cap} aligned itself with {plural(n, 'EU decision')} on "
                f"Belarus, the latest on {when(self.alignment['date'].max())}."
            )
        if len(self.lists):
            lists = sorted(set(self.lists["list_name"]))
            parts.append(f"{cap} is on {plural(len(lists), 'list')} of 'unfriendly' states.")
        if not parts:
            via = sorted({ds.in_text(v) for v in self.claims["via"].dropna()})
            parts.append(
                f"The sources collected so far say nothing about {name} by name"
                + (
                    f"; what follows is what they say of {listing(via)}, which {name} belongs to."
                    if via
                    else "."
                )
            )
        return " ".join(parts[:4])


def _what(measure: str, direction: str, name: str, n: str, kind: str) -> str:
    """``"Germany fulfilled 6 of Belarus' requests"`` and the like, for a lede."""
    if direction == "incoming":
        return {
            "received": f"{name} sent Belarus {n} {kind}requests",
            "granted": f"Belarus granted {n} of {name}'s {kind}requests",
            "pending": f"{n} of {name}'s {kind}requests were pending with Belarus",
        }.get(measure, f"{name}: {n} {kind}requests ({measure})")
    verb = {
        "fulfilled": "fulfilled",
        "sent": "received",
        "rejected": "rejected",
        "refused": "refused",
        "extradited": "extradited to Belarus",
    }.get(measure)
    if measure == "extradited":
        return f"{name} extradited {n} people to Belarus"
    if verb is None:
        return f"{name}: {n} of Belarus' {kind}requests"
    return f"{name} {verb} {n} of Belarus' {kind}requests"


@lru_cache(maxsize=4)
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
    lists = unfriendly[unfriendly["country"] == country].reset_index(drop=True)
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
