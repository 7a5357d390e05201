"""The node's HTML pages from in-process tests: members with passwords, forms with CSRF tokens."""

from __future__ import annotations

import re
from typing import Any

from aiohttp.test_utils import TestClient

from node.models import AccessRole, Account
from node.services.members import add_member
from node.urls import NodeUrls
from tests.support.api import BASE

PASSWORD = "correct horse battery"
CSRF_INPUT = re.compile(r'name="csrf_token" value="([^"]+)"')


async def member(
    handle: str, role: AccessRole = AccessRole.MEMBER, password: str = PASSWORD, **fields: Any
) -> Account:
    """A member who can sign in with `password`."""
    return await add_member(NodeUrls(BASE), handle, access_role=role, password=password, **fields)


def csrf_in(html: str) -> str:
    """The CSRF token of the first form on a page."""
    found = CSRF_INPUT.search(html)
    assert found, "the page has no form with a CSRF token"
    return found.group(1)


async def page(client: TestClient, path: str, status: int = 200) -> str:
    """GET a page as a browser would and insist on `status`."""
    response = await client.get(path, headers={"Accept": "text/html"}, allow_redirects=False)
    text = await response.text()
    assert response.status == status, (response.status, text[:2000])
    return text


async def submit(
    client: TestClient, path: str, fields: dict[str, Any], *, token_from: str | None = None
) -> Any:
    """POST a form with the CSRF token of the page at `token_from` (default `path`)."""
    token = csrf_in(await page(client, token_from or path))
    return await client.post(path, data={"csrf_token": token, **fields}, allow_redirects=False)


async def sign_in_as(client: TestClient, handle: str, password: str = PASSWORD) -> None:
    """Sign `client` in (its cookie jar keeps the session)."""
    response = await submit(client, "/sign-in", {"handle": handle, "password": password})
    assert response.status == 303, await response.text()
