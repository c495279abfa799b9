"""The fixes of the November 2026 data audit stay fixed (W1-W8, U1-U5, S1-S6, cosmetic).

Every assertion goes through the public API and fails if the old, wrong data returns.
"""

import pandas as pd
import pytest
from conftest import edit_csv

import belarus_monitor as bm

FULFILLED_REQUESTS = ("DE", "SK", "AT")
QUOTE_TABLES = (
    "requests",
    "groups",
    "group_members",
    "unfriendly_states",
    "cases",
    "sanctions_regimes",
    "eu_alignment",
    "political_prisoners",
    "prisoner_releases",
)


@pytest.fixture(scope="module")
def requests():
    return bm.load_requests()


@pytest.fixture(scope="module")
def language():
    s = bm.load_sources()
    return dict(zip(s["source_id"], s["language"], strict=True))


def by_id(df, col, key):
    row = df[df[col] == key]
    assert len(row) == 1, key
    return row.iloc[0]


# W5 -------------------------------------------------------------------------------


@pytest.mark.parametrize("country", FULFILLED_REQUESTS)
def test_no_response_never_reaches_the_states_that_fulfilled_requests(requests, country):
    claims = bm.claims_for_country(requests, country, bm.open().membership)
    assert not (claims["status"] == "no_response").any()
    assert "req-010" not in set(claims["claim_id"])
    assert set(claims["status"].dropna()) <= {"cooperates"}


def test_no_response_reaches_the_other_unfriendly_states(requests):
    for country in ("FR", "RS", "GB"):
        claims = bm.claims_for_country(requests, country, bm.open().membership)
        row = claims[claims["claim_id"] == "req-010"]
        assert list(row["via"]) == ["UNFRIENDLY_2022_OTHERS"], country
        assert list(row["status"]) == ["no_response"]
    # Audit 2026-12: the article says the Baltic states and Poland "practically ignore"
    # requests and Switzerland "suspended" them; "no response" is not said of them.
    for country in ("PL", "LT", "LV", "EE", "CH"):
        claims = bm.claims_for_country(requests, country, bm.open().membership)
        assert "req-010" not in set(claims["claim_id"]), country


def test_other_unfriendly_states_are_the_articles_list_without_those_named_apart():
    # Data 2.2.0: "the other 'unfriendly' countries" of the Pozirk article are read
    # from the article's own list (Serbia on it; Australia and New Zealand not).
    gm = bm.group_membership()
    official = set(gm.loc[gm["group_id"] == "UNFRIENDLY_2022", "country"])
    article = set(gm.loc[gm["group_id"] == "UNFRIENDLY_POZIRK_2024", "country"])
    others = set(gm.loc[gm["group_id"] == "UNFRIENDLY_2022_OTHERS", "country"])
    assert len(official) == 39 and article - official == {"RS"}
    assert official - article == {"AU", "NZ"}
    named_apart = {"PL", "LT", "LV", "EE", "CH", "US"}  # the article's other sentences
    assert others == article - set(FULFILLED_REQUESTS) - named_apart
    members = bm.load_group_members()
    rows = members[members["group_id"] == "UNFRIENDLY_2022_OTHERS"]
    assert (rows["source_id"] == "pozirk-92555").all()
    assert rows["quote"].str.contains("Serbia").all()
    kind = by_id(bm.load_groups(), "group_id", "UNFRIENDLY_2022_OTHERS")["kind"]
    assert kind == "aggregate"


# W2, W7 ---------------------------------------------------------------------------


def test_uk_regime_does_not_start_in_2019():
    s = bm.load_sanctions_regimes()
    gb = s[s["jurisdiction"] == "GB"]
    assert len(gb) >= 1
    starts = gb[gb["role"].astype(str).str.startswith("first")]
    assert not (starts["date"].dt.year <= 2019).any()
    in_2019 = gb[gb["date"].dt.year == 2019]
    assert set(in_2019["role"]) <= {"legal_basis"}
    assert set(in_2019["date_kind"]) <= {"partly_in_force"}
    assert in_2019["note"].str.contains("regulation 1").all()


def test_first_act_is_the_earliest_of_its_jurisdiction():
    s = bm.load_sanctions_regimes()
    for jur, rows in s.groupby("jurisdiction", observed=True):
        for role in ("first", "first_asset_freeze"):
            firsts = rows[rows["role"] == role]
            assert len(firsts) <= 1, (jur, role)
        first = rows[rows["role"] == "first"]
        if len(first):
            assert first["date"].item() == rows["date"].min(), jur
    assert by_id(s, "regime_id", "eu-765-2006")["role"] == "first_asset_freeze"
    assert by_id(s, "regime_id", "us-eo-13405")["role"] == "first_asset_freeze"
    proc = by_id(s, "regime_id", "us-proc-8015")
    assert proc["role"] == "first" and proc["date"] == pd.Timestamp("2006-05-12")
    assert "Proclamation 8015 of May 12, 2006" in proc["quote"]


# English glosses and publisher kinds ---------------------------------------------


