"""Publishing a consultation's decision in a real browser with JavaScript off, and seeing it at
the top of the proposal; the decision and reopening forms and the decided page pass axe-core."""

from __future__ import annotations

import asyncio
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest

from tests.browser.conftest import SCREENSHOTS, Site, sign_in
from tests.browser.test_accessibility import check_with_axe
from tests.support.nodes import post_outbox

pytestmark = pytest.mark.browser


async def _closed_consultation(site: Site, name: str) -> str:
    """A consultation by ada, closed by hand; its page's path."""
    token = site.node.token("ada")
    proposal = {
        "type": "Article",
        "name": name,
        "summary": "Volunteers would run a Saturday desk.",
        "source": "A desk from 9 to 1.",
        "sections": {"problem": "Working people cannot come on weekdays."},
        "closesAt": "2099-03-31T16:00:00Z",
    }
    status, created = await post_outbox(site.node, "ada", token, proposal)
    assert status == 201, created
    uri = created["object"]["id"]
    close = {"type": "Update", "object": {"type": "Article", "id": uri, "proposalStatus": "closed"}}
    status, answer = await post_outbox(site.node, "ada", token, close)
    assert status == 201, answer
    return "/objects/" + uri.rsplit("/", 1)[1]


def closed_consultation(site: Site, name: str) -> str:
    with ThreadPoolExecutor(1) as thread:  # Playwright's sync API owns this thread's loop
        return thread.submit(asyncio.run, _closed_consultation(site, name)).result()


def test_the_author_publishes_the_decision_without_javascript(
    browser: Any, site: Site, axe_source: str
) -> None:
    where = closed_consultation(site, "A Saturday advice desk")
    checker = browser.new_context(viewport={"width": 375, "height": 900}).new_page()
    sign_in(checker, site, "ada")
    checker.goto(site.url(f"{where}/decision"))
    check_with_axe(checker, axe_source, "the decision form")
    checker.goto(site.url(f"{where}/reopen"))
    check_with_axe(checker, axe_source, "the reopening form")

    author = browser.new_context(
        java_script_enabled=False, viewport={"width": 375, "height": 800}
    ).new_page()
    sign_in(author, site, "ada")
    author.goto(site.url(where))
    assert author.get_by_text("Closed on").first.is_visible()
    author.get_by_role("link", name="Publish the decision").click()
    author.get_by_label("Outcome").select_option("changed")
    author.get_by_label("Our response").fill("We will open **on Saturday mornings** from May.")
    author.get_by_label("The problem").fill("You told us weekday hours shut people out.")
    author.get_by_role("button", name="Publish the decision").click()
    assert author.get_by_text("The decision is published.").is_visible()
    assert author.get_by_role("heading", name="The decision: Adopted with changes").is_visible()
    assert author.locator("strong", has_text="on Saturday mornings").first.is_visible()
    assert author.get_by_text("Decided: adopted with changes on").first.is_visible()
    assert author.get_by_role("link", name="Publish the decision").count() == 0
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    author.screenshot(path=str(SCREENSHOTS / "decision-published-375.png"), full_page=True)

    checker.goto(site.url(where))
    check_with_axe(checker, axe_source, "the decided proposal")
    for page in (author, checker):
        page.context.close()
