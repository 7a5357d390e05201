"""How fast passwords may be guessed, without handing strangers a switch that locks members out.

Failures are counted per (handle, address) pair with a growing delay, per address and per
handle under high ceilings; browsers that signed in to the handle before (known devices)
share one growing delay of their own and pass both ceilings. SECURITY.md ("Sign-in limits")
says why.
Counters live in the database (node/services/rate_limits.py): every web process of the node
counts the same tries, and a restart forgets none.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from aiohttp import web

from node.services import rate_limits
from web import ratelimit
from web.ratelimit import GrowingDelay, RateLimit


def _pair_delay() -> GrowingDelay:
    # five free tries, then 2 s, 4 s, 8 s… up to 15 minutes; forgotten after an hour's quiet
    return GrowingDelay(free=5, first=2.0, longest=900.0, forget_after=3600.0, name="sign_in.pair")


@dataclass
class SignInLimits:
    """Failed sign-ins (and wrong current passwords) allowed before a wait."""

    per_pair: GrowingDelay = field(default_factory=_pair_delay)
    per_address: RateLimit = field(
        default_factory=lambda: RateLimit(limit=20, window=900, name="sign_in.address")
    )
    per_handle: RateLimit = field(
        default_factory=lambda: RateLimit(limit=100, window=3600, name="sign_in.handle")
    )

    async def attempt(self, handle: str, address: str, known_device: bool) -> int:
        """Seconds to wait before `handle` may be tried from `address`, or 0 and a try counted.

        The try counts as a failure at once, before the password is checked (off the event
        loop): requests sent together, to this process or another, cannot all slip through
        before the first one fails (the check and the count are one locked transaction).
        """
        pair = self.per_pair.key(_pair(handle, address, known_device))
        by_address, by_handle = self.per_address.key(address), self.per_handle.key(handle)
        checked: list[tuple[str, rate_limits.Rule]] = [(pair, self.per_pair.rule())]
        if not known_device:
            checked += [(by_address, self.per_address.rule()), (by_handle, self.per_handle.rule())]
        return await rate_limits.take(checked, [pair, by_address, by_handle], ratelimit.now())

    async def succeeded(self, handle: str, address: str, known_device: bool) -> None:
        """The password was right: the pair starts afresh and the try is taken back."""
        await self.per_pair.clear(_pair(handle, address, known_device))
        await self.per_address.discard_one(address)
        await self.per_handle.discard_one(handle)


def _pair(handle: str, address: str, known_device: bool) -> str:
    # a handle's known devices share one delay wherever they are: a stolen device cookie
    # gains no fresh tries by moving address, and strangers cannot touch that delay
    return f"{handle}\n{'known device' if known_device else address}"


SIGN_IN_LIMITS = web.AppKey("sign_in_limits", SignInLimits)
