"""Typed errors of the use cases; the web layer and the CLI map them to statuses and messages.

A message is English with its values apart (`NotFound(N_("no proposal %(id)s"), id=7)`), so
that `str(error)` is English for logs, the CLI and other servers, and `error.translated()` is
the same message in the language of the page that shows it. A value that is itself English
words (`what=Words(N_("title"))`) is translated with it."""

from node.i18n import gettext_


class Words(str):
    """A message's value that is English words (marked with N_), not a name or an address."""

    __slots__ = ()


class ServiceError(Exception):
    """A use case refused its input; the message is fit to show to the person who gave it."""

    status = 400

    def __init__(self, message: str, /, **values: object) -> None:
        super().__init__(message % values if values else message)
        self.message = message
        self.values = values

    def translated(self) -> str:
        """The message in the current language (the page's), its values filled in."""
        translated = gettext_(self.message)
        if not self.values:
            return translated
        values = {
            name: gettext_(value) if isinstance(value, Words) else value
            for name, value in self.values.items()
        }
        return translated % values


class NotFound(ServiceError):
    """The thing asked for does not exist."""

    status = 404


class Conflict(ServiceError):
    """The request clashes with what already exists (a handle taken, a node already set up)."""

    status = 409


class Forbidden(ServiceError):
    """The caller may not do this."""

    status = 403
