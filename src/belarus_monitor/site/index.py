"""The index of a set of reports, written from what is on disk (untrusted: checked)."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from belarus_monitor.files import (
    atomic_write,
)
from belarus_monitor.pipeline.cache import (
    Fingerprints,
    current_files,
    read_manifest,
    reads_current,
    report_name_ok,
)
from belarus_monitor.pipeline.jobs import (
    MANIFEST,
    Job,
    Result,
    _title,
    available_notebooks,
    is_profile,
    notebook_spec,
)
from belarus_monitor.site.pages import page, render


# -- index ------------------------------------------------------------------------------
def _is_country_code(code: str) -> bool:
    from belarus_monitor.data.problems import known_countries

    return bool(re.fullmatch("[A-Z]{2}", code)) and code in known_countries()


#: What the index's front matter holds: each key with its type.
FRONT_KEYS = {
    "as_of": str,
    "version": str,
    "lede": str,
    "map_png": str,
    "map_alt": str,
    "citation": str,
    "substance": dict,
}
SUBSTANCE = ("figures", "statements", "groups")


def checked_front(front: Any) -> dict[str, Any] | None:
    """The front matter if it has the shape :func:`front.front_matter` gives, else None.

    Front matter read back from the build cache is untrusted: every key must be there
    with its type, the map must be base64, the grouping of profiles one of three words.
    Its text is escaped when the index is written (the lede is Markdown, rendered with
    raw HTML escaped), never inserted as HTML.
    """
    if front is None:
        return {k: ({} if t is dict else "") for k, t in FRONT_KEYS.items()}
    if not isinstance(front, dict) or not all(
        isinstance(front.get(k), t) for k, t in FRONT_KEYS.items()
    ):
        return None
    if not re.fullmatch(r"[A-Za-z0-9+/=]*", front["map_png"]) or len(front["lede"]) > 20_000:
        return None
    subst = front["substance"]
    if not all(isinstance(c, str) and v in SUBSTANCE for c, v in subst.items()):
        return None
    return {k: front[k] for k in FRONT_KEYS}


def write_index(
    out: Path,
    results: dict[str, Result] | None = None,
    front: dict[str, Any] | None = None,
    fingerprints: Fingerprints | None = None,
) -> Path:
    """Write ``index.html`` from what is on disk: every report whose files are current.

    Only files whose bytes match their report's manifest are linked; a report that
    failed in the last build is marked, and so is one built from other data: one
    whose tables read are not those of ``fingerprints`` (the current data). With ``front`` (from
    :func:`belarus_monitor.front.front_matter`) the page opens with the key figures,
    the map and the downloads, and groups the country profiles by what they hold.

    Everything read from the out directory is untrusted: a report is listed only under
    a name a plan makes (:func:`report_name_ok`), of a known notebook, its title made
    afresh from the notebook and its country; links are only to its own files.
    """
    from belarus_monitor.site.pages import paragraph_html, trusted

    results = results or {}
    front = checked_front(front) or checked_front(None)
    stems = {p.name.removesuffix(MANIFEST) for p in out.glob(f"*{MANIFEST}")}
    stems = {s for s in stems if report_name_ok(s)}
    failed = {s for s, r in results.items() if r.status == "failed"}
    specs = {n: notebook_spec(n) for n in available_notebooks()}
    order = {nb: i for i, nb in enumerate(specs)}
    substance = front["substance"]
    reports, profiles = [], {"figures": [], "statements": [], "groups": []}
    for stem in sorted(stems | failed):
        m = read_manifest(out, stem)
        have = current_files(out, stem) if m else {}
        if not have and stem not in failed:
            continue
        if stem in results:
            job = results[stem].job
        else:  # known only from its manifest: believed only where it checks out
            notebook = m.get("notebook")
            params = m.get("parameters") if isinstance(m.get("parameters"), dict) else {}
            if notebook not in specs or not stem.startswith(notebook):
                continue
            spec = specs[notebook]
            cparam = spec.country_parameter if spec else None
            code = params.get(cparam) if cparam else None
            if code is not None and not (isinstance(code, str) and _is_country_code(code)):
                continue
            job = Job(notebook, ((cparam, code),) if code else (), stem)
        notebook = job.notebook
        title = _title(job)
        other_data = (
            fingerprints is not None and stem not in results and not reads_current(m, fingerprints)
        )
        row = {
            "key": (order.get(notebook, 99), title, stem),
            "title": title,
            "failed": stem in failed,
            "other_data": other_data,
            "href": have.get("html"),
            "description": specs[notebook].description if notebook in specs else "",
            "files": [
                {"href": have[f], "label": f.upper()} for f in ("html", "pdf", "ipynb") if f in have
            ],
        }
        country = job.params.get("country")
        if is_profile(notebook) and country and stem not in failed and not other_data:
            from belarus_monitor.data.countries import country_name

            row["title"] = country_name(country)
            profiles[substance.get(country, "groups")].append(row)
        else:
            reports.append(row)
    reports.sort(key=lambda r: r["key"])
    for rows in profiles.values():
        rows.sort(key=lambda r: r["key"][1:])
    downloads = [
        {"href": name, "label": label}
        for name, label in (
            ("belarus-monitor.xlsx", "Excel workbook"),
            ("belarus-monitor-csv.zip", "CSV (zip)"),
            ("belarus-monitor-json.zip", "JSON (zip)"),
        )
        if (out / name).is_file()
    ]
    lede = trusted(paragraph_html(front["lede"])) if front["lede"] else ""
    body = render(
        "index.html.j2",
        reports=reports,
        profiles=profiles,
        front=front,
        lede=lede,
        downloads=downloads,
    )
    path = out / "index.html"
    data = page("Belarus Monitor", body).encode()
    try:
        same = not path.is_symlink() and path.is_file() and path.read_bytes() == data
    except OSError:
        same = False
    if not same:  # a build with nothing to do leaves the index as it was
        atomic_write(path, data)
    return path
