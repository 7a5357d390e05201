"""Accounts by email with a real SMTP server: `townhall run` nodes with TOWNHALL_SMTP_URL set to
an aiosmtpd sink on loopback, driven over HTTP as a browser drives them (forms with CSRF).

An invitation mailed, joined through, its address confirmed; an address given on joining,
confirmed from the mail's link; a forgotten password reset from the mail's link (and the same
answer, and no mail, for an unknown address); names and notes holding line breaks that add no
header; and mail queued while the SMTP server is down, delivered exactly once after it returns,
across a `townhall worker` killed with SIGKILL and a new one started.
"""

from __future__ import annotations

import asyncio
import html
import os
import re
import signal
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import aiohttp

from tests.support.nodes import RunningNode, count_rows, eventually, fetch_value, running_node
from tests.support.pages import CSRF_INPUT, PASSWORD
from tests.support.processes import TOWNHALL
from tests.support.smtp import Received, SmtpSink, smtp_sink

TIMEOUT = 30
NEW = "a brand new password"
FAST_MAIL = {"TOWNHALL_MAIL_POLL_SECONDS": "0.2", "TOWNHALL_MAIL_RETRY_BASE_SECONDS": "0.05"}


class Visitor:
    """One browser's session on a node: reads pages, posts their forms."""

    def __init__(self, node: RunningNode) -> None:
        self.node = node
        self.session = aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True))

    async def close(self) -> None:
        await self.session.close()

    async def get(self, path: str, status: int = 200) -> str:
        async with self.session.get(f"{self.node.base}{path}", allow_redirects=False) as answer:
            text = html.unescape(await answer.text())
            assert answer.status == status, (path, answer.status, text[:2000])
            return text

    async def submit(
        self, action: str, fields: dict[str, str], form_page: str | None = None
    ) -> tuple[int, str, str]:
        """POST `fields` with the CSRF token of `form_page` (default `action`): the status,
        where it sends us, and the page."""
        found = CSRF_INPUT.search(await self.get(form_page or action))
        assert found, f"{form_page or action} has no form"
        async with self.session.post(
            f"{self.node.base}{action}",
            data={"csrf_token": found.group(1), **fields},
            allow_redirects=False,
        ) as answer:
            return answer.status, answer.headers.get("Location", ""), await answer.text()

    async def post(self, action: str, fields: dict[str, str], form_page: str | None = None) -> str:
        """A form that works: where it sends us."""
        status, location, text = await self.submit(action, fields, form_page)
        assert status == 303, (action, status, text[:3000])
        return location

    async def sign_in(self, handle: str, password: str = PASSWORD) -> None:
        await self.post("/sign-in", {"handle": handle, "password": password})


@contextmanager
def node_with_mail(folder: Path, sink: SmtpSink) -> Iterator[RunningNode]:
    """A node sending through `sink`, with an admin `ada` who signs in with PASSWORD."""
    with running_node(
        folder, "org", extra_env={"TOWNHALL_SMTP_URL": sink.url, **FAST_MAIL}
    ) as node:
        node.cli("user", "add", "ada", "--role", "admin", "--name", "Ada", "--password-stdin",
                 stdin=PASSWORD)  # fmt: skip
        yield node


async def mail_to(sink: SmtpSink, address: str, count: int = 1) -> list[Received]:
    """The messages `address` received, once there are `count`."""
    return await eventually(
        lambda: _received(sink, address),
        lambda got: len(got) >= count,
        timeout=TIMEOUT,
        what=f"{count} mail(s) to {address}",
    )


async def _received(sink: SmtpSink, address: str) -> list[Received]:
    return sink.to(address)


def link_in(mail: Received, node: RunningNode) -> str:
    """The path of the one link of the node that the message's text carries."""
    links = set(re.findall(re.escape(node.base) + r"(/[a-z/]+/[A-Za-z0-9_-]+)", mail.part("plain")))
    assert len(links) == 1, mail.part("plain")
    return links.pop()


async def address_of(node: RunningNode, handle: str) -> tuple[str | None, bool]:
    """A member's stored address, and whether it is confirmed."""
    where = (
        f"FROM account JOIN actor ON actor.id = account.actor_id WHERE actor.handle = '{handle}'"
    )
    email = await fetch_value(node, f"SELECT email {where}")
    confirmed = await fetch_value(
        node, f"SELECT COUNT(*) {where} AND email_verified_at IS NOT NULL"
    )
    return email, bool(confirmed)


