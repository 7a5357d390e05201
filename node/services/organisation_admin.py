"""What an organisation's own admins change on an umbrella node: their members' roles in it,
its profile and its settings, each in the audit log with who changed it. Who may:
node/services/organisation_staff.py (its admins, and the node's)."""

from __future__ import annotations

import json
from typing import Any, Protocol

from tortoise.transactions import in_transaction

from node.i18n import N_
from node.models import Actor, Membership, Organisation, OrganisationRole
from node.services import audit_log, organisation_settings, organisation_staff
from node.services.errors import NotFound, ServiceError
from node.services.organisations import hosted_row, profile_problems


class ClientApi(Protocol):
    """What edit_profile needs of node/services/client_api.py's ClientApi."""

    async def post(self, actor: Actor, submitted: dict[str, Any]) -> dict[str, Any]: ...


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


async def set_role(
    handle: str, member: str, role: OrganisationRole, *, by_account_id: int | None
) -> None:
    """Give the member `member` the role `role` in the organisation `handle`, by the account
    `by_account_id` (None: the command line), in the audit log when it changed."""
    organisation = await _organisation_actor(handle)
    member = member.strip().removeprefix("@")
    found = await Membership.filter(
        organisation__actor_id=organisation.id, account__actor__handle=member
    ).values_list("id", "role")
    if not found:
        raise NotFound(
            N_("@%(member)s is not a member of @%(handle)s"), member=member, handle=handle
        )
    changed = [each_id for each_id, was in found if was != role]
    if not changed:
        return
    async with in_transaction():
        await Membership.filter(id__in=changed).update(role=role)
        reason = f"{member} now {role.value}"
        await audit_log.record(by_account_id, "organisation_role", organisation.handle, reason)


async def edit_profile(
    client_api: ClientApi, handle: str, name: str, summary: str, *, by_account_id: int | None
) -> bool:
    """Give the organisation `handle` this name and description, by the account
    `by_account_id`: an Update of its Group to its followers, and the audit log. Whether it
    changed (nothing is sent or logged when it did not); a ServiceError for a bad field."""
    problems = await profile_problems(name, summary)
    if problems:
        raise next(iter(problems.values()))
    organisation = await _organisation_actor(handle)
    changes = {"name": name.strip(), "summary": summary.strip()}
    if (organisation.name, organisation.summary) == (changes["name"], changes["summary"]):
        return False
    update = {"id": organisation.uri, "type": organisation.type.value, **changes}
    async with in_transaction():
        await client_api.post(organisation, {"type": "Update", "object": update})
        await audit_log.record(by_account_id, "organisation_profile", organisation.handle)
    return True


async def change_settings(handle: str, *values: str, by_account_id: int | None) -> None:
    """organisation_settings.change_settings(handle, *values) by the account `by_account_id`,
    in the audit log (the settings it left, as JSON) when they changed."""
    organisation = await _organisation_actor(handle)
    async with in_transaction():
        before = await organisation_settings.settings_of(organisation)
        await organisation_settings.change_settings(handle, *values)
        if await organisation_settings.settings_of(organisation) != before:
            row = await Organisation.get(actor_id=organisation.id)
            said = json.dumps(row.settings, sort_keys=True, ensure_ascii=False)
            await audit_log.record(by_account_id, "organisation_settings", handle, said)


async def _organisation_actor(handle: str) -> Actor:
    return (await hosted_row(handle)).actor
