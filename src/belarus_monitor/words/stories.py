"""The words of the reports: ledes and sentences written from the data.

Every sentence here is computed: its figures, qualifiers, periods and claimants come
from the tables, so a report says what the data says and nothing is typed twice. The
functions return Markdown; text taken from the data is escaped for Markdown (and
the report escapes HTML when it renders it).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

import pandas as pd

from belarus_monitor.data.countries import country_name

if TYPE_CHECKING:
    from belarus_monitor.analysis.profile import CountryProfile
    from belarus_monitor.data.dataset import Dataset

_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]<>()#+\-.!|~=:])")


def md(text: Any) -> str:
    """Text from the data as one inline run of Markdown that shows it as it is.

    Line breaks and runs of white space become one space (a quote cannot end a
    paragraph or start a list, a rule or a heading), and every character Markdown
    gives a meaning is escaped.
    """
    return _MD_SPECIAL.sub(r"\\\1", " ".join(str(text).split()))


def plural(n: int, one: str, many: str | None = None) -> str:
    """``"1 source"``, ``"2 sources"``; ``many`` for irregular plurals."""
    return f"{n:,} {one if n == 1 else (many or one + 's')}"


def day(date: Any) -> str:
    """``"25 June 2024"``."""
    ts = pd.Timestamp(date)
    return f"{ts.day} {ts:%B %Y}"


def when(date: Any, precision: Any = "day") -> str:
    """A date as precise as it is known: ``"25 June 2024"``, ``"June 2024"``, ``"2024"``."""
    if date is None or pd.isna(date):
        return "an unknown date"
    ts = pd.Timestamp(date)
    p = str(precision)
    return f"{ts:%Y}" if p == "year" else f"{ts:%B %Y}" if p == "month" else day(ts)


def span(start: Any, end: Any, precision: Any = "day") -> str:
    """``"between January 2023 and June 2024"``, ``"by 14 September 2023"``."""
    if start is None or pd.isna(start):
        return f"by {when(end, precision)}" if end is not None and not pd.isna(end) else ""
    s = pd.Timestamp(start)
    if (
        str(precision) == "year"
        and end is not None
        and not pd.isna(end)
        and (s.month, s.day) == (1, 1)
        and s.year == pd.Timestamp(end).year
    ):
        return f"in {s:%Y}"  # January to a date known only by its year, in that year
    first = f"{s:%B %Y}" if s.day == 1 else day(s)
    return f"between {first} and {when(end, precision)}"


def listing(items: Iterable[str], conj: str = "and") -> str:
    """``"a, b and c"``."""
    items = list(items)
    if len(items) <= 2:
        return f" {conj} ".join(items)
    return ", ".join(items[:-1]) + f" {conj} " + items[-1]


def cite(row: Any, ds: Dataset) -> str:
    """``"(Pozirk, 25 June 2024)"``: who published the claim, and when, linked to the page.

    The link is written only for an http(s) address (see :func:`text.safe_url`).
    """
    from urllib.parse import quote

    from belarus_monitor.text import safe_url

    sources = ds.sources
    idx = sources.set_index("source_id")
    sid = row["source_id"]
    if sid not in idx.index:
        return ""
    s = idx.loc[sid]
    date = "" if pd.isna(s["published"]) else ", " + when(s["published"], s["published_precision"])
    words = f"{md(s['publisher'])}{date}"
    url = safe_url(s["url"])
    if url is None:
        return f"({words})"
    # Brackets and spaces would end the Markdown link early: they are percent-encoded.
    return f"([{words}]({quote(url, safe=':/?#@!$&*+,;=%~.-_')}))"


def status_words(status: Any, case_type: Any, ds: Dataset) -> str:
    """A status with its kind of case: "rejects extradition requests", "refused"."""
    words = md(ds.label("status", status))
    if str(case_type) == "all":
        return words
    case = md(ds.label("case_type", case_type))
    if words.endswith(" requests"):
        return f"{words.removesuffix(' requests')} {case} requests"
    return f"{words} {case} requests"


def who(row: Any, ds: Dataset) -> str:
    """Who made a claim, in words: a bare "News report" names its publisher.

    ``row`` holds ``claimant`` and ``source_id``.
    """
    claimant = str(row["claimant"])
    if claimant.strip().lower() == "news report":
        idx = ds.sources.set_index("source_id")
        sid = row["source_id"]
        if sid in idx.index:
            return f"a news report ({md(idx.loc[sid, 'publisher'])})"
        return "a news report"
    return md(claimant)


def qualified(value: float | int, qualifier: Any, ds: Dataset) -> str:
    """A figure with its qualifier in ``ds``'s words: ``"about 24"``, ``"almost 1,500"``.

    An exact figure (or one without a qualifier) is the number alone; every other
    qualifier is written as the vocabulary words it, so none is ever dropped.
    """
    number = f"{value:,.0f}" if float(value).is_integer() else f"{value:,.1f}"
    if qualifier is None or pd.isna(qualifier) or str(qualifier) == "exact":
        return number
    return f"{ds.label('qualifier', qualifier)} {number}"


def figure(value: Any, qualifier: Any, ds: Dataset) -> str:
    """``"about 24"``, ``"1,135"``: a count with its qualifier (see :func:`qualified`)."""
    return qualified(int(value), qualifier, ds)


def profile_lede(profile: CountryProfile, ds: Dataset) -> str:
    """Two to four sentences that say first what matters about one country."""
    label = ds.label
    name = ds.in_text(profile.country)
    cap = name[0].upper() + name[1:]
    parts = []
    direct = profile.direct_claims
    counts = direct[direct["value"].notna()]
    groups_of_claims: dict[tuple, list] = {}
    for r in counts.sort_values(["period_end", "case_type"]).itertuples():
        key = (r.claimant, r.source_id, r.period_start, r.period_end)
        groups_of_claims.setdefault(key, []).append(r)
    for rows in list(groups_of_claims.values())[:2]:
        whats = []
        for i, r in enumerate(rows[:3]):
            kind = "" if r.case_type == "all" else md(label("case_type", r.case_type)) + " "
            n = figure(r.value, r.qualifier, ds)
            words = md(ds.label("request_measure", r.measure))
            what = _what(r.measure, r.direction, name, n, kind, words, one=n == "1")
            whats.append(what.removeprefix(name + " ") if i else what)
        r = rows[0]
        parts.append(
            f"According to {who(r._asdict(), ds)}, {listing(whats)} "
            f"{span(r.period_start, r.period_end, r.period_end_precision)} "
            f"{cite(r._asdict(), ds)}."
        )
    statuses = direct[direct["status"].notna()]
    if len(statuses):
        r = statuses.iloc[0]
        status = status_words(r["status"], r["case_type"], ds)
        period = span(r["period_start"], r["period_end"], r["period_end_precision"])
        same = counts[
            (counts["claimant"].astype(str) == str(r["claimant"]))
            & (counts["period_end"] == r["period_end"])
        ]
        if len(same):  # the claimant and period of the sentence before: not said again
            parts.append(f"The same source says of {name}: {status}.")
        else:
            parts.append(
                f"{cap}, according to {who(r, ds)}: {status} ({period})".replace(" ()", "") + "."
            )
    if len(profile.cases):
        on_soil = profile.cases[profile.cases["requested_state"] == profile.country]
        if len(on_soil):
            names = [md(n) for n in on_soil["name"].dropna()]
            parts.append(
                f"The data follows {plural(len(on_soil), 'case')} of people sought in "
                f"{name} by Belarus or another state"
                + _among(names, len(on_soil))
                + _outcomes(on_soil, label)
                + "."
            )
    asked = profile.cases[profile.cases["requesting_state"] == profile.country]
    if len(asked):
        names = [md(n) for n in asked["name"].dropna()]
        states = sorted({md(ds.name(c)) for c in asked["requested_state"]})
        parts.append(
            f"{cap} asked {listing(states)} to hand over people in "
            f"{plural(len(asked), 'case')}"
            + _among(names, len(asked))
            + _outcomes(asked, label)
            + "."
        )
    if len(profile.releases):
        parts.append(
            f"{plural(len(profile.releases), 'release')} in the data "
            f"{'concerns' if len(profile.releases) == 1 else 'concern'} people sent "
            f"to {name} or of its nationality."
        )
    if len(profile.wanted):
        parts.append(
            f"{plural(len(profile.wanted), 'count')} of people sought, located or handed "
            f"over {'concerns' if len(profile.wanted) == 1 else 'concern'} {name}."
        )
    if len(profile.designations):
        own = profile.designations[profile.designations["jurisdiction"] == profile.country]
        rounds = own[own["row_kind"] == "round"]
        if len(rounds):
            parts.append(f"{cap} made {rounds_words(rounds)}.")
    if len(profile.alignment):
        n = profile.alignment["decision"].nunique()
        parts.append(
            f"{cap} aligned itself with {plural(n, 'EU decision')} on "
            f"Belarus, the latest on {when(profile.alignment['date'].max())}."
        )
    if len(profile.lists):
        lists = sorted(set(profile.lists["list_name"]))
        names = listing(md(n.split(": ", 1)[-1]) for n in lists)
        parts.append(f"{cap} is on Belarus' list of 'unfriendly' states ({names}).")
    if not parts:
        via = sorted({ds.in_text(v) for v in profile.claims["via"].dropna()})
        parts.append(
            f"The sources collected so far say nothing about {name} by name"
            + (
                f"; what follows is what they say of {listing(via)}, which {name} belongs to."
                if via
                else "."
            )
        )
    return " ".join(parts[:4])


def rounds_words(rounds: pd.DataFrame) -> str:
    """The rounds of one jurisdiction in words, with the latest, as precise as known.

    ``"9 rounds of sanctions designations in the data (2 under another regime ...),
    the latest on 27 January 2025"``.

    ``rounds``: rows of ``sanctions_designations`` of kind ``round``, of one jurisdiction.
    """
    n = rounds["round_id"].fillna(rounds["designation_id"]).nunique()
    other = rounds[rounds["regime"].astype(str) != "belarus"]
    k = other["round_id"].fillna(other["designation_id"]).nunique()
    last = rounds.loc[rounds["date"].idxmax()]
    return (
        plural(n, "round")
        + " of sanctions designations in the data"
        + (f" ({k} under another regime than its Belarus sanctions)" if k else "")
        + (", the latest on " if str(last["date_precision"]) == "day" else ", the latest in ")
        + when(last["date"], last["date_precision"])
    )


def _outcomes(cases: pd.DataFrame, label: Any) -> str:
    """``"; outcome: refused"`` or ``"; outcomes: a and b"``: the cases' outcomes in words."""
    counts = cases["outcome"].astype(str).value_counts()
    words = [
        f"{md(label('case_outcome', o)).removeprefix('outcome ')} ({n})"
        if len(counts) > 1
        else md(label("case_outcome", o)).removeprefix("outcome ")
        for o, n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
    ]
    return ("; outcome: " if len(words) == 1 else "; outcomes: ") + listing(words)


