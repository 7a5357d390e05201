"""Server policy over real HTTP: A limits C's server (C's comment stays, shown only to its
author's followers and moderators), then federates with B alone (allow-list: C's new comment
is refused); and two nodes that both ask for signed fetches still federate."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import aiohttp

from tests.flows.test_servers_following_only_the_organisation import comment_on, proposal_reaches
from tests.flows.test_thread_across_nodes import holds
from tests.support.member_sessions import MemberSession
from tests.support.nodes import (
    ThreeNodes,
    collection_items,
    count_rows,
    eventually,
    follow_organisation,
    get_json,
    post_outbox,
    running_node,
)
from tests.support.pages import PASSWORD

TIMEOUT = 30
AS2 = "application/activity+json"


@asynccontextmanager
async def nodes_on_three_hosts(folder: Path) -> AsyncIterator[ThreeNodes]:
    """A, B and C each on a loopback address of its own (a server policy names hosts)."""
    with (
        running_node(folder / "a", "orga", "127.0.0.1") as a,
        running_node(folder / "b", "orgb", "127.0.0.2") as b,
        running_node(folder / "c", "orgc", "127.0.0.3") as c,
    ):
        alice, bob, carol = a.add_member("alice"), b.add_member("bob"), c.add_member("carol")
        await follow_organisation(b, "bob", bob, a)
        await follow_organisation(c, "carol", carol, a)
        yield ThreeNodes(a, b, c, alice, bob, carol)


async def visitor_page(url: str) -> str:
    async with aiohttp.ClientSession() as visitor, visitor.get(url) as answer:
        assert answer.status == 200
        return await answer.text()


async def test_a_limited_server_is_read_only_by_moderators_then_the_allow_list_refuses_it(
    tmp_path: Path,
) -> None:
    async with nodes_on_three_hosts(tmp_path) as (a, b, c, alice, bob, carol):
        # Given A's proposal with a comment from B and one from C
        proposal = await proposal_reaches(a, alice, [b, c])
        from_b = await comment_on(b, "bob", bob, proposal, "Saturdays suit us")
        from_c = await comment_on(c, "carol", carol, proposal, "Buy my pills")
        for uri in (from_b, from_c):
            await eventually(lambda u=uri: holds(a, u), lambda n: n == 1, what=f"A holds {uri}",
                             timeout=TIMEOUT)  # fmt: skip
        a.cli("user", "add", "ada", "--role", "admin", "--password-stdin", stdin=PASSWORD)
        ada = MemberSession(a)
        try:
            await ada.post("/sign-in", "/sign-in", {"handle": "ada", "password": PASSWORD})
            # When A's admin limits C's server
            await ada.post("/admin/blocks", "/admin/blocks",
                           {"target": c.host, "severity": "limit", "reason": "spam"})  # fmt: skip
            # Then C's comment is kept, and only the moderators read it on the page
            assert await holds(a, from_c) == 1
            page = proposal.removeprefix(a.base)
            assert "Buy my pills" in await ada.get(page)
            shown = await visitor_page(proposal)
            assert "Buy my pills" not in shown and "Saturdays suit us" in shown
            assert "only those who follow its author see it" in shown
            # and other servers reading the thread's context are not led to it
            _, document = await get_json(proposal)
            items = await collection_items(document["context"])
            assert from_b in items and from_c not in items

            # When A federates with B alone
            await ada.post("/admin/federation", "/admin/federation/allowed",
                           {"host": b.host, "note": "partner"})  # fmt: skip
            await ada.post("/admin/federation", "/admin/federation",
                           {"federation_mode": "allow_list"})  # fmt: skip
        finally:
            await ada.close()
        # Then C's new comment is refused at A's inbox, and B's arrives
        later_c = await comment_on(c, "carol", carol, proposal, "Let me in")
        later_b = await comment_on(b, "bob", bob, proposal, "Sundays too")
        await eventually(lambda: holds(a, later_b), lambda n: n == 1, what="A holds B's reply",
                         timeout=TIMEOUT)  # fmt: skip
        answered = (
            f"inbox_uri LIKE '{a.base}/%' AND state <> 'queued' AND activity_uri IN "
            f"(SELECT uri FROM activity WHERE object_uri = '{later_c}')"
        )
        await eventually(lambda: count_rows(c, "delivery", answered), lambda n: n >= 1,
                         what="C's delivery to A was answered", timeout=TIMEOUT)  # fmt: skip
        assert await holds(a, later_c) == 0
        # and nothing new of A's goes to C any more
        assert await count_rows(a, "delivery", f"host LIKE '{c.host}%' AND state = 'queued'") == 0


async def test_two_nodes_that_ask_for_signed_fetches_still_federate(tmp_path: Path) -> None:
    with (
        running_node(tmp_path / "a", "orga", "127.0.0.1") as a,
        running_node(tmp_path / "b", "orgb", "127.0.0.2") as b,
    ):
        for node in (a, b):  # both in authorised-fetch mode before they meet
            node.cli("user", "add", "ada", "--role", "admin", "--password-stdin", stdin=PASSWORD)
            ada = MemberSession(node)
            try:
                await ada.post("/sign-in", "/sign-in", {"handle": "ada", "password": PASSWORD})
                await ada.post("/admin/federation", "/admin/federation",
                               {"authorized_fetch": "on"})  # fmt: skip
            finally:
                await ada.close()
        alice, bob = a.add_member("alice"), b.add_member("bob")
        # B's member follows A's organisation (each checks the other's signatures, fetching
        # the signer's actor signed in turn), A's proposal reaches B, B's reply reaches A
        status, answer = await post_outbox(
            b, "bob", bob, {"type": "Follow", "object": f"@{a.handle}@{a.host}"}
        )
        assert status == 201, answer
        await eventually(lambda: count_rows(b, "follow", "state = 'accepted'"), lambda n: n == 1,
                         what="A accepted bob's follow", timeout=TIMEOUT)  # fmt: skip
        proposal = await proposal_reaches(a, alice, [b])
        reply = await comment_on(b, "bob", bob, proposal, "Count us in")
        await eventually(lambda: holds(a, reply), lambda n: n == 1, what="A holds B's reply",
                         timeout=TIMEOUT)  # fmt: skip
        # while an unsigned reader gets 401 for what is ActivityStreams, and the page for HTML
        status, _ = await get_json(proposal)
        assert status == 401
        assert "Count us in" in await visitor_page(proposal)
        status, organisation = await get_json(a.organisation)
        assert status == 200 and organisation["type"] == "Group"
