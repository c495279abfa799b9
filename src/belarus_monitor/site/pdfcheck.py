"""Layout checks of built PDF reports: what a reader would see as a defect on paper.

:func:`pdf_problems` looks at one PDF, :func:`folder_problems` at every PDF of a reports
folder; both return sentences, empty when the layout is right. A build or a CI script can
call them::

    from belarus_monitor.site.pdfcheck import folder_problems
    problems = folder_problems("reports")

The checks, page by page:

* every character and image lies inside the printable area: the page less its margins
  (:data:`MARGINS_MM`, the ``@page`` margins of ``templates/report.css``); the footer, in
  the bottom margin, must lie within the left and right margins;
* no page holds only a heading, and no heading ends a page (stranded at its foot): headings
  are the PDF's bookmarks, which WeasyPrint makes from ``h1`` to ``h6``;
* no page holds a single table row alone (besides a repeated heading row);
* the footer holds the report's title (the PDF's ``Title``) and "page n of m";
* a heading and its few lines of introduction do not end a page while the figure or table
  they introduce opens the next;
* no page but the last is less than half full (:data:`MIN_FILL`), unless the figure that
  opens the next page could not fit in the space left (:func:`half_empty_pages` says so).

The pages are read with PDFium (``pypdfium2``, as ``pdfplumber`` would read them, in a
tenth of the time), bookmarks included.
"""

from __future__ import annotations

import ctypes
import re
from pathlib import Path
from typing import Any

#: The ``@page`` margins of templates/report.css: top, right, bottom, left, in millimetres.
MARGINS_MM = (18.0, 16.0, 20.0, 16.0)
PT_PER_MM = 72 / 25.4
#: Slack in points for rounding and glyph overhang.
TOLERANCE = 1.5


