"""Statements in a real browser with JavaScript off: the author turns them on, a member adds one
(a refused one first, the text kept), a moderator approves it from the moderation page, and a
member votes agree then pass; axe-core (which needs script: pages of their own) finds nothing
at 1280 and 375 px on the way."""

from __future__ import annotations

from typing import Any

import pytest

from tests.browser.conftest import SCREENSHOTS, Site, sign_in
from tests.browser.test_accessibility import check_with_axe
from tests.browser.test_journey import no_script_page

pytestmark = pytest.mark.browser
WIDTHS = (1280, 375)
STATEMENT = "Saturday mornings suit people who work"


def check_at_both_widths(
    browser: Any, site: Site, handle: str, url: str, what: str, axe: str
) -> None:
    """axe-core on `url` as `handle` sees it, at 1280 and 375 px."""
    for width in WIDTHS:
        page = browser.new_context(viewport={"width": width, "height": 800}).new_page()
        sign_in(page, site, handle)
        page.goto(url)
        check_with_axe(page, axe, f"{what} at {width} px")
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        name = what.replace(" ", "-")
        page.screenshot(path=str(SCREENSHOTS / f"{name}-{width}.png"), full_page=True)
        page.context.close()


def test_statements_are_added_moderated_and_voted_on_without_javascript(
    browser: Any, site: Site, axe_source: str
) -> None:
    proposal_url = site.url(site.paths["proposal"])
    author = no_script_page(browser)
    sign_in(author, site, "ada")
    author.goto(proposal_url)
    author.get_by_label("People may add short statements").check()
    author.get_by_role("button", name="Save the statements setting").click()
    assert author.get_by_text("Statements are on").is_visible()

    member = no_script_page(browser)
    sign_in(member, site, "bo")
    member.goto(proposal_url)
    member.get_by_label("Add a statement").fill("x" * 141)
    member.get_by_role("button", name="Add the statement").click()
    # refused: the reason tied to the field, the text kept
    assert member.get_by_role("heading", name="There is a problem").is_visible()
    assert member.locator("#statement-error", has_text="at most 140").is_visible()
    assert member.get_by_label("Your statement").input_value() == "x" * 141
    check_at_both_widths(
        browser, site, "bo", member.url, "statement form with an error", axe_source
    )
    member.get_by_label("Your statement").fill(STATEMENT)
    member.get_by_role("button", name="Add the statement").click()
    assert member.get_by_text("your statement is waiting for a moderator").is_visible()
    assert member.get_by_text("(waiting for a moderator)").is_visible()

    moderator = no_script_page(browser)
    sign_in(moderator, site, "mo")
    moderator.goto(site.url("/admin/held"))
    check_at_both_widths(
        browser, site, "mo", site.url("/admin/held"), "statements waiting", axe_source
    )
    waiting = moderator.locator("article", has_text=STATEMENT)
    waiting.get_by_role("button", name="Approve").click()
    assert moderator.get_by_text("The statement is approved").is_visible()
    assert moderator.get_by_text("No statements are waiting.").is_visible()

    voter = no_script_page(browser)
    sign_in(voter, site, "cy")
    voter.goto(proposal_url)
    statement = voter.locator(".panel", has_text=STATEMENT)
    statement.get_by_role("button", name="Agree", exact=True).click()
    assert voter.get_by_text("Thank you: your vote is counted.").is_visible()
    statement = voter.locator(".panel", has_text=STATEMENT)
    assert statement.get_by_text("Agree: 1 · Disagree: 0 · Pass: 0").is_visible()
    statement.get_by_role("button", name="Pass").click()
    statement = voter.locator(".panel", has_text=STATEMENT)
    assert statement.get_by_text("Agree: 0 · Disagree: 0 · Pass: 1").is_visible()
    assert statement.get_by_role("button", name="Pass", pressed=True).is_visible()
    check_at_both_widths(browser, site, "cy", proposal_url, "statements voted", axe_source)
