"""Flag: a member reports another server's post to our moderators and, forwarded, to that
server's: the report is kept here and a `Flag` naming the post and its author goes to the
author's server, sent by the organisation (as Mastodon sends its reports, from the server and
not the member, so the reported person does not learn who reported them)."""

from __future__ import annotations

from typing import Any

from tortoise.transactions import in_transaction

from federation.vocab import as_list, id_of
from node.activitypub import new_activity
from node.i18n import N_
from node.models import Actor
from node.services import moderation
from node.services.actors import get_organisation
from node.services.errors import NotFound, ServiceError
from node.services.outgoing.context import Outgoing
from node.services.outgoing.targets import visible_object


async def handle(services: Outgoing, actor: Actor, submitted: dict[str, Any]) -> dict[str, Any]:
    """Record the member's report of one remote post here and send it on; return the Flag."""
    named = [uri for uri in (id_of(item) for item in as_list(submitted.get("object"))) if uri]
    if len(named) != 1:
        raise ServiceError(N_("a Flag names one post: the one you report"))
    row = await visible_object(actor, named[0])
    if row is None:
        raise NotFound(
            N_("no post %(named)s known here: only what this node holds is reported"),
            named=named[0],
        )
    if row.is_local:
        raise ServiceError(N_("a post of this node is reported to its moderators only, not sent"))
    reason = str(submitted.get("content") or "").strip()
    organisation = await get_organisation()
    if organisation is None:
        raise ServiceError(N_("this node has no organisation to send the report from"))
    await row.fetch_related("author")
    author = row.author
    flag = new_activity(
        services.urls,
        "Flag",
        organisation,
        [author.uri, row.uri],
        to=[author.uri],
    )
    flag["content"] = reason
    async with in_transaction():
        await moderation.report(actor.id, row.uri, reason)  # refuses an empty reason
        await services.outbox.publish(
            organisation, flag, inboxes=[author.delivery_inbox], to_followers=False
        )
    return flag
