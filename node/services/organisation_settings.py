"""What an organisation's own admins set for it on an umbrella node: who may reply to its
proposals unless a proposal says, and the language its proposals are written in unless their
author says. Unset, the node's settings hold."""

from __future__ import annotations

from dataclasses import dataclass

from node.i18n import N_
from node.models import Actor, Organisation
from node.reply_policies import ReplyPolicy, parse_reply_policy
from node.services.errors import NotFound, ServiceError
from node.services.settings import site_settings
from node.translations import PROPOSAL_LANGUAGES


@dataclass(frozen=True, slots=True)
class OrganisationSettings:
    """An organisation's own settings ('' where it follows the node's) and what holds."""

    reply_policy: str  # a ReplyPolicy value, or '': the node's
    language: str  # a PROPOSAL_LANGUAGES tag, or '': the node's
    reply_policy_in_force: ReplyPolicy
    language_in_force: str


async def settings_of(organisation: Actor) -> OrganisationSettings:
    """The settings of the organisation `organisation` (the node's where it set none)."""
    row = await Organisation.get_or_none(actor_id=organisation.id)
    own = row.settings if row is not None and isinstance(row.settings, dict) else {}
    node = await site_settings()
    policy = own.get("reply_policy") if own.get("reply_policy") in set(ReplyPolicy) else ""
    language = own.get("language") if own.get("language") in PROPOSAL_LANGUAGES else ""
    return OrganisationSettings(
        reply_policy=str(policy),
        language=str(language),
        reply_policy_in_force=ReplyPolicy(policy) if policy else node.reply_policy,
        language_in_force=str(language) or node.language,
    )


async def change_settings(handle: str, reply_policy: str, language: str) -> None:
    """Set the organisation `handle`'s own reply policy and language ('': the node's)."""
    row = await Organisation.get_or_none(actor__handle=handle, actor__is_local=True)
    if row is None:
        raise NotFound(N_("this node hosts no organisation @%(handle)s"), handle=handle)
    if reply_policy:
        reply_policy = parse_reply_policy(reply_policy).value
    if language and language not in PROPOSAL_LANGUAGES:
        raise ServiceError(
            N_("proposals here are written in %(choices)s, not %(value)s"),
            choices=", ".join(PROPOSAL_LANGUAGES),
            value=repr(language[:40]),
        )
    row.settings = {"reply_policy": reply_policy, "language": language}
    await row.save(update_fields=["settings"])


@dataclass(frozen=True, slots=True)
class OrganisationProfile:
    """An organisation's name and description, as its admins edit them."""

    name: str
    summary: str


async def organisation_profile(
    handle: str,
) -> tuple[OrganisationProfile, OrganisationSettings] | None:
    """The profile and own settings of the organisation `handle` (suspended or not), or None
    when the node hosts none by that handle."""
    row = await Organisation.get_or_none(
        actor__handle=handle, actor__is_local=True
    ).prefetch_related("actor")
    if row is None:
        return None
    profile = OrganisationProfile(name=row.actor.name, summary=row.actor.summary)
    return profile, await settings_of(row.actor)
