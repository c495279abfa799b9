"""Reports on paper and on a phone: no text past the margins, no heading alone or stranded at
a page's foot, no lone table row, a footer with the title and "page n of m" on every page,
and nothing wider than a 390 px screen.

The fast tests check the checker (pdfcheck) on small PDFs that have each defect, and the
templates; the slow ones check the PDFs of a representative built set: layout, half-empty
pages (every page of those checked, not a share), tags."""

from __future__ import annotations

import re

import pytest
from conftest import headless_chromium

from belarus_monitor.site import pdfcheck
from belarus_monitor.site.pages import TEMPLATES, page, render, table

COUNTRIES = ["LT", "LV", "DE", "BA"]
OVERVIEWS = ["cooperation", "repression", "sanctions"]


def _pdf(tmp_path, name, body, **kw):
    from weasyprint import HTML

    path = tmp_path / f"{name}.pdf"
    HTML(string=page("Test report: layout", body, **kw)).write_pdf(str(path))
    return path


def _png(width: int, height: int) -> str:
    """A grey PNG of that many pixels, as a data URI (a chart of that shape)."""
    import base64
    import io

    from PIL import Image

    buf = io.BytesIO()
    Image.new("RGB", (width, height), "#888888").save(buf, format="PNG")
    return "data:image/png;base64," + base64.b64encode(buf.getvalue()).decode()


def _table(n, text="value"):
    """A report table (with its print column widths, as the reports have them)."""
    return table("", ["Name", "Value"], [[f"row {i}", f"{text} {i}"] for i in range(n)])


# ---------- the checker finds each defect ----------


def test_margins_are_those_of_the_css():
    css = (TEMPLATES / "report.css").read_text(encoding="utf-8")
    margin = re.search(r"@page\s*{[^}]*?margin:\s*([^;]+);", css).group(1)
    assert tuple(float(m.removesuffix("mm")) for m in margin.split()) == pdfcheck.MARGINS_MM


def test_a_good_page_has_no_problem(tmp_path):
    body = "<h1>Title</h1><p>Intro.</p><h2>Table</h2>" + _table(5)
    assert pdfcheck.pdf_problems(_pdf(tmp_path, "good", body)) == []


def test_text_past_the_margin_is_found(tmp_path):
    body = "<h1>T</h1><p style='white-space: nowrap'>" + "wide text " * 40 + "</p>"
    [problem] = pdfcheck.pdf_problems(_pdf(tmp_path, "wide", body))
    assert "page 1" in problem and "outside the printable area" in problem


def test_a_page_with_only_a_heading_is_found(tmp_path):
    body = (
        "<h1>T</h1><p>Intro.</p><h2 style='break-before: page'>Alone here</h2>"
        "<p style='break-before: page'>Next.</p>"
    )
    assert pdfcheck.pdf_problems(_pdf(tmp_path, "alone", body), half_empty=False) == [
        "alone.pdf page 2: holds only the heading 'Alone here'"
    ]


def test_a_heading_stranded_at_the_foot_is_found(tmp_path):
    body = "<h1>T</h1><p>Intro.</p><h2>At the foot</h2><p style='break-before: page'>Next.</p>"
    [problem] = pdfcheck.pdf_problems(_pdf(tmp_path, "foot", body), half_empty=False)
    assert "page 1" in problem and "'At the foot' is stranded" in problem


def test_a_heading_and_its_introduction_apart_from_their_figure_are_found(tmp_path):
    figure = f"<img alt='a chart' style='width: 100mm; height: 120mm' src='{_png(10, 12)}'>"
    body = (
        "<h1>T</h1><p>Intro.</p><h2>The chart</h2><p>What it shows.</p>"
        f"<div style='break-before: page'>{figure}</div>"
    )
    [problem] = pdfcheck.pdf_problems(_pdf(tmp_path, "intro", body), half_empty=False)
    assert "page 1" in problem and "'The chart' and its introduction are stranded" in problem


def test_a_half_empty_page_is_found_unless_the_next_figure_cannot_fit(tmp_path):
    text = "<h1>T</h1><p>A short page.</p>"
    empty = _pdf(tmp_path, "empty", text + "<p style='break-before: page'>More text.</p>")
    problems, excused = pdfcheck.half_empty_pages(empty)
    assert len(problems) == 1 and problems[0].startswith("empty.pdf page 1 is only ")
    assert excused == []
    tall = f"<img alt='a tall chart' style='width: 100mm; height: 250mm' src='{_png(10, 25)}'>"
    cannot = _pdf(tmp_path, "tall", text + tall)
    problems, [excuse] = pdfcheck.half_empty_pages(cannot)
    assert problems == [] and "cannot fit" in excuse and "page 2" in excuse


