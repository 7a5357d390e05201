""" "What we heard" for a big consultation: how long the report page takes, and its queries.

Seeds a node (SQLite; TOWNHALL_DATABASE_URL for PostgreSQL) with proposals whose threads hold
N comments from three "nodes" (this node's members, a Townhall node's organisation and members,
and a Mastodon-like server), ten answers per comment across five questions, and 0.6
endorsements per comment (half of the proposal, half of comments), with hashtags, staff themes,
quotes and a few late replies. Then GETs each report page through the real aiohttp app and
prints p50/p95 over --runs and the statements one render sends, which must be the same for
every size. Aim (DESIGN.md §6): < 150 ms for 500 comments and 5,000 answers.

Run: .venv/bin/python bench/report.py [--comments 100,500] [--runs 30]
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import tempfile
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from aiohttp.test_utils import TestClient, TestServer

from bench.thread import QueryCounter
from node.app import create_app
from node.install import NodeSettings, initialise
from node.models import (
    Actor,
    ActorType,
    Object,
    ObjectTag,
    Poll,
    Proposal,
    QuotedResponse,
    Reaction,
    ResponseTheme,
    ThemedResponse,
    Vote,
)
from node.services.members import add_member
from node.services.outbox import Outbox
from node.services.polls import Polls
from node.services.proposals import Proposals
from node.urls import NodeUrls

BASE = "http://127.0.0.1:8000"
DOMAINS = ("b.example", "social.example")
QUESTIONS = 5
ANSWERS_PER_COMMENT = 10
ROLES = ("", "practitioner", "service_user", "staff")


async def remote_actors(prefix: str, count: int) -> list[Actor]:
    """`count` remote people, alternately on the two other servers, with profile roles."""
    rows = []
    for number in range(count):
        domain = DOMAINS[number % 2]
        uri = f"https://{domain}/users/{prefix}{number}"
        rows.append(
            Actor(
                uri=uri,
                type=ActorType.PERSON,
                handle=f"{prefix}{number}",
                domain=domain,
                role=ROLES[number % len(ROLES)] if domain == "b.example" else "",
                inbox_uri=f"{uri}/inbox",
            )
        )
    await Actor.bulk_create(rows, batch_size=500)
    return list(await Actor.filter(handle__startswith=prefix, is_local=False).order_by("id"))


async def seed(urls: NodeUrls, comments: int) -> int:
    """A proposal with `comments` comments, 10 answers and 0.6 endorsements each; its id."""
    tag = uuid.uuid4().hex[:6]
    author = (await add_member(urls, f"lead{tag}", profile_role="staff")).actor
    members = [
        (await add_member(urls, f"m{tag}{n}", profile_role=ROLES[n % 4])).actor for n in range(6)
    ]
    if not await Actor.exists(handle="otherorg", domain="b.example"):
        await Actor.create(
            uri="https://b.example/actors/otherorg",
            type=ActorType.GROUP,
            handle="otherorg",
            domain="b.example",
            name="Other Org",
            inbox_uri="https://b.example/actors/otherorg/inbox",
        )
    people = await remote_actors(f"r{tag}-", comments * ANSWERS_PER_COMMENT // QUESTIONS)
    outbox = Outbox(urls, lambda: None)
    created = await Proposals(outbox).create(
        author,
        {"type": "Article", "name": f"Report bench {comments}", "summary": "s", "source": "b"},
    )
    article = created["object"]
    polls = Polls(outbox)
    for number in range(QUESTIONS):
        question = {
            "type": "Question",
            "content": f"<p>Question {number}?</p>",
            "inReplyTo": article["id"],
            "oneOf": [{"type": "Note", "name": name} for name in ("Yes", "No", "Not sure")],
        }
        await polls.create(author, question)
    writers = members + people[:60]
    start = datetime.now(UTC)
    rows = [
        Object(
            uri=urls.object(uuid.uuid4().hex),
            type="Note",
            is_local=writer.is_local,
            author=writer,
            in_reply_to_uri=article["id"],
            context_uri=article["context"],
            content=f"<p>comment {number} about the opening hours</p>",
            url="",
            document={},
            published_at=start + timedelta(hours=number % 240),
            late=number % 50 == 49,  # 2% arrive after the closing date
        )
        for number, writer in enumerate(writers[n % len(writers)] for n in range(comments))
    ]
    await Object.bulk_create(rows, batch_size=500)
    stored = await Object.filter(context_uri=article["context"], type="Note").values("id", "uri")
    await ObjectTag.bulk_create(
        [
            ObjectTag(object_id=row["id"], name=("transport", "cost", "access")[i % 3])
            for i, row in enumerate(stored[::4])
        ]
    )
    proposal = await Proposal.get(object__uri=article["id"])
    themes = [await ResponseTheme.create(proposal=proposal, name=f"Theme {n}") for n in range(4)]
    await ThemedResponse.bulk_create(
        [
            ThemedResponse(theme=themes[i % 4], object_id=row["id"])
            for i, row in enumerate(stored[::3])
        ]
    )
    await QuotedResponse.bulk_create(
        [QuotedResponse(proposal=proposal, object_id=row["id"]) for row in stored[:5]]
    )
    endorsements = comments * 6 // 10
    likes = [
        Reaction(
            uri=f"{people[i].uri}#like-p", kind="Like", actor=people[i], object_uri=article["id"]
        )
        for i in range(endorsements // 2)
    ] + [
        Reaction(
            uri=f"{people[i].uri}#like-c",
            kind="Like",
            actor=people[i],
            object_uri=stored[i % 40]["uri"],
        )
        for i in range(endorsements - endorsements // 2)
    ]
    await Reaction.bulk_create(likes, batch_size=500)
    votes = []
    for poll in await Poll.filter(object__context_uri=article["context"]).prefetch_related(
        "options"
    ):
        options = list(poll.options)  # type: ignore[attr-defined]
        votes += [
            Vote(poll=poll, option=options[i % 3], actor=person, uri=f"{person.uri}#v{poll.id}")
            for i, person in enumerate(people)
        ]
    await Vote.bulk_create(votes, batch_size=1000)
    return proposal.id


async def measure(
    client: TestClient, counter: QueryCounter, path: str, runs: int
) -> tuple[float, float, float, int]:
    """(p50 ms, p95 ms, p50 CPU ms, statements of one render) of GETs of the report page. CPU
    time (this process: server, client and SQLite threads) is what a busy shared machine
    changes least. The statements are the fewest a run sent: the node's workers share the
    connection and may add theirs to a run."""
    timings = []
    cpu = []
    queries = sys.maxsize
    for _ in range(runs):
        before = counter.count
        started, started_cpu = time.perf_counter(), time.process_time()
        response = await client.get(path, headers={"Accept": "text/html"})
        body = await response.read()
        timings.append((time.perf_counter() - started) * 1000)
        cpu.append((time.process_time() - started_cpu) * 1000)
        queries = min(queries, counter.count - before)
        assert response.status == 200, body[:300]
    timings.sort()
    p95 = timings[min(len(timings) - 1, round(0.95 * (len(timings) - 1)))]
    return statistics.median(timings), p95, statistics.median(cpu), queries


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--comments", default="100,500", help="comma-separated thread sizes")
    parser.add_argument("--runs", type=int, default=30)
    arguments = parser.parse_args()
    sizes = [int(size) for size in arguments.comments.split(",")]
    with tempfile.TemporaryDirectory() as folder:
        config = await initialise(Path(folder) / "data", NodeSettings(BASE, "Bench", "bench"))
        client = TestClient(TestServer(create_app(config)))
        await client.start_server()
        try:
            urls = NodeUrls(BASE)
            counter = QueryCounter()
            queries = set()
            for size in sizes:
                proposal = await seed(urls, size)
                path = f"/proposals/{proposal}/report"
                await client.get(path)  # warm: templates compiled, settings cached
                p50, p95, cpu, count = await measure(client, counter, path, arguments.runs)
                queries.add(count)
                answers = size * ANSWERS_PER_COMMENT
                print(
                    f"{size:5d} comments, {answers:6d} answers, {size * 6 // 10:4d} endorsements"
                    f" | report page p50 {p50:6.1f} ms, p95 {p95:6.1f} ms, CPU p50 {cpu:6.1f} ms"
                    f" | {count} queries"
                )
            engine = "PostgreSQL" if config.database_url.startswith("postgres") else "SQLite"
            verdict = "equal" if len(queries) == 1 else "NOT equal"
            print(f"({engine}; {arguments.runs} runs each; query counts {verdict}; aim < 150 ms)")
        finally:
            await client.close()


if __name__ == "__main__":
    asyncio.run(main())