def _among(names: list[str], n: int) -> str:
    """``", Andrei Gnyot"`` for the one person, ``", among them A, B and C"`` for more."""
    if not names:
        return ""
    return f", {names[0]}" if n == 1 else f", among them {listing(names[:3])}"


def _what(
    measure: str, direction: str, name: str, n: str, kind: str, words: str, one: bool = False
) -> str:
    """``"Germany fulfilled 6 of Belarus' requests"`` and the like, for a lede.

    ``words`` is the measure in the data's words (for a measure without a sentence of
    its own); ``one``: the figure is exactly one (``"1 of Poland's requests was
    pending"``, ``"sent Belarus 1 request"``).
    """
    requests = f"{kind}{'request' if one else 'requests'}"
    if direction == "incoming":
        return {
            "received": f"{name} sent Belarus {n} {requests}",
            "granted": f"Belarus granted {n} of {name}'s {kind}requests",
            "pending": f"{n} of {name}'s {kind}requests {'was' if one else 'were'} pending "
            "with Belarus",
        }.get(measure, f"{name}: {n} {requests} ({words})")
    if measure == "sent":
        return f"Belarus sent {name} {n} {requests}"
    verb = {
        "fulfilled": "fulfilled",
        "rejected": "rejected",
        "refused": "refused",
    }.get(measure)
    if measure == "extradited":
        return f"{name} extradited {n} {'person' if one else 'people'} to Belarus"
    if verb is None:
        return f"{name}: {n} of Belarus' {kind}requests ({words})"
    return f"{name} {verb} {n} of Belarus' {kind}requests"


