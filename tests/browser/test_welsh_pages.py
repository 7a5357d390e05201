"""The main pages in Welsh, for a browser that asks for Welsh (Accept-Language: cy-GB): axe-core
finds no violation at 1280 px and at 375 px, nothing is wider than a phone, and a screenshot of
each is written for reviewers. The footer's language switcher works without JavaScript for a
visitor (a cookie) and for a member (their saved choice, which follows them to another device)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from tests.browser.conftest import SCREENSHOTS, Site, add_member
from tests.browser.test_accessibility import check_with_axe
from tests.support.pages import PASSWORD

pytestmark = pytest.mark.browser

VIEWS = {"1280": 1280, "375": 375}
WELSH = "cy-GB"  # Playwright sends the context's locale as Accept-Language
VISITOR_PAGES = {
    "home": "/",
    "proposals": "/proposals?status=open",
    "proposal": "{proposal}",
    "sign-in": "/sign-in",
    "join": "/join",
    "forgot-password": "/forgot-password",
}
MEMBER_PAGES = {
    "proposal-signed-in": "{proposal}",
    "new-proposal": "/proposals/new",
    "settings-profile": "/settings/profile",
    "settings-language": "/settings/language",
    "settings-notifications": "/settings/notifications",
}
ADMIN_PAGES = {
    "admin": "/admin",
    "admin-members": "/admin/members",
    "admin-settings": "/admin/settings",
}
PAGES = [
    (who, name, path)
    for who, pages in (("visitor", VISITOR_PAGES), ("bo", MEMBER_PAGES), ("ada", ADMIN_PAGES))
    for name, path in pages.items()
]


def sign_in_in_welsh(page: Any, site: Site, handle: str) -> None:
    """Sign in through the Welsh form, as a Welsh speaker would."""
    page.goto(site.url("/sign-in"))
    page.get_by_label("Enw defnyddiwr").fill(handle)
    page.get_by_label("Cyfrinair").fill(PASSWORD)
    page.get_by_role("button", name="Mewngofnodi").click()
    page.wait_for_url(lambda url: "/sign-in" not in url)


@pytest.fixture(scope="module")
def welsh_pages(browser: Any, site: Site) -> Iterator[dict[tuple[str, str], Any]]:
    """A Welsh browser's page per (who, view): a visitor, a member (bo) and the admin (ada)."""
    pages = {}
    for view, width in VIEWS.items():
        for who in ("visitor", "bo", "ada"):
            context = browser.new_context(viewport={"width": width, "height": 900}, locale=WELSH)
            page = context.new_page()
            if who != "visitor":
                sign_in_in_welsh(page, site, who)
            pages[(who, view)] = page
    yield pages
    for page in pages.values():
        page.context.close()


@pytest.mark.parametrize("view", VIEWS)
@pytest.mark.parametrize(("who", "name", "path"), PAGES, ids=[p[1] for p in PAGES])
def test_the_page_in_welsh_is_accessible_and_fits(
    welsh_pages: dict[tuple[str, str], Any],
    site: Site,
    axe_source: str,
    who: str,
    name: str,
    path: str,
    view: str,
) -> None:
    page, width = welsh_pages[(who, view)], VIEWS[view]
    response = page.goto(site.url(path.format(**site.paths)))
    assert response is not None and response.status == 200, (name, response and response.status)
    assert page.get_attribute("html", "lang") == "cy"
    assert (
        page.get_by_role("navigation", name="Iaith")
        .get_by_role("link" if who == "visitor" else "button", name="English")
        .is_visible()
    )
    check_with_axe(page, axe_source, f"{name} in Welsh at {view}")
    scroll_width = page.evaluate("document.documentElement.scrollWidth")
    assert scroll_width <= width, f"{name} in Welsh is {scroll_width}px wide at {width}px"
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}-cy-{view}.png"), full_page=True)


@pytest.mark.parametrize("view", VIEWS)
def test_a_visitor_switches_to_welsh_and_back_from_the_footer(
    browser: Any, site: Site, view: str
) -> None:
    # without JavaScript (so without axe, which runs as a script: the pages above are checked)
    context = browser.new_context(
        viewport={"width": VIEWS[view], "height": 900}, locale="en-GB", java_script_enabled=False
    )
    page = context.new_page()
    try:
        page.goto(site.url("/proposals"))
        assert page.get_attribute("html", "lang") == "en"
        # When the visitor follows "Cymraeg" in the footer (no JavaScript on this page)
        page.get_by_role("navigation", name="Language").get_by_role("link", name="Cymraeg").click()
        # Then they are back on the same page, in Welsh, and it stays Welsh
        page.wait_for_url(site.url("/proposals"))
        assert page.get_attribute("html", "lang") == "cy"
        assert page.get_by_role("heading", level=1).inner_text().startswith("Cynigion")
        page.goto(site.url("/sign-in"))
        assert page.get_by_role("heading", level=1).inner_text() == "Mewngofnodi"
        # And "English" takes them back
        page.get_by_role("navigation", name="Iaith").get_by_role("link", name="English").click()
        page.wait_for_url(site.url("/sign-in"))
        assert page.get_attribute("html", "lang") == "en"
    finally:
        context.close()


def test_a_members_switch_is_saved_and_follows_them_to_another_device(
    browser: Any, site: Site, axe_source: str
) -> None:
    add_member(site.node, "gwen", name="Gwen")
    laptop = browser.new_context(locale="en-GB", java_script_enabled=False)
    phone = browser.new_context(viewport={"width": 375, "height": 900}, locale="en-GB")
    try:
        page = laptop.new_page()
        page.goto(site.url("/sign-in"))
        page.get_by_label("Handle").fill("gwen")
        page.get_by_label("Password").fill(PASSWORD)
        page.get_by_role("button", name="Sign in").click()
        page.wait_for_url(lambda url: "/sign-in" not in url)
        page.goto(site.url("/settings/profile"))
        # When gwen presses "Cymraeg" in the footer
        switcher = page.get_by_role("navigation", name="Language")
        switcher.get_by_role("button", name="Cymraeg").click()
        page.wait_for_url(site.url("/settings/profile"))
        assert page.get_attribute("html", "lang") == "cy"
        # Then her language setting says Welsh
        page.goto(site.url("/settings/language"))
        assert page.get_by_label("Tudalennau ac e-bost yn").input_value() == "cy"
        # And on her phone, whose browser asks for English, her pages are Welsh once signed in
        other = phone.new_page()
        other.goto(site.url("/sign-in"))
        assert other.get_attribute("html", "lang") == "en"
        other.get_by_label("Handle").fill("gwen")
        other.get_by_label("Password").fill(PASSWORD)
        other.get_by_role("button", name="Sign in").click()
        other.wait_for_url(lambda url: "/sign-in" not in url)
        other.goto(site.url("/timeline"))
        assert other.get_attribute("html", "lang") == "cy"
        check_with_axe(other, axe_source, "the timeline in Welsh at 375")
        other.goto(site.url("/settings/language"))
        assert other.get_by_label("Tudalennau ac e-bost yn").input_value() == "cy"
        check_with_axe(other, axe_source, "the language setting in Welsh at 375")
    finally:
        laptop.close()
        phone.close()
