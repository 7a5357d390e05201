"""Statements on a consultation and votes on them (agree / disagree / pass), as pol.is has them:
the one home of their rules, for the pages, the client API and the inbox alike.

A statement is at most 140 characters, added by anyone who may take part while the
consultation is open and its author has turned statements on; it waits for a moderator. On
approval the organisation publishes it as a `Question` (options "Agree", "Disagree", "Pass";
`statementOf` names the proposal) that Mastodon and other Townhall nodes vote on with a Note
named after the option. One vote per person per statement: the last one counts.
"""

from __future__ import annotations

import logging
import uuid
from datetime import UTC, datetime
from html import unescape
from typing import Any

from tortoise.transactions import in_transaction

from federation.activities.objects import origin
from federation.vocab import id_of
from node.activitypub import new_activity
from node.i18n import N_
from node.models import (
    Actor,
    Follow,
    FollowState,
    Object,
    Proposal,
    ProposalStatus,
    Statement,
    StatementState,
    StatementVote,
)
from node.poll_documents import vote_note
from node.reply_policies import ReplyPolicy
from node.sanitize import plain_text
from node.services import audit_log, local_objects
from node.services.blocklist import current_blocks
from node.services.errors import Conflict, Forbidden, NotFound, ServiceError
from node.services.held_replies import rule_for
from node.services.moderation_scope import check_moderates_statement
from node.services.opinion_staleness import mark_map_stale
from node.services.organisations import organisation_of
from node.services.outbox import Outbox
from node.services.proposal_form import may_edit
from node.services.statement_documents import (
    NAME_OF,
    OPTIONS,
    STATEMENT_CONTEXT,
    STATEMENT_TERM,
    question_of,
    vote_value,
    with_counts,
)
from node.services.unique_inserts import insert_unless_taken

log = logging.getLogger("townhall.statements")

MAX_STATEMENT = 140  # characters, counted after trimming (as pol.is counts them)
MAX_REASON = 500


class StatementError(ServiceError):
    """A refused statement text, naming the form field it belongs to."""

    field = "text"


def statement_text(raw: object) -> str:
    """The statement as stored: trimmed, 1 to 140 characters, or a StatementError."""
    text = " ".join(str(raw or "").split())
    if not text:
        raise StatementError(N_("write the statement"))
    if len(text) > MAX_STATEMENT:
        raise StatementError(
            N_("a statement is at most %(max_statement)s characters: this one has %(count)s"),
            max_statement=MAX_STATEMENT,
            count=len(text),
        )
    return text


async def statement_voted_on(document: dict[str, Any]) -> Statement | None:
    """The statement a vote-shaped Note (a Note named after an option, in reply to a Question)
    is cast on, or None when it answers no statement held here."""
    if document.get("type") != "Note" or not isinstance(document.get("name"), str):
        return None
    content = document.get("content")
    if isinstance(content, str) and plain_text(content).strip():
        return None
    question = id_of(document.get("inReplyTo"))
    if not question:
        return None
    return await Statement.get_or_none(object__uri=question).prefetch_related("object")


def takes_statements(proposal: Proposal) -> bool:
    """Whether the proposal takes statements and votes now: turned on, and open."""
    if not proposal.statements_enabled or proposal.status != ProposalStatus.OPEN:
        return False
    return proposal.closes_at is None or proposal.closes_at > datetime.now(UTC)


async def set_enabled(actor_id: int, proposal_uri: str, enabled: bool) -> None:
    """Turn statements on or off for a proposal: its author's choice (or an admin's)."""
    proposal = await Proposal.get_or_none(object__uri=proposal_uri, object__is_local=True)
    if proposal is None:
        raise NotFound(N_("there is no such proposal here"))
    if not await may_edit(actor_id, proposal_uri):
        raise Forbidden(N_("only the proposal's author (or an admin) turns statements on or off"))
    proposal.statements_enabled = enabled
    await proposal.save(update_fields=["statements_enabled"])


