"""Every route, walked as a visitor, a member, a moderator and a suspended member with the ids
and URIs of private objects: no response shows what they may not see, and none is a 5xx.

The routes come from the application's router, so a route added later is walked too.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from itertools import product

import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient

from node.models import Account, AccountStatus, Object
from node.services.tokens import create_token
from tests.support.api import AS2, BASE
from tests.support.pages import csrf_in, member, page, sign_in_as
from tests.support.private_objects import HIDDEN, MARKERS, seed_private_objects

NOT_WALKED = {("POST", "/sign-out")}  # it would end the session the walk goes on with
ALTERNATIVES = re.compile(r"\(\?P<(\w+)>([\w|]+)\)")


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


def routes(app: web.Application) -> Iterator[tuple[str, web.AbstractResource]]:
    """(method, resource) of every GET and POST route but the static files."""
    for route in app.router.routes():
        if route.method in ("GET", "POST") and not isinstance(route.resource, web.StaticResource):
            assert route.resource is not None
            yield route.method, route.resource


def paths(resource: web.AbstractResource, values: dict[str, list[str]]) -> list[str]:
    """The resource's URL with each combination of the values for its placeholders."""
    info = resource.get_info()
    if "path" in info:
        return [str(info["path"])]
    pattern = info["pattern"].pattern
    names = re.findall(r"\(\?P<(\w+)>", pattern)
    choices = {name: values.get(name, values["key"]) for name in names}
    choices.update({name: alts.split("|") for name, alts in ALTERNATIVES.findall(pattern)})
    return [
        str(info["formatter"]).format(**dict(zip(names, combination, strict=True)))
        for combination in product(*(choices[name] for name in names))
    ]


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

    object_ids = [
        str(row)
        for row in await Object.filter(uri__in=list(seeded.uris.values())).values_list(
            "id", flat=True
        )
    ]
    # each private object, then the public proposal whose thread they are in
    for uri in [*seeded.uris.values(), seeded.proposal]:
        values = {
            "key": [uri.removeprefix(f"{BASE}/objects/")],
            "handle": [
                "alice",
                "bob",
                "carol",
                "dana",
                "testorg",
                *([role.handle] if role.handle else []),
            ],
            "id": object_ids,
        }
        activity_keys = [a.removeprefix(f"{BASE}/activities/") for a in seeded.activity_uris]
        query = {"uri": uri, "to": uri, "id": uri, "page": "1"}
        for method, resource in routes(client.app):
            route_values = (
                {**values, "key": activity_keys}
                if "/activities/" in str(resource.canonical)
                else values
            )
            for path in paths(resource, route_values):
                if (method, resource.canonical) in NOT_WALKED:
                    continue
                if method == "GET":
                    for accept in ("text/html", AS2):
                        for auth in auths(path):
                            response = await client.get(
                                path,
                                params=query,
                                headers={"Accept": accept, **auth},
                                allow_redirects=False,
                            )
                            check(
                                method,
                                path,
                                response.status,
                                await response.text(),
                                response.headers.get("Location", ""),
                            )
                else:
                    response = await client.post(
                        path, data=form_for(uri, csrf), allow_redirects=False
                    )
                    check(
                        method,
                        path,
                        response.status,
                        await response.text(),
                        response.headers.get("Location", ""),
                    )
                    if token and (path == "/proxy" or path.startswith("/actors/")):
                        response = await client.post(
                            path,
                            data={"id": uri},
                            headers={"Authorization": f"Bearer {token}"},
                            allow_redirects=False,
                        )
                        check(
                            method,
                            path,
                            response.status,
                            await response.text(),
                            response.headers.get("Location", ""),
                        )
    assert not leaks, "\n".join(sorted(set(leaks)))
