"""A proposal's statuses move through one table, for the web forms and the client API alike."""

from __future__ import annotations

from typing import Any

import pytest
from aiohttp.test_utils import TestClient

from node.models import AccessRole, Activity, Delivery, Proposal, ProposalStatus
from node.services.lifecycle import TRANSITIONS, Mover, next_statuses
from node.services.tokens import create_token
from tests.support.api import ORG, get, post, send, token_for
from tests.support.pages import member, page, sign_in_as, submit
from tests.web.test_member_pages import NEW, publish

PROPOSAL = {
    "type": "Article",
    "name": "Open the library on Sundays",
    "summary": "Families who work weekdays cannot use the library.",
    "source": "Most users told us **weekends** matter.",
}


LATER = "2099-03-31T16:00:00Z"


def move(uri: str, status: str, **extra: Any) -> dict[str, Any]:
    changes = {"type": "Article", "id": uri, "proposalStatus": status, **extra}
    return {"type": "Update", "object": changes}


async def sent() -> tuple[int, int]:
    return await Activity.all().count(), await Delivery.all().count()


async def test_a_published_proposal_cannot_be_put_back_to_draft_through_the_api(
    client: TestClient,
) -> None:
    alice = await token_for("alice")
    article = (await post(client, "alice", alice, PROPOSAL))["object"]
    before = await sent()
    status, answer = await send(client, "alice", alice, move(article["id"], "draft"))
    assert status == 409
    assert answer["error"] == "a proposal that is open cannot become draft: it can become closed"
    proposal = await Proposal.get().select_related("object")
    assert proposal.status == ProposalStatus.OPEN and proposal.object.is_public
    assert proposal.version == 1
    assert await sent() == before
    assert (await get(client, article["id"]))[0] == 200  # it did not vanish


async def test_a_proposal_moves_forward_only_and_an_outcome_is_final(client: TestClient) -> None:
    alice = await token_for("alice")
    uri = (await post(client, "alice", alice, PROPOSAL))["object"]["id"]
    status, answer = await send(client, "alice", alice, move(uri, "adopted", decision="Yes."))
    assert status == 409 and answer["error"].endswith("it is still open for comments")
    await post(client, "alice", alice, move(uri, "closed"))
    status, answer = await send(client, "alice", alice, move(uri, "draft"))
    assert status == 409 and answer["error"].endswith(
        "it can become open, adopted, changed, dropped"
    )
    await post(client, "alice", alice, move(uri, "adopted", decision="We will open on Sundays."))
    before = await sent()
    for target in ("draft", "open", "closed"):
        status, answer = await send(client, "alice", alice, move(uri, target, closesAt=LATER))
        assert status == 409 and answer["error"].endswith("it is final"), answer
    for target in ("changed", "dropped"):
        status, answer = await send(client, "alice", alice, move(uri, target, decision="Again."))
        assert status == 409 and answer["error"].endswith("it is final"), answer
    assert (await Proposal.get()).status == ProposalStatus.ADOPTED
    assert await sent() == before


async def test_a_draft_is_published_through_the_table(client: TestClient) -> None:
    alice = await token_for("alice")
    draft = (await post(client, "alice", alice, {**PROPOSAL, "proposalStatus": "draft"}))["object"]
    status, _answer = await send(client, "alice", alice, move(draft["id"], "closed"))
    assert status == 409
    published = await post(client, "alice", alice, move(draft["id"], "open", closesAt=LATER))
    assert published["type"] == "Create"
    assert (await Proposal.get()).status == ProposalStatus.OPEN


def test_the_table_holds_the_documented_lifecycle() -> None:
    moves = {(move.source.value, move.target.value) for move in TRANSITIONS}
    assert moves == {
        ("draft", "open"),
        ("open", "closed"),
        ("closed", "open"),
        ("closed", "adopted"),
        ("closed", "changed"),
        ("closed", "dropped"),
    }
    for status in ProposalStatus:
        assert ProposalStatus.DRAFT not in next_statuses(status, Mover.ORGANISATION)


async def test_the_edit_form_offers_only_the_moves_the_table_allows(client: TestClient) -> None:
    await member("amina")
    await sign_in_as(client, "amina")
    where = await publish(client)
    html = await page(client, f"{where}/edit")
    assert 'value="open"' in html and 'value="closed"' in html
    for refused in ("draft", "adopted", "changed", "dropped"):
        assert f'value="{refused}"' not in html
    back = await submit(client, f"{where}/edit", {**NEW, "status": "draft", "action": "save"})
    assert back.status == 400 and "only moves forward" in await back.text()
    assert (await Proposal.get()).status == ProposalStatus.OPEN


async def test_an_admin_who_sees_the_edit_link_can_save_for_the_organisation(
    client: TestClient,
) -> None:
    await member("amina")
    await member("root", AccessRole.ADMIN)
    await sign_in_as(client, "amina")
    where = await publish(client)
    await submit(client, "/sign-out", {}, token_from="/")
    await sign_in_as(client, "root")
    assert f'href="{where}/edit"' in await page(client, where)
    await page(client, f"{where}/edit")
    saved = await submit(
        client,
        f"{where}/edit",
        {**NEW, "summary": "Until 9pm.", "status": "closed", "action": "save"},
    )
    assert saved.status == 303, await saved.text()
    proposal = await Proposal.get()
    assert proposal.status == ProposalStatus.CLOSED and proposal.version == 2
    update = await Activity.filter(type="Update").order_by("-id").first()
    assert update is not None and update.document["actor"] == ORG  # signed by the organisation


