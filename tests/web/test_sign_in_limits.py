"""Guessing passwords stays slow, and strangers failing to sign in cannot keep a member out."""

from __future__ import annotations

from typing import Any

import pytest
from aiohttp.test_utils import TestClient

from node.models import AccessRole, Account
from node.services.members import password_matches
from tests.support.pages import PASSWORD, csrf_in, member, page, sign_in_as, submit
from web import ratelimit
from web.known_devices import COOKIE_NAME as DEVICE_COOKIE
from web.ratelimit import GrowingDelay, RateLimit
from web.sign_in_limits import SIGN_IN_LIMITS

WRONG = "not the password"


class Clock:
    """The rate limits' clock, moved on by the test."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.moment = 1000.0
        monkeypatch.setattr(ratelimit, "now", lambda: self.moment)

    def advance(self, seconds: float) -> None:
        self.moment += seconds


async def try_sign_in(
    client: TestClient, handle: str, password: str, address: str = "192.0.2.1"
) -> Any:
    """POST the sign-in form as if from `address` (the test client is a loopback proxy)."""
    token = csrf_in(await page(client, "/sign-in"))
    return await client.post(
        "/sign-in",
        data={"csrf_token": token, "handle": handle, "password": password},
        headers={"X-Forwarded-For": address},
        allow_redirects=False,
    )


def stranger(client: TestClient, aiohttp_client: Any) -> Any:
    """Another browser on the same node (its own cookie jar)."""
    return aiohttp_client(client.server)


async def test_strangers_failing_to_sign_in_cannot_lock_an_admin_out(
    client: TestClient, aiohttp_client: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    Clock(monkeypatch)
    await member("admin", AccessRole.ADMIN)
    attacker = await stranger(client, aiohttp_client)
    statuses = [
        (await try_sign_in(attacker, "admin", WRONG, f"203.0.113.{n % 4}")).status
        for n in range(24)
    ]
    assert statuses.count(401) == 20 and statuses.count(429) == 4  # five tries per address
    # the admin, from her own address and a browser never used here before, still gets in
    response = await try_sign_in(client, "admin", PASSWORD, "198.51.100.7")
    assert response.status == 303, await response.text()
    assert "Sign out" in await page(client, "/")


async def test_guessing_from_one_address_waits_longer_after_each_failure(
    client: TestClient, aiohttp_client: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    clock = Clock(monkeypatch)
    await member("amina")
    for _ in range(5):
        assert (await try_sign_in(client, "amina", WRONG)).status == 401
    waits = []
    for _ in range(5):
        refused = await try_sign_in(client, "amina", PASSWORD)  # even the right password waits
        assert refused.status == 429 and "Too many attempts" in await refused.text()
        waits.append(int(refused.headers["Retry-After"]))
        clock.advance(waits[-1])
        assert (await try_sign_in(client, "amina", WRONG)).status == 401
    assert waits == [2, 4, 8, 16, 32]
    clock.advance(10_000)  # capped, and forgotten after an hour's quiet
    assert (await try_sign_in(client, "amina", PASSWORD)).status == 303


async def test_the_delay_grows_to_fifteen_minutes_at_most(
    client: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    clock = Clock(monkeypatch)
    delay = GrowingDelay(free=5, first=2.0, longest=900.0, forget_after=3600.0)
    for _ in range(200):  # no overflow however many failures pile up
        await delay.record("k")
        clock.advance(1)
    assert await delay.retry_after("k") == 899
    clock.advance(899)
    assert await delay.retry_after("k") == 0


async def test_requests_sent_together_cannot_slip_past_the_delay(client: TestClient) -> None:
    import asyncio

    await member("amina")
    token = csrf_in(await page(client, "/sign-in"))
    form = {"csrf_token": token, "handle": "amina", "password": WRONG}
    answers = await asyncio.gather(
        *(client.post("/sign-in", data=form, allow_redirects=False) for _ in range(12))
    )
    assert sorted(answer.status for answer in answers) == [401] * 5 + [429] * 7


async def test_past_the_handles_ceiling_only_a_known_device_signs_in(
    client: TestClient, aiohttp_client: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    Clock(monkeypatch)
    # 100 in production: the test stays short
    client.server.app[SIGN_IN_LIMITS].per_handle = RateLimit(limit=12, window=3600)
    await member("admin", AccessRole.ADMIN)
    await member("bob")
    await sign_in_as(client, "admin")  # this browser becomes a known device for admin
    assert DEVICE_COOKIE in {cookie.key for cookie in client.session.cookie_jar}
    await submit(client, "/sign-out", {}, token_from="/")
    bobs_browser = await stranger(client, aiohttp_client)
    await sign_in_as(bobs_browser, "bob")  # known for bob, not for admin
    await submit(bobs_browser, "/sign-out", {}, token_from="/")
    attacker = await stranger(client, aiohttp_client)
    for n in range(12):
        assert (await try_sign_in(attacker, "admin", WRONG, f"203.0.113.{n}")).status == 401
    new_device = await stranger(client, aiohttp_client)
    refused = await try_sign_in(new_device, "admin", PASSWORD, "198.51.100.7")
    assert refused.status == 429
    assert (await try_sign_in(bobs_browser, "admin", PASSWORD, "198.51.100.8")).status == 429
    forged = await stranger(client, aiohttp_client)
    forged.session.cookie_jar.update_cookies({DEVICE_COOKIE: "1.0123456789abcdef0123456789abcdef"})
    assert (await try_sign_in(forged, "admin", PASSWORD, "198.51.100.9")).status == 429
    # the admin's own browser, from anywhere, gets through
    response = await try_sign_in(client, "admin", PASSWORD, "198.51.100.10")
    assert response.status == 303, await response.text()
    assert "Sign out" in await page(client, "/")


async def test_a_known_device_gains_no_fresh_tries_by_moving_address(
    client: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    Clock(monkeypatch)
    await member("amina")
    await sign_in_as(client, "amina")
    await submit(client, "/sign-out", {}, token_from="/")
    for n in range(5):
        assert (await try_sign_in(client, "amina", WRONG, f"203.0.113.{n}")).status == 401
    assert (await try_sign_in(client, "amina", WRONG, "198.51.100.1")).status == 429


async def test_a_new_password_retires_the_known_device_marks(
    client: TestClient, aiohttp_client: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    Clock(monkeypatch)
    client.server.app[SIGN_IN_LIMITS].per_handle = RateLimit(limit=3, window=3600)
    await member("amina")
    old_browser = await stranger(client, aiohttp_client)
    await sign_in_as(old_browser, "amina")
    await submit(old_browser, "/sign-out", {}, token_from="/")
    await sign_in_as(client, "amina")
    new = "another long password"
    fields = {"current": PASSWORD, "new": new, "confirm": new}
    assert (await submit(client, "/settings/password", fields)).status == 303
    await submit(client, "/sign-out", {}, token_from="/")
    attacker = await stranger(client, aiohttp_client)
    for n in range(3):
        assert (await try_sign_in(attacker, "amina", WRONG, f"203.0.113.{n}")).status == 401
    # the browser known under the old password is a stranger now; the one that changed it not
    assert (await try_sign_in(old_browser, "amina", new, "198.51.100.1")).status == 429
    assert (await try_sign_in(client, "amina", new, "198.51.100.2")).status == 303


async def test_change_password_is_rate_limited_like_sign_in(
    client: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    Clock(monkeypatch)
    account = await member("amina")
    await sign_in_as(client, "amina")
    new = "a brand new password"
    guess = {"current": WRONG, "new": new, "confirm": new}
    for _ in range(5):
        response = await submit(client, "/settings/password", guess)
        assert response.status == 400 and "not your current password" in await response.text()
    right = {"current": PASSWORD, "new": new, "confirm": new}
    refused = await submit(client, "/settings/password", right)
    assert refused.status == 429 and int(refused.headers["Retry-After"]) > 0
    stored = await Account.get(id=account.id)
    assert password_matches(stored.password_hash, PASSWORD)  # unchanged
    assert stored.session_epoch == account.session_epoch
    # and the same counter slows signing in from this browser and address
    await submit(client, "/sign-out", {}, token_from="/")
    assert (await try_sign_in(client, "amina", PASSWORD, "127.0.0.1")).status == 429
