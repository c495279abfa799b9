"""Hostile and careless input: a data directory from a stranger, interrupted builds,
shared output folders. Nothing leaks, nothing runs, nothing is lost.

Each test builds a broken copy of the data (or plants a file) in a temporary folder
and asserts a clear message, the exit code, and that nothing else happened.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
from conftest import edit_csv

import belarus_monitor as bm
from belarus_monitor import config, files, text
from belarus_monitor.cli import main
from belarus_monitor.pipeline import cache, render, workers
from belarus_monitor.pipeline import jobs as pjobs
from belarus_monitor.pipeline import plan as planner
from belarus_monitor.site import front as site_front
from belarus_monitor.site import index as site_index
from belarus_monitor.site import pages

SECRET = "TOPSECRET-" + uuid.uuid4().hex[:8]
BM = [sys.executable, "-m", "belarus_monitor.cli"]


def run_cli(*args: str, timeout: float | None = None) -> subprocess.CompletedProcess:
    """The command line on ``args``: its exit code and what it printed.

    It runs in this process, as ``belarus-monitor`` would (an exception that escapes it
    is printed as the traceback a user would see); with a ``timeout``, in a process of
    its own, which is stopped past it.
    """
    if timeout is not None:
        return subprocess.run(
            [*BM, *args], capture_output=True, text=True, timeout=timeout, cwd=config.PROJECT_ROOT
        )
    import contextlib
    import io
    import traceback

    from belarus_monitor.cli import main

    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            code = main(list(args))
        except SystemExit as exc:  # argparse's usage errors
            code = exc.code if isinstance(exc.code, int) else 1
        except Exception:  # noqa: BLE001 - what a user would see
            traceback.print_exc()
            code = 1
    return subprocess.CompletedProcess([*BM, *args], code, out.getvalue(), err.getvalue())


def descriptor(data: Path) -> dict:
    return json.loads((data / "datapackage.json").read_text(encoding="utf-8"))


def save_descriptor(data: Path, desc: dict) -> None:
    (data / "datapackage.json").write_text(json.dumps(desc), encoding="utf-8")


def resource(desc: dict, name: str) -> dict:
    return next(r for r in desc["resources"] if r["name"] == name)


def secret_file(tmp_path: Path) -> Path:
    """A readable file outside the data directory whose content must never be shown."""
    path = tmp_path / "outside.csv"
    path.write_text(f"{SECRET},{SECRET}\n{SECRET},x\n", encoding="utf-8")
    return path


# -- 1. files outside the data directory ------------------------------------------------
@pytest.mark.parametrize("how", ["absolute", "dotdot", "symlink", "descriptor-symlink"])
def test_files_outside_the_data_dir_are_refused_unread(data_copy, tmp_path, how):
    outside = secret_file(tmp_path)
    desc = descriptor(data_copy)
    if how == "absolute":
        resource(desc, "cases")["path"] = str(outside)
        save_descriptor(data_copy, desc)
    elif how == "dotdot":
        resource(desc, "cases")["path"] = "../outside.csv"
        save_descriptor(data_copy, desc)
    elif how == "symlink":
        (data_copy / "cases.csv").unlink()
        (data_copy / "cases.csv").symlink_to(outside)
    else:
        real = tmp_path / "elsewhere.json"
        real.write_text(json.dumps({"resources": SECRET}), encoding="utf-8")
        (data_copy / "datapackage.json").unlink()
        (data_copy / "datapackage.json").symlink_to(real)
    res = run_cli("validate", "--data-dir", str(data_copy))
    assert res.returncode == 1
    out = res.stdout + res.stderr
    assert SECRET not in out and "Traceback" not in out
    if how == "descriptor-symlink":
        assert "datapackage.json" in out and "inside the data directory" in out
    else:
        assert "cases" in out
        assert (
            "inside the data directory" in out
            if how == "symlink"
            else "no folder, no '..', not absolute" in out
        )
    for cmd in (["sources"], ["export", "--format", "json", "--out", str(tmp_path / "e")]):
        res = run_cli(*cmd, "--data-dir", str(data_copy))
        assert res.returncode in (1, 2) and SECRET not in res.stdout + res.stderr
        assert "Traceback" not in res.stderr
    assert not (tmp_path / "e").exists()


def test_a_fifo_is_not_read(data_copy):
    (data_copy / "cases.csv").unlink()
    os.mkfifo(data_copy / "cases.csv")
    msgs = [str(p) for p in bm.validate(data_copy)]  # would block forever if opened
    assert any(m.startswith("cases.csv") and "a regular file" in m for m in msgs)


def test_messages_quote_only_a_short_escaped_excerpt(data_copy):
    edit_csv(data_copy / "sources.csv", "source_id,title,", f"source_id,{SECRET * 20},")
    long_bad = "9" * 30 + SECRET * 50
    edit_csv(data_copy / "requests.csv", ",239,", f",{long_bad},")
    msgs = [str(p) for p in bm.validate(data_copy)]
    assert msgs and all(len(m) < 600 for m in msgs)
    assert all((SECRET * 2) not in m for m in msgs)


def test_excerpt_escapes_controls_and_cuts():
    assert text.excerpt("a\x00b\u202ec") == "'a\\x00b\\u202ec'"
    assert text.excerpt("x" * 100).endswith("…'") and len(text.excerpt("x" * 100)) < 50


# -- 2. markup from the data never reaches a page as markup -----------------------------
def test_markdown_from_data_is_escaped():
    html = pages.markdown_html(
        "**5** <script>alert(1)</script> <img src=x onerror=y> "
        "[a](javascript:alert(1)) [b](https://example.org)"
    )
    assert "<script" not in html and "<img" not in html and "javascript:" not in html
    assert "&lt;script&gt;" in html and '<a href="https://example.org">b</a>' in html
    assert "<strong>5</strong>" in html


@pytest.mark.parametrize(
    "url",
    [
        "javascript:alert(1)",
        "data:text/html,x",
        "file:///etc/passwd",
        "//evil.example",
        "https://",
        "http://ex ample.org",
        "https://example.org/\u202e",
    ],
)
def test_links_only_for_http_urls(url):
    assert text.safe_url(url) is None
    assert "<a " not in text.link(url, "<b>x</b>") and "&lt;b&gt;" in text.link(url, "<b>x</b>")


def test_templates_escape_everything():
    html = pages.render(
        "table.html.j2", caption="<i>c</i>", headings=["<th>"], rows=[["<script>x</script>"]]
    )
    assert "<script>" not in html and "<i>" not in html and "&lt;script&gt;" in html
    page = pages.page("<title>", "<p>body</p>")
    assert "<title>&lt;title&gt;</title>" in page and "<p>body</p>" in page


# -- 3. what validate accepts, every command renders -----------------------------------
@pytest.mark.parametrize(
    "value,expected",
    [
        ("99999999999999999999999", "at most"),  # beyond 64 bits
        ("٣٣", "digits 0-9"),  # Arabic-Indic digits
        ("NaN", "integer"),
        ("1e400", "integer"),
        ("1_000", "integer"),
        (" 33", "integer"),
    ],
)
def test_integers_out_of_range_or_script_are_rejected(data_copy, value, expected):
    edit_csv(data_copy / "requests.csv", ",33,", f",{value},")
    msgs = [str(p) for p in bm.validate(data_copy)]
    assert any("requests.csv:3: column 'value'" in m and expected in m for m in msgs), msgs


@pytest.mark.parametrize("value", ["nan", "inf", "-Infinity", "1e999", "٧٨.٨", "7_8.8"])
def test_non_finite_or_foreign_numbers_are_rejected(data_copy, value):
    edit_csv(data_copy / "requests.csv", ",78.8,", f",{value},")
    msgs = [str(p) for p in bm.validate(data_copy)]
    assert any("column 'percent'" in m and "finite number" in m for m in msgs), msgs


@pytest.mark.parametrize("bad", ["\x00", "\x07", "\x1b[31m", "\u202e", "\x85"])
def test_control_characters_are_rejected(data_copy, bad):
    edit_csv(data_copy / "sources.csv", ",Pozirk,", f",Poz{bad}irk,")
    msgs = [str(p) for p in bm.validate(data_copy)]
    assert any(
        "sources.csv:2: column 'publisher'" in m and "control characters" in m for m in msgs
    ), msgs
    assert all(bad not in m for m in msgs)


def test_dates_in_other_scripts_are_rejected(data_copy):
    edit_csv(data_copy / "sources.csv", ",2024-06-25,day,", ",٢٠٢٤-06-25,day,")
    msgs = [str(p) for p in bm.validate(data_copy)]
    assert any("column 'published'" in m and "YYYY-MM-DD" in m for m in msgs)


def test_a_huge_cell_is_a_problem_not_a_crash(data_copy):
    edit_csv(data_copy / "sources.csv", ",Pozirk,", ",Pozirk" + "x" * 300_000 + ",")
    res = run_cli("validate", "--data-dir", str(data_copy))
    assert res.returncode == 1 and "Traceback" not in res.stderr
    assert "sources.csv:2: column 'publisher'" in res.stdout and "at most 5,000" in res.stdout
    assert len(res.stdout) < 2000


def test_tex_like_text_is_drawn_as_text():
    import pandas as pd

    from belarus_monitor import figures as charts

    sources = pd.DataFrame(
        {
            "source_id": ["s"],
            "publisher": [r"$\frac{1}{0}$ ^_^ $x$"],
            "published": [pd.Timestamp("2024-01-01")],
        }
    )
    fig, ax = charts._new()
    ax.set_title(r"$\undefinedcommand{x}$")
    charts.finish(fig, ["s"], sources, "alt")
    png = charts.to_png(fig)  # mathtext would raise on \undefinedcommand
    assert png.startswith(b"\x89PNG")
    assert any(r"$\frac{1}{0}$" in t.get_text() for t in fig.texts)


def strange_but_valid(data: Path) -> dict[str, str]:
    """Values that validate accepts and every command must render as they are."""
    values = {
        "formula": '=HYPERLINK("http://x")',
        "script": "<script>alert('x')</script>",
        "tex": r"$\frac{a}{b}$ costs $5",
        "rtl": "بيلاروس",
        "emoji": "🇧🇾 ✊",
        "markdown": "**bold** [link](javascript:alert(1)) <img src=x onerror=alert(1)>",
        "long": "x" * 4000,
    }
    edit_csv(data / "sources.csv", ",Pozirk,", f',"{values["script"]} {values["tex"]}",')
    edit_csv(
        data / "requests.csv",
        "Belarus Prosecutor General's Office (Deputy Prosecutor General Alaksiej Stuk)",
        " ".join(values[k] for k in ("formula", "rtl", "emoji", "markdown"))
        .replace('"', '""')
        .join('""'),
    )
    edit_csv(data / "groups.csv", "Estonia, Latvia and Lithuania.", values["long"])
    return values


@pytest.mark.slow
def test_strange_but_valid_values_export_and_list(data_copy, tmp_path):
    values = strange_but_valid(data_copy)
    assert bm.validate(data_copy) == []
    for fmt, out in (
        ("xlsx", tmp_path / "x.xlsx"),
        ("csv", tmp_path / "c"),
        ("json", tmp_path / "j"),
    ):
        res = run_cli("export", "--format", fmt, "--out", str(out), "--data-dir", str(data_copy))
        assert res.returncode == 0, res.stderr
    records = json.loads((tmp_path / "j" / "requests.json").read_text(encoding="utf-8"))
    assert any(values["emoji"] in r["claimant"] for r in records)
    res = run_cli("sources", "--format", "json", "--data-dir", str(data_copy))
    assert res.returncode == 0
    publishers = {s["publisher"] for s in json.loads(res.stdout)}
    assert f"{values['script']} {values['tex']}" in publishers  # shown as it is


# -- 4. a malformed descriptor ----------------------------------------------------------
def _break(kind: str, desc: dict, data: Path) -> str | None:
    req = resource(desc, "requests")
    if kind == "json":
        (data / "datapackage.json").write_text('{"resources": [', encoding="utf-8")
        return None
    if kind == "shape":
        desc["resources"] = {"a": 1}
    elif kind == "type":
        req["schema"]["fields"][0]["type"] = "geopoint"
    elif kind == "schema":
        del req["schema"]
    elif kind == "regex":
        req["schema"]["fields"][0]["constraints"]["pattern"] = "req-(\\d+"
    elif kind == "lookahead":
        req["schema"]["fields"][0]["constraints"]["pattern"] = "(?=req).*"
    elif kind == "fk":
        req["schema"]["foreignKeys"] = [{"fields": ["nope"], "reference": {}}]
    elif kind == "constraint":
        req["schema"]["fields"][0]["constraints"]["minimum"] = "ten"
    save_descriptor(data, desc)
    return None


@pytest.mark.parametrize(
    "kind,words",
    [
        ("json", "valid JSON"),
        ("shape", "a non-empty list"),
        ("type", "one of string"),
        ("schema", "non-empty list of fields"),
        ("regex", "RE2 accepts"),
        ("lookahead", "RE2 accepts"),
        ("fk", "foreignKeys"),
        ("constraint", "no minimum"),
    ],
)
def test_malformed_descriptor_gets_clear_errors(data_copy, tmp_path, kind, words):
    _break(kind, descriptor(data_copy), data_copy)
    res = run_cli("validate", "--data-dir", str(data_copy))
    assert res.returncode == 1, res.stderr
    assert "Traceback" not in res.stderr and words in res.stdout, res.stdout
    assert res.stdout.startswith("datapackage.json")
    for cmd in (["sources"], ["build", "--country", "DE", "--out", str(tmp_path / "o")]):
        res = run_cli(*cmd, "--data-dir", str(data_copy))
        assert res.returncode in (1, 2) and "Traceback" not in res.stderr, res.stderr
    assert not (tmp_path / "o").exists()


def test_catastrophic_regex_does_not_hang(data_copy):
    desc = descriptor(data_copy)
    field = resource(desc, "sources")["schema"]["fields"][0]
    field["constraints"]["pattern"] = "(a+)+$"
    save_descriptor(data_copy, desc)
    edit_csv(data_copy / "sources.csv", "pozirk-92555,", "a" * 4000 + "!,")
    t0 = time.monotonic()
    res = run_cli("validate", "--data-dir", str(data_copy), timeout=60)
    assert time.monotonic() - t0 < 30
    assert res.returncode == 1 and "text matching" in res.stdout


# -- 6. staleness -------------------------------------------------------------------------
def _fake_report(out: Path, stem: str, digest: str, formats=("html", "pdf")) -> None:
    import hashlib

    names = {f"{stem}.ipynb": b"{}", **{f"{stem}.{f}": f"{f} of {stem}".encode() for f in formats}}
    for name, data in names.items():
        (out / name).write_bytes(data)
    manifest = {
        "notebook": "country_profile",
        "title": f"Profile {stem}",
        "inputs": digest,
        "reads": {"requests": _fingerprints()("requests")},
        "files": {n: hashlib.sha256(d).hexdigest() for n, d in names.items()},
    }
    cache.manifest_path(out, stem).write_text(json.dumps(manifest), encoding="utf-8")


def _fingerprints(data_dir=None) -> cache.Fingerprints:
    return cache.Fingerprints(data_dir, bm.provenance.dataset_checksum(data_dir), "lib")


def test_a_truncated_output_is_not_up_to_date(tmp_path):
    job = pjobs.Job("country_profile", (("country", "DE"),), "country_profile_DE")
    _fake_report(tmp_path, job.stem, "d1")
    fp = _fingerprints()
    assert cache.up_to_date(tmp_path, job, ("html", "pdf"), "d1", fp)
    assert not cache.up_to_date(tmp_path, job, ("html", "pdf"), "d2", fp)
    pdf = tmp_path / f"{job.stem}.pdf"
    pdf.write_bytes(pdf.read_bytes()[:3])
    assert not cache.up_to_date(tmp_path, job, ("html", "pdf"), "d1", fp)
    assert cache.up_to_date(tmp_path, job, ("html",), "d1", fp)
    index = site_index.write_index(tmp_path).read_text(encoding="utf-8")
    assert f'href="{job.stem}.html"' in index and f'href="{job.stem}.pdf"' not in index


def test_a_garbled_manifest_or_cache_is_not_trusted(tmp_path):
    job = pjobs.Job("country_profile", (("country", "DE"),), "country_profile_DE")
    _fake_report(tmp_path, job.stem, "d1")
    fp = _fingerprints()
    assert cache.up_to_date(tmp_path, job, ("html",), "d1", fp)
    m = json.loads(cache.manifest_path(tmp_path, job.stem).read_text())
    for reads in ({"requests": 5}, {"requests": "0" * 64}, [], {}):  # a table's hash garbled
        cache.manifest_path(tmp_path, job.stem).write_text(json.dumps({**m, "reads": reads}))
        assert not cache.up_to_date(tmp_path, job, ("html",), "d1", fp)
    cache.manifest_path(tmp_path, job.stem).write_text('{"inputs": "d1", "files": 5}')
    assert not cache.up_to_date(tmp_path, job, ("html",), "d1", fp)
    (tmp_path / ".build-cache.json").write_text(
        json.dumps({"countries": {bm.provenance.dataset_checksum(): ["../../etc", 7]}})
    )
    jobs = planner.plan(None, ["country_profile"], out=tmp_path)
    assert jobs and all(len(j.stem) == len("country_profile_DE") for j in jobs)


def test_index_lists_what_is_on_disk(tmp_path):
    _fake_report(tmp_path, "country_profile_DE", "d1")
    _fake_report(tmp_path, "country_profile_NZ", "d1")
    (tmp_path / "country_profile_NZ.html").unlink()
    (tmp_path / "country_profile_NZ.pdf").unlink()
    (tmp_path / "country_profile_NZ.ipynb").unlink()
    index = site_index.write_index(tmp_path).read_text(encoding="utf-8")
    assert 'href="country_profile_DE.html"' in index and "country_profile_NZ" not in index


def test_planted_manifests_and_a_tampered_cache_inject_nothing(tmp_path):
    """The out directory is untrusted: names, titles and cached text never become markup."""
    for stem in ("javascript:alert(1)", "country_profile_DE", "country_profile_XX", "evil"):
        _fake_report(tmp_path, stem, "d1")
    m = json.loads(cache.manifest_path(tmp_path, "country_profile_DE").read_text())
    m["title"] = "<script>alert(1)</script>"
    m["parameters"] = {"country": "DE"}
    cache.manifest_path(tmp_path, "country_profile_DE").write_text(json.dumps(m))
    m["parameters"] = {"country": "XX"}
    cache.manifest_path(tmp_path, "country_profile_XX").write_text(json.dumps(m))
    front = {
        "as_of": "<b>x</b>",
        "version": "1",
        "lede": "<script>alert(2)</script> [a](javascript:alert(3))",
        "map_png": "",
        "map_alt": '"><script>alert(4)</script>',
        "citation": "",
        "substance": {"DE": "figures"},
    }
    index = site_index.write_index(tmp_path, front=front).read_text(encoding="utf-8")
    assert "<script>alert" not in index and 'href="javascript' not in index and "<b>x" not in index
    assert 'href="country_profile_DE.html"' in index and "Germany" in index
    assert "country_profile_XX" not in index and "evil" not in index
    bad = {**front, "map_png": '"><script>', "substance": {"DE": "<i>"}}
    assert site_index.checked_front(bad) is None
    key = "k"
    (tmp_path / ".build-cache.json").write_text(json.dumps({"front": {"key": key, "value": bad}}))
    assert site_front._front(tmp_path, None, key, compute=False) is None  # recomputed, not used


def test_reports_built_from_other_data_are_marked(tmp_path, data_copy):
    out = tmp_path / "out"
    out.mkdir()
    _fake_report(out, "country_profile_DE", "d1")
    m = json.loads(cache.manifest_path(out, "country_profile_DE").read_text())
    m["parameters"] = {"country": "DE"}
    cache.manifest_path(out, "country_profile_DE").write_text(json.dumps(m))
    index = site_index.write_index(out, fingerprints=_fingerprints()).read_text(encoding="utf-8")
    assert "another version of the data" not in index
    # A table the report did not read changes: it is still of this data.
    edit_csv(data_copy / "political_prisoners.csv", "169 political prisoners", "169 prisoners")
    index = site_index.write_index(out, fingerprints=_fingerprints(data_copy))
    assert "another version of the data" not in index.read_text(encoding="utf-8")
    edit_csv(data_copy / "requests.csv", "practically ignore", "practically ignored")
    index = site_index.write_index(out, fingerprints=_fingerprints(data_copy))
    assert "another version of the data" in index.read_text(encoding="utf-8")


def test_the_out_directory_cannot_vouch_for_invalid_data(data_copy, tmp_path, capsys):
    edit_csv(
        data_copy / "requests.csv",
        "req-001,outgoing,UNFRIENDLY_2022,all,sent,239",
        "req-001,outgoing,UNFRIENDLY_2022,all,sent,2x39",
    )
    digest = bm.provenance.dataset_checksum(data_copy)
    out = tmp_path / "out"
    out.mkdir()
    forged = {"valid": [digest], f"valid:{digest}:{cache.library_hash()}": True}
    (out / ".build-cache.json").write_text(json.dumps(forged))
    code = main(["build", "--country", "DE", "--data-dir", str(data_copy), "--out", str(out)])
    assert code == 1 and "requests.csv" in capsys.readouterr().err


# -- 7. temporary files ------------------------------------------------------------------
def test_atomic_write_never_follows_a_planted_symlink(tmp_path):
    victim = tmp_path / "victim.txt"
    victim.write_text("keep me")
    target = tmp_path / "report.html"
    target.symlink_to(victim)
    for name in (".report.html.tmp", f".report.html.{os.getpid()}.tmp"):
        (tmp_path / name).symlink_to(victim)
    files.atomic_write(target, b"new")
    assert victim.read_text() == "keep me"
    assert not target.is_symlink() and target.read_bytes() == b"new"


def test_failed_write_leaves_the_old_file(tmp_path):
    target = tmp_path / "a.txt"
    target.write_text("old")
    with pytest.raises(RuntimeError), files.atomic_open(target, "wb") as fh:
        fh.write(b"half")
        raise RuntimeError
    assert target.read_text() == "old" and [p.name for p in tmp_path.iterdir()] == ["a.txt"]


# -- 8. where outputs go ---------------------------------------------------------------------
@pytest.mark.parametrize("out", ["notebooks", "data", "src", "/", ".", "src/belarus_monitor"])
def test_build_never_writes_into_sources(out, capsys):
    before = {p: p.stat().st_mtime_ns for p in (config.NOTEBOOKS_DIR.glob("*"))}
    assert main(["build", "--country", "DE", "--out", out, "--no-progress"]) == 2
    err = capsys.readouterr().err
    assert "--out" in err and "expected a directory" in err
    assert before == {p: p.stat().st_mtime_ns for p in (config.NOTEBOOKS_DIR.glob("*"))}


def test_export_never_rewrites_the_data_being_exported(data_copy, capsys):
    before = {p.name: p.read_bytes() for p in data_copy.iterdir()}
    for fmt, out in (
        ("csv", data_copy),
        ("json", data_copy / "sub"),
        ("xlsx", data_copy / "x.xlsx"),
    ):
        assert (
            main(["export", "--format", fmt, "--out", str(out), "--data-dir", str(data_copy)]) == 2
        )
        assert "--out" in capsys.readouterr().err
    assert before == {p.name: p.read_bytes() for p in data_copy.iterdir()}


def test_directory_export_is_all_or_nothing(tmp_path, monkeypatch):
    from belarus_monitor.data import export

    out = tmp_path / "csv"
    export.export_dataset("csv", out)
    (out / "mine-not-yours.csv").write_text("old")
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    real = export._write_csv
    calls = []

    def flaky(path, res, df, **kw):
        calls.append(path)
        if len(calls) == 3:
            raise OSError(28, "No space left on device")
        real(path, res, df, **kw)

    monkeypatch.setattr(export, "_write_csv", flaky)
    with pytest.raises(OSError):
        export.export_dataset("csv", out)
    assert before == {p.name: p.read_bytes() for p in out.iterdir()}
    monkeypatch.setattr(export, "_write_csv", real)
    export.export_dataset("csv", out)
    assert (out / "mine-not-yours.csv").read_text() == "old"  # not ours: never touched
    assert [p.name for p in tmp_path.iterdir()] == ["csv"]


# -- 8b. an export or a build never removes what it did not write -------------------------------
def _tree(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in root.rglob("*") if p.is_file()}


@pytest.mark.parametrize("fmt", ["csv", "json"])
@pytest.mark.parametrize("where", ["a-folder", "above-the-data", "home", "dot-git"])
def test_export_refuses_a_folder_it_did_not_write(tmp_path, capsys, monkeypatch, fmt, where):
    folder = tmp_path / "work"
    (folder / "sub").mkdir(parents=True)
    (folder / "notes.txt").write_text("precious")
    (folder / "sub" / "deep.csv").write_text("a,b\n1,2\n")
    data = folder / "data"
    shutil.copytree(config.DATA_DIR, data)
    target = {
        "a-folder": folder / "sub",
        "above-the-data": folder,
        "home": folder,
        "dot-git": folder / ".git",
    }[where]
    if where == "home":
        monkeypatch.setenv("HOME", str(folder))
        arg = "~"
    else:
        arg = str(target)
    if where == "dot-git":
        (target / "objects").mkdir(parents=True)
        (target / "HEAD").write_text("ref: refs/heads/main\n")
    before = _tree(tmp_path)
    code = main(["export", "--format", fmt, "--out", arg, "--data-dir", str(data)])
    err = capsys.readouterr().err
    assert code == 2
    assert "--out" in err and "did not write" in err and "Traceback" not in err
    assert _tree(tmp_path) == before


def test_a_re_export_removes_only_its_own_unchanged_files(tmp_path, data_copy):
    from belarus_monitor.data import export

    out = tmp_path / "json"
    export.export_dataset("json", out, data_copy)
    # A table the next version drops: its old file goes; an edited one of ours stays.
    desc = descriptor(data_copy)
    desc["resources"] = [r for r in desc["resources"] if r["name"] not in ("cases", "case_events")]
    for r in desc["resources"]:
        r["schema"]["foreignKeys"] = [
            fk
            for fk in r["schema"].get("foreignKeys", [])
            if fk["reference"]["resource"] not in ("cases", "case_events")
        ]
    save_descriptor(data_copy, desc)
    (out / "case_events.json").write_text("[]  edited by hand\n")
    export.export_dataset("json", out, data_copy)
    assert not (out / "cases.json").exists()
    assert (out / "case_events.json").read_text() == "[]  edited by hand\n"


def test_a_tampered_export_record_removes_nothing(tmp_path):
    from belarus_monitor.data import export

    out = tmp_path / "csv"
    export.export_dataset("csv", out)
    (out / "yours.txt").write_text("precious")
    record = json.loads((out / files.EXPORT_RECORD).read_text())
    record["files"]["yours.txt"] = "0" * 64  # not its hash
    (out / files.EXPORT_RECORD).write_text(json.dumps(record))
    export.export_dataset("csv", out)
    assert (out / "yours.txt").read_text() == "precious"
    # A record naming a file outside the folder is not a record of ours: refused.
    record["files"]["../outside.txt"] = "0" * 64
    (out / files.EXPORT_RECORD).write_text(json.dumps(record))
    (tmp_path / "outside.txt").write_text("precious")
    before = _tree(tmp_path)
    with pytest.raises(export.ExportError, match="did not write"):
        export.export_dataset("csv", out)
    assert _tree(tmp_path) == before


def test_a_workbook_replaces_only_our_workbook(tmp_path, capsys):
    theirs = tmp_path / "budget.xlsx"
    theirs.write_bytes(b"PK not ours")
    assert main(["export", "--out", str(theirs)]) == 2
    assert "not a workbook this export wrote" in capsys.readouterr().err
    assert theirs.read_bytes() == b"PK not ours"
    ours = tmp_path / "bm.xlsx"
    assert main(["export", "--out", str(ours)]) == 0
    assert main(["export", "--out", str(ours)]) == 0  # ours: replaced


@pytest.mark.parametrize("where", ["tests", "home"])
def test_build_refuses_a_folder_no_build_wrote(tmp_path, capsys, monkeypatch, where):
    folder = tmp_path / "site"
    folder.mkdir()
    (folder / "index.html").write_text("my own home page")
    (folder / ".notes.tmp").write_text("mine")
    arg = str(folder)
    if where == "home":
        monkeypatch.setenv("HOME", str(folder))
        arg = "~"
    before = _tree(tmp_path)
    assert main(["build", "--country", "DE", "--out", arg, "--no-progress"]) == 2
    err = capsys.readouterr().err
    assert "no build wrote" in err and "Traceback" not in err
    assert _tree(tmp_path) == before


def test_two_builds_into_one_folder_are_serialised(tmp_path, capsys):
    with files.Lock(tmp_path):
        assert main(["build", "--country", "DE", "--out", str(tmp_path), "--no-progress"]) == 2
    err = capsys.readouterr().err
    assert "another build is writing into this directory" in err
    assert f"process {os.getpid()}" in err


# -- 9. every parameter checked before anything runs ------------------------------------------
def test_missing_data_dir_is_refused_before_anything_runs(tmp_path, capsys):
    t0 = time.monotonic()
    code = main(
        [
            "build",
            "--country",
            "DE",
            "--data-dir",
            str(tmp_path / "nope"),
            "--out",
            str(tmp_path / "o"),
        ]
    )
    assert code == 2 and time.monotonic() - t0 < 5
    assert "--data-dir" in capsys.readouterr().err and not (tmp_path / "o").exists()


def test_a_parameter_that_does_not_apply_is_refused(tmp_path, capsys):
    assert (
        main(["build", "--notebook", "repression", "--country", "DE", "--out", str(tmp_path / "o")])
        == 2
    )
    err = capsys.readouterr().err
    assert "'repression' takes no country" in err and "start" in err
    assert not (tmp_path / "o").exists()


@pytest.mark.parametrize("jobs", ["0", "-1", "1000"])
def test_jobs_is_bounded(tmp_path, capsys, jobs):
    assert main(["build", "--jobs", jobs, "--out", str(tmp_path / "o")]) == 2
    assert "--jobs" in capsys.readouterr().err


def test_duplicate_formats_are_one(tmp_path, monkeypatch):
    seen = {}

    def fake_build(jobs, out, formats, *args, **kw):
        seen["formats"] = formats
        return []

    monkeypatch.setattr(workers, "build", fake_build)
    assert (
        main(["build", "--country", "DE", "--format", "html,html", "--out", str(tmp_path / "o")])
        == 0
    )
    assert seen["formats"] == ("html",)


def test_an_unusable_out_is_a_clear_error(tmp_path, capsys):
    afile = tmp_path / "afile"
    afile.write_text("x")
    assert main(["build", "--country", "DE", "--out", str(afile)]) == 2
    assert "found a file" in capsys.readouterr().err
    locked = tmp_path / "ro"
    locked.mkdir()
    locked.chmod(0o500)
    try:
        if os.access(locked, os.W_OK):  # root ignores permissions
            pytest.skip("running as root: every directory is writable")
        assert main(["build", "--country", "DE", "--out", str(locked / "x")]) == 2
    finally:
        locked.chmod(0o700)


# -- 5. interrupts (real signals to a real build) ----------------------------------------------
def _marked(mark: str) -> list[int]:
    """Processes whose environment carries the mark (the build and its workers)."""
    pids = []
    for proc in Path("/proc").iterdir():
        if not proc.name.isdigit():
            continue
        try:
            if mark.encode() in (proc / "environ").read_bytes():
                pids.append(int(proc.name))
        except OSError:
            continue
    return pids


def _start_build(out: Path, mark: str) -> subprocess.Popen:
    env = {**os.environ, "BM_TEST_MARK": mark}
    return subprocess.Popen(
        [*BM, "build", "--out", str(out), "--jobs", "2", "--format", "html"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
        cwd=config.PROJECT_ROOT,
    )


def _wait_for_workers(mark: str, n: int = 3, timeout: float = 60) -> None:
    t0 = time.monotonic()
    while len(_marked(mark)) < n and time.monotonic() - t0 < timeout:
        time.sleep(0.2)
    assert len(_marked(mark)) >= n, "the build did not start its workers"
    time.sleep(1.0)  # the workers are at work (importing the stack, or building)


def _gone(mark: str, timeout: float) -> bool:
    t0 = time.monotonic()
    while _marked(mark) and time.monotonic() - t0 < timeout:
        time.sleep(0.2)
    return not _marked(mark)


@pytest.mark.slow
@pytest.mark.parametrize("sig,code", [(signal.SIGINT, 130), (signal.SIGTERM, 143)])
def test_a_signal_stops_the_build(tmp_path, sig, code):
    out, mark = tmp_path / "out", uuid.uuid4().hex
    proc = _start_build(out, mark)
    _wait_for_workers(mark)
    t0 = time.monotonic()
    proc.send_signal(sig)
    stdout, stderr = proc.communicate(timeout=30)
    assert time.monotonic() - t0 < 10
    assert proc.returncode == code, stderr
    assert "Traceback" not in stderr and "interrupted" in stderr
    assert len([line for line in stderr.splitlines() if "interrupted" in line]) == 1
    assert _gone(mark, 10), "workers outlived the build"
    leftovers = [p.name for p in out.iterdir() if p.name.endswith(".tmp")]
    assert not leftovers
    index = (out / "index.html").read_text(encoding="utf-8")
    for href in __import__("re").findall(r'href="([^"]+)"', index):
        if not href.startswith("https://"):
            assert (out / href).is_file(), href


@pytest.mark.slow
def test_workers_end_when_the_build_dies(tmp_path):
    out, mark = tmp_path / "out", uuid.uuid4().hex
    proc = _start_build(out, mark)
    _wait_for_workers(mark)
    proc.kill()
    proc.communicate(timeout=30)
    assert _gone(mark, 10), "workers outlived a killed build"
    listing = sorted(p.name for p in out.iterdir())
    time.sleep(3)
    assert sorted(p.name for p in out.iterdir()) == listing  # nothing more is written
    # Only the killed process's own temporary files can be left (no worker's), and the
    # next build sweeps them away, under the folder's lock, before anything else.
    left = [n for n in listing if n.endswith(".tmp")]
    assert all(n.startswith((".downloads-", ".belarus-monitor", ".build-cache")) for n in left)
    with files.Lock(out):
        files.remove_stale_temporaries(out, (".*.tmp", ".*.old"))
    assert not [p.name for p in out.iterdir() if p.name.endswith(".tmp")]
    shutil.rmtree(out)


# -- 10. every CSV we write neutralises formulas -------------------------------------------------
FORMULAS = ['=HYPERLINK("http://x")', "+1+1", "-2+3", "@SUM(A1)", "\tx"]  # \r: text.neutralise


def test_figure_csvs_neutralise_formulas(monkeypatch):
    import pandas as pd
    from matplotlib.figure import Figure

    from belarus_monitor.site import report as report_mod

    shown = []
    monkeypatch.setattr(
        "IPython.display.display", lambda *objs, metadata=None, **kw: shown.append(metadata)
    )
    fig = Figure(figsize=(2, 1))
    fig.add_subplot().bar([0], [1])
    fig.data = pd.DataFrame({"=label": FORMULAS, "count": range(len(FORMULAS))})
    report_mod.Report("cooperation", bm.open()).show(fig)
    csv_text = shown[-1][report_mod.FIGURE_KEY]["csv"]
    import csv
    import io

    rows = list(csv.reader(io.StringIO(csv_text, newline="")))
    assert rows[0] == ["'=label", "count"]
    assert [r[0] for r in rows[1:]] == ["'" + f for f in FORMULAS]
    assert [r[1] for r in rows[1:]] == [str(i) for i in range(len(FORMULAS))]


def test_every_csv_writer_goes_through_neutralise():
    """No module writes CSV but through text.frame_csv or text.neutralise."""
    import re

    for path in config.PACKAGE_DIR.rglob("*.py"):
        src = path.read_text(encoding="utf-8")
        if re.search(r"\.to_csv\(|csv\.writer\(", src):
            assert path.name == "text.py" or "neutralise(" in src, path.name


# -- 11. parameters from the command line ---------------------------------------------------------
def _sample(nb: str, p) -> tuple[str, object]:
    """A value of each parameter's type as typed on the command line, and its typed value."""
    if p.name in pjobs.COUNTRY_PARAMETERS:
        return "lithuania", "LT"
    if p.type == "list":
        return " Viasna , ", ["Viasna"]
    if "YYYY-MM-DD" in p.help:
        return "2023-01-31", "2023-01-31"
    if p.name in ("list_a", "list_b"):
        return "UNFRIENDLY_2022", "UNFRIENDLY_2022"
    raise AssertionError(f"no sample for {nb}.{p.name} ({p.type}): add one")


