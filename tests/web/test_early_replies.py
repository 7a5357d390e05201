"""A reply that arrives before its parent joins the parent's thread once the parent arrives."""

from __future__ import annotations

from aiohttp.test_utils import TestClient

from node.models import Object
from node.services import remote_objects
from node.services.remote_actors import save_actor

PUBLIC = ["https://www.w3.org/ns/activitystreams#Public"]


def note(number: int, in_reply_to: str | None, context: str) -> dict[str, object]:
    document: dict[str, object] = {
        "id": f"https://far.example/notes/{number}",
        "type": "Note",
        "attributedTo": "https://far.example/users/uma",
        "content": f"<p>note {number}</p>",
        "context": context,
        "published": f"2026-11-0{number}T10:00:00Z",
        "to": PUBLIC,
    }
    if in_reply_to:
        document["inReplyTo"] = in_reply_to
    return document


async def test_replies_stored_before_their_parent_join_its_thread(client: TestClient) -> None:
    uma = await save_actor(
        {
            "id": "https://far.example/users/uma",
            "type": "Person",
            "preferredUsername": "uma",
            "inbox": "https://far.example/users/uma/inbox",
        }
    )
    parent_id = "https://far.example/notes/1"
    thread = "https://far.example/contexts/main"
    await remote_objects.store_object(note(2, parent_id, "https://far.example/c/own"), uma)
    await remote_objects.store_object(note(3, "https://far.example/notes/2", "x:y"), uma)
    assert (await Object.get(uri="https://far.example/notes/2")).context_uri != thread
    await remote_objects.store_object(note(1, None, thread), uma)
    for number in (1, 2, 3):
        row = await Object.get(uri=f"https://far.example/notes/{number}")
        assert row.context_uri == thread, number
