"""Every form route answers junk with a 4xx or a redirect, never a 500 — signed in as an admin."""

from __future__ import annotations

import re

import pytest
from aiohttp.test_utils import TestClient

from node.models import AccessRole
from tests.support.api import post, token_for
from tests.support.pages import csrf_in, member, page, sign_in_as

JUNK_VALUES = ["", "x" * 5000, "<script>alert(1)</script>", "\x00\u202e", "-1", "9" * 30, "@@@"]
FIELDS = [
    "title", "summary", "body", "tags", "closes_on", "action", "status", "content", "in_reply_to",
    "section", "text", "reason", "decision", "choice", "address", "actor", "name", "role",
    "is_pseudonym", "current", "new", "confirm", "handle", "password", "note", "days", "uses",
    "signup_mode", "language", "target", "resolution", "then", "next",
]  # fmt: skip
SKIPPED = {"/sign-out", "/sign-in", "/proxy"}  # these end the session or are not forms


def form_routes(client: TestClient) -> list[str]:
    paths = set()
    for route in client.app.router.routes():
        info = route.resource.get_info() if route.resource else {}
        path = info.get("path") or info.get("formatter")
        if route.method == "POST" and path and "inbox" not in path and "outbox" not in path:
            paths.add(path)
    return sorted(paths - SKIPPED)


@pytest.mark.parametrize("junk", JUNK_VALUES)
async def test_junk_in_every_form_is_refused_cleanly(client: TestClient, junk: str) -> None:
    token = await token_for("alice")
    article = await post(client, "alice", token, {"type": "Article", "name": "P", "summary": "S"})
    key = article["object"]["id"].rsplit("/", 1)[1]
    await member("ada", AccessRole.ADMIN)
    await sign_in_as(client, "ada")
    for path in form_routes(client):
        concrete = re.sub(r"\{key[^}]*\}", key, path)
        concrete = re.sub(r"\{handle[^}]*\}", "alice", concrete)
        concrete = re.sub(r"\{id[^}]*\}", "1", concrete)
        concrete = re.sub(r"\{code[^}]*\}", "nope", concrete)
        token_value = csrf_in(await page(client, "/admin/invites"))
        response = await client.post(
            concrete,
            data={"csrf_token": token_value, **dict.fromkeys(FIELDS, junk)},
            allow_redirects=False,
        )
        assert response.status < 500, (concrete, junk, (await response.text())[:500])
    for query in ("q", "tag", "status", "org", "page"):
        response = await client.get(f"/proposals?{query}={junk}", allow_redirects=False)
        assert response.status < 500, (query, junk)