def test_a_page_with_one_table_row_is_found(tmp_path):
    body = (
        "<h1>T</h1><table><thead><tr><th>A</th><th>B</th></tr></thead><tbody>"
        + "".join(f"<tr><td>row {i}</td><td>value {i}</td></tr>" for i in range(3))
        + "<tr style='break-before: page'><td>last row</td><td>x</td></tr>"
        "</tbody></table>"
    )
    [problem] = pdfcheck.pdf_problems(_pdf(tmp_path, "lone", body), half_empty=False)
    assert "page 2: holds a single table row alone" in problem


def test_a_footer_without_title_or_page_numbers_is_found(tmp_path):
    from weasyprint import HTML

    path = tmp_path / "bare.pdf"
    HTML(
        string="<html><head><title>Bare report</title><style>@page { size: A4; "
        "margin: 18mm 16mm 20mm 16mm }</style></head><body><p>Text.</p></body></html>"
    ).write_pdf(str(path))
    problems = pdfcheck.pdf_problems(path)
    assert any("lacks 'page 1 of 1'" in p for p in problems)
    assert any("lacks the title 'Bare report'" in p for p in problems)


def test_the_footer_has_title_as_of_date_and_page_numbers(tmp_path):
    import pypdfium2 as pdfium

    path = _pdf(
        tmp_path,
        "dated",
        "<h1>T</h1><p style='break-after: page'>One.</p><p>Two.</p>",
        as_of="2026-01-31",
    )
    pdf = pdfium.PdfDocument(str(path))
    # The text of each page's bottom margin (PDF coordinates run up from the foot).
    feet = [
        pg.get_textpage().get_text_bounded(0, 0, pg.get_width(), 20 * pdfcheck.PT_PER_MM)
        for pg in pdf
    ]
    pdf.close()
    assert len(feet) == 2
    for n, foot in enumerate(feet, 1):
        assert "Test report: layout" in foot
        assert "Data as of 2026-01-31" in foot
        assert f"Page {n} of 2" in foot
    assert pdfcheck.pdf_problems(path, half_empty=False) == []


def test_the_page_without_as_of_has_no_date():
    html = page("A <title>", "<p>x</p>")
    assert 'data-bm-title="A &lt;title&gt;"' in html and "data-bm-as-of=" not in html
    assert 'data-bm-as-of="Data as of 2026-01-31' in page("A", "<p>x</p>", as_of="2026-01-31")


def test_table_cells_carry_their_heading_and_wide_tables_a_class():
    narrow = render("table.html.j2", caption="", headings=["A", "B <i>"], rows=[["1", "2"]])
    assert '<td data-label="A">1</td><td data-label="B &lt;i&gt;">2</td>' in narrow
    assert "bm-wide" not in narrow and "bm-short" in narrow
    heads = [f"H{i}" for i in range(7)]
    wide = render("table.html.j2", caption="c", headings=heads, rows=[["x"] * 7] * 9)
    assert 'class="bm-table bm-wide"' in wide
    odd = render("table.html.j2", caption="", headings=["A"], rows=[["1", "extra"]])
    assert '<td data-label="">extra</td>' in odd


# ---------- the CSS keeps headings and rows together wherever they fall ----------


@pytest.mark.slow
@pytest.mark.parametrize("lead", range(20, 60, 3))
def test_a_heading_anywhere_keeps_its_table(tmp_path, lead):
    body = (
        "<h1>Report</h1>"
        + "".join(f"<p>Paragraph {i} of the text.</p>" for i in range(lead))
        + "<h2>Requests</h2>"
        + _table(4)
        + "<h3>Next part</h3><p>More text.</p>"
    )
    assert pdfcheck.pdf_problems(_pdf(tmp_path, f"heading{lead}", body)) == []


@pytest.mark.slow
@pytest.mark.parametrize("count", range(30, 75, 4))
def test_a_long_table_leaves_no_row_alone(tmp_path, count):
    body = "<h1>Report</h1><p>Intro.</p>" + _table(
        count, "a value long enough to wrap onto a second line " * 2
    )
    assert pdfcheck.pdf_problems(_pdf(tmp_path, f"rows{count}", body)) == []


@pytest.mark.slow
@pytest.mark.parametrize("columns", [7, 11, 16])
def test_a_wide_table_fits_the_page(tmp_path, columns):
    heads = [f"Column heading {i}" for i in range(columns)]
    cells = [
        "UNFRIENDLY_2022_OTHERS",
        "2023-01-01 to 2024-06-20",
        "extradition",
        "“a quote that runs on for a while, as quotes in the data do”",
        "https://example.org/a/very/long/path/without/any/space/in/it/at/all",
    ]
    rows = [[cells[(r + c) % len(cells)] for c in range(columns)] for r in range(8)]
    body = "<h1>Wide</h1>" + table("Wide", heads, rows)
    assert pdfcheck.pdf_problems(_pdf(tmp_path, f"wide{columns}", body)) == []


# ---------- a representative built set ----------


