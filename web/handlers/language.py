"""The language switcher on every page, and a member's language setting.

A visitor's switcher is a pair of links: GET /language/{code} only sets a cookie and goes
back (it writes nothing here). A signed-in member's is a pair of buttons posting to
/settings/language, which saves their preference, so it follows them to every device and
into their mail.
"""

from __future__ import annotations

import aiohttp_jinja2
from aiohttp import web

from node.i18n import available_languages, current_language, in_language, language_name
from node.i18n import gettext_ as _
from node.services.language_preference import choose_member_language, language_choices
from web.forms import form_values, safe_next
from web.language import remember_language
from web.page_context import flash
from web.viewer import require_member


async def switch_language(request: web.Request) -> web.Response:
    """GET /language/{code}?next=/path: pages in `code` in this browser from now on."""
    code = request.match_info["language"]
    if code not in available_languages():
        raise web.HTTPNotFound(
            text=_("There is no translation into %(code)s here.") % {"code": repr(code)}
        )
    redirect = web.HTTPSeeOther(safe_next(request.query.get("next")))
    remember_language(request, redirect, code)
    raise redirect


async def language_form(request: web.Request) -> web.Response:
    """GET /settings/language: the member's language."""
    viewer = await require_member(request)
    return _render(request, {"language": viewer.language}, {})


async def submit_language(request: web.Request) -> web.Response:
    """POST /settings/language: save the member's language (from this page, or from the
    switcher, which says where to go back to)."""
    viewer = await require_member(request)
    values = await form_values(request, ("language", "next"))
    if values["language"] not in language_choices():
        return _render(request, values, {"language": _("Choose a language from the list.")}, 400)
    await choose_member_language(viewer.account_id, values["language"])
    redirect = web.HTTPSeeOther(safe_next(values["next"], "/settings/language"))
    remember_language(request, redirect, values["language"])
    if not values["next"]:
        with in_language(values["language"] or current_language()):
            await flash(request, _("Your language is saved."))
    raise redirect


def _render(
    request: web.Request, values: dict[str, str], errors: dict[str, str], status: int = 200
) -> web.Response:
    choices = [("", _("The one your browser asks for"))]
    choices += [(code, language_name(code)) for code in available_languages()]
    context = {"values": values, "errors": errors, "choices": choices}
    return aiohttp_jinja2.render_template("settings_language.html", request, context, status=status)
