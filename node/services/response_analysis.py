"""Reading the responses ("response analysis"): the proposal's author and the node's moderators
keep a set of themes for one consultation, tag the comments of its thread with them (local and
remote, replies to replies too), and mark the comments to quote in "what we heard".

Only those staff may do any of it, and only they see it: themes and quotes go into no
ActivityStreams document and onto no public page (the report shows their counts). Each write is
one transaction: a refused request leaves nothing behind.
"""

from __future__ import annotations

from dataclasses import dataclass

from tortoise.exceptions import IntegrityError
from tortoise.transactions import in_transaction

from node.i18n import N_
from node.limits import MAX_THEME_NAME
from node.models import (
    AccessRole,
    Account,
    Actor,
    Object,
    Proposal,
    QuotedResponse,
    ResponseTheme,
    ThemedResponse,
)
from node.sanitize import display_name
from node.services.errors import Conflict, Forbidden, NotFound, ServiceError
from node.services.proposal_page import may_answer_amendments
from node.services.visibility import Seen, reader_of, seen_as

# a poll is not a response (its answers are counted apart); the proposal itself is not either
NOT_RESPONSES = ("Question",)


@dataclass(frozen=True)
class Theme:
    """A theme of a consultation's label set."""

    id: int
    name: str


async def staff_proposal(proposal_uri: str, actor_id: int) -> Proposal:
    """The local proposal `proposal_uri`, if the local actor `actor_id` analyses its
    responses: its author, or a moderator or admin of this node (the people who answer its
    amendments). NotFound when there is no such proposal or they may not see it (a draft is
    its author's alone); Forbidden for anyone else."""
    proposal = await Proposal.get_or_none(
        object__uri=proposal_uri, object__is_local=True, object__type="Article"
    ).select_related("object")
    if proposal is None:
        raise NotFound(N_("there is no such proposal here"))
    actor = await Actor.get(id=actor_id)
    account = await Account.get_or_none(actor_id=actor_id)
    is_moderator = account is not None and account.access_role in (
        AccessRole.MODERATOR,
        AccessRole.ADMIN,
    )
    if await seen_as(proposal.object, reader_of(actor, is_moderator)) is not Seen.SHOWN:
        raise NotFound(N_("there is no such proposal here"))
    if not await may_answer_amendments(actor_id, proposal):
        raise Forbidden(N_("only the proposal's author and the moderators analyse its responses"))
    return proposal


def theme_name(name: str) -> str:
    """A theme's name as kept: spaces collapsed, no control or invisible characters; a
    ServiceError when nothing is left or it is longer than MAX_THEME_NAME."""
    cleaned = display_name(name)
    if not cleaned:
        raise ServiceError(N_("give the theme a name"))
    if len(cleaned) > MAX_THEME_NAME:
        raise ServiceError(
            N_("a theme's name is at most %(max_theme_name)s characters"),
            max_theme_name=MAX_THEME_NAME,
        )
    return cleaned


async def _check_unique(proposal: Proposal, name: str, renaming: int | None = None) -> None:
    """A Conflict when another theme of this consultation has `name`, whatever its case."""
    others = ResponseTheme.filter(proposal_id=proposal.id)
    if renaming is not None:
        others = others.exclude(id=renaming)
    wanted = name.casefold()
    for existing in await others.values_list("name", flat=True):
        if str(existing).casefold() == wanted:
            raise Conflict(
                N_("this consultation already has a theme called “%(existing)s”"), existing=existing
            )


async def _theme_of(proposal: Proposal, theme_id: int) -> ResponseTheme:
    theme = await ResponseTheme.get_or_none(id=theme_id, proposal_id=proposal.id)
    if theme is None:
        raise NotFound(N_("this consultation has no such theme"))
    return theme


async def _response_of(proposal: Proposal, object_id: int) -> Object:
    """A comment of `proposal`'s thread (public, not withdrawn, not hidden), else NotFound."""
    row = (
        await Object.filter(
            id=object_id,
            context_uri=proposal.object.context_uri,
            is_public=True,
            deleted_at=None,
            hidden_at=None,
        )
        .exclude(id=proposal.object.id)
        .exclude(type__in=NOT_RESPONSES)
        .first()
    )
    if row is None or not proposal.object.context_uri:
        raise NotFound(N_("this comment is not one of this consultation's responses"))
    return row


