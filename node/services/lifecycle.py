"""A proposal's life: which status may follow which, who may make each move, what it needs.

One table, used by the web forms, the client API and the closing worker alike. A move the
table does not hold is a Conflict (409) naming the moves it does hold; a move without what it
needs (a closing date in the future; a reason to reopen; a written decision) is a 400.

    draft → open           its author, with a closing date in the future
    open → closed          its author or the organisation, by hand; or the worker at closesAt
    closed → open          its author: "reopen", with a new closing date and a reason
    closed → adopted / changed / dropped   "decided", with a written response
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from node.i18n import N_
from node.models import Actor, Object, Proposal, ProposalStatus
from node.services import organisation_staff
from node.services.errors import Conflict, ServiceError, Words
from node.services.organisations import organisation_of_article
from node.timestamps import now

DRAFT, OPEN, CLOSED = ProposalStatus.DRAFT, ProposalStatus.OPEN, ProposalStatus.CLOSED
ADOPTED, CHANGED, DROPPED = ProposalStatus.ADOPTED, ProposalStatus.CHANGED, ProposalStatus.DROPPED


class Mover(StrEnum):
    """Who moves a proposal: its author, or the organisation it is put to."""

    AUTHOR = "author"
    ORGANISATION = "organisation"


class Needs(StrEnum):
    """What a move needs besides the new status."""

    NOTHING = "nothing"
    CLOSING_DATE = "closing date"  # a closing date in the future
    REOPENING = "reopening"  # a new closing date in the future and a reason
    DECISION = "decision"  # a written response (node/services/decisions.py)


@dataclass(frozen=True)
class Transition:
    """One move of the lifecycle, who may make it and what it needs."""

    source: ProposalStatus
    target: ProposalStatus
    movers: frozenset[Mover]
    needs: Needs = Needs.NOTHING


EITHER = frozenset({Mover.AUTHOR, Mover.ORGANISATION})
AUTHOR_ONLY = frozenset({Mover.AUTHOR})

# A new proposal starts in one of these.
INITIAL: tuple[ProposalStatus, ...] = (DRAFT, OPEN)

# Who may edit a proposal in a status (any other status: EITHER). A draft is its author's
# alone: nobody else sees it.
EDITED_BY: dict[ProposalStatus, frozenset[Mover]] = {DRAFT: AUTHOR_ONLY}

# The outcomes of a decision.
DECIDED: tuple[ProposalStatus, ...] = (ADOPTED, CHANGED, DROPPED)

# What a proposal takes from local members while in a status: all of it only while the
# consultation is open. (Replies from other servers after the close are kept, marked late;
# their Likes are not counted: node/services/phases.py.)
TAKES: dict[str, frozenset[ProposalStatus]] = {
    N_("comments"): frozenset({DRAFT, OPEN}),  # a draft's thread: its author's notes, unseen
    N_("endorsements"): frozenset({OPEN}),
    N_("amendments"): frozenset({OPEN}),
    N_("consultation questions"): frozenset({OPEN}),  # answers to them
    N_("new questions"): frozenset({DRAFT, OPEN}),  # a draft's go out when it opens (phases.py)
    # what was heard stands once the consultation closes (a comment may still be deleted)
    N_("changes to comments"): frozenset({DRAFT, OPEN}),
}
# a status in the words of a refusal ("a proposal that is closed cannot become draft")
STATUS_WORDS = {
    DRAFT: N_("draft"),
    OPEN: N_("open"),
    CLOSED: N_("closed"),
    ProposalStatus.ADOPTED: N_("adopted"),
    ProposalStatus.CHANGED: N_("changed"),
    ProposalStatus.DROPPED: N_("dropped"),
}

# draft → open → closed (⇄ open again) → adopted / changed / dropped; nothing goes back to draft.
TRANSITIONS: tuple[Transition, ...] = (
    Transition(DRAFT, OPEN, AUTHOR_ONLY, Needs.CLOSING_DATE),
    Transition(OPEN, CLOSED, EITHER),
    Transition(CLOSED, OPEN, AUTHOR_ONLY, Needs.REOPENING),
    Transition(CLOSED, ADOPTED, EITHER, Needs.DECISION),
    Transition(CLOSED, CHANGED, EITHER, Needs.DECISION),
    Transition(CLOSED, DROPPED, EITHER, Needs.DECISION),
)

# What the edit form can give a move besides the status: a closing date. Reopening and
# deciding have forms of their own.
FORM_NEEDS = frozenset({Needs.NOTHING, Needs.CLOSING_DATE})


def next_statuses(
    current: ProposalStatus, mover: Mover, table: Iterable[Transition] = TRANSITIONS
) -> tuple[ProposalStatus, ...]:
    """The statuses `mover` may move a proposal to from `current`, in the table's order."""
    return tuple(move.target for move in table if move.source == current and mover in move.movers)


