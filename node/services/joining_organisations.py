"""A member of an umbrella node joins an organisation that is open to all its members, or
leaves one, from the organisation's profile (its admins add members to the others, or approve
those who ask: node/services/join_requests.py)."""

from __future__ import annotations

from dataclasses import dataclass

from node.i18n import N_
from node.models import Membership, Organisation
from node.services import join_requests, organisations
from node.services.errors import Forbidden, NotFound
from node.services.organisation_settings import Joining, settings_of


@dataclass(frozen=True, slots=True)
class Belonging:
    """Whether a member belongs to an organisation, and what its profile offers them."""

    is_member: bool
    may_join: bool  # it is open, live, and they are not a member
    may_leave: bool  # they are a member, and of another organisation too
    may_ask: bool = False  # its admins approve who joins, it is live, and they have not asked
    waiting: bool = False  # they asked to join: their request waits for its admins


async def belonging(account_id: int, handle: str) -> Belonging | None:
    """The member's belonging to the organisation `handle`; None where the node hosts none."""
    row = await Organisation.get_or_none(
        actor__handle=handle, actor__is_local=True
    ).prefetch_related("actor")
    if row is None:
        return None
    is_member = await Membership.exists(account_id=account_id, organisation_id=row.id)
    joining = (await settings_of(row.actor)).joining
    others = await Membership.filter(account_id=account_id).exclude(organisation_id=row.id).exists()
    waiting = not is_member and await join_requests.is_waiting(account_id, row.id)
    live = not is_member and row.suspended_at is None
    return Belonging(
        is_member=is_member,
        may_join=live and joining == Joining.OPEN,
        may_leave=is_member and others,
        may_ask=live and joining == Joining.APPROVAL and not waiting,
        waiting=waiting,
    )


async def join_open(account_id: int, handle: str) -> None:
    """The member joins the organisation `handle` themself: only one open to all."""
    row = await organisations.hosted_row(handle)
    joining = (await settings_of(row.actor)).joining
    if joining == Joining.APPROVAL:
        raise Forbidden(
            N_("@%(handle)s's admins approve who joins: ask to join from its profile"),
            handle=handle,
        )
    if joining != Joining.OPEN:
        raise join_requests.refuse_admins_add(handle)
    await organisations.join(account_id, handle)  # refuses a suspended one


async def leave(account_id: int, handle: str) -> None:
    """The member leaves the organisation `handle` (not their last)."""
    if not await Membership.exists(
        account_id=account_id,
        organisation__actor__handle=handle,
        organisation__actor__is_local=True,
    ):
        raise NotFound(N_("you are not a member of @%(handle)s"), handle=handle)
    await organisations.leave(account_id, handle)
