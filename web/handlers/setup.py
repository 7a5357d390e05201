"""The first-run setup page, served by `townhall run` on an empty data dir."""

from __future__ import annotations

import asyncio
import hmac
import logging
import secrets
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field

import aiohttp_jinja2
from aiohttp import web

from node.config import ConfigError, normalise_url
from node.db import DatabaseUnreachable
from node.i18n import SOURCE_LANGUAGE, use_language
from node.i18n import gettext_ as _
from node.install import FirstAdmin, NodeSettings, SetUp, setting_problems
from web.forms import read_form
from web.language import page_language
from web.sessions import give_signed_in_cookie

log = logging.getLogger("townhall.setup")
MAX_FAILED_CODES = 10
CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"

SETUP_FIELDS = ("code", "name", "handle", "url", "admin_handle", "admin_password")  # form order
Installer = Callable[[NodeSettings], Awaitable[SetUp]]


def new_setup_code() -> str:
    """A one-time code of 12 characters (60 bits), grouped for reading aloud."""
    raw = "".join(secrets.choice(CODE_ALPHABET) for _ in range(12))
    return "-".join(raw[i : i + 4] for i in range(0, 12, 4))


@dataclass
class SetupState:
    """The current code, failed attempts, and whether set-up finished."""

    code: str
    announce: Callable[[str], None]
    failures: int = 0
    done: asyncio.Event = field(default_factory=asyncio.Event)
    installing: asyncio.Lock = field(default_factory=asyncio.Lock)
    installed: bool = False

    def check(self, offered: str) -> bool:
        """Compare a code in constant time; after too many failures, replace the code."""
        if hmac.compare_digest(_normalise_code(offered), _normalise_code(self.code)):
            return True
        self.failures += 1
        log.warning("setup.code_refused", extra={"failures": self.failures})
        if self.failures >= MAX_FAILED_CODES:
            self.code, self.failures = new_setup_code(), 0
            log.warning("setup.code_replaced", extra={"after_failures": MAX_FAILED_CODES})
            self.announce(self.code)
        return False


def _normalise_code(code: str) -> bytes:
    """The code as typed, without case, spaces or dashes (ASCII only, for compare_digest)."""
    kept = "".join(code.upper().replace("-", "").split())
    return kept.encode("ascii", "replace")


SETUP_STATE = web.AppKey("setup_state", SetupState)
INSTALLER: web.AppKey[Installer] = web.AppKey("installer")


async def setup_form(request: web.Request) -> web.Response:
    """The empty form."""
    return _render(request, {}, {})


async def submit_setup(request: web.Request) -> web.Response:
    """Check the code and every field (saying every problem at once), set the node up, then
    hand over to the normal node."""
    state = request.app[SETUP_STATE]
    form = await read_form(request)
    values = {
        key: str(form.get(key, ""))
        for key in ("code", "url", "name", "handle", "admin_handle", "admin_password")
    }
    if state.installed:
        raise web.HTTPSeeOther("/")
    _use_page_language(request)
    settings = NodeSettings(
        url=values["url"],
        name=values["name"],
        handle=values["handle"],
        admin=FirstAdmin(values["admin_handle"], values["admin_password"]),
    )
    errors = setting_problems(settings)
    if not state.check(values["code"]):
        errors = {"code": _("That setup code is not right."), **errors}
        return _render(request, values, errors, status=403)
    if errors:
        return _render(request, values, errors, status=400)
    async with state.installing:  # one installation at a time; a second one finds it done
        if state.installed:
            raise web.HTTPSeeOther("/")
        log.info("setup.installing", extra={"organisation": settings.handle})
        try:
            made = await request.app[INSTALLER](settings)
        except (ConfigError, DatabaseUnreachable) as error:
            log.warning("setup.refused", extra={"reason": str(error)})
            return _render(request, values, {"form": str(error)}, status=400)
        state.installed = True
    log.info("setup.completed", extra={"organisation": settings.handle})
    asyncio.get_running_loop().call_later(0.2, state.done.set)
    response = aiohttp_jinja2.render_template(
        "setup_done.html",
        request,
        {
            "organisation": None,
            "url": normalise_url(settings.url),
            "signed_in": made.admin_account is not None,
        },
    )
    if made.admin_account is not None:  # the node that takes over knows them at once
        await give_signed_in_cookie(request, response, made.config, made.admin_account)
    return response


async def setup_health(request: web.Request) -> web.Response:
    """The node is up but waiting for set-up."""
    return web.json_response({"status": "setup"})


async def redirect_to_setup(request: web.Request) -> web.Response:
    """Everything else leads to the setup form."""
    raise web.HTTPSeeOther("/")


def _use_page_language(request: web.Request) -> str:
    """The language the browser asks for (there is no site setting or member yet)."""
    language = page_language(request, None, SOURCE_LANGUAGE)
    use_language(language)
    return language


def _render(
    request: web.Request, values: dict[str, str], errors: dict[str, str], status: int = 200
) -> web.Response:
    values = {**values, "admin_password": ""}  # what was typed is kept, never the password
    context = {
        "organisation": None,
        "lang": _use_page_language(request),
        "values": values,
        "errors": {name: errors[name] for name in ("form", *SETUP_FIELDS) if name in errors},
    }
    return aiohttp_jinja2.render_template("setup.html", request, context, status=status)
