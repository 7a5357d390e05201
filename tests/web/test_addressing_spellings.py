"""A client may name the Public collection as `as:Public` or `Public` (compacted JSON-LD): the
node reads it as public wherever it reads addressing, so what is stored, shown and delivered
agrees."""

from __future__ import annotations

import pytest
from aiohttp.test_utils import TestClient

from federation.vocab import PUBLIC
from node.models import Object
from tests.support.api import get, post, token_for


@pytest.mark.parametrize("spelling", ["as:Public", "Public"])
async def test_a_note_addressed_to_public_in_a_compacted_form_is_public(
    client: TestClient, spelling: str
) -> None:
    alice = await token_for("alice")
    created = await post(client, "alice", alice, {"type": "Note", "content": "Hi", "to": spelling})
    note = created["object"]
    assert await Object.get(uri=note["id"]).values_list("is_public", flat=True) is True
    status, served = await get(client, note["id"])  # a visitor may read it
    assert status == 200 and served["id"] == note["id"]
    assert note["to"] == [PUBLIC]  # and peers read it whatever JSON-LD they know
