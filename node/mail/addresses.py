"""Email addresses as members type them: checked once here, stored lower-cased."""

from __future__ import annotations

import re

from node.i18n import N_
from node.services.errors import ServiceError

MAX_LENGTH = 254  # RFC 5321's path limit less the angle brackets
# one addr-spec: no spaces, no control characters, no brackets, a dot in the domain
_ADDRESS = re.compile(r"[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]{1,64}@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+")


class InvalidAddress(ServiceError):
    """What was typed is not one email address."""


def normalise_address(typed: str) -> str:
    """`typed` as one lower-cased address, or InvalidAddress saying what is wrong."""
    address = typed.strip()
    if not address:
        raise InvalidAddress(N_("Enter an email address."))
    if len(address) > MAX_LENGTH or not _ADDRESS.fullmatch(address):
        raise InvalidAddress(
            N_(
                "That is not an email address we can send to: write one address "
                "like name@example.org, with no spaces or names."
            )
        )
    local, _, domain = address.rpartition("@")
    if local.startswith(".") or local.endswith(".") or ".." in local:
        raise InvalidAddress(N_("That email address has a misplaced dot before the @."))
    if any(label.startswith("-") or label.endswith("-") for label in domain.split(".")):
        raise InvalidAddress(N_("The part of that email address after the @ is not a domain."))
    return address.lower()


def without_addresses(text: str) -> str:
    """`text` (an SMTP server's reply, say) with every email address in it replaced, so a log
    line never holds a member's address."""
    return _ADDRESS.sub("<address>", text)
