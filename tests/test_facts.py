"""What a profile says first, and derived figures a reader can quote (issue 20)."""

from __future__ import annotations

import re

import matplotlib.pyplot as plt
import pandas as pd
import pytest

import belarus_monitor as bm
from belarus_monitor.analysis.profile import countries_in_data
from belarus_monitor.words.facts import key_facts, latest_fact, list_version_sentences


@pytest.fixture(scope="module")
def ds():
    return bm.open()


@pytest.fixture(scope="module")
def profiles(ds):
    return {c: bm.profile.country_profile(ds, c) for c in countries_in_data(ds)}


def test_key_facts_for_every_state_in_words(ds, profiles):
    assert len(profiles) > 40
    for code, profile in profiles.items():
        facts = dict(key_facts(profile, ds))
        assert facts, code
        for label, text in facts.items():
            codes = r"\b(?!EU\b)[A-Z]{2}\b|_|\bnan\b|\bNaT\b|\bNone\b"
            assert not re.search(codes, text), (code, text)
            assert text.strip(), (code, label)
        on_list = facts["On Belarus' 'unfriendly' list"]
        assert on_list.startswith("yes") == (len(profile.lists) > 0), code


def test_a_fact_said_of_a_group_is_marked_as_such(ds, profiles):
    albania = dict(key_facts(profiles["AL"], ds))
    assert "Belarus' requests, by name" not in albania
    assert "said of the other 'unfriendly' states" in albania["Said only of a group it belongs to"]
    germany = dict(key_facts(profiles["DE"], ds))
    answers = germany["Belarus' requests, by name"]
    assert "fulfilled 6 of Belarus' requests" in answers
    assert "January 2023 to 20 June 2024" in answers
    assert "According to Belarus Prosecutor General's Office" in answers


def test_eu_wide_sanctions_are_one_line_not_the_eu_table(ds, profiles):
    germany = profiles["DE"]
    assert len(germany.designations) > 20  # the EU's, through membership
    assert germany.own_designations.empty and germany.own_regimes.empty
    facts = dict(key_facts(germany, ds))
    assert "European Union's, as a member state" in facts["Sanctions on Belarus"]
    us = dict(key_facts(profiles["US"], ds))
    assert (
        "its own:" in us["Sanctions on Belarus"]
        and "European Union" not in us["Sanctions on Belarus"]
    )


def test_the_latest_dated_fact_is_the_newest_date_about_the_state(ds, profiles):
    for code in ("LT", "US", "KZ", "UA", "JP"):
        p = profiles[code]
        dates = [d for d in p.direct_claims["period_end"].dropna()]
        dates += list(p.own_designations["date"].dropna())
        dates += list(p.events["date"].dropna())
        dates += list(p.releases["date_to"].dropna())
        dates += list(p.alignment["date"].dropna())
        found = latest_fact(p, ds)
        assert found is not None and found[0] == max(pd.Timestamp(d) for d in dates), code


def test_a_sources_version_of_a_list_is_not_a_second_list(ds, profiles):
    assert ds.list_versions == {"UNFRIENDLY_POZIRK_2024": "UNFRIENDLY_2022"}
    for code, profile in profiles.items():
        assert not set(profile.lists["list_id"]) & set(ds.list_versions), code
    australia = list_version_sentences(profiles["AU"], ds)
    assert australia and "but not mentioned in the list as the Pozirk article" in australia[0]
    serbia = list_version_sentences(profiles["RS"], ds)
    assert serbia and "names it" in serbia[0]
    assert list_version_sentences(profiles["DE"], ds) == []
    assert "on Belarus' list of 'unfriendly' states" in bm.stories.profile_lede(profiles["DE"], ds)


def test_a_version_must_name_another_list(data_copy):
    from conftest import edit_csv

    edit_csv(
        data_copy / "groups.csv",
        ",UNFRIENDLY_2022\n",
        ",BALTIC\n",
    )
    problems = bm.validate(data_copy)
    assert any(p.column == "version_of" and p.value == "BALTIC" for p in problems)


def test_no_share_of_a_figure_the_source_says_not_to_sum(ds):
    shares = bm.metrics.share_of_group(ds.requests, "DE", ds.membership)
    # Germany's 4 'genocide' requests: the note says not to sum them (Slovakia and
    # Austria fulfilled some too): no "100% of 4".
    assert set(shares["case_type"]) == {"all"}
    assert list(shares["value"]) == [6] and list(shares["group_value"]) == [33]


def test_a_part_is_shown_as_a_part(ds):
    flows = ds.table("prisoner_flows")
    part = flows[flows["part_of"].notna()]
    assert len(part)
    table = bm.tables.flows(flows, flows.iloc[0:0], ds)
    for r in part.itertuples():
        whole = flows.set_index("flow_id").loc[r.part_of]
        row = table[table["figure"] == bm.tables._figure(r.count, r.qualifier, ds)]
        what = " ".join(row["what"])
        assert what.startswith("part of the"), what
        assert f"{int(whole['count']):,}" in what


def test_counterparts_on_one_scale(ds):
    req = ds.requests
    end = bm.fulfilment_rate(req, "UNFRIENDLY_2022").period_end
    fig = bm.charts.counterpart_figures(req[req["period_end"] == end], ds, highlight="DE")
    try:
        axes = [ax for ax in fig.axes if ax.get_visible()]
        assert len(axes) == 2  # sent abroad, received: apart
        assert len({ax.get_xlim() for ax in axes}) == 1  # one scale
        data = fig.data
        assert set(data["Direction"]) == {"Belarus' requests abroad", "requests to Belarus"}
        assert len(data) == sum(len(ax.patches) for ax in axes)
        us = data[data["State"] == "United States"].iloc[0]
        assert us["Qualifier"] == "about" and us["Figure"] == 24
        assert len(fig.alt) <= 300
    finally:
        plt.close(fig)


def test_a_period_total_never_shares_the_running_totals_axis(ds):
    fig = bm.charts.genocide_requests_timeline(ds.requests, ds)
    try:
        assert "Counted from" in fig.data.columns
        assert fig.data["Counted from"].isna().all()  # running totals only
        assert 111 not in set(fig.data["Figure"])
        assert "111 requests (the 'unfriendly' states)" in fig.alt
    finally:
        plt.close(fig)


def test_the_index_sorts_every_state_as_its_profile_does(ds, profiles):
    from belarus_monitor.analysis.profile import substances

    fast = substances(ds)
    assert fast == {code: p.substance for code, p in profiles.items()}
    assert {"figures", "statements", "groups"} == set(fast.values())


def test_a_year_known_only_as_a_year_is_said_as_that_year():
    from belarus_monitor.site.report import period_text
    from belarus_monitor.words.stories import span

    # "January 2021 to 2021" says less than "2021", and looks like an error.
    assert period_text("2021-01-01", "2021-12-31", "year") == "2021"
    assert span("2021-01-01", "2021-12-31", "year") == "in 2021"
    assert period_text("2021-01-01", "2021-10-01", "month") == "Jan 2021 to Oct 2021"
    assert span("2020-01-01", "2021-12-31", "year") == "between January 2020 and 2021"


def test_a_share_is_said_as_a_share_of_the_requests(ds):
    from belarus_monitor.site.report import figure_text

    # "sent: 78.8%" read as a count; the share is of all requests (the quote says which).
    assert figure_text(None, "exact", None, 78.8, ds) == "78.8% of all requests"
    assert figure_text(24, "about", None, None, ds) == "about 24"
