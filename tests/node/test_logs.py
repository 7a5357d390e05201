"""Logs: one JSON line per event on stderr, and never a password, a token or a private key."""

from __future__ import annotations

import io
import json
import logging
import re
from pathlib import Path

import pytest

from node.logs import JsonLineFormatter
from tests.support.processes import (
    NodeProcess,
    cli_env,
    free_port,
    http,
    initialised_on_free_port,
    townhall,
)

PASSWORD = "correct-horse-battery-staple"
AS2 = "application/activity+json"
CODE_LINE = re.compile(r"Setup code: (\S+)")


def assert_all_json_events(lines: list[str]) -> list[dict[str, object]]:
    """Every line parsed; each is one JSON object with ts, level, logger and event."""
    events = []
    for line in lines:
        try:
            event = json.loads(line)
        except ValueError:
            pytest.fail(f"not a JSON line on stderr: {line!r}")
        assert isinstance(event, dict) and {"ts", "level", "logger", "event"} <= event.keys(), line
        events.append(event)
    return events


def test_passwords_tokens_and_private_keys_never_reach_any_output(
    data_dir: Path, node_env: dict[str, str]
) -> None:
    env = cli_env(node_env)
    port = free_port()
    outputs: list[str] = []

    def run(*args: str, stdin: str | None = None) -> str:
        result = townhall(*args, "--data-dir", str(data_dir), stdin=stdin, env=env)
        assert result.returncode == 0, result.stderr
        outputs.append(result.stderr)
        return result.stdout

    outputs.append(
        run("init", "--url", f"http://127.0.0.1:{port}", "--name", "Org", "--handle", "org")
    )
    outputs.append(run("user", "add", "alice", "--password-stdin", stdin=f"{PASSWORD}\n"))
    token = run("token", "create", "alice").strip()  # its own stdout is the one place for it
    assert len(token) >= 40

    node = NodeProcess(data_dir, env=env, port=port).start()
    try:
        bearer = {"Authorization": f"Bearer {token}", "Accept": AS2}
        assert http(f"{node.base}/actors/alice", headers=bearer).status == 200
        http(f"{node.base}/actors/alice/inbox", headers=bearer)
        http(f"{node.base}/actors/alice/outbox?token={token}", form={"password": PASSWORD})
        http(f"{node.base}/.well-known/webfinger?resource=acct:alice@127.0.0.1:{port}")
    finally:
        assert node.terminate() == 0
    outputs += node.stdout_lines + node.stderr_lines
    assert any('"http.request"' in line for line in node.stderr_lines)  # requests were logged

    for text in outputs:
        assert PASSWORD not in text
        assert token not in text
        assert "PRIVATE KEY" not in text


def test_every_stderr_line_of_a_run_is_a_json_event(
    data_dir: Path, node_env: dict[str, str]
) -> None:
    env = cli_env(node_env)
    port = initialised_on_free_port(data_dir, env)
    node = NodeProcess(data_dir, env=env, port=port).start()
    try:
        assert http(f"{node.base}/actors/org", headers={"Accept": AS2}).status == 200
        assert http(f"{node.base}/no/such/page").status == 404
        assert http(f"{node.base}/actors/org", form={"x": "y"}).status == 405
    finally:
        assert node.terminate() == 0
    events = assert_all_json_events(node.stderr_lines)
    names = [event["event"] for event in events]
    assert names[0] != "node.stopping" and names[-1] == "node.stopped"
    assert {"node.listening", "node.stopping"} <= set(names)
    requests = [event for event in events if event["event"] == "http.request"]
    missing = next(event for event in requests if event["path"] == "/no/such/page")
    assert missing["method"] == "GET" and missing["status"] == 404
    assert missing["remote"] == "127.0.0.1"
    assert isinstance(missing["duration_ms"], float | int) and missing["duration_ms"] >= 0
    assert any(event["status"] == 405 and event["method"] == "POST" for event in requests)


