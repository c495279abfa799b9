"""Round 3: requests and extraditions, named cases, political prisoners and releases."""

import pandas as pd
import pytest

import belarus_monitor as bm


@pytest.fixture(scope="module")
def pp():
    return bm.load_political_prisoners()


@pytest.fixture(scope="module")
def rel():
    return bm.load_prisoner_releases()


def _rows(df, **kw):
    sel = df
    for k, v in kw.items():
        sel = sel[sel[k] == v]
    return sel


def test_viasna_held_counts(pp):
    for date, count in (("2024-08-31", 1376), ("2025-12-23", 1135)):
        sel = _rows(pp, date=pd.Timestamp(date), measure="held", estimator="Viasna")
        assert list(sel["count"]) == [count]
        assert sel.iloc[0]["date_precision"] == "day"
    # the conflicting end-of-2025 figures stand side by side
    dec = pp[(pp["date"] >= "2025-12-01") & (pp["measure"] == "held")]
    assert {1135, 1131, 1100} <= set(dec["count"])
    # September 2024: Viasna's review (1,317) beside Pozirk's 1,325
    assert {1317, 1325} <= set(pp[pp["date"].dt.strftime("%Y-%m") == "2024-09"]["count"])


def test_other_estimators_stay_separate(pp):
    lat = _rows(pp, count=1609)
    assert len(lat) == 1 and "Latushka" in lat.iloc[0]["estimator"]
    assert "Viasna" not in set(_rows(pp, count=1609)["estimator"])
    s = bm.prisoners_series(pp, ["Viasna"], "2024-01-01", "2024-01-31")
    assert 1609 not in set(s["count"])


def test_52_of_whom_viasna_counts_40(rel):
    ev = _rows(rel, event_id="ev-2025-09-11")
    whole = ev[ev["part_of"].isna()]
    assert sorted(whole["count"]) == [52]
    r52 = whole.iloc[0]
    r40 = ev[ev["count"] == 40].iloc[0]
    # Viasna's 40 political prisoners are a part of the 52, counted by another claimant.
    assert r40["part_of"] == r52["release_id"] and "Viasna" in r40["description"]
    assert r40["source_id"] != r52["source_id"]


def test_official_pardons_apart_from_viasna(rel):
    assert set(rel["claimant_kind"].dropna()) <= {
        "official",
        "ngo",
        "foreign_official",
        "media",
        "opposition",
    }
    assert rel["claimant_kind"].notna().all()
    official = rel[rel["claimant_kind"] == "official"]
    assert not official["claimant"].str.contains("Viasna").any()
    viasna = rel[rel["claimant"].str.contains("Viasna")]
    assert (viasna["claimant_kind"] == "ngo").all() and 569 in set(viasna["count"])
    # Dissidentby's 24 pardon releases stand beside Viasna's 342 pardoned in 2025
    assert {24, 342} <= set(_rows(rel, measure="pardoned")["count"])


def test_flows_are_not_in_the_held_series(pp):
    flows = bm.load_table("prisoner_flows")
    assert {509, 283, 1700, 300} <= set(flows["count"])
    held = pp[pp["measure"] == "held"]
    for _, f in flows.iterrows():
        same = held[(held["source_id"] == f["source_id"]) & (held["count"] == f["count"])]
        assert same.empty, f["flow_id"]
    assert 509 not in set(held["count"]) and 283 not in set(held["count"])
    assert set(pp["measure"]) <= {"held", "recognised_cumulative", "released_cumulative"}


