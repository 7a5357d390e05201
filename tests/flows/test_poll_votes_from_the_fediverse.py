"""Fediverse users answer a proposal's consultation question from their own accounts.

A real node and FakeRemote servers on loopback. Votes are built from recordings where one
exists: Mastodon's vote (``mastodon/create_poll_vote.json``) and GoToSocial's vote Note
(``gotosocial/docs_note__poll_votes.json``, several in one Create for a multiple-choice poll;
the recording has no ids, so ours get GoToSocial-style ones). Misskey, Pleroma and Lemmy have
no recorded vote: their actors (recorded shapes) send Mastodon's, which the fake borrows, with
Misskey's `to` as an array and Pleroma's addressing (`to: []`, `cc`: the poll's author) as
their source code writes them. Lemmy has no polls; a Lemmy-shaped actor stands for any server
that copies Mastodon's vote.
"""

from __future__ import annotations

import re
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import aiohttp

import schemas
from tests.fakes import FakeRemote
from tests.fakes.actors import FakeActor
from tests.fakes.payloads import load_fixture
from tests.support.nodes import (
    RunningNode,
    count_rows,
    eventually,
    get_json,
    post_outbox,
    running_node,
)
from tests.support.pages import CSRF_INPUT, PASSWORD

PROPOSAL = {
    "type": "Article",
    "name": "Open the library on Sundays",
    "summary": "Families who work weekdays cannot use the library.",
    "source": "Most users told us **weekends** matter.",
}


def moment(seconds: float) -> str:
    later = datetime.now(UTC) + timedelta(seconds=seconds)
    return later.isoformat(timespec="seconds").replace("+00:00", "Z")


async def ask(
    node: RunningNode,
    token: str,
    options: list[str],
    *,
    multiple: bool = False,
    ends_in: float = 86400,
) -> str:
    """Alice proposes and puts a question to it; the Question's id."""
    status, create = await post_outbox(node, "alice", token, PROPOSAL)
    assert status == 201, create
    question = {
        "type": "Question",
        "content": "<p>Should the library open on Sundays?</p>",
        "inReplyTo": create["object"]["id"],
        ("anyOf" if multiple else "oneOf"): [{"type": "Note", "name": name} for name in options],
        "endTime": moment(ends_in),
        "resultsShown": "afterAnswer",  # these tests read the counts as votes arrive
    }
    status, create = await post_outbox(node, "alice", token, question)
    assert status == 201, create
    return str(create["object"]["id"])


async def results(question: str) -> dict[str, Any]:
    status, answer = await get_json(f"{question}/results")
    assert status == 200, answer
    return {
        "counts": {option["name"]: option["votes"] for option in answer["options"]},
        "voters": answer["votersCount"],
        "closed": answer["closed"],
    }


async def applied(node: RunningNode, activity: dict[str, Any]) -> None:
    """Wait until the node's inbox worker has finished with `activity`."""
    where = f"activity_uri = '{activity['id']}' AND state = 'done'"
    await eventually(
        lambda: count_rows(node, "inbox_item", where),
        lambda count: count == 1,
        what=f"{activity['id']} was applied",
    )


def counts_of(question: dict[str, Any]) -> dict[str, int]:
    options = question.get("oneOf") or question.get("anyOf") or []
    return {option["name"]: option["replies"]["totalItems"] for option in options}


def gotosocial_votes(actor: FakeActor, question: str, author: str, names: list[str]) -> dict:
    """GoToSocial's Create of several vote Notes, from its recorded vote Note."""
    ulid = uuid.uuid4().hex[:26].upper()
    notes = []
    for number, name in enumerate(names, start=1):
        note = load_fixture("gotosocial/docs_note__poll_votes.json")
        note.update(attributedTo=actor.id, inReplyTo=question, name=name, to=author)
        note["id"] = f"{actor.id}#{ulid}/votes/{number}"
        notes.append(note)
    return {
        "@context": "https://www.w3.org/ns/activitystreams",
        "id": f"{actor.id}/activity#vote/{ulid}",
        "type": "Create",
        "actor": actor.id,
        "object": notes,
        "to": author,
    }


def misskey_shaped(vote: dict[str, Any]) -> dict[str, Any]:
    """Misskey's renderVote: Mastodon's shape with `to` as an array."""
    for doc in (vote, vote["object"]):
        doc["to"] = [doc["to"]]
    return vote


