"""Mail bodies from templates (node/mail/templates: NAME.txt and NAME.html, each extending its
base), in the recipient's language."""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

import jinja2

from node.i18n import gettext_, in_language, ngettext_
from node.local_time import in_words
from node.mail.message import MailContent

TEMPLATES = Path(__file__).parent / "templates"


@cache
def _environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES),
        autoescape=jinja2.select_autoescape(enabled_extensions=("html",), default=False),
        undefined=jinja2.StrictUndefined,
        extensions=["jinja2.ext.i18n"],
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.install_gettext_callables(gettext_, ngettext_, newstyle=True)  # type: ignore[attr-defined]
    env.filters["in_words"] = in_words  # a date in the mail's language
    return env


def render_mail(name: str, subject: str, language: str, **context: Any) -> MailContent:
    """The subject as given and the bodies of template `name`, rendered in `language`.

    `context` is the template's: `site_name` and `site_url` are expected by the bases."""
    with in_language(language):
        values = {"subject": subject, "language": language, **context}
        text = _environment().get_template(f"{name}.txt").render(values)
        html = _environment().get_template(f"{name}.html").render(values)
    return MailContent(subject=subject, text=text, html=html)
