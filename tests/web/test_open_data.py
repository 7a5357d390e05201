"""Open data: a consultation's public record as CSV and JSON files anyone may reuse, its
statements and votes as pol.is publishes them, and its thread as one JSON-LD document; people
numbered, not named; drafts, hidden and private things left out."""

from __future__ import annotations

import csv
import io
import json
import re
from datetime import UTC, datetime, timedelta
from typing import Any

from aiohttp.test_utils import TestClient

import schemas
from node.models import (
    Account,
    Actor,
    BlockSeverity,
    Proposal,
    Statement,
    StatementState,
    StatementVote,
)
from node.services.blocklist import forget_cached_blocks
from node.services.errors import ServiceError
from node.services.members import AccessRole
from node.services.moderation import BlockPolicy, BlockTarget, add_block
from node.services.open_data.tables import TABLES
from node.services.settings import change_setting, site_settings
from tests.support.api import post, token_for
from tests.support.pages import member, page, sign_in_as, submit
from tests.web.test_consultation_report import Consultation, seed
from tests.web.test_polls import PROPOSAL

EPOCH = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)


async def with_statements(client: TestClient) -> tuple[Consultation, dict[str, Actor]]:
    """The report's consultation, with four statements (one pending, one rejected) voted on by
    members and people from other servers; Bob keeps his role private, Alice has an email."""
    consultation = await seed(client)
    people = {a.handle: a for a in await Actor.filter(handle__in=["alice", "bob", "carol", "dan"])}
    await Account.filter(actor_id=people["bob"].id).update(role_public=False)
    await Account.filter(actor_id=people["alice"].id).update(email="alice@private.example")
    texts = {
        "fares": ("Bus fares should be free on Sundays", "carol", StatementState.APPROVED),
        "hours": ("Open from ten, not twelve", "alice", StatementState.APPROVED),
        "later": ("Waiting for a moderator", "dan", StatementState.PENDING),
        "no": ("A rejected statement", "dan", StatementState.REJECTED),
        "staff": ("Volunteers could staff it", "bob", StatementState.APPROVED),
    }
    proposal = await Proposal.get(id=consultation.id)
    statements = {}
    for index, (key, (text, author, state)) in enumerate(texts.items()):
        statements[key] = await Statement.create(
            proposal=proposal, author=people[author], text=text, state=state
        )
        await Statement.filter(id=statements[key].id).update(
            created_at=EPOCH + timedelta(minutes=index)
        )
    votes = (
        ("dan", "fares", 1), ("dan", "hours", -1), ("carol", "hours", 0), ("bob", "fares", 1),
        ("bob", "staff", -1), ("alice", "later", 1), ("alice", "no", -1), ("carol", "fares", -1),
    )  # fmt: skip
    for minute, (who, key, value) in enumerate(votes):
        await StatementVote.create(
            statement=statements[key],
            actor=people[who],
            value=value,
            voted_at=EPOCH + timedelta(hours=1, minutes=minute),
        )
    return consultation, people


async def download(client: TestClient, path: str) -> tuple[str, Any]:
    response = await client.get(path)
    text = await response.text()
    assert response.status == 200, (path, text[:500])
    assert "alice@private.example" not in text
    return text, response


async def json_file(client: TestClient, path: str, table: str) -> dict[str, Any]:
    text, response = await download(client, path)
    assert response.content_type == "application/json"
    document = json.loads(text)
    schemas.validate(f"open_data_{table.replace('-', '_')}", document)
    return dict(document)


async def csv_file(client: TestClient, path: str) -> list[dict[str, str]]:
    text, response = await download(client, path)
    assert response.content_type == "text/csv"
    return list(csv.DictReader(io.StringIO(text)))


