"""What a member's (or the organisation's) profile page shows."""

from __future__ import annotations

from dataclasses import dataclass

from tortoise.expressions import Q

from node.models import Account, Follow, FollowState, Object, Proposal
from node.services.proposal_search import ProposalCard, cards_of
from node.services.thread_view import Comment, comments_of
from node.services.visibility import proposals_shown_to_everyone

RECENT = 10


@dataclass(frozen=True)
class Profile:
    """A local actor's public activity and the facts around it."""

    is_pseudonym: bool
    proposals: list[ProposalCard]
    comments: list[Comment]
    followers: int
    following: int


async def load_profile(actor_id: int) -> Profile:
    """The actor's newest public proposals (the organisation's: those under its name) and
    comments, and follow counts."""
    account = await Account.get_or_none(actor_id=actor_id)
    # an organisation's proposals are written by its members and published under its name
    written_or_published = Q(object__author_id=actor_id) | Q(organisation_id=actor_id)
    proposals = await cards_of(
        proposals_shown_to_everyone(Proposal.filter(written_or_published))
        .order_by("-created_at")
        .limit(RECENT)
    )
    comments = await comments_of(
        Object.filter(
            author_id=actor_id, type="Note", is_public=True, deleted_at__isnull=True,
            hidden_at__isnull=True,
        )
        .order_by("-published_at")
        .limit(RECENT)
    )  # fmt: skip
    accepted = FollowState.ACCEPTED
    return Profile(
        is_pseudonym=bool(account and account.is_pseudonym),
        proposals=proposals,
        comments=comments,
        followers=await Follow.filter(followee_id=actor_id, state=accepted).count(),
        following=await Follow.filter(follower_id=actor_id, state=accepted).count(),
    )
