"""A real browser (Debian's chromium, headless, network off) opens a built report and
sees every image loaded and no console error."""

from __future__ import annotations

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
