"""Feeds: people follow the organisation's proposals, open consultations, decisions, a hashtag
and a proposal's comments in a feed reader, and see there only what a visitor may see."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import Any
from xml.etree import ElementTree

import feedparser
from aiohttp.test_utils import TestClient

from node.models import Actor, Object, Proposal, ProposalStatus
from node.services import remote_objects
from node.services.remote_actors import save_actor
from tests.support.api import BASE, post, token_for
from tests.support.pages import page
from tests.support.private_objects import DRAFT, FOLLOWERS_ONLY, MARKERS, seed_private_objects
from tests.web.test_pages_visitor import hostile_remote_comment
from tests.web.test_proposals import PROPOSAL

ATOM = "{http://www.w3.org/2005/Atom}"
LIST_FEEDS = ("/feeds/proposals", "/feeds/open", "/feeds/decisions", "/tags/libraries/feed")


async def fetch(client: TestClient, path: str, **headers: str) -> tuple[int, bytes, Any]:
    response = await client.get(path, headers=headers)
    return response.status, await response.read(), response.headers


async def atom(
    client: TestClient, path: str, canonical: str | None = None
) -> list[ElementTree.Element]:
    """The feed at `path`.atom (whose own address is `canonical`.atom), checked as a
    validator would; its entries."""
    status, body, answer_headers = await fetch(client, f"{path}.atom")
    assert status == 200, body[:500]
    assert answer_headers["Content-Type"].startswith("application/atom+xml")
    parsed = feedparser.parse(body)
    assert parsed.bozo == 0, parsed.get("bozo_exception")
    assert parsed.version == "atom10"
    root = ElementTree.fromstring(body)
    assert root.tag == f"{ATOM}feed"
    for name in ("id", "title", "updated"):
        assert (root.findtext(f"{ATOM}{name}") or "").strip(), f"the feed has no {name}"
    assert parsed.feed.updated_parsed is not None  # an RFC 3339 date
    assert root.find(f"{ATOM}link[@rel='self']").get("href") == f"{BASE}{canonical or path}.atom"
    entries = root.findall(f"{ATOM}entry")
    for entry in entries:
        for name in ("id", "title", "updated"):
            assert (entry.findtext(f"{ATOM}{name}") or "").strip(), f"an entry has no {name}"
        assert entry.find(f"{ATOM}link").get("href").startswith(("http://", "https://"))
        assert entry.findtext(f"{ATOM}author/{ATOM}name")
    return entries


async def rss(client: TestClient, path: str) -> list[ElementTree.Element]:
    """The feed at `path`.rss, checked as a validator would; its items."""
    status, body, answer_headers = await fetch(client, f"{path}.rss")
    assert status == 200, body[:500]
    assert answer_headers["Content-Type"].startswith("application/rss+xml")
    parsed = feedparser.parse(body)
    assert parsed.bozo == 0, parsed.get("bozo_exception")
    assert parsed.version == "rss20"
    channel = ElementTree.fromstring(body).find("channel")
    assert channel is not None
    for name in ("title", "link", "description"):
        assert (channel.findtext(name) or "").strip(), f"the channel has no {name}"
    items = channel.findall("item")
    for item in items:
        assert (item.findtext("guid") or "").strip(), "an item has no guid"
        assert item.findtext("title") or item.findtext("description")
    return items


def ids(entries: list[ElementTree.Element]) -> list[str]:
    return [entry.findtext(f"{ATOM}id") or "" for entry in entries]


def titles(entries: list[ElementTree.Element]) -> list[str]:
    return [entry.findtext(f"{ATOM}title") or "" for entry in entries]


async def propose(client: TestClient, token: str, **changes: Any) -> str:
    return str((await post(client, "alice", token, {**PROPOSAL, **changes}))["object"]["id"])


async def move(client: TestClient, token: str, uri: str, status: str) -> None:
    await post(
        client,
        "alice",
        token,
        {"type": "Update", "object": {"type": "Article", "id": uri, "proposalStatus": status}},
    )


def key(uri: str) -> str:
    return uri.removeprefix(f"{BASE}/objects/")


async def test_a_feed_reader_gets_the_organisations_proposals_newest_first(
    client: TestClient,
) -> None:
    token = await token_for("alice")
    first = await propose(client, token, name="Library Sundays")
    second = await propose(client, token, name="Bus passes for carers", tag=["transport"])
    entries = await atom(client, "/feeds/proposals")
    assert ids(entries) == [second, first]
    newest = entries[0]
    assert newest.findtext(f"{ATOM}summary") == PROPOSAL["summary"]
    assert "<strong>weekends</strong>" in (newest.findtext(f"{ATOM}content") or "")
    assert [c.get("term") for c in newest.findall(f"{ATOM}category")] == ["transport"]
    assert newest.find(f"{ATOM}link").get("href") == second


async def test_an_rss_reader_gets_a_channel_linking_the_page_and_a_guid_per_proposal(
    client: TestClient,
) -> None:
    token = await token_for("alice")
    uri = await propose(client, token)
    items = await rss(client, "/feeds/proposals")
    assert [item.findtext("guid") for item in items] == [uri]
    assert items[0].findtext("link") == uri
    _, body, _ = await fetch(client, "/feeds/proposals.rss")
    channel = ElementTree.fromstring(body).find("channel")
    assert channel is not None and channel.findtext("link") == f"{BASE}/proposals"


async def test_the_open_consultations_feed_leaves_out_closed_proposals(client: TestClient) -> None:
    token = await token_for("alice")
    still_open = await propose(client, token, name="Still open")
    closed = await propose(client, token, name="Closed already")
    await move(client, token, closed, "closed")
    assert ids(await atom(client, "/feeds/open")) == [still_open]
    assert [item.findtext("guid") for item in await rss(client, "/feeds/open")] == [still_open]
    assert set(ids(await atom(client, "/feeds/proposals"))) == {still_open, closed}


async def decide(client: TestClient, token: str, uri: str, outcome: str, **decision: Any) -> None:
    await move(client, token, uri, "closed")
    update = {"id": uri, "type": "Article", "proposalStatus": outcome}
    update["decision"] = {"source": "Decided, and why."}  # a decision comes with its response
    await post(client, "alice", token, {"type": "Update", "object": update})
    if decision:  # the decision form is another story's: its fields are written here
        await Proposal.filter(object_id=(await Object.get(uri=uri)).id).update(**decision)


async def test_the_decisions_feed_says_what_was_decided_and_why_latest_first(
    client: TestClient,
) -> None:
    token = await token_for("alice")
    sundays = await propose(client, token, name="Library Sundays")
    buses = await propose(client, token, name="Bus passes")
    older = await propose(client, token, name="Decided long ago")
    undecided = await propose(client, token, name="Still being discussed")
    # no decision date: decided before they were kept
    await decide(client, token, older, "changed", decided_at=None)
    for uri, outcome, day, text in (
        (sundays, "adopted", 30, "We will open on Sundays from March."),
        (buses, "dropped", 20, "The budget does not allow it."),
    ):
        await decide(
            client,
            token,
            uri,
            outcome,
            decided_at=datetime(2026, 11, day, 12, 0, tzinfo=UTC),
            decision_html=f"<p>{text}</p>",
        )
    entries = await atom(client, "/feeds/decisions")
    assert titles(entries) == [
        "Adopted: Library Sundays",
        "Dropped: Bus passes",
        "Adopted with changes: Decided long ago",
    ]
    assert ids(entries)[0] == f"{sundays}#decision" and undecided not in " ".join(ids(entries))
    assert "open on Sundays from March" in (entries[0].findtext(f"{ATOM}content") or "")
    assert entries[0].findtext(f"{ATOM}updated", "").startswith("2026-11-30T12:00:00")
    assert [item.findtext("title") for item in await rss(client, "/feeds/decisions")] == titles(
        entries
    )


async def test_a_hashtag_feed_has_only_the_proposals_with_that_hashtag(client: TestClient) -> None:
    token = await token_for("alice")
    libraries = await propose(client, token, name="Library Sundays", tag=["Libraries"])
    await propose(client, token, name="Bus passes", tag=["transport"])
    assert ids(await atom(client, "/tags/libraries/feed")) == [libraries]
    assert ids(await atom(client, "/tags/%23LIBRARIES/feed", "/tags/libraries/feed")) == [libraries]
    assert await rss(client, "/tags/nothing_yet/feed") == []
    status, body, _ = await fetch(client, "/tags/%E2%9C%A8/feed.atom")
    assert status == 400 and b"is not a hashtag" in body


async def test_a_proposals_comment_feed_has_its_local_and_remote_comments_made_safe(
    client: TestClient,
) -> None:
    token = await token_for("alice")
    proposal = await propose(client, token, name="Library Sundays")
    bob = await token_for("bob")
    comment = await post(
        client, "bob", bob, {"type": "Note", "content": "Sundays suit us", "inReplyTo": proposal}
    )
    remote = await hostile_remote_comment(proposal)
    other = await propose(client, token, name="Another thread")
    await post(client, "bob", bob, {"type": "Note", "content": "elsewhere", "inReplyTo": other})
    path = f"/objects/{key(proposal)}/comments"
    entries = await atom(client, path)
    assert ids(entries) == [comment["object"]["id"], remote.uri]
    assert titles(entries)[0] == "bob on “Library Sundays”"
    assert "evil.example" in titles(entries)[1]  # a remote author is named with their server
    _, body, _ = await fetch(client, f"{path}.atom")
    text = body.decode()
    assert "elsewhere" not in text
    for content in ElementTree.fromstring(body).iter(f"{ATOM}content"):
        html = (content.text or "").lower()
        assert "<script" not in html and "javascript:" not in html
        assert not re.search(r"<[^>]+\son\w+=", html)
    assert len(await rss(client, path)) == 2


async def test_drafts_and_private_items_never_appear_in_any_feed(client: TestClient) -> None:
    seeded = await seed_private_objects(client)
    alice = seeded.tokens["alice"]
    # more private things where the feeds look: a tagged draft, a followers-only reply in
    # the thread, a withdrawn proposal, a proposal hidden from pages
    await post(
        client,
        "alice",
        alice,
        {**PROPOSAL, "name": f"Draft {DRAFT}", "proposalStatus": "draft", "tag": ["libraries"]},
    )
    bob = await Actor.get(handle="bob", is_local=True)
    await post(
        client,
        "bob",
        seeded.tokens["bob"],
        {
            "type": "Note",
            "content": f"reply {FOLLOWERS_ONLY}",
            "to": [bob.followers_uri],
            "cc": [],
            "inReplyTo": seeded.proposal,
        },
    )
    withdrawn = await propose(client, alice, name="Withdrawn zq-withdrawn-marker")
    await post(client, "alice", alice, {"type": "Delete", "object": withdrawn})
    hidden = await propose(client, alice, name="Hidden zq-hidden-proposal-marker")
    await Object.filter(uri=hidden).update(hidden_at=datetime.now(UTC))
    await decide(client, alice, seeded.proposal, "adopted")
    for uri in (withdrawn, hidden):  # decided as well, so the decisions feed looks at them
        await Proposal.filter(object__uri=uri).update(status=ProposalStatus.ADOPTED)
    markers = (*MARKERS, "zq-withdrawn-marker", "zq-hidden-proposal-marker")

    paths = [*LIST_FEEDS, f"/objects/{key(seeded.proposal)}/comments"]
    shown = {}
    for path in paths:
        for extension in ("atom", "rss"):
            status, body, _ = await fetch(client, f"{path}.{extension}")
            assert status == 200, (path, body[:300])
            text = body.decode()
            assert not [marker for marker in markers if marker in text], (path, extension)
            shown[path, extension] = text
    for path in ("/feeds/proposals", "/feeds/decisions"):  # the public one is there
        assert seeded.proposal in shown[path, "atom"] and seeded.proposal in shown[path, "rss"]
    assert ids(await atom(client, "/feeds/decisions")) == [f"{seeded.proposal}#decision"]
    # a draft's, a withdrawn and a hidden proposal's and a comment's comment feeds are not
    for uri, expected in (
        (seeded.uris[DRAFT], 404),
        (hidden, 404),
        (withdrawn, 410),
        (seeded.uris[FOLLOWERS_ONLY], 404),
        (f"{BASE}/objects/no-such-thing", 404),
    ):
        for extension in ("atom", "rss"):
            status, body, _ = await fetch(client, f"/objects/{key(uri)}/comments.{extension}")
            assert status == expected, (uri, status)
            assert not [marker for marker in markers if marker in body.decode()]


async def test_a_feed_reader_asking_again_gets_not_modified_until_something_changes(
    client: TestClient,
) -> None:
    token = await token_for("alice")
    await propose(client, token)
    status, body, first = await fetch(client, "/feeds/proposals.atom")
    assert status == 200 and first["Cache-Control"] == "public, max-age=300"
    etag, modified = first["ETag"], first["Last-Modified"]
    status, body, again = await fetch(client, "/feeds/proposals.atom", **{"If-None-Match": etag})
    assert (status, body, again["ETag"]) == (304, b"", etag)
    status, body, _ = await fetch(
        client, "/feeds/proposals.atom", **{"If-Modified-Since": modified}
    )
    assert (status, body) == (304, b"")
    old = "Thu, 01 Jan 2015 00:00:00 GMT"
    status, body, _ = await fetch(client, "/feeds/proposals.atom", **{"If-Modified-Since": old})
    assert status == 200 and body
    status, _, _ = await fetch(client, "/feeds/proposals.atom", **{"If-Modified-Since": "soon"})
    assert status == 200
    await propose(client, token, name="Something new")
    status, body, changed = await fetch(client, "/feeds/proposals.atom", **{"If-None-Match": etag})
    assert status == 200 and b"Something new" in body and changed["ETag"] != etag
    status, _, rss_answer = await fetch(client, "/feeds/proposals.rss", **{"If-None-Match": etag})
    assert status == 200 and rss_answer["ETag"] != etag  # each format is its own version


async def test_pages_with_a_feed_announce_it_in_their_head(client: TestClient) -> None:
    token = await token_for("alice")
    proposal = await propose(client, token)

    async def announced(path: str) -> list[tuple[str, str]]:
        html = await page(client, path)
        head = html[: html.index("</head>")]
        return re.findall(
            r'<link rel="alternate" type="(application/(?:atom|rss)\+xml)"[^>]*href="([^"]+)"', head
        )

    home = await announced("/")
    assert {href for _, href in home} == {
        f"/feeds/{name}.{extension}"
        for name in ("proposals", "open", "decisions")
        for extension in ("atom", "rss")
    }
    assert ("application/atom+xml", "/tags/libraries/feed.atom") in await announced(
        "/proposals?tag=libraries"
    )
    comments = f"/objects/{key(proposal)}/comments"
    assert await announced(f"/objects/{key(proposal)}") == [
        ("application/atom+xml", f"{comments}.atom"),
        ("application/rss+xml", f"{comments}.rss"),
    ]
    assert await announced("/sign-in") == []
    for media_type, href in {*home, *await announced(f"/objects/{key(proposal)}")}:
        response = await client.get(href)
        assert response.status == 200 and response.headers["Content-Type"].startswith(media_type)


async def test_a_remote_comment_with_control_characters_still_makes_a_valid_feed(
    client: TestClient,
) -> None:
    token = await token_for("alice")
    proposal = await propose(client, token, name="Library Sundays")
    actor = await save_actor(
        {
            "id": "https://odd.example/users/vt",
            "type": "Person",
            "preferredUsername": "vt",
            "name": "Vertical\x0btab",
            "inbox": "https://odd.example/users/vt/inbox",
        }
    )
    await remote_objects.store_object(
        {
            "id": "https://odd.example/notes/1",
            "type": "Note",
            "attributedTo": actor.uri,
            "inReplyTo": proposal,
            "content": "<p>bell\x07 and escape\x1b[31m kept out</p>",
            "published": "2026-11-01T10:00:00Z",
            "to": ["https://www.w3.org/ns/activitystreams#Public"],
        },
        actor,
    )
    path = f"/objects/{key(proposal)}/comments"
    entries = await atom(client, path)
    assert "bell and escape[31m kept out" in (entries[0].findtext(f"{ATOM}content") or "")
    assert len(await rss(client, path)) == 1
