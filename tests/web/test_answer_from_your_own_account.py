"""A visitor answers a proposal or comment from their own account: the node finds their server's
interaction template through WebFinger (over real HTTP, to a Mastodon-shaped server on loopback)
and sends them there; and this node serves the same template for its own members."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, quote, urlsplit

import aiohttp
import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient

from node.models import Object
from node.services import interaction
from tests.fakes import FakeRemote
from tests.support.api import BASE, post, token_for
from tests.support.nodes import running_node
from tests.support.pages import member, page, sign_in_as, submit
from tests.web.test_pages_visitor import propose
from web.handlers.interaction import VISITOR_LOOKUPS


def path_of(uri: str) -> str:
    return uri.removeprefix(BASE)


def sent_to(response: Any) -> tuple[str, str]:
    """Where a redirect sends the visitor: the page (without its query), and the `uri` it opens."""
    location = urlsplit(response.headers["Location"])
    page_url = f"{location.scheme}://{location.netloc}{location.path}"
    return page_url, parse_qs(location.query)["uri"][0]


async def go_to_my_server(
    client: TestClient, object_uri: str, handle: str, remember: bool = False
) -> Any:
    fields = {"handle": handle, **({"remember": "1"} if remember else {})}
    # the form carries no CSRF token: it acts on no session (see web/csrf.py)
    return await client.post(
        f"{path_of(object_uri)}/from-your-account", data=fields, allow_redirects=False
    )


@asynccontextmanager
async def loopback_server(handler: Any) -> AsyncIterator[str]:
    """A one-route server on 127.0.0.1 answering every request with `handler`; its host:port."""
    app = web.Application()
    app.router.add_route("*", "/{tail:.*}", handler)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = runner.addresses[0][1]
    try:
        yield f"127.0.0.1:{port}"
    finally:
        await runner.cleanup()


async def test_a_visitor_with_a_mastodon_account_is_sent_there_to_answer_a_proposal(
    client: TestClient,
) -> None:
    # Given a public proposal, and a visitor whose account is on a Mastodon-shaped server
    proposal = await propose(client, await token_for("alice"))
    async with FakeRemote(software="mastodon") as remote:
        remote.add_actor("bea")
        handle = f"@bea@{remote.host}"
        html = await page(client, path_of(proposal["id"]))
        assert "Reply, endorse or answer from your own account" in html
        # When they give their handle and ask to be remembered
        response = await go_to_my_server(client, proposal["id"], handle, remember=True)
        # Then they are sent to their server's interaction page with the proposal's address
        assert response.status == 303, await response.text()
        expected = (f"{remote.base_url}/authorize_interaction", proposal["id"])
        assert sent_to(response) == expected
        assert f"acct:bea@{remote.host}" in remote.requests[-1].url
        # And the next time, the form offers their handle
        html = await page(client, path_of(proposal["id"]))
        assert f'value="{handle}"' in html


async def test_a_visitor_answers_a_comment_from_a_second_townhall_node(
    client: TestClient, tmp_path: Path
) -> None:
    # Given a comment here, and a visitor who is a member of another Townhall node (a process)
    token = await token_for("alice")
    proposal = await propose(client, token)
    comment = await post(
        client, "alice", token, {"type": "Note", "content": "Yes", "inReplyTo": proposal["id"]}
    )
    with running_node(tmp_path / "b", "beta") as other:
        other.add_member("sam")
        # When they give their handle on the comment's page
        response = await go_to_my_server(client, comment["object"]["id"], f"@sam@{other.host}")
        # Then they are sent to their node's /authorize_interaction with the comment's id
        assert response.status == 303, await response.text()
        expected = (f"{other.base}/authorize_interaction", comment["object"]["id"])
        assert sent_to(response) == expected
        # which asks them to sign in there first, and come back
        async with (
            aiohttp.ClientSession() as session,
            session.get(response.headers["Location"], allow_redirects=False) as there,
        ):
            assert there.status == 303
            assert there.headers["Location"].startswith("/sign-in?next=/authorize_interaction")


async def refused(client: TestClient, object_uri: str, handle: str, words: str) -> None:
    before = await Object.all().count()
    response = await go_to_my_server(client, object_uri, handle)
    text = await response.text()
    assert response.status == 400, text[:1000]
    assert words in text, text[:3000]
    assert await Object.all().count() == before  # nothing stored


async def test_a_visitor_is_told_plainly_why_their_server_cannot_be_used(
    client: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    proposal = await propose(client, await token_for("alice"))
    uri = proposal["id"]
    # Not a handle at all
    await refused(client, uri, "just words", "Type your address as @name@server")
    # An address on a private network: the SSRF guard, which allows only loopback here
    await refused(client, uri, "@bea@10.255.255.1", "is on a private network")
    async with FakeRemote(software="mastodon") as remote:
        # An unknown handle
        await refused(client, uri, f"@nobody@{remote.host}", "has no account")

    # A template with no place for the post's address
    async def no_placeholder(request: web.Request) -> web.Response:
        links = [{"rel": "http://ostatus.org/schema/1.0/subscribe", "template": "http://x/a"}]
        return web.json_response({"subject": "acct:bea@x", "links": links})

    async with loopback_server(no_placeholder) as host:
        await refused(client, uri, f"@bea@{host}", "no place for the post (no {uri} in it)")

    # A server that stalls: the bound (10 s in production) is shortened for the test
    async def stall(request: web.Request) -> web.Response:
        await asyncio.sleep(30)
        return web.json_response({})

    monkeypatch.setattr(interaction, "INTERACTION_SECONDS", 1.0)
    async with loopback_server(stall) as host:
        started = time.monotonic()
        await refused(client, uri, f"@bea@{host}", "did not answer within")
        assert time.monotonic() - started < 8

    # A server that is down (nothing listens)
    async with loopback_server(stall) as host:
        pass
    await refused(client, uri, f"@bea@{host}", "could not be reached")


async def test_our_webfinger_offers_our_interaction_template(client: TestClient) -> None:
    await member("sam")
    response = await client.get("/.well-known/webfinger?resource=acct:sam@127.0.0.1:8000")
    links = (await response.json(content_type=None))["links"]
    template = next(
        link["template"]
        for link in links
        if link["rel"] == "http://ostatus.org/schema/1.0/subscribe"
    )
    assert template == f"{BASE}/authorize_interaction?uri={{uri}}"


async def test_a_member_of_this_node_opens_a_mastodon_post_through_our_template(
    client: TestClient,
) -> None:
    async with FakeRemote(software="mastodon") as remote:
        bea = remote.add_actor("bea")
        note = remote.create_note(bea, "<p>Should the library open on Sundays?</p>")["object"]
        asked = f"/authorize_interaction?uri={quote(note['id'], safe='')}"
        # Given a visitor: they are asked to sign in first, and brought back
        response = await client.get(asked, allow_redirects=False)
        assert response.status == 303
        assert response.headers["Location"].startswith("/sign-in?next=")
        # When a member follows the link, the page asks them to confirm and stores nothing
        await member("sam")
        await sign_in_as(client, "sam")
        before = await Object.all().count()
        html = await page(client, asked)
        assert note["id"] in html and 'action="/authorize_interaction"' in html
        assert await Object.all().count() == before
        # Then confirming fetches it and opens it on its page here
        response = await submit(
            client, "/authorize_interaction", {"uri": note["id"]}, token_from=asked
        )
        assert response.status == 303, await response.text()
        held = await Object.get(uri=note["id"])
        assert response.headers["Location"] == f"/remote/objects/{held.id}"
        # An account opens the follow page, filled in
        response = await submit(client, "/authorize_interaction", {"uri": bea.id}, token_from=asked)
        assert response.status == 303, await response.text()
        assert response.headers["Location"] == f"/follow?address=@bea@{remote.host}"
        html = await page(client, response.headers["Location"])
        assert f'value="@bea@{remote.host}"' in html
        # Something that is not a proposal or comment is refused in plain words
        collection = remote.publish(
            {"id": f"{remote.base_url}/collections/x", "type": "OrderedCollection", "totalItems": 0}
        )
        response = await submit(
            client, "/authorize_interaction", {"uri": collection["id"]}, token_from=asked
        )
        assert response.status == 400
        assert "not a proposal or comment" in await response.text()


async def test_a_member_opens_a_proposal_of_ours_through_our_template(client: TestClient) -> None:
    proposal = await propose(client, await token_for("alice"))
    await member("sam")
    await sign_in_as(client, "sam")
    asked = f"/authorize_interaction?uri={quote(proposal['id'], safe='')}"
    response = await submit(
        client, "/authorize_interaction", {"uri": proposal["id"]}, token_from=asked
    )
    assert response.status == 303
    assert response.headers["Location"] == path_of(proposal["id"])
    # A link with no address says so
    html = await page(client, "/authorize_interaction", 400)
    assert "the link you followed is incomplete" in html


async def test_a_flood_of_visitor_look_ups_from_one_address_is_slowed(client: TestClient) -> None:
    # Given a visitor who has used up the look-ups one address may make
    proposal = await propose(client, await token_for("alice"))
    limit = client.app[VISITOR_LOOKUPS]
    for _ in range(limit.limit):
        await limit.record("127.0.0.1")
    # When they ask once more, they are told to wait, and no server is asked
    response = await go_to_my_server(client, proposal["id"], "@bea@10.255.255.1")
    assert response.status == 429
    assert "Too many look-ups" in await response.text()
    assert response.headers["Retry-After"].isdigit()
