"""A remote proposal's home node as far as its figures go (likes, shares, replies, context,
endorsements, a question's results), served over real HTTP on loopback and counting requests."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from aiohttp import web
from aiohttp.test_utils import TestServer

from node.models import Proposal
from node.services import remote_objects
from node.services.remote_actors import save_actor

AS2 = "application/activity+json"
PUBLIC = "https://www.w3.org/ns/activitystreams#Public"
ENDORSED = {"organisations": 1, "practitioner": 2, "service_user": 0, "staff": 0,
            "members_other": 3, "public": 4, "total": 10}  # fmt: skip


class Home:
    """The proposal's home node as far as its figures go: real HTTP on loopback, counting the
    requests it answers, failing them all while `failing` is set."""

    def __init__(self) -> None:
        self.requests: list[str] = []
        self.failing = False
        self.replies = 2
        self.base = ""

    def app(self) -> web.Application:
        app = web.Application()
        app.router.add_get("/objects/p/{name:likes|shares|replies}", self.collection)
        app.router.add_get("/contexts/p", self.collection)
        app.router.add_get("/objects/p/endorsements", self.endorsements)
        app.router.add_get("/objects/q/results", self.results)
        return app

    def answered(self, request: web.Request) -> None:
        self.requests.append(request.path)
        if self.failing:
            raise web.HTTPInternalServerError(text="down for maintenance")

    async def collection(self, request: web.Request) -> web.Response:
        self.answered(request)
        totals = {"likes": 7, "shares": 1, "replies": self.replies}
        total = totals.get(request.match_info.get("name", ""), 12)
        document = {"id": f"{self.base}{request.path}", "type": "OrderedCollection",
                    "totalItems": total}  # fmt: skip
        return web.json_response(document, content_type=AS2)

    async def endorsements(self, request: web.Request) -> web.Response:
        self.answered(request)
        return web.json_response(ENDORSED)

    async def results(self, request: web.Request) -> web.Response:
        self.answered(request)
        return web.json_response(
            {"question": f"{self.base}/objects/q", "votersCount": 5, "closed": False,
             "options": [{"name": "Yes", "votes": 3}, {"name": "No", "votes": 2}]}
        )  # fmt: skip


async def hold_remote_proposal(
    aiohttp_server: Callable[..., Awaitable[TestServer]],
) -> tuple[Home, int, str]:
    """Serve a home node and hold its proposal (and a question in its thread): (home, the
    proposal's row id, its URI)."""
    home = Home()
    server = await aiohttp_server(home.app())
    home.base = str(server.make_url("")).rstrip("/")
    author = await save_actor(
        {"id": f"{home.base}/actors/alice", "type": "Person", "preferredUsername": "alice",
         "inbox": f"{home.base}/actors/alice/inbox"}
    )  # fmt: skip
    uri = f"{home.base}/objects/p"
    await remote_objects.store_object(
        {"id": uri, "type": "Article", "attributedTo": author.uri, "name": "Open on Sundays",
         "content": "<p>Open it.</p>", "to": [PUBLIC], "context": f"{home.base}/contexts/p",
         "likes": f"{uri}/likes", "shares": f"{uri}/shares", "replies": f"{uri}/replies",
         "proposalStatus": "open", "version": 1, "sections": [],
         "acceptedAmendments": [f"{home.base}/objects/a1"]},
        author,
    )  # fmt: skip
    await remote_objects.store_object(
        {"id": f"{home.base}/objects/q", "type": "Question", "attributedTo": author.uri,
         "name": "Sundays?", "content": "Sundays?", "to": [PUBLIC], "inReplyTo": uri,
         "context": f"{home.base}/contexts/p",
         "oneOf": [{"type": "Note", "name": "Yes"}, {"type": "Note", "name": "No"}]},
        author,
    )  # fmt: skip
    proposal = await Proposal.get(object__uri=uri)
    return home, proposal.id, uri
