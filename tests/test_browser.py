"""A real browser (Debian's chromium, headless, network off) opens a built report and
sees every image loaded and no console error; axe-core finds no accessibility problem."""

from __future__ import annotations

import hashlib
import io
import os
import tarfile
import urllib.request
from base64 import b64decode
from pathlib import Path

import pytest
from conftest import headless_chromium

pytestmark = [pytest.mark.slow, pytest.mark.browser]


@pytest.fixture(scope="module")
def driver():
    drv = headless_chromium()
    yield drv
    drv.quit()


@pytest.fixture(scope="module")
def report(reports):
    """The session's built set (tests/conftest.py), cooperation with DE highlighted too."""
    return reports[0]


@pytest.mark.parametrize("name", ["country_profile_LT.html", "cooperation.html", "index.html"])
def test_report_opens_offline_with_every_image(driver, report, name):
    driver.get((report / name).as_uri())
    state = driver.execute_script("return document.readyState")
    assert state == "complete"
    images = driver.execute_script(
        "return Array.from(document.images).map(i => "
        "[i.complete, i.naturalWidth, i.alt.length, i.src.slice(0, 22)])"
    )
    if name != "index.html":
        assert images, "no image in the report"
    for complete, width, alt_len, src in images:
        assert complete and width > 0, src
        assert alt_len > 20 and src.startswith("data:image/png")
    errors = [e for e in driver.get_log("browser") if e["level"] in ("SEVERE", "ERROR")]
    assert errors == []
    title = driver.title
    assert title and "Belarus" in title or "profile" in title.lower()


def test_the_browser_would_see_a_broken_or_remote_image(driver, tmp_path):
    page = tmp_path / "broken.html"
    page.write_text(
        "<!DOCTYPE html><html><head><title>t</title></head><body>"
        '<img alt="remote" src="http://example.org/x.png"></body></html>'
    )
    driver.get(page.as_uri())
    [[complete, width]] = driver.execute_script(
        "return Array.from(document.images).map(i => [i.complete, i.naturalWidth])"
    )
    assert width == 0  # offline: a remote image cannot load, and the check notices


#: axe-core, fetched from the npm registry at test time (not vendored: it is not ours),
#: pinned by version and by the registry's own integrity hash.
AXE_VERSION = "4.14.1"
AXE_URL = f"https://registry.npmjs.org/axe-core/-/axe-core-{AXE_VERSION}.tgz"
AXE_SHA512 = (
    "FHfa+lmNjQZfJz1q8wKqIDwC6DExcHt/pkjNQb09a3NPjCKg2rhu5qb2S4r76ASyFNNtuFooJpZe37OgudVGtQ=="
)


@pytest.fixture(scope="session")
def axe_source() -> str:
    cache = Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache")) / "belarus-monitor"
    tgz = cache / f"axe-core-{AXE_VERSION}.tgz"
    if not tgz.exists():
        try:
            with urllib.request.urlopen(AXE_URL, timeout=60) as resp:  # noqa: S310 - pinned
                data = resp.read()
        except OSError as exc:
            pytest.skip(f"axe-core could not be fetched from the npm registry: {exc}")
        cache.mkdir(parents=True, exist_ok=True)
        tmp = tgz.with_suffix(".part")
        tmp.write_bytes(data)
        tmp.replace(tgz)
    data = tgz.read_bytes()
    assert hashlib.sha512(data).digest() == b64decode(AXE_SHA512), "axe-core: wrong checksum"
    with tarfile.open(fileobj=io.BytesIO(data)) as tar:
        member = tar.extractfile("package/axe.min.js")
        assert member is not None
        return member.read().decode("utf-8")


@pytest.mark.parametrize(
    "name",
    [
        "index.html",
        "cooperation.html",
        "repression.html",
        "sanctions.html",
        "country_profile_LT.html",
        "country_profile_BA.html",
        "methodology.html",
        "corrections.html",
    ],
)
def test_axe_finds_no_accessibility_problem(driver, report, axe_source, name):
    """Every axe rule (WCAG A and AA and the best practices), on a page of each kind."""
    driver.get((report / name).as_uri())
    driver.set_script_timeout(120)
    driver.execute_script(axe_source)
    violations = driver.execute_async_script(
        "const done = arguments[arguments.length - 1];"
        "axe.run(document, {resultTypes: ['violations']})"
        ".then(r => done(r.violations.map(v => [v.id, v.impact, v.help,"
        " v.nodes.slice(0, 3).map(n => n.target.join(' '))])))"
        ".catch(e => done([['axe failed', String(e)]]));"
    )
    assert violations == [], violations
    rules = driver.execute_script("return axe.getRules().length")
    assert rules > 50  # axe really ran, with its rules
