"""What a member's (or the organisation's) profile page shows."""

from __future__ import annotations

from dataclasses import dataclass

from node.models import Account, Follow, FollowState, Object, Proposal, ProposalStatus
from node.services.proposal_search import ProposalCard, cards_of
from node.services.thread_view import Comment, comments_of

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
    """The actor's newest public proposals and comments, and follow counts."""
    account = await Account.get_or_none(actor_id=actor_id)
    proposals = await cards_of(
        Proposal.filter(object__author_id=actor_id, object__is_public=True)
        .exclude(status=ProposalStatus.DRAFT)
        .filter(object__deleted_at__isnull=True)
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
