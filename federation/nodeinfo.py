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
