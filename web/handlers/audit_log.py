"""The audit log for admins: a page at a time, and the whole of it as CSV."""

from __future__ import annotations

import aiohttp_jinja2
from aiohttp import web

from node.services import audit_log
from node.services.errors import ServiceError
from web.viewer import require_admin


async def audit_page(request: web.Request) -> web.Response:
    """GET /admin/audit[?page=N]: newest first."""
    await require_admin(request)
    try:
        number = audit_log.parse_page(request.query.get("page", ""))
    except ServiceError as error:
        raise web.HTTPBadRequest(text=error.translated()) from None
    found = await audit_log.audit_page(number)
    return aiohttp_jinja2.render_template("admin/audit.html", request, {"found": found})


async def audit_csv(request: web.Request) -> web.StreamResponse:
    """GET /admin/audit.csv: every action, oldest first, streamed."""
    await require_admin(request)
    response = web.StreamResponse(
        headers={
            "Content-Type": "text/csv; charset=utf-8",
            "Content-Disposition": 'attachment; filename="audit-log.csv"',
            "Cache-Control": "private, no-store",
        }
    )
    await response.prepare(request)
    async for line in audit_log.audit_csv():
        await response.write(line)
    await response.write_eof()
    return response
