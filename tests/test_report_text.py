"""What a reader sees: no code, no Python value, no "(s)" on any page of a built set.

Every code that exists in the data (group ids, codes of closed lists that are not plain
words, row ids, source ids) is searched for in the visible text of every report.
"""

from __future__ import annotations

import html as htmllib
import re
from pathlib import Path

import pytest

import belarus_monitor as bm
from belarus_monitor import config
from belarus_monitor.data.schema import read_package

pytestmark = pytest.mark.slow


def visible_text(path: Path) -> str:
    """The text a reader sees in an HTML page: no tags, styles, attributes or link URLs."""
    raw = path.read_text(encoding="utf-8")
    raw = re.sub(r"<(style|script)\b.*?</\1>", " ", raw, flags=re.S)
    raw = re.sub(r"<a [^>]*>\s*https?://[^<]*</a>", " ", raw)  # a URL shown as a URL
    raw = re.sub(r"<[^>]+>", " ", raw)
    return re.sub(r"\s+", " ", htmllib.unescape(raw))


def codes_in_data() -> set[str]:
    """Every code of the data that a reader must never see on a page."""
    pkg = read_package()
    codes: set[str] = set(bm.load_groups()["group_id"])
    for res in pkg.resources:
        for f in res.fields:
            for code in f.enum or []:
                if "_" in code:
                    codes.add(code)
        if res.name == "vocabulary":
            continue
        df = bm.load_table(res.name)
        for key in res.primary_key:
            if res.field(key).type == "string" and key not in ("decision",):
                codes |= {v for v in df[key].dropna().astype(str) if re.search(r"[-_0-9]", v)}
    return codes


PYTHON_VALUES = re.compile(r"(?<![\w'])(None|nan|NaN|NaT|<NA>|True|False)(?![\w'])|\[\]|''|\(s\)")
# The curators' working papers are not the reader's: no file name or audit item on a page.
INTERNAL = re.compile(r"curated-facts|data-audit|audit-20\d\d|\.md\b|x-known-gaps|for the lead")


def test_no_code_or_python_value_on_any_page(reports):
    out, jobs, _ = reports
    codes = codes_in_data()
    assert len(codes) > 100  # the test looks for something
    pattern = re.compile(
        r"(?<![\w-])("
        + "|".join(map(re.escape, sorted(codes, key=len, reverse=True)))
        + r")(?![\w-])"
    )
    found = {}
    pages = [out / "index.html"] + [out / f"{j.stem}.html" for j in jobs]
    for page in pages:
        text = visible_text(page)
        hits = set(pattern.findall(text)) | {m.group(0) for m in PYTHON_VALUES.finditer(text)}
        hits |= set(INTERNAL.findall(text))
        if hits:
            found[page.name] = sorted(hits)[:10]
    assert not found


def test_every_report_opens_with_a_lede(reports):
    out, jobs, _ = reports
    for job in jobs:
        if job.notebook in ("methodology", "corrections"):  # pages of text, not figures
            continue
        raw = (out / f"{job.stem}.html").read_text(encoding="utf-8")
        lede = re.search(r'<div class="bm-lede">(.*?)</div>', raw, flags=re.S)
        assert lede, job.stem
        words = re.sub(r"<[^>]+>", " ", lede.group(1)).split()
        assert len(words) >= 12, (job.stem, words)
        # The lede comes before the first chart or table.
        first_block = min(
            i for i in (raw.find("<img"), raw.find('<table class="bm-table')) if i >= 0
        )
        assert lede.start() < first_block, job.stem


def test_index_opens_with_figures_and_a_map(reports):
    out = reports[0]
    raw = (out / "index.html").read_text(encoding="utf-8")
    lede = raw.find('class="bm-lede"')
    assert 0 < lede < raw.find('class="bm-map"') < raw.find("<h2>Reports</h2>")
    assert re.search(r"\d{2,}", visible_text(out / "index.html")[:2000])
    assert "Country profiles with figures or cases of their own" in raw
    for name in ("belarus-monitor.xlsx", "belarus-monitor-csv.zip", "belarus-monitor-json.zip"):
        assert f'href="{name}"' in raw and (out / name).stat().st_size > 1000


