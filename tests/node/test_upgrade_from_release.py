"""Upgrading a node that release 0.1.0 made: its database and config, as that release's own
code wrote them (tests/fixtures/release-0.1.0, made by tools/release_fixtures.py), migrated by
`townhall migrate` and served by `townhall run` as they are, on SQLite or on PostgreSQL."""

from __future__ import annotations

import html
import json
import re
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import aiohttp
import pytest

from tests.support.databases import fresh_database_url, postgres_admin_url
from tests.support.migrations import schema_of, schema_the_models_make
from tests.support.processes import NodeProcess, townhall

RELEASE = Path(__file__).parents[1] / "fixtures" / "release-0.1.0"
AS2 = "application/activity+json"
CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


@pytest.fixture
def release_node(tmp_path: Path) -> Iterator[tuple[Path, dict[str, str], dict[str, Any]]]:
    """A data dir holding release 0.1.0's config and database (loaded into a fresh PostgreSQL
    database when the suite runs on PostgreSQL), the environment to run it with, and what the
    release made in it."""
    engine = "postgres" if postgres_admin_url() else "sqlite"
    expected = json.loads((RELEASE / "expected.json").read_text())[engine]
    data_dir = tmp_path / "data"
    data_dir.mkdir()
    shutil.copyfile(RELEASE / "townhall.toml", data_dir / "townhall.toml")
    with fresh_database_url(tmp_path) as database_url:
        env: dict[str, str] = {}
        if engine == "sqlite":
            shutil.copyfile(RELEASE / "townhall.sqlite3", data_dir / "townhall.sqlite3")
        else:
            env["TOWNHALL_DATABASE_URL"] = database_url
            loaded = subprocess.run(
                ["psql", database_url.replace("postgres://", "postgresql://", 1), "-q",
                 "-v", "ON_ERROR_STOP=1", "-f", str(RELEASE / "postgres.sql")],
                capture_output=True, text=True, timeout=120, check=False,
            )  # fmt: skip
            assert loaded.returncode == 0, loaded.stderr
        yield data_dir, env, expected


async def test_a_release_database_upgrades_to_the_schema_the_models_make(
    release_node: tuple[Path, dict[str, str], dict[str, Any]], tmp_path: Path
) -> None:
    data_dir, env, _ = release_node
    migrated = townhall("migrate", "--data-dir", str(data_dir), env=env)
    assert migrated.returncode == 0, migrated.stderr
    assert "7_policy_and_statements" in migrated.stdout  # every migration since ran
    again = townhall("migrate", "--data-dir", str(data_dir), env=env)
    assert again.returncode == 0, again.stderr
    assert "7_policy_and_statements" not in again.stdout

    database_url = env.get("TOWNHALL_DATABASE_URL") or f"sqlite://{data_dir / 'townhall.sqlite3'}"
    upgraded = await schema_of(database_url)
    fresh = await schema_the_models_make(tmp_path / "fresh")
    assert upgraded == fresh


async def test_an_upgraded_release_node_serves_its_thread_keys_sign_ins_and_tokens(
    release_node: tuple[Path, dict[str, str], dict[str, Any]],
) -> None:
    # Given release 0.1.0's node, upgraded
    data_dir, env, made = release_node
    migrated = townhall("migrate", "--data-dir", str(data_dir), env=env)
    assert migrated.returncode == 0, migrated.stderr
    node = NodeProcess(data_dir, env=env).start()
    url, base = made["url"], node.base
    try:
        async with aiohttp.ClientSession(
            cookie_jar=aiohttp.CookieJar(unsafe=True, treat_as_secure_origin=[base])
        ) as session:
            # the organisation keeps its key: other servers still verify what it signs
            async with session.get(f"{base}/actors/{made['organisation']}",
                                   headers={"Accept": AS2}) as answer:  # fmt: skip
                assert answer.status == 200
                actor = json.loads(await answer.text())
            assert actor["id"] == f"{url}/actors/{made['organisation']}"
            assert actor["publicKey"]["publicKeyPem"] == made["public_key"]

            # the proposal's page shows its thread, question and amendment as the release left them
            proposal_path = made["proposal"].removeprefix(url)
            async with session.get(base + proposal_path) as answer:
                assert answer.status == 200
                page = html.unescape(await answer.text())
            for shown in ("Open the advice centre on Saturdays", "Yes: I work shifts.",
                          "Me too, most weeks.", "Which Saturday hours suit you?",
                          "1 person answered.", "Open 9-1 on Saturdays."):  # fmt: skip
                assert shown in page, shown
            async with session.get(base + proposal_path, headers={"Accept": AS2}) as answer:
                document = json.loads(await answer.text())
            assert document["id"] == made["proposal"]
            assert document["type"] == "Article"

            # a member signs in with the password they chose under the release
            async with session.get(f"{base}/sign-in") as answer:
                token = CSRF.search(await answer.text())
            assert token is not None
            fields = {"csrf_token": token.group(1), "handle": "ada",
                      "password": made["members"]["ada"]}  # fmt: skip
            async with session.post(f"{base}/sign-in", data=fields,
                                    allow_redirects=False) as answer:  # fmt: skip
                assert answer.status == 303, await answer.text()
            async with session.get(f"{base}/") as answer:
                assert "Sign out" in await answer.text()

            # and a script's token made under the release still posts
            note = {"type": "Note", "content": "<p>After the upgrade.</p>",
                    "inReplyTo": made["proposal"]}  # fmt: skip
            async with session.post(
                f"{base}/actors/bob/outbox",
                json=note,
                headers={"Authorization": f"Bearer {made['tokens']['bob']}", "Content-Type": AS2},
            ) as answer:
                assert answer.status == 201, await answer.text()
            async with session.get(base + proposal_path) as answer:
                assert "After the upgrade." in html.unescape(await answer.text())
    finally:
        node.terminate()
