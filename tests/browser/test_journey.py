"""The whole story in a real browser with JavaScript off: propose, discuss, endorse, moderate."""

from __future__ import annotations

from typing import Any

import pytest

from tests.browser.conftest import SCREENSHOTS, Site, sign_in

pytestmark = pytest.mark.browser


def no_script_page(browser: Any) -> Any:
    context = browser.new_context(java_script_enabled=False, viewport={"width": 375, "height": 800})
    return context.new_page()


def test_propose_comment_endorse_and_hide_without_javascript(browser: Any, site: Site) -> None:
    author = no_script_page(browser)
    sign_in(author, site, "bo")
    author.get_by_role("link", name="New proposal").click()
    author.get_by_label("Title").fill("A quiet room for appointments")
    author.get_by_label("Summary in plain words").fill("People need privacy to talk about debts.")
    author.get_by_label("The proposal", exact=True).fill(
        "Turn the store room into a **quiet room**."
    )
    author.get_by_label("Hashtags").fill("privacy")
    author.get_by_label("Comments close on").fill("2099-01-31")
    author.get_by_role("button", name="Preview").click()
    assert author.get_by_role("heading", name="Preview").is_visible()
    assert author.locator("strong", has_text="quiet room").first.is_visible()
    author.get_by_role("button", name="Publish").click()
    assert author.get_by_role("heading", name="A quiet room for appointments").is_visible()
    assert author.get_by_text("Your proposal is published.").is_visible()
    proposal_url = author.url
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    author.screenshot(path=str(SCREENSHOTS / "journey-published-375.png"), full_page=True)

    commenter = no_script_page(browser)
    sign_in(commenter, site, "cy")
    commenter.goto(proposal_url)
    commenter.get_by_label("Your comment").fill("Please make it step-free too.")
    commenter.get_by_role("button", name="Post comment").click()
    assert commenter.get_by_text("Please make it step-free too.").is_visible()
    commenter.get_by_role("button", name="Endorse this proposal").click()
    assert commenter.get_by_text("You endorse this proposal.").first.is_visible()
    assert commenter.get_by_role("heading", name="Endorsements (1)").is_visible()

    moderator = no_script_page(browser)
    sign_in(moderator, site, "mo")
    moderator.goto(proposal_url)
    comment = moderator.locator("li", has_text="Please make it step-free too.").last
    comment.get_by_role("button", name="Hide").click()
    assert moderator.get_by_text("The comment is hidden.").is_visible()

    visitor = no_script_page(browser)
    visitor.goto(proposal_url)
    assert visitor.get_by_text("This comment was hidden by a moderator.").is_visible()
    assert visitor.get_by_text("Please make it step-free too.").count() == 0
    visitor.screenshot(path=str(SCREENSHOTS / "journey-hidden-375.png"), full_page=True)
    for page in (author, commenter, moderator, visitor):
        page.context.close()
