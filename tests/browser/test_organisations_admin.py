"""The admin's organisation pages in a browser: an organisation added, given a member and
another suspended through the forms, as a person would; then the list and an organisation's
page, and the refused form, at 1280 and 375 px: free of axe-core violations, never scrolling
sideways, their tables in labelled regions a keyboard can scroll."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from tests.browser.conftest import Site, sign_in
from tests.browser.test_accessibility import SCREENSHOTS, check_with_axe
from tests.browser.test_admin_tables import TABLES

pytestmark = pytest.mark.browser

PAGES = ["/admin/organisations", "/admin/organisations/tenants"]


def add_organisation(page: Any, site: Site, handle: str, name: str, summary: str = "") -> None:
    page.goto(site.url("/admin/organisations"))
    page.get_by_label("Handle").fill(handle)
    page.get_by_label("Name", exact=True).fill(name)
    page.get_by_label("About the organisation (optional)").fill(summary)
    page.get_by_role("button", name="Add the organisation").click()
    page.wait_for_url(site.url("/admin/organisations"))
    assert f"@{handle} is now hosted on this node." in page.inner_text("main")


@pytest.fixture(scope="module")
def filled(browser: Any, site: Site) -> Iterator[Site]:
    """ada (the admin) hosts @tenants with bo as a member, and @carers, suspended."""
    page = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
    sign_in(page, site, "ada")
    add_organisation(page, site, "tenants", "Tenants' Union of the Long Street Estates", "Rent.")
    add_organisation(page, site, "carers", "Carers' Forum")
    page.get_by_role("button", name="Suspend @carers").click()
    page.wait_for_url(site.url("/admin/organisations"))
    assert page.get_by_role("button", name="Lift the suspension of @carers").is_visible()
    page.get_by_role("link", name="Members of @tenants").click()
    page.get_by_label("Member's handle").fill("bo")
    page.get_by_role("button", name="Add the member").click()
    page.wait_for_url(site.url("/admin/organisations/tenants"))
    assert page.get_by_role("button", name="Remove @bo").is_visible()
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


@pytest.mark.parametrize("width", [1280, 375])
@pytest.mark.parametrize("path", PAGES)
def test_the_organisation_pages_are_accessible_and_fit(
    admin_pages: dict[int, Any], filled: Site, axe_source: str, path: str, width: int
) -> None:
    page = admin_pages[width]
    response = page.goto(filled.url(path))
    assert response is not None and response.status == 200, path
    check_with_axe(page, axe_source, f"{path} at {width}")
    name = path.strip("/").replace("/", "-")
    page.screenshot(path=str(SCREENSHOTS / f"{name}-{width}.png"), full_page=True)
    page_width = page.evaluate("document.scrollingElement.scrollWidth")
    assert page_width <= width, f"{path} scrolls sideways at {width}: {page_width}px"
    tables = page.evaluate(TABLES)
    assert tables, f"{path} shows no table"
    for table in tables:
        assert table["wrapped"] and table["role"] == "region" and table["tabindex"] == 0, path
        assert table["label"], f"{path}: its table's region has no name"
        assert table["lastRight"] <= table["regionRight"] + 1 and table["lastLeft"] >= 0, path


def test_the_list_shows_each_organisation_s_state(
    admin_pages: dict[int, Any], filled: Site
) -> None:
    page = admin_pages[1280]
    page.goto(filled.url("/admin/organisations"))
    rows = [
        [cell.inner_text().strip() for cell in row.locator("td").all()[:3]]
        for row in page.locator("main tbody tr").all()
    ]
    assert rows == [
        ["@testorg Org testorg", "4", "the node's own"],
        ["@tenants Tenants' Union of the Long Street Estates", "1", "live"],
        ["@carers Carers' Forum", "0", "suspended"],
    ]


@pytest.mark.parametrize("width", [1280, 375])
def test_the_refused_form_names_every_problem_accessibly(
    admin_pages: dict[int, Any], filled: Site, axe_source: str, width: int
) -> None:
    page = admin_pages[width]
    page.goto(filled.url("/admin/organisations"))
    page.get_by_label("Handle").fill("Not a handle")
    with page.expect_response(filled.url("/admin/organisations")) as answer:
        page.get_by_role("button", name="Add the organisation").click()
    assert answer.value.status == 422
    summary = page.get_by_role("alert")
    assert "lower-case letters" in summary.inner_text()
    assert "give the organisation's name" in summary.inner_text()
    assert page.get_by_label("Handle").get_attribute("aria-invalid") == "true"
    check_with_axe(page, axe_source, f"the refused organisation form at {width}")
