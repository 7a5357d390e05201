"""Open data: the /data page, the organisation's and each proposal's files (CSV and JSON,
streamed), their Data Package, the pol.is-compatible export and the thread as JSON-LD."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from importlib import resources

import aiohttp_jinja2
from aiohttp import web

from node.appkeys import URLS
from node.i18n import gettext_ as _
from node.services.actor_views import organisation_view, proposal_organisation_view
from node.services.errors import NotFound
from node.services.open_data.exports import (
    chosen_licence,
    data_package,
    open_data_file,
)
from node.services.open_data.licences import Licence
from node.services.open_data.polis import polis_file
from node.services.open_data.scope import ORGANISATION, Scope, proposal_scope
from node.services.open_data.tables import TABLES
from node.services.open_data.thread_ld import thread_document
from web.forms import path_id

JSON_LD = 'application/ld+json; profile="https://www.w3.org/ns/activitystreams"'


async def data_page(request: web.Request) -> web.Response:
    """GET /data: what the organisation publishes as open data, and under which licence."""
    context = {"licence": await chosen_licence(), "tables": [table.name for table in TABLES]}
    return aiohttp_jinja2.render_template("open_data.html", request, context)


async def _scope(request: web.Request) -> Scope:
    try:
        return await proposal_scope(path_id(request))
    except NotFound as error:
        raise web.HTTPNotFound(text=error.translated()) from None


async def _stream(
    request: web.Request,
    chunks: AsyncIterator[bytes],
    content_type: str,
    licence: Licence,
    filename: str = "",
) -> web.StreamResponse:
    response = web.StreamResponse()
    response.content_type = content_type
    if not content_type.startswith("application/ld+json"):
        response.charset = "utf-8"
    response.headers["Link"] = f'<{licence.url}>; rel="license"'
    if filename:
        response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    await response.prepare(request)
    async for chunk in chunks:
        await response.write(chunk)
    await response.write_eof()
    return response


async def _file(request: web.Request, scope: Scope) -> web.StreamResponse:
    name, extension = request.match_info["file"], request.match_info["format"]
    try:
        source = request.app[URLS].base + request.path
        export = await open_data_file(scope, name, extension, source)
    except NotFound as error:
        raise web.HTTPNotFound(text=error.translated()) from None
    return await _stream(
        request, export.chunks, export.content_type, export.licence, export.filename
    )


async def organisation_file(request: web.Request) -> web.StreamResponse:
    """GET /data/{file}.{format}: one table of every published proposal, CSV or JSON."""
    return await _file(request, ORGANISATION)


async def proposal_file(request: web.Request) -> web.StreamResponse:
    """GET /proposals/{id}/data/{file}.{format}: one table of one proposal."""
    return await _file(request, await _scope(request))


async def _package(request: web.Request, scope: Scope, base: str, title: str) -> web.Response:
    licence = await chosen_licence()
    document = data_package(scope, base, title, licence)
    return web.json_response(
        document,
        dumps=lambda value: json.dumps(value, ensure_ascii=False, indent=1),
        headers={"Link": f'<{licence.url}>; rel="license"'},
    )


async def organisation_package(request: web.Request) -> web.Response:
    """GET /data/datapackage.json: the organisation's files and their licence."""
    organisation = await organisation_view()
    title = organisation.name if organisation else ""
    return await _package(request, ORGANISATION, f"{request.app[URLS].base}/data", title)


async def proposal_package(request: web.Request) -> web.Response:
    """GET /proposals/{id}/data/datapackage.json: one proposal's files and their licence."""
    scope = await _scope(request)
    base = f"{request.app[URLS].base}/proposals/{scope.proposal_id}/data"
    return await _package(request, scope, base, f"proposal {scope.proposal_id}")


async def polis_csv(request: web.Request) -> web.StreamResponse:
    """GET /proposals/{id}/polis/{file}.csv: the statements and votes as pol.is exports them."""
    scope = await _scope(request)
    name = request.match_info["file"]
    try:
        chunks = await polis_file(scope, name)
    except NotFound as error:
        raise web.HTTPNotFound(text=error.translated()) from None
    filename = f"{scope.name}-polis-{name}.csv"
    return await _stream(request, chunks, "text/csv", await chosen_licence(), filename)


async def thread_jsonld(request: web.Request) -> web.StreamResponse:
    """GET /proposals/{id}/thread.jsonld: the whole public thread as one JSON-LD document."""
    scope = await _scope(request)
    assert scope.proposal_id is not None  # _scope names one proposal
    organisation = await proposal_organisation_view(scope.proposal_id)
    chunks = await thread_document(scope, organisation.uri if organisation else "")
    return await _stream(request, chunks, JSON_LD, await chosen_licence())


async def table_schema(request: web.Request) -> web.Response:
    """GET /data/schemas/{file}.json: the JSON Schema of one table's JSON file."""
    name = request.match_info["file"]
    if name not in {table.name for table in TABLES}:
        raise web.HTTPNotFound(text=_("There is no open data file of this name."))
    path = resources.files("schemas") / f"open_data_{name.replace('-', '_')}.json"
    return web.Response(
        text=path.read_text(encoding="utf-8"), content_type="application/schema+json"
    )