def test_charts_are_reusable(reports):
    out, jobs, _ = reports
    pngs = sorted(out.glob("cooperation.figure-*.png"))
    assert pngs
    raw = (out / "cooperation.html").read_text(encoding="utf-8")
    for png in pngs:
        assert f'href="{png.name}"' in raw
        assert png.with_suffix(".svg").read_text(encoding="utf-8").lstrip().startswith("<?xml")
    csvs = sorted(out.glob("cooperation.figure-*.csv"))
    assert csvs and all(c.read_text(encoding="utf-8").count("\n") >= 2 for c in csvs), [
        c.name for c in csvs if c.read_text(encoding="utf-8").count("\n") < 2
    ]
    for c in csvs:
        header = c.read_text(encoding="utf-8").splitlines()[0]
        assert "_" not in header, (c.name, header)  # columns in words


def test_reports_link_country_names_to_profiles(reports):
    out = reports[0]
    raw = (out / "cooperation.html").read_text(encoding="utf-8")
    assert 'href="country_profile_DE.html"' in raw
    raw = (out / "country_profile_LT.html").read_text(encoding="utf-8")
    assert 'href="index.html"' in raw and "Data as of" in raw and "CC BY 4.0" in raw
    assert "How to cite" in raw


def test_long_reports_have_contents_that_lead_somewhere(reports):
    out = reports[0]
    for name in ("cooperation", "repression", "sanctions"):
        raw = (out / f"{name}.html").read_text(encoding="utf-8")
        toc = re.search(r'<nav class="bm-toc">(.*?)</nav>', raw, flags=re.S)
        assert toc, name
        targets = re.findall(r'href="#([^"]+)"', toc.group(1))
        assert len(targets) >= 4
        for t in targets:
            assert f'id="{t}"' in raw, (name, t)
        assert raw.find('class="bm-lede"') < toc.start()


# -- a lede agrees with its page -------------------------------------------------------------------
def _ledes():
    import belarus_monitor as bm
    from belarus_monitor.analysis.profile import countries_in_data, country_profile
    from belarus_monitor.words.stories import profile_lede

    ds = bm.open()
    for code in countries_in_data(ds):
        p = country_profile(ds, code)
        yield code, p, profile_lede(p, ds)


def test_no_profile_lede_says_nothing_above_rows_of_its_own():
    checked = 0
    for code, p, lede in _ledes():
        direct = p.direct_claims
        own = (
            len(direct)
            + len(p.cases)
            + len(p.wanted)
            + len(p.releases)
            + len(p.alignment)
            + len(p.lists)
            + int((p.designations["jurisdiction"] == code).sum())
        )
        if own:
            checked += 1
            assert "say nothing about" not in lede, (code, lede)
    assert checked > 20  # not a test over an empty list


def test_ledes_agree_in_number():
    import re

    plurals = "requests were|people|releases|counts|individuals|entities|lists|rounds"
    bad = re.compile(rf"\b1 (?:of \S+ )?\S* ?(?:{plurals})\b|\b1 \S+ (?:were|concern)\b")
    for code, _, lede in _ledes():
        assert not bad.search(lede), (code, bad.search(lede).group(0), lede)


def test_pages_have_a_main_landmark_and_quotes_in_their_language(reports):
    import re

    out = reports[0]
    langs = {}
    for name in ("cooperation.html", "repression.html", "country_profile_LT.html", "index.html"):
        page = (out / name).read_text(encoding="utf-8")
        assert page.count("<main>") == 1 and page.count("</main>") == 1, name
        langs[name] = set(re.findall(r'<span lang="([a-z]{2})">“', page))
    assert {"ru", "be"} & langs["cooperation.html"]  # quotes of Russian or Belarusian sources
    assert "en" not in set().union(*langs.values())  # English needs no mark


