"""An organisation's own settings in words, in the reader's language: the choices its page's
settings form offers, and the audit log's account of a change to them (recorded as JSON)."""

from __future__ import annotations

import json

from node.i18n import gettext_ as _
from node.i18n import language_name
from node.translations import PROPOSAL_LANGUAGES
from web.reply_rules import reply_rule_choices


def reply_rules() -> list[tuple[str, str]]:
    """(value, label): who may reply to its proposals, '' for the node's setting."""
    return [("", _("As the node's settings say")), *reply_rule_choices()]


def joinings() -> list[tuple[str, str]]:
    """(value, label): who may join it."""
    return [
        ("admins_add", _("Its admins add its members")),
        ("approval", _("Members of this node ask to join from its profile; its admins approve")),
        ("open", _("Any member of this node may join it from its profile")),
    ]


def proposal_languages() -> list[tuple[str, str]]:
    """(value, label): the language its proposals are written in, '' for the node's."""
    return [
        ("", _("As the node's settings say")),
        *((tag, language_name(tag)) for tag in PROPOSAL_LANGUAGES),
    ]


def settings_in_words(recorded: str) -> str:
    """The settings an audit entry recorded (a JSON object), as the page's form names them;
    what is not such an object is shown as it was recorded."""
    try:
        settings = json.loads(recorded)
    except ValueError:
        return recorded
    if not isinstance(settings, dict):
        return recorded
    said = []
    for key, title, choices in (
        ("joining", _("Who may join it"), joinings()),
        ("reply_policy", _("Who may reply to its proposals"), reply_rules()),
        ("language", _("The language its proposals are written in"), proposal_languages()),
    ):
        value = str(settings.get(key, "admins_add" if key == "joining" else ""))
        said.append(f"{title}: {dict(choices).get(value, value)}.")
    return " ".join(said)
