"""ActivityStreams constants: contexts, the Public collection, content types, our namespace."""

from __future__ import annotations

from typing import Any

AS2_CONTEXT = "https://www.w3.org/ns/activitystreams"
SECURITY_CONTEXT = "https://w3id.org/security/v1"
TOWNHALL_NS = "https://w3id.org/townhall/ns#"

PUBLIC = "https://www.w3.org/ns/activitystreams#Public"
PUBLIC_FORMS = frozenset({PUBLIC, "as:Public", "Public"})

AS2_CONTENT_TYPE = "application/activity+json"
LD_CONTENT_TYPE = 'application/ld+json; profile="https://www.w3.org/ns/activitystreams"'
AS2_MEDIA_TYPES = frozenset({"application/activity+json", "application/ld+json"})

ACTOR_CONTEXT: list[Any] = [
    AS2_CONTEXT,
    SECURITY_CONTEXT,
    {
        "manuallyApprovesFollowers": "as:manuallyApprovesFollowers",
        "toot": "http://joinmastodon.org/ns#",
        "discoverable": "toot:discoverable",
        "indexable": "toot:indexable",
        "schema": "http://schema.org#",
        "PropertyValue": "schema:PropertyValue",
        "value": "schema:value",
        "townhall": TOWNHALL_NS,
    },
]


def is_public(address: object) -> bool:
    """Whether an addressing value names the Public collection in any of its spellings."""
    return isinstance(address, str) and address in PUBLIC_FORMS


def as_list(value: object) -> list[Any]:
    """A property that may be one value or many, as a list (absent → empty)."""
    if value is None:
        return []
    if isinstance(value, list):
        return value
    return [value]


def id_of(value: object) -> str | None:
    """The id of a property given as an IRI string or as an embedded object."""
    if isinstance(value, str):
        return value
    if isinstance(value, dict):
        found = value.get("id")
        return found if isinstance(found, str) else None
    return None