def pleroma_shaped(vote: dict[str, Any]) -> dict[str, Any]:
    """Pleroma's answer: addressed with `to: []` and the poll's author in `cc`."""
    for doc in (vote, vote["object"]):
        doc["cc"], doc["to"] = [doc["to"]], []
    return vote


async def test_votes_from_the_fediverse_count_once_and_results_are_federated(
    tmp_path: Path,
) -> None:
    with running_node(tmp_path) as node:
        token = node.add_member("alice")
        author, inbox = node.actor("alice"), f"{node.actor('alice')}/inbox"
        question = await ask(node, token, ["Yes", "No", "Not sure"])
        async with (
            FakeRemote("mastodon") as mastodon,
            FakeRemote("misskey") as misskey,
            FakeRemote("pleroma") as pleroma,
            FakeRemote("lemmy") as lemmy,
        ):
            # Given a Mastodon user who follows only the organisation
            watcher = mastodon.add_actor("watcher")
            follow = mastodon.follow(watcher, node.organisation)
            assert (await mastodon.deliver(watcher, f"{node.base}/inbox", follow))[0] == 202
            await mastodon.wait_for(lambda r: r.type == "Accept")
            # When users of four servers vote from their own accounts
            voters = {
                "mastodon": (mastodon, mastodon.add_actor("voter"), "Yes"),
                "misskey": (misskey, misskey.add_actor("mk"), "No"),
                "pleroma": (pleroma, pleroma.add_actor("pl"), "Yes"),
                "lemmy": (lemmy, lemmy.add_actor("lm"), "Not sure"),
            }
            shapes = {"misskey": misskey_shaped, "pleroma": pleroma_shaped}
            for software, (server, actor, option) in voters.items():
                vote = server.vote(actor, question, option, question_author=author)
                vote = shapes.get(software, dict)(vote)
                assert (await server.deliver(actor, inbox, vote))[0] == 202
            # Then each counts once
            final = {"Yes": 2, "No": 1, "Not sure": 1}
            await eventually(
                lambda: results(question),
                lambda found: found["counts"] == final and found["voters"] == 4,
                what="four votes were counted",
            )
            # And a repeat (the same Create again) and a second vote (a new Create for another
            # option, in a single-choice poll) have no effect
            server, actor, _ = voters["mastodon"]
            first = server.vote(actor, question, "Yes", question_author=author)
            second = server.vote(actor, question, "No", question_author=author)
            for vote in (first, first, second):
                assert (await server.deliver(actor, inbox, vote))[0] == 202
            await applied(node, second)
            assert (await results(question))["counts"] == final
            # And no vote became a comment
            assert await count_rows(node, "object", "type = 'Note'") == 0
            # And the results reach the organisation's follower, signed by the poll's author
            update = await mastodon.wait_for(
                lambda r: r.type == "Update" and counts_of(r.json["object"]) == final,
                timeout=15,
            )
            assert update.signature.valid and update.signature.owner == author
            for kind in ("update", "question", "poll"):
                schemas.validate(kind, update.json if kind == "update" else update.json["object"])
            assert update.json["object"]["votersCount"] == 4
            # And the voters hear them too
            await misskey.wait_for(
                lambda r: r.type == "Update" and r.json["object"]["id"] == question
            )


async def test_gotosocial_sends_several_votes_in_one_create(tmp_path: Path) -> None:
    with running_node(tmp_path) as node:
        token = node.add_member("alice")
        author, inbox = node.actor("alice"), f"{node.actor('alice')}/inbox"
        options = ["Mornings", "Evenings", "Weekends"]
        question = await ask(node, token, options, multiple=True)
        async with FakeRemote("gotosocial") as gotosocial, FakeRemote("mastodon") as mastodon:
            gts, masto = gotosocial.add_actor("gts"), mastodon.add_actor("masto")
            # GoToSocial: one Create holding a Note per option chosen
            both = gotosocial_votes(gts, question, author, ["Mornings", "Weekends"])
            assert (await gotosocial.deliver(gts, inbox, both))[0] == 202
            # Mastodon: one Create per option chosen
            for option in ("Evenings", "Weekends"):
                vote = mastodon.vote(masto, question, option, question_author=author)
                assert (await mastodon.deliver(masto, inbox, vote))[0] == 202
            final = {"Mornings": 1, "Evenings": 1, "Weekends": 2}
            await eventually(
                lambda: results(question),
                lambda found: found["counts"] == final and found["voters"] == 2,
                what="both voters' choices were counted",
            )
            # the same choice again, in a new Create, has no second effect
            again = gotosocial_votes(gts, question, author, ["Mornings"])
            assert (await gotosocial.deliver(gts, inbox, again))[0] == 202
            await applied(node, again)
            assert (await results(question))["counts"] == final
            update = await gotosocial.wait_for(
                lambda r: r.type == "Update" and counts_of(r.json["object"]) == final
            )
            schemas.validate("question", update.json["object"])
            assert "anyOf" in update.json["object"]


