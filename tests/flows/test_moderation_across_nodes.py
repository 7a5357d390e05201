"""Moderation that holds across nodes: when the thread's home removes another server's
comment, its Group tells its followers and the other Townhall nodes drop the comment too;
a Delete from a Group that is not the thread's home changes nothing; and blocking a server
takes its endorsements out of the counts."""

from __future__ import annotations

import re
from pathlib import Path

import aiohttp

from tests.fakes import FakeRemote
from tests.flows.test_servers_following_only_the_organisation import (
    comment_on,
    gone_at,
    proposal_reaches,
)
from tests.flows.test_thread_across_nodes import holds
from tests.support.member_sessions import MemberSession
from tests.support.nodes import (
    collection_items,
    count_rows,
    eventually,
    get_json,
    object_id,
    post_outbox,
    three_nodes,
)
from tests.support.pages import PASSWORD

TIMEOUT = 30
PUBLIC = "https://www.w3.org/ns/activitystreams#Public"
ABUSE = "You are all idiots"


async def test_a_comment_removed_by_the_threads_home_is_gone_on_the_other_nodes(
    tmp_path: Path,
) -> None:
    async with three_nodes(tmp_path) as (a, b, c, alice, bob, carol):
        # Given A's proposal, and an abusive reply from C that B saw through A's organisation
        proposal = await proposal_reaches(a, alice, [b, c])
        abuse = await comment_on(c, "carol", carol, proposal, ABUSE)
        kind = await comment_on(b, "bob", bob, proposal, "Sundays would help my family")
        for node, uri in ((b, abuse), (a, abuse), (a, kind)):
            await eventually(
                lambda n=node, u=uri: holds(n, u), lambda n: n == 1,
                what=f"{node.host} holds {uri}", timeout=TIMEOUT,
            )  # fmt: skip
        # When A's moderator removes it from the thread's page
        a.cli("user", "add", "mo", "--role", "moderator", "--password-stdin", stdin=PASSWORD)
        mo = MemberSession(a)
        try:
            await mo.post("/sign-in", "/sign-in", {"handle": "mo", "password": PASSWORD})
            page = proposal.removeprefix(a.base)
            thread = await mo.get(page)
            row = await object_id(a, abuse)
            assert f'action="/remote/objects/{row}/remove"' in thread
            back = await mo.post(page, f"/remote/objects/{row}/remove", {})
            assert back.endswith(f"#c{row}")
            # Then it is gone on A: from the page, and from the thread's context (which no
            # longer leads a backfilling node to it)
            assert ABUSE not in await mo.get(page)
        finally:
            await mo.close()
        await gone_at(a, abuse)
        _, document = await get_json(proposal)
        items = await collection_items(document["context"])
        assert kind in items and abuse not in items
        # And on B, which had it from A's organisation, while B's own comment stays
        await gone_at(b, abuse)
        assert await holds(b, kind) == 1
        assert (
            await count_rows(a, "moderation_action", f"action = 'remove' AND target = '{abuse}'")
            == 1
        )


async def test_a_delete_from_a_group_that_is_not_the_threads_home_is_ignored(
    tmp_path: Path,
) -> None:
    async with three_nodes(tmp_path) as (a, b, c, alice, bob, _carol):
        # Given A's proposal and B's comment on it, held on C through A's organisation
        proposal = await proposal_reaches(a, alice, [b, c])
        comment = await comment_on(b, "bob", bob, proposal, "Sundays would help my family")
        await eventually(
            lambda: holds(c, comment), lambda n: n == 1, what="C holds B's comment",
            timeout=TIMEOUT,
        )  # fmt: skip
        # When a Group elsewhere, not the thread's home, tells C the comment is removed
        async with FakeRemote(software="lemmy") as remote:
            group = remote.add_actor("meddlers", shape="lemmy_group")
            removal = {
                "id": f"{remote.base_url}/activities/delete/1",
                "type": "Delete",
                "actor": group.id,
                "object": comment,
                "to": [PUBLIC],
            }
            assert (await remote.deliver(group, f"{c.base}/inbox", removal))[0] == 202
            await eventually(
                lambda: count_rows(
                    c, "inbox_item", f"activity_uri = '{removal['id']}' AND state = 'done'"
                ),
                lambda n: n == 1, what="C applied the Delete", timeout=TIMEOUT,
            )  # fmt: skip
        # Then C keeps the comment
        assert await holds(c, comment) == 1


