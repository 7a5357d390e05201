"""Setting up a node: its organisation's Group actor and, from the setup page, the first admin."""

from __future__ import annotations

from node.i18n import N_
from node.models import Actor, ActorType
from node.services.actors import create_local_actor, get_organisation
from node.services.errors import Conflict
from node.urls import NodeUrls


async def create_organisation(urls: NodeUrls, name: str, handle: str) -> Actor:
    """Create the node's Group actor; refuse when the database already holds one."""
    existing = await get_organisation()
    if existing is not None:
        raise Conflict(
            N_("this database already holds a node for @%(handle)s@%(domain)s"),
            handle=existing.handle,
            domain=existing.domain,
        )
    return await create_local_actor(urls, handle, ActorType.GROUP, name.strip() or handle)
