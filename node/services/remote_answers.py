"""Answering another server's consultation question from here: the member's answer is checked
against the Question as we hold it, kept here as theirs, and sent to the question's author (one
vote Note per choice, as Mastodon sends them), which counts it or refuses it. What we know of
such questions is node/services/remote_polls.py's."""

from __future__ import annotations

import logging
import uuid
from typing import Any

from tortoise.transactions import in_transaction

from node.activitypub import new_activity
from node.i18n import N_
from node.models import Actor, Object, Vote
from node.poll_documents import vote_note
from node.services import remote_polls
from node.services.errors import Conflict, NotFound
from node.services.outbox import Outbox

log = logging.getLogger("townhall.polls")


class RemoteAnswers:
    """Use cases of a member answering another server's Question."""

    def __init__(self, outbox: Outbox) -> None:
        self._outbox = outbox
        self._urls = outbox.urls

    async def vote(self, voter: Actor, question: Object, name: str) -> dict[str, Any]:
        """A member's vote on another server's Question (one Note per choice, as Mastodon
        sends them): sent to its author, who counts it or refuses it; kept here as the
        member's answer (node/services/remote_polls.py)."""
        return (await self._send(voter, question, [name], adding=True))[0]

    async def answer(self, voter_id: int, question_uri: str, choices: list[str]) -> None:
        """A member's (the local actor `voter_id`'s) answer, from this node's page, to another
        server's Question held here: all its choices or none, once (its home counts one answer
        per person); shown here at once as their answer."""
        voter = await Actor.get(id=voter_id)
        question = await Object.get_or_none(
            uri=question_uri, type="Question", is_local=False, deleted_at=None
        )
        if question is None:
            raise NotFound(N_("no question %(question_uri)s here"), question_uri=question_uri)
        names = [choice.strip() for choice in choices if choice.strip()]
        await self._send(voter, question, names, adding=False)
        log.info("poll.answered_elsewhere", extra={"question": question_uri, "voter": voter.uri})

    async def _send(
        self, voter: Actor, question: Object, names: list[str], *, adding: bool
    ) -> list[dict[str, Any]]:
        """Check an answer to a remote Question, store it as the member's and send a vote per
        choice to its author, in one transaction; `adding`: a further choice of a
        multiple-choice answer (the API's one Note per choice) is taken."""
        asked = remote_polls.remote_question(question.uri, question.document)
        await remote_polls.check_answer(question, asked, names)
        sent = []
        async with in_transaction():
            poll, options = await remote_polls.remote_poll(question, asked)
            earlier = await Vote.filter(poll_id=poll.id, actor_id=voter.id).prefetch_related(
                "option"
            )
            if earlier and not (adding and asked.multiple):
                given = ", ".join(sorted(vote.option.name for vote in earlier))
                raise Conflict(
                    N_(
                        "you already answered this question (%(given)s): its home"
                        " counts one answer per person"
                    ),
                    given=given,
                )
            if any(vote.option.name in names for vote in earlier):
                raise Conflict(
                    N_("you already chose %(names)s in this question"), names=repr(names[0])
                )
            for name in names:
                note = vote_note(
                    f"{voter.uri}#votes/{uuid.uuid4().hex}", voter.uri, question.document, name
                )
                option = options[name]
                await Vote.create(
                    poll=poll,
                    option=option,
                    actor=voter,
                    uri=note["id"],
                    slot=option.position if asked.multiple else 0,
                )
                activity = new_activity(self._urls, "Create", voter, note, to=note["to"])
                await self._outbox.publish(voter, activity, to_followers=False)
                sent.append(activity)
        return sent