def cases_sentence(cases: pd.DataFrame, ds: Dataset) -> str:
    """The named cases in one sentence: how many, how many named, where, who refused.

    A state and an organisation asked (Interpol) are counted apart, and a case whose
    person the sources do not name is not called a named case.
    """
    asked_state = cases["requested_state"].astype(str).str.len() == 2
    refused = cases["outcome"].astype(str) == "refused"
    states = {str(c) for c in cases.loc[asked_state, "requested_state"]}
    named = int(cases["name"].notna().sum())
    n = len(cases)
    who = f"{named:,} of them named" if named < n else "all of them named"
    by_states = int((refused & asked_state).sum())
    text = (
        f"The data follows {plural(n, 'case')} of people Belarus or others sought across "
        f"borders ({who}), in {plural(len(states), 'state')}; in {by_states:,} of them the "
        "state asked refused"
    )
    orgs = cases.loc[refused & ~asked_state, "requested_state"].astype(str)
    if len(orgs):
        names = listing(sorted({md(ds.name(o)) for o in orgs}))
        text += f", and in {len(orgs):,} {names} refused"
    return text + "."


# -- the reports' ledes ------------------------------------------------------------------
def cooperation_lede(
    requests: pd.DataFrame,
    ds: Dataset,
    cases: pd.DataFrame | None = None,
) -> str:
    """Two to four sentences on Belarus' requests and the answers they get.

    Parameters
    ----------
    requests
        :func:`belarus_monitor.load_requests`.
    ds
        :func:`belarus_monitor.load_sources`.
    cases
        The named cases table (``load_table("named_cases")``), if any.
    """
    from belarus_monitor.analysis.metrics import fulfilment_rates

    rates = fulfilment_rates(requests)
    out = rates[(rates["direction"] == "outgoing") & (rates["case_type"] == "all")]
    parts = []
    if len(out):
        r = out.sort_values("period_end").iloc[-1]
        claim = requests.set_index("claim_id").loc[r["denominator_claim"]]
        who = md(claim["claimant"])
        parts.append(
            f"According to {who}, {md(ds.in_text(r['counterpart']))} fulfilled "
            f"**{r['numerator']:,} of {r['denominator']:,}** requests for legal assistance "
            f"({r['rate']:.0%}) {span(r['period_start'], r['period_end'])} "
            f"{cite(claim, ds)}."
        )
        same = requests[
            (requests["period_end"] == r["period_end"]) & (requests["direction"] == "outgoing")
        ]
        named = same[
            same["value"].notna()
            & (same["counterpart"].str.len() == 2)
            & (same["measure"] == "fulfilled")
            & (same["case_type"] == "all")
        ]
        if len(named):
            parts.append(
                "Of these, "
                + listing(
                    f"{md(country_name(c))} fulfilled {figure(v, q, ds)}"
                    for c, v, q in zip(
                        named["counterpart"], named["value"], named["qualifier"], strict=True
                    )
                )
                + "."
            )
        # A state's count beside its status: "no response" to most requests, and
        # "about 24 rejected" in the same source.
        counts = same[
            same["value"].notna()
            & (same["counterpart"].str.len() == 2)
            & same["measure"].isin(["rejected", "refused"])
        ]
        extra = {
            c: "; ".join(
                f"{figure(v, q, ds)} {md(ds.label('request_measure', m))}"
                for v, q, m in zip(g["value"], g["qualifier"], g["measure"], strict=True)
            )
            for c, g in counts.groupby("counterpart")
        }
        answers = []
        for status in ("ignores", "rejects", "no_response", "suspended"):
            who_ = same.loc[same["status"] == status, "counterpart"]
            if len(who_):
                many = len(who_) > 1 or any(len(c) > 2 for c in who_)
                names = listing(
                    md(ds.in_text(c)) + (f" ({extra[c]})" if c in extra else "") for c in who_
                )
                answers.append(
                    f"{names}: {md(ds.label('status', status))}"
                    if not many
                    else f"{names}: {md(ds.label('status', status, plural=True))}"
                )
        if answers:
            parts.append("The same source says: " + "; ".join(answers) + ".")
    if cases is not None and len(cases):
        parts.append(cases_sentence(cases, ds))
    return " ".join(parts)


