"""Consultation questions: polls on proposals, votes from members and the fediverse, results.

A poll is a local `Question` object plus a `Poll` row. Members vote through the client API
(a `Note` named after the option, in reply to the Question; on another server's Question the
Note goes to its author, which counts it); fediverse users vote from their
own accounts the same way (Mastodon, Misskey, Pleroma, GoToSocial). Each accepted vote
republishes the Question with its new counts in an `Update` signed by its author, sent to the
author's and the organisation's followers and to every remote voter.
"""

from __future__ import annotations

import logging
import uuid
from datetime import timedelta
from html import escape
from typing import Any

from tortoise.transactions import in_transaction

from federation.vocab import id_of
from node.activitypub import new_activity
from node.i18n import N_
from node.models import Actor, Object, Poll, PollOption, Proposal, ProposalStatus, Vote
from node.poll_documents import Results, iso, vote_choice, vote_note, with_results
from node.sanitize import plain_text
from node.services import lifecycle, local_objects
from node.services.delivery_queue import distinct_inboxes, follower_inboxes
from node.services.errors import Conflict, Forbidden, NotFound, ServiceError, Words
from node.services.organisations import organisation_of, organisation_of_thread
from node.services.outbox import Outbox
from node.services.poll_rules import (
    MAX_QUESTION,
    RESULTS_SHOWN_TERM,
    RULE_FIELDS,
    PollRuleError,
    poll_rules,
)
from node.services.poll_tally import closed_at, counts_hidden, has_ended, now, results_of
from node.services.remote_answers import RemoteAnswers
from node.services.threads import announce_in_thread
from node.services.unique_inserts import insert_unless_taken

log = logging.getLogger("townhall.polls")

# Votes of one person in a multiple-choice question that arrive within this time of their first
# are one answer set (Mastodon sends each choice as a Note of its own); later ones are refused.
ANSWER_SET_WINDOW = timedelta(minutes=15)


async def is_vote(document: dict[str, Any]) -> bool:
    """Whether a Note is a vote: vote-shaped, in reply to a Question we hold; never a comment."""
    choice = vote_choice(document)
    return choice is not None and await Object.filter(uri=choice[0], type="Question").exists()


async def poll_of_vote(document: dict[str, Any]) -> Poll | None:
    """The local poll a vote-shaped Note is cast in, or None when it is not a vote of ours."""
    choice = vote_choice(document)
    if choice is None:
        return None
    return await Poll.get_or_none(
        object__uri=choice[0], object__is_local=True, object__deleted_at__isnull=True
    ).prefetch_related("object")


async def close_if_due(poll: Poll) -> bool:
    """Mark a poll closed once its end time has passed; True if it is closed. The worker's
    job (node/workers/poll_closing.py) and the vote paths': reads never write."""
    if poll.closed_at is not None or not has_ended(poll):
        return poll.closed_at is not None
    poll.closed_at = poll.end_time
    row = await Object.get(id=poll.object_id)  # type: ignore[attr-defined]
    async with in_transaction():
        await poll.save(update_fields=["closed_at"])
        row.document = with_results(row.document, await results_of(poll))
        await row.save(update_fields=["document"])
    log.info("poll.closed", extra={"question": row.uri})
    return True


async def question_document(row: Object) -> dict[str, Any]:
    """A local Question as served now: closed, with its final counts, once its time is up
    (in `row` in memory only: the worker stores the closing)."""
    poll = await Poll.get_or_none(object_id=row.id)
    if poll is not None and poll.closed_at is None and has_ended(poll):
        row.document = with_results(row.document, await results_of(poll))
    return row.document


async def close_due_polls(outbox: Outbox | None = None) -> int:
    """Close every poll whose end time has passed (the worker's timed pass); how many. With an
    outbox each closing is published: an Update of the Question with its final counts (those
    kept until the close are then shown) to followers and voters."""
    due = await Poll.filter(
        closed_at__isnull=True, end_time__lte=now(), object__is_local=True
    ).order_by("id")
    polls = Polls(outbox) if outbox is not None else None
    for poll in due:
        if polls is not None:
            await polls.close_if_due(poll)
        else:
            await close_if_due(poll)
    return len(due)


