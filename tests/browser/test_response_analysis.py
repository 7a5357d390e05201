"""Reading the responses in a real browser with JavaScript off: the author of a consultation
adds two themes, tags comments, filters the thread and marks a quote; axe-core finds nothing."""

from __future__ import annotations

import asyncio
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest

from tests.browser.conftest import SCREENSHOTS, Site, sign_in
from tests.browser.test_accessibility import check_with_axe
from tests.support.nodes import post_outbox

pytestmark = pytest.mark.browser

BUSES = "There is no bus on Sunday mornings."
CHILDCARE = "Childcare is the problem for us, not opening hours."
BOTH = "Buses and childcare both: we need both fixed."


async def _consultation(site: Site) -> str:
    """bo's proposal, with cy's two comments and bo's reply to one: its page's path."""
    node = site.node
    bo, cy = node.token("bo"), node.token("cy")
    proposal = {"type": "Article", "name": "Open the library on Sundays", "summary": "Weekends."}
    _, created = await post_outbox(node, "bo", bo, proposal)
    article = created["object"]["id"]
    _, first = await post_outbox(
        node, "cy", cy, {"type": "Note", "content": BUSES, "inReplyTo": article}
    )
    await post_outbox(node, "cy", cy, {"type": "Note", "content": CHILDCARE, "inReplyTo": article})
    reply = {"type": "Note", "content": BOTH, "inReplyTo": first["object"]["id"]}
    await post_outbox(node, "bo", bo, reply)
    return "/objects/" + article.rsplit("/", 1)[1]


def no_script_page(browser: Any, width: int) -> Any:
    context = browser.new_context(
        java_script_enabled=False, viewport={"width": width, "height": 900}
    )
    return context.new_page()


def comment_of(page: Any, text: str) -> Any:
    return page.locator("ol.comments > li", has_text=text)


def test_the_author_themes_tags_filters_and_quotes_without_javascript(
    browser: Any, site: Site, axe_source: str
) -> None:
    with ThreadPoolExecutor(1) as thread:  # Playwright's sync API owns this thread's loop
        path = thread.submit(asyncio.run, _consultation(site)).result()
    author = no_script_page(browser, 375)
    sign_in(author, site, "bo")
    author.goto(site.url(path))
    author.get_by_role("link", name="Read and tag the responses").click()
    heading = "Responses to \u201cOpen the library on Sundays\u201d"
    assert author.get_by_role("heading", name=heading).is_visible()

    for name in ("Transport", "Childcare"):
        author.get_by_label("New theme").fill(name)
        author.get_by_role("button", name="Add theme").click()
        assert author.get_by_text(f"The theme \u201c{name}\u201d is added.").is_visible()
    author.get_by_label("New theme").fill("transport")  # the same name, in other letters
    author.get_by_role("button", name="Add theme").click()
    assert author.get_by_text("already has a theme called").first.is_visible()

    for text, theme in ((BUSES, "Transport"), (BOTH, "Transport"), (CHILDCARE, "Childcare")):
        comment = comment_of(author, text)
        comment.get_by_label("Theme").select_option(label=theme)
        comment.get_by_role("button", name="Tag", exact=True).click()
        assert author.get_by_text("The comment is tagged.").is_visible()
    comment = comment_of(author, BOTH)
    comment.get_by_label("Theme").select_option(label="Childcare")
    comment.get_by_role("button", name="Tag", exact=True).click()

    author.get_by_label("Theme", exact=True).first.select_option(label="Transport (2)")
    author.get_by_label("Kind of respondent").select_option(value="members_other")
    author.get_by_role("button", name="Filter").click()
    assert "theme=" in author.url and "kind=members_other" in author.url
    assert author.get_by_text("Showing 2 of 3 comments.").is_visible()
    assert comment_of(author, CHILDCARE).count() == 0
    comment_of(author, BUSES).get_by_role("button", name="Mark to quote").click()
    assert author.get_by_text("The comment will be quoted in the report.").is_visible()
    assert "kind=members_other" in author.url  # the filters stay on after a form
    assert comment_of(author, BUSES).get_by_text("To quote").is_visible()
    filtered = author.url
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    author.screenshot(path=str(SCREENSHOTS / "responses-375.png"), full_page=True)

    member = no_script_page(browser, 375)
    sign_in(member, site, "cy")
    response = member.goto(site.url(f"{path}/responses"))
    assert response is not None and response.status == 403
    member.goto(site.url(path))
    assert member.get_by_text("Transport").count() == 0
    for page in (author, member):
        page.context.close()
    check_pages_with_axe(browser, site, axe_source, filtered, path)


def check_pages_with_axe(
    browser: Any, site: Site, axe_source: str, filtered: str, path: str
) -> None:
    """axe-core (which needs script: the pages themselves do not) on the page as the author
    left it, every response shown, and with a refused theme name, at 375 and 1280 px."""
    for width in (375, 1280):
        context = browser.new_context(viewport={"width": width, "height": 900})
        page = context.new_page()
        sign_in(page, site, "bo")
        page.goto(filtered)
        check_with_axe(page, axe_source, f"responses page, filtered, at {width}")
        scroll_width = page.evaluate("document.documentElement.scrollWidth")
        assert scroll_width <= width, f"the responses page is {scroll_width}px wide at {width}px"
        page.goto(site.url(f"{path}/responses"))
        assert page.get_by_text("Showing 3 of 3 comments.").is_visible()
        check_with_axe(page, axe_source, f"responses page at {width}")
        page.screenshot(path=str(SCREENSHOTS / f"responses-all-{width}.png"), full_page=True)
        page.get_by_label("New theme").fill("x" * 61)
        page.get_by_role("button", name="Add theme").click()
        assert page.get_by_text("at most 60 characters").first.is_visible()
        check_with_axe(page, axe_source, f"responses page with a refused theme at {width}")
        context.close()
