"""Statements on a consultation (pol.is-style): added by members, moderated, published as the
organisation's Question, voted agree / disagree / pass from the page, the client API and other
servers; the last vote counts."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta
from typing import Any

from aiohttp.test_utils import TestClient, TestServer

import schemas
from node.appkeys import FETCH_CLIENT, OUTBOX
from node.models import (
    AccessRole,
    Activity,
    Actor,
    Block,
    ModerationAction,
    OpinionMap,
    Proposal,
    ProposalStatus,
    Statement,
    StatementState,
    StatementVote,
)
from node.services import remote_objects
from node.services.blocklist import forget_cached_blocks
from node.services.remote_actors import save_actor
from node.services.remote_figures import MAX_QUESTIONS, refresh_figures
from node.services.statement_view import statements_section
from node.services.statements import Statements, hold_remote_statement
from node.services.tokens import create_token
from tests.support.api import BASE, ORG, get, post, send
from tests.support.pages import member, page, sign_in_as, submit
from tests.support.remote_home import hold_remote_proposal

PROPOSAL = {
    "type": "Article",
    "name": "Open the library on Sundays",
    "summary": "Families who work weekdays cannot use the library.",
    "source": "Most users told us **weekends** matter.",
}
PUBLIC = "https://www.w3.org/ns/activitystreams#Public"


def in_days(days: float) -> str:
    moment = datetime.now(UTC) + timedelta(days=days)
    return moment.isoformat(timespec="seconds").replace("+00:00", "Z")


def statement(proposal: str, text: str) -> dict[str, Any]:
    return {"type": "Note", "name": text, "inReplyTo": proposal, "statementOf": proposal}


def vote(question: str, option: str) -> dict[str, Any]:
    return {"type": "Note", "name": option, "inReplyTo": question}


async def people() -> dict[str, str]:
    """alice (the author), bob and carol (members) and mo (a moderator): their tokens."""
    await member("alice")
    await member("bob")
    await member("carol")
    await member("mo", AccessRole.MODERATOR)
    return {handle: await create_token(handle) for handle in ("alice", "bob", "carol")}


async def proposal_with_statements(client: TestClient, tokens: dict[str, str]) -> str:
    """alice's open proposal (closing in a week) with statements turned on; its id."""
    created = await post(client, "alice", tokens["alice"], {**PROPOSAL, "closesAt": in_days(7)})
    uri = str(created["object"]["id"])
    await Proposal.filter(object__uri=uri).update(statements_enabled=True)
    return uri


async def approved(client: TestClient, text: str, proposal: str, token: str) -> Statement:
    """bob's statement `text`, approved by mo; its row (with its Question)."""
    await post(client, "bob", token, statement(proposal, text))
    row = await Statement.get(text=text)
    moderator = await Actor.get(handle="mo", is_local=True)
    account_id = await moderator_account(moderator)
    await Statements(client.app[OUTBOX]).approve(row.id, by_account_id=account_id)
    return await Statement.get(id=row.id).prefetch_related("object")


async def moderator_account(actor: Actor) -> int:
    from node.models import Account

    return int((await Account.get(actor_id=actor.id)).id)


def counts(document: dict[str, Any]) -> dict[str, int]:
    return {option["name"]: option["replies"]["totalItems"] for option in document["oneOf"]}


