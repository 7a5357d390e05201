"""What a member is told when an organisation's admins answer their request to join it
(node/services/join_requests.py): read from the audit log's entries of the answers, which name
the organisation and the member, so it needs no table of its own, like every notification."""

from __future__ import annotations

from typing import TYPE_CHECKING

from node.models import Actor, ActorType, ModerationAction, Object

if TYPE_CHECKING:
    from node.services.notification_sources import Found, Recipient, Window

ANSWERS = {"approve_join_request": "approved", "decline_join_request": "declined"}


async def join_answers(by_actor: dict[int, Recipient], window: Window) -> list[tuple[int, Found]]:
    """The answers to the recipients' requests to join, each from the organisation that gave
    it (its admin is not named) and linking to its profile."""
    handles = dict(
        await Actor.filter(id__in=list(by_actor), is_local=True).values_list("handle", "id")
    )
    if not handles:
        return []
    rows = await window.bound(
        ModerationAction.filter(action__in=list(ANSWERS), reason__in=list(handles)), "created_at"
    )
    if not rows:
        return []
    groups = {
        group.handle: group
        for group in await Actor.filter(
            handle__in={row.target for row in rows}, is_local=True, type=ActorType.GROUP
        )
    }
    found: list[tuple[int, Found]] = []
    for row in rows:
        group = groups.get(row.target)
        if group is None:
            continue
        profile = Object(
            uri=group.uri, url=group.url, name=group.name or f"@{group.handle}", content=""
        )
        recipient_id = int(handles[row.reason])
        found.append(
            (recipient_id, ("join_answer", row.created_at, group, profile, ANSWERS[row.action]))
        )
    return found