async def test_every_file_of_a_proposal_matches_its_schema_and_its_csv_twin(
    client: TestClient,
) -> None:
    consultation, _people = await with_statements(client)
    base = f"/proposals/{consultation.id}/data"
    for table in TABLES:
        document = await json_file(client, f"{base}/{table.name}.json", table.name)
        rows = await csv_file(client, f"{base}/{table.name}.csv")
        assert document["table"] == table.name and document["licence"]["name"] == "CC-BY-4.0"
        assert len(rows) == len(document["rows"]), table.name
        text, _response = await download(client, f"{base}/{table.name}.csv")
        assert next(csv.reader(io.StringIO(text))) == list(table.columns)  # even with no rows
        assert document["source"] == f"http://127.0.0.1:8000{base}/{table.name}.json"
        assert document["rows"] or table.name == "versions" or table.name == "question-results"
    _text, response = await download(client, f"{base}/votes.csv")
    assert (
        response.headers["Link"] == '<https://creativecommons.org/licenses/by/4.0/>; rel="license"'
    )
    assert response.headers["Content-Disposition"] == (
        f'attachment; filename="proposal-{consultation.id}-votes.csv"'
    )


async def test_only_what_a_visitor_is_shown_is_published(client: TestClient) -> None:
    consultation, _people = await with_statements(client)
    base = f"/proposals/{consultation.id}/data"
    comments = (await json_file(client, f"{base}/comments.json", "comments"))["rows"]
    shown = {row["comment"].rsplit("/", 1)[-1] for row in comments}
    # the hidden reply and the private one are left out; the late one is there, marked
    assert "dan-hidden" not in shown and "carol-private" not in shown
    assert {"carol1", "dan1", "erin1", "erin-late"} <= shown
    assert [row["late"] for row in comments if row["comment"].endswith("erin-late")] == [True]
    statements = (await json_file(client, f"{base}/statements.json", "statements"))["rows"]
    assert [row["text"] for row in statements] == [
        "Bus fares should be free on Sundays",
        "Open from ten, not twelve",
        "Volunteers could staff it",
    ]
    assert [(row["agrees"], row["disagrees"], row["passes"]) for row in statements] == [
        (2, 1, 0),
        (0, 1, 1),
        (0, 1, 0),
    ]
    votes = (await json_file(client, f"{base}/votes.json", "votes"))["rows"]
    assert len(votes) == 6  # the votes on the pending and the rejected statement are left out
    amendments = (await json_file(client, f"{base}/amendments.json", "amendments"))["rows"]
    assert sorted(row["state"] for row in amendments) == [
        "accepted",
        "declined",
        "pending",
        "pending",
    ]
    results = await json_file(client, f"{base}/question-results.json", "question-results")
    assert [(row["option"], row["answers"]) for row in results["rows"]] == [
        ("10:00", 3),
        ("12:00", 1),
        ("14:00", 1),
    ]
    endorsements = (await json_file(client, f"{base}/endorsements.json", "endorsements"))["rows"]
    of_proposal = [row for row in endorsements if row["object"] == consultation.uri]
    assert of_proposal == [
        {"proposal": consultation.uri, "object": consultation.uri, "kind": "endorsement",
         "emoji": "", "count": 4}
    ]  # fmt: skip


