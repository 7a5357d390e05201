"""The pages' generation moves on with every committed write a page could show, and only then."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from tortoise import connections
from tortoise.transactions import in_transaction

from node.models import Actor, NodeSetting, RateEvent
from node.page_generation import changes_pages, page_generation
from node.raw_sql import is_postgres


async def number() -> int:
    return (await page_generation()).number


async def test_writes_a_page_shows_move_the_generation_on_once_each(organisation: Actor) -> None:
    # Given the generation after the organisation was made
    before = await number()
    assert before > 0 and (await page_generation()).changed_at is not None
    # When a page's row changes outside a transaction, then twice inside one
    await Actor.filter(id=organisation.id).update(name="Renamed Org")
    assert await number() == before + 1
    async with in_transaction():
        await Actor.filter(id=organisation.id).update(name="Org again")
        async with in_transaction():
            await NodeSetting.create(key="language", value={"value": "en"})
        assert await number() == before + 1  # not yet: the bump comes with the commit
    # Then the transaction moved it on once
    assert await number() == before + 2


async def test_reads_unseen_tables_rollbacks_and_empty_updates_leave_it_alone(
    organisation: Actor,
) -> None:
    before = await number()
    await Actor.filter(id=organisation.id).first()
    await RateEvent.create(key="sign_in.address\n192.0.2.1", happened_at=datetime.now(UTC))
    await Actor.filter(handle="nobody-at-all").update(name="x")  # no row changed
    try:
        async with in_transaction():
            await Actor.filter(id=organisation.id).update(name="Never")
            raise LookupError
    except LookupError:
        pass
    await connections.get("default").execute_query("SELECT 1")
    assert await number() == before
    assert (await Actor.get(id=organisation.id)).name != "Never"


def test_which_statements_change_pages() -> None:
    assert changes_pages('INSERT INTO "object" ("uri") VALUES (?)')
    assert changes_pages("  update actor set name = ?")
    assert changes_pages('DELETE FROM "reaction" WHERE id = ?')
    assert changes_pages("WITH x AS (SELECT 1) UPDATE proposal SET status = 'closed'")
    assert not changes_pages("SELECT * FROM object")
    assert not changes_pages('INSERT INTO "delivery" ("host") VALUES (?)')
    assert not changes_pages("UPDATE inbox_item SET state = 'done'")
    assert not changes_pages('DELETE FROM "rate_event" WHERE key = ?')


async def test_on_postgresql_it_is_read_on_a_connection_of_its_own_which_comes_back_if_lost(
    organisation: Actor,
) -> None:
    client = connections.get("default")
    if not is_postgres(client):
        pytest.skip("PostgreSQL reads the generation on a connection of its own")
    # Given the generation read once (its connection made)
    before = await number()
    own = client._generation_connection  # type: ignore[attr-defined]
    assert own is not None and not own.is_closed()
    # When a write commits through the pool, the next read sees it
    await Actor.filter(id=organisation.id).update(name="Renamed Org")
    assert await number() == before + 1
    # and when the server ends that connection, reads still see every write
    await client.execute_query("SELECT pg_terminate_backend($1)", [own.get_server_pid()])
    await Actor.filter(id=organisation.id).update(name="Org again")
    assert await number() == before + 2
    assert await number() == before + 2  # a new connection of its own, after the lost one
    assert client._generation_connection is not own  # type: ignore[attr-defined]
