"""`townhall organisation …`: an umbrella node's organisations from the command line, driven in
real subprocesses (the rules themselves: node/services/organisations.py)."""

from __future__ import annotations

from pathlib import Path

import pytest

from node.config import load_config
from node.db import opened_database
from node.models import Account, ModerationAction
from node.services import join_requests
from node.services.organisation_settings import change_settings
from tests.support.processes import assert_refused, cli_env, townhall

HOST = "127.0.0.1:8000"


@pytest.fixture
def env(node_env: dict[str, str]) -> dict[str, str]:
    return cli_env(node_env)


@pytest.fixture
def node_dir(data_dir: Path, env: dict[str, str]) -> Path:
    """An initialised data dir (organisation @testorg) with a member, @bo."""
    made = townhall(
        "init", "--data-dir", str(data_dir), "--url", f"http://{HOST}", "--name", "Test Org",
        "--handle", "testorg", env=env,
    )  # fmt: skip
    assert made.returncode == 0, made.stderr
    added = townhall("user", "add", "--data-dir", str(data_dir), "bo", env=env)
    assert added.returncode == 0, added.stderr
    return data_dir


def organisation(node_dir: Path, env: dict[str, str], *args: str):  # type: ignore[no-untyped-def]
    return townhall("organisation", args[0], "--data-dir", str(node_dir), *args[1:], env=env)


def listed(node_dir: Path, env: dict[str, str]) -> list[list[str]]:
    result = organisation(node_dir, env, "list")
    assert result.returncode == 0, result.stderr
    return [line.split("\t") for line in result.stdout.splitlines()]


def test_add_hosts_an_organisation_that_list_shows_after_the_own(
    node_dir: Path, env: dict[str, str]
) -> None:
    assert listed(node_dir, env) == [["testorg", "Test Org", "1", "own"]]
    added = organisation(
        node_dir, env, "add", "tenants", "--name", "Tenants' Union", "--summary", "Renters."
    )
    assert added.returncode == 0, added.stderr
    assert added.stdout.strip() == f"Added organisation @tenants@{HOST}"
    assert listed(node_dir, env) == [
        ["testorg", "Test Org", "1", "own"],
        ["tenants", "Tenants' Union", "0", "live"],
    ]


@pytest.mark.parametrize(
    ("handle", "name", "words"),
    [
        ("two-words", "Dash", "1 to 30 lower-case letters"),
        ("a" * 31, "Long", "1 to 30 lower-case letters"),
        ("testorg", "Again", "@testorg is taken"),
        ("bo", "A member's handle", "@bo is taken"),
        ("blank", "  ", "give the organisation's name"),
    ],
)
def test_add_refuses_a_bad_or_taken_handle_or_no_name_and_adds_nothing(
    node_dir: Path, env: dict[str, str], handle: str, name: str, words: str
) -> None:
    before = listed(node_dir, env)
    assert_refused(organisation(node_dir, env, "add", handle, "--name", name), words)
    assert listed(node_dir, env) == before


def test_suspend_and_unsuspend_but_never_the_own_organisation(
    node_dir: Path, env: dict[str, str]
) -> None:
    assert organisation(node_dir, env, "add", "tenants", "--name", "T").returncode == 0
    suspended = organisation(node_dir, env, "suspend", "tenants")
    assert suspended.returncode == 0, suspended.stderr
    assert suspended.stdout.strip() == "Suspended @tenants"
    assert listed(node_dir, env)[1] == ["tenants", "T", "0", "suspended"]
    assert_refused(organisation(node_dir, env, "suspend", "testorg"), "cannot be suspended")
    assert_refused(organisation(node_dir, env, "suspend", "bo"), "hosts no organisation @bo")
    assert listed(node_dir, env)[0] == ["testorg", "Test Org", "1", "own"]
    lifted = organisation(node_dir, env, "unsuspend", "tenants")
    assert lifted.returncode == 0, lifted.stderr
    assert listed(node_dir, env)[1] == ["tenants", "T", "0", "live"]


def test_join_and_leave_move_a_member_who_keeps_one_organisation(
    node_dir: Path, env: dict[str, str]
) -> None:
    assert organisation(node_dir, env, "add", "tenants", "--name", "T").returncode == 0
    joined = organisation(node_dir, env, "join", "tenants", "bo")
    assert joined.returncode == 0, joined.stderr
    assert joined.stdout.strip() == "@bo belongs to @tenants"
    assert [row[2] for row in listed(node_dir, env)] == ["1", "1"]
    left = organisation(node_dir, env, "leave", "testorg", "@bo")
    assert left.returncode == 0, left.stderr
    assert [row[2] for row in listed(node_dir, env)] == ["0", "1"]
    last = organisation(node_dir, env, "leave", "tenants", "bo")
    assert_refused(last, "belongs to at least one organisation")
    assert_refused(organisation(node_dir, env, "leave", "testorg", "bo"), "not a member")
    assert_refused(organisation(node_dir, env, "join", "tenants", "nobody"), "no member @nobody")
    assert_refused(organisation(node_dir, env, "join", "nowhere", "bo"), "no organisation")
    assert [row[2] for row in listed(node_dir, env)] == ["0", "1"]


