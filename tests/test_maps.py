"""The map of answers: geometry shipped offline, classes from the data, a readable figure."""

from __future__ import annotations

import re
import time

import matplotlib.pyplot as plt
import pandas as pd
import pytest

import belarus_monitor as bm
from belarus_monitor.figures import geometry, maps
from belarus_monitor.figures.theme import MAP_COLORS

NEGATIVE = {"ignores", "refused", "no_response", "suspended"}


@pytest.fixture(scope="module")
def answers():
    return maps.country_answers(bm.open())


@pytest.fixture(scope="module")
def sources():
    return bm.open()


def _by_code():
    return {f["code"]: f for f in geometry.load_geometry()}


def test_geometry_loads_offline_and_fast():
    geometry.load_geometry.cache_clear()
    t = time.perf_counter()
    geo = _by_code()
    assert time.perf_counter() - t < 2.0
    for code in ("BY", "DE", "PL", "LT", "UA", "RU"):
        assert geo[code]["polygons"], code
    assert geometry.GEODATA.stat().st_size < 400_000


def test_france_and_norway_have_their_codes():
    geo = _by_code()
    assert geo["FR"]["name"] == "France" and geo["FR"]["polygons"]
    assert geo["NO"]["name"] == "Norway" and geo["NO"]["polygons"]
    assert "-99" not in geo


def test_small_states_are_points():
    geo = _by_code()
    for code in ("MT", "LI", "AD", "MC", "SM", "VA"):
        assert geo[code]["polygons"] == [], code
        lon, lat = geo[code]["point"]
        assert -10 < lon < 20 and 35 < lat < 48, code


def test_label_points_inside_their_state():
    from matplotlib.path import Path

    geo = _by_code()
    for code in ("HR", "NO", "FR", "DE", "IT", "GR"):
        f = geo[code]
        inside = any(Path(p[0]).contains_point(f["point"]) for p in f["polygons"])
        assert inside, code


def test_germany_positive(answers):
    row = answers.set_index("country").loc["DE"]
    assert row["answer_class"] == "fulfilled"
    assert row["via"] == ""
    assert "pozirk-92555" in row["source_ids"]
    assert {"req-005", "req-006"} <= set(row["claim_ids"])


def test_neighbours_negative(answers):
    a = answers.set_index("country")
    assert a.loc["PL", "answer_class"] == "ignores"
    assert a.loc["PL", "via"] == ""
    for code in ("LT", "LV", "EE"):
        assert a.loc[code, "answer_class"] in NEGATIVE, code
    # Estonia has no claim of its own: the Baltic states' claim decides, not the
    # larger group's ("no response" of the other 'unfriendly' states).
    assert a.loc["EE", "answer_class"] == "ignores"
    assert a.loc["EE", "via"] == "BALTIC"


def test_one_period_per_map(answers):
    a = answers.set_index("country")
    period = answers.attrs["period"]
    assert period == ("2023-01-01", "2024-06-20")
    req = bm.open().requests.set_index("claim_id")
    classed = answers[answers["answer_class"] != "no_data"]
    assert len(classed) > 20
    for ids in classed["claim_ids"]:
        for i in ids:
            start, end = req.loc[i, "period_start"], req.loc[i, "period_end"]
            assert (str(start.date()), str(end.date())) == period, i
    # Lithuania's own refusals are of 2021 and 2022: on this period's map it is known
    # only through what was said of the Baltic states, and marked so.
    assert a.loc["LT", "answer_class"] == "ignores" and a.loc["LT", "via"] == "BALTIC"
    # Russia's extraditions are of 2022: not a 2023-2024 answer.
    assert a.loc["RU", "answer_class"] == "no_data"
    # A general statement ("no response to most requests") beats a count of rejections.
    assert a.loc["US", "answer_class"] == "no_response"
    # "Belarus' neighbours" has no listed members: said, but of no state.
    assert any("neighbours" in g for g, _ in answers.attrs["unplaced"])


def test_every_period_takes_each_states_latest_claims():
    ds = bm.open()
    a = maps.country_answers(ds, period=None).set_index("country")
    assert a.attrs["period"] is None
    # Lithuania's own claims decide; of them, the latest period's (2022).
    assert a.loc["LT", "answer_class"] == "refused" and a.loc["LT", "via"] == ""
    assert str(a.loc["LT", "period_end"].date()) == "2022-01-01"
    assert a.loc["RU", "answer_class"] == "fulfilled"


def test_answers_of_other_periods_are_said_not_drawn(answers):
    from belarus_monitor.words.stories import other_periods_sentence

    ds = bm.open()
    other = maps.other_period_answers(ds, answers)
    assert set(other["counterpart"]) >= {"LT", "LV", "RU", "AM", "INTERPOL"}
    period = answers.attrs["period"]
    for s, e in zip(other["period_start"], other["period_end"], strict=True):
        key = ("" if pd.isna(s) else str(s.date()), str(e.date()))
        assert key != period
    sentence = other_periods_sentence(other, ds)
    for name in ("Lithuania", "Latvia", "Russia", "Armenia", "Interpol"):
        assert name in sentence
    assert other_periods_sentence(other.iloc[0:0], ds) == ""


def test_no_claims_no_data(answers):
    a = answers.set_index("country")
    for code in ("BR", "JP", "UA", "CN"):
        assert a.loc[code, "answer_class"] == "no_data", code
        assert a.loc[code, "source_ids"] == []
    assert "BY" not in a.index
    assert set(answers["answer_class"]) <= set(maps.CLASSES)


