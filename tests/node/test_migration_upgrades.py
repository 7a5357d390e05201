"""Upgrading a database an earlier version made: its data kept, its schema the models' own."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from tortoise import connections
from tortoise.context import TortoiseContext

from node.db import close_database, migrate, open_database, tortoise_config
from node.models import Delivery, DeliveryPayload, DeliveryState
from node.raw_sql import insert_sql, is_postgres
from node.workers.delivery_store import Payloads, claim_due
from tests.support.databases import fresh_database_url
from tests.support.migrations import migrate_through, schema_of_default_connection

SIGNER = "https://node.example/actors/org"
OLD_COLUMNS = (
    "activity_uri", "inbox_uri", "host", "signer_uri", "payload", "state", "attempts",
    "next_attempt_at", "last_error", "created_at", "delivered_at", "last_status",
)  # fmt: skip


def old_row(key: str, host: str, state: str, attempts: int) -> tuple[object, ...]:
    """A delivery row as the schema before delivery_payload held it."""
    now = datetime.now(UTC)
    activity = f"https://node.example/activities/{key}"
    body = f'{{"id": "{activity}", "type": "Create"}}'
    delivered_at = now if state == "delivered" else None
    status = 202 if state == "delivered" else None
    return (
        activity, f"https://{host}/inbox", host, SIGNER, body, state, attempts,
        now - timedelta(seconds=1), "", now, delivered_at, status,
    )  # fmt: skip


async def test_queued_deliveries_survive_the_move_of_payloads(
    database_url: str, tmp_path: Path
) -> None:
    # Given a database at the initial schema with deliveries of two activities
    await migrate_through(database_url, "0_initial.py", tmp_path / "old")
    rows = [
        old_row("a", "one.example", "delivered", 1),
        old_row("a", "two.example", "queued", 2),
        old_row("a", "three.example", "failed", 16),
        old_row("b", "one.example", "queued", 0),
    ]
    async with TortoiseContext() as context:
        await context.init(config=tortoise_config(database_url))
        connection = connections.get("default")
        sql = insert_sql("delivery", OLD_COLUMNS, len(rows), is_postgres(connection))
        await connection.execute_query(sql, [value for row in rows for value in row])
    # When the node upgrades
    assert await migrate(database_url) == ["1_delivery_payload.py"]
    await open_database(database_url)
    try:
        # Then each activity's payload is stored once, with its signer
        payloads = {p.activity_uri: p for p in await DeliveryPayload.all()}
        assert {uri: (p.signer_uri, p.body) for uri, p in payloads.items()} == {
            str(row[0]): (SIGNER, row[4]) for row in rows
        }
        # and every row keeps its place, state and tries, pointing at its payload
        kept = await Delivery.all().order_by("id")
        assert [(d.inbox_uri, d.state, d.attempts, d.payload_id) for d in kept] == [
            (row[1], DeliveryState(row[5]), row[6], payloads[str(row[0])].id) for row in rows
        ]
        # and the queued rows go out with their payload
        claimed = await claim_due(10, datetime.now(UTC), timedelta(minutes=1), Payloads())
        assert sorted((c.inbox_uri, c.payload.body.decode()) for c in claimed) == sorted(
            (str(row[1]), str(row[4])) for row in rows if row[5] == "queued"
        )
    finally:
        await close_database()


async def test_the_migrated_schema_is_the_one_the_models_make(
    database_url: str, tmp_path: Path
) -> None:
    await migrate(database_url)
    async with TortoiseContext() as context:
        await context.init(config=tortoise_config(database_url))
        migrated = await schema_of_default_connection()
    (tmp_path / "fresh").mkdir()
    with fresh_database_url(tmp_path / "fresh") as fresh_url:
        async with TortoiseContext() as context:
            await context.init(config=tortoise_config(fresh_url))
            await context.generate_schemas()
            fresh = await schema_of_default_connection()
    assert migrated == fresh
