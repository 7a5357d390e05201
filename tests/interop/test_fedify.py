"""Fedify, as a client, looks Townhall up and delivers to it, signed the way Fedify signs.

Fedify signs with RFC 9421 first and falls back to draft-cavage only when the first knock is
refused; the peer records every request it sends, so the scenarios can tell which one counted.
Townhall's deliveries back to Fedify are verified by Fedify itself (its inbox only keeps what
passed its signature check).
"""

from __future__ import annotations

import uuid
from typing import Any

import pytest

from tests.interop.conftest import Interop
from tests.interop.steps import Step

pytestmark = pytest.mark.interop

AS = "https://www.w3.org/ns/activitystreams"
PEER = "fedify"


def requests_to(requests: list[dict[str, Any]], url: str, method: str) -> list[dict[str, Any]]:
    """The recorded requests Fedify sent to `url` (fragment ignored) with `method`."""
    return [
        each
        for each in requests
        if each["method"] == method and each["url"].split("#")[0] == url.split("#")[0]
    ]


async def proposal(interop: Interop, title: str) -> dict[str, Any]:
    """The organisation publishes a proposal; the Create activity."""
    townhall = interop.townhall
    step = Step("townhall", f"the organisation publishes the proposal {title!r}")
    token = townhall.token(townhall.handle)
    return await townhall.post_outbox(
        step,
        townhall.handle,
        token,
        {
            "type": "Article",
            "name": title,
            "summary": f"<p>{title}, in short.</p>",
            "content": f"<p>{title}, in full.</p>",
        },
    )


@pytest.mark.parametrize("signed", [False, True], ids=["unsigned", "signed"])
async def test_fedify_looks_up_the_organisation_and_a_proposal(
    interop: Interop, signed: bool
) -> None:
    townhall, fedify = interop.townhall, interop.fedify
    how = "signed (RFC 9421)" if signed else "unsigned"
    create = await proposal(interop, f"Lookup {how} {uuid.uuid4().hex[:4]}")
    proposal_id = create["object"]["id"]
    handle = f"@{townhall.handle}@{townhall.site.host}"

    step = Step(PEER, f"WebFinger lookup of acct:{handle[1:]}")
    sent = {"resource": f"acct:{handle[1:]}"}
    jrd = (await fedify.control(step, "webfinger", sent))["jrd"]
    step.record("Fedify lookupWebFinger", sent, "ok", jrd)
    self_links = [link for link in (jrd or {}).get("links", []) if link.get("rel") == "self"]
    step.check(
        bool(self_links) and self_links[0].get("href") == townhall.organisation,
        "no self link to the organisation's actor",
    )

    for target, kind, check in (
        (handle, "Group", lambda found: found.get("preferredUsername") == townhall.handle),
        (proposal_id, "Article", lambda found: found.get("name") == create["object"]["name"]),
    ):
        step = Step(PEER, f"lookupObject {target} ({how})")
        sent = {"target": target, "signed": signed}
        found = (await fedify.control(step, "lookup", sent))["found"]
        step.record("Fedify lookupObject", sent, "ok", found)
        step.check(
            isinstance(found, dict) and found.get("type") == kind and check(found),
            f"Fedify did not get the {kind} back",
        )
        url = townhall.organisation if kind == "Group" else proposal_id
        gets = requests_to(await fedify.requests_sent(step), url, "GET")
        step.check(bool(gets), f"Fedify sent no GET of {url}", gets)
        last = gets[-1]
        expected = "rfc9421" if signed else "unsigned"
        step.check(
            last["scheme"] == expected and last["status"] == 200,
            f"the last GET of {url} was not {expected} and answered 200",
            last,
        )
        if signed:
            # accepted at the first knock: no draft-cavage retry of that GET
            step.check(
                all(each["scheme"] != "draft-cavage" for each in gets),
                "Fedify had to fall back to draft-cavage",
                gets,
            )


async def test_fedify_delivers_with_rfc9421_first_and_is_accepted_without_fallback(
    interop: Interop,
) -> None:
    townhall, fedify = interop.townhall, interop.fedify
    inbox = f"{townhall.organisation}/inbox"
    follow_id = f"{fedify.site.url}/follows/{uuid.uuid4().hex}"
    follow = {
        "@context": AS,
        "id": follow_id,
        "type": "Follow",
        "actor": fedify.actor,
        "object": townhall.organisation,
    }

    # When Fedify delivers a Follow, signed, to the organisation's inbox
    step = Step(PEER, "Fedify delivers a signed Follow to the organisation")
    before = len(await fedify.requests_sent(step))
    sent = {"recipient": townhall.organisation, "activity": follow}
    await fedify.control(step, "send", sent)
    posts = requests_to((await fedify.requests_sent(step))[before:], inbox, "POST")
    step.record(f"Fedify sendActivity → POST {inbox}", follow, "see requests", posts)
    # Then the first knock, RFC 9421, is accepted, and there is no second (draft-cavage) one
    step.check(len(posts) == 1, f"Fedify POSTed {len(posts)} times to {inbox}, not once", posts)
    step.check(
        posts[0]["scheme"] == "rfc9421" and posts[0]["status"] == 202,
        "the RFC 9421-signed POST was not answered 202",
        posts[0],
    )
    await step.until(
        lambda: townhall.items(step, f"{townhall.organisation}/followers"),
        lambda items: fedify.actor in items,
        f"the organisation's followers listing {fedify.actor}",
    )

    # And Townhall's Accept (draft-cavage signed) passes Fedify's own verification
    step = Step(PEER, "Townhall's Accept reaches Fedify and passes its signature check")
    await step.until(
        lambda: fedify.received(step),
        lambda received: any(
            each.get("type") == "Accept" and _object_id(each) == follow_id for each in received
        ),
        f"Fedify's inbox holding an Accept of {follow_id}",
    )

    # When the organisation publishes, the follower on Fedify receives it
    step = Step(PEER, "the organisation's proposal reaches Fedify")
    create = await proposal(interop, f"Delivered {uuid.uuid4().hex[:4]}")
    step.record("Townhall published", create, "201", None)
    await step.until(
        lambda: fedify.received(step),
        lambda received: any(each.get("id") == create["id"] for each in received),
        f"Fedify's inbox holding {create['id']}",
    )
    # (by now a second copy of the Accept, to Fedify's other inbox, would have arrived too)
    step = Step(PEER, "Townhall delivered its Accept once, not to both of Fedify's inboxes")
    received = await fedify.received(step)
    accepts = [
        each for each in received if each.get("type") == "Accept" and _object_id(each) == follow_id
    ]
    step.check(len(accepts) == 1, f"Fedify received {len(accepts)} Accepts", accepts)

    # When Fedify undoes its Follow, the organisation forgets the follower
    step = Step(PEER, "Fedify undoes its Follow")
    undo = {
        "@context": AS,
        "id": f"{follow_id}/undo",
        "type": "Undo",
        "actor": fedify.actor,
        "object": follow,
    }
    await fedify.control(step, "send", {"recipient": townhall.organisation, "activity": undo})
    await step.until(
        lambda: townhall.items(step, f"{townhall.organisation}/followers"),
        lambda items: fedify.actor not in items,
        f"the organisation's followers no longer listing {fedify.actor}",
    )


def _object_id(activity: dict[str, Any]) -> Any:
    inner = activity.get("object")
    return inner.get("id") if isinstance(inner, dict) else inner
