"""What the staff's view of a consultation's responses reads: every comment of the thread (local
and remote, replies to replies too) with its themes, whether it is marked to quote, the kind of
respondent (endorsements.bucket_of) and where it came from (its server and that server's
organisation), filtered by any of these at once.

A fixed number of queries whatever the number of comments: the filters apply in memory to the
one list of the thread's comments, which also gives the counts beside each filter.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, fields
from typing import Any

from node.i18n import N_
from node.models import Actor, Object, QuotedResponse, ResponseTheme, ThemedResponse
from node.numbers import whole_number
from node.services.actors import roles_kept_private
from node.services.endorsements import ORGANISATION_TYPES, EndorsementCounts, bucket_of
from node.services.errors import ServiceError
from node.services.response_analysis import NOT_RESPONSES, Theme, staff_proposal
from node.services.thread_view import AUTHOR_FIELDS, COMMENT_FIELDS, Comment, author_of

# the kinds of respondent, in the order the endorsement counts give them
KINDS = tuple(field.name for field in fields(EndorsementCounts))


@dataclass(frozen=True)
class ResponseFilters:
    """Which responses to show: any combination (each empty one lets every response through)."""

    theme: int | None = None
    kind: str = ""
    origin: str = ""  # a server's domain
    quoted: bool = False

    @property
    def active(self) -> bool:
        """Whether any filter is set."""
        return self.theme is not None or bool(self.kind or self.origin) or self.quoted


NO_FILTERS = ResponseFilters()


@dataclass(frozen=True)
class ThemeSummary:
    """A theme and how many responses it tags."""

    id: int
    name: str
    responses: int


@dataclass(frozen=True)
class KindSummary:
    """A kind of respondent (an EndorsementCounts field) and how many responses it gave."""

    kind: str
    responses: int


@dataclass(frozen=True)
class OriginSummary:
    """A server responses came from, its organisation's name when it has one, and how many."""

    domain: str
    organisation: str
    responses: int


@dataclass(frozen=True)
class AnalysedResponse:
    """A comment as staff read it: who gave it, its themes and whether it is to be quoted."""

    comment: Comment
    kind: str
    late: bool
    is_reply: bool  # to another comment rather than to the proposal
    themes: tuple[Theme, ...]
    quoted: bool


@dataclass(frozen=True)
class ResponsesView:
    """A consultation's responses for its staff, with the filters and the counts beside them."""

    proposal_uri: str
    proposal_name: str
    status: str
    themes: tuple[ThemeSummary, ...]
    kinds: tuple[KindSummary, ...]
    origins: tuple[OriginSummary, ...]
    total: int
    quoted: int
    filters: ResponseFilters
    responses: tuple[AnalysedResponse, ...]


def response_filters(query: Mapping[str, str]) -> ResponseFilters:
    """The filters in a query string (theme, kind, origin, quoted); a ServiceError for a value
    that can match nothing (a theme that is no number, an unknown kind)."""
    theme_text = query.get("theme", "").strip()
    theme = whole_number(theme_text) if theme_text else None
    if theme_text and theme is None:
        raise ServiceError(N_("the theme to filter by must be one of this consultation's themes"))
    kind = query.get("kind", "").strip()
    if kind and kind not in KINDS:
        raise ServiceError(
            N_("the kind of respondent must be one of %(values)s"), values=", ".join(KINDS)
        )
    origin = query.get("origin", "").strip().lower()
    quoted = query.get("quoted", "") not in ("", "0")
    return ResponseFilters(theme, kind, origin, quoted)