def choices(current: ProposalStatus, mover: Mover) -> tuple[ProposalStatus, ...]:
    """What the edit form offers: the status it has (a text edit keeps it) and the moves
    allowed that need no more than a closing date."""
    moves = [
        move.target
        for move in TRANSITIONS
        if move.source == current and mover in move.movers and move.needs in FORM_NEEDS
    ]
    return (current, *moves)


def needs_of(current: ProposalStatus, target: ProposalStatus) -> Needs:
    """What moving from `current` to `target` needs (NOTHING when it stays)."""
    for move in TRANSITIONS:
        if move.source == current and move.target == target:
            return move.needs
    return Needs.NOTHING


def may_reopen(current: ProposalStatus, mover: Mover | None) -> bool:
    """Whether `mover` may reopen a proposal in `current` (the page offers the form)."""
    return mover is not None and OPEN in next_statuses(current, mover) and current == CLOSED


def check_closing_date(closes_at: datetime | None, *, at: datetime | None = None) -> None:
    """An open consultation needs a closing date, in the future (400 otherwise)."""
    if closes_at is None:
        raise ServiceError(N_("a consultation opens with a closing date (closesAt)"))
    if closes_at <= (at or now()):
        raise ServiceError(N_("the closing date (closesAt) has already passed: give a later one"))


def check_reopening(reason: str, closes_at: datetime | None) -> None:
    """Reopening needs a reason and a new closing date in the future (400 otherwise)."""
    if not reason.strip():
        raise ServiceError(N_("say why the consultation reopens (reopenReason)"))
    check_closing_date(closes_at)


def check_decision(current: ProposalStatus, outcome: ProposalStatus | None, mover: Mover) -> None:
    """A decision: an outcome of DECIDED, for a closed proposal only (400 / 409)."""
    if outcome not in DECIDED:
        named = ", ".join(status.value for status in DECIDED)
        raise ServiceError(N_("a decision's outcome is one of %(named)s"), named=named)
    if current in (DRAFT, OPEN):
        if current == DRAFT:
            raise Conflict(
                N_("a decision is published once the consultation has closed: it is still a draft")
            )
        raise Conflict(
            N_(
                "a decision is published once the consultation has closed:"
                " it is still open for comments"
            )
        )
    check_move(current, outcome, mover)


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
            N_("a proposal that is %(current)s cannot become %(target)s: it can become %(named)s"),
            current=Words(STATUS_WORDS[current]),
            target=Words(STATUS_WORDS[target]),
            named=named,
        )
    raise Conflict(
        N_("a proposal that is %(current)s cannot become %(target)s: it is final"),
        current=Words(STATUS_WORDS[current]),
        target=Words(STATUS_WORDS[target]),
    )


# a proposal published open by a client that names no closing date (any ActivityPub client
# posting an Article) runs for twelve weeks, the length UK public bodies long used by default;
# its author may move the date (the web form always asks for one)
DEFAULT_CONSULTATION = timedelta(weeks=12)


