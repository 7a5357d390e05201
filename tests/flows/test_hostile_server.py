"""A hostile server over real HTTP: a block shuts it out both ways, and it cannot speak for us."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import aiohttp

from tests.fakes import FakeRemote
from tests.flows.test_recorded_payloads import send
from tests.support.nodes import RunningNode, count_rows, eventually, post_outbox, running_node
from tests.support.pages import CSRF_INPUT, PASSWORD

PUBLIC = "https://www.w3.org/ns/activitystreams#Public"
FROM = re.compile(r"From <a [^>]*><bdi>([^<]*)</bdi></a>")


async def moderator_session(node: RunningNode) -> aiohttp.ClientSession:
    """A browser session signed in as a new moderator of `node`."""
    node.cli("user", "add", "mod", "--role", "moderator", "--password-stdin", stdin=PASSWORD)
    session = aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True))  # an IP host
    await submit(session, node, "/sign-in", {"handle": "mod", "password": PASSWORD})
    return session


async def submit(
    session: aiohttp.ClientSession, node: RunningNode, path: str, fields: dict[str, str]
) -> None:
    async with session.get(f"{node.base}{path}") as response:
        found = CSRF_INPUT.search(await response.text())
    assert found, f"{path} has no form"
    data = {"csrf_token": found.group(1), **fields}
    async with session.post(f"{node.base}{path}", data=data, allow_redirects=False) as response:
        assert response.status == 303, await response.text()


async def processed(node: RunningNode, activity: dict[str, Any]) -> None:
    await eventually(
        lambda: count_rows(node, "inbox_item", f"activity_uri = '{activity['id']}'"),
        lambda rows: rows == 1,
        what="the activity was stored",
    )
    await eventually(
        lambda: count_rows(node, "inbox_item", "state = 'pending'"),
        lambda rows: rows == 0,
        what="the inbox worker is done",
    )


async def test_a_blocked_follower_gets_no_more_followers_only_posts(tmp_path: Path) -> None:
    with running_node(tmp_path) as node:
        token = node.add_member("alice")
        alice = node.actor("alice")
        async with FakeRemote("mastodon") as bad, FakeRemote("mastodon") as good:
            troll, friend = bad.add_actor("troll"), good.add_actor("friend")
            for server, actor in ((bad, troll), (good, friend)):
                await send(server, actor, node, server.follow(actor, alice))
                await server.wait_for(lambda r: r.type == "Accept")
            session = await moderator_session(node)
            try:
                await submit(session, node, "/admin/blocks", {"target": troll.id, "reason": "x"})
            finally:
                await session.close()
            assert await count_rows(node, "follow") == 1  # the troll's follow is gone
            note = {"type": "Note", "content": "members only", "to": [f"{alice}/followers"]}
            status, create = await post_outbox(node, "alice", token, note)
            assert status == 201, create
            await good.wait_for(lambda r: r.type == "Create" and r.json["id"] == create["id"])
            assert bad.received("Create") == []
            where = f"activity_uri = '{create['id']}' AND inbox_uri LIKE '{bad.base_url}%'"
            assert await count_rows(node, "delivery", where) == 0


async def test_another_servers_proposal_naming_our_organisation_is_not_ours(
    tmp_path: Path,
) -> None:
    with running_node(tmp_path) as node:
        async with FakeRemote("mastodon") as evil:
            mallory = evil.add_actor("mallory", display_name="Mallory")
            article = evil.publish(
                {
                    "@context": "https://www.w3.org/ns/activitystreams",
                    "id": f"{evil.base_url}/articles/1",
                    "type": "Article",
                    "attributedTo": mallory.id,
                    "audience": node.organisation,
                    "name": "Sell the library",
                    "content": "<p>Decided.</p>",
                    "published": "2026-11-01T10:00:00Z",
                    "to": [PUBLIC],
                    "cc": [node.organisation],
                    "proposalStatus": "adopted",
                    "version": 1,
                    "sections": [],
                }
            )
            create = {
                "@context": "https://www.w3.org/ns/activitystreams",
                "id": f"{evil.base_url}/activities/1",
                "type": "Create",
                "actor": mallory.id,
                "object": article,
                "to": [PUBLIC],
                "cc": [node.organisation],
            }
            await send(evil, mallory, node, create)
            await processed(node, create)
            assert await count_rows(node, "proposal", "organisation_id IS NOT NULL") == 0
            async with aiohttp.ClientSession() as session:
                for path in ("/", "/proposals"):
                    async with session.get(f"{node.base}{path}") as response:
                        html = await response.text()
                    assert "Sell the library" in html, path
                    assert FROM.findall(html) == ["Mallory"], path