def repression_lede(
    prisoners: pd.DataFrame,
    ds: Dataset,
    releases: pd.DataFrame | None = None,
    estimator: str = "Viasna",
) -> str:
    """Two to four sentences on the number of political prisoners and the releases."""
    from belarus_monitor.analysis.metrics import prisoner_trend

    parts = []
    try:
        t = prisoner_trend(prisoners, estimator)
    except ValueError:
        t = None
    if t:
        last, peak = t["last"], t["peak"]
        row = prisoners.set_index("observation_id").loc[last["observation_id"]]
        parts.append(
            f"The human-rights centre {md(estimator)} counted **{last['count']:,}** political "
            f"prisoners in Belarus on {day(last['date'])} {cite(row, ds)}, "
            f"down from a peak of {peak['count']:,} on {day(peak['date'])}"
            if peak["count"] > last["count"]
            else f"The human-rights centre {md(estimator)} counted **{last['count']:,}** political "
            f"prisoners in Belarus on {day(last['date'])} {cite(row, ds)}"
        )
        parts[-1] += "."
        others = prisoners[(prisoners["estimator"] != estimator) & (prisoners["measure"] == "held")]
        if len(others):
            parts.append(
                f"{plural(others['estimator'].nunique(), 'other estimator')} give "
                f"figures from {figure(others['count'].min(), None, ds)} to "
                f"{figure(others['count'].max(), None, ds)}; they are shown beside "
                f"{md(estimator)}'s, not mixed into them."
            )
    if releases is not None and len(releases):
        from belarus_monitor.analysis.metrics import release_events

        single, totals = release_events(releases)
        official = (
            single[single["claimant_kind"] == "official"]
            if "claimant_kind" in single
            else single.iloc[0:0]
        )
        # People freed, as a counter counts them over a period (never a sum of ours):
        # the latest such total of a human-rights group, else of anyone.
        people = ""
        if len(totals):
            ngo = totals[totals["claimant_kind"].astype(str) == "ngo"]
            t = (ngo if len(ngo) else totals).sort_values(["date_to", "count"]).iloc[-1]
            people = (
                f" {md(t['claimant'])} counts **{figure(t['count'], t['qualifier'], ds)}** "
                f"people {md(ds.label('release_measure', t['measure']))} "
                f"{span(t['date_from'], t['date_to'])} {cite(t, ds)}."
            )
        parts.append(
            "The data records "
            + plural(
                single["event_id"].nunique(),
                "announced release or pardon",
                "announced releases or pardons",
            )
            + f" between {day(single['date_from'].min())} and "
            f"{day(single['date_to'].max())}"
            + (
                f"; the authorities' own counts of {official['event_id'].nunique():,} of "
                "them are kept apart from the human-rights groups' counts."
                if len(official)
                else "."
            )
            + people
        )
    return " ".join(parts)


