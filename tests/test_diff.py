"""``belarus-monitor diff``: claims added, removed and changed between two data versions."""

from __future__ import annotations

import json
import shutil
import subprocess

import pytest
from conftest import edit_csv

from belarus_monitor import config
from belarus_monitor.cli import main
from belarus_monitor.data.diff import DiffError, diff_data, diff_markdown, format_diff

NEW_ROW = (
    "pp-999,2026-02-28,day,held,1150,about,Viasna,,zmagar-2026-01,"
    '"about 1,150 political prisoners",,,\n'
)


@pytest.fixture
def versions(tmp_path):
    """Two copies of data/: in the new one a row is added, one removed, one changed."""
    old, new = tmp_path / "old", tmp_path / "new"
    shutil.copytree(config.DATA_DIR, old)
    shutil.copytree(config.DATA_DIR, new)
    pp = new / "political_prisoners.csv"
    edit_csv(pp, "pp-001,2020-12-31,month,held,169,exact", "pp-001,2020-12-31,month,held,170,about")
    lines = pp.read_text("utf-8").splitlines(keepends=True)
    removed = next(ln for ln in lines if ln.startswith("pp-002,"))
    pp.write_text("".join(ln for ln in lines if ln != removed) + NEW_ROW, "utf-8")
    return old, new


def test_diff_finds_the_added_removed_and_changed_rows(versions):
    old, new = versions
    d = diff_data(old, new)
    assert [t.table for t in d.tables] == ["political_prisoners"]
    assert (d.count("added"), d.count("removed"), d.count("changed")) == (1, 1, 1)
    t = d.tables[0]
    assert t.primary_key == ("observation_id",)
    by_kind = {r.kind: r for r in t.rows}
    assert by_kind["added"].key == {"observation_id": "pp-999"}
    assert by_kind["added"].source_ids == ("zmagar-2026-01",)
    assert by_kind["added"].fields["count"] == (None, "1150")
    assert by_kind["removed"].key == {"observation_id": "pp-002"}
    assert by_kind["removed"].source_ids == ("promoteukraine-586",)
    changed = by_kind["changed"]
    assert changed.key == {"observation_id": "pp-001"}
    assert changed.fields == {"count": ("169", "170"), "qualifier": ("exact", "about")}
    assert changed.source_ids == ("radavision-prisoners",)


def test_the_same_data_has_no_change_and_the_reverse_swaps(versions):
    old, new = versions
    assert diff_data(old, old).empty
    assert "No change" in format_diff(diff_data(old, old))
    back = diff_data(new, old)
    assert {r.key_text: r.kind for r in back.rows} == {
        "pp-002": "added",
        "pp-999": "removed",
        "pp-001": "changed",
    }
    assert back.rows[-1].fields["count"] == ("170", "169")


def test_a_changed_source_and_a_new_field_are_reported(versions):
    old, new = versions
    text = (new / "sources.csv").read_text("utf-8")
    (new / "sources.csv").write_text(
        text.replace(
            "https://pozirk.online/en/news/92555", "https://pozirk.online/en/news/92555?x=1"
        ),
        "utf-8",
    )
    d = diff_data(old, new)
    src = next(t for t in d.tables if t.table == "sources")
    (row,) = src.rows
    assert row.kind == "changed" and row.key_text == "pozirk-92555"
    assert row.fields["url"][1].endswith("?x=1")


