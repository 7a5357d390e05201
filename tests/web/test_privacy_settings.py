"""A member's privacy and safety settings: search consent in their actor document (FEP-268d),
and "hide me from search engines" on their profile and their items' pages."""

from __future__ import annotations

from aiohttp.test_utils import TestClient

from node.models import Account, Activity
from tests.support.api import AS2
from tests.support.pages import member, page, sign_in_as, submit
from tests.web.test_member_pages import publish

ROBOTS_META = '<meta name="robots" content="noindex, noarchive">'


async def _actor_document(client: TestClient, handle: str) -> dict[str, object]:
    response = await client.get(f"/actors/{handle}", headers={"Accept": AS2})
    document: dict[str, object] = await response.json(content_type=None)
    return document


async def test_a_member_consents_to_search_and_their_actor_document_says_so(
    client: TestClient,
) -> None:
    # Given Sam, who never chose: not indexable, not discoverable
    await member("sam")
    document = await _actor_document(client, "sam")
    assert document["indexable"] is False and document["discoverable"] is False
    context = document["@context"]
    assert isinstance(context, list) and context[-1]["indexable"] == "toot:indexable"
    # When Sam lets search find their posts and suggests their profile
    await sign_in_as(client, "sam")
    form = await page(client, "/settings/privacy")
    assert 'value="public" checked' in form
    fields = {"default_visibility": "followers", "indexable": "1", "discoverable": "1"}
    response = await submit(client, "/settings/privacy", fields)
    assert response.status == 303, await response.text()
    # Then the actor document carries both, and followers' servers are sent an Update
    document = await _actor_document(client, "sam")
    assert document["indexable"] is True and document["discoverable"] is True
    update = await Activity.filter(type="Update", actor__handle="sam").order_by("-id").first()
    assert update is not None and update.document["object"]["indexable"] is True
    # and the form shows the choices as saved
    form = await page(client, "/settings/privacy")
    assert 'value="followers" checked' in form
    assert 'name="indexable" type="checkbox" value="1" checked' in form
    account = await Account.get(actor__handle="sam")
    assert account.default_visibility == "followers" and not account.noindex


async def test_the_organisation_may_be_searched(client: TestClient) -> None:
    document = await _actor_document(client, "testorg")
    assert document["indexable"] is True and document["discoverable"] is True


async def test_changing_only_the_default_visibility_sends_no_update(client: TestClient) -> None:
    await member("sam")
    await sign_in_as(client, "sam")
    response = await submit(client, "/settings/privacy", {"default_visibility": "organisation"})
    assert response.status == 303
    assert not await Activity.filter(type="Update", actor__handle="sam").exists()


async def test_an_unknown_visibility_is_refused_with_the_choices_kept(client: TestClient) -> None:
    await member("sam")
    await sign_in_as(client, "sam")
    fields = {"default_visibility": "everyone-ever", "noindex": "1"}
    response = await submit(client, "/settings/privacy", fields)
    html = await response.text()
    assert response.status == 400 and "Choose who sees what you write." in html
    assert 'name="noindex" type="checkbox" value="1" checked' in html
    assert not (await Account.get(actor__handle="sam")).noindex


async def test_hide_me_from_search_engines_marks_the_profile_and_the_items_pages(
    client: TestClient,
) -> None:
    # Given Amina's proposal and profile, which search engines may index
    await member("amina")
    await sign_in_as(client, "amina")
    where = await publish(client)
    for path in ("/actors/amina", where):
        response = await client.get(path)
        assert "X-Robots-Tag" not in response.headers
        assert ROBOTS_META not in await response.text()
    # When Amina asks search engines to leave her alone
    response = await submit(
        client, "/settings/privacy", {"default_visibility": "public", "noindex": "1"}
    )
    assert response.status == 303
    await submit(client, "/sign-out", {}, token_from="/")
    # Then visitors' copies of both pages say so, in the page and in the header
    for path in ("/actors/amina", where):
        response = await client.get(path)
        assert response.headers["X-Robots-Tag"] == "noindex", path
        assert ROBOTS_META in await response.text(), path
    # but the organisation's profile does not
    response = await client.get("/actors/testorg")
    assert "X-Robots-Tag" not in response.headers
