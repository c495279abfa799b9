"""A real browser (Debian's chromium, headless, network off) opens a built report and
sees every image loaded and no console error."""

from __future__ import annotations

import shutil

import pytest

from belarus_monitor import build

pytestmark = [pytest.mark.slow, pytest.mark.browser]

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
CHROMEDRIVER = shutil.which("chromedriver")


@pytest.fixture(scope="module")
def driver():
    if not (CHROMIUM and CHROMEDRIVER):
        pytest.skip(
            "chromium and chromedriver are not installed "
            "(apt-get install chromium chromium-driver; .ci/run does it)"
        )
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    opts = webdriver.ChromeOptions()
    opts.binary_location = CHROMIUM
    for arg in (
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--disable-dev-shm-usage",
        # Network off: every host resolves to nothing, no proxy escapes.
        "--host-resolver-rules=MAP * ~NOTFOUND",
        "--proxy-server=127.0.0.1:9",
        "--proxy-bypass-list=<-loopback>",
    ):
        opts.add_argument(arg)
    opts.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    drv = webdriver.Chrome(service=Service(CHROMEDRIVER), options=opts)
    drv.set_page_load_timeout(60)
    yield drv
    drv.quit()


@pytest.fixture(scope="module")
def report(tmp_path_factory):
    out = tmp_path_factory.mktemp("browser")
    jobs = build.plan(["DE"], ["country_profile", "cooperation"], out=out)
    results = build.build(jobs, out, ("html",), workers=2, progress=False)
    assert all(r.status == "built" for r in results), [r.error for r in results]
    return out


@pytest.mark.parametrize("name", ["country_profile_DE.html", "cooperation_DE.html", "index.html"])
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
