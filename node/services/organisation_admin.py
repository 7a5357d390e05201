"""What an organisation's own admins change on an umbrella node: their members' roles in it.
Who may: node/services/organisation_staff.py (its admins, and the node's)."""

from __future__ import annotations

from node.i18n import N_
from node.models import Actor, Membership, Organisation, OrganisationRole
from node.services import organisation_staff
from node.services.errors import NotFound, ServiceError

ROLES = tuple(role.value for role in OrganisationRole)  # what a form offers


async def may_run(actor_id: int, handle: str) -> bool:
    """Whether the actor `actor_id` runs the organisation `handle` (NotFound: no such one)."""
    organisation = await _organisation_actor(handle)
    return await organisation_staff.runs(actor_id, organisation)


async def runs_any(actor_id: int, handle: str) -> bool:
    """may_run, False where the node hosts no organisation `handle` (a profile asks)."""
    try:
        return await may_run(actor_id, handle)
    except NotFound:
        return False


def parse_role(value: str) -> OrganisationRole:
    """A role in an organisation, from a form; a ServiceError naming the choices."""
    try:
        return OrganisationRole(value.strip())
    except ValueError:
        raise ServiceError(
            N_("unknown role %(value)s: choose one of %(choices)s"),
            value=repr(value[:40]),
            choices=", ".join(role.value for role in OrganisationRole),
        ) from None


async def set_role(handle: str, member: str, role: OrganisationRole) -> None:
    """Give the member `member` the role `role` in the organisation `handle`."""
    organisation = await _organisation_actor(handle)
    member = member.strip().removeprefix("@")
    changed = await Membership.filter(
        organisation__actor_id=organisation.id, account__actor__handle=member
    ).values_list("id", flat=True)
    if not changed:
        raise NotFound(
            N_("@%(member)s is not a member of @%(handle)s"), member=member, handle=handle
        )
    await Membership.filter(id__in=list(changed)).update(role=role)


async def _organisation_actor(handle: str) -> Actor:
    row = await Organisation.get_or_none(
        actor__handle=handle, actor__is_local=True
    ).prefetch_related("actor")
    if row is None:
        raise NotFound(N_("this node hosts no organisation @%(handle)s"), handle=handle)
    return row.actor
