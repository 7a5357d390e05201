"""Creating local actors (the organisation's Group and members' Persons) with their keys."""

from __future__ import annotations

from tortoise.transactions import in_transaction

from federation.keys import generate_private_key, private_key_to_pem, public_key_to_pem
from node.config import ConfigError, check_handle
from node.i18n import N_
from node.models import Account, Actor, ActorKey, ActorType, Organisation
from node.sanitize import display_name
from node.services.errors import Conflict, ServiceError
from node.urls import NodeUrls


def valid_handle(handle: str) -> str:
    """`handle` if it is well-formed, else a ServiceError saying why."""
    try:
        return check_handle(handle)
    except ConfigError as error:
        raise ServiceError(str(error)) from None


async def create_local_actor(
    urls: NodeUrls, handle: str, actor_type: ActorType, name: str, role: str = ""
) -> Actor:
    """Create a local actor with a fresh RSA-2048 key pair; refuse a taken or invalid handle."""
    valid_handle(handle)
    if await Actor.filter(handle=handle, domain=urls.host).exists():
        raise Conflict(N_("handle %(handle)s is already taken"), handle=repr(handle))
    private_key = generate_private_key()
    async with in_transaction():
        actor = await Actor.create(
            uri=urls.actor(handle),
            type=actor_type,
            is_local=True,
            handle=handle,
            domain=urls.host,
            name=display_name(name)[:255] or handle,
            role=role,
            url=urls.actor(handle),
            inbox_uri=urls.actor_part(handle, "inbox"),
            outbox_uri=urls.actor_part(handle, "outbox"),
            shared_inbox_uri=urls.shared_inbox,
            followers_uri=urls.actor_part(handle, "followers"),
            following_uri=urls.actor_part(handle, "following"),
            key_id=urls.key_id(handle),
            public_key_pem=public_key_to_pem(private_key.public_key()),
        )
        await ActorKey.create(actor=actor, private_key_pem=private_key_to_pem(private_key))
    return actor


async def get_local_actor(handle: str) -> Actor | None:
    """The live local actor with this handle, if any: not an organisation the node's admin
    has suspended."""
    actor = await Actor.get_or_none(handle=handle, is_local=True, deleted_at=None)
    suspended = (
        actor is not None
        and actor.type == ActorType.GROUP
        and await Organisation.exists(actor_id=actor.id, suspended_at__isnull=False)
    )
    return None if suspended else actor


async def get_organisation() -> Actor | None:
    """The node's organisation (its one local Group actor), once set up."""
    return await Actor.filter(is_local=True, type=ActorType.GROUP).order_by("id").first()


async def shown_role(actor: Actor) -> str:
    """The role pages and the actor's document show: none for a member who keeps it private
    (Account.role_public). It still counts in the endorsement split, which reads Actor.role
    and names nobody."""
    if actor.is_local and actor.role and await roles_kept_private([actor.id]):
        return ""
    return actor.role


async def roles_kept_private(actor_ids: list[int]) -> set[int]:
    """Which of the actors `actor_ids` are members who keep their role private: a page that
    names them shows no role (shown_role)."""
    if not actor_ids:
        return set()
    hidden = Account.filter(actor_id__in=actor_ids, role_public=False)
    return {int(row["actor_id"]) for row in await hidden.values("actor_id")}


async def set_role_public(account_id: int, role_public: bool) -> None:
    """Whether the member's role is shown on their profile and actor document."""
    await Account.filter(id=account_id).update(role_public=role_public)
