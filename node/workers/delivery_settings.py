"""How a delivery worker process behaves: concurrency, backoff, lease, polling, breaker,
retention.

Concurrency comes from ``[federation] delivery_workers``; the rest have production
defaults that the environment can override (tests and benchmarks shrink them)::

    TOWNHALL_DELIVERY_RETRY_BASE_SECONDS        first retry delay, doubled per try (6.6)
    TOWNHALL_DELIVERY_LEASE_SECONDS             how long a claimed row is ours (120)
    TOWNHALL_DELIVERY_POLL_SECONDS              idle poll for rows queued elsewhere (2)
    TOWNHALL_DELIVERY_BREAKER_THRESHOLD         consecutive failures that hold a host (10)
    TOWNHALL_DELIVERY_BREAKER_COOLDOWN_SECONDS  how long the host is held (60)
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import timedelta

from federation.delivery import BASE_DELAY, BreakerPolicy
from node.config import Config, ConfigError
from node.workers.retention import Retention

MIN_LEASE_SECONDS = 2.0  # a send gets the lease minus a 1 s margin, and needs 0.5 s at least
ENV_SETTINGS = {
    "retry_base": "TOWNHALL_DELIVERY_RETRY_BASE_SECONDS",
    "lease": "TOWNHALL_DELIVERY_LEASE_SECONDS",
    "poll_interval": "TOWNHALL_DELIVERY_POLL_SECONDS",
    "threshold": "TOWNHALL_DELIVERY_BREAKER_THRESHOLD",
    "cool_down": "TOWNHALL_DELIVERY_BREAKER_COOLDOWN_SECONDS",
}


@dataclass(frozen=True)
class DeliverySettings:
    """How one worker process delivers: concurrency, backoff base, lease, polling, breaker."""

    concurrency: int = 16
    retry_base: timedelta = BASE_DELAY
    lease: timedelta = timedelta(minutes=2)
    poll_interval: float = 2.0
    breaker: BreakerPolicy = field(default_factory=BreakerPolicy)
    retention: Retention = field(default_factory=Retention)

    @classmethod
    def from_config(
        cls, config: Config, environ: Mapping[str, str] | None = None
    ) -> DeliverySettings:
        """Settings from the config, with the TOWNHALL_DELIVERY_* environment overrides."""
        env = os.environ if environ is None else environ
        base = BreakerPolicy()
        threshold = _env_number(env, ENV_SETTINGS["threshold"], base.failure_threshold)
        retry_base = _env_number(env, ENV_SETTINGS["retry_base"], BASE_DELAY.total_seconds())
        lease = _env_number(env, ENV_SETTINGS["lease"], 120)
        if lease < MIN_LEASE_SECONDS:
            raise ConfigError(f"{ENV_SETTINGS['lease']} must be at least {MIN_LEASE_SECONDS} s")
        return cls(
            concurrency=config.federation.delivery_workers,
            retry_base=timedelta(seconds=retry_base),
            lease=timedelta(seconds=lease),
            poll_interval=_env_number(env, ENV_SETTINGS["poll_interval"], 2.0),
            breaker=BreakerPolicy(
                failure_threshold=max(1, int(threshold)),
                cool_down=timedelta(seconds=_env_number(env, ENV_SETTINGS["cool_down"], 60)),
            ),
        )


def _env_number(env: Mapping[str, str], name: str, default: float) -> float:
    raw = env.get(name)
    if raw is None or raw == "":
        return default
    try:
        value = float(raw)
    except ValueError:
        raise ConfigError(f"{name} must be a number of seconds, not {raw!r}") from None
    if not value > 0:
        raise ConfigError(f"{name} must be greater than 0")
    return value
