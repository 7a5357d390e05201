"""A node that learns of a thread late fetches it from its home's `context` (FEP-7888/f228).

Node A is the home of a proposal's thread; node D arrives late: its member follows A's
organisation after the conversation happened, or a reply to a proposal D never saw reaches it.
Either way D ends up holding the thread, fetched from A's `context` collection, within bounds.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from node.services.backfill_budget import BackfillLimits, Cooldown, RunBudget
from tests.fakes import FakeRemote
from tests.fakes.actors import FakeActor
from tests.support.nodes import (
    RunningNode,
    collection_items,
    count_rows,
    eventually,
    post_outbox,
    running_node,
)

AS2 = "https://www.w3.org/ns/activitystreams"
PUBLIC = f"{AS2}#Public"
LIMITS = BackfillLimits()
PROPOSAL = {
    "type": "Article",
    "name": "Open the library on Sundays",
    "summary": "Families who work weekdays cannot use the library.",
    "source": "Most users told us **weekends** matter.",
    "tag": ["libraries"],
}
ROUNDS = 6  # four comments a round: more than a newly followed outbox is read for


async def publish(node: RunningNode, handle: str, token: str, body: dict[str, Any]) -> str:
    """Post through the client API; the id of the object created."""
    status, create = await post_outbox(node, handle, token, body)
    assert status == 201, create
    return str(create["object"]["id"])


async def held(node: RunningNode, uris: list[str], where: str = "") -> int:
    """How many of these objects the node holds."""
    quoted = ", ".join(f"'{uri}'" for uri in uris)
    return await count_rows(node, "object", f"uri IN ({quoted}){where}")


async def backfill_done(node: RunningNode, target: str) -> None:
    """Wait for the node to log the end of the backfill run started by `target`."""

    async def finished() -> bool:
        return any(_is_done(line, target) for line in node.process.stderr_lines)

    await eventually(finished, bool, what=f"the backfill after {target} finished", timeout=60)


def _is_done(line: str, target: str) -> bool:
    try:
        event = json.loads(line)
    except ValueError:
        return False
    return event.get("event") == "backfill.done" and event.get("target") == target


async def comment_rounds(
    a: RunningNode, tokens: dict[str, str], remote: FakeRemote, proposal: str
) -> list[str]:
    """Remote users and A's members comment on the proposal and on each other."""
    uma, vic = remote.add_actor("uma"), remote.add_actor("vic")
    comments: list[str] = []
    for round_ in range(ROUNDS):
        first = remote.create_note(uma, f"<p>Idea {round_}</p>", in_reply_to=proposal)
        second = remote.create_note(
            vic, f"<p>Agreed {round_}</p>", in_reply_to=first["object"]["id"]
        )
        for activity, actor in ((first, uma), (second, vic)):
            assert (await remote.deliver(actor, f"{a.base}/inbox", activity))[0] == 202
            comments.append(activity["object"]["id"])
        body = {"type": "Note", "content": f"Staff view {round_}", "inReplyTo": proposal}
        comments.append(await publish(a, "bob", tokens["bob"], body))
        body = {"type": "Note", "content": f"Thanks {round_}", "inReplyTo": comments[-1]}
        comments.append(await publish(a, "alice", tokens["alice"], body))
    return comments


async def test_member_following_late_gets_the_whole_thread_from_context(tmp_path: Path) -> None:
    with running_node(tmp_path / "a", "orga") as a, running_node(tmp_path / "d", "orgd") as d:
        tokens = {"alice": a.add_member("alice"), "bob": a.add_member("bob")}
        dave = d.add_member("dave")
        async with FakeRemote(software="mastodon") as remote:
            # Given a proposal on A and a long conversation under it, from A and elsewhere
            proposal = await publish(a, "alice", tokens["alice"], PROPOSAL)
            comments = await comment_rounds(a, tokens, remote, proposal)
            thread = [proposal, *comments]
            context = f"{a.base}/contexts/{proposal.rsplit('/', 1)[-1]}"
            await eventually(
                lambda: collection_items(context),
                lambda items: set(items) == set(thread),
                what="A's context lists the whole thread",
                timeout=30,
            )
            assert await held(d, thread) == 0

            # When D's member follows A's organisation, after all that happened
            status, follow = await post_outbox(
                d,
                "dave",
                dave,
                {
                    "type": "Follow",
                    "object": f"@orga@{a.host}",
                },
            )
            assert status == 201, follow

            # Then D holds the proposal and every comment, all in A's thread: the outbox it
            # reads shows only the newest announces, the rest comes from the context
            await eventually(
                lambda: held(d, thread),
                lambda count: count == len(thread),
                what="D holds the whole thread",
                timeout=60,
            )
            assert await held(d, thread, f" AND context_uri = '{context}'") == len(thread)
            # the remote comments were fetched from their own server, signed by D
            fetched = await remote.wait_for(
                lambda r: r.method == "GET" and r.url == comments[0], timeout=15
            )
            assert fetched.signature.key_id == f"{d.organisation}#main-key"
            # and dave sees the thread on his timeline, the proposal under its hashtag
            timeline = await collection_items(f"{d.actor('dave')}/timeline", dave)
            assert {item["id"] for item in timeline} == set(thread)
            tagged = await collection_items(f"{d.actor('dave')}/timeline?tag=libraries", dave)
            assert [item["id"] for item in tagged] == [proposal]


