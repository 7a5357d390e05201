"""A member's default visibility: the comment forms start from it, each comment may choose
otherwise, and addressing follows the choice (followers only: to their followers, no Public;
this organisation only: to the node's members collection, never delivered off the node and
never served to visitors or other servers)."""

from __future__ import annotations

from aiohttp.test_utils import TestClient

from federation.vocab import PUBLIC
from node.addressing import addressees
from node.models import Account, Activity, Delivery, Object
from tests.support.api import AS2, BASE, post, token_for
from tests.support.pages import member, page, sign_in_as, submit
from tests.web.test_group_passes_on_changes import followed_by_remote_server
from tests.web.test_member_pages import publish

MEMBERS = f"{BASE}/members"


async def proposal_with_sam_followed_from_afar(client: TestClient, default: str) -> str:
    """Amina's proposal, open for comments; Sam (default `default`), whom rita on
    remote.example follows, signed in. The proposal's path."""
    await member("amina")
    await sign_in_as(client, "amina")
    where = await publish(client)
    client.session.cookie_jar.clear()
    await member("sam")
    await Account.filter(actor__handle="sam").update(default_visibility=default)
    await followed_by_remote_server(f"{BASE}/actors/sam")
    await sign_in_as(client, "sam")
    return where


async def comment_from_the_page(client: TestClient, where: str, text: str, **more: str) -> Object:
    html = await page(client, where)
    fields = {"content": text, "in_reply_to": f"{BASE}{where}", **more}
    response = await submit(client, f"{where}/comments", fields, token_from=where)
    assert response.status == 303, await response.text()
    assert html  # the page was read for its token
    return await Object.get(type="Note", source__contains=text)


async def deliveries_of(row: Object) -> list[str]:
    create = await Activity.get(type="Create", object_uri=row.uri)
    return list(await Delivery.filter(activity_uri=create.uri).values_list("inbox_uri", flat=True))


async def test_the_form_starts_from_the_default_and_public_goes_everywhere(
    client: TestClient,
) -> None:
    where = await proposal_with_sam_followed_from_afar(client, "public")
    form = await page(client, where)
    assert 'id="visibility-public" name="visibility" value="public" checked' in form
    row = await comment_from_the_page(client, where, "Open on Sundays", visibility="public")
    assert row.is_public and PUBLIC in row.document["to"]
    assert await deliveries_of(row) == ["https://remote.example/users/rita/inbox"]


async def test_followers_only_goes_to_the_followers_and_not_to_the_public(
    client: TestClient,
) -> None:
    # Given Sam, who writes for his followers by default
    where = await proposal_with_sam_followed_from_afar(client, "followers")
    form = await page(client, where)
    assert 'id="visibility-followers" name="visibility" value="followers" checked' in form
    # When he posts a comment without changing the choice (a form without it: his default)
    row = await comment_from_the_page(client, where, "For my followers")
    # Then it is addressed to his followers, and nowhere to the public
    followers = f"{BASE}/actors/sam/followers"
    assert row.document["to"] == [followers] and row.document["cc"] == []
    assert not row.is_public
    create = await Activity.get(type="Create", object_uri=row.uri)
    assert PUBLIC not in addressees(create.document) and followers in addressees(create.document)
    assert await deliveries_of(row) == ["https://remote.example/users/rita/inbox"]
    # and a visitor, or another server asking without a signature, finds nothing there
    client.session.cookie_jar.clear()
    path = row.uri.removeprefix(BASE)
    assert (await client.get(path)).status == 404
    assert (await client.get(path, headers={"Accept": AS2})).status == 404


async def test_organisation_only_never_leaves_the_node_and_members_read_it_in_the_discussion(
    client: TestClient,
) -> None:
    # Given Sam, followed from remote.example, who chooses "members only" for one comment
    where = await proposal_with_sam_followed_from_afar(client, "public")
    row = await comment_from_the_page(
        client, where, "Only for the people here", visibility="organisation"
    )
    # Then it is addressed to the members collection alone and delivered nowhere
    assert row.document["to"] == [MEMBERS] and row.document["cc"] == []
    assert not row.is_public
    assert await deliveries_of(row) == []
    assert not await Activity.filter(type="Announce", object_uri=row.uri).exists()
    # and another member reads it in the discussion, marked for members
    client.session.cookie_jar.clear()
    await member("cat")
    await sign_in_as(client, "cat")
    html = await page(client, where)
    assert "Only for the people here" in html and "Members of this organisation only" in html
    path = row.uri.removeprefix(BASE)
    assert "Only for the people here" in await page(client, path)
    # but visitors and other servers see nothing of it
    client.session.cookie_jar.clear()
    assert "Only for the people here" not in await page(client, where)
    assert (await client.get(path)).status == 404
    assert (await client.get(path, headers={"Accept": AS2})).status == 404
    context = await client.get(where.replace("/objects/", "/contexts/"), headers={"Accept": AS2})
    assert context.status == 200 and row.uri not in await context.text()


async def test_a_comment_through_the_api_without_addressing_follows_the_default(
    client: TestClient,
) -> None:
    token = await token_for("alice")
    article = await post(client, "alice", token, {"type": "Article", "name": "P", "summary": "S"})
    await Account.filter(actor__handle="alice").update(default_visibility="organisation")
    note = {"type": "Note", "content": "Hello members", "inReplyTo": article["object"]["id"]}
    created = await post(client, "alice", token, note)
    assert created["object"]["to"] == [MEMBERS]
    # naming its addressees, a client chooses for itself
    public = await post(client, "alice", token, {**note, "to": [PUBLIC]})
    assert public["object"]["to"] == [PUBLIC]


async def test_an_unknown_visibility_is_refused_with_the_comment_kept(client: TestClient) -> None:
    where = await proposal_with_sam_followed_from_afar(client, "public")
    fields = {"content": "Keep my words", "in_reply_to": f"{BASE}{where}", "visibility": "all"}
    response = await submit(client, f"{where}/comments", fields, token_from=where)
    html = await response.text()
    assert response.status == 400 and "Choose who can read it." in html
    assert "Keep my words" in html
    assert not await Object.filter(type="Note").exists()