def _norm(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def _squash(text: str) -> str:
    """Text without whitespace or soft hyphens, for matching text that wrapped."""
    return re.sub(r"[\s\u00ad]+", "", text)


# -- pages as boxes -----------------------------------------------------------------------
#: Characters closer than this (points) on a line belong to one word; lines whose tops
#: differ by less than :data:`Y_TOLERANCE` are one line (as pdfplumber groups them).
X_TOLERANCE = 3.0
Y_TOLERANCE = 3.0
#: PDFium's kind of destination that gives a position: left, top, zoom.
XYZ = 1


class _Page:
    """One page's characters, images, horizontal and vertical edges and text lines.

    Coordinates are points from the page's top-left corner: ``x0``, ``x1``, ``top``,
    ``bottom``, as in pdfplumber. Each is read once, when first asked for.
    """

    def __init__(self, page: Any) -> None:
        self._page = page
        self.width, self.height = (float(v) for v in page.get_size())
        self._chars: list[dict[str, Any]] | None = None
        self._images: list[dict[str, float]] | None = None
        self._edges: list[dict[str, Any]] | None = None

    @property
    def chars(self) -> list[dict[str, Any]]:
        """Every character the PDF draws (not those PDFium adds between words or lines)."""
        if self._chars is None:
            import pypdfium2.raw as pdfium_c

            text_page = self._page.get_textpage()
            font = ctypes.create_string_buffer(128)
            flags = ctypes.c_int()
            chars = []
            for i in range(text_page.count_chars()):
                code = pdfium_c.FPDFText_GetUnicode(text_page.raw, i)
                if code in (0, 10, 13) or pdfium_c.FPDFText_IsGenerated(text_page.raw, i):
                    continue
                text = chr(code)
                left, bottom, right, top = text_page.get_charbox(i, loose=True)
                got = pdfium_c.FPDFText_GetFontInfo(
                    text_page.raw, i, font, 128, ctypes.byref(flags)
                )
                chars.append(
                    {
                        "text": text,
                        "x0": left,
                        "x1": right,
                        "top": self.height - top,
                        "bottom": self.height - bottom,
                        "fontname": font.value.decode("latin-1") if got else "",
                    }
                )
            text_page.close()
            self._chars = chars
        return self._chars

    @property
    def images(self) -> list[dict[str, float]]:
        if self._images is None:
            import pypdfium2.raw as pdfium_c

            objects = self._page.get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_IMAGE])
            self._images = [
                {"x0": x0, "x1": x1, "top": self.height - y1, "bottom": self.height - y0}
                for x0, y0, x1, y1 in (o.get_bounds() for o in objects)
            ]
        return self._images

    @property
    def edges(self) -> list[dict[str, Any]]:
        """Straight horizontal and vertical segments of paths: rules, borders, boxes' sides."""
        if self._edges is None:
            import pypdfium2.raw as pdfium_c

            paths = self._page.get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_PATH])
            self._edges = [e for obj in paths for e in self._path_edges(obj)]
        return self._edges

    def _path_edges(self, obj: Any) -> list[dict[str, Any]]:
        import pypdfium2.raw as pdfium_c

        matrix = obj.get_matrix()
        x, y = ctypes.c_float(), ctypes.c_float()
        subpaths: list[list[tuple[float, float]]] = []
        for k in range(pdfium_c.FPDFPath_CountSegments(obj.raw)):
            seg = pdfium_c.FPDFPath_GetPathSegment(obj.raw, k)
            pdfium_c.FPDFPathSegment_GetPoint(seg, ctypes.byref(x), ctypes.byref(y))
            point = matrix.on_point(x.value, y.value)
            if (
                pdfium_c.FPDFPathSegment_GetType(seg) == pdfium_c.FPDF_SEGMENT_MOVETO
                or not subpaths
            ):
                subpaths.append([point])
            else:
                subpaths[-1].append(point)
            if pdfium_c.FPDFPathSegment_GetClose(seg):
                subpaths[-1].append(subpaths[-1][0])
        edges = []
        for points in subpaths:
            for (x0, y0), (x1, y1) in zip(points, points[1:], strict=False):
                if abs(y1 - y0) < 0.01 < abs(x1 - x0):
                    top = self.height - y0
                    edges.append(
                        {
                            "orientation": "h",
                            "x0": min(x0, x1),
                            "x1": max(x0, x1),
                            "top": top,
                            "bottom": top,
                        }
                    )
                elif abs(x1 - x0) < 0.01 < abs(y1 - y0):
                    edges.append(
                        {
                            "orientation": "v",
                            "x0": x0,
                            "x1": x0,
                            "top": self.height - max(y0, y1),
                            "bottom": self.height - min(y0, y1),
                        }
                    )
        return edges

    def extract_text_lines(self) -> list[dict[str, Any]]:
        """Lines of text, top to bottom: ``text``, ``top``, ``bottom``, ``chars``."""
        lines: list[list[dict[str, Any]]] = []
        last = None
        for c in sorted(self.chars, key=lambda c: (c["top"], c["x0"])):
            if last is None or c["top"] - last > Y_TOLERANCE:
                lines.append([])
            lines[-1].append(c)
            last = c["top"]
        out = []
        for chars in lines:
            chars.sort(key=lambda c: c["x0"])
            ink = [c for c in chars if c["text"].strip()]
            if not ink:
                continue
            text, prev = "", None
            for c in chars:
                if prev is not None and c["x0"] > prev["x1"] + X_TOLERANCE and c["text"] != " ":
                    text += " "
                text += c["text"]
                prev = c
            out.append(
                {
                    "text": _norm(text),
                    "top": min(c["top"] for c in ink),
                    "bottom": max(c["bottom"] for c in ink),
                    "chars": chars,
                }
            )
        return out


class _Document:
    """A PDF's pages (:class:`_Page`) and its metadata (``Title`` and the rest)."""

    def __init__(self, path: Path) -> None:
        import pypdfium2 as pdfium

        self._pdf = pdfium.PdfDocument(str(path))
        self.pages = [_Page(self._pdf[i]) for i in range(len(self._pdf))]
        self.metadata = self._pdf.get_metadata_dict()

    def bookmarks(self) -> Any:
        """The outline, every level, in order (PDFium's bookmark objects)."""
        return self._pdf.get_toc()

    def __enter__(self) -> _Document:
        return self

    def __exit__(self, *exc: object) -> None:
        self.pages = []
        self._pdf.close()