@pytest.mark.parametrize(
    "nb, name",
    [
        (nb, p.name)
        for nb in pjobs.available_notebooks()
        for p in pjobs.notebook_spec(nb).parameters
        if p.name != "data_dir"
    ],
)
def test_every_parameter_of_every_notebook_from_the_cli(nb, name, tmp_path, monkeypatch, capsys):
    p = next(p for p in pjobs.notebook_spec(nb).parameters if p.name == name)
    raw, typed = _sample(nb, p)
    seen = {}

    def fake_build(jobs, *a, **kw):
        seen["jobs"] = jobs
        return []

    monkeypatch.setattr(workers, "build", fake_build)
    code = main(["build", "--notebook", nb, "-P", f"{name}={raw}", "--out", str(tmp_path / "o")])
    err = capsys.readouterr().err
    assert code == 0, err
    (job,) = seen["jobs"]
    assert job.params[name] == typed
    assert hash(job) == hash(pjobs.Job(job.notebook, job.parameters, job.stem))


def test_a_parameter_cannot_contradict_the_selection(tmp_path, capsys):
    out = str(tmp_path / "o")
    assert (
        main(
            [
                "build",
                "--notebook",
                "country_profile",
                "-P",
                "country=LT",
                "--country",
                "DE",
                "--out",
                out,
            ]
        )
        == 2
    )
    assert "give it once" in capsys.readouterr().err
    jobs = planner.plan(["DE", "LT"], ["sanctions"], parameters={"list_a": "UNFRIENDLY_2022"})
    assert len({j.stem for j in jobs}) == 2 and {j.params["highlight"] for j in jobs} == {
        "DE",
        "LT",
    }
    (job,) = planner.plan(None, ["country_profile"], parameters={"country": "lt"})
    assert job.stem == "country_profile_LT" and job.params["country"] == "LT"
    with pytest.raises(pjobs.BuildError, match="two reports would be written"):
        planner._check_unique_stems(  # the last guard, whatever made the jobs
            [
                pjobs.Job("cooperation", (("highlight", "DE"),), "x"),
                pjobs.Job("cooperation", (), "x"),
            ]
        )


