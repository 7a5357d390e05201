"""Upgrading a database an earlier version made: its data kept, its schema the models' own."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from node.db import migrate
from node.models import (
    Account,
    Actor,
    Block,
    BlockSeverity,
    DefaultVisibility,
    Delivery,
    DeliveryPayload,
    DeliveryState,
    Host,
    Invite,
    ModerationAction,
    Object,
    Poll,
    Proposal,
    ProposalStatus,
    Reaction,
    ResultsShown,
    Statement,
    StatementState,
    StatementVote,
)
from node.services.proposal_page import load_proposal_page
from node.services.search import Group, parse_search, search
from node.workers.delivery_store import Payloads, claim_due
from tests.support.migrations import (
    OBJECT_COLUMNS,
    PROPOSAL_COLUMNS,
    OldDatabase,
    old_database,
    schema_of,
    schema_the_models_make,
    upgraded,
)

SIGNER = "https://node.example/actors/org"
OLD_COLUMNS = (
    "activity_uri", "inbox_uri", "host", "signer_uri", "payload", "state", "attempts",
    "next_attempt_at", "last_error", "created_at", "delivered_at", "last_status",
)  # fmt: skip
POLL_COLUMNS = ("multiple", "end_time", "closed_at", "created_at", "object_id")


async def insert_open_proposal(
    old: OldDatabase,
    now: datetime,
    *,
    reply_policy: bool = False,
    statements: bool = False,
) -> None:
    """Actor 1, and its open proposal (object 1, proposal 1) as the schema of 3_search to
    5_mail_and_accounts holds them (`reply_policy`: as 6_moderation holds them; with
    `statements` too: as 7_policy_and_statements does)."""
    await old.insert_local_actor(now)
    row = ("https://n.example/o/0", "Article", True, "", "c", "Plots", "", "", "", "", True,
           "{}", now, None, None, None, "", 1, False)  # fmt: skip
    await old.insert("object", (*OBJECT_COLUMNS, "late"), row)
    proposal = ("open", now + timedelta(days=3), 1, "", "[]", now, None, 1, "", "", "",
                "[]", None)  # fmt: skip
    columns = (*PROPOSAL_COLUMNS, "reopen_reason", "decision", "decision_html",
               "decision_sections", "decided_at")  # fmt: skip
    if reply_policy:
        proposal, columns = (*proposal, ""), (*columns, "reply_policy")
    if statements:
        proposal, columns = (*proposal, False), (*columns, "statements_enabled")
    await old.insert("proposal", columns, proposal)


def old_row(key: str, host: str, state: str, attempts: int) -> tuple[object, ...]:
    """A delivery row as the schema before delivery_payload held it."""
    now = datetime.now(UTC)
    activity = f"https://node.example/activities/{key}"
    body = f'{{"id": "{activity}", "type": "Create"}}'
    delivered_at = now if state == "delivered" else None
    status = 202 if state == "delivered" else None
    return (
        activity, f"https://{host}/inbox", host, SIGNER, body, state, attempts,
        now - timedelta(seconds=1), "", now, delivered_at, status,
    )  # fmt: skip


async def test_queued_deliveries_survive_the_move_of_payloads(
    database_url: str, tmp_path: Path
) -> None:
    # Given a database at the initial schema with deliveries of two activities
    rows = [
        old_row("a", "one.example", "delivered", 1),
        old_row("a", "two.example", "queued", 2),
        old_row("a", "three.example", "failed", 16),
        old_row("b", "one.example", "queued", 0),
    ]
    async with old_database(database_url, "0_initial.py", tmp_path) as old:
        await old.insert("delivery", OLD_COLUMNS, *rows)
    # When the node upgrades
    async with upgraded(database_url) as applied:
        assert applied[0] == "1_delivery_payload.py"
        # Then each activity's payload is stored once, with its signer
        payloads = {p.activity_uri: p for p in await DeliveryPayload.all()}
        assert {uri: (p.signer_uri, p.body) for uri, p in payloads.items()} == {
            str(row[0]): (SIGNER, row[4]) for row in rows
        }
        # and every row keeps its place, state and tries, pointing at its payload
        kept = await Delivery.all().order_by("id")
        assert [(d.inbox_uri, d.state, d.attempts, d.payload_id) for d in kept] == [
            (row[1], DeliveryState(row[5]), row[6], payloads[str(row[0])].id) for row in rows
        ]
        # and the queued rows go out with their payload
        claimed = await claim_due(10, datetime.now(UTC), timedelta(minutes=1), Payloads())
        assert sorted((c.inbox_uri, c.payload.body.decode()) for c in claimed) == sorted(
            (str(row[1]), str(row[4])) for row in rows if row[5] == "queued"
        )


async def test_proposals_polls_and_comments_made_before_consultations_keep_going(
    database_url: str, tmp_path: Path
) -> None:
    # Given a database before 2_consultation with an open proposal, its poll and a comment
    now = datetime.now(UTC)
    async with old_database(database_url, "1_delivery_payload.py", tmp_path) as old:
        await old.insert_local_actor(now)
        for number, (kind, reply_to) in enumerate(
            (("Article", ""), ("Note", "p"), ("Question", "p"))
        ):
            row = (f"https://n.example/o/{number}", kind, True, reply_to, "", "", "", "", "", "",
                   True, "{}", now, None, None, None, "", 1)  # fmt: skip
            await old.insert("object", OBJECT_COLUMNS, row)
        proposal = ("open", now + timedelta(days=3), 1, "", "[]", now, None, 1)
        await old.insert("proposal", PROPOSAL_COLUMNS, proposal)
        poll = (False, None, None, now, 3)
        await old.insert("poll", POLL_COLUMNS, poll)
    # When the node upgrades
    async with upgraded(database_url) as applied:
        assert applied[0] == "2_consultation.py"
        # Then they read as before, not late, undecided, the poll's results shown at its close
        proposal_row = await Proposal.get(id=1)
        assert (proposal_row.status, proposal_row.decision, proposal_row.decision_sections) == (
            ProposalStatus.OPEN,
            "",
            [],
        )
        assert proposal_row.report_object_id is None and proposal_row.closed_at is None
        assert not await Object.filter(late=True).exists()
        poll_row = await Poll.get(id=1)
        assert (poll_row.closes_with_proposal, poll_row.results_shown) == (
            False,
            ResultsShown.AFTER_CLOSE,
        )


async def test_the_migrated_schema_is_the_one_the_models_make(
    database_url: str, tmp_path: Path
) -> None:
    await migrate(database_url)
    migrated = await schema_of(database_url)
    fresh = await schema_the_models_make(tmp_path / "fresh")
    assert migrated == fresh


async def test_proposals_comments_and_decisions_made_before_search_are_found(
    database_url: str, tmp_path: Path
) -> None:
    # Given a database before 3_search with a decided proposal, a comment and a hidden one
    now = datetime.now(UTC)
    async with old_database(database_url, "2_consultation.py", tmp_path) as old:
        await old.insert_local_actor(now)
        objects = (
            (
                "Article",
                "",
                "Allotments for everyone",
                "<p>More <em>allotment</em> plots</p>",
                None,
            ),
            ("Note", "https://n.example/o/0", "", "<p>Allotments feed families</p>", None),
            ("Note", "https://n.example/o/0", "", "<p>hidden allotments remark</p>", now),
        )
        for number, (kind, reply_to, name, content, hidden_at) in enumerate(objects):
            row = (f"https://n.example/o/{number}", kind, True, reply_to, reply_to or "c", name,
                   "", content, "", "", True, "{}", now + timedelta(seconds=number), None, None,
                   hidden_at, "", 1, False)  # fmt: skip
            columns = (*OBJECT_COLUMNS, "late")
            await old.insert("object", columns, row)
        proposal = ("adopted", None, 1, "", "[]", now, None, 1, "", "We will double the plots",
                    "", "[]", now)  # fmt: skip
        columns = (*PROPOSAL_COLUMNS, "reopen_reason", "decision", "decision_html",
                   "decision_sections", "decided_at")  # fmt: skip
        await old.insert("proposal", columns, proposal)
    # When the node upgrades
    async with upgraded(database_url) as applied:
        assert applied[0] == "3_search.py"
        # Then search finds what was there, markup left out, the hidden comment not at all
        groups = await search(parse_search("allotment"))
        by_group = {group.group: group for group in groups}
        assert [hit.card.name for hit in by_group[Group.PROPOSALS].hits] == [  # type: ignore[union-attr]
            "Allotments for everyone"
        ]
        comments = by_group[Group.COMMENTS].hits
        assert [hit.comment.uri for hit in comments] == ["https://n.example/o/1"]  # type: ignore[union-attr]
        assert "em" not in str(by_group[Group.PROPOSALS].hits[0].snippet)
        decided = await search(parse_search("double plots"))
        assert [group.total for group in decided] == [0, 0, 1]
        # and what is written afterwards is indexed as it is written
        await Object.filter(uri="https://n.example/o/1").update(content="<p>orchards</p>")
        assert [group.total for group in await search(parse_search("orchard"))] == [0, 1, 0]


async def test_hosts_reactions_and_proposals_made_before_taking_part_read_as_unknown(
    database_url: str, tmp_path: Path
) -> None:
    # Given a database before 4_take_part with a known server, a Like and a proposal
    now = datetime.now(UTC)
    async with old_database(database_url, "3_search.py", tmp_path) as old:
        await insert_open_proposal(old, now)
        host = ("social.example", 0, False)
        await old.insert("host", ("domain", "consecutive_failures", "unavailable"), host)
        like = ("https://n.example/like/1", "Like", 1, "https://n.example/o/0", now)
        await old.insert("reaction", ("uri", "kind", "actor_id", "object_uri", "created_at"), like)
    # When the node upgrades
    async with upgraded(database_url) as applied:
        assert applied[0] == "4_take_part.py"
        # Then the server's software is not yet known, the Like is a plain one, and the
        # proposal has no fetched figures and no preview Note
        known = await Host.get(domain="social.example")
        assert (known.software, known.software_version, known.software_checked_at) == ("", "", None)
        assert (await Reaction.get(id=1)).content == ""
        proposal_row = await Proposal.get(id=1)
        assert proposal_row.remote_figures is None and proposal_row.figures_fetched_at is None
        assert proposal_row.preview_object_id is None


async def test_members_and_invitations_made_before_email_have_no_address_and_show_their_role(
    database_url: str, tmp_path: Path
) -> None:
    # Given a database before 5_mail_and_accounts with a member and an invitation
    now = datetime.now(UTC)
    async with old_database(database_url, "4_take_part.py", tmp_path) as old:
        await old.insert_local_actor(now)
        account = ("h", "member", "active", False, "", 0, None, None, now, 1)
        columns = ("password_hash", "access_role", "status", "is_pseudonym", "join_note",
                   "session_epoch", "notifications_seen_at", "last_sign_in_at", "created_at",
                   "actor_id")  # fmt: skip
        await old.insert("account", columns, account)
        invite = ("d" * 64, "member", "for Sam", 1, 0, None, None, now, 1)
        columns = ("digest", "access_role", "note", "max_uses", "uses", "expires_at",
                   "revoked_at", "created_at", "created_by_id")  # fmt: skip
        await old.insert("invite", columns, invite)
    # When the node upgrades
    async with upgraded(database_url) as applied:
        assert applied[0] == "5_mail_and_accounts.py"
        # Then the member has no address yet and shows their role, the invitation was not
        # mailed, and two members may still be without an address
        member = await Account.get(id=1)
        assert (member.email, member.email_verified_at, member.role_public) == (None, None, True)
        assert (await Invite.get(id=1)).email == ""
        await Actor.create(
            uri="https://n.example/b", type="Person", is_local=True, handle="b",
            domain="n.example", inbox_uri="https://n.example/b/inbox",
        )  # fmt: skip
        await Account.create(actor_id=2)
        assert await Account.filter(email__isnull=True).count() == 2


async def test_comments_and_proposals_made_before_reply_rules_are_shown_and_follow_the_org(
    database_url: str, tmp_path: Path
) -> None:
    # Given a database before 6_moderation with a proposal and a comment
    now = datetime.now(UTC)
    async with old_database(database_url, "5_mail_and_accounts.py", tmp_path) as old:
        await insert_open_proposal(old, now)
    # When the node upgrades
    async with upgraded(database_url) as applied:
        assert applied[0] == "6_moderation.py"
        # Then nothing is held, the proposal follows the organisation's rule, the log is empty
        assert (await Object.get(id=1)).held_at is None
        assert (await Proposal.get(id=1)).reply_policy == ""
        assert await ModerationAction.all().count() == 0


async def test_blocks_members_and_proposals_made_before_server_policy_suspend_and_stay_private(
    database_url: str, tmp_path: Path
) -> None:
    # Given a database before 7_policy_and_statements with a blocked server, a member and an
    # open proposal
    now = datetime.now(UTC)
    async with old_database(database_url, "6_moderation.py", tmp_path) as old:
        await insert_open_proposal(old, now, reply_policy=True)
        account = ("h", "member", "active", False, "", 0, None, None, None, None, True, now, 1)
        columns = ("password_hash", "access_role", "status", "is_pseudonym", "join_note",
                   "session_epoch", "notifications_seen_at", "last_sign_in_at", "email",
                   "email_verified_at", "role_public", "created_at", "actor_id")  # fmt: skip
        await old.insert("account", columns, account)
        block = ("domain", "spam.example", "abuse", now)
        columns = ("kind", "target", "reason", "created_at")
        await old.insert("block", columns, block)
    # When the node upgrades
    async with upgraded(database_url) as applied:
        assert applied[0] == "7_policy_and_statements.py"
        # Then the old block is a suspension with no other flags, the member is public but not
        # searchable and follows the browser's language, and the proposal has no statements
        block_row = await Block.get(id=1)
        assert block_row.severity == BlockSeverity.SUSPEND
        assert not (block_row.reject_media or block_row.reject_reports or block_row.obfuscate)
        assert block_row.public_comment == ""
        member = await Account.get(id=1)
        assert member.default_visibility == DefaultVisibility.PUBLIC
        assert (member.indexable, member.discoverable, member.noindex) == (False, False, False)
        assert member.language == ""
        assert (await Actor.get(id=1)).indexable is None  # an actor said nothing of search
        proposal = await Proposal.get(id=1)
        assert proposal.statements_enabled is False
        statement = await Statement.create(proposal=proposal, text="Buses every hour")
        assert statement.state == StatementState.PENDING
        await StatementVote.create(statement=statement, actor_id=1, value=1, voted_at=now)
        assert await StatementVote.filter(statement=statement).count() == 1


async def test_proposals_made_before_two_languages_read_in_their_one_language(
    database_url: str, tmp_path: Path
) -> None:
    # Given a database before 8_two_languages with an open proposal
    now = datetime.now(UTC)
    async with old_database(database_url, "7_policy_and_statements.py", tmp_path) as old:
        await insert_open_proposal(old, now, reply_policy=True, statements=True)
    # When the node upgrades
    async with upgraded(database_url) as applied:
        assert applied[0] == "8_two_languages.py"
        # Then the proposal says no language and has no other: a Welsh reader reads it as it
        # was written, with nothing to switch to
        row = await Object.get(id=1)
        assert (row.language, row.translations) == ("", {})
        page = (await load_proposal_page(row.uri, None)).read_in("cy")
        assert (page.proposal.name, page.language, page.switch_to) == ("Plots", "", "")
        # and a new row says its language and keeps its other texts
        row.language, row.translations = "en", {"cy": {"name": "Lleiniau"}}
        await row.save()
        assert (await Object.get(id=1)).translations == {"cy": {"name": "Lleiniau"}}
