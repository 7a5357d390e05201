"""How long what people write may be: the one home of these limits, which the node enforces
(a ServiceError naming the limit) and the web forms show before sending."""

from __future__ import annotations

from node.i18n import N_
from node.services.errors import ServiceError, Words

MAX_TITLE = 200  # a proposal's name
MAX_SUMMARY = 2_000  # a proposal's plain-language summary
MAX_BODY = 100_000  # a proposal's body and sections together; any received text
MAX_COMMENT = 10_000  # a comment or status (a Note's text), as its author wrote it
MAX_CONTENT_WARNING = 300  # a comment's content warning (a Note's summary), as text
MAX_NAME = 500  # an object's name, as stored (Object.name)
MAX_SECTION_NAME = 100  # a section's name (Amendment.section)
MAX_DISPLAY_NAME = 100  # a member's name on their profile
MAX_PROFILE_SUMMARY = 2_000  # a member's description of themselves
MAX_THEME_NAME = 60  # a response theme's name (staff label a consultation's comments)
MAX_JOIN_REQUEST = 500  # a member's message to an organisation's admins, asking to join


def check_length(what: str, text: str, limit: int) -> None:
    """A ServiceError when `text` is longer than `limit` characters."""
    if len(text) > limit:
        raise ServiceError(
            N_("the %(what)s is longer than %(limit)s characters"),
            what=Words(what),
            limit=format(limit, ","),
        )
