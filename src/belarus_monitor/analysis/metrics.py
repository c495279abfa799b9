"""Derived figures: fulfilment rates, shares not fulfilled, claims per country, trends.

Every function takes the DataFrames of :mod:`belarus_monitor.load` and returns numbers
together with the claims they come from, so that a report can cite them.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

import pandas as pd

from belarus_monitor.data.countries import normalise_country

if TYPE_CHECKING:
    from belarus_monitor.data.dataset import Dataset

#: Measures that answer a request, and the measure they are a part of.
ANSWER_OF = {"fulfilled": "sent", "granted": "received"}


@dataclass(frozen=True)
class Rate:
    """A rate with its numerator and denominator, and the claims behind them."""

    numerator: int
    denominator: int
    numerator_claim: str
    denominator_claim: str
    counterpart: str
    case_type: str
    period_start: pd.Timestamp | None
    period_end: pd.Timestamp | None

    @property
    def rate(self) -> float:
        """Numerator over denominator (0 to 1)."""
        return self.numerator / self.denominator if self.denominator else float("nan")

    @property
    def remainder(self) -> int:
        """Denominator minus numerator: requests not fulfilled."""
        return self.denominator - self.numerator

    @property
    def remainder_share(self) -> float:
        """Share of the denominator not in the numerator (0 to 1)."""
        return 1 - self.rate


def fulfilment_rates(requests: pd.DataFrame) -> pd.DataFrame:
    """Every fulfilment (or grant) rate the data supports.

    A rate needs two exact counts for the same direction, counterpart, case type and
    period: fulfilled and sent (outgoing), or granted and received (incoming).

    Parameters
    ----------
    requests
        The table from :func:`belarus_monitor.load_requests`.

    Returns
    -------
    pandas.DataFrame
        Columns ``direction``, ``counterpart``, ``counterpart_name``, ``case_type``,
        ``period_start``, ``period_end``, ``numerator_measure``, ``numerator``,
        ``denominator``, ``rate``, ``not_fulfilled``, ``not_fulfilled_share``,
        ``numerator_claim``, ``denominator_claim``, ``source_id``.
    """
    exact = requests[(requests["qualifier"] == "exact") & requests["value"].notna()]
    key = ["direction", "counterpart", "case_type", "period_start", "period_end"]
    rows = []
    for num_measure, den_measure in ANSWER_OF.items():
        num = exact[exact["measure"] == num_measure]
        den = exact[exact["measure"] == den_measure]
        merged = num.merge(den, on=key, suffixes=("_n", "_d"), how="inner")
        for r in merged.itertuples(index=False):
            rows.append(
                {
                    "direction": r.direction,
                    "counterpart": r.counterpart,
                    "counterpart_name": r.counterpart_name_n,
                    "case_type": r.case_type,
                    "period_start": r.period_start,
                    "period_end": r.period_end,
                    "numerator_measure": num_measure,
                    "numerator": int(r.value_n),
                    "denominator": int(r.value_d),
                    "numerator_claim": r.claim_id_n,
                    "denominator_claim": r.claim_id_d,
                    "source_id": r.source_id_n,
                }
            )
    cols = [
        "direction",
        "counterpart",
        "counterpart_name",
        "case_type",
        "period_start",
        "period_end",
        "numerator_measure",
        "numerator",
        "denominator",
        "rate",
        "not_fulfilled",
        "not_fulfilled_share",
        "numerator_claim",
        "denominator_claim",
        "source_id",
    ]
    df = pd.DataFrame(rows)
    if df.empty:
        return pd.DataFrame(columns=cols)
    df["rate"] = df["numerator"] / df["denominator"]
    df["not_fulfilled"] = df["denominator"] - df["numerator"]
    df["not_fulfilled_share"] = 1 - df["rate"]
    return df[cols].sort_values(["direction", "counterpart", "case_type"], ignore_index=True)


def fulfilment_rate(
    requests: pd.DataFrame, counterpart: str, case_type: str = "all", direction: str = "outgoing"
) -> Rate:
    """The fulfilment rate for one counterpart and case type (latest period).

    Parameters
    ----------
    requests
        The table from :func:`belarus_monitor.load_requests`.
    counterpart
        Country or group code (``"UNFRIENDLY_2022"``, ``"LT"``).
    case_type
        ``"all"``, ``"genocide"``, ``"ordinary_criminal"`` or ``"extradition"``.
    direction
        ``"outgoing"`` (fulfilled / sent) or ``"incoming"`` (granted / received).

    Returns
    -------
    Rate
        Numerator, denominator, rate and the claim ids behind them.

    Raises
    ------
    LookupError
        If the data holds no exact pair of counts for that selection; the message
        lists the selections that have one.
    """
    rates = fulfilment_rates(requests)
    sel = rates[
        (rates["counterpart"] == counterpart)
        & (rates["case_type"] == case_type)
        & (rates["direction"] == direction)
    ]
    if sel.empty:
        have = (
            ", ".join(f"{r.direction}/{r.counterpart}/{r.case_type}" for r in rates.itertuples())
            or "none"
        )
        raise LookupError(
            f"no fulfilled/sent pair for {direction}/{counterpart}/"
            f"{case_type}; the data has: {have}"
        )
    r = sel.sort_values("period_end").iloc[-1]
    return Rate(
        int(r["numerator"]),
        int(r["denominator"]),
        r["numerator_claim"],
        r["denominator_claim"],
        counterpart,
        case_type,
        None if pd.isna(r["period_start"]) else r["period_start"],
        None if pd.isna(r["period_end"]) else r["period_end"],
    )


def claims_for_country(
    table: pd.DataFrame,
    country: str,
    membership: pd.DataFrame,
    column: str = "counterpart",
) -> pd.DataFrame:
    """The claims that concern one country, directly or through a group it belongs to.

    Parameters
    ----------
    table
        A table with a country-or-group column (requests, sanctions regimes).
    country
        ISO code (alpha-2 or alpha-3) or English name, in any case: ``"LT"``,
        ``"lt"``, ``"LTU"``, ``"Lithuania"``.
    membership
        Who is in which group: ``ds.membership`` of a :class:`~belarus_monitor.Dataset`.
    column
        The country-or-group column (``"counterpart"``, ``"jurisdiction"``).

    Returns
    -------
    pandas.DataFrame
        The matching rows with a column ``via``: empty for a direct claim, else the
        group through which the claim concerns the country.

    Raises
    ------
    UnknownCountryError
        If ``country`` is not a known country (never a silent empty result).
    """
    country = normalise_country(country)
    gm = membership
    groups = set(gm.loc[gm["country"] == country, "group_id"])
    mask = (table[column] == country) | table[column].isin(groups)
    out = table[mask].copy()
    out["via"] = out[column].where(out[column] != country).astype("string")
    return out.reset_index(drop=True)


def list_differences(unfriendly: pd.DataFrame, list_a: str, list_b: str) -> pd.DataFrame:
    """Compare two 'unfriendly' lists country by country.

    Parameters
    ----------
    unfriendly
        The table from :func:`belarus_monitor.load_unfriendly_states`.
    list_a, list_b
        Two ``list_id`` values.

    Returns
    -------
    pandas.DataFrame
        One row per country on either list: ``country``, ``country_name``,
        ``in_a``, ``in_b`` and ``difference`` (``"both"``, ``"only in <list_a>"``,
        ``"only in <list_b>"``), differences first.
    """
    known = set(unfriendly["list_id"].astype(str))
    for lst in (list_a, list_b):
        if lst not in known:
            raise KeyError(f"unknown list {lst!r}: expected one of {', '.join(sorted(known))}")
    a = set(unfriendly.loc[unfriendly["list_id"] == list_a, "country"])
    b = set(unfriendly.loc[unfriendly["list_id"] == list_b, "country"])
    names = dict(zip(unfriendly["country"], unfriendly["country_name"], strict=False))
    rows = []
    for c in sorted(a | b):
        diff = "both" if c in a and c in b else f"only in {list_a if c in a else list_b}"
        rows.append(
            {
                "country": c,
                "country_name": names[c],
                "in_a": c in a,
                "in_b": c in b,
                "difference": diff,
            }
        )
    df = pd.DataFrame(rows)
    df["order"] = df["difference"].eq("both")
    return df.sort_values(["order", "country_name"]).drop(columns="order").reset_index(drop=True)


def _names(value: str | Iterable[str]) -> list[str]:
    """One name, or several: ``papermill -p estimators Viasna`` passes a string.

    A name is never split (estimators' names hold commas).
    """
    return [value] if isinstance(value, str) else list(value)


def of_estimators(df: pd.DataFrame, estimators: str | Iterable[str] | None) -> pd.DataFrame:
    """The rows of these estimators (one name or several), as a report's parameter says.

    None, ``""`` or ``[]`` (the parameter's default) is every estimator.
    """
    if estimators is None or isinstance(estimators, str) and not estimators:
        return df
    names = _names(estimators)
    return df[df["estimator"].isin(names)] if names else df


def prisoners_series(
    prisoners: pd.DataFrame,
    estimators: list[str] | None = None,
    start: str | pd.Timestamp | None = None,
    end: str | pd.Timestamp | None = None,
    measure: str = "held",
) -> pd.DataFrame:
    """Select political-prisoner estimates by estimator and date range.

    Parameters
    ----------
    prisoners
        The table from :func:`belarus_monitor.load_political_prisoners`.
    estimators
        Keep these estimators only (all when None); one name on its own is one
        estimator (``papermill -p estimators Viasna`` passes a string).
    start, end
        Inclusive date bounds (ISO strings or timestamps).
    measure
        ``"held"`` (default), ``"recognised_cumulative"`` or ``"released_cumulative"``.

    Returns
    -------
    pandas.DataFrame
        The selected rows, sorted by date.

    Raises
    ------
    ValueError
        If an estimator is unknown (the message lists the known ones) or start > end.
    """
    df = prisoners[prisoners["measure"] == measure]
    if estimators is not None:
        known = set(prisoners["estimator"])
        bad = [e for e in _names(estimators) if e not in known]
        if bad:
            raise ValueError(f"unknown estimator(s) {bad}: expected some of {sorted(known)}")
        df = df[df["estimator"].isin(_names(estimators))]  # [] selects none
    lo = pd.Timestamp(start) if start is not None else None
    hi = pd.Timestamp(end) if end is not None else None
    if lo is not None and hi is not None and lo > hi:
        raise ValueError(f"start {lo.date()} is after end {hi.date()}")
    if lo is not None:
        df = df[df["date"] >= lo]
    if hi is not None:
        df = df[df["date"] <= hi]
    return df.sort_values(["date", "observation_id"]).reset_index(drop=True)


def prisoner_trend(
    prisoners: pd.DataFrame,
    estimator: str = "Viasna",
    start: str | pd.Timestamp | None = None,
    end: str | pd.Timestamp | None = None,
) -> dict:
    """First, last and peak of one estimator's series of political prisoners held.

    Where the estimator gives two figures for the same date (Viasna's end of 2023),
    both are kept in the series; first and last use the first and last rows by date.

    Returns
    -------
    dict
        ``first`` and ``last`` (date, count, observation_id), ``peak`` (the same for
        the highest count), ``change`` (last - first), ``change_per_year`` and
        ``n`` (number of observations).
    """
    s = prisoners_series(prisoners, [estimator], start, end)
    if s.empty:
        raise ValueError(f"no observations for {estimator!r} in that range")

    def point(r: pd.Series) -> dict:
        return {
            "date": r["date"],
            "count": int(r["count"]),
            "observation_id": r["observation_id"],
            "source_id": r["source_id"],
        }

    first, last = s.iloc[0], s.iloc[-1]
    peak = s.loc[s["count"].astype(int).idxmax()]
    years = (last["date"] - first["date"]).days / 365.25
    change = int(last["count"]) - int(first["count"])
    return {
        "first": point(first),
        "last": point(last),
        "peak": point(peak),
        "change": change,
        "change_per_year": change / years if years else float("nan"),
        "n": len(s),
    }


#: A claim's note that forbids computing with it: "Do not sum these claims",
#: "Contradicted by ...".
NOT_TO_SUM = r"\bdo not sum\b|\bnot to be summed\b|\bcontradicted by\b"


def share_of_group(
    requests: pd.DataFrame,
    country: str,
    membership: pd.DataFrame,
) -> pd.DataFrame:
    """A country's exact counts as a share of the same count for a group it is in.

    Germany fulfilled 6 requests while the 'unfriendly' states together fulfilled 33:
    Germany's share is 6 / 33. Only exact counts for the same direction, case type,
    measure and period are compared, and never a claim whose note says not to sum it
    or that it is contradicted (:data:`NOT_TO_SUM`): a share of a total the source itself
    does not add up would be a figure of ours, not theirs.

    Returns
    -------
    pandas.DataFrame
        Columns ``claim_id``, ``group``, ``group_claim``, ``case_type``, ``measure``,
        ``value``, ``group_value``, ``share``.
    """
    country = normalise_country(country)
    gm = membership
    groups = set(gm.loc[gm["country"] == country, "group_id"])
    exact = requests[(requests["qualifier"] == "exact") & requests["value"].notna()]
    notes = exact["note"].astype("string").fillna("")
    exact = exact[~notes.str.contains(NOT_TO_SUM, case=False, regex=True)]
    key = ["direction", "case_type", "measure", "period_start", "period_end"]
    own = exact[exact["counterpart"] == country]
    grp = exact[exact["counterpart"].isin(groups)]
    m = own.merge(grp, on=key, suffixes=("", "_g"))
    out = pd.DataFrame(
        {
            "claim_id": m["claim_id"],
            "group": m["counterpart_g"],
            "group_claim": m["claim_id_g"],
            "case_type": m["case_type"],
            "measure": m["measure"],
            "value": m["value"].astype(int),
            "group_value": m["value_g"].astype(int),
        }
    )
    out["share"] = out["value"] / out["group_value"]
    return out.reset_index(drop=True)


def in_date_range(
    df: pd.DataFrame,
    column: str,
    start: str | pd.Timestamp | None = None,
    end: str | pd.Timestamp | None = None,
    end_column: str | None = None,
) -> pd.DataFrame:
    """Rows whose date (or span, with ``end_column``) lies within ``start``..``end``.

    Parameters
    ----------
    df
        Any table with a date column.
    column
        The date column (the span's first day when ``end_column`` is given).
    start, end
        Inclusive bounds; None for open.
    end_column
        The span's last day, if the rows are spans.
    """
    last = df[end_column] if end_column else df[column]
    mask = pd.Series(True, index=df.index)
    if start is not None:
        mask &= df[column] >= pd.Timestamp(start)
    if end is not None:
        mask &= last <= pd.Timestamp(end)
    return df[mask].reset_index(drop=True)


def designation_gaps(
    designations: pd.DataFrame, regime: str = "belarus", ds: Dataset | None = None
) -> pd.DataFrame:
    """Stated totals that the rounds between them do not add up to.

    For each jurisdiction, every total in force that a source states (individuals,
    entities or combined listings) is compared with the next one: the rounds dated
    after the first total and up to the second should account for the change. A round
    stated by several sources (the same ``round_id``) counts once, with the largest
    figure any one source gives for it (the parts a source gives are added first).
    Dates with two different totals (a conflict between sources) are left out of the
    comparison. Sources disagree; this lists where, it corrects nothing.

    Parameters
    ----------
    designations
        The ``sanctions_designations`` table.
    regime
        The regime whose series is checked.
    ds
        The dataset, for its words of the qualifiers ("more than 100"); without it the
        qualifier's code is spelt out.

    Returns
    -------
    pandas.DataFrame
        Columns ``jurisdiction``, ``what``, ``from``, ``to``, ``change``, ``added``:
        one row per pair of totals whose change the rounds do not explain.
    """
    from belarus_monitor.data.countries import country_name

    def words(q: str) -> str:  # a qualifier in the data's words, before its figure
        if q == "exact":
            return ""
        return (ds.label("qualifier", q) if ds is not None else q.replace("_", " ")) + " "

    df = designations[designations["regime"] == regime]
    rows = []
    for juris, total_col, added_col, what in (
        (j, t, a, w)
        for j in sorted(set(df["jurisdiction"]))
        for t, a, w in (
            ("total_individuals", "individuals_added", "individuals"),
            ("total_entities", "entities_added", "entities"),
            ("total_combined", "combined_added", "listings"),
        )
    ):
        sub = df[df["jurisdiction"] == juris]

        def qualifier(
            date: pd.Timestamp, value: int, sub: pd.DataFrame = sub, col: str = total_col
        ) -> str:
            q = sub.loc[(sub["date"] == date) & (sub[col] == value), "qualifier"].dropna()
            q = [str(x) for x in q if str(x) != "exact"]
            return q[0] if q else "exact"

        totals = sub[sub[total_col].notna()].groupby("date")[total_col].agg(set)
        totals = totals[totals.map(len) == 1].map(lambda s: int(next(iter(s))))
        rounds = sub[(sub["row_kind"] == "round") & sub[added_col].notna()]
        per_round = (
            rounds.groupby(["round_id", "source_id"], dropna=False)
            .agg(date=("date", "max"), n=(added_col, "sum"))
            .groupby(level=0)
            .agg(date=("date", "max"), n=("n", "max"))
        )
        dates = list(totals.index)
        for d1, d2 in zip(dates, dates[1:], strict=False):
            added = int(
                per_round.loc[(per_round["date"] > d1) & (per_round["date"] <= d2), "n"].sum()
            )
            change = totals[d2] - totals[d1]
            if added != change:
                name = "the European Union" if juris == "EU27" else country_name(juris)
                q1, q2 = qualifier(d1, totals[d1]), qualifier(d2, totals[d2])
                rows.append(
                    {
                        "jurisdiction": name,
                        "what": what,
                        "from": f"{words(q1)}{totals[d1]:,} on {d1:%Y-%m-%d}",
                        "to": f"{words(q2)}{totals[d2]:,} on {d2:%Y-%m-%d}",
                        "change": f"{change:+,}"
                        + ("" if q1 == q2 == "exact" else " (from figures that are not exact)"),
                        "added": f"{added:,}",
                    }
                )
    return pd.DataFrame(rows, columns=["jurisdiction", "what", "from", "to", "change", "added"])


def release_events(releases: pd.DataFrame, max_days: int = 31) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Split releases into single events and totals over a period.

    A row that is part of another (``part_of``) is in neither: its whole is. A row is a
    total over a period, not an event, when it spans more than ``max_days`` days or
    when another release of the data falls inside its span (a month's total that
    holds the pardons of that month; "156 since late November" holding 123, 31 and 2).

    Returns
    -------
    tuple of pandas.DataFrame
        ``(events, totals)``, rows of ``releases``.
    """
    whole = releases[releases["part_of"].isna()]
    length = (whole["date_to"] - whole["date_from"]).dt.days
    spans = whole[length > 0]
    holds = set()
    for r in spans.itertuples():
        others = whole[
            (whole["event_id"] != r.event_id)
            & (whole["date_from"] >= r.date_from)
            & (whole["date_to"] <= r.date_to)
        ]
        if len(others):
            holds.add(r.release_id)
    total = (length > max_days) | whole["release_id"].isin(holds)
    return whole[~total], whole[total]
