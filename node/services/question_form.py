"""What the "add a question" page reads: the proposal a question is put to, whether the viewer
may put one to it, and who signs it. Creating the question is polls.Polls.create's (through
the client API), which checks all of this again with the rules of node/services/poll_rules.py."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from node.models import Actor, Object, Proposal, ProposalStatus
from node.services import lifecycle
from node.services.poll_rules import MAX_OPTION_NAME, MAX_OPTIONS, MIN_OPTIONS


@dataclass(frozen=True)
class QuestionTarget:
    """A local proposal a question may be put to, as the form shows it."""

    uri: str
    title: str
    status: ProposalStatus
    closes_at: datetime | None
    takes_questions: bool  # a draft or open: the lifecycle's table says so
    min_options: int = MIN_OPTIONS
    max_options: int = MAX_OPTIONS
    max_option_length: int = MAX_OPTION_NAME


async def question_target(proposal_uri: str, actor_id: int) -> tuple[QuestionTarget, int] | None:
    """The proposal at `proposal_uri` and the id of who signs the local actor `actor_id`'s
    question to it (the author, or the organisation for its admins); None when it is not a
    local proposal they may ask on."""
    actor = await Actor.get(id=actor_id)
    row = await Object.get_or_none(uri=proposal_uri, is_local=True, type="Article", deleted_at=None)
    proposal = await Proposal.get_or_none(object_id=row.id) if row is not None else None
    if row is None or proposal is None:
        return None
    signer = await lifecycle.editor_for(actor, row, proposal.status)
    if signer is None:
        return None
    takes = proposal.status in lifecycle.TAKES["new questions"]
    target = QuestionTarget(row.uri, row.name, proposal.status, proposal.closes_at, takes)
    return target, signer.id
