"""Objects, activities and collections: ActivityStreams for servers, pages for people."""

from __future__ import annotations

import json
from typing import Any

import aiohttp_jinja2
from aiohttp import web
from aiohttp_jinja2 import REQUEST_CONTEXT_KEY

from node.appkeys import URLS
from node.i18n import current_language
from node.i18n import gettext_ as _
from node.local_time import current_zone
from node.sections import SECTION_TITLES
from node.services import collections, endorsements, poll_tally
from node.services.actor_views import local_actor_view, thread_organisation_view
from node.services.discussion import DiscussedObject
from node.services.held_replies import proposal_rule
from node.services.moderation_scope import covers_thread
from node.services.phase_forms import phase_actions
from node.services.privacy_settings import asks_noindex
from node.services.proposal_form import may_edit
from node.services.proposal_page import load_proposal_page
from node.services.proposal_shown import ShownThread
from node.services.remote_pages import remote_page_object, thread_home
from node.services.served_objects import (
    ServedObject,
    collection_of_object,
    is_proposal,
    may_answer_on_page,
    served_object,
    thread_proposal,
)
from node.services.statement_view import statements_section
from node.services.visibility import NOBODY, Seen, shown_activity
from web.forms import path_id
from web.fragment_cache import fragment_key
from web.handlers.interaction import remembered_handle
from web.negotiate import activity_json_response, wants_activity_json
from web.object_paths import object_path
from web.readers import reader_for
from web.reply_rules import reply_rule_choices
from web.robots import ask_no_index
from web.viewer import Viewer, current_viewer


def own_comments_of(viewer: Viewer | None, thread: ShownThread) -> int | None:
    """Whose Edit and Delete links a cached discussion holds: the viewer's, when they wrote
    in it (a discussion without their comments is the same for every member)."""
    if viewer is None or viewer.actor_id not in thread.author_ids():
        return None
    return viewer.actor_id


ACTOR_COLLECTIONS = {
    "outbox": collections.outbox,
    "followers": collections.followers,
    "following": collections.following,
}


async def local_object(request: web.Request) -> web.StreamResponse:
    """GET /objects/{key}: the object to whoever may see it, 410 with a Tombstone once deleted."""
    urls = request.app[URLS]
    wants_json = wants_activity_json(request)
    viewer = None if wants_json else await current_viewer(request)
    served = await served_object(urls.object(request.match_info["key"]), reader_for(viewer))
    if served is None:
        raise web.HTTPNotFound(text=_("There is nothing here (or it is not public)."))
    if served.seen is Seen.GONE:
        return _gone(served, wants_json)
    if wants_json:
        return activity_json_response(served.document)
    response = await _object_page(request, served.view, viewer)
    response.headers["Vary"] = "Accept"
    return response


async def remote_object(request: web.Request) -> web.StreamResponse:
    """GET /remote/objects/{id}: a proposal of another node held here, shown like ours from
    what is stored (never fetched while the page is read); a comment in its thread is shown
    in its place on that page."""
    viewer = await current_viewer(request)
    row = await remote_page_object(path_id(request), reader_for(viewer))
    if row is None:
        raise web.HTTPNotFound(
            text=_("This node holds no proposal or comment from another server with this number.")
        )
    home = await thread_home(row)
    if home.id != row.id:
        raise web.HTTPFound(f"{object_path(request, home)}#c{row.id}")
    return await _object_page(request, row, viewer)


def _gone(served: ServedObject, wants_json: bool) -> web.StreamResponse:
    """410: the Tombstone for servers, a page saying so for people."""
    if wants_json:
        return activity_json_response(served.tombstone, status=410)
    raise web.HTTPGone(text=_("This has been withdrawn or removed."))


async def _public_local_object(request: web.Request) -> ServedObject | None:
    """The local object in the URL as anyone (a visitor) is shown it."""
    return await served_object(request.app[URLS].object(request.match_info["key"]), NOBODY)