async def test_people_are_numbered_the_same_in_every_file_and_named_only_when_they_posted_publicly(
    client: TestClient,
) -> None:
    consultation, people = await with_statements(client)
    base = f"/proposals/{consultation.id}/data"
    comments = (await json_file(client, f"{base}/comments.json", "comments"))["rows"]
    statements = (await json_file(client, f"{base}/statements.json", "statements"))["rows"]
    votes = (await json_file(client, f"{base}/votes.json", "votes"))["rows"]
    number_of = {}
    for row in comments:
        handle = row["author_handle"].split("@")[1]
        assert number_of.setdefault(handle, row["author"]) == row["author"]
    # Bob keeps his role private: his comment says nothing of it; Alice's says hers
    roles = {row["author_handle"].split("@")[1]: row["author_role"] for row in comments}
    assert roles["bob"] == "" and roles["alice"] == "practitioner"
    by_text = {row["text"]: row["author"] for row in statements}
    assert by_text["Bus fares should be free on Sundays"] == number_of["carol"]
    assert by_text["Volunteers could staff it"] == number_of["bob"]
    voters = {(row["statement"], row["vote"]): row["voter"] for row in votes}
    fares = next(row["statement"] for row in statements if row["text"].startswith("Bus"))
    assert voters[(fares, -1)] == number_of["carol"]
    # numbers run 0, 1, 2… in order of first appearance; no handle outside the comments
    assert sorted(set(number_of.values()))[0] == 0
    for name in ("statements", "votes", "amendments"):
        text, _response = await download(client, f"{base}/{name}.csv")
        assert "@" not in text and "alice" not in text
    # a second download numbers everyone the same
    again = (await json_file(client, f"{base}/votes.json", "votes"))["rows"]
    assert again == votes
    assert people  # (the seed's people)


async def test_drafts_unknown_proposals_files_and_formats_are_refused_with_the_reason(
    client: TestClient,
) -> None:
    consultation, _people = await with_statements(client)
    lead = await token_for("drafter")
    draft = await post(client, "drafter", lead, {**PROPOSAL, "proposalStatus": "draft"})
    draft_id = (await Proposal.get(object__uri=draft["object"]["id"])).id
    refused = {
        f"/proposals/{draft_id}/data/comments.csv": "drafts",
        f"/proposals/{draft_id}/polis/votes.csv": "drafts",
        f"/proposals/{draft_id}/thread.jsonld": "drafts",
        f"/proposals/{draft_id}/data/datapackage.json": "drafts",
        "/proposals/999999/data/comments.json": "No published proposal",
        f"/proposals/{consultation.id}/data/comments.xlsx": "not .xlsx",
        f"/proposals/{consultation.id}/data/emails.csv": "no open data file called emails",
        f"/proposals/{consultation.id}/polis/comment-groups.csv": "summary.csv only",
        "/data/schemas/emails.json": "no open data file",
        "/data/votes.xml": "not .xml",
    }
    for path, reason in refused.items():
        response = await client.get(path)
        assert response.status == 404, path
        assert reason in await response.text(), path


async def test_the_organisations_files_hold_every_published_proposal_and_no_draft(
    client: TestClient,
) -> None:
    consultation, _people = await with_statements(client)
    lead = await token_for("second")
    other = (await post(client, "second", lead, {**PROPOSAL, "name": "Longer hours"}))["object"]
    await post(client, "second", lead, {**PROPOSAL, "name": "Secret", "proposalStatus": "draft"})
    proposals = (await json_file(client, "/data/proposals.json", "proposals"))["rows"]
    assert [row["proposal"] for row in proposals] == [consultation.uri, other["id"]]
    assert [row["status"] for row in proposals] == ["open", "open"]
    package = json.loads((await download(client, "/data/datapackage.json"))[0])
    assert package["licenses"][0]["name"] == "CC-BY-4.0"
    assert {r["path"].rsplit("/", 1)[1] for r in package["resources"]} == {
        f"{table.name}.{ext}" for table in TABLES for ext in ("csv", "json")
    }


async def test_the_licence_the_admin_chose_is_in_every_export(client: TestClient) -> None:
    consultation, _people = await with_statements(client)
    await change_setting("data_licence", "OGL-UK-3.0")
    document = await json_file(client, f"/proposals/{consultation.id}/data/votes.json", "votes")
    assert document["licence"]["name"] == "OGL-UK-3.0"
    for path in (
        f"/proposals/{consultation.id}/data/votes.csv",
        f"/proposals/{consultation.id}/polis/votes.csv",
        f"/proposals/{consultation.id}/thread.jsonld",
    ):
        _text, response = await download(client, path)
        assert "open-government-licence/version/3" in response.headers["Link"], path
    try:
        await change_setting("data_licence", "All rights reserved")
    except ServiceError as error:
        assert "unknown licence" in str(error)
    else:
        raise AssertionError("an unknown licence was stored")


