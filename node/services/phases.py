"""What a proposal's phase changes around it: its questions, and what arrives after the close.

The moves themselves are lifecycle.py's table; this is what follows from them:

- questions put with `closes_with_proposal` close when the proposal closes and move their end
  time when it opens, reopens or changes its closing date;
- questions put to a draft are sent (a Create of each) when it opens;
- a reply from another server that arrives once the consultation has closed is kept, marked
  `late` (shown "after the closing date", left out of the counts);
- a Like from another server that arrives once it has closed is not counted (not stored): an
  endorsement is a voice in the consultation, taken only while it is open;
- and withdrawn only while it is open: the endorsements stand as they were at the close (a
  member's Undo is refused, one from another server is not applied).
"""

from __future__ import annotations

import logging

from tortoise.expressions import Q

from federation.vocab import as_list
from node.activitypub import new_activity
from node.i18n import N_
from node.models import Activity, Object, Poll, Proposal, ProposalStatus
from node.poll_documents import POLL_CONTEXT
from node.services import lifecycle
from node.services.errors import Conflict, Words
from node.services.outbox import Outbox
from node.services.polls import close_if_due
from node.services.threads import announce_in_thread
from node.timestamps import format_time, now

log = logging.getLogger("townhall.phases")


async def polls_follow(proposal: Proposal) -> None:
    """Bring the proposal's questions that close with it in line with its phase."""
    row = await Object.get(id=proposal.object_id)  # type: ignore[attr-defined]
    polls = await Poll.filter(
        Q(object__in_reply_to_uri=row.uri) | Q(object__context_uri=row.context_uri),
        closes_with_proposal=True,
        object__is_local=True,
    ).prefetch_related("object")
    for poll in polls:
        if proposal.status == ProposalStatus.OPEN and proposal.closes_at is not None:
            await _reopen_poll(poll, proposal)
        elif proposal.status != ProposalStatus.OPEN and poll.closed_at is None:
            if poll.end_time is None or poll.end_time > (proposal.closed_at or now()):
                poll.end_time = proposal.closed_at or now()
                await poll.save(update_fields=["end_time"])
            await close_if_due(poll)


async def publish_drafted_questions(outbox: Outbox, row: Object) -> int:
    """Send the questions put to the proposal `row` while it was a draft, now that it has
    opened: a Create of each (as polls.Polls.create sends one put to an open proposal), after
    polls_follow gave those closing with it its closing time. How many went out."""
    questions = await Object.filter(
        in_reply_to_uri=row.uri, type="Question", is_local=True, deleted_at=None
    ).prefetch_related("author")
    sent = 0
    for question in questions:
        if await Activity.filter(type="Create", object_uri=question.uri).exists():
            continue
        document = question.document
        activity = new_activity(
            outbox.urls, "Create", question.author, document,
            to=as_list(document.get("to")), cc=as_list(document.get("cc")),
        )  # fmt: skip
        await outbox.publish(question.author, activity, to_followers=True)
        await announce_in_thread(outbox, question)
        sent += 1
    return sent


async def _reopen_poll(poll: Poll, proposal: Proposal) -> None:
    """A question that closes with its proposal ends when the proposal now closes."""
    if poll.end_time == proposal.closes_at and poll.closed_at is None:
        return
    poll.end_time, poll.closed_at = proposal.closes_at, None
    question = poll.object
    document = {k: v for k, v in question.document.items() if k != "closed"}
    document["@context"] = document.get("@context", POLL_CONTEXT)
    if proposal.closes_at is not None:
        document["endTime"] = format_time(proposal.closes_at)
    question.document = document
    await poll.save(update_fields=["end_time", "closed_at"])
    await question.save(update_fields=["document"])


async def proposal_of(row: Object, *, local_only: bool = True) -> Proposal | None:
    """The proposal (local only, unless told otherwise) whose thread `row` is in, or which
    `row` is, if any."""
    if row.type == "Article" and (row.is_local or not local_only):
        found = await Proposal.get_or_none(object_id=row.id)
        if found is not None:
            return found
    if not row.context_uri:
        return None
    in_thread = Proposal.filter(object__context_uri=row.context_uri, object__type="Article")
    if local_only:
        in_thread = in_thread.filter(object__is_local=True)
    return await in_thread.first()


async def mark_if_late(row: Object) -> bool:
    """Mark a reply that arrived from another server after its consultation closed `late`;
    True if it was."""
    if row.is_local or row.type == "Article":
        return False
    proposal = await proposal_of(row)
    if proposal is None or proposal.status in (ProposalStatus.OPEN, ProposalStatus.DRAFT):
        return False
    row.late = True
    await Object.filter(id=row.id).update(late=True)
    log.info("reply.late", extra={"object": row.uri})
    return True


async def takes_reactions(object_uri: str) -> bool:
    """Whether a Like of `object_uri` counts now: anything outside a local proposal's
    thread, or in one that is open."""
    row = await Object.get_or_none(uri=object_uri)
    if row is None:
        return True
    proposal = await proposal_of(row)
    return proposal is None or lifecycle.takes("endorsements", proposal.status)


async def check_takes_in_thread(what: str, context_uri: str) -> None:
    """Refuse `what` (a key of lifecycle.TAKES) in the thread of a proposal (ours, or another
    Townhall node's as it last told us) that is not open: a Conflict (409) saying why."""
    if not context_uri:
        return
    proposal = await Proposal.get_or_none(object__context_uri=context_uri, object__type="Article")
    if proposal is not None:
        lifecycle.check_takes(what, proposal.status)


async def check_endorsement(object_uri: str) -> None:
    """Refuse a member's Like in the thread of a proposal (ours or another node's) that is not
    open (409)."""
    row = await Object.get_or_none(uri=object_uri)
    proposal = await proposal_of(row, local_only=False) if row is not None else None
    if proposal is not None:
        lifecycle.check_takes("endorsements", proposal.status)


async def check_withdrawal(object_uri: str) -> None:
    """Refuse withdrawing an endorsement of an object in the thread of a proposal (ours or
    another node's) that is not open (409): endorsements stand as they were at the close."""
    row = await Object.get_or_none(uri=object_uri)
    proposal = await proposal_of(row, local_only=False) if row is not None else None
    if proposal is not None and not lifecycle.takes("endorsements", proposal.status):
        raise Conflict(
            N_(
                "the consultation is %(value)s: endorsements stand as they were "
                "when it closed, so yours can no longer be withdrawn"
            ),
            value=Words(lifecycle.STATUS_WORDS[proposal.status]),
        )
