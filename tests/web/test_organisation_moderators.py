"""On an umbrella node an organisation's own moderators moderate the threads of its proposals:
they see the comments hidden there, hide, show again and remove them; in another
organisation's thread they can do none of it, and nothing changes."""

from __future__ import annotations

import pytest
from aiohttp.test_utils import TestClient

from node.models import AccessRole, Account, Object, OrganisationRole
from node.services import moderation
from node.services.errors import Forbidden
from node.services.tokens import create_token
from tests.support.api import BASE, post
from tests.support.pages import member, page, sign_in_as, submit
from tests.web.test_organisation_staff import food_bank_proposal, staff


async def comment_on(client: TestClient, proposal_uri: str, text: str) -> str:
    """A member's comment in the thread of `proposal_uri`: its path on the node."""
    token = await create_token("amina")
    created = await post(
        client, "amina", token, {"type": "Note", "content": text, "inReplyTo": proposal_uri}
    )
    return str(created["object"]["id"]).removeprefix(BASE)


async def own_proposal(client: TestClient) -> str:
    """A proposal of the node's own organisation (@testorg), by amina."""
    created = await post(
        client,
        "amina",
        await create_token("amina"),
        {"type": "Article", "name": "Opening hours", "summary": "Longer hours."},
    )
    return str(created["object"]["id"])


async def two_threads(client: TestClient) -> tuple[str, str, str, str]:
    """The food bank's proposal and a comment in it, and the node's own and a comment in it
    (paths); the food bank's moderator mo is signed in."""
    food_bank = await food_bank_proposal(client)
    theirs = await comment_on(client, food_bank, "Saturdays suit me")
    own = await own_proposal(client)
    other = await comment_on(client, own, "Evenings please")
    await staff("mo", "foodbank", OrganisationRole.MODERATOR)
    await sign_in_as(client, "mo")
    return food_bank.removeprefix(BASE), theirs, own.removeprefix(BASE), other


async def hidden(path: str) -> bool:
    return (await Object.get(uri=BASE + path)).hidden_at is not None


async def test_they_hide_and_show_again_in_their_own_thread(client: TestClient) -> None:
    food_bank, theirs, _own, _other = await two_threads(client)
    shown = await page(client, food_bank)
    assert f'action="{theirs}/hide"' in shown
    response = await submit(client, f"{theirs}/hide", {"reason": "off topic"}, token_from=food_bank)
    assert response.status == 303 and await hidden(theirs)
    still_seen = await page(client, food_bank)  # the moderator reads what they hid
    assert "Saturdays suit me" in still_seen and "Hidden from others" in still_seen
    assert f'action="{theirs}/unhide"' in still_seen
    response = await submit(client, f"{theirs}/unhide", {}, token_from=food_bank)
    assert response.status == 303 and not await hidden(theirs)


async def test_another_organisation_s_thread_is_not_theirs(client: TestClient) -> None:
    food_bank, _theirs, own, other = await two_threads(client)
    shown = await page(client, own)
    assert f'action="{other}/hide"' not in shown and f'action="{other}/remove"' not in shown
    refused = await submit(client, f"{other}/hide", {"reason": "x"}, token_from=food_bank)
    assert refused.status == 403
    assert "only the moderators of the organisation" in await refused.text()
    assert not await hidden(other)
    refused = await submit(client, f"{other}/remove", {}, token_from=food_bank)
    assert refused.status == 403
    assert (await Object.get(uri=BASE + other)).deleted_at is None


async def test_what_another_organisation_hid_stays_hidden_from_them(client: TestClient) -> None:
    food_bank, _theirs, own, other = await two_threads(client)
    await moderation.hide(
        BASE + other, "spam", by_account_id=(await member("nia", AccessRole.MODERATOR)).id
    )
    shown = await page(client, own)
    assert "Evenings please" not in shown and "hidden by a moderator" in shown
    refused = await submit(client, f"{other}/unhide", {}, token_from=food_bank)
    assert refused.status == 404  # for them there is nothing there
    assert await hidden(other)


async def test_they_remove_a_comment_in_their_thread(client: TestClient) -> None:
    food_bank, theirs, _own, _other = await two_threads(client)
    response = await submit(client, f"{theirs}/remove", {}, token_from=food_bank)
    assert response.status == 303
    assert (await Object.get(uri=BASE + theirs)).deleted_at is not None


async def test_the_node_s_moderators_moderate_every_thread_and_members_none(
    client: TestClient,
) -> None:
    food_bank, theirs, own, other = await two_threads(client)
    await submit(client, "/sign-out", {}, token_from="/")
    await member("nia", AccessRole.MODERATOR)
    await sign_in_as(client, "nia")
    for thread, comment in ((food_bank, theirs), (own, other)):
        response = await submit(client, f"{comment}/hide", {"reason": "x"}, token_from=thread)
        assert response.status == 303 and await hidden(comment)
    await submit(client, "/sign-out", {}, token_from="/")
    await staff("pat", "foodbank", OrganisationRole.MEMBER)
    await sign_in_as(client, "pat")
    refused = await submit(client, f"{theirs}/unhide", {}, token_from=food_bank)
    assert refused.status == 403  # a member who moderates nothing
    assert await hidden(theirs)


async def test_the_node_itself_keeps_the_rule(client: TestClient) -> None:
    """The rule is the node's: the service refuses, whatever calls it."""
    _food_bank, theirs, _own, other = await two_threads(client)
    mo = await Account.get(actor__handle="mo")
    with pytest.raises(Forbidden):
        await moderation.hide(BASE + other, "x", by_account_id=mo.id)
    assert not await hidden(other)
    await moderation.hide(BASE + theirs, "x", by_account_id=mo.id)
    assert await hidden(theirs)
