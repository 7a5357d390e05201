"""A member's language: the one their pages and mail are in, whatever the browser asks."""

from __future__ import annotations

from node.i18n import N_, available_languages
from node.models import Account
from node.services.errors import ServiceError


def language_choices() -> list[str]:
    """What a member may choose: "" (their browser's, else the site's) or a language with a
    catalogue."""
    return ["", *available_languages()]


async def choose_member_language(account_id: int, language: str) -> None:
    """Set the member's language ("" to follow the browser and the site again)."""
    if language not in language_choices():
        raise ServiceError(N_("no translation for %(language)s"), language=repr(language))
    await Account.filter(id=account_id).update(language=language)
