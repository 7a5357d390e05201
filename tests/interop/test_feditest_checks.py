"""FediTest's WebFinger and server-to-server checks, against Townhall behind TLS on port 443
with a `.test` host name, as real servers reach it.

The WebFinger checks are those of FediTest's server tests (feditest-tests-fediverse), written
again from RFC 7033 in tests/support/webfinger_checks.py (CI reaches no code repository), and run
in process by tests/web/test_conformance.py too. The server-to-server checks are ActivityPub's
basics: the actor served under both ActivityStreams media types, a signed delivery (Fedify's)
accepted, an unsigned or badly signed one refused.
"""

from __future__ import annotations

import uuid
from typing import Any

import pytest

from tests.interop.conftest import Interop
from tests.interop.steps import Step
from tests.support import webfinger_checks
from tests.support.webfinger_checks import REL_FILTERS, Answer, Fetch, Target

pytestmark = pytest.mark.interop

AS = "https://www.w3.org/ns/activitystreams"
AS2 = "application/activity+json"
LD_PROFILE = 'application/ld+json; profile="https://www.w3.org/ns/activitystreams"'
# the names the checks are run with: Townhall's host on worker gw0 (see conftest.sites)
SAMPLE = Target("https://townhall.test", "townhall.test", "org")


def target(interop: Interop) -> Target:
    townhall = interop.townhall
    return Target(townhall.site.url, townhall.site.host, townhall.handle)


def webfinger(interop: Interop, step: Step) -> Fetch:
    async def fetch(query: str) -> Answer:
        url = f"{interop.townhall.site.url}/.well-known/webfinger?{query}"
        return await interop.http.exchange(step, "GET", url)

    return fetch


def on_this_node(interop: Interop, sample: str) -> str:
    """A sample query or resource made for SAMPLE, moved onto this worker's host."""
    return sample.replace(SAMPLE.host, interop.townhall.site.host)


async def test_webfinger_answers_a_valid_jrd_with_cors(interop: Interop) -> None:
    step = Step("townhall", "WebFinger of the organisation's acct: URI")
    await webfinger_checks.check_a_valid_jrd_with_cors(webfinger(interop, step), target(interop))


@pytest.mark.parametrize("query", SAMPLE.bad_queries())
async def test_webfinger_refuses_no_resource_or_one_without_a_scheme_with_400(
    interop: Interop, query: str
) -> None:
    step = Step("townhall", f"WebFinger ?{query}")
    await webfinger_checks.check_refused_with_400(
        webfinger(interop, step), on_this_node(interop, query)
    )


@pytest.mark.parametrize("resource", SAMPLE.not_here() + SAMPLE.unknown_schemes())
async def test_webfinger_answers_404_for_other_hosts_unknown_schemes_and_nobody(
    interop: Interop, resource: str
) -> None:
    step = Step("townhall", f"WebFinger of {resource}")
    await webfinger_checks.check_not_found(
        webfinger(interop, step), on_this_node(interop, resource)
    )


async def test_webfinger_of_the_actors_url_gives_the_same_jrd(interop: Interop) -> None:
    step = Step("townhall", "WebFinger of the organisation's actor URL")
    await webfinger_checks.check_the_actor_url_gives_the_same_jrd(
        webfinger(interop, step), target(interop)
    )


@pytest.mark.parametrize(("rels", "kept"), REL_FILTERS)
async def test_webfinger_rel_filters_the_links(
    interop: Interop, rels: list[str], kept: list[str] | None
) -> None:
    step = Step("townhall", f"WebFinger with rel={rels}")
    await webfinger_checks.check_rel_filters_the_links(
        webfinger(interop, step), target(interop), rels, kept
    )


@pytest.mark.parametrize("accept", [AS2, LD_PROFILE])
async def test_the_actor_is_served_under_either_activitystreams_media_type(
    interop: Interop, accept: str
) -> None:
    townhall = interop.townhall
    step = Step("townhall", f"GET the organisation with Accept: {accept}")
    answer = await interop.http.exchange(
        step, "GET", townhall.organisation, headers={"Accept": accept}
    )
    step.check(answer.status == 200, "the actor was not served")
    step.check(
        answer.media_type in (AS2, "application/ld+json"),
        f"served as {answer.media_type}, not ActivityStreams",
    )
    actor = answer.body
    step.check(isinstance(actor, dict) and actor.get("id") == townhall.organisation, "wrong id")
    for endpoint in ("inbox", "outbox", "followers"):
        step.check(
            str(actor.get(endpoint, "")).startswith(f"{townhall.site.url}/"),
            f"its {endpoint} is not an https URL on {townhall.site.host}",
        )
    key = actor.get("publicKey") or {}
    step.check(key.get("owner") == townhall.organisation, "its publicKey is not its own", key)


async def proposal_to_like(interop: Interop, step: Step) -> str:
    townhall = interop.townhall
    created = await townhall.post_outbox(
        step,
        townhall.handle,
        townhall.token(townhall.handle),
        {"type": "Article", "name": f"Liked {uuid.uuid4().hex[:4]}", "summary": "S"},
    )
    return str(created["object"]["id"])


def like_by_fedify(interop: Interop, target: str) -> dict[str, Any]:
    fedify = interop.fedify
    return {
        "@context": AS,
        "id": f"{fedify.site.url}/likes/{uuid.uuid4().hex}",
        "type": "Like",
        "actor": fedify.actor,
        "object": target,
    }


async def test_a_signed_delivery_is_accepted_and_an_unsigned_or_forged_one_refused(
    interop: Interop,
) -> None:
    townhall, fedify = interop.townhall, interop.fedify
    inbox = f"{townhall.organisation}/inbox"
    step = Step("townhall", "a proposal for the deliveries to like")
    proposal = await proposal_to_like(interop, step)

    # an unsigned POST, and one whose signature was never made by the key it names, are 401
    for signature in (None, "forged"):
        unsigned = like_by_fedify(interop, proposal)
        step = Step("townhall", f"POST a Like to the inbox, signature: {signature}")
        headers = {"Content-Type": AS2}
        if signature:
            headers["Signature"] = (
                f'keyId="{fedify.actor}#main-key",algorithm="rsa-sha256",'
                'headers="(request-target) host date",signature="Zm9yZ2Vk"'
            )
        answer = await interop.http.exchange(step, "POST", inbox, body=unsigned, headers=headers)
        step.check(answer.status == 401, f"answered {answer.status}, not 401")

    step = Step("townhall", "nothing was counted from them")
    status, likes = await townhall.get(step, f"{proposal}/likes")
    step.check(status == 200 and likes.get("totalItems") == 0, "a refused Like counted", likes)

    # the same Like, signed by Fedify, is accepted at the first knock and counted
    step = Step("fedify", "Fedify delivers a signed Like of the proposal")
    like = like_by_fedify(interop, proposal)
    before = len(await fedify.requests_sent(step))
    await fedify.control(step, "send", {"recipient": townhall.organisation, "activity": like})
    posts = [
        each
        for each in (await fedify.requests_sent(step))[before:]
        if each["method"] == "POST" and each["url"] == inbox
    ]
    step.check(
        len(posts) == 1 and posts[0]["status"] == 202, "the signed POST was not accepted", posts
    )
    await step.until(
        lambda: townhall.get(step, f"{proposal}/likes"),
        lambda answer: answer[0] == 200 and answer[1].get("totalItems") == 1,
        "the proposal counting Fedify's Like",
    )
