"""Following and unfollowing from the pages: a member's profile has Follow and Unfollow, and the
follow page opens a proposal, comment or account by its link or address."""

from __future__ import annotations

from aiohttp.test_utils import TestClient

from node.models import Follow, FollowState
from tests.support.api import BASE
from tests.support.pages import member, page, sign_in_as, submit


async def test_a_member_follows_and_unfollows_another_member_from_their_profile(
    client: TestClient,
) -> None:
    # Given bo and alice, members here, and bo signed in
    await member("alice")
    await member("bo")
    await sign_in_as(client, "bo")
    profile = await page(client, "/actors/alice")
    assert 'action="/follow"' in profile and 'action="/unfollow"' not in profile
    # When bo follows alice from her profile
    response = await submit(
        client, "/follow", {"address": f"{BASE}/actors/alice"}, token_from="/actors/alice"
    )
    assert response.status == 303, await response.text()
    # Then the follow is accepted at once, and the profile offers Unfollow
    follow = await Follow.get(follower__handle="bo", followee__handle="alice")
    assert follow.state == FollowState.ACCEPTED
    profile = await page(client, "/actors/alice")
    assert 'action="/unfollow"' in profile
    # When bo unfollows, it is gone and Follow is back
    response = await submit(
        client, "/unfollow", {"actor": f"{BASE}/actors/alice"}, token_from="/actors/alice"
    )
    assert response.status == 303, await response.text()
    assert not await Follow.filter(follower__handle="bo", followee__handle="alice").exists()
    assert 'action="/unfollow"' not in await page(client, "/actors/alice")
    # Nobody is offered to follow themselves
    assert 'action="/follow"' not in await page(client, "/actors/bo")


async def test_the_follow_page_opens_an_address_and_is_filled_in_from_a_link(
    client: TestClient,
) -> None:
    await member("bo")
    await sign_in_as(client, "bo")
    html = await page(client, "/follow?address=@advice@charity.example")
    assert 'value="@advice@charity.example"' in html
    assert 'action="/search/lookup"' in html
