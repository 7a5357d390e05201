"""Consultation questions through the client API: polls on proposals, members' votes, results."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from aiohttp.test_utils import TestClient

import schemas
from node.appkeys import OUTBOX
from node.models import AccessRole, Activity, Actor, Delivery, NodeSetting, Object, Poll, Vote
from node.page_generation import KEY as PAGES_GENERATION
from node.services.polls import Polls
from node.services.remote_actors import save_actor
from node.services.settings import forget_cached_settings
from node.services.tokens import create_token
from node.timestamps import parse_time
from tests.support.api import BASE, ORG, get, post, send, token_for
from tests.support.pages import member, page, sign_in_as, submit

PROPOSAL = {
    "type": "Article",
    "name": "Open the library on Sundays",
    "summary": "Families who work weekdays cannot use the library.",
    "source": "Most users told us **weekends** matter.",
}


def in_days(days: float) -> str:
    moment = datetime.now(UTC) + timedelta(days=days)
    return moment.isoformat(timespec="seconds").replace("+00:00", "Z")


def question(proposal: str, *, multiple: bool = False, **extra: Any) -> dict[str, Any]:
    options = [{"type": "Note", "name": name} for name in ("10:00", "12:00", "14:00")]
    return {
        "type": "Question",
        "content": "<p>When should the library open on Sundays?</p>",
        "inReplyTo": proposal,
        ("anyOf" if multiple else "oneOf"): options,
        "endTime": in_days(7),
        "resultsShown": "afterAnswer",  # these tests read the counts as they go
        **extra,
    }


def vote(question_id: str, option: str) -> dict[str, Any]:
    return {"type": "Note", "name": option, "inReplyTo": question_id}


def counts(document: dict[str, Any]) -> dict[str, int]:
    options = document.get("oneOf") or document.get("anyOf") or []
    return {option["name"]: option["replies"]["totalItems"] for option in options}


async def proposal_and_poll(client: TestClient, **extra: Any) -> tuple[str, dict[str, Any]]:
    """Alice proposes and puts a question to her proposal; (alice's token, the Question)."""
    alice = await token_for("alice")
    article = (await post(client, "alice", alice, PROPOSAL))["object"]
    create = await post(client, "alice", alice, question(article["id"], **extra))
    return alice, create["object"]


async def test_a_poll_on_a_proposal_joins_its_thread(client: TestClient) -> None:
    alice = await token_for("alice")
    article = (await post(client, "alice", alice, PROPOSAL))["object"]
    create = await post(client, "alice", alice, question(article["id"]))
    schemas.validate("create", create)
    poll = create["object"]
    schemas.validate("question", poll)
    schemas.validate("poll", poll)
    assert poll["type"] == "Question" and poll["inReplyTo"] == article["id"]
    assert poll["context"] == article["context"] and poll["answersVersion"] == 1
    assert counts(poll) == {"10:00": 0, "12:00": 0, "14:00": 0}
    assert poll["votersCount"] == 0 and "anyOf" not in poll and "closed" not in poll
    status, served = await get(client, poll["id"])
    assert status == 200 and served["id"] == poll["id"]
    status, context = await get(client, f"{article['context']}?page=1")
    assert status == 200 and poll["id"] in context["orderedItems"]
    # the organisation relays the question to its followers, as it does every thread object
    announce = await Activity.get(type="Announce", object_uri=poll["id"])
    assert announce.document["actor"] == ORG


async def test_members_vote_and_the_results_are_republished(client: TestClient) -> None:
    _, poll = await proposal_and_poll(client)
    for handle, option in (("bob", "12:00"), ("carol", "12:00"), ("dan", "14:00")):
        create = await post(client, handle, await token_for(handle), vote(poll["id"], option))
        assert create["type"] == "Create" and create["object"]["name"] == option
        assert create["object"]["to"] == [f"{BASE}/actors/alice"]  # a vote is private
    status, served = await get(client, poll["id"])
    assert counts(served) == {"10:00": 0, "12:00": 2, "14:00": 1}
    assert served["votersCount"] == 3
    schemas.validate("poll", served)
    # every accepted vote republished the question, signed by its author
    updates = await Activity.filter(type="Update", object_uri=poll["id"]).order_by("id")
    assert len(updates) == 3
    assert all(update.actor_id == updates[0].actor_id for update in updates)  # type: ignore[attr-defined]
    assert updates[-1].document["actor"] == f"{BASE}/actors/alice"
    assert counts(updates[-1].document["object"]) == counts(served)
    schemas.validate("update", updates[-1].document)
    # votes are not comments: not stored as objects, not in replies or in the thread
    assert await Object.filter(in_reply_to_uri=poll["id"]).count() == 0
    status, replies = await get(client, f"{poll['id']}/replies")
    assert status == 200 and replies["totalItems"] == 0
    response = await client.get(poll["id"].removeprefix(BASE) + "/results")
    assert response.status == 200
    assert await response.json() == {
        "question": poll["id"],
        "multiple": False,
        "endTime": poll["endTime"],
        "closed": False,
        "votersCount": 3,
        "options": [
            {"name": "10:00", "votes": 0, "local": 0},
            {"name": "12:00", "votes": 2, "local": 2},
            {"name": "14:00", "votes": 1, "local": 1},
        ],
        "localVoters": 3,
        "votersCountedPerServer": 10,
        "servers": [],
    }


async def test_a_second_vote_in_a_single_choice_poll_is_refused(client: TestClient) -> None:
    _, poll = await proposal_and_poll(client)
    bob = await token_for("bob")
    await post(client, "bob", bob, vote(poll["id"], "10:00"))
    for option in ("10:00", "14:00"):
        status, answer = await send(client, "bob", bob, vote(poll["id"], option))
        assert status == 409, answer
        assert answer["error"] == (
            "you already voted in this poll (for '10:00'): it takes one vote"
        )
    assert await Vote.all().count() == 1
    assert counts((await get(client, poll["id"]))[1]) == {"10:00": 1, "12:00": 0, "14:00": 0}


async def test_a_vote_after_the_closing_time_is_refused(client: TestClient) -> None:
    _, poll = await proposal_and_poll(client)
    bob, carol = await token_for("bob"), await token_for("carol")
    await post(client, "bob", bob, vote(poll["id"], "12:00"))
    # time passes: the poll's closing time is now behind us
    await Poll.all().update(end_time=datetime.now(UTC) - timedelta(seconds=1))
    status, answer = await send(client, "carol", carol, vote(poll["id"], "10:00"))
    assert status == 409, answer
    assert answer["error"].startswith("this poll closed at ")
    assert answer["error"].endswith(": votes are no longer counted")
    assert await Vote.all().count() == 1
    status, served = await get(client, poll["id"])
    assert status == 200 and "closed" in served
    assert counts(served) == {"10:00": 0, "12:00": 1, "14:00": 0}
    schemas.validate("poll", served)


async def test_a_multiple_choice_poll_takes_one_vote_per_option(client: TestClient) -> None:
    _, poll = await proposal_and_poll(client, multiple=True)
    assert "anyOf" in poll and "oneOf" not in poll
    bob, carol = await token_for("bob"), await token_for("carol")
    await post(client, "bob", bob, vote(poll["id"], "10:00"))
    await post(client, "bob", bob, vote(poll["id"], "14:00"))
    await post(client, "carol", carol, vote(poll["id"], "14:00"))
    status, answer = await send(client, "bob", bob, vote(poll["id"], "14:00"))
    assert status == 409 and answer["error"] == "you already voted for '14:00' in this poll"
    served = (await get(client, poll["id"]))[1]
    assert counts(served) == {"10:00": 1, "12:00": 0, "14:00": 2}
    assert served["votersCount"] == 2  # distinct voters, not votes


async def test_votes_for_no_option_or_no_poll_are_refused(client: TestClient) -> None:
    alice, poll = await proposal_and_poll(client)
    bob = await token_for("bob")
    status, answer = await send(client, "bob", bob, vote(poll["id"], "midnight"))
    assert status == 400
    assert answer["error"] == (
        "'midnight' is not an option of this poll: choose one of '10:00', '12:00', '14:00'"
    )
    note = (await post(client, "alice", alice, {"type": "Note", "content": "<p>hi</p>"}))["object"]
    # a titled, empty Note in reply to something that is not a poll is no vote: a comment
    created = await post(client, "bob", bob, vote(note["id"], "10:00"))
    assert created["object"]["inReplyTo"] == note["id"]
    # a withdrawn poll takes no more votes
    await post(client, "alice", alice, {"type": "Delete", "object": poll["id"]})
    status, answer = await send(client, "bob", bob, vote(poll["id"], "10:00"))
    assert status == 404 and answer["error"] == f"{poll['id']} has been withdrawn"
    assert await Vote.all().count() == 0
    assert await Object.filter(in_reply_to_uri=poll["id"]).count() == 0


async def test_invalid_polls_are_refused_with_the_reason(client: TestClient) -> None:
    alice = await token_for("alice")
    article = (await post(client, "alice", alice, PROPOSAL))["object"]
    base = question(article["id"])
    options = base["oneOf"]
    cases = [
        ({**base, "oneOf": options[:1]}, "a poll needs 2 to 20 options, not 1"),
        ({**base, "oneOf": [{"name": f"o{n}"} for n in range(21)]}, "not 21"),
        ({**base, "oneOf": [*options, {"name": " 10:00 "}]}, "the options must be distinct"),
        ({**base, "anyOf": options}, "oneOf (single choice) or anyOf (multiple)"),
        ({**base, "endTime": in_days(-1)}, "is not in the future"),
        ({**base, "endTime": in_days(400)}, "is more than 366 days away"),
        ({**base, "endTime": "soon"}, "endTime 'soon' is not an ISO 8601 date and time"),
        ({**base, "content": "<p> </p>"}, "a poll needs its question in content (or name)"),
        ({**base, "oneOf": [{"name": "a"}, {"name": ""}]}, "every option needs a name"),
    ]
    for body, reason in cases:
        status, answer = await send(client, "alice", alice, body)
        assert status == 400, (body, answer)
        assert reason in answer["error"], (reason, answer)
    assert not await Poll.exists()
    assert not await Object.filter(type="Question").exists()


async def test_only_the_author_or_organisation_puts_questions_to_an_open_proposal(
    client: TestClient,
) -> None:
    alice, bob = await token_for("alice"), await token_for("bob")
    article = (await post(client, "alice", alice, PROPOSAL))["object"]
    status, answer = await send(client, "bob", bob, question(article["id"]))
    assert status == 403 and "author or the organisation" in answer["error"]
    org = await create_token("testorg")
    assert (await send(client, "testorg", org, question(article["id"])))[0] == 201
    closed = (await post(client, "alice", alice, {**PROPOSAL, "closesAt": in_days(3)}))["object"]
    await post(client, "alice", alice, {"type": "Update", "object": {
        "type": "Article", "id": closed["id"], "proposalStatus": "closed"}})  # fmt: skip
    status, answer = await send(client, "alice", alice, question(closed["id"]))
    assert status == 409 and "the consultation is over" in answer["error"]
    assert await Poll.all().count() == 1


async def test_a_poll_closes_with_its_consultation_by_default(client: TestClient) -> None:
    alice = await token_for("alice")
    closes = in_days(3)
    article = (await post(client, "alice", alice, {**PROPOSAL, "closesAt": closes}))["object"]
    body = {k: v for k, v in question(article["id"]).items() if k != "endTime"}
    poll = (await post(client, "alice", alice, body))["object"]
    assert poll["endTime"] == closes


async def test_options_of_a_published_poll_cannot_change(client: TestClient) -> None:
    alice, poll = await proposal_and_poll(client)
    changed = {"id": poll["id"], "type": "Question", "oneOf": [{"name": "a"}, {"name": "b"}]}
    status, answer = await send(client, "alice", alice, {"type": "Update", "object": changed})
    assert status == 400 and answer["error"].startswith("a poll's oneOf cannot change")
    assert counts((await get(client, poll["id"]))[1]) == {"10:00": 0, "12:00": 0, "14:00": 0}


async def test_the_admin_sets_how_many_voters_from_each_server_count(client: TestClient) -> None:
    _, poll = await proposal_and_poll(client)
    await member("admin", AccessRole.ADMIN)
    await sign_in_as(client, "admin")
    fields = {"signup_mode": "invite", "language": "en", "name": "Test Org", "summary": ""}
    for junk in ("", "ten", "-1", "2.5", "100001", "٣"):
        refused = await submit(
            client, "/admin/settings", {**fields, "poll_votes_per_server": junk, "summary": "x"}
        )
        assert refused.status == 400, junk
        assert 'id="poll_votes_per_server-error"' in await refused.text()
        # nothing saved, not even the other fields (the pages' generation is no setting)
        assert not await NodeSetting.exclude(key=PAGES_GENERATION).exists()
    saved = await submit(client, "/admin/settings", {**fields, "poll_votes_per_server": "2"})
    assert saved.status == 303
    assert 'value="2"' in await page(client, "/admin/settings")
    polls = Polls(client.app[OUTBOX])
    for number, host in enumerate(["a.example", "a.example", "a.example", "b.example:8443"]):
        voter = await remote_voter(f"v{number}", host)
        assert await polls.record_remote_vote(vote_note(voter, poll["id"], "12:00"), voter)
    forget_cached_settings()
    status, results = await get(client, f"{poll['id']}/results")
    assert status == 200
    assert {o["name"]: o["votes"] for o in results["options"]}["12:00"] == 3  # 2 + 1
    assert [(s["host"], s["voters"], s["counted"]) for s in results["servers"]] == [
        ("a.example", 3, 2),
        ("b.example", 1, 1),
    ]
    question = (await Object.get(uri=poll["id"])).document
    assert counts(question)["12:00"] == 3 and question["votersCount"] == 3


async def remote_voter(handle: str, host: str) -> Actor:
    uri = f"https://{host}/users/{handle}"
    return await save_actor(
        {"id": uri, "type": "Person", "preferredUsername": handle, "inbox": f"{uri}/inbox"}
    )


def vote_note(voter: Actor, question_id: str, option: str) -> dict[str, Any]:
    return {
        "id": f"{voter.uri}/votes/1",
        "type": "Note",
        "attributedTo": voter.uri,
        "name": option,
        "inReplyTo": question_id,
    }


async def test_a_member_answers_another_servers_question_from_here(client: TestClient) -> None:
    # Given a Question from another server, held here
    author = await remote_voter("lead", "b.example")
    uri = "https://b.example/questions/1"
    options = [{"type": "Note", "name": "Yes"}, {"type": "Note", "name": "No"}]
    document = {"id": uri, "type": "Question", "attributedTo": author.uri, "oneOf": options}
    await Object.create(
        uri=uri, type="Question", author=author, document=document, published_at=datetime.now(UTC)
    )
    bob = await token_for("bob")
    # When a member answers it with an option it does not have, it is refused
    status, answer = await send(client, "bob", bob, vote(uri, "Maybe"))
    assert status == 400
    assert answer["error"] == "'Maybe' is not an option of this poll: choose one of 'Yes', 'No'"
    # When they answer "Yes", their vote goes to the question's author, who counts it
    created = await post(client, "bob", bob, vote(uri, "Yes"))
    assert created["object"]["name"] == "Yes" and created["object"]["to"] == [author.uri]
    assert (
        await Delivery.filter(activity_uri=created["id"], inbox_uri=author.inbox_uri).count() == 1
    )
    # and it is kept here as bob's answer only (counted on its own server, not here)
    kept = await Vote.all().prefetch_related("option", "poll")
    assert [(vote.option.name, vote.poll.end_time) for vote in kept] == [("Yes", None)]
    # When they answer again, it is refused: its home counts one answer per person
    status, answer = await send(client, "bob", bob, vote(uri, "No"))
    assert status == 409 and "you already answered this question (Yes)" in answer["error"]
    assert await Vote.all().count() == 1


async def test_questions_put_to_a_draft_go_out_when_it_opens_and_close_with_it(
    client: TestClient,
) -> None:
    # Given a draft, and two questions its author puts to it: one closing with it
    await member("alice")
    alice = await create_token("alice")
    draft = (await post(client, "alice", alice, {**PROPOSAL, "proposalStatus": "draft"}))["object"]
    with_it = {k: v for k, v in question(draft["id"]).items() if k != "endTime"}
    first = (await post(client, "alice", alice, with_it))["object"]
    second = (await post(client, "alice", alice, question(draft["id"], multiple=True)))["object"]
    # Then nothing is sent while it is a draft, nobody else sees them, and they take no answer
    for asked in (first, second):
        assert not await Activity.filter(type="Create", object_uri=asked["id"]).exists()
        assert (await client.get(asked["id"].removeprefix(BASE))).status == 404
    status, answer = await send(client, "alice", alice, vote(first["id"], "10:00"))
    assert status == 409 and "not open yet" in answer["error"]
    await sign_in_as(client, "alice")
    path = draft["id"].removeprefix(BASE)
    drafted = await page(client, path)
    assert "Add a question" in drafted and "When should the library open on Sundays?" in drafted
    assert 'name="question"' in await page(client, f"{path}/questions/new")
    # When the author opens it with a closing date
    closes = in_days(3)
    opening = {"type": "Article", "id": draft["id"], "proposalStatus": "open", "closesAt": closes}
    await post(client, "alice", alice, {"type": "Update", "object": opening})
    # Then each question goes out then, the first with the proposal's closing time
    for asked in (first, second):
        create = await Activity.get(type="Create", object_uri=asked["id"])
        assert create.document["object"]["inReplyTo"] == draft["id"]
        assert await Activity.filter(type="Announce", object_uri=asked["id"]).exists()
    sent = (await Activity.get(type="Create", object_uri=first["id"])).document["object"]
    assert parse_time(sent["endTime"]) == parse_time(closes)
    poll = await Poll.get(object__uri=first["id"])
    assert poll.closes_with_proposal and poll.end_time == parse_time(closes)
    assert (await client.get(first["id"].removeprefix(BASE))).status == 200
    assert (await send(client, "alice", alice, vote(first["id"], "10:00")))[0] == 201