async def test_the_author_turns_statements_on_and_a_members_statement_waits_for_a_moderator(
    client: TestClient,
) -> None:
    tokens = await people()
    created = await post(client, "alice", tokens["alice"], {**PROPOSAL, "closesAt": in_days(7)})
    path = "/objects/" + created["object"]["id"].rsplit("/", 1)[-1]
    # a member who is not the author cannot turn statements on
    await sign_in_as(client, "bob")
    refused = await submit(
        client, path + "/statements-setting", {"statements_enabled": "1"}, token_from=path
    )
    assert refused.status == 403
    assert not (await Proposal.get(object__uri=created["object"]["id"])).statements_enabled
    # the author turns them on from the proposal's page
    client.session.cookie_jar.clear()
    await sign_in_as(client, "alice")
    assert "People may add short statements" in await page(client, path)
    done = await submit(
        client, path + "/statements-setting", {"statements_enabled": "1"}, token_from=path
    )
    assert done.status == 303
    assert (await Proposal.get(object__uri=created["object"]["id"])).statements_enabled
    # bob adds a statement: it waits, shown to him as waiting, to nobody as a statement yet
    client.session.cookie_jar.clear()
    await sign_in_as(client, "bob")
    added = await submit(
        client,
        path + "/statements",
        {"statement": "  Sunday mornings suit families  "},
        token_from=path,
    )
    assert added.status == 303, await added.text()
    too_long = await submit(client, path + "/statements", {"statement": "é" * 141}, token_from=path)
    text = await too_long.text()
    assert too_long.status == 400 and "at most 140 characters: this one has 141" in text
    assert 'value="' + "é" * 141 + '"' in text  # kept for them to shorten
    row = await Statement.get()
    assert row.text == "Sunday mornings suit families" and row.state == StatementState.PENDING
    shown = await page(client, path)
    assert "waiting for a moderator" in shown and "Statements (0)" in shown


async def test_bad_statements_are_refused_with_the_reason_and_nothing_is_written(
    client: TestClient,
) -> None:
    tokens = await people()
    proposal = await proposal_with_statements(client, tokens)
    await post(client, "bob", tokens["bob"], statement(proposal, "Open at ten"))
    cases = [
        ("", 400, "write the statement"),
        ("x" * 141, 400, "at most 140 characters: this one has 141"),
        ("  OPEN   at TEN ", 400, "already has this statement"),
    ]
    for text, status, reason in cases:
        code, answer = await send(client, "carol", tokens["carol"], statement(proposal, text))
        assert (code, reason in answer["error"]) == (status, True), answer
    # 140 characters counted as characters (not bytes), after trimming, are taken
    emoji = "🙂" * 140
    await post(client, "carol", tokens["carol"], statement(proposal, f"  {emoji}  "))
    assert await Statement.filter(text=emoji).exists()
    # a proposal without statements, or closed, takes none
    plain = (await post(client, "alice", tokens["alice"], PROPOSAL))["object"]["id"]
    code, answer = await send(client, "carol", tokens["carol"], statement(plain, "Anything"))
    assert code == 409 and "does not take statements" in answer["error"]
    await Proposal.filter(object__uri=proposal).update(status=ProposalStatus.CLOSED)
    code, answer = await send(client, "carol", tokens["carol"], statement(proposal, "Late one"))
    assert code == 409 and "not open" in answer["error"]
    assert await Statement.all().count() == 2


async def test_the_same_statement_sent_at_the_same_moment_is_kept_once(
    client: TestClient,
) -> None:
    # Given a proposal taking statements, and bob and carol sending the same one at once,
    # several times over (on PostgreSQL each submission is a transaction of its own)
    tokens = await people()
    proposal = await proposal_with_statements(client, tokens)
    sent = [
        send(client, who, tokens[who], statement(proposal, f"Open at {hour}"))
        for hour in ("nine", "ten", "eleven")
        for who in ("bob", "carol")
    ]
    answers = await asyncio.gather(*sent)
    # Then each text is kept once, and the other sender is told it is there already
    assert sorted(code for code, _ in answers) == [201, 201, 201, 400, 400, 400], answers
    for code, answer in answers:
        assert code == 201 or "already has this statement" in answer["error"], answer
    assert await Statement.filter(proposal__object__uri=proposal).count() == 3


