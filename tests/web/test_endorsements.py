"""Endorsements: Likes of a proposal counted by kind of endorser, and members' profile roles."""

from __future__ import annotations

import logging
import subprocess
from pathlib import Path
from typing import Any

import pytest
from aiohttp.test_utils import TestClient

from node.models import Actor, Reaction
from node.services.endorsements import endorsement_counts, role_from_profile
from node.services.members import add_member
from node.services.remote_actors import save_actor
from node.services.tokens import create_token
from node.urls import NodeUrls
from tests.support.processes import assert_refused, cli_env, townhall
from tests.web.test_proposals import BASE, PROPOSAL, get, headers, local, post

ZERO = {
    "organisations": 0,
    "practitioner": 0,
    "service_user": 0,
    "staff": 0,
    "members_other": 0,
    "public": 0,
    "total": 0,
}


async def member(handle: str, profile_role: str = "") -> str:
    """A local member with a profile role; its bearer token."""
    await add_member(NodeUrls(BASE), handle, profile_role=profile_role)
    return await create_token(handle)


def remote_actor_document(
    name: str, kind: str = "Person", role_label: str | None = None
) -> dict[str, Any]:
    """A remote actor as its origin serves it, with a "Role" profile field when given."""
    uri = f"https://remote.example/users/{name}"
    document: dict[str, Any] = {
        "id": uri,
        "type": kind,
        "preferredUsername": name,
        "inbox": f"{uri}/inbox",
        "attachment": [{"type": "PropertyValue", "name": "Pronouns", "value": "they/them"}],
    }
    if role_label is not None:
        document["attachment"].append(
            {"type": "PropertyValue", "name": "Role", "value": role_label}
        )
    return document


async def remote_like(document: dict[str, Any], object_uri: str) -> None:
    """A Like from a remote actor, as the inbox stores it."""
    actor = await save_actor(document)
    await Reaction.create(
        uri=f"{document['id']}/likes/1", kind="Like", actor=actor, object_uri=object_uri
    )


async def endorsements(client: TestClient, object_uri: str) -> tuple[int, Any]:
    response = await client.get(f"{local(object_uri)}/endorsements", headers={"Accept": "*/*"})
    return response.status, await response.json(content_type=None)


async def publish(client: TestClient, handle: str, token: str, **fields: Any) -> str:
    create = await post(client, handle, token, {**PROPOSAL, **fields})
    return str(create["object"]["id"])


async def test_endorsements_are_counted_by_kind_of_endorser(client: TestClient) -> None:
    author = await member("author")
    proposal = await publish(client, "author", author)
    assert await endorsements(client, proposal) == (200, ZERO)
    # local members with each profile role, one without, and the organisation itself
    for handle, role in [("pat", "practitioner"), ("sue", "service_user"), ("sam", "staff"),
                         ("max", "")]:  # fmt: skip
        await post(client, handle, await member(handle, role), {"type": "Like", "object": proposal})
    await post(client, "testorg", await create_token("testorg"),
               {"type": "Like", "object": proposal})  # fmt: skip
    # remote: a Townhall member with a Role field, a Lemmy community, a Mastodon user, a bot
    await remote_like(remote_actor_document("rita", role_label="<p>Service user</p>"), proposal)
    await remote_like(remote_actor_document("commons", kind="Group"), proposal)
    await remote_like(remote_actor_document("ann"), proposal)
    await remote_like(remote_actor_document("bot", kind="Service"), proposal)
    status, counts = await endorsements(client, proposal)
    assert status == 200
    assert counts == {
        "organisations": 2,
        "practitioner": 1,
        "service_user": 2,
        "staff": 1,
        "members_other": 1,
        "public": 2,
        "total": 9,
    }


async def test_an_undone_like_is_no_longer_counted(client: TestClient) -> None:
    author = await member("author")
    proposal = await publish(client, "author", author)
    token = await member("pat", "practitioner")
    like = await post(client, "pat", token, {"type": "Like", "object": proposal})
    assert (await endorsements(client, proposal))[1]["practitioner"] == 1
    await post(client, "pat", token, {"type": "Undo", "object": like["id"]})
    assert await endorsements(client, proposal) == (200, ZERO)
    assert not await Reaction.filter(object_uri=proposal).exists()


