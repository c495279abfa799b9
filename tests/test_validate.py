"""Validation on broken copies of the data: each kind of problem is found and named."""

import datetime as dt

import pytest
from conftest import edit_csv

from belarus_monitor.cli import main
from belarus_monitor.data.validation import validate

REQ_1 = "req-001,outgoing,UNFRIENDLY_2022,all,sent,239,"


def messages(data_dir):
    return [str(p) for p in validate(data_dir)]


def test_shipped_data_is_clean():
    assert messages(None) == []


def test_cli_clean_exit_zero(capsys):
    assert main(["validate"]) == 0
    out = capsys.readouterr().out
    assert "valid" in out
    # Totals the rounds do not add up to are information, listed as warnings.
    assert "warning:" in out and "the European Union, individuals: 310 on 2025-03-27" in out


def test_a_round_that_adds_up_is_no_warning():
    import belarus_monitor as bm

    des = bm.load_table("sanctions_designations")
    gaps = bm.metrics.designation_gaps(des)
    assert (
        (gaps["jurisdiction"] == "the European Union") & gaps["to"].str.startswith("166 on")
    ).sum() == 0  # 88 + 78 = 166: explained by the round of June 2021
    assert (
        (gaps["jurisdiction"] == "the European Union") & gaps["to"].str.startswith("312 on")
    ).sum() == 1


def test_missing_file(data_copy):
    (data_copy / "cases.csv").unlink()
    msgs = messages(data_copy)
    assert any(m.startswith("cases.csv:") and "a file that exists" in m for m in msgs)
    # The tables that refer to the missing one are still checked.
    edit_csv(data_copy / "requests.csv", REQ_1, REQ_1.replace("239", "x"))
    assert any("requests.csv:2: column 'value'" in m for m in messages(data_copy))


def test_wrong_header(data_copy):
    edit_csv(data_copy / "sources.csv", "source_id,title,", "id,title,")
    msgs = messages(data_copy)
    assert any(
        m.startswith("sources.csv:1:") and "missing source_id" in m and "unexpected: 'id'" in m
        for m in msgs
    )


def test_non_utf8_file(data_copy):
    path = data_copy / "groups.csv"
    path.write_bytes(path.read_text(encoding="utf-8").encode("utf-16"))
    assert any(m.startswith("groups.csv:") and "UTF-8" in m for m in messages(data_copy))


def test_latin1_file_names_the_line(data_copy):
    path = data_copy / "sanctions_regimes.csv"
    path.write_bytes(path.read_text(encoding="utf-8").encode("latin-1", errors="replace"))
    msgs = [m for m in messages(data_copy) if m.startswith("sanctions_regimes.csv")]
    assert msgs and "UTF-8" in msgs[0] and msgs[0].split(":")[1].isdigit()


def test_empty_file(data_copy):
    (data_copy / "eu_alignment.csv").write_text("", encoding="utf-8")
    assert any(m.startswith("eu_alignment.csv:") and "header" in m for m in messages(data_copy))


def test_bad_integer_and_enum(data_copy):
    edit_csv(data_copy / "requests.csv", REQ_1, REQ_1.replace("239", "2 39"))
    edit_csv(data_copy / "requests.csv", "req-002,outgoing,", "req-002,sideways,")
    msgs = messages(data_copy)
    assert "requests.csv:2: column 'value': got '2 39'; expected an integer" in msgs[0]
    assert any(
        "requests.csv:3: column 'direction': got 'sideways'; expected one of "
        "outgoing, incoming" in m
        for m in msgs
    )


def test_every_problem_reported_not_just_the_first(data_copy):
    edit_csv(data_copy / "requests.csv", REQ_1, REQ_1.replace("239", "abc"))
    edit_csv(data_copy / "political_prisoners.csv", "pp-002,2021-07-27", "pp-002,2021-13-27")
    edit_csv(data_copy / "sources.csv", ",news_report,", ",blog,")
    msgs = messages(data_copy)
    assert any(m.startswith("requests.csv:2") for m in msgs)
    assert any(m.startswith("political_prisoners.csv:3: column 'date'") for m in msgs)
    assert any(m.startswith("sources.csv:") and "'kind'" in m for m in msgs)


def test_duplicate_primary_key(data_copy):
    edit_csv(data_copy / "requests.csv", "req-002,", "req-001,")
    assert any(
        "requests.csv:3: column 'claim_id': got 'req-001'; expected a unique value" in m
        for m in messages(data_copy)
    )


def test_dangling_source_id(data_copy):
    edit_csv(data_copy / "political_prisoners.csv", ",radavision-prisoners,", ",no-such-source,")
    assert any(
        m.startswith("political_prisoners.csv:2: column 'source_id': got 'no-such-source'")
        and "sources.csv" in m
        for m in messages(data_copy)
    )


def test_unknown_counterpart(data_copy):
    edit_csv(data_copy / "requests.csv", "req-005,outgoing,DE,", "req-005,outgoing,XQ,")
    edit_csv(data_copy / "requests.csv", "req-006,outgoing,DE,", "req-006,outgoing,NOWHERE,")
    msgs = messages(data_copy)
    assert any("requests.csv:6: column 'counterpart': got 'XQ'" in m for m in msgs)
    assert any(
        "requests.csv:7: column 'counterpart': got 'NOWHERE'" in m and "group_id" in m for m in msgs
    )


def test_unknown_country_in_membership(data_copy):
    edit_csv(data_copy / "group_members.csv", "BALTIC,EE,", "BALTIC,ZZ,")
    assert any(
        m.startswith("group_members.csv:") and "'ZZ'" in m and "alpha-2" in m
        for m in messages(data_copy)
    )


