"""Bearer tokens stop with their account, and members see and revoke their own."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from aiohttp.test_utils import TestClient

from node.models import (
    AccessRole,
    Account,
    AccountStatus,
    Activity,
    Actor,
    ActorType,
    Delivery,
    DeliveryState,
    Follow,
    FollowState,
    Object,
    Token,
)
from node.services.membership import set_status
from node.services.tokens import create_token
from tests.support.api import BASE, headers, post, token_for
from tests.support.pages import member, page, sign_in_as, submit

REMOTE = "https://remote.example/users/rita"
NOTE = {"type": "Note", "content": "Still here?"}


async def remote_follower_of(handle: str) -> None:
    """A remote person following `handle`, so whatever it posts is queued for delivery."""
    rita = await Actor.create(
        uri=REMOTE,
        type=ActorType.PERSON,
        is_local=False,
        handle="rita",
        domain="remote.example",
        inbox_uri=f"{REMOTE}/inbox",
        fetched_at=datetime.now(UTC),
    )
    followee = await Actor.get(handle=handle, is_local=True)
    await Follow.create(
        uri=f"{REMOTE}/follows/1", follower=rita, followee=followee, state=FollowState.ACCEPTED
    )


async def written() -> tuple[int, int, int]:
    """Objects, activities and deliveries stored."""
    return await Object.all().count(), await Activity.all().count(), await Delivery.all().count()


async def every_token_route(client: TestClient, token: str) -> dict[str, int]:
    """The status each token-authenticated route answers with `token`."""
    answers: dict[str, Any] = {
        "outbox": await client.post("/actors/alice/outbox", json=NOTE, headers=headers(token)),
        "inbox": await client.get("/actors/alice/inbox?page=1", headers=headers(token)),
        "timeline": await client.get("/actors/alice/timeline?page=1", headers=headers(token)),
        "proxy": await client.post(
            "/proxy",
            data={"id": f"{BASE}/actors/alice"},
            headers={"Authorization": f"Bearer {token}"},
        ),
    }
    return {route: response.status for route, response in answers.items()}


async def test_a_suspended_members_token_no_longer_posts(client: TestClient) -> None:
    token = await token_for("alice")
    admin = await member("admin", AccessRole.ADMIN)
    await remote_follower_of("alice")
    await post(client, "alice", token, NOTE)  # the token works, and posts are federated
    before = await written()
    assert before[2] == 1
    await set_status(admin.id, "alice", AccountStatus.SUSPENDED)
    answers = await every_token_route(client, token)
    assert answers == {"outbox": 401, "inbox": 401, "timeline": 401, "proxy": 401}
    assert await written() == before  # nothing stored, nothing queued for delivery
    assert not await Token.exists()  # suspension revoked it: reinstating does not revive it
    await set_status(admin.id, "alice", AccountStatus.ACTIVE)
    assert (await every_token_route(client, token))["outbox"] == 401


async def test_a_suspended_members_queued_deliveries_are_not_sent(client: TestClient) -> None:
    # Given a post of alice's still queued for her remote follower, and one of bob's
    token = await token_for("alice")
    await remote_follower_of("alice")
    await post(client, "alice", token, NOTE)
    bob = await token_for("bob")
    await Follow.create(
        uri=f"{REMOTE}/follows/2",
        follower=await Actor.get(uri=REMOTE),
        followee=await Actor.get(handle="bob", is_local=True),
        state=FollowState.ACCEPTED,
    )
    await post(client, "bob", bob, NOTE)
    # When a moderator suspends alice
    await set_status((await member("admin", AccessRole.ADMIN)).id, "alice", AccountStatus.SUSPENDED)
    # Then her delivery is given up, and bob's still waits to go
    states = {
        row.payload.signer_uri.rsplit("/", 1)[1]: row.state
        for row in await Delivery.all().prefetch_related("payload")
    }
    assert states == {"alice": DeliveryState.FAILED, "bob": DeliveryState.QUEUED}


async def test_a_pending_members_token_does_not_authenticate(client: TestClient) -> None:
    token = await token_for("alice")
    await remote_follower_of("alice")
    before = await written()
    await Account.filter(actor__handle="alice").update(status=AccountStatus.PENDING)
    answers = await every_token_route(client, token)
    assert answers == {"outbox": 401, "inbox": 401, "timeline": 401, "proxy": 401}
    assert await written() == before
    await Account.filter(actor__handle="alice").update(status=AccountStatus.ACTIVE)
    assert (await every_token_route(client, token))["inbox"] == 200  # the same token, active


async def test_a_deleted_members_token_does_not_authenticate(client: TestClient) -> None:
    token = await token_for("alice")
    before = await written()
    await Actor.filter(handle="alice", is_local=True).update(deleted_at=datetime.now(UTC))
    assert (await every_token_route(client, token))["outbox"] == 401
    assert await written() == before


async def test_a_member_sees_and_revokes_their_own_tokens(client: TestClient) -> None:
    await member("alice")
    kept, revoked = await create_token("alice"), await create_token("alice")
    await member("bob")
    bobs = await create_token("bob")
    kept_id, revoked_id = (
        await Token.filter(account__actor__handle="alice")
        .order_by("id")
        .values_list("id", flat=True)
    )
    bobs_id = (await Token.get(account__actor__handle="bob")).id
    await post(client, "alice", kept, NOTE)  # marks it used
    await sign_in_as(client, "alice")
    html = await page(client, "/settings/tokens")
    assert f"/settings/tokens/{kept_id}/revoke" in html
    assert f"/settings/tokens/{revoked_id}/revoke" in html
    assert f"/settings/tokens/{bobs_id}/revoke" not in html
    assert kept not in html and revoked not in html  # a token is never shown again
    assert "never" in html  # the unused one
    response = await submit(
        client, f"/settings/tokens/{revoked_id}/revoke", {}, token_from="/settings/tokens"
    )
    assert (response.status, response.headers["Location"]) == (303, "/settings/tokens")
    assert "The token is revoked" in await page(client, "/settings/tokens")
    assert (await every_token_route(client, revoked))["outbox"] == 401
    assert (await every_token_route(client, kept))["inbox"] == 200
    # another member's token is not hers to revoke: a 404, and it keeps working
    others = await submit(
        client, f"/settings/tokens/{bobs_id}/revoke", {}, token_from="/settings/tokens"
    )
    assert others.status == 404
    assert await Token.filter(id=bobs_id).exists()
    for number in ("0", "2147483648", "999999999999999999"):  # beyond the id column: 404
        path = f"/settings/tokens/{number}/revoke"
        beyond = await submit(client, path, {}, token_from="/settings/tokens")
        assert beyond.status == 404, number
    assert await Token.all().count() == 2
    bob_inbox = await client.get("/actors/bob/inbox?page=1", headers=headers(bobs))
    assert bob_inbox.status == 200


async def test_the_tokens_page_is_for_signed_in_members(client: TestClient) -> None:
    token = await token_for("alice")
    response = await client.get("/settings/tokens", allow_redirects=False)
    assert (response.status, response.headers["Location"]) == (
        303,
        "/sign-in?next=/settings/tokens",
    )
    token_id = (await Token.get()).id
    refused = await client.post(f"/settings/tokens/{token_id}/revoke", allow_redirects=False)
    assert refused.status == 403  # a visitor's POST carries no CSRF token
    assert (await every_token_route(client, token))["inbox"] == 200


async def test_a_token_records_its_last_use_when_it_writes_not_when_it_reads(
    client: TestClient,
) -> None:
    token = await token_for("alice")
    for path in ("/actors/alice/inbox", "/actors/alice/timeline"):
        response = await client.get(path, headers=headers(token))
        assert response.status == 200, path
    assert await Token.filter(last_used_at__isnull=False).count() == 0  # a GET writes nothing
    await post(client, "alice", token, {"type": "Note", "content": "hello"})
    assert await Token.filter(last_used_at__isnull=False).count() == 1
