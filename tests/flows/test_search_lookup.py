"""An address typed into search is looked up on the other server, over real HTTP between two
nodes: a member is sent to the page here of the post it names, or shown the account with a
button to follow it (and its words become searchable here); a visitor is told why not; an
address the node never connects to is refused with the reason."""

from __future__ import annotations

import html
import re
from pathlib import Path
from urllib.parse import quote

import aiohttp

from tests.support.nodes import RunningNode, post_outbox, running_node
from tests.support.pages import CSRF_INPUT, PASSWORD

PUBLIC = "https://www.w3.org/ns/activitystreams#Public"


async def signed_in(node: RunningNode) -> aiohttp.ClientSession:
    node.cli("user", "add", "sam", "--password-stdin", stdin=PASSWORD)
    session = aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True))  # an IP host
    await look_up(session, node, "/sign-in", {"handle": "sam", "password": PASSWORD}, 303)
    return session


async def look_up(
    session: aiohttp.ClientSession,
    node: RunningNode,
    path: str,
    fields: dict[str, str],
    status: int = 200,
) -> str:
    """POST a form with the CSRF token of the page at `path` (GET first); the answer's text."""
    async with session.get(f"{node.base}{path}") as response:
        page_text = await response.text()
        found = CSRF_INPUT.search(page_text)
    assert found, f"{path} has no form"
    data = {"csrf_token": found.group(1), **fields}
    target = f"{node.base}{path.split('?')[0]}"
    if path.startswith("/search"):
        target = f"{node.base}/search/lookup"
    async with session.post(target, data=data, allow_redirects=False) as response:
        text = await response.text()
        assert response.status == status, text[:2000]
        if status == 303:
            return response.headers["Location"]
        return html.unescape(text)


async def test_a_member_looks_up_a_handle_and_a_proposal_on_another_node(tmp_path: Path) -> None:
    with (
        running_node(tmp_path / "a", "alpha") as here,
        running_node(tmp_path / "b", "beta") as there,
    ):
        token = there.add_member("writer")
        status, created = await post_outbox(
            there, "writer", token,
            {"type": "Article", "name": "Riverside footpath lighting",
             "summary": "Lamps along the towpath.", "source": "Walkers feel unsafe at dusk.",
             "to": [PUBLIC]},
        )  # fmt: skip
        assert status == 201, created
        proposal = created["object"]["id"]
        handle = f"@beta@{there.host}"
        session = await signed_in(here)
        try:
            asked = f"/search?q={quote(handle)}"
            offered = await look_up(session, here, asked, {"address": handle})
            assert "Found on another server" in offered and handle in offered
            assert "Org beta" in offered
            assert f'name="address" value="{handle}"' in offered  # a button to follow them
            # a proposal found opens on its page here (by its row id on this node)
            opened = await look_up(
                session, here, f"/search?q={quote(proposal)}", {"address": proposal}, 303
            )
            assert re.fullmatch(r"/remote/objects/\d+", opened), opened
            async with session.get(f"{here.base}/search?q=towpath+lamps") as response:
                assert "Riverside footpath lighting" in await response.text()
            refused = await look_up(
                session, here, "/search?q=x", {"address": "http://10.1.2.3/notes/1"}, 400
            )
            assert "We could not look up http://10.1.2.3/notes/1" in refused
        finally:
            await session.close()


async def test_a_visitor_is_told_to_sign_in_to_look_an_address_up(tmp_path: Path) -> None:
    with running_node(tmp_path / "a", "alpha") as here:
        async with (
            aiohttp.ClientSession() as session,
            session.get(f"{here.base}/search", params={"q": "@someone@elsewhere.example"}) as got,
        ):
            text = html.unescape(await got.text())
        assert got.status == 200
        assert "Members can look it up from here once signed in" in text
        assert "/search/lookup" not in text
