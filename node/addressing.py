"""Whom an object or activity is addressed to: the one reading of to, cc, bto, bcc and audience
(publishing, delivery, storing, forwarding, filing and who may read go by it).

A field may be one value or a list; each value an id or an embedded object with an id; the
Public collection in any of its spellings (`https://www.w3.org/ns/activitystreams#Public`,
`as:Public`, `Public`), read as `PUBLIC`. Anything else (numbers, objects without an id) names
nobody.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from federation.vocab import PUBLIC, PUBLIC_FORMS, as_list, id_of

ADDRESS_FIELDS = ("to", "cc", "bto", "bcc", "audience")


def addressed_ids(value: Any) -> list[str]:
    """The ids one addressing field names, in order, once each (Public as `PUBLIC`)."""
    found: dict[str, None] = {}
    for item in as_list(value):
        uri = id_of(item)
        if uri:
            found.setdefault(PUBLIC if uri in PUBLIC_FORMS else uri, None)
    return list(found)


def addressees(document: dict[str, Any], fields: Iterable[str] = ADDRESS_FIELDS) -> set[str]:
    """The ids an object or activity is addressed to in `fields` (all five by default)."""
    found: set[str] = set()
    for name in fields:
        found.update(addressed_ids(document.get(name)))
    return found


def is_public(addressed: set[str]) -> bool:
    """Whether the addressees include the public."""
    return bool(addressed & PUBLIC_FORMS)


def is_addressed_publicly(document: dict[str, Any]) -> bool:
    """Whether an object or activity is addressed to the public (in any field, any spelling)."""
    return is_public(addressees(document))
