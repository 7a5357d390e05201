"""Discovery over HTTP: WebFinger, host-meta, NodeInfo, actor documents and content negotiation."""

from __future__ import annotations

import pytest
from aiohttp.test_utils import TestClient

import schemas

AS2 = "application/activity+json"
LD = 'application/ld+json; profile="https://www.w3.org/ns/activitystreams"'


async def test_webfinger_finds_the_organisation(client: TestClient) -> None:
    response = await client.get("/.well-known/webfinger?resource=acct:testorg@127.0.0.1:8000")
    assert response.status == 200
    assert response.content_type == "application/jrd+json"
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    document = await response.json(content_type=None)
    schemas.validate("webfinger", document)
    assert document["subject"] == "acct:testorg@127.0.0.1:8000"
    self_link = next(link for link in document["links"] if link["rel"] == "self")
    assert self_link == {
        "rel": "self",
        "type": AS2,
        "href": "http://127.0.0.1:8000/actors/testorg",
    }


async def test_webfinger_accepts_the_actor_url_as_resource(client: TestClient) -> None:
    response = await client.get(
        "/.well-known/webfinger", params={"resource": "http://127.0.0.1:8000/actors/testorg"}
    )
    assert response.status == 200
    assert (await response.json(content_type=None))["subject"] == "acct:testorg@127.0.0.1:8000"


@pytest.mark.parametrize(
    "resource",
    ["acct:nobody@127.0.0.1:8000", "acct:testorg@elsewhere.example", "https://x.example/a"],
)
async def test_webfinger_unknown_account_is_404(client: TestClient, resource: str) -> None:
    response = await client.get("/.well-known/webfinger", params={"resource": resource})
    assert response.status == 404


@pytest.mark.parametrize("query", ["", "?resource=", "?resource=testorg", "?resource=acct:@x"])
async def test_webfinger_malformed_resource_is_400(client: TestClient, query: str) -> None:
    response = await client.get(f"/.well-known/webfinger{query}")
    assert response.status == 400
    assert "resource" in (await response.json())["error"]


async def test_host_meta_points_at_webfinger(client: TestClient) -> None:
    response = await client.get("/.well-known/host-meta")
    assert response.status == 200
    assert "/.well-known/webfinger?resource={uri}" in await response.text()


async def test_nodeinfo_is_discoverable_and_valid(client: TestClient) -> None:
    links = await (await client.get("/.well-known/nodeinfo")).json()
    schemas.validate("nodeinfo_links", links)
    href = links["links"][0]["href"]
    assert href == "http://127.0.0.1:8000/nodeinfo/2.1"
    response = await client.get("/nodeinfo/2.1", headers={"Accept": "application/json"})
    assert response.status == 200
    assert "schema/2.1#" in response.headers["Content-Type"]
    document = await response.json(content_type=None)
    schemas.validate("nodeinfo", document)
    assert document["software"]["name"] == "townhall"
    assert document["protocols"] == ["activitypub"]
    assert document["usage"]["users"]["total"] == 0


@pytest.mark.parametrize("accept", [AS2, LD, "application/ld+json", f"text/html;q=0.5, {AS2}"])
async def test_actor_serves_activitystreams(client: TestClient, accept: str) -> None:
    response = await client.get("/actors/testorg", headers={"Accept": accept})
    assert response.status == 200
    assert response.content_type == AS2
    document = await response.json(content_type=None)
    schemas.validate("actor", document)
    assert document["type"] == "Group"
    assert document["preferredUsername"] == "testorg"
    assert document["publicKey"]["owner"] == document["id"]
    assert document["endpoints"]["sharedInbox"] == "http://127.0.0.1:8000/inbox"


@pytest.mark.parametrize("accept", ["text/html,application/xhtml+xml,*/*;q=0.8", "*/*", ""])
async def test_actor_serves_a_profile_page_to_browsers(client: TestClient, accept: str) -> None:
    response = await client.get("/actors/testorg", headers={"Accept": accept})
    assert response.status == 200
    assert response.content_type == "text/html"
    page = await response.text()
    assert "<h1><bdi>Test Org</bdi></h1>" in page
    assert "@testorg@127.0.0.1:8000" in page
    assert "default-src 'none'" in response.headers["Content-Security-Policy"]


async def test_unknown_actor_is_404_in_both_forms(client: TestClient) -> None:
    as_json = await client.get("/actors/nobody", headers={"Accept": AS2})
    assert as_json.status == 404
    assert "error" in await as_json.json()
    as_page = await client.get("/actors/nobody")
    assert as_page.status == 404
    assert "<h1>Page not found</h1>" in await as_page.text()


async def test_healthz(client: TestClient) -> None:
    response = await client.get("/healthz")
    assert response.status == 200
    assert (await response.json()) == {"status": "ok"}
