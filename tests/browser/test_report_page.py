""" "What we heard" in a real browser: its charts on screen, and a clean A4 document in print."""

from __future__ import annotations

from typing import Any

import pytest

from tests.browser.conftest import SCREENSHOTS, Site
from tests.browser.test_accessibility import check_with_axe

pytestmark = pytest.mark.browser


def test_the_report_shows_its_charts_with_their_words_and_tables(
    browser: Any, site: Site, axe_source: str
) -> None:
    page = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
    page.goto(site.url(site.paths["proposal"]))
    page.get_by_role("link", name="What we heard").click()
    assert page.url.endswith(site.paths["what_we_heard"])
    assert page.get_by_role("heading", level=1).inner_text().startswith("What we heard:")
    chart = page.get_by_role("img", name="Responses by kind of respondent")
    assert chart.is_visible()
    assert page.get_by_role("table", name="The data: Responses by kind of respondent").is_visible()
    # the seeded question is still open: its results stay off the report until it closes
    assert page.get_by_role("img", name="Should we try it for 3 months?").count() == 0
    assert page.get_by_role("navigation", name="Main").is_visible()
    check_with_axe(page, axe_source, "what we heard on screen")
    with page.expect_download() as download:
        page.locator('a[href$="/report/servers.csv"]').click()
    assert download.value.suggested_filename.endswith("-servers.csv")
    page.context.close()


def test_the_printed_report_has_no_navigation_and_a_page_per_section(
    browser: Any, site: Site, axe_source: str
) -> None:
    page = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
    page.goto(site.url(site.paths["what_we_heard"]))
    page.emulate_media(media="print")
    assert not page.get_by_role("navigation", name="Main").is_visible()
    assert not page.locator("footer").is_visible()
    downloads = page.locator('a[href$="/report/servers.csv"]')
    assert downloads.count() == 1 and not downloads.is_visible()
    assert page.get_by_role("img", name="Responses by server").is_visible()
    breaks = page.locator(".report-section").evaluate_all(
        "sections => sections.map(s => getComputedStyle(s).breakBefore)"
    )
    assert breaks[0] != "page" and set(breaks[1:]) == {"page"}
    check_with_axe(page, axe_source, "what we heard in print")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "what-we-heard-print.png"), full_page=True)
    pdf = page.pdf(format="A4")
    assert pdf.startswith(b"%PDF") and pdf.count(b"/Type /Page\n") + pdf.count(b"/Type /Page ") > 1
    page.context.close()
