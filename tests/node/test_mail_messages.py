"""Mail as it leaves the node: headers, parts, addresses and the [email] settings."""

from __future__ import annotations

from datetime import UTC, datetime
from email import message_from_bytes, policy
from pathlib import Path

import pytest

from node.config import ConfigError, load_config, write_config
from node.mail.addresses import InvalidAddress, normalise_address
from node.mail.message import Envelope, MailContent, compose, new_message_id
from node.mail.render import render_mail

SECRET = "k" * 40


def envelope(**changes: str) -> Envelope:
    values = {
        "sender_name": "Tenants' Union",
        "sender_address": "noreply@node.example",
        "recipient": "sam@example.org",
        "list_id": "Tenants' Union <townhall.node.example>",
        "unsubscribe_url": "https://node.example/mail/unsubscribe/abc",
    }
    values.update(changes)
    return Envelope(**values)


def parsed(envelope: Envelope, content: MailContent) -> object:
    message = compose(
        envelope, content, "<1@node.example>", datetime(2026, 12, 6, tzinfo=UTC), "en"
    )
    return message_from_bytes(message.as_bytes(), policy=policy.default)


def test_a_message_has_text_and_html_parts_and_the_headers_list_tools_read() -> None:
    # Given a message with a one-click unsubscribe link
    content = MailContent("Closing soon: Housing", "Plain words — with a dash", "<p>Plain</p>")
    message = parsed(envelope(), content)
    # Then it is multipart text + HTML with Message-ID, Date, List-Id and RFC 8058's headers
    assert message.get_content_type() == "multipart/alternative"  # type: ignore[attr-defined]
    plain = message.get_body(preferencelist=("plain",))  # type: ignore[attr-defined]
    html = message.get_body(preferencelist=("html",))  # type: ignore[attr-defined]
    assert plain.get_content().strip() == "Plain words — with a dash"
    assert html.get_content().strip() == "<p>Plain</p>"
    assert message["Message-ID"] == "<1@node.example>"  # type: ignore[index]
    assert message["Date"] == "Sun, 06 Dec 2026 00:00:00 +0000"  # type: ignore[index]
    assert message["List-Id"] == "Tenants' Union <townhall.node.example>"  # type: ignore[index]
    assert message["List-Unsubscribe"] == "<https://node.example/mail/unsubscribe/abc>"  # type: ignore[index]
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"  # type: ignore[index]
    assert message["From"] == "Tenants' Union <noreply@node.example>"  # type: ignore[index]
    assert message["Subject"] == "Closing soon: Housing"  # type: ignore[index]


def test_mail_one_cannot_opt_out_of_carries_no_unsubscribe_header() -> None:
    message = parsed(envelope(unsubscribe_url=""), MailContent("Reset", "t", "<p>t</p>"))
    assert message["List-Unsubscribe"] is None  # type: ignore[index]
    assert message["List-Unsubscribe-Post"] is None  # type: ignore[index]


def test_line_breaks_in_names_and_subjects_cannot_add_headers() -> None:
    # Given a site name and a subject that each try to smuggle in a Bcc header
    hostile = envelope(sender_name="Org\r\nBcc: victim@example.org")
    content = MailContent("Hello\r\nBcc: victim@example.org\nX-Evil: 1", "body", "<p>body</p>")
    raw = compose(hostile, content, "<1@n.example>", datetime.now(UTC), "en").as_bytes()
    message = message_from_bytes(raw, policy=policy.default)
    # Then the message has no such header: the text stays on the one line it belongs to
    assert message["Bcc"] is None and message["X-Evil"] is None
    assert message["Subject"] == "Hello Bcc: victim@example.org X-Evil: 1"
    assert b"\r\nBcc:" not in raw and b"\nBcc:" not in raw


def test_a_recipient_with_a_line_break_is_refused_by_the_email_package() -> None:
    # The address is checked before it is queued; the email package refuses one that was not
    with pytest.raises(ValueError):
        compose(
            envelope(recipient="a@b.example\r\nBcc: c@d.example"),
            MailContent("s", "t", "<p>t</p>"),
            "<1@n.example>",
            datetime.now(UTC),
            "en",
        ).as_bytes()


def test_message_ids_are_unique_and_name_the_node() -> None:
    first, second = new_message_id("node.example:8443"), new_message_id("node.example:8443")
    assert first != second and first.endswith("@node.example>")


@pytest.mark.parametrize(
    "typed",
    ["", "  ", "sam", "sam@", "@example.org", "sam@example", "sam smith@example.org",
     "Sam <sam@example.org>", "sam@example.org, kim@example.org", "sam@exa mple.org",
     "sam..x@example.org", ".sam@example.org", "sam@-example.org", "sam@example.org\nBcc: x@y.z",
     "a" * 65 + "@example.org"],
)  # fmt: skip
def test_what_is_not_one_address_is_refused_with_a_reason(typed: str) -> None:
    with pytest.raises(InvalidAddress) as refused:
        normalise_address(typed)
    assert str(refused.value)


def test_an_address_is_kept_lower_cased_and_trimmed() -> None:
    assert normalise_address("  Sam.O'Neil+policy@Example.ORG ") == "sam.o'neil+policy@example.org"


def test_a_mail_template_renders_both_bodies_escaping_only_the_html() -> None:
    content = render_mail("test_message", "Hi", "en", site_name="A <b>", site_url="https://n.ex")
    assert "A <b>" in content.text and "A &lt;b&gt;" in content.html
    assert content.subject == "Hi"


def test_email_settings_come_from_the_config_or_the_environment(tmp_path: Path) -> None:
    write_config(tmp_path, "https://node.example", SECRET)
    assert load_config(tmp_path, {}).email.writes_files
    env = {"TOWNHALL_SMTP_URL": "smtps://u:p@mail.example:465", "TOWNHALL_MAIL_FROM": "t@n.org"}
    config = load_config(tmp_path, env)
    assert (config.email.smtp_url, config.email.sender) == (
        "smtps://u:p@mail.example:465",
        "t@n.org",
    )
    assert not config.email.writes_files


@pytest.mark.parametrize(
    ("section", "message"),
    [
        ('smtp_url = "http://mail.example"', "unsupported SMTP URL"),
        ('smtp_url = "smtp://"', "unsupported SMTP URL"),
        ('smtp_url = "smtp://mail.example:99999"', "bad SMTP URL"),
        ("smtp_url = 25", "[email] smtp_url must be a string"),
        ('from = "Townhall <t@n.org>"', "[email] from must be one address"),
    ],
)
def test_a_bad_email_setting_is_refused_naming_it(
    tmp_path: Path, section: str, message: str
) -> None:
    path = write_config(tmp_path, "https://node.example", SECRET)
    path.write_text(path.read_text() + f"\n[email]\n{section}\n")
    with pytest.raises(ConfigError) as refused:
        load_config(tmp_path, {})
    assert message in str(refused.value)


def test_a_password_in_a_bad_smtp_url_is_not_echoed(tmp_path: Path) -> None:
    write_config(tmp_path, "https://node.example", SECRET)
    with pytest.raises(ConfigError) as refused:
        load_config(tmp_path, {"TOWNHALL_SMTP_URL": "imap://u:hunter2@mail.example"})
    assert "hunter2" not in str(refused.value) and "TOWNHALL_SMTP_URL" in str(refused.value)