@pytest.fixture(scope="session")
def built(reports):
    """The set every slow test shares (tests/conftest.py): six profiles and more."""
    out, _, results = reports
    assert all(r.status == "built" for r in results), [r.error for r in results]
    return out


PDFS = [f"country_profile_{c}.pdf" for c in COUNTRIES] + [f"{n}.pdf" for n in OVERVIEWS]


@pytest.mark.slow
@pytest.mark.parametrize("name", PDFS)
def test_every_built_pdf_is_laid_out_right(built, name):
    assert (built / name).exists()
    assert pdfcheck.pdf_problems(built / name) == []


@pytest.mark.slow
def test_every_pdf_is_tagged_and_links_only_absolute_addresses(built):
    # One reading of each PDF for both: its tags, and the targets of its links.
    import pypdf

    pdfs = sorted(built.glob("*.pdf"))
    assert len(pdfs) > 10
    targets = []
    for pdf in pdfs:
        reader = pypdf.PdfReader(str(pdf))
        root = reader.trailer["/Root"]
        assert root["/MarkInfo"]["/Marked"] and "/StructTreeRoot" in root, pdf.name
        assert root["/Lang"] == "en" and reader.metadata.title, pdf.name
        targets += _link_targets(reader)
    assert targets  # the sources are links
    relative = [t for t in targets if not t.startswith(("http://", "https://"))]
    assert not relative, relative[:5]


def test_half_empty_pages_are_problems_of_the_pdf(tmp_path):
    body = "<h1>T</h1><p>A short page.</p><p style='break-before: page'>More text.</p>"
    problems = pdfcheck.pdf_problems(_pdf(tmp_path, "short", body))
    assert len(problems) == 1 and "page 1 is only" in problems[0]


@pytest.mark.slow
def test_the_whole_folder_can_be_checked(built, tmp_path):
    # Every built PDF is checked above; here, that a folder's PDFs are all read, in order.
    import shutil

    shutil.copy(built / "country_profile_BA.pdf", tmp_path / "a.pdf")
    wide = "<h1>T</h1><p style='white-space: nowrap'>" + "wide text " * 40 + "</p>"
    _pdf(tmp_path, "b", wide)
    shutil.copy(tmp_path / "b.pdf", tmp_path / "c.pdf")
    problems = pdfcheck.folder_problems(tmp_path)
    assert [p.split(" page")[0] for p in problems] == ["b.pdf", "c.pdf"]


# ---------- a phone ----------


@pytest.fixture(scope="module")
def phone():
    """A phone: 390 CSS pixels wide, as a device (so media queries see 390 px)."""
    drv = headless_chromium(phone_width=390)
    yield drv
    drv.quit()


@pytest.mark.slow
@pytest.mark.browser
@pytest.mark.parametrize(
    "name",
    ["country_profile_LT.html", "country_profile_LV.html", "repression.html", "sanctions.html"],
)
def test_nothing_is_wider_than_a_phone(phone, built, name):
    phone.get((built / name).as_uri())
    width = phone.execute_script("return window.innerWidth")
    assert width == 390
    scroll = phone.execute_script("return document.documentElement.scrollWidth")
    wider = phone.execute_script(
        "return Array.from(document.body.querySelectorAll('*'))"
        ".filter(e => e.getBoundingClientRect().right > 391)"
        ".slice(0, 5).map(e => e.tagName + '.' + e.className)"
    )
    assert scroll <= 390, wider
    # Stacked cells show their column heading.
    label = phone.execute_script(
        "const td = document.querySelector('table.bm-table td[data-label]');"
        "return td ? getComputedStyle(td, '::before').content : null"
    )
    assert label is None or label.strip('"').endswith(": ")


def _link_targets(reader) -> list[str]:
    """The URI of every link annotation of a PDF (a ``pypdf.PdfReader``)."""
    targets = []
    for sheet in reader.pages:
        for annot in sheet.get("/Annots") or []:
            action = annot.get_object().get("/A")
            if action is not None and "/URI" in action:
                targets.append(str(action["/URI"]))
    return targets


def test_links_become_absolute_with_a_base_url_or_file_names_without():
    from belarus_monitor.pipeline.render import links_for_pdf

    page = (
        '<a href="country_profile_LV.figure-1.png">PNG</a> <a href="index.html">all reports</a> '
        '<a href="country_profile_DE.html">Germany</a> <a href="#section-2">Contents</a> '
        '<a href="https://example.org/a">A source</a>'
    )
    alone = links_for_pdf(page)
    assert 'href="country_profile' not in alone and 'href="index' not in alone
    assert "country_profile_LV.figure-1.png" in alone and "index.html" in alone
    assert "Germany" in alone and 'href="#section-2"' in alone
    assert 'href="https://example.org/a"' in alone
    online = links_for_pdf(page, "https://monitor.example/reports/")
    assert 'href="https://monitor.example/reports/country_profile_DE.html"' in online
    assert 'href="https://monitor.example/reports/index.html"' in online
    assert 'href="#section-2"' in online
