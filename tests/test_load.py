import subprocess
import sys

import pandas as pd
import pytest
from conftest import edit_csv

import belarus_monitor as bm


def test_requests_typed():
    r = bm.load_requests()
    for col in (
        "direction",
        "counterpart",
        "case_type",
        "measure",
        "value",
        "qualifier",
        "period_start",
        "period_end",
        "claimant",
        "source_id",
        "quote",
    ):
        assert col in r.columns
    assert r["value"].dtype == "Int64"
    assert isinstance(r["direction"].dtype, pd.CategoricalDtype)
    assert list(r["direction"].cat.categories) == ["outgoing", "incoming"]
    assert pd.api.types.is_datetime64_any_dtype(r["period_end"])
    assert r["value"].isna().any() and r["status"].notna().any()


def test_prisoners_typed_and_sorted():
    p = bm.load_political_prisoners()
    for col in ("date", "count", "qualifier", "estimator", "source_id", "quote"):
        assert col in p.columns
    assert p["count"].dtype == "Int64"
    assert pd.api.types.is_datetime64_any_dtype(p["date"])
    assert p["date"].is_monotonic_increasing


def test_unfriendly_expanded_from_group():
    u = bm.load_unfriendly_states()
    assert {"country", "list_id", "via_group", "source_id", "quote"} <= set(u.columns)
    official = u[u["list_id"] == "UNFRIENDLY_2022"]
    assert len(official) == 39
    assert (official["via_group"] == "EU27").sum() == 27
    assert official.loc[official["country"] == "DE", "country_name"].item() == "Germany"


def test_sources_have_urls_and_dates():
    s = bm.load_sources()
    assert s["source_id"].is_unique
    assert s["url"].str.startswith("http").all()
    poz = s.set_index("source_id").loc["pozirk-92555"]
    assert poz["published"] == pd.Timestamp("2024-06-25")


def test_every_figure_table_has_source_and_quote():
    for loader in (
        bm.load_requests,
        bm.load_political_prisoners,
        bm.load_sanctions_regimes,
        bm.load_unfriendly_states,
        bm.load_prisoner_releases,
        bm.load_eu_alignment,
        bm.load_groups,
        bm.load_group_members,
    ):
        df = loader()
        assert {"source_id", "quote"} <= set(df.columns), loader.__name__
        assert df["quote"].notna().all(), loader.__name__


def test_data_dir_parameter_reads_another_copy(data_copy):
    edit_csv(
        data_copy / "political_prisoners.csv",
        "2020-12-31,month,held,169,",
        "2020-12-31,month,held,170,",
    )
    edit_csv(data_copy / "political_prisoners.csv", "today in Belarus 169", "today in Belarus 170")
    p = bm.load_political_prisoners(data_copy)
    assert p.loc[p["observation_id"] == "pp-001", "count"].item() == 170
    assert bm.load_political_prisoners().loc[0, "count"] == 169


def test_load_refuses_bad_data(data_copy):
    edit_csv(
        data_copy / "requests.csv",
        "req-001,outgoing,UNFRIENDLY_2022,all,sent,239",
        "req-001,outgoing,UNFRIENDLY_2022,all,sent,-5",
    )
    with pytest.raises(bm.DataValidationError, match=r"requests.csv:2: column 'value'"):
        bm.load_requests(data_copy)


def test_import_does_not_import_matplotlib():
    code = "import sys, belarus_monitor; print('matplotlib' in sys.modules)"
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout.strip()
    assert out == "False"


def test_an_edit_of_the_data_is_seen_at_the_next_load(data_copy):
    before = bm.load_requests(data_copy)
    assert bm.label("answer_class", "fulfilled", data_dir=data_copy)
    csv = data_copy / "requests.csv"
    csv.write_text(csv.read_text(encoding="utf-8").replace(",239,", ",238,", 1), encoding="utf-8")
    with pytest.raises(bm.DataValidationError):  # the quote no longer holds the figure
        bm.load_requests(data_copy)
    csv.write_text(csv.read_text(encoding="utf-8").replace(",238,", ",239,", 1), encoding="utf-8")
    assert bm.load_requests(data_copy).equals(before)
    # A changed descriptor is read again: the table's title comes from it.
    desc = data_copy / "datapackage.json"
    title = before.attrs["title"]
    desc.write_text(
        desc.read_text(encoding="utf-8").replace(f'"title": "{title}"', '"title": "Renamed"', 1),
        encoding="utf-8",
    )
    assert bm.load_requests(data_copy).attrs["title"] == "Renamed"


def test_within_fixed_data_one_state_is_read_and_an_edit_is_seen_after(data_copy):
    from belarus_monitor.data.load import data_state, fixed_data

    csv = data_copy / "sources.csv"
    with fixed_data():
        first = data_state(data_copy)
        before = bm.load_sources(data_copy)
        csv.write_text(csv.read_text(encoding="utf-8") + "\n", encoding="utf-8")
        assert data_state(data_copy) == first  # no stat of the files until the run ends
        assert bm.load_sources(data_copy).equals(before)
        with fixed_data():  # nested: the outer run's state holds
            assert data_state(data_copy) == first
        assert data_state(data_copy) == first
    assert data_state(data_copy) != first
