"""The inboxes' POST: handed to the pipeline the composition root wires at start-up."""

from __future__ import annotations

from aiohttp import web

from node.appkeys import INBOX_HANDLER


async def post_inbox(request: web.Request) -> web.StreamResponse:
    """Receive an activity (signature, schema and storage are `federation.inbox`'s job)."""
    return await request.app[INBOX_HANDLER](request)
