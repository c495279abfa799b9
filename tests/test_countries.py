import pytest

import belarus_monitor as bm
from belarus_monitor.data.countries import UnknownCountryError


@pytest.mark.parametrize("value", ["de", "DE", "DEU", "deu", "Germany", " germany "])
def test_normalise_country(value):
    assert bm.normalise_country(value) == "DE"


@pytest.mark.parametrize(
    "value,code",
    [
        ("Lithuania", "LT"),
        ("LTU", "LT"),
        ("United States", "US"),
        ("USA", "US"),
        ("United Kingdom", "GB"),
        ("New Zealand", "NZ"),
        ("Russia", "RU"),
        ("srb", "RS"),
    ],
)
def test_normalise_other_countries(value, code):
    assert bm.normalise_country(value) == code


def test_unknown_country_names_value_and_suggests():
    with pytest.raises(bm.UnknownCountryError) as exc:
        bm.normalise_country("Germny")
    assert "'Germny'" in str(exc.value)
    assert any(s.startswith("DE ") for s in exc.value.suggestions)


def test_country_name():
    assert bm.country_name("LT") == "Lithuania"
    with pytest.raises(UnknownCountryError, match="'XX'"):  # never the code as a name
        bm.country_name("XX")


# -- every public function that takes a country takes it as a code or a name ---------------------
def _same(a, b):
    import pandas as pd

    if isinstance(a, pd.DataFrame):
        pd.testing.assert_frame_equal(a, b)
    else:
        assert a == b


SPELLINGS = ["LT", "lt", "LTU", "Lithuania", "LITHUANIA"]


def _calls():
    import belarus_monitor as bm
    from belarus_monitor.analysis.profile import country_profile
    from belarus_monitor.data import groups
    from belarus_monitor.words import sources

    ds = bm.open()
    return {
        "claims_for_country": lambda c: bm.claims_for_country(ds.requests, c, ds.membership),
        "share_of_group": lambda c: bm.share_of_group(ds.requests, c, ds.membership),
        "country_name": bm.country_name,
        "counterpart_name": lambda c: bm.counterpart_name(c, ds.groups),
        "ds.name": ds.name,
        "ds.in_text": ds.in_text,
        "ds.code": ds.code,
        "ds.expand_group": ds.expand_group,
        "groups_of": groups.groups_of,
        "country_profile": lambda c: country_profile(ds, c).claims,
        "sources_table": lambda c: sources.sources_table(ds, c),
        "explorer claims": lambda c: bm.explore.country_claims(c, ds),
    }


@pytest.mark.parametrize("name", list(_calls()))
def test_a_country_is_taken_by_code_or_name_in_any_case(name):
    call = _calls()[name]
    want = call("LT")
    for spelling in SPELLINGS[1:]:
        _same(call(spelling), want)
    with pytest.raises(UnknownCountryError, match="Atlantis"):
        call("Atlantis")


def test_charts_highlight_a_country_given_by_name():
    import belarus_monitor as bm
    from belarus_monitor import figures as charts
    from belarus_monitor.figures import maps

    ds = bm.open()
    by_code = maps.answers_map(maps.country_answers(ds), ds, highlight="LT").alt
    assert maps.answers_map(maps.country_answers(ds), ds, highlight="lithuania").alt == by_code
    assert "Lithuania" in by_code
    fig = charts.case_timeline(
        ds.table("named_cases"), ds.table("case_events"), ds, highlight="poland"
    )
    assert "Poland" in " ".join(charts.all_text(fig))
    with pytest.raises(UnknownCountryError):
        charts.case_timeline(
            ds.table("named_cases"), ds.table("case_events"), ds, highlight="Atlantis"
        )
