"""A proposal of another node on a member's own node (/remote/objects/{id}), signed in on B:
axe-core finds no violation at 1280 px and 375 px, nothing is wider than the phone, and the
forms under it (reply, amendment, report) too; a screenshot of each for reviewers. Then the
member answers A's question and reports A's comment to both nodes from those pages, and the
pages that follow pass too."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest

from tests.browser.conftest import SCREENSHOTS, Site, add_member, sign_in
from tests.browser.test_accessibility import check_with_axe
from tests.flows.test_taking_part_from_your_own_node import PROPOSAL, QUESTION
from tests.support.nodes import (
    count_rows,
    eventually,
    follow_organisation,
    object_id,
    post_outbox,
    running_node,
)

pytestmark = pytest.mark.browser
WIDTHS = (1280, 375)


async def _seed(a: Any, b: Any, site: Site) -> None:
    """A's proposal with a comment and a question, held on B (whose member follows A's
    organisation), and a comment of B's member in its thread."""
    alice, bob = a.add_member("alice"), b.add_member("bob")
    await follow_organisation(b, "bob", bob, a)
    status, created = await post_outbox(a, "alice", alice, PROPOSAL)
    assert status == 201, created
    proposal = created["object"]["id"]
    note = {"type": "Note", "content": "<p>What hours suit you?</p>", "inReplyTo": proposal}
    status, said = await post_outbox(a, "alice", alice, note)
    assert status == 201, said
    status, asked = await post_outbox(a, "alice", alice, QUESTION | {"inReplyTo": proposal})
    assert status == 201, asked
    for uri in (proposal, said["object"]["id"], asked["object"]["id"]):
        await eventually(
            lambda u=uri: count_rows(b, "object", f"uri = '{u}'"),
            lambda n: n == 1,
            what=f"B holds {uri}",
            timeout=30,
        )
    reply = {"type": "Note", "content": "<p>Sunday mornings.</p>", "inReplyTo": proposal}
    assert (await post_outbox(b, "bob", bob, reply))[0] == 201
    page = f"/remote/objects/{await object_id(b, proposal)}"
    site.paths.update(
        {"remote": page, "reply": f"{page}/reply?to={said['object']['id']}",
         "amend": f"{page}/amend", "report": f"{page}/report?uri={said['object']['id']}"}
    )  # fmt: skip


@pytest.fixture(scope="module")
def remote_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    """Nodes A and B running; the Site is B, with pat (a practitioner) to sign in."""
    folder: Path = tmp_path_factory.mktemp("remote")
    with running_node(folder / "a", "orga") as a, running_node(folder / "b", "orgb") as b:
        add_member(b, "pat", name="Pat")
        site = Site(b)
        with ThreadPoolExecutor(1) as thread:  # Playwright's sync API owns this thread's loop
            thread.submit(asyncio.run, _seed(a, b, site)).result()
        yield site


@pytest.mark.parametrize("width", WIDTHS)
def test_the_remote_proposal_page_signed_in_on_b_is_accessible_and_fits(
    browser: Any, remote_site: Site, axe_source: str, width: int
) -> None:
    context = browser.new_context(viewport={"width": width, "height": 900})
    page = context.new_page()
    try:
        sign_in(page, remote_site, "pat")
        for name in ("remote", "reply", "amend", "report"):
            response = page.goto(remote_site.url(remote_site.paths[name]))
            assert response is not None and response.status == 200, name
            if name == "remote":
                assert page.get_by_role("heading", name="Open the library on Sundays").count()
                assert page.get_by_role("link", name="See the original").count() == 1
                assert page.get_by_text("What hours suit you?").count() == 1
                answer = page.get_by_role("group", name="Your answer")
                assert answer.get_by_role("radio", name="Weekends").count() == 1
            if name == "report":
                assert page.get_by_role("checkbox", name="Also send this report to").count() == 1
            check_with_axe(page, axe_source, f"remote {name} at {width}")
            scroll_width = page.evaluate("document.documentElement.scrollWidth")
            assert scroll_width <= width, f"{name} is {scroll_width}px wide at {width}px"
            SCREENSHOTS.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(SCREENSHOTS / f"remote-{name}-{width}.png"), full_page=True)
    finally:
        context.close()


def test_pat_answers_the_question_and_reports_to_both_nodes_from_b_pages(
    browser: Any, remote_site: Site, axe_source: str
) -> None:
    context = browser.new_context(viewport={"width": 375, "height": 900})
    page = context.new_page()
    try:
        sign_in(page, remote_site, "pat")
        page.goto(remote_site.url(remote_site.paths["remote"]))
        # When pat answers A's question on B's page
        page.get_by_role("group", name="Your answer").get_by_label("Weekends").check()
        page.get_by_role("button", name="Answer", exact=True).click()
        # Then B's page says so at once, and offers no second answer
        assert page.get_by_text("Your answer: Weekends").count() == 1
        assert page.get_by_role("status").filter(has_text="your answer is sent to").count() == 1
        assert page.get_by_role("group", name="Your answer").count() == 0
        check_with_axe(page, axe_source, "remote page answered at 375")
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SCREENSHOTS / "remote-answered-375.png"), full_page=True)
        # When pat reports alice's comment, ticking the box that sends it to A too
        page.goto(remote_site.url(remote_site.paths["report"]))
        page.get_by_label("What is wrong?").fill("Not about the library")
        page.get_by_role("checkbox", name="Also send this report to").check()
        page.get_by_role("button", name="Send report").click()
        # Then pat is back on B's page, told that both nodes' moderators have it
        assert page.get_by_text("and so will those of").count() == 1
        check_with_axe(page, axe_source, "remote page after a report at 375")
    finally:
        context.close()