def test_a_suspended_organisation_takes_no_new_members(node_dir: Path, env: dict[str, str]) -> None:
    assert organisation(node_dir, env, "add", "tenants", "--name", "T").returncode == 0
    assert organisation(node_dir, env, "suspend", "tenants").returncode == 0
    assert_refused(organisation(node_dir, env, "join", "tenants", "bo"), "takes no new members")
    assert listed(node_dir, env)[1] == ["tenants", "T", "0", "suspended"]


async def audit_entries(
    node_dir: Path, env: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> list[tuple[int | None, str, str, str, str]]:
    """The node's audit log, oldest first: (account, handle, action, target, reason)."""
    for name, value in env.items():
        if value:
            monkeypatch.setenv(name, value)
    async with opened_database(load_config(node_dir)):
        return [
            (row.moderator_id, row.moderator_handle, row.action, row.target, row.reason)  # type: ignore[attr-defined]
            for row in await ModerationAction.all().order_by("id")
        ]


async def test_each_command_that_changes_an_organisation_is_logged_as_the_command_line_s(
    node_dir: Path, env: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    commands = [
        ("add", "tenants", "--name", "T"),
        ("suspend", "tenants"),
        ("unsuspend", "tenants"),
        ("join", "tenants", "@bo"),
        ("leave", "testorg", "bo"),
        ("role", "tenants", "bo", "moderator"),
    ]
    for command in commands:
        done = organisation(node_dir, env, *command)
        assert done.returncode == 0, (command, done.stderr)
    # refused, or changing nothing: not logged
    assert_refused(organisation(node_dir, env, "suspend", "testorg"), "cannot be suspended")
    assert_refused(organisation(node_dir, env, "leave", "tenants", "bo"), "at least one")
    assert_refused(organisation(node_dir, env, "join", "tenants", "nobody"), "no member")
    assert_refused(organisation(node_dir, env, "add", "tenants", "--name", "Again"), "taken")
    assert organisation(node_dir, env, "join", "tenants", "bo").returncode == 0  # already
    assert organisation(node_dir, env, "unsuspend", "tenants").returncode == 0  # already live
    assert await audit_entries(node_dir, env, monkeypatch) == [
        (None, "", "add_organisation", "tenants", ""),
        (None, "", "suspend_organisation", "tenants", ""),
        (None, "", "unsuspend_organisation", "tenants", ""),
        (None, "", "add_to_organisation", "tenants", "bo"),
        (None, "", "remove_from_organisation", "testorg", "bo"),
        (None, "", "organisation_role", "tenants", "bo now moderator"),
    ]


def test_role_gives_a_member_a_role_in_one_organisation(
    node_dir: Path, env: dict[str, str]
) -> None:
    assert organisation(node_dir, env, "add", "tenants", "--name", "T").returncode == 0
    assert organisation(node_dir, env, "join", "tenants", "bo").returncode == 0
    made = organisation(node_dir, env, "role", "tenants", "bo", "admin")
    assert made.returncode == 0, made.stderr
    assert made.stdout.strip() == "@bo is admin of @tenants"
    assert_refused(organisation(node_dir, env, "role", "tenants", "bo", "owner"), "unknown role")
    assert_refused(
        organisation(node_dir, env, "role", "tenants", "nobody", "admin"), "not a member"
    )
    assert_refused(organisation(node_dir, env, "role", "nowhere", "bo", "admin"), "no organisation")


async def ask_to_join(
    node_dir: Path, env: dict[str, str], monkeypatch: pytest.MonkeyPatch, handle: str, said: str
) -> None:
    """The member `handle` asks to join @tenants (its admins approve who joins)."""
    for name, value in env.items():
        if value:
            monkeypatch.setenv(name, value)
    async with opened_database(load_config(node_dir)):
        await change_settings("tenants", "", "", "approval")
        account = await Account.get(actor__handle=handle)
        await join_requests.ask(account.id, "tenants", said)


async def test_requests_lists_those_asking_and_approve_and_decline_answer_them(
    node_dir: Path, env: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    assert organisation(node_dir, env, "add", "tenants", "--name", "T").returncode == 0
    assert townhall("user", "add", "--data-dir", str(node_dir), "cy", env=env).returncode == 0
    await ask_to_join(node_dir, env, monkeypatch, "bo", "I rent\non Elm Street")
    await ask_to_join(node_dir, env, monkeypatch, "cy", "")
    shown = organisation(node_dir, env, "requests", "tenants")
    assert shown.returncode == 0, shown.stderr
    assert [line.split("\t")[::2] for line in shown.stdout.splitlines()] == [
        ["bo", "I rent on Elm Street"],
        ["cy", ""],
    ]
    approved = organisation(node_dir, env, "approve", "tenants", "@bo")
    assert approved.returncode == 0, approved.stderr
    assert approved.stdout.strip() == "@bo belongs to @tenants"
    declined = organisation(node_dir, env, "decline", "tenants", "cy")
    assert declined.stdout.strip() == "Declined the request of @cy to join @tenants"
    assert_refused(organisation(node_dir, env, "approve", "tenants", "cy"), "has not asked")
    assert_refused(organisation(node_dir, env, "requests", "nowhere"), "no organisation")
    assert organisation(node_dir, env, "requests", "tenants").stdout == ""
    assert listed(node_dir, env)[1] == ["tenants", "T", "1", "live"]
    assert (await audit_entries(node_dir, env, monkeypatch))[-2:] == [
        (None, "", "approve_join_request", "tenants", "bo"),
        (None, "", "decline_join_request", "tenants", "cy"),
    ]
