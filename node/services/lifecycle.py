"""A proposal's life: which status may follow which, and who may make each move.

One table, used by the web forms and the client API alike (and by whatever moves a proposal
later). A move the table does not hold is a Conflict (409) naming the moves it does hold.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum

from node.models import AccessRole, Account, Actor, Object, ProposalStatus
from node.services.actors import get_organisation
from node.services.errors import Conflict, ServiceError

DRAFT, OPEN, CLOSED = ProposalStatus.DRAFT, ProposalStatus.OPEN, ProposalStatus.CLOSED
ADOPTED, CHANGED, DROPPED = ProposalStatus.ADOPTED, ProposalStatus.CHANGED, ProposalStatus.DROPPED


class Mover(StrEnum):
    """Who moves a proposal: its author, or the organisation it is put to."""

    AUTHOR = "author"
    ORGANISATION = "organisation"


@dataclass(frozen=True)
class Transition:
    """One move of the lifecycle and who may make it."""

    source: ProposalStatus
    target: ProposalStatus
    movers: frozenset[Mover]


EITHER = frozenset({Mover.AUTHOR, Mover.ORGANISATION})
AUTHOR_ONLY = frozenset({Mover.AUTHOR})

# A new proposal starts in one of these.
INITIAL: tuple[ProposalStatus, ...] = (DRAFT, OPEN)

# Who may edit a proposal in a status (any other status: EITHER). A draft is its author's
# alone: nobody else sees it.
EDITED_BY: dict[ProposalStatus, frozenset[Mover]] = {DRAFT: AUTHOR_ONLY}

# What a proposal takes from others while in a status: amendments and consultation questions
# only while the consultation is open.
TAKES: dict[str, frozenset[ProposalStatus]] = {
    "amendments": frozenset({OPEN}),
    "consultation questions": frozenset({OPEN}),
}

# draft → open → closed → adopted / changed / dropped; nothing goes back to draft.
TRANSITIONS: tuple[Transition, ...] = (
    Transition(DRAFT, OPEN, AUTHOR_ONLY),
    Transition(OPEN, CLOSED, EITHER),
    Transition(CLOSED, ADOPTED, EITHER),
    Transition(CLOSED, CHANGED, EITHER),
    Transition(CLOSED, DROPPED, EITHER),
)


def next_statuses(
    current: ProposalStatus, mover: Mover, table: Iterable[Transition] = TRANSITIONS
) -> tuple[ProposalStatus, ...]:
    """The statuses `mover` may move a proposal to from `current`, in the table's order."""
    return tuple(move.target for move in table if move.source == current and mover in move.movers)


def choices(current: ProposalStatus, mover: Mover) -> tuple[ProposalStatus, ...]:
    """What a form offers: the status it has (a text edit keeps it) and the moves allowed."""
    return (current, *next_statuses(current, mover))


def check_move(current: ProposalStatus, target: ProposalStatus, mover: Mover) -> None:
    """Refuse a move the table does not allow `mover`, naming the allowed ones (409)."""
    if target == current:
        return
    allowed = next_statuses(current, mover)
    if target in allowed:
        return
    if allowed:
        named = ", ".join(status.value for status in allowed)
        raise Conflict(
            f"a proposal that is {current.value} cannot become {target.value}:"
            f" it can become {named}"
        )
    raise Conflict(f"a proposal that is {current.value} cannot become {target.value}: it is final")


def check_initial(status: ProposalStatus) -> None:
    """A new proposal starts as a draft or open for consultation."""
    if status not in INITIAL:
        raise ServiceError("a new proposal is either a draft or open for consultation")


def check_takes(what: str, status: ProposalStatus) -> None:
    """Refuse `what` (a key of TAKES) for a proposal in `status` with a Conflict (409)."""
    if status not in TAKES[what]:
        raise Conflict(
            f"a proposal that is {status.value} takes no {what}: the consultation is over"
        )


async def mover_of(actor: Actor, row: Object, status: ProposalStatus) -> Mover | None:
    """Whether `actor` edits this proposal (in `status`) as its author, as the organisation,
    or may not edit it at all."""
    mover = None
    if row.author_id == actor.id:  # type: ignore[attr-defined]
        mover = Mover.AUTHOR
    else:
        organisation = await get_organisation()
        if organisation is not None and organisation.id == actor.id:
            mover = Mover.ORGANISATION
    return mover if mover in EDITED_BY.get(status, EITHER) else None


async def editor_for(actor: Actor, row: Object, status: ProposalStatus) -> Actor | None:
    """Who signs `actor`'s edit of this proposal: the author themself, the organisation (or an
    admin, acting for the organisation), or None when `actor` may not edit it."""
    if await mover_of(actor, row, status) is not None:
        return actor
    account = await Account.get_or_none(actor_id=actor.id)
    if account is None or account.access_role != AccessRole.ADMIN:
        return None
    organisation = await get_organisation()
    if organisation is None or await mover_of(organisation, row, status) is None:
        return None
    return organisation
