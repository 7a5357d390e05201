"""On an umbrella node a member of several organisations chooses which one a new proposal is
published for; a member of one is never asked; no one publishes for an organisation they do not
belong to, or for a suspended one."""

from __future__ import annotations

from aiohttp.test_utils import TestClient

from node.models import AccessRole, Account, Object, Proposal
from node.services import organisations
from node.services.tokens import create_token
from node.urls import NodeUrls
from tests.support.api import BASE, ORG, post, send
from tests.support.pages import member, page, sign_in_as, submit
from tests.web.test_member_pages import NEW, publish

FOODBANK = f"{BASE}/actors/foodbank"
ARTICLE = {"type": "Article", "name": "Food parcels", "summary": "On Saturdays too."}


async def food_bank() -> None:
    await organisations.add_organisation(NodeUrls(BASE), "foodbank", "Town Food Bank")


async def amina_of_the_food_bank_too(client: TestClient | None = None) -> None:
    """The food bank, and Amina, a member of the node's own organisation and of it (signed in
    on `client` when given)."""
    await food_bank()
    amina = await member("amina")
    await organisations.join(amina.id, "foodbank")
    if client is not None:
        await sign_in_as(client, "amina")


async def test_a_member_of_one_organisation_is_not_asked(client: TestClient) -> None:
    await food_bank()
    await member("amina")
    await sign_in_as(client, "amina")
    assert 'name="organisation"' not in await page(client, "/proposals/new")
    path = await publish(client)
    assert (await Object.get(type="Article")).document["audience"] == ORG
    assert path.startswith("/objects/")


async def test_a_member_of_two_chooses_and_the_proposal_is_the_chosen_ones(
    client: TestClient,
) -> None:
    await amina_of_the_food_bank_too(client)
    form = await page(client, "/proposals/new")
    assert '<select id="organisation" name="organisation"' in form
    assert f'<option value="{ORG}"' in form and "Town Food Bank</option>" in form
    await publish(client, organisation=FOODBANK)
    proposal = await Proposal.get().select_related("object", "organisation")
    assert proposal.organisation.uri == FOODBANK
    assert proposal.object.document["audience"] == FOODBANK
    assert FOODBANK in proposal.object.document["cc"]


async def test_the_proposal_page_says_which_organisation_it_is_published_for(
    client: TestClient,
) -> None:
    await amina_of_the_food_bank_too(client)
    for_the_food_bank = await page(client, await publish(client, organisation=FOODBANK))
    said = 'Published for <a href="/actors/foodbank"><bdi>Town Food Bank</bdi></a>.'
    assert said in for_the_food_bank
    own = await page(client, await publish(client, organisation=ORG, title="Open later"))
    assert 'Published for <a href="/actors/testorg">' in own
    assert "Town Food Bank" not in own


async def test_no_one_publishes_for_an_organisation_they_do_not_belong_to(
    client: TestClient,
) -> None:
    await food_bank()
    await member("amina")
    await sign_in_as(client, "amina")
    response = await submit(
        client, "/proposals/new", {**NEW, "organisation": FOODBANK, "action": "publish"}
    )
    assert response.status == 403
    assert "you are not one of its members" in await response.text()
    token = await create_token("amina")
    status, answer = await send(client, "amina", token, {**ARTICLE, "audience": FOODBANK})
    assert status == 403 and "not one of its members" in answer["error"]
    assert await Object.filter(type="Article").count() == 0  # nothing half-written


async def test_a_suspended_organisation_is_not_offered_and_takes_no_proposals(
    client: TestClient,
) -> None:
    await amina_of_the_food_bank_too()
    await organisations.set_suspended("foodbank", True, by_account_id=None)
    token = await create_token("amina")
    status, answer = await send(client, "amina", token, {**ARTICLE, "audience": FOODBANK})
    assert status == 403, answer
    created = await post(client, "amina", token, ARTICLE)
    assert created["object"]["audience"] == ORG  # the organisation she can still act for


async def test_a_hosted_organisations_token_posts_as_it_and_administers_nothing(
    client: TestClient,
) -> None:
    await food_bank()
    token = await create_token("foodbank")
    created = await post(client, "foodbank", token, ARTICLE)
    assert created["actor"] == FOODBANK and created["object"]["audience"] == FOODBANK
    assert (await Account.get(actor__handle="foodbank")).access_role == AccessRole.MEMBER
    await create_token("testorg")  # the node's own organisation's token administers the node
    assert (await Account.get(actor__handle="testorg")).access_role == AccessRole.ADMIN


async def test_a_node_of_one_organisation_does_not_say_it(client: TestClient) -> None:
    await member("amina")
    await sign_in_as(client, "amina")
    assert "Published for" not in await page(client, await publish(client))
