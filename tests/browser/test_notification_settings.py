"""The notification settings page and the unsubscribe page in Chromium (the pages carry no script):
a member chooses how each kind reaches them; a visitor with a mail's link stops that mail with
one button. axe-core finds no violation at 1280 px and 375 px."""

from __future__ import annotations

import asyncio
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest

from tests.browser.conftest import SCREENSHOTS, Site, sign_in
from tests.browser.test_accessibility import check_with_axe
from tests.support.nodes import fetch_value

pytestmark = pytest.mark.browser

WIDTHS = (1280, 375)


def value(site: Site, query: str) -> Any:
    """A value from the node's database (in a thread: Playwright owns this one's loop)."""
    with ThreadPoolExecutor(1) as thread:
        return thread.submit(asyncio.run, fetch_value(site.node, query)).result()


def preference(site: Site, handle: str, kind: str) -> Any:
    return value(
        site,
        f"SELECT delivery FROM notification_preference WHERE kind = '{kind}' AND account_id = "
        "(SELECT id FROM account WHERE actor_id = "
        f"(SELECT id FROM actor WHERE handle = '{handle}'))",
    )


@pytest.mark.parametrize("width", WIDTHS)
def test_a_member_chooses_weekly_digests_and_a_link_in_a_mail_stops_them(
    browser: Any, site: Site, axe_source: str, width: int
) -> None:
    viewport = {"width": width, "height": 900}
    context = browser.new_context(viewport=viewport)
    try:
        page = context.new_page()
        # Given cy signed in on her notification settings
        sign_in(page, site, "cy")
        page.goto(site.url("/settings/notifications"))
        check_with_axe(page, axe_source, f"notification settings at {width}")
        # When she takes replies weekly and saves
        page.get_by_label("Replies to you").select_option("weekly")
        page.get_by_role("button", name="Save notification settings").click()
        # Then the page says so, keeps the choice, and is still free of violations
        assert "Your notification settings are saved" in page.content()
        assert page.get_by_label("Replies to you").input_value() == "weekly"
        check_with_axe(page, axe_source, f"notification settings saved at {width}")
        assert preference(site, "cy", "reply") == "weekly"
        # When a visitor opens the weekly digest's unsubscribe link (bo's) and presses the button
        visitor = browser.new_context(viewport=viewport)
        try:
            other = visitor.new_page()
            rows = "SELECT COUNT(*) FROM notification_preference"
            before = value(site, rows)
            other.goto(site.url(site.paths["unsubscribe"]))
            check_with_axe(other, axe_source, f"unsubscribe page at {width}")
            assert value(site, rows) == before  # the GET wrote nothing
            other.get_by_role("button", name="Stop these emails").click()
            # Then the page says it is done, and bo's weekly kinds are on the site only
            assert "Done: you will get no more email" in other.content()
            check_with_axe(other, axe_source, f"unsubscribed page at {width}")
            other.screenshot(path=str(SCREENSHOTS / f"unsubscribed-{width}.png"), full_page=True)
            assert preference(site, "bo", "new_version") == "site"
        finally:
            visitor.close()
    finally:
        context.close()
