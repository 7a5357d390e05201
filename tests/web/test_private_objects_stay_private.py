"""Every route, walked as a visitor, a member, a moderator and a suspended member with the ids
and URIs of private objects: no response shows what they may not see, and none is a 5xx.

The routes come from the application's router, so a route added later is walked too.
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass

import pytest
from aiohttp import ClientResponse
from aiohttp.test_utils import TestClient

from node.models import Account, AccountStatus, Object
from node.services.tokens import create_token
from tests.support.api import AS2, BASE
from tests.support.pages import csrf_in, member, page, sign_in_as
from tests.support.private_objects import HIDDEN, MARKERS, seed_private_objects
from tests.support.routes import paths, routes

NOT_WALKED = {("POST", "/sign-out")}  # it would end the session the walk goes on with


@dataclass(frozen=True)
class Role:
    name: str
    handle: str | None  # None: a visitor
    may_see: frozenset[str] = frozenset()


ROLES = [
    Role("visitor", None),
    Role("member", "dana"),
    Role("moderator", "mod", frozenset({HIDDEN})),
    Role("suspended member", "sam"),
]


async def readable(response: ClientResponse) -> str:
    """The response as text to search: a zip (a member's own data) with every file unpacked."""
    body = await response.read()
    if response.content_type == "application/zip":
        with zipfile.ZipFile(io.BytesIO(body)) as archive:
            return "\n".join(
                archive.read(name).decode("utf-8", "replace") for name in archive.namelist()
            )
    return body.decode("utf-8", "replace")


def form_for(uri: str, token: str) -> dict[str, str]:
    """A form naming the private object in every field a form of ours takes an object in."""
    fields = ("id", "uri", "to", "in_reply_to", "object", "handle", "target")
    return {
        "csrf_token": token,
        **dict.fromkeys(fields, uri),
        "reason": "r",
        "content": "c",
        "action": "endorse",
        "decision": "reject",
        "section": "problem",
        "text": "t",
        "choice": "yes",
    }


async def signed_in_role(client: TestClient, role: Role) -> str:
    """Sign the role in; the CSRF token its forms carry."""
    if role.handle is None:
        return csrf_in(await page(client, "/sign-in"))
    if role.handle == "sam":
        await member("sam")
    await sign_in_as(client, role.handle)
    if role.handle == "sam":
        await Account.filter(actor__handle="sam").update(status=AccountStatus.SUSPENDED)
        return csrf_in(await page(client, "/sign-in"))
    return csrf_in(await page(client, "/"))


@pytest.mark.parametrize("role", ROLES, ids=[role.name for role in ROLES])
async def test_private_objects_stay_private_on_every_route(client: TestClient, role: Role) -> None:
    seeded = await seed_private_objects(client)
    csrf = await signed_in_role(client, role)
    token = await create_token(role.handle) if role.handle else ""
    forbidden = [marker for marker in MARKERS if marker not in role.may_see]
    leaks: list[str] = []

    def auths(path: str) -> list[dict[str, str]]:
        """Cookies alone; for the client API's URLs, the role's own bearer token too."""
        if token and path.startswith("/actors/"):
            return [{}, {"Authorization": f"Bearer {token}"}]
        return [{}]

    def check(method: str, path: str, status: int, text: str, location: str) -> None:
        if status >= 500:
            leaks.append(f"{method} {path}: {status}")
        for marker in forbidden:
            if marker in text or marker in location:
                leaks.append(f"{method} {path}: shows {marker} ({status})")

    async def walk(method: str, path: str, uri: str) -> None:
        """One route with one object: as a page and as ActivityStreams, or as a form."""
        query = {"uri": uri, "to": uri, "id": uri, "page": "1"}
        if method == "GET":
            asked = [
                {"Accept": kind, **auth} for kind in ("text/html", AS2) for auth in auths(path)
            ]
            responses = [
                await client.get(path, params=query, headers=one, allow_redirects=False)
                for one in asked
            ]
        else:
            responses = [await client.post(path, data=form_for(uri, csrf), allow_redirects=False)]
            if token and (path == "/proxy" or path.startswith("/actors/")):
                bearer = {"Authorization": f"Bearer {token}"}
                responses.append(
                    await client.post(path, data={"id": uri}, headers=bearer, allow_redirects=False)
                )
        for response in responses:
            location = response.headers.get("Location", "")
            check(method, path, response.status, await readable(response), location)

    ids = await Object.filter(uri__in=list(seeded.uris.values())).values_list("id", flat=True)
    handles = ["alice", "bob", "testorg", *([role.handle] if role.handle else [])]
    activity_keys = [uri.removeprefix(f"{BASE}/activities/") for uri in seeded.activity_uris]
    # each private object, then the public proposal whose thread they are in
    targets = [*seeded.uris.values(), seeded.proposal]
    walked: set[tuple[str, str]] = set()
    for uri in targets:
        values = {"key": [seeded.key_of(uri)], "handle": handles, "id": [str(i) for i in ids]}
        for method, resource in routes(client.app):
            if (method, resource.canonical) in NOT_WALKED:
                continue
            if "/activities/" in resource.canonical and uri != targets[0]:
                continue  # the activities are walked once, with the first object's query
            in_path = (
                {**values, "key": activity_keys} if "/activities/" in resource.canonical else values
            )
            for path in paths(resource, in_path):
                takes_object = "{key}" in resource.canonical or "{id}" in resource.canonical
                if not takes_object and method == "GET" and (method, path) in walked:
                    continue  # a page naming no object is walked with one object's query
                walked.add((method, path))
                await walk(method, path, uri)
    assert not leaks, "\n".join(sorted(set(leaks)))