async def check_may_add(proposal: Proposal, author: Actor) -> None:
    """Refuse a statement from `author` that the proposal does not take: statements off, the
    consultation not open, or the proposal's rule for who may reply leaving them out."""
    if not proposal.statements_enabled:
        raise Conflict(N_("this consultation does not take statements"))
    if not takes_statements(proposal):
        raise Conflict(N_("the consultation is not open: it takes no statements now"))
    if author.is_local:
        return
    if (await current_blocks()).blocks_actor(author.uri):
        raise Forbidden(N_("this account or its server is blocked here"))
    rule = await rule_for(proposal)
    if rule == ReplyPolicy.MEMBERS:
        raise Forbidden(N_("this proposal takes statements from members only"))
    if rule == ReplyPolicy.FOLLOWERS:
        organisation = await organisation_of(proposal)
        follows = organisation is not None and await Follow.exists(
            follower_id=author.id, followee_id=organisation.id, state=FollowState.ACCEPTED
        )
        if not follows:
            raise Forbidden(N_("this proposal takes statements from followers of the organisation"))


async def submit(
    author: Actor, proposal_uri: str, raw_text: object, *, submitted_uri: str = ""
) -> Statement:
    """Add a statement to one of our proposals; it waits for a moderator."""
    text = statement_text(raw_text)
    proposal = await Proposal.get_or_none(
        object__uri=proposal_uri, object__is_local=True, object__deleted_at__isnull=True
    )
    if proposal is None:
        raise NotFound(N_("there is no proposal %(proposal_uri)s here"), proposal_uri=proposal_uri)
    await check_may_add(proposal, author)
    async with in_transaction():
        # the proposal's row locked: two submissions of the same text (or of one remote Note
        # delivered twice at once) are checked one after the other (SQLite's writers already are)
        await Proposal.filter(id=proposal.id).select_for_update().only("id").first()
        if submitted_uri and await Statement.exists(submitted_uri=submitted_uri):
            raise Conflict(N_("this statement has already been received"))
        existing = await Statement.filter(proposal_id=proposal.id).values_list("text", flat=True)
        if any(_same(text, str(other)) for other in existing):
            raise StatementError(N_("this consultation already has this statement"))
        statement = await Statement.create(
            proposal=proposal, author=author, text=text, submitted_uri=submitted_uri
        )
    log.info("statement.submitted", extra={"proposal": proposal_uri, "author": author.uri})
    return statement


def _same(one: str, other: str) -> bool:
    return " ".join(one.casefold().split()) == " ".join(other.casefold().split())


async def counts_of(statement_id: int) -> tuple[list[int], int]:
    """Agree, disagree and pass counts of a statement, and how many voted."""
    values = await StatementVote.filter(statement_id=statement_id).values_list("value", flat=True)
    counts = [sum(1 for v in values if v == value) for _, value in OPTIONS]
    return counts, len(values)


