"""What an organisation's own admins set for it on an umbrella node: who may join it, who may
reply to its proposals unless a proposal says, and the language its proposals are written in
unless their author says. Unset, the node's settings hold (and its admins add its members)."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from node.i18n import N_
from node.models import Actor, Organisation
from node.reply_policies import ReplyPolicy, parse_reply_policy
from node.services.errors import ServiceError
from node.services.organisations import hosted_row
from node.services.settings import site_settings
from node.translations import PROPOSAL_LANGUAGES


class Joining(StrEnum):
    """Who may join an organisation."""

    ADMINS_ADD = "admins_add"  # its admins (or the node's) add its members: the default
    APPROVAL = "approval"  # a member of the node asks from its profile; its admins approve
    OPEN = "open"  # any member of the node joins it from its profile


@dataclass(frozen=True, slots=True)
class OrganisationSettings:
    """An organisation's own settings ('' where it follows the node's) and what holds."""

    reply_policy: str  # a ReplyPolicy value, or '': the node's
    language: str  # a PROPOSAL_LANGUAGES tag, or '': the node's
    reply_policy_in_force: ReplyPolicy
    language_in_force: str
    joining: Joining = Joining.ADMINS_ADD


async def settings_of(organisation: Actor) -> OrganisationSettings:
    """The settings of the organisation `organisation` (the node's where it set none)."""
    row = await Organisation.get_or_none(actor_id=organisation.id)
    own = row.settings if row is not None and isinstance(row.settings, dict) else {}
    node = await site_settings()
    policy = own.get("reply_policy") if own.get("reply_policy") in set(ReplyPolicy) else ""
    language = own.get("language") if own.get("language") in PROPOSAL_LANGUAGES else ""
    joining = own.get("joining") if own.get("joining") in set(Joining) else "admins_add"
    return OrganisationSettings(
        reply_policy=str(policy),
        language=str(language),
        reply_policy_in_force=ReplyPolicy(policy) if policy else node.reply_policy,
        language_in_force=str(language) or node.language,
        joining=Joining(str(joining)),
    )


async def proposal_language_of(organisation: Actor | None) -> str:
    """The language a proposal for `organisation` is written in unless its author says."""
    if organisation is None:
        return (await site_settings()).language
    return (await settings_of(organisation)).language_in_force


async def change_settings(
    handle: str, reply_policy: str, language: str, joining: str = Joining.ADMINS_ADD.value
) -> None:
    """Set the organisation `handle`'s own reply policy and language ('': the node's), and
    who may join it."""
    row = await hosted_row(handle)
    if reply_policy:
        reply_policy = parse_reply_policy(reply_policy).value
    if language and language not in PROPOSAL_LANGUAGES:
        raise ServiceError(
            N_("proposals here are written in %(choices)s, not %(value)s"),
            choices=", ".join(PROPOSAL_LANGUAGES),
            value=repr(language[:40]),
        )
    if joining not in set(Joining):
        raise ServiceError(
            N_("unknown way of joining %(value)s: choose one of %(choices)s"),
            value=repr(joining[:40]),
            choices=", ".join(Joining),
        )
    row.settings = {"reply_policy": reply_policy, "language": language, "joining": joining}
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
