"""A proposal written in English and Welsh with JavaScript off, and read in both: each reader
sees their browser's language with the other a plain link away; the form and both pages are
axe-clean at 1280 px and 375 px."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from tests.browser.conftest import SCREENSHOTS, Site, sign_in
from tests.browser.test_accessibility import check_with_axe

pytestmark = pytest.mark.browser

VIEWS = {"1280": 1280, "375": 375}
ENGLISH_TITLE = "Free bus passes for carers"
WELSH_TITLE = "Tocynnau bws am ddim i ofalwyr"


@pytest.fixture(scope="module")
def two_language_proposal(browser: Any, site: Site) -> Iterator[str]:
    """The path of a proposal bo writes in English and Welsh through the form, no JavaScript."""
    context = browser.new_context(locale="en-GB", java_script_enabled=False)
    page = context.new_page()
    try:
        sign_in(page, site, "bo")
        page.goto(site.url("/proposals/new"))
        assert page.locator("#language").input_value() == "en"  # the site's language first
        page.locator("#title").fill(ENGLISH_TITLE)
        page.locator("#summary").fill("Carers travel a lot and pay for every journey.")
        page.locator("#body").fill("Carers tell us **buses** cost them most.")
        page.locator("#other_title").fill(WELSH_TITLE)
        page.locator("#other_summary").fill("Mae gofalwyr yn teithio llawer.")
        page.locator("#other_body").fill("Mae gofalwyr yn dweud mai **bysiau** sy'n costio fwyaf.")
        page.locator("#closes_on").fill("2099-03-31")
        page.get_by_role("button", name="Publish").click()
        page.wait_for_url(lambda url: "/objects/" in url)
        assert page.get_by_role("heading", level=1).inner_text() == ENGLISH_TITLE
        yield page.url.removeprefix(site.node.base)
    finally:
        context.close()


@pytest.mark.parametrize("view", VIEWS)
def test_the_form_with_its_second_language_is_accessible(
    browser: Any, site: Site, axe_source: str, view: str
) -> None:
    context = browser.new_context(viewport={"width": VIEWS[view], "height": 900}, locale="en-GB")
    page = context.new_page()
    try:
        sign_in(page, site, "cy")
        page.goto(site.url("/proposals/new"))
        assert page.get_by_role("group", name="Also in Welsh").is_visible()
        check_with_axe(page, axe_source, f"the two-language form at {view}")
    finally:
        context.close()


@pytest.mark.parametrize("view", VIEWS)
def test_each_reader_reads_their_language_and_follows_a_link_to_the_other(
    browser: Any, site: Site, axe_source: str, two_language_proposal: str, view: str
) -> None:
    width = VIEWS[view]
    english = browser.new_context(viewport={"width": width, "height": 900}, locale="en-GB")
    welsh = browser.new_context(viewport={"width": width, "height": 900}, locale="cy-GB")
    try:
        # An English reader reads English, with "Darllen yn Gymraeg" a link away
        page = english.new_page()
        page.goto(site.url(two_language_proposal))
        assert page.get_by_role("heading", level=1).inner_text() == ENGLISH_TITLE
        check_with_axe(page, axe_source, f"the proposal in English at {view}")
        page.get_by_role("link", name="Darllen yn Gymraeg").click()
        page.wait_for_url(lambda url: url.endswith("?lang=cy"))
        heading = page.get_by_role("heading", level=1)
        assert heading.inner_text() == WELSH_TITLE and heading.get_attribute("lang") == "cy"
        assert page.get_attribute("html", "lang") == "en"  # the page itself stays English
        check_with_axe(page, axe_source, f"the proposal's Welsh on an English page at {view}")
        # A Welsh reader reads Welsh, with "Read in English" a link away
        page = welsh.new_page()
        page.goto(site.url(two_language_proposal))
        assert page.get_by_role("heading", level=1).inner_text() == WELSH_TITLE
        assert "bysiau" in page.locator("article").inner_text()
        check_with_axe(page, axe_source, f"the proposal in Welsh at {view}")
        scroll_width = page.evaluate("document.documentElement.scrollWidth")
        assert scroll_width <= width, f"the Welsh proposal is {scroll_width}px wide at {width}px"
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SCREENSHOTS / f"two-languages-cy-{view}.png"), full_page=True)
        page.get_by_role("link", name="Read in English").click()
        page.wait_for_url(lambda url: url.endswith("?lang=en"))
        assert page.get_by_role("heading", level=1).inner_text() == ENGLISH_TITLE
    finally:
        english.close()
        welsh.close()
