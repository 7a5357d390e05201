"""The mail queue and worker against a real SMTP server on loopback (aiosmtpd)."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from node.db import close_database, open_database
from node.mail.message import MailContent
from node.mail.transport import FileTransport, SmtpTransport
from node.models import MailState, OutgoingMail
from node.services.mail_queue import MailQueue, MailSettings
from node.workers.mail import LEASE, MailWorker
from tests.support.smtp import SmtpSink, smtp_sink

SETTINGS = MailSettings(base_url="https://node.example", sender_address="noreply@node.example")
CONTENT = MailContent("Hello", "Plain", "<p>Plain</p>")


@pytest.fixture
async def queue(database_url: str) -> AsyncIterator[MailQueue]:
    await open_database(database_url)
    try:
        yield MailQueue(SETTINGS)
    finally:
        await close_database()


def worker_for(sink: SmtpSink) -> MailWorker:
    return MailWorker(SmtpTransport(sink.url, SETTINGS.sender_address), backoff_scale=0.0)


async def test_queued_mail_is_sent_once_each(queue: MailQueue) -> None:
    # Given three messages queued
    for name in ("ann", "bob", "cat"):
        await queue.queue(f"{name}@example.org", "test", CONTENT)
    with smtp_sink() as sink:
        worker = worker_for(sink)
        # When the worker passes twice
        assert await worker.send_due() == 3
        assert await worker.send_due() == 0
        # Then each recipient got one message, from the node's sender, and all are recorded sent
        assert sorted(item.recipients[0] for item in sink.received) == [
            "ann@example.org", "bob@example.org", "cat@example.org",
        ]  # fmt: skip
        assert {item.sender for item in sink.received} == {"noreply@node.example"}
        assert sink.received[0].part("plain").strip() == "Plain"
    states = await OutgoingMail.all().values_list("state", "attempts", "sent_at")
    assert all(
        state == MailState.SENT and attempts == 1 and sent for state, attempts, sent in states
    )


async def test_mail_waits_while_the_server_is_down_and_goes_once_when_it_returns(
    queue: MailQueue,
) -> None:
    # Given a mail server that is down when two messages are queued
    sink = SmtpSink()
    await queue.queue("ann@example.org", "test", CONTENT)
    await queue.queue("bob@example.org", "test", CONTENT)
    worker = worker_for(sink)
    # When the worker tries twice with the server down
    await worker.send_due()
    await worker.send_due()
    # Then nothing is lost: both wait with the failure noted
    rows = await OutgoingMail.all().order_by("id")
    assert [row.state for row in rows] == [MailState.PENDING, MailState.PENDING]
    assert [row.attempts for row in rows] == [2, 2]
    assert all("Connect" in row.last_error or "refused" in row.last_error for row in rows)
    # And when the server returns, each goes once
    sink.start()
    try:
        assert await worker.send_due() == 2
        await worker.send_due()
        assert sorted(item.recipients[0] for item in sink.received) == [
            "ann@example.org", "bob@example.org",
        ]  # fmt: skip
    finally:
        sink.stop()


async def test_a_failed_attempt_waits_longer_each_time(queue: MailQueue) -> None:
    await queue.queue("ann@example.org", "test", CONTENT)
    worker = MailWorker(SmtpTransport(SmtpSink().url, SETTINGS.sender_address))
    before = datetime.now(UTC)
    await worker.send_due()
    first = await OutgoingMail.get(recipient="ann@example.org")
    assert timedelta(seconds=55) < first.next_attempt_at - before < timedelta(seconds=65)
    # a pass before the wait is over sends nothing
    assert await worker.send_due() == 0
    await OutgoingMail.filter(id=first.id).update(next_attempt_at=before)
    await worker.send_due()
    second = await OutgoingMail.get(id=first.id)
    assert timedelta(minutes=4) < second.next_attempt_at - before < timedelta(minutes=6)


async def test_a_refused_recipient_is_recorded_and_not_tried_again(
    queue: MailQueue, caplog: pytest.LogCaptureFixture
) -> None:
    # Given a server that refuses one of two recipients for good
    await queue.queue("gone@example.org", "test", CONTENT)
    await queue.queue("ann@example.org", "test", CONTENT)
    with smtp_sink() as sink:
        sink.refuse("gone@example.org")
        worker = worker_for(sink)
        await worker.send_due()
        await worker.send_due()
        # Then the refused one is failed with the server's answer, tried once; the other sent
        gone = await OutgoingMail.get(recipient="gone@example.org")
        assert (gone.state, gone.attempts) == (MailState.FAILED, 1)
        assert "550" in gone.last_error
        assert [item.recipients for item in sink.received] == [["ann@example.org"]]
        # and the log says why without the address the server's answer repeated
        refused = [r for r in caplog.records if r.getMessage() == "mail.refused"]
        assert len(refused) == 1 and "550" in refused[0].error  # type: ignore[attr-defined]
        assert "gone@example.org" in gone.last_error
        assert "gone@example.org" not in refused[0].error  # type: ignore[attr-defined]


async def test_two_workers_at_once_send_each_message_once(queue: MailQueue) -> None:
    for number in range(30):
        await queue.queue(f"m{number}@example.org", "test", CONTENT)
    with smtp_sink() as sink:
        first, second = worker_for(sink), worker_for(sink)
        await asyncio.gather(first.send_due(), second.send_due())
        await asyncio.gather(first.send_due(), second.send_due())
        ids = [item.message_id for item in sink.received]
        assert len(ids) == 30 and len(set(ids)) == 30


async def test_a_message_left_sending_by_a_dead_worker_is_sent_after_its_lease(
    queue: MailQueue,
) -> None:
    # Given a message a worker claimed and then died with (its lease not yet over)
    queued = await queue.queue("ann@example.org", "test", CONTENT)
    claimed_at = datetime.now(UTC)
    await OutgoingMail.filter(id=queued.id).update(
        state=MailState.SENDING, claimed_at=claimed_at, attempts=1
    )
    with smtp_sink() as sink:
        worker = worker_for(sink)
        # Then it is left alone while the lease runs
        assert await worker.send_due() == 0
        # And sent once after the lease is over
        await OutgoingMail.filter(id=queued.id).update(claimed_at=claimed_at - LEASE * 2)
        assert await worker.send_due() == 1
        assert [item.message_id for item in sink.received] == [queued.message_id]


async def test_with_no_smtp_server_each_message_is_written_as_an_eml_file(
    queue: MailQueue, tmp_path: Path
) -> None:
    await queue.queue("ann@example.org", "test", CONTENT)
    worker = MailWorker(FileTransport(tmp_path / "mail-outbox"))
    await worker.send_due()
    [written] = list((tmp_path / "mail-outbox").glob("*.eml"))
    assert written.name.endswith("-ann@example.org.eml")
    assert b"Subject: Hello" in written.read_bytes()
    assert (await OutgoingMail.get(recipient="ann@example.org")).state == MailState.SENT
