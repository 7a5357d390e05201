"""On an umbrella node an organisation's own moderators (and admins) work the moderators' queues
for the threads of its proposals alone: the reports about posts there, the replies held there
and the statements put to its proposals. The node's moderators see every one; what is outside
an organisation moderator's threads is neither listed for them nor theirs to act on."""

from __future__ import annotations

import html
from dataclasses import dataclass

import pytest
from aiohttp.test_utils import TestClient

from node.appkeys import CLIENT_API
from node.models import (
    AccessRole,
    Account,
    Actor,
    Object,
    OrganisationRole,
    Proposal,
    Report,
    Statement,
    StatementState,
)
from node.services import held_replies, moderation
from node.services.errors import Forbidden
from node.services.moderation_scope import scope_of_account
from node.services.notifications import notifications_for
from node.services.report_queue import open_reports
from node.services.statements import reject
from node.services.tokens import create_token
from tests.support.api import post
from tests.support.pages import member, page, sign_in_as, submit
from tests.web.test_organisation_staff import food_bank_proposal, staff
from tests.web.test_reply_rules import remote, reply


@dataclass(frozen=True)
class Thread:
    """What waits for a moderator in one proposal's thread."""

    report: int
    held: Object
    statement: int


async def waiting_in(client: TestClient, proposal_uri: str, words: str) -> Thread:
    """In the thread of `proposal_uri`: amina's comment reported by bo, a reply from another
    server held by the proposal's rule (members only), and bo's statement waiting; each names
    `words`."""
    amina, bo = await Actor.get(handle="amina"), await Actor.get(handle="bo")
    note = {"type": "Note", "content": f"Rude about {words}", "inReplyTo": proposal_uri}
    comment = await post(client, "amina", await create_token("amina"), note)
    await moderation.report(bo.id, comment["object"]["id"], f"Report on {words}")
    await Proposal.filter(object__uri=proposal_uri).update(reply_policy="members")
    held = await reply(await remote(f"kim{len(words)}"), proposal_uri)
    assert held.held_at is not None and amina.id != bo.id
    proposal = await Proposal.get(object__uri=proposal_uri)
    statement = await Statement.create(proposal=proposal, author=bo, text=f"Open {words}")
    report = await Report.get(reason=f"Report on {words}")
    return Thread(report.id, held, statement.id)


@pytest.fixture
async def threads(client: TestClient) -> dict[str, Thread]:
    """The food bank's thread and one of the node's own organisation's (testorg), each with
    a report, a held reply and a statement waiting."""
    food_bank = await food_bank_proposal(client)  # amina's, for the food bank
    await member("bo")
    library = await post(
        client, "amina", await create_token("amina"),
        {"type": "Article", "name": "Library hours", "summary": "Open the library later."},
    )  # fmt: skip
    return {
        "food": await waiting_in(client, food_bank, "food parcels"),
        "library": await waiting_in(client, str(library["object"]["id"]), "library books"),
    }


async def account_id(handle: str) -> int:
    return int((await Account.get(actor__handle=handle)).id)


async def test_its_moderator_sees_only_what_is_in_its_threads(
    client: TestClient, threads: dict[str, Thread]
) -> None:
    food, library = threads["food"], threads["library"]
    await staff("mo", "foodbank", OrganisationRole.MODERATOR)
    await sign_in_as(client, "mo")
    reports = html.unescape(await page(client, "/admin/reports"))
    assert "Report on food parcels" in reports and "Report on library books" not in reports
    assert "1 report waits for a moderator." in reports  # the count is theirs too
    assert f"/admin/reports/{food.report}/resolve" in reports
    assert 'value="block"' not in reports  # blocking is the node's moderators'
    held = html.unescape(await page(client, "/admin/held"))
    assert f"/remote/objects/{food.held.id}/approve" in held
    assert f"/remote/objects/{library.held.id}/approve" not in held
    assert "Open food parcels" in held and "Open library books" not in held
    # the site's navigation takes them to their queue; the admin links are only the queues'
    assert 'href="/admin/reports">Moderation</a>' in held
    for elsewhere in ('href="/admin"', "/admin/blocks", "/admin/members", "/admin/delivery"):
        assert elsewhere not in held, elsewhere
    assert 'href="/admin/held">Held replies</a>' in held
    for refused in ("/admin", "/admin/blocks", "/admin/members", "/admin/delivery"):
        await page(client, refused, status=403)
    assert await open_reports(await scope_of_account(await account_id("mo"))) == 1