async def test_an_admin_chooses_the_licence_from_the_list_and_nothing_else(
    client: TestClient,
) -> None:
    await member("admin", AccessRole.ADMIN)
    await sign_in_as(client, "admin")
    form = await page(client, "/admin/settings")
    assert 'value="CC-BY-4.0" selected' in form and 'value="OGL-UK-3.0"' in form
    fields = {"signup_mode": "invite", "language": "en", "name": "Advice Centre", "summary": "",
              "poll_votes_per_server": "10", "data_licence": "Mine, all mine"}  # fmt: skip
    refused = await submit(client, "/admin/settings", fields)
    text = await refused.text()
    assert refused.status == 400 and "unknown licence" in text
    assert "Mine, all mine" in text  # named in the error
    assert (await site_settings()).data_licence == "CC-BY-4.0"
    saved = await submit(client, "/admin/settings", {**fields, "data_licence": "CC0-1.0"})
    assert saved.status == 303
    assert "Creative Commons Zero" in await page(client, "/data")


async def test_the_thread_is_one_json_ld_document_of_what_is_public(client: TestClient) -> None:
    consultation, _people = await with_statements(client)
    text, response = await download(client, f"/proposals/{consultation.id}/thread.jsonld")
    assert response.content_type == "application/ld+json"
    document = json.loads(text)
    assert document["id"] == consultation.context and document["type"] == "OrderedCollection"
    assert document["@context"][0] == "https://www.w3.org/ns/activitystreams"
    ids = [item["id"] for item in document["orderedItems"]]
    assert document["totalItems"] == len(ids)
    assert consultation.uri in ids and consultation.comments["dan1"] in ids
    assert not any(i.endswith(("dan-hidden", "carol-private")) for i in ids)
    assert all("bcc" not in item and "@context" not in item for item in document["orderedItems"])


async def test_the_data_page_and_the_proposals_open_data_section_link_to_files_that_answer(
    client: TestClient,
) -> None:
    consultation, _people = await with_statements(client)
    html = await page(client, "/data")
    proposal_page = await page(client, consultation.uri.removeprefix("http://127.0.0.1:8000"))
    assert 'id="open-data-heading"' in proposal_page
    links = set(re.findall(r'href="(/(?:data|proposals/\d+/(?:data|polis|thread))[^"]*)"',
                           html + proposal_page))  # fmt: skip
    assert len(links) > 30
    for link in sorted(links):
        response = await client.get(link)
        assert response.status == 200, link
        await response.read()
    org_profile = await page(client, "/actors/testorg")
    assert 'href="/data"' in org_profile


async def test_a_limited_accounts_comments_stay_out_of_the_files_and_the_thread_document(
    client: TestClient,
) -> None:
    # Given the consultation, and erin's account (on social.example) limited here
    consultation, _people = await with_statements(client)
    moderator = await member("mo", AccessRole.MODERATOR)
    await add_block(
        BlockTarget("actor", "https://social.example/users/erin"),
        "pile-ons",
        by_account_id=moderator.id,
        policy=BlockPolicy(severity=BlockSeverity.LIMIT),
    )
    forget_cached_blocks()
    # Then a visitor's open data leaves her comments out, as the pages do, and dan's stay
    base = f"/proposals/{consultation.id}/data"
    comments = (await json_file(client, f"{base}/comments.json", "comments"))["rows"]
    shown = {row["comment"].rsplit("/", 1)[-1] for row in comments}
    assert "dan1" in shown and not {"erin1", "erin-late"} & shown
    text, _response = await download(client, f"/proposals/{consultation.id}/thread.jsonld")
    ids = [item["id"] for item in json.loads(text)["orderedItems"]]
    assert consultation.comments["dan1"] in ids
    assert not any(i.endswith(("erin1", "erin-late")) for i in ids)
