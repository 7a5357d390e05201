"""Identity: each actor's published key verifies what its private key signs; keys load once."""

from __future__ import annotations

from aiohttp.test_utils import TestClient

from federation.signatures import ResolvedKey, verify_request
from federation.signing import sign_request
from node.models import Actor
from node.services.keyring import KeyRing

AS2 = "application/activity+json"


async def test_group_actor_public_key_verifies_its_private_key_signature(
    client: TestClient,
) -> None:
    served = await (await client.get("/actors/testorg", headers={"Accept": AS2})).json(
        content_type=None
    )
    assert served["type"] == "Group"
    organisation = await Actor.get(uri=served["id"])
    signing_key = await KeyRing().signing_key(organisation)
    body = b'{"type": "Follow"}'
    url = "https://elsewhere.example/inbox"
    headers = sign_request("POST", url, {"Content-Type": AS2}, body, signing_key)

    async def published_key(key_id: str, *, refresh: bool) -> ResolvedKey:
        assert key_id == served["publicKey"]["id"]
        return ResolvedKey(key_id, served["id"], served["publicKey"]["publicKeyPem"])

    verified = await verify_request("POST", url, headers, body, published_key)
    assert verified.owner == served["id"]


async def test_private_keys_are_loaded_once_per_process(client: TestClient) -> None:
    organisation = await Actor.get(handle="testorg")
    ring = KeyRing()
    first = await ring.signing_key(organisation)
    assert await ring.signing_key(organisation) is first


async def test_actor_documents_never_contain_private_keys(client: TestClient) -> None:
    text = await (await client.get("/actors/testorg", headers={"Accept": AS2})).text()
    assert "PRIVATE KEY" not in text
    assert "BEGIN PUBLIC KEY" in text