async def test_reply_to_an_unknown_proposal_backfills_its_thread(tmp_path: Path) -> None:
    with running_node(tmp_path / "a", "orga") as a, running_node(tmp_path / "d", "orgd") as d:
        alice, bob = a.add_member("alice"), a.add_member("bob")
        proposal = await publish(a, "alice", alice, PROPOSAL)
        comment = await publish(
            a,
            "bob",
            bob,
            {
                "type": "Note",
                "content": "Staff view",
                "inReplyTo": proposal,
            },
        )
        context = f"{a.base}/contexts/{proposal.rsplit('/', 1)[-1]}"
        async with FakeRemote(software="mastodon") as remote:
            uma = remote.add_actor("uma")
            # When a Mastodon reply to A's proposal reaches D, which never saw the proposal
            reply = remote.create_note(uma, "<p>Count me in</p>", in_reply_to=proposal)
            assert (await remote.deliver(uma, f"{d.base}/inbox", reply))[0] == 202
            # Then D fetches the proposal, joins the reply to its thread, and fetches the rest
            everything = [proposal, comment, reply["object"]["id"]]
            await eventually(
                lambda: held(d, everything, f" AND context_uri = '{context}'"),
                lambda count: count == len(everything),
                what="D holds the thread the reply belongs to",
                timeout=30,
            )


async def test_backfill_stops_at_its_bounds(tmp_path: Path) -> None:
    with running_node(tmp_path / "d", "orgd") as d:
        async with (
            FakeRemote() as home,
            FakeRemote() as second,
            FakeRemote() as third,
            FakeRemote() as crowded,
        ):
            # Given a thread of 240 replies spread over three servers: more than a run fetches
            wide = await hosted_thread(home, "wide", [home, second, third], per_server=80)
            trigger = await reply_to(home, wide, d)
            await backfill_done(d, trigger)
            # Then D stops at the run's object bound (the root, fetched first, counts too)
            root_and_trigger = 2
            assert await count_rows(d, "object", f"context_uri = '{wide.context}'") == (
                LIMITS.max_objects - 1 + root_and_trigger
            )

            # Given a thread of 150 replies on one server
            narrow = await hosted_thread(crowded, "narrow", [crowded], per_server=150)
            trigger = await reply_to(crowded, narrow, d)
            await backfill_done(d, trigger)
            # Then D asks that server at most its per-host share (one more: the signer's key)
            gets = await eventually(
                lambda: count_gets(crowded),
                lambda count: count >= LIMITS.max_fetches_per_host,
                what="D used its share of GETs to the crowded server",
            )
            assert gets <= LIMITS.max_fetches_per_host + 1
            stored = await count_rows(d, "object", f"context_uri = '{narrow.context}'")
            assert 0 < stored < 150 + root_and_trigger


async def test_backfill_believes_objects_only_from_their_own_origin(tmp_path: Path) -> None:
    with running_node(tmp_path / "d", "orgd") as d:
        async with FakeRemote() as home, FakeRemote() as other:
            host, stranger = home.add_actor("host"), other.add_actor("stranger")
            context = f"{home.base_url}/contexts/trust"
            root = note(home, host, "root", None, context)
            honest = note(home, host, "honest", root, None)
            # a note on the home server that claims to be by someone on another server
            forged = f"{home.base_url}/notes/forged"
            home.publish(_note(forged, stranger.id, root, "forged"))
            # a note of the other server, embedded by the home with words it never said
            theirs = note(other, stranger, "theirs", root, None)
            embedded = _note(theirs, stranger.id, root, "embedded lie")
            # and a next page that lives on the other server
            elsewhere = f"{other.base_url}/contexts/trust?page=2"
            other.publish(
                {
                    "@context": AS2,
                    "id": elsewhere,
                    "type": "OrderedCollectionPage",
                    "partOf": context,
                    "orderedItems": [note(other, stranger, "far", root, None)],
                }
            )
            home.publish(
                {
                    "@context": AS2,
                    "id": context,
                    "type": "OrderedCollection",
                    "totalItems": 4,
                    "first": {
                        "type": "OrderedCollectionPage",
                        "id": f"{context}?page=1",
                        "partOf": context,
                        "orderedItems": [honest, forged, embedded],
                        "next": elsewhere,
                    },
                }
            )
            # When a reply to the root reaches D
            trigger = await reply_to(home, HostedThread(root, context), d)
            await backfill_done(d, trigger)
            # Then D holds the honest note and the other server's own version of its note
            assert await count_rows(d, "object", f"uri = '{honest}'") == 1
            assert await count_rows(d, "object", f"uri = '{forged}'") == 0
            assert (
                await count_rows(d, "object", f"uri = '{theirs}' AND content LIKE '%theirs%'") == 1
            )
            assert await count_rows(d, "object", "content LIKE '%lie%'") == 0
            # and never read the page on another origin
            await other.wait_for(lambda r: r.method == "GET" and r.url == theirs)
            assert not [r for r in other.requests if r.url == elsewhere]


