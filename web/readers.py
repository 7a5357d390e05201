"""Who reads a page, in the terms of node.services.visibility."""

from __future__ import annotations

from aiohttp import web

from node.services.visibility import NOBODY, Reader
from web.viewer import Viewer, current_viewer


def reader_for(viewer: Viewer | None) -> Reader:
    """The Reader for a signed-in member, or NOBODY for a visitor."""
    if viewer is None:
        return NOBODY
    return Reader(viewer.actor_id, viewer.actor_uri, viewer.is_moderator, viewer.moderates)


async def request_reader(request: web.Request) -> Reader:
    """The Reader for whoever is signed in on `request`."""
    return reader_for(await current_viewer(request))
