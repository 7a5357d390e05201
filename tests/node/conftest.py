"""Fixtures of the node's unit tests."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from node.db import close_database, open_database
from node.models import AccessRole, Actor, ActorType
from node.services.actors import create_local_actor
from node.services.members import add_member
from node.urls import NodeUrls

URLS = NodeUrls("http://127.0.0.1:8000")


@pytest.fixture
async def organisation(database_url: str) -> AsyncIterator[Actor]:
    """A local Group actor (at URLS) in a fresh database."""
    await open_database(database_url)
    try:
        yield await create_local_actor(URLS, "testorg", ActorType.GROUP, "Test Org")
    finally:
        await close_database()


@pytest.fixture
async def moderator_id(organisation: Actor) -> int:
    """The account id of a moderator, @mod, for actions the audit log records."""
    return (await add_member(URLS, "mod", access_role=AccessRole.MODERATOR)).id