async def count_gets(server: FakeRemote) -> int:
    """How many GETs the server has recorded (signed ones are recorded once checked)."""
    return len([r for r in server.requests if r.method == "GET"])


class HostedThread:
    """A thread whose home is a fake server: a root note and a paged context of replies."""

    def __init__(self, root: str, context: str) -> None:
        self.root = root
        self.context = context


async def hosted_thread(
    home: FakeRemote, name: str, servers: list[FakeRemote], *, per_server: int
) -> HostedThread:
    """Publish a root note on `home` and `per_server` replies on each server, listed in a
    context collection on `home` paged 25 at a time, newest first."""
    author = home.actors.get("host") or home.add_actor("host")
    context = f"{home.base_url}/contexts/{name}"
    root = note(home, author, f"{name}-root", None, context)
    replies = [
        note(
            server, server.actors.get("host") or server.add_actor("host"), f"{name}-{i}", root, None
        )
        for server in servers
        for i in range(per_server)
    ]
    pages = [replies[start : start + 25] for start in range(0, len(replies), 25)]
    home.publish(
        {
            "@context": AS2,
            "id": context,
            "type": "OrderedCollection",
            "attributedTo": author.id,
            "totalItems": len(replies),
            "first": f"{context}?page=1",
        }
    )
    for number, items in enumerate(pages, start=1):
        page = {
            "@context": AS2,
            "id": f"{context}?page={number}",
            "type": "OrderedCollectionPage",
            "partOf": context,
            "orderedItems": list(reversed(items)),
        }
        if number < len(pages):
            page["next"] = f"{context}?page={number + 1}"
        home.publish(page)
    return HostedThread(root, context)


def note(
    server: FakeRemote, author: FakeActor, key: str, parent: str | None, context: str | None
) -> str:
    """Publish a public Note on `server`; its id."""
    document = _note(f"{server.base_url}/notes/{key}", author.id, parent, key)
    if context:
        document["context"] = context
    server.publish(document)
    return str(document["id"])


def _note(uri: str, author: str, parent: str | None, text: str) -> dict[str, Any]:
    return {
        "@context": AS2,
        "id": uri,
        "type": "Note",
        "attributedTo": author,
        "content": f"<p>{text}</p>",
        "to": [PUBLIC],
        "inReplyTo": parent,
        "published": "2024-05-01T10:00:00Z",
    }


async def reply_to(home: FakeRemote, thread: HostedThread, node: RunningNode) -> str:
    """Deliver to `node` a reply to the thread's root, which it has never seen; the reply's id."""
    author = home.actors["host"]
    reply = home.create_note(author, "<p>late reply</p>", in_reply_to=thread.root)
    assert (await home.deliver(author, f"{node.base}/inbox", reply))[0] == 202
    return str(reply["object"]["id"])


def test_run_budget_counts_objects_and_fetches_per_host() -> None:
    budget = RunBudget(BackfillLimits(max_objects=2, max_fetches_per_host=3))
    assert [budget.take_object() for _ in range(3)] == [True, True, False]
    assert [budget.take_fetch("https://a.example/x") for _ in range(4)] == [True] * 3 + [False]
    assert budget.take_fetch("https://b.example/x")  # another host has its own share
    assert budget.report.fetched == 4


def test_cooldown_walks_a_thread_once_until_it_has_passed() -> None:
    cooldown = Cooldown(seconds=3600)
    assert cooldown.claim("https://a.example/contexts/1")
    assert not cooldown.claim("https://a.example/contexts/1")
    assert cooldown.claim("https://a.example/contexts/2")
    expired_at_once = Cooldown(seconds=0)
    assert expired_at_once.claim("x") and expired_at_once.claim("x")
