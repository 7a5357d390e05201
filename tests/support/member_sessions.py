"""A signed-in member's browser session on a running node: reading pages and posting their
forms with the page's CSRF token (flow tests that walk the pages over real HTTP)."""

from __future__ import annotations

import html

import aiohttp

from tests.support.nodes import RunningNode
from tests.support.pages import CSRF_INPUT, PASSWORD


class MemberSession:
    """A member's session on `node`, its cookies kept; close it with `close()`."""

    def __init__(self, node: RunningNode) -> None:
        self.node = node
        self.session = aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True))

    async def get(self, path: str) -> str:
        """The page at `path` (which must answer 200), its entities unescaped."""
        async with self.session.get(f"{self.node.base}{path}") as response:
            assert response.status == 200, (path, response.status)
            return html.unescape(await response.text())

    async def submit(
        self, form_page: str, action: str, fields: dict[str, str]
    ) -> tuple[int, str, str]:
        """POST `fields` to `action` with the CSRF token of `form_page`: the status, where it
        sends us and the page."""
        found = CSRF_INPUT.search(await self.get(form_page))
        assert found, f"{form_page} has no form"
        data = {"csrf_token": found.group(1), **fields}
        async with self.session.post(
            f"{self.node.base}{action}", data=data, allow_redirects=False
        ) as response:
            text = html.unescape(await response.text())
            return response.status, response.headers.get("Location", ""), text

    async def post(self, form_page: str, action: str, fields: dict[str, str]) -> str:
        """A form that works: where it sent us."""
        status, location, text = await self.submit(form_page, action, fields)
        assert status in (302, 303), (action, status, text[:3000])
        return location

    async def sign_in(self, handle: str, password: str = PASSWORD) -> None:
        await self.post("/sign-in", "/sign-in", {"handle": handle, "password": password})

    async def close(self) -> None:
        await self.session.close()
