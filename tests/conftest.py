"""Shared fixtures: a fresh database per test, an initialised node, an in-process client."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest
from aiohttp.test_utils import TestClient

from node.app import create_app
from node.config import Config
from node.install import NodeSettings, initialise
from node.services.blocklist import forget_cached_blocks
from node.services.notifications import forget_unread_counts
from node.services.settings import forget_cached_settings
from tests.support.databases import fresh_database_url

ORGANISATION = NodeSettings(url="http://127.0.0.1:8000", name="Test Org", handle="testorg")


@pytest.fixture(autouse=True)
def fresh_settings_cache() -> Iterator[None]:
    """Each test reads its own database's settings and counts, not a neighbour's cached ones."""
    forget_cached_settings()
    forget_unread_counts()
    forget_cached_blocks()
    yield
    forget_cached_settings()
    forget_unread_counts()
    forget_cached_blocks()


@pytest.fixture
def database_url(tmp_path: Path) -> Iterator[str]:
    """An empty database for this test only (PostgreSQL when TOWNHALL_TEST_DATABASE_URL is set)."""
    with fresh_database_url(tmp_path) as url:
        yield url


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    """A data dir path that does not exist yet."""
    return tmp_path / "data"


@pytest.fixture
def node_env(database_url: str) -> dict[str, str]:
    """Environment for a node process that uses this test's database."""
    return {} if database_url.startswith("sqlite") else {"TOWNHALL_DATABASE_URL": database_url}


@pytest.fixture
async def node_config(
    data_dir: Path, node_env: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> Config:
    """An initialised node (organisation @testorg) in this test's database."""
    for name, value in node_env.items():
        monkeypatch.setenv(name, value)
    return await initialise(data_dir, ORGANISATION)


@pytest.fixture
async def client(node_config: Config, aiohttp_client) -> AsyncIterator[TestClient]:  # type: ignore[no-untyped-def]
    """An in-process HTTP client of the node's application.

    `node_config` comes first on purpose: fixtures are torn down in reverse order, so the app
    (and its workers) stops before this test's database is dropped.
    """
    yield await aiohttp_client(create_app(node_config))
