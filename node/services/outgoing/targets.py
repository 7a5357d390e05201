"""What a member may reply to, endorse, share or vote on: only what they may see."""

from __future__ import annotations

from federation.vocab import PUBLIC_FORMS, as_list
from node.models import Actor, Follow, Object
from node.models.social import FollowState
from node.services.errors import NotFound


async def may_act_on(actor: Actor, row: Object) -> bool:
    """Whether `actor` may see `row` and so answer or endorse it (never a draft of another)."""
    if row.deleted_at is not None or row.hidden_at is not None:
        return False
    if row.author_id == actor.id:  # type: ignore[attr-defined]
        return True
    if row.is_public:
        return True
    addressing = as_list(row.document.get("to")) + as_list(row.document.get("cc"))
    addressed = {value for value in addressing if isinstance(value, str)}
    if addressed & PUBLIC_FORMS:
        return False  # addressed publicly yet not public: an unpublished draft
    if actor.uri in addressed:
        return True
    await row.fetch_related("author")
    followers = row.author.followers_uri
    return (
        bool(followers)
        and followers in addressed
        and await Follow.exists(
            follower_id=actor.id, followee_id=row.author.id, state=FollowState.ACCEPTED
        )
    )


async def visible_object(actor: Actor, uri: str) -> Object | None:
    """The stored object `uri` if `actor` may see it; None if we do not hold it; NotFound if
    we hold it but `actor` may not see it (told apart from nothing, so nothing leaks)."""
    row = await Object.get_or_none(uri=uri)
    if row is None:
        return None
    if row.deleted_at is not None:  # its Tombstone is public anyway
        raise NotFound(f"{uri} has been withdrawn")
    if not await may_act_on(actor, row):
        raise NotFound(f"no object {uri} known here")
    return row


async def visible_thread(actor: Actor, context: str | None) -> None:
    """Refuse joining a thread (by naming its context) whose first post `actor` may not see."""
    if not context:
        return
    root = await Object.filter(context_uri=context).order_by("published_at", "id").first()
    if root is not None and not await may_act_on(actor, root):
        raise NotFound(f"no thread {context} known here")
