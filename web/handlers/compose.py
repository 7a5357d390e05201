"""Writing proposals: a form with preview, saved as a draft or published, and edited later."""

from __future__ import annotations

from typing import Any

import aiohttp_jinja2
from aiohttp import web

from node.appkeys import CLIENT_API, URLS
from node.i18n import gettext_ as _
from node.i18n import in_language, language_name
from node.limits import MAX_TITLE
from node.markdown import render_markdown
from node.readability import (
    ADULT_AGE,
    AIM_HIGHEST,
    AIM_LOWEST,
    LONG_SENTENCE_WORDS,
    Reading,
    read_all_aside,
)
from node.sections import SECTION_NAMES, SECTION_TITLES
from node.services.errors import ServiceError
from node.services.organisations import OrganisationChoice, organisation_choices
from node.services.proposal_form import EditableProposal, editable_proposal
from node.services.settings import site_settings
from node.translations import PROPOSAL_LANGUAGES
from web.closing_dates import DEFAULT_CLOSING_TIME, read_closing
from web.forms import form_values
from web.page_context import flash
from web.viewer import Viewer, require_member

CLOSING_FIELDS = ("closes_on", "closes_time")
OTHER_FIELDS = ("title", "summary", "body", *SECTION_NAMES)  # each as other_NAME: the 2nd language
TEXT_FIELDS = (
    "title",
    "summary",
    "body",
    *SECTION_NAMES,
    "tags",
    "closes_on",
    "closes_time",
    "language",
    *(f"other_{name}" for name in OTHER_FIELDS),
)


async def new_form(request: web.Request) -> web.Response:
    """An empty proposal form."""
    viewer = await require_member(request)
    first = (await site_settings()).language
    values = {"closes_time": DEFAULT_CLOSING_TIME, "language": first}
    choices = await organisation_choices(viewer.account_id)
    return _render(request, values, {}, editing=None, organisations=choices)


async def submit_new(request: web.Request) -> web.Response:
    """Preview, save as a draft, or publish a new proposal."""
    viewer = await require_member(request)
    fields = (*TEXT_FIELDS, "organisation", "action")
    values = await _with_language(request, await form_values(request, fields))
    errors = _check(values, opening=values["action"] == "publish")
    choices = await organisation_choices(viewer.account_id)
    if values["action"] == "preview" or errors:
        readings = await _readings(values, errors)
        status = 400 if errors else 200
        return _render(
            request, values, errors, editing=None, status=status, readings=readings,
            organisations=choices,
        )  # fmt: skip
    draft = values["action"] == "draft"
    submitted = {**_article(values), "proposalStatus": "draft" if draft else "open"}
    if values["organisation"]:  # a member of several organisations chose one
        submitted["audience"] = values["organisation"]
    try:
        activity = await request.app[CLIENT_API].post_as(viewer.actor_id, submitted)
    except ServiceError as error:
        return _render(
            request, values, {"form": error.translated()}, editing=None, status=error.status,
            organisations=choices,
        )  # fmt: skip
    await flash(request, _("Your draft is saved.") if draft else _("Your proposal is published."))
    raise web.HTTPSeeOther(_local_path(request, activity["object"]["id"]))


async def edit_form(request: web.Request) -> web.Response:
    """The form filled with the proposal as it is."""
    viewer = await require_member(request)
    editing = await _editable(request, viewer)
    return _render(request, editing.values, {}, editing=editing)


async def submit_edit(request: web.Request) -> web.Response:
    """Preview or save changes; a draft published here goes out as new."""
    viewer = await require_member(request)
    editing = await _editable(request, viewer)
    values = await form_values(request, (*TEXT_FIELDS, "action", "status"))
    values = await _with_language(request, values, editing.values.get("language", ""))
    kept = all(values[name] == editing.values.get(name, "") for name in CLOSING_FIELDS)
    if kept and editing.status != "draft":  # a past closing date stays as it was
        values = {**values, "closes_on": "", "closes_time": ""}
    errors = _check(values, opening=editing.status == "draft" and values["status"] == "open")
    if kept and editing.status != "draft":
        values = {**values, **{name: editing.values.get(name, "") for name in CLOSING_FIELDS}}
    if values["status"] not in editing.statuses:
        errors["status"] = _("Choose a status from the list: a proposal only moves forward.")
    if values["action"] == "preview" or errors:
        readings = await _readings(values, errors)
        status = 400 if errors else 200
        return _render(request, values, errors, editing=editing, status=status, readings=readings)
    changes = {**_article(values), "id": editing.uri, "proposalStatus": values["status"]}
    if kept and editing.status != "draft":
        changes.pop("closesAt", None)
    try:
        await request.app[CLIENT_API].post_as(
            editing.editor_id, {"type": "Update", "object": changes}, acting_id=viewer.actor_id
        )
    except ServiceError as error:
        return _render(
            request, values, {"form": error.translated()}, editing=editing, status=error.status
        )
    await flash(request, _("Your changes are saved."))
    raise web.HTTPSeeOther(_local_path(request, editing.uri))


async def _editable(request: web.Request, viewer: Viewer) -> EditableProposal:
    uri = request.app[URLS].object(request.match_info["key"])
    return await editable_proposal(viewer.actor_id, uri)


async def _with_language(
    request: web.Request, values: dict[str, str], current: str = ""
) -> dict[str, str]:
    """The form's values, written first in the proposal's language (or the site's) when the
    form did not say (a form from before there were two)."""
    if values["language"]:
        return values
    return {**values, "language": current or (await site_settings()).language}


