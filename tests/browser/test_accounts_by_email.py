"""Accounts by email in a real browser: a member adds an address and confirms it from the
mailed link, then forgets their password and chooses a new one from the mailed link. Once with
JavaScript off (the forms need none), and with it on at 1280 and 375 px so that axe-core can
check every page on the way (0 violations). The node has no SMTP server set, so the mail is
read from the .eml files it writes in its data dir."""

from __future__ import annotations

import re
import time
from email import message_from_bytes, policy
from pathlib import Path
from typing import Any

import pytest

from tests.browser.conftest import SCREENSHOTS, Site, sign_in
from tests.browser.test_accessibility import check_with_axe

pytestmark = pytest.mark.browser
# (width, JavaScript on, member): axe-core needs JavaScript, so the no-script run checks no page
RUNS = [(1280, True, "bo"), (375, True, "cy"), (375, False, "mo")]
NEW = "a brand new password"


def new_page(browser: Any, width: int, javascript: bool) -> Any:
    viewport = {"width": width, "height": 900}
    context = browser.new_context(java_script_enabled=javascript, viewport=viewport)
    return context.new_page()


def link_mailed_to(site: Site, address: str, path: str, count: int = 1) -> str:
    """The link under `path` in the `count`-th .eml file written for `address`."""
    folder = Path(site.node.process.data_dir) / "mail-outbox"
    deadline = time.monotonic() + 20
    while True:
        files = sorted(folder.glob(f"*-{address}.eml")) if folder.exists() else []
        if len(files) >= count or time.monotonic() > deadline:
            break
        time.sleep(0.1)
    assert len(files) >= count, f"no mail {count} for {address}"
    message = message_from_bytes(files[count - 1].read_bytes(), policy=policy.default)
    text = message.get_body(preferencelist=("plain",)).get_content()  # type: ignore[union-attr]
    found = re.search(re.escape(site.node.base) + re.escape(path) + r"[A-Za-z0-9_-]+", text)
    assert found, text
    return found.group(0)


def checked(page: Any, axe_source: str, name: str, width: int, javascript: bool) -> None:
    """axe-core finds nothing (when JavaScript runs), nothing is too wide; a screenshot."""
    if javascript:
        check_with_axe(page, axe_source, f"{name} at {width}")
    scroll_width = page.evaluate("document.documentElement.scrollWidth") if javascript else 0
    assert scroll_width <= width, f"{name} is {scroll_width}px wide at {width}px"
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    suffix = f"{width}" if javascript else f"{width}-no-script"
    page.screenshot(path=str(SCREENSHOTS / f"{name}-{suffix}.png"), full_page=True)


@pytest.mark.parametrize(("width", "javascript", "handle"), RUNS)
def test_a_member_confirms_an_address_and_resets_a_forgotten_password(
    browser: Any, site: Site, axe_source: str, width: int, javascript: bool, handle: str
) -> None:
    address = f"{handle}@example.org"

    def check(page: Any, name: str) -> None:
        checked(page, axe_source, name, width, javascript)

    # Given a member who gives an address in their settings
    member = new_page(browser, width, javascript)
    sign_in(member, site, handle)
    member.goto(site.url("/settings/profile"))
    member.get_by_role("link", name="Your email address").click()
    member.get_by_role("button", name="Send a confirmation link").click()
    assert member.get_by_text("Enter an email address.").first.is_visible()  # refused: empty
    check(member, "email-settings-refused")
    member.get_by_label("Address").fill(address)
    member.get_by_role("button", name="Send a confirmation link").click()
    assert member.get_by_text(f"We have sent a link to {address}").is_visible()
    check(member, "email-settings-waiting")
    # When they open the mailed link and confirm
    member.goto(link_mailed_to(site, address, "/email/verify/"))
    check(member, "verify-email")
    member.get_by_role("button", name="Confirm this address").click()
    # Then the address is theirs
    assert member.get_by_text(f"{address} is confirmed").is_visible()
    assert member.get_by_text(f"Your confirmed address: {address}").is_visible()
    check(member, "email-settings-confirmed")
    # and the link, used, says so
    used = member.goto(link_mailed_to(site, address, "/email/verify/"))
    assert used is not None and used.status == 410
    check(member, "verify-email-used")

    # When they have forgotten their password, on another device
    visitor = new_page(browser, width, javascript)
    visitor.goto(site.url("/sign-in"))
    visitor.get_by_role("link", name="Forgot your password?").click()
    visitor.get_by_label("Email address").fill("not an address")
    visitor.get_by_role("button", name="Send me a link").click()
    assert visitor.get_by_text("not an email address we can send to").first.is_visible()
    check(visitor, "forgot-password-refused")
    visitor.get_by_label("Email address").fill(address)
    visitor.get_by_role("button", name="Send me a link").click()
    assert visitor.get_by_text("If that address belongs to a member").is_visible()
    check(visitor, "forgot-password-sent")
    # and choose a new one from the mailed link
    visitor.goto(link_mailed_to(site, address, "/reset/", count=2))
    visitor.get_by_label("New password", exact=True).fill(NEW)
    visitor.get_by_label("New password again").fill(NEW)
    visitor.get_by_role("button", name="Set my password").click()
    # Then they are signed in with it, and signed out on the first device
    assert visitor.get_by_text("Your new password is set").is_visible()
    member.goto(site.url("/settings/email"))
    assert "/sign-in" in member.url
    member.context.close()
    visitor.context.close()
