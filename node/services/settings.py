"""Settings an admin changes from the web: how people join, the node's language and time
zone, polls."""

from __future__ import annotations

import time
from dataclasses import dataclass, replace
from enum import StrEnum
from typing import Any

from node.i18n import N_
from node.local_time import DEFAULT_TIME_ZONE, is_time_zone
from node.models import NodeSetting
from node.numbers import whole_number
from node.reply_policies import DEFAULT_REPLY_POLICY, ReplyPolicy, parse_reply_policy
from node.services.errors import ServiceError
from node.services.open_data.licences import DEFAULT_LICENCE, LICENCES, licence_named

CACHE_SECONDS = 5.0  # other processes of the node see a change within this long
# A poll counts at most this many voters from each other server (every vote is still shown,
# per server): a charity's followers on one server rarely number more than a handful, and
# ten keeps one server's invented accounts from outvoting the members. Admins may raise it.
DEFAULT_POLL_VOTES_PER_SERVER = 10
MAX_POLL_VOTES_PER_SERVER = 100_000
DEFAULT_DIGEST_HOUR = 8  # digests go out at 08:00 on the organisation's clock
DEFAULT_DIGEST_WEEKDAY = 0  # weekly digests on Mondays (0) … Sundays (6)


class SignupMode(StrEnum):
    """Who may create an account on this node."""

    INVITE = "invite"  # only with an invitation link (the default: safest for a small charity)
    APPROVAL = "approval"  # anyone may apply; a moderator approves
    OPEN = "open"  # anyone may join at once


class FederationMode(StrEnum):
    """Which servers this node federates with."""

    BLOCK_LIST = "block_list"  # every server but the suspended ones (the default)
    ALLOW_LIST = "allow_list"  # only the servers on the allow-list (AllowedServer), and ours


@dataclass(frozen=True)
class SiteSettings:
    """The web-editable settings, with their defaults."""

    signup_mode: SignupMode = SignupMode.INVITE
    language: str = "en"
    poll_votes_per_server: int = DEFAULT_POLL_VOTES_PER_SERVER
    time_zone: str = DEFAULT_TIME_ZONE  # closing dates are set and shown on this clock
    reply_policy: ReplyPolicy = DEFAULT_REPLY_POLICY  # who may reply; a proposal may differ
    digest_hour: int = DEFAULT_DIGEST_HOUR  # the local hour digests are mailed at
    digest_weekday: int = DEFAULT_DIGEST_WEEKDAY  # the day weekly digests go out (0: Monday)
    federation_mode: FederationMode = FederationMode.BLOCK_LIST  # blocklist.py reads it
    authorized_fetch: bool = False  # ActivityStreams GETs must be signed (web/authorized_fetch)
    data_licence: str = DEFAULT_LICENCE.name  # what open data exports are published under


_cached: tuple[float, SiteSettings] | None = None


async def site_settings() -> SiteSettings:
    """The current settings (cached for a few seconds)."""
    global _cached
    if _cached is not None and time.monotonic() - _cached[0] < CACHE_SECONDS:
        return _cached[1]
    rows = {row.key: row.value.get("value") for row in await NodeSetting.all()}
    settings = SiteSettings()
    if rows.get("signup_mode") in {mode.value for mode in SignupMode}:
        settings = replace(settings, signup_mode=SignupMode(rows["signup_mode"]))
    if isinstance(rows.get("language"), str):
        settings = replace(settings, language=rows["language"])
    cap = rows.get("poll_votes_per_server")
    if isinstance(cap, int) and 0 <= cap <= MAX_POLL_VOTES_PER_SERVER:
        settings = replace(settings, poll_votes_per_server=cap)
    zone = rows.get("time_zone")
    if isinstance(zone, str) and is_time_zone(zone):
        settings = replace(settings, time_zone=zone)
    if rows.get("reply_policy") in {policy.value for policy in ReplyPolicy}:
        settings = replace(settings, reply_policy=ReplyPolicy(rows["reply_policy"]))
    hour = rows.get("digest_hour")
    if isinstance(hour, int) and 0 <= hour <= 23:
        settings = replace(settings, digest_hour=hour)
    weekday = rows.get("digest_weekday")
    if isinstance(weekday, int) and 0 <= weekday <= 6:
        settings = replace(settings, digest_weekday=weekday)
    if rows.get("federation_mode") in {mode.value for mode in FederationMode}:
        settings = replace(settings, federation_mode=FederationMode(rows["federation_mode"]))
    if isinstance(rows.get("authorized_fetch"), bool):
        settings = replace(settings, authorized_fetch=rows["authorized_fetch"])
    licence = rows.get("data_licence")
    if isinstance(licence, str) and licence_named(licence) is not None:
        settings = replace(settings, data_licence=licence)
    _cached = (time.monotonic(), settings)
    return settings