class Statements:
    """The use cases that publish: approving a statement, votes from here and elsewhere."""

    def __init__(self, outbox: Outbox) -> None:
        self._outbox = outbox
        self._urls = outbox.urls

    async def approve(self, statement_id: int, *, by_account_id: int) -> None:
        """Approve a pending statement (its thread's moderators): published as a Question."""
        await check_moderates_statement(by_account_id, statement_id)
        statement = await Statement.get_or_none(id=statement_id).prefetch_related(
            "proposal__object"
        )
        if statement is None:
            raise NotFound(N_("there is no such statement"))
        if statement.state != StatementState.PENDING:
            raise Conflict(N_("this statement is already %(value)s"), value=statement.state.value)
        proposal = statement.proposal
        organisation = await organisation_of(proposal)
        if organisation is None:
            raise Conflict(N_("the node has no organisation to publish statements"))
        document = question_of(
            self._urls.object(uuid.uuid4().hex),
            organisation,
            proposal.object,
            statement,
            proposal.closes_at,
        )
        activity = new_activity(
            self._urls, "Create", organisation, document, to=document["to"], cc=document["cc"]
        )
        async with in_transaction():
            taken = await Statement.filter(id=statement.id, state=StatementState.PENDING).update(
                state=StatementState.APPROVED,
                moderated_by_id=by_account_id,
                moderated_at=datetime.now(UTC),
            )
            if not taken:
                raise Conflict(N_("this statement is no longer waiting"))
            row = await local_objects.save_object(organisation, document)
            await Statement.filter(id=statement.id).update(object_id=row.id)
            await self._outbox.publish(organisation, activity, to_followers=True)
            await audit_log.record(by_account_id, "approve_statement", row.uri)
            await mark_map_stale(proposal.id)
        log.info("statement.approved", extra={"question": row.uri})

    async def vote(self, voter: Actor, statement_id: int, value: int) -> dict[str, Any]:
        """A member's vote from the page or the client API (the Note Mastodon would send):
        counted here on our statements; on another node's, sent to its home and kept here as
        theirs. Returns the Create."""
        statement = await Statement.get_or_none(id=statement_id).prefetch_related(
            "object__author", "proposal"
        )
        if statement is None or statement.object is None:
            raise NotFound(N_("there is no such statement (or it is not approved)"))
        question = statement.object
        note = vote_note(
            f"{voter.uri}#votes/{uuid.uuid4().hex}", voter.uri, question.document, NAME_OF[value]
        )
        activity = new_activity(self._urls, "Create", voter, note, to=note["to"])
        async with in_transaction():
            await self._count(statement, voter, value, note["id"])
            await self._outbox.publish(
                voter,
                activity,
                inboxes=[] if question.is_local else [question.author.delivery_inbox],
                to_followers=False,
            )
        return activity

    async def record_remote_vote(self, document: dict[str, Any], voter: Actor) -> bool:
        """Count a vote that arrived from another server; a refused one is logged, not stored."""
        statement = await statement_voted_on(document)
        if statement is None:
            return False
        try:
            value = vote_value(document.get("name"))
            await statement.fetch_related("proposal")
            async with in_transaction():
                await self._count(statement, voter, value, str(document.get("id") or ""))
        except ServiceError as refusal:
            log.info(
                "statement.vote_refused",
                extra={"statement": statement.id, "voter": voter.uri, "reason": str(refusal)},
            )
            return False
        log.info("statement.voted", extra={"statement": statement.id, "voter": voter.uri})
        return True

    async def receive_submission(self, document: dict[str, Any], author: Actor) -> bool:
        """A statement another server's member submitted to one of our proposals (a Note
        carrying `statementOf`): stored pending, or refused with a logged reason."""
        proposal_uri = str(id_of(document.get(STATEMENT_TERM)) or "")
        text = document.get("name") or unescape(plain_text(str(document.get("content") or "")))
        try:
            await submit(author, proposal_uri, text, submitted_uri=str(document.get("id") or ""))
        except ServiceError as refusal:
            log.info(
                "statement.submission_refused",
                extra={"proposal": proposal_uri, "author": author.uri, "reason": str(refusal)},
            )
            return False
        return True

    async def submit_from(self, author: Actor, proposal_uri: str, raw: object) -> dict[str, Any]:
        """A member's statement: for one of our proposals it waits here for a moderator; for
        another node's proposal held here it is sent to its home (the organisation that
        published it), which moderates it. Returns the Create (a Note with `statementOf`)."""
        text = statement_text(raw)
        proposal = await Proposal.get_or_none(
            object__uri=proposal_uri, object__deleted_at__isnull=True
        ).prefetch_related("object__author")
        if proposal is None:
            raise NotFound(
                N_("there is no proposal %(proposal_uri)s here"), proposal_uri=proposal_uri
            )
        home = (
            await organisation_of(proposal) if proposal.object.is_local else proposal.object.author
        )
        if home is None:
            raise Conflict(N_("the node has no organisation to take statements"))
        note: dict[str, Any] = {
            "@context": STATEMENT_CONTEXT,
            "id": f"{author.uri}#statements/{uuid.uuid4().hex}",
            "type": "Note",
            "attributedTo": author.uri,
            "name": text,
            "inReplyTo": proposal_uri,
            STATEMENT_TERM: proposal_uri,
            "to": [home.uri],
        }
        activity = new_activity(self._urls, "Create", author, note, to=note["to"])
        async with in_transaction():
            if proposal.object.is_local:
                await submit(author, proposal_uri, text, submitted_uri=note["id"])
                await self._outbox.publish(author, activity, to_followers=False)
            else:
                await self._outbox.publish(
                    author, activity, inboxes=[home.delivery_inbox], to_followers=False
                )
        log.info("statement.sent", extra={"proposal": proposal_uri, "author": author.uri})
        return activity

    async def _count(self, statement: Statement, voter: Actor, value: int, uri: str) -> None:
        """Store `voter`'s vote, replacing an earlier one; or refuse it: unapproved, blocked,
        closed."""
        if statement.state != StatementState.APPROVED or statement.object_id is None:  # type: ignore[attr-defined]
            raise Conflict(N_("this statement is not approved: it takes no votes"))
        if not voter.is_local and (await current_blocks()).blocks_actor(voter.uri):
            raise Forbidden(N_("this account or its server is blocked here"))
        proposal = statement.proposal
        if proposal.status != ProposalStatus.OPEN or (
            proposal.closes_at is not None and proposal.closes_at <= datetime.now(UTC)
        ):
            raise Conflict(N_("the consultation has closed: votes are no longer counted"))
        now = datetime.now(UTC)
        changed = await StatementVote.filter(statement_id=statement.id, actor_id=voter.id).update(
            value=value, uri=uri, voted_at=now
        )
        if not changed:
            inserted = await insert_unless_taken(
                StatementVote, statement=statement, actor=voter, value=value, uri=uri, voted_at=now
            )
            if inserted is None:  # another vote of theirs won the race: the last one counts
                await StatementVote.filter(statement_id=statement.id, actor_id=voter.id).update(
                    value=value, uri=uri, voted_at=now
                )
        row = await Object.get(id=statement.object_id)  # type: ignore[attr-defined]
        if row.is_local:  # the Question served carries its current counts; the map is ours
            counts, voters = await counts_of(statement.id)
            row.document = with_counts(row.document, counts, voters)
            await row.save(update_fields=["document"])
            await mark_map_stale(proposal.id)