async def test_an_approved_statement_is_the_organisations_question_and_votes_replace_each_other(
    client: TestClient,
) -> None:
    tokens = await people()
    proposal = await proposal_with_statements(client, tokens)
    row = await approved(client, "Open at ten", proposal, tokens["bob"])
    assert row.state == StatementState.APPROVED and row.object is not None
    # the organisation published it: a Question with Agree / Disagree / Pass, in the thread
    create = await Activity.get(type="Create", object_uri=row.object.uri)
    schemas.validate("create", create.document)
    question = create.document["object"]
    schemas.validate("statement", question)
    schemas.validate("poll", question)
    schemas.validate("question", question)
    article = (await get(client, proposal))[1]
    assert question["attributedTo"] == ORG and create.document["actor"] == ORG
    assert question["inReplyTo"] == proposal and question["context"] == article["context"]
    assert question["statementOf"] == proposal and question["name"] == "Open at ten"
    assert question["to"] == [PUBLIC] and question["cc"] == [f"{ORG}/followers"]
    assert question["endTime"] == article["closesAt"].replace(".000Z", "Z")
    assert [option["name"] for option in question["oneOf"]] == ["Agree", "Disagree", "Pass"]
    # the approval is in the audit log, and the opinion map is marked stale
    assert await ModerationAction.filter(action="approve_statement", target=row.object.uri).exists()
    assert (await OpinionMap.get(proposal__object__uri=proposal)).stale_since is not None
    # carol votes through the client API, then changes her mind: the last vote counts
    await post(client, "carol", tokens["carol"], vote(row.object.uri, "Agree"))
    await post(client, "carol", tokens["carol"], vote(row.object.uri, "Disagree"))
    await post(client, "bob", tokens["bob"], vote(row.object.uri, "Pass"))
    votes = (
        await StatementVote.filter(statement_id=row.id)
        .order_by("actor_id")
        .values_list("actor__handle", "value")
    )
    assert sorted(votes) == [("bob", 0), ("carol", -1)]
    status, served = await get(client, row.object.uri)
    assert status == 200 and counts(served) == {"Agree": 0, "Disagree": 1, "Pass": 1}
    assert served["votersCount"] == 2
    schemas.validate("statement", served)
    # an option that is not one is refused
    code, answer = await send(client, "carol", tokens["carol"], vote(row.object.uri, "Maybe"))
    assert code == 400 and "choose Agree, Disagree or Pass" in answer["error"]


async def test_members_vote_with_three_buttons_and_see_their_vote_marked(
    client: TestClient,
) -> None:
    tokens = await people()
    proposal = await proposal_with_statements(client, tokens)
    row = await approved(client, "Open at ten", proposal, tokens["bob"])
    path = "/objects/" + proposal.rsplit("/", 1)[-1]
    await sign_in_as(client, "carol")
    shown = await page(client, path)
    assert "Open at ten" in shown and f'action="/statements/{row.id}/vote"' in shown
    for choice in ("agree", "pass"):
        answer = await submit(
            client, f"/statements/{row.id}/vote", {"vote": choice}, token_from=path
        )
        assert answer.status == 303
    shown = await page(client, path)
    assert 'value="pass" class="secondary" aria-pressed="true"' in shown
    assert "Agree: 0 · Disagree: 0 · Pass: 1" in shown
    assert "see the poll" not in shown  # its Question is a statement, not a comment or a poll
    assert await StatementVote.filter(statement_id=row.id).count() == 1
    junk = await submit(client, f"/statements/{row.id}/vote", {"vote": "maybe"}, token_from=path)
    assert junk.status == 400
    assert (await StatementVote.get(statement_id=row.id)).value == 0