async def test_acting_outside_its_threads_is_refused_and_changes_nothing(
    client: TestClient, threads: dict[str, Thread]
) -> None:
    food, library = threads["food"], threads["library"]
    await staff("mo", "foodbank", OrganisationRole.MODERATOR)
    await sign_in_as(client, "mo")
    resolved = await submit(
        client, f"/admin/reports/{library.report}/resolve", {"resolution": "x", "then": "hide"},
        token_from="/admin/reports",
    )  # fmt: skip
    assert resolved.status == 403
    assert "only the moderators of the organisation" in html.unescape(await resolved.text())
    for action, fields in (("approve", {}), ("reject", {"reason": "Off topic"})):
        path = f"/admin/statements/{library.statement}/{action}"
        refused = await submit(client, path, fields, token_from="/admin/held")
        assert refused.status == 403, action
    # a held reply is hidden: outside their threads nothing is there for them to approve
    approve = f"/remote/objects/{library.held.id}/approve"
    assert (await submit(client, approve, {}, token_from="/admin/held")).status == 404
    # …and the node refuses it whoever asks it, not the page alone
    mo = await account_id("mo")
    with pytest.raises(Forbidden):
        await held_replies.approve(
            client.app[CLIENT_API].outbox, library.held.uri, by_account_id=mo
        )
    with pytest.raises(Forbidden):
        await moderation.resolve_report(library.report, mo, "done")
    with pytest.raises(Forbidden):
        await reject(library.statement, "Off topic", by_account_id=mo)
    # nothing changed
    assert (await Report.get(id=library.report)).resolved_at is None
    assert (await Statement.get(id=library.statement)).state == StatementState.PENDING
    assert (await Object.get(id=library.held.id)).held_at is not None
    reported = await Object.get(uri=(await Report.get(id=library.report)).object_uri)
    assert reported.hidden_at is None  # the report's "hide" was not done either
    # blocking from a report in their own thread is the node's moderators' too
    blocked = await submit(
        client, f"/admin/reports/{food.report}/resolve", {"resolution": "x", "then": "block"},
        token_from="/admin/reports",
    )  # fmt: skip
    assert blocked.status == 403
    assert (await Report.get(id=food.report)).resolved_at is None


async def test_it_acts_on_what_is_in_its_threads(
    client: TestClient, threads: dict[str, Thread]
) -> None:
    food = threads["food"]
    await staff("fay", "foodbank", OrganisationRole.ADMIN)  # its admins moderate it too
    await sign_in_as(client, "fay")
    resolved = await submit(
        client, f"/admin/reports/{food.report}/resolve", {"resolution": "Hidden", "then": "hide"},
        token_from="/admin/reports",
    )  # fmt: skip
    assert resolved.status == 303
    report = await Report.get(id=food.report)
    assert report.resolved_at is not None
    assert report.resolved_by_id == await account_id("fay")  # type: ignore[attr-defined]
    hidden = await Object.get(uri=report.object_uri)
    assert hidden.hidden_at is not None
    approved = await submit(
        client, f"/remote/objects/{food.held.id}/approve", {}, token_from="/admin/held"
    )
    assert approved.status == 303
    assert (await Object.get(id=food.held.id)).held_at is None
    statement = await submit(
        client, f"/admin/statements/{food.statement}/approve", {}, token_from="/admin/held"
    )
    assert statement.status == 303
    assert (await Statement.get(id=food.statement)).state == StatementState.APPROVED
    assert "0 reports wait for a moderator." in await page(client, "/admin/reports")


async def test_the_node_s_moderator_sees_every_organisation_s(
    client: TestClient, threads: dict[str, Thread]
) -> None:
    food, library = threads["food"], threads["library"]
    await member("nell", AccessRole.MODERATOR)
    await sign_in_as(client, "nell")
    reports = html.unescape(await page(client, "/admin/reports"))
    assert "Report on food parcels" in reports and "Report on library books" in reports
    assert "2 reports wait for a moderator." in reports and 'value="block"' in reports
    held = html.unescape(await page(client, "/admin/held"))
    for thread in (food, library):
        assert f"/remote/objects/{thread.held.id}/approve" in held
    assert "Open food parcels" in held and "Open library books" in held
    assert 'href="/admin">Admin</a>' in held and 'href="/admin/blocks"' in held
    resolved = await submit(
        client, f"/admin/reports/{library.report}/resolve", {"resolution": "Fine"},
        token_from="/admin/reports",
    )  # fmt: skip
    assert resolved.status == 303


async def test_a_plain_member_and_another_organisation_s_moderator_are_refused(
    client: TestClient, threads: dict[str, Thread]
) -> None:
    food = threads["food"]
    await sign_in_as(client, "bo")  # a member of the node, moderating nothing
    for path in ("/admin/reports", "/admin/held"):
        await page(client, path, status=403)
    home = await page(client, "/")
    assert "Moderation</a>" not in home and 'href="/admin"' not in home
    refused = await submit(
        client, f"/admin/statements/{food.statement}/approve", {}, token_from="/"
    )
    assert refused.status == 403
    await submit(client, "/sign-out", {}, token_from="/")
    await staff("oscar", "testorg", OrganisationRole.MODERATOR)  # the node's own organisation's
    await sign_in_as(client, "oscar")
    reports = html.unescape(await page(client, "/admin/reports"))
    assert "Report on library books" in reports and "Report on food parcels" not in reports
    other = await submit(
        client, f"/admin/reports/{food.report}/resolve", {"resolution": "x"},
        token_from="/admin/reports",
    )  # fmt: skip
    assert other.status == 403
    assert (await Report.get(id=food.report)).resolved_at is None
    assert (await Statement.get(id=food.statement)).state == StatementState.PENDING


async def test_its_moderator_is_told_of_the_reports_in_its_threads_only(
    client: TestClient, threads: dict[str, Thread]
) -> None:
    await staff("mo", "foodbank", OrganisationRole.MODERATOR)
    await member("nell", AccessRole.MODERATOR)

    async def reports_told(handle: str) -> set[str]:
        found = await notifications_for(await account_id(handle))
        return {each.detail for each in found if each.kind == "report"}

    assert await reports_told("mo") == {"Report on food parcels"}
    assert await reports_told("nell") == {"Report on food parcels", "Report on library books"}
    assert await reports_told("amina") == set()  # a member of the food bank, moderating nothing
