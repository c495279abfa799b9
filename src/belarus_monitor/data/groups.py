"""Group codes (EU27, BALTIC, the 'unfriendly' lists...) and the countries in them.

Membership lives in the data: ``group_members.csv`` for groups of kind ``membership``
and ``unfriendly_states.csv`` for the lists. Nothing here hard-codes a member.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from belarus_monitor.data.load import (
    load_group_members,
    load_groups,
    load_unfriendly_states,
    per_data_state,
)


def expand_group(code: str, data_dir: str | Path | None = None) -> list[str]:
    """Return the countries (ISO alpha-2, sorted) that a code stands for.

    Parameters
    ----------
    code
        A country code (returned as a one-element list) or a ``group_id``.
    data_dir
        Data directory (default: ``data/``).

    Returns
    -------
    list of str
        The members; empty for an aggregate or an organisation, which have none.

    Raises
    ------
    KeyError
        If the code is neither a country code nor a known group.
    """
    if len(code) == 2:
        return [code]
    groups = load_groups(data_dir)
    kind = groups.loc[groups["group_id"] == code, "kind"]
    if kind.empty:
        raise KeyError(f"unknown group {code!r}: expected one of " + ", ".join(groups["group_id"]))
    if kind.iloc[0] in ("membership", "aggregate"):
        m = load_group_members(data_dir)
        return sorted(m.loc[m["group_id"] == code, "country"])
    if kind.iloc[0] == "unfriendly_list":
        u = load_unfriendly_states(data_dir)
        return sorted(u.loc[u["list_id"] == code, "country"])
    return []


@per_data_state
def group_membership(data_dir: str | Path | None = None) -> pd.DataFrame:
    """Every (group_id, country) pair, membership groups and lists together."""
    m = load_group_members(data_dir)[["group_id", "country"]]
    u = load_unfriendly_states(data_dir)[["list_id", "country"]].rename(
        columns={"list_id": "group_id"}
    )
    out = pd.concat([m.astype("string"), u.astype("string")], ignore_index=True)
    return out.drop_duplicates(ignore_index=True)


def groups_of(country: str, data_dir: str | Path | None = None) -> list[str]:
    """Return the group codes a country belongs to (sorted)."""
    from belarus_monitor.data.countries import normalise_country

    country = normalise_country(country)
    gm = group_membership(data_dir)
    return sorted(gm.loc[gm["country"] == country, "group_id"].unique())
