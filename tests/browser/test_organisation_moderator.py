"""An organisation's own moderator in a browser: fi moderates @tenants (a
plain member of the node), hides a comment in the thread of a tenants' proposal, still reads
it there marked as hidden, and finds no moderation buttons in the node's own organisation's
thread. Visitors (JavaScript off) see that a moderator hid it. The moderator's pages are free
of axe-core violations at 1280 and 375 px (axe runs in the page: JavaScript on)."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest

from tests.browser.conftest import SCREENSHOTS, Site, add_member, sign_in
from tests.browser.test_accessibility import check_with_axe
from tests.support.nodes import RunningNode, post_outbox

pytestmark = pytest.mark.browser

COMMENT = "The landlord never answers the phone."


async def _tenants_thread(node: RunningNode) -> str:
    """bo's proposal for @tenants, with cy's comment: the proposal's path."""
    proposal = {
        "type": "Article",
        "name": "A repairs hotline for tenants",
        "summary": "One number to report damp and broken heating.",
        "audience": node.actor("tenants"),
    }
    status, created = await post_outbox(node, "bo", node.token("bo"), proposal)
    assert status == 201, created
    uri = created["object"]["id"]
    note = {"type": "Note", "content": f"<p>{COMMENT}</p>", "inReplyTo": uri}
    status, answer = await post_outbox(node, "cy", node.token("cy"), note)
    assert status == 201, answer
    return str(uri).removeprefix(node.base)


@pytest.fixture(scope="module")
def tenants_thread(site: Site) -> Iterator[str]:
    """@tenants, moderated by fi, and the path of its proposal with a comment in its thread."""
    add_member(site.node, "fi", name="Fi")
    site.node.cli("organisation", "add", "tenants", "--name", "Tenants' Union")
    for handle in ("bo", "fi"):
        site.node.cli("organisation", "join", "tenants", handle)
    site.node.cli("organisation", "role", "tenants", "fi", "moderator")
    with ThreadPoolExecutor(1) as thread:  # Playwright's sync API owns this thread's loop
        yield thread.submit(asyncio.run, _tenants_thread(site.node)).result()


def new_page(browser: Any, width: int, *, scripts: bool = True) -> Any:
    context = browser.new_context(
        java_script_enabled=scripts, viewport={"width": width, "height": 800}
    )
    return context.new_page()


@pytest.mark.parametrize("width", [1280, 375])
def test_its_moderator_hides_a_comment_in_its_thread_only(
    browser: Any, site: Site, tenants_thread: str, axe_source: str, width: int
) -> None:
    moderator = new_page(browser, width)
    sign_in(moderator, site, "fi")
    moderator.goto(site.url(tenants_thread))
    comment = moderator.locator("li", has_text=COMMENT).last
    if width == 1280:  # the first run hides it; the second finds it hidden
        comment.get_by_role("button", name="Hide").click()
        assert moderator.get_by_text("The comment is hidden.").is_visible()
    comment = moderator.locator("li", has_text=COMMENT).last
    assert comment.get_by_text("Hidden from others").is_visible()
    assert comment.get_by_role("button", name="Unhide").is_visible()
    check_with_axe(moderator, axe_source, f"@tenants' thread, its moderator, {width} px")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    moderator.screenshot(path=str(SCREENSHOTS / f"organisation-moderator-{width}.png"))

    moderator.goto(site.url(site.paths["proposal"]))  # the node's own organisation's thread
    assert moderator.get_by_role("heading", name="Open the advice centre on Saturdays").is_visible()
    for button in ("Hide", "Unhide", "Remove"):
        assert moderator.get_by_role("button", name=button).count() == 0
    check_with_axe(moderator, axe_source, f"another organisation's thread, {width} px")

    visitor = new_page(browser, width, scripts=False)
    visitor.goto(site.url(tenants_thread))
    assert visitor.get_by_text("This comment was hidden by a moderator.").is_visible()
    assert visitor.get_by_text(COMMENT).count() == 0
    for page in (moderator, visitor):
        page.context.close()