def test_cli_table_json_and_markdown(versions, capsys):
    old, new = map(str, versions)
    assert main(["diff", old, new]) == 0
    out = capsys.readouterr().out
    assert "1 row(s) added, 1 removed, 1 changed, in 1 table" in out
    assert "political_prisoners (key observation_id)" in out
    line = next(ln for ln in out.splitlines() if "pp-001" in ln)
    assert line.split()[:5] == ["changed", "pp-001", "count", "169", "170"]
    assert "radavision-prisoners" in line
    assert main(["diff", old, new, "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["summary"] == {"added": 1, "removed": 1, "changed": 1}
    rows = data["tables"][0]["rows"]
    assert {r["kind"]: r["key"]["observation_id"] for r in rows} == {
        "added": "pp-999",
        "removed": "pp-002",
        "changed": "pp-001",
    }
    assert main(["diff", old, new, "--format", "markdown"]) == 0
    md = capsys.readouterr().out
    assert md.startswith("## Data changes: ")
    assert "| changed | pp-001 | count | 169 | 170 | radavision-prisoners |" in md


def test_markdown_escapes_the_data(versions):
    old, new = versions
    edit_csv(new / "political_prisoners.csv", "today in Belarus 169", "today | in *Belarus* 169")
    md = diff_markdown(diff_data(old, new), title="v2")
    assert md.startswith("## v2\n")
    assert r"today \| in \*Belarus\* 169" in md


@pytest.mark.parametrize(
    ("argv", "named"),
    [
        (["no-such-dir-or-rev", "data"], "OLD"),
        (["data", "no-such-rev~9"], "NEW"),
        (["README.md", "data"], "OLD"),
        (["data", "HEAD:src"], "NEW"),
    ],
)
def test_bad_arguments_exit_2_naming_the_argument(argv, named, capsys, monkeypatch):
    monkeypatch.chdir(config.PROJECT_ROOT)
    assert main(["diff", *argv]) == 2
    captured = capsys.readouterr()
    assert captured.out == "" and "Traceback" not in captured.err
    assert captured.err.startswith(f"belarus-monitor diff: {named}: expected") or (
        named in captured.err and "datapackage.json" in captured.err
    )
    assert len(captured.err) < 300


def test_an_empty_dir_is_not_data(tmp_path):
    with pytest.raises(DiffError, match="OLD: expected a data directory with datapackage"):
        diff_data(tmp_path, config.DATA_DIR)


def test_a_long_bad_argument_is_not_echoed_in_full(capsys):
    assert main(["diff", "x" * 5000, "data"]) == 2
    assert len(capsys.readouterr().err) < 300


def _in_git() -> bool:
    try:
        r = subprocess.run(
            ["git", "rev-parse", "HEAD:data"],
            cwd=config.PROJECT_ROOT,
            capture_output=True,
            check=False,
        )
    except OSError:
        return False
    return r.returncode == 0


@pytest.mark.skipif(not _in_git(), reason="not a git checkout")
def test_git_revisions(versions, monkeypatch):
    monkeypatch.chdir(config.PROJECT_ROOT)
    _, new = versions
    assert diff_data("HEAD", "HEAD:data").empty
    d = diff_data("HEAD", new)
    keys = {(r.table, r.key_text, r.kind) for r in d.rows}
    assert {
        ("political_prisoners", "pp-999", "added"),
        ("political_prisoners", "pp-002", "removed"),
        ("political_prisoners", "pp-001", "changed"),
    } <= keys


# -- hostile versions: every reader goes through the one safe loader ---------------------------
SECRET = "DIFF-SECRET-4f1c"


def _descriptor(data):
    return json.loads((data / "datapackage.json").read_text("utf-8"))


def _save(data, desc):
    (data / "datapackage.json").write_text(json.dumps(desc), "utf-8")


def _diff_cli(capsys, *args):
    code = main(["diff", *map(str, args)])
    out = capsys.readouterr()
    return code, out.out + out.err


@pytest.mark.parametrize("how", ["dotdot", "absolute", "proc", "symlink"])
def test_a_path_leading_outside_is_refused_unread(versions, tmp_path, capsys, how):
    old, new = versions
    outside = tmp_path / "outside.csv"
    outside.write_text(f"case_id,x\n{SECRET},{SECRET}\n", "utf-8")
    desc = _descriptor(new)
    res = next(r for r in desc["resources"] if r["name"] == "cases")
    if how == "dotdot":
        res["path"] = "../outside.csv"
    elif how == "absolute":
        res["path"] = str(outside)
    elif how == "proc":
        res["path"] = "/proc/self/environ"
    else:
        (new / "cases.csv").unlink()
        (new / "cases.csv").symlink_to(outside)
    _save(new, desc)
    code, text = _diff_cli(capsys, old, new)
    assert code == 2
    assert "NEW" in text and "cases" in text and "data directory" in text
    assert SECRET not in text and "Traceback" not in text and "PATH=" not in text


@pytest.mark.parametrize(
    "kind, words",
    [
        ("resources-not-objects", "resources"),
        ("non-string-path", "path"),
        ("not-json", "valid JSON"),
    ],
)
def test_a_malformed_descriptor_is_one_clear_line(versions, capsys, kind, words):
    old, new = versions
    desc = _descriptor(new)
    if kind == "resources-not-objects":
        desc["resources"] = ["cases", 3]
        _save(new, desc)
    elif kind == "non-string-path":
        desc["resources"][0]["path"] = ["a.csv"]
        _save(new, desc)
    else:
        (new / "datapackage.json").write_text("{not json", "utf-8")
    code, text = _diff_cli(capsys, old, new)
    assert code == 2 and "Traceback" not in text
    assert text.count("\n") == 1 and words in text and "NEW" in text


def test_an_empty_table_and_no_column_in_common_are_diffs(versions, capsys):
    old, new = versions
    (new / "cases.csv").write_text("", "utf-8")
    (new / "named_cases.csv").write_text("something,else\nx,y\n", "utf-8")
    code, text = _diff_cli(capsys, old, new)
    assert code == 0 and "Traceback" not in text
    d = diff_data(old, new)
    cases = next(t for t in d.tables if t.table == "cases")
    assert cases.count("removed") == len(
        (old / "cases.csv").read_text("utf-8").strip().splitlines()[1:]
    )
    named = next(t for t in d.tables if t.table == "named_cases")
    assert named.count("added") == 1 and named.count("removed") >= 1


def test_terminal_control_sequences_are_not_printed_raw(versions, capsys):
    old, new = versions
    edit_csv(
        new / "political_prisoners.csv",
        "pp-001,2020-12-31,month",
        "pp-001\x1b[2J\x9b31m,2020-12-31,month",
    )
    for fmt in ("table", "json", "markdown"):
        code, text = _diff_cli(capsys, old, new, "--format", fmt)
        assert code == 0
        assert "\x1b" not in text and "\x9b" not in text
        assert "\\x1b" in text or "\\u001b" in text


def _git_repo(tmp_path, data):
    repo = tmp_path / "repo"
    shutil.copytree(data, repo / "data", symlinks=True)
    env = {"GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@t", "HOME": str(tmp_path)}
    env |= {"GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@t", "PATH": "/usr/bin:/bin"}

    def git(*args):
        subprocess.run(["git", *args], cwd=repo, env=env, check=True, capture_output=True)

    git("init", "-q")
    git("add", "-A")
    git("commit", "-qm", "one")
    return repo, git


@pytest.mark.skipif(shutil.which("git") is None, reason="no git")
@pytest.mark.parametrize("how", ["dotdot", "absolute-symlink"])
def test_a_revision_pointing_outside_is_refused_unread(
    data_copy, tmp_path, monkeypatch, capsys, how
):
    outside = tmp_path / "outside.csv"
    outside.write_text(f"case_id,x\n{SECRET},{SECRET}\n", "utf-8")
    repo, git = _git_repo(tmp_path, data_copy)
    if how == "dotdot":
        desc = _descriptor(repo / "data")
        next(r for r in desc["resources"] if r["name"] == "cases")["path"] = "../../outside.csv"
        _save(repo / "data", desc)
    else:
        (repo / "data" / "cases.csv").unlink()
        (repo / "data" / "cases.csv").symlink_to(outside)
    git("add", "-A")
    git("commit", "-qm", "two")
    monkeypatch.chdir(repo)
    code, text = _diff_cli(capsys, "HEAD~1", "HEAD")
    assert code == 2 and "NEW" in text and "cases" in text
    assert SECRET not in text and "Traceback" not in text
