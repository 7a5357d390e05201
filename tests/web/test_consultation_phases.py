"""A consultation's phases, enforced by the node: it opens with a closing date, closes by itself,
takes part only while open, reopens with a reason, and ends with a published decision."""

from __future__ import annotations

import asyncio
from datetime import timedelta
from typing import Any

from aiohttp.test_utils import TestClient

from node.models import AccessRole, Activity, InboxEntry, Object, Poll, Proposal, ProposalStatus
from node.services import phases
from node.services.remote_actors import save_actor
from node.services.remote_objects import store_object
from node.timestamps import format_time, now
from tests.support.api import BASE, post, send, token_for, written
from tests.support.pages import member, page, sign_in_as, submit
from tests.web.test_member_pages import NEW, publish

LATER = "2099-03-31T16:00:00Z"
PROPOSAL = {
    "type": "Article",
    "name": "Open the library on Sundays",
    "summary": "Families who work weekdays cannot use the library.",
    "source": "Most users told us **weekends** matter.",
    "sections": {"problem": "The library is shut when families are free."},
}


def change(uri: str, **fields: Any) -> dict[str, Any]:
    return {"type": "Update", "object": {"type": "Article", "id": uri, **fields}}


async def status_of(uri: str) -> ProposalStatus:
    return (await Proposal.get(object__uri=uri)).status


async def eventually_closed(uri: str) -> Proposal:
    for _ in range(100):  # the worker's pass runs every 2 seconds
        proposal = await Proposal.get(object__uri=uri)
        if proposal.status == ProposalStatus.CLOSED:
            return proposal
        await asyncio.sleep(0.1)
    raise AssertionError("the worker did not close the consultation")


async def closed_proposal(client: TestClient, alice: str) -> str:
    """An open consultation, closed by its author; its URI."""
    uri = (await post(client, "alice", alice, {**PROPOSAL, "closesAt": LATER}))["object"]["id"]
    await post(client, "alice", alice, change(uri, proposalStatus="closed"))
    return str(uri)


async def test_a_draft_opens_only_with_a_closing_date_in_the_future(client: TestClient) -> None:
    alice = await token_for("alice")
    draft = await post(client, "alice", alice, {**PROPOSAL, "proposalStatus": "draft"})
    uri = draft["object"]["id"]
    before = await written()
    status, answer = await send(client, "alice", alice, change(uri, proposalStatus="open"))
    assert status == 400 and "closing date" in answer["error"]
    past = format_time(now() - timedelta(minutes=1))
    status, answer = await send(
        client, "alice", alice, change(uri, proposalStatus="open", closesAt=past)
    )
    assert status == 400 and "already passed" in answer["error"]
    assert await status_of(uri) == ProposalStatus.DRAFT and await written() == before
    opened = await post(client, "alice", alice, change(uri, proposalStatus="open", closesAt=LATER))
    assert opened["type"] == "Create" and opened["object"]["closesAt"] == "2099-03-31T16:00:00.000Z"


async def test_a_new_consultation_is_refused_a_closing_date_in_the_past(client: TestClient) -> None:
    alice = await token_for("alice")
    before = await written()
    past = format_time(now() - timedelta(days=1))
    status, answer = await send(client, "alice", alice, {**PROPOSAL, "closesAt": past})
    assert status == 400 and "already passed" in answer["error"]
    assert await written() == before


async def test_the_worker_closes_a_consultation_and_its_questions_at_the_closing_time(
    client: TestClient,
) -> None:
    alice = await token_for("alice")
    soon = format_time(now() + timedelta(seconds=1))
    uri = (await post(client, "alice", alice, {**PROPOSAL, "closesAt": soon}))["object"]["id"]
    question = {
        "type": "Question",
        "content": "<p>Which Sunday hours?</p>",
        "oneOf": [{"type": "Note", "name": "10-4"}, {"type": "Note", "name": "12-5"}],
        "endTime": soon,  # with the proposal (a question closes with it or before it)
        "inReplyTo": uri,
    }
    asked = (await post(client, "alice", alice, question))["object"]["id"]
    await Poll.filter(object__uri=asked).update(closes_with_proposal=True)
    proposal = await eventually_closed(uri)
    assert proposal.closed_at is not None
    poll = await Poll.get(object__uri=asked)
    assert poll.closed_at is not None and poll.closed_at <= now()
    update = await Activity.filter(type="Update", object_uri=uri).order_by("-id").first()
    assert update is not None and update.document["object"]["proposalStatus"] == "closed"
    assert "closedAt" in update.document["object"]