async def change_setting(key: str, value: Any) -> SiteSettings:
    """Store one setting after checking it; returns the settings as they now are."""
    global _cached
    value = checked_setting(key, value)
    await NodeSetting.update_or_create(key=key, defaults={"value": {"value": value}})
    _cached = None
    return await site_settings()


def checked_setting(key: str, value: Any) -> Any:
    """The value to store for `key`, or a ServiceError saying why it cannot be."""
    if key == "signup_mode":
        try:
            value = SignupMode(value).value
        except ValueError:
            choices = ", ".join(mode.value for mode in SignupMode)
            raise ServiceError(
                N_("unknown sign-up mode %(value)s: choose one of %(choices)s"),
                value=repr(value),
                choices=choices,
            ) from None
    elif key == "language":
        from node.i18n import available_languages

        if value not in available_languages():
            choices = ", ".join(available_languages())
            raise ServiceError(
                N_("no translation for %(value)s: choose one of %(choices)s"),
                value=repr(value),
                choices=choices,
            )
    elif key == "poll_votes_per_server":
        value = parse_poll_votes_per_server(value)
    elif key == "time_zone":
        value = str(value).strip()
        if not is_time_zone(value):
            raise ServiceError(
                N_("unknown time zone %(value)s: give one such as Europe/London or UTC"),
                value=repr(value[:64]),
            )
    elif key == "reply_policy":
        value = parse_reply_policy(value).value
    elif key == "digest_hour":
        number = whole_number(str(value).strip(), 0, 23)
        if number is None:
            raise ServiceError(
                N_("give an hour from 0 to 23, not %(value)s"), value=repr(str(value)[:20])
            )
        value = number
    elif key == "digest_weekday":
        number = whole_number(str(value).strip(), 0, 6)
        if number is None:
            raise ServiceError(
                N_("give a day from 0 (Monday) to 6 (Sunday), not %(value)s"),
                value=repr(str(value)[:20]),
            )
        value = number
    elif key == "federation_mode":
        try:
            value = FederationMode(value).value
        except ValueError:
            choices = ", ".join(mode.value for mode in FederationMode)
            message = f"unknown federation mode {str(value)[:20]!r}: choose one of {choices}"
            raise ServiceError(message) from None
    elif key == "authorized_fetch":
        if value not in (True, False, "on", "off"):
            raise ServiceError(
                N_("authorised fetch is on or off, not %(value)s"), value=repr(str(value)[:20])
            )
        value = value in (True, "on")
    elif key == "data_licence":
        value = str(value).strip()
        if licence_named(value) is None:
            choices = ", ".join(licence.name for licence in LICENCES)
            raise ServiceError(
                N_("unknown licence %(value)s: choose one of %(choices)s"),
                value=repr(value[:40]),
                choices=choices,
            )
    else:
        raise ServiceError(N_("unknown setting %(key)s"), key=repr(key))
    return value


def parse_poll_votes_per_server(value: Any) -> int:
    """A whole number of voters from 0 (other servers' votes shown, not counted) upwards."""
    text = str(value).strip()
    number = whole_number(text, 0, MAX_POLL_VOTES_PER_SERVER)
    if number is None:
        raise ServiceError(
            N_("give a whole number from 0 to %(max_poll_votes_per_server)s, not %(text)s"),
            max_poll_votes_per_server=MAX_POLL_VOTES_PER_SERVER,
            text=repr(text[:20]),
        )
    return number


def forget_cached_settings() -> None:
    """Drop the cache (tests that change settings directly in the database)."""
    global _cached
    _cached = None
