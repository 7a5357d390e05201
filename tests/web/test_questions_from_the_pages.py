"""Consultation questions from the web pages: the author adds one to an open proposal, members
answer it (and change their answer until the close), results show when the author said so, split
by kind of respondent; a remote actor answers once."""

from __future__ import annotations

import logging
import re
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from aiohttp.test_utils import TestClient

import schemas
from node.appkeys import OUTBOX
from node.models import Activity, Object, Poll, Proposal, ProposalStatus, ResultsShown, Vote
from node.services.members import add_member
from node.services.poll_tally import results_by_respondent
from node.services.polls import Polls, close_due_polls
from node.services.remote_actors import save_actor
from node.services.settings import forget_cached_settings
from node.services.tokens import create_token
from node.urls import NodeUrls
from tests.support.api import BASE, get, post
from tests.support.pages import PASSWORD, page, sign_in_as, submit

PROPOSAL = {
    "type": "Article",
    "name": "Open the library on Sundays",
    "summary": "Families who work weekdays cannot use the library.",
    "source": "Most users told us **weekends** matter.",
}
FORM = {
    "question": "When should the library open on Sundays?",
    "kind": "single",
    "options": "10:00\n12:00\n\n14:00\n",
    "closing": "with_proposal",
    "closes_at": "",
    "results": "after_close",
}
HIDDEN = "The results are shown to everyone when the question closes."


def later(**delta: float) -> datetime:
    return (datetime.now(UTC) + timedelta(**delta)).replace(microsecond=0)


