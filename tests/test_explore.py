"""The live explorer: its pure view function, its widgets and its notebook."""

from __future__ import annotations

import matplotlib.pyplot as plt
import nbformat
import pandas as pd
import pytest

import belarus_monitor as bm
from belarus_monitor import config, explore
from belarus_monitor.explore import (
    build_explorer,
    claims_html,
    country_claims,
    explorer_countries,
    explorer_view,
    resolve_country,
)
from belarus_monitor.figures.theme import STYLE_CYCLE, estimator_style, styles_for

pytestmark = pytest.mark.slow  # each test draws charts: a second or more

NOTEBOOK = config.NOTEBOOKS_DIR / "explore.ipynb"


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


@pytest.fixture(scope="module")
def views():
    return {c: explorer_view(c) for c in ("DE", "LT", "NZ")}


def test_germany_has_its_six_fulfilled_requests(views):
    de = views["DE"]
    assert de["country"] == "DE" and de["name"] == "Germany"
    claims = de["claims"].set_index("claim_id")
    assert claims.loc["req-006", "value"] == 6 and claims.loc["req-006", "figure"] == "6"
    assert pd.isna(claims.loc["req-006", "via"])
    assert claims.loc["req-001", "via"] == "UNFRIENDLY_2022"
    assert claims["url"].str.startswith("https://").all()
    chart = de["claims_chart"].data
    germany = chart[(chart["State"] == "Germany") & (chart["Case"] == "all requests")]
    assert list(germany["Figure"]) == [6] and list(germany["Measure"]) == ["fulfilled"]


def test_lithuania_has_direct_and_group_claims(views):
    lt = views["LT"]
    claims = lt["claims"].set_index("claim_id")
    assert {"req-019", "req-020"} <= set(claims.index[claims["via"].isna()])
    assert claims.loc["req-012", "via"] == "BALTIC"
    assert claims.loc["req-012", "figure"] == "practically ignores requests"
    assert "req-006" not in claims.index
    assert "Lithuania" in lt["claims_chart"].alt and "Germany" not in lt["claims_chart"].alt
    assert lt["summary"] != views["DE"]["summary"]


def test_a_country_without_counts_gets_a_sentence_not_a_chart(views):
    nz = views["NZ"]
    assert nz["claims_chart"] is None
    assert nz["claims"]["via"].notna().all()
    assert "no chart" in nz["summary"] and "New Zealand alone" in nz["summary"]
    nothing = explorer_view("Brazil")
    assert nothing["claims"].empty and nothing["claims_chart"] is None
    assert "No claim about requests concerns Brazil (BR)" in nothing["summary"]


def test_estimators_and_dates_select_the_prisoner_series(views):
    everything = views["DE"]["prisoners"]
    assert everything["estimator"].nunique() > 1
    viasna = explorer_view("DE", estimators=["Viasna"])
    assert set(viasna["prisoners"]["estimator"]) == {"Viasna"}
    assert len(viasna["prisoners"]) < len(everything)
    assert viasna["prisoners_chart"].alt != views["DE"]["prisoners_chart"].alt
    window = explorer_view("DE", start="2023-01-01", end="2024-12-31")
    dates = window["prisoners"]["date"]
    assert dates.min() >= pd.Timestamp("2023-01-01") and dates.max() <= pd.Timestamp("2024-12-31")
    inside = everything[(everything["date"] >= "2023-01-01") & (everything["date"] <= "2024-12-31")]
    assert len(window["prisoners"]) == len(inside) < len(everything)
    none = explorer_view("DE", estimators=[])
    assert none["prisoners"].empty and none["prisoners_chart"] is None
    assert "No estimate of political prisoners" in none["summary"]
    with pytest.raises(ValueError, match="estimator"):
        explorer_view("DE", estimators=["Nobody"])
    with pytest.raises(ValueError, match="after end"):
        explorer_view("DE", start="2025-01-01", end="2024-01-01")
    with pytest.raises(bm.UnknownCountryError, match="Germany"):
        explorer_view("Germny")


def test_dropdown_countries_include_those_only_in_groups():
    codes = explorer_countries()
    assert codes == sorted(set(codes))
    # NZ only on the official list, RS only on Pozirk's, FR only through EU27.
    assert {"DE", "LT", "NZ", "RS", "FR", "US"} <= set(codes)
    assert all(len(c) == 2 for c in codes)
    assert "BR" not in codes


def test_claims_table_links_to_sources_and_escapes():
    claims = country_claims("LT")
    page = claims_html(claims)
    assert page.count("<tr>") == len(claims) + 1
    assert '<a href="https://pozirk.online/en/news/92555"' in page
    hostile = claims.head(1).assign(quote='<script>alert("x")</script>', url='https://x.org/?a="b"')
    page = claims_html(hostile)
    assert "<script>" not in page and "&lt;script&gt;" in page
    assert 'href="https://x.org/?a=&quot;b&quot;"' in page