def sanctions_lede(
    unfriendly: pd.DataFrame,
    designations: pd.DataFrame | None,
    ds: Dataset,
    list_id: str = "UNFRIENDLY_2022",
) -> str:
    """Two to four sentences on the 'unfriendly' lists and the sanctions in force."""
    parts = []
    on = unfriendly[unfriendly["list_id"] == list_id]
    if len(on):
        m = ds.membership
        eu = set(m.loc[m["group_id"] == "EU27", "country"])
        members = set(on["country"])
        others = sorted((md(ds.name(c)) for c in members - eu), key=str)
        split = (
            f": the {len(members & eu)} members of the European Union and "
            f"{plural(len(others), 'other state')} ({listing(others)})"
            if members & eu and others
            else ""
        )
        parts.append(
            f"Belarus' official list of 'unfriendly' states names "
            f"**{plural(len(members), 'state')}**{split}."
        )
    if designations is not None and len(designations):
        eu = designations[
            (designations["jurisdiction"] == "EU27")
            & (designations["regime"] == "belarus")
            & designations["total_individuals"].notna()
        ].sort_values("date")
        rounds = designations[
            (designations["jurisdiction"] == "EU27")
            & (designations["regime"] == "belarus")
            & (designations["row_kind"] == "round")
        ]
        if len(rounds):  # the series since the rounds began (after the 2020 election)
            eu = eu[eu["date"] >= rounds["date"].min()]
        if len(eu):
            last, first = eu.iloc[-1], eu.iloc[0]
            ent = (
                ""
                if pd.isna(last["total_entities"])
                else f" and **{int(last['total_entities']):,} entities**"
            )
            # Another source's total for the same date, in the same conflict, said beside.
            rivals = designations[
                designations["conflict_group"].notna()
                & (designations["conflict_group"] == last["conflict_group"])
                & (designations["designation_id"] != last["designation_id"])
                & designations["total_entities"].notna()
                & (designations["total_entities"] != last["total_entities"])
            ]
            if ent and len(rivals):
                ent += (
                    " ("
                    + "; ".join(
                        f"{md(r.claimant)}: {int(r.total_entities):,}" for r in rivals.itertuples()
                    )
                    + ")"
                )
            parts.append(
                f"The European Union's sanctions on Belarus apply to "
                f"**{int(last['total_individuals']):,} individuals**{ent} as of "
                f"{day(last['date'])} {cite(last, ds)}, up from "
                f"{int(first['total_individuals']):,} individuals on {day(first['date'])}."
            )
        from belarus_monitor.figures.designations import round_figures

        rounds = designations[designations["row_kind"] == "round"]
        drawn = round_figures(designations)["jurisdiction"].nunique()  # the chart's rows
        uncounted = rounds["jurisdiction"].nunique() - drawn
        parts.append(
            f"The chart below follows the designation rounds of "
            f"{plural(drawn, 'jurisdiction')}"
            + (
                f" (and {plural(uncounted, 'other jurisdiction')} whose rounds in the data "
                "give no count, in the table below)"
                if uncounted > 0
                else ""
            )
            + "; rounds under other regimes (such as the EU's Ukraine regime) are "
            "flagged, not added in."
        )
    return " ".join(parts)


