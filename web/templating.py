"""Jinja2 set-up for the node's pages: autoescaping, strict undefined, gettext."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import aiohttp_jinja2
import jinja2
from aiohttp import web
from markupsafe import Markup

from node.i18n import current_language, gettext_, ngettext_
from node.local_time import day_and_time, in_words
from node.sanitize import web_url
from node.services.amendment_words import amendment_state_words
from node.translations import ShownText, read_in, shown_text
from web.csrf import current_token
from web.fragment_cache import cached_fragment
from web.opinion_chart import opinion_key_path, opinion_scatter
from web.organisation_setting_words import settings_in_words
from web.phase_words import phase_words
from web.remote_links import remote_page_path

TEMPLATES_DIR = Path(__file__).parent / "templates"


def setup_templates(app: web.Application) -> None:
    """Attach the template environment (autoescaping on, `_()` translating) to `app`."""
    env = aiohttp_jinja2.setup(
        app,
        loader=jinja2.FileSystemLoader(TEMPLATES_DIR),
        auto_reload=False,  # templates change with a new release, not while serving
        autoescape=jinja2.select_autoescape(default=True),
        undefined=jinja2.StrictUndefined,
        extensions=["jinja2.ext.i18n"],
    )
    env.install_gettext_callables(gettext_, ngettext_, newstyle=True)  # type: ignore[attr-defined]
    env.filters["web_url"] = web_url  # links to other servers: http(s) only
    env.globals["cached_fragment"] = cached_fragment  # web/fragment_cache.py
    env.filters["excerpt"] = excerpt
    env.globals["remote_page_path"] = remote_page_path  # another node's proposal, held here
    env.globals["phase_words"] = phase_words  # a proposal's phase and date, in words
    env.globals["amendment_state_words"] = amendment_state_words  # its state, in words
    env.globals["opinion_scatter"] = opinion_scatter  # the opinion map's SVG geometry
    env.globals["opinion_key_path"] = opinion_key_path
    env.filters["local_day_and_time"] = day_and_time
    env.filters["in_words"] = in_words  # a UTC time written in the page's language
    env.filters["in_page_language"] = in_page_language  # a post's texts in the reader's
    env.globals["page_language"] = current_language  # in macros, which see no context
    env.globals["settings_in_words"] = settings_in_words  # an organisation's, in the audit log
    env.globals["read_in"] = read_in  # "Darllen yn Gymraeg": a link to another language
    env.globals.setdefault("viewer", None)
    env.globals.setdefault("unread", 0)
    env.globals.setdefault("csrf_token", current_token)  # macros need no `with context`
    env.globals.setdefault("flashes", ())
    env.globals.setdefault("lang", "en")
    env.globals.setdefault("languages", ())  # the switcher's (code, name) pairs
    env.globals.setdefault("here", "/")
    env.globals.setdefault("show_nav", False)


def in_page_language(obj: Any) -> ShownText:
    """A post's texts in the page's language when it has them (its contentMap), else as
    written first."""
    return shown_text(obj, current_language())


BLOCK_END = re.compile(r"</(p|li|h[1-6]|blockquote|div)>|<br\s*/?>", re.IGNORECASE)


def excerpt(html: str, length: int = 140) -> str:
    """The text of some HTML, blocks kept apart by spaces, cut at a word near `length`."""
    stripped = Markup(BLOCK_END.sub(" ", html)).striptags()  # noqa: S704 - plain text out, escaped when rendered
    text = " ".join(stripped.split())
    return text if len(text) <= length else text[:length].rsplit(" ", 1)[0] + "…"
