"""NodeInfo 2.1: the discovery document and the node description."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

SCHEMA_21 = "http://nodeinfo.diaspora.software/ns/schema/2.1"
CONTENT_TYPE_21 = f'application/json; profile="{SCHEMA_21}#"'


@dataclass(frozen=True)
class Usage:
    """The usage counts NodeInfo reports."""

    users_total: int
    users_active_month: int
    users_active_halfyear: int
    local_posts: int
    local_comments: int


def discovery_document(nodeinfo_url: str) -> dict[str, Any]:
    """The JRD at /.well-known/nodeinfo."""
    return {"links": [{"rel": SCHEMA_21, "href": nodeinfo_url}]}


def nodeinfo_document(
    *,
    software: str,
    version: str,
    repository: str,
    homepage: str,
    open_registrations: bool,
    usage: Usage,
    metadata: dict[str, Any],
) -> dict[str, Any]:
    """A NodeInfo 2.1 document for an ActivityPub server."""
    return {
        "version": "2.1",
        "software": {
            "name": software,
            "version": version,
            "repository": repository,
            "homepage": homepage,
        },
        "protocols": ["activitypub"],
        "services": {"inbound": [], "outbound": []},
        "openRegistrations": open_registrations,
        "usage": {
            "users": {
                "total": usage.users_total,
                "activeMonth": usage.users_active_month,
                "activeHalfyear": usage.users_active_halfyear,
            },
            "localPosts": usage.local_posts,
            "localComments": usage.local_comments,
        },
        "metadata": metadata,
    }


# --- reading other servers' NodeInfo ------------------------------------------------------

DISCOVERY_PATH = "/.well-known/nodeinfo"
_SCHEMA_PREFIX = "http://nodeinfo.diaspora.software/ns/schema/2."
DISCOVERY_ACCEPT = "application/json, application/jrd+json"
MAX_FIELD = 64  # Host.software and Host.software_version hold this much


@dataclass(frozen=True)
class Software:
    """What a server's NodeInfo says it runs: the name lower-cased, the version as given."""

    name: str
    version: str


def nodeinfo_link(discovery: Any) -> str | None:
    """The href of the newest NodeInfo 2.x document a discovery JRD links, or None."""
    links = discovery.get("links") if isinstance(discovery, dict) else None
    found: list[tuple[str, str]] = []
    for link in links if isinstance(links, list) else []:
        if not isinstance(link, dict):
            continue
        rel, href = link.get("rel"), link.get("href")
        if isinstance(rel, str) and rel.startswith(_SCHEMA_PREFIX) and isinstance(href, str):
            found.append((rel, href))
    return max(found)[1] if found else None


def software_of(document: Any) -> Software | None:
    """The software a NodeInfo 2.x document names, or None when it names none readably."""
    software = document.get("software") if isinstance(document, dict) else None
    if not isinstance(software, dict) or not isinstance(software.get("name"), str):
        return None
    name = software["name"].strip().lower()[:MAX_FIELD]
    version = software.get("version")
    return Software(name, version.strip()[:MAX_FIELD] if isinstance(version, str) else "")
