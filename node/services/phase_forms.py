"""What the decision and reopening forms read, and which of them a proposal's page offers."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from node.i18n import N_
from node.models import Actor, Object, Proposal, ProposalStatus
from node.sections import SECTION_NAMES, SECTION_TITLES, section_sources
from node.services import lifecycle
from node.services.errors import Conflict, Forbidden, NotFound


@dataclass(frozen=True)
class PhaseActions:
    """What the viewer may do to the proposal's phase from its page."""

    may_decide: bool = False
    may_reopen: bool = False


@dataclass(frozen=True)
class PhaseForm:
    """A local proposal as the decision or reopening form shows it."""

    uri: str
    name: str
    status: str
    closes_at: datetime | None
    closed_at: datetime | None
    sections: tuple[tuple[str, str], ...]  # (name, title) of the sections it has


async def _local(uri: str) -> tuple[Object, Proposal]:
    row = await Object.get_or_none(uri=uri, is_local=True, type="Article", deleted_at=None)
    proposal = await Proposal.get_or_none(object_id=row.id) if row else None
    if row is None or proposal is None or proposal.status == ProposalStatus.DRAFT:
        raise NotFound(N_("There is no such proposal."))  # a draft is not seen at all
    return row, proposal


def _form(row: Object, proposal: Proposal) -> PhaseForm:
    own = section_sources(proposal.sections)
    return PhaseForm(
        uri=row.uri,
        name=row.name,
        status=proposal.status.value,
        closes_at=proposal.closes_at,
        closed_at=proposal.closed_at,
        sections=tuple((name, SECTION_TITLES[name]) for name in SECTION_NAMES if name in own),
    )


async def phase_actions(actor_id: int | None, uri: str) -> PhaseActions:
    """Whether the proposal's page offers the local actor `actor_id` the decision form, the
    reopening form."""
    actor = await Actor.get_or_none(id=actor_id) if actor_id is not None else None
    if actor is None:
        return PhaseActions()
    try:
        row, proposal = await _local(uri)
    except NotFound:
        return PhaseActions()
    if proposal.status != ProposalStatus.CLOSED:
        return PhaseActions()
    decider = await lifecycle.decider_for(actor, row)
    mover = await lifecycle.mover_of(actor, row, proposal.status)
    return PhaseActions(
        may_decide=decider is not None,
        may_reopen=lifecycle.may_reopen(proposal.status, mover),
    )


async def decision_form(actor_id: int, uri: str) -> PhaseForm:
    """The proposal to decide: NotFound, Forbidden (not theirs to decide), Conflict (not
    closed: still open, or decided already)."""
    actor = await Actor.get(id=actor_id)
    row, proposal = await _local(uri)
    decider = await lifecycle.decider_for(actor, row)
    if decider is None:
        raise Forbidden(N_("Only the proposal's author or a moderator can publish its decision."))
    if proposal.status == ProposalStatus.OPEN:
        raise Conflict(N_("The consultation is still open: its decision comes after it closes."))
    if proposal.status != ProposalStatus.CLOSED:
        raise Conflict(N_("This proposal's decision is already published."))
    return _form(row, proposal)


async def reopen_form(actor_id: int, uri: str) -> PhaseForm:
    """The closed proposal its author may reopen: NotFound, Forbidden or Conflict."""
    actor = await Actor.get(id=actor_id)
    row, proposal = await _local(uri)
    mover = await lifecycle.mover_of(actor, row, proposal.status)
    if mover is None:
        raise Forbidden(N_("Only the proposal's author can reopen its consultation."))
    if not lifecycle.may_reopen(proposal.status, mover):
        raise Conflict(N_("Only a closed consultation, not yet decided, can be reopened."))
    return _form(row, proposal)
