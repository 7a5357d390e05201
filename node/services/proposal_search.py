"""Finding proposals: by status, hashtag, organisation and words in their text, paginated."""

from __future__ import annotations

from dataclasses import dataclass, field

from tortoise.expressions import Q

from node.models import Actor, ActorType, Object, Proposal, ProposalStatus
from node.proposal_documents import clean_hashtag
from node.services.errors import ServiceError

PAGE_SIZE = 20
MAX_TERMS = 8
ORGANISATION_TYPES = (ActorType.GROUP, ActorType.ORGANIZATION, ActorType.SERVICE)


@dataclass(frozen=True)
class ProposalQuery:
    """What a visitor asked for; empty strings mean 'any'."""

    status: str = ""
    tag: str = ""
    organisation: str = ""  # an organisation actor's URI
    words: str = ""
    page: int = 1


@dataclass
class ProposalList:
    """One page of matching proposals, open ones with the nearest closing date first."""

    proposals: list[Proposal]
    total: int
    page: int
    pages: int
    organisations: list[Actor] = field(default_factory=list)


def parse_query(
    status: str = "", tag: str = "", organisation: str = "", words: str = "", page: str = ""
) -> ProposalQuery:
    """Check what came from a query string; a ServiceError says which part is wrong."""
    if status and status not in {s.value for s in ProposalStatus if s != ProposalStatus.DRAFT}:
        raise ServiceError(f"unknown status {status!r}")
    cleaned_tag = clean_hashtag(tag) if tag else ""
    if tag and not cleaned_tag:
        raise ServiceError(f"{tag!r} is not a hashtag: use letters, digits or underscores")
    try:
        number = int(page) if page else 1
    except ValueError:
        raise ServiceError(f"page {page!r} is not a number") from None
    if number < 1 or number > 10_000:
        raise ServiceError("page must be between 1 and 10000")
    return ProposalQuery(status, cleaned_tag, organisation, words.strip()[:200], number)


async def find_proposals(query: ProposalQuery) -> ProposalList:
    """The page of proposals matching `query` (public ones only), and the organisations."""
    rows = Proposal.filter(object__is_public=True, object__deleted_at__isnull=True).exclude(
        status=ProposalStatus.DRAFT
    )
    if query.status:
        rows = rows.filter(status=query.status)
    if query.tag:
        rows = rows.filter(object__tags__name=query.tag)
    if query.organisation:
        rows = rows.filter(
            Q(organisation__uri=query.organisation) | Q(object__author__uri=query.organisation)
        )
    for term in query.words.split()[:MAX_TERMS]:
        rows = rows.filter(
            Q(object__name__icontains=term)
            | Q(object__summary__icontains=term)
            | Q(body__icontains=term)
            | Q(object__source__icontains=term)
        )
    total = await rows.distinct().count()
    pages = max(1, -(-total // PAGE_SIZE))
    proposals = (
        await rows.distinct()
        .select_related("object", "object__author", "organisation")
        .order_by("status", "closes_at", "-created_at")
        .offset((query.page - 1) * PAGE_SIZE)
        .limit(PAGE_SIZE)
    )
    return ProposalList(list(proposals), total, query.page, pages, await organisations())


async def organisations() -> list[Actor]:
    """Organisations whose proposals this node holds (its own first), for the filter."""
    ids = await Proposal.filter(object__is_public=True).values_list("object__author_id", flat=True)
    org_ids = await Proposal.filter(organisation_id__isnull=False).values_list(
        "organisation_id", flat=True
    )
    actors = await Actor.filter(
        id__in={*ids, *org_ids}, type__in=list(ORGANISATION_TYPES), deleted_at=None
    )
    return sorted(actors, key=lambda actor: (not actor.is_local, actor.name.casefold()))


async def open_consultations(limit: int = 10) -> list[Proposal]:
    """Open proposals, the ones closing soonest first (no closing date last)."""
    rows = await (
        Proposal.filter(
            status=ProposalStatus.OPEN, object__is_public=True, object__deleted_at__isnull=True
        )
        .select_related("object", "object__author", "organisation")
        .order_by("closes_at", "-created_at")
        .limit(limit * 3)
    )
    return sorted(rows, key=lambda p: (p.closes_at is None, p.closes_at or p.created_at))[:limit]


async def recently_decided(limit: int = 5) -> list[Proposal]:
    """Proposals closed or decided most recently."""
    return list(
        await Proposal.filter(
            status__in=[
                s for s in ProposalStatus if s not in (ProposalStatus.DRAFT, ProposalStatus.OPEN)
            ],
            object__is_public=True,
            object__deleted_at__isnull=True,
        )
        .select_related("object", "object__author", "organisation")
        .order_by("-object__updated_at", "-created_at")
        .limit(limit)
    )


async def recent_comments(limit: int = 8) -> list[Object]:
    """The newest public comments in any thread, for 'recent activity'."""
    return list(
        await Object.filter(
            type="Note", is_public=True, deleted_at__isnull=True, hidden_at__isnull=True
        )
        .exclude(context_uri="")
        .select_related("author")
        .order_by("-published_at")
        .limit(limit)
    )
