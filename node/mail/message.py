"""One email as sent: multipart text and HTML, with the headers mail clients and list tools
read (Message-ID, Date, List-Id, RFC 8058 one-click List-Unsubscribe).

Nothing outside can add a header: names and subjects are folded onto one line here, and the
email package refuses any header value that still holds a line break.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from email.headerregistry import Address
from email.message import EmailMessage
from email.policy import SMTP
from email.utils import format_datetime, make_msgid

_BREAKS = re.compile(r"[\x00-\x1f\x7f\u2028\u2029]+")


@dataclass(frozen=True)
class MailContent:
    """What a message says: its subject, plain text and HTML body."""

    subject: str
    text: str
    html: str


@dataclass(frozen=True)
class Envelope:
    """Who a message is from and to, and where it is listed."""

    sender_name: str
    sender_address: str
    recipient: str
    list_id: str  # e.g. "Townhall at example.org <mail.example.org>"
    unsubscribe_url: str = ""  # one-click (RFC 8058); empty for mail one cannot opt out of


def one_line(value: str) -> str:
    """`value` with every control character and line break folded into one space."""
    return " ".join(_BREAKS.sub(" ", value).split())


def new_message_id(host: str) -> str:
    """A fresh globally unique Message-ID for mail from `host`."""
    return make_msgid(domain=host.split(":", 1)[0])


def compose(
    envelope: Envelope, content: MailContent, message_id: str, date: datetime, language: str
) -> EmailMessage:
    """The whole message, ready for SMTP."""
    message = EmailMessage(policy=SMTP)
    local, _, domain = envelope.sender_address.rpartition("@")
    message["From"] = Address(one_line(envelope.sender_name), local, domain)
    message["To"] = envelope.recipient
    message["Subject"] = one_line(content.subject)
    message["Date"] = format_datetime(date)
    message["Message-ID"] = message_id
    message["List-Id"] = one_line(envelope.list_id)
    message["Auto-Submitted"] = "auto-generated"  # RFC 3834: no out-of-office replies
    if envelope.unsubscribe_url:
        message["List-Unsubscribe"] = f"<{envelope.unsubscribe_url}>"
        message["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    # quoted-printable keeps every line 7-bit, for servers without 8BITMIME
    message.set_content(content.text, cte="quoted-printable")
    message.add_alternative(content.html, subtype="html", cte="quoted-printable")
    # after the bodies: set_content and add_alternative drop or move every Content-* header
    message["Content-Language"] = language
    return message
