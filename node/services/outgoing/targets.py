"""What a member may reply to, endorse, share or vote on: only what they may see."""

from __future__ import annotations

from node.i18n import N_
from node.models import Actor, Object
from node.services.errors import NotFound
from node.services.proxy import RemoteLookup
from node.services.visibility import may_see, reader_of


async def may_act_on(actor: Actor, row: Object) -> bool:
    """Whether `actor` may answer or endorse `row`: what they are shown whole, never a hidden
    object (not even by a moderator) or a draft of another (node/services/visibility.py)."""
    return row.hidden_at is None and await may_see(row, reader_of(actor))


async def visible_object(actor: Actor, uri: str) -> Object | None:
    """The stored object `uri` if `actor` may see it; None if we do not hold it; NotFound if
    we hold it but `actor` may not see it (told apart from nothing, so nothing leaks)."""
    row = await Object.get_or_none(uri=uri)
    if row is None:
        return None
    if row.deleted_at is not None:  # its Tombstone is public anyway
        raise NotFound(N_("%(uri)s has been withdrawn"), uri=uri)
    if not await may_act_on(actor, row):
        raise NotFound(N_("no object %(uri)s known here"), uri=uri)
    return row


async def object_to_act_on(lookup: RemoteLookup, actor: Actor, uri: str) -> Object:
    """What `actor` answers, endorses or shares: the stored object if they may see it, else the
    remote one fetched from its origin and stored now (clients give a URL and expect that)."""
    row = await visible_object(actor, uri)
    if row is not None:
        return row
    row = await lookup.stored_object(uri)
    if row.deleted_at is not None or not await may_act_on(actor, row):
        raise NotFound(N_("no object %(uri)s that you may see is known here"), uri=uri)
    return row


async def visible_thread(actor: Actor, context: str | None) -> None:
    """Refuse joining a thread (by naming its context) whose first post `actor` may not see."""
    if not context:
        return
    root = await Object.filter(context_uri=context).order_by("published_at", "id").first()
    if root is not None and not await may_act_on(actor, root):
        raise NotFound(N_("no thread %(context)s known here"), context=context)
