"""The organisations a node hosts: the one setup makes and, on an umbrella body's node, those
its admin adds; who belongs to which, and which organisation a proposal is published for.

The node's own organisation (the first, made at setup) is what a single-organisation node has
always had. An account that belongs to no organisation acts for it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from tortoise.functions import Count
from tortoise.transactions import in_transaction

from node.config import HANDLE_PATTERN
from node.i18n import N_
from node.limits import MAX_DISPLAY_NAME, MAX_PROFILE_SUMMARY
from node.models import Account, Actor, ActorType, Membership, Object, Organisation, Proposal
from node.services import audit_log
from node.services.actors import create_local_actor, get_organisation
from node.services.errors import Conflict, Forbidden, NotFound, ServiceError
from node.urls import NodeUrls


@dataclass(frozen=True, slots=True)
class HostedOrganisation:
    """An organisation as the node's admin sees it in the list of those the node hosts."""

    handle: str
    name: str
    uri: str
    url: str
    is_own: bool  # the node's own organisation, made at setup: it cannot be suspended
    suspended: bool
    members: int


@dataclass(frozen=True, slots=True)
class OrganisationMember:
    """A member of an organisation the node hosts, as the admin's page lists them."""

    handle: str
    name: str
    role: str  # an OrganisationRole value: what they may do for it


async def create_first_organisation(urls: NodeUrls, name: str, handle: str) -> Actor:
    """Create the node's own organisation at setup; refuse when the database holds one."""
    existing = await get_organisation()
    if existing is not None:
        raise Conflict(
            N_("this database already holds a node for @%(handle)s@%(domain)s"),
            handle=existing.handle,
            domain=existing.domain,
        )
    return await _create(urls, handle, name)


async def add_organisation(urls: NodeUrls, handle: str, name: str, summary: str = "") -> Actor:
    """Host another organisation on this node: a Group actor of its own, `@handle@domain`."""
    problems = await organisation_problems(handle, name, summary)
    if problems:
        raise next(iter(problems.values()))
    if await get_organisation() is None:
        raise Conflict(N_("set the node up first: it has no organisation of its own yet"))
    return await _create(urls, handle.strip().lower(), name.strip(), summary.strip())


async def organisation_problems(handle: str, name: str, summary: str) -> dict[str, ServiceError]:
    """Every field's problem at once, by field name (handle, name, summary): what
    add_organisation would refuse, for a form to show beside each field."""
    problems: dict[str, ServiceError] = {}
    handle = handle.strip().lower()
    if not HANDLE_PATTERN.fullmatch(handle):
        problems["handle"] = ServiceError(
            N_("an organisation's handle is 1 to 30 lower-case letters, digits or underscores")
        )
    elif await Actor.exists(handle=handle, is_local=True):
        problems["handle"] = Conflict(
            N_("the handle @%(handle)s is taken on this node"), handle=handle
        )
    return problems | await profile_problems(name, summary)


async def profile_problems(name: str, summary: str) -> dict[str, ServiceError]:
    """What is wrong with an organisation's name and description, by field."""
    problems: dict[str, ServiceError] = {}
    if not name.strip():
        problems["name"] = ServiceError(N_("give the organisation's name"))
    elif len(name.strip()) > MAX_DISPLAY_NAME:
        problems["name"] = ServiceError(
            N_("the organisation's name is longer than %(limit)s characters"),
            limit=MAX_DISPLAY_NAME,
        )
    if len(summary.strip()) > MAX_PROFILE_SUMMARY:
        problems["summary"] = ServiceError(
            N_("the organisation's description is longer than %(limit)s characters"),
            limit=format(MAX_PROFILE_SUMMARY, ","),
        )
    return problems


async def add_hosted_organisation(
    urls: NodeUrls, handle: str, name: str, summary: str = "", *, by_account_id: int | None
) -> HostedOrganisation:
    """add_organisation by the admin `by_account_id` (None: the command line), in the audit
    log; answered as the admin's list shows it."""
    async with in_transaction():
        actor = await add_organisation(urls, handle, name, summary)
        await audit_log.record(by_account_id, "add_organisation", actor.handle)
    return await hosted_organisation(actor.handle)


async def _create(urls: NodeUrls, handle: str, name: str, summary: str = "") -> Actor:
    async with in_transaction():  # the actor, its summary and its Organisation row, or nothing
        actor = await create_local_actor(urls, handle, ActorType.GROUP, name.strip() or handle)
        if summary:
            actor.summary = summary
            await actor.save(update_fields=["summary", "updated_at"])
        await Organisation.create(actor=actor)
    return actor


