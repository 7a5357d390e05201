"""The pages visitors read: home, the proposal list, a proposal with everything around it."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import Any

from aiohttp.test_utils import TestClient

from node.models import Object
from node.services import remote_objects
from node.services.remote_actors import save_actor
from tests.support.api import BASE, post, token_for
from tests.support.pages import page
from tests.web.test_proposals import PROPOSAL

HOSTILE = '<script>alert(1)</script>"><img src=x onerror=alert(2)>'


def path(url: str) -> str:
    return url.removeprefix(BASE)


async def propose(client: TestClient, token: str, **changes: Any) -> dict[str, Any]:
    return dict((await post(client, "alice", token, {**PROPOSAL, **changes}))["object"])


async def hostile_remote_comment(in_reply_to: str) -> Object:
    actor = await save_actor(
        {
            "id": "https://evil.example/users/mallory",
            "type": "Person",
            "preferredUsername": "mallory",
            "name": HOSTILE,
            "summary": HOSTILE,
            "url": "javascript:alert(3)",
            "inbox": "https://evil.example/users/mallory/inbox",
        }
    )
    stored = await remote_objects.store_object(
        {
            "id": "https://evil.example/notes/1",
            "type": "Note",
            "attributedTo": actor.uri,
            "inReplyTo": in_reply_to,
            "content": f'<p>{HOSTILE}<a href="javascript:alert(4)">x</a></p>',
            "published": "2026-11-01T10:00:00Z",
            "to": ["https://www.w3.org/ns/activitystreams#Public"],
        },
        actor,
    )
    return stored.row


def assert_nothing_executable(html: str) -> None:
    assert "<script" not in html.lower()
    assert not re.search(r"<[^>]+\son\w+=", html, re.IGNORECASE), "an event handler attribute"
    assert "javascript:" not in html.lower()


async def test_home_lists_open_consultations_with_closing_dates(client: TestClient) -> None:
    token = await token_for("alice")
    await propose(client, token, name="Later one", closesAt="2027-03-01T00:00:00Z")
    await propose(client, token, name="Sooner one", closesAt="2027-01-15T00:00:00Z")
    html = await page(client, "/")
    assert html.index("Sooner one") < html.index("Later one")
    assert "15 January 2027" in html and "Open consultations" in html


async def test_the_list_filters_by_status_tag_and_words(client: TestClient) -> None:
    token = await token_for("alice")
    await propose(client, token, name="Library Sundays", tag=["libraries"])
    await propose(
        client, token, name="Bus passes", source="Free travel for carers", tag=["transport"]
    )
    assert "2 proposals found" in await page(client, "/proposals")
    by_tag = await page(client, "/proposals?tag=%23transport")
    assert "Bus passes" in by_tag and "Library Sundays" not in by_tag
    by_words = await page(client, "/proposals?q=carers+free")
    assert "Bus passes" in by_words and "1 proposal found" in by_words
    by_status = await page(client, "/proposals?status=adopted")
    assert "0 proposals found" in by_status
    refused = await page(client, "/proposals?status=nonsense", status=400)
    assert "unknown status" in refused


async def test_the_proposal_page_shows_sections_endorsements_and_discussion(
    client: TestClient,
) -> None:
    token = await token_for("alice")
    article = await propose(client, token)
    await post(client, "alice", token, {"type": "Like", "object": article["id"]})
    await post(
        client, "alice", token, {"type": "Note", "content": "Good idea", "inReplyTo": article["id"]}
    )
    html = await page(client, path(article["id"]))
    assert '<h1 id="proposal-title">Open the library on Sundays</h1>' in html
    assert 'id="section-evidence"' in html and "300 families" in html
    assert "Endorsements (1)" in html and "Good idea" in html
    assert "Sign in to take part" in html
    assert f'action="{path(article["id"])}/comments"' not in html
    # the one form a visitor gets: answering from their own account, elsewhere
    assert html.count("<form") - html.count('action="/sign-out"') == 1
    assert f'action="{path(article["id"])}/from-your-account"' in html


async def test_a_visitor_reading_a_proposal_is_given_no_cookie(client: TestClient) -> None:
    # the visitor's one form needs no session: reading sets nothing in the browser
    token = await token_for("alice")
    article = await propose(client, token)
    client.session.cookie_jar.clear()
    response = await client.get(path(article["id"]))
    assert response.status == 200
    assert "Set-Cookie" not in response.headers
    assert 'name="csrf_token"' not in await response.text()


async def test_versions_are_listed_and_compared_word_by_word(client: TestClient) -> None:
    token = await token_for("alice")
    article = await propose(client, token)
    update = {
        "type": "Update",
        "object": {
            "id": article["id"],
            "type": "Article",
            "summary": "Families need Sunday opening.",
        },
    }
    await post(client, "alice", token, update)
    html = await page(client, path(article["id"]))
    assert "Version 2." in html and "versions?from=1&amp;to=2" in html
    diff = await page(client, path(article["id"]) + "/versions?from=1&to=2")
    assert "[added] </span>Sunday</ins>" in diff and "[removed] </span>who</del>" in diff
    assert diff.count("No change.") >= 2  # title and text (and each section) are the same
    await page(client, path(article["id"]) + "/versions?from=2&to=1", status=400)
    await page(client, path(article["id"]) + "/versions?from=1&to=9", status=404)
    await page(client, path(article["id"]) + "/versions?from=x", status=400)


async def test_remote_content_is_sanitised_on_every_visitor_page(client: TestClient) -> None:
    token = await token_for("alice")
    article = await propose(client, token)
    await hostile_remote_comment(article["id"])
    for url in (path(article["id"]), "/", "/proposals", "/actors/alice"):
        html = await page(client, url)
        assert_nothing_executable(html)
    html = await page(client, path(article["id"]))
    assert "@mallory@evil.example" in html
    assert "&lt;script&gt;" in html or "alert(1)" not in html


async def test_a_hidden_comment_shows_a_marker_to_visitors(client: TestClient) -> None:
    token = await token_for("alice")
    article = await propose(client, token)
    note = (
        await post(
            client,
            "alice",
            token,
            {"type": "Note", "content": "Rude words", "inReplyTo": article["id"]},
        )
    )["object"]
    await Object.filter(uri=note["id"]).update(hidden_at=datetime.now(UTC))
    html = await page(client, path(article["id"]))
    assert "Rude words" not in html and "hidden by a moderator" in html
    assert "Rude words" not in await page(client, "/")


async def test_profiles_show_a_members_proposals(client: TestClient) -> None:
    token = await token_for("alice")
    await propose(client, token)
    html = await page(client, "/actors/alice")
    assert "Open the library on Sundays" in html
    await page(client, "/actors/nobody", status=404)
