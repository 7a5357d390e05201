"""Consultation questions from the pages: the author puts a question to a proposal, members
answer it (and change their answer until it closes)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlsplit

import aiohttp_jinja2
from aiohttp import web

from node.appkeys import CLIENT_API, OUTBOX, URLS
from node.i18n import gettext_ as _
from node.markdown import render_markdown
from node.poll_documents import iso
from node.services.discussion import discussed_object, poll_choices, thread_home_uri
from node.services.errors import ServiceError
from node.services.poll_rules import PollRuleError
from node.services.polls import Polls
from node.services.question_form import QuestionTarget, question_target
from node.services.remote_answers import RemoteAnswers
from node.services.remote_pages import thread_home
from web.forms import form_list, form_values
from web.handlers.discussion import page_object
from web.object_paths import object_path
from web.page_context import flash
from web.readers import request_reader
from web.viewer import require_member

FIELDS = ("question", "kind", "options", "closing", "closes_at", "results")
EMPTY = {"question": "", "kind": "single", "options": "", "closing": "with_proposal",
         "closes_at": "", "results": "after_close"}  # fmt: skip
RESULTS_TERMS = {"after_close": "afterClose", "after_answer": "afterAnswer"}


def _page_of(request: web.Request, uri: str) -> str:
    return f"/objects/{request.app[URLS].object_key(uri)}"


async def _target(request: web.Request) -> tuple[QuestionTarget, int]:
    viewer = await require_member(request)
    uri = request.app[URLS].object(request.match_info["key"])
    found = await question_target(uri, viewer.actor_id)
    if found is None:
        raise web.HTTPNotFound(text=_("There is no proposal here that you may add a question to."))
    return found


async def question_form(request: web.Request) -> web.Response:
    """GET /objects/{key}/questions/new: the form to put a question to a proposal."""
    target, _signer = await _target(request)
    return _form_page(request, target, dict(EMPTY), {})


async def submit_question(request: web.Request) -> web.Response:
    """POST /objects/{key}/questions/new: publish the question (a Question in reply to the
    proposal), through the client API like any other."""
    target, signer = await _target(request)
    values = await form_values(request, FIELDS)
    errors: dict[str, str] = {}
    question = _question_of(target, values, errors)
    status = 400
    if not errors:
        try:
            await request.app[CLIENT_API].post_as(signer, question)
        except PollRuleError as refusal:
            errors[refusal.field] = str(refusal)
        except ServiceError as refusal:  # not open, not allowed: 409, 403
            errors["form"], status = str(refusal), refusal.status
    if errors:
        return _form_page(request, target, values, errors, status=status)
    if target.status == "draft":
        await flash(request, _("Your question is saved: it goes out when the consultation opens."))
    else:
        await flash(request, _("Your question is published."))
    raise web.HTTPSeeOther(_page_of(request, target.uri) + "#polls")


def _question_of(
    target: QuestionTarget, values: dict[str, str], errors: dict[str, str]
) -> dict[str, Any]:
    """The Question the form asks for; what only the form can get wrong goes in `errors` (the
    rules themselves are the node's: poll_rules)."""
    text = values["question"].strip()
    if not text:
        errors["question"] = _("Write the question.")
    if values["kind"] not in ("single", "multiple"):
        errors["kind"] = _("Choose whether people pick one answer or several.")
    if values["results"] not in RESULTS_TERMS:
        errors["results"] = _("Choose when people see the results.")
    options = [line.strip() for line in values["options"].splitlines() if line.strip()]
    question: dict[str, Any] = {
        "type": "Question",
        "content": render_markdown(text) if text else "",
        "inReplyTo": target.uri,
        ("anyOf" if values["kind"] == "multiple" else "oneOf"): [
            {"type": "Note", "name": option} for option in options
        ],
        "resultsShown": RESULTS_TERMS.get(values["results"], "afterClose"),
    }
    if values["closing"] == "own":
        closes = _closing_time(values["closes_at"].strip())
        if closes is None:
            errors["closes_at"] = _("Give the closing date and time, such as 2027-03-31T17:00.")
        else:
            question["endTime"] = iso(closes)
    elif values["closing"] != "with_proposal":
        errors["closing"] = _("Choose when the question closes.")
    return question


def _closing_time(value: str) -> datetime | None:
    """A date and time from the form (a datetime-local field: no zone, read as UTC)."""
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        return None
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def _form_page(
    request: web.Request,
    target: QuestionTarget,
    values: dict[str, str],
    errors: dict[str, str],
    status: int = 200,
) -> web.Response:
    context = {
        "target": target,
        "values": values,
        "errors": errors,
        "action": _page_of(request, target.uri) + "/questions/new",
        "back": _page_of(request, target.uri),
    }
    return aiohttp_jinja2.render_template("question_form.html", request, context, status=status)


async def submit_answer(request: web.Request) -> web.Response:
    """POST /objects/{key}/vote: a member's answer (one choice, or several in a multiple-choice
    question), replacing the one they gave before; refused with the reason once it has closed.
    POST /remote/objects/{id}/vote: an answer to another server's question held here, sent to
    it as the member's votes (once: it is its home that counts)."""
    viewer = await require_member(request)
    if "id" in request.match_info:
        return await _answer_elsewhere(request, viewer.actor_id)
    uri = request.app[URLS].object(request.match_info["key"])
    row = await discussed_object(uri, await request_reader(request), is_local=True, is_public=True)
    poll = await poll_choices(row.id) if row is not None else None
    if row is None or poll is None:
        raise web.HTTPNotFound(text=_("There is no question here."))
    back = _page_of(request, await thread_home_uri(row)) + "#polls"
    choices = await form_list(request, "choice")
    try:
        await Polls(request.app[OUTBOX]).answer(viewer.actor_id, row.uri, choices)
    except ServiceError as refusal:
        context = {"reason": str(refusal), "back": back}
        return aiohttp_jinja2.render_template(
            "answer_refused.html", request, context, status=refusal.status
        )
    await flash(request, _("Thank you: your answer is counted."))
    raise web.HTTPSeeOther(back)


async def _answer_elsewhere(request: web.Request, actor_id: int) -> web.Response:
    row = await page_object(request)
    if row.type != "Question":
        raise web.HTTPNotFound(text=_("There is no question here."))
    home = await thread_home(row)
    back = object_path(request, home) + "#polls"
    choices = await form_list(request, "choice")
    try:
        await RemoteAnswers(request.app[OUTBOX]).answer(actor_id, row.uri, choices)
    except ServiceError as refusal:
        context = {"reason": str(refusal), "back": back}
        return aiohttp_jinja2.render_template(
            "answer_refused.html", request, context, status=refusal.status
        )
    host = urlsplit(row.uri).netloc
    await flash(request, _("Thank you: your answer is sent to %(host)s.") % {"host": host})
    raise web.HTTPSeeOther(back)
