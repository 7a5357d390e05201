"""An organisation on an umbrella node sets its own reply rule and language; its proposals
follow them unless they say otherwise, and the node's other organisations keep the node's."""

from __future__ import annotations

import pytest
from aiohttp.test_utils import TestClient

from node.models import Object, Proposal
from node.reply_policies import ReplyPolicy
from node.services import organisations
from node.services.errors import NotFound, ServiceError
from node.services.held_replies import rule_for
from node.services.organisation_settings import change_settings
from node.services.tokens import create_token
from node.urls import NodeUrls
from tests.support.api import BASE, post
from tests.support.pages import member

FOODBANK = f"{BASE}/actors/foodbank"
ARTICLE = {"type": "Article", "name": "Food parcels", "summary": "On Saturdays too."}


async def proposals_by_amina(client: TestClient) -> tuple[Proposal, Proposal]:
    """Amina's proposal for the food bank, then for the node's own organisation."""
    amina = await member("amina")
    await organisations.join(amina.id, "foodbank")
    token = await create_token("amina")
    await post(client, "amina", token, {**ARTICLE, "audience": FOODBANK})
    await post(client, "amina", token, ARTICLE)
    first, second = await Proposal.all().order_by("id").select_related("object")
    return first, second


async def test_an_organisation_s_own_rule_and_language_hold_for_its_proposals_only(
    client: TestClient,
) -> None:
    await organisations.add_organisation(NodeUrls(BASE), "foodbank", "Town Food Bank")
    await change_settings("foodbank", "followers", "cy")
    for_food, for_node = await proposals_by_amina(client)
    assert await rule_for(for_food) == ReplyPolicy.FOLLOWERS
    assert await rule_for(for_node) == ReplyPolicy.ANYONE  # the node's default
    assert for_food.object.language == "cy" and for_node.object.language == "en"
    said = await post(
        client, "amina", await create_token("amina"), {**ARTICLE, "audience": FOODBANK,
        "language": "en"},
    )  # fmt: skip
    assert (await Object.get(uri=said["object"]["id"])).language == "en"  # the author said


async def test_unset_the_node_s_settings_hold_again(client: TestClient) -> None:
    await organisations.add_organisation(NodeUrls(BASE), "foodbank", "Town Food Bank")
    await change_settings("foodbank", "members", "cy")
    await change_settings("foodbank", "", "")
    for_food, _for_node = await proposals_by_amina(client)
    assert await rule_for(for_food) == ReplyPolicy.ANYONE
    assert for_food.object.language == "en"


async def test_bad_settings_are_refused_and_change_nothing(client: TestClient) -> None:
    await organisations.add_organisation(NodeUrls(BASE), "foodbank", "Town Food Bank")
    await change_settings("foodbank", "followers", "")
    with pytest.raises(ServiceError, match="unknown reply rule"):
        await change_settings("foodbank", "everyone please", "")
    with pytest.raises(ServiceError, match="not 'fr'"):
        await change_settings("foodbank", "", "fr")
    with pytest.raises(NotFound):
        await change_settings("nobody", "", "")
    for_food, _for_node = await proposals_by_amina(client)
    assert await rule_for(for_food) == ReplyPolicy.FOLLOWERS
