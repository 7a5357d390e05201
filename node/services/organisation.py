"""Setting up a node: its organisation's Group actor and, from the setup page, the first admin."""

from __future__ import annotations

from tortoise.transactions import in_transaction

from node.models import Account, Actor, ActorType
from node.models.accounts import AccessRole
from node.services.actors import create_local_actor, get_organisation
from node.services.errors import Conflict
from node.services.members import add_member
from node.urls import NodeUrls


async def create_organisation(urls: NodeUrls, name: str, handle: str) -> Actor:
    """Create the node's Group actor; refuse when the database already holds one."""
    existing = await get_organisation()
    if existing is not None:
        raise Conflict(
            f"this database already holds a node for @{existing.handle}@{existing.domain}"
        )
    return await create_local_actor(urls, handle, ActorType.GROUP, name.strip() or handle)


async def set_up_node(
    urls: NodeUrls, name: str, handle: str, admin_handle: str, admin_password: str
) -> tuple[Actor, Account]:
    """Create the organisation and its first admin together, or neither."""
    async with in_transaction():
        organisation = await create_organisation(urls, name, handle)
        admin = await add_member(
            urls, admin_handle, access_role=AccessRole.ADMIN, password=admin_password
        )
    return organisation, admin
