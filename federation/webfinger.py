"""WebFinger (RFC 7033): parsing the `resource` a client asks for and building the JRD."""

from __future__ import annotations

import re
from collections.abc import Collection
from dataclasses import dataclass
from typing import Any
from urllib.parse import unquote, urlsplit

JRD_CONTENT_TYPE = "application/jrd+json"
AS2_CONTENT_TYPE = "application/activity+json"
# the interaction template Mastodon, Pleroma, Akkoma, GoToSocial and Misskey serve: `{uri}` is
# replaced by the address of the post or account to open there
SUBSCRIBE_REL = "http://ostatus.org/schema/1.0/subscribe"
# FEP-3b86 (activity intents): the same, with `{object}` as the placeholder
INTENT_OBJECT_REL = "https://w3id.org/fep/3b86/Object"


class MalformedResource(ValueError):
    """The `resource` parameter is missing or not a URI (RFC 7033 §4.2: a 400)."""


@dataclass(frozen=True)
class AcctResource:
    """A parsed `acct:user@host` resource."""

    user: str
    host: str


# RFC 3986 §3.1: a scheme is a letter, then letters, digits, "+", "-" or "."
_SCHEME = re.compile(r"([A-Za-z][A-Za-z0-9+.-]*):(.*)", re.DOTALL)


def parse_resource(resource: str | None) -> AcctResource | str:
    """An AcctResource for `acct:user@host`; any other URI as it is (the caller answers 404 for
    what it does not know). MalformedResource when missing or without a scheme (`alice@host`)."""
    if not resource or not resource.strip():
        raise MalformedResource("the resource parameter is required")
    value = resource.strip()
    uri = _SCHEME.fullmatch(value)
    if uri is None:
        raise MalformedResource(
            f"resource {value!r} is not a URI: give it a scheme (acct:user@host)"
        )
    scheme, rest = uri.group(1).lower(), uri.group(2)
    if scheme in ("http", "https"):
        if not urlsplit(value).netloc:
            raise MalformedResource(f"resource {value!r} is not an absolute URL")
        return value
    if scheme != "acct":
        return value
    user, at, host = unquote(rest).lstrip("@").rpartition("@")
    if not at or not user or not host or "@" in user or "/" in host:
        raise MalformedResource(f"resource {resource!r} is not acct:user@host")
    return AcctResource(user=user, host=host.lower())


def actor_jrd(
    subject_user: str, host: str, actor_id: str, profile_url: str, subscribe_template: str = ""
) -> dict[str, Any]:
    """The JRD that points `acct:user@host` at its ActivityPub actor (and, when given, at the
    page where its account opens a post from elsewhere: `subscribe_template`, with `{uri}`)."""
    jrd: dict[str, Any] = {
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
    if subscribe_template:
        jrd["links"].append({"rel": SUBSCRIBE_REL, "template": subscribe_template})
    return jrd


def interaction_template(jrd: Any) -> tuple[str, str] | None:
    """The template a JRD offers for opening a post on its server, and its placeholder: the
    FEP-3b86 Object intent (`{object}`) when offered, else the subscribe link (`{uri}`); None
    when it offers neither. The template is returned as served: callers check the placeholder."""
    links = jrd.get("links") if isinstance(jrd, dict) else None
    if not isinstance(links, list):
        return None
    found: dict[str, str] = {}
    for link in links:
        if isinstance(link, dict) and isinstance(link.get("template"), str):
            found.setdefault(str(link.get("rel")), link["template"])
    if INTENT_OBJECT_REL in found:
        return found[INTENT_OBJECT_REL], "{object}"
    if SUBSCRIBE_REL in found:
        return found[SUBSCRIBE_REL], "{uri}"
    return None


def only_rels(jrd: dict[str, Any], rels: Collection[str]) -> dict[str, Any]:
    """The JRD with only the links of the asked `rel`s (RFC 7033 §4.3); all when none asked."""
    if not rels:
        return jrd
    return {**jrd, "links": [link for link in jrd["links"] if link.get("rel") in rels]}


def host_meta_xml(base_url: str) -> str:
    """The host-meta XRD that tells clients where WebFinger lives."""
    template = f"{base_url}/.well-known/webfinger?resource={{uri}}"
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<XRD xmlns="http://docs.oasis-open.org/ns/xri/xrd-1.0">\n'
        f'  <Link rel="lrdd" template="{template}"/>\n'
        "</XRD>\n"
    )
