"""The server policy pages in a real browser, at 1280 and 375 px: an admin limits a server,
changes the block, imports a Mastodon block list and sets the federation mode; every state of
the pages (errors and import results too) free of axe-core violations; and a visitor reads
the list of moderated servers."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.browser.conftest import SCREENSHOTS, Site, sign_in
from tests.browser.test_accessibility import check_with_axe

pytestmark = pytest.mark.browser

FIXTURE = Path(__file__).parents[1] / "fixtures" / "blocklists" / "mastodon-domain_blocks.csv"


@pytest.mark.parametrize("width", [1280, 375])
def test_an_admin_sets_the_server_policy_from_accessible_pages(
    browser: Any, site: Site, axe_source: str, width: int
) -> None:
    page = browser.new_context(viewport={"width": width, "height": 900}).new_page()
    sign_in(page, site, "ada")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)

    page.goto(site.url("/admin/blocks"))
    check_with_axe(page, axe_source, f"blocks at {width}")
    page.get_by_role("button", name="Block", exact=True).click()  # nothing typed: an error
    assert page.get_by_role("alert").is_visible()
    check_with_axe(page, axe_source, f"blocks with an error at {width}")

    server = f"noisy-{width}.example"
    page.get_by_label("Account or server to block").fill(server)
    page.get_by_label("What the block does").select_option("limit")
    page.get_by_label("Refuse its media (pictures, avatars, attachments)").check()
    page.get_by_label("Public comment").fill("Spam, mostly")
    page.get_by_role("button", name="Block", exact=True).click()
    assert page.get_by_text(f"{server} is blocked.").is_visible()
    assert page.get_by_text("Limited, media refused").first.is_visible()

    page.get_by_role("link", name=f"Change the block on {server}").click()
    check_with_axe(page, axe_source, f"a block at {width}")
    assert page.get_by_label("What the block does").input_value() == "limit"
    page.get_by_label("What the block does").select_option("suspend")
    page.get_by_role("button", name="Save").click()
    assert page.get_by_text(f"The block on {server} is changed.").is_visible()

    page.get_by_label("A block list to import (CSV)").set_input_files(str(FIXTURE))
    page.get_by_role("button", name="Import", exact=True).click()
    assert page.get_by_role("heading", name="Imported").is_visible()
    assert page.get_by_text("Rows left out: 0.").is_visible()
    check_with_axe(page, axe_source, f"an imported block list at {width}")
    page.screenshot(path=str(SCREENSHOTS / f"admin-blocks-imported-{width}.png"), full_page=True)

    page.get_by_role("link", name="Federation mode and allow-list").click()
    check_with_axe(page, axe_source, f"federation at {width}")
    page.get_by_label("Server", exact=True).fill(f"partner-{width}.example")
    page.get_by_role("button", name="Add to the allow-list").click()
    assert page.get_by_text(f"partner-{width}.example is on the allow-list.").is_visible()
    page.get_by_label("Authorised fetch").select_option("on")
    page.get_by_role("button", name="Save").click()
    assert page.get_by_text("The federation settings are saved.").is_visible()
    check_with_axe(page, axe_source, f"federation with an allow-list at {width}")
    page.screenshot(path=str(SCREENSHOTS / f"admin-federation-{width}.png"), full_page=True)
    scroll_width = page.evaluate("document.documentElement.scrollWidth")
    assert scroll_width <= width
    page.get_by_label("Authorised fetch").select_option("off")
    page.get_by_role("button", name="Save").click()
    page.context.close()

    visitor = browser.new_context(viewport={"width": width, "height": 900}).new_page()
    visitor.goto(site.url("/"))
    visitor.get_by_role("link", name="Moderated servers").click()
    servers = visitor.get_by_role("list", name="Moderated servers")
    assert servers.get_by_text("Why: spam, mostly", exact=True).is_visible()
    assert servers.get_by_text("pictu***.***mple").is_visible()  # obfuscated, as the list asks
    check_with_axe(visitor, axe_source, f"moderated servers at {width}")
    assert visitor.evaluate("document.documentElement.scrollWidth") <= width
    visitor.screenshot(path=str(SCREENSHOTS / f"moderated-servers-{width}.png"), full_page=True)
    visitor.context.close()