def test_quote_must_contain_the_figure(data_copy):
    edit_csv(
        data_copy / "political_prisoners.csv",
        "2021-08-31,day,held,653,",
        "2021-08-31,day,held,656,",
    )
    msgs = messages(data_copy)
    assert any(
        m.startswith("political_prisoners.csv:4: column 'count': got '656'")
        and "quote contains" in m
        for m in msgs
    )


def test_quote_figure_alias_is_checked(data_copy):
    # "six" in the quote, alias "six", value changed to 7: the alias disagrees.
    edit_csv(
        data_copy / "requests.csv",
        "req-006,outgoing,DE,all,fulfilled,6,",
        "req-006,outgoing,DE,all,fulfilled,7,",
    )
    edit_csv(data_copy / "requests.csv", ",two dozen,nashaniva", ",three dozen,nashaniva")
    msgs = messages(data_copy)
    assert any("requests.csv:7: column 'value': got '7'" in m and "six" in m for m in msgs)
    assert any("column 'quote_figure': got 'three dozen'" in m and "verbatim" in m for m in msgs)


def test_fulfilled_never_exceeds_sent(data_copy):
    edit_csv(
        data_copy / "requests.csv",
        "req-002,outgoing,UNFRIENDLY_2022,all,fulfilled,33,",
        "req-002,outgoing,UNFRIENDLY_2022,all,fulfilled,240,",
    )
    edit_csv(data_copy / "requests.csv", "only 33 out of 239", "only 240 out of 239")
    msgs = messages(data_copy)
    assert any(
        "requests.csv:3: column 'value': got '240'; expected at most the sent count" in m
        and "row 2" in m
        for m in msgs
    )


def test_member_cannot_exceed_its_group(data_copy):
    edit_csv(
        data_copy / "requests.csv",
        "req-005,outgoing,DE,genocide,fulfilled,4,",
        "req-005,outgoing,DE,genocide,fulfilled,5,",
    )
    text = (data_copy / "requests.csv").read_text(encoding="utf-8")
    line = next(li for li in text.splitlines() if li.startswith("req-005"))
    (data_copy / "requests.csv").write_text(
        text.replace(
            line, line.replace("the four requests", "the five requests").replace(",four,", ",five,")
        ),
        encoding="utf-8",
    )
    msgs = messages(data_copy)
    assert any("got '5'" in m and "UNFRIENDLY_2022" in m for m in msgs), msgs


def test_implausible_dates(data_copy):
    edit_csv(data_copy / "requests.csv", "2023-01-01,2024-06-20,day,", "2024-07-01,2024-06-20,day,")
    msgs = messages(data_copy)
    assert any(
        "requests.csv:2: column 'period_start': got '2024-07-01'; expected a date "
        "not after period_end" in m
        for m in msgs
    )
    future = validate(data_copy, today=dt.date(2024, 1, 1))
    assert any(p.column == "period_end" and p.value == "2024-06-20" for p in future)


def test_date_after_publication(data_copy):
    edit_csv(data_copy / "political_prisoners.csv", "pp-020,2024-06-25,", "pp-020,2024-06-26,")
    assert any(
        m.startswith("political_prisoners.csv:19: column 'date'") and "publication" in m
        for m in messages(data_copy)
    )


def test_claimed_list_size(data_copy):
    edit_csv(data_copy / "unfriendly_states.csv", "UNFRIENDLY_2022,NZ,novinite-214652,", "")
    lines = (data_copy / "unfriendly_states.csv").read_text(encoding="utf-8")
    assert "UNFRIENDLY_2022,NZ" not in lines
    assert any(
        m.startswith("groups.csv:5: column 'claimed_size': got '39'") and "(38)" in m
        for m in messages(data_copy)
    )


def test_qualitative_claim_needs_status_not_qualifier(data_copy):
    edit_csv(
        data_copy / "requests.csv",
        "req-013,outgoing,IL,all,response,,,,suspended,",
        "req-013,outgoing,IL,all,response,,,exact,,",
    )
    msgs = messages(data_copy)
    assert any(m.startswith("requests.csv:14: column 'value,percent,status'") for m in msgs)
    assert any(m.startswith("requests.csv:14: column 'qualifier'") for m in msgs)


def test_cli_reports_every_problem_and_fails(data_copy, capsys):
    edit_csv(data_copy / "requests.csv", REQ_1, REQ_1.replace("239", "abc"))
    (data_copy / "cases.csv").unlink()
    code = main(["validate", "--data-dir", str(data_copy)])
    out = capsys.readouterr()
    assert code == 1
    lines = out.out.strip().splitlines()
    assert len(lines) == 2
    assert "2 problem(s)" in out.err


@pytest.mark.parametrize(
    "table",
    ["sources", "requests", "political_prisoners", "unfriendly_states", "sanctions_regimes"],
)
def test_missing_descriptor_resource_file_is_named(data_copy, table):
    (data_copy / f"{table}.csv").unlink()
    assert any(m.startswith(f"{table}.csv:") for m in messages(data_copy))


def test_an_undated_source_needs_a_note(data_copy):
    import csv
    import io

    path = data_copy / "sources.csv"
    rows = list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8"))))
    row = next(r for r in rows if r["source_id"] == "ted-eu-country")
    assert not row["published"] and row["published_note"]  # a reference list: a note why
    row["published_note"] = ""
    out = io.StringIO()
    w = csv.DictWriter(out, fieldnames=list(rows[0]), lineterminator="\n")
    w.writeheader()
    w.writerows(rows)
    path.write_text(out.getvalue(), encoding="utf-8")
    assert any(
        m.startswith("sources.csv:") and "column 'published_note'" in m and "source policy" in m
        for m in messages(data_copy)
    )
