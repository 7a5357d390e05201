"""A proposal of another node, held here, on its page here (/remote/objects/{id}): shown from
what is stored, with its forms posting here; bad ids are a plain 404, and a closed one refuses
comments, endorsements and amendments with the reason, storing nothing."""

from __future__ import annotations

import html as html_module
from datetime import UTC, datetime
from typing import Any

from aiohttp.test_utils import TestClient

from node.models import (
    Activity,
    Actor,
    Delivery,
    Follow,
    FollowState,
    Object,
    Poll,
    Proposal,
    Reaction,
    Report,
    Vote,
)
from node.services import remote_objects
from node.services.tokens import create_token
from tests.support.api import BASE, post
from tests.support.pages import csrf_in, member, page, sign_in_as, submit
from tests.web.test_remote_proposals import article, remote

HOME = "https://far.example"
PROPOSAL = f"{HOME}/objects/library"
LOCAL_PROPOSAL = {"type": "Article", "name": "Ours", "summary": "Short.", "source": "Body."}


async def held_proposal(status: str = "open") -> int:
    """A proposal of far.example, stored here as backfill stores it; its row id."""
    erin = await remote(f"{HOME}/actors/erin")
    document = article(PROPOSAL, erin, f"{HOME}/actors/council", status=status)
    document["context"] = f"{HOME}/contexts/library"
    document["summary"] = "Fewer opening hours save money."
    await remote_objects.store_object(document, erin)
    comment = {
        "id": f"{HOME}/objects/c1", "type": "Note", "attributedTo": erin.uri,
        "inReplyTo": PROPOSAL, "context": document["context"], "content": "<p>Tuesdays?</p>",
        "to": ["https://www.w3.org/ns/activitystreams#Public"],
    }  # fmt: skip
    await remote_objects.store_object(comment, erin)
    return (await Object.get(uri=PROPOSAL)).id


async def test_a_member_reads_a_proposal_of_another_node_on_their_own_node(
    client: TestClient,
) -> None:
    # Given a proposal of far.example held here, with a comment in its thread
    object_id = await held_proposal()
    comment_id = (await Object.get(uri=f"{HOME}/objects/c1")).id
    await member("pat")
    await sign_in_as(client, "pat")
    # When pat opens its page here
    html = await page(client, f"/remote/objects/{object_id}")
    # Then it is shown like ours, its forms post here, and the original is one link away
    assert "Close the library" in html and "Fewer opening hours save money." in html
    assert "Tuesdays?" in html
    assert f'action="/remote/objects/{object_id}/comments"' in html
    assert f'action="/remote/objects/{object_id}/endorse"' in html
    assert f'href="/remote/objects/{object_id}/amend"' in html
    assert f'href="{PROPOSAL}"' in html and "See the original on far.example" in html
    # and the proposal lists and search lead there, not to far.example
    for listing in ("/proposals", "/", "/search?q=library"):
        listed = await page(client, listing)
        assert f'href="/remote/objects/{object_id}"' in listed, listing
        assert f'href="{PROPOSAL}"' not in listed, listing
    # and the comment's own address leads to its place on that page
    response = await client.get(f"/remote/objects/{comment_id}", allow_redirects=False)
    assert response.status == 302
    assert response.headers["Location"] == f"/remote/objects/{object_id}#c{comment_id}"

    # When pat reports the comment from that page
    reported = f"/remote/objects/{object_id}/report?uri={HOME}/objects/c1"
    html = await page(client, f"/remote/objects/{object_id}")
    assert f'href="{reported}"' in html.replace("%3A", ":").replace("%2F", "/")
    response = await submit(client, reported, {"reason": ""})
    assert response.status == 400 and await Report.all().count() == 0  # no reason, no report
    response = await submit(client, reported, {"reason": "Off topic"})
    # Then B's moderators have it, and pat is back at the comment on the page here
    assert response.status == 303
    assert response.headers["Location"] == f"/remote/objects/{object_id}#c{comment_id}"
    assert await Report.filter(object_uri=f"{HOME}/objects/c1").count() == 1


