"""A proposal's opinion map as pages show it: the groups, what sets each apart, what they all
agree with, and a point per participant (no one named), read from the map the worker stored
(node/workers/opinion_map.py). Statements are named by their text; one no longer approved
(rejected since the map was computed) is left out."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from node.models import OpinionMap, Statement, StatementState

GROUP_NAMES = "ABCDE"  # k is at most 5


@dataclass(frozen=True)
class MapPoint:
    x: float  # as computed: the first principal component
    y: float  # the second
    group: int


@dataclass(frozen=True)
class GroupStatement:
    """A statement that sets a group apart: its members mostly agree (or disagree) with it,
    more than everyone else does."""

    text: str
    direction: str  # "agree" or "disagree"
    agree_percent: int  # of the group's members who saw it
    disagree_percent: int
    seen: int


@dataclass(frozen=True)
class OpinionGroup:
    number: int  # 0 is the largest group
    name: str  # "A", "B"…
    members: int
    representative: tuple[GroupStatement, ...]


@dataclass(frozen=True)
class ConsensusStatement:
    """A statement every group more likely agrees with than not."""

    text: str
    agree_percents: tuple[int, ...]  # one per group, in the groups' order


@dataclass(frozen=True)
class OpinionMapView:
    computed_at: datetime | None  # None: not computed yet
    updating: bool  # votes have come in since: a new map is on its way
    enough: bool  # False: too few votes for groups yet
    votes_counted: int
    participants: int
    clustered: int  # participants with enough votes to place on the map
    groups: tuple[OpinionGroup, ...] = ()
    consensus: tuple[ConsensusStatement, ...] = ()
    points: tuple[MapPoint, ...] = ()


async def load_opinion_map(proposal_id: int) -> OpinionMapView | None:
    """The map of proposal `proposal_id`, or None when it has none (nobody voted on a
    statement yet)."""
    row = await OpinionMap.get_or_none(proposal_id=proposal_id)
    if row is None:
        return None
    result: dict[str, Any] = row.result or {}
    view = OpinionMapView(
        computed_at=row.computed_at,
        updating=row.stale_since is not None,
        enough=bool(result.get("enough")),
        votes_counted=row.votes_counted,
        participants=int(result.get("participants", 0)),
        clustered=int(result.get("clustered", 0)),
    )
    if not view.enough:
        return view
    ids = {item["statement"] for group in result["groups"] for item in group["representative"]}
    ids |= {item["statement"] for item in result["consensus"]}
    texts = dict(
        await Statement.filter(
            id__in=ids, proposal_id=proposal_id, state=StatementState.APPROVED
        ).values_list("id", "text")
    )
    groups = tuple(
        OpinionGroup(
            number=number,
            name=GROUP_NAMES[number],
            members=int(group["members"]),
            representative=tuple(
                GroupStatement(
                    text=texts[item["statement"]],
                    direction=item["direction"],
                    agree_percent=_percent(item["agreed"], item["seen"]),
                    disagree_percent=_percent(item["disagreed"], item["seen"]),
                    seen=int(item["seen"]),
                )
                for item in group["representative"]
                if item["statement"] in texts
            ),
        )
        for number, group in enumerate(result["groups"])
    )
    consensus = tuple(
        ConsensusStatement(
            text=texts[item["statement"]],
            agree_percents=tuple(round(100 * share) for share in item["agree_by_group"]),
        )
        for item in result["consensus"]
        if item["statement"] in texts
    )
    points = tuple(MapPoint(float(x), float(y), int(group)) for x, y, group in result["points"])
    return OpinionMapView(
        computed_at=view.computed_at,
        updating=view.updating,
        enough=True,
        votes_counted=view.votes_counted,
        participants=view.participants,
        clustered=view.clustered,
        groups=groups,
        consensus=consensus,
        points=points,
    )


def _percent(part: int, whole: int) -> int:
    return round(100 * part / whole) if whole else 0
