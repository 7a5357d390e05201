"""A question put to a proposal from the web pages reaches a Mastodon follower, who answers it
with their poll buttons: each choice a Note of its own (recorded shape, ``mastodon/
create_poll_vote.json`` through FakeRemote.vote), all of them one answer; a second answer is
refused. A real node over HTTP; the question is added with the page's form, as an author would."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import aiohttp

import schemas
from tests.fakes import FakeRemote
from tests.flows.test_poll_votes_from_the_fediverse import PROPOSAL, applied, counts_of
from tests.support.nodes import (
    RunningNode,
    count_rows,
    eventually,
    get_json,
    post_outbox,
    running_node,
)
from tests.support.pages import CSRF_INPUT, PASSWORD


async def signed_in(node: RunningNode, handle: str) -> aiohttp.ClientSession:
    """A browser session of a new member of `node`, signed in."""
    node.cli("user", "add", handle, "--password-stdin", stdin=PASSWORD)
    session = aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True))  # an IP host
    await submit(session, node, "/sign-in", "/sign-in", {"handle": handle, "password": PASSWORD})
    return session


async def submit(
    session: aiohttp.ClientSession, node: RunningNode, form: str, path: str, fields: dict[str, str]
) -> str:
    """Fill the form on the page `form` and post it to `path`; where it redirects to."""
    async with session.get(f"{node.base}{form}") as response:
        found = CSRF_INPUT.search(await response.text())
    assert found, f"{form} has no form"
    data = {"csrf_token": found.group(1), **fields}
    async with session.post(f"{node.base}{path}", data=data, allow_redirects=False) as response:
        assert response.status == 303, await response.text()
        return response.headers["Location"]


async def add_question(
    session: aiohttp.ClientSession, node: RunningNode, proposal: str, kind: str, options: str
) -> str:
    """The author adds a question on the proposal's page; the Question's id."""
    path = proposal.removeprefix(node.base)
    fields = {"question": f"A {kind} question?", "kind": kind, "options": options,
              "closing": "with_proposal", "closes_at": "", "results": "after_close"}  # fmt: skip
    assert await submit(session, node, path, f"{path}/questions/new", fields) == f"{path}#polls"
    async with session.get(f"{node.base}{path}") as response:
        html = await response.text()
    keys = re.findall(r'action="/objects/([0-9a-f]+)/vote"', html)
    return f"{node.base}/objects/{keys[-1]}"


async def answered(question: str) -> dict[str, Any]:
    status, answer = await get_json(f"{question}/results")
    assert status == 200, answer
    return dict(answer)


async def test_a_mastodon_user_answers_a_question_from_the_pages_once(tmp_path: Path) -> None:
    with running_node(tmp_path) as node:
        session = await signed_in(node, "alice")
        author, inbox = node.actor("alice"), f"{node.actor('alice')}/inbox"
        closes = (datetime.now(UTC) + timedelta(days=2)).isoformat(timespec="seconds")
        article = {**PROPOSAL, "closesAt": closes.replace("+00:00", "Z")}
        status, create = await post_outbox(node, "alice", node.token("alice"), article)
        assert status == 201, create
        proposal = create["object"]["id"]
        async with session, FakeRemote("mastodon") as mastodon:
            # Given a Mastodon user who follows the author
            voter = mastodon.add_actor("voter")
            follow = mastodon.follow(voter, author)
            assert (await mastodon.deliver(voter, inbox, follow))[0] == 202
            await mastodon.wait_for(lambda r: r.type == "Accept")
            # When the author adds two questions on the proposal's page
            single = await add_question(session, node, proposal, "single", "Yes\nNo\nNot sure")
            several = await add_question(session, node, proposal, "multiple", "Mon\nWed\nSat")
            # Then Mastodon receives each as a Question it shows with poll buttons
            for question, options in ((single, "oneOf"), (several, "anyOf")):
                received = await mastodon.wait_for(
                    lambda r, q=question: r.type == "Create" and r.json["object"]["id"] == q
                )
                schemas.validate("poll", received.json["object"])
                assert received.json["object"]["inReplyTo"] == proposal
                assert len(received.json["object"][options]) == 3
            # When the Mastodon user answers: one Note for the single choice, one Note for each
            # of their two choices in the multiple-choice question
            votes = [
                mastodon.vote(voter, single, "Yes", question_author=author),
                mastodon.vote(voter, several, "Mon", question_author=author),
                mastodon.vote(voter, several, "Sat", question_author=author),
            ]
            for vote in votes:
                assert (await mastodon.deliver(voter, inbox, vote))[0] == 202
            await eventually(
                lambda: count_rows(node, "vote"),
                lambda rows: rows == 3,
                what="the three choices were counted",
            )
            # Then each question has one respondent, and keeps its counts until it closes
            for question in (single, several):
                results = await answered(question)
                assert results["votersCount"] == 1 and results["closed"] is False
                assert all("votes" not in option for option in results["options"])
            update = await mastodon.wait_for(
                lambda r: r.type == "Update" and r.json["object"]["id"] == several
                and r.json["object"]["votersCount"] == 1
            )  # fmt: skip
            assert update.signature.owner == author
            assert set(counts_of(update.json["object"]).values()) == {0}
            # When the same user answers the single-choice question again, differently
            second = mastodon.vote(voter, single, "No", question_author=author)
            assert (await mastodon.deliver(voter, inbox, second))[0] == 202
            await applied(node, second)
            # Then the second answer is refused: not counted, not stored as a comment
            assert await count_rows(node, "vote") == 3
            assert (await answered(single))["votersCount"] == 1
            assert await count_rows(node, "object", "type = 'Note'") == 0
