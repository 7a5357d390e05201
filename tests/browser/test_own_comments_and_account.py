"""A member's own comment and account in a real browser: the comment edited from its form with
JavaScript off, the "edited" mark leading to its history; the account deletion form refusing a
wrong password; every page free of axe-core violations at 1280 and 375 px."""

from __future__ import annotations

from typing import Any

import pytest

from tests.browser.conftest import SCREENSHOTS, Site, sign_in
from tests.browser.test_accessibility import check_with_axe
from tests.browser.test_journey import no_script_page

pytestmark = pytest.mark.browser
WIDTHS = (1280, 375)


def checked_at_both_widths(browser: Any, site: Site, url: str, name: str, axe: str) -> None:
    """The page at `url` as cy sees it (script on, for axe-core), at both widths."""
    for width in WIDTHS:
        page = browser.new_context(viewport={"width": width, "height": 900}).new_page()
        sign_in(page, site, "cy")
        page.goto(url)
        check_with_axe(page, axe, f"{name} at {width}")
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SCREENSHOTS / f"{name}-{width}.png"), full_page=True)
        page.context.close()


def test_a_member_edits_a_comment_and_reads_its_history_without_javascript(
    browser: Any, site: Site, axe_source: str
) -> None:
    # Given cy's comment on the proposal, written from its page
    member = no_script_page(browser)
    sign_in(member, site, "cy")
    member.goto(site.url(site.paths["proposal"]))
    member.get_by_label("Your comment").fill("Saturday mornings would help me.")
    member.get_by_role("button", name="Post comment").click()
    comment = member.locator("li", has_text="Saturday mornings would help me.").last
    # When cy follows its Edit link and changes the text
    comment.get_by_role("link", name="Edit your comment").click()
    edit_url = member.url
    assert member.get_by_label("Your comment").input_value() == "Saturday mornings would help me."
    member.get_by_label("Your comment").fill("Saturday afternoons would help me more.")
    member.get_by_role("button", name="Save the change").click()
    # Then the thread shows the new text with the "edited" mark, leading to the old text
    assert member.get_by_text("Your comment is changed.").is_visible()
    changed = member.locator("li", has_text="Saturday afternoons would help me more.").last
    changed.get_by_role("link", name="edited").click()
    assert member.get_by_role("heading", name="Before").is_visible()
    assert member.get_by_text("Saturday mornings would help me.").is_visible()
    history_url = member.url
    member.context.close()
    # and the edit form and the history page pass axe-core at both widths
    checked_at_both_widths(browser, site, edit_url, "edit-comment-own", axe_source)
    checked_at_both_widths(browser, site, history_url, "comment-history-own", axe_source)


def test_the_account_deletion_form_refuses_a_wrong_password_accessibly(
    browser: Any, site: Site, axe_source: str
) -> None:
    for width in WIDTHS:
        page = browser.new_context(viewport={"width": width, "height": 900}).new_page()
        sign_in(page, site, "cy")
        page.goto(site.url("/settings/profile"))
        page.get_by_role("link", name="Download your data, or delete your account").click()
        page.get_by_role("link", name="Delete your account").click()
        page.get_by_label("Keep my comments, shown as by “a former member”").check()
        page.get_by_label("Your password").fill("not my password")
        page.get_by_role("button", name="Delete my account").click()
        assert page.get_by_role("alert").get_by_text("That is not your password.").is_visible()
        check_with_axe(page, axe_source, f"refused account deletion at {width}")
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SCREENSHOTS / f"delete-account-refused-{width}.png"))
        page.goto(site.url("/"))
        assert page.get_by_role("button", name="Sign out").is_visible()  # still signed in
        page.context.close()
