"""Typed errors of the use cases; the web layer and the CLI map them to statuses and messages."""


class ServiceError(Exception):
    """A use case refused its input; the message is fit to show to the person who gave it."""

    status = 400


class NotFound(ServiceError):
    """The thing asked for does not exist."""

    status = 404


class Conflict(ServiceError):
    """The request clashes with what already exists (a handle taken, a node already set up)."""

    status = 409


class Forbidden(ServiceError):
    """The caller may not do this."""

    status = 403
