"""Create: a Note, Article (proposal), Question (poll), amendment or vote by a member."""

from __future__ import annotations

from html import unescape
from typing import Any

from tortoise.transactions import in_transaction

from federation.vocab import id_of
from node.activitypub import new_activity
from node.addressing import is_addressed_publicly
from node.i18n import N_
from node.models import Actor
from node.sanitize import plain_text
from node.services import local_objects, phases, polls, statement_documents, statements
from node.services.errors import ServiceError
from node.services.outgoing.context import Outgoing
from node.services.outgoing.targets import object_to_act_on, visible_object, visible_thread
from node.services.privacy_settings import default_addressing, for_members_only
from node.services.threads import announce_in_thread, reply_addressees


async def handle(services: Outgoing, actor: Actor, submitted: dict[str, Any]) -> dict[str, Any]:
    """Store and publish the embedded object; return the Create sent."""
    submitted_object = submitted.get("object")
    if not isinstance(submitted_object, dict):
        raise ServiceError(N_("Create needs an embedded object"))
    parent = id_of(submitted_object.get("inReplyTo"))
    if parent and services.urls.is_local(parent):  # only to what the member may see (no drafts)
        await visible_object(actor, parent)
    elif parent:  # a remote parent not held yet is fetched and stored first: the reply joins
        await object_to_act_on(services.lookup, actor, parent)  # its thread and reaches its home
    await visible_thread(actor, id_of(submitted_object.get("context")))
    if submitted_object.get("type") == "Article":
        return await services.proposals.create(actor, submitted_object)
    if "amendment" in submitted_object:
        return await services.amendments.suggest(actor, submitted_object)
    if submitted_object.get("type") == "Question":
        return await services.polls.create(actor, submitted_object)
    if statement_documents.is_submission(submitted_object):
        return await _submit_statement(services, actor, submitted_object)
    voted_on = await statements.statement_voted_on(submitted_object)
    if voted_on is not None:
        value = statement_documents.vote_value(submitted_object.get("name"))
        return await services.statements.vote(actor, voted_on.id, value)
    if await polls.is_vote(submitted_object):
        return await services.polls.vote(actor, submitted_object)
    if not any(field in submitted_object for field in ("to", "cc")):  # their default
        addressing = await default_addressing(actor.id, actor.followers_uri, services.urls)
        submitted_object = {**submitted_object, **addressing}
    document = local_objects.build_object(services.urls, actor, submitted_object)
    await local_objects.join_thread(document)
    await phases.check_takes_in_thread("comments", str(id_of(document.get("context")) or ""))
    # for this organisation's members only: no other server hears of it
    reply_to = [] if for_members_only(document) else await _address_reply(document)
    activity = new_activity(
        services.urls, "Create", actor, document, to=document["to"], cc=document["cc"]
    )
    async with in_transaction():
        row = await local_objects.save_object(actor, document)
        await services.outbox.publish(actor, activity, inboxes=reply_to, to_followers=True)
        await announce_in_thread(services.outbox, row)
    return activity


async def _submit_statement(
    services: Outgoing, actor: Actor, submitted: dict[str, Any]
) -> dict[str, Any]:
    """A statement for a proposal: ours waits for a moderator; another node's goes to it."""
    proposal = str(id_of(submitted.get(statement_documents.STATEMENT_TERM)) or "")
    text = submitted.get("name") or unescape(plain_text(str(submitted.get("content") or "")))
    return await services.statements.submit_from(actor, proposal, text)


async def _address_reply(document: dict[str, Any]) -> list[str]:
    """cc a reply to the remote authors its thread's home must hear it from; their inboxes."""
    parent = id_of(document.get("inReplyTo"))
    if parent is None:
        return []
    authors = await reply_addressees(parent, public=is_addressed_publicly(document))
    cc = document.setdefault("cc", [])
    cc += [author.uri for author in authors if author.uri not in cc]
    return [author.delivery_inbox for author in authors]