__all__ = [
    "cite",
    "cooperation_lede",
    "day",
    "figure",
    "listing",
    "md",
    "plural",
    "repression_lede",
    "sanctions_lede",
    "span",
    "when",
]


def other_periods_sentence(other: pd.DataFrame, ds: Dataset) -> str:
    """What the map of one period leaves out: answers stated for other periods.

    Parameters
    ----------
    other
        :func:`belarus_monitor.figures.maps.other_period_answers`.
    ds
        The dataset: names and words.

    Returns
    -------
    str
        One sentence, empty when nothing is left out.
    """
    if other.empty:
        return ""
    items = []
    for cp, rows in other.groupby("counterpart", sort=False, observed=True):
        for answer, sub in rows.groupby("answer", sort=False):
            periods = "; ".join(
                dict.fromkeys(
                    span(s, e, p).replace("between ", "").replace(" and ", " to ")
                    for s, e, p in zip(
                        sub["period_start"],
                        sub["period_end"],
                        sub["period_end_precision"],
                        strict=True,
                    )
                )
            )
            items.append(f"{md(ds.in_text(str(cp)))}: {answer} ({periods})")
    return (
        "The map shows one period. Answers stated for other periods are not drawn: "
        + "; ".join(items)
        + ". They are in the table of other claims below."
    )


def latest_release(releases: pd.DataFrame, ds: Dataset) -> tuple[pd.Timestamp, str] | None:
    """The newest announced release or pardon, dated, in one sentence.

    Every count its sources give for it is said (side by side if they differ), each
    with who gave it. Returns ``(date, sentence)``, or None without a release.
    """
    whole = releases[releases["part_of"].isna()]
    single = whole[(whole["date_to"] - whole["date_from"]).dt.days <= 31]
    if single.empty:
        return None
    last = single.loc[single["date_to"].idxmax(), "event_id"]
    rows = single[single["event_id"] == last].sort_values("release_id")
    date = rows["date_to"].max()
    import re

    def flat(claimant: str) -> str:  # "X (as reported by Y)" -> "X, as reported by Y"
        return re.sub(r"\s*\((as reported[^)]*)\)", r", \1", claimant)

    said = []
    for i, r in enumerate(rows.itertuples()):
        what = md(ds.label("release_measure", r.measure))
        n = figure(r.count, r.qualifier, ds)
        said.append(
            f"{n} people were {what} ({md(flat(str(r.claimant)))})"
            if i == 0
            else f"{n} {what} ({md(flat(str(r.claimant)))})"
        )
    cites = " ".join(dict.fromkeys(cite(r._asdict(), ds) for r in rows.itertuples()))
    return pd.Timestamp(date), f"On {day(date)}, {listing(dict.fromkeys(said))} {cites}."
