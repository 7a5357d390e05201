"""A bare inbox for bench/inbox.py: the same HTTP stack and checks as the node, no database.

It reads the body, parses it, validates it against the schemas and verifies its signature with
the sender's key given on the command line, then answers 202 and forgets it. Its rate is the
bound the durable inbox is compared with.

Run by bench/inbox.py: python bench/bare_inbox.py PORT PUBLIC_BASE KEY_ID OWNER PEM_FILE
"""

from __future__ import annotations

import sys
from pathlib import Path

from aiohttp import web

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import schemas
from federation.inbox import parse_activity, read_body
from federation.signatures import ResolvedKey, verify_request


def bare_app(public_base: str, key: ResolvedKey) -> web.Application:
    """An application whose only route checks an inbox POST like the node does."""

    async def resolve(key_id: str, *, refresh: bool) -> ResolvedKey:
        return key

    async def inbox(request: web.Request) -> web.Response:
        body = await read_body(request)
        activity = parse_activity(body)
        schemas.validate("activity", activity)
        schemas.validate(str(activity["type"]).lower(), activity)
        url = public_base + str(request.rel_url)
        await verify_request(request.method, url, request.headers, body, resolve)
        return web.Response(status=202)

    async def healthz(_: web.Request) -> web.Response:
        return web.json_response({"status": "ok"})

    app = web.Application()
    app.router.add_post("/inbox", inbox)
    app.router.add_get("/healthz", healthz)
    return app


if __name__ == "__main__":
    port, public_base, key_id, owner, pem_file = sys.argv[1:6]
    key = ResolvedKey(key_id, owner, Path(pem_file).read_text(encoding="utf-8"))
    web.run_app(
        bare_app(public_base, key), host="127.0.0.1", port=int(port), access_log=None, print=None
    )
