"""Taking part in a proposal's thread: comments and replies, endorsements, amendments (answers
to its questions: questions.py)."""

from __future__ import annotations

import html

import aiohttp_jinja2
from aiohttp import web

from node.appkeys import CLIENT_API, URLS
from node.i18n import gettext_ as _
from node.limits import MAX_COMMENT, MAX_CONTENT_WARNING
from node.markdown import render_markdown
from node.sections import SECTION_TITLES
from node.services import lifecycle
from node.services.discussion import (
    AmendableProposal,
    AmendmentToAnswer,
    DiscussedObject,
    amendable_proposal,
    amendment_to_answer,
    discussed_object,
    own_like_uri,
)
from node.services.errors import ServiceError
from node.services.privacy_settings import VISIBILITIES, member_addressing
from node.services.remote_pages import remote_page_object, thread_home
from web.forms import form_values, path_id
from web.object_paths import object_path
from web.page_context import flash
from web.readers import request_reader
from web.viewer import Viewer, require_member


async def page_object(request: web.Request) -> DiscussedObject:
    """The object of the page in the URL: ours at /objects/{key}, or one held from another
    server at /remote/objects/{id} (a proposal or a comment in its thread); else 404."""
    reader = await request_reader(request)
    if "key" in request.match_info:
        uri = request.app[URLS].object(request.match_info["key"])
        row = await discussed_object(uri, reader, is_local=True, is_public=True)
    else:
        row = await remote_page_object(path_id(request), reader)
        row = row if row is not None and row.hidden_at is None else None
    if row is None:
        raise web.HTTPNotFound(text=_("There is nothing here (or it was withdrawn)."))
    return row


def _page_of(request: web.Request, uri: str) -> str:
    key = request.app[URLS].object_key(uri)
    return f"/objects/{key}"


async def _thread_page(request: web.Request, row: DiscussedObject) -> str:
    """The page to go back to: that of the proposal whose thread `row` is in (ours, or
    another node's held here), else `row`'s own; never another server's."""
    return object_path(request, await thread_home(row))


async def _replied_to(request: web.Request, page_row: DiscussedObject, uri: str) -> DiscussedObject:
    """The object a reply answers: the page's object or one in its thread."""
    if not uri or uri == page_row.uri:
        return page_row
    target = await discussed_object(uri, await request_reader(request), is_public=True)
    if target is None or (page_row.context_uri and target.context_uri != page_row.context_uri):
        raise web.HTTPBadRequest(text=_("You can only reply to something in this discussion."))
    return target


async def submit_comment(request: web.Request) -> web.Response:
    """POST /objects/{key}/comments: a comment on the proposal, or a reply in its thread."""
    viewer = await require_member(request)
    row = await page_object(request)
    values = await form_values(request, ("content", "in_reply_to", "content_warning", "visibility"))
    target = await _replied_to(request, row, values["in_reply_to"].strip())
    visibility = values["visibility"] or viewer.default_visibility
    text, warning = values["content"].strip(), values["content_warning"].strip()
    errors = {}
    if not text:
        errors["content"] = _("Write something before posting.")
    elif len(text) > MAX_COMMENT:
        errors["content"] = _("Keep a comment under 10,000 characters.")
    if len(warning) > MAX_CONTENT_WARNING:
        errors["content_warning"] = _("Keep a content warning under 300 characters.")
    if visibility not in VISIBILITIES:
        errors["visibility"] = _("Choose who can read it.")
    if not errors:
        note: dict[str, object] = {
            "type": "Note",
            "content": render_markdown(text),
            "source": {"content": text, "mediaType": "text/markdown"},  # what an edit starts from
            "inReplyTo": target.uri,
            **await member_addressing(viewer.actor_id, visibility, request.app[URLS]),
        }
        if warning:  # shown folded behind it here, and by Mastodon and the like
            note.update(summary=html.escape(warning), sensitive=True)
        try:
            await request.app[CLIENT_API].post_as(viewer.actor_id, note)
        except ServiceError as failure:
            errors["content"] = str(failure)
    if errors:
        return await _reply_page(request, row, target, values, errors, status=400)
    await flash(request, _("Your comment is posted."))
    raise web.HTTPSeeOther(await _thread_page(request, row) + "#discussion")


async def reply_form(request: web.Request) -> web.Response:
    """GET /objects/{key}/reply?to=URI: what is answered, and a form (works without script)."""
    await require_member(request)
    row = await page_object(request)
    target = await _replied_to(request, row, request.query.get("to", "").strip())
    return await _reply_page(request, row, target, {"content": "", "content_warning": ""}, {})


async def _reply_page(
    request: web.Request,
    row: DiscussedObject,
    target: DiscussedObject,
    values: dict[str, str],
    errors: dict[str, str],
    status: int = 200,
) -> web.Response:
    context = {
        "page_object": row,
        "target": target,
        "values": values,
        "errors": errors,
        "back": await _thread_page(request, row),
        "action": object_path(request, row) + "/comments",
    }
    return aiohttp_jinja2.render_template("reply.html", request, context, status=status)


async def submit_endorsement(request: web.Request) -> web.Response:
    """POST /objects/{key}/endorse: endorse (Like) or withdraw the endorsement (Undo)."""
    viewer = await require_member(request)
    row = await page_object(request)
    values = await form_values(request, ("action",))
    api = request.app[CLIENT_API]
    like = await own_like_uri(viewer.actor_id, row.uri)
    if values["action"] not in ("endorse", "withdraw"):
        raise web.HTTPBadRequest(text=_("The action must be endorse or withdraw."))
    # refused (a 409 page with the reason) once the consultation is over
    if values["action"] == "endorse" and like is None:
        await api.post_as(viewer.actor_id, {"type": "Like", "object": row.uri})
    elif values["action"] == "withdraw" and like is not None:
        await api.post_as(viewer.actor_id, {"type": "Undo", "object": like})
    if values["action"] == "endorse":
        await flash(request, _("You endorse this proposal."))
    else:
        await flash(request, _("Your endorsement is withdrawn."))
    raise web.HTTPSeeOther(await _thread_page(request, row))


