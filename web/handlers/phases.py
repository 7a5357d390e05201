"""A consultation's phases from its page: reopening it, and publishing its decision."""

from __future__ import annotations

from typing import Any

import aiohttp_jinja2
from aiohttp import web

from node.appkeys import CLIENT_API, URLS
from node.i18n import gettext_ as _
from node.services.decisions import parse_outcome
from node.services.errors import ServiceError
from node.services.phase_forms import PhaseForm, decision_form, reopen_form
from web.closing_dates import DEFAULT_CLOSING_TIME, read_closing
from web.forms import form_values
from web.page_context import flash
from web.viewer import require_member

OUTCOMES = ("adopted", "changed", "dropped")


def _uri(request: web.Request) -> str:
    return request.app[URLS].object(request.match_info["key"])


def _page(request: web.Request) -> str:
    return f"/objects/{request.match_info['key']}"


async def decision_page(request: web.Request) -> web.Response:
    """GET /objects/{key}/decision: the form that publishes the decision of a closed one."""
    viewer = await require_member(request)
    form = await decision_form(viewer.actor_id, _uri(request))
    return _render_decision(request, form, {"outcome": "adopted"}, {})


async def submit_decision(request: web.Request) -> web.Response:
    """POST /objects/{key}/decision: outcome and written response (and per section)."""
    viewer = await require_member(request)
    form = await decision_form(viewer.actor_id, _uri(request))
    names = [f"section_{name}" for name, _title in form.sections]
    values = await form_values(request, ("outcome", "decision", *names))
    errors: dict[str, str] = {}
    try:
        parse_outcome(values["outcome"])
    except ServiceError:
        errors["outcome"] = _("Choose adopted, adopted with changes, or dropped.")
    if not values["decision"].strip():
        errors["decision"] = _("Write the response: what was decided, and why.")
    if errors:
        return _render_decision(request, form, values, errors, status=400)
    sections = [
        {"section": name, "source": values[f"section_{name}"]} for name, _title in form.sections
    ]
    update = {
        "id": form.uri,
        "type": "Article",
        "proposalStatus": values["outcome"],
        "decision": {"source": values["decision"], "sections": sections},
    }
    refused = await _send_update(request, viewer.actor_id, update)
    if refused is not None:
        return _render_decision(
            request, form, values, {"form": refused.translated()}, refused.status
        )
    await flash(request, _("The decision is published. Everyone who took part is told."))
    raise web.HTTPSeeOther(_page(request))


async def _send_update(
    request: web.Request, actor_id: int, article: dict[str, Any]
) -> ServiceError | None:
    """Send the proposal's Update through the client API, as the member; the refusal, if any."""
    try:
        await request.app[CLIENT_API].post_as(actor_id, {"type": "Update", "object": article})
    except ServiceError as error:
        return error
    return None


def _render_decision(
    request: web.Request,
    form: PhaseForm,
    values: dict[str, str],
    errors: dict[str, str],
    status: int = 200,
) -> web.Response:
    outcomes = [
        ("adopted", _("Adopted")),
        ("changed", _("Adopted with changes")),
        ("dropped", _("Dropped")),
    ]
    context: dict[str, Any] = {
        "form": form,
        "values": values,
        "errors": errors,
        "outcomes": outcomes,
        "back": _page(request),
    }
    return aiohttp_jinja2.render_template("decision.html", request, context, status=status)


async def reopen_page(request: web.Request) -> web.Response:
    """GET /objects/{key}/reopen: a new closing date and the reason, for its author."""
    viewer = await require_member(request)
    form = await reopen_form(viewer.actor_id, _uri(request))
    return _render_reopen(request, form, {"closes_time": DEFAULT_CLOSING_TIME}, {})


async def submit_reopen(request: web.Request) -> web.Response:
    """POST /objects/{key}/reopen: opens the consultation again; other servers are told."""
    viewer = await require_member(request)
    form = await reopen_form(viewer.actor_id, _uri(request))
    values = await form_values(request, ("closes_on", "closes_time", "reason"))
    closes_at, problem = read_closing(values, required=True)
    errors = {"closes_on": problem} if problem else {}
    if not values["reason"].strip():
        errors["reason"] = _("Say why the consultation reopens: everyone who follows it is told.")
    if errors:
        return _render_reopen(request, form, values, errors, status=400)
    update = {
        "id": form.uri,
        "type": "Article",
        "proposalStatus": "open",
        "closesAt": closes_at,
        "reopenReason": values["reason"],
    }
    refused = await _send_update(request, viewer.actor_id, update)
    if refused is not None:
        return _render_reopen(request, form, values, {"form": refused.translated()}, refused.status)
    await flash(request, _("The consultation is open again."))
    raise web.HTTPSeeOther(_page(request))


def _render_reopen(
    request: web.Request,
    form: PhaseForm,
    values: dict[str, str],
    errors: dict[str, str],
    status: int = 200,
) -> web.Response:
    context = {"form": form, "values": values, "errors": errors, "back": _page(request)}
    return aiohttp_jinja2.render_template("reopen.html", request, context, status=status)
