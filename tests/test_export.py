"""Export (xlsx, csv, json), the sources command, checksum and citation."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re

import numpy as np
import openpyxl
import pandas as pd
import pytest
from conftest import edit_csv

import belarus_monitor as bm
from belarus_monitor import config, files
from belarus_monitor.cli import main
from belarus_monitor.data import export
from belarus_monitor.data.provenance import citation, dataset_checksum
from belarus_monitor.data.schema import read_package
from belarus_monitor.data.validation import validate
from belarus_monitor.words.sources import sources_table

PKG = read_package()
NAMES = [r.name for r in PKG.resources]
FORMULA_QUOTE = "Israel and Switzerland have suspended [cooperation]"


def norm(v):
    """A cell as a comparable plain value, whatever reader produced it."""
    if v is None or (not isinstance(v, str) and pd.isna(v)):
        return None
    if isinstance(v, (bool, np.bool_)):
        return bool(v)
    if isinstance(v, (pd.Timestamp, dt.datetime)):
        return v.date().isoformat()
    if isinstance(v, dt.date):
        return v.isoformat()
    if isinstance(v, (int, np.integer)):
        return int(v)
    if isinstance(v, (float, np.floating)):
        return int(v) if float(v).is_integer() else float(v)
    return str(v)


def rows_of(df: pd.DataFrame) -> list[tuple]:
    return [tuple(norm(v) for v in row) for row in df.astype(object).itertuples(index=False)]


@pytest.fixture(scope="module")
def workbook(tmp_path_factory):
    return export.export_dataset("xlsx", tmp_path_factory.mktemp("x") / "bm.xlsx")


def test_xlsx_has_a_sheet_per_table_with_the_loaded_values(workbook):
    sheets = pd.read_excel(workbook, sheet_name=None)
    assert list(sheets) == ["README", *NAMES]
    for name in NAMES:
        expected = bm.load_table(name)
        # The workbook adds a name or label column beside each code (test_workbook.py).
        added = [col for _, col, _ in export.name_columns(PKG.resource(name))]
        got = sheets[name].drop(columns=added)
        assert list(got.columns) == list(expected.columns), name
        assert len(got) == len(expected) > 0, name
        assert rows_of(got) == rows_of(expected), name


def test_xlsx_readme_has_dictionary_version_checksum_and_citation(workbook):
    ws = openpyxl.load_workbook(workbook)["README"]
    rows = [[c.value for c in row] for row in ws.iter_rows()]
    info = {r[0]: r[1] for r in rows if r and r[0] and len(r) > 1}
    assert info["sha256"] == dataset_checksum()
    assert info["dataset version"] == PKG.version
    assert info["citation"] == citation()
    assert dataset_checksum()[:12] in info["citation"]
    header = ["table", "field", "type", "description", "constraints"]
    start = next(i for i, r in enumerate(rows) if r[:5] == header)
    described = {(r[0], r[1]): r for r in rows[start + 1 :]}
    for res in PKG.resources:
        for f in res.fields:
            r = described[(res.name, f.name)]
            assert r[2] == f.type and r[3] == f.description
    assert "required" in described[("requests", "claim_id")][4]
    assert "outgoing" in described[("requests", "direction")][4]


def test_csv_export_is_a_valid_package_with_the_same_tables(tmp_path):
    out = export.export_dataset("csv", tmp_path / "csv")
    assert sorted(p.name for p in out.iterdir()) == sorted(
        [r.path for r in PKG.resources] + ["datapackage.json", files.EXPORT_RECORD]
    )
    assert validate(out) == []
    for name in NAMES:
        pd.testing.assert_frame_equal(bm.load_table(name, out), bm.load_table(name))


def test_json_export_round_trips(tmp_path):
    out = export.export_dataset("json", tmp_path / "json")
    assert json.loads((out / "datapackage.json").read_text("utf-8")) == PKG.descriptor
    for res in PKG.resources:
        records = json.loads((out / f"{res.name}.json").read_text("utf-8"))
        expected = bm.load_table(res.name)
        assert [tuple(norm(r[c]) for c in res.field_names) for r in records] == rows_of(expected)
    pp = json.loads((out / "political_prisoners.json").read_text("utf-8"))
    assert isinstance(pp[0]["count"], int) and re.fullmatch(r"\d{4}-\d\d-\d\d", pp[0]["date"])


@pytest.mark.slow
def test_a_quote_like_a_formula_stays_text(data_copy, tmp_path):
    edit_csv(data_copy / "requests.csv", f",{FORMULA_QUOTE},", f',"=SUM(1,2) {FORMULA_QUOTE}",')
    edit_csv(
        data_copy / "political_prisoners.csv", "today in Belarus 169", "+1 today in Belarus 169"
    )
    assert validate(data_copy) == []

    xlsx = export.export_dataset("xlsx", tmp_path / "x.xlsx", data_copy)
    ws = openpyxl.load_workbook(xlsx)["requests"]
    header = [c.value for c in ws[1]]
    col = header.index("quote") + 1
    cells = [ws.cell(row=i, column=col) for i in range(2, ws.max_row + 1)]
    risky = [c for c in cells if str(c.value).startswith("=")]
    assert len(risky) == 1
    assert risky[0].data_type == "s" and risky[0].quotePrefix
    assert risky[0].value == "=SUM(1,2) " + FORMULA_QUOTE
    assert all(
        c.data_type != "f"
        for row in openpyxl.load_workbook(xlsx).worksheets
        for r in row.iter_rows()
        for c in r
    )
    back = pd.read_excel(xlsx, sheet_name="political_prisoners")
    assert back.loc[back["observation_id"] == "pp-001", "quote"].item().startswith("+1 today")

    out = export.export_dataset("csv", tmp_path / "csv", data_copy)
    with (out / "requests.csv").open(encoding="utf-8", newline="") as fh:
        quotes = [r["quote"] for r in csv.DictReader(fh)]
    assert "'=SUM(1,2) " + FORMULA_QUOTE in quotes
    assert not any(q.startswith(("=", "+", "-", "@")) for q in quotes)
    with (out / "political_prisoners.csv").open(encoding="utf-8", newline="") as fh:
        assert any(r["quote"].startswith("'+1 today") for r in csv.DictReader(fh))

    out = export.export_dataset("json", tmp_path / "json", data_copy)
    records = json.loads((out / "requests.json").read_text("utf-8"))
    assert any(r["quote"] == "=SUM(1,2) " + FORMULA_QUOTE for r in records)


def test_neutralise():
    assert export.neutralise("=1+2") == "'=1+2"
    assert export.neutralise("@cmd") == "'@cmd"
    assert export.neutralise("-3") == "'-3"
    assert export.neutralise("Pozirk") == "Pozirk"


def test_bad_format_and_out_name_the_parameter(tmp_path, capsys):
    with pytest.raises(export.ExportError, match="fmt: expected one of xlsx, csv, json"):
        export.export_dataset("ods", tmp_path / "x.ods")
    with pytest.raises(export.ExportError, match="out: .*directory"):
        export.export_dataset("xlsx", tmp_path)
    with pytest.raises(export.ExportError, match=r"out: .*\.xlsx"):
        export.export_dataset("xlsx", tmp_path / "data.csv")
    (tmp_path / "afile").write_text("x")
    with pytest.raises(export.ExportError, match="out: expected a directory for csv"):
        export.export_dataset("csv", tmp_path / "afile")
    assert main(["export", "--format", "xlsx", "--out", str(tmp_path)]) == 2
    assert "out:" in capsys.readouterr().err
    missing = str(tmp_path / "no-such-dir")
    assert main(["export", "--out", str(tmp_path / "x.xlsx"), "--data-dir", missing]) == 2
    assert "--data-dir" in capsys.readouterr().err
    assert main(["sources", "--data-dir", missing]) == 2
    assert "--data-dir" in (err := capsys.readouterr().err) and "no such data directory" in err


def test_export_of_invalid_data_fails_and_writes_nothing(data_copy, tmp_path, capsys):
    edit_csv(
        data_copy / "requests.csv",
        "req-001,outgoing,UNFRIENDLY_2022,all,sent,239",
        "req-001,outgoing,UNFRIENDLY_2022,all,sent,2x39",
    )
    assert (
        main(
            [
                "export",
                "--format",
                "xlsx",
                "--out",
                str(tmp_path / "x.xlsx"),
                "--data-dir",
                str(data_copy),
            ]
        )
        == 1
    )
    assert "requests.csv" in capsys.readouterr().err
    assert not (tmp_path / "x.xlsx").exists()


def test_write_is_atomic(tmp_path, monkeypatch):
    path = export.export_dataset("xlsx", tmp_path / "bm.xlsx")
    before = path.read_bytes()

    real_save = openpyxl.Workbook.save

    def broken_save(self, fh):
        real_save(self, io.BytesIO())
        fh.write(b"half a workbook")
        raise RuntimeError("disk full")

    monkeypatch.setattr(openpyxl.Workbook, "save", broken_save)
    with pytest.raises(RuntimeError, match="disk full"):
        export.export_dataset("xlsx", path)
    assert path.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir()] == ["bm.xlsx"]


def test_cli_export_default_out(tmp_path, monkeypatch, capsys):
    assert export.DEFAULT_OUT["xlsx"] == config.REPORTS_DIR / "belarus-monitor.xlsx"
    monkeypatch.setitem(export.DEFAULT_OUT, "json", tmp_path / "export-json")
    assert main(["export", "--format", "json"]) == 0
    assert "export-json" in capsys.readouterr().out
    assert (tmp_path / "export-json" / "requests.json").is_file()


def test_sources_of_lithuania(capsys):
    assert main(["sources", "--country", "LT"]) == 0
    out = capsys.readouterr().out
    assert "Lithuania (LT)" in out
    for sid in (
        "pozirk-92555",
        "mfa-lv-baltic",
        "bagnet-1336479",
        "toneto-tsikhanouskaya",
        "novinite-214652",
        "https://mfa.gov.lv/",
    ):
        assert sid in out
    assert "radavision-prisoners" not in out  # a prisoners source, not about LT
    assert all(len(line) < 250 for line in out.splitlines())


def test_sources_table_by_country():
    lt = sources_table(bm.open(), "Lithuania")
    assert list(lt.columns) == ["source_id", "publisher", "published", "title", "url", "n_claims"]
    pd.testing.assert_frame_equal(lt, sources_table(bm.open(), "lt"))
    req = bm.claims_for_country(bm.load_requests(), "LT", bm.open().membership)
    assert set(req["source_id"]) <= set(lt["source_id"])
    n_pozirk_requests = int((req["source_id"] == "pozirk-92555").sum())
    assert lt.set_index("source_id").loc["pozirk-92555", "n_claims"] >= n_pozirk_requests
    assert lt["n_claims"].is_monotonic_decreasing
    nz = sources_table(bm.open(), "NZ")
    assert "mfa-lv-baltic" not in set(nz["source_id"])
    assert len(nz) < len(lt)
    everything = sources_table(bm.open())
    assert len(everything) == len(bm.load_sources())
    assert set(lt["source_id"]) <= set(everything["source_id"])


def test_sources_unknown_country_exits_2_and_suggests(capsys):
    assert main(["sources", "--country", "Germny"]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert "Germny" in captured.err and "Germany" in captured.err


def test_citation_cff_version_matches_the_package():
    text = (config.PROJECT_ROOT / "CITATION.cff").read_text("utf-8")
    assert re.search(r"^cff-version: 1\.2\.0$", text, re.M)
    # The citation is of the dataset: its version is the data's, not the code's.
    assert re.search(rf"^version: {re.escape(PKG.version)}$", text, re.M)
    assert PKG.version != bm.__version__
    assert "Belarus Monitor contributors" in text and "checksum" in text


def test_citation_has_the_computed_checksum(data_copy):
    text = citation()
    assert text.startswith("Belarus Monitor contributors (")
    from belarus_monitor.data.provenance import data_as_of

    assert (
        f"version {PKG.version}, data as of {data_as_of()}, sha256 {dataset_checksum()[:12]}."
    ) in text
    assert dataset_checksum(data_copy) == dataset_checksum()  # same names and bytes
    (data_copy / "cases.csv").write_bytes((data_copy / "cases.csv").read_bytes() + b"\n")
    changed = dataset_checksum(data_copy)
    assert re.fullmatch(r"[0-9a-f]{64}", changed) and changed != dataset_checksum()
    assert changed[:12] in citation(data_copy)
    assert dataset_checksum()[:12] not in citation(data_copy)


def test_a_workbook_made_twice_in_a_reproducible_build_is_the_same_bytes(tmp_path, monkeypatch):
    import time

    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1719273600")  # as the report build sets it
    first = export.export_dataset("xlsx", tmp_path / "a.xlsx").read_bytes()
    time.sleep(1.1)  # openpyxl writes the time it saves, to the second
    again = export.export_dataset("xlsx", tmp_path / "b.xlsx").read_bytes()
    assert first == again
    wb = openpyxl.load_workbook(io.BytesIO(first), read_only=True)
    assert wb.properties.created == wb.properties.modified == dt.datetime(2024, 6, 25)
    assert wb.properties.creator == export.CREATOR and "README" in wb.sheetnames
