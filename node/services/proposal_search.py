"""Finding proposals: by status, hashtag, organisation and words in their text, paginated."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from tortoise.expressions import Q, Subquery
from tortoise.queryset import QuerySet

from node.i18n import N_
from node.models import Actor, ActorType, Object, ObjectTag, Proposal, ProposalStatus
from node.proposal_documents import clean_hashtag
from node.search_match import SaysWords
from node.search_text import query_words
from node.services.actor_views import ActorView, actor_view
from node.services.errors import ServiceError
from node.services.limited_servers import without_limited
from node.services.thread_view import (
    AUTHOR_FIELDS,
    Comment,
    CommentAuthor,
    author_of,
    comments_of,
)
from node.services.visibility import NOBODY, Reader, proposals_shown_to_everyone

PAGE_SIZE = 20
ORGANISATION_TYPES = (ActorType.GROUP, ActorType.ORGANIZATION, ActorType.SERVICE)


@dataclass(frozen=True, slots=True)
class ProposalCard:
    """What a list shows of a proposal (read without loading its documents)."""

    uri: str
    url: str
    name: str
    summary: str
    status: ProposalStatus
    closes_at: datetime | None
    author: CommentAuthor
    organisation: CommentAuthor | None
    closed_at: datetime | None = None
    decided_at: datetime | None = None
    object_id: int = 0  # its page here when another node's: /remote/objects/{object_id}
    is_local: bool = True


CARD_FIELDS = (
    "object__id",
    "object__is_local",
    "object__uri",
    "object__url",
    "object__name",
    "object__summary",
    "status",
    "closes_at",
    "closed_at",
    "decided_at",
    *(f"object__author__{name}" for name in AUTHOR_FIELDS),
    *(f"organisation__{name}" for name in AUTHOR_FIELDS),
)


async def cards_of(rows: QuerySet[Proposal]) -> list[ProposalCard]:
    """The proposals `rows` selects, as cards, in one query."""
    return [
        ProposalCard(
            uri=row["object__uri"],
            url=row["object__url"],
            name=row["object__name"],
            summary=row["object__summary"],
            status=ProposalStatus(row["status"]),
            closes_at=row["closes_at"],
            author=author_of(row, "object__author__"),
            organisation=author_of(row, "organisation__") if row["organisation__id"] else None,
            closed_at=row["closed_at"],
            decided_at=row["decided_at"],
            object_id=row["object__id"],
            is_local=row["object__is_local"],
        )
        for row in await rows.values(*CARD_FIELDS)
    ]


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

    proposals: list[ProposalCard]
    total: int
    page: int
    pages: int
    organisations: list[ActorView] = field(default_factory=list)


def parse_query(
    status: str = "", tag: str = "", organisation: str = "", words: str = "", page: str = ""
) -> ProposalQuery:
    """Check what came from a query string; a ServiceError says which part is wrong."""
    if status and status not in {s.value for s in ProposalStatus if s != ProposalStatus.DRAFT}:
        raise ServiceError(N_("unknown status %(status)s"), status=repr(status))
    cleaned_tag = clean_hashtag(tag) if tag else ""
    if tag and not cleaned_tag:
        raise ServiceError(
            N_("%(tag)s is not a hashtag: use letters, digits or underscores"), tag=repr(tag)
        )
    try:
        number = int(page) if page else 1
    except ValueError:
        raise ServiceError(N_("page %(page)s is not a number"), page=repr(page)) from None
    if number < 1 or number > 10_000:
        raise ServiceError(N_("page must be between 1 and 10000"))
    return ProposalQuery(status, cleaned_tag, organisation, words.strip()[:200], number)


async def find_proposals(query: ProposalQuery, reader: Reader = NOBODY) -> ProposalList:
    """The page of proposals matching `query` (public ones only, none by a limited author
    the reader does not follow), and the organisations."""
    rows = await _listed(Proposal.all(), reader)
    if query.status:
        rows = rows.filter(status=query.status)
    if query.tag:  # a subquery, not a join: no duplicate rows, so no DISTINCT to order
        rows = rows.filter(
            object_id__in=Subquery(ObjectTag.filter(name=query.tag).values("object_id"))
        )
    if query.organisation:
        rows = rows.filter(
            Q(organisation__uri=query.organisation) | Q(object__author__uri=query.organisation)
        )
    words = query_words(query.words)  # the search page's rule: any language, every word
    if words:
        said = SaysWords(f'"{Proposal._meta.db_table}"."object_id"', words)
        rows = rows.annotate(says_words=said).filter(says_words=True)
    total = await rows.count()
    pages = max(1, -(-total // PAGE_SIZE))
    proposals = await cards_of(
        rows.order_by("status", "closes_at", "-created_at")
        .offset((query.page - 1) * PAGE_SIZE)
        .limit(PAGE_SIZE)
    )
    return ProposalList(proposals, total, query.page, pages, await organisations())


async def organisations() -> list[ActorView]:
    """Organisations whose proposals this node holds (its own first), for the filter."""
    ids = await Proposal.filter(object__is_public=True).values_list("object__author_id", flat=True)
    org_ids = await Proposal.filter(organisation_id__isnull=False).values_list(
        "organisation_id", flat=True
    )
    actors = await Actor.filter(
        id__in={*ids, *org_ids}, type__in=list(ORGANISATION_TYPES), deleted_at=None
    )
    ordered = sorted(actors, key=lambda actor: (not actor.is_local, actor.name.casefold()))
    return [actor_view(actor) for actor in ordered]


async def _listed(rows: QuerySet[Proposal], reader: Reader) -> QuerySet[Proposal]:
    """The proposals of `rows` a list shows the reader."""
    shown = proposals_shown_to_everyone(rows)
    return await without_limited(shown, reader, "object__author_id")


async def open_consultations(limit: int = 10, reader: Reader = NOBODY) -> list[ProposalCard]:
    """Open proposals, the ones closing soonest first, then those with no closing date."""
    live = await _listed(Proposal.filter(status=ProposalStatus.OPEN), reader)
    closing = await cards_of(
        live.filter(closes_at__isnull=False).order_by("closes_at", "-created_at").limit(limit)
    )
    if len(closing) == limit:
        return closing
    undated = live.filter(closes_at__isnull=True).order_by("-created_at")
    return closing + await cards_of(undated.limit(limit - len(closing)))


async def recently_decided(limit: int = 5, reader: Reader = NOBODY) -> list[ProposalCard]:
    """Proposals closed or decided most recently."""
    return await cards_of(
        (await _listed(Proposal.exclude(status=ProposalStatus.OPEN), reader))
        .order_by("-object__updated_at", "-created_at")
        .limit(limit)
    )


async def recent_comments(limit: int = 8) -> list[Comment]:
    """The newest public comments in any thread, for 'recent activity'."""
    rows = Object.filter(
        type="Note", is_public=True, deleted_at__isnull=True, hidden_at__isnull=True
    ).exclude(context_uri="")
    shown = await without_limited(rows, NOBODY)
    return await comments_of(shown.order_by("-published_at").limit(limit))