async def test_an_id_that_is_not_a_remote_proposal_or_comment_is_a_plain_404(
    client: TestClient,
) -> None:
    # Given a local proposal and a remote one held here
    await member("alice")
    created = await post(client, "alice", await create_token("alice"), LOCAL_PROPOSAL)
    local = await Object.get(uri=created["object"]["id"])
    await held_proposal()
    erin = await Object.filter(uri__startswith=HOME, type="Article").first()
    assert erin is not None
    # When their ids, or none, are asked for as remote objects: a 404 saying so
    for wrong in (str(local.id), "999999", "x", "99999999999999999999999"):
        response = await client.get(f"/remote/objects/{wrong}", allow_redirects=False)
        assert response.status == 404, wrong
        text = await response.text()
        assert "from another server with this number" in text or "nothing" in text, text
    # and the same for the forms under it
    await sign_in_as(client, "alice")
    response = await submit(
        client, f"/remote/objects/{local.id}/comments", {"content": "Hi"}, token_from="/"
    )
    assert response.status == 404


async def test_a_closed_remote_proposal_refuses_taking_part_with_the_reason(
    client: TestClient,
) -> None:
    # Given a proposal of far.example whose consultation is over
    object_id = await held_proposal(status="closed")
    await member("pat")
    await sign_in_as(client, "pat")
    where = f"/remote/objects/{object_id}"
    html = await page(client, where)
    assert "Comments are closed" in html and f'action="{where}/comments"' not in html
    before = await Object.all().count(), await Reaction.all().count()
    # When pat posts a comment, an endorsement and an amendment anyway
    for path, fields, refused in (
        ("/comments", {"content": "Too late?"}, 400),  # the form again, saying why
        ("/endorse", {"action": "endorse"}, 409),
        ("/amendments", {"section": "problem", "text": "New words"}, 409),
    ):
        response = await submit(client, where + path, fields, token_from="/")
        # Then each is refused with the reason, and nothing is stored
        assert response.status == refused, (path, response.status)
        assert "the consultation is over" in await response.text(), path
    assert (await Object.all().count(), await Reaction.all().count()) == before


async def test_the_timeline_leads_to_the_page_here_of_what_it_holds_from_another_node(
    client: TestClient,
) -> None:
    # Given pat follows erin of far.example, whose proposal and comment are held here
    object_id = await held_proposal()
    comment_id = (await Object.get(uri=f"{HOME}/objects/c1")).id
    account = await member("pat")
    await Follow.create(
        uri=f"{BASE}/follows/1",
        follower=await Actor.get(id=account.actor_id),  # type: ignore[attr-defined]
        followee=await Actor.get(uri=f"{HOME}/actors/erin"),
        state=FollowState.ACCEPTED,
    )
    await sign_in_as(client, "pat")
    # When pat reads the timeline
    html = await page(client, "/timeline")
    # Then both lead to their place here, none to far.example
    assert f'href="/remote/objects/{object_id}"' in html
    assert f'href="/remote/objects/{comment_id}"' in html
    assert f'href="{PROPOSAL}"' not in html and f'href="{HOME}/objects/c1"' not in html


async def held_question(
    uri: str, options: list[str], *, closed: str = "", multiple: bool = False
) -> int:
    """A Question of far.example in the held proposal's thread; its row id."""
    erin = await Actor.get(uri=f"{HOME}/actors/erin")
    document = {
        "id": uri, "type": "Question", "attributedTo": erin.uri, "inReplyTo": PROPOSAL,
        "context": f"{HOME}/contexts/library", "content": "<p>Which days suit you?</p>",
        "to": ["https://www.w3.org/ns/activitystreams#Public"],
        ("anyOf" if multiple else "oneOf"): [
            {"type": "Note", "name": name, "replies": {"type": "Collection", "totalItems": 3}}
            for name in options
        ],
        **({"closed": closed, "endTime": closed} if closed else {}),
    }  # fmt: skip
    await remote_objects.store_object(document, erin)
    return (await Object.get(uri=uri)).id


