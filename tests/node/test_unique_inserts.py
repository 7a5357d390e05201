"""An insert that loses a race inside a transaction leaves that transaction usable: on
PostgreSQL a failed statement would abort everything after it (a member's reply to a comment
the inbox stored at the same moment failed with a 500 this way)."""

from __future__ import annotations

from datetime import UTC, datetime

from aiohttp.test_utils import TestClient
from tortoise.transactions import in_transaction

from node.models import Actor, Object
from node.services.unique_inserts import insert_unless_taken


async def test_a_taken_key_inside_a_transaction_leaves_it_usable(client: TestClient) -> None:
    # Given a transaction that goes on after an insert whose key was taken meanwhile
    author = await Actor.filter(is_local=True).first()
    assert author is not None
    fields = {"uri": "https://remote.example/notes/1", "type": "Note", "author": author,
              "published_at": datetime.now(UTC)}  # fmt: skip
    await Object.create(**fields)
    async with in_transaction():
        # When the insert is refused
        assert await insert_unless_taken(Object, **fields) is None
        # Then the transaction still runs statements and commits what follows
        await Object.create(**{**fields, "uri": "https://remote.example/notes/2"})
    assert await Object.filter(uri__startswith="https://remote.example/").count() == 2
