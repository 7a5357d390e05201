"""The privacy and safety settings in Chromium (the page carries no script): a member chooses
members-only by default, search consent and "hide me from search engines"; the comment form
then starts from members-only, and their profile asks search engines to stay away. axe-core
finds no violation at 1280 px and 375 px."""

from __future__ import annotations

import asyncio
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest

from tests.browser.conftest import SCREENSHOTS, Site, sign_in
from tests.browser.test_accessibility import check_with_axe
from tests.browser.test_notification_settings import value
from tests.support.nodes import execute_sql

pytestmark = pytest.mark.browser


def account_value(site: Site, handle: str, column: str) -> Any:
    return value(
        site,
        f"SELECT {column} FROM account WHERE actor_id = "
        f"(SELECT id FROM actor WHERE handle = '{handle}')",
    )


@pytest.mark.parametrize("width", (1280, 375))
def test_a_member_keeps_what_they_write_to_the_organisation_and_away_from_search_engines(
    browser: Any, site: Site, axe_source: str, width: int
) -> None:
    context = browser.new_context(viewport={"width": width, "height": 900})
    try:
        page = context.new_page()
        # Given cy signed in on her privacy settings, each choice explained
        sign_in(page, site, "cy")
        page.goto(site.url("/settings/privacy"))
        check_with_axe(page, axe_source, f"privacy settings at {width}")
        assert page.get_by_label("Everyone").is_checked()
        # When she chooses members only, hides from search engines, and saves
        page.get_by_label("Members of this organisation").check()
        page.get_by_label("Hide me from search engines").check()
        page.get_by_role("button", name="Save privacy settings").click()
        # Then the page says so and keeps her choices
        assert "Your privacy settings are saved" in page.content()
        assert page.get_by_label("Members of this organisation").is_checked()
        assert page.get_by_label("Hide me from search engines").is_checked()
        check_with_axe(page, axe_source, f"privacy settings saved at {width}")
        page.screenshot(path=str(SCREENSHOTS / f"privacy-settings-{width}.png"), full_page=True)
        assert account_value(site, "cy", "default_visibility") == "organisation"
        # and a comment form starts from members only
        page.goto(site.url(site.paths["proposal"]))
        assert page.get_by_label("Members of this organisation").is_checked()
        check_with_axe(page, axe_source, f"proposal with the visibility choice at {width}")
        # and her profile asks search engines to stay away
        response = page.goto(site.url("/actors/cy"))
        assert response is not None and response.headers["x-robots-tag"] == "noindex"
        robots = page.locator('meta[name="robots"]').get_attribute("content")
        assert robots == "noindex, noarchive"
    finally:
        context.close()
        # as she was, for the other tests of the module's site
        with_defaults = "default_visibility = 'public', noindex = " + (
            "false" if site.node.env.get("TOWNHALL_DATABASE_URL") else "0"
        )
        with ThreadPoolExecutor(1) as thread:
            thread.submit(
                asyncio.run,
                execute_sql(
                    site.node,
                    f"UPDATE account SET {with_defaults} WHERE actor_id = "
                    "(SELECT id FROM actor WHERE handle = 'cy')",
                ),
            ).result()
