"""The live explorer: its pure view function, its widgets and its notebook."""

from __future__ import annotations

import matplotlib.pyplot as plt
import nbformat
import pandas as pd
import pytest

import belarus_monitor as bm
from belarus_monitor import config
from belarus_monitor.explore import (
    build_explorer,
    claims_html,
    country_claims,
    explorer_countries,
    explorer_view,
)

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
    assert ("Belarus' requests abroad, all requests, fulfilled: Germany 6"
            in de["claims_chart"].alt)


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
    hostile = claims.head(1).assign(quote='<script>alert("x")</script>',
                                    url='https://x.org/?a="b"')
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


def test_notebook_is_commit_clean_and_parameterised():
    nb = nbformat.read(NOTEBOOK, as_version=4)
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert all(c.outputs == [] and c.execution_count is None for c in code)
    params = [c for c in code if "parameters" in c.metadata.get("tags", [])]
    assert len(params) == 1
    assert 'country: str = "DE"  # ISO code or English name' in params[0].source
    assert "build_explorer(" in "".join(c.source for c in code)
    assert nb.metadata["kernelspec"]["name"] == "python3"


def _outputs(nb):
    outs = [o for c in nb.cells if c.cell_type == "code" for o in c.outputs]
    html = "".join(o["data"].get("text/html", "") for o in outs if "data" in o)
    images = [o for o in outs if "data" in o and "image/png" in o["data"]]
    errors = [o for o in outs if o.get("output_type") == "error"]
    return html, images, errors


@pytest.mark.slow
def test_notebook_runs_without_a_widget_frontend():
    from nbclient import NotebookClient

    nb = nbformat.read(NOTEBOOK, as_version=4)
    # nbclient sometimes receives the widget cell's reply only when its timeout expires
    # (a message-ordering race with the widget comms), so the timeout is kept modest.
    NotebookClient(nb, kernel_name="python3", timeout=60,
                   resources={"metadata": {"path": str(config.NOTEBOOKS_DIR)}}).execute()
    html, images, errors = _outputs(nb)
    assert not errors
    assert "req-006" in html and '<a href="https://pozirk.online/en/news/92555"' in html
    assert len(images) >= 2
    alts = [o["metadata"]["image/png"]["alt"] for o in images]
    assert any("Germany" in a for a in alts) and any("Political prisoners" in a for a in alts)


@pytest.mark.slow
def test_notebook_takes_parameters_with_papermill(tmp_path):
    import papermill

    out = tmp_path / "explore-LT.ipynb"
    papermill.execute_notebook(str(NOTEBOOK), str(out), parameters={"country": "LT"},
                               kernel_name="python3", cwd=str(config.NOTEBOOKS_DIR),
                               progress_bar=False, execution_timeout=180)
    html, images, errors = _outputs(nbformat.read(out, as_version=4))
    assert not errors
    assert "req-019" in html and "req-006" not in html
    alts = [o["metadata"]["image/png"]["alt"] for o in images]
    assert any("Lithuania" in a for a in alts)
