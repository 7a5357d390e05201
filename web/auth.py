"""Bearer-token authentication for the client API."""

from __future__ import annotations

from aiohttp import web

from node.services.actors import get_local_actor
from node.services.members import Account, Actor
from node.services.tokens import account_for_token

CHALLENGE = {"WWW-Authenticate": 'Bearer realm="townhall"'}


async def token_account(request: web.Request) -> Account:
    """The account whose bearer token the request carries; 401 without a valid one."""
    scheme, _, token = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise web.HTTPUnauthorized(text="a bearer token is required", headers=CHALLENGE)
    account = await account_for_token(
        token.strip(), record_use=request.method not in ("GET", "HEAD")
    )
    if account is None:
        raise web.HTTPUnauthorized(text="the bearer token is not valid", headers=CHALLENGE)
    return account


async def owned_actor(request: web.Request) -> Actor:
    """The actor named in the URL, if the request's token belongs to it (else 401/403/404)."""
    account = await token_account(request)
    actor = await get_local_actor(request.match_info["handle"])
    if actor is None:
        raise web.HTTPNotFound(text="no such actor")
    if account.actor.id != actor.id:
        raise web.HTTPForbidden(text="this token belongs to another actor")
    return actor
