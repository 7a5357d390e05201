"""`townhall check` reports the mail setting: the SMTP server greeted (connect, EHLO, QUIT, nothing
sent), a server that does not answer, or the folder .eml files go to when none is set."""

from __future__ import annotations

from node.config import Config
from tests.support.processes import free_port, townhall
from tests.support.smtp import smtp_sink


def check(config: Config, env: dict[str, str]) -> str:
    result = townhall("check", "--data-dir", str(config.data_dir), env=env)
    return result.stdout


def test_check_greets_the_smtp_server_and_sends_nothing(
    node_config: Config, node_env: dict[str, str]
) -> None:
    with smtp_sink() as sink:
        said = check(node_config, {**node_env, "TOWNHALL_SMTP_URL": sink.url})
        assert f"ok      mail: the SMTP server at 127.0.0.1:{sink.port} answers" in said, said
        assert sink.received == []


def test_check_names_an_smtp_server_that_does_not_answer(
    node_config: Config, node_env: dict[str, str]
) -> None:
    port = free_port()
    result = townhall(
        "check",
        "--data-dir",
        str(node_config.data_dir),
        env={**node_env, "TOWNHALL_SMTP_URL": f"smtp://127.0.0.1:{port}"},
    )
    assert result.returncode == 1
    assert f"PROBLEM mail: the SMTP server at 127.0.0.1:{port} did not answer" in result.stdout
    assert "check [email] smtp_url" in result.stdout


def test_check_says_where_mail_goes_without_an_smtp_server(
    node_config: Config, node_env: dict[str, str]
) -> None:
    said = check(node_config, {**node_env, "TOWNHALL_SMTP_URL": ""})
    folder = node_config.data_dir / "mail-outbox"
    assert f"ok      mail: no [email] smtp_url: mail is written as .eml files to {folder}" in said