@pytest.mark.parametrize(
    "argv",
    [
        ["--notebook", "repression", "-P", "start=" + "9" * 100_000],
        ["--country", "Q" * 1_000_000],
        ["--notebook", "N" * 100_000],
        ["--country", "DE", "--out", str(Path("/nonexistent") / ("d" * 5000))],
        ["--format", "f" * 100_000],
    ],
)
def test_huge_inputs_are_not_echoed(argv, capsys):
    assert main(["build", *argv, "--no-progress"]) == 2
    err = capsys.readouterr().err
    assert len(err) < 600 and "Traceback" not in err


# -- 12. text from data is one inline run of text -----------------------------------------------
STRUCTURE = "Office\n\n---\n\n1. item\n\n# Heading\n\n> quote\n- bullet *x*"


def _blocks(html: str) -> list[str]:
    import re

    return re.findall(r"<(p|hr|ol|ul|li|h[1-6]|blockquote|pre|table)\b", html)


def test_markdown_structure_in_data_stays_inline():
    from belarus_monitor.site.report import Report
    from belarus_monitor.words import stories

    req = bm.load_requests().copy()
    req["claimant"] = STRUCTURE
    ds = bm.open()
    sources = bm.load_sources().copy()
    sources["publisher"] = "1. " + STRUCTURE
    fake = type("FakeDataset", (), {})()  # the dataset, with its publishers rewritten
    for name in ("label", "in_text", "name"):
        setattr(fake, name, getattr(ds, name))
    fake.sources = sources
    lede = stories.cooperation_lede(req, fake)
    html = pages.paragraph_html(lede)
    assert _blocks(html) == ["p"], html
    assert "1. item" in html and "# Heading" in html and "&gt; quote" in html
    for start in ("1. item", "# title", "---", "> q", "- b", "=== x"):
        assert _blocks(pages.paragraph_html(start + "\n\nrest")) == ["p"], start
    assert _blocks(pages.markdown_html(f"Said by {stories.md(STRUCTURE)}.")) == ["p"]
    shown = []
    import belarus_monitor.site.report as report_mod

    real = report_mod._html
    try:
        report_mod._html = shown.append
        Report("cooperation", ds).lede(lede)
    finally:
        report_mod._html = real
    assert _blocks(shown[0]) == ["p"]


