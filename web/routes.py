"""The node's URL map: every route in one place."""

from __future__ import annotations

from pathlib import Path

from aiohttp import web

from web.handlers import (
    actors,
    admin_pages,
    api,
    browse,
    join,
    member_pages,
    objects,
    pages,
    password_reset,
    sign_in,
    timeline,
    wellknown,
)

STATIC_DIR = Path(__file__).parent / "static"


def setup_routes(app: web.Application) -> None:
    """Mount the pages, the discovery endpoints and the actor URLs."""
    app.router.add_get("/", pages.home, name="home")
    app.router.add_get("/healthz", pages.healthz, name="healthz")
    app.router.add_get("/.well-known/webfinger", wellknown.webfinger, name="webfinger")
    app.router.add_get("/.well-known/host-meta", wellknown.host_meta, name="host_meta")
    app.router.add_get("/.well-known/nodeinfo", wellknown.nodeinfo_links, name="nodeinfo_links")
    app.router.add_get("/nodeinfo/2.1", wellknown.nodeinfo, name="nodeinfo")
    app.router.add_get("/actors/{handle}", actors.actor, name="actor")
    app.router.add_get("/actors/{handle}/inbox", api.get_inbox, name="actor_inbox_get")
    app.router.add_post("/actors/{handle}/outbox", api.post_outbox, name="actor_outbox_post")
    app.router.add_get("/actors/{handle}/timeline", timeline.get_timeline, name="actor_timeline")
    app.router.add_get(
        "/actors/{handle}/{collection:outbox|followers|following}",
        objects.actor_collection,
        name="actor_collection",
    )
    app.router.add_post("/proxy", api.proxy, name="proxy")
    app.router.add_get("/objects/{key}", objects.local_object, name="object")
    app.router.add_get(
        "/objects/{key}/{collection:likes|shares|replies|history}",
        objects.object_collection,
        name="object_collection",
    )
    app.router.add_get(
        "/objects/{key}/endorsements", objects.object_endorsements, name="object_endorsements"
    )
    app.router.add_get("/objects/{key}/results", objects.poll_results, name="poll_results")
    app.router.add_get("/activities/{key}", objects.local_activity, name="activity")
    app.router.add_get("/contexts/{key}", objects.thread_context, name="context")
    for module in (sign_in, password_reset, join, browse, member_pages, admin_pages):
        module.add_routes(app)
    app.router.add_static("/static/", STATIC_DIR, name="static")
