"""The delivery policy: classifying answers, the retry schedule, Retry-After, the host breaker."""

from __future__ import annotations

import itertools
import random
from datetime import UTC, datetime, timedelta

import pytest

from federation.delivery import (
    BASE_DELAY,
    HEALTHY,
    MAX_ATTEMPTS,
    MAX_RETRY_AFTER,
    BreakerPolicy,
    ContextSigner,
    Outcome,
    after_failure,
    classify,
    counts_against_host,
    decide,
    is_open,
    next_attempt_delay,
    schedule_span,
)
from federation.errors import BadScheme, FetchTimeout, ForbiddenAddress, NetworkError
from federation.keys import generate_private_key
from federation.signatures import SigningKey

NOW = datetime(2026, 1, 1, tzinfo=UTC)


class Fixed:
    """A random source that always returns the same value."""

    def __init__(self, value: float) -> None:
        self.value = value

    def random(self) -> float:
        return self.value


@pytest.mark.parametrize("status", [200, 201, 202, 204, 299])
def test_2xx_is_delivered(status: int) -> None:
    assert classify(status, None) is Outcome.DELIVERED


@pytest.mark.parametrize("status", [400, 401, 403, 404, 405, 410, 413, 422, 451])
def test_most_4xx_are_final(status: int) -> None:
    assert classify(status, None) is Outcome.FINAL


@pytest.mark.parametrize("status", [408, 429, 500, 502, 503, 504, 599, 301, 302, 100])
def test_408_429_5xx_and_others_are_retried(status: int) -> None:
    assert classify(status, None) is Outcome.RETRY


@pytest.mark.parametrize(
    "error", [NetworkError("refused"), FetchTimeout("slow"), TimeoutError(), OSError("reset")]
)
def test_network_errors_and_timeouts_are_retried(error: BaseException) -> None:
    assert classify(None, error) is Outcome.RETRY


@pytest.mark.parametrize("error", [ForbiddenAddress("10.0.0.1"), BadScheme("ftp://x")])
def test_addresses_we_refuse_are_final(error: BaseException) -> None:
    assert classify(None, error) is Outcome.FINAL


def test_the_schedule_doubles_from_the_base() -> None:
    middle = Fixed(0.5)  # jitter factor exactly 1
    delays = [next_attempt_delay(n, middle) for n in range(1, MAX_ATTEMPTS)]
    assert delays[0] == BASE_DELAY
    assert all(later == 2 * earlier for earlier, later in itertools.pairwise(delays))


def test_sixteen_tries_span_about_two_and_a_half_days() -> None:
    assert MAX_ATTEMPTS == 16
    span = schedule_span()
    assert timedelta(days=2.4) < span < timedelta(days=2.6)
    total = sum((next_attempt_delay(n, Fixed(0.5)) for n in range(1, MAX_ATTEMPTS)), timedelta())
    assert total == span


def test_jitter_stays_within_a_quarter_either_way() -> None:
    rng = random.Random(7)
    for attempts in range(1, MAX_ATTEMPTS):
        plain = BASE_DELAY * 2 ** (attempts - 1)
        for _ in range(50):
            delay = next_attempt_delay(attempts, rng)
            assert plain * 0.75 <= delay <= plain * 1.25
    low = sum((next_attempt_delay(n, Fixed(0.0)) for n in range(1, MAX_ATTEMPTS)), timedelta())
    high = sum((next_attempt_delay(n, Fixed(0.999)) for n in range(1, MAX_ATTEMPTS)), timedelta())
    assert timedelta(days=1.8) < low < high < timedelta(days=3.2)


def test_jitter_spreads_retries() -> None:
    rng = random.Random(1)
    assert len({next_attempt_delay(3, rng) for _ in range(20)}) > 10


def test_the_base_scales_the_schedule_for_tests() -> None:
    assert next_attempt_delay(1, Fixed(0.5), base=timedelta(milliseconds=50)) == timedelta(
        milliseconds=50
    )


def test_attempts_start_at_one() -> None:
    with pytest.raises(ValueError):
        next_attempt_delay(0, Fixed(0.5))