async def refuse_rule_changes(submitted: dict[str, Any]) -> None:
    """An Update may reword a poll's question, never change its options or closing time."""
    changed = sorted(RULE_FIELDS & submitted.keys())
    if changed and await Poll.filter(object__uri=str(submitted.get("id"))).exists():
        raise ServiceError(
            N_(
                "a poll's %(values)s cannot change once it is published: withdraw"
                " it (Delete) and ask a new question"
            ),
            values=", ".join(changed),
        )


class Polls:
    """Use cases of consultation questions."""

    def __init__(self, outbox: Outbox) -> None:
        self._outbox = outbox
        self._urls = outbox.urls

    async def close_if_due(self, poll: Poll) -> None:
        """Close a poll past its end time and publish its final counts (once: the pass that
        stores the closing publishes it)."""
        if poll.closed_at is None and await close_if_due(poll):
            async with in_transaction():
                await self._publish_results(poll)

    async def create(self, author: Actor, submitted: dict[str, Any]) -> dict[str, Any]:
        """Publish a poll, in reply to a proposal (it then joins the proposal's thread); one
        put to a draft is kept until the draft opens."""
        parent = await _checked_parent(author, id_of(submitted.get("inReplyTo")))
        rules = poll_rules(
            submitted, parent.closes_at if parent else None, on_proposal=parent is not None
        )
        document = _question_text(local_objects.build_object(self._urls, author, submitted))
        await local_objects.join_thread(document)
        if rules.end_time is not None:
            document["endTime"] = iso(rules.end_time)
        document["resultsShown"] = RESULTS_SHOWN_TERM[rules.results_shown]
        document = with_results(
            document, Results(rules.multiple, [(n, 0) for n in rules.options], 0)
        )
        activity = new_activity(
            self._urls, "Create", author, document, to=document["to"], cc=document["cc"]
        )
        async with in_transaction():
            row = await local_objects.save_object(author, document)
            poll = await Poll.create(
                object=row,
                multiple=rules.multiple,
                end_time=rules.end_time,
                closes_with_proposal=rules.closes_with_proposal,
                results_shown=rules.results_shown,
            )
            await PollOption.bulk_create(
                [
                    PollOption(poll=poll, position=i, name=name)
                    for i, name in enumerate(rules.options)
                ]
            )
            if parent is not None and parent.status == ProposalStatus.DRAFT:
                return activity  # it goes out when the proposal opens (phases.py)
            await self._outbox.publish(
                author, activity, inboxes=await _parent_inbox(row), to_followers=True
            )
            await announce_in_thread(self._outbox, row)
        log.info("poll.created", extra={"question": row.uri, "options": len(rules.options)})
        return activity

    async def vote(self, voter: Actor, submitted: dict[str, Any]) -> dict[str, Any]:
        """A member's vote (a Note named after the option); return its Create."""
        poll = await poll_of_vote(submitted)
        choice = vote_choice(submitted)
        if poll is None or choice is None:
            question = id_of(submitted.get("inReplyTo"))
            remote = await Object.get_or_none(
                uri=question, type="Question", is_local=False, deleted_at=None
            )
            if remote is not None and choice is not None:
                return await RemoteAnswers(self._outbox).vote(voter, remote, choice[1])
            raise NotFound(N_("no open poll %(question)s here"), question=question)
        await self.close_if_due(poll)
        note = vote_note(
            f"{voter.uri}#votes/{uuid.uuid4().hex}", voter.uri, poll.object.document, choice[1]
        )
        activity = new_activity(self._urls, "Create", voter, note, to=note["to"])
        async with in_transaction():
            await self._count(poll, voter, choice[1], note["id"])
            await self._outbox.publish(voter, activity, to_followers=False)
            await self._publish_results(poll)
        return activity

    async def answer(self, voter_id: int, question_uri: str, choices: list[str]) -> None:
        """A member's (the local actor `voter_id`'s) answer from the web page: their choices
        replace any answer they gave before, in one transaction (a refused choice leaves the
        earlier answer as it was)."""
        voter = await Actor.get(id=voter_id)
        poll = await Poll.get_or_none(
            object__uri=question_uri, object__is_local=True, object__deleted_at__isnull=True
        ).prefetch_related("object")
        if poll is None:
            raise NotFound(N_("no open poll %(question_uri)s here"), question_uri=question_uri)
        names = [choice.strip() for choice in choices if choice.strip()]
        if not names:
            raise ServiceError(N_("choose an answer"))
        if len(names) > 1 and not poll.multiple:
            raise ServiceError(N_("this question takes one answer: choose one"))
        if len({name.casefold() for name in names}) != len(names):
            raise ServiceError(N_("choose each answer once"))
        await self.close_if_due(poll)
        async with in_transaction():
            await Vote.filter(poll_id=poll.id, actor_id=voter.id).delete()
            for name in names:
                note = vote_note(
                    f"{voter.uri}#votes/{uuid.uuid4().hex}", voter.uri, poll.object.document, name
                )
                await self._count(poll, voter, name, note["id"])
                activity = new_activity(self._urls, "Create", voter, note, to=note["to"])
                await self._outbox.publish(voter, activity, to_followers=False)
            await self._publish_results(poll)
        log.info("poll.answered", extra={"question": question_uri, "voter": voter.uri})

    async def record_remote_vote(self, document: dict[str, Any], voter: Actor) -> bool:
        """Count a vote that arrived from another server; a refused one is logged, not stored."""
        poll = await poll_of_vote(document)
        choice = vote_choice(document)
        if poll is None or choice is None:
            return False
        await self.close_if_due(poll)
        try:
            async with in_transaction():
                await self._count(poll, voter, choice[1], str(document["id"]))
                await self._publish_results(poll)
        except ServiceError as refusal:
            log.info(
                "poll.vote_refused",
                extra={"question": poll.object.uri, "voter": voter.uri, "reason": str(refusal)},
            )
            return False
        log.info("poll.voted", extra={"question": poll.object.uri, "voter": voter.uri})
        return True

    async def _count(self, poll: Poll, voter: Actor, name: str, vote_uri: str) -> None:
        """Store one vote, or refuse it: closed poll, unknown option, second vote."""
        if has_ended(poll):
            closed = iso(closed_at(poll) or now())
            raise Conflict(
                N_("this poll closed at %(closed)s: votes are no longer counted"), closed=closed
            )
        await _check_consultation_open(poll)
        option = await PollOption.get_or_none(poll_id=poll.id, name=name)
        if option is None:
            choices = ", ".join(
                repr(o)
                for o in await PollOption.filter(poll_id=poll.id)
                .order_by("position")
                .values_list("name", flat=True)
            )
            raise ServiceError(
                N_("%(name)s is not an option of this poll: choose one of %(choices)s"),
                name=repr(name),
                choices=choices,
            )
        earlier = await Vote.filter(poll_id=poll.id, actor_id=voter.id).prefetch_related("option")
        if earlier and not poll.multiple:
            raise Conflict(
                N_("you already voted in this poll (for %(name)s): it takes one vote"),
                name=repr(earlier[0].option.name),
            )
        if any(vote.option_id == option.id for vote in earlier):  # type: ignore[attr-defined]
            raise Conflict(N_("you already voted for %(name)s in this poll"), name=repr(name))
        first = min((vote.created_at for vote in earlier), default=None)
        if first is not None and first < now() - ANSWER_SET_WINDOW:
            raise Conflict(
                N_("you already answered this poll at %(iso)s: it takes one answer per person"),
                iso=iso(first),
            )
        slot = option.position if poll.multiple else 0
        counted = await insert_unless_taken(
            Vote, poll=poll, option=option, actor=voter, uri=vote_uri, slot=slot
        )
        if counted is None:
            raise Conflict(N_("this vote has already been counted"))

    async def _publish_results(self, poll: Poll) -> dict[str, Any]:
        """Republish the Question with its counts, signed by its author."""
        row = await Object.get(id=poll.object_id).prefetch_related("author")  # type: ignore[attr-defined]
        results = await results_of(poll)
        row.document = with_results(row.document, results, hide_counts=counts_hidden(poll))
        await row.save(update_fields=["document"])
        activity = new_activity(
            self._urls,
            "Update",
            row.author,
            row.document,
            to=row.document.get("to"),
            cc=row.document.get("cc"),
        )
        inboxes = await _voter_inboxes(poll)
        organisation = await organisation_of_thread(row.context_uri)
        if organisation is not None and organisation.id != row.author.id:
            inboxes += await follower_inboxes(organisation)
        await self._outbox.publish(row.author, activity, inboxes=inboxes, to_followers=True)
        return activity


