"""A member's reply deep in a remote thread reaches the thread's home, not only the one it answers;
a private reply reaches only whom it names and the one it answers."""

from __future__ import annotations

from typing import Any

from aiohttp.test_utils import TestClient

from node.models import Actor, Delivery
from node.services import remote_objects
from node.services.remote_actors import save_actor
from tests.support.api import BASE, post, token_for

PUBLIC = "https://www.w3.org/ns/activitystreams#Public"
HOME = "https://home.example"
CONTEXT = f"{HOME}/contexts/1"


async def remote(uri: str) -> Actor:
    handle = uri.rsplit("/", 1)[-1]
    return await save_actor(
        {"id": uri, "type": "Person", "preferredUsername": handle, "inbox": f"{uri}/inbox"}
    )


def note(uri: str, author: Actor, in_reply_to: str | None = None) -> dict[str, Any]:
    return {
        "id": uri,
        "type": "Note",
        "attributedTo": author.uri,
        "content": "<p>…</p>",
        "context": CONTEXT,
        "inReplyTo": in_reply_to,
        "published": "2026-01-01T10:00:00Z" if in_reply_to is None else "2026-01-01T11:00:00Z",
        "to": [PUBLIC],
    }


async def a_remote_thread() -> tuple[Actor, Actor, str]:
    """A thread kept on home.example (its first post by hana), with a reply from elsewhere."""
    hana = await remote(f"{HOME}/users/hana")
    rex = await remote("https://elsewhere.example/users/rex")
    first = note(f"{HOME}/notes/1", hana)
    reply = note("https://elsewhere.example/notes/2", rex, first["id"])
    for document, author in ((first, hana), (reply, rex)):
        await remote_objects.store_object(document, author)
    return hana, rex, reply["id"]


async def inboxes_sent(activity: dict[str, Any]) -> set[str]:
    uris = await Delivery.filter(activity_uri=activity["id"]).values_list("inbox_uri", flat=True)
    return {str(uri) for uri in uris}


async def test_a_public_reply_deep_in_a_remote_thread_reaches_the_threads_home(
    client: TestClient,
) -> None:
    hana, rex, reply = await a_remote_thread()
    dana = await token_for("dana")
    body = {"type": "Note", "content": "Me too", "inReplyTo": reply}
    create = await post(client, "dana", dana, body)
    assert create["object"]["context"] == CONTEXT
    assert {rex.uri, hana.uri} <= set(create["cc"])
    assert await inboxes_sent(create) == {rex.inbox_uri, hana.inbox_uri}


async def test_a_private_reply_in_a_remote_thread_reaches_only_the_one_it_answers(
    client: TestClient,
) -> None:
    hana, rex, reply = await a_remote_thread()
    dana = await token_for("dana")
    followers_only = [f"{BASE}/actors/dana/followers"]
    body = {"type": "Note", "content": "Psst", "inReplyTo": reply, "to": followers_only}
    create = await post(client, "dana", dana, body)
    assert hana.uri not in create.get("cc", []) + create.get("to", [])
    assert await inboxes_sent(create) == {rex.inbox_uri}