async def test_moderators_approve_and_reject_from_the_queue_and_a_rejection_needs_a_reason(
    client: TestClient,
) -> None:
    tokens = await people()
    proposal = await proposal_with_statements(client, tokens)
    await post(client, "bob", tokens["bob"], statement(proposal, "Open at ten"))
    await post(client, "bob", tokens["bob"], statement(proposal, "Close the library"))
    keep, drop = await Statement.all().order_by("id")
    await sign_in_as(client, "mo")
    queue = await page(client, "/admin/held")
    assert "Open at ten" in queue and "Close the library" in queue
    no_reason = await submit(
        client, f"/admin/statements/{drop.id}/reject", {"reason": " "}, token_from="/admin/held"
    )
    assert no_reason.status == 400
    assert (await Statement.get(id=drop.id)).state == StatementState.PENDING
    rejected = await submit(
        client,
        f"/admin/statements/{drop.id}/reject",
        {"reason": "Off topic"},
        token_from="/admin/held",
    )
    assert rejected.status == 303
    done = await submit(
        client, f"/admin/statements/{keep.id}/approve", {}, token_from="/admin/held"
    )
    assert done.status == 303
    states = dict(await Statement.all().values_list("text", "state"))
    assert states == {"Open at ten": "approved", "Close the library": "rejected"}
    logged = await ModerationAction.get(action="reject_statement")
    assert logged.reason == "Off topic"
    again = await submit(
        client, f"/admin/statements/{drop.id}/approve", {}, token_from="/admin/held"
    )
    assert again.status == 409


async def remote(handle: str, host: str) -> Actor:
    uri = f"https://{host}/users/{handle}"
    return await save_actor(
        {"id": uri, "type": "Person", "preferredUsername": handle, "inbox": f"{uri}/inbox"}
    )


def remote_vote(voter: Actor, question: str, option: str, n: int = 1) -> dict[str, Any]:
    return {
        "id": f"{voter.uri}/votes/{n}",
        "type": "Note",
        "attributedTo": voter.uri,
        "name": option,
        "inReplyTo": question,
        "to": [ORG],
    }


async def test_votes_from_other_servers_count_and_refusals_store_nothing(
    client: TestClient,
) -> None:
    tokens = await people()
    proposal = await proposal_with_statements(client, tokens)
    row = await approved(client, "Open at ten", proposal, tokens["bob"])
    assert row.object is not None
    await post(client, "bob", tokens["bob"], statement(proposal, "Still waiting"))
    waiting = await Statement.get(text="Still waiting")
    statements = Statements(client.app[OUTBOX])
    fan = await remote("fan", "mastodon.example")
    # a Mastodon user's vote counts; their second vote replaces the first
    assert await statements.record_remote_vote(remote_vote(fan, row.object.uri, "Agree"), fan)
    assert await statements.record_remote_vote(remote_vote(fan, row.object.uri, "Pass", 2), fan)
    assert list(await StatementVote.all().values_list("value", "uri")) == [
        (0, f"{fan.uri}/votes/2")
    ]
    # unknown and unapproved statements, unknown options: refused
    unknown = f"{BASE}/objects/nothing"
    assert not await statements.record_remote_vote(remote_vote(fan, unknown, "Agree"), fan)
    assert waiting.object_id is None  # type: ignore[attr-defined]  # nothing to vote on
    await Statement.filter(id=row.id).update(state=StatementState.REJECTED)
    assert not await statements.record_remote_vote(remote_vote(fan, row.object.uri, "Agree"), fan)
    await Statement.filter(id=row.id).update(state=StatementState.APPROVED)
    assert not await statements.record_remote_vote(remote_vote(fan, row.object.uri, "Yes"), fan)
    # a blocked server's vote is refused
    troll = await remote("troll", "blocked.example")
    await Block.create(kind="domain", target="blocked.example")
    forget_cached_blocks()
    assert not await statements.record_remote_vote(
        remote_vote(troll, row.object.uri, "Agree"), troll
    )
    # after the close, votes are refused
    other = await remote("late", "mastodon.example")
    await Proposal.filter(object__uri=proposal).update(status=ProposalStatus.CLOSED)
    assert not await statements.record_remote_vote(
        remote_vote(other, row.object.uri, "Agree"), other
    )
    assert await StatementVote.all().count() == 1


