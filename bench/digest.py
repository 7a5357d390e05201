"""A weekly digest for 5,000 members following 20 proposals each: built by the worker's pass and
handed to a local SMTP server (aiosmtpd), with the time to build, the time to send and the
worker's peak memory. Aim (issue 19): under 60 seconds in all, under 200 MB.

Seeds a node (SQLite; TOWNHALL_DATABASE_URL for PostgreSQL) with N members with confirmed
addresses who take replies and new versions weekly, 100 proposals (written by the first 100
members), each endorsed by 1 in 5 members (20 proposals each), each with a new version this
week; every member wrote one comment that two others answered this week, every proposal has
~50 comments and the first 500 more (one line with a count in its author's digest). Then, in a
child process of its own (the "worker": its peak RSS is the figure), runs the notification
pass and the mail worker until the queue is empty, against aiosmtpd in another process.

Run: .venv/bin/python bench/digest.py [--members 5000]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from node.db import close_database, open_database
from node.install import NodeSettings, initialise
from node.mail.transport import SmtpTransport
from node.models import (
    Account,
    Actor,
    ActorType,
    MailState,
    NotificationPreference,
    Object,
    OutgoingMail,
    Proposal,
    ProposalStatus,
    ProposalVersion,
    Reaction,
)
from node.services.mail_queue import MailQueue, MailSettings
from node.services.notification_mail import NotificationMailer
from node.workers.mail import MailWorker

BASE = "http://127.0.0.1:8000"
PROPOSALS = 100
FOLLOWED = 20  # proposals each member endorsed
BIG_THREAD = 500  # extra comments on the first proposal
BATCH = 1000
SECRET = "bench-secret-key-0123456789abcdef0123456789"

SINK = """
import asyncio, sys
from aiosmtpd.controller import Controller
class Count:
    received = 0
    async def handle_DATA(self, server, session, envelope):
        Count.received += 1
        return "250 OK"
controller = Controller(Count(), hostname="127.0.0.1", port=int(sys.argv[1]))
controller.start()
print("ready", flush=True)
sys.stdin.read()
controller.stop()
print(Count.received, flush=True)
"""


def days_ago(days: float) -> datetime:
    return datetime.now(UTC) - timedelta(days=days)


async def seed(members: int) -> None:
    """Members, proposals, endorsements, versions, comments and replies (bulk inserts)."""
    verified = days_ago(30)
    actors = [
        Actor(
            uri=f"{BASE}/actors/m{n}",
            type=ActorType.PERSON,
            is_local=True,
            handle=f"m{n}",
            domain="127.0.0.1:8000",
            name=f"Member {n}",
            inbox_uri=f"{BASE}/actors/m{n}/inbox",
        )
        for n in range(members)
    ]
    await Actor.bulk_create(actors, batch_size=BATCH)
    ids = dict(
        await Actor.filter(handle__startswith="m", is_local=True).values_list("handle", "id")
    )
    actor_ids = [ids[f"m{n}"] for n in range(members)]
    await Account.bulk_create(
        [
            Account(actor_id=a, email=f"m{n}@example.org", email_verified_at=verified)
            for n, a in enumerate(actor_ids)
        ],
        batch_size=BATCH,
    )
    accounts = await Account.all().values_list("id", flat=True)
    await NotificationPreference.bulk_create(
        [NotificationPreference(account_id=a, kind="reply", delivery="weekly") for a in accounts],
        batch_size=BATCH,
    )
    week_start = days_ago(10)
    proposals = [
        Object(
            uri=f"{BASE}/objects/p{n}",
            type="Article",
            is_local=True,
            author_id=actor_ids[n % members],
            context_uri=f"{BASE}/contexts/p{n}",
            name=f"Proposal {n}",
            url=f"{BASE}/objects/p{n}",
            published_at=week_start,
        )
        for n in range(PROPOSALS)
    ]
    await Object.bulk_create(proposals, batch_size=BATCH)
    objects = dict(await Object.filter(type="Article").values_list("uri", "id"))
    await Proposal.bulk_create(
        [
            Proposal(
                object_id=objects[f"{BASE}/objects/p{n}"],
                status=ProposalStatus.OPEN,
                closes_at=days_ago(-60),
            )
            for n in range(PROPOSALS)
        ],
        batch_size=BATCH,
    )
    proposal_ids = await Proposal.all().order_by("id").values_list("id", flat=True)
    await ProposalVersion.bulk_create(
        [ProposalVersion(proposal_id=p, number=1, document={}) for p in proposal_ids]
    )
    await ProposalVersion.all().update(created_at=days_ago(2))
    await Reaction.bulk_create(
        [
            Reaction(
                uri=f"{BASE}/likes/{n}-{k}",
                kind="Like",
                actor_id=actor_ids[n],
                object_uri=f"{BASE}/objects/p{(n + k * 5) % PROPOSALS}",
            )
            for n in range(members)
            for k in range(FOLLOWED)
        ],
        batch_size=BATCH,
    )
    comments = [
        Object(
            uri=f"{BASE}/objects/c{n}",
            type="Note",
            is_local=True,
            author_id=actor_ids[n],
            in_reply_to_uri=f"{BASE}/objects/p{n % PROPOSALS}",
            context_uri=f"{BASE}/contexts/p{n % PROPOSALS}",
            content=f"<p>Comment {n}</p>",
            url=f"{BASE}/objects/c{n}",
            published_at=days_ago(6 - (n % 6)),
        )
        for n in range(members)
    ]
    comments += [
        Object(
            uri=f"{BASE}/objects/big{n}",
            type="Note",
            is_local=True,
            author_id=actor_ids[(PROPOSALS + n % 50) % members],
            in_reply_to_uri=f"{BASE}/objects/p0",
            context_uri=f"{BASE}/contexts/p0",
            content=f"<p>More {n}</p>",
            url=f"{BASE}/objects/big{n}",
            published_at=days_ago(3),
        )
        for n in range(BIG_THREAD)
    ]
    comments += [
        Object(
            uri=f"{BASE}/objects/r{n}-{k}",
            type="Note",
            is_local=True,
            author_id=actor_ids[(n + k + 1) % members],
            in_reply_to_uri=f"{BASE}/objects/c{n}",
            context_uri=f"{BASE}/contexts/p{n % PROPOSALS}",
            content=f"<p>Reply {k}</p>",
            url=f"{BASE}/objects/r{n}-{k}",
            published_at=days_ago(1 + k),
        )
        for n in range(members)
        for k in range(2)
    ]
    await Object.bulk_create(comments, batch_size=BATCH)


async def work(database_url: str, smtp_url: str) -> dict[str, float]:
    """The worker's part: build and queue the digests, then send them all."""
    await open_database(database_url)
    try:
        queue = MailQueue(MailSettings(BASE, "noreply@127.0.0.1"))
        started, cpu_started = time.perf_counter(), time.process_time()
        queued = await NotificationMailer(queue, SECRET, timedelta(0)).mail_due(datetime.now(UTC))
        built, cpu_built = time.perf_counter(), time.process_time()
        worker = MailWorker(SmtpTransport(smtp_url, "noreply@127.0.0.1"), backoff_scale=0.0)
        while await worker.send_due():
            pass
        sent, cpu_sent = time.perf_counter(), time.process_time()
        pending = await OutgoingMail.exclude(state=MailState.SENT).count()
        sample = await OutgoingMail.filter(recipient="m0@example.org").first()
        return {
            "queued": queued,
            "not_sent": pending,
            "build_seconds": round(built - started, 2),
            "send_seconds": round(sent - built, 2),
            "build_cpu_seconds": round(cpu_built - cpu_started, 2),
            "send_cpu_seconds": round(cpu_sent - cpu_built, 2),
            "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
            "sample_bytes": len(sample.message) if sample else 0,
        }
    finally:
        await close_database()


