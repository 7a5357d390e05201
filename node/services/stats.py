"""Counts the node reports about itself (NodeInfo, the admin pages)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from node.models import Activity, Actor, ActorType, Object
from node.services.actors import get_organisation


@dataclass(frozen=True)
class UsageCounts:
    """How many members, how active, how much content."""

    organisation_name: str
    members: int
    active_month: int
    active_halfyear: int
    local_posts: int
    local_comments: int


async def usage_counts() -> UsageCounts:
    """Count members, recently active members, proposals and comments."""
    now = datetime.now(UTC)
    people = Actor.filter(is_local=True, type=ActorType.PERSON, deleted_at=None)
    organisation = await get_organisation()
    return UsageCounts(
        organisation_name=organisation.name if organisation else "",
        members=await people.count(),
        active_month=await _active_since(now - timedelta(days=30)),
        active_halfyear=await _active_since(now - timedelta(days=180)),
        local_posts=await Object.filter(is_local=True, in_reply_to_uri="").count(),
        local_comments=await Object.filter(is_local=True).exclude(in_reply_to_uri="").count(),
    )


async def _active_since(moment: datetime) -> int:
    """Local people who published anything since `moment`."""
    rows = (
        await Activity.filter(
            published_at__gte=moment, actor__is_local=True, actor__type=ActorType.PERSON
        )
        .distinct()
        .values_list("actor_id", flat=True)
    )
    return len(set(rows))