async def test_a_member_answers_a_question_of_another_node_from_its_page_here(
    client: TestClient,
) -> None:
    # Given far.example's proposal held here, with an open question and a closed one
    object_id = await held_proposal()
    where = f"/remote/objects/{object_id}"
    open_id = await held_question(f"{HOME}/questions/days", ["Weekdays", "Weekends"])
    closed_id = await held_question(
        f"{HOME}/questions/hours", ["Mornings", "Evenings"], closed="2020-01-01T00:00:00Z"
    )
    await member("pat")
    await sign_in_as(client, "pat")
    # When pat opens its page here
    html = await page(client, where)
    # Then both questions are shown with their options, the open one with a form posting here,
    # and no results pretending to be counted here (none fetched from far.example yet)
    assert "Which days suit you?" in html and "Mornings" in html
    assert f'action="/remote/objects/{open_id}/vote"' in html
    assert f'action="/remote/objects/{closed_id}/vote"' not in html
    assert "This question has closed." in html
    assert "they are shown here once fetched from it" in html
    assert "people answered" not in html and "(3)</dd>" not in html
    before = await Delivery.all().count()

    # When pat answers with an option the question does not have, or none, or the closed one
    for target, choice, status, words in (
        (open_id, "Never", 400, "is not an option of this poll"),
        (open_id, "", 400, "choose an answer"),
        (closed_id, "Mornings", 409, "this question closed at 2020-01-01T00:00:00Z"),
    ):
        response = await submit(
            client, f"/remote/objects/{target}/vote", {"choice": choice}, token_from=where
        )
        # Then each is refused with the reason, and nothing is stored or sent
        assert response.status == status, (choice, response.status)
        assert words in html_of(await response.text()), choice
    assert await Vote.all().count() == 0 and await Poll.all().count() == 0
    assert await Delivery.all().count() == before

    # When pat answers "Weekends"
    response = await submit(
        client, f"/remote/objects/{open_id}/vote", {"choice": "Weekends"}, token_from=where
    )
    # Then pat is back on the page here, which shows the answer at once, and offers no form
    assert response.status == 303
    assert response.headers["Location"] == f"{where}#polls"
    html = await page(client, where)
    assert "Your answer: Weekends" in html
    assert f'action="/remote/objects/{open_id}/vote"' not in html
    # and the vote goes to the question's author as a Note named after the option
    erin = await Actor.get(uri=f"{HOME}/actors/erin")
    sent = await Delivery.filter(inbox_uri=erin.inbox_uri).order_by("-id").first()
    assert sent is not None
    activity = await Activity.get(uri=sent.activity_uri)
    note = activity.document["object"]
    assert activity.document["type"] == "Create"
    assert (note["name"], note["inReplyTo"]) == ("Weekends", f"{HOME}/questions/days")

    # When pat answers again: refused, the first answer kept
    response = await submit(
        client, f"/remote/objects/{open_id}/vote", {"choice": "Weekdays"}, token_from=where
    )
    assert response.status == 409
    assert "you already answered this question (Weekends)" in html_of(await response.text())
    assert await Vote.all().count() == 1


def html_of(text: str) -> str:
    return html_module.unescape(text)


async def test_a_remote_questions_results_are_shown_only_as_its_home_reported_them(
    client: TestClient,
) -> None:
    # Given far.example's question, and its results as the worker fetched them from there
    object_id = await held_proposal()
    await held_question(f"{HOME}/questions/days", ["Weekdays", "Weekends"])
    fetched = {
        "questions": [
            {"question": f"{HOME}/questions/days", "votersCount": 4, "closed": False,
             "options": [{"name": "Weekdays", "votes": 1}, {"name": "Weekends", "votes": 3}]},
        ],
    }  # fmt: skip
    await Proposal.filter(object_id=object_id).update(
        remote_figures=fetched, figures_fetched_at=datetime(2026, 3, 1, 9, 30, tzinfo=UTC)
    )
    # When anyone reads its page here
    await member("pat")
    await sign_in_as(client, "pat")
    html = await page(client, f"/remote/objects/{object_id}")
    # Then the results are far.example's, with the time they were fetched
    assert "As far.example reported at" in html and 'datetime="2026-03-01T09:30:00+00:00"' in html
    assert "4 people answered there." in html
    assert "75% (3)" in html and "25% (1)" in html
    # and when its home keeps them until the close, so does the page here
    fetched["questions"][0]["options"] = [
        {"name": "Weekdays", "votes": None},
        {"name": "Weekends", "votes": None},
    ]
    await Proposal.filter(object_id=object_id).update(remote_figures=fetched)
    html = await page(client, f"/remote/objects/{object_id}")
    assert "far.example keeps the results until the question closes." in html
    assert "% (" not in html


