"""Traffic shaped as real servers send it, over TLS with real host names.

Discovery as Takahe asks it (host-meta first, WebFinger with `Accept: application/json`, the
actor with both ActivityStreams types in one Accept header), and a post whose shapes real
servers use (a single-string `to`, `as:Public`, a single `tag` object, extra contexts),
delivered to Townhall by bovine's own delivery pipeline.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable

import pytest

from tests.interop.conftest import Interop
from tests.interop.servers import BovineUser
from tests.interop.steps import Step

pytestmark = pytest.mark.interop

TAKAHE_ACCEPT = "application/activity+json,application/ld+json"


async def test_discovery_as_takahe_asks_it(interop: Interop) -> None:
    townhall = interop.townhall
    base, host = townhall.site.url, townhall.site.host
    step = Step("takahe-shaped requests", "host-meta, then WebFinger, then the actor")

    status, xrd = await townhall.http.request(step, "GET", f"{base}/.well-known/host-meta")
    step.check(status == 200 and "lrdd" in str(xrd), "host-meta gives no lrdd template")

    status, jrd = await townhall.http.request(
        step,
        "GET",
        f"{base}/.well-known/webfinger?resource=acct:{townhall.handle}@{host}",
        headers={"Accept": "application/json"},
    )
    links = jrd.get("links", []) if isinstance(jrd, dict) else []
    step.check(
        status == 200
        and any(
            link.get("rel") == "self" and link.get("href") == townhall.organisation
            for link in links
        ),
        "WebFinger with Accept: application/json has no self link to the organisation",
    )

    status, actor = await townhall.http.request(
        step, "GET", townhall.organisation, headers={"Accept": TAKAHE_ACCEPT}
    )
    step.check(
        status == 200 and isinstance(actor, dict) and actor.get("id") == townhall.organisation,
        f"the actor asked for with Accept: {TAKAHE_ACCEPT} is not served as ActivityStreams",
    )


async def test_a_post_in_real_world_shapes_reaches_a_member(
    interop: Interop, bovine_user: Callable[[str], BovineUser]
) -> None:
    townhall = interop.townhall
    user = bovine_user("ed")
    member = f"m{uuid.uuid4().hex[:6]}"
    token = townhall.add_member(member)
    member_id = townhall.actor(member)

    # When bovine's user sends the member a post: to as one string, as:Public, one tag object
    step = Step("bovine", "a post with a single-string `to`, `as:Public` and one `tag` object")
    note = {
        "type": "Note",
        "attributedTo": user.id,
        "content": f"<p>Hello @{member}</p>",
        "to": member_id,
        "cc": "as:Public",
        "tag": {"type": "Mention", "href": member_id, "name": f"@{member}@{townhall.site.host}"},
    }
    post = {
        "@context": [
            "https://www.w3.org/ns/activitystreams",
            "https://w3id.org/security/v1",
            {"Hashtag": "as:Hashtag", "toot": "http://joinmastodon.org/ns#"},
        ],
        "type": "Create",
        "actor": user.id,
        "to": member_id,
        "cc": "as:Public",
        "object": note,
    }
    create_id = await user.post_outbox(step, post)
    # Then the member has it in her inbox
    await step.until(
        lambda: townhall.items(step, f"{member_id}/inbox", token),
        lambda items: any(isinstance(item, dict) and item.get("id") == create_id for item in items),
        f"the member's inbox listing bovine's Create {create_id}",
    )