async def test_a_blocked_server_counts_for_nothing_and_its_posts_leave_the_thread(
    tmp_path: Path,
) -> None:
    async with three_nodes(tmp_path, c_address="127.0.0.3") as (a, b, c, alice, bob, carol):
        # Given A's proposal, endorsed and commented on from B and from C (a server of its own)
        proposal = await proposal_reaches(a, alice, [b, c])
        for node, handle, token in ((b, "bob", bob), (c, "carol", carol)):
            status, _ = await post_outbox(node, handle, token, {"type": "Like", "object": proposal})
            assert status == 201
        from_c = await comment_on(c, "carol", carol, proposal, "Spam spam spam")
        await eventually(
            lambda: count_rows(a, "reaction", f"kind = 'Like' AND object_uri = '{proposal}'"),
            lambda n: n == 2, what="A counts both endorsements", timeout=TIMEOUT,
        )  # fmt: skip
        await eventually(lambda: holds(a, from_c), lambda n: n == 1, what="A holds C's comment")
        # When A's moderator blocks C's server from the admin pages
        a.cli("user", "add", "mo", "--role", "moderator", "--password-stdin", stdin=PASSWORD)
        mo = MemberSession(a)
        try:
            await mo.post("/sign-in", "/sign-in", {"handle": "mo", "password": PASSWORD})
            await mo.post("/admin/blocks", "/admin/blocks", {"target": c.host, "reason": "spam"})
            # Then C's endorsement is gone from the count, B's stays
            assert await count_rows(a, "reaction", f"object_uri = '{proposal}'") == 1
            # and C's comment has left the thread: not on the page, not in the context
            async with aiohttp.ClientSession() as visitor, visitor.get(proposal) as answer:
                assert "Spam spam spam" not in await answer.text()
            _, document = await get_json(proposal)
            assert from_c not in await collection_items(document["context"])
        finally:
            await mo.close()
        # And what C sends now is refused
        later = await comment_on(c, "carol", carol, proposal, "Let me back in")
        sent_to_a = (
            f"inbox_uri LIKE '{a.base}/%' AND state <> 'queued' AND activity_uri IN "
            f"(SELECT uri FROM activity WHERE object_uri = '{later}')"
        )
        await eventually(
            lambda: count_rows(c, "delivery", sent_to_a),
            lambda n: n >= 1, what="C's delivery to A was answered", timeout=TIMEOUT,
        )  # fmt: skip
        assert await count_rows(a, "object", f"uri = '{later}'") == 0


async def test_a_first_reply_from_another_server_is_held_until_a_moderator_approves_it(
    tmp_path: Path,
) -> None:
    async with three_nodes(tmp_path) as (a, b, c, alice, bob, _carol):
        # Given A's rule: a first reply from another server waits for a moderator
        a.cli("user", "add", "ada", "--role", "admin", "--password-stdin", stdin=PASSWORD)
        ada = MemberSession(a)
        try:
            await ada.post("/sign-in", "/sign-in", {"handle": "ada", "password": PASSWORD})
            settings = await ada.get("/admin/settings")
            fields = {
                name: re.search(rf'name="{name}"[^>]*value="([^"]*)"', settings)[1]  # type: ignore[index]
                for name in ("name", "poll_votes_per_server")
            }
            await ada.post(
                "/admin/settings", "/admin/settings",
                {**fields, "signup_mode": "invite", "language": "en",
                 "reply_policy": "first_time_held", "summary": ""},
            )  # fmt: skip
            proposal = await proposal_reaches(a, alice, [b, c])
            # When bob on B replies for the first time
            first = await comment_on(b, "bob", bob, proposal, "First time here")
            await eventually(
                lambda: count_rows(a, "object", f"uri = '{first}' AND held_at IS NOT NULL"),
                lambda n: n == 1, what="A holds bob's first reply", timeout=TIMEOUT,
            )  # fmt: skip
            # Then it is not shown, not in the context, not passed on
            async with aiohttp.ClientSession() as visitor, visitor.get(proposal) as answer:
                assert "First time here" not in await answer.text()
            _, document = await get_json(proposal)
            assert first not in await collection_items(document["context"])
            assert (
                await count_rows(a, "activity", f"type = 'Announce' AND object_uri = '{first}'")
                == 0
            )
            # And when the admin (a moderator) approves it from the held list
            held = await ada.get("/admin/held")
            row = await object_id(a, first)
            assert "First time here" in held and f"/remote/objects/{row}/approve" in held
            await ada.post("/admin/held", f"/remote/objects/{row}/approve", {})
        finally:
            await ada.close()
        # Then A shows it and its organisation passes it on to C
        async with aiohttp.ClientSession() as visitor, visitor.get(proposal) as answer:
            assert "First time here" in await answer.text()
        await eventually(
            lambda: holds(c, first), lambda n: n == 1, what="C holds the approved reply",
            timeout=TIMEOUT,
        )  # fmt: skip
        # And bob's next reply goes straight through
        second = await comment_on(b, "bob", bob, proposal, "Back again")
        await eventually(
            lambda: count_rows(a, "object", f"uri = '{second}' AND held_at IS NULL"),
            lambda n: n == 1, what="A shows bob's second reply", timeout=TIMEOUT,
        )  # fmt: skip
