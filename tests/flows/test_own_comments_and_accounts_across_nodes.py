"""A member looks after what they wrote, and another node follows: A's member edits a comment
from A's pages and B shows the new text with the "edited" mark and the earlier one in its
history, then deletes it and B removes it; two of A's members delete their accounts, one keeping
their comments (B shows them as by a former member) and one removing them (B removes them), and
B removes both actors."""

from __future__ import annotations

import html
from pathlib import Path

import aiohttp

from tests.support.member_sessions import MemberSession
from tests.support.nodes import (
    RunningNode,
    count_rows,
    eventually,
    fetch_value,
    follow_organisation,
    post_outbox,
    running_node,
)
from tests.support.pages import PASSWORD

TIMEOUT = 30
PROPOSAL = {
    "type": "Article",
    "name": "Open the library on Sundays",
    "summary": "Families who work weekdays cannot use the library.",
    "sections": {"problem": "The library is closed when working families are free."},
}


def with_password(node: RunningNode, handle: str) -> None:
    node.cli("user", "add", handle, "--password-stdin", stdin=PASSWORD)


async def signed_in(node: RunningNode, handle: str) -> MemberSession:
    browser = MemberSession(node)
    await browser.post("/sign-in", "/sign-in", {"handle": handle, "password": PASSWORD})
    return browser


async def page_on_b(b: RunningNode, proposal: str) -> str:
    """B's page for A's proposal, as a visitor reads it."""
    row = await fetch_value(b, f"SELECT id FROM object WHERE uri = '{proposal}'")
    async with (
        aiohttp.ClientSession() as session,
        session.get(f"{b.base}/remote/objects/{row}") as response,
    ):
        assert response.status == 200, response.status
        return html.unescape(await response.text())


async def held_on_b(b: RunningNode, where: str, what: str, count: int = 1) -> None:
    await eventually(
        lambda: count_rows(b, "object", where),
        lambda n: n == count,
        what=what,
        timeout=TIMEOUT,
    )


async def a_proposal_b_holds(a: RunningNode, b: RunningNode) -> str:
    """B's bob follows A's organisation; A's alice publishes a proposal; B holds it."""
    bob = b.add_member("bob")
    await follow_organisation(b, "bob", bob, a)
    alice = a.add_member("alice")
    status, created = await post_outbox(a, "alice", alice, PROPOSAL)
    assert status == 201, created
    proposal = str(created["object"]["id"])
    await held_on_b(b, f"uri = '{proposal}'", "B holds the proposal")
    return proposal


async def comment(browser: MemberSession, proposal: str, text: str) -> str:
    """`browser`'s member comments on `proposal` from its page; the comment's URI."""
    where = "/objects/" + proposal.rsplit("/", 1)[1]
    await browser.post(where, f"{where}/comments", {"content": text})
    uri = await fetch_value(
        browser.node, f"SELECT uri FROM object WHERE content LIKE '%{text}%' AND is_local"
    )
    return str(uri)


async def test_an_edited_and_then_deleted_comment_is_edited_and_then_removed_on_the_other_node(
    tmp_path: Path,
) -> None:
    with running_node(tmp_path / "a", "orga") as a, running_node(tmp_path / "b", "orgb") as b:
        # Given dora's comment on A's proposal, which B holds
        proposal = await a_proposal_b_holds(a, b)
        with_password(a, "dora")
        dora = await signed_in(a, "dora")
        try:
            note = await comment(dora, proposal, "Sunday mornings suit us.")
            await held_on_b(b, f"uri = '{note}' AND content LIKE '%mornings%'", "B holds it")
            key = note.rsplit("/", 1)[1]
            # When dora edits it from A's pages
            await dora.post(
                f"/objects/{key}/edit-comment",
                f"/objects/{key}/edit-comment",
                {"content": "Sunday afternoons suit us better."},
            )
            # Then B shows the new text, the "edited" mark, and the old text in its history
            await held_on_b(b, f"uri = '{note}' AND content LIKE '%afternoons%'", "B has the edit")
            assert await count_rows(b, "object_revision", "content LIKE '%mornings%'") == 1
            shown = await page_on_b(b, proposal)
            row = await fetch_value(b, f"SELECT id FROM object WHERE uri = '{note}'")
            assert "Sunday afternoons suit us better." in shown
            assert f'href="/remote/objects/{row}/revisions">edited' in shown
            assert "Sunday mornings" not in shown
            async with (
                aiohttp.ClientSession() as session,
                session.get(f"{b.base}/remote/objects/{row}/revisions") as response,
            ):
                history = await response.text()
                assert response.status == 200 and "Sunday mornings suit us." in history
            # When dora deletes it from A's pages
            await dora.post(f"/objects/{key}/delete", f"/objects/{key}/delete", {})
            # Then B removes it (its history too) and shows the thread without it
            await held_on_b(
                b, f"uri = '{note}' AND deleted_at IS NOT NULL AND content = ''", "B removed it"
            )
            assert await count_rows(b, "object_revision") == 0
            shown = await page_on_b(b, proposal)
            assert "Sunday afternoons" not in shown and "Open the library on Sundays" in shown
        finally:
            await dora.close()


async def test_deleted_accounts_leave_the_other_node_with_or_without_their_comments(
    tmp_path: Path,
) -> None:
    with running_node(tmp_path / "a", "orga") as a, running_node(tmp_path / "b", "orgb") as b:
        # Given comments by kim and by lee on A's proposal, which B holds
        proposal = await a_proposal_b_holds(a, b)
        with_password(a, "kim")
        with_password(a, "lee")
        kim, lee = await signed_in(a, "kim"), await signed_in(a, "lee")
        try:
            kims = await comment(kim, proposal, "Kim would come every week.")
            lees = await comment(lee, proposal, "Lee would bring the children.")
            for note in (kims, lees):
                await held_on_b(b, f"uri = '{note}'", f"B holds {note}")
            assert await count_rows(b, "actor", f"uri = '{a.actor('kim')}'") == 1
            # When kim deletes the account keeping the comments, and lee removing them
            fields = {"password": PASSWORD, "comments": "keep"}
            await kim.post("/settings/account/delete", "/settings/account/delete", fields)
            fields = {"password": PASSWORD, "comments": "remove"}
            await lee.post("/settings/account/delete", "/settings/account/delete", fields)
            # Then B removes both actors
            for handle in ("kim", "lee"):
                await eventually(
                    lambda h=handle: count_rows(
                        b, "actor", f"uri = '{a.actor(h)}' AND deleted_at IS NOT NULL"
                    ),
                    lambda n: n == 1,
                    what=f"B removed {handle}",
                    timeout=TIMEOUT,
                )
            # and lee's comment with lee, while kim's stays, as by a former member
            await held_on_b(b, f"uri = '{lees}' AND deleted_at IS NOT NULL", "lee's removed")
            assert await count_rows(b, "object", f"uri = '{kims}' AND deleted_at IS NULL") == 1
            shown = await page_on_b(b, proposal)
            assert "Kim would come every week." in shown and "a former member" in shown
            assert "Lee would bring the children." not in shown
            # and A answers for both actors with a Tombstone
            async with aiohttp.ClientSession() as session:
                for handle in ("kim", "lee"):
                    async with session.get(
                        a.actor(handle), headers={"Accept": "application/activity+json"}
                    ) as response:
                        gone = await response.json(content_type=None)
                        assert response.status == 410 and gone["type"] == "Tombstone"
        finally:
            await kim.close()
            await lee.close()
