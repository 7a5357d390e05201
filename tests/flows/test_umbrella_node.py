"""An umbrella body's node hosts three organisations, each federating as itself: another node
follows two of them and hears only what they publish; a member of two organisations publishes
for each, and not for one they do not belong to; WebFinger and NodeInfo know every
organisation, and a suspended one disappears from both. A reply from the other node in the
food bank's thread is the food bank's moderators' to remove, not the umbrella body's."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import aiohttp

from tests.flows.test_servers_following_only_the_organisation import comment_on, gone_at
from tests.support.member_sessions import MemberSession
from tests.support.nodes import (
    FOLLOW_TIMEOUT,
    RunningNode,
    collection_items,
    count_rows,
    eventually,
    fetch_value,
    get_json,
    object_id,
    post_outbox,
    running_node,
)
from tests.support.pages import PASSWORD

TIMEOUT = 30


def proposal(title: str, audience: str | None = None) -> dict[str, Any]:
    article = {"type": "Article", "name": title, "summary": f"{title}, in short."}
    return article | ({"audience": audience} if audience else {})


async def follow(node: RunningNode, handle: str, token: str, home: RunningNode, group: str) -> None:
    """Member `handle` of `node` follows the organisation `group` hosted by `home`."""
    status, answer = await post_outbox(
        node, handle, token, {"type": "Follow", "object": f"@{group}@{home.host}"}
    )
    assert status == 201, answer
    await eventually(
        lambda: collection_items(f"{node.actor(handle)}/following"),
        lambda items: home.actor(group) in items,
        what=f"{handle} follows {group}",
        timeout=FOLLOW_TIMEOUT,
    )


async def webfinger(node: RunningNode, handle: str) -> int:
    url = f"{node.base}/.well-known/webfinger?resource=acct:{handle}@{node.host}"
    async with aiohttp.ClientSession() as session, session.get(url) as response:
        return response.status


async def nodeinfo_organisations(node: RunningNode) -> list[str]:
    status, document = await get_json(f"{node.base}/nodeinfo/2.1")
    assert status == 200
    return [each["id"] for each in document["metadata"]["organisations"]]


async def audience_on(node: RunningNode, uri: str) -> str:
    document = await fetch_value(node, f"SELECT document FROM object WHERE uri = '{uri}'")
    return str((json.loads(document) if isinstance(document, str) else document)["audience"])


async def removal_by_moderators(umbrella: RunningNode, proposal_uri: str, reply: str) -> None:
    """The umbrella body's moderator colm is refused the reply in the food bank's thread; the
    food bank's moderator fern removes it, and the food bank's Delete goes out."""
    for handle, organisation in (("colm", "cvc"), ("fern", "foodbank")):
        umbrella.cli("user", "add", handle, "--password-stdin", stdin=PASSWORD)
        umbrella.cli("organisation", "join", organisation, handle)
        umbrella.cli("organisation", "role", organisation, handle, "moderator")
    page = proposal_uri.removeprefix(umbrella.base)
    action = f"/remote/objects/{await object_id(umbrella, reply)}/remove"
    colm, fern = MemberSession(umbrella), MemberSession(umbrella)
    try:
        await colm.sign_in("colm")
        assert f'action="{action}"' not in await colm.get(page)
        status, _where, _text = await colm.submit(page, action, {})
        assert status == 403
        assert await count_rows(umbrella, "object", f"uri = '{reply}' AND deleted_at IS NULL")
        await fern.sign_in("fern")
        assert f'action="{action}"' in await fern.get(page)
        await fern.post(page, action, {})
        assert "Buy my miracle diet" not in await fern.get(page)
    finally:
        await colm.close()
        await fern.close()
    await gone_at(umbrella, reply)
    food_bank = f"(SELECT id FROM actor WHERE uri = '{umbrella.actor('foodbank')}')"
    told = f"type = 'Delete' AND object_uri = '{reply}' AND actor_id = {food_bank}"
    assert await count_rows(umbrella, "activity", told) == 1


async def test_three_organisations_on_one_node_federate_each_as_itself(tmp_path: Path) -> None:
    with (
        running_node(tmp_path / "u", "cvc") as umbrella,
        running_node(tmp_path / "b", "orgb") as other,
    ):
        umbrella.cli("organisation", "add", "foodbank", "--name", "Town Food Bank")
        umbrella.cli("organisation", "add", "carers", "--name", "Carers' Centre")
        ada = umbrella.add_member("ada")  # a member of the node's own organisation…
        umbrella.cli("organisation", "join", "foodbank", "ada")  # …and of the food bank
        bob = other.add_member("bob")

        # discovery knows every organisation
        for handle in ("cvc", "foodbank", "carers"):
            assert await webfinger(umbrella, handle) == 200
        assert await nodeinfo_organisations(umbrella) == [
            umbrella.actor("cvc"), umbrella.actor("foodbank"), umbrella.actor("carers")
        ]  # fmt: skip

        # the other node follows the food bank and the carers' centre, not the umbrella body
        await follow(other, "bob", bob, umbrella, "foodbank")
        await follow(other, "bob", bob, umbrella, "carers")

        # ada publishes once for each of her organisations, and may not for the third
        status, for_own = await post_outbox(umbrella, "ada", ada, proposal("Warm spaces"))
        assert status == 201, for_own
        own_uri = for_own["object"]["id"]
        assert for_own["object"]["audience"] == umbrella.actor("cvc")  # her first, by default
        food = proposal("Saturday food parcels", umbrella.actor("foodbank"))
        status, for_food = await post_outbox(umbrella, "ada", ada, food)
        assert status == 201, for_food
        food_uri = for_food["object"]["id"]
        status, refused = await post_outbox(
            umbrella, "ada", ada, proposal("Respite breaks", umbrella.actor("carers"))
        )
        assert status == 403, refused
        assert "not one of its members" in refused["error"]

        # the food bank relays its proposal: the other node holds it, published for the food bank
        await eventually(
            lambda: count_rows(other, "object", f"uri = '{food_uri}'"),
            lambda n: n == 1,
            what="the other node holds the food bank's proposal",
            timeout=TIMEOUT,
        )
        assert await audience_on(other, food_uri) == umbrella.actor("foodbank")
        relayed = await collection_items(f"{umbrella.actor('foodbank')}/outbox")
        assert [item["object"] for item in relayed if item["type"] == "Announce"] == [food_uri]
        # …and the umbrella body, which the other node does not follow, relayed its own to no one
        umbrella_relayed = await collection_items(f"{umbrella.actor('cvc')}/outbox")
        assert [item["object"] for item in umbrella_relayed if item["type"] == "Announce"] == [
            own_uri
        ]
        assert await count_rows(other, "object", f"uri = '{own_uri}'") == 0

        # a reply from the other node: the food bank's moderator removes it from its thread,
        # and the food bank tells its followers; the umbrella body's own moderator may not
        reply = await comment_on(other, "bob", bob, food_uri, "Buy my miracle diet")
        await eventually(
            lambda: count_rows(umbrella, "object", f"uri = '{reply}'"),
            lambda n: n == 1,
            what="the umbrella node holds the reply",
            timeout=TIMEOUT,
        )
        await removal_by_moderators(umbrella, food_uri, reply)

        # each organisation's profile lists its own proposals only
        async with aiohttp.ClientSession() as session:
            page_of = {"headers": {"Accept": "text/html"}}
            async with session.get(umbrella.actor("foodbank"), **page_of) as response:
                page = await response.text()
            assert "Saturday food parcels" in page and "Warm spaces" not in page

        # suspended, the carers' centre is gone from discovery; the others stay
        umbrella.cli("organisation", "suspend", "carers")
        assert await webfinger(umbrella, "carers") == 404
        assert await webfinger(umbrella, "foodbank") == 200
        assert await nodeinfo_organisations(umbrella) == [
            umbrella.actor("cvc"), umbrella.actor("foodbank")
        ]  # fmt: skip
        status, _gone = await get_json(umbrella.actor("carers"))
        assert status in (404, 410)