def _question_text(document: dict[str, Any]) -> dict[str, Any]:
    """A Question needs its question: in content (HTML), or in name (plain text)."""
    content = document.get("content")
    if not (isinstance(content, str) and plain_text(content).strip()):
        name = plain_text(str(document.get("name") or "")).strip()
        if not name:
            raise PollRuleError("question", N_("a poll needs its question in content (or name)"))
        document["content"] = f"<p>{escape(name)}</p>"
    if len(document["content"]) > MAX_QUESTION:
        raise PollRuleError(
            "question",
            N_("the question is longer than %(max_question)s characters"),
            max_question=MAX_QUESTION,
        )
    return document


async def _checked_parent(author: Actor, parent_uri: str | None) -> Proposal | None:
    """The proposal a poll is put to, when it is one of ours: only its author or the
    organisation may add a question, and only while the proposal is open."""
    if not parent_uri:
        return None
    proposal = await Proposal.get_or_none(
        object__uri=parent_uri, object__is_local=True
    ).prefetch_related("object")
    if proposal is None:
        return None
    if proposal.object.author_id != author.id:  # type: ignore[attr-defined]
        organisation = await organisation_of(proposal)
        if organisation is None or organisation.id != author.id:
            raise Forbidden(
                N_("only the proposal's author or the organisation may add a consultation question")
            )
    lifecycle.check_takes("new questions", proposal.status)
    return proposal


