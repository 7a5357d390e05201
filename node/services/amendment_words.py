"""An amendment's state in words, alike on every page and in the report."""

from __future__ import annotations

from enum import Enum

from node.i18n import gettext_ as _
from node.models.amendments import AmendmentState


def amendment_state_words(state: str | Enum) -> str:
    """An amendment's state in words ("Accepted", "Declined", "Waiting for an answer")."""
    value = str(state.value if isinstance(state, Enum) else state)
    words = {
        AmendmentState.PENDING.value: _("Waiting for an answer"),
        AmendmentState.ACCEPTED.value: _("Accepted"),
        AmendmentState.DECLINED.value: _("Declined"),
    }
    return words.get(value, value)