def _headings(pdf: _Document) -> dict[int, list[tuple[str, float]]]:
    """Bookmarks by page index: (title, top in points from the page's top)."""
    found: dict[int, list[tuple[str, float]]] = {}
    for item in pdf.bookmarks():
        dest = item.get_dest()
        index = dest.get_index() if dest is not None else None
        if index is None or not 0 <= index < len(pdf.pages):
            continue  # a bookmark without a page is no heading
        mode, params = dest.get_view()
        # An XYZ destination gives left, top and zoom; another kind, no top.
        top = params[1] if mode == XYZ and len(params) > 1 else None
        y = pdf.pages[index].height - float(top) if top else 0.0
        found.setdefault(index, []).append((_norm(item.get_title()), y))
    return found


def _heading_lines(lines: list[dict], headings: list[tuple[str, float]]) -> set[int]:
    """Indexes of the text lines that belong to a heading (a title may wrap)."""
    taken: set[int] = set()
    for title, top in headings:
        rest = _squash(title)
        for i, line in enumerate(lines):
            if i in taken or not rest:
                continue
            if line["top"] < top - 4 or line["top"] > top + 60:
                continue
            text = _squash(line["text"]).rstrip("-")
            if text and rest.startswith(text):
                taken.add(i)
                rest = rest[len(text) :]
    return taken


def _row_bands(page: Any, top: float, bottom: float) -> list[float]:
    """Y positions of horizontal rules and fill edges: the borders of table rows."""
    ys: set[float] = set()
    for edge in page.edges:
        if edge.get("orientation") == "h" and edge["x1"] - edge["x0"] > 20:
            y = round(edge["top"], 0)
            if top - 2 <= y <= bottom + 2:
                ys.add(y)
    return sorted(ys)


def _lone_row(
    page: Any, body: list[dict], heading_idx: set[int], top: float, bottom: float
) -> bool:
    """True when the page's body is one table row, perhaps under a repeated heading row."""
    if not body or heading_idx or page.images:
        return False
    rules = _row_bands(page, top, bottom)
    if len(rules) < 2:
        return False
    bands: set[int] = set()
    for line in body:
        mid = (line["top"] + line["bottom"]) / 2
        band = next((i for i in range(len(rules) - 1) if rules[i] <= mid <= rules[i + 1]), None)
        if band is None:
            return False  # text outside the table: not a page of rows alone
        bold = all("Bold" in c.get("fontname", "") for c in line["chars"] if c["text"].strip())
        if not bold:
            bands.add(band)
    return len(bands) == 1


