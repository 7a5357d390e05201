"""The audit log's entry for an action on an organisation is written in the action's own
transaction: when the entry cannot be written, the change is undone too."""

from __future__ import annotations

import csv
import io

import pytest
from tortoise.exceptions import DoesNotExist

from node.models import Actor, Membership, ModerationAction, Organisation, OrganisationRole
from node.services import audit_log, organisation_admin, organisations
from node.services.members import add_member
from tests.node.conftest import URLS

NO_ACCOUNT = 999_999  # an account the entry cannot name: recording it fails


async def test_an_entry_that_cannot_be_written_undoes_the_change(organisation: Actor) -> None:
    await Organisation.create(actor=organisation)
    bo = await add_member(URLS, "bo")
    await organisations.add_hosted_organisation(URLS, "tenants", "T", by_account_id=None)
    with pytest.raises(DoesNotExist):
        await organisations.add_hosted_organisation(URLS, "carers", "C", by_account_id=NO_ACCOUNT)
    assert not await Actor.exists(handle="carers")
    with pytest.raises(DoesNotExist):
        await organisations.set_suspended("tenants", True, by_account_id=NO_ACCOUNT)
    assert (await organisations.hosted_organisation("tenants")).suspended is False
    with pytest.raises(DoesNotExist):
        await organisations.join_by_handle("tenants", "bo", by_account_id=NO_ACCOUNT)
    assert not await Membership.exists(account_id=bo.id, organisation__actor__handle="tenants")
    await organisations.join_by_handle("tenants", "bo", by_account_id=None)
    with pytest.raises(DoesNotExist):
        await organisations.leave_by_handle("tenants", "bo", by_account_id=NO_ACCOUNT)
    with pytest.raises(DoesNotExist):
        await organisation_admin.set_role(
            "tenants", "bo", OrganisationRole.ADMIN, by_account_id=NO_ACCOUNT
        )
    assert [each.role for each in await organisations.members_of("tenants")] == ["member"]
    with pytest.raises(DoesNotExist):
        await organisation_admin.change_settings("tenants", "", "cy", by_account_id=NO_ACCOUNT)
    assert (await Organisation.get(actor__handle="tenants")).settings in ({}, None)
    # the witnesses: the two that could be written, by the command line
    logged = await ModerationAction.all().order_by("id").values_list("action", "target")
    assert logged == [("add_organisation", "tenants"), ("add_to_organisation", "tenants")]


async def test_the_command_line_s_entries_say_so(organisation: Actor) -> None:
    await Organisation.create(actor=organisation)
    await organisations.add_hosted_organisation(URLS, "tenants", "T", by_account_id=None)
    entries = await audit_log.organisation_entries("tenants")
    assert [(each.moderator, each.action, each.target) for each in entries] == [
        ("", "add_organisation", "tenants")
    ]
    lines = [line.decode() async for line in audit_log.audit_csv()]
    rows = list(csv.reader(io.StringIO("".join(lines))))
    assert rows[1][1:] == ["(command line)", "add_organisation", "tenants", ""]
