"""Delivery policy as pure functions: what an answer means, when to retry, when to stop.

Retry schedule (``next_attempt_delay``, base ``BASE_DELAY`` = 6.6 s, doubling, each gap
multiplied by a random factor in [0.75, 1.25]): a delivery is tried ``MAX_ATTEMPTS`` = 16
times; the gaps after tries 1..15 are about

    6.6 s, 13 s, 26 s, 53 s, 1.8 min, 3.5 min, 7 min, 14 min, 28 min, 56 min,
    1.9 h, 3.8 h, 7.5 h, 15 h, 30 h

which is ``BASE_DELAY * (2**15 - 1)`` ≈ 216,000 s ≈ 2.5 days from the first try to the
last, like Mastodon's 16 Sidekiq retries.  A ``Retry-After`` answer postpones the next try
to at least that moment, bounded by ``MAX_RETRY_AFTER``.

Per host, a circuit breaker (``after_failure`` / ``is_open``) stops sending after
``failure_threshold`` consecutive failures for ``cool_down``; a host that has failed for
``unavailable_after`` (7 days) is marked unavailable and only probed every
``probe_interval`` until it answers again (or sends us something).
"""

from __future__ import annotations

import contextvars
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Protocol

from federation.errors import BadScheme, ForbiddenAddress
from federation.signatures import SigningKey
from federation.signing import prepare_request, rsa_sign
from federation.signing_process import SigningProcess, SigningUnavailable

MAX_ATTEMPTS = 16
BASE_DELAY = timedelta(seconds=6.6)
JITTER = 0.25
MAX_RETRY_AFTER = timedelta(hours=12)
MAX_AGE = timedelta(days=7)
_RETRYABLE_4XX = frozenset({408, 429})
_HOST_BUSY = frozenset({408, 429})


class RandomSource(Protocol):
    """Anything with ``random()`` in [0, 1), such as ``random.Random``."""

    def random(self) -> float:
        """A float in [0, 1)."""
        ...


class Outcome(StrEnum):
    """What one delivery attempt means for the delivery."""

    DELIVERED = "delivered"
    RETRY = "retry"
    FINAL = "final"


@dataclass(frozen=True)
class Decision:
    """The fate of a delivery after an attempt: done, retry after `delay`, or give up."""

    outcome: Outcome
    delay: timedelta | None = None
    exhausted: bool = False


def classify(status: int | None, error: BaseException | None) -> Outcome:
    """DELIVERED for 2xx; FINAL for 4xx but 408/429 and for refused URLs; else RETRY."""
    if status is None:
        # Our own address policy will refuse this inbox every time: retrying is pointless.
        if isinstance(error, ForbiddenAddress | BadScheme):
            return Outcome.FINAL
        return Outcome.RETRY
    if 200 <= status < 300:
        return Outcome.DELIVERED
    if 400 <= status < 500 and status not in _RETRYABLE_4XX:
        return Outcome.FINAL
    return Outcome.RETRY


def next_attempt_delay(
    attempts: int, rng: RandomSource, *, base: timedelta = BASE_DELAY
) -> timedelta:
    """The wait after the `attempts`-th failed try: base * 2**(attempts-1), jittered ±25 %."""
    if attempts < 1:
        raise ValueError("attempts counts tries made, so it is at least 1")
    factor = 1 - JITTER + 2 * JITTER * rng.random()
    return base * (2 ** (attempts - 1)) * factor


def bounded_retry_after(seconds: float | None) -> timedelta | None:
    """A Retry-After value as a delay clamped to [0, MAX_RETRY_AFTER], or None."""
    if seconds is None:
        return None
    return min(timedelta(seconds=max(0.0, seconds)), MAX_RETRY_AFTER)


def decide(
    attempts: int,
    status: int | None,
    error: BaseException | None,
    *,
    rng: RandomSource,
    retry_after: float | None = None,
    age: timedelta = timedelta(0),
    base: timedelta = BASE_DELAY,
) -> Decision:
    """What to do after try number `attempts` answered `status` (or failed with `error`)."""
    outcome = classify(status, error)
    if outcome is not Outcome.RETRY:
        return Decision(outcome)
    if attempts >= MAX_ATTEMPTS or age >= MAX_AGE:
        return Decision(Outcome.FINAL, exhausted=True)
    delay = next_attempt_delay(attempts, rng, base=base)
    honoured = bounded_retry_after(retry_after)
    return Decision(Outcome.RETRY, max(delay, honoured) if honoured else delay)


