"""Who runs an organisation: the node's admins and moderators run every organisation the node
hosts (their account's access role); a member whose membership says admin or moderator runs
that organisation alone."""

from __future__ import annotations

from node.models import AccessRole, Account, Actor, Membership, OrganisationRole

MODERATING = (OrganisationRole.MODERATOR, OrganisationRole.ADMIN)


async def _roles(actor_id: int, organisation: Actor) -> tuple[AccessRole | None, str | None]:
    """The account's access role on the node, and its role in `organisation` (None: none)."""
    account = await Account.get_or_none(actor_id=actor_id)
    if account is None:
        return None, None
    membership = await Membership.get_or_none(
        account_id=account.id, organisation__actor_id=organisation.id
    )
    return account.access_role, membership.role if membership is not None else None


async def runs(actor_id: int, organisation: Actor) -> bool:
    """Whether the actor `actor_id` is an admin of `organisation` (or of the node)."""
    node_role, role = await _roles(actor_id, organisation)
    return node_role == AccessRole.ADMIN or role == OrganisationRole.ADMIN


async def moderates(actor_id: int, organisation: Actor) -> bool:
    """Whether the actor `actor_id` moderates `organisation`: its moderator or admin, or the
    node's."""
    node_role, role = await _roles(actor_id, organisation)
    return node_role in (AccessRole.ADMIN, AccessRole.MODERATOR) or role in MODERATING