def _check(values: dict[str, str], *, opening: bool) -> dict[str, str]:
    """What is wrong with the form; `opening` when it opens the consultation, which needs a
    closing date (lifecycle's rule, said here before anything is sent)."""
    errors: dict[str, str] = {}
    if not values["title"].strip():
        errors["title"] = _("Give the proposal a title.")
    elif len(values["title"]) > MAX_TITLE:
        errors["title"] = _("Keep the title under 200 characters.")
    if not values["summary"].strip():
        errors["summary"] = _("Say in a sentence or two what the proposal is about.")
    _closes_at, problem = read_closing(values, required=opening)
    if problem:
        errors["closes_on"] = problem
    if values["language"] not in PROPOSAL_LANGUAGES:
        errors["language"] = _("Choose the language the proposal is written in first.")
    return {**errors, **_other_language_errors(values)}


def _other_language_errors(values: dict[str, str]) -> dict[str, str]:
    """The second language is optional, but its title and its text come together."""
    written = {name: values[f"other_{name}"].strip() for name in OTHER_FIELDS}
    has_text = written["body"] or any(written[name] for name in SECTION_NAMES)
    if not any(written.values()) or (written["title"] and has_text):
        return {}
    if not written["title"]:
        return {"other_title": _("Give the proposal its title in the other language too.")}
    return {"other_body": _("Write the proposal in the other language too, or leave it out.")}


def other_language_of(first: str) -> str:
    """The proposal's second language: Welsh for one written first in English, and back."""
    return next((tag for tag in PROPOSAL_LANGUAGES if tag != first), "")


async def _readings(values: dict[str, str], errors: dict[str, str]) -> tuple[Reading, ...]:
    """How easy the previewed title, summary, text and sections are to read (advice only:
    nothing here stops a proposal being saved or published)."""
    if values["action"] != "preview" or errors:
        return ()
    texts = [
        (_("Title"), values["title"]),
        (_("Summary"), values["summary"]),
        (_("The proposal"), values["body"]),
        *((_(SECTION_TITLES[name]), values[name]) for name in SECTION_NAMES),
    ]
    return await read_all_aside(texts)


def _article(values: dict[str, str]) -> dict[str, Any]:
    """The Article the client API takes, from the form."""
    tags = [t.strip().lstrip("#") for t in values["tags"].replace(",", " ").split() if t.strip()]
    article: dict[str, Any] = {
        "type": "Article",
        "name": values["title"].strip(),
        "summary": values["summary"].strip(),
        "source": values["body"],
        "sections": {name: values[name] for name in SECTION_NAMES},
        "tag": tags,
    }
    closes_at, _problem = read_closing(values, required=False)
    if closes_at:
        article["closesAt"] = closes_at
    other = other_language_of(values["language"])
    article |= {
        "language": values["language"],
        "nameMap": {other: values["other_title"].strip()},
        "summaryMap": {other: values["other_summary"].strip()},
        "sourceMap": {other: values["other_body"]},
        "sectionsMap": {other: {name: values[f"other_{name}"] for name in SECTION_NAMES}},
    }
    return article


def _render(
    request: web.Request,
    values: dict[str, str],
    errors: dict[str, str],
    *,
    editing: EditableProposal | None,
    status: int = 200,
    readings: tuple[Reading, ...] = (),
    organisations: list[OrganisationChoice] | None = None,
) -> web.Response:
    other = other_language_of(values.get("language", "")) or "cy"
    preview = None
    if values.get("action") == "preview" and not errors:
        preview = {
            "title": values.get("title", ""),
            "summary": values.get("summary", ""),
            "body": render_markdown(values.get("body", "")),
            "sections": [
                (SECTION_TITLES[name], render_markdown(values[name]))
                for name in SECTION_NAMES
                if values.get(name, "").strip()
            ],
            "other": _other_preview(values),
        }
    context = {
        "values": values,
        "errors": errors,
        "preview": preview,
        "readings": readings,
        "reading_aim": (AIM_LOWEST, AIM_HIGHEST),
        "adult_age": ADULT_AGE,
        "long_sentence_words": LONG_SENTENCE_WORDS,
        "editing": editing,
        "section_fields": [(name, SECTION_TITLES[name]) for name in SECTION_NAMES],
        "statuses": editing.statuses if editing else (),
        "language_choices": [(tag, language_name(tag)) for tag in PROPOSAL_LANGUAGES],
        "other_language": other,
        "other_labels": _labels_in(other),
        # a member of several organisations chooses which one a new proposal is for
        "organisation_choices": [(each.uri, each.name) for each in organisations or ()],
    }
    return aiohttp_jinja2.render_template("proposal_form.html", request, context, status=status)


def _labels_in(language: str) -> dict[str, str]:
    """The second language's fields labelled in that language: "Teitl" beside "Title"."""
    with in_language(language):
        return {
            "title": _("Title"),
            "summary": _("Summary in plain words"),
            "body": _("The proposal"),
            **{name: _(SECTION_TITLES[name]) for name in SECTION_NAMES},
        }


def _other_preview(values: dict[str, str]) -> dict[str, Any] | None:
    if not values.get("other_title", "").strip():
        return None
    return {
        "title": values["other_title"],
        "summary": values.get("other_summary", ""),
        "body": render_markdown(values.get("other_body", "")),
        "sections": [
            (SECTION_TITLES[name], render_markdown(values[f"other_{name}"]))
            for name in SECTION_NAMES
            if values.get(f"other_{name}", "").strip()
        ],
    }


def _local_path(request: web.Request, uri: str) -> str:
    key = request.app[URLS].object_key(uri)
    return f"/objects/{key}" if key else "/"
