"""Black-box checks from the ActivityPub, WebFinger and NodeInfo requirements (CONFORMANCE)."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote, urlsplit
from xml.etree import ElementTree

import pytest
from aiohttp.test_utils import TestClient

import schemas
from node.services.collections import PAGE_SIZE
from node.services.members import add_member
from node.services.tokens import create_token
from node.urls import NodeUrls
from tests.support import webfinger_checks

BASE = "http://127.0.0.1:8000"
AS2 = "application/activity+json"
LD_PROFILE = 'application/ld+json; profile="https://www.w3.org/ns/activitystreams"'
ACCEPTS = [LD_PROFILE, AS2, "application/ld+json"]


async def member(handle: str = "alice") -> str:
    await add_member(NodeUrls(BASE), handle)
    return await create_token(handle)


async def post_note(client: TestClient, token: str, text: str) -> dict[str, Any]:
    response = await client.post(
        "/actors/alice/outbox",
        json={"type": "Note", "content": text},
        headers={"Authorization": f"Bearer {token}", "Content-Type": AS2},
    )
    assert response.status == 201
    return dict(await response.json(content_type=None))


async def get(client: TestClient, url: str, accept: str = AS2) -> tuple[int, Any]:
    response = await client.get(url.removeprefix(BASE), headers={"Accept": accept})
    return response.status, await response.json(content_type=None)


@pytest.mark.parametrize("accept", ACCEPTS)
async def test_a4_a5_every_document_in_each_activitystreams_accept(
    client: TestClient, accept: str
) -> None:
    token = await member()
    note = (await post_note(client, token, "hello"))["object"]["id"]
    for url in (
        f"{BASE}/actors/alice",
        note,
        f"{BASE}/actors/alice/outbox",
        f"{BASE}/actors/alice/followers",
    ):
        status, document = await get(client, url, accept)
        assert status == 200, url
        context = document["@context"]
        assert "https://www.w3.org/ns/activitystreams" in (
            context if isinstance(context, list) else [context]
        )
        assert document["id"] == url


async def test_b1_b2_actor_endpoints_are_absolute_and_on_this_host(client: TestClient) -> None:
    await member()
    _, actor = await get(client, f"{BASE}/actors/alice")
    for field in ("inbox", "outbox", "followers", "following"):
        assert actor[field].startswith(f"{BASE}/actors/alice/")
        status, _ = await get(client, actor[field]) if field != "inbox" else (200, None)
        assert status == 200
    assert actor["publicKey"]["owner"] == actor["id"]


async def test_c1_c2_c4_outbox_is_newest_first_and_pages_add_up(client: TestClient) -> None:
    token = await member()
    created = [await post_note(client, token, f"note {n}") for n in range(PAGE_SIZE + 3)]
    _, outbox = await get(client, f"{BASE}/actors/alice/outbox")
    assert outbox["type"] == "OrderedCollection"
    schemas.validate("ordered_collection", outbox)
    seen: list[str] = []
    page_url = outbox["first"]
    while page_url:
        _, page = await get(client, page_url)
        schemas.validate("ordered_collection_page", page)
        assert page["partOf"] == outbox["id"]
        seen += [item["id"] for item in page["orderedItems"]]
        page_url = page.get("next")
    assert seen == [activity["id"] for activity in reversed(created)]
    assert len(seen) == len(set(seen)) == outbox["totalItems"]


async def test_c3_followers_and_following_are_collections(client: TestClient) -> None:
    await member()
    for name in ("followers", "following"):
        _, collection = await get(client, f"{BASE}/actors/alice/{name}")
        assert collection["type"] in ("Collection", "OrderedCollection")
        assert collection["totalItems"] == 0


async def test_c5_inbox_is_not_readable_without_the_owners_token(client: TestClient) -> None:
    await member()
    response = await client.get("/actors/alice/inbox", headers={"Accept": AS2})
    assert response.status == 401


async def test_a8_unknown_object_is_404(client: TestClient) -> None:
    status, _ = await get(client, f"{BASE}/objects/never-was")
    assert status == 404


async def test_a10_object_url_serves_html_to_browsers(client: TestClient) -> None:
    token = await member()
    note = (await post_note(client, token, "<p>for people</p>"))["object"]["id"]
    response = await client.get(note.removeprefix(BASE), headers={"Accept": "text/html"})
    assert response.status == 200
    assert response.content_type == "text/html"
    assert "for people" in await response.text()


@pytest.mark.parametrize(
    "query",
    [
        "resource=acct:testorg@127.0.0.1:8000&rel=self",
        "rel=self&resource=acct:testorg@127.0.0.1:8000",
        "resource=acct:testorg@127.0.0.1:8000&rel=http://webfinger.net/rel/profile-page&rel=x",
        "resource=acct%3Atestorg%40127.0.0.1%3A8000",
    ],
)
async def test_h10_h11_any_rel_and_any_parameter_order(client: TestClient, query: str) -> None:
    response = await client.get(f"/.well-known/webfinger?{query}")
    assert response.status == 200
    assert (await response.json(content_type=None))["subject"] == "acct:testorg@127.0.0.1:8000"


async def test_h13_webfinger_round_trips_through_the_actor(client: TestClient) -> None:
    response = await client.get("/.well-known/webfinger?resource=acct:testorg@127.0.0.1:8000")
    jrd = await response.json(content_type=None)
    href = next(link["href"] for link in jrd["links"] if link["rel"] == "self")
    _, actor = await get(client, href)
    assert f"acct:{actor['preferredUsername']}@127.0.0.1:8000" == jrd["subject"]


async def test_i2_nodeinfo_as_plain_json(client: TestClient) -> None:
    response = await client.get("/nodeinfo/2.1", headers={"Accept": "application/json"})
    assert response.status == 200
    assert (await response.json(content_type=None))["version"] == "2.1"


async def test_e8_sent_activities_carry_no_bto_or_bcc(client: TestClient) -> None:
    token = await member()
    response = await client.post(
        "/actors/alice/outbox",
        json={"type": "Note", "content": "x", "bto": [f"{BASE}/actors/testorg"]},
        headers={"Authorization": f"Bearer {token}", "Content-Type": AS2},
    )
    activity = await response.json(content_type=None)
    assert "bto" not in activity and "bto" not in activity["object"]


# H: WebFinger, the checks of FediTest's WebFinger server tests, from RFC 7033: the same checks
# run in the interop tier against the node behind TLS (tests/interop/test_feditest_checks.py).
ORG_ACCT = "acct:testorg@127.0.0.1:8000"
NODE = webfinger_checks.Target(BASE, "127.0.0.1:8000", "testorg")


def webfinger(client: TestClient) -> webfinger_checks.Fetch:
    async def fetch(query: str) -> webfinger_checks.Answer:
        response = await client.get(f"/.well-known/webfinger?{query}")
        body = await response.json(content_type=None)
        return webfinger_checks.Answer(
            response.status, response.content_type, response.headers, body
        )

    return fetch


async def test_h1_h5_h12_a_query_returns_a_valid_jrd_with_cors(client: TestClient) -> None:
    await webfinger_checks.check_a_valid_jrd_with_cors(webfinger(client), NODE)


@pytest.mark.parametrize("query", NODE.bad_queries())
async def test_h2_h3_no_resource_or_one_without_a_scheme_is_400(
    client: TestClient, query: str
) -> None:
    await webfinger_checks.check_refused_with_400(webfinger(client), query)


@pytest.mark.parametrize("resource", NODE.not_here() + NODE.unknown_schemes())
async def test_h4_h9_what_is_not_here_or_in_an_unknown_scheme_is_404(
    client: TestClient, resource: str
) -> None:
    await webfinger_checks.check_not_found(webfinger(client), resource)


async def test_h9_the_actors_own_url_gives_the_same_jrd(client: TestClient) -> None:
    await webfinger_checks.check_the_actor_url_gives_the_same_jrd(webfinger(client), NODE)


@pytest.mark.parametrize(("rels", "kept"), webfinger_checks.REL_FILTERS)
async def test_h10_rel_filters_the_links(
    client: TestClient, rels: list[str], kept: list[str] | None
) -> None:
    await webfinger_checks.check_rel_filters_the_links(webfinger(client), NODE, rels, kept)


async def test_host_meta_template_leads_to_the_jrd(client: TestClient) -> None:
    response = await client.get("/.well-known/host-meta")
    assert response.status == 200
    assert response.content_type == "application/xrd+xml"
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    root = ElementTree.fromstring(await response.text())
    assert root.tag == "{http://docs.oasis-open.org/ns/xri/xrd-1.0}XRD"
    (link,) = [child for child in root if child.get("rel") == "lrdd"]
    url = link.get("template", "").replace("{uri}", quote(ORG_ACCT, safe=""))
    assert url.startswith(f"{BASE}/.well-known/webfinger?")
    followed = await client.get(url.removeprefix(BASE))
    assert followed.status == 200
    assert (await followed.json(content_type=None))["subject"] == ORG_ACCT


# I: NodeInfo (jhass/nodeinfo PROTOCOL.md)
NODEINFO_RELS = (
    "http://nodeinfo.diaspora.software/ns/schema/2.0",
    "http://nodeinfo.diaspora.software/ns/schema/2.1",
)


async def nodeinfo_href(client: TestClient) -> str:
    response = await client.get("/.well-known/nodeinfo")
    assert response.status == 200
    links = (await response.json(content_type=None))["links"]
    hrefs = [link["href"] for link in links if link["rel"] in NODEINFO_RELS]
    assert hrefs and all(urlsplit(href).scheme in ("http", "https") for href in hrefs)
    return str(hrefs[0])


async def test_i1_nodeinfo_discovery_links_a_schema_with_an_absolute_href(
    client: TestClient,
) -> None:
    href = await nodeinfo_href(client)
    assert href.startswith(f"{BASE}/")


@pytest.mark.parametrize("accept", ["application/json", "*/*", ""])
async def test_i2_i3_nodeinfo_is_json_with_its_schema_profile(
    client: TestClient, accept: str
) -> None:
    href = await nodeinfo_href(client)
    response = await client.get(href.removeprefix(BASE), headers={"Accept": accept})
    assert response.status == 200
    media_type, _, parameters = response.headers["Content-Type"].partition(";")
    assert media_type.strip() == "application/json"
    version = (await response.json(content_type=None))["version"]
    assert f'profile="http://nodeinfo.diaspora.software/ns/schema/{version}#"' in parameters


async def test_i4_nodeinfo_validates_and_speaks_activitypub(client: TestClient) -> None:
    await member()
    href = await nodeinfo_href(client)
    document = await (await client.get(href.removeprefix(BASE))).json(content_type=None)
    schemas.validate("nodeinfo", document)
    assert "activitypub" in document["protocols"]
    assert document["usage"]["users"]["total"] == 1