def initial_closing_date(
    status: ProposalStatus, closes_at: datetime | None, *, at: datetime | None = None
) -> datetime | None:
    """A new proposal's closing date: one given must be in the future; an open proposal
    given none closes after DEFAULT_CONSULTATION; a draft may have none yet."""
    if status not in INITIAL:
        raise ServiceError(N_("a new proposal is either a draft or open for consultation"))
    if closes_at is None and status == OPEN:
        closes_at = (at or now()) + DEFAULT_CONSULTATION
    if closes_at is not None:
        check_closing_date(closes_at, at=at)
    return closes_at


def check_takes(what: str, status: ProposalStatus) -> None:
    """Refuse `what` (a key of TAKES) for a proposal in `status` with a Conflict (409)."""
    if status in TAKES[what]:
        return
    why = N_("it is not open yet") if status == DRAFT else N_("the consultation is over")
    raise Conflict(
        N_("a proposal that is %(value)s takes no %(what)s: %(why)s"),
        value=Words(STATUS_WORDS[status]),
        what=Words(what),
        why=Words(why),
    )


def takes(what: str, status: ProposalStatus) -> bool:
    """Whether a proposal in `status` takes `what` (a key of TAKES)."""
    return status in TAKES[what]


async def thread_status(context_uri: str) -> ProposalStatus | None:
    """The status of the proposal whose thread `context_uri` is (None outside one)."""
    if not context_uri:
        return None
    proposal = (
        await Proposal.filter(object__context_uri=context_uri, object__type="Article")
        .order_by("id")
        .first()
        .only("id", "status")
    )
    return None if proposal is None else proposal.status


async def our_thread_takes(what: str, context_uri: str) -> bool:
    """Whether the proposal of ours whose thread `context_uri` is takes `what` now (True in
    any other thread: another server's proposal is its home's to rule)."""
    if not context_uri:
        return True
    proposal = (
        await Proposal.filter(
            object__context_uri=context_uri, object__type="Article", object__is_local=True
        )
        .order_by("id")
        .first()
        .only("id", "status")
    )
    return proposal is None or takes(what, proposal.status)


async def check_thread_takes(what: str, context_uri: str) -> None:
    """check_takes for the proposal whose thread `context_uri` is (outside one, nothing)."""
    status = await thread_status(context_uri)
    if status is not None:
        check_takes(what, status)


async def mover_of(actor: Actor, row: Object, status: ProposalStatus) -> Mover | None:
    """Whether `actor` edits this proposal (in `status`) as its author, as the organisation,
    or may not edit it at all."""
    mover = None
    if row.author_id == actor.id:  # type: ignore[attr-defined]
        mover = Mover.AUTHOR
    else:
        organisation = await organisation_of_article(row)
        if organisation is not None and organisation.id == actor.id:
            mover = Mover.ORGANISATION
    return mover if mover in EDITED_BY.get(status, EITHER) else None


async def editor_for(actor: Actor, row: Object, status: ProposalStatus) -> Actor | None:
    """Who signs `actor`'s edit of this proposal: the author themself, the organisation (or an
    admin of it or of the node, acting for it), or None when `actor` may not edit it."""
    if await mover_of(actor, row, status) is not None:
        return actor
    organisation = await organisation_of_article(row)
    if organisation is None or not await organisation_staff.runs(actor.id, organisation):
        return None
    if await mover_of(organisation, row, status) is None:
        return None
    return organisation


async def decider_for(actor: Actor, row: Object) -> tuple[Actor, Mover] | None:
    """Who signs `actor`'s decision on this proposal and as whom: its author themself, or the
    organisation for its moderators and admins (or the node's); None when `actor` may not
    decide it."""
    if row.author_id == actor.id:  # type: ignore[attr-defined]
        return actor, Mover.AUTHOR
    organisation = await organisation_of_article(row)
    if organisation is None:
        return None
    if organisation.id == actor.id or await organisation_staff.moderates(actor.id, organisation):
        return organisation, Mover.ORGANISATION
    return None
