"""An inbox item holding text no database stores fails at once instead of being retried."""

from __future__ import annotations

import asyncio
import time

import pytest
from aiohttp.test_utils import TestClient

from node.models import InboxItem, InboxState, Object
from tests.web.test_fuzz_post_routes import REMOTE, as_create, remote_signer


@pytest.mark.parametrize("poison", ["\\ud800 alone", "a\\u0000b"])
async def test_a_stored_activity_with_a_lone_surrogate_or_nul_fails_once_not_forever(
    client: TestClient, poison: str
) -> None:
    await remote_signer()  # the author is known: applying would go as far as storing the note
    item = await InboxItem.create(  # as an older version, which did not refuse it, stored it
        activity_uri=f"{REMOTE}/create/1",
        activity_type="Create",
        actor_uri=REMOTE,
        signer_key_id=f"{REMOTE}#main-key",
        payload=as_create(poison).decode(),
    )
    deadline = time.monotonic() + 15  # the app's own inbox worker polls every few seconds
    while (await InboxItem.get(id=item.id)).attempts == 0 and time.monotonic() < deadline:
        await asyncio.sleep(0.1)
    stored = await InboxItem.get(id=item.id)
    assert stored.state == InboxState.FAILED and stored.attempts == 1, stored.error
    assert "lone surrogate" in stored.error
    assert not await Object.filter(uri=f"{REMOTE}/notes/1").exists()