# -- the methodology and corrections pages ---------------------------------------------------------
def test_methodology_and_corrections_come_from_the_data_package(data_copy):
    import belarus_monitor as bm
    from belarus_monitor.words import method

    ds = bm.open()
    qualifiers = method.vocabulary_rows(ds, "qualifier")
    assert set(qualifiers["word"]) == {
        label for (d, _), (label, _, _) in ds.vocabulary.items() if d == "qualifier"
    }
    kinds = method.publisher_kinds(ds)
    assert kinds["sources"].sum() == len(ds.sources)  # every source is of one kind
    gaps = method.known_gaps(ds)
    assert len(gaps) >= 5 and not gaps["gap"].str.contains("`").any()
    heads = [h for h, _ in method.editions(ds)]
    assert any(h.startswith("Edition 2.0.0") for h in heads)
    text = " ".join(t for _, t in method.editions(ds))
    assert "`" not in text and "(req-010)" not in text  # words, not codes or row ids
    # A copy's own changelog and gaps are its pages' (no words from the project's data/).
    (data_copy / "CHANGELOG.md").write_text("# Log\n\n## 9.9.9 (2030-01-01): a copy\n\nFixed.\n")
    copy = bm.open(data_copy)
    assert [h for h, _ in method.editions(copy)] == ["Edition 9.9.9 (2030-01-01): a copy"]


def test_every_report_links_the_methodology_and_corrections(reports):
    out = reports[0]
    for name in ("cooperation.html", "country_profile_DE.html", "repression.html"):
        page = (out / name).read_text(encoding="utf-8")
        assert 'href="methodology.html"' in page and 'href="corrections.html"' in page, name


def test_the_cases_sentence_counts_states_apart_from_organisations():
    import re

    import belarus_monitor as bm
    from belarus_monitor.words.stories import cases_sentence

    ds = bm.open()
    cases = ds.table("named_cases")
    text = cases_sentence(cases, ds)
    state = cases["requested_state"].astype(str).str.len() == 2
    refused = cases["outcome"].astype(str) == "refused"
    n_cases, named, states, by_states = map(
        int,
        re.search(
            r"(\d+) cases .*\((\d+) of them named\), in (\d+) states; in (\d+)", text
        ).groups(),
    )
    assert n_cases == len(cases) and named == cases["name"].notna().sum() < len(cases)
    assert states == cases.loc[state, "requested_state"].nunique()
    assert by_states == (refused & state).sum()
    org = cases.loc[refused & ~state, "requested_state"]
    assert len(org) and all(ds.name(o) in text for o in org)  # Interpol said apart


def test_citations_in_ledes_are_links_to_the_page(reports):
    import re

    import belarus_monitor as bm

    out = reports[0]
    urls = set(bm.open().sources["url"].astype(str))
    for name in (
        "cooperation.html",
        "repression.html",
        "sanctions.html",
        "country_profile_DE.html",
    ):
        page = (out / name).read_text(encoding="utf-8")
        lede = re.search(r'<div class="bm-lede">(.*?)</div>', page, re.S).group(1)
        links = re.findall(r'<a href="([^"]+)">[^<]+</a>', lede)
        assert links and all(u in urls for u in links), (name, links)


def test_the_source_policy_comes_from_the_descriptor(data_copy):
    import json

    from belarus_monitor.words import method

    policy = method.source_policy(bm.open())
    rules = json.loads((config.DATA_DIR / "datapackage.json").read_text())["x-source-policy"]
    assert policy.count("\n- ") + 1 == len(rules) >= 5 and "aggregator" in policy
    desc = json.loads((data_copy / "datapackage.json").read_text())
    desc["x-source-policy"] = ["One rule\n  on two lines.", 3, ""]
    (data_copy / "datapackage.json").write_text(json.dumps(desc))
    assert method.source_policy(bm.open(data_copy)) == "- One rule on two lines."
    del desc["x-source-policy"]
    (data_copy / "datapackage.json").write_text(json.dumps(desc))
    assert method.source_policy(bm.open(data_copy)) == ""
