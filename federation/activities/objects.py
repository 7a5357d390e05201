"""Trusting objects: an object is believed only from its author's own origin."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from federation.ports import ActivityPorts
from federation.vocab import id_of

OBJECT_TYPES = frozenset({"Note", "Article", "Question", "Page"})


def origin(uri: str) -> str:
    """scheme://host[:port] of a URL."""
    parts = urlsplit(uri)
    return f"{parts.scheme}://{parts.netloc}".lower()


def author_of(document: dict[str, Any]) -> str | None:
    """The first attributedTo id of an object."""
    value = document.get("attributedTo")
    if isinstance(value, list):
        value = value[0] if value else None
    return id_of(value)


async def trusted_object(value: Any, actor: str, ports: ActivityPorts) -> dict[str, Any] | None:
    """The object of an activity by `actor`, as far as it can be trusted.

    An embedded object on the signer's own origin and attributed to the signer is taken as
    sent; anything else (another origin, a bare id, a different author) is fetched from its
    own origin first, and must then be by the author it claims.
    """
    object_id = id_of(value)
    if object_id is None:
        return None
    if isinstance(value, dict) and origin(object_id) == origin(actor) and author_of(value) == actor:
        return value
    return await ports.fetch_trusted(object_id)