def pdf_problems(path: str | Path, half_empty: bool = True) -> list[str]:
    """Layout defects of one PDF report, each as a sentence naming its page.

    Parameters
    ----------
    path
        A PDF built by ``belarus-monitor build``.
    half_empty
        Also report pages less than half full (see :func:`half_empty_pages`).

    Returns
    -------
    list of str
        Empty when every page is right.
    """
    path = Path(path)
    problems: list[str] = []
    top_m, right_m, bottom_m, left_m = (m * PT_PER_MM for m in MARGINS_MM)
    with _Document(path) as pdf:
        headings = _headings(pdf)
        title = _norm(str((pdf.metadata or {}).get("Title", "")))
        count = len(pdf.pages)
        fills = []
        for index, page in enumerate(pdf.pages):
            where = f"{path.name} page {index + 1}"
            fills.append(_fill(page))
            width, height = float(page.width), float(page.height)
            x_min, x_max = left_m - TOLERANCE, width - right_m + TOLERANCE
            y_min, y_body = top_m - TOLERANCE, height - bottom_m + TOLERANCE
            outside = [
                c
                for c in page.chars
                if c["text"].strip()
                and (c["x0"] < x_min or c["x1"] > x_max or c["top"] < y_min or c["bottom"] > height)
            ]
            if outside:
                sample = "".join(c["text"] for c in outside[:40])
                problems.append(
                    f"{where}: {len(outside)} character(s) outside the printable "
                    f"area, e.g. {sample!r}"
                )
            for img in page.images:
                if (
                    img["x0"] < x_min
                    or img["x1"] > x_max
                    or img["top"] < y_min
                    or img["bottom"] > y_body
                ):
                    problems.append(f"{where}: an image runs outside the printable area")
            lines = page.extract_text_lines()
            body = [ln for ln in lines if ln["top"] < y_body - TOLERANCE]
            footer = _norm(" ".join(ln["text"] for ln in lines if ln["top"] >= y_body - TOLERANCE))
            if not re.search(rf"page\s+{index + 1}\s+of\s+{count}\b", footer, re.I):
                problems.append(
                    f"{where}: the footer lacks 'page {index + 1} of {count}' ({footer!r})"
                )
            if title and not set(_squash_words(title)) <= set(_squash_words(footer)):
                problems.append(f"{where}: the footer lacks the title {title!r} ({footer!r})")
            heading_idx = _heading_lines(body, headings.get(index, []))
            if body and len(heading_idx) == len(body) and not page.images:
                problems.append(
                    f"{where}: holds only the heading "
                    f"{_norm(' '.join(ln['text'] for ln in body))!r}"
                )
            elif body and len(body) - 1 in heading_idx and index + 1 < count:
                last = body[-1]
                below = [img for img in page.images if img["top"] > last["bottom"]]
                if not below:
                    problems.append(
                        f"{where}: the heading {last['text']!r} is stranded at the foot of the page"
                    )
            elif body and heading_idx and index + 1 < count:
                # A heading and its few lines of introduction end the page while the
                # figure or table they introduce opens the next one.
                last_h = max(heading_idx)
                after = body[last_h + 1 :]
                below = [i for i in page.images if i["top"] > body[last_h]["bottom"]]
                rules = [  # table rules; the heading's own underline is not one
                    e
                    for e in page.edges
                    if e.get("orientation") == "h" and e["top"] > body[last_h]["bottom"] + 8
                ]
                if after and len(after) <= INTRO_LINES and not below and not rules:
                    nxt = _blocks(pdf.pages[index + 1], y_min, height - bottom_m)
                    texts = [b for b in nxt if b[2] == "text"]
                    # The next page opens with a heading of its own: nothing is stranded.
                    opens_heading = bool(texts) and any(
                        abs(texts[0][0] - top) < 25 for _, top in headings.get(index + 1, [])
                    )
                    first = next((b for b in nxt if b[2] != "rule"), None)
                    figure_first = first is not None and first[2] == "image"
                    table_first = (
                        bool(texts)
                        and not opens_heading
                        and any(b[2] == "rule" and b[0] < texts[0][0] for b in nxt)
                    )
                    if figure_first or table_first:
                        problems.append(
                            f"{where}: the heading {body[last_h]['text']!r} and its "
                            "introduction are stranded at the foot of the page, apart from "
                            "the figure or table they introduce"
                        )
            if _lone_row(page, body, heading_idx, y_min, y_body):
                problems.append(
                    f"{where}: holds a single table row alone "
                    f"({_norm(' '.join(ln['text'] for ln in body))[:80]!r})"
                )
    if half_empty:
        problems += _half_empty(path.name, fills)[0]
    return problems


#: At most this many lines of text between a heading and the figure it introduces.
INTRO_LINES = 6
#: A page (not a report's last) filled less than this share of its printable height is
#: "half empty", unless the block that follows cannot fit in the space left.
MIN_FILL = 0.5
#: Space a figure needs besides its own height (its margins), in points.
FIT_SLACK = 12.0
#: How far below the top of the printable area a figure counts as opening the page (pt).
OPENS_PAGE = 40.0