@pytest.mark.parametrize("role", [AccessRole.MEMBER, AccessRole.MODERATOR])
async def test_who_may_not_edit_sees_no_link_and_cannot_save(
    client: TestClient, role: AccessRole
) -> None:
    await member("amina")
    await member("bo", role)
    await sign_in_as(client, "amina")
    where = await publish(client)
    await submit(client, "/sign-out", {}, token_from="/")
    await sign_in_as(client, "bo")
    assert f'href="{where}/edit"' not in await page(client, where)
    await page(client, f"{where}/edit", status=403)
    refused = await submit(
        client, f"{where}/edit", {**NEW, "status": "closed", "action": "save"}, token_from=where
    )
    assert refused.status == 403
    assert (await Proposal.get()).status == ProposalStatus.OPEN


async def test_a_closed_proposal_takes_no_more_amendments_or_questions(client: TestClient) -> None:
    alice = await token_for("alice")
    uri = (await post(client, "alice", alice, PROPOSAL))["object"]["id"]
    await post(client, "alice", alice, move(uri, "closed"))
    bob = await token_for("bob")
    before = await sent()
    amendment = {
        "type": "Note",
        "inReplyTo": uri,
        "amendment": {"section": "problem", "suggestedText": "Something else."},
    }
    status, answer = await send(client, "bob", bob, amendment)
    assert status == 409
    assert (
        answer["error"] == "a proposal that is closed takes no amendments: the consultation is over"
    )
    question = {
        "type": "Question",
        "content": "<p>Too late?</p>",
        "inReplyTo": uri,
        "oneOf": [{"type": "Note", "name": "Yes"}, {"type": "Note", "name": "No"}],
    }
    status, answer = await send(client, "alice", alice, question)
    assert status == 409 and "takes no new questions" in answer["error"]
    assert await sent() == before


async def test_the_amendment_form_of_a_closed_proposal_says_the_consultation_is_over(
    client: TestClient,
) -> None:
    await member("amina")
    await sign_in_as(client, "amina")
    where = await publish(client)
    await page(client, f"{where}/amend")
    closed = await submit(client, f"{where}/edit", {**NEW, "status": "closed", "action": "save"})
    assert closed.status == 303
    assert "consultation is over" in await page(client, f"{where}/amend", status=409)
    assert "Suggest an amendment" not in await page(client, where)


async def test_an_admin_cannot_read_or_publish_a_members_draft_through_the_edit_form(
    client: TestClient,
) -> None:
    await member("amina")
    await member("root", AccessRole.ADMIN)
    await sign_in_as(client, "amina")
    response = await submit(
        client, "/proposals/new", {**NEW, "title": "Secret plan", "action": "draft"}
    )
    where = response.headers["Location"]
    await submit(client, "/sign-out", {}, token_from="/")
    await sign_in_as(client, "root")
    assert "Secret plan" not in await page(client, f"{where}/edit", status=404)
    published = await submit(
        client, f"{where}/edit", {**NEW, "status": "open", "action": "save"}, token_from="/"
    )
    assert published.status == 404
    assert (await Proposal.get()).status == ProposalStatus.DRAFT


async def test_the_organisation_cannot_publish_a_members_draft_through_the_api(
    client: TestClient,
) -> None:
    alice = await token_for("alice")
    draft = (await post(client, "alice", alice, {**PROPOSAL, "proposalStatus": "draft"}))["object"]
    organisation = await create_token("testorg")
    before = await sent()
    status, answer = await send(client, "testorg", organisation, move(draft["id"], "open"))
    assert status == 403, answer
    assert (await Proposal.get()).status == ProposalStatus.DRAFT
    assert await sent() == before


async def test_a_proposal_published_without_a_closing_date_runs_the_default_twelve_weeks(
    client: TestClient,
) -> None:
    # Given a client that knows nothing of closing dates (any ActivityPub client)
    alice = await token_for("alice")
    # When it publishes an Article open, with no closesAt
    article = (await post(client, "alice", alice, PROPOSAL))["object"]
    # Then the consultation closes twelve weeks on, and says so to other servers
    proposal = await Proposal.get()
    assert proposal.closes_at is not None
    weeks = (proposal.closes_at - proposal.created_at).total_seconds() / (7 * 24 * 3600)
    assert 11.99 < weeks < 12.01
    assert article["closesAt"].startswith(proposal.closes_at.strftime("%Y-%m-%dT%H:%M"))


async def test_a_proposal_published_with_a_closing_date_in_the_past_is_refused(
    client: TestClient,
) -> None:
    alice = await token_for("alice")
    before = await sent()
    status, answer = await send(
        client, "alice", alice, {**PROPOSAL, "closesAt": "2020-01-31T17:00:00Z"}
    )
    assert status == 400 and "already passed" in answer["error"]
    assert await Proposal.all().count() == 0 and await sent() == before
