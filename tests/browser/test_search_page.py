"""Searching in a real browser with JavaScript off: the search box in the navigation, results
in groups with the matches marked, and the page free of axe-core violations."""

from __future__ import annotations

from typing import Any

import pytest

from tests.browser.conftest import SCREENSHOTS, Site
from tests.browser.test_accessibility import check_with_axe
from tests.browser.test_journey import no_script_page

pytestmark = pytest.mark.browser


def test_a_visitor_finds_the_proposal_and_the_comment_without_javascript(
    browser: Any, site: Site, axe_source: str
) -> None:
    visitor = no_script_page(browser)
    visitor.goto(site.url("/"))
    visitor.get_by_role("link", name="Search", exact=True).click()
    visitor.get_by_label("Words to find in proposals, comments and decisions").fill("weekday")
    visitor.get_by_role("button", name="Search", exact=True).click()
    proposals = visitor.get_by_role("region", name="Proposals")
    comments = visitor.get_by_role("region", name="Comments")
    assert proposals.get_by_role("link", name="Open the advice centre on Saturdays").is_visible()
    assert proposals.locator("mark").first.is_visible()
    assert comments.get_by_text("I work weekdays.").is_visible()
    assert comments.locator("mark", has_text="weekdays").is_visible()
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    visitor.screenshot(path=str(SCREENSHOTS / "search-results-375.png"), full_page=True)
    # axe-core runs as a script: the same page, checked with JavaScript on
    checked = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
    checked.goto(visitor.url)
    check_with_axe(checked, axe_source, "search results")
    checked.context.close()
    visitor.context.close()