def test_counts_over_group_do_not_reach_members(answers):
    # "33 of 239 fulfilled" by the 'unfriendly' states says nothing about France.
    a = answers.set_index("country")
    assert a.loc["FR", "answer_class"] != "fulfilled"


def test_mixed_when_claims_conflict(data_copy):
    from conftest import edit_csv

    edit_csv(
        data_copy / "requests.csv",
        "req-011,outgoing,PL,all,response,,,,ignores,",
        "req-011,outgoing,DE,all,response,,,,ignores,",
    )
    a = maps.country_answers(bm.open(data_copy))
    assert a.set_index("country").loc["DE", "answer_class"] == "mixed"


def _no_code(text: str) -> None:
    assert "_" not in text
    assert not re.search(r"\b[A-Z]{2}\b", text), re.findall(r"\b[A-Z]{2}\b", text)


def _legend_labels(fig) -> list[str]:
    ax = fig.axes[0]
    return [t.get_text() for t in ax.get_legend().get_texts()]


def _text_inside(fig) -> None:
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    box = fig.bbox
    texts = (
        list(fig.texts)
        + [t for ax in fig.axes for t in ax.texts]
        + [ax.title for ax in fig.axes]
        + list(fig.axes[0].get_legend().get_texts())
    )
    for t in texts:
        if not t.get_text() or not t.get_visible():
            continue
        ext = t.get_window_extent(renderer)
        assert ext.x0 >= box.x0 - 1 and ext.x1 <= box.x1 + 1, t.get_text()
        assert ext.y0 >= box.y0 - 1 and ext.y1 <= box.y1 + 1, t.get_text()


@pytest.mark.parametrize("highlight", [None, "DE", "MT", "US"])
@pytest.mark.parametrize("region", ["europe", "world"])
def test_map_draws(answers, sources, region, highlight):
    fig = maps.answers_map(answers, sources, highlight=highlight, region=region)
    try:
        labels = _legend_labels(fig)
        a = answers.set_index("country")
        from matplotlib.colors import to_rgba

        # One collection of states named or without data, one hatched: known through a
        # group only.
        plain, hatched = fig.axes[0].collections[:2]
        assert plain.get_hatch() is None and hatched.get_hatch() == maps.GROUP_HATCH
        faces = {tuple(face) for face in plain.get_facecolors()}
        faces |= {tuple(face) for face in hatched.get_facecolors()}
        drawn_classes = {
            cls
            for cls, color in MAP_COLORS.items()
            if cls in maps.CLASSES and to_rgba(color) in faces
        }
        assert len(plain.get_paths()) + len(hatched.get_paths()) > 50 and len(drawn_classes) >= 3
        for cls in drawn_classes:
            assert bm.vocabulary.label("answer_class", cls) in labels, cls
        assert "no data" in labels
        assert any("'unfriendly' list" in x for x in labels)
        assert any(x.startswith("hatched") for x in labels)
        by_group = answers[(answers["via"] != "") & (answers["answer_class"] != "no_data")]
        assert len(hatched.get_paths()) <= len(by_group)
        if region == "europe":
            assert len(hatched.get_paths()) > 20
        assert fig.axes[0].get_title(loc="left").endswith("January 2023 to 20 June 2024")
        alt = fig.alt
        _no_code(alt)
        assert len(alt) <= 400
        assert "fulfilled requests" in alt and "the Baltic states" in alt
        assert "the other 'unfriendly' states" in alt
        if highlight:
            name = a.loc[highlight, "country_name"]
            assert f"Outlined: {name}" in alt
            texts = [t.get_text() for t in fig.axes[0].texts]
            if highlight != "US" or region == "world":
                assert name in texts
        for t in fig.axes[0].texts:
            _no_code(t.get_text())
        _text_inside(fig)
        assert fig.source_ids and "pozirk-92555" in fig.source_ids
        assert list(fig.data.columns) == [
            "country",
            "answer",
            "said of the group",
            "period",
            "on this map",
            "sources",
        ]
        assert "Germany" in set(fig.data["country"])
        assert "Pozirk, 2024-06-25" in set(fig.data["sources"])
        estonia = fig.data.set_index("country").loc["Estonia"]
        assert estonia["said of the group"] == "The Baltic states"
    finally:
        plt.close(fig)


def test_highlight_outlined_in_accent(answers, sources):
    from matplotlib.colors import to_rgba

    from belarus_monitor.figures.theme import COLORS

    fig = maps.answers_map(answers, sources, highlight="PL")
    try:
        accent = [
            p for p in fig.axes[0].patches if tuple(p.get_edgecolor()) == to_rgba(COLORS["accent"])
        ]
        assert len(accent) == 1 and accent[0].get_linewidth() >= 1.5
    finally:
        plt.close(fig)


def test_europe_names_outside_states(answers, sources):
    fig = maps.answers_map(answers, sources, region="europe")
    try:
        notes = "\n".join(t.get_text() for t in fig.axes[0].texts).replace("\n", " ")
        beyond = notes.split("Answers of states beyond this map:")[1]
        for name in ("United States", "Canada", "Israel"):
            assert name in beyond
        assert "Said of Belarus' neighbours, without naming them" in notes
        assert "As said by Belarus Prosecutor General's Office" in notes
    finally:
        plt.close(fig)


def test_unknown_region(answers, sources):
    with pytest.raises(ValueError, match="region"):
        maps.answers_map(answers, sources, region="mars")