async def test_a_member_cannot_comment_endorse_or_amend_once_it_has_closed(
    client: TestClient,
) -> None:
    alice = await token_for("alice")
    uri = await closed_proposal(client, alice)
    bob = await token_for("bob")
    before = await written()
    status, answer = await send(
        client, "bob", bob, {"type": "Note", "content": "x", "inReplyTo": uri}
    )
    assert status == 409 and answer["error"].endswith("takes no comments: the consultation is over")
    status, answer = await send(client, "bob", bob, {"type": "Like", "object": uri})
    assert status == 409 and "takes no endorsements" in answer["error"]
    assert await written() == before
    await member("amina")
    await sign_in_as(client, "amina")
    key = uri.rsplit("/", 1)[1]
    html = await page(client, f"/objects/{key}")
    assert "Comments are closed" in html and "Endorse this proposal" not in html
    response = await submit(
        client,
        f"/objects/{key}/comments",
        {"content": "Too late?", "in_reply_to": uri},
        token_from=f"/objects/{key}",
    )
    assert response.status == 400 and "the consultation is over" in await response.text()
    assert await written() == before


async def test_a_reply_from_another_server_after_the_close_is_kept_and_shown_late(
    client: TestClient,
) -> None:
    alice = await token_for("alice")
    uri = await closed_proposal(client, alice)
    remote = await save_actor(
        {
            "id": "https://social.example/users/rob",
            "type": "Person",
            "preferredUsername": "rob",
            "inbox": "https://social.example/users/rob/inbox",
        }
    )
    reply = {
        "id": "https://social.example/users/rob/statuses/1",
        "type": "Note",
        "attributedTo": remote.uri,
        "inReplyTo": uri,
        "content": "<p>Sorry I am late</p>",
        "to": ["https://www.w3.org/ns/activitystreams#Public"],
    }
    stored = await store_object(reply, remote)
    assert stored.row is not None and await phases.mark_if_late(stored.row)
    assert (await Object.get(uri=reply["id"])).late
    html = await page(client, f"/objects/{uri.rsplit('/', 1)[1]}")
    assert "Sorry I am late" in html and "After the closing date" in html
    assert not await phases.takes_reactions(uri)  # a Like arriving now is not counted


async def test_the_author_reopens_with_a_new_date_and_a_reason(client: TestClient) -> None:
    await member("amina")
    await sign_in_as(client, "amina")
    where = await publish(client)
    closed = await submit(client, f"{where}/edit", {**NEW, "status": "closed", "action": "save"})
    assert closed.status == 303
    assert "Closed on" in await page(client, where)
    before = await written()
    refused = await submit(client, f"{where}/reopen", {"closes_on": "2099-06-30", "reason": ""})
    assert refused.status == 400 and "Say why the consultation reopens" in await refused.text()
    refused = await submit(
        client, f"{where}/reopen", {"closes_on": "2001-06-30", "reason": "More time"}
    )
    assert refused.status == 400 and "already passed" in await refused.text()
    assert await written() == before
    reopened = await submit(
        client,
        f"{where}/reopen",
        {"closes_on": "2099-06-30", "closes_time": "12:00", "reason": "Carers asked for more time"},
    )
    assert reopened.status == 303
    proposal = await Proposal.get()
    assert proposal.status == ProposalStatus.OPEN
    assert proposal.reopen_reason == "Carers asked for more time"
    update = await Activity.filter(type="Update").order_by("-id").first()
    assert update is not None
    assert update.document["object"]["reopenReason"] == "Carers asked for more time"
    assert update.document["object"]["closesAt"] == "2099-06-30T11:00:00.000Z"  # London, BST
    html = await page(client, where)
    assert "Open for comments until Tuesday 30 June 2099, 12:00" in html
    assert "Carers asked for more time" in html


