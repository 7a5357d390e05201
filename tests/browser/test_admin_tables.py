"""The admin pages on a 375 px phone: the page itself never scrolls sideways, and every table
sits in a labelled region a keyboard can focus and scroll, so its last column is reachable;
at 1280 and 375 px the pages, tables filled, are free of axe-core violations."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from tests.browser.conftest import Site, sign_in
from tests.browser.test_accessibility import check_with_axe

pytestmark = pytest.mark.browser

ADMIN_PAGES = [
    "/admin",
    "/admin/members",
    "/admin/invites",
    "/admin/reports",
    "/admin/held",
    "/admin/blocks",
    "{block}",
    "/admin/delivery",
    "/admin/federation",
    "/admin/settings",
    "/admin/audit",
]
# what the tables hold once filled: the seeded members, an invitation, the audit log's entries
FILLED_TABLES = {"/admin/members", "/admin/invites", "/admin/audit"}
# for each table: its scroll region, whether that is labelled and focusable, and whether its
# last column can be scrolled into the viewport
TABLES = """() => Array.from(document.querySelectorAll('main table')).map((table) => {
  const region = table.closest('.table-scroll');
  if (!region) return {wrapped: false};
  const labelledBy = region.getAttribute('aria-labelledby');
  const label = (region.getAttribute('aria-label') ||
                 (labelledBy && document.getElementById(labelledBy)?.textContent) || '').trim();
  region.scrollLeft = region.scrollWidth;
  const cells = table.querySelectorAll('tr:first-child > :is(th, td)');
  const last = cells[cells.length - 1].getBoundingClientRect();
  const box = region.getBoundingClientRect();
  const result = {wrapped: true, role: region.getAttribute('role'), tabindex: region.tabIndex,
                  label, regionRight: box.right, lastRight: last.right, lastLeft: last.left};
  region.scrollLeft = 0;
  return result;
})"""


@pytest.fixture(scope="module")
def filled(browser: Any, site: Site) -> Iterator[Site]:
    """The admin (ada) made an invitation, changed a member's role and blocked a server."""
    page = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
    sign_in(page, site, "ada")
    page.goto(site.url("/admin/invites"))
    page.get_by_role("button", name="Make an invitation link").click()
    page.goto(site.url("/admin/members"))
    page.get_by_label("Role of @cy").select_option("moderator")
    page.locator("tr", has_text="@cy").get_by_role("button", name="Set role").click()
    page.goto(site.url("/admin/blocks"))
    page.get_by_label("Account or server to block").fill("a-very-long-server-name.example")
    page.get_by_role("button", name="Block", exact=True).click()
    link = page.get_by_role("link", name="Change the block on a-very-long-server-name.example")
    site.paths["block"] = link.get_attribute("href") or ""
    page.context.close()
    yield site


@pytest.fixture(scope="module")
def admin_pages(browser: Any, filled: Site) -> Iterator[dict[int, Any]]:
    pages = {}
    for width in (1280, 375):
        page = browser.new_context(viewport={"width": width, "height": 800}).new_page()
        sign_in(page, filled, "ada")
        pages[width] = page
    yield pages
    for page in pages.values():
        page.context.close()


@pytest.mark.parametrize("path", ADMIN_PAGES)
def test_an_admin_page_fits_a_phone_and_its_tables_scroll_within(
    admin_pages: dict[int, Any], filled: Site, path: str
) -> None:
    page = admin_pages[375]
    response = page.goto(filled.url(path.format(**filled.paths)))
    assert response is not None and response.status == 200, path
    page.wait_for_load_state("load")
    page_width = page.evaluate("document.scrollingElement.scrollWidth")
    assert page_width <= page.evaluate("innerWidth"), f"{path} scrolls sideways: {page_width}px"
    tables = page.evaluate(TABLES)
    if path in FILLED_TABLES:
        assert tables, f"{path} shows no table"
    for number, table in enumerate(tables):
        where = f"table {number} of {path}"
        assert table["wrapped"], f"{where} is not in a .table-scroll region"
        assert table["role"] == "region" and table["tabindex"] == 0, where
        assert table["label"], f"{where}: its region has no name"
        assert table["regionRight"] <= 375, f"{where}: its region is wider than the phone"
        # scrolled to its end, the table's last column is in view
        assert table["lastRight"] <= table["regionRight"] + 1, where
        assert table["lastLeft"] >= 0, where


def test_the_members_table_scrolls_with_the_keyboard(
    admin_pages: dict[int, Any], filled: Site
) -> None:
    """Tab reaches the region; the arrow keys then scroll it to the actions column."""
    page = admin_pages[375]
    page.goto(filled.url("/admin/members"))
    region = page.get_by_role("region", name="Accounts on this node")
    overflow = region.evaluate("(element) => element.scrollWidth - element.clientWidth")
    assert overflow > 0, "the members table fits a phone: nothing here to scroll"
    region.focus()
    assert region.evaluate("(element) => element === document.activeElement")
    for _ in range(40):
        page.keyboard.press("ArrowRight")
    assert region.evaluate("(element) => element.scrollLeft") > 0


@pytest.mark.parametrize("width", [1280, 375])
@pytest.mark.parametrize("path", sorted(FILLED_TABLES))
def test_filled_admin_tables_are_accessible(
    admin_pages: dict[int, Any], filled: Site, axe_source: str, path: str, width: int
) -> None:
    page = admin_pages[width]
    page.goto(filled.url(path))
    check_with_axe(page, axe_source, f"{path} at {width}")
