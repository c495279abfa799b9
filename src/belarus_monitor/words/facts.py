"""Key facts about one state, in words, for the box that opens its profile.

Every fact is generated from the data the profile gathered (:class:`CountryProfile`):
what the sources say of its answers to Belarus' requests (with period and claimant), the
people sought, the sanctions it imposes, the 'unfriendly' list it is on and its latest
dated fact. A fact known only through a group the state belongs to says so.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pandas as pd

from belarus_monitor.words.stories import (
    _what,
    cite,
    figure,
    listing,
    md,
    plural,
    rounds_words,
    span,
    status_words,
    when,
    who,
)

if TYPE_CHECKING:
    from belarus_monitor.analysis.profile import CountryProfile
    from belarus_monitor.data.dataset import Dataset

#: The EU's member states as a group (their sanctions are the EU's).
EU_GROUP = "EU27"


def _period(start: Any, end: Any, precision: Any) -> str:
    return span(start, end, precision).replace("between ", "").replace(" and ", " to ")


def _answers(profile: CountryProfile, ds: Dataset, direction: str) -> str:
    """Figures and statements that name the state, one clause per period and claimant."""
    name = ds.in_text(profile.country)
    direct = profile.direct_claims
    direct = direct[direct["direction"].astype(str) == direction]
    by_claimant: dict[str, list[str]] = {}
    keys = ["period_start", "period_end", "claimant", "source_id"]
    for _, rows in direct.sort_values(["period_end", "case_type"]).groupby(
        keys, sort=False, dropna=False
    ):
        whats = []
        for r in rows.itertuples():
            kind = "" if r.case_type == "all" else md(ds.label("case_type", r.case_type)) + " "
            if pd.notna(r.value):
                n = figure(r.value, r.qualifier, ds)
                words = md(ds.label("request_measure", r.measure))
                what = _what(r.measure, r.direction, name, n, kind, words, one=n == "1")
                whats.append(what.removeprefix(name + " "))
            elif pd.notna(r.status):
                whats.append(status_words(r.status, r.case_type, ds))
        if not whats:
            continue
        r = rows.iloc[0]
        period = _period(r["period_start"], r["period_end"], r["period_end_precision"])
        by_claimant.setdefault(who(r, ds), []).append(f"{listing(dict.fromkeys(whats))} ({period})")
    clauses = [f"According to {c}: {'; '.join(items)}." for c, items in by_claimant.items()]
    return " ".join(clauses)


def _group_answers(profile: CountryProfile, ds: Dataset) -> str:
    """What was said only of groups the state belongs to (an inference, marked)."""
    via = profile.claims[profile.claims["via"].notna() & profile.claims["status"].notna()]
    via = via[via["direction"].astype(str) == "outgoing"]
    parts = []
    for r in via.itertuples():
        parts.append(
            f"{md(ds.label('status', r.status))}, said of {md(ds.in_text(r.via))} "
            f"({_period(r.period_start, r.period_end, r.period_end_precision)})"
        )
    return "; ".join(dict.fromkeys(parts))


def _people(profile: CountryProfile, ds: Dataset) -> str:
    parts = []
    name = ds.in_text(profile.country)
    cases = profile.cases
    on_soil = cases[cases["requested_state"] == profile.country]
    asked = cases[cases["requesting_state"] == profile.country]
    if len(on_soil):
        parts.append(f"{plural(len(on_soil), 'case')} of people sought in {md(name)}")
    if len(asked):
        parts.append(f"{plural(len(asked), 'case')} in which {md(name)} asked for people")
    if len(profile.wanted):
        parts.append(
            f"{plural(len(profile.wanted), 'count')} of people sought, located or handed over"
        )
    return listing(parts)


def _sanctions(profile: CountryProfile, ds: Dataset) -> str:
    parts = []
    own = profile.designations[profile.designations["jurisdiction"] == profile.country]
    rounds = own[own["row_kind"] == "round"]
    if len(rounds):
        parts.append(f"its own: {rounds_words(rounds)}")
    elif len(profile.sanctions[profile.sanctions["jurisdiction"] == profile.country]):
        parts.append("a regime of its own")
    m = ds.membership
    eu = bool(((m["group_id"] == EU_GROUP) & (m["country"] == profile.country)).any())
    if eu:
        parts.append("the European Union's, as a member state (see the sanctions report)")
    if len(profile.alignment):
        n = profile.alignment["decision"].nunique()
        parts.append(
            f"aligned with {plural(n, 'EU decision')} on Belarus, the latest on "
            f"{when(profile.alignment['date'].max())}"
        )
    return "; ".join(parts)


def _lists(profile: CountryProfile, ds: Dataset) -> str:
    if profile.lists.empty:
        return "no"
    reference = profile.lists.sort_values("list_id")["list_name"].iloc[0]
    return "yes (" + md(str(reference).replace("'Unfriendly' states: ", "the ")) + ")"


def latest_fact(profile: CountryProfile, ds: Dataset) -> tuple[pd.Timestamp, str] | None:
    """The newest dated fact that names the state: (date, what it is, in words)."""
    found: list[tuple[pd.Timestamp, str, str]] = []
    direct = profile.direct_claims
    for r in direct.dropna(subset=["period_end"]).itertuples():
        found.append(
            (r.period_end, r.period_end_precision, "the end of a period its answers are stated for")
        )
    own = profile.designations[profile.designations["jurisdiction"] == profile.country]
    for r in own.dropna(subset=["date"]).itertuples():
        if r.row_kind == "round":
            found.append((r.date, r.date_precision, "a round of its sanctions designations"))
        elif r.row_kind in ("relief", "delisting"):
            found.append((r.date, r.date_precision, "relief from its sanctions"))
    for r in profile.wanted.dropna(subset=["period_end"]).itertuples():
        found.append(
            (r.period_end, r.period_end_precision, "a count of people sought or handed over")
        )
    for r in profile.events.dropna(subset=["date"]).itertuples():
        found.append((r.date, r.date_precision, f"{ds.label('case_event_kind', r.kind)} in a case"))
    for r in profile.releases.dropna(subset=["date_to"]).itertuples():
        found.append((r.date_to, "day", "a release of prisoners"))
    for r in profile.alignment.dropna(subset=["date"]).itertuples():
        found.append((r.date, "day", "its alignment with an EU decision"))
    if not found:
        return None
    date, precision, what = max(found, key=lambda f: pd.Timestamp(f[0]))
    return pd.Timestamp(date), f"{when(date, precision)}: {what}"


def key_facts(profile: CountryProfile, ds: Dataset) -> list[tuple[str, str]]:
    """The key facts about one state, as (label, Markdown) pairs; only facts with data.

    Parameters
    ----------
    profile
        :func:`belarus_monitor.analysis.profile.country_profile`.
    ds
        The dataset: words and names.

    Returns
    -------
    list of (str, str)
        In order: Belarus' requests and the answers, requests to Belarus, what was said
        only of its groups, people sought, sanctions it imposes, the 'unfriendly' list,
        releases, the latest dated fact.
    """
    releases = (
        f"{plural(len(profile.releases), 'release')} of people sent to it or of its nationality"
        if len(profile.releases)
        else ""
    )
    facts = [
        ("Belarus' requests, by name", _answers(profile, ds, "outgoing")),
        ("Said only of a group it belongs to", _group_answers(profile, ds)),
        ("Its requests to Belarus", _answers(profile, ds, "incoming")),
        ("People sought", _people(profile, ds)),
        ("Sanctions on Belarus", _sanctions(profile, ds)),
        ("On Belarus' 'unfriendly' list", _lists(profile, ds)),
        ("Prisoner releases", releases),
    ]
    facts = [(label, text) for label, text in facts if text]  # only facts with data
    latest = latest_fact(profile, ds)
    if latest:
        facts.append(("Latest dated fact", latest[1]))
    return facts


def list_version_sentences(profile: CountryProfile, ds: Dataset) -> list[str]:
    """Where a source's version of a list differs from the list about this state."""
    groups = ds.groups.set_index("group_id")
    unfriendly = ds.unfriendly_states
    name = md(ds.in_text(profile.country))
    cap = name[:1].upper() + name[1:]

    def short(list_id: str) -> str:
        text = str(groups.loc[list_id, "name"]) if list_id in groups.index else list_id
        return md(text.split(": ", 1)[-1])

    out = []
    for version, reference in ds.list_versions.items():
        on = set(unfriendly.loc[unfriendly["list_id"] == version, "country"])
        ref = set(unfriendly.loc[unfriendly["list_id"] == reference, "country"])
        if (profile.country in on) == (profile.country in ref):
            continue
        source = cite(groups.loc[version], ds) if version in groups.index else ""
        if profile.country in ref:
            out.append(
                f"{cap} is on the {short(reference)} but not mentioned in {short(version)} "
                f"{source}."
            )
        else:
            out.append(
                f"{cap} is not on the {short(reference)}; {short(version)} names it {source}."
            )
    return out


