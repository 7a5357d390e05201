"""Settings an admin changes from the web: how people join, and the node's language."""

from __future__ import annotations

import time
from dataclasses import dataclass, replace
from enum import StrEnum
from typing import Any

from node.models import NodeSetting
from node.services.errors import ServiceError

CACHE_SECONDS = 5.0  # other processes of the node see a change within this long


class SignupMode(StrEnum):
    """Who may create an account on this node."""

    INVITE = "invite"  # only with an invitation link (the default: safest for a small charity)
    APPROVAL = "approval"  # anyone may apply; a moderator approves
    OPEN = "open"  # anyone may join at once


@dataclass(frozen=True)
class SiteSettings:
    """The web-editable settings, with their defaults."""

    signup_mode: SignupMode = SignupMode.INVITE
    language: str = "en"


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
    _cached = (time.monotonic(), settings)
    return settings


async def change_setting(key: str, value: Any) -> SiteSettings:
    """Store one setting after checking it; returns the settings as they now are."""
    global _cached
    if key == "signup_mode":
        try:
            value = SignupMode(value).value
        except ValueError:
            choices = ", ".join(mode.value for mode in SignupMode)
            raise ServiceError(f"unknown sign-up mode {value!r}: choose one of {choices}") from None
    elif key == "language":
        from node.i18n import available_languages

        if value not in available_languages():
            choices = ", ".join(available_languages())
            raise ServiceError(f"no translation for {value!r}: choose one of {choices}")
    else:
        raise ServiceError(f"unknown setting {key!r}")
    await NodeSetting.update_or_create(key=key, defaults={"value": {"value": value}})
    _cached = None
    return await site_settings()


def forget_cached_settings() -> None:
    """Drop the cache (tests that change settings directly in the database)."""
    global _cached
    _cached = None