# -- 13. a notebook that never ends ---------------------------------------------------------------
def _looping_notebook(catch: bool):
    import nbformat

    body = "while True:\n    try:\n        sum(range(1000))\n    except Exception:\n        pass"
    return nbformat.v4.new_notebook(
        cells=[
            nbformat.v4.new_code_cell("x = 1"),
            nbformat.v4.new_markdown_cell("text"),
            nbformat.v4.new_code_cell(body if catch else "while True:\n    pass"),
            nbformat.v4.new_code_cell("print('never')"),
        ]
    )


@pytest.mark.parametrize("catch", [False, True])
def test_a_looping_notebook_is_stopped_naming_the_cell(catch):
    from belarus_monitor.pipeline.execute import CellError, run_notebook

    nb = _looping_notebook(catch)
    t0 = time.monotonic()
    with pytest.raises(CellError) as info:
        run_notebook(nb, config.NOTEBOOKS_DIR, timeout=1.0)
    assert time.monotonic() - t0 < 10
    assert info.value.cell_index == 2 and "longer than 1 s" in str(info.value)
    assert nb.cells[3].get("outputs", []) == []


def test_a_timeout_keeps_the_previous_good_report(tmp_path, monkeypatch):
    job = pjobs.Job("country_profile", (("country", "DE"),), "country_profile_DE")
    _fake_report(tmp_path, job.stem, "d1")
    before = {p.name: p.read_bytes() for p in tmp_path.iterdir()}
    monkeypatch.setattr(render, "_notebook", lambda job: _looping_notebook(False))
    result = render.run_job(job, str(tmp_path), ("html", "pdf"), "d2", timeout=1.0)
    assert result.status == "failed" and "cell 2" in result.error and "longer than" in result.error
    after = {
        p.name: p.read_bytes() for p in tmp_path.iterdir() if not p.name.endswith("failed.ipynb")
    }
    assert after == before