@pytest.mark.parametrize("table", QUOTE_TABLES)
def test_every_non_english_quote_has_a_gloss(table, language):
    df = bm.load_table(table)
    foreign = df[df["source_id"].map(language) != "en"]
    assert foreign["quote_en"].notna().all(), list(
        foreign.loc[foreign["quote_en"].isna()].iloc[:, 0]
    )
    if "period_quote" in df:
        p = df[df["period_quote"].notna() & (df["period_source_id"].map(language) != "en")]
        assert len(p) > 0 and p["period_quote_en"].notna().all()


def test_every_source_has_a_kind_and_an_english_title():
    s = bm.load_sources()
    assert s["publisher_kind"].notna().all()
    foreign = s[(s["language"] != "en") & ~s["title_supplied"]]  # a supplied title is English
    assert len(foreign) >= 10 and foreign["title_en"].notna().all()
    kind = s.set_index("source_id")["publisher_kind"]
    assert kind["tass-18751365"] == "state_media"
    assert kind["spring96-113805"] == "ngo"
    assert kind["legislation-uk-uksi-2019-600"] == "official"


def test_validator_names_a_missing_gloss(data_copy):
    edit_csv(
        data_copy / "prisoner_releases.csv",
        ",189 political prisoners were forcibly taken out of Belarus.,",
        ",,",
    )
    edit_csv(data_copy / "sources.csv", ",Regulation on special measures against Belarus,", ",,")
    problems = bm.validate(data_copy)
    assert [(p.file, p.row, p.column) for p in problems] == [
        ("sources.csv", 20, "title_en"),
        ("prisoner_releases.csv", 12, "quote_en"),
    ]


# W1, W3, W4, W6, W8, U1-U5, C-items -----------------------------------------------


def test_kasinsky_requests_reported_in_august_2022(requests):
    for cid in ("req-027", "req-028", "req-029", "req-030"):
        note = by_id(requests, "claim_id", cid)["note"]
        assert "August 2022" in note and "early 2022" in note
    src = by_id(bm.load_sources(), "source_id", "bagnet-1336479")
    assert src["published"] == pd.Timestamp("2022-08-01")
    assert src["published_precision"] == "month"


def test_as_of_dates_not_after_publication():
    p = bm.load_political_prisoners()
    s = bm.load_sources().set_index("source_id")
    r = by_id(p, "observation_id", "pp-028")
    assert r["date"] <= s.loc[r["source_id"], "published"]
    assert r["date"] == pd.Timestamp("2025-09-29")
    r = by_id(p, "observation_id", "pp-019")
    assert r["date_precision"] == "month" and r["date"] >= pd.Timestamp("2024-06-01")
    assert by_id(p, "observation_id", "pp-001")["date_precision"] == "month"


def test_viasna_annual_figures_end_on_23_december():
    rel = bm.load_prisoner_releases()
    for rid in ("rel-009", "rel-010", "rel-011"):
        assert by_id(rel, "release_id", rid)["date_to"] == pd.Timestamp("2025-12-23")


def test_fifteen_hundred_is_at_least():
    r = by_id(bm.load_political_prisoners(), "observation_id", "pp-011")
    assert r["qualifier"] == "at_least" and "almeno" in r["quote"]


def test_2022_356_date_is_the_adoption_not_the_alignment():
    a = bm.load_eu_alignment()
    rows = a[a["decision"] == "Decision (CFSP) 2022/356"]
    assert len(rows) == 7 and set(rows["date_kind"]) == {"decision_adopted"}
    assert (a["decision"] == "Implementing Decision (CFSP) 2020/1388").sum() == 7


def test_group_descriptions_assert_no_unsourced_date():
    g = bm.load_groups().set_index("group_id")
    assert "6 April" not in g.loc["UNFRIENDLY_2022", "description"]
    assert "2020" not in g.loc["EU27", "description"]


def test_unsupported_request_mappings_removed(requests):
    r = by_id(requests, "claim_id", "req-018")
    assert r["counterpart"] != "CLOSEST_NEIGHBOURS" and r["case_type"] == "all"
    assert bm.expand_group(r["counterpart"]) == []
    for cid in ("req-032", "req-036"):
        r = by_id(requests, "claim_id", cid)
        assert pd.isna(r["period_start"])
        assert r["period_end"] == pd.Timestamp("2021-10-28")
    assert by_id(requests, "claim_id", "req-034")["case_type"] == "international_search"


def test_source_contradictions_are_noted(requests):
    for cid in ("req-004", "req-008", "req-009"):
        assert "contradict" in by_id(requests, "claim_id", cid)["note"].lower()
    # req-023 (the Pravda network's English reprint of the same statement) is gone:
    # the figure rests on TASS's own page.
    assert "req-023" not in set(requests["claim_id"])
    assert by_id(requests, "claim_id", "req-024")["source_id"] == "tass-18751365"
    assert "neither" in by_id(requests, "claim_id", "req-013")["note"]


def test_novinite_title_and_tass_publisher():
    s = bm.load_sources().set_index("source_id")
    assert s.loc["novinite-214652", "title"] == 'Belarus declared Bulgaria an "unfriendly" country'
    assert not s.loc["novinite-214652", "title_supplied"]
    assert s.loc["tass-18751365", "publisher"].startswith("TASS")
    # Source policy: no figure rests on the Pravda network or News Front.
    assert not s["url"].str.contains("news-pravda.com|news-front", regex=True).any()
