"""Who may reply to a proposal: the organisation's rule, which a proposal's author may change
for their proposal. Replies from outside the rule are held for a moderator, never dropped."""

from __future__ import annotations

from enum import StrEnum

from node.i18n import N_
from node.services.errors import ServiceError


class ReplyPolicy(StrEnum):
    ANYONE = "anyone"
    FIRST_TIME_HELD = "first_time_held"  # anyone, but a first reply from another server waits
    FOLLOWERS = "followers"  # members, and accounts that follow the organisation
    MEMBERS = "members"  # members only


DEFAULT_REPLY_POLICY = ReplyPolicy.ANYONE


def parse_reply_policy(value: object) -> ReplyPolicy:
    """A policy from a form or a setting, or a ServiceError naming the choices."""
    try:
        return ReplyPolicy(str(value))
    except ValueError:
        choices = ", ".join(policy.value for policy in ReplyPolicy)
        raise ServiceError(
            N_("unknown reply rule %(value)s: choose one of %(choices)s"),
            value=repr(str(value)[:40]),
            choices=choices,
        ) from None
