"""Discovery endpoints: WebFinger, host-meta and NodeInfo."""

from __future__ import annotations

import json
from importlib.metadata import version

from aiohttp import web

from federation.nodeinfo import CONTENT_TYPE_21, Usage, discovery_document, nodeinfo_document
from federation.webfinger import (
    JRD_CONTENT_TYPE,
    AcctResource,
    MalformedResource,
    actor_jrd,
    host_meta_xml,
    only_rels,
    parse_resource,
)
from node.appkeys import URLS
from node.services import organisations, stats
from node.services.actor_views import local_actor_view

CORS = {"Access-Control-Allow-Origin": "*"}


async def webfinger(request: web.Request) -> web.Response:
    """Answer `resource=acct:handle@host` or an actor's URL with its JRD (RFC 7033): 400 for a
    missing resource or one without a scheme, 404 for anything else not an account here."""
    urls = request.app[URLS]
    try:
        resource = parse_resource(request.query.get("resource"))
    except MalformedResource as error:
        return _json_error(400, str(error))
    if isinstance(resource, AcctResource):
        handle = resource.user if urls.is_own_host(resource.host) else None
    else:
        handle = urls.handle_of(resource)
    actor = await local_actor_view(handle) if handle else None
    if actor is None:
        return _json_error(404, "no such account on this server")
    document = only_rels(
        actor_jrd(
            actor.handle,
            urls.host,
            actor.uri,
            actor.url,
            f"{urls.base}/authorize_interaction?uri={{uri}}",
        ),
        request.query.getall("rel", []),
    )
    return web.json_response(document, content_type=JRD_CONTENT_TYPE, headers=CORS)


async def host_meta(request: web.Request) -> web.Response:
    """The host-meta XRD pointing at WebFinger."""
    body = host_meta_xml(request.app[URLS].base)
    return web.Response(text=body, content_type="application/xrd+xml", headers=CORS)


async def nodeinfo_links(request: web.Request) -> web.Response:
    """The NodeInfo discovery document."""
    document = discovery_document(f"{request.app[URLS].base}/nodeinfo/2.1")
    return web.json_response(document, headers=CORS)


async def nodeinfo(request: web.Request) -> web.Response:
    """The NodeInfo 2.1 document."""
    counts = await stats.usage_counts()
    urls = request.app[URLS]
    document = nodeinfo_document(
        software="townhall",
        version=version("townhall"),
        repository="https://codeberg.org/townhall/townhall",
        homepage=urls.base,
        open_registrations=False,
        usage=Usage(
            users_total=counts.members,
            users_active_month=counts.active_month,
            users_active_halfyear=counts.active_halfyear,
            local_posts=counts.local_posts,
            local_comments=counts.local_comments,
        ),
        metadata={
            "nodeName": counts.organisation_name,
            # every organisation this node hosts (an umbrella body's node hosts several)
            "organisations": [
                {"handle": f"@{hosted.handle}@{urls.host}", "name": hosted.name, "id": hosted.uri}
                for hosted in await organisations.hosted_organisations()
                if not hosted.suspended
            ],
        },
    )
    # bytes, so that aiohttp sends the header as written: given text it rebuilds the header
    # and drops the quotes the profile's URL needs (RFC 9110 §5.6.6)
    return web.Response(
        body=json.dumps(document).encode(), headers={**CORS, "Content-Type": CONTENT_TYPE_21}
    )


def _json_error(status: int, message: str) -> web.Response:
    return web.json_response({"error": message}, status=status, headers=CORS)