def _blocks(page: Any, y_min: float, y_body: float) -> list[tuple[float, float, str]]:
    """The page's content as (top, bottom, kind) boxes: text lines, images, rules."""
    boxes = [  # characters, not lines: as good for tops and bottoms, and much faster
        (float(c["top"]), float(c["bottom"]), "text")
        for c in page.chars
        if c["text"].strip() and c["top"] < y_body - TOLERANCE and c["bottom"] > y_min
    ]
    boxes += [(float(i["top"]), float(i["bottom"]), "image") for i in page.images]
    boxes += [
        (float(e["top"]), float(e["bottom"]), "rule")
        for e in page.edges
        if e.get("orientation") == "h" and y_min <= e["top"] <= y_body
    ]
    return sorted(boxes)


def page_fill(path: str | Path) -> list[dict[str, Any]]:
    """How full each page of a PDF is, and what opens it.

    Returns
    -------
    list of dict
        Per page: ``fill`` (share of the printable height down to the lowest content),
        ``free`` (points left below it), ``opens_with`` (``"image"``, ``"rule"`` for a
        table, ``"text"``) and ``first_block`` (height in points of the figure, with
        any heading above it, that opens the page; 0 when text opens it).
    """
    with _Document(Path(path)) as pdf:
        return [_fill(page) for page in pdf.pages]


def _fill(page: Any) -> dict[str, Any]:
    """:func:`page_fill` of one page."""
    top_m, _, bottom_m, _ = (m * PT_PER_MM for m in MARGINS_MM)
    height = float(page.height)
    y_min, y_body = top_m, height - bottom_m
    blocks = _blocks(page, y_min - TOLERANCE, y_body + TOLERANCE)
    lowest = max((b for _, b, _ in blocks), default=y_min)
    images = [b for b in blocks if b[2] == "image"]
    first_image = min(images, default=None)
    first_block = 0.0
    if first_image and first_image[0] - y_min < OPENS_PAGE + 60:
        # A figure at the top, perhaps under its heading and a line of text.
        first_block = first_image[1] - y_min
    return {
        "fill": (lowest - y_min) / (y_body - y_min),
        "free": max(0.0, y_body - lowest),
        "opens_with": blocks[0][2] if blocks else "text",
        "first_block": first_block,
    }


def half_empty_pages(path: str | Path) -> tuple[list[str], list[str]]:
    """Pages (not the last) less than :data:`MIN_FILL` full: problems and excused ones.

    A page is excused when the figure that opens the next page (with its heading) is
    taller than the space left: it truly could not fit; the checker says so.
    """
    return _half_empty(Path(path).name, page_fill(path))


def _half_empty(name: str, pages: list[dict[str, Any]]) -> tuple[list[str], list[str]]:
    problems, excused = [], []
    for i, page in enumerate(pages[:-1]):
        if page["fill"] >= MIN_FILL:
            continue
        nxt = pages[i + 1]
        where = f"{name} page {i + 1}"
        if nxt["first_block"] and nxt["first_block"] + FIT_SLACK > page["free"]:
            excused.append(
                f"{where} is {page['fill']:.0%} full: the figure opening page {i + 2} "
                f"({nxt['first_block'] / PT_PER_MM:.0f} mm) cannot fit in the "
                f"{page['free'] / PT_PER_MM:.0f} mm left"
            )
        else:
            problems.append(f"{where} is only {page['fill']:.0%} full")
    return problems, excused


def _squash_words(text: str) -> list[str]:
    return [w for w in re.split(r"[\s\u00ad]+", text.lower()) if w]


def folder_problems(folder: str | Path) -> list[str]:
    """:func:`pdf_problems` of every PDF in a reports folder, in name order."""
    problems: list[str] = []
    for pdf in sorted(Path(folder).glob("*.pdf")):
        problems.extend(pdf_problems(pdf))
    return problems


__all__ = ["MARGINS_MM", "folder_problems", "pdf_problems"]