async def test_a_report_from_the_page_here_may_also_go_to_the_posts_own_server(
    client: TestClient,
) -> None:
    # Given far.example's proposal held here with erin's comment, and pat on its page here
    object_id = await held_proposal()
    comment = f"{HOME}/objects/c1"
    await member("pat")
    await sign_in_as(client, "pat")
    reported = f"/remote/objects/{object_id}/report?uri={comment}"
    html = await page(client, reported)
    # Then the form offers to send the report to far.example too
    assert "Also send this report to far.example" in html
    before = await Activity.all().count(), await Delivery.all().count()
    # When pat ticks it but gives no reason, or reports something this node does not hold
    response = await submit(client, reported, {"reason": " ", "forward": "1"})
    assert response.status == 400
    assert "say what is wrong" in html_of(await response.text())
    response = await submit(
        client,
        f"/remote/objects/{object_id}/report?uri={HOME}/objects/unknown",
        {"reason": "Spam", "forward": "1"},
        token_from=reported,
    )
    assert response.status == 404
    # Then nothing is stored or sent
    assert await Report.all().count() == 0
    assert (await Activity.all().count(), await Delivery.all().count()) == before

    # When pat reports the comment with a reason and the box ticked
    response = await submit(client, reported, {"reason": "Spam link", "forward": "1"})
    # Then B's moderators have it, and a Flag from the organisation goes to erin's server
    assert response.status == 303, await response.text()
    assert await Report.filter(object_uri=comment, reason="Spam link").count() == 1
    flag = await Activity.get(type="Flag")
    erin = await Actor.get(uri=f"{HOME}/actors/erin")
    organisation = await Actor.get(type="Group", is_local=True)
    assert flag.actor_id == organisation.id  # type: ignore[attr-defined]
    assert flag.document["object"] == [erin.uri, comment]
    assert flag.document["content"] == "Spam link" and not flag.is_public
    assert await Delivery.filter(activity_uri=flag.uri, inbox_uri=erin.inbox_uri).count() == 1


async def test_notifications_and_comment_search_lead_to_the_page_here_of_a_remote_thread(
    client: TestClient,
) -> None:
    # Given pat's comment on far.example's proposal held here, and erin's reply to it
    object_id = await held_proposal()
    await member("pat")
    await sign_in_as(client, "pat")
    where = f"/remote/objects/{object_id}"
    response = await submit(client, f"{where}/comments", {"content": "Sundays"}, token_from=where)
    assert response.status == 303
    mine = await Object.get(content__contains="Sundays", is_local=True)
    erin = await Actor.get(uri=f"{HOME}/actors/erin")
    reply = {
        "id": f"{HOME}/objects/r1", "type": "Note", "attributedTo": erin.uri,
        "inReplyTo": mine.uri, "context": f"{HOME}/contexts/library",
        "content": "<p>Sundays are hard for staffing.</p>",
        "to": ["https://www.w3.org/ns/activitystreams#Public"],
    }  # fmt: skip
    await remote_objects.store_object(reply, erin)
    reply_id = (await Object.get(uri=reply["id"])).id
    comment_id = (await Object.get(uri=f"{HOME}/objects/c1")).id
    # When pat reads their notifications, and searches the comments
    notifications = await page(client, "/notifications")
    found = await page(client, "/search?q=Tuesdays&group=comments")
    # Then both lead to the place here, not to far.example
    assert f'href="/remote/objects/{reply_id}"' in notifications
    assert f'href="{HOME}/objects/r1"' not in notifications
    assert f'href="/remote/objects/{comment_id}"' in found
    assert f'href="{HOME}/objects/c1"' not in found


async def test_a_member_chooses_several_answers_of_a_remote_multiple_choice_question(
    client: TestClient,
) -> None:
    # Given far.example's question that takes several answers, and pat on its page here
    object_id = await held_proposal()
    where = f"/remote/objects/{object_id}"
    asked = await held_question(
        f"{HOME}/questions/days", ["Saturday", "Sunday", "Monday"], multiple=True
    )
    await member("pat")
    await sign_in_as(client, "pat")
    html = await page(client, where)
    assert 'type="checkbox" id="question' in html and "(choose one or more)" in html
    # When pat chooses the same answer twice: refused, nothing stored
    vote = f"/remote/objects/{asked}/vote"

    async def choose(*names: str) -> Any:
        token = csrf_in(await page(client, where))
        fields = [("csrf_token", token), *(("choice", name) for name in names)]
        return await client.post(vote, data=fields, allow_redirects=False)

    response = await choose("Sunday", "Sunday")
    assert response.status == 400 and await Vote.all().count() == 0
    # When pat chooses Saturday and Sunday
    response = await choose("Saturday", "Sunday")
    # Then both are kept as pat's answer and sent to far.example, one vote Note each
    assert response.status == 303
    assert "Your answer: Saturday, Sunday" in await page(client, where)
    notes = [
        activity.document["object"]["name"]
        for activity in await Activity.filter(type="Create").order_by("id")
        if activity.document["object"].get("inReplyTo") == f"{HOME}/questions/days"
    ]
    assert notes == ["Saturday", "Sunday"]