async def test_a_decision_is_refused_while_open_as_a_draft_or_with_an_unknown_outcome(
    client: TestClient,
) -> None:
    alice = await token_for("alice")
    draft = await post(client, "alice", alice, {**PROPOSAL, "proposalStatus": "draft"})
    uri = draft["object"]["id"]
    decide = change(uri, proposalStatus="adopted", decision="We will.")
    status, answer = await send(client, "alice", alice, decide)
    assert status == 409 and "still a draft" in answer["error"]
    await post(client, "alice", alice, change(uri, proposalStatus="open", closesAt=LATER))
    status, answer = await send(client, "alice", alice, decide)
    assert status == 409 and "still open" in answer["error"]
    await post(client, "alice", alice, change(uri, proposalStatus="closed"))
    before = await written()
    status, answer = await send(client, "alice", alice, change(uri, proposalStatus="adopted"))
    assert status == 400 and "written response" in answer["error"]
    bogus = change(uri, proposalStatus="postponed", decision="Later.")
    status, answer = await send(client, "alice", alice, bogus)
    assert status == 400 and "unknown proposalStatus" in answer["error"]
    bob = await token_for("bob")
    status, _answer = await send(client, "bob", bob, decide)
    assert status == 403
    assert await written() == before and await status_of(uri) == ProposalStatus.CLOSED
    assert (await Proposal.get()).decided_at is None


async def test_the_author_publishes_the_decision_and_everyone_who_took_part_is_told(
    client: TestClient,
) -> None:
    await member("amina")
    bo = await member("bo")
    await sign_in_as(client, "amina")
    where = await publish(client)
    uri = f"{BASE}{where}"
    await submit(client, "/sign-out", {}, token_from="/")
    await sign_in_as(client, "bo")
    await submit(
        client, f"{where}/comments", {"content": "Yes please", "in_reply_to": uri}, token_from=where
    )
    await submit(client, f"{where}/endorse", {"action": "endorse"}, token_from=where)
    await submit(client, "/sign-out", {}, token_from="/")
    await sign_in_as(client, "amina")
    assert (await client.get(f"{where}/decision", allow_redirects=False)).status == 409
    await submit(client, f"{where}/edit", {**NEW, "status": "closed", "action": "save"})
    form = await page(client, f"{where}/decision")
    assert "Publish the decision" in form and "section_problem" in form
    refused = await submit(client, f"{where}/decision", {"outcome": "maybe", "decision": "x"})
    assert refused.status == 400 and "Choose adopted" in await refused.text()
    refused = await submit(client, f"{where}/decision", {"outcome": "adopted", "decision": " "})
    assert refused.status == 400 and "Write the response" in await refused.text()
    assert (await Proposal.get()).decided_at is None
    published = await submit(
        client,
        f"{where}/decision",
        {
            "outcome": "changed",
            "decision": "We open **late on Thursdays** from January.",
            "section_problem": "You told us evenings matter more.",
        },
    )
    assert published.status == 303
    html = await page(client, where)
    assert html.index("The decision") < html.index("In short")
    assert "<strong>late on Thursdays</strong>" in html and "evenings matter more" in html
    assert "Decided: adopted with changes on" in html
    proposal = await Proposal.get()
    assert proposal.status == ProposalStatus.CHANGED and proposal.decided_at is not None
    update = await Activity.filter(type="Update", object_uri=uri).order_by("-id").first()
    assert update is not None
    article = update.document["object"]
    assert article["decision"]["outcome"] == "changed" and "late on Thursdays" in article["content"]
    notes = [
        row
        for row in await Object.filter(type="Note", in_reply_to_uri=uri)
        if row.document.get("decisionOf")
    ]
    assert len(notes) == 1
    note = notes[0]
    bo_actor = await bo.actor
    assert bo_actor.uri in note.document["cc"]
    assert {
        "type": "Mention",
        "href": bo_actor.uri,
        "name": f"@bo@{bo_actor.domain}",
    } in note.document["tag"]
    assert await InboxEntry.filter(recipient_id=bo_actor.id).exists()
    await submit(client, "/sign-out", {}, token_from="/")
    await sign_in_as(client, "bo")
    assert "published the decision on a consultation you took part in" in await page(
        client, "/notifications"
    )