async def _object_page(
    request: web.Request, row: DiscussedObject, viewer: Viewer | None
) -> web.Response:
    urls = request.app[URLS]
    context: dict[str, Any] = {
        "object": row,
        "local_key": urls.object_key,
        "page_path": object_path(request, row),
        "object_path": lambda obj: object_path(request, obj),
        "section_titles": SECTION_TITLES,
        "from_key": request.match_info.get("key", ""),  # a local object's: visitors answer it
        "remembered": remembered_handle(request) if viewer is None else "",
        "noindex": row.author.is_local and await asks_noindex(row.author.id),
        # hidden comments and the hide and remove forms: for those who moderate this thread
        "moderating": viewer is not None
        and await covers_thread(viewer.moderation_scope, row.context_uri),
    }
    if row.type == "Article" and await is_proposal(row.id):
        loaded = await load_proposal_page(
            row.uri,
            viewer.actor_id if viewer else None,
            is_moderator=context["moderating"],
        )
        # the proposal in the reader's language, or in the one its link asks for (?lang=cy)
        context["page"] = loaded.read_in(request.query.get("lang") or current_language())
        # another node's amendments are answered there
        context["may_answer"] = (
            viewer is not None
            and row.is_local
            and await may_answer_on_page(viewer.actor_id, context["page"])
        )
        context["may_edit"] = viewer is not None and await may_edit(viewer.actor_id, row.uri)
        if context["may_edit"]:
            context["reply_rules"] = reply_rule_choices()
            context["reply_rule"] = await proposal_rule(row.uri)
        context["statements"] = await statements_section(
            row.uri, viewer.actor_id if viewer else None
        )
        context["phase"] = await phase_actions(viewer.actor_id if viewer else None, row.uri)
        if not context["moderating"]:  # moderators' forms carry their token
            context["discussion_key"] = fragment_key(
                "discussion",
                urls.base,
                context["page_path"],
                viewer is not None,
                own_comments_of(viewer, context["page"].thread),
                request.get(REQUEST_CONTEXT_KEY, {}).get("lang", ""),
                current_zone().key,
                context["page"].comments_changeable,
                context["page"].thread.digest,
            )
        template = "proposal.html"
    else:
        context["proposal"] = await thread_proposal(row.context_uri)
        template = "note.html"
    response = aiohttp_jinja2.render_template(template, request, context)
    return ask_no_index(response) if context["noindex"] else response


async def local_activity(request: web.Request) -> web.StreamResponse:
    """GET /activities/{key}: a public activity as it was sent (a deleted object in it as its
    Tombstone; none about a hidden object)."""
    uri = request.app[URLS].activity(request.match_info["key"])
    document = await shown_activity(uri, NOBODY)
    if document is None:
        raise web.HTTPNotFound(text="no such activity")
    return activity_json_response(document)


async def actor_collection(request: web.Request) -> web.StreamResponse:
    """GET /actors/{handle}/{outbox|followers|following}."""
    handle, name = request.match_info["handle"], request.match_info["collection"]
    actor = await local_actor_view(handle)
    if actor is None or name not in ACTOR_COLLECTIONS:
        raise web.HTTPNotFound(text="no such collection")
    query = _query(request, request.app[URLS].actor_part(handle, name))
    return _collection_response(request, await ACTOR_COLLECTIONS[name](actor.id, query))


async def object_collection(request: web.Request) -> web.StreamResponse:
    """GET /objects/{key}/{likes|shares|replies|history} of an object anyone may see."""
    name = request.match_info["collection"]
    served = await _public_local_object(request)
    if served is None or name not in ("likes", "shares", "replies", "history"):
        raise web.HTTPNotFound(text="no such collection")
    if served.seen is Seen.GONE:
        return _gone(served, wants_json=True)
    query = _query(request, f"{served.view.uri}/{name}")
    document = await collection_of_object(name, served.view, query)
    if document is None:
        raise web.HTTPNotFound(text="only proposals have a history")
    return _collection_response(request, document)


async def object_endorsements(request: web.Request) -> web.StreamResponse:
    """GET /objects/{key}/endorsements: how many endorse the object, by kind of endorser."""
    served = await _public_local_object(request)
    if served is None:
        return web.json_response({"error": "no such object"}, status=404)
    if served.seen is Seen.GONE:
        return web.json_response({"error": "withdrawn by its author"}, status=410)
    counts = await endorsements.endorsement_counts(served.view.uri)
    return web.json_response(counts.as_json())


async def poll_results(request: web.Request) -> web.StreamResponse:
    """GET /objects/{key}/results: a poll's counts per option, voters, and whether it closed."""
    served = await _public_local_object(request)
    results = None
    if served is not None and served.seen is Seen.SHOWN:
        results = await poll_tally.results_json(served.view.id, served.view.uri)
    if results is None:
        raise web.HTTPNotFound(text="no such poll")
    return web.json_response(results)


async def thread_context(request: web.Request) -> web.StreamResponse:
    """GET /contexts/{key}: the thread's collection, kept by its home, the organisation's."""
    urls = request.app[URLS]
    key = request.match_info["key"]
    if await _public_local_object(request) is None:
        raise web.HTTPNotFound(text="no such thread")
    context_uri = urls.context(key)
    document = await collections.context(context_uri, _query(request, context_uri))
    organisation = await thread_organisation_view(context_uri)
    if organisation is not None:
        document["attributedTo"] = organisation.uri
    return _collection_response(request, document)


def _query(request: web.Request, collection_id: str) -> collections.CollectionQuery:
    return collections.CollectionQuery(
        collection_id, collections.parse_page(request.query.get("page"))
    )


def _collection_response(request: web.Request, document: dict[str, Any]) -> web.StreamResponse:
    if wants_activity_json(request) or "json" in request.headers.get("Accept", ""):
        return activity_json_response(document)
    return web.Response(text=json.dumps(document, indent=2), content_type="application/json")