async def _open_proposal(request: web.Request) -> tuple[DiscussedObject, AmendableProposal]:
    row = await page_object(request)
    proposal = await amendable_proposal(row.id)
    if proposal is None:
        raise web.HTTPNotFound(text=_("Only proposals take amendments."))
    lifecycle.check_takes("amendments", proposal.status)  # a 409 page once it is closed
    return row, proposal


async def amend_form(request: web.Request) -> web.Response:
    """GET /objects/{key}/amend: choose a section and suggest new text for it."""
    await require_member(request)
    row, proposal = await _open_proposal(request)
    return _amend_page(request, row, proposal, {"section": "", "text": "", "reason": ""}, {})


async def submit_amendment(request: web.Request) -> web.Response:
    """POST /objects/{key}/amendments: suggest replacing a section's text."""
    viewer = await require_member(request)
    row, proposal = await _open_proposal(request)
    values = await form_values(request, ("section", "text", "reason"))
    errors: dict[str, str] = {}
    if values["section"] not in proposal.sections:
        errors["section"] = _("Choose the part of the proposal to change.")
    if not values["text"].strip():
        errors["text"] = _("Write the text you suggest.")
    if not errors:
        note = {
            "type": "Note",
            "inReplyTo": row.uri,
            "content": render_markdown(values["reason"]) if values["reason"].strip() else "",
            "amendment": {"section": values["section"], "suggestedText": values["text"].strip()},
        }
        try:
            await request.app[CLIENT_API].post_as(viewer.actor_id, note)
        except ServiceError as error:
            errors["form"] = error.translated()
    if errors:
        return _amend_page(request, row, proposal, values, errors, status=400)
    await flash(request, _("Your amendment is suggested. The author will answer it."))
    raise web.HTTPSeeOther(object_path(request, row) + "#amendments-heading")


def _amend_page(
    request: web.Request,
    row: DiscussedObject,
    proposal: AmendableProposal,
    values: dict[str, str],
    errors: dict[str, str],
    status: int = 200,
) -> web.Response:
    titles = SECTION_TITLES
    options = [("", _("Choose a part"))] + [
        (name, _(titles.get(name, name))) for name in proposal.sections
    ]
    context = {
        "row": row,
        "values": values,
        "errors": errors,
        "options": options,
        "current": proposal.sections,
        "titles": titles,
        "back": object_path(request, row),
        "action": object_path(request, row) + "/amendments",
    }
    return aiohttp_jinja2.render_template("amend.html", request, context, status=status)


async def _answerable(request: web.Request, viewer: Viewer) -> tuple[AmendmentToAnswer, int]:
    amendment = await amendment_to_answer(path_id(request), viewer.actor_id)
    if amendment is None:
        raise web.HTTPNotFound(text=_("There is no such amendment."))
    if not amendment.may_answer:
        raise web.HTTPForbidden(
            text=_("Only the proposal's author or the organisation can answer.")
        )
    if amendment.by_proposal_author:
        return amendment, viewer.actor_id
    assert amendment.organisation_id is not None  # pages are served once the node is set up
    return amendment, amendment.organisation_id


async def answer_form(request: web.Request) -> web.Response:
    """GET /amendments/{id}/answer: decline with a reason (accepting is one button)."""
    viewer = await require_member(request)
    amendment, _answerer = await _answerable(request, viewer)
    return _answer_page(request, amendment, {"reason": ""}, {})


async def submit_answer(request: web.Request) -> web.Response:
    """POST /amendments/{id}/answer: accept (a new version) or decline with a reason."""
    viewer = await require_member(request)
    amendment, answerer = await _answerable(request, viewer)
    values = await form_values(request, ("decision", "reason"))
    errors: dict[str, str] = {}
    if values["decision"] not in ("accept", "reject"):
        errors["form"] = _("Choose to accept or decline the amendment.")
    elif values["decision"] == "reject" and not values["reason"].strip():
        errors["reason"] = _("Say why you decline it: the person who suggested it will read this.")
    elif not amendment.pending:
        errors["form"] = _("This amendment has already been answered.")
    if not errors:
        kind = "Accept" if values["decision"] == "accept" else "Reject"
        answer = {"type": kind, "object": amendment.object_uri, "content": values["reason"]}
        try:
            await request.app[CLIENT_API].post_as(answerer, answer, acting_id=viewer.actor_id)
        except ServiceError as error:
            errors["form"] = error.translated()
    if errors:
        return _answer_page(request, amendment, values, errors, status=400)
    await flash(
        request,
        _("The amendment is accepted: the proposal has a new version.")
        if values["decision"] == "accept"
        else _("The amendment is declined."),
    )
    raise web.HTTPSeeOther(_page_of(request, amendment.proposal_uri) + "#amendments-heading")


def _answer_page(
    request: web.Request,
    amendment: AmendmentToAnswer,
    values: dict[str, str],
    errors: dict[str, str],
    status: int = 200,
) -> web.Response:
    context = {
        "amendment": amendment,
        "values": values,
        "errors": errors,
        "back": _page_of(request, amendment.proposal_uri),
    }
    return aiohttp_jinja2.render_template("answer.html", request, context, status=status)
