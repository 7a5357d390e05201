"""A member may keep their profile role private: no page and no actor document shows it, yet
their endorsement still counts in the split by role, without their name."""

from __future__ import annotations

from aiohttp.test_utils import TestClient

from node.models import Account, Activity, Object
from tests.support.api import AS2, BASE
from tests.support.pages import member, page, sign_in_as, submit
from tests.web.test_member_pages import publish


async def test_a_private_role_is_shown_nowhere_but_still_counts_in_the_split(
    client: TestClient,
) -> None:
    # Given Sam, staff, who endorses a proposal of Amina's
    await member("amina")
    await member("sam", profile_role="staff")
    await sign_in_as(client, "amina")
    where = await publish(client)
    await submit(client, "/sign-out", {}, token_from="/")
    await sign_in_as(client, "sam")
    await submit(client, f"{where}/endorse", {"action": "endorse"}, token_from=where)
    assert "staff" in await page(client, "/actors/sam")
    # When Sam chooses to keep the role private (the role itself unchanged)
    form = await page(client, "/settings/profile")
    assert 'name="role_private"' in form and 'value="staff" selected' in form
    fields = {"name": "Sam", "summary": "", "role": "staff", "role_private": "1"}
    response = await submit(client, "/settings/profile", fields)
    assert response.status == 303, await response.text()
    # Then the profile page and the actor's document show no role
    assert not (await Account.get(actor__handle="sam")).role_public
    assert "staff" not in (await page(client, "/actors/sam")).lower()
    document = await (await client.get("/actors/sam", headers={"Accept": AS2})).json(
        content_type=None
    )
    assert "attachment" not in document, document
    update = await Activity.filter(type="Update", actor__handle="sam").order_by("-id").first()
    assert update is not None and "attachment" not in update.document["object"]
    # and the settings still say what the role is, kept private
    form = await page(client, "/settings/profile")
    assert (
        'value="staff" selected' in form
        and 'name="role_private" type="checkbox" value="1" checked' in form
    )
    # but the endorsement still counts as staff's
    proposal = await Object.get(type="Article")
    counts = await (
        await client.get(
            f"{proposal.uri.removeprefix(BASE)}/endorsements", headers={"Accept": "*/*"}
        )
    ).json(content_type=None)
    assert counts["staff"] == 1 and counts["total"] == 1
    # When Sam shows it again, the document carries it again
    fields.pop("role_private")
    await submit(client, "/settings/profile", fields)
    document = await (await client.get("/actors/sam", headers={"Accept": AS2})).json(
        content_type=None
    )
    assert document["attachment"] == [{"type": "PropertyValue", "name": "Role", "value": "Staff"}]