async def test_an_invitation_by_email_is_joined_through_and_its_address_counts_as_confirmed(
    tmp_path: Path,
) -> None:
    with smtp_sink() as sink, node_with_mail(tmp_path, sink) as node:
        admin, sam = Visitor(node), Visitor(node)
        try:
            # Given an admin who invites sam@example.org from the invitations page
            await admin.sign_in("ada")
            fields = {"role": "member", "email": "sam@example.org", "note": "Sam", "days": "7",
                      "uses": "1"}  # fmt: skip
            status, _, shown = await admin.submit("/admin/invites", fields)
            assert status == 200, shown
            # When the invitation arrives
            [mail] = await mail_to(sink, "sam@example.org")
            assert mail.recipients == ["sam@example.org"]
            assert "Ada invites you to join Org org" in str(mail.message["Subject"])
            link = link_in(mail, node)
            assert link.startswith("/join/") and f"{node.base}{link}" in html.unescape(shown)
            assert link in mail.part("html")
            # and Sam joins through its link with the address it came to (prefilled)
            assert 'value="sam@example.org"' in await sam.get(link)
            joined = {"handle": "sam", "name": "Sam", "email": "sam@example.org",
                      "password": PASSWORD, "confirm": PASSWORD}  # fmt: skip
            assert await sam.post(link, joined) == "/settings/profile"
            # Then the address is Sam's and confirmed, with no mail asking to confirm it
            assert await address_of(node, "sam") == ("sam@example.org", True)
            assert await count_rows(node, "outgoing_mail", "recipient = 'sam@example.org'") == 1
            assert "Your confirmed address: sam@example.org" in await sam.get("/settings/email")
            # and the invitation cannot be used twice
            await Visitor(node).get(link, status=410)
        finally:
            await admin.close()
            await sam.close()


async def test_an_address_given_on_joining_is_confirmed_from_the_mail_and_resets_a_password(
    tmp_path: Path,
) -> None:
    with smtp_sink() as sink, node_with_mail(tmp_path, sink) as node:
        admin, lee, stranger = Visitor(node), Visitor(node), Visitor(node)
        try:
            # Given a node anyone may join
            await admin.sign_in("ada")
            settings = {"signup_mode": "open", "language": "en", "poll_votes_per_server": "1",
                        "time_zone": "Europe/London", "name": "Org org", "summary": ""}  # fmt: skip
            await admin.post("/admin/settings", settings)
            # When Lee joins with an address
            joined = {"handle": "lee", "name": "Lee", "email": "Lee@Example.org",
                      "password": PASSWORD, "confirm": PASSWORD}  # fmt: skip
            await lee.post("/join", joined)
            # Then a link to confirm it arrives; until used, the address is not Lee's
            [mail] = await mail_to(sink, "lee@example.org")
            link = link_in(mail, node)
            assert link.startswith("/email/verify/")
            assert await address_of(node, "lee") == (None, False)
            # When Lee opens it (the page asks; a GET confirms nothing) and confirms
            assert "Confirm lee@example.org" in await lee.get(link)
            assert await address_of(node, "lee") == (None, False)
            assert await lee.post(link, {}) == "/settings/email"
            assert await address_of(node, "lee") == ("lee@example.org", True)
            # and the link refuses a second use, saying so
            assert "already used" in await lee.get(link, status=410)

            # When someone asks for a reset for an unknown address, then for Lee's
            answers = []
            for typed in ("nobody@example.org", "lee@example.org"):
                where = await stranger.post("/forgot-password", {"address": typed})
                answers.append((where, await stranger.get(where)))
            # Then the answers are the same, and only Lee gets mail
            assert answers[0] == answers[1] and "If that address belongs" in answers[0][1]
            [reset_mail] = (await mail_to(sink, "lee@example.org", count=2))[1:]
            assert sink.to("nobody@example.org") == []
            assert await count_rows(node, "outgoing_mail", "recipient = 'nobody@example.org'") == 0
            reset = link_in(reset_mail, node)
            assert reset.startswith("/reset/") and "60 minutes" in reset_mail.part("plain")
            # When the stranger (holding Lee's mail) sets a new password through it
            fields = {"new": NEW, "confirm": NEW}
            assert await stranger.post(reset, fields) == "/"
            # Then Lee's session elsewhere has ended, the old password fails, the new works
            await lee.get("/settings/email", status=303)  # sent to sign in
            status, _, _ = await Visitor(node).submit(
                "/sign-in", {"handle": "lee", "password": PASSWORD}
            )
            assert status == 401
            await lee.sign_in("lee", NEW)
            # and the link refuses a second use
            assert "used" in await Visitor(node).get(reset, status=410)
            status, _, text = await Visitor(node).submit(reset, fields, form_page="/sign-in")
            assert status == 410, text[:2000]
        finally:
            for visitor in (admin, lee, stranger):
                await visitor.close()


