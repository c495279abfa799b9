import pandas as pd
import pytest

import belarus_monitor as bm


@pytest.fixture(scope="module")
def requests():
    return bm.load_requests()


def test_expand_groups():
    assert bm.expand_group("BALTIC") == ["EE", "LT", "LV"]
    official = bm.expand_group("UNFRIENDLY_2022")
    assert len(official) == 39 and "AU" in official and "RS" not in official
    article = bm.expand_group("UNFRIENDLY_POZIRK_2024")
    assert "RS" in article and "NZ" not in article
    assert bm.expand_group("DE") == ["DE"]
    assert bm.expand_group("INTERPOL") == []
    with pytest.raises(KeyError, match="NOPE"):
        bm.expand_group("NOPE")


def test_groups_of_lithuania():
    assert {"BALTIC", "EU27", "UNFRIENDLY_2022"} <= set(bm.groups_of("LT"))
    assert "EU27" not in bm.groups_of("US")


def test_fulfilment_rate_unfriendly(requests):
    r = bm.fulfilment_rate(requests, "UNFRIENDLY_2022")
    assert (r.numerator, r.denominator, r.remainder) == (33, 239, 206)
    assert r.rate == pytest.approx(33 / 239)
    assert r.numerator_claim == "req-002" and r.denominator_claim == "req-001"
    assert r.period_start == pd.Timestamp("2023-01-01")
    assert r.period_end == pd.Timestamp("2024-06-20")


def test_fulfilment_rate_genocide_and_incoming(requests):
    g = bm.fulfilment_rate(requests, "UNFRIENDLY_2022", "genocide")
    assert (g.numerator, g.denominator) == (4, 111)
    lt = bm.fulfilment_rate(requests, "LT", "extradition", direction="incoming")
    assert (lt.numerator, lt.denominator, lt.rate) == (3, 3, 1.0)


def test_fulfilment_rate_missing_pair_names_what_exists(requests):
    with pytest.raises(LookupError, match="UNFRIENDLY_2022/all"):
        bm.fulfilment_rate(requests, "DE")


def test_rates_table(requests):
    rates = bm.fulfilment_rates(requests)
    row = rates[(rates["counterpart"] == "UNFRIENDLY_2022") & (rates["case_type"] == "all")]
    assert row["not_fulfilled_share"].item() == pytest.approx(206 / 239)


def test_claims_for_country_direct_and_through_groups(requests):
    lt = bm.claims_for_country(requests, "LT", bm.open().membership)
    direct = lt[lt["via"].isna()]
    assert set(direct["claim_id"]) >= {"req-019", "req-020"}
    assert lt.loc[lt["claim_id"] == "req-012", "via"].item() == "BALTIC"
    assert "UNFRIENDLY_2022" in set(lt["via"].dropna())
    de = bm.claims_for_country(requests, "DE", bm.open().membership)
    assert de.loc[de["claim_id"] == "req-006", "value"].item() == 6
    assert "BALTIC" not in set(de["via"].dropna())


def test_claims_for_country_sanctions():
    s = bm.load_sanctions_regimes()
    de = bm.claims_for_country(s, "DE", bm.open().membership, column="jurisdiction")
    assert set(de["jurisdiction"]) == {"EU27"} and len(de) >= 1
    us = bm.claims_for_country(s, "US", bm.open().membership, column="jurisdiction")
    assert set(us["legal_act"]) == {
        "Proclamation 8015 (suspension of entry)",
        "Executive Order 13405",
        "Executive Order 14038",
    }


def test_list_differences():
    d = bm.list_differences(
        bm.load_unfriendly_states(), "UNFRIENDLY_2022", "UNFRIENDLY_POZIRK_2024"
    )
    only = d[d["difference"] != "both"].set_index("country")["difference"].to_dict()
    assert only == {
        "AU": "only in UNFRIENDLY_2022",
        "NZ": "only in UNFRIENDLY_2022",
        "RS": "only in UNFRIENDLY_POZIRK_2024",
    }
    assert (d["difference"] == "both").sum() == 37
    with pytest.raises(KeyError, match="unknown list"):
        bm.list_differences(bm.load_unfriendly_states(), "UNFRIENDLY_2022", "X")


def test_prisoners_series_and_trend():
    p = bm.load_political_prisoners()
    s = bm.prisoners_series(p, ["Viasna"], "2023-12-01", "2023-12-31")
    assert sorted(s["count"].tolist()) == [1452, 1477]
    assert set(bm.prisoners_series(p)["measure"]) == {"held"}
    with pytest.raises(ValueError, match="unknown estimator"):
        bm.prisoners_series(p, ["Nobody"])
    with pytest.raises(ValueError, match="after end"):
        bm.prisoners_series(p, None, "2024-01-01", "2023-01-01")
    t = bm.prisoner_trend(p, "Viasna", end="2024-06-30")
    assert t["first"]["count"] == 169 and t["last"]["count"] == 1413
    assert t["peak"]["count"] == 1525 and t["change"] == 1413 - 169


def test_one_estimator_given_as_a_name_is_one_estimator():
    """``papermill -p estimators Viasna`` passes a string, not a list."""
    from belarus_monitor.words.tables import range_words

    prisoners = bm.load_political_prisoners()
    one = bm.prisoners_series(prisoners, "Viasna")
    assert len(one) > 10 and set(one["estimator"]) == {"Viasna"}
    assert one.equals(bm.prisoners_series(prisoners, ["Viasna"]))
    named = "FIDH, Viasna and OMCT (statement to the UN Human Rights Council)"
    assert set(bm.prisoners_series(prisoners, named)["estimator"]) <= {named}  # never split
    assert range_words("", "", "Viasna")["Estimators"] == "Viasna"
    assert range_words("", "", ["Viasna", "Human Rights Watch"])["Estimators"] == (
        "Viasna, Human Rights Watch"
    )
    flows = bm.load_table("prisoner_flows")
    assert bm.metrics.of_estimators(flows, "Viasna").equals(
        bm.metrics.of_estimators(flows, ["Viasna"])
    )
    assert set(bm.metrics.of_estimators(flows, "Viasna")["estimator"]) <= {"Viasna"}
    assert bm.metrics.of_estimators(flows, None).equals(flows)
    assert bm.metrics.of_estimators(flows, []).equals(flows)