async def hosted_organisations() -> list[HostedOrganisation]:
    """Every organisation the node hosts, its own first."""
    rows = await Organisation.all().order_by("id").prefetch_related("actor")
    counted = (
        await Membership.all()
        .annotate(count=Count("id"))
        .group_by("organisation_id")
        .values("organisation_id", "count")
    )
    counts = {int(row["organisation_id"]): int(row["count"]) for row in counted}
    own = rows[0].id if rows else None
    return [_hosted_view(row, row.id == own, counts.get(row.id, 0)) for row in rows]


async def hosted_organisation(handle: str) -> HostedOrganisation:
    """One organisation the node hosts, as its list shows it; NotFound for any other handle."""
    row = await hosted_row(handle)
    first = await _own_row()
    members = await Membership.filter(organisation_id=row.id).count()
    return _hosted_view(row, first is not None and first.id == row.id, members)


def _hosted_view(row: Organisation, is_own: bool, members: int) -> HostedOrganisation:
    return HostedOrganisation(
        handle=row.actor.handle,
        name=row.actor.name,
        uri=row.actor.uri,
        url=row.actor.url,
        is_own=is_own,
        suspended=row.suspended_at is not None,
        members=members,
    )


async def members_of(handle: str) -> list[OrganisationMember]:
    """The members of the organisation `handle` the node hosts, by handle; NotFound if none."""
    row = await hosted_row(handle)
    found = (
        await Membership.filter(organisation_id=row.id)
        .order_by("account__actor__handle")
        .values("account__actor__handle", "account__actor__name", "role")
    )
    return [
        OrganisationMember(
            handle=item["account__actor__handle"],
            name=item["account__actor__name"],
            role=str(item["role"]),
        )
        for item in found
    ]


async def hosted_row(handle: str) -> Organisation:
    """The organisation `handle` the node hosts, its actor loaded; NotFound for any other."""
    row = await Organisation.get_or_none(
        actor__handle=handle, actor__is_local=True
    ).prefetch_related("actor")
    if row is None:
        raise NotFound(N_("this node hosts no organisation @%(handle)s"), handle=handle)
    return row


async def _own_row() -> Organisation | None:
    """The node's own organisation, the first (made at setup)."""
    return await Organisation.all().order_by("id").first()


async def set_suspended(handle: str, suspended: bool, *, by_account_id: int | None) -> None:
    """Suspend an organisation the node hosts, or lift its suspension, by the admin
    `by_account_id` (None: the command line), in the audit log; nothing when it already is
    (or is not). The node's own organisation cannot be suspended: the node would have no face."""
    row = await hosted_row(handle)
    first = await _own_row()
    if suspended and first is not None and first.id == row.id:
        raise Conflict(N_("the node's own organisation cannot be suspended"))
    if (row.suspended_at is not None) == suspended:
        return
    row.suspended_at = datetime.now(UTC) if suspended else None
    async with in_transaction():
        await row.save(update_fields=["suspended_at"])
        action = "suspend_organisation" if suspended else "unsuspend_organisation"
        await audit_log.record(by_account_id, action, handle)


async def join(account_id: int, handle: str) -> bool:
    """Make a member belong to the organisation `handle` as well (nothing if they do);
    whether they joined."""
    row = await hosted_row(handle)
    if row.suspended_at is not None:
        raise Conflict(N_("@%(handle)s is suspended: it takes no new members"), handle=handle)
    if await Membership.exists(account_id=account_id, organisation_id=row.id):
        return False
    await Membership.create(account_id=account_id, organisation_id=row.id)
    await row.join_requests.filter(account_id=account_id).delete()  # type: ignore[attr-defined]
    return True


async def leave(account_id: int, handle: str) -> None:
    """End a member's belonging to the organisation `handle`; they keep at least one."""
    row = await hosted_row(handle)
    if await Membership.filter(account_id=account_id).count() <= 1:
        raise Conflict(N_("a member belongs to at least one organisation"))
    await Membership.filter(account_id=account_id, organisation_id=row.id).delete()


async def join_by_handle(handle: str, member: str, *, by_account_id: int | None) -> None:
    """join, for the member whose handle is `member`, by the admin `by_account_id` (the
    admin's page; None: the CLI), in the audit log when they joined."""
    await hosted_row(handle)  # an unknown organisation is named before an unknown member
    account_id = await _account_id(member)
    async with in_transaction():
        if await join(account_id, handle):
            await audit_log.record(
                by_account_id, "add_to_organisation", handle, _member_handle(member)
            )


async def leave_by_handle(handle: str, member: str, *, by_account_id: int | None) -> None:
    """leave, for the member whose handle is `member`, by the admin `by_account_id` (None: the
    CLI), in the audit log; refused unless they are a member."""
    row = await hosted_row(handle)
    account_id = await _account_id(member)
    if not await Membership.exists(account_id=account_id, organisation_id=row.id):
        raise NotFound(
            N_("@%(member)s is not a member of @%(handle)s"),
            member=_member_handle(member),
            handle=handle,
        )
    async with in_transaction():
        await leave(account_id, handle)
        await audit_log.record(
            by_account_id, "remove_from_organisation", handle, _member_handle(member)
        )


