"""The pages' generation: a counter in the database that every write a page could show bumps.

Visitors' pages are cached per URL and language under the generation read before they were
rendered (web/page_cache.py): a write that changes what any page shows moves it on, in the same
transaction as the write (or just after a write made outside one), so every web process of the
node sees the change at its next request and renders afresh. The counter is a `node_setting`
row ({"value": N}), bumped by the database engines themselves (node/sqlite_engine.py,
node/postgres_engine.py) after any INSERT, UPDATE or DELETE of a table other than those no page
shows to visitors (queues, rate-limit events, mail, tokens…): no write can forget it, whichever
service, worker or raw statement makes it.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from tortoise import connections

KEY = "pages.generation"
# tables whose writes change nothing a visitor's page shows (their pages are not cached)
UNSEEN_TABLES = frozenset(
    {
        "rate_event",
        "delivery",
        "delivery_payload",
        "inbox_item",
        "host",
        "outgoing_mail",
        "email_verification",
        "password_reset",
        "token",
        "mailed_through",
        "closing_reminder",
        "notification_preference",
        "report",
        "aerich",  # migrations: every process restarts after one, with an empty cache
    }
)
_WRITE = re.compile(
    r"\s*(?:INSERT\s+(?:OR\s+\w+\s+)?INTO|UPDATE|DELETE\s+FROM|REPLACE\s+INTO)\s+\"?(\w+)\"?",
    re.IGNORECASE,
)
_WRITES_WITHIN = re.compile(r"\b(?:INSERT|UPDATE|DELETE)\b", re.IGNORECASE)

BUMP = {
    "sqlite": (
        "INSERT INTO node_setting (key, value, updated_at) "
        "VALUES ('pages.generation', '{\"value\": 1}', CURRENT_TIMESTAMP) "
        "ON CONFLICT (key) DO UPDATE SET value = json_set(node_setting.value, '$.value', "
        "coalesce(json_extract(node_setting.value, '$.value'), 0) + 1), "
        "updated_at = CURRENT_TIMESTAMP"
    ),
    "postgres": (
        "INSERT INTO node_setting (key, value, updated_at) "
        "VALUES ('pages.generation', '{\"value\": 1}'::jsonb, now()) "
        "ON CONFLICT (key) DO UPDATE SET value = jsonb_build_object('value', "
        "coalesce((node_setting.value->>'value')::bigint, 0) + 1), updated_at = now()"
    ),
}
_READ = "SELECT value, updated_at FROM node_setting WHERE key = 'pages.generation'"


@dataclass(frozen=True)
class Generation:
    """The pages' generation and when it last moved (None before the first write)."""

    number: int
    changed_at: datetime | None


def changes_pages(query: str) -> bool:
    """Whether a statement may change what a page shows: a write to a table pages read, or a
    WITH … that writes (schema scripts are migrations: processes restart after them)."""
    write = _WRITE.match(query)
    if write:
        return write.group(1).lower() not in UNSEEN_TABLES
    if query.lstrip()[:4].upper() == "WITH":
        return bool(_WRITES_WITHIN.search(query))
    return False


async def page_generation() -> Generation:
    """The pages' generation now (0 before the first write)."""
    rows = await connections.get("default").execute_query_dict(_READ)
    if not rows:
        return Generation(0, None)
    return Generation(_number(rows[0]["value"]), _moment(rows[0]["updated_at"]))


def _moment(value: Any) -> datetime | None:
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    if not isinstance(value, datetime):
        return None
    return value if value.tzinfo is not None else value.replace(tzinfo=UTC)


def _number(value: Any) -> int:
    if isinstance(value, str | bytes):
        value = json.loads(value)
    if isinstance(value, dict):
        value = value.get("value", 0)
    return int(value or 0)


class BumpsPageGeneration:
    """Mixed into a tortoise client (before it): each statement that `changes_pages` is
    followed by the bump, on the same connection (so inside the same transaction)."""

    DIALECT_KEY = "sqlite"

    async def _bump_after(self, query: str) -> None:
        if changes_pages(query):
            await super().execute_query(BUMP[self.DIALECT_KEY], [])  # type: ignore[misc]

    async def execute_insert(self, query: str, values: list[Any]) -> Any:
        """INSERT, then the bump."""
        result = await super().execute_insert(query, values)  # type: ignore[misc]
        await self._bump_after(query)
        return result

    async def execute_many(self, query: str, values: list[Any]) -> None:
        """Many rows, then the bump."""
        await super().execute_many(query, values)  # type: ignore[misc]
        await self._bump_after(query)

    async def execute_query(self, query: str, values: list[Any] | None = None) -> Any:
        """Any statement, then the bump if it changed a row (the timed passes' UPDATEs that
        find nothing to do leave the pages' cache alone)."""
        result = await super().execute_query(query, values)  # type: ignore[misc]
        if result[0]:
            await self._bump_after(query)
        return result

    async def execute_query_dict(self, query: str, values: list[Any] | None = None) -> Any:
        """Any statement (as dicts), then the bump if it wrote."""
        result = await super().execute_query_dict(query, values)  # type: ignore[misc]
        await self._bump_after(query)
        return result