def test_gnyot_case_and_events():
    cases = bm.load_table("named_cases").set_index("case_id")
    g = cases.loc["gnyot"]
    assert (g["requested_state"], g["requesting_state"]) == ("RS", "BY")
    assert g["outcome"] == "released" and g["outcome_date"] == pd.Timestamp("2024-10-31")
    ev = bm.load_table("case_events")
    ge = ev[ev["case_id"] == "gnyot"].sort_values("event_id")
    got = {
        (d.strftime("%Y-%m-%d") if pd.notna(d) else None, k)
        for d, k in zip(ge["date"], ge["kind"], strict=True)
    }
    assert {
        ("2023-10-30", "detention"),
        ("2024-05-31", "court_decision"),
        ("2024-10-31", "release"),
        (None, "interpol_action"),
    } <= got
    assert ge["source_id"].notna().all() and (ge["quote"].str.len() > 10).all()
    # Nothing happens before the arrest; the annulment is dated by two sources that
    # disagree (Amnesty: February 2024; AP: early March), both kept.
    assert (ge["date"].dropna() >= pd.Timestamp("2023-10-30")).all()
    annulled = ge[ge["description"].str.contains("annul|overturned", case=False)]
    assert set(annulled["date"].dt.month) >= {2, 3} and annulled["source_id"].nunique() >= 2
    for other, state in (("putsila", "PL"), ("tsepkalo", "LV"), ("kudzin", "RU")):
        assert cases.loc[other, "requested_state"] == state


def test_every_case_has_an_event_and_a_source():
    cases = bm.load_table("named_cases")
    ev = bm.load_table("case_events")
    assert set(cases["case_id"]) == set(ev["case_id"])
    assert set(ev["source_id"]) <= set(bm.load_sources()["source_id"])


def test_russia_belarus_people_counts_not_in_requests():
    wp = bm.load_table("wanted_persons")
    row = wp[(wp["measure"] == "handed_over") & (wp["value"] == 225)].iloc[0]
    assert (row["sought_by"], row["in_state"]) == ("BY", "RU")
    assert 225 not in set(bm.load_requests()["value"].dropna())
    rc = bm.load_table("return_commission")
    assert {60, 150, 323, 30} <= set(rc["count"])


NEW_TABLES = ["wanted_persons", "return_commission", "case_events", "prisoner_flows"]
#: Rows of existing tables added in round 3 (ids from these on).
NEW_ROWS = {
    "requests": ("claim_id", "req-037"),
    "political_prisoners": ("observation_id", "pp-033"),
    "prisoner_releases": ("release_id", "rel-015"),
}
#: Non-English pages whose quote is in English (a tweet quoted in the original).
ENGLISH_QUOTES = {"unn-blinken"}


def test_every_non_english_quote_has_a_gloss():
    lang = bm.load_sources().set_index("source_id")["language"]
    frames = [bm.load_table(t) for t in NEW_TABLES]
    for t, (col, first) in NEW_ROWS.items():
        df = bm.load_table(t)
        frames.append(df[df[col] >= first])
    checked = 0
    for df in frames:
        for _, r in df.iterrows():
            if lang[r["source_id"]] != "en" and r["source_id"] not in ENGLISH_QUOTES:
                assert pd.notna(r["quote_en"]) and r["quote_en"], (df.attrs["resource"], r.iloc[0])
                checked += 1
    assert checked > 50


def test_known_gaps_are_listed():
    import json

    from belarus_monitor import config

    pkg = json.loads((config.DATA_DIR / "datapackage.json").read_text(encoding="utf-8"))
    gaps = {r["name"]: r.get("x-known-gaps", []) for r in pkg["resources"]}
    assert any("Interpol" in g for g in gaps["requests"])
    assert any("April to November 2025" in g for g in gaps["political_prisoners"])
    assert any("250" in g for g in gaps["prisoner_releases"])


def test_round3_checks_catch_errors(tmp_path):
    import shutil

    from belarus_monitor import config

    data = tmp_path / "data"
    shutil.copytree(config.DATA_DIR, data)
    ev = data / "case_events.csv"
    text = ev.read_text(encoding="utf-8")
    # DW's page is of 2024-08-28: an event dated after it is an error
    ev.write_text(
        text.replace("ce-001,gnyot,2023-10-30,day", "ce-001,gnyot,2024-10-30,day"), encoding="utf-8"
    )
    problems = [str(p) for p in bm.validate(data)]
    assert any("case_events.csv" in p and "publication" in p for p in problems), problems
    ev.write_text(text.replace(",turkish-citizen,", ",gnyot,"), encoding="utf-8")
    problems = [str(p) for p in bm.validate(data)]
    assert any("named_cases.csv" in p and "at least one event" in p for p in problems)
