"""Visitors' pages come from a cache: validators and 304s, rendered afresh after any change,
and never one member's page for someone else nor a draft or hidden comment for a visitor; a
member's discussion, rendered once for the readers shown the same one, is never another's."""

from __future__ import annotations

import re
from typing import Any

from aiohttp import web
from aiohttp.test_utils import TestClient

from node.models import AccessRole
from node.services.tokens import create_token
from tests.support.api import BASE, post, token_for
from tests.support.pages import PASSWORD, csrf_in, member, page, sign_in_as, submit
from tests.support.private_objects import DIRECT, HIDDEN, seed_private_objects
from tests.web.test_proposals import PROPOSAL
from web.page_cache import MEMBER_CACHE_CONTROL, VISITOR_CACHE_CONTROL, _cacheable

HTML = {"Accept": "text/html"}


async def visitor(client: TestClient, aiohttp_client: Any) -> TestClient:
    """A browser of its own, with no cookie."""
    return await aiohttp_client(client.server)  # type: ignore[no-any-return]


async def comment(client: TestClient, token: str, on: str, text: str) -> str:
    note = {"type": "Note", "content": f"<p>{text}</p>", "inReplyTo": on}
    return str((await post(client, "alice", token, note))["object"]["id"])


async def test_a_visitor_gets_validators_and_a_304_until_the_thread_changes(
    client: TestClient, aiohttp_client: Any
) -> None:
    # Given a proposal a visitor has read once
    token = await token_for("alice")
    proposal = (await post(client, "alice", token, PROPOSAL))["object"]
    where = proposal["id"].removeprefix(BASE)
    browser = await visitor(client, aiohttp_client)
    first = await browser.get(where, headers=HTML)
    assert first.status == 200 and PROPOSAL["name"] in await first.text()
    assert first.headers["Cache-Control"] == VISITOR_CACHE_CONTROL
    assert "Set-Cookie" not in first.headers and "Last-Modified" in first.headers
    etag = first.headers["ETag"]
    # When it asks again with its validators, the page has not changed
    again = await browser.get(where, headers={**HTML, "If-None-Match": etag})
    assert again.status == 304 and again.headers["ETag"] == etag
    since = {**HTML, "If-Modified-Since": first.headers["Last-Modified"]}
    assert (await browser.get(where, headers=since)).status == 304
    assert (await browser.get(where, headers={**HTML, "If-None-Match": '"other"'})).status == 200
    # When someone comments, the same validators get the new page at once
    await comment(client, token, proposal["id"], "Saturdays would help carers")
    changed = await browser.get(where, headers={**HTML, "If-None-Match": etag})
    assert changed.status == 200 and changed.headers["ETag"] != etag
    assert "Saturdays would help carers" in await changed.text()
    # …and so does the home page, which counts the comments
    assert (await browser.get("/", headers=HTML)).status == 200


async def test_a_members_page_is_never_shown_to_a_visitor_or_to_another_member(
    client: TestClient, aiohttp_client: Any
) -> None:
    # Given a proposal, read first by a visitor (so its page is cached)
    await member("alice")
    await member("bob")
    proposal = (await post(client, "alice", await create_token("alice"), PROPOSAL))["object"]
    where = proposal["id"].removeprefix(BASE)
    stranger = await visitor(client, aiohttp_client)
    assert "Sign out" not in await page(stranger, where)
    # When Alice and then Bob read it signed in
    alices = await visitor(client, aiohttp_client)
    await sign_in_as(alices, "alice")
    answer = await alices.get(where, headers=HTML)
    alices_page = await answer.text()
    assert answer.headers["Cache-Control"] == MEMBER_CACHE_CONTROL and "ETag" not in answer.headers
    bobs = await visitor(client, aiohttp_client)
    await sign_in_as(bobs, "bob")
    bobs_page = await page(bobs, where)
    # Then each sees their own page, and the visitor still none of theirs
    assert "Sign out" in alices_page and 'href="/actors/alice">Your profile' in alices_page
    assert "Sign out" in bobs_page and 'href="/actors/bob">Your profile' in bobs_page
    assert 'href="/actors/alice">Your profile' not in bobs_page
    visitors_page = await page(stranger, where)
    assert "Sign out" not in visitors_page and "Your profile" not in visitors_page


