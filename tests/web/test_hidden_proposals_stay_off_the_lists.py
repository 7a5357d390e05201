"""A proposal a moderator hid stays off every list a visitor reads, as its own page does."""

from __future__ import annotations

from datetime import UTC, datetime

from aiohttp.test_utils import TestClient

from node.models import Object
from tests.support.api import post, token_for
from tests.support.pages import page


async def publish(client: TestClient, token: str, title: str) -> str:
    body = {
        "type": "Article",
        "name": title,
        "summary": "A summary.",
        "source": "Why it matters.",
        "proposalStatus": "open",
        "closesAt": "2099-01-31T17:00:00Z",
    }
    return str((await post(client, "alice", token, body))["object"]["id"])


async def test_a_hidden_proposal_is_left_off_the_proposal_list_and_the_home_page(
    client: TestClient,
) -> None:
    # Given two open consultations, one of which a moderator hid
    token = await token_for("alice")
    await publish(client, token, "Open the library on Sundays")
    hidden = await publish(client, token, "Close the swimming pool")
    await Object.filter(uri=hidden).update(hidden_at=datetime.now(UTC), hidden_reason="spam")
    # When a visitor reads the lists
    listing = await page(client, "/proposals")
    open_only = await page(client, "/proposals?status=open")
    home = await page(client, "/")
    # Then the hidden one is on none of them, the other on each
    for html in (listing, open_only, home):
        assert "Open the library on Sundays" in html
        assert "Close the swimming pool" not in html
