"""Whom an object or activity is addressed to: the one reading of to, cc, bto, bcc and audience
(publishing, delivery and who may read go by it)."""

from __future__ import annotations

from typing import Any

from federation.vocab import PUBLIC_FORMS, as_list, id_of

ADDRESS_FIELDS = ("to", "cc", "bto", "bcc", "audience")


def addressees(document: dict[str, Any]) -> set[str]:
    """The ids an object or activity is addressed to (strings or embedded objects' ids)."""
    found: set[str] = set()
    for name in ADDRESS_FIELDS:
        found.update(str(id_of(value)) for value in as_list(document.get(name)) if id_of(value))
    return found


def is_public(addressed: set[str]) -> bool:
    """Whether the addressees include the public."""
    return bool(addressed & PUBLIC_FORMS)
