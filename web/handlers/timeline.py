"""A member's timeline: what the actors it follows publish, optionally one hashtag only."""

from __future__ import annotations

from urllib.parse import quote

from aiohttp import web

from node.appkeys import URLS
from node.proposal_documents import clean_hashtag
from node.services import collections
from node.services.errors import ServiceError
from web.auth import owned_actor
from web.negotiate import activity_json_response


async def get_timeline(request: web.Request) -> web.StreamResponse:
    """GET /actors/{handle}/timeline[?tag=NAME] with the actor's token: objects, newest first."""
    actor = await owned_actor(request)
    tag = _tag(request.query.get("tag"))
    timeline = request.app[URLS].actor_part(actor.handle, "timeline")
    collection_id = f"{timeline}?tag={quote(tag)}" if tag else timeline
    query = collections.CollectionQuery(
        collection_id, collections.parse_page(request.query.get("page"))
    )
    return activity_json_response(await collections.timeline(actor.actor_id, query, tag))


def _tag(value: str | None) -> str:
    """The hashtag asked for, as stored (no '#', lower case); '' for none."""
    if value is None:
        return ""
    tag = clean_hashtag(value)
    if not tag:
        raise ServiceError(f"tag {value!r} is not a hashtag: use letters, digits or underscores")
    return tag