def _member_handle(member: str) -> str:
    """A member's handle as typed: `name` or `@name`."""
    return member.strip().removeprefix("@")


async def _account_id(member: str) -> int:
    handle = _member_handle(member)
    account = await Account.get_or_none(actor__handle=handle, actor__is_local=True)
    if account is None:
        raise NotFound(N_("no member @%(member)s on this node"), member=handle)
    return int(account.id)


async def join_own_organisation(account: Account) -> None:
    """A new account belongs to the node's own organisation (at setup: to none yet)."""
    first = await _own_row()
    if first is not None:
        await Membership.get_or_create(account_id=account.id, organisation_id=first.id)


async def organisations_of(account_id: int) -> list[Actor]:
    """The live organisations a member may act for, the node's own first; an account that
    belongs to none acts for the node's own."""
    rows = (
        await Membership.filter(account_id=account_id, organisation__suspended_at__isnull=True)
        .order_by("organisation_id")
        .prefetch_related("organisation__actor")
    )
    if rows:
        return [row.organisation.actor for row in rows]
    own = await get_organisation()
    return [own] if own is not None else []


def _named_organisation(audience: object) -> str | None:
    """The organisation a submitted proposal's `audience` names (a Group's URI), if any."""
    if isinstance(audience, list) and len(audience) == 1:  # a single value sent as an array
        audience = audience[0]
    if audience is None or audience == "":
        return None
    if not isinstance(audience, str):
        raise ServiceError(N_("audience is the URI of one organisation"))
    return audience


async def organisation_to_publish_for(author: Actor, audience: object) -> Actor | None:
    """The organisation a member's new proposal is for: the one its `audience` names (its
    actor URI, or its handle), which they must belong to, or else the first they belong to."""
    wanted = _named_organisation(audience)
    if author.is_local and author.type == ActorType.GROUP:
        return author  # an organisation publishes for itself
    account = await Account.get_or_none(actor_id=author.id)
    if account is None:
        return await get_organisation()
    theirs = await organisations_of(account.id)
    if not wanted:
        return theirs[0] if theirs else None
    for organisation in theirs:
        if wanted in (organisation.handle, organisation.uri):
            return organisation
    raise Forbidden(
        N_("you cannot publish for %(organisation)s: you are not one of its members"),
        organisation=wanted,
    )


async def organisation_of(proposal: Proposal) -> Actor | None:
    """The organisation a proposal of ours is published for (the node's own when it says
    none: proposals made before umbrella nodes)."""
    if proposal.organisation_id is not None:  # type: ignore[attr-defined]
        actor = await Actor.get_or_none(id=proposal.organisation_id)  # type: ignore[attr-defined]
        if actor is not None and actor.is_local:
            return actor
    return await get_organisation()


async def organisation_of_article(row: Object) -> Actor | None:
    """The organisation the proposal (its Article row `row`) is published for."""
    proposal = await Proposal.get_or_none(object_id=row.id)
    return await organisation_of(proposal) if proposal is not None else await get_organisation()


async def organisation_of_thread(context_uri: str) -> Actor | None:
    """The organisation whose proposal's thread `context_uri` is, if it is one of ours and the
    organisation is not suspended: it relays what the thread takes in."""
    proposal = (
        await Proposal.filter(object__context_uri=context_uri, object__is_local=True)
        .order_by("id")
        .first()
    )
    organisation = await organisation_of(proposal) if proposal else await get_organisation()
    if organisation is None or await _suspended(organisation):
        return None
    return organisation


async def live_organisations() -> list[Actor]:
    """The organisations the node hosts that are not suspended, its own first."""
    rows = (
        await Organisation.filter(suspended_at__isnull=True)
        .order_by("id")
        .prefetch_related("actor")
    )
    if rows:
        return [row.actor for row in rows]
    own = await get_organisation()  # a database whose Group no Organisation row records
    return [own] if own is not None else []


async def _suspended(actor: Actor) -> bool:
    return await Organisation.exists(actor_id=actor.id, suspended_at__isnull=False)


@dataclass(frozen=True, slots=True)
class OrganisationChoice:
    """An organisation a member may publish for, as a form offers it."""

    uri: str  # what a form sends as the proposal's audience
    name: str


async def organisation_choices(account_id: int) -> list[OrganisationChoice]:
    """The organisations the member may publish a proposal for, the node's own first: a form
    asks only when there are several."""
    return [
        OrganisationChoice(actor.uri, actor.name or actor.handle)
        for actor in await organisations_of(account_id)
    ]


async def hosts_several() -> bool:
    """Whether the node hosts more organisations than its own (an umbrella body's node)."""
    return await Organisation.all().count() > 1
