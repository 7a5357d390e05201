"""First-run setup: `townhall run` on an empty data dir serves a setup page guarded by a code."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.support.processes import NodeProcess, cli_env, http, townhall
from web.handlers.setup import MAX_FAILED_CODES, SetupState

CODE_LINE = re.compile(r"Setup code: ([A-Z0-9]{4}-[A-Z0-9]{4}-[A-Z0-9]{4})\b")
FIELDS = ("code", "name", "handle", "url", "admin_handle", "admin_password")
AS2 = "application/activity+json"
PASSWORD = "a long admin password"


@pytest.fixture
def node(data_dir: Path, node_env: dict[str, str]) -> Iterator[NodeProcess]:
    """A node started on a data dir that does not exist yet."""
    process = NodeProcess(data_dir, env=cli_env(node_env)).start()
    try:
        yield process
    finally:
        process.kill()


def next_code(node: NodeProcess, after: int = 0) -> tuple[int, str]:
    """The next setup code the node prints (and the index of its stdout line)."""
    index, line = node.wait_for_line(CODE_LINE.search, after=after)
    match = CODE_LINE.search(line)
    assert match is not None
    return index, match.group(1)


def form(node: NodeProcess, code: str, **changes: str) -> dict[str, str]:
    fields = {
        "code": code,
        "name": "Test Org",
        "handle": "testorg",
        "url": node.base,
        "admin_handle": "admin",
        "admin_password": PASSWORD,
    }
    return {**fields, **changes}


def test_run_on_an_empty_data_dir_prints_a_code_and_serves_the_setup_form(
    node: NodeProcess,
) -> None:
    _, code = next_code(node)
    page = http(f"{node.base}/")
    assert page.status == 200
    assert "text/html" in page.headers["Content-Type"]
    for name in FIELDS:
        assert f'name="{name}"' in page.body
    assert code not in page.body
    assert http(f"{node.base}/healthz").json() == {"status": "setup"}
    elsewhere = http(f"{node.base}/actors/testorg", headers={"Accept": AS2})
    assert elsewhere.status == 200 and 'name="code"' in elsewhere.body  # led to the form
    assert not any(code in line for line in node.stderr_lines)


def test_a_wrong_code_is_refused_and_creates_nothing(node: NodeProcess, data_dir: Path) -> None:
    _, code = next_code(node)
    wrong = "AAAA-BBBB-CCCC" if code != "AAAA-BBBB-CCCC" else "DDDD-EEEE-FFFF"
    refused = http(f"{node.base}/", form=form(node, wrong))
    assert refused.status == 403
    assert "not right" in refused.body
    assert PASSWORD not in refused.body
    assert list(data_dir.iterdir()) == []
    assert http(f"{node.base}/healthz").json() == {"status": "setup"}
    # the database holds no organisation either: the right code can still set it up
    assert http(f"{node.base}/", form=form(node, code)).status == 200


def test_the_right_code_sets_up_the_node_and_the_same_process_serves_it(
    node: NodeProcess, data_dir: Path, node_env: dict[str, str]
) -> None:
    _, code = next_code(node)
    done = http(f"{node.base}/", form=form(node, code))
    assert done.status == 200
    assert "Your node is ready" in done.body
    assert (data_dir / "townhall.toml").is_file()
    node.wait_for_line(lambda line: '"node.listening"' in line, stream="stderr")
    node.wait_until_up()
    assert http(f"{node.base}/healthz").json() == {"status": "ok"}
    # the admin who set it up is signed in to it, with the cookie the setup page gave
    assert "You are signed in as its first admin" in done.body
    cookie = done.headers["Set-Cookie"].split(";", 1)[0]
    admin_page = http(f"{node.base}/admin", headers={"Cookie": cookie})
    assert admin_page.status == 200 and "Sign out" in admin_page.body
    stranger = http(f"{node.base}/admin")  # and nobody else: led to signing in
    assert "Sign out" not in stranger.body and 'name="password"' in stranger.body
    actor = http(f"{node.base}/actors/testorg", headers={"Accept": AS2})
    assert actor.status == 200
    assert actor.json()["id"] == f"{node.base}/actors/testorg"
    assert actor.json()["type"] == "Group"
    host = node.base.removeprefix("http://")
    finger = http(f"{node.base}/.well-known/webfinger?resource=acct:testorg@{host}")
    assert finger.status == 200 and finger.json()["subject"] == f"acct:testorg@{host}"
    admin = http(f"{node.base}/actors/admin", headers={"Accept": AS2})
    assert admin.status == 200 and admin.json()["type"] == "Person"
    assert node.process is not None and node.process.poll() is None  # the same process
    token = townhall("token", "create", "--data-dir", str(data_dir), "admin", env=cli_env(node_env))
    assert token.returncode == 0, token.stderr
    assert http(f"{node.base}/", form=form(node, code)).status == 405  # no setup form any more


BAD_FIELDS = [
    ({"url": "ftp://talk.example.org"}, "Give the address starting with https://"),
    ({"handle": "Test Org"}, "Use 1 to 30 lower-case letters"),
    ({"admin_handle": "a" * 31}, "Use 1 to 30 lower-case letters"),
    ({"admin_password": "short"}, "Use at least 10 characters."),
    ({"admin_handle": "testorg"}, "Choose a handle other than the organisation"),
    ({"name": "  "}, "Give the organisation"),
]


def test_bad_fields_with_the_right_code_are_refused_and_create_nothing(
    node: NodeProcess, data_dir: Path
) -> None:
    _, code = next_code(node)
    for changes, message in BAD_FIELDS:
        refused = http(f"{node.base}/", form=form(node, code, **changes))
        assert refused.status == 400, changes
        assert message in refused.body, changes
        assert PASSWORD not in refused.body
        assert list(data_dir.iterdir()) == [], changes
    # the code is not used up, and may be typed in lower case without dashes
    assert http(f"{node.base}/", form=form(node, code.lower().replace("-", ""))).status == 200


def test_every_problem_is_said_at_once_and_what_was_typed_is_kept(
    node: NodeProcess, data_dir: Path
) -> None:
    _, code = next_code(node)
    typed = form(
        node, "AAAA-BBBB-CCCC" if code != "AAAA-BBBB-CCCC" else "DDDD-EEEE-FFFF",
        name="Hope Trust", handle="Hope Trust", url="talk.example.org/consult",
        admin_handle="hope_admin", admin_password="short",
    )  # fmt: skip
    refused = http(f"{node.base}/", form=typed)
    assert refused.status == 403
    summary = refused.body.split('class="error-summary"')[1].split("</div>")[0]
    for field in ("code", "handle", "url", "admin_password"):
        assert f'href="#{field}"' in summary, field
        assert f'id="{field}-error"' in refused.body, field
    assert 'href="#name"' not in summary and 'href="#admin_handle"' not in summary
    for kept in ('value="Hope Trust"', 'value="talk.example.org/consult"', 'value="hope_admin"'):
        assert kept in refused.body, kept
    assert 'value="short"' not in refused.body  # never the password
    assert "cannot be changed later" in refused.body  # what the public address is
    assert list(data_dir.iterdir()) == []


def test_ten_wrong_codes_replace_the_code(node: NodeProcess) -> None:
    first_line, code = next_code(node)
    for attempt in range(1, MAX_FAILED_CODES + 1):
        assert http(f"{node.base}/", form=form(node, f"WRONG-{attempt}")).status == 403
        if attempt < MAX_FAILED_CODES:
            assert sum(bool(CODE_LINE.search(line)) for line in node.stdout_lines) == 1
    _, replacement = next_code(node, after=first_line + 1)
    assert replacement != code
    assert http(f"{node.base}/", form=form(node, code)).status == 403
    assert http(f"{node.base}/", form=form(node, replacement)).status == 200


def test_the_setup_code_compares_without_case_spaces_or_dashes() -> None:
    announced: list[str] = []
    state = SetupState(code="ABCD-EFGH-JKLM", announce=announced.append)
    assert state.check("abcd efgh jklm") and state.check("ABCDEFGHJKLM")
    assert not state.check("ABCD-EFGH-JKLN") and not state.check("") and not state.check("é")
    assert state.failures == 3 and announced == []
