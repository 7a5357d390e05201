"""A member deletes their own account.

What goes and what stays (FEDERATION.md says the same for other servers):

- the comments: removed if the member chooses (each withdrawn as any comment is, a `Delete` with
  its Tombstone wherever its `Create` went), else kept and shown as by "a former member"; their
  proposals, questions and answers to questions stay, so the rest of every thread stays
  readable and the consultation's answers still add up (answers count anonymously);
- their endorsements, shares and reactions stop counting (removed here, as every server removes
  a deleted actor's), and their follows go both ways;
- the account: status DELETED, its password, address, tokens and sessions gone (it cannot sign
  in); the actor keeps its row (so what stays keeps an author) with its name and profile
  emptied, and its URL answers 410 with a Tombstone;
- a federated `Delete` of the actor goes to its followers and every server that had its items,
  saying `postsKept` (Townhall's term: what was not deleted one by one stays, as by a former
  member; other software removes everything of a deleted actor, as it always does). It is
  signed with the actor's key, which stays for that.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from tortoise.expressions import Subquery
from tortoise.transactions import in_transaction

from federation.vocab import AS2_CONTEXT, PUBLIC, TOWNHALL_NS
from node.activitypub import new_activity
from node.i18n import N_
from node.models import (
    Account,
    AccountStatus,
    Actor,
    Delivery,
    DeliveryPayload,
    Follow,
    Object,
    Reaction,
)
from node.services.client_api import ClientApi
from node.services.delivery_queue import distinct_inboxes, follower_inboxes
from node.services.errors import Forbidden
from node.services.membership import is_last_admin
from node.services.organisations import live_organisations
from node.services.tokens import revoke_all_tokens

DELETE_CONTEXT: list[Any] = [
    AS2_CONTEXT,
    {"townhall": TOWNHALL_NS, "postsKept": "townhall:postsKept"},
]
REMOVED_TYPES = ("Note",)  # "remove my comments": comments, replies and amendments' reasons


async def delete_account(api: ClientApi, account_id: int, *, remove_comments: bool) -> int:
    """Delete the account `account_id` as its member chose; how many comments were removed.

    The caller has checked the member's password. The last admin may not go (Forbidden)."""
    account = await Account.get(id=account_id).select_related("actor")
    actor = account.actor
    if account.status == AccountStatus.DELETED or actor.deleted_at is not None:
        return 0
    if await is_last_admin(account):
        raise Forbidden(
            N_(
                "you are the node's last admin: make someone else an admin before"
                " deleting your account"
            )
        )
    removed = 0
    if remove_comments:
        uris = await Object.filter(
            author_id=actor.id, is_local=True, type__in=REMOVED_TYPES, deleted_at=None
        ).values_list("uri", flat=True)
        for uri in uris:  # each through the one rule for withdrawing an object
            await api.post_as(actor.id, {"type": "Delete", "object": str(uri)})
            removed += 1
    outbox = api.outbox
    delete = new_activity(
        outbox.urls, "Delete", actor, actor.uri, to=[PUBLIC], cc=[actor.followers_uri]
    )
    delete["@context"] = DELETE_CONTEXT
    delete["postsKept"] = True
    async with in_transaction():
        targets = await _servers_that_had_its_items(actor)
        await outbox.publish(actor, delete, inboxes=targets, to_followers=True)
        await Reaction.filter(actor_id=actor.id).delete()
        await Follow.filter(follower_id=actor.id).delete()
        await Follow.filter(followee_id=actor.id).delete()
        await revoke_all_tokens(account)
        account.status = AccountStatus.DELETED
        account.password_hash = ""
        account.email = None
        account.email_verified_at = None
        account.session_epoch += 1  # every session ends
        await account.save()
        actor.deleted_at = datetime.now(UTC)
        actor.name, actor.summary, actor.role = "", "", ""
        await actor.save(update_fields=["deleted_at", "name", "summary", "role"])
    return removed


async def _servers_that_had_its_items(actor: Actor) -> list[str]:
    """Inboxes that were sent the actor's activities (as far as the delivery log reaches),
    and those of the organisation's followers, to whom it passed the actor's comments on."""
    signed = Subquery(DeliveryPayload.filter(signer_uri=actor.uri).values("id"))
    sent = (
        await Delivery.filter(payload_id__in=signed).distinct().values_list("inbox_uri", flat=True)
    )
    passed_on = [
        inbox for organisation in await live_organisations()
        for inbox in await follower_inboxes(organisation)
    ]  # fmt: skip
    return distinct_inboxes([*(str(inbox) for inbox in sent), *passed_on])