async def load_responses(
    proposal_uri: str, actor_id: int, filters: ResponseFilters = NO_FILTERS
) -> ResponsesView:
    """The responses to a proposal as its staff see them (NotFound / Forbidden for others)."""
    proposal = await staff_proposal(proposal_uri, actor_id)
    themes = await ResponseTheme.filter(proposal_id=proposal.id).order_by("name", "id")
    if filters.theme is not None and filters.theme not in {theme.id for theme in themes}:
        raise ServiceError(N_("the theme to filter by must be one of this consultation's themes"))
    rows = await (
        Object.filter(
            context_uri=proposal.object.context_uri,
            is_public=True,
            deleted_at=None,
            hidden_at=None,
        )
        .exclude(id=proposal.object.id)
        .exclude(type__in=NOT_RESPONSES)
        .order_by("published_at", "id")
        .values(
            *COMMENT_FIELDS,  # "late" among them
            "author__type",
            "author__role",
            *(f"author__{name}" for name in AUTHOR_FIELDS),
        )
    )
    by_id = {theme.id: Theme(theme.id, theme.name) for theme in themes}
    tags: dict[int, list[Theme]] = defaultdict(list)
    for tag in await ThemedResponse.filter(theme_id__in=list(by_id)).values(
        "theme_id", "object_id"
    ):
        tags[int(tag["object_id"])].append(by_id[int(tag["theme_id"])])
    quoted = {
        int(row["object_id"])
        for row in await QuotedResponse.filter(proposal_id=proposal.id).values("object_id")
    }
    # a member who keeps their role private is one of the "other members" here: this page
    # names each respondent, so their role would not stay anonymous (actors.shown_role)
    private = await roles_kept_private(list({int(row["author__id"]) for row in rows}))
    everything = [_analysed(row, proposal.object.uri, tags, quoted, private) for row in rows]
    return ResponsesView(
        proposal_uri=proposal.object.uri,
        proposal_name=proposal.object.name,
        status=proposal.status.value,
        themes=_theme_summaries(themes, everything),
        kinds=_kind_summaries(everything),
        origins=await _origin_summaries(everything),
        total=len(everything),
        quoted=sum(1 for response in everything if response.quoted),
        filters=filters,
        responses=tuple(response for response in everything if _passes(response, filters)),
    )


def _analysed(
    row: dict[str, Any],
    proposal_uri: str,
    tags: dict[int, list[Theme]],
    quoted: set[int],
    private: set[int],
) -> AnalysedResponse:
    comment = Comment(
        **{name: row[name] for name in COMMENT_FIELDS}, author=author_of(row, "author__")
    )
    role = "" if comment.author.id in private else str(row["author__role"])
    kind = bucket_of(str(row["author__type"]), role, comment.author.is_local)
    themes = tuple(sorted(tags.get(comment.id, []), key=lambda theme: theme.name.casefold()))
    return AnalysedResponse(
        comment=comment,
        kind=kind,
        late=bool(row["late"]),
        is_reply=comment.in_reply_to_uri != proposal_uri,
        themes=themes,
        quoted=comment.id in quoted,
    )


def _passes(response: AnalysedResponse, filters: ResponseFilters) -> bool:
    if filters.theme is not None and filters.theme not in {t.id for t in response.themes}:
        return False
    if filters.kind and response.kind != filters.kind:
        return False
    if filters.origin and response.comment.author.domain.lower() != filters.origin:
        return False
    return not filters.quoted or response.quoted


def _theme_summaries(
    themes: list[ResponseTheme], responses: list[AnalysedResponse]
) -> tuple[ThemeSummary, ...]:
    counts = Counter(theme.id for response in responses for theme in response.themes)
    return tuple(ThemeSummary(theme.id, theme.name, counts[theme.id]) for theme in themes)


def _kind_summaries(responses: list[AnalysedResponse]) -> tuple[KindSummary, ...]:
    counts = Counter(response.kind for response in responses)
    return tuple(KindSummary(kind, counts[kind]) for kind in KINDS)


async def _origin_summaries(responses: list[AnalysedResponse]) -> tuple[OriginSummary, ...]:
    """Each server responses came from, most responses first, named after its organisation."""
    counts = Counter(response.comment.author.domain.lower() for response in responses)
    organisations = await _organisations_of(list(counts))
    ordered = sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    return tuple(
        OriginSummary(domain, organisations.get(domain, ""), count) for domain, count in ordered
    )


async def _organisations_of(domains: list[str]) -> dict[str, str]:
    """The organisation of each server that has exactly one we know (a Townhall node's Group);
    a server with several (Lemmy's communities) or none (Mastodon) is named by its domain."""
    if not domains:
        return {}
    found: dict[str, list[str]] = defaultdict(list)
    rows = await Actor.filter(
        domain__in=domains, type__in=list(ORGANISATION_TYPES), deleted_at=None
    ).values("domain", "name", "handle")
    for row in rows:
        found[str(row["domain"]).lower()].append(str(row["name"] or row["handle"]))
    return {domain: names[0] for domain, names in found.items() if len(names) == 1}