async def prepare(folder: Path, members: int) -> str:
    config = await initialise(
        folder / "data", NodeSettings(url=BASE, name="Bench Org", handle="benchorg")
    )
    await open_database(config.database_url)
    try:
        started = time.perf_counter()
        await seed(members)
        print(f"seeded {members} members in {time.perf_counter() - started:.1f} s", flush=True)
    finally:
        await close_database()
    return config.database_url


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--members", type=int, default=5000)
    parser.add_argument(
        "--work", nargs=2, metavar=("DATABASE_URL", "SMTP_URL"), help=argparse.SUPPRESS
    )
    args = parser.parse_args()
    if args.work:  # the child: the worker whose memory is measured
        print(json.dumps(asyncio.run(work(*args.work))), flush=True)
        return
    from tests.support.processes import free_port

    with tempfile.TemporaryDirectory() as folder:
        database_url = asyncio.run(prepare(Path(folder), args.members))
        port = free_port()
        sink = subprocess.Popen(
            [sys.executable, "-c", SINK, str(port)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        assert sink.stdout is not None and sink.stdin is not None
        assert sink.stdout.readline().strip() == "ready"
        try:
            worker = subprocess.run(
                [sys.executable, __file__, "--work", database_url, f"smtp://127.0.0.1:{port}"],
                capture_output=True,
                text=True,
                check=True,
                env=os.environ,
            )
        finally:
            sink.stdin.close()
            received = int(sink.stdout.readline().strip() or 0)
            sink.wait()
        figures = json.loads(worker.stdout.strip().splitlines()[-1])
        total = figures["build_seconds"] + figures["send_seconds"]
        print(f"members:            {args.members} (each following {FOLLOWED} proposals)")
        print(f"digests queued:     {figures['queued']}, received by aiosmtpd: {received}")
        print(
            f"time to build:      {figures['build_seconds']:.2f} s "
            f"({figures['build_cpu_seconds']:.2f} s of the worker's CPU)"
        )
        print(
            f"time to send:       {figures['send_seconds']:.2f} s "
            f"({figures['send_cpu_seconds']:.2f} s of the worker's CPU)"
        )
        print(f"total:              {total:.2f} s (aim < 60 s)")
        print(f"load average:       {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")
        print(f"worker peak RSS:    {figures['peak_rss_mb']:.1f} MB (aim < 200 MB)")
        print(f"one digest:         {figures['sample_bytes']} bytes")
        if figures["not_sent"] or received != figures["queued"]:
            sys.exit("not every digest was delivered")


if __name__ == "__main__":
    main()
