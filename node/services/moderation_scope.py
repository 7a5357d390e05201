"""What a moderator moderates. The node's moderators and admins moderate everything on it; on
an umbrella node, an organisation's own moderators and admins moderate the threads of its
proposals: the proposals, the comments and replies in them, the replies held there, the
statements put to them and the reports about any of these. Anything else (a member's profile,
a post in no thread of ours, another node's thread held here) is the node's moderators' alone.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TypeVar

from tortoise.expressions import Q, Subquery
from tortoise.models import Model
from tortoise.queryset import QuerySet

from node.i18n import N_
from node.models import Account, Membership, Object, Organisation, Proposal, Statement
from node.models.accounts import AccessRole
from node.services.errors import Forbidden, NotFound
from node.services.organisation_staff import MODERATING

M = TypeVar("M", bound=Model)


@dataclass(frozen=True, slots=True)
class ModerationScope:
    """The node's moderators moderate `everything`; others the `organisations` (their Group
    actors' ids) whose moderators or admins they are."""

    everything: bool = False
    organisations: frozenset[int] = frozenset()

    @property
    def moderates_any(self) -> bool:
        """Whether there is anything at all they moderate (their queue is theirs to see)."""
        return self.everything or bool(self.organisations)

    def covers(self, organisation_id: int | None) -> bool:
        """Whether they moderate what belongs to the organisation `organisation_id` (None: to
        no organisation's thread, which only the node's moderators moderate)."""
        return self.everything or (
            organisation_id is not None and organisation_id in self.organisations
        )


NOTHING = ModerationScope()


async def moderated_organisations(account_id: int) -> frozenset[int]:
    """The live organisations (their actors' ids) the account is a moderator or admin of."""
    return (await moderated_organisations_of([account_id])).get(account_id, frozenset())


async def moderated_organisations_of(account_ids: list[int]) -> dict[int, frozenset[int]]:
    """moderated_organisations for many accounts in one query, by account id (only those who
    moderate one)."""
    rows = await Membership.filter(
        account_id__in=account_ids,
        role__in=list(MODERATING),
        organisation__suspended_at__isnull=True,
    ).values_list("account_id", "organisation__actor_id")
    found: dict[int, set[int]] = {}
    for account_id, actor_id in rows:
        found.setdefault(int(str(account_id)), set()).add(int(str(actor_id)))
    return {account_id: frozenset(ids) for account_id, ids in found.items()}


async def scope_of_account(account_id: int) -> ModerationScope:
    """What the account `account_id` moderates."""
    account = await Account.filter(id=account_id).only("id", "access_role").first()
    if account is None:
        return NOTHING
    if account.access_role in (AccessRole.ADMIN, AccessRole.MODERATOR):
        return ModerationScope(everything=True)
    return ModerationScope(organisations=await moderated_organisations(account_id))


async def _own_organisation_id() -> int | None:
    first = await Organisation.all().order_by("id").only("id", "actor_id").first()
    return int(first.actor_id) if first is not None else None  # type: ignore[attr-defined]


async def organisation_id_of_thread(context_uri: str) -> int | None:
    """The organisation (its actor's id) whose proposal's thread `context_uri` is; None when
    it is no thread of one of our proposals."""
    return (await organisations_of_threads({context_uri})).get(context_uri)


async def organisations_of_threads(context_uris: set[str]) -> dict[str, int]:
    """organisation_id_of_thread for many threads in one query (the threads of none of our
    proposals are left out); a proposal made before umbrella nodes is the node's own."""
    wanted = sorted(uri for uri in context_uris if uri)
    if not wanted:
        return {}
    rows = await (
        Proposal.filter(object__context_uri__in=wanted, object__is_local=True)
        .order_by("-id")  # the first proposal of a thread wins: its home
        .values_list("object__context_uri", "organisation_id")
    )
    own = await _own_organisation_id() if any(row[1] is None for row in rows) else None
    found: dict[str, int] = {}
    for context_uri, organisation_id in rows:
        whose = int(str(organisation_id)) if organisation_id is not None else own
        if whose is not None:
            found[str(context_uri)] = whose
    return found


async def covers_thread(scope: ModerationScope, context_uri: str) -> bool:
    """Whether `scope` takes in what is in the thread `context_uri`."""
    if scope.everything:
        return True
    if not scope.organisations:
        return False
    return scope.covers(await organisation_id_of_thread(context_uri))


async def covers_object(scope: ModerationScope, row: Object) -> bool:
    """Whether `scope` takes in the object `row`."""
    return await covers_thread(scope, row.context_uri)


async def covers_uri(scope: ModerationScope, uri: str) -> bool:
    """Whether `scope` takes in the object `uri` (False when none is held here)."""
    if scope.everything:
        return True
    row = await Object.filter(uri=uri).only("id", "context_uri").first()
    return row is not None and await covers_object(scope, row)


async def threads_of(scope: ModerationScope) -> Subquery:
    """The threads (their context URIs) of the proposals of the organisations `scope` names,
    for filtering a queue in one query; not meant for a scope that covers everything."""
    own = await _own_organisation_id()
    whose = Q(organisation_id__in=sorted(scope.organisations))
    if own is not None and own in scope.organisations:
        whose |= Q(organisation_id__isnull=True)  # proposals made before umbrella nodes
    proposals = Proposal.filter(whose, object__is_local=True, object__context_uri__not="")
    return Subquery(proposals.values("object__context_uri"))


async def objects_in(scope: ModerationScope) -> Subquery:
    """The URIs of the objects in the threads `scope` names, for filtering a queue (reports)
    in one query; not meant for a scope that covers everything."""
    return Subquery(Object.filter(context_uri__in=await threads_of(scope)).values("uri"))


async def within(scope: ModerationScope, rows: QuerySet[M], thread: str) -> QuerySet[M]:
    """`rows` narrowed to what `scope` takes in, `thread` naming the field (a lookup path)
    that holds each row's thread: a moderators' queue, in one query."""
    if scope.everything:
        return rows
    return rows.filter(**{f"{thread}__in": await threads_of(scope)})


async def check_moderates(by_account_id: int, context_uri: str) -> None:
    """Forbidden unless the account `by_account_id` moderates what is in the thread
    `context_uri` (an empty one: what is in no thread of ours, the node's moderators' alone)."""
    if not await covers_thread(await scope_of_account(by_account_id), context_uri):
        raise Forbidden(
            N_("only the moderators of the organisation whose thread this is can do this")
        )


async def check_moderates_statement(by_account_id: int, statement_id: int) -> None:
    """NotFound when there is no statement `statement_id`; Forbidden unless the account
    `by_account_id` moderates the thread of the proposal it was put to."""
    threads = await Statement.filter(id=statement_id).values_list(
        "proposal__object__context_uri", flat=True
    )
    if not threads:
        raise NotFound(N_("there is no such statement"))
    await check_moderates(by_account_id, str(threads[0]))
