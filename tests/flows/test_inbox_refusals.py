"""Hostile input at the inbox: each refusal has its exact status, and nothing is stored."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Iterator

import aiohttp
import pytest

from tests.fakes import FakeRemote
from tests.support.nodes import RunningNode, count_rows, running_node

AS2 = "application/activity+json"


@pytest.fixture(scope="module")
def node(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningNode]:
    """One node for the whole module: every test checks it stores nothing."""
    with running_node(tmp_path_factory.mktemp("refusals")) as running:
        yield running


@pytest.fixture
async def remote() -> AsyncIterator[FakeRemote]:
    async with FakeRemote(software="mastodon") as fake:
        fake.add_actor("alice")
        fake.add_actor("mallory")
        yield fake


async def inbox_rows(node: RunningNode, activity_id: str) -> int:
    return await count_rows(node, "inbox_item", f"activity_uri = '{activity_id}'")


async def post_raw(url: str, body: bytes, headers: dict[str, str]) -> tuple[int, str]:
    async with (
        aiohttp.ClientSession() as session,
        session.post(url, data=body, headers=headers) as response,
    ):
        return response.status, await response.text()


@pytest.mark.parametrize(
    ("tamper", "options", "status", "reason"),
    [
        ("unsigned", {}, 401, "not signed"),
        ("body_changed", {}, 401, "igest"),
        ("digest_unsigned", {}, 401, "digest"),
        ("wrong_key", {}, 401, "ignature"),
        (None, {"date_offset": -2 * 3600}, 401, "old"),
        (None, {"date_offset": 70 * 60}, 401, "future"),
        (None, {"algorithm": "rsa-md5"}, 401, "algorithm"),
        (None, {"content_type": "text/plain"}, 415, "content type"),
    ],
)
async def test_bad_signatures_and_types_are_refused(
    node: RunningNode,
    remote: FakeRemote,
    tamper: str | None,
    options: dict[str, object],
    status: int,
    reason: str,
) -> None:
    follow = remote.follow("alice", node.organisation)
    answer = await remote.deliver("alice", f"{node.base}/inbox", follow, tamper=tamper, **options)
    assert answer[0] == status, answer
    assert reason in json.loads(answer[1])["error"]
    assert await inbox_rows(node, follow["id"]) == 0


async def test_signed_by_someone_other_than_the_actor_is_403(
    node: RunningNode, remote: FakeRemote
) -> None:
    follow = remote.follow("alice", node.organisation)
    status, text = await remote.deliver("alice", f"{node.base}/inbox", follow, signed_by="mallory")
    assert status == 403, text
    assert "may not speak for" in json.loads(text)["error"]
    assert await inbox_rows(node, follow["id"]) == 0


@pytest.mark.parametrize(
    ("body", "reason"),
    [
        (b"{not json", "not valid JSON"),
        (b"[" * 100_000 + b"]" * 100_000, "nested too deeply"),
        (b'{"type": "Like", "actor": "x", "n": 1e999}', "out of range"),
        (b'{"type": "Like", "n": ' + b"9" * 5000 + b"}", "not valid JSON"),
        (b'{"type": "Like", "n": NaN}', "not valid JSON"),
        (b'"just a string"', "JSON object"),
    ],
)
async def test_malformed_json_is_400(
    node: RunningNode, remote: FakeRemote, body: bytes, reason: str
) -> None:
    before = await count_rows(node, "inbox_item")
    status, text = await remote.deliver("alice", f"{node.base}/inbox", body)
    assert status == 400, text
    assert reason in json.loads(text)["error"]
    assert await count_rows(node, "inbox_item") == before


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"object": None}, "object"),
        ({"actor": None}, "actor"),
        ({"type": 7}, "type"),
        ({"id": "javascript:alert(1)"}, "id"),
    ],
)
async def test_activities_that_fail_the_schema_are_400(
    node: RunningNode, remote: FakeRemote, change: dict[str, object], field: str
) -> None:
    follow = remote.follow("alice", node.organisation)
    broken = {key: value for key, value in {**follow, **change}.items() if value is not None}
    status, text = await remote.deliver("alice", f"{node.base}/inbox", broken)
    assert status == 400, text
    assert field in json.loads(text)["error"]
    assert await inbox_rows(node, follow["id"]) == 0


async def test_body_over_one_mebibyte_is_413(node: RunningNode, remote: FakeRemote) -> None:
    follow = remote.follow("alice", node.organisation)
    padded = {**follow, "padding": "x" * (1024 * 1024)}
    status, _ = await remote.deliver("alice", f"{node.base}/inbox", padded)
    assert status == 413
    assert await inbox_rows(node, follow["id"]) == 0


async def test_unsigned_post_without_any_headers_is_401(node: RunningNode) -> None:
    status, text = await post_raw(f"{node.base}/inbox", b"{}", {"Content-Type": AS2})
    assert status == 401
    assert "not signed" in json.loads(text)["error"]


async def test_same_activity_three_times_is_stored_once(
    node: RunningNode, remote: FakeRemote
) -> None:
    like = remote.like("alice", f"{node.base}/objects/unknown")
    for inbox in (f"{node.base}/inbox", f"{node.organisation}/inbox", f"{node.base}/inbox"):
        assert (await remote.deliver("alice", inbox, like))[0] == 202
    assert await inbox_rows(node, like["id"]) == 1


async def test_quirks_of_real_servers_are_accepted(node: RunningNode, remote: FakeRemote) -> None:
    variants = [
        {"digest_case": "sha-256"},
        {"algorithm": "hs2019"},
        {"algorithm": None},
        {"extra_signed_headers": ("user-agent",)},
        {"scheme": "rfc9421"},
        {"content_type": 'application/ld+json; profile="https://www.w3.org/ns/activitystreams"'},
        {"date_offset": -10 * 60},
    ]
    for options in variants:
        like = remote.like("alice", f"{node.base}/objects/unknown")
        status, text = await remote.deliver("alice", f"{node.base}/inbox", like, **options)
        assert status == 202, (options, text)
        assert await inbox_rows(node, like["id"]) == 1