async def add_theme(proposal_uri: str, actor_id: int, name: str) -> Theme:
    """Add a theme to the consultation's label set."""
    proposal = await staff_proposal(proposal_uri, actor_id)
    cleaned = theme_name(name)
    async with in_transaction():
        await _check_unique(proposal, cleaned)
        try:
            theme = await ResponseTheme.create(proposal_id=proposal.id, name=cleaned)
        except IntegrityError:  # the same name added at the same moment
            raise Conflict(N_("this consultation already has a theme with this name")) from None
    return Theme(theme.id, theme.name)


async def rename_theme(proposal_uri: str, actor_id: int, theme_id: int, name: str) -> Theme:
    """Give a theme a new name; its tags stay."""
    proposal = await staff_proposal(proposal_uri, actor_id)
    cleaned = theme_name(name)
    async with in_transaction():
        theme = await _theme_of(proposal, theme_id)
        await _check_unique(proposal, cleaned, renaming=theme.id)
        theme.name = cleaned
        try:
            await theme.save(update_fields=["name"])
        except IntegrityError:
            raise Conflict(N_("this consultation already has a theme with this name")) from None
    return Theme(theme.id, theme.name)


async def remove_theme(proposal_uri: str, actor_id: int, theme_id: int) -> Theme:
    """Remove a theme, and with it every tag it put on a comment."""
    proposal = await staff_proposal(proposal_uri, actor_id)
    async with in_transaction():
        theme = await _theme_of(proposal, theme_id)
        await ThemedResponse.filter(theme_id=theme.id).delete()
        await theme.delete()
    return Theme(theme.id, theme.name)


async def tag_response(proposal_uri: str, actor_id: int, object_id: int, theme_id: int) -> None:
    """Tag a comment of the consultation with one of its themes (again: nothing changes)."""
    proposal = await staff_proposal(proposal_uri, actor_id)
    try:
        async with in_transaction():
            theme = await _theme_of(proposal, theme_id)
            row = await _response_of(proposal, object_id)
            if not await ThemedResponse.exists(theme_id=theme.id, object_id=row.id):
                await ThemedResponse.create(theme_id=theme.id, object_id=row.id)
    except IntegrityError:  # tagged at the same moment by someone else: it is tagged
        if not await ThemedResponse.exists(theme_id=theme_id, object_id=object_id):
            raise  # not that race: a comment or theme removed meanwhile


async def untag_response(proposal_uri: str, actor_id: int, object_id: int, theme_id: int) -> None:
    """Take a theme off a comment (one it does not have: nothing changes)."""
    proposal = await staff_proposal(proposal_uri, actor_id)
    async with in_transaction():
        theme = await _theme_of(proposal, theme_id)
        await ThemedResponse.filter(theme_id=theme.id, object_id=object_id).delete()


async def mark_quote(proposal_uri: str, actor_id: int, object_id: int) -> None:
    """Mark a comment to be quoted in the consultation's report."""
    proposal = await staff_proposal(proposal_uri, actor_id)
    account = await Account.get_or_none(actor_id=actor_id)
    try:
        async with in_transaction():
            row = await _response_of(proposal, object_id)
            if not await QuotedResponse.exists(proposal_id=proposal.id, object_id=row.id):
                await QuotedResponse.create(
                    proposal_id=proposal.id, object_id=row.id, marked_by=account
                )
    except IntegrityError:  # marked at the same moment by someone else: it is marked
        if not await QuotedResponse.exists(proposal_id=proposal.id, object_id=object_id):
            raise  # not that race: the comment removed meanwhile


async def unmark_quote(proposal_uri: str, actor_id: int, object_id: int) -> None:
    """Stop quoting a comment in the report."""
    proposal = await staff_proposal(proposal_uri, actor_id)
    await QuotedResponse.filter(proposal_id=proposal.id, object_id=object_id).delete()
