"""The workbook as a researcher opens it: header, filter, widths, links, names."""

from __future__ import annotations

import openpyxl
import pytest
from openpyxl.utils import get_column_letter

import belarus_monitor as bm
from belarus_monitor.data import export
from belarus_monitor.data.schema import read_package
from belarus_monitor.data.vocabulary import label

PKG = read_package()


@pytest.fixture(scope="module")
def wb(tmp_path_factory):
    path = export.export_dataset("xlsx", tmp_path_factory.mktemp("wb") / "bm.xlsx")
    return openpyxl.load_workbook(path)


def header(ws) -> list[str]:
    return [c.value for c in ws[1]]


def column(ws, name: str) -> list:
    j = header(ws).index(name) + 1
    return [ws.cell(row=i, column=j) for i in range(2, ws.max_row + 1)]


def test_readme_first_then_one_sheet_per_table(wb):
    assert wb.sheetnames == ["README", *[r.name for r in PKG.resources]]
    readme = wb["README"]
    assert readme["A1"].font.b
    row = next(r for r in readme.iter_rows() if r[0].value == "table")
    assert [c.value for c in row[:2]] == ["table", "field"] and row[0].font.b
    described = {(r[0].value, r[1].value) for r in readme.iter_rows()}
    assert ("requests", "qualifier_label") in described


@pytest.mark.parametrize("name", [r.name for r in PKG.resources])
def test_bold_frozen_header_and_filter_over_the_table(wb, name):
    ws = wb[name]
    assert ws.freeze_panes == "A2"
    assert all(c.font.b for c in ws[1])
    assert not any(c.font.b for c in ws[2])
    last = get_column_letter(ws.max_column)
    assert ws.auto_filter.ref == f"A1:{last}{ws.max_row}"
    assert ws.max_row == len(bm.load_table(name)) + 1


def test_columns_are_fitted_to_content_and_capped(wb):
    ws = wb["requests"]
    widths = {
        h: ws.column_dimensions[get_column_letter(j + 1)].width for j, h in enumerate(header(ws))
    }
    assert widths["quote"] == export.MAX_WIDTH  # long text: capped
    assert widths["value"] < 15  # short numbers: narrow
    assert widths["claim_id"] >= len("req-001")
    assert max(widths.values()) <= export.MAX_WIDTH
    assert len(set(widths.values())) > 5  # not one default width


def test_source_urls_are_hyperlinks(wb):
    ws = wb["sources"]
    urls = column(ws, "url")
    assert urls and all(c.hyperlink is not None and c.hyperlink.target == c.value for c in urls)
    assert urls[0].style == "Hyperlink"
    by_id = dict(zip(bm.load_sources()["source_id"], bm.load_sources()["url"], strict=True))
    cited = column(wb["requests"], "source_id")
    assert all(c.hyperlink.target == by_id[c.value] for c in cited)
    assert column(wb["requests"], "quote")[0].hyperlink is None


def test_names_beside_codes(wb):
    ws = wb["requests"]
    h = header(ws)
    assert h[h.index("qualifier") + 1] == "qualifier_label"
    assert h[h.index("counterpart") + 1] == "counterpart_name"
    assert h[h.index("measure") + 1] == "measure_label"
    rows = {r[0]: dict(zip(h, r, strict=True)) for r in ws.iter_rows(min_row=2, values_only=True)}
    assert rows["req-006"]["counterpart"] == "DE"
    assert rows["req-006"]["counterpart_name"] == "Germany"
    assert rows["req-001"]["counterpart_name"] == "'Unfriendly' states: official list of April 2022"
    for r in rows.values():
        assert r["qualifier_label"] == (label("qualifier", r["qualifier"]) or None)
        assert r["direction_label"] == label("direction", r["direction"])
    eu = wb["eu_alignment"]
    eh = header(eu)
    assert eh[eh.index("country") + 1] == "country_name"
    names = {
        r[eh.index("country")]: r[eh.index("country_name")]
        for r in eu.iter_rows(min_row=2, values_only=True)
    }
    assert names["MK"] == "North Macedonia" and names["ME"] == "Montenegro"
    assert "domain_label" not in header(wb["vocabulary"])  # the vocabulary is left as it is


def test_risky_text_stays_text_with_links_and_names(data_copy, tmp_path):
    from conftest import edit_csv

    edit_csv(
        data_copy / "political_prisoners.csv", "today in Belarus 169", "=1+1 today in Belarus 169"
    )
    ws = openpyxl.load_workbook(export.export_dataset("xlsx", tmp_path / "r.xlsx", data_copy))[
        "political_prisoners"
    ]
    (cell,) = [c for c in column(ws, "quote") if str(c.value).startswith("=")]
    assert cell.data_type == "s" and cell.quotePrefix
    assert all(c.data_type != "f" for row in ws.iter_rows() for c in row)