async def test_a_vote_after_the_closing_time_is_refused(tmp_path: Path) -> None:
    with running_node(tmp_path) as node:
        token = node.add_member("alice")
        author, inbox = node.actor("alice"), f"{node.actor('alice')}/inbox"
        closing = await ask(node, token, ["Yes", "No"], ends_in=5)
        open_poll = await ask(node, token, ["Yes", "No"])
        async with FakeRemote("mastodon") as mastodon:
            late = mastodon.add_actor("late")
            # the first poll closes at its endTime
            await eventually(
                lambda: results(closing),
                lambda found: found["closed"],
                timeout=15,
                what="the poll closed",
            )
            status, served = await get_json(closing)
            assert status == 200 and "closed" in served
            schemas.validate("poll", served)
            # a vote that arrives afterwards is refused: not counted, not stored as a comment,
            # while the same voter's vote in a poll still open counts
            refused = mastodon.vote(late, closing, "No", question_author=author)
            counted = mastodon.vote(late, open_poll, "No", question_author=author)
            for vote in (refused, counted):
                assert (await mastodon.deliver(late, inbox, vote))[0] == 202
            await applied(node, counted)
            assert await results(closing) == {
                "counts": {"Yes": 0, "No": 0},
                "voters": 0,
                "closed": True,
            }
            assert (await results(open_poll))["counts"] == {"Yes": 0, "No": 1}
            assert await count_rows(node, "object", "type = 'Note'") == 0


async def test_one_servers_sockpuppets_cannot_stuff_a_poll(tmp_path: Path) -> None:
    with running_node(tmp_path) as node:
        token = node.add_member("alice")
        author, inbox = node.actor("alice"), f"{node.actor('alice')}/inbox"
        question = await ask(node, token, ["Yes", "No"])
        # Given three members here vote Yes (bob, with a password, reads the page below)
        node.cli("user", "add", "bob", "--password-stdin", stdin=PASSWORD)
        for handle in ("bob", "carol", "dan"):
            member = node.token(handle) if handle == "bob" else node.add_member(handle)
            vote = {"type": "Note", "name": "Yes", "inReplyTo": question}
            assert (await post_outbox(node, handle, member, vote))[0] == 201
        async with FakeRemote("mastodon") as stuffer:
            # When one server's twenty fresh accounts all vote No
            last: dict[str, Any] = {}
            for number in range(20):
                puppet = stuffer.add_actor(f"puppet{number}")
                last = stuffer.vote(puppet, question, "No", question_author=author)
                assert (await stuffer.deliver(puppet, inbox, last))[0] == 202
            await applied(node, last)
            # Then ten of them count (the default cap), and every vote is shown apart
            status, answer = await get_json(f"{question}/results")
            assert status == 200, answer
            counted = {option["name"]: option["votes"] for option in answer["options"]}
            assert counted == {"Yes": 3, "No": 10} and answer["votersCount"] == 13
            assert [option["local"] for option in answer["options"]] == [3, 0]
            assert answer["localVoters"] == 3 and answer["votersCountedPerServer"] == 10
            assert answer["servers"] == [
                {"host": "127.0.0.1", "voters": 20, "counted": 10, "votes": [0, 20]}
            ]
            # And the Question carries the counted results, as Mastodon reads them
            status, served = await get_json(question)
            assert counts_of(served) == {"Yes": 3, "No": 10} and served["votersCount"] == 13
            # And the proposal's page shows the members' and the server's votes apart, to
            # someone who answered (the question shows its results after answering)
            proposal = served["inReplyTo"]
            async with (
                aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True)) as session,
            ):
                async with session.get(f"{node.base}/sign-in") as response:
                    found = CSRF_INPUT.search(await response.text())
                assert found is not None
                fields = {"csrf_token": found.group(1), "handle": "bob", "password": PASSWORD}
                async with session.post(f"{node.base}/sign-in", data=fields) as response:
                    assert response.status == 200
                async with session.get(proposal) as response:
                    html = await response.text()
            assert "Where the votes came from" in html
            assert re.search(r"<th scope=\"row\">127\.0\.0\.1</th><td>0</td><td>20</td>", html)
            assert "10 of 20" in html
