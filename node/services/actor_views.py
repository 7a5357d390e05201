"""An actor as pages show it (a name heading a page, a profile, a choice in a list): plain
values read from its row, so that no template holds the row itself."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from node.activitypub import to_actor, to_tombstone
from node.models import Actor, ActorType, Proposal
from node.services.actors import get_local_actor, get_organisation, shown_role
from node.services.organisations import organisation_of, organisation_of_thread
from node.services.privacy_settings import search_consent
from node.urls import NodeUrls


@dataclass(frozen=True, slots=True)
class ActorView:
    """What a page shows of an actor."""

    id: int
    uri: str
    type: ActorType
    is_local: bool
    handle: str
    domain: str
    name: str
    summary: str
    role: str
    url: str
    manually_approves_followers: bool


def actor_view(actor: Actor, role: str | None = None) -> ActorView:
    """The shown fields of `actor` (with `role` as its role when given: actors.shown_role)."""
    return ActorView(
        id=actor.id,
        uri=actor.uri,
        type=actor.type,
        is_local=actor.is_local,
        handle=actor.handle,
        domain=actor.domain,
        name=actor.name,
        summary=actor.summary,
        role=actor.role if role is None else role,
        url=actor.url,
        manually_approves_followers=actor.manually_approves_followers,
    )


async def organisation_view() -> ActorView | None:
    """The node's organisation (its one local Group actor), once set up."""
    organisation = await get_organisation()
    return actor_view(organisation) if organisation is not None else None


async def thread_organisation_view(context_uri: str) -> ActorView | None:
    """The organisation whose proposal's thread `context_uri` is: the thread's home."""
    organisation = await organisation_of_thread(context_uri)
    return actor_view(organisation) if organisation is not None else None


async def proposal_organisation_view(proposal_id: int) -> ActorView | None:
    """The organisation the proposal `proposal_id` is published for."""
    proposal = await Proposal.get_or_none(id=proposal_id)
    organisation = await organisation_of(proposal) if proposal is not None else None
    return actor_view(organisation) if organisation is not None else None


async def local_actor_document(handle: str, urls: NodeUrls) -> dict[str, Any] | None:
    """The live local actor `handle` as an ActivityStreams document, if there is one."""
    actor = await get_local_actor(handle)
    return (
        to_actor(actor, urls, role=await shown_role(actor), consent=await search_consent(actor.id))
        if actor is not None
        else None
    )


async def local_actor_view(handle: str, *, own: bool = False) -> ActorView | None:
    """The live local actor with this handle, if any, as others are shown it (its role only
    when public), or as its member sees it in their own settings (`own`)."""
    actor = await get_local_actor(handle)
    if actor is None:
        return None
    return actor_view(actor, None if own else await shown_role(actor))


async def deleted_local_actor(handle: str) -> dict[str, Any] | None:
    """The Tombstone of the local actor `handle` if its member deleted their account."""
    actor = await Actor.get_or_none(handle=handle, is_local=True, deleted_at__isnull=False)
    if actor is None or actor.deleted_at is None:
        return None
    return to_tombstone(actor.uri, actor.type.value, actor.deleted_at)
