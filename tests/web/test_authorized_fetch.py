"""Authorised fetch: with the setting on, ActivityStreams GETs of actors, objects and
collections need a valid HTTP signature (401 without one), a suspended server's signer gets
404, and the organisation actor, WebFinger, NodeInfo and HTML pages stay open."""

from __future__ import annotations

from aiohttp.test_utils import TestClient

from federation.keys import generate_private_key, public_key_to_pem
from federation.signatures import SigningKey
from federation.signing import sign_request
from node.models import AccessRole, Actor, ActorType
from node.services.moderation import BlockTarget, add_block
from node.services.server_policy import set_authorized_fetch
from node.services.settings import forget_cached_settings
from tests.support.api import BASE, post, token_for
from tests.support.pages import member

AS2 = "application/activity+json"


async def remote_signer(host: str) -> SigningKey:
    """A remote actor whose key this node already holds (no fetch needed to verify it)."""
    key = generate_private_key()
    uri = f"https://{host}/users/fetcher"
    await Actor.create(
        uri=uri, type=ActorType.APPLICATION, handle="fetcher", domain=host,
        inbox_uri=f"{uri}/inbox", key_id=f"{uri}#main-key", public_key_pem=public_key_to_pem(key),
    )  # fmt: skip
    return SigningKey(f"{uri}#main-key", key)


async def fetch(client: TestClient, path: str, key: SigningKey | None = None) -> int:
    headers = {"Accept": AS2}
    if key is not None:
        headers = sign_request("GET", f"{BASE}{path}", headers, None, key)
    async with client.get(path, headers=headers) as response:
        return response.status


async def test_with_authorised_fetch_only_signed_requests_read_activitystreams(
    client: TestClient,
) -> None:
    token = await token_for("alice")
    article = (
        await post(client, "alice", token, {"type": "Article", "name": "P", "summary": "S"})
    )["object"]
    path = article["id"].removeprefix(BASE)
    admin = await member("ada", AccessRole.ADMIN)
    friend = await remote_signer("friendly.example")
    foe = await remote_signer("hostile.example")
    # Off (the default): anyone reads
    assert await fetch(client, path) == 200

    await set_authorized_fetch("on", by_account_id=admin.id)
    forget_cached_settings()
    for unsigned in (path, "/actors/alice", "/actors/alice/outbox", "/actors/alice/followers"):
        assert await fetch(client, unsigned) == 401, unsigned
    answer = await client.get(path, headers={"Accept": AS2})
    assert "sign the GET" in await answer.text()
    assert answer.headers["WWW-Authenticate"] == "Signature"
    # signed: read; a bad signature is as good as none
    assert await fetch(client, path, friend) == 200
    assert await fetch(client, "/actors/alice", friend) == 200
    forged = SigningKey(friend.key_id, generate_private_key())
    assert await fetch(client, path, forged) == 401
    # a suspended server is told there is nothing here
    await add_block(BlockTarget("domain", "hostile.example"), "", by_account_id=admin.id)
    assert await fetch(client, path, foe) == 404
    # and what other servers need to verify us, or what people read, stays open
    assert await fetch(client, "/actors/testorg") == 200
    for open_path in (path, "/.well-known/webfinger?resource=acct:alice@127.0.0.1:8000",
                      "/.well-known/nodeinfo", "/nodeinfo/2.1"):  # fmt: skip
        async with client.get(open_path) as response:
            assert response.status == 200, open_path

    await set_authorized_fetch("off", by_account_id=admin.id)
    forget_cached_settings()
    assert await fetch(client, path) == 200
