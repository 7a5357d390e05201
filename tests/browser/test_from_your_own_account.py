"""A visitor answers a proposal from their own account in a real browser (JavaScript off, 375
px): a refusal in plain words first, then their server (here this node, whose interaction
template asks them to sign in and brings them back); the form and the refusal free of axe-core
violations at 1280 px and 375 px."""

from __future__ import annotations

from typing import Any

import pytest

from tests.browser.conftest import PASSWORD, SCREENSHOTS, Site
from tests.browser.test_accessibility import check_with_axe
from tests.browser.test_journey import no_script_page

pytestmark = pytest.mark.browser
FORM = "Reply, endorse or answer from your own account"


def checked_at_both_widths(
    browser: Any, url: str, axe_source: str, what: str, handle: str = ""
) -> None:
    """axe-core on the page at `url` (after sending `handle` through the form, if given)."""
    for width in (1280, 375):
        page = browser.new_context(viewport={"width": width, "height": 900}).new_page()
        page.goto(url)
        if handle:
            page.get_by_label("Your address on your own server").fill(handle)
            page.get_by_role("button", name="Go to my server").click()
            page.wait_for_load_state()
        check_with_axe(page, axe_source, f"{what} at {width} px")
        page.context.close()


def test_a_visitor_answers_a_proposal_from_their_own_account(
    browser: Any, site: Site, axe_source: str
) -> None:
    visitor = no_script_page(browser)
    visitor.goto(site.url(site.paths["proposal"]))
    form = visitor.get_by_role("region", name=FORM)
    assert form.is_visible()
    checked_at_both_widths(browser, visitor.url, axe_source, "the proposal with the form")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    visitor.screenshot(path=str(SCREENSHOTS / "from-your-own-account-375.png"), full_page=True)

    # Given a handle on a private network, they are told why in plain words, on a 400 page
    form.get_by_label("Your address on your own server").fill("@bea@10.1.2.3")
    with visitor.expect_response(lambda r: r.request.method == "POST") as answer:
        form.get_by_role("button", name="Go to my server").click()
    assert answer.value.status == 400
    assert visitor.get_by_role("alert").get_by_text("is on a private network").is_visible()
    visitor.screenshot(path=str(SCREENSHOTS / "from-your-own-account-refused-375.png"))
    proposal = site.url(site.paths["proposal"])
    checked_at_both_widths(browser, proposal, axe_source, "the refusal", "@bea@10.1.2.3")

    # When they give an account on a Townhall node (this one) and ask to be remembered
    visitor.get_by_label("Your address on your own server").fill(f"@bo@{site.node.host}")
    visitor.get_by_label("Remember my server on this device").check()
    visitor.get_by_role("button", name="Go to my server").click()
    # Then their node asks them to sign in, and brings them back to open the proposal
    visitor.get_by_label("Handle").fill("bo")
    visitor.get_by_label("Password").fill(PASSWORD)
    visitor.get_by_role("button", name="Sign in").click()
    assert visitor.get_by_role("heading", name="Open a post from another server").is_visible()
    visitor.get_by_role("button", name="Open it here").click()
    assert visitor.url == site.url(site.paths["proposal"])
    assert visitor.get_by_role("heading", name="Open the advice centre on Saturdays").is_visible()
    visitor.context.close()
