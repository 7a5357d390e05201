"""WebFinger (RFC 7033): parsing the `resource` a client asks for and building the JRD."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import unquote, urlsplit

JRD_CONTENT_TYPE = "application/jrd+json"
AS2_CONTENT_TYPE = "application/activity+json"


class MalformedResource(ValueError):
    """The `resource` parameter is missing or not a URI we can read."""


@dataclass(frozen=True)
class AcctResource:
    """A parsed `acct:user@host` resource."""

    user: str
    host: str


def parse_resource(resource: str | None) -> AcctResource | str:
    """An AcctResource for `acct:` (or bare `user@host`), the URL itself for http(s) resources."""
    if not resource:
        raise MalformedResource("the resource parameter is required")
    value = resource.strip()
    scheme, _, rest = value.partition(":")
    if scheme.lower() in ("http", "https"):
        if not urlsplit(value).netloc:
            raise MalformedResource(f"resource {value!r} is not an absolute URL")
        return value
    if scheme.lower() == "acct":
        value = unquote(rest)
    elif "@" not in value or ":" in value.split("@", 1)[0]:
        raise MalformedResource(f"resource {value!r} has no scheme")
    user, at, host = value.lstrip("@").rpartition("@")
    if not at or not user or not host or "@" in user or "/" in host:
        raise MalformedResource(f"resource {resource!r} is not acct:user@host")
    return AcctResource(user=user, host=host.lower())


def actor_jrd(subject_user: str, host: str, actor_id: str, profile_url: str) -> dict[str, Any]:
    """The JRD that points `acct:user@host` at its ActivityPub actor."""
    return {
        "subject": f"acct:{subject_user}@{host}",
        "aliases": [actor_id] if actor_id == profile_url else [actor_id, profile_url],
        "links": [
            {"rel": "self", "type": AS2_CONTENT_TYPE, "href": actor_id},
            {
                "rel": "http://webfinger.net/rel/profile-page",
                "type": "text/html",
                "href": profile_url,
            },
        ],
    }


def host_meta_xml(base_url: str) -> str:
    """The host-meta XRD that tells clients where WebFinger lives."""
    template = f"{base_url}/.well-known/webfinger?resource={{uri}}"
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<XRD xmlns="http://docs.oasis-open.org/ns/xri/xrd-1.0">\n'
        f'  <Link rel="lrdd" template="{template}"/>\n'
        "</XRD>\n"
    )
