"""The invitation forms' own fields (the node's invitations and an organisation's): how many
days, how many uses, and the address to mail the link to, if any."""

from __future__ import annotations

from node.i18n import gettext_ as _
from node.mail.addresses import InvalidAddress, normalise_address
from web.forms import is_whole_number


def invitation_problems(values: dict[str, str]) -> dict[str, str]:
    """What is wrong with the days, uses and address in `values`, by field; an address given
    is normalised there."""
    errors = {
        name: _("Give a whole number.")
        for name in ("days", "uses")
        if not is_whole_number(values[name].strip())
    }
    if values["email"].strip():
        try:
            values["email"] = normalise_address(values["email"])
        except InvalidAddress as error:
            errors["email"] = error.translated()
    return errors
