"""The node keeps one human admin who can sign in: token-only accounts do not count."""

from __future__ import annotations

import pytest
from aiohttp.test_utils import TestClient

from node.models import AccessRole, Account, AccountStatus
from node.services.errors import Forbidden
from node.services.members import add_member
from node.services.membership import set_role, set_status
from node.services.tokens import create_token
from node.urls import NodeUrls
from tests.support.api import BASE
from tests.support.pages import member, sign_in_as, submit


async def test_the_only_human_admin_cannot_demote_themselves_beside_the_organisations_token(
    client: TestClient,
) -> None:
    admin = await member("admin", AccessRole.ADMIN)
    await create_token("testorg")  # makes the organisation's token-only admin account
    await sign_in_as(client, "admin")
    fields = {"action": "role", "role": "member"}
    response = await submit(client, "/admin/members/admin", fields, token_from="/admin")
    assert response.status == 403
    assert "last admin" in await response.text()
    assert (await Account.get(id=admin.id)).access_role == AccessRole.ADMIN


async def test_the_last_human_admin_cannot_be_suspended_or_demoted_by_a_passwordless_admin(
    client: TestClient,
) -> None:
    human = await member("human", AccessRole.ADMIN)
    script = await add_member(NodeUrls(BASE), "script", access_role=AccessRole.ADMIN)
    for status in (AccountStatus.SUSPENDED, AccountStatus.PENDING):
        with pytest.raises(Forbidden, match="last admin"):
            await set_status(script.id, "human", status)
    with pytest.raises(Forbidden, match="last admin"):
        await set_role(script.id, "human", AccessRole.MEMBER)
    account = await Account.get(id=human.id)
    assert (account.status, account.access_role) == (AccountStatus.ACTIVE, AccessRole.ADMIN)
    assert account.session_epoch == human.session_epoch


async def test_a_suspended_admin_does_not_count_as_the_admin_left(client: TestClient) -> None:
    first = await member("first", AccessRole.ADMIN)
    await member("second", AccessRole.ADMIN)
    await set_status(first.id, "second", AccountStatus.SUSPENDED)
    with pytest.raises(Forbidden, match="last admin"):
        await set_role(first.id, "first", AccessRole.MODERATOR)
    await member("third", AccessRole.ADMIN)
    await set_role(first.id, "first", AccessRole.MODERATOR)  # a human admin is left: allowed
    assert (await Account.get(id=first.id)).access_role == AccessRole.MODERATOR