async def test_line_breaks_in_names_and_notes_add_no_header(tmp_path: Path) -> None:
    with smtp_sink() as sink, node_with_mail(tmp_path, sink) as node:
        admin = Visitor(node)
        try:
            # Given an organisation name, an admin's display name and a note with CR/LF in them
            await admin.sign_in("ada")
            injected = "\r\nBcc: evil@example.org\r\nX-Injected: yes"
            settings = {"signup_mode": "invite", "language": "en", "poll_votes_per_server": "1",
                        "time_zone": "Europe/London", "name": f"Org{injected}",
                        "summary": ""}  # fmt: skip
            await admin.post("/admin/settings", settings)
            status, _, _ = await admin.submit(
                "/settings/profile", {"name": f"Ada{injected}", "summary": "", "role": ""}
            )
            assert status in (303, 400)  # saved (folded on one line when mailed) or refused
            # When an invitation is mailed with such a note
            fields = {"role": "member", "email": "sam@example.org", "note": f"Sam{injected}",
                      "days": "7", "uses": "1"}  # fmt: skip
            status, _, _ = await admin.submit("/admin/invites", fields)
            assert status == 200
            # Then the message arrives for Sam alone, without any header the text tried to add
            [mail] = await mail_to(sink, "sam@example.org")
            assert mail.recipients == ["sam@example.org"]
            message = mail.message
            assert message["Bcc"] is None and message["X-Injected"] is None
            for name in ("Subject", "From", "List-Id"):
                assert "\n" not in str(message[name]) and "\r" not in str(message[name])
            assert "Org Bcc: evil@example.org" in str(message["From"])
            # The raw bytes have no line starting a header the text carried
            assert not re.search(rb"^(Bcc|X-Injected):", mail.data, re.M | re.I)
            await asyncio.sleep(0.5)
            assert sink.to("evil@example.org") == []
        finally:
            await admin.close()


async def _now(value: int) -> int:
    return value


class Worker:
    """A `townhall worker` process, its log in a file."""

    def __init__(self, node: RunningNode, env: dict[str, str], log: Path) -> None:
        self.log = log
        self.process = subprocess.Popen(
            [*TOWNHALL, "worker", "--data-dir", str(node.process.data_dir)],
            env={**os.environ, **env},
            stdout=subprocess.DEVNULL,
            stderr=log.open("a"),
        )

    def logged(self, event: str) -> int:
        """How many log lines name `event`."""
        return self.log.read_text().count(f'"event": "{event}"') if self.log.exists() else 0

    def kill(self) -> int:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGKILL)
        return self.process.wait(timeout=10)

    def stop(self) -> int:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
        try:
            return self.process.wait(timeout=10)
        finally:
            self.kill()


async def test_mail_queued_while_smtp_is_down_arrives_once_across_a_killed_worker(
    tmp_path: Path,
) -> None:
    # Given a node whose SMTP server is down
    sink = SmtpSink()
    addresses = [f"person{n}@example.org" for n in range(8)]
    with node_with_mail(tmp_path, sink) as node:
        admin = Visitor(node)
        try:
            # When an admin mails eight invitations
            await admin.sign_in("ada")
            for address in addresses:
                fields = {"role": "member", "email": address, "note": "", "days": "7",
                          "uses": "1"}  # fmt: skip
                status, _, _ = await admin.submit("/admin/invites", fields)
                assert status == 200
        finally:
            await admin.close()
        queued = len(addresses)
        assert await count_rows(node, "outgoing_mail") == queued
        # and the web process stops; a `townhall worker` tries them, is killed (SIGKILL)
        node.process.terminate()
        env = {**node.env, "TOWNHALL_SMTP_URL": sink.url, **FAST_MAIL,
               "TOWNHALL_MAIL_RETRY_BASE_SECONDS": "0.05",
               "TOWNHALL_MAIL_LEASE_SECONDS": "2"}  # fmt: skip
        first = Worker(node, env, tmp_path / "worker-1.log")
        try:
            await eventually(
                lambda: _now(first.logged("mail.retry_later")),
                lambda tried: tried >= queued,
                timeout=TIMEOUT,
                what="the worker trying every message",
            )
            assert first.kill() == -signal.SIGKILL
        finally:
            first.kill()
        assert await count_rows(node, "outgoing_mail", "state = 'sent'") == 0
        # and a new worker starts, and the SMTP server comes back on the same port
        second = Worker(node, env, tmp_path / "worker-2.log")
        sink.start()
        try:
            await eventually(
                lambda: count_rows(node, "outgoing_mail", "state = 'sent'"),
                lambda sent: sent == queued,
                timeout=TIMEOUT * 2,
                what="every message sent",
            )
            await asyncio.sleep(1.0)  # room for a duplicate to show up
            # Then each message arrived exactly once, to its one recipient
            ids = [item.message_id for item in sink.received]
            assert len(ids) == queued and len(set(ids)) == queued
            assert sorted(r for item in sink.received for r in item.recipients) == addresses
            stored = {
                str(await fetch_value(node, f"SELECT message_id FROM outgoing_mail WHERE id = {n}"))
                for n in range(1, queued + 1)
            }
            assert stored == set(ids)
            assert second.stop() == 0
        finally:
            second.kill()
            sink.stop()
