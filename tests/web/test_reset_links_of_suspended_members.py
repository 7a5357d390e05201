"""A password reset link stops working when its member is suspended."""

from __future__ import annotations

from aiohttp.test_utils import TestClient

from node.models import AccessRole, Account, AccountStatus, PasswordReset
from node.services.members import password_matches
from node.services.membership import set_status
from node.services.password_resets import create_reset
from tests.support.pages import PASSWORD, member, page, submit

NEW = "a brand new password"


async def test_a_reset_link_made_before_a_suspension_no_longer_sets_the_password(
    client: TestClient,
) -> None:
    admin = await member("admin", AccessRole.ADMIN)
    account = await member("amina")
    code = await create_reset(admin.id, "amina")
    await set_status(admin.id, "amina", AccountStatus.SUSPENDED)
    suspended = await Account.get(id=account.id)
    await page(client, f"/reset/{code}", status=410)
    response = await submit(
        client, f"/reset/{code}", {"new": NEW, "confirm": NEW}, token_from="/sign-in"
    )
    assert response.status == 410 and "not active" in await response.text()
    stored = await Account.get(id=account.id)
    assert password_matches(stored.password_hash, PASSWORD)
    assert stored.session_epoch == suspended.session_epoch
    assert (await PasswordReset.get()).used_at is None
    assert "Sign out" not in await page(client, "/")
