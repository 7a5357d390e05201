"""Update: a member's profile, one of their proposals (text or status), or another object."""

from __future__ import annotations

from typing import Any

from tortoise.transactions import in_transaction

from federation.vocab import PUBLIC
from node.activitypub import new_activity, to_actor
from node.i18n import N_
from node.limits import MAX_DISPLAY_NAME, MAX_PROFILE_SUMMARY, check_length
from node.models import Actor, Object
from node.sanitize import display_name, plain_text
from node.services import lifecycle, local_objects, polls
from node.services.actors import shown_role
from node.services.decisions import submitted_decision
from node.services.endorsements import parse_profile_role
from node.services.errors import ServiceError
from node.services.outgoing.context import Outgoing
from node.services.privacy_settings import search_consent
from node.services.threads import pass_on_in_thread


async def handle(services: Outgoing, actor: Actor, submitted: dict[str, Any]) -> dict[str, Any]:
    """Apply the embedded object's changes; return the Update sent (none for a draft)."""
    submitted_object = submitted.get("object")
    if not isinstance(submitted_object, dict):
        raise ServiceError(N_("Update needs the embedded object with its changes"))
    if submitted_object.get("id") == actor.uri:
        return await _update_profile(services, actor, submitted_object)
    proposal = await Object.get_or_none(
        uri=str(submitted_object.get("id")), is_local=True, deleted_at=None, type="Article"
    )
    if proposal is not None and _names_outcome(submitted_object):  # closed → decided
        decision = submitted_decision(submitted_object)
        return await services.decisions.publish(
            actor, proposal.uri, decision, acting=services.acting
        )
    if proposal is not None:
        return await services.proposals.update(
            actor, proposal, submitted_object, acting=services.acting
        )
    await polls.refuse_rule_changes(submitted_object)
    async with in_transaction():
        document = await local_objects.edit_object(actor, submitted_object)
        activity = new_activity(
            services.urls, "Update", actor, document, to=document.get("to"), cc=document.get("cc")
        )
        await services.outbox.publish(actor, activity, to_followers=True)
        await pass_on_in_thread(services.outbox, activity, str(document["id"]))
    return activity


async def _update_profile(
    services: Outgoing, actor: Actor, changes: dict[str, Any]
) -> dict[str, Any]:
    """A member edits its own profile: name, summary, role, whether follows need approval."""
    if "role" in changes:
        actor.role = parse_profile_role(changes["role"])
    if isinstance(changes.get("name"), str):
        check_length(N_("name"), changes["name"], MAX_DISPLAY_NAME)
        actor.name = display_name(plain_text(changes["name"]))[:255] or actor.handle  # the column
    if isinstance(changes.get("summary"), str):
        check_length(N_("description"), changes["summary"], MAX_PROFILE_SUMMARY)
        actor.summary = plain_text(changes["summary"])
    if isinstance(changes.get("manuallyApprovesFollowers"), bool):
        actor.manually_approves_followers = changes["manuallyApprovesFollowers"]
    async with in_transaction():
        await actor.save()
        activity = new_activity(
            services.urls,
            "Update",
            actor,
            to_actor(
                actor,
                services.urls,
                role=await shown_role(actor),
                consent=await search_consent(actor.id),
            ),
            to=[PUBLIC],
            cc=[actor.followers_uri],
        )
        await services.outbox.publish(actor, activity, to_followers=True)
    return activity


def _names_outcome(document: dict[str, Any]) -> bool:
    """Whether an Update of a proposal publishes its decision (an outcome as its status)."""
    return document.get("proposalStatus") in {status.value for status in lifecycle.DECIDED}
