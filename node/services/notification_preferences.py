"""How each member wants each kind of notification: the one table of kinds, deliveries and
defaults, and the stored choices (`NotificationPreference`; no row means the default).

Defaults are digests, not floods: what can come often (replies, mentions, amendments, new
versions) goes in a digest; what is rare and timely (a consultation closing soon, a decision,
what became of a report the member made, a new report for the moderators) is mailed at once.
Nothing is mailed to a member without a verified address; every kind is on the notifications
page unless it is turned off.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum

from tortoise.transactions import in_transaction

from node.i18n import N_
from node.models import Account, NotificationPreference
from node.services.errors import ServiceError
from node.services.organisations import hosts_several


class Delivery(StrEnum):
    """How one kind of notification reaches a member."""

    SITE = "site"  # on the notifications page only
    IMMEDIATE = "immediate"  # email at once (within a minute), and on the page
    DAILY = "daily"  # one daily digest email, and on the page
    WEEKLY = "weekly"  # one weekly digest email, and on the page
    OFF = "off"  # neither mailed nor shown


MAILED = (Delivery.IMMEDIATE, Delivery.DAILY, Delivery.WEEKLY)


@dataclass(frozen=True)
class Kind:
    """A kind of notification a member chooses a delivery for."""

    name: str
    default: Delivery
    moderators_only: bool = False
    umbrella_only: bool = False  # only where the node hosts several organisations


# THE table: every kind, in the order the settings page lists them, with its default
KINDS: tuple[Kind, ...] = (
    Kind("reply", Delivery.DAILY),  # replies to what I wrote
    Kind("mention", Delivery.DAILY),  # posts that mention me
    Kind("amendment", Delivery.DAILY),  # amendments to my proposals, answers to mine
    Kind("new_version", Delivery.WEEKLY),  # new versions of proposals I endorsed
    Kind("closing", Delivery.IMMEDIATE),  # consultations I follow closing in 3 days / 1 day
    Kind("decision", Delivery.IMMEDIATE),  # decisions on consultations I took part in
    Kind("report_outcome", Delivery.IMMEDIATE),  # what became of a report I made
    Kind("join_answer", Delivery.IMMEDIATE, umbrella_only=True),  # my requests to join, answered
    Kind("report", Delivery.IMMEDIATE, moderators_only=True),  # new reports (moderators)
)
BY_NAME: dict[str, Kind] = {kind.name: kind for kind in KINDS}

# which preference governs each notification (node/services/notifications.py's kinds)
KIND_OF_NOTIFICATION: dict[str, str] = {
    "reply": "reply",
    "mention": "mention",
    "organisation_mention": "mention",
    "amendment": "amendment",
    "answer": "amendment",
    "new_version": "new_version",
    "closing": "closing",
    "decision": "decision",
    "report": "report",
    "report_outcome": "report_outcome",
    "join_answer": "join_answer",
}


@dataclass(frozen=True)
class Preference:
    """One kind as a member has it."""

    kind: str
    delivery: Delivery
    is_default: bool


def kinds_for(moderator: bool, umbrella: bool = True) -> tuple[Kind, ...]:
    """The kinds a member (or a moderator) chooses among (on an umbrella node, or not)."""
    return tuple(
        kind
        for kind in KINDS
        if (moderator or not kind.moderators_only) and (umbrella or not kind.umbrella_only)
    )


def parse_delivery(value: object) -> Delivery:
    """A delivery named in a form or a token, or a ServiceError naming the choices."""
    try:
        return Delivery(str(value))
    except ValueError:
        choices = ", ".join(delivery.value for delivery in Delivery)
        raise ServiceError(
            N_("unknown delivery %(value)s: choose one of %(choices)s"),
            value=repr(str(value)[:20]),
            choices=choices,
        ) from None


async def preferences_of(account_id: int, moderator: bool) -> tuple[Preference, ...]:
    """Every kind the member chooses among, with their choice or the default."""
    chosen = (await deliveries_of([account_id])).get(account_id, {})
    return tuple(
        Preference(kind.name, chosen.get(kind.name, kind.default), kind.name not in chosen)
        for kind in kinds_for(moderator, await hosts_several())
    )


async def deliveries_of(account_ids: Iterable[int]) -> dict[int, dict[str, Delivery]]:
    """The stored choices of many members at once (defaults are not filled in)."""
    found: dict[int, dict[str, Delivery]] = {}
    rows = await NotificationPreference.filter(account_id__in=list(account_ids)).values_list(
        "account_id", "kind", "delivery"
    )
    for account_id, kind, delivery in rows:
        if kind in BY_NAME and delivery in Delivery.__members__.values():
            found.setdefault(account_id, {})[kind] = Delivery(delivery)
    return found


def delivery_of(chosen: Mapping[str, Delivery], kind: str) -> Delivery:
    """A member's delivery for `kind` given their stored choices."""
    return chosen.get(kind, BY_NAME[kind].default)


async def set_preferences(account_id: int, moderator: bool, choices: Mapping[str, str]) -> None:
    """Store the member's choices (all checked before any is stored); a choice equal to the
    default is stored too, so a later change of default does not change what they chose."""
    allowed = {kind.name for kind in kinds_for(moderator, await hosts_several())}
    checked: dict[str, Delivery] = {}
    for kind, value in choices.items():
        if kind not in allowed:
            raise ServiceError(N_("unknown kind of notification %(kind)s"), kind=repr(kind[:32]))
        checked[kind] = parse_delivery(value)
    async with in_transaction():
        for kind, delivery in checked.items():
            await NotificationPreference.update_or_create(
                account_id=account_id, kind=kind, defaults={"delivery": delivery.value}
            )


async def stop_mail(account_id: int, kinds: Iterable[str]) -> None:
    """Mail no more of `kinds` to the member: each is kept on the notifications page only (the
    one-click unsubscribe; a kind already not mailed stays as it is)."""
    chosen = (await deliveries_of([account_id])).get(account_id, {})
    async with in_transaction():
        for kind in kinds:
            if kind in BY_NAME and delivery_of(chosen, kind) in MAILED:
                await NotificationPreference.update_or_create(
                    account_id=account_id, kind=kind, defaults={"delivery": Delivery.SITE.value}
                )


@dataclass(frozen=True)
class NotificationSettings:
    """What the member's notification settings page shows."""

    preferences: tuple[Preference, ...]
    mailed: bool  # whether they have a verified address notification mail can go to


async def notification_settings(account_id: int, moderator: bool) -> NotificationSettings:
    """The member's choices, and whether mail can reach them."""
    mailed = await Account.filter(
        id=account_id, email__isnull=False, email_verified_at__isnull=False
    ).exists()
    return NotificationSettings(await preferences_of(account_id, moderator), mailed)