def test_setup_logs_are_json_and_keep_the_password_and_the_code_out(
    data_dir: Path, node_env: dict[str, str]
) -> None:
    node = NodeProcess(data_dir, env=cli_env(node_env)).start()
    try:
        _, line = node.wait_for_line(CODE_LINE.search)
        code = line.split()[2]
        fields = {
            "name": "Org",
            "handle": "org",
            "url": node.base,
            "admin_handle": "admin",
            "admin_password": PASSWORD,
        }
        assert http(f"{node.base}/", form={**fields, "code": "WRONG"}).status == 403
        assert http(f"{node.base}/", form={**fields, "code": code}).status == 200
        node.wait_for_line(lambda text: '"node.listening"' in text, stream="stderr")
    finally:
        assert node.terminate() == 0
    events = assert_all_json_events(node.stderr_lines)
    names = {event["event"] for event in events}
    assert {"setup.code_refused", "setup.completed", "node.listening"} <= names
    assert not any(code in text for text in node.stderr_lines)
    assert not any(PASSWORD in text for text in node.stdout_lines + node.stderr_lines)


def format_record(message: str, level: int = logging.INFO, **extra: object) -> str:
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonLineFormatter())
    logger = logging.getLogger(f"test.logs.{id(stream)}")
    logger.propagate = False
    logger.setLevel(logging.DEBUG)
    logger.addHandler(handler)
    try:
        if level >= logging.ERROR:
            try:
                raise ValueError("first line\nsecond line")
            except ValueError:
                logger.exception(message, extra=extra)
        else:
            logger.log(level, message, extra=extra)
    finally:
        logger.removeHandler(handler)
    return stream.getvalue()


def test_secret_fields_are_masked_even_when_nested() -> None:
    output = format_record(
        "member.signed_in",
        handle="alice",
        password="hunter2hunter2",
        token="tok-123",
        authorization="Bearer tok-123",
        details={"secret_key": "sk-9", "private_key_pem": "pem-9", "count": 2},
    )
    event = json.loads(output)
    assert event["event"] == "member.signed_in" and event["handle"] == "alice"
    assert event["password"] == event["token"] == event["authorization"] == "***"
    assert event["details"] == {"secret_key": "***", "private_key_pem": "***", "count": 2}
    for secret in ("hunter2", "tok-123", "sk-9", "pem-9"):
        assert secret not in output


def test_an_event_is_one_line_even_with_newlines_and_a_traceback() -> None:
    output = format_record("request.crashed\nwith a second line", level=logging.ERROR)
    assert output.count("\n") == 1 and output.endswith("\n")
    event = json.loads(output)
    assert event["level"] == "error"
    assert event["error"] == "ValueError: first line second line"  # not the traceback
    assert "Traceback" not in output


def test_invitation_and_reset_codes_in_links_never_reach_the_access_log(
    data_dir: Path, node_env: dict[str, str]
) -> None:
    env = cli_env(node_env)
    port = initialised_on_free_port(data_dir, env)
    invitation, reset = "InviteSecret-q8Zr4wT2", "ResetSecret-k3Jd9xV5"
    node = NodeProcess(data_dir, env=env, port=port).start()
    try:
        http(f"{node.base}/join/{invitation}")
        http(f"{node.base}/reset/{reset}")
        http(f"{node.base}/join/{invitation}", form={"handle": "x", "password": PASSWORD})
        http(f"{node.base}/reset/{reset}", form={"password": PASSWORD})
        assert http(f"{node.base}/no/such/page").status == 404
    finally:
        assert node.terminate() == 0
    events = assert_all_json_events(node.stderr_lines)
    paths = [event["path"] for event in events if event["event"] == "http.request"]
    assert paths.count("/join/{code}") == 2 and paths.count("/reset/{code}") == 2, paths
    assert "/no/such/page" in paths  # other paths are logged as they are
    for line in node.stdout_lines + node.stderr_lines:
        assert invitation not in line and reset not in line, line
