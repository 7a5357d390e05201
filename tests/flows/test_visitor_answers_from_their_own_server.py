"""A visitor answers a proposal from their own account, following the redirects over real HTTP:
to a Mastodon-shaped server (its recorded WebFinger answer, with its interaction template,
served from loopback), and to a second Townhall node, where they sign in and land on that
node's page for the proposal."""

from __future__ import annotations

import html
import json
import re
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import aiohttp
from aiohttp import web

from tests.support.nodes import post_outbox, running_node
from tests.support.pages import CSRF_INPUT, PASSWORD

RECORDED = Path(__file__).parent.parent / "fixtures" / "webfinger" / "mastodon.social-gargron.json"
PROPOSAL = {
    "type": "Article",
    "name": "Open the library on Sundays",
    "summary": "Families who work weekdays cannot use the library.",
    "content": "<p>Open 10:00 to 16:00 on Sundays.</p>",
}
REMOTE_PAGE = re.compile(r"/remote/objects/\d+")


@asynccontextmanager
async def recorded_mastodon() -> AsyncIterator[tuple[str, list[str]]]:
    """A server on loopback answering WebFinger for gargron with mastodon.social's recorded
    answer (its address put in mastodon.social's place), and its interaction page; its
    host:port, and the `uri`s its interaction page was opened with."""
    opened: list[str] = []
    app = web.Application()

    async def webfinger(request: web.Request) -> web.Response:
        host = request.host
        if request.query.get("resource", "").lower() != f"acct:gargron@{host}":
            return web.Response(status=404)
        text = RECORDED.read_text(encoding="utf-8")
        text = text.replace("https://mastodon.social", f"http://{host}")
        text = text.replace("@mastodon.social", f"@{host}")
        return web.Response(text=text, content_type="application/jrd+json")

    async def authorize_interaction(request: web.Request) -> web.Response:
        opened.append(request.query.get("uri", ""))
        return web.Response(
            text="<h1>Mastodon: reply, boost or favourite</h1>", content_type="text/html"
        )

    app.router.add_get("/.well-known/webfinger", webfinger)
    app.router.add_get("/authorize_interaction", authorize_interaction)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    try:
        yield f"127.0.0.1:{runner.addresses[0][1]}", opened
    finally:
        await runner.cleanup()


def browser() -> aiohttp.ClientSession:
    return aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True))  # IP hosts


async def test_a_visitor_with_a_mastodon_account_is_sent_to_its_interaction_page(
    tmp_path: Path,
) -> None:
    with running_node(tmp_path / "a", "orga") as a:
        # Given alice's proposal on A, and a visitor whose account is on a Mastodon server
        status, created = await post_outbox(a, "alice", a.add_member("alice"), PROPOSAL)
        assert status == 201, created
        proposal = created["object"]["id"]
        recorded = json.loads(RECORDED.read_text(encoding="utf-8"))
        assert any(
            link["rel"] == "http://ostatus.org/schema/1.0/subscribe" for link in recorded["links"]
        )
        async with recorded_mastodon() as (host, opened), browser() as visitor:
            # When they type their handle under the proposal on A, following every redirect
            async with visitor.post(
                f"{proposal}/from-your-account", data={"handle": f"@Gargron@{host}"}
            ) as response:
                landed = str(response.url)
                text = await response.text()
            # Then they are on their own server's interaction page for the proposal
            assert response.status == 200, text[:2000]
            assert "Mastodon: reply, boost or favourite" in text
            assert landed.startswith(f"http://{host}/authorize_interaction?")
            assert parse_qs(urlsplit(landed).query)["uri"] == [proposal]
            assert opened == [proposal]

            # When the handle is unknown there, A says so and sends them nowhere
            async with visitor.post(
                f"{proposal}/from-your-account", data={"handle": f"@nobody@{host}"}
            ) as response:
                assert response.status == 400
                assert str(response.url) == f"{proposal}/from-your-account"
            assert opened == [proposal]


async def test_a_member_of_another_townhall_node_answers_from_there(tmp_path: Path) -> None:
    with running_node(tmp_path / "a", "orga") as a, running_node(tmp_path / "b", "orgb") as b:
        # Given alice's proposal on A, and bob, a member of B
        status, created = await post_outbox(a, "alice", a.add_member("alice"), PROPOSAL)
        assert status == 201, created
        proposal = created["object"]["id"]
        b.cli("user", "add", "bob", "--password-stdin", stdin=PASSWORD)
        async with browser() as visitor:
            # When bob, a visitor on A, types @bob@B under the proposal
            async with visitor.post(
                f"{proposal}/from-your-account",
                data={"handle": f"@bob@{b.host}"},
                allow_redirects=False,
            ) as response:
                assert response.status == 303, await response.text()
                there = response.headers["Location"]
            # Then A sends him to B's interaction template with the proposal's address
            assert there.startswith(f"{b.base}/authorize_interaction?")
            assert parse_qs(urlsplit(there).query)["uri"] == [proposal]
            # and B asks him to sign in first
            async with visitor.get(there) as response:
                sign_in = str(response.url)
                page = await response.text()
            assert urlsplit(sign_in).path == "/sign-in", sign_in
            found = CSRF_INPUT.search(page)
            assert found, page[:2000]
            next_url = parse_qs(urlsplit(sign_in).query)["next"][0]
            assert next_url.startswith("/authorize_interaction?uri=")

            # When he signs in on B, he is brought back to confirm opening it there
            fields = {"csrf_token": found.group(1), "handle": "bob", "password": PASSWORD,
                      "next": next_url}  # fmt: skip
            async with visitor.post(f"{b.base}/sign-in", data=fields) as response:
                page = html.unescape(await response.text())
                assert response.status == 200, page[:2000]
                assert urlsplit(str(response.url)).path == "/authorize_interaction"
            assert proposal in page and 'action="/authorize_interaction"' in page
            found = CSRF_INPUT.search(page)
            assert found
            # and confirming lands him on B's own page for A's proposal
            async with visitor.post(
                f"{b.base}/authorize_interaction",
                data={"csrf_token": found.group(1), "uri": proposal},
            ) as response:
                page = html.unescape(await response.text())
                landed = urlsplit(str(response.url))
            assert response.status == 200, page[:2000]
            assert landed.netloc == b.host and REMOTE_PAGE.fullmatch(landed.path), landed
            assert "Open the library on Sundays" in page
            assert f'action="{landed.path}/comments"' in page  # he takes part from B
            assert f'href="{proposal}"' in page  # with the original one link away