async def _check_consultation_open(poll: Poll) -> None:
    """A question put to a proposal takes answers only while the proposal takes questions
    (the lifecycle's table: while it is open)."""
    question = poll.object  # every caller fetched it with the poll
    if not question.in_reply_to_uri:
        return
    proposal = await Proposal.get_or_none(
        object__uri=question.in_reply_to_uri, object__is_local=True
    ).only("id", "status")
    if proposal is not None and proposal.status == ProposalStatus.DRAFT:
        raise Conflict(N_("the consultation is not open yet: answers are counted once it opens"))
    if proposal is not None and proposal.status not in lifecycle.TAKES["consultation questions"]:
        raise Conflict(
            N_("the consultation is %(value)s: answers are no longer counted"),
            value=Words(lifecycle.STATUS_WORDS[proposal.status]),
        )


async def _parent_inbox(row: Object) -> list[str]:
    """The inbox of the remote author of what the poll replies to, so that thread hears of it."""
    if not row.in_reply_to_uri:
        return []
    parent = await Object.get_or_none(uri=row.in_reply_to_uri).prefetch_related("author")
    return [] if parent is None or parent.author.is_local else [parent.author.delivery_inbox]


async def _voter_inboxes(poll: Poll) -> list[str]:
    """Where remote voters hear the results: their shared (else personal) inboxes, once each."""
    rows = await Vote.filter(
        poll_id=poll.id, actor__is_local=False, actor__deleted_at=None
    ).values_list("actor__shared_inbox_uri", "actor__inbox_uri")
    return distinct_inboxes(shared or personal for shared, personal in rows)
