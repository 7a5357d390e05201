""" "What we heard": every count on a proposal's report, its CSV files, drafts refused, freezing."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from aiohttp.test_utils import TestClient

from node.appkeys import OUTBOX
from node.models import (
    Activity,
    Actor,
    Amendment,
    AmendmentState,
    Object,
    ObjectTag,
    Poll,
    PollOption,
    Proposal,
    QuotedResponse,
    Reaction,
    ResponseTheme,
    ThemedResponse,
    Vote,
)
from node.services.members import add_member
from node.services.remote_actors import save_actor
from node.services.report_freeze import freeze_report
from node.services.settings import change_setting
from node.services.tokens import create_token
from node.urls import NodeUrls
from tests.support.api import BASE, get, post
from tests.support.pages import page
from tests.web.test_polls import PROPOSAL, question

LOCAL = "127.0.0.1:8000"


@dataclass
class Consultation:
    """What the seed made: the proposal and the objects the tests go on with."""

    id: int
    uri: str
    context: str
    comments: dict[str, str]  # name → uri


async def local_member(handle: str, profile_role: str = "") -> str:
    await add_member(NodeUrls(BASE), handle, profile_role=profile_role)
    return await create_token(handle)


async def remote(uri: str, kind: str = "Person", name: str = "") -> Actor:
    handle = uri.rsplit("/", 1)[1]
    return await save_actor(
        {"id": uri, "type": kind, "preferredUsername": handle, "name": name, "inbox": f"{uri}/in"}
    )


async def remote_comment(
    author: Actor, consultation: Consultation, name: str, *, late: bool = False, **fields: Any
) -> Object:
    """A reply from another server, as the inbox stores it, one day after the proposal."""
    uri = f"{author.uri}/notes/{name}"
    row = await Object.create(
        uri=uri,
        type="Note",
        author=author,
        in_reply_to_uri=consultation.uri,
        context_uri=consultation.context,
        content=f"<p>{name} says so &amp; more</p>",
        url=uri,
        document={"id": uri},
        published_at=datetime.now(UTC) + timedelta(days=1),
        late=late,
        **fields,
    )
    consultation.comments[name] = uri
    return row


async def like(actor: Actor, object_uri: str) -> None:
    await Reaction.create(
        uri=f"{actor.uri}#likes{object_uri}", kind="Like", actor=actor, object_uri=object_uri
    )


async def seed(client: TestClient) -> Consultation:
    """A consultation answered from this node, another Townhall node and Mastodon.

    Counted: alice (practitioner) 2 comments and bob (service user) 1 today; from b.example its
    organisation 1 and carol 2, from social.example dan 2 and erin 1, tomorrow: 9 responses
    from 6 people. Not counted: erin's late reply, dan's hidden one, the question itself.
    """
    lead = await local_member("lead", "staff")
    alice = await local_member("alice", "practitioner")
    bob = await local_member("bob", "service_user")
    article = (await post(client, "lead", lead, {**PROPOSAL, "tag": ["libraries"]}))["object"]
    proposal = await Proposal.get(object__uri=article["id"])
    consultation = Consultation(proposal.id, article["id"], article["context"], {})
    for name, handle, token in (
        ("alice1", "alice", alice),
        ("alice2", "alice", alice),
        ("bob1", "bob", bob),
    ):
        note = {"type": "Note", "content": f"<p>{name}</p>", "inReplyTo": article["id"]}
        consultation.comments[name] = (await post(client, handle, token, note))["object"]["id"]
    asked = (await post(client, "lead", lead, question(article["id"])))["object"]
    for handle, token, option in (("alice", alice, "10:00"), ("bob", bob, "12:00")):
        await post(
            client, handle, token, {"type": "Note", "name": option, "inReplyTo": asked["id"]}
        )

    other_org = await remote("https://b.example/actors/otherorg", "Group", "Other Org")
    carol = await remote("https://b.example/actors/carol")
    dan = await remote("https://social.example/users/dan")
    erin = await remote("https://social.example/users/erin")
    await remote_comment(other_org, consultation, "org1")
    carol1 = await remote_comment(carol, consultation, "carol1")
    carol2 = await remote_comment(carol, consultation, "carol2")
    await remote_comment(dan, consultation, "dan1")
    dan2 = await remote_comment(dan, consultation, "dan2")
    await remote_comment(erin, consultation, "erin1")
    late = await remote_comment(erin, consultation, "erin-late", late=True)
    hidden = await remote_comment(dan, consultation, "dan-hidden", hidden_at=datetime.now(UTC))

    # amendments: carol's two answered, dan's waiting; erin's late one left out
    for row, state in (
        (carol1, AmendmentState.ACCEPTED),
        (carol2, AmendmentState.DECLINED),
        (dan2, AmendmentState.PENDING),
        (late, AmendmentState.PENDING),
    ):
        await Amendment.create(
            object=row, proposal=proposal, section="problem", suggested_text="x", state=state
        )
    # hashtags: #transport twice on time (and once late), #childcare once
    comment_ids = {
        name: (await Object.get(uri=uri)).id for name, uri in consultation.comments.items()
    }
    for name, tag in (
        ("carol1", "transport"),
        ("dan1", "transport"),
        ("erin-late", "transport"),
        ("alice1", "childcare"),
    ):
        await ObjectTag.create(object_id=comment_ids[name], name=tag)
    # staff themes: Cost on alice1 and dan2 (and on the late and hidden replies), Access on bob1
    cost = await ResponseTheme.create(proposal=proposal, name="Cost")
    access = await ResponseTheme.create(proposal=proposal, name="Access")
    await ResponseTheme.create(proposal=proposal, name="Unused")
    for theme, name in (
        (cost, "alice1"),
        (cost, "dan2"),
        (cost, "erin-late"),
        (cost, "dan-hidden"),
        (access, "bob1"),
    ):
        await ThemedResponse.create(theme=theme, object_id=comment_ids[name])
    await QuotedResponse.create(proposal=proposal, object_id=comment_ids["bob1"])
    private = await remote_comment(carol, consultation, "carol-private", is_public=False)
    await QuotedResponse.create(proposal=proposal, object=private)  # never shown: not public
    assert hidden.hidden_at is not None

    # endorsements of the proposal, and of comments (dan1 most, the late reply's not counted)
    members = {a.handle: a for a in await Actor.filter(handle__in=["alice", "bob"], is_local=True)}
    for endorser in (members["alice"], other_org, dan, erin):
        await like(endorser, article["id"])
    for endorser in (carol, erin, members["bob"]):
        await like(endorser, consultation.comments["dan1"])
    await like(members["bob"], consultation.comments["alice1"])
    await like(dan, consultation.comments["erin-late"])
    # answers from other servers, stored as the inbox counts them
    poll = await Poll.get(object__uri=asked["id"])
    options = {o.name: o for o in await PollOption.filter(poll=poll)}
    for voter, option in ((carol, "10:00"), (other_org, "10:00"), (dan, "14:00")):
        await Vote.create(poll=poll, option=options[option], actor=voter, uri=f"{voter.uri}#vote")
    poll.closed_at = datetime.now(UTC)  # its results show once it has closed
    await poll.save(update_fields=["closed_at"])
    return consultation


async def csv_of(client: TestClient, consultation: Consultation, figure: str) -> list[list[str]]:
    response = await client.get(f"/proposals/{consultation.id}/report/{figure}.csv")
    assert response.status == 200, await response.text()
    assert response.content_type == "text/csv" and response.charset == "utf-8"
    assert response.headers["Content-Disposition"] == (
        f'attachment; filename="proposal-{consultation.id}-{figure}.csv"'
    )
    return list(csv.reader(io.StringIO(await response.text())))


async def test_what_we_heard_counts_every_response_as_it_was_given(client: TestClient) -> None:
    consultation = await seed(client)
    html = await page(client, f"/proposals/{consultation.id}/report")
    assert "What we heard: Open the library on Sundays" in html
    assert "9 responses from 6 people and organisations" in html
    assert "5 answers to the questions" in html
    assert "4 endorsements of the proposal" in html
    assert "1 late reply, which arrived after the closing date" in html
    today = datetime.now(UTC).date()
    assert await csv_of(client, consultation, "participation") == [
        ["Day", "Responses"],
        [today.isoformat(), "3"],
        [(today + timedelta(days=1)).isoformat(), "6"],
    ]
    assert await csv_of(client, consultation, "respondents") == [
        ["Kind of respondent", "Responses"],
        ["Organisations", "1"],
        ["Practitioners", "2"],
        ["People who use the services", "1"],
        ["Staff", "0"],
        ["Other members", "0"],
        ["The public (fediverse)", "5"],
    ]
    assert await csv_of(client, consultation, "organisations") == [
        ["Organisation", "Responses"],
        ["Other Org", "3"],
        ["Test Org", "3"],
        ["Not known", "3"],
    ]
    assert await csv_of(client, consultation, "servers") == [
        ["Server", "Responses"],
        [LOCAL, "3"],
        ["b.example", "3"],
        ["social.example", "3"],
    ]
    assert await csv_of(client, consultation, "late") == [
        ["Server", "Late replies"],
        ["social.example", "1"],
    ]


async def test_questions_endorsements_themes_and_amendments_are_counted_on_time_only(
    client: TestClient,
) -> None:
    consultation = await seed(client)
    kinds = ["Organisations", "Practitioners", "People who use the services", "Staff"]
    kinds += ["Other members", "The public (fediverse)"]
    assert await csv_of(client, consultation, "question-1") == [
        ["Option", "All answers", *kinds],
        ["10:00", "3", "1", "1", "0", "0", "0", "1"],
        ["12:00", "1", "0", "0", "1", "0", "0", "0"],
        ["14:00", "1", "0", "0", "0", "0", "0", "1"],
    ]
    assert await csv_of(client, consultation, "endorsements") == [
        ["Kind of endorser", "Endorsements"],
        ["Organisations", "1"],
        ["Practitioners", "1"],
        ["People who use the services", "0"],
        ["Staff", "0"],
        ["Other members", "0"],
        ["The public (fediverse)", "2"],
    ]
    assert await csv_of(client, consultation, "hashtags") == [
        ["Hashtag", "Responses"],
        ["#transport", "2"],
        ["#childcare", "1"],
    ]
    assert await csv_of(client, consultation, "themes") == [
        ["Theme", "Responses"],
        ["Cost", "2"],
        ["Access", "1"],
        ["Unused", "0"],
    ]
    assert await csv_of(client, consultation, "amendments") == [
        ["Answer", "Amendments"],
        ["Accepted", "1"],
        ["Declined", "1"],
        ["Waiting for an answer", "1"],
    ]
    endorsed = await csv_of(client, consultation, "most-endorsed")
    assert [(row[1], row[3], row[4]) for row in endorsed[1:]] == [
        ("dan@social.example", "3", "dan1 says so & more"),
        (f"alice@{LOCAL}", "1", "alice1"),
    ]
    quotes = await csv_of(client, consultation, "quotes")
    assert [(row[1], row[4]) for row in quotes[1:]] == [(f"bob@{LOCAL}", "bob1")]


async def test_a_questions_results_stay_off_the_report_until_it_closes(
    client: TestClient,
) -> None:
    consultation = await seed(client)
    poll = await Poll.get(object__context_uri=consultation.context)
    poll.closed_at = None
    await poll.save(update_fields=["closed_at"])
    response = await client.get(f"/proposals/{consultation.id}/report/question-1.csv")
    assert response.status == 404
    page = await (await client.get(f"/proposals/{consultation.id}/report")).text()
    assert "When should the library open on Sundays?" not in page


async def test_each_chart_has_a_text_alternative_and_its_data_as_a_table(
    client: TestClient,
) -> None:
    consultation = await seed(client)
    html = await page(client, f"/proposals/{consultation.id}/report")
    for slug in ("participation", "respondents", "organisations", "servers", "question-1"):
        assert f'aria-labelledby="figure-{slug}-title figure-{slug}-summary"' in html
        assert f'<title id="figure-{slug}-title">' in html
        assert f'<caption id="figure-{slug}-caption">' in html
        assert f'href="/proposals/{consultation.id}/report/{slug}.csv"' in html
    assert html.count('role="img"') == 10  # nine figures and the one question, all with rows
    assert "9 responses over 2 days. The busiest day was" in html
    assert "5 answers. Most chose \u201c10:00\u201d: 3 (60%)." in html
    proposal_page = await page(client, consultation.uri.removeprefix(BASE))
    assert f'href="/proposals/{consultation.id}/report"' in proposal_page


async def test_a_comment_that_looks_like_a_formula_is_defused_in_the_csv(
    client: TestClient,
) -> None:
    consultation = await seed(client)
    row = await Object.get(uri=consultation.comments["bob1"])
    row.content = '<p>=HYPERLINK("http://evil.example")</p>'
    await row.save()
    quotes = await csv_of(client, consultation, "quotes")
    assert quotes[1][4] == '\'=HYPERLINK("http://evil.example")'
    response = await client.get(f"/proposals/{consultation.id}/report/nothing.csv")
    assert response.status == 404


async def test_a_draft_has_no_report(client: TestClient) -> None:
    token = await local_member("lead", "staff")
    draft = (await post(client, "lead", token, {**PROPOSAL, "proposalStatus": "draft"}))["object"]
    proposal = await Proposal.get(object__uri=draft["id"])
    for path in (
        f"/proposals/{proposal.id}/report",
        f"/proposals/{proposal.id}/report/servers.csv",
    ):
        response = await client.get(path)
        assert response.status == 404
        assert "this proposal has not been published" in await response.text()
    missing = await client.get(f"/proposals/{proposal.id + 100}/report")
    assert missing.status == 404 and "no such proposal" in await missing.text()
    # another node's proposal: its report is its home node's to make
    author = await remote("https://b.example/actors/otherorg", "Group", "Other Org")
    elsewhere = await Object.create(
        uri="https://b.example/proposals/1", type="Article", author=author,
        context_uri="https://b.example/contexts/1", document={}, published_at=datetime.now(UTC),
    )  # fmt: skip
    held = await Proposal.create(object=elsewhere, status="open")
    response = await client.get(f"/proposals/{held.id}/report")
    assert response.status == 404 and "no such proposal" in await response.text()


async def test_the_frozen_report_is_published_and_no_longer_changes(client: TestClient) -> None:
    consultation = await seed(client)
    article = await freeze_report(client.app[OUTBOX], consultation.id)
    proposal = await Proposal.get(id=consultation.id)
    assert proposal.report_object_id == article.id  # type: ignore[attr-defined]
    assert proposal.report_snapshot is not None and proposal.report_snapshot["responses"] == 9
    assert (
        article.type == "Article" and article.name == "What we heard: Open the library on Sundays"
    )
    assert (
        article.in_reply_to_uri == consultation.uri and article.context_uri == consultation.context
    )
    assert article.document["to"] == ["https://www.w3.org/ns/activitystreams#Public"]
    assert "<table>" in article.content and "<td>3</td>" in article.content
    create = await Activity.get(type="Create", object_uri=article.uri)
    assert create.document["object"]["inReplyTo"] == consultation.uri
    assert await Activity.filter(type="Announce", object_uri=article.uri).exists()

    # Given the report is frozen, when someone replies and endorses, then nothing on it moves
    dan = await Actor.get(uri="https://social.example/users/dan")
    await remote_comment(dan, consultation, "dan3")
    await like(dan, consultation.comments["alice1"])
    html = await page(client, f"/proposals/{consultation.id}/report")
    assert "9 responses from 6 people and organisations" in html
    assert "This report was frozen on" in html
    servers = await csv_of(client, consultation, "servers")
    assert servers[-1] == ["social.example", "3"]
    # freezing again publishes nothing more
    again = await freeze_report(client.app[OUTBOX], consultation.id)
    assert again.id == article.id
    assert await Object.filter(type="Article", in_reply_to_uri=consultation.uri).count() == 1


async def test_the_decisions_own_note_is_not_counted_as_a_response(client: TestClient) -> None:
    # Given a consultation with 9 responses, closed by its author
    consultation = await seed(client)
    lead = await create_token("lead")
    closing = {"type": "Article", "id": consultation.uri, "proposalStatus": "closed"}
    await post(client, "lead", lead, {"type": "Update", "object": closing})
    # When the decision is published (its Note in the thread, then the report frozen)
    deciding = {**closing, "proposalStatus": "adopted", "decision": "We will open on Sundays."}
    await post(client, "lead", lead, {"type": "Update", "object": deciding})
    # Then the decision's Note is in the thread but not among the report's responses
    assert await Object.filter(context_uri=consultation.context, is_local=True).count() == 7
    proposal = await Proposal.get(id=consultation.id)
    assert proposal.report_snapshot is not None and proposal.report_snapshot["responses"] == 9
    html = await page(client, f"/proposals/{consultation.id}/report")
    assert "9 responses from 6 people and organisations" in html


async def test_the_report_counts_a_question_as_its_page_does_with_the_cap_per_server(
    client: TestClient,
) -> None:
    # Given answers from two voters of b.example, and the admin counting one voter per server
    consultation = await seed(client)
    await change_setting("poll_votes_per_server", 1)
    poll = await Poll.get(object__context_uri=consultation.context).prefetch_related("object")
    # When the question's page and the report count it
    status, results = await get(client, f"{poll.object.uri}/results")
    assert status == 200
    on_page = {option["name"]: option["votes"] for option in results["options"]}
    on_report = {
        row[0]: int(row[1]) for row in (await csv_of(client, consultation, "question-1"))[1:]
    }
    # Then both count carol from b.example and leave out its organisation, answering after her
    assert on_page == on_report == {"10:00": 2, "12:00": 1, "14:00": 1}


async def test_participation_is_counted_by_day_on_the_organisations_clock(
    client: TestClient,
) -> None:
    # Given replies either side of midnight in London's summer time (UTC+1), on one UTC day
    token = await local_member("lead", "staff")
    article = (await post(client, "lead", token, PROPOSAL))["object"]
    proposal = await Proposal.get(object__uri=article["id"])
    consultation = Consultation(proposal.id, article["id"], article["context"], {})
    dan = await remote("https://social.example/users/dan")
    for name, moment in (
        ("evening", datetime(2026, 7, 1, 22, 30, tzinfo=UTC)),  # 23:30 on 1 July in London
        ("night", datetime(2026, 7, 1, 23, 30, tzinfo=UTC)),  # 00:30 on 2 July in London
        ("morning", datetime(2026, 7, 2, 8, 0, tzinfo=UTC)),
    ):
        row = await remote_comment(dan, consultation, name)
        row.published_at = moment
        await row.save(update_fields=["published_at"])
    # When the report counts participation over time
    rows = (await csv_of(client, consultation, "participation"))[1:]
    # Then each reply is on the day the organisation's clock showed
    counted = {day: int(count) for day, count in rows}
    assert counted["2026-07-01"] == 1 and counted["2026-07-02"] == 2