async def test_counts_take_one_query_whatever_the_number_of_endorsers(
    client: TestClient, caplog: pytest.LogCaptureFixture
) -> None:
    author = await member("author")
    proposal = await publish(client, "author", author)
    queries = []
    for many in (3, 30):
        for index in range(len(await Reaction.filter(object_uri=proposal)), many):
            kind = "Group" if index % 3 == 0 else "Person"
            await remote_like(remote_actor_document(f"r{index}", kind=kind), proposal)
        caplog.clear()
        with caplog.at_level(logging.DEBUG, logger="tortoise.db_client"):
            counts = await endorsement_counts(proposal)
        assert counts.total == many
        queries.append([r for r in caplog.messages if "SELECT" in r.upper()])
    assert [len(found) for found in queries] == [1, 1], queries


async def test_endorsements_of_drafts_unknown_and_withdrawn_objects(client: TestClient) -> None:
    author = await member("author")
    draft = await publish(client, "author", author, proposalStatus="draft")
    assert (await endorsements(client, draft))[0] == 404
    assert (await endorsements(client, f"{BASE}/objects/nothing-here"))[0] == 404
    proposal = await publish(client, "author", author)
    await post(client, "author", author, {"type": "Delete", "object": proposal})
    status, answer = await endorsements(client, proposal)
    assert status == 410 and "withdrawn" in answer["error"]


async def test_member_sets_and_clears_a_profile_role(client: TestClient) -> None:
    token = await member("alice")
    me = f"{BASE}/actors/alice"
    update = await post(client, "alice", token,
                        {"type": "Update", "object": {"id": me, "type": "Person",
                                                      "role": "practitioner"}})  # fmt: skip
    field = {"type": "PropertyValue", "name": "Role", "value": "Practitioner"}
    assert field in update["object"]["attachment"]
    status, served = await get(client, me)
    assert status == 200 and field in served["attachment"]
    assert role_from_profile(served) == "practitioner"
    await post(client, "alice", token,
               {"type": "Update", "object": {"id": me, "type": "Person", "role": ""}})  # fmt: skip
    assert (await Actor.get(uri=me)).role == ""


@pytest.mark.parametrize("role", ["doctor", "Practitioner", 3])
async def test_unknown_profile_role_is_refused_and_changes_nothing(
    client: TestClient, role: Any
) -> None:
    token = await member("alice", "staff")
    me = f"{BASE}/actors/alice"
    response = await client.post(
        "/actors/alice/outbox",
        json={"type": "Update", "object": {"id": me, "type": "Person", "role": role,
                                           "name": "Changed"}},
        headers=headers(token),
    )  # fmt: skip
    assert response.status == 400
    assert "unknown profile role" in (await response.json())["error"]
    actor = await Actor.get(uri=me)
    assert (actor.role, actor.name) == ("staff", "alice")


@pytest.mark.parametrize(
    ("fields", "role"),
    [
        ([{"type": "PropertyValue", "name": "Role", "value": "Staff"}], "staff"),
        ([{"type": "PropertyValue", "name": "role", "value": "<b>service  USER</b>"}],
         "service_user"),
        ({"type": "PropertyValue", "name": "Role", "value": "service_user"}, "service_user"),
        ([{"type": "PropertyValue", "name": "Role", "value": "Manager"}], ""),
        ([{"type": "PropertyValue", "name": "Job", "value": "Staff"}], ""),
        ([{"type": "Link", "name": "Role", "href": "https://x.example/"}], ""),
        ([{"type": "PropertyValue", "name": "Role", "value": ["Staff"]}], ""),
        (["Role", None, 3], ""),
        (None, ""),
    ],
)  # fmt: skip
def test_remote_role_comes_from_a_role_profile_field(fields: Any, role: str) -> None:
    assert role_from_profile({"attachment": fields} if fields is not None else {}) == role


async def test_remote_actor_role_is_stored_and_refreshed(client: TestClient) -> None:
    document = remote_actor_document("rita", role_label="Practitioner")
    assert (await save_actor(document)).role == "practitioner"
    document["attachment"] = []
    assert (await save_actor(document)).role == ""


async def test_user_add_sets_a_profile_role_and_refuses_an_unknown_one(
    client: TestClient, data_dir: Path, node_env: dict[str, str]
) -> None:
    def user_add(handle: str, role: str) -> subprocess.CompletedProcess[str]:
        return townhall("user", "add", handle, "--profile-role", role,
                        "--data-dir", str(data_dir), env=cli_env(node_env))  # fmt: skip

    added = user_add("pat", "practitioner")
    assert added.returncode == 0, added.stderr
    assert (await Actor.get(handle="pat", is_local=True)).role == "practitioner"
    status, served = await get(client, f"{BASE}/actors/pat")
    assert status == 200 and role_from_profile(served) == "practitioner"
    assert_refused(user_add("doc", "doctor"), "unknown profile role 'doctor'")
    assert not await Actor.filter(handle="doc").exists()
