"""Delete: an object withdrawn by its author or removed by its thread's home Group, or an actor
deleting itself."""

from __future__ import annotations

from typing import Any

from federation.activities.objects import origin
from federation.ports import ActivityPorts
from federation.vocab import id_of


async def handle(activity: dict[str, Any], actor: str, ports: ActivityPorts) -> None:
    """Tombstone the object, or remove the actor, when `actor` owns it."""
    target = id_of(activity.get("object"))
    if target is None:
        return
    # 1. an actor deleting itself: drop its follows, reactions and content (a Townhall member
    #    may keep their posts: `postsKept`, then only what they deleted one by one is gone)
    if target == actor:
        await ports.delete_actor(actor, posts_kept=activity.get("postsKept") is True)
        return
    # 2. an object: its author may delete it, and so may the Group whose thread holds it (its
    #    moderators removed it there); unknown objects are remembered as tombstones when the
    #    id is on the deleter's own origin, so a late Create stays dead
    author = await ports.object_author(target)
    if author is not None and author != actor:
        if await ports.thread_home(target) == actor:
            await ports.remove_from_thread(target)
        return
    if author is None and not _same_origin(target, actor):
        return
    await ports.delete_object(target, actor)
    # 3. the organisation passes the Delete on when the object was in one of its threads
    await ports.pass_on(activity, target)


def _same_origin(first: str, second: str) -> bool:
    return origin(first) == origin(second)
