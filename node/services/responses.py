"""Cross-organisation responses: objects on other nodes that answer or link one of our proposals.

A proposal or comment responds to another node's proposal by replying to it (`inReplyTo`) or by
linking it with a FEP-e232 `Link` tag whose `mediaType` is ActivityStreams JSON. The response
keeps its own `context`: threads are never merged, they only point at each other.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from tortoise import connections

from federation.vocab import LD_CONTENT_TYPE, as_list
from node.addressing import addressed_ids
from node.models import Actor, ActorType, Object, ObjectLink, Proposal
from node.raw_sql import is_postgres, numbered
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
        raise ServiceError(f"a proposal may link at most {MAX_LINKS} other objects")
    links = []
    for tag in tags:
        if not _is_iri(tag.get("href")):
            href = tag.get("href")
            raise ServiceError(f"a Link tag needs an http(s) URL as its href, not {href!r}")
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
        raise NotFound(f"no proposal {proposal_uri} here")
    home = await _home_organisation(proposal)
    candidates = await _candidate_ids(proposal_uri, proposal.id)
    rows = (
        await Object.filter(id__in=candidates)
        .order_by("-published_at", "-id")
        .prefetch_related("author")
        if candidates
        else []
    )
    audiences = {row.id: _audience(row) for row in rows}
    named = {uri for uris in audiences.values() for uri in uris}
    groups = {
        actor.uri: actor
        for actor in await Actor.filter(uri__in=list(named), type__in=list(ORGANISATION_TYPES))
    }
    found = []
    for row in rows:
        organisation = _responding_organisation(row, audiences[row.id], groups, home)
        if organisation is not None:
            found.append(organisation)
    return found


# The replies and linking objects that may be responses: by an organisation, or naming an
# `audience` (only those are read whole: a proposal's page asks this of every comment on it).
_CANDIDATES = """
SELECT o.id FROM object o JOIN actor a ON a.id = o.author_id
WHERE (o.in_reply_to_uri = {{p1}}
       OR o.id IN (SELECT object_id FROM object_link WHERE href = {{p2}}))
  AND o.deleted_at IS NULL AND o.is_public = {{p3}} AND o.id <> {{p4}}
  AND (a.type IN ({{p5}}, {{p6}}) OR {audience} IS NOT NULL)
ORDER BY o.published_at DESC, o.id DESC LIMIT {{p7}}
"""
_AUDIENCE = {
    "sqlite": "json_extract(o.document, '$.audience')",
    "postgres": "o.document -> 'audience'",
}


async def _candidate_ids(proposal_uri: str, proposal_id: int) -> list[int]:
    connection = connections.get("default")
    postgres = is_postgres(connection)
    sql = _CANDIDATES.format(audience=_AUDIENCE["postgres" if postgres else "sqlite"])
    kinds = [kind.value for kind in ORGANISATION_TYPES]
    parameters = [proposal_uri, proposal_uri, True, proposal_id, *kinds, MAX_RESPONSES]
    rows = await connection.execute_query_dict(numbered(sql, postgres), parameters)
    return [int(row["id"]) for row in rows]


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
    return addressed_ids(row.document.get("audience"))


def _origin(uri: str) -> str:
    parts = urlsplit(uri)
    return f"{parts.scheme}://{parts.netloc}".lower()


def _responding_organisation(
    row: Object, audience: list[str], groups: dict[str, Actor], home: str
) -> OrganisationResponse | None:
    """The response with the organisation it speaks for, or None when it is not one."""
    author: Actor = row.author
    if author.type in ORGANISATION_TYPES and author.uri != home:
        return OrganisationResponse(row, author.uri, author.name or author.uri)
    for uri in audience:
        # only an organisation on the response's own server: another server's (ours
        # included) cannot be named into speaking
        if uri == home or _origin(uri) != _origin(row.uri):
            continue
        if uri in groups:
            return OrganisationResponse(row, uri, groups[uri].name or uri)
        return OrganisationResponse(row, uri, uri)  # an unknown audience on its own server
    return None
