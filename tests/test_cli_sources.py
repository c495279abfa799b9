"""The command line: ``sources`` in each format, terminal width, help texts, csv BOM."""

from __future__ import annotations

import csv
import io
import json

import pytest

import belarus_monitor as bm
from belarus_monitor.cli import main
from belarus_monitor.words.sources import COLUMNS, sources_table

COMMANDS = ["validate", "build", "export", "sources", "diff"]


def run(capsys, *argv: str) -> str:
    assert main(list(argv)) == 0
    captured = capsys.readouterr()
    assert captured.err == ""
    return captured.out


def test_sources_csv_parses_with_every_source(capsys):
    out = run(capsys, "sources", "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(out)))
    assert list(rows[0]) == COLUMNS
    assert len(rows) == len(bm.load_sources())
    expected = sources_table(bm.open())
    assert [r["source_id"] for r in rows] == list(expected["source_id"])
    assert [int(r["n_claims"]) for r in rows] == [int(n) for n in expected["n_claims"]]
    pozirk = next(r for r in rows if r["source_id"] == "pozirk-92555")
    assert pozirk["url"] == "https://pozirk.online/en/news/92555"
    assert pozirk["published"] == "2024-06-25"


def test_sources_json_loads_for_a_country(capsys):
    records = json.loads(run(capsys, "sources", "--country", "lt", "--format", "json"))
    expected = sources_table(bm.open(), "LT")
    assert [r["source_id"] for r in records] == list(expected["source_id"])
    assert all(set(r) == set(COLUMNS) for r in records)
    assert all(isinstance(r["n_claims"], int) and r["n_claims"] >= 1 for r in records)
    assert "radavision-prisoners" not in {r["source_id"] for r in records}


@pytest.mark.parametrize("width", [72, 100, 140, 400])
def test_sources_table_fits_the_terminal(capsys, monkeypatch, width):
    monkeypatch.setenv("COLUMNS", str(width))
    out = run(capsys, "sources")
    lines = out.splitlines()
    urls = set(bm.load_sources()["url"])
    url_lines = [ln for ln in lines if ln.strip() in urls]
    # Every line fits, except a URL alone on its line: URLs are never cut.
    too_long = [ln for ln in lines if len(ln) > width and ln not in url_lines]
    assert too_long == []
    for url in urls:
        assert url in out
    for sid in bm.load_sources()["source_id"]:
        assert sid in out
    if width <= 140:
        assert len(url_lines) == len(urls)  # each URL on its own line
    else:
        assert url_lines == []  # URLs at the end of their rows
    assert max(len(ln) for ln in lines) > width * 0.6  # and the room is used


def test_sources_bad_format_exits_2(capsys):
    with pytest.raises(SystemExit) as exc:
        main(["sources", "--format", "yaml"])
    assert exc.value.code == 2
    assert "--format" in capsys.readouterr().err


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_help_has_a_description_and_an_example(capsys, command):
    with pytest.raises(SystemExit) as exc:
        main([command, "--help"])
    assert exc.value.code == 0
    out = capsys.readouterr().out
    lines = out.splitlines()
    description = lines[lines.index("") + 1]
    assert description and description.endswith(".") and len(description) < 100
    assert "examples:" in out
    assert f"  belarus-monitor {command}" in out.split("examples:")[1]


def test_csv_export_has_a_bom_only_with_excel(tmp_path, capsys):
    run(capsys, "export", "--format", "csv", "--out", str(tmp_path / "plain"))
    run(capsys, "export", "--format", "csv", "--excel", "--out", str(tmp_path / "excel"))
    plain = (tmp_path / "plain" / "requests.csv").read_bytes()
    excel = (tmp_path / "excel" / "requests.csv").read_bytes()
    assert not plain.startswith(b"\xef\xbb\xbf")
    assert excel.startswith(b"\xef\xbb\xbf") and excel[3:] == plain
    assert "за 2023 год".encode() in excel
    for p in (tmp_path / "excel").glob("*.csv"):
        assert p.read_bytes().startswith(b"\xef\xbb\xbf"), p.name
    # utf-8-sig reads it back to the same text
    assert excel.decode("utf-8-sig") == plain.decode("utf-8")
    assert main(["export", "--format", "xlsx", "--excel", "--out", str(tmp_path / "x.xlsx")]) == 2
    err = capsys.readouterr().err
    assert "--excel" in err and "csv" in err and "Traceback" not in err