def test_decide_retries_until_the_last_try_then_gives_up() -> None:
    retry = decide(MAX_ATTEMPTS - 1, 503, None, rng=Fixed(0.5))
    assert retry.outcome is Outcome.RETRY and retry.delay == BASE_DELAY * 2 ** (MAX_ATTEMPTS - 2)
    last = decide(MAX_ATTEMPTS, 503, None, rng=Fixed(0.5))
    assert last.outcome is Outcome.FINAL and last.exhausted and last.delay is None


def test_decide_gives_up_on_a_delivery_older_than_a_week() -> None:
    old = decide(3, None, NetworkError("down"), rng=Fixed(0.5), age=timedelta(days=8))
    assert old.outcome is Outcome.FINAL and old.exhausted


def test_decide_final_and_delivered_never_wait() -> None:
    assert decide(1, 410, None, rng=Fixed(0.5)).delay is None
    assert decide(1, 202, None, rng=Fixed(0.5)).outcome is Outcome.DELIVERED


def test_retry_after_postpones_the_next_try() -> None:
    decision = decide(1, 429, None, rng=Fixed(0.5), retry_after=120)
    assert decision.delay == timedelta(seconds=120)


def test_retry_after_never_makes_a_retry_sooner() -> None:
    decision = decide(10, 503, None, rng=Fixed(0.5), retry_after=1)
    assert decision.delay == BASE_DELAY * 2**9


def test_retry_after_is_bounded() -> None:
    decision = decide(1, 503, None, rng=Fixed(0.5), retry_after=10**9)
    assert decision.delay == MAX_RETRY_AFTER


def test_only_trouble_at_the_host_counts_against_it() -> None:
    assert counts_against_host(None, NetworkError("refused"))
    assert counts_against_host(503, None) and counts_against_host(429, None)
    assert not counts_against_host(404, None) and not counts_against_host(202, None)
    assert not counts_against_host(None, ForbiddenAddress("10.0.0.1"))


def test_breaker_opens_after_consecutive_failures() -> None:
    policy = BreakerPolicy(failure_threshold=3, cool_down=timedelta(minutes=1))
    health = HEALTHY
    for _ in range(2):
        health = after_failure(health, NOW, policy)
        assert not is_open(health, NOW)
    health = after_failure(health, NOW, policy)
    assert is_open(health, NOW)
    assert health.open_until == NOW + timedelta(minutes=1)
    assert not is_open(health, NOW + timedelta(minutes=1, seconds=1))


def test_retry_after_holds_the_host() -> None:
    health = after_failure(HEALTHY, NOW, BreakerPolicy(), retry_after=timedelta(seconds=30))
    assert health.consecutive_failures == 1
    assert health.open_until == NOW + timedelta(seconds=30)


def test_a_host_failing_for_seven_days_becomes_unavailable_and_is_probed() -> None:
    policy = BreakerPolicy(failure_threshold=10, probe_interval=timedelta(hours=6))
    health = after_failure(HEALTHY, NOW, policy)
    later = NOW + timedelta(days=6, hours=23)
    health = after_failure(health, later, policy)
    assert not health.unavailable and health.first_failure_at == NOW
    week = NOW + timedelta(days=7)
    health = after_failure(health, week, policy)
    assert health.unavailable
    assert health.open_until == week + timedelta(hours=6)
    probe = week + timedelta(hours=6, seconds=1)
    assert not is_open(health, probe)  # one probe may go
    health = after_failure(health, probe, policy)
    assert health.unavailable and is_open(health, probe)


async def test_context_signer_signs_as_the_chosen_key_and_only_inside_the_block() -> None:
    key = SigningKey(
        key_id="https://a.example/actors/a#main-key", private_key=generate_private_key()
    )
    signer = ContextSigner()
    assert "Signature" not in await signer("POST", "https://b.example/inbox", {}, b"{}")
    with signer.signing_as(key):
        headers = await signer("POST", "https://b.example/inbox", {}, b"{}")
    assert 'keyId="https://a.example/actors/a#main-key"' in headers["Signature"]
    assert "Signature" not in await signer("POST", "https://b.example/inbox", {}, b"{}")
