"""A proposal in English and Welsh crosses to another Townhall node and to a Mastodon-shaped
follower with its contentMap, nameMap and summaryMap intact, on Create and on Update; the other
node shows Welsh to a Welsh reader and English to others."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import aiohttp

from tests.fakes import FakeRemote
from tests.flows.test_thread_across_nodes import TIMEOUT, holds
from tests.support.nodes import (
    eventually,
    follow_organisation,
    object_id,
    post_outbox,
    running_node,
)

PROPOSAL = {
    "type": "Article",
    "language": "en",
    "name": "Plant trees on Mill Street",
    "summary": "The street is hot in summer.",
    "source": "Shade would help **everyone** walking to school.",
    "nameMap": {"cy": "Plannu coed ar Stryd y Felin"},
    "summaryMap": {"cy": "Mae'r stryd yn boeth yn yr haf."},
    "sourceMap": {"cy": "Byddai cysgod yn helpu **pawb** sy'n cerdded i'r ysgol."},
}
WELSH_READER = {"Accept": "text/html", "Accept-Language": "cy"}


def articles(remote: FakeRemote, kind: str) -> list[dict[str, Any]]:
    """The Articles of the `kind` activities the remote's inboxes received."""
    return [
        received.json["object"]
        for received in remote.received(kind)
        if isinstance(received.json.get("object"), dict)
        and received.json["object"].get("type") == "Article"
    ]


async def page_text(url: str, headers: dict[str, str]) -> str:
    async with aiohttp.ClientSession() as session, session.get(url, headers=headers) as response:
        assert response.status == 200, response.status
        return await response.text()


async def test_a_two_language_proposal_reaches_a_node_and_mastodon_with_its_maps(
    tmp_path: Path,
) -> None:
    with (
        running_node(tmp_path / "a", "orga") as a,
        running_node(tmp_path / "b", "orgb") as b,
    ):
        org, bob = a.token("orga"), b.add_member("bob")
        await follow_organisation(b, "bob", bob, a)
        async with FakeRemote(software="mastodon") as mastodon:
            mona = mastodon.add_actor("mona")
            follow = mastodon.follow(mona, a.organisation)
            assert (await mastodon.deliver(mona, f"{a.base}/inbox", follow))[0] == 202
            await mastodon.wait_for(lambda r: r.type == "Accept", timeout=TIMEOUT)

            # When A's organisation publishes a proposal in English and Welsh
            status, create = await post_outbox(a, "orga", org, PROPOSAL)
            assert status == 201, create
            sent = create["object"]
            assert set(sent["contentMap"]) == set(sent["nameMap"]) == {"en", "cy"}

            # Then the Mastodon follower gets the Article with its maps as A made them
            await mastodon.wait_for(lambda r: r.type == "Create", timeout=TIMEOUT)
            [got] = articles(mastodon, "Create")
            for key in ("contentMap", "nameMap", "summaryMap", "content", "name"):
                assert got[key] == sent[key], key
            assert "<strong>pawb</strong>" in got["contentMap"]["cy"]

            # and B holds it, showing Welsh to a Welsh reader and English to others
            await eventually(
                lambda: holds(b, sent["id"]),
                lambda n: n == 1,
                what="B holds the proposal",
                timeout=TIMEOUT,
            )
            on_b = f"{b.base}/remote/objects/{await object_id(b, sent['id'])}"
            welsh = await page_text(on_b, WELSH_READER)
            assert "Plannu coed ar Stryd y Felin</h1>" in welsh
            assert "<strong>pawb</strong>" in welsh and "Read in English" in welsh
            english = await page_text(on_b, {"Accept": "text/html"})
            assert "Plant trees on Mill Street</h1>" in english
            assert "Darllen yn Gymraeg" in english

            # When A's organisation changes the Welsh title
            update = {
                "type": "Update",
                "object": {
                    "type": "Article",
                    "id": sent["id"],
                    "nameMap": {"cy": "Plannu derw ar Stryd y Felin"},
                    "sourceMap": PROPOSAL["sourceMap"],
                },
            }
            status, updated = await post_outbox(a, "orga", org, update)
            assert status == 201, updated

            # Then Mastodon's Update carries it, and B's Welsh page shows it
            await mastodon.wait_for(lambda r: r.type == "Update", timeout=TIMEOUT)
            [changed] = articles(mastodon, "Update")
            assert changed["nameMap"] == {
                "en": "Plant trees on Mill Street",
                "cy": "Plannu derw ar Stryd y Felin",
            }
            assert changed["contentMap"] == updated["object"]["contentMap"]
            await eventually(
                lambda: page_text(on_b, WELSH_READER),
                lambda text: "Plannu derw ar Stryd y Felin</h1>" in text,
                what="B shows the new Welsh title",
                timeout=TIMEOUT,
            )
