"""What an error page says: a heading for each status and, when the handler gave no reason
of its own, a plain explanation, in the page's language."""

from __future__ import annotations

from node.i18n import gettext_ as _


def error_heading(status: int) -> str:
    """The page's heading for an HTTP error status."""
    headings = {
        400: _("We could not use what was sent"),
        401: _("Please sign in"),
        403: _("You may not do that"),
        404: _("Page not found"),
        405: _("That cannot be done here"),
        409: _("That cannot be done now"),
        410: _("This has been removed"),
        413: _("What was sent is too large"),
        415: _("We could not read what was sent"),
        429: _("Too many requests"),
        503: _("Not available just now"),
    }
    if status >= 500:
        return headings.get(status, _("Something went wrong"))
    return headings.get(status, _("We could not do that"))


def error_explanation(status: int) -> str:
    """A plain explanation for when the handler gave no reason of its own."""
    if status == 404:
        return _(
            "There is no page at this address. It may have been moved or withdrawn, or the "
            "address may have a typing mistake in it."
        )
    if status >= 500:
        return _(
            "Something went wrong on our side, and it has been noted. Please try again in a "
            "few minutes."
        )
    return ""