async def test_a_draft_and_a_hidden_comment_never_reach_a_visitor_from_the_cache(
    client: TestClient, aiohttp_client: Any
) -> None:
    # Given an open proposal with a comment, its page and the lists cached for visitors
    await member("alice")
    token = await create_token("alice")
    proposal = (await post(client, "alice", token, PROPOSAL))["object"]
    where = proposal["id"].removeprefix(BASE)
    note = await comment(client, token, proposal["id"], "A rude remark")
    stranger = await visitor(client, aiohttp_client)
    assert "A rude remark" in await page(stranger, where)
    await page(stranger, "/")
    await page(stranger, "/proposals")
    # When Alice writes a draft and reads it, and a moderator hides the comment
    draft = {**PROPOSAL, "name": "Secret draft plan", "proposalStatus": "draft"}
    drafted = (await post(client, "alice", token, draft))["object"]
    alices = await visitor(client, aiohttp_client)
    await sign_in_as(alices, "alice")
    assert "Secret draft plan" in await page(alices, drafted["id"].removeprefix(BASE))
    await member("mod", AccessRole.MODERATOR)
    await sign_in_as(client, "mod")
    hidden = await submit(client, f"{note.removeprefix(BASE)}/hide", {}, token_from=where)
    assert hidden.status == 303
    # Then the visitor sees neither
    assert "A rude remark" not in await page(stranger, where)
    assert "Secret draft plan" not in await page(stranger, "/")
    assert "Secret draft plan" not in await page(stranger, "/proposals")
    await page(stranger, drafted["id"].removeprefix(BASE), status=404)


async def test_a_page_that_sets_a_cookie_or_fails_is_never_kept() -> None:
    with_cookie = web.Response(text="<p>hi</p>", content_type="text/html")
    with_cookie.set_cookie("townhall_session", "x")
    assert _cacheable(with_cookie) is None
    assert _cacheable(web.Response(text="gone", status=404, content_type="text/html")) is None
    assert _cacheable(web.Response(text="{}", content_type="application/json")) is None
    assert _cacheable(web.Response(text="<p>hi</p>", content_type="text/html")) is not None


async def test_a_discussion_rendered_for_one_reader_is_never_shown_to_another(
    client: TestClient, aiohttp_client: Any
) -> None:
    # Given a proposal whose thread holds a direct message to Carol and a hidden comment
    seeded = await seed_private_objects(client)
    where = seeded.proposal.removeprefix(BASE)
    readers = {}
    for handle in ("carol", "dana", "mod"):
        readers[handle] = await visitor(client, aiohttp_client)
        await sign_in_as(readers[handle], handle)
    # When Carol, a moderator and Dana read its page, in turns
    carols = await page(readers["carol"], where)
    mods = await page(readers["mod"], where)
    danas = await page(readers["dana"], where)
    # Then the moderator's discussion is her own: the hidden comment, her forms
    assert HIDDEN in mods and "/unhide" in mods and csrf_in(mods) in mods
    assert HIDDEN not in carols and "/unhide" not in carols
    # …and neither Carol's nor the moderator's reaches Dana, nor anything reaches a visitor
    assert DIRECT not in danas and HIDDEN not in danas and "/unhide" not in danas
    assert csrf_in(mods) not in danas and csrf_in(carols) not in danas
    stranger = await page(await visitor(client, aiohttp_client), where)
    assert not {DIRECT, HIDDEN} & set(re.findall(r"zq-[a-z-]+", stranger))


async def test_a_cached_discussion_shows_edit_and_delete_only_to_the_comments_author(
    client: TestClient, aiohttp_client: Any
) -> None:
    # Given Alice's proposal with her comment, and Bob, another member
    await member("alice")
    token = await create_token("alice")
    proposal = (await post(client, "alice", token, PROPOSAL))["object"]
    where = proposal["id"].removeprefix(BASE)
    comment_id = await comment(client, token, proposal["id"], "Saturdays would help carers")
    comment_path = comment_id.removeprefix(BASE)
    await member("bob")
    alice = await visitor(client, aiohttp_client)
    bob = await visitor(client, aiohttp_client)
    await sign_in_as(alice, "alice", PASSWORD)
    await sign_in_as(bob, "bob", PASSWORD)
    # When Alice reads the page first (rendering the discussion), then Bob, then Alice again
    for_alice = await page(alice, where)
    for_bob = await page(bob, where)
    # Then only Alice is offered to edit or delete her comment, whoever rendered it first
    assert f"{comment_path}/edit-comment" in for_alice
    assert f"{comment_path}/edit-comment" not in for_bob
    assert f"{comment_path}/delete" not in for_bob
    assert f"{comment_path}/edit-comment" in await page(alice, where)
