"""Cross-organisation responses: objects on other nodes that answer or link one of our proposals.

A proposal or comment responds to another node's proposal by replying to it (`inReplyTo`) or by
linking it with a FEP-e232 `Link` tag whose `mediaType` is ActivityStreams JSON. The response
keeps its own `context`: threads are never merged, they only point at each other.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from tortoise.expressions import Q, Subquery

from federation.vocab import LD_CONTENT_TYPE, as_list
from node.addressing import addressed_ids
from node.i18n import N_
from node.models import Actor, ActorType, Object, ObjectLink, Proposal
from node.services.errors import NotFound, ServiceError

AS2_MEDIA_TYPES = frozenset({"application/activity+json", "application/ld+json"})
ORGANISATION_TYPES = (ActorType.GROUP, ActorType.ORGANIZATION)
MAX_LINKS = 20
MAX_HREF = 2048
MAX_RESPONSES = 200


@dataclass(frozen=True)
class OrganisationResponse:
    """A response to a proposal, and the organisation (actor id and name) it came from."""

    object: Object
    organisation: str
    organisation_name: str


def _is_object_link(tag: Any) -> bool:
    """Whether a tag is a FEP-e232 Link to an ActivityStreams object."""
    if not isinstance(tag, dict) or tag.get("type") != "Link":
        return False
    media_type = tag.get("mediaType")
    return isinstance(media_type, str) and (
        media_type.split(";", 1)[0].strip().lower() in AS2_MEDIA_TYPES
    )


def _is_iri(value: Any) -> bool:
    if not isinstance(value, str) or len(value) > MAX_HREF or any(ch.isspace() for ch in value):
        return False
    parts = urlsplit(value)
    return parts.scheme in ("http", "https") and bool(parts.hostname) and "@" not in parts.netloc


def linked_objects(document: dict[str, Any]) -> list[str]:
    """The ids an object links with FEP-e232 Link tags (malformed ones are ignored)."""
    hrefs: dict[str, None] = {}
    for tag in as_list(document.get("tag")):
        if _is_object_link(tag) and _is_iri(tag.get("href")) and tag["href"] != document.get("id"):
            hrefs.setdefault(tag["href"], None)
    return list(hrefs)[:MAX_LINKS]


def submitted_link_tags(submitted: dict[str, Any]) -> list[dict[str, Any]]:
    """The Link tags a member put in a proposal, as we publish them; refuse malformed ones."""
    tags = [tag for tag in as_list(submitted.get("tag")) if _is_object_link(tag)]
    if len(tags) > MAX_LINKS:
        raise ServiceError(
            N_("a proposal may link at most %(max_links)s other objects"), max_links=MAX_LINKS
        )
    links = []
    for tag in tags:
        if not _is_iri(tag.get("href")):
            href = tag.get("href")
            raise ServiceError(
                N_("a Link tag needs an http(s) URL as its href, not %(href)s"), href=repr(href)
            )
        link = {"type": "Link", "mediaType": LD_CONTENT_TYPE, "href": tag["href"]}
        if isinstance(tag.get("name"), str):
            link["name"] = tag["name"][:200]
        links.append(link)
    return links


async def store_links(row: Object, document: dict[str, Any], *, replacing: bool = True) -> None:
    """Replace the stored links of an object with those its document carries now (`replacing`
    false: the object is new, so there is nothing to replace)."""
    if replacing:
        await ObjectLink.filter(object_id=row.id).delete()
    hrefs = linked_objects(document)
    if hrefs:
        await ObjectLink.bulk_create([ObjectLink(object_id=row.id, href=href) for href in hrefs])


async def linked_authors(document: dict[str, Any]) -> list[Actor]:
    """The remote authors of the objects a document links: their servers hear of the response."""
    hrefs = linked_objects(document)
    if not hrefs:
        return []
    rows = await Object.filter(uri__in=hrefs, is_local=False).prefetch_related("author")
    return [row.author for row in rows if row.author.deleted_at is None]


async def responses_from_other_organisations(proposal_uri: str) -> list[OrganisationResponse]:
    """Live public objects answering or linking the proposal, from organisations other than its own.

    An object counts when its author is a Group or Organization, or when its `audience` names
    one (a Townhall proposal names its node's organisation); the proposal's own organisation
    does not count. Newest first.
    """
    proposal = await Object.get_or_none(uri=proposal_uri, deleted_at=None)
    if proposal is None:
        raise NotFound(N_("no proposal %(proposal_uri)s here"), proposal_uri=proposal_uri)
    home = await _home_organisation(proposal)
    linking = ObjectLink.filter(href=proposal_uri).values_list("object_id", flat=True)
    # the candidates as plain values (a comment page's worth of rows, most of them members'
    # comments that are no organisation's): whole rows only for those that are responses
    candidates = (
        await Object.filter(Q(in_reply_to_uri=proposal_uri) | Q(id__in=Subquery(linking)))
        .filter(deleted_at=None, is_public=True)
        .exclude(id=proposal.id)
        .order_by("-published_at", "-id")
        .limit(MAX_RESPONSES)
        .values("id", "uri", "document", "author__type", "author__uri", "author__name")
    )
    audiences = {row["id"]: _audience_of(row["document"]) for row in candidates}
    named = {uri for uris in audiences.values() for uri in uris}
    groups = {
        actor.uri: actor
        for actor in await Actor.filter(uri__in=list(named), type__in=list(ORGANISATION_TYPES))
    }
    speaking = []
    for row in candidates:
        organisation = _responding_organisation(row, audiences[row["id"]], groups, home)
        if organisation is not None:
            speaking.append((row["id"], organisation))
    if not speaking:
        return []
    objects = {row.id: row for row in await Object.filter(id__in=[id_ for id_, _ in speaking])}
    return [
        OrganisationResponse(objects[id_], uri, name)
        for id_, (uri, name) in speaking
        if id_ in objects
    ]


async def _home_organisation(proposal: Object) -> str:
    """The organisation a proposal belongs to: its Proposal row's, its audience, or its author."""
    row = await Proposal.get_or_none(object_id=proposal.id).prefetch_related("organisation")
    if row is not None and row.organisation is not None:
        return str(row.organisation.uri)
    audience = [uri for uri in _audience(proposal) if _origin(uri) == _origin(proposal.uri)]
    if audience:
        return audience[0]
    await proposal.fetch_related("author")
    return str(proposal.author.uri)


def _audience(row: Object) -> list[str]:
    return _audience_of(row.document)


def _audience_of(document: Any) -> list[str]:
    if isinstance(document, str | bytes):
        document = json.loads(document)
    return addressed_ids(document.get("audience")) if isinstance(document, dict) else []


def _origin(uri: str) -> str:
    parts = urlsplit(uri)
    return f"{parts.scheme}://{parts.netloc}".lower()


def _responding_organisation(
    row: dict[str, Any], audience: list[str], groups: dict[str, Actor], home: str
) -> tuple[str, str] | None:
    """The organisation (id, name) a candidate response speaks for, or None when none."""
    author_type, author_uri = row["author__type"], row["author__uri"]
    if author_type in ORGANISATION_TYPES and author_uri != home:
        return author_uri, row["author__name"] or author_uri
    for uri in audience:
        # only an organisation on the response's own server: another server's (ours
        # included) cannot be named into speaking
        if uri == home or _origin(uri) != _origin(row["uri"]):
            continue
        if uri in groups:
            return uri, groups[uri].name or uri
        return uri, uri  # an unknown audience on its own server
    return None
