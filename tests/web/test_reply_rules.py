"""Who may reply: each rule, the organisation's and a proposal's own, and who may choose it.
Replies from outside the rule are held for a moderator, never dropped."""

from __future__ import annotations

import itertools

import pytest
from aiohttp.test_utils import TestClient

from node.appkeys import CLIENT_API
from node.models import AccessRole, Actor, Follow, FollowState, Object
from node.reply_policies import ReplyPolicy
from node.services import held_replies
from node.services.remote_actors import save_actor
from node.services.remote_objects import store_object
from node.services.settings import change_setting
from tests.support.api import BASE, ORG
from tests.support.pages import member, page, sign_in_as, submit
from tests.web.test_content_warnings import a_proposal

PUBLIC = "https://www.w3.org/ns/activitystreams#Public"
serial = itertools.count()


async def remote(name: str) -> Actor:
    uri = f"https://social.example/users/{name}"
    return await save_actor(
        {"id": uri, "type": "Person", "preferredUsername": name, "inbox": f"{uri}/inbox"}
    )


async def reply(author: Actor, parent: str) -> Object:
    """A reply from another server, stored as the inbox stores it, then put to the rule."""
    document = {
        "id": f"https://social.example/statuses/{next(serial)}", "type": "Note",
        "attributedTo": author.uri, "inReplyTo": parent, "content": "<p>Hello</p>",
        "to": [PUBLIC], "published": "2026-12-01T10:00:00Z",
    }  # fmt: skip
    stored = await store_object(document, author)
    assert stored.row is not None
    await held_replies.hold_if_ruled_out(stored.row)
    return await Object.get(id=stored.row.id)


@pytest.mark.parametrize(
    ("rule", "first_held", "second_held"),
    [
        (ReplyPolicy.ANYONE, False, False),
        (ReplyPolicy.FIRST_TIME_HELD, True, False),
        (ReplyPolicy.MEMBERS, True, True),
    ],
)
async def test_each_rule_holds_the_replies_it_should(
    client: TestClient, rule: ReplyPolicy, first_held: bool, second_held: bool
) -> None:
    # Given the organisation's rule and a proposal
    await change_setting("reply_policy", rule.value)
    where = await a_proposal(client)
    kim = await remote("kim")
    # When kim replies twice (the first approved, if it was held)
    first = await reply(kim, f"{BASE}{where}")
    assert (first.held_at is not None) == first_held
    if first.held_at is not None:
        assert first.hidden_at is not None and first.hidden_reason.startswith("held: ")
        mod = await member("mod", AccessRole.MODERATOR)
        await held_replies.approve(client.app[CLIENT_API].outbox, first.uri, by_account_id=mod.id)
    second = await reply(kim, f"{BASE}{where}")
    # Then the second is held only where every reply from elsewhere is
    assert (second.held_at is not None) == second_held


async def test_followers_of_the_organisation_reply_at_once_others_wait(client: TestClient) -> None:
    await change_setting("reply_policy", ReplyPolicy.FOLLOWERS.value)
    where = await a_proposal(client)
    fan, stranger = await remote("fan"), await remote("stranger")
    await Follow.create(
        uri=f"{fan.uri}#follow", follower=fan, followee=await Actor.get(uri=ORG),
        state=FollowState.ACCEPTED,
    )  # fmt: skip
    assert (await reply(fan, f"{BASE}{where}")).held_at is None
    assert (await reply(stranger, f"{BASE}{where}")).held_at is not None


async def test_a_proposals_own_rule_wins_and_only_its_editors_choose_it(client: TestClient) -> None:
    # Given an organisation that lets anyone reply
    where = await a_proposal(client)
    # When the author asks for members only on this proposal
    saved = await submit(
        client, f"{where}/reply-rule", {"reply_policy": "members"}, token_from=where
    )
    assert saved.status == 303
    assert 'value="members" selected' in await page(client, where)
    # Then a reply from elsewhere waits
    assert (await reply(await remote("kim"), f"{BASE}{where}")).held_at is not None
    # And a rule that does not exist is refused, and another member may not choose
    bad = await submit(client, f"{where}/reply-rule", {"reply_policy": "nobody"}, token_from=where)
    assert bad.status == 400 and "unknown reply rule" in await bad.text()
    await submit(client, "/sign-out", {}, token_from="/")
    await member("bo")
    await sign_in_as(client, "bo")
    token = await page(client, where)
    assert "/reply-rule" not in token
    refused = await submit(client, f"{where}/reply-rule", {"reply_policy": ""}, token_from=where)
    assert refused.status == 403


async def test_the_held_list_shows_a_held_reply_to_moderators_only(client: TestClient) -> None:
    await change_setting("reply_policy", ReplyPolicy.MEMBERS.value)
    where = await a_proposal(client)
    held = await reply(await remote("kim"), f"{BASE}{where}")
    await page(client, "/admin/held", status=403)
    await submit(client, "/sign-out", {}, token_from="/")
    await member("mod", AccessRole.MODERATOR)
    await sign_in_as(client, "mod")
    listed = await page(client, "/admin/held")
    assert f"/remote/objects/{held.id}/approve" in listed and "members only" in listed
    # approving it twice: the second time says it is no longer held
    first = await submit(client, f"/remote/objects/{held.id}/approve", {}, token_from="/admin/held")
    assert first.status == 303
    again = await submit(client, f"/remote/objects/{held.id}/approve", {}, token_from="/admin/held")
    assert again.status == 403 and "not held" in await again.text()
