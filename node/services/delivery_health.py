"""How outgoing delivery is doing: the queue, and the hosts that fail."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from tortoise.functions import Count, Max

from node.models import Delivery, DeliveryState, Host

FAILING_SHOWN = 50


@dataclass(frozen=True)
class FailingHost:
    domain: str
    consecutive_failures: int
    failing_since: datetime | None
    unavailable: bool
    queued: int
    last_error: str


@dataclass(frozen=True)
class DeliveryHealth:
    queued: int
    oldest_queued_at: datetime | None
    delivered_last_day: int
    failed_last_day: int
    failing: list[FailingHost]

    @property
    def oldest_age_minutes(self) -> int:
        if self.oldest_queued_at is None:
            return 0
        return int((datetime.now(UTC) - self.oldest_queued_at).total_seconds() // 60)


async def delivery_health() -> DeliveryHealth:
    """The queue's length and age, the last day's outcomes, and the failing hosts."""
    day_ago = datetime.fromtimestamp(datetime.now(UTC).timestamp() - 86400, UTC)
    queued = Delivery.filter(state=DeliveryState.QUEUED)
    oldest = await queued.order_by("created_at").first()
    per_host = dict(await queued.annotate(n=Count("id")).group_by("host").values_list("host", "n"))
    hosts = (
        await Host.filter(consecutive_failures__gt=0)
        .order_by("-unavailable", "-consecutive_failures")
        .limit(FAILING_SHOWN)
    )
    last_errors = await _last_errors([host.domain for host in hosts])
    failing = [
        FailingHost(
            host.domain,
            host.consecutive_failures,
            host.first_failure_at,
            host.unavailable,
            int(per_host.get(host.domain, 0)),
            last_errors.get(host.domain, ""),
        )
        for host in hosts
    ]
    return DeliveryHealth(
        queued=await queued.count(),
        oldest_queued_at=oldest.created_at if oldest else None,
        delivered_last_day=await Delivery.filter(
            state=DeliveryState.DELIVERED, delivered_at__gte=day_ago
        ).count(),
        failed_last_day=await Delivery.filter(
            state=DeliveryState.FAILED, created_at__gte=day_ago
        ).count(),
        failing=failing,
    )


async def _last_errors(domains: list[str]) -> dict[str, str]:
    """The newest delivery error of each host, in two queries whatever the number of hosts."""
    if not domains:
        return {}
    newest = dict(
        await Delivery.filter(host__in=domains)
        .exclude(last_error="")
        .annotate(newest=Max("id"))
        .group_by("host")
        .values_list("host", "newest")
    )
    rows = await Delivery.filter(id__in=list(newest.values())).values_list("host", "last_error")
    return {str(host): str(error) for host, error in rows}
