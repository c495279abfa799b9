"""The sanctions_designations table: curated-facts-2 (sanctions designations, 2020-2026)."""

import json

import pandas as pd
import pytest
from conftest import edit_csv

import belarus_monitor as bm
from belarus_monitor import config
from belarus_monitor.data.numbers import numbers_in, parse_figure
from belarus_monitor.data.validation import validate
from belarus_monitor.words.tables import DESIGNATION_FIGURES

FIGURES = list(DESIGNATION_FIGURES)


@pytest.fixture(scope="module")
def des():
    return bm.load_table("sanctions_designations")


@pytest.fixture(scope="module")
def src():
    return bm.load_sources().set_index("source_id")


def rows(df, **kw):
    sel = df
    for k, v in kw.items():
        sel = sel[sel[k] == v]
    return sel


@pytest.mark.parametrize(
    "date,individuals,entities", [("2023-08-03", 233, 37), ("2026-02-26", 312, 57)]
)
def test_eu_totals(des, date, individuals, entities):
    sel = rows(
        des,
        jurisdiction="EU27",
        regime="belarus",
        date=pd.Timestamp(date),
        total_individuals=individuals,
    )
    assert len(sel) >= 1
    assert (sel["total_entities"] == entities).all()


def test_us_2021_08_09_both_figures_stand_side_by_side(des):
    sel = rows(des, jurisdiction="US", date=pd.Timestamp("2021-08-09"))
    pairs = {(r.individuals_added, r.entities_added) for r in sel.itertuples()}
    assert {(23, 21), (27, 17)} <= pairs
    a = sel[(sel["individuals_added"] == 23) & (sel["entities_added"] == 21)]
    b = sel[(sel["individuals_added"] == 27) & (sel["entities_added"] == 17)]
    assert set(a["designation_id"]).isdisjoint(b["designation_id"])
    assert set(a["source_id"]).isdisjoint(b["source_id"])
    groups = set(a["conflict_group"]) | set(b["conflict_group"])
    assert len(groups) == 1 and groups.pop().startswith("cf-")


def test_every_conflict_group_has_at_least_two_rows(des):
    counts = des["conflict_group"].dropna().value_counts()
    assert len(counts) >= 5
    assert (counts >= 2).all()


def test_non_english_quotes_have_a_gloss(des, src):
    lang = des["source_id"].map(src["language"])
    assert lang.notna().all()
    foreign = des[lang != "en"]
    assert len(foreign) >= 5
    assert foreign["quote_en"].notna().all()
    assert des.loc[lang == "en", "quote_en"].isna().all()


def test_every_figure_occurs_in_its_quote(des):
    for r in des.itertuples():
        alias = r.quote_figure if isinstance(r.quote_figure, str) else ""
        words = {
            parse_figure(p.strip()) for p in alias.split("|") if p.strip() and p.strip() in r.quote
        }
        found = numbers_in(r.quote) | {w for w in words if w is not None}
        for col in FIGURES:
            v = getattr(r, col)
            if pd.notna(v):
                assert float(v) in found, (r.designation_id, col, v)


def test_rows_with_figures_have_a_qualifier(des):
    has = des[FIGURES].notna().any(axis=1)
    assert des.loc[has, "qualifier"].notna().all()
    assert des.loc[~has, "qualifier"].isna().all()


def test_ukraine_regime_row_is_another_regime(des):
    sel = rows(des, jurisdiction="EU27", regime="eu_ukraine")
    assert len(sel) >= 1
    assert (sel["regime"] != "belarus").all()
    assert (sel["individuals_added"] == 22).any()
    belarus_series = rows(des, jurisdiction="EU27", regime="belarus")
    assert set(sel["designation_id"]).isdisjoint(belarus_series["designation_id"])


def test_jurisdictions_covered(des):
    assert {"EU27", "US", "GB", "CA", "CH", "NO", "JP", "AU", "NZ"} <= set(des["jurisdiction"])


def test_known_gaps_listed_on_the_resource():
    pkg = json.loads((config.DATA_DIR / "datapackage.json").read_text(encoding="utf-8"))
    res = next(r for r in pkg["resources"] if r["name"] == "sanctions_designations")
    gaps = res["x-known-gaps"]
    assert len(gaps) >= 10 and all(isinstance(g, str) and g for g in gaps)


def test_figure_missing_from_quote_is_reported(data_copy):
    edit_csv(
        data_copy / "sanctions_designations.csv",
        "2020-10-02,day,E.O. 13405,us-2020-10-02,8,",
        "2020-10-02,day,E.O. 13405,us-2020-10-02,7,",
    )
    msgs = [str(p) for p in validate(data_copy)]
    assert any(
        m.startswith("sanctions_designations.csv:") and "individuals_added" in m for m in msgs
    )


def test_date_after_publication_is_reported(data_copy):
    edit_csv(
        data_copy / "sanctions_designations.csv",
        "2024-12-16,day,,eu-2024-12-16",
        "2024-12-17,day,,eu-2024-12-16",
    )
    msgs = [str(p) for p in validate(data_copy)]
    assert any(m.startswith("sanctions_designations.csv:") and "publication" in m for m in msgs)


def test_round_not_adding_up_is_not_a_problem(data_copy):
    edit_csv(
        data_copy / "sanctions_designations.csv",
        "eu-2023-08-03,38,3,,233,37",
        "eu-2023-08-03,38,3,,,",
    )
    assert validate(data_copy) == []