async def test_a_moderator_publishes_the_decision_for_the_organisation(client: TestClient) -> None:
    alice = await token_for("alice")
    uri = await closed_proposal(client, alice)
    await member("mo", AccessRole.MODERATOR)
    await sign_in_as(client, "mo")
    key = uri.rsplit("/", 1)[1]
    assert "Publish the decision" in await page(client, f"/objects/{key}")
    response = await submit(
        client, f"/objects/{key}/decision", {"outcome": "dropped", "decision": "Not this year."}
    )
    assert response.status == 303, await response.text()
    update = await Activity.filter(type="Update", object_uri=uri).order_by("-id").first()
    assert update is not None and update.document["actor"] == f"{BASE}/actors/testorg"
    assert await status_of(uri) == ProposalStatus.DROPPED


async def test_every_page_says_the_phase_in_words_on_the_organisations_clock(
    client: TestClient,
) -> None:
    await member("amina")
    await sign_in_as(client, "amina")
    draft = await submit(client, "/proposals/new", {**NEW, "action": "draft"})
    draft_page = await page(client, draft.headers["Location"])
    assert "Draft — not yet open" in draft_page and "Closed on" not in draft_page
    where = await publish(client, closes_on="2098-12-12", closes_time="17:00")
    assert "Open for comments until Friday 12 December 2098, 17:00" in await page(client, where)
    assert "Open for comments until Friday 12 December 2098, 17:00" in await page(
        client, "/proposals"
    )
    assert "Open for comments until Friday 12 December 2098, 17:00" in await page(client, "/")
    await member("root", AccessRole.ADMIN)
    await submit(client, "/sign-out", {}, token_from="/")
    await sign_in_as(client, "root")
    settings = await page(client, "/admin/settings")
    assert 'value="Europe/London"' in settings
    refused = await submit(
        client,
        "/admin/settings",
        {
            "name": "Test Org",
            "signup_mode": "invite",
            "language": "en",
            "poll_votes_per_server": "10",
            "time_zone": "Mars/Olympus",
        },
    )
    assert refused.status == 400 and "unknown time zone" in await refused.text()
    saved = await submit(
        client,
        "/admin/settings",
        {
            "name": "Test Org",
            "signup_mode": "invite",
            "language": "en",
            "poll_votes_per_server": "10",
            "time_zone": "America/New_York",
        },
    )
    assert saved.status == 303
    assert "Open for comments until Friday 12 December 2098, 12:00" in await page(client, where)


async def test_publishing_the_decision_freezes_what_we_heard_and_posts_it_in_the_thread(
    client: TestClient,
) -> None:
    alice = await token_for("alice")
    uri = await closed_proposal(client, alice)
    proposal = await Proposal.get(object__uri=uri)
    assert proposal.report_snapshot is None and proposal.report_object_id is None  # type: ignore[attr-defined]
    decision = {"source": "We open on Sundays from March.", "sections": []}
    await post(client, "alice", alice, change(uri, proposalStatus="adopted", decision=decision))
    proposal = await Proposal.get(object__uri=uri).prefetch_related("report_object")
    assert proposal.report_snapshot is not None
    report = proposal.report_object
    assert report is not None and report.name == f"What we heard: {PROPOSAL['name']}"
    assert report.in_reply_to_uri == uri and report.type == "Article"
    published = await Activity.filter(type="Create", object_uri=report.uri).exists()
    assert published, "the frozen report goes out as an Article"
    assert "frozen" in (await page(client, f"/proposals/{proposal.id}/report")).lower()