def test_timeout_is_checked_before_anything_runs(tmp_path, capsys):
    for bad in ("-1", "nan", "inf", "100000"):
        assert main(["build", "--country", "DE", "--timeout", bad, "--out", str(tmp_path)]) == 2
        assert "--timeout" in capsys.readouterr().err


# -- 14. a full disk ------------------------------------------------------------------------------
def test_a_full_disk_keeps_the_previous_report_whole(tmp_path, monkeypatch):
    import errno

    job = planner.plan(["NZ"], None)[0]
    assert render.run_job(job, str(tmp_path), ("html", "pdf"), "d1").status == "built"
    before = _tree(tmp_path)
    real_fdopen = os.fdopen

    class Full:
        def __init__(self, fh):
            self.fh = fh

        def write(self, data):
            raise OSError(errno.ENOSPC, "No space left on device")

        def __getattr__(self, name):
            return getattr(self.fh, name)

        def __enter__(self):
            return self

        def __exit__(self, *exc):
            self.fh.close()

    def fdopen(fd, mode="r", *a, **kw):
        fh = real_fdopen(fd, mode, *a, **kw)
        name = os.readlink(f"/proc/self/fd/{fd}") if os.path.exists("/proc/self/fd") else ""
        return Full(fh) if (".pdf." in name and name.endswith(".tmp")) or not name else fh

    monkeypatch.setattr(files.os, "fdopen", fdopen)
    result = render.run_job(job, str(tmp_path), ("html", "pdf"), "d2")
    assert result.status == "failed" and "No space left on device" in result.error
    assert _tree(tmp_path) == before  # html, pdf, figures and manifest: all the old ones
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]


