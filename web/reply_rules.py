"""How the pages name who may reply (node/reply_policies.py), in the reader's language."""

from __future__ import annotations

from node.i18n import gettext_ as _
from node.reply_policies import ReplyPolicy


def reply_rule_choices() -> list[tuple[str, str]]:
    """(value, label) for each rule, the most open first."""
    return [
        (ReplyPolicy.ANYONE.value, _("Anyone, from any server")),
        (
            ReplyPolicy.FIRST_TIME_HELD.value,
            _("Anyone, but a moderator first approves someone's first reply from another server"),
        ),
        (
            ReplyPolicy.FOLLOWERS.value,
            _("Members and people who follow the organisation (others wait for a moderator)"),
        ),
        (
            ReplyPolicy.MEMBERS.value,
            _("Members only (replies from elsewhere wait for a moderator)"),
        ),
    ]
