"""The `townhall` command's contract (DESIGN.md §4), driven in real subprocesses."""

from __future__ import annotations

import json
import re
import stat
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from tests.support.processes import NodeProcess, assert_refused, cli_env, free_port, townhall

URL = "http://127.0.0.1:8000"
HOST = "127.0.0.1:8000"
TOKEN_LINE = re.compile(r"[A-Za-z0-9_-]{40,}")
STAMP = r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z"
LIST_LINE = re.compile(rf"(\d+)\t{STAMP}\t(?:{STAMP}|never)")
UNREACHABLE = "postgres://user:s3cret@127.0.0.1:1/x"
AS2 = "application/activity+json"


def init(data_dir: Path, env: dict[str, str], handle: str = "testorg", url: str = URL):  # type: ignore[no-untyped-def]
    return townhall(
        "init", "--data-dir", str(data_dir), "--url", url, "--name", "Test Org", "--handle", handle,
        env=env,
    )  # fmt: skip


@pytest.fixture
def env(node_env: dict[str, str]) -> dict[str, str]:
    return cli_env(node_env)


@pytest.fixture
def node_dir(data_dir: Path, env: dict[str, str]) -> Path:
    """An initialised data dir (organisation @testorg)."""
    result = init(data_dir, env)
    assert result.returncode == 0, result.stderr
    return data_dir


