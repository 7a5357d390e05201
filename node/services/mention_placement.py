"""Where a post that only mentions the organisation belongs.

A Mastodon user who wants to answer a consultation often writes a new post, not a reply:
"@org@node I think … https://node/objects/abc". Such a post (no `inReplyTo`, a `Mention` of
the organisation) that links one of our published proposals is placed on that proposal as a
comment: it answers the proposal and joins its thread. One that links none is a mention of the
organisation, listed in the moderators' notifications (node/services/notifications.py).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from tortoise.expressions import Q, Subquery

from federation.vocab import as_list, id_of
from node.models import Object, Proposal, ProposalStatus
from node.services.organisations import live_organisations

MAX_LINKS = 20  # links of one post looked at
_HREF = re.compile(r"""href\s*=\s*["']([^"']{1,2048})["']""", re.IGNORECASE)
PLACED_TYPES = frozenset({"Note", "Page"})


@dataclass(frozen=True)
class Placement:
    """The proposal a mention-only post answers: it is read as a reply to it."""

    in_reply_to_uri: str
    context_uri: str


def mentions(document: dict[str, Any], actor_uri: str) -> bool:
    """Whether the post names `actor_uri` in a Mention tag."""
    return any(
        isinstance(tag, dict)
        and tag.get("type") == "Mention"
        and id_of(tag.get("href")) == actor_uri
        for tag in as_list(document.get("tag"))
    )


def links_of(document: dict[str, Any]) -> list[str]:
    """The addresses a post links: the links in its HTML, then its Link tags (FEP-e232)."""
    content = document.get("content")
    found = _HREF.findall(content) if isinstance(content, str) else []
    found += [
        str(tag["href"])
        for tag in as_list(document.get("tag"))
        if isinstance(tag, dict) and tag.get("type") == "Link" and isinstance(tag.get("href"), str)
    ]
    return list(dict.fromkeys(link.replace("&amp;", "&") for link in found))[:MAX_LINKS]


async def mentions_organisation(document: dict[str, Any]) -> bool:
    """Whether a post that answers nothing mentions an organisation of this node."""
    if id_of(document.get("inReplyTo")) or document.get("type") not in PLACED_TYPES:
        return False
    return any(mentions(document, each.uri) for each in await live_organisations())


async def placement(document: dict[str, Any]) -> Placement | None:
    """The published proposal a mention-only post links (the first it links), if any."""
    if not await mentions_organisation(document):
        return None
    links = links_of(document)
    if not links:
        return None
    rows = await Object.filter(
        Q(uri__in=links) | Q(url__in=links),
        is_local=True,
        is_public=True,
        deleted_at=None,
        hidden_at=None,
        id__in=Subquery(Proposal.exclude(status=ProposalStatus.DRAFT).values("object_id")),
    ).values("uri", "url", "context_uri")
    for link in links:
        for row in rows:
            if link in (row["uri"], row["url"]):
                return Placement(str(row["uri"]), str(row["context_uri"]))
    return None
