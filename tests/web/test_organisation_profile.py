"""The organisation's profile lists the proposals published under its name."""

from __future__ import annotations

from datetime import UTC, datetime

from aiohttp.test_utils import TestClient

from node.models import Object
from tests.support.pages import member, page, sign_in_as
from tests.web.test_member_pages import publish


async def test_the_organisations_profile_lists_its_proposals(client: TestClient) -> None:
    await member("amina")
    await sign_in_as(client, "amina")
    await publish(client, title="Evening opening")
    await publish(client, title="Hidden away")
    await Object.filter(name="Hidden away").update(hidden_at=datetime.now(UTC))  # a moderator's
    for profile in ("/actors/testorg", "/actors/amina"):
        html = await page(client, profile)
        proposals = html.split('id="proposals-heading"')[1].split("</section>")[0]
        assert "Evening opening" in proposals and "None yet." not in proposals, profile
        assert "Hidden away" not in proposals, profile