def form_time(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M")


async def signed_in_member(client: TestClient, handle: str, profile_role: str = "") -> str:
    """A member signed in on `client` (a new cookie jar for each): their bearer token."""
    await add_member(NodeUrls(BASE), handle, password=PASSWORD, profile_role=profile_role)
    client.session.cookie_jar.clear()
    await sign_in_as(client, handle)
    return await create_token(handle)


async def open_proposal(client: TestClient, closes_in_days: float = 3, **extra: Any) -> str:
    """Alice (signed in) proposes, open for consultation until a date; its page's path."""
    token = await signed_in_member(client, "alice")
    closes = later(days=closes_in_days).isoformat().replace("+00:00", "Z")
    article = await post(client, "alice", token, {**PROPOSAL, "closesAt": closes, **extra})
    return str(article["object"]["id"]).removeprefix(BASE)


async def add_question(client: TestClient, proposal: str, **fields: str) -> Any:
    return await submit(
        client, f"{proposal}/questions/new", {**FORM, **fields}, token_from=proposal
    )


async def question_path(proposal: str) -> str:
    row = await Object.get(type="Question")
    assert row.in_reply_to_uri == BASE + proposal
    return row.uri.removeprefix(BASE)


async def answer(client: TestClient, proposal: str, question: str, *choices: str) -> Any:
    html = await page(client, proposal)
    token = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert token is not None
    data = [("csrf_token", token.group(1)), *(("choice", choice) for choice in choices)]
    return await client.post(f"{question}/vote", data=data, allow_redirects=False)


async def chosen(handle: str) -> list[str]:
    votes = Vote.filter(actor__handle=handle, actor__is_local=True)
    return sorted(await votes.values_list("option__name", flat=True))  # type: ignore[arg-type]


async def test_an_author_adds_a_question_that_closes_with_the_consultation(
    client: TestClient,
) -> None:
    proposal = await open_proposal(client)
    assert "/questions/new" in await page(client, proposal)  # the author is offered the link
    form = await page(client, f"{proposal}/questions/new")
    assert 'name="options"' in form and "One a line" in form
    response = await add_question(client, proposal)
    assert response.status == 303 and response.headers["Location"] == f"{proposal}#polls"
    poll = await Poll.get().prefetch_related("options", "object")
    closes_at = (await Proposal.get()).closes_at
    assert poll.closes_with_proposal and poll.end_time == closes_at
    assert poll.results_shown == ResultsShown.AFTER_CLOSE and not poll.multiple
    assert [o.name for o in sorted(poll.options, key=lambda o: o.position)] == [
        "10:00",
        "12:00",
        "14:00",
    ]
    # a Mastodon-compatible Question in the proposal's thread, sent to followers
    status, question = await get(client, poll.object.uri)
    assert status == 200
    schemas.validate("poll", question)
    assert question["inReplyTo"] == BASE + proposal and question["resultsShown"] == "afterClose"
    assert question["context"] == (await Object.get(type="Article")).context_uri
    assert [option["name"] for option in question["oneOf"]] == ["10:00", "12:00", "14:00"]
    create = await Activity.get(type="Create", object_uri=poll.object.uri)
    assert f"{BASE}/actors/alice/followers" in create.document["cc"]
    shown = await page(client, proposal)
    assert "When should the library open on Sundays?" in shown and HIDDEN in shown


async def test_an_author_sets_a_question_to_close_early_and_show_results_after_answering(
    client: TestClient,
) -> None:
    proposal = await open_proposal(client)
    closes = later(days=1)
    response = await add_question(
        client,
        proposal,
        kind="multiple",
        closing="own",
        closes_at=form_time(closes),
        results="after_answer",
    )
    assert response.status == 303, await response.text()
    poll = await Poll.get().prefetch_related("object")
    assert poll.multiple and not poll.closes_with_proposal
    assert poll.end_time == closes.replace(second=0)
    assert poll.results_shown == ResultsShown.AFTER_ANSWER
    assert "anyOf" in poll.object.document and "oneOf" not in poll.object.document


@pytest.mark.parametrize(
    ("fields", "field", "reason"),
    [
        ({"options": "only one"}, "options", "a poll needs 2 to 20 options, not 1"),
        ({"options": "\n".join(f"o{n}" for n in range(21))}, "options", "not 21"),
        ({"options": "yes\nno\nYes"}, "options", "the options must be distinct"),
        ({"question": "  "}, "question", "Write the question."),
        ({"closing": "own", "closes_at": ""}, "closes_at", "Give the closing date and time"),
        ({"closing": "own", "closes_at": "soon"}, "closes_at", "Give the closing date and time"),
        ({"closing": "own", "closes_at": "2020-01-01T10:00"}, "closes_at", "is not in the future"),
        ({"closing": "own", "closes_at": "+10d"}, "closes_at", "after the proposal closes"),
        ({"kind": "ranked"}, "kind", "Choose whether people pick one answer or several."),
        ({"results": "never"}, "results", "Choose when people see the results."),
    ],
)
async def test_a_bad_question_is_refused_on_the_form_and_nothing_is_written(
    client: TestClient, fields: dict[str, str], field: str, reason: str
) -> None:
    proposal = await open_proposal(client)
    if fields.get("closes_at") == "+10d":
        fields = {**fields, "closes_at": form_time(later(days=10))}
    before = (await Object.all().count(), await Activity.all().count())
    response = await add_question(client, proposal, **fields)
    html = await response.text()
    assert response.status == 400, html
    assert reason in html and f'id="{field}-error"' in html
    assert f'href="#{field}"' in html  # the error summary points at the field
    assert not await Poll.exists()
    assert (await Object.all().count(), await Activity.all().count()) == before


async def test_only_the_author_adds_questions_and_only_to_a_draft_or_open_proposal(
    client: TestClient,
) -> None:
    proposal = await open_proposal(client)
    await signed_in_member(client, "bob")
    assert "/questions/new" not in await page(client, proposal)
    await page(client, f"{proposal}/questions/new", status=404)
    alice_page = await page(client, proposal)  # bob's token, from any form, for the POST
    token = re.search(r'name="csrf_token" value="([^"]+)"', alice_page)
    assert token is not None
    refused = await client.post(
        f"{proposal}/questions/new", data={"csrf_token": token.group(1), **FORM}
    )
    assert refused.status == 404
    # a closed consultation takes no more questions
    await Proposal.all().update(status=ProposalStatus.CLOSED)
    client.session.cookie_jar.clear()
    await sign_in_as(client, "alice")
    assert "a draft or open for comments" in await page(client, f"{proposal}/questions/new")
    response = await add_question(client, proposal)
    assert response.status == 409 and "takes no new questions" in await response.text()
    assert not await Poll.exists()


async def test_a_member_answers_and_changes_their_answer_until_the_close(
    client: TestClient,
) -> None:
    proposal = await open_proposal(client)
    await add_question(client, proposal, kind="multiple")
    question = await question_path(proposal)
    await signed_in_member(client, "bob")
    response = await answer(client, proposal, question, "10:00", "14:00")
    assert response.status == 303 and response.headers["Location"] == f"{proposal}#polls"
    assert await chosen("bob") == ["10:00", "14:00"]
    shown = await page(client, proposal)
    assert "Your answer: 10:00, 14:00" in shown and "Change my answer" in shown
    assert HIDDEN in shown and "%" not in shown.split('id="polls"')[1].split("</section>")[0]
    response = await answer(client, proposal, question, "12:00")
    assert response.status == 303
    assert await chosen("bob") == ["12:00"]
    assert await Vote.all().count() == 1
    # the Question carries how many answered, not what they chose, until the close
    status, document = await get(client, BASE + question)
    assert status == 200
    assert document["votersCount"] == 1
    assert [o["replies"]["totalItems"] for o in document["anyOf"]] == [0, 0, 0]


async def test_a_refused_answer_leaves_the_earlier_one_as_it_was(client: TestClient) -> None:
    proposal = await open_proposal(client)
    await add_question(client, proposal)
    question = await question_path(proposal)
    await signed_in_member(client, "bob")
    assert (await answer(client, proposal, question, "12:00")).status == 303
    for choices, status, reason in [
        (("midnight",), 400, "&#39;midnight&#39; is not an option of this poll"),
        (("10:00", "14:00"), 400, "this question takes one answer"),
        ((), 400, "choose an answer"),
    ]:
        response = await answer(client, proposal, question, *choices)
        html = await response.text()
        assert response.status == status, html
        assert "Your answer was not counted" in html and reason in html, html
        assert await chosen("bob") == ["12:00"]


async def test_a_member_cannot_answer_after_the_close(client: TestClient) -> None:
    proposal = await open_proposal(client)
    await add_question(client, proposal)
    question = await question_path(proposal)
    await signed_in_member(client, "bob")
    await answer(client, proposal, question, "12:00")
    await Poll.all().update(end_time=datetime.now(UTC) - timedelta(seconds=1))
    await signed_in_member(client, "carol")
    shown = await page(client, proposal)
    assert "This question has closed." in shown and 'name="choice"' not in shown
    response = await client.post(
        f"{question}/vote",
        data={"csrf_token": re.findall(r'name="csrf_token" value="([^"]+)"', shown)[0],
              "choice": "10:00"},
    )  # fmt: skip
    html = await response.text()
    assert response.status == 409 and "votes are no longer counted" in html
    assert await Vote.all().count() == 1
    # closed, the results are shown to everyone
    assert "100% (1)" in shown


async def test_nobody_answers_once_the_consultation_has_closed(client: TestClient) -> None:
    proposal = await open_proposal(client)
    await add_question(client, proposal)
    question = await question_path(proposal)
    await signed_in_member(client, "bob")
    shown = await page(client, proposal)
    await Proposal.all().update(status=ProposalStatus.CLOSED)
    response = await client.post(
        f"{question}/vote",
        data={"csrf_token": re.findall(r'name="csrf_token" value="([^"]+)"', shown)[0],
              "choice": "10:00"},
    )  # fmt: skip
    assert response.status == 409
    assert "the consultation is closed: answers are no longer counted" in await response.text()
    assert not await Vote.exists()


async def test_results_show_after_answering_when_the_author_chose_so(client: TestClient) -> None:
    proposal = await open_proposal(client)
    await add_question(client, proposal, results="after_answer")
    question = await question_path(proposal)
    await signed_in_member(client, "bob", profile_role="practitioner")
    await answer(client, proposal, question, "12:00")
    shown = await page(client, proposal)
    assert "100% (1)" in shown and "Answers by kind of respondent" in shown
    assert '<th scope="row">Practitioners</th><td>0</td><td>1</td><td>0</td><td>1</td>' in shown
    await signed_in_member(client, "carol")
    shown = await page(client, proposal)
    assert "You see the results once you have answered." in shown and "100% (1)" not in shown
    client.session.cookie_jar.clear()
    await sign_in_as(client, "alice")  # the author too: only answering shows them
    assert "100% (1)" not in await page(client, proposal)


async def remote(handle: str, kind: str = "Person", host: str = "social.example") -> Any:
    uri = f"https://{host}/users/{handle}"
    return await save_actor(
        {"id": uri, "type": kind, "preferredUsername": handle, "inbox": f"{uri}/inbox"}
    )


def mastodon_vote(voter: Any, question: str, option: str, number: int) -> dict[str, Any]:
    """A vote as Mastodon sends it: one Note per choice, named after it, no content."""
    return {
        "id": f"{voter.uri}#votes/{number}",
        "type": "Note",
        "attributedTo": voter.uri,
        "name": option,
        "inReplyTo": question,
        "to": f"{BASE}/actors/alice",
    }


async def test_a_remote_actors_choices_sent_together_are_one_answer_and_a_later_set_is_refused(
    client: TestClient,
) -> None:
    proposal = await open_proposal(client)
    await add_question(client, proposal, kind="multiple")
    question = BASE + await question_path(proposal)
    polls = Polls(client.app[OUTBOX])
    voter = await remote("mo")
    # Mastodon sends each choice of one answer as a Note of its own
    assert await polls.record_remote_vote(mastodon_vote(voter, question, "10:00", 1), voter)
    assert await polls.record_remote_vote(mastodon_vote(voter, question, "14:00", 2), voter)
    # the same choice again, or a new set long after the first, is refused and not stored
    assert not await polls.record_remote_vote(mastodon_vote(voter, question, "14:00", 3), voter)
    await Vote.all().update(created_at=datetime.now(UTC) - timedelta(hours=1))
    assert not await polls.record_remote_vote(mastodon_vote(voter, question, "12:00", 4), voter)
    assert sorted(await Vote.all().values_list("option__name", flat=True)) == ["10:00", "14:00"]


async def test_results_are_split_by_kind_of_respondent_in_a_fixed_number_of_queries(
    client: TestClient, caplog: pytest.LogCaptureFixture
) -> None:
    proposal = await open_proposal(client)
    await add_question(client, proposal)
    question = BASE + await question_path(proposal)
    poll = await Poll.get()
    polls = Polls(client.app[OUTBOX])
    for handle, role, option in (
        ("pat", "practitioner", "10:00"),
        ("sam", "service_user", "12:00"),
    ):
        token = await signed_in_member(client, handle, profile_role=role)
        await post(client, handle, token, {"type": "Note", "name": option, "inReplyTo": question})
    queries = []
    for number, kind in enumerate(["Group", "Person", "Person", "Person", "Person"]):
        voter = await remote(f"r{number}", kind)
        assert await polls.record_remote_vote(mastodon_vote(voter, question, "14:00", 1), voter)
        forget_cached_settings()  # the per-server cap read each time, the same way
        caplog.clear()
        with caplog.at_level(logging.DEBUG, logger="tortoise.db_client"):
            split = await results_by_respondent(poll.id)
        # the node's workers query too: count the queries of polls and votes
        queries.append(len([m for m in caplog.messages if m.startswith("SELECT") and "poll" in m]))
    assert split is not None and split.options == ("10:00", "12:00", "14:00")
    assert {g.kind: (g.respondents, g.votes) for g in split.groups if g.respondents} == {
        "organisations": (1, (0, 0, 1)),
        "practitioner": (1, (1, 0, 0)),
        "service_user": (1, (0, 1, 0)),
        "public": (4, (0, 0, 4)),
    }
    assert split.respondents == 7 and not split.closed
    assert len(set(queries)) == 1 and queries[0] <= 3, queries  # as many for 1 answer as for 5
    assert await results_by_respondent(poll.id + 1000) is None


async def test_the_counts_are_published_when_the_question_closes(client: TestClient) -> None:
    proposal = await open_proposal(client)
    await add_question(client, proposal)
    question = BASE + await question_path(proposal)
    await signed_in_member(client, "bob")
    await answer(client, proposal, question.removeprefix(BASE), "12:00")
    response = await client.get(question.removeprefix(BASE) + "/results")
    hidden = await response.json()
    assert hidden["votersCount"] == 1 and "votes" not in hidden["options"][1]
    await Poll.all().update(end_time=datetime.now(UTC) - timedelta(seconds=1))
    assert await close_due_polls(client.app[OUTBOX]) == 1
    document = (await Object.get(uri=question)).document
    assert [o["replies"]["totalItems"] for o in document["oneOf"]] == [0, 1, 0]
    assert "closed" in document
    # and the closing is published: followers and voters read the final counts
    update = await Activity.filter(type="Update", object_uri=question).order_by("-id").first()
    assert update is not None and update.document["object"]["oneOf"] == document["oneOf"]
    schemas.validate("update", update.document)
    assert await close_due_polls(client.app[OUTBOX]) == 0  # closed once
    response = await client.get(question.removeprefix(BASE) + "/results")
    assert (await response.json())["options"][1]["votes"] == 1
