"""Statements from the pages (node/services/statements.py has the rules): a member adds one
and votes agree / disagree / pass; the author turns them on; moderators approve or reject."""

from __future__ import annotations

import aiohttp_jinja2
from aiohttp import web

from node.appkeys import CLIENT_API
from node.i18n import gettext_ as _
from node.services import statement_documents, statement_view, statements
from node.services.errors import ServiceError
from web.forms import form_values, path_id
from web.handlers.discussion import page_object
from web.object_paths import object_path
from web.page_context import flash
from web.viewer import require_member, require_moderating

VOTES = {"agree": "Agree", "disagree": "Disagree", "pass": "Pass"}


async def submit_statement(request: web.Request) -> web.Response:
    """POST /objects/{key}/statements (or /remote/objects/{id}/statements): add a statement;
    it waits for a moderator (here, or on the proposal's home server)."""
    viewer = await require_member(request)
    row = await page_object(request)
    values = await form_values(request, ("statement",))
    back = object_path(request, row) + "#statements-heading"
    submitted = {
        "type": "Note",
        "name": values["statement"],
        "inReplyTo": row.uri,
        statement_documents.STATEMENT_TERM: row.uri,
    }
    errors: dict[str, str] = {}
    status = 400
    try:  # the rules (length, duplicates, open, who may) are the node's: statements.py
        await request.app[CLIENT_API].post_as(viewer.actor_id, submitted)
    except ServiceError as refusal:
        errors["statement"], status = str(refusal), refusal.status
    if errors:
        context = {
            "values": values,
            "errors": errors,
            "action": object_path(request, row) + "/statements",
            "back": back,
            "max_length": statements.MAX_STATEMENT,
        }
        return aiohttp_jinja2.render_template(
            "statement_form.html", request, context, status=status
        )
    if row.is_local:
        await flash(request, _("Thank you: your statement is waiting for a moderator."))
    else:
        await flash(request, _("Thank you: your statement is sent to the proposal's home server."))
    raise web.HTTPSeeOther(back)


async def submit_vote(request: web.Request) -> web.Response:
    """POST /statements/{id}/vote: agree, disagree or pass; a later vote replaces it. Sent
    through the client API as the Note Mastodon would send."""
    viewer = await require_member(request)
    found = await statement_view.statement_place(path_id(request))
    if found is None:
        raise web.HTTPNotFound(text=_("There is no such statement (or it is not approved)."))
    values = await form_values(request, ("vote",))
    back = object_path(request, found.proposal) + "#statements-heading"
    name = VOTES.get(values["vote"])
    if name is None:
        context = {"reason": _("Choose Agree, Disagree or Pass."), "back": back}
        return aiohttp_jinja2.render_template("answer_refused.html", request, context, status=400)
    note = {"type": "Note", "name": name, "inReplyTo": found.question_uri}
    try:
        await request.app[CLIENT_API].post_as(viewer.actor_id, note)
    except ServiceError as refusal:
        context = {"reason": str(refusal), "back": back}
        return aiohttp_jinja2.render_template(
            "answer_refused.html", request, context, status=refusal.status
        )
    await flash(request, _("Thank you: your vote is counted."))
    raise web.HTTPSeeOther(back)


async def submit_setting(request: web.Request) -> web.Response:
    """POST /objects/{key}/statements-setting: statements on or off (the author, an admin)."""
    viewer = await require_member(request)
    row = await page_object(request)
    values = await form_values(request, ("statements_enabled",))
    enabled = values["statements_enabled"] == "1"
    await statements.set_enabled(viewer.actor_id, row.uri, enabled)
    if enabled:
        await flash(request, _("Statements are on: people may add them and vote on them."))
    else:
        await flash(request, _("Statements are off."))
    raise web.HTTPSeeOther(object_path(request, row) + "#statements-heading")


async def submit_approve(request: web.Request) -> web.Response:
    """POST /admin/statements/{id}/approve (moderators of its proposal's thread): publish it
    as the organisation's."""
    viewer = await require_moderating(request)
    outbox = request.app[CLIENT_API].outbox
    await statements.Statements(outbox).approve(path_id(request), by_account_id=viewer.account_id)
    await flash(request, _("The statement is approved: it is shown and published."))
    raise web.HTTPSeeOther("/admin/held#statements")


async def submit_reject(request: web.Request) -> web.Response:
    """POST /admin/statements/{id}/reject (moderators of its proposal's thread), with the
    reason."""
    viewer = await require_moderating(request)
    values = await form_values(request, ("reason",))
    await statements.reject(path_id(request), values["reason"], by_account_id=viewer.account_id)
    await flash(request, _("The statement is rejected."))
    raise web.HTTPSeeOther("/admin/held#statements")