def test_a_full_disk_is_one_line(tmp_path, monkeypatch, capsys):
    import errno

    def full(*a, **kw):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(workers, "build", full)
    assert main(["build", "--country", "DE", "--out", str(tmp_path), "--no-progress"]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "No space left on device" in err and "kept" in err


# -- 15. scale: many bad rows are reported in a screenful -----------------------------------------
def test_many_bad_rows_are_counted_not_all_printed(data_copy):
    path = data_copy / "political_prisoners.csv"
    lines = path.read_text("utf-8").splitlines()
    bad = lines[1].replace(",", ",x", 1)  # the same row with a broken date, 3,000 times
    path.write_text(
        "\n".join([*lines, *[bad.replace(lines[1][:6], f"pp-{i:05d}x", 1) for i in range(3000)]])
        + "\n",
        "utf-8",
    )
    res = run_cli("validate", "--data-dir", str(data_copy))
    assert res.returncode == 1
    out_lines = res.stdout.splitlines()
    assert len(out_lines) <= 5 * validation_per_file() + 10
    assert any("more problem(s) of this file not shown" in ln for ln in out_lines)
    assert "problem(s) found" in res.stderr
    guide = res.stderr.split("how each field is written: ")[1].split()[0]
    assert (config.PROJECT_ROOT / guide).is_file()  # the guide the message names is there


def validation_per_file() -> int:
    from belarus_monitor.data.problems import SHOWN_PER_FILE

    return SHOWN_PER_FILE


# -- 16. a valid but very long name does not fill a chart ------------------------------------------
def test_long_labels_are_shortened_in_charts_whole_in_the_csv():
    import pandas as pd

    from belarus_monitor import figures as charts

    name = "Republic of " + "Very" * 1250  # 5,012 characters: valid in a cell
    fig, ax = charts._new(figsize=(6, 3))
    ax.barh([0, 1], [3, 4], label=name)
    ax.set_yticks([0, 1], labels=[name, "Poland"])
    ax.legend()
    ax.set_title(f"Answers of {name}")
    data = pd.DataFrame({"country": [name, "Poland"], "count": [3, 4]})
    charts.finish(fig, [], bm.load_sources(), "alt", data)
    texts = charts.all_text(fig)
    assert texts and max(len(line) for t in texts for line in t.split("\n")) <= charts.LINE_CHARS
    assert any(t.endswith("…") and len(t) <= charts.LABEL_CHARS for t in texts)
    assert "Poland" in texts
    assert fig.data["country"].iloc[0] == name
    assert fig.get_figwidth() == 6
    png, _ = charts.render(fig)
    assert png.startswith(b"\x89PNG")


def test_validation_keeps_a_bounded_number_of_problems(data_copy):
    from belarus_monitor.data.problems import KEPT_PER_FILE

    path = data_copy / "political_prisoners.csv"
    lines = path.read_text("utf-8").splitlines()
    bad = lines[1].replace(",", ",x", 1)
    many = [bad.replace(lines[1][:6], f"pp-{i:06d}x", 1) for i in range(KEPT_PER_FILE + 500)]
    path.write_text("\n".join([*lines, *many]) + "\n", "utf-8")
    problems = bm.validate(data_copy)
    mine = [p for p in problems if p.file == "political_prisoners.csv"]
    assert KEPT_PER_FILE < len(mine) <= KEPT_PER_FILE + 1
    assert "more were found" in str(mine[-1])