def test_explorer_widgets_update_the_view():
    ex = build_explorer(country="Lithuania", estimators=["Viasna"])
    assert ex.view["country"] == "LT"
    assert ex.country.value == "Lithuania (LT)"
    assert "New Zealand (NZ)" in ex.country.options
    assert "Lithuania" in ex.summary.value
    ex.country.value = "Germany (DE)"
    assert ex.view["country"] == "DE" and "Germany" in ex.summary.value
    assert "req-006" in set(ex.view["claims"]["claim_id"])
    n_viasna = len(ex.view["prisoners"])
    ex.estimators.value = tuple(ex.estimators.options)
    assert len(ex.view["prisoners"]) > n_viasna
    first, last = ex.dates.options[0][1], ex.dates.options[-1][1]
    ex.dates.index = (1, len(ex.dates.options) - 2)
    dates = ex.view["prisoners"]["date"]
    assert dates.min().date() > first and dates.max().date() < last


@pytest.fixture(scope="module")
def explorer():
    return build_explorer(country="LT")


@pytest.mark.parametrize("typed", ["pl", "Poland", "POL", "poland", "  POLAND ", "Poland (PL)"])
def test_country_box_takes_a_code_or_a_name_in_any_case(explorer, typed):
    explorer.country.value = "Lithuania (LT)"
    assert explorer.view["country"] == "LT"
    explorer.country.value = typed
    assert explorer.view["country"] == "PL"
    assert explorer.country.value == "Poland (PL)"  # what was understood
    assert "Poland (PL)" in explorer.summary.value
    assert "showing the closest" not in explorer.summary.value


def test_country_box_everyday_names(explorer):
    for typed, code in (("russia", "RU"), ("US", "US"), ("Japan", "JP"), ("deu", "DE")):
        explorer.country.value = typed
        assert explorer.view["country"] == code, typed


def test_a_typo_shows_the_closest_and_says_so(explorer):
    explorer.country.value = "Polnd"
    assert explorer.view["country"] == "PL"
    assert "No country is called “Polnd”; showing the closest, Poland (PL)" in (
        explorer.summary.value
    )
    explorer.country.value = "xqzvy" + "<b>" * 50
    assert explorer.view == {}
    assert "none is close" in explorer.summary.value and "<b>" not in explorer.summary.value
    assert explorer.claims_out.outputs == () and explorer.prisoners_out.outputs == ()
    assert explorer.shown == {"claims_chart": None, "prisoners_chart": None, "map": None}
    assert resolve_country("") == (None, resolve_country("   ")[1])


def _mimes(out) -> list[str]:
    return [m for o in out.outputs for m in o["data"]]


def test_a_country_with_nothing_to_chart_clears_the_chart(explorer):
    explorer.country.value = "Lithuania"
    assert "Lithuania" in explorer.shown["claims_chart"]
    assert "image/png" in _mimes(explorer.claims_chart_out)
    explorer.country.value = "Japan"
    assert explorer.view["country"] == "JP" and explorer.view["claims_chart"] is None
    assert explorer.shown["claims_chart"] is None
    assert "image/png" not in _mimes(explorer.claims_chart_out)
    note = explorer.claims_chart_out.outputs[0]["data"]["text/plain"]
    assert note.startswith("No chart of requests for Japan")
    assert "No claim about requests concerns Japan (JP)" in explorer.summary.value
    assert "Lithuania" not in explorer.claims_out.outputs[0]["data"]["text/html"]
    explorer.estimators.value = ()
    assert explorer.shown["prisoners_chart"] is None
    assert "image/png" not in _mimes(explorer.prisoners_out)
    explorer.estimators.value = tuple(explorer.estimators.options)
    assert "image/png" in _mimes(explorer.prisoners_out)


def test_date_readout_is_whole(explorer):
    assert explorer.dates.readout is False
    first, last = explorer.dates.options[0][1], explorer.dates.options[-1][1]
    explorer.dates.index = (0, len(explorer.dates.options) - 1)
    assert explorer.date_label.value == f"{first:%d %b %Y} – {last:%d %b %Y}"


def _scatter_styles(fig) -> set[tuple]:
    """(edge colour, marker vertices) of every point drawn on the chart."""
    out = set()
    for coll in fig.axes[0].collections:
        if len(coll.get_offsets()) == 0:
            continue
        edge = tuple(round(x, 3) for x in coll.get_edgecolor()[0])
        out.add((edge, tuple(map(tuple, coll.get_paths()[0].vertices.round(3)))))
    return out


def _style(name):
    from matplotlib.colors import to_rgba
    from matplotlib.markers import MarkerStyle

    color, marker = estimator_style(name, styles_for(bm.open().estimators))
    path = MarkerStyle(marker).get_path().transformed(MarkerStyle(marker).get_transform())
    return (tuple(round(x, 3) for x in to_rgba(color)), tuple(map(tuple, path.vertices.round(3))))