def files_state(folder: Path) -> dict[str, tuple[bytes, int]]:
    """Every file under `folder` with its bytes and modification time (ns)."""
    return {
        str(path.relative_to(folder)): (path.read_bytes(), path.stat().st_mtime_ns)
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


def test_init_creates_a_private_config_and_names_the_organisation(
    data_dir: Path, env: dict[str, str]
) -> None:
    result = init(data_dir, env)
    assert result.returncode == 0, result.stderr
    assert f"@testorg@{HOST}" in result.stdout
    config = data_dir / "townhall.toml"
    assert f'url = "{URL}"' in config.read_text()
    assert stat.S_IMODE(config.stat().st_mode) == 0o600


def test_init_twice_changes_nothing(node_dir: Path, env: dict[str, str]) -> None:
    before = files_state(node_dir)
    assert "townhall.toml" in before
    again = init(node_dir, env, handle="other", url="https://other.example")
    assert_refused(again, "already initialised", str(node_dir))
    assert files_state(node_dir) == before
    # the refused handle was not created either: it is still free for a member
    added = townhall("user", "add", "--data-dir", str(node_dir), "other", env=env)
    assert added.returncode == 0, added.stderr


@pytest.mark.parametrize(
    "url",
    ["ftp://talk.example.org", "https://talk.example.org/some/path", "http://[::1"],
)  # every rule of normalise_url is tested in test_config.py; these check the wiring
def test_init_refuses_a_bad_url_and_creates_nothing(
    data_dir: Path, env: dict[str, str], url: str
) -> None:
    assert_refused(init(data_dir, env, url=url), "bad URL")
    assert not data_dir.exists()


@pytest.mark.parametrize("handle", ["Org", "a" * 31])
def test_init_refuses_an_invalid_handle_and_creates_nothing(
    data_dir: Path, env: dict[str, str], handle: str
) -> None:
    assert_refused(init(data_dir, env, handle=handle), "invalid handle")
    assert not data_dir.exists()


def test_user_add_gives_each_role_and_accepts_a_30_character_handle(
    node_dir: Path, env: dict[str, str]
) -> None:
    longest = "a_0" * 10
    for handle, role in (("mo", "moderator"), ("ad", "admin"), (longest, "member")):
        result = townhall(
            "user", "add", "--data-dir", str(node_dir), handle, "--role", role, "--name", "X",
            env=env,
        )  # fmt: skip
        assert result.returncode == 0, result.stderr
        assert result.stdout.strip() == f"Added {role} @{handle}@{HOST}"
    default = townhall("user", "add", "--data-dir", str(node_dir), "plain", env=env)
    assert default.stdout.strip() == f"Added member @plain@{HOST}"


def test_user_add_refuses_a_taken_handle(node_dir: Path, env: dict[str, str]) -> None:
    first = townhall("user", "add", "--data-dir", str(node_dir), "alice", env=env)
    assert first.returncode == 0, first.stderr
    again = townhall("user", "add", "--data-dir", str(node_dir), "alice", env=env)
    assert_refused(again, "'alice' is already taken")
    organisation = townhall("user", "add", "--data-dir", str(node_dir), "testorg", env=env)
    assert_refused(organisation, "'testorg' is already taken")


@pytest.mark.parametrize("handle", ["Alice", "a" * 31])
def test_user_add_refuses_an_invalid_handle(
    node_dir: Path, env: dict[str, str], handle: str
) -> None:
    result = townhall("user", "add", "--data-dir", str(node_dir), handle, env=env)
    assert_refused(result, "invalid handle")


def test_user_add_refuses_an_unknown_role(node_dir: Path, env: dict[str, str]) -> None:
    result = townhall("user", "add", "--data-dir", str(node_dir), "bob", "--role", "owner", env=env)
    assert_refused(result, "unknown role 'owner'", "member, moderator, admin")


@pytest.mark.parametrize("stdin", ["", "short\n"])
def test_user_add_refuses_a_missing_or_short_password_and_adds_no_one(
    node_dir: Path, env: dict[str, str], stdin: str
) -> None:
    result = townhall(
        "user", "add", "--data-dir", str(node_dir), "bob", "--password-stdin", stdin=stdin, env=env
    )
    assert_refused(result, "at least 10 characters")
    token = townhall("token", "create", "--data-dir", str(node_dir), "bob", env=env)
    assert_refused(token, "no member with handle 'bob'")


def test_token_create_prints_exactly_one_new_token_line(
    node_dir: Path, env: dict[str, str]
) -> None:
    added = townhall(
        "user", "add", "--data-dir", str(node_dir), "alice", "--password-stdin",
        stdin="correct horse battery\n", env=env,
    )  # fmt: skip
    assert added.returncode == 0, added.stderr
    tokens = []
    for _ in range(2):
        result = townhall("token", "create", "--data-dir", str(node_dir), "alice", env=env)
        assert result.returncode == 0, result.stderr
        assert result.stdout.endswith("\n")
        lines = result.stdout.splitlines()
        assert len(lines) == 1 and TOKEN_LINE.fullmatch(lines[0]), result.stdout
        tokens.append(lines[0])
    assert tokens[0] != tokens[1]


def new_token(node_dir: Path, env: dict[str, str], handle: str) -> str:
    result = townhall("token", "create", "--data-dir", str(node_dir), handle, env=env)
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def token_ids(node_dir: Path, env: dict[str, str], handle: str) -> list[int]:
    """The ids `token list` prints, checking each line's shape."""
    result = townhall("token", "list", "--data-dir", str(node_dir), handle, env=env)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert all(LIST_LINE.fullmatch(line) for line in lines), result.stdout
    return [int(line.split("\t")[0]) for line in lines]


def test_token_list_prints_id_created_and_last_used_but_never_the_token(
    node_dir: Path, env: dict[str, str]
) -> None:
    assert townhall("user", "add", "--data-dir", str(node_dir), "alice", env=env).returncode == 0
    assert token_ids(node_dir, env, "alice") == []
    first, second = new_token(node_dir, env, "alice"), new_token(node_dir, env, "alice")
    listed = townhall("token", "list", "--data-dir", str(node_dir), "alice", env=env)
    assert len(token_ids(node_dir, env, "alice")) == 2
    assert first not in listed.stdout and second not in listed.stdout
    assert listed.stdout.count("\tnever\n") == 2
    organisation = new_token(node_dir, env, "testorg")
    assert len(token_ids(node_dir, env, "testorg")) == 1 and organisation
    assert_refused(
        townhall("token", "list", "--data-dir", str(node_dir), "nobody", env=env),
        "no member with handle 'nobody'",
    )


def test_token_revoke_by_id_or_by_handle_and_id(node_dir: Path, env: dict[str, str]) -> None:
    for handle in ("alice", "bob"):
        assert townhall("user", "add", "--data-dir", str(node_dir), handle, env=env).returncode == 0
    new_token(node_dir, env, "alice")
    new_token(node_dir, env, "alice")
    new_token(node_dir, env, "bob")
    first, second = token_ids(node_dir, env, "alice")
    (bobs,) = token_ids(node_dir, env, "bob")
    revoked = townhall("token", "revoke", "--data-dir", str(node_dir), str(first), env=env)
    assert revoked.returncode == 0, revoked.stderr
    assert revoked.stdout.strip() == f"Revoked token {first}"
    assert token_ids(node_dir, env, "alice") == [second]
    # with a handle, only that member's token goes: bob's is refused and kept
    not_hers = townhall("token", "revoke", "--data-dir", str(node_dir), "alice", str(bobs), env=env)
    assert_refused(not_hers, f"no token {bobs}")
    assert token_ids(node_dir, env, "bob") == [bobs]
    hers = townhall("token", "revoke", "--data-dir", str(node_dir), "alice", str(second), env=env)
    assert hers.returncode == 0, hers.stderr
    assert token_ids(node_dir, env, "alice") == []
    again = townhall("token", "revoke", "--data-dir", str(node_dir), str(first), env=env)
    assert_refused(again, f"no token {first}")
    beyond = townhall("token", "revoke", "--data-dir", str(node_dir), "9" * 18, env=env)
    assert_refused(beyond, "not a token id")  # beyond what an id column holds
    for junk in ("abc", "-1", "9" * 40):
        bad = townhall("token", "revoke", "--data-dir", str(node_dir), "--", junk, env=env)
        assert_refused(bad, "not a token id")
    assert token_ids(node_dir, env, "bob") == [bobs]


def test_a_revoked_token_stops_working_on_a_running_node(
    node_dir: Path, env: dict[str, str]
) -> None:
    node = NodeProcess(node_dir, env=env).start()
    try:
        assert townhall("user", "add", "--data-dir", str(node_dir), "bob", env=env).returncode == 0
        token = new_token(node_dir, env, "bob")

        def inbox_status() -> int:
            request = urllib.request.Request(
                f"{node.base}/actors/bob/inbox?page=1",
                headers={"Accept": AS2, "Authorization": f"Bearer {token}"},
            )
            try:
                with urllib.request.urlopen(request, timeout=5) as response:
                    return int(response.status)
            except urllib.error.HTTPError as error:
                return error.code

        assert inbox_status() == 200
        (token_id,) = token_ids(node_dir, env, "bob")
        used = townhall("token", "list", "--data-dir", str(node_dir), "bob", env=env).stdout
        assert used.endswith("\tnever\n")  # reading is no use that a GET writes down
        revoked = townhall("token", "revoke", "--data-dir", str(node_dir), str(token_id), env=env)
        assert revoked.returncode == 0, revoked.stderr
        assert inbox_status() == 401
    finally:
        assert node.terminate() == 0


def test_token_create_refuses_a_handle_that_is_no_member(
    node_dir: Path, env: dict[str, str]
) -> None:
    result = townhall("token", "create", "--data-dir", str(node_dir), "nobody", env=env)
    assert_refused(result, "no member with handle 'nobody'")
    assert result.stdout == ""


@pytest.mark.parametrize(
    "command",
    [["user", "add", "--data-dir", "{dir}", "alice"], ["token", "create", "--data-dir", "{dir}",
     "alice"], ["migrate", "--data-dir", "{dir}"]],
    ids=["user-add", "token-create", "migrate"],
)  # fmt: skip
def test_commands_on_a_missing_data_dir_fail_and_create_nothing(
    data_dir: Path, env: dict[str, str], command: list[str]
) -> None:
    result = townhall(*(arg.format(dir=data_dir) for arg in command), env=env)
    assert_refused(result, str(data_dir), "does not exist", "townhall init")
    assert not data_dir.exists()


@pytest.mark.parametrize(
    "command",
    [
        ["init", "--data-dir", "{dir}", "--url", URL, "--name", "Org", "--handle", "org"],
        ["migrate", "--data-dir", "{dir}"],
        ["user", "add", "--data-dir", "{dir}", "alice"],
        ["token", "create", "--data-dir", "{dir}", "alice"],
        ["run", "--data-dir", "{dir}", "--port", "{port}"],
    ],
    ids=["init", "migrate", "user-add", "token-create", "run"],
)
def test_an_unreachable_database_is_named_with_its_password_masked(
    tmp_path: Path, command: list[str]
) -> None:
    data_dir = tmp_path / "data"
    sqlite_env = cli_env({})
    if command[0] != "init":  # an initialised node (on SQLite) told to use another database
        assert init(data_dir, sqlite_env).returncode == 0
    args = (arg.format(dir=data_dir, port=free_port()) for arg in command)
    result = townhall(*args, env={**sqlite_env, "TOWNHALL_DATABASE_URL": UNREACHABLE}, timeout=30)
    line = assert_refused(
        result, "unreachable", "postgres://user:***@127.0.0.1:1/x", logs_allowed=True
    )
    assert "s3cret" not in result.stdout + result.stderr, line
    if command[0] == "init":
        assert not data_dir.exists()


def test_data_dir_comes_from_the_environment_then_defaults_to_townhall_data(
    tmp_path: Path,
) -> None:
    from_env = tmp_path / "from-env"
    args = ["init", "--url", URL, "--name", "Org", "--handle", "org"]
    result = townhall(*args, env={**cli_env({}), "TOWNHALL_DATA_DIR": str(from_env)}, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert (from_env / "townhall.toml").is_file()
    assert not (tmp_path / "townhall-data").exists()

    result = townhall(*args, env=cli_env({}), cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "townhall-data" / "townhall.toml").is_file()
    member = townhall("user", "add", "bob", env=cli_env({}), cwd=tmp_path)
    assert member.stdout.strip() == f"Added member @bob@{HOST}"


def test_user_add_and_token_create_work_while_the_node_runs(
    node_dir: Path, env: dict[str, str]
) -> None:
    node = NodeProcess(node_dir, env=env).start()
    try:
        added = townhall(
            "user", "add", "--data-dir", str(node_dir), "bob", "--password-stdin",
            stdin="a long enough password\n", env=env, timeout=30,
        )  # fmt: skip
        assert added.returncode == 0, added.stderr
        token = townhall("token", "create", "--data-dir", str(node_dir), "bob", env=env)
        assert token.returncode == 0, token.stderr
        assert TOKEN_LINE.fullmatch(token.stdout.strip())
        request = urllib.request.Request(f"{node.base}/actors/bob", headers={"Accept": AS2})
        with urllib.request.urlopen(request, timeout=5) as response:
            assert response.status == 200
            assert json.load(response)["preferredUsername"] == "bob"
        assert node.process is not None and node.process.poll() is None
    finally:
        assert node.terminate() == 0