async def reject(statement_id: int, reason: str, *, by_account_id: int) -> None:
    """Reject a pending statement (its thread's moderators): never shown, the reason logged."""
    await check_moderates_statement(by_account_id, statement_id)
    reason = " ".join(reason.split())
    if not reason:
        raise ServiceError(N_("give the reason for rejecting the statement"))
    if len(reason) > MAX_REASON:
        raise ServiceError(
            N_("the reason is at most %(max_reason)s characters"), max_reason=MAX_REASON
        )
    async with in_transaction():
        taken = await Statement.filter(id=statement_id, state=StatementState.PENDING).update(
            state=StatementState.REJECTED,
            moderated_by_id=by_account_id,
            moderated_at=datetime.now(UTC),
        )
        if not taken:
            raise Conflict(N_("this statement is no longer waiting"))
        await audit_log.record(
            by_account_id, "reject_statement", f"statement {statement_id}", reason
        )
    log.info("statement.rejected", extra={"statement": statement_id})


async def hold_remote_statement(row: Object, document: dict[str, Any]) -> None:
    """Keep another node's published statement (a Question with `statementOf`) as a Statement
    of the remote proposal held here, approved: its home moderated it."""
    if row.is_local or row.type != "Question":
        return
    proposal_uri = id_of(document.get(STATEMENT_TERM))
    if not proposal_uri or await Statement.exists(object_id=row.id):
        return
    proposal = await Proposal.get_or_none(object__uri=proposal_uri, object__is_local=False)
    if proposal is None:
        return
    if origin(proposal_uri) != origin(row.uri):  # only the proposal's home publishes them
        return
    author = await Actor.get(id=row.author_id)  # type: ignore[attr-defined]
    text = plain_text(str(document.get("name") or row.content))[: MAX_STATEMENT * 2]
    await insert_unless_taken(
        Statement,
        proposal=proposal,
        object=row,
        author=author,
        text=text,
        state=StatementState.APPROVED,
    )