def overviews(profile: CountryProfile) -> list[str]:
    """The overview reports (notebook names) that a profile's facts also appear in."""
    out = []
    if len(profile.claims) or len(profile.cases) or len(profile.wanted):
        out.append("cooperation")
    if (
        len(profile.designations)
        or len(profile.sanctions)
        or len(profile.alignment)
        or len(profile.lists)
    ):
        out.append("sanctions")
    if len(profile.releases):
        out.append("repression")
    return out


def group_figures_sentence(profile: CountryProfile, ds: Dataset) -> str:
    """One sentence for the counts the sources give only for groups the state is in.

    Such counts ("239 sent, 33 fulfilled" by the 'unfriendly' states) say nothing of
    the state itself; a profile names them once and leaves the rows to the overview.
    """
    rows = profile.claims[profile.claims["via"].notna() & profile.claims["value"].notna()]
    if rows.empty:
        return ""
    parts = []
    keys = ["via", "period_start", "period_end", "period_end_precision"]
    for (via, start, end, prec), g in rows.groupby(keys, sort=False, dropna=False, observed=True):
        cases = []
        for case, c in g.groupby("case_type", sort=False, observed=True):
            counts = listing(
                f"{figure(r.value, r.qualifier, ds)} {md(ds.label('request_measure', r.measure))}"
                for r in c.itertuples()
            )
            cases.append(f"{md(ds.label('case_type', case))}, {counts}")
        parts.append(f"{md(ds.in_text(via))}, {_period(start, end, prec)}: {'; '.join(cases)}")
    return (
        "The sources also give counts for groups it belongs to, not for it by name ("
        + "; ".join(parts)
        + "); they are in the overview of requests."
    )
