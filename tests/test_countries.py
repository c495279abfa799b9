import pytest

import belarus_monitor as bm


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
    assert bm.country_name("XX") == "XX"