def schedule_span(base: timedelta = BASE_DELAY) -> timedelta:
    """The time from the first try to the last with no jitter (about 2.5 days by default)."""
    return base * (2 ** (MAX_ATTEMPTS - 1) - 1)


# --- per-host circuit breaker --------------------------------------------------


@dataclass(frozen=True)
class BreakerPolicy:
    """When a host's breaker opens, for how long, and when the host counts as gone."""

    failure_threshold: int = 10
    cool_down: timedelta = timedelta(seconds=60)
    unavailable_after: timedelta = timedelta(days=7)
    probe_interval: timedelta = timedelta(hours=6)


@dataclass(frozen=True)
class HostHealth:
    """What the breaker knows about one remote host."""

    consecutive_failures: int = 0
    first_failure_at: datetime | None = None
    open_until: datetime | None = None
    unavailable: bool = False


HEALTHY = HostHealth()


def counts_against_host(status: int | None, error: BaseException | None) -> bool:
    """Whether an answer says the host itself is in trouble (down, 5xx, busy)."""
    if status is None:
        return classify(status, error) is Outcome.RETRY
    return status >= 500 or status in _HOST_BUSY


def after_failure(
    health: HostHealth,
    now: datetime,
    policy: BreakerPolicy,
    retry_after: timedelta | None = None,
) -> HostHealth:
    """The host's health after one more failure: maybe open, maybe unavailable."""
    failures = health.consecutive_failures + 1
    first = health.first_failure_at or now
    open_until = health.open_until if health.open_until and health.open_until > now else None
    unavailable = health.unavailable or now - first >= policy.unavailable_after
    if unavailable:
        open_until = now + policy.probe_interval
    elif failures >= policy.failure_threshold:
        open_until = now + policy.cool_down
    if retry_after is not None and (open_until is None or open_until < now + retry_after):
        open_until = now + retry_after
    return replace(
        health,
        consecutive_failures=failures,
        first_failure_at=first,
        open_until=open_until,
        unavailable=unavailable,
    )


def is_open(health: HostHealth, now: datetime) -> bool:
    """Whether deliveries to the host wait (cool-down, Retry-After, or unavailable)."""
    return health.open_until is not None and health.open_until > now


# --- signing as the delivering actor on a shared client -------------------------

_current_key: contextvars.ContextVar[SigningKey | None] = contextvars.ContextVar(
    "townhall_signing_key", default=None
)


class ContextSigner:
    """A FederationClient signer that signs as whichever key the current task chose.

    One client (one connection pool) serves every local actor: a delivery wraps its POST
    in ``with signer.signing_as(key):``.  Requests made outside any such block are signed
    with ``default`` if set, else sent unsigned.  With a ``SigningProcess`` the RSA part
    is computed there, or here when that process is unavailable.
    """

    def __init__(
        self, default: SigningKey | None = None, *, process: SigningProcess | None = None
    ) -> None:
        self.default = default
        self._process = process

    @contextmanager
    def signing_as(self, key: SigningKey) -> Iterator[None]:
        """Sign every request this task makes inside the block with `key`."""
        token = _current_key.set(key)
        try:
            yield
        finally:
            _current_key.reset(token)

    async def __call__(
        self, method: str, url: str, headers: dict[str, str], body: bytes | None
    ) -> dict[str, str]:
        """The headers plus a draft-cavage signature by the chosen key."""
        key = _current_key.get() or self.default
        if key is None:
            return headers
        unsigned = prepare_request(method, url, headers, body, key)
        text = unsigned.signing_string
        if self._process is None or not self._process.ready():
            return unsigned.complete(rsa_sign(key.private_key, text))
        try:
            signature = await self._process.sign(key.private_key, text)
        except SigningUnavailable:  # it died with this job: sign here instead
            signature = rsa_sign(key.private_key, text)
        return unsigned.complete(signature)