async def test_a_statement_from_another_server_waits_with_its_uri(client: TestClient) -> None:
    tokens = await people()
    proposal = await proposal_with_statements(client, tokens)
    statements = Statements(client.app[OUTBOX])
    guest = await remote("guest", "b.example")
    note = {
        "id": "https://b.example/users/guest#statements/1",
        "type": "Note",
        "attributedTo": guest.uri,
        "name": "Open the café too",
        "inReplyTo": proposal,
        "statementOf": proposal,
        "to": [ORG],
    }
    assert await statements.receive_submission(note, guest)
    row = await Statement.get().prefetch_related("author")
    assert (row.text, row.state, row.submitted_uri, row.author.uri) == (
        "Open the café too",
        StatementState.PENDING,
        note["id"],
        guest.uri,
    )
    # the same Note again, or one over 140 characters, is refused
    assert not await statements.receive_submission(note, guest)
    long = {**note, "id": note["id"] + "0", "name": "y" * 141}
    assert not await statements.receive_submission(long, guest)
    # a blocked server's, or anyone's from another server when members only may reply: refused
    troll = await remote("troll", "blocked.example")
    await Block.create(kind="domain", target="blocked.example")
    forget_cached_blocks()
    blocked = {**note, "id": f"{troll.uri}#s/1", "attributedTo": troll.uri, "name": "Spam"}
    assert not await statements.receive_submission(blocked, troll)
    await Proposal.filter(object__uri=proposal).update(reply_policy="members")
    outsider = {**note, "id": note["id"] + "2", "name": "Another idea"}
    assert not await statements.receive_submission(outsider, guest)
    assert await Statement.all().count() == 1


async def test_another_nodes_statements_are_kept_as_its_proposals_and_not_fetched_as_polls(
    client: TestClient, aiohttp_server: Callable[..., Awaitable[TestServer]]
) -> None:
    # Given B holds A's proposal, and A's statement Question arrives
    home, proposal_id, proposal = await hold_remote_proposal(aiohttp_server)
    author = await Actor.get(uri=f"{home.base}/actors/alice")
    document = {
        "id": f"{home.base}/objects/s", "type": "Question", "attributedTo": author.uri,
        "name": "Open at ten", "content": "<p>Open at ten</p>", "to": [PUBLIC],
        "inReplyTo": proposal, "context": f"{home.base}/contexts/p", "statementOf": proposal,
        "oneOf": [{"type": "Note", "name": name, "replies": {"totalItems": count}}
                  for name, count in (("Agree", 4), ("Disagree", 1), ("Pass", 2))],
    }  # fmt: skip
    stored = await remote_objects.store_object(document, author)
    assert stored.row is not None
    await hold_remote_statement(stored.row, document)
    # and one claiming to be a statement of it from elsewhere
    other = await remote("elsewhere", "other.example")
    forged = {**document, "id": "https://other.example/objects/s", "attributedTo": other.uri}
    forged_row = (await remote_objects.store_object(forged, other)).row
    assert forged_row is not None
    await hold_remote_statement(forged_row, forged)
    # Then B keeps A's (approved, as A moderated it) and shows it with A's counts
    kept = await Statement.get(proposal_id=proposal_id).prefetch_related("object")
    assert kept.state == StatementState.APPROVED and kept.object is not None
    assert kept.object.uri == document["id"] and await Statement.all().count() == 1
    section = await statements_section(proposal, None)
    assert [(s.text, s.agree, s.disagree, s.passed) for s in section.statements] == [
        ("Open at ten", 4, 1, 2)
    ]
    # and however many statements there are (older than its question), the figures worker
    # fetches the results of A's questions, never taking statements for them
    for number in range(MAX_QUESTIONS):
        more = {**document, "id": f"{home.base}/objects/s{number}", "name": f"Idea {number}",
                "published": "2020-01-01T00:00:00Z"}  # fmt: skip
        row = (await remote_objects.store_object(more, author)).row
        assert row is not None
        await hold_remote_statement(row, more)
    assert await refresh_figures(client.app[FETCH_CLIENT], proposal_id)
    figures = (await Proposal.get(id=proposal_id)).remote_figures
    assert [found["question"] for found in figures["questions"]] == [f"{home.base}/objects/q"]