def test_each_estimator_keeps_its_marker_and_colour():
    styles = styles_for(bm.open().estimators)
    ests = list(styles)
    assert len(set(styles.values())) == len(ests)  # all distinct
    assert ests[0] == "Viasna" and styles["Viasna"] == STYLE_CYCLE[0]  # most estimates
    for chosen in ([ests[1]], [ests[2], ests[3]], ests, [ests[3], ests[0]]):
        fig = explorer_view("DE", estimators=chosen)["prisoners_chart"]
        drawn = _scatter_styles(fig)
        # Every marker drawn is the style of a chosen estimator, and the first chosen
        # one is there (an estimate far outside the others may sit in its own panel).
        assert drawn and drawn <= {_style(e) for e in chosen}, chosen
    new = estimator_style("A new estimator", styles)
    assert new == estimator_style("A new estimator") and new not in styles.values()
    assert len({estimator_style(f"estimator {i}") for i in range(30)}) > 1


def test_time_axis_and_integer_count_axes():
    import matplotlib.dates as mdates

    fig = explorer_view("DE", start="2023-01-01", end="2023-12-31")["prisoners_chart"]
    ax = fig.axes[0]
    assert isinstance(ax.xaxis.get_major_formatter(), mdates.ConciseDateFormatter)
    fig.canvas.draw()
    labels = [t.get_text() for t in ax.get_xticklabels() if t.get_text()]
    assert len(labels) == len(set(labels))  # no year repeated under every tick
    assert any(lbl.isalpha() for lbl in labels)  # months in a short range
    assert all(float(t).is_integer() for t in ax.get_yticks())
    bars = explorer_view("LT")["claims_chart"].axes[0]  # counts of 3: no 0.5 ticks
    assert all(float(t).is_integer() for t in bars.get_xticks())


def test_summary_and_table_show_labels_not_codes():
    view = explorer_view("PL")
    assert (
        "UNFRIENDLY_2022" not in view["summary"] and "CLOSEST_NEIGHBOURS" not in (view["summary"])
    )
    assert "'Unfriendly' states: official list of April 2022" in view["summary"]
    page = claims_html(view["claims"])
    assert ">outgoing<" not in page and ">Belarus&#x27; request abroad<" in page
    assert ">all<" not in page and ">all requests<" in page
    cells = page.count("<td")
    assert cells and page.count('<td style="text-align:left') == cells


def test_notebook_is_commit_clean_and_parameterised():
    nb = nbformat.read(NOTEBOOK, as_version=4)
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert all(c.outputs == [] and c.execution_count is None for c in code)
    params = [c for c in code if "parameters" in c.metadata.get("tags", [])]
    assert len(params) == 1
    assert 'country: str = "DE"  # ISO code or English name' in params[0].source
    assert "build_explorer(" in "".join(c.source for c in code)
    assert nb.metadata["kernelspec"]["name"] == "belarus-monitor"
    assert nb.metadata["kernelspec"]["display_name"] == "Belarus Monitor"


def _outputs(nb):
    outs = [o for c in nb.cells if c.cell_type == "code" for o in c.outputs]
    html = "".join(o["data"].get("text/html", "") for o in outs if "data" in o)
    images = [o for o in outs if "data" in o and "image/png" in o["data"]]
    errors = [o for o in outs if o.get("output_type") == "error"]
    return html, images, errors


@pytest.mark.slow
def test_notebook_takes_parameters_with_papermill_without_a_widget_frontend(tmp_path):
    import papermill

    out = tmp_path / "explore-LT.ipynb"
    # papermill runs the notebook with nbclient, which has no widget frontend: the
    # explorer sets its outputs as widget state (Output.outputs) instead of capturing
    # displays in ``with out:``, which made nbclient wait for its timeout.
    papermill.execute_notebook(
        str(NOTEBOOK),
        str(out),
        parameters={"country": "LT"},
        kernel_name="python3",
        cwd=str(config.NOTEBOOKS_DIR),
        progress_bar=False,
        execution_timeout=180,
    )
    html, images, errors = _outputs(nbformat.read(out, as_version=4))
    assert not errors
    assert "req-019" in html and "req-006" not in html
    assert '<a href="https://' in html
    assert len(images) >= 2
    alts = [o["metadata"]["image/png"]["alt"] for o in images]
    assert any("Lithuania" in a for a in alts) and any("Political prisoners" in a for a in alts)


def test_explorer_shows_the_second_edition_and_the_map():
    view = explorer_view("Serbia")
    assert view["map"] is not None and "Serbia" in view["map"].alt
    html = explore.second_edition_html(view)
    assert "Andrei Gnyot" in html and "Named cases" in html
    nz = explorer_view("nz")
    assert "Sanctions designations by New Zealand" in explore.second_edition_html(nz)
    assert "1 named case of" in explorer_view("RS")["summary"]
    assert "(s)" not in nz["summary"]
