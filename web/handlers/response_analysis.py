"""Reading the responses: the staff's view of a consultation's comments (filtered by theme, kind
of respondent and server), its themes, and the forms that tag comments and mark quotes.

Only the proposal's author and the moderators: a visitor is sent to sign in, another member gets
a 403 (as for answering amendments). Every form goes back to the view with its filters kept.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any
from urllib.parse import parse_qsl, urlencode

import aiohttp_jinja2
from aiohttp import web

from node.appkeys import URLS
from node.i18n import gettext_ as _
from node.limits import MAX_THEME_NAME
from node.services import response_analysis
from node.services.errors import ServiceError
from node.services.response_view import (
    KINDS,
    NO_FILTERS,
    ResponseFilters,
    load_responses,
    response_filters,
)
from web.forms import form_values, parse_id, path_id
from web.page_context import flash
from web.viewer import Viewer, require_member

FILTER_FIELD = "filters"  # the hidden field that carries the view's filters through a form


def _proposal_uri(request: web.Request) -> str:
    return request.app[URLS].object(request.match_info["key"])


def _view_path(request: web.Request, filters: ResponseFilters = NO_FILTERS) -> str:
    return f"/objects/{request.match_info['key']}/responses" + filters_query(filters)


def filters_query(filters: ResponseFilters) -> str:
    """The query string that selects `filters` ('' for none), starting with '?'."""
    pairs = [
        ("theme", "" if filters.theme is None else str(filters.theme)),
        ("kind", filters.kind),
        ("origin", filters.origin),
        ("quoted", "1" if filters.quoted else ""),
    ]
    kept = [(name, value) for name, value in pairs if value]
    return "?" + urlencode(kept) if kept else ""


def _carried_filters(values: dict[str, str]) -> ResponseFilters:
    """The filters a form carried back (none when what it carried makes no sense)."""
    try:
        return response_filters(dict(parse_qsl(values.get(FILTER_FIELD, "").lstrip("?"))))
    except ServiceError:
        return NO_FILTERS


async def responses_page(request: web.Request) -> web.Response:
    """GET /objects/{key}/responses[?theme=&kind=&origin=&quoted=]: the staff's view."""
    viewer = await require_member(request)
    filters = response_filters(request.query)
    return await _render(request, viewer, filters, {}, {})


async def _render(
    request: web.Request,
    viewer: Viewer,
    filters: ResponseFilters,
    values: dict[str, str],
    errors: dict[str, str],
    status: int = 200,
) -> web.Response:
    view = await load_responses(_proposal_uri(request), viewer.actor_id, filters)
    context: dict[str, Any] = {
        "view": view,
        "values": values,
        "errors": errors,
        "key": request.match_info["key"],
        "kinds": KINDS,
        "carried_query": filters_query(filters),
        "filter_field": FILTER_FIELD,
        "max_theme_name": MAX_THEME_NAME,
        "local_key": request.app[URLS].object_key,
    }
    return aiohttp_jinja2.render_template("responses.html", request, context, status=status)


async def submit_add_theme(request: web.Request) -> web.Response:
    """POST /objects/{key}/themes: a new theme for this consultation."""
    viewer = await require_member(request)
    values = await form_values(request, ("name", FILTER_FIELD))
    filters = _carried_filters(values)
    try:
        theme = await response_analysis.add_theme(
            _proposal_uri(request), viewer.actor_id, values["name"]
        )
    except ServiceError as error:
        if error.status not in (400, 409):
            raise
        return await _render(
            request, viewer, filters, values, {"name": error.translated()}, status=error.status
        )
    await flash(request, _("The theme \u201c%(name)s\u201d is added.") % {"name": theme.name})
    raise web.HTTPSeeOther(_view_path(request, filters) + "#themes")


async def submit_rename_theme(request: web.Request) -> web.Response:
    """POST /objects/{key}/themes/{id}/rename: a theme's new name (its tags stay)."""
    viewer = await require_member(request)
    theme_id = path_id(request)
    values = await form_values(request, ("name", FILTER_FIELD))
    filters = _carried_filters(values)
    try:
        theme = await response_analysis.rename_theme(
            _proposal_uri(request), viewer.actor_id, theme_id, values["name"]
        )
    except ServiceError as error:
        if error.status not in (400, 409):
            raise
        field = f"rename-{theme_id}"
        errors = {field: error.translated()}
        return await _render(
            request, viewer, filters, {field: values["name"]}, errors, status=error.status
        )
    await flash(request, _("The theme is now called \u201c%(name)s\u201d.") % {"name": theme.name})
    raise web.HTTPSeeOther(_view_path(request, filters) + "#themes")


async def submit_remove_theme(request: web.Request) -> web.Response:
    """POST /objects/{key}/themes/{id}/remove: the theme goes, and its tags with it."""
    viewer = await require_member(request)
    theme_id = path_id(request)
    filters = _carried_filters(await form_values(request, (FILTER_FIELD,)))
    theme = await response_analysis.remove_theme(_proposal_uri(request), viewer.actor_id, theme_id)
    if filters.theme == theme.id:
        filters = ResponseFilters(None, filters.kind, filters.origin, filters.quoted)
    await flash(request, _("The theme \u201c%(name)s\u201d is removed.") % {"name": theme.name})
    raise web.HTTPSeeOther(_view_path(request, filters) + "#themes")


async def submit_tag(request: web.Request) -> web.Response:
    """POST /objects/{key}/responses/{id}/themes: tag (action=add) or untag (action=remove)
    the comment `id` with the theme `theme`."""
    viewer = await require_member(request)
    object_id = path_id(request)
    values = await form_values(request, ("theme", "action", FILTER_FIELD))
    theme_id = parse_id(values["theme"].strip(), "theme")
    actions: dict[str, Callable[..., Awaitable[None]]] = {
        "add": response_analysis.tag_response,
        "remove": response_analysis.untag_response,
    }
    if values["action"] not in actions:
        raise web.HTTPBadRequest(text=_("The action must be add or remove."))
    await actions[values["action"]](_proposal_uri(request), viewer.actor_id, object_id, theme_id)
    await flash(
        request,
        _("The comment is tagged.") if values["action"] == "add" else _("The tag is taken off."),
    )
    raise web.HTTPSeeOther(_view_path(request, _carried_filters(values)) + f"#r{object_id}")


async def submit_quote(request: web.Request) -> web.Response:
    """POST /objects/{key}/responses/{id}/quote: mark (action=mark) the comment `id` to be
    quoted in the report, or stop quoting it (action=unmark)."""
    viewer = await require_member(request)
    object_id = path_id(request)
    values = await form_values(request, ("action", FILTER_FIELD))
    uri = _proposal_uri(request)
    if values["action"] == "mark":
        await response_analysis.mark_quote(uri, viewer.actor_id, object_id)
        await flash(request, _("The comment will be quoted in the report."))
    elif values["action"] == "unmark":
        await response_analysis.unmark_quote(uri, viewer.actor_id, object_id)
        await flash(request, _("The comment will not be quoted."))
    else:
        raise web.HTTPBadRequest(text=_("The action must be mark or unmark."))
    raise web.HTTPSeeOther(_view_path(request, _carried_filters(values)) + f"#r{object_id}")
